//! Feedback to departments (差し戻し): one workbook per department after each run, so
//! every department hears back about its own submission.
//!
//! - A department that sent files or owes values gets a workbook. When its own files
//!   have errors or warnings, or it still owes indicators for the period, the workbook
//!   is a 差し戻し ([`Kind::Return`]); otherwise a short 受領確認 ([`Kind::Receipt`]).
//! - Sheets: 概要 (or 受領確認) with the period, counts, files received and whom to ask;
//!   指摘事項 — every finding on the department's own files, errors first; 未提出 — the
//!   indicators still owed, with the template row to fill; 提出内容 — the values as
//!   shukei read them, problem cells filled and carrying an Excel note.
//! - Findings about indicators the department is responsible for but that another
//!   department sent (E-CONFLICT, W-DEPARTMENT-NOT-RESPONSIBLE) go to a separate sheet,
//!   他課からの提出に関する参考. They stay in the sender's 指摘事項 too; the 指摘事項
//!   sheets alone partition the findings: each finding of a department's file appears
//!   in that department's 指摘事項 and in no other.
//! - Files without a department (the file name does not start with one) get no
//!   workbook: [`undeliverable`] lists them and the command line reports them on stderr.
//!
//! The wording is the findings' own `message` and `hint`, verbatim (one source:
//! [`crate::rules`] and the stage that made the finding). This module builds
//! workbooks only: no paths, no saving; the binary writes them atomically. Output is
//! deterministic: a fixed creation date derived from the period, stable row order.

mod sheets;
mod table;
#[cfg(test)]
mod tests;

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use crate::catalogue::{Catalogue, Indicator};
use crate::consolidate::{Consolidated, FileStatus, ValueRow};
use crate::model::{Finding, Period, Severity};
use crate::rules;

/// Which feedback a department gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 差し戻し: something to fix or to send.
    Return,
    /// 受領確認: received, nothing to fix.
    Receipt,
}

impl Kind {
    /// 差し戻し / 受領確認, the start of the file name and the title.
    pub fn label_ja(self) -> &'static str {
        match self {
            Kind::Return => "差し戻し",
            Kind::Receipt => "受領確認",
        }
    }
}

/// Whom departments ask about the feedback (the planning office).
pub const CONTACT: &str = "企画担当課（指標の集計担当）";

/// The departments to write feedback for, in the order of the catalogue's department
/// list (then any other sending department by name), with the kind of each.
///
/// ```
/// use shukei::feedback::{feedback_plan, Kind};
/// let catalogue = shukei::catalogue::Catalogue::builtin();
/// let options = shukei::pipeline::Options::default(); // no inputs: nothing received
/// let empty = shukei::pipeline::run(&catalogue, &options, &shukei::pipeline::Silent).unwrap();
/// // Nothing received: every responsible department owes its indicators.
/// let plan = feedback_plan(&empty);
/// assert_eq!(plan.len(), empty.departments.len());
/// assert!(plan.iter().all(|(_, kind)| *kind == Kind::Return));
/// ```
pub fn feedback_plan(result: &Consolidated) -> Vec<(String, Kind)> {
    let mut names: Vec<String> = result
        .departments
        .iter()
        .filter(|d| !d.files.is_empty() || !d.owed.is_empty())
        .map(|d| d.department.clone())
        .collect();
    let senders: BTreeSet<&str> = result
        .files
        .iter()
        .filter_map(|f| f.department.as_deref())
        .collect();
    for sender in senders {
        if !names.iter().any(|n| n == sender) {
            names.push(sender.to_string());
        }
    }
    names
        .into_iter()
        .map(|d| {
            let kind = kind_of(result, &d);
            (d, kind)
        })
        .collect()
}

fn kind_of(result: &Consolidated, department: &str) -> Kind {
    let own_files = own_files(result, department);
    let own: Vec<&Finding> = result
        .findings
        .iter()
        .filter(|f| own_files.contains(&*f.at.file))
        .collect();
    kind(&own, &owed(result, department))
}

