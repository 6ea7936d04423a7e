//! The input templates (入力様式) that departments fill in: one workbook per department
//! and fiscal year.
//!
//! A template has three sheets:
//! - `入力`: the department's indicators (ID, 指標名, 単位, 基準値 with its year,
//!   目指す方向) and input cells for the fiscal year and its twelve months, plus 備考. Only
//!   the input cells are unlocked; the sheet is protected *without a password* so that
//!   staff can unprotect it (校閲 → シート保護の解除) to fix the layout. Every input
//!   cell has data validation (a decimal; ≥ 0 where negatives are impossible; 0–100
//!   for %), an input message naming the unit and a Japanese error message.
//! - `記入方法`: the instructions, in Japanese.
//! - `_shukei`, very hidden: key/value rows (format, template version, department,
//!   fiscal year, catalogue version, one `indicator` row per input row). Ingestion
//!   ([`crate::ingest::template_meta`]) reads it to recognise a filled template whatever
//!   the file or the input sheet is called and however its rows were sorted. Two
//!   defined names (`shukei_meta`, `shukei_input`) point at it and at the input table,
//!   for people and macros; ingestion does not need them.
//!
//! The header row matches what [`crate::ingest::table`] detects (`ID`, `指標名`,
//! `令和7年度`, `令和7年4月` …), so a template copied into another workbook without its
//! metadata is still read, by indicator name.
//!
//! This module builds a [`Workbook`] and never saves it: the command line chooses the
//! path. Output is deterministic (a fixed creation date: April 1 of the fiscal year).

mod guide;
mod input;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};

use crate::catalogue::Catalogue;
use crate::model::FiscalYear;

/// The fiscal year a template is made for when none is given: the current year of the
/// plan (令和7年度). Fixed rather than taken from the clock, so that output is
/// reproducible and `templates/入力様式/` stays in sync.
pub const CURRENT_PLAN_YEAR: FiscalYear = FiscalYear(2025);

/// The name of the very hidden metadata sheet.
pub const META_SHEET: &str = "_shukei";
/// The value of the `format` key that marks a shukei template.
pub const META_FORMAT: &str = "shukei-template";
/// The template layout version, written under the `version` key.
pub const TEMPLATE_VERSION: u32 = 1;
/// The name of the input sheet as generated (departments may rename it).
pub const INPUT_SHEET: &str = "入力";
/// The name of the instructions sheet.
pub const GUIDE_SHEET: &str = "記入方法";
/// The department to ask (企画担当).
pub const CONTACT_DEPARTMENT: &str = "行政改革課";

/// Metadata keys, in the order written.
pub mod keys {
    /// Always [`super::META_FORMAT`].
    pub const FORMAT: &str = "format";
    /// [`super::TEMPLATE_VERSION`].
    pub const VERSION: &str = "version";
    /// The department (担当課).
    pub const DEPARTMENT: &str = "department";
    /// `FY2025`.
    pub const FISCAL_YEAR: &str = "fiscal_year";
    /// The catalogue version the template was made from.
    pub const CATALOGUE_VERSION: &str = "catalogue_version";
    /// One row per indicator row of the input sheet: ID, then the name.
    pub const INDICATOR: &str = "indicator";
}

/// The file name of a template: `入力様式_広報広聴課_令和7年度.xlsx`.
///
/// # Examples
/// ```
/// use shukei::model::FiscalYear;
/// use shukei::template::template_file_name;
/// assert_eq!(template_file_name("広報広聴課", FiscalYear(2025)), "入力様式_広報広聴課_令和7年度.xlsx");
/// ```
pub fn template_file_name(department: &str, fy: FiscalYear) -> String {
    format!("入力様式_{department}_{}.xlsx", fy.label_ja())
}

