//! shukei (集計) — consolidates a city's management-plan indicator submissions.
//!
//! The pipeline, from the edges inward:
//!
//! 1. [`catalogue`] — the indicator catalogue (47 indicators of 基本施策 30–33), built in
//!    from `templates/catalogue.toml` or loaded from a file.
//! 2. [`ingest`] — reads every submission (xlsx, xlsm, xlsb, xls, ods, csv) into a grid of
//!    cells, finds the indicator tables and turns cells into located values and findings.
//! 3. [`normalize`] — pure functions for Japanese text, era periods and numbers with units.
//! 4. [`validate`] and [`consolidate`] — rules with codes, one figure per indicator × period,
//!    evaluation against the baseline.
//! 5. [`lint`] — the machine-readability rules (総務省 統一ルール), run on every sheet
//!    read, as `MR-…` findings and a score per department.
//! 6. [`report`], [`export`], [`opendata`], [`template`], [`feedback`] — the outputs.
//!
//! Around them: [`inbox`] walks the input folders and reads files in parallel,
//! [`pipeline`] runs collect → read → consolidate, [`config`] reads `shukei.toml`,
//! [`rules`] holds every finding's code, severity and fix hint, [`model`] the shared
//! types (periods, units, cell references, findings), [`values`] the values read, kept
//! packed file by file.
//!
//! The library never prints; the binary in `src/main.rs` chooses paths and writes files.
//!
//! ```
//! use shukei::{catalogue::Catalogue, consolidate::consolidate, ingest, validate::Settings};
//! let catalogue = Catalogue::builtin();
//! let matcher = ingest::Matcher::new(&catalogue);
//! let csv = "指標名,令和6年度\n市税収納率,97.1%\n";
//! let sub = ingest::read_submission("収税課_R6.csv", csv.as_bytes(), &catalogue, &matcher, &Default::default());
//! let result = consolidate(&catalogue, vec![sub], &Settings::default(), None);
//! let figure = result.year_figure("33-1-2", shukei::model::FiscalYear(2024)).unwrap();
//! assert_eq!(figure.value, 97.1);
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod catalogue;
pub mod config;
pub mod consolidate;
pub mod error;
pub mod evaluate;
pub mod export;
pub mod feedback;
pub mod inbox;
pub mod ingest;
pub mod lint;
pub mod model;
pub mod normalize;
pub mod opendata;
pub mod permute;
pub mod pipeline;
pub mod pool;
pub mod prefetch;
pub mod report;
pub mod rules;
pub mod template;
pub mod validate;
pub mod values;
pub mod width;
#[cfg(test)]
mod xlsx_parts;
