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

/// Collects, reads and consolidates. `on_file` is called as each file is done (from
/// worker threads), for progress and logs.
///
/// # Errors
/// When an input path given does not exist.
pub fn run(
    catalogue: &Catalogue,
    options: &Options,
    on_file: &(dyn Fn(&Submission) + Sync),
) -> Result<Consolidated, Error> {
    let collected = crate::inbox::collect(&options.inputs)?;
    let mut subs = crate::inbox::read_all(&collected.inputs, catalogue, &options.limits, on_file);
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