/// 差し戻し when the department's own findings call for a fix or it owes indicators.
fn kind(own: &[&Finding], owed: &[String]) -> Kind {
    // Machine-readability advice (MR-…) is shown but alone does not call for a 差し戻し.
    let to_fix = own
        .iter()
        .any(|f| f.severity != Severity::Info && !f.code.starts_with("MR-"));
    if to_fix || !owed.is_empty() {
        Kind::Return
    } else {
        Kind::Receipt
    }
}

/// The files a department sent.
fn own_files<'a>(result: &'a Consolidated, department: &str) -> HashSet<&'a str> {
    result
        .files
        .iter()
        .filter(|f| f.department.as_deref() == Some(department))
        .map(|f| &*f.file)
        .collect()
}

/// The file name: `差し戻し_広報広聴課_令和6年11月.xlsx`. Characters that Windows
/// refuses in file names become `_`; without a period the period part is left out.
///
/// ```
/// use shukei::feedback::{feedback_file_name, Kind};
/// use shukei::model::{Month, Period};
/// let nov = Some(Period::Month(Month { year: 2024, month: 11 }));
/// assert_eq!(feedback_file_name("広報広聴課", Kind::Return, nov), "差し戻し_広報広聴課_令和6年11月.xlsx");
/// assert_eq!(feedback_file_name("人事課", Kind::Receipt, None), "受領確認_人事課.xlsx");
/// ```
pub fn feedback_file_name(department: &str, kind: Kind, period: Option<Period>) -> String {
    let safe: String = department
        .chars()
        .map(|c| match c {
            '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    match period {
        Some(p) => format!("{}_{safe}_{}.xlsx", kind.label_ja(), p.label_ja()),
        None => format!("{}_{safe}.xlsx", kind.label_ja()),
    }
}

/// Files that no department can be told about: their name names no department.
pub fn undeliverable(result: &Consolidated) -> Vec<&FileStatus> {
    result
        .files
        .iter()
        .filter(|f| f.department.is_none())
        .collect()
}

/// Builds the feedback workbook of one department.
///
/// # Errors
/// A rust_xlsxwriter error (a text over Excel's limits).
///
/// # Examples
/// ```
/// let catalogue = shukei::catalogue::Catalogue::builtin();
/// let options = shukei::pipeline::Options::default();
/// let result = shukei::pipeline::run(&catalogue, &options, &shukei::pipeline::Silent).unwrap();
/// let mut workbook = shukei::feedback::build_feedback(&catalogue, &result, "人事課").unwrap();
/// assert!(workbook.save_to_buffer().is_ok());
/// ```
pub fn build_feedback(
    catalogue: &Catalogue,
    result: &Consolidated,
    department: &str,
) -> Result<Workbook, XlsxError> {
    build_feedback_with(
        catalogue,
        result,
        department,
        table::SHEET_ROWS,
        sheets::MAX_NOTES,
    )
}

/// [`build_feedback`] with tables going on to a next sheet after `sheet_rows` rows and
/// notes on at most `max_notes` values.
pub(crate) fn build_feedback_with(
    catalogue: &Catalogue,
    result: &Consolidated,
    department: &str,
    sheet_rows: usize,
    max_notes: usize,
) -> Result<Workbook, XlsxError> {
    let scope = Scope::new(result, department);
    let owed = owed(result, department);
    let mut ctx = sheets::Context::new(catalogue, result, department, kind(&scope.own, &owed));
    ctx.page.sheet_rows = sheet_rows;
    ctx.max_notes = max_notes;
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(&ctx)?);
    sheets::write_cover(&mut workbook, &ctx, &scope, &owed)?;
    if ctx.kind == Kind::Return || !scope.own.is_empty() {
        sheets::write_issues(&mut workbook, &ctx, &scope.own)?;
    }
    if ctx.kind == Kind::Return {
        sheets::write_owed(&mut workbook, &ctx, &owed, &scope.own)?;
    }
    sheets::write_values(&mut workbook, &ctx, &scope)?;
    if !scope.others.is_empty() {
        sheets::write_others(&mut workbook, &ctx, &scope.others)?;
    }
    Ok(workbook)
}

