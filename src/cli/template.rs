//! `shukei template`: the input templates for departments, one xlsx per department,
//! named `入力様式_<担当課>_<令和N年度>.xlsx`.
//!
//! The default fiscal year is the plan's current year ([`CURRENT_PLAN_YEAR`]), not the
//! clock's, so that the same command always writes the same files.

use std::path::{Path, PathBuf};

use shukei::catalogue::Catalogue;
use shukei::error::Error;
use shukei::model::{FiscalYear, Period};
use shukei::template::{
    build_template, template_departments, template_file_name, CURRENT_PLAN_YEAR,
};

use super::inputs::{load_catalogue, parse_period};
use super::output::save_workbook;
use super::ExitCode;

/// Write one input template (xlsx) per department.
///
/// Each template has an 入力 sheet (locked, without a password, except the input cells),
/// a 記入方法 sheet and hidden metadata that lets `consolidate` recognise it.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The department to write a template for (e.g. 広報広聴課).
    #[arg(long, conflicts_with = "all", required_unless_present = "all")]
    pub department: Option<String>,
    /// Write a template for every department that owns indicators.
    #[arg(long)]
    pub all: bool,
    /// The fiscal year of the template: FY2025, 令和7年度, R7. Default: the plan's
    /// current year, FY2025 (令和7年度) — fixed, not taken from today's date.
    #[arg(long, value_name = "P")]
    pub period: Option<String>,
    /// Indicator catalogue. Default: built in.
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    /// Output folder (created if missing).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
}

/// Runs `template`.
pub fn run(args: Args) -> Result<ExitCode, Error> {
    let catalogue = load_catalogue(args.catalogue.as_ref())?;
    let fy = fiscal_year(args.period.as_deref())?;
    let departments = match &args.department {
        Some(name) => vec![checked_department(&catalogue, name)?],
        None => template_departments(&catalogue),
    };
    for department in departments {
        write_one(&catalogue, department, fy, &args.output)?;
    }
    Ok(ExitCode::Ok)
}

fn write_one(
    catalogue: &Catalogue,
    department: &str,
    fy: FiscalYear,
    dir: &Path,
) -> Result<(), Error> {
    let path = dir.join(template_file_name(department, fy));
    let mut workbook = build_template(catalogue, department, fy).map_err(|source| Error::Xlsx {
        path: path.clone(),
        source,
    })?;
    save_workbook(&mut workbook, &path)?;
    eprintln!("shukei: wrote {}", path.display());
    Ok(())
}

/// `--period` as a fiscal year; a month is refused.
fn fiscal_year(arg: Option<&str>) -> Result<FiscalYear, Error> {
    match parse_period(arg)? {
        None => Ok(CURRENT_PLAN_YEAR),
        Some(Period::Year(fy)) => Ok(fy),
        Some(Period::Month(m)) => Err(Error::Usage(format!(
            "--period: 様式は年度ごとに作ります。{} ではなく年度を指定してください（例: FY2025、令和7年度、R7）",
            m.label_ja()
        ))),
    }
}

/// The department as named in the catalogue, if it owns indicators.
fn checked_department<'a>(catalogue: &'a Catalogue, name: &str) -> Result<&'a str, Error> {
    let wanted = shukei::normalize::text::nfkc(name);
    let valid = template_departments(catalogue);
    valid
        .iter()
        .find(|d| **d == wanted.trim())
        .copied()
        .ok_or_else(|| {
            let why = if catalogue.departments.iter().any(|d| *d == wanted.trim()) {
                "は担当する指標がないため、様式を作れません"
            } else {
                "は指標カタログの担当課にありません"
            };
            Error::Usage(format!(
                "--department: 「{name}」{why}。指定できる課: {}",
                valid.join("、")
            ))
        })
}
