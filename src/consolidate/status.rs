//! Submission status: which files each department sent, how they read, and which
//! indicators it still owes for the reporting period.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::catalogue::{Aggregation, Catalogue, Indicator};
use crate::ingest::Submission;
use crate::model::{Finding, Period, Severity};

use super::{is_improvement_count, Figure, Values};

/// How a department stands for the reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Complete,
    Partial,
    Missing,
    HasErrors,
}

impl Standing {
    /// 提出済 / 一部未提出 / 未提出 / エラーあり.
    pub fn label_ja(self) -> &'static str {
        match self {
            Standing::Complete => "提出済",
            Standing::Partial => "一部未提出",
            Standing::Missing => "未提出",
            Standing::HasErrors => "エラーあり",
        }
    }
}

/// One department's submission status.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentStatus {
    pub department: String,
    /// Indicators it is responsible for.
    pub expected: Vec<String>,
    /// Files received from it.
    pub files: Vec<Arc<str>>,
    /// Indicators still owed for the reporting period.
    pub owed: Vec<String>,
    pub errors: usize,
    pub standing: Standing,
}

/// A file as listed in the report.
#[derive(Debug, Clone, PartialEq)]
pub struct FileStatus {
    /// Shared with the file's submission, values and findings.
    pub file: Arc<str>,
    /// Shared by the files of a department.
    pub department: Option<Arc<str>>,
    pub failed: bool,
    pub values: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// The departments of the submissions, each name once: every file of a department
/// shares it (8,000 small files kept 8,000 copies of a few names).
pub(super) type Departments = foldhash::HashMap<String, Arc<str>>;

/// Each submission's department, once (see [`Departments`]).
pub(super) fn departments(subs: &[Submission]) -> Departments {
    let mut shared = Departments::default();
    for d in subs.iter().filter_map(|s| s.department.as_deref()) {
        if !shared.contains_key(d) {
            shared.insert(d.to_string(), Arc::from(d));
        }
    }
    shared
}

/// The shared name of department `d` (a name missing from `departments` is made anew).
pub(super) fn shared_department(departments: &Departments, d: &str) -> Arc<str> {
    departments.get(d).cloned().unwrap_or_else(|| Arc::from(d))
}

/// Per-file counts, tallied in one pass over values and findings (a scan of every
/// finding per file was quadratic: 2,000 files × their findings).
pub(super) fn file_statuses(
    subs: &[Submission],
    values: &Values,
    findings: &[Finding],
    departments: &Departments,
) -> Vec<FileStatus> {
    // (values, errors, warnings) per file name. The paths are hashed twice per file and
    // once per finding: foldhash rather than SipHash.
    let mut counts: foldhash::HashMap<&str, (usize, usize, usize)> =
        foldhash::HashMap::with_capacity_and_hasher(subs.len(), Default::default());
    for list in values.per_file() {
        if let Some(v) = list.get(0) {
            counts.entry(v.file()).or_default().0 += list.len();
        }
    }
    for f in findings {
        let entry = counts.entry(&*f.at.file).or_default();
        match f.severity {
            Severity::Error => entry.1 += 1,
            Severity::Warning => entry.2 += 1,
            Severity::Info => {}
        }
    }
    subs.iter()
        .map(|s| {
            let (values, errors, warnings) = counts.get(&*s.file).copied().unwrap_or_default();
            FileStatus {
                file: s.file.clone(),
                department: s
                    .department
                    .as_deref()
                    .map(|d| shared_department(departments, d)),
                failed: s.failed,
                values,
                errors,
                warnings,
            }
        })
        .collect()
}

/// Whether an indicator counts as reported for the reporting period.
pub(super) fn reported(
    figures: &BTreeMap<(String, Period), Figure>,
    ind: &Indicator,
    period: Option<Period>,
) -> bool {
    match period {
        None => false,
        Some(Period::Year(fy)) => figures.contains_key(&(ind.id.clone(), Period::Year(fy))),
        Some(Period::Month(m)) if ind.aggregation == Aggregation::Annual => {
            figures.contains_key(&(ind.id.clone(), Period::Year(m.fiscal_year())))
                || figures
                    .keys()
                    .any(|(id, p)| *id == ind.id && p.fiscal_year() == m.fiscal_year())
        }
        Some(Period::Month(m)) => {
            figures.contains_key(&(ind.id.clone(), Period::Month(m)))
                || figures.contains_key(&(ind.id.clone(), Period::Year(m.fiscal_year())))
        }
    }
}

pub(super) fn department_statuses(
    catalogue: &Catalogue,
    subs: &[Submission],
    figures: &BTreeMap<(String, Period), Figure>,
    period: Option<Period>,
    findings: &[Finding],
) -> Vec<DepartmentStatus> {
    let responsible: BTreeSet<&str> = catalogue
        .indicators
        .iter()
        .map(|i| i.department.as_str())
        .collect();
    let senders: BTreeSet<&str> = subs
        .iter()
        .filter_map(|s| s.department.as_deref())
        .collect();
    // Error findings per file, counted once (not once per department and file).
    let mut errors_by_file: HashMap<&str, usize> = HashMap::new();
    for f in findings.iter().filter(|f| f.severity == Severity::Error) {
        *errors_by_file.entry(&*f.at.file).or_default() += 1;
    }
    catalogue
        .departments
        .iter()
        .filter(|d| responsible.contains(d.as_str()) || senders.contains(d.as_str()))
        .map(|dept| {
            let expected: Vec<&Indicator> = catalogue
                .indicators
                .iter()
                .filter(|i| i.department == *dept && !is_improvement_count(i))
                .collect();
            let files: Vec<Arc<str>> = subs
                .iter()
                .filter(|s| s.department.as_deref() == Some(dept))
                .map(|s| s.file.clone())
                .collect();
            let owed: Vec<String> = expected
                .iter()
                .filter(|i| !reported(figures, i, period))
                .map(|i| i.id.clone())
                .collect();
            let errors = files
                .iter()
                .map(|f| &**f)
                .collect::<BTreeSet<&str>>()
                .into_iter()
                .map(|f| errors_by_file.get(f).copied().unwrap_or(0))
                .sum();
            let standing = if files.is_empty() {
                Standing::Missing
            } else if errors > 0 {
                Standing::HasErrors
            } else if owed.is_empty() {
                Standing::Complete
            } else {
                Standing::Partial
            };
            DepartmentStatus {
                department: dept.clone(),
                expected: expected.iter().map(|i| i.id.clone()).collect(),
                files,
                owed,
                errors,
                standing,
            }
        })
        .collect()
}
