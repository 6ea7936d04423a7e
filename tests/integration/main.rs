//! Integration tests: run the real `shukei` binary on real files.

/// Test helpers: temp work dirs, running the binary, reading outputs back.
mod util;

/// The bundled samples: exact values and planted issues (tests/golden/samples).
mod samples;

/// Command line contract: exit codes, --help, --period, exports, catalogue commands.
mod cli;

/// The catalogue commands: check, show, export, and reading an export back.
mod catalogue;

/// Nothing lost: every table cell of the samples is a value or an issue.
mod accounting;

/// Broken and hostile files: one clear issue each, the batch goes on.
mod hostile;

/// Feedback to departments: one 差し戻し or 受領確認 workbook each (--feedback-dir).
mod feedback;

/// Input templates: generation, the round trip through another writer, badly filled
/// templates, and templates/入力様式 kept in sync with the catalogue.
mod template;

/// Machine-readability lint: one generated sample per rule, a clean file, opendata.csv.
mod lint;

/// The report workbook: every sheet read back with calamine.
mod report;
