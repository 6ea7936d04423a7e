//! `shukei template`: the input templates for departments.

use std::path::PathBuf;

use shukei::error::Error;

use super::ExitCode;

/// Write one input template (xlsx) per department.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The department to write a template for (e.g. 広報広聴課).
    #[arg(long, conflicts_with = "all", required_unless_present = "all")]
    pub department: Option<String>,
    /// Write a template for every department.
    #[arg(long)]
    pub all: bool,
    /// The fiscal year of the template: FY2025, 令和7年度, R7. Default: the current one.
    #[arg(long, value_name = "P")]
    pub period: Option<String>,
    /// Indicator catalogue. Default: built in.
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    /// Output folder.
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
}

/// Runs `template`.
pub fn run(_args: Args) -> Result<ExitCode, Error> {
    Err(Error::Usage(
        "shukei template はまだ実装されていません（issue 6 で対応予定）".to_string(),
    ))
}
