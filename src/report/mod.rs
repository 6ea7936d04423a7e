//! The consolidated report workbook: a formatted, print-ready xlsx for the planning
//! office (企画・行政改革課), sheet names and text in Japanese.
//!
//! Sheets, in order (one submodule each):
//! 1. 概要 ([`summary`]) — period, run, files, evaluation by policy with a chart,
//!    completeness and the computed 32-0-3.
//! 2. 指標一覧 ([`indicators`]) — every indicator, one row, numbers as numbers.
//! 3. one sheet per 基本施策 ([`policy`]) — laid out like the plan document, for printing.
//! 4. 月次推移 ([`monthly`]) — indicator × month of the reporting fiscal year, sparklines.
//! 5. 提出状況 ([`status`]) — per department.
//! 6. 読込ファイル ([`status`]) — every input file; streamed when there are many.
//! 7. 検証結果 ([`issues`]) — every finding; low-memory when it is large.
//! 8. 機械判読性 ([`readability`]) — each department's score on the unified rules.
//! 9. 取組項目 ([`actions`]) — the action items and featured projects.
//!
//! `build_report` returns a `rust_xlsxwriter::Workbook`; the binary chooses the path and
//! saves it atomically. Nothing here reads the clock: the run time comes in
//! [`ReportMeta`] and the document creation time is fixed, so the same inputs give the
//! same bytes. Lookups are maps built once, so work stays linear in the data.

mod actions;
mod indicators;
mod issues;
mod monthly;
mod policy;
mod readability;
mod status;
mod style;
mod summary;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};

use crate::catalogue::{Catalogue, Indicator, Policy};
use crate::consolidate::{Consolidated, Figure, Source};
use crate::evaluate::{Evaluation, Grade};
use crate::model::{FiscalYear, Period};
use crate::validate::Settings;

pub use issues::LOW_MEMORY_ROWS;
pub(crate) use style::{
    border_rule, continued_name, end_streamed_rows, sheet_part, sheets_for, thousands, write_cell,
    RowHeights,
};

/// Facts about the run shown in the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportMeta {
    /// When the run happened, as shown (`2026-11-24 05:30`).
    pub run_at: String,
    /// shukei's version.
    pub version: String,
}

/// Sheet names that do not depend on the data.
pub mod sheet {
    /// 概要.
    pub const SUMMARY: &str = "概要";
    /// 指標一覧.
    pub const INDICATORS: &str = "指標一覧";
    /// 月次推移.
    pub const MONTHLY: &str = "月次推移";
    /// 提出状況.
    pub const STATUS: &str = "提出状況";
    /// 読込ファイル.
    pub const FILES: &str = "読込ファイル";
    /// 検証結果.
    pub const ISSUES: &str = "検証結果";
    /// 機械判読性.
    pub const READABILITY: &str = "機械判読性";
    /// 取組項目.
    pub const ACTIONS: &str = "取組項目";
}

/// Everything the sheet writers read, with lookups built once.
pub(crate) struct Ctx<'a> {
    pub cat: &'a Catalogue,
    pub result: &'a Consolidated,
    pub meta: &'a ReportMeta,
    /// Evaluations by indicator ID.
    pub evals: BTreeMap<&'a str, &'a Evaluation>,
    /// The plan's fiscal years (R6, R7, R8).
    pub years: Vec<FiscalYear>,
    /// The fiscal year reported on (the period's, else the plan's first).
    pub fiscal_year: FiscalYear,
    pub styles: style::Styles,
    /// Findings per 検証結果 sheet ([`issues::SHEET_ROWS`]; smaller in tests).
    pub issues_per_sheet: usize,
}

