//! The whole job for one run, minus the outputs: collect inputs, read them in parallel,
//! consolidate. Used by `consolidate` and `validate` (and benchmarks).

use std::path::PathBuf;

use crate::catalogue::Catalogue;
use crate::consolidate::{consolidate, sort_findings, Consolidated};
use crate::error::Error;
use crate::ingest::{Limits, Submission};
use crate::model::Period;
use crate::validate::Settings;

/// What a run reads and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub inputs: Vec<PathBuf>,
    pub period: Option<Period>,
    pub limits: Limits,
    pub settings: Settings,
}

/// Told about progress, for progress bars and logs (called on the thread that runs
/// the pipeline, as results are collected).
pub trait Observer: Sync {
    /// The number of files to read is known.
    fn started(&self, _total: usize) {}
    /// One file is done.
    fn file_done(&self, _sub: &Submission) {}
}

/// An observer that ignores everything.
pub struct Silent;

impl Observer for Silent {}

/// Collects, reads and consolidates, telling `observer` about progress.
///
/// # Errors
/// When an input path given does not exist.
pub fn run(
    catalogue: &Catalogue,
    options: &Options,
    observer: &dyn Observer,
) -> Result<Consolidated, Error> {
    let collected = crate::inbox::collect(&options.inputs)?;
    observer.started(collected.inputs.len());
    let mut subs =
        crate::inbox::read_all(&collected.inputs, catalogue, &options.limits, &mut |sub| {
            observer.file_done(sub)
        });
    // Each submission names its file; the paths are not needed past the reading.
    drop(collected.inputs);
    subs.extend(
        collected
            .skipped
            .into_iter()
            .map(|(file, finding)| Submission::skipped(&file, catalogue, finding)),
    );
    let mut result = consolidate(catalogue, subs, &options.settings, options.period);
    if !collected.findings.is_empty() {
        result.findings.extend(collected.findings);
        sort_findings(&mut result.findings);
    }
    Ok(result)
}
