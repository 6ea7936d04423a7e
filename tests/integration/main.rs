//! Integration tests: run the real `shukei` binary on real files.

/// Test helpers: temp work dirs, running the binary, reading outputs back.
mod util;

/// The bundled samples: exact values and planted issues (tests/golden/samples).
mod samples;

/// Command line contract: exit codes, --help, --period, exports, catalogue commands.
mod cli;

/// The report workbook: every sheet read back with calamine.
mod report;
