//! The machine-readability score per department: the `MR-…` rules its files meet, out
//! of those that apply, and the 機械判読性 sheet that shows it.
//!
//! A rule applies to a department when it applies to at least one of its files that was
//! read as a spreadsheet; merged cells, formulas and pictures cannot occur in a CSV, so
//! those three do not apply to CSV files. A rule is met when no file of the department
//! has a finding of it. Files without a known department are scored as 担当課不明.

use rust_xlsxwriter::{Format as XlsxFormat, Workbook, XlsxError};

use crate::consolidate::FileStatus;
use crate::model::Finding;
use crate::rules::{self, Rule};

/// The lint's rules, in report order.
pub const RULES: &[Rule] = &[
    rules::MR_MULTI_VALUE,
    rules::MR_NUMBER_AS_TEXT,
    rules::MR_UNIT_IN_CELL,
    rules::MR_MERGED_CELLS,
    rules::MR_LAYOUT_SPACES,
    rules::MR_ITEM_OMITTED,
    rules::MR_FORMULA,
    rules::MR_PICTURE,
    rules::MR_UNIT_MISSING,
    rules::MR_MACHINE_DEPENDENT,
    rules::MR_ERA_ONLY,
    rules::MR_SPECIAL_SYMBOL,
    rules::MR_TABLE_SPLIT,
    rules::MR_MULTIPLE_TABLES,
];

/// Rules that cannot be broken in a CSV file.
const WORKBOOK_ONLY: &[&str] = &["MR-MERGED-CELLS", "MR-FORMULA", "MR-PICTURE"];

/// The label for files whose department is not known.
pub const UNKNOWN_DEPARTMENT: &str = "担当課不明";

/// One department's score.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentScore {
    pub department: String,
    /// Files read as spreadsheets.
    pub files: usize,
    /// Rules met.
    pub met: usize,
    /// Rules that apply.
    pub applicable: usize,
    /// Codes of the rules broken, in report order.
    pub broken: Vec<&'static str>,
}

impl DepartmentScore {
    /// Met out of applicable, 0.0–1.0 (1.0 when nothing applies).
    pub fn ratio(&self) -> f64 {
        if self.applicable == 0 {
            1.0
        } else {
            self.met as f64 / self.applicable as f64
        }
    }
}

/// Whether a file was read as a spreadsheet, and whether it is a CSV (by extension).
fn kind_of(file: &FileStatus) -> Option<bool> {
    let ext = crate::ingest::guard::extension(&file.file);
    let readable = crate::inbox::EXTENSIONS.contains(&ext.as_str());
    (readable && !file.failed).then_some(matches!(ext.as_str(), "csv" | "tsv" | "txt"))
}

/// The scores, one per department with at least one file read, sorted by department.
///
/// # Examples
/// ```
/// use shukei::consolidate::FileStatus;
/// let file = FileStatus { file: "in/人事課_R6.csv".into(), department: Some("人事課".into()),
///     failed: false, values: 1, errors: 0, warnings: 0 };
/// let scores = shukei::lint::scores(&[file], &[]);
/// assert_eq!((scores[0].met, scores[0].applicable), (11, 11));
/// ```
pub fn scores(files: &[FileStatus], findings: &[Finding]) -> Vec<DepartmentScore> {
    let mut departments: Vec<String> = files
        .iter()
        .filter(|f| kind_of(f).is_some())
        .map(|f| f.department.clone().unwrap_or(UNKNOWN_DEPARTMENT.into()))
        .collect();
    departments.sort();
    departments.dedup();
    departments
        .into_iter()
        .map(|d| score_of(&d, files, findings))
        .collect()
}

fn score_of(department: &str, files: &[FileStatus], findings: &[Finding]) -> DepartmentScore {
    let mine: Vec<(&FileStatus, bool)> = files
        .iter()
        .filter(|f| f.department.as_deref().unwrap_or(UNKNOWN_DEPARTMENT) == department)
        .filter_map(|f| kind_of(f).map(|csv| (f, csv)))
        .collect();
    let applies = |rule: &Rule| {
        mine.iter()
            .any(|(_, csv)| !*csv || !WORKBOOK_ONLY.contains(&rule.code))
    };
    let is_broken = |rule: &Rule| {
        findings
            .iter()
            .any(|x| x.code == rule.code && mine.iter().any(|(f, _)| f.file == x.at.file))
    };
    let applicable: Vec<&Rule> = RULES.iter().filter(|r| applies(r)).collect();
    let broken: Vec<&'static str> = applicable
        .iter()
        .filter(|r| is_broken(r))
        .map(|r| r.code)
        .collect();
    DepartmentScore {
        department: department.to_string(),
        files: mine.len(),
        met: applicable.len() - broken.len(),
        applicable: applicable.len(),
        broken,
    }
}

/// Adds the sheet 機械判読性: one row per department (担当課, ファイル数, 満たしたルール,
/// 対象ルール, 達成率, 満たしていないルール), then the list of rules.
///
/// # Errors
/// When rust_xlsxwriter refuses a cell or the sheet name.
///
/// # Examples
/// ```
/// let mut wb = rust_xlsxwriter::Workbook::new();
/// shukei::lint::write_score_sheet(&mut wb, &[]).unwrap();
/// assert!(wb.worksheet_from_name("機械判読性").is_ok());
/// ```
pub fn write_score_sheet(
    workbook: &mut Workbook,
    scores: &[DepartmentScore],
) -> Result<(), XlsxError> {
    let bold = XlsxFormat::new().set_bold();
    let percent = XlsxFormat::new().set_num_format("0.0%");
    let sheet = workbook.add_worksheet();
    sheet.set_name("機械判読性")?;
    let headers = [
        "担当課",
        "ファイル数",
        "満たしたルール数",
        "対象ルール数",
        "達成率",
        "満たしていないルール",
    ];
    sheet.write_row_with_format(0, 0, headers, &bold)?;
    for (i, s) in scores.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write(row, 0, &s.department)?;
        sheet.write(row, 1, s.files as u32)?;
        sheet.write(row, 2, s.met as u32)?;
        sheet.write(row, 3, s.applicable as u32)?;
        sheet.write_with_format(row, 4, s.ratio(), &percent)?;
        sheet.write(row, 5, broken_titles(&s.broken))?;
    }
    let top = scores.len() as u32 + 2;
    sheet.write_row_with_format(top, 0, ["コード", "ルール", "直し方"], &bold)?;
    for (i, rule) in RULES.iter().enumerate() {
        let row = top + 1 + i as u32;
        sheet.write_row(row, 0, [rule.code, rule.title, rule.hint])?;
    }
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(5, 60)?;
    Ok(())
}

/// The titles of broken rules, joined with 、.
fn broken_titles(codes: &[&str]) -> String {
    codes
        .iter()
        .filter_map(|c| Rule::by_code(c))
        .map(|r| r.title)
        .collect::<Vec<_>>()
        .join("、")
}
