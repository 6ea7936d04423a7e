//! Options shared by `consolidate` and `validate`: inputs, catalogue, period.

use std::path::PathBuf;

use shukei::catalogue::Catalogue;
use shukei::error::Error;
use shukei::model::Period;

/// Loads the catalogue given with `--catalogue`, or the built-in one.
pub fn load_catalogue(path: Option<&PathBuf>) -> Result<Catalogue, Error> {
    match path {
        Some(p) => Catalogue::load(p),
        None => Ok(Catalogue::builtin()),
    }
}

/// Parses `--period` (FY2024, 2024-11, 令和6年11月, R6.11, 令和6年度).
pub fn parse_period(arg: Option<&str>) -> Result<Option<Period>, Error> {
    arg.map(|s| {
        shukei::normalize::era::parse_period_arg(s)
            .map_err(|e| Error::Usage(format!("--period: {e}")))
    })
    .transpose()
}

/// The inputs given, or `samples/` when none.
pub fn input_paths(inputs: &[PathBuf]) -> Vec<PathBuf> {
    if inputs.is_empty() {
        vec![PathBuf::from("samples")]
    } else {
        inputs.to_vec()
    }
}
