//! The machine-readability score per department: the `MR-…` rules its files meet, out
//! of those that apply, and the 機械判読性 sheet that shows it.
//!
//! A rule applies to a department when it applies to at least one of its files that was
//! read as a spreadsheet; merged cells, formulas and pictures cannot occur in a CSV, so
//! those three do not apply to CSV files. A rule is met when no file of the department
//! has a finding of it. Files without a known department are scored as 担当課不明.

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
        .map(|f| {
            f.department
                .as_deref()
                .unwrap_or(UNKNOWN_DEPARTMENT)
                .to_string()
        })
        .collect();
    departments.sort();
    departments.dedup();
    // (file, code) of every finding, built once: each department checks its files
    // against it instead of scanning all findings per rule.
    let broken: std::collections::HashSet<(&str, &str)> =
        findings.iter().map(|f| (&*f.at.file, f.code)).collect();
    departments
        .into_iter()
        .map(|d| score_of(&d, files, &broken))
        .collect()
}

fn score_of(
    department: &str,
    files: &[FileStatus],
    broken_in: &std::collections::HashSet<(&str, &str)>,
) -> DepartmentScore {
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
        mine.iter()
            .any(|(f, _)| broken_in.contains(&(&*f.file, rule.code)))
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
