//! The consolidated report workbook (issue 5 builds the full layout).
//!
//! `build_report` returns a `rust_xlsxwriter::Workbook`; the binary chooses the path and
//! saves it atomically.

use rust_xlsxwriter::{Workbook, XlsxError};

use crate::catalogue::Catalogue;
use crate::consolidate::Consolidated;

/// Facts about the run shown in the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportMeta {
    /// When the run happened, as shown (`2026-11-24 05:30`).
    pub run_at: String,
    /// shukei's version.
    pub version: String,
}

/// Builds the report workbook.
///
/// # Errors
/// A rust_xlsxwriter error (e.g. a sheet name that Excel refuses).
pub fn build_report(
    catalogue: &Catalogue,
    result: &Consolidated,
    meta: &ReportMeta,
) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("概要")?;
    sheet.write(0, 0, "shukei 集計結果")?;
    sheet.write(
        1,
        0,
        result.period.map(|p| p.label_ja()).unwrap_or_default(),
    )?;
    sheet.write(2, 0, meta.run_at.as_str())?;
    sheet.write(3, 0, catalogue.version.as_str())?;
    Ok(workbook)
}