impl<'a> Ctx<'a> {
    fn new(cat: &'a Catalogue, result: &'a Consolidated, meta: &'a ReportMeta) -> Ctx<'a> {
        let (first, last) = Settings::default().plan_years;
        let years: Vec<FiscalYear> = (first..=last).map(FiscalYear).collect();
        Ctx {
            cat,
            result,
            meta,
            evals: result
                .evaluations
                .iter()
                .map(|e| (e.id.as_str(), e))
                .collect(),
            fiscal_year: result.period.map_or(FiscalYear(first), Period::fiscal_year),
            years,
            styles: style::Styles::new(),
            issues_per_sheet: issues::SHEET_ROWS,
        }
    }

    /// The number of 検証結果 sheets: one, and more when the findings do not fit in
    /// one sheet's rows.
    pub fn issue_sheets(&self) -> usize {
        style::sheets_for(self.result.findings.len(), self.issues_per_sheet)
    }

    /// The grade of an indicator (未報告 when it was not evaluated).
    pub fn grade(&self, id: &str) -> Grade {
        self.evals.get(id).map_or(Grade::NotReported, |e| e.grade)
    }

    /// The period label (`令和6年11月`), or `期間不明` when nothing was found.
    pub fn period_label(&self) -> String {
        self.result
            .period
            .map_or_else(|| "期間不明".to_string(), Period::label_ja)
    }

    /// The fiscal-year figure of an indicator.
    pub fn year_figure(&self, id: &str, fy: FiscalYear) -> Option<&'a Figure> {
        self.result.year_figure(id, fy)
    }

    /// Files that were not submissions (README, images): listed as 対象外.
    pub fn skipped_files(&self) -> BTreeSet<&'a str> {
        self.result
            .findings
            .iter()
            .filter(|f| f.code == crate::rules::FILE_SKIPPED.code)
            .map(|f| &*f.at.file)
            .collect()
    }

    /// The indicators of a policy, in catalogue order.
    pub fn policy_indicators(&self, policy: u8) -> impl Iterator<Item = &'a Indicator> {
        self.cat
            .indicators
            .iter()
            .filter(move |i| i.policy == policy)
    }
}

/// Builds the report workbook.
///
/// # Errors
/// A rust_xlsxwriter error (e.g. a sheet name that Excel refuses, or no writable
/// temporary folder for a very large 検証結果 sheet).
///
/// # Examples
/// ```
/// use shukei::catalogue::Catalogue;
/// use shukei::pipeline::{run, Options};
/// use shukei::report::{build_report, ReportMeta};
/// let catalogue = Catalogue::builtin();
/// let options = Options { inputs: vec!["samples".into()], ..Options::default() };
/// let result = run(&catalogue, &options, &shukei::pipeline::Silent).unwrap();
/// let meta = ReportMeta { run_at: "2024-11-25 09:00".into(), version: "0.1.0".into() };
/// let mut workbook = build_report(&catalogue, &result, &meta).unwrap();
/// assert!(workbook.save_to_buffer().unwrap().starts_with(b"PK"));
/// ```
pub fn build_report(
    catalogue: &Catalogue,
    result: &Consolidated,
    meta: &ReportMeta,
) -> Result<Workbook, XlsxError> {
    build_report_with(catalogue, result, meta, issues::SHEET_ROWS)
}

/// [`build_report`] with 検証結果 going on to a next sheet after `issues_per_sheet`
/// findings.
pub(crate) fn build_report_with(
    catalogue: &Catalogue,
    result: &Consolidated,
    meta: &ReportMeta,
    issues_per_sheet: usize,
) -> Result<Workbook, XlsxError> {
    build_report_filled(catalogue, result, meta, issues_per_sheet, Fill::SideBySide)
}

/// How the sheets are filled: 検証結果 on one side and the others on the other, at the
/// same time; in tests also one side after the other, which must give the same file.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fill {
    SideBySide,
    #[cfg(test)]
    IssuesFirst,
    #[cfg(test)]
    IssuesLast,
}

