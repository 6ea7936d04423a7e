//! Unit tests of the report: built from the samples through the pipeline.