/// The departments that own at least one indicator, in catalogue order: those that get
/// a template.
///
/// # Examples
/// ```
/// let catalogue = shukei::catalogue::Catalogue::builtin();
/// let departments = shukei::template::template_departments(&catalogue);
/// assert!(departments.contains(&"広報広聴課"));
/// assert!(!departments.contains(&"会計課")); // owns no indicator
/// ```
pub fn template_departments(catalogue: &Catalogue) -> Vec<&str> {
    catalogue
        .departments
        .iter()
        .map(String::as_str)
        .filter(|d| catalogue.indicators_of(d).next().is_some())
        .collect()
}

/// Builds the template of one department for one fiscal year. A department without
/// indicators gets a template with an empty table (the command line refuses it first).
///
/// # Errors
/// An [`XlsxError`] only if a text exceeds an Excel limit (a data-validation message
/// over 255 characters, for an indicator name of extreme length).
///
/// # Examples
/// ```
/// use shukei::catalogue::Catalogue;
/// use shukei::model::FiscalYear;
/// let catalogue = Catalogue::builtin();
/// let mut workbook = shukei::template::build_template(&catalogue, "広報広聴課", FiscalYear(2025))?;
/// assert!(!workbook.save_to_buffer()?.is_empty());
/// # Ok::<(), rust_xlsxwriter::XlsxError>(())
/// ```
pub fn build_template(
    catalogue: &Catalogue,
    department: &str,
    fy: FiscalYear,
) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(department, fy)?);
    let layout = input::write_input_sheet(workbook.add_worksheet(), catalogue, department, fy)?;
    guide::write_guide_sheet(workbook.add_worksheet(), catalogue, department, fy)?;
    let meta_rows = write_meta_sheet(workbook.add_worksheet(), catalogue, department, fy)?;
    workbook.define_name(
        "shukei_meta",
        &format!("='{META_SHEET}'!$A$1:$C${meta_rows}"),
    )?;
    workbook.define_name(
        "shukei_input",
        &format!(
            "='{INPUT_SHEET}'!$A${}:${}${}",
            layout.header_row + 1,
            crate::model::column_name(layout.last_col),
            layout.last_row + 1
        ),
    )?;
    Ok(workbook)
}

fn properties(department: &str, fy: FiscalYear) -> Result<DocProperties, XlsxError> {
    let created = ExcelDateTime::from_ymd(fy.0, 4, 1)?;
    Ok(DocProperties::new()
        .set_title(format!("指標実績 入力様式 {department} {}", fy.label_ja()))
        .set_subject("まちづくり推進計画 自治体経営編 指標実績報告")
        .set_author("shukei")
        .set_comment(format!(
            "shukei template で作成。問い合わせ先: {CONTACT_DEPARTMENT}"
        ))
        .set_creation_datetime(&created))
}

/// The key/value rows of the metadata sheet, as written (and as read back).
pub fn meta_rows(catalogue: &Catalogue, department: &str, fy: FiscalYear) -> Vec<Vec<String>> {
    let mut rows = vec![
        vec![keys::FORMAT.to_string(), META_FORMAT.to_string()],
        vec![keys::VERSION.to_string(), TEMPLATE_VERSION.to_string()],
        vec![keys::DEPARTMENT.to_string(), department.to_string()],
        vec![keys::FISCAL_YEAR.to_string(), fy.code()],
        vec![
            keys::CATALOGUE_VERSION.to_string(),
            catalogue.version.clone(),
        ],
    ];
    rows.extend(
        catalogue
            .indicators_of(department)
            .map(|i| vec![keys::INDICATOR.to_string(), i.id.clone(), i.name.clone()]),
    );
    rows
}

/// Writes the very hidden metadata sheet (all cells as text). Returns the row count.
fn write_meta_sheet(
    sheet: &mut Worksheet,
    catalogue: &Catalogue,
    department: &str,
    fy: FiscalYear,
) -> Result<u32, XlsxError> {
    sheet.set_name(META_SHEET)?;
    let rows = meta_rows(catalogue, department, fy);
    for (r, row) in (0u32..).zip(&rows) {
        for (c, text) in (0u16..).zip(row) {
            sheet.write_string(r, c, text)?;
        }
    }
    sheet.set_very_hidden(true);
    sheet.protect();
    Ok(u32::try_from(rows.len()).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests;