fn build_report_filled(
    catalogue: &Catalogue,
    result: &Consolidated,
    meta: &ReportMeta,
    issues_per_sheet: usize,
    order: Fill,
) -> Result<Workbook, XlsxError> {
    let mut ctx = Ctx::new(catalogue, result, meta);
    ctx.issues_per_sheet = issues_per_sheet;
    let mut workbook = Workbook::new();
    style::set_workbook_default(&mut workbook)?;
    workbook.set_properties(&properties(&ctx)?);
    let parts = Part::all(catalogue, ctx.issue_sheets());
    for part in &parts {
        match part.streamed(&ctx) {
            Some(Strings::Shared) => {
                workbook.add_worksheet_with_low_memory()?;
            }
            Some(Strings::Inline) => {
                workbook.add_worksheet_with_constant_memory()?;
            }
            None => {
                workbook.add_worksheet();
            }
        }
    }
    // Streamed sheets number their formats in the workbook's table as they use them,
    // and 検証結果 is filled beside 読込ファイル: every format they use is numbered
    // first, in a fixed order, so the file does not depend on which thread came first.
    for part in parts.iter().filter(|p| p.streamed(&ctx).is_some()) {
        for format in part.streamed_formats(&ctx) {
            workbook.register_format(&format);
        }
    }
    // 検証結果 (most of the time on a large batch) is filled on one side, the other
    // sheets on the other. 検証結果 alone puts its strings in the workbook's shared
    // table while it is filled, which numbers them as they come; 読込ファイル writes
    // its strings in its cells, and the sheets in memory number theirs when the
    // workbook is saved.
    let (issues, rest): (Vec<_>, Vec<_>) = parts
        .iter()
        .zip(workbook.worksheets_mut().iter_mut())
        .partition(|(part, _)| matches!(part, Part::Issues(_)));
    let fill = |sheets: Vec<(&Part, &mut Worksheet)>| {
        sheets
            .into_iter()
            .try_for_each(|(part, sheet)| part.write(sheet, &ctx))
    };
    let (issues, rest) = match order {
        Fill::SideBySide => rayon::join(|| fill(issues), || fill(rest)),
        #[cfg(test)]
        Fill::IssuesFirst => {
            let issues = fill(issues);
            (issues, fill(rest))
        }
        #[cfg(test)]
        Fill::IssuesLast => {
            let rest = fill(rest);
            (fill(issues), rest)
        }
    };
    issues?;
    rest?;
    Ok(workbook)
}

/// Where a streamed sheet keeps its strings.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Strings {
    /// In the workbook's shared table (rust_xlsxwriter's low-memory mode): a text
    /// repeated on thousands of rows is stored once.
    Shared,
    /// In the cells (constant-memory mode): the sheet can be filled beside one that
    /// uses the shared table.
    Inline,
}

/// The report's sheets, in tab order.
enum Part<'a> {
    Summary,
    Indicators,
    Policy(&'a Policy),
    Monthly,
    Status,
    Files,
    /// Sheet `n` (from 0) of 検証結果.
    Issues(usize),
    Readability,
    Actions,
}