/// Document properties with a creation date fixed by the period (its first day), so
/// that the same run gives the same bytes.
fn properties(ctx: &sheets::Context) -> Result<DocProperties, XlsxError> {
    let (year, month) = match ctx.result.period {
        Some(Period::Month(m)) => (m.year, m.month),
        Some(Period::Year(fy)) => (fy.0, 4),
        None => (2024, 4),
    };
    let created = ExcelDateTime::from_ymd(year, month, 1)?;
    Ok(DocProperties::new()
        .set_title(format!("{} {}", ctx.kind.label_ja(), ctx.department))
        .set_author("shukei")
        .set_creation_datetime(&created))
}

/// What concerns one department.
pub(crate) struct Scope<'a> {
    /// The department's files, in run order.
    pub files: Vec<&'a FileStatus>,
    /// Findings on its own files, in the run's order (errors first, then by file).
    pub own: Vec<&'a Finding>,
    /// Findings on other departments' values of its indicators.
    pub others: Vec<&'a Finding>,
    /// Its values, by file, sheet and cell.
    pub values: Vec<ValueRow<'a>>,
}

impl<'a> Scope<'a> {
    pub fn new(result: &'a Consolidated, department: &str) -> Scope<'a> {
        let files: Vec<&FileStatus> = result
            .files
            .iter()
            .filter(|f| f.department.as_deref() == Some(department))
            .collect();
        let own_files: HashSet<&str> = files.iter().map(|f| &*f.file).collect();
        let is_own = |file: &str| own_files.contains(file);
        let responsible = responsible_ids(result, department);
        let own = result
            .findings
            .iter()
            .filter(|f| is_own(&f.at.file))
            .collect();
        let others = result
            .findings
            .iter()
            .filter(|f| !is_own(&f.at.file) && is_cross_department(f, &responsible))
            .collect();
        // Whose a value is, looked up once per place of its list rather than per value
        // (ten departments × 150,000 values were 3 million lookups by file name).
        let mut values: Vec<ValueRow> = result
            .values
            .per_file()
            .flat_map(|list| {
                let own_places: Vec<bool> =
                    list.places().iter().map(|(file, _)| is_own(file)).collect();
                list.iter()
                    .filter(move |v| own_places.get(v.place_number()) == Some(&true))
            })
            .collect();
        values.sort_by(|a, b| a.place_key().cmp(&b.place_key()));
        Scope {
            files,
            own,
            others,
            values,
        }
    }
}

/// Indicator IDs the department is responsible for, from the run's department list.
fn responsible_ids(result: &Consolidated, department: &str) -> Vec<String> {
    result
        .departments
        .iter()
        .find(|d| d.department == department)
        .map(|d| d.expected.clone())
        .unwrap_or_default()
}

fn is_cross_department(f: &Finding, responsible: &[String]) -> bool {
    let about_ours = f
        .indicator_id
        .as_deref()
        .is_some_and(|id| responsible.iter().any(|r| r == id));
    about_ours && [rules::CONFLICT.code, rules::DEPARTMENT_NOT_RESPONSIBLE.code].contains(&f.code)
}

/// The indicators the department still owes for the period, in catalogue order.
fn owed(result: &Consolidated, department: &str) -> Vec<String> {
    result
        .departments
        .iter()
        .find(|d| d.department == department)
        .map(|d| d.owed.clone())
        .unwrap_or_default()
}

/// The file's name without its folder, as the department knows it.
pub(crate) fn file_name(file: &str) -> &str {
    Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file)
}

/// `30-3-4 デジタルデバイド対策…`, or the ID alone when the catalogue lacks it.
pub(crate) fn indicator_label(catalogue: &Catalogue, id: Option<&str>) -> String {
    match id {
        None => String::new(),
        Some(id) => match catalogue.indicator(id) {
            Some(ind) => format!("{} {}", ind.id, ind.name),
            None => id.to_string(),
        },
    }
}

/// Looks an owed indicator up.
pub(crate) fn owed_indicators<'c>(catalogue: &'c Catalogue, owed: &[String]) -> Vec<&'c Indicator> {
    owed.iter()
        .filter_map(|id| catalogue.indicator(id))
        .collect()
}