impl<'a> Part<'a> {
    /// Every sheet, in tab order, with `issue_sheets` sheets of 検証結果.
    fn all(catalogue: &'a Catalogue, issue_sheets: usize) -> Vec<Part<'a>> {
        let mut parts = vec![Part::Summary, Part::Indicators];
        parts.extend(catalogue.policies.iter().map(Part::Policy));
        parts.extend([Part::Monthly, Part::Status, Part::Files]);
        parts.extend((0..issue_sheets.max(1)).map(Part::Issues));
        parts.extend([Part::Readability, Part::Actions]);
        parts
    }

    /// A sheet with a row per file or finding. Only these may be streamed (see
    /// [`build_report`]).
    #[cfg(test)]
    fn grows_with_batch(&self) -> bool {
        matches!(self, Part::Files | Part::Issues(_))
    }

    /// Whether the sheet is streamed to a temporary file, and where it keeps its
    /// strings then.
    fn streamed(&self, ctx: &Ctx) -> Option<Strings> {
        match self {
            Part::Files => status::files_streamed(ctx).then_some(Strings::Inline),
            Part::Issues(_) => issues::streamed(ctx).then_some(Strings::Shared),
            _ => None,
        }
    }

    /// Every format a streamed sheet writes its cells and columns with.
    fn streamed_formats(&self, ctx: &Ctx) -> Vec<rust_xlsxwriter::Format> {
        match self {
            Part::Files => status::streamed_formats(ctx),
            Part::Issues(_) => issues::streamed_formats(ctx),
            _ => Vec::new(),
        }
    }

    fn write(&self, sheet: &mut Worksheet, ctx: &Ctx) -> Result<(), XlsxError> {
        match self {
            Part::Summary => summary::write(sheet, ctx),
            Part::Indicators => indicators::write(sheet, ctx),
            Part::Policy(policy) => policy::write(sheet, ctx, policy),
            Part::Monthly => monthly::write(sheet, ctx),
            Part::Status => status::write(sheet, ctx),
            Part::Files => status::write_files(sheet, ctx),
            Part::Issues(n) => issues::write(sheet, ctx, *n),
            Part::Readability => readability::write(sheet, ctx),
            Part::Actions => actions::write(sheet, ctx),
        }
    }
}

/// Document properties with a fixed creation time (2024-04-01, the plan's start), so
/// the file does not change with the clock.
fn properties(ctx: &Ctx) -> Result<DocProperties, XlsxError> {
    let created = ExcelDateTime::from_ymd(2024, 4, 1)?;
    Ok(DocProperties::new()
        .set_title(format!(
            "{} 指標集計結果 {}",
            ctx.cat.municipality_name,
            ctx.period_label()
        ))
        .set_subject("自治体経営編 基本施策30〜33 指標の集計")
        .set_author("shukei")
        .set_company(ctx.cat.municipality_name.as_str())
        .set_creation_datetime(&created))
}

/// The sheet name of a policy: `30 協働・情報共有`, made safe for Excel (at most 31
/// characters, none of `[]:*?/\`).
pub fn policy_sheet_name(policy: &Policy) -> String {
    let raw = format!("{} {}", policy.number, policy.name);
    let cleaned: String = raw
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '・' } else { c })
        .take(31)
        .collect();
    cleaned.trim_matches('\'').to_string()
}

/// `30 協働・情報共有` for a policy number (the number alone when unknown).
pub(crate) fn policy_label(cat: &Catalogue, number: u8) -> String {
    cat.policies
        .iter()
        .find(|p| p.number == number)
        .map_or_else(
            || number.to_string(),
            |p| format!("{} {}", p.number, p.name),
        )
}

/// The direction's label: `まちの状態を表す指標` for 0, else `1 協働による…`.
pub(crate) fn direction_label(cat: &Catalogue, policy: u8, direction: u8) -> String {
    if direction == 0 {
        return "まちの状態を表す指標".to_string();
    }
    cat.policies
        .iter()
        .find(|p| p.number == policy)
        .and_then(|p| p.directions.iter().find(|d| d.number == direction))
        .map_or_else(
            || direction.to_string(),
            |d| format!("{} {}", d.number, d.name),
        )
}

/// Where a figure came from: `file:sheet!C5`, `月次から集計 (合計, 8/12か月)` or
/// `自動計算`.
pub(crate) fn source_label(figure: &Figure) -> String {
    match &figure.source {
        Source::Reported(at) => at.to_string(),
        Source::Months { rule, present, due } => {
            format!("月次から集計 ({}, {present}/{due}か月)", rule.label_ja())
        }
        Source::Computed => "自動計算（改善した指標の数）".to_string(),
    }
}

/// `(8/12か月)` for a figure made from an incomplete set of months, else empty.
pub(crate) fn partial_note(figure: &Figure) -> String {
    figure
        .partial()
        .map_or_else(String::new, |(p, d)| format!("({p}/{d}か月)"))
}
