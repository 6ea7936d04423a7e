//! One submission file, read end to end: bytes → grid → tables → records and findings,
//! with the department and the submission date inferred from the file.

use std::path::Path;
use std::sync::Arc;

use crate::catalogue::Catalogue;
use crate::model::{CellRef, Finding};
use crate::rules::{self, FindingExt};
use crate::values::FileValues;

use super::extract::Extractor;
use super::grid::{Format, Visibility, Workbook};
use super::guard::{Limits, Rejection};
use super::names::Matcher;
use super::table::{find_tables, find_transposed};
use super::template_meta::{missing_rows, read_template_meta, TemplateMeta};

/// Everything read from one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// The path as shown in messages (as given, or relative to the folder given).
    /// Shared with the places of the file's values and findings and with its status.
    pub file: Arc<str>,
    pub department: Option<String>,
    /// A date in the file name (`..._20241120.xlsx`, `2024-11-20`), as `YYYYMMDD`.
    pub name_date: Option<u32>,
    /// Modification time, seconds since the epoch.
    pub modified: Option<i64>,
    pub format: Option<Format>,
    /// For CSV: the detected encoding.
    pub encoding: Option<&'static str>,
    /// The file could not be read at all.
    pub failed: bool,
    /// Number of tables found.
    pub tables: usize,
    /// The values read, packed as each table is read (every one `Used` until the
    /// values are checked and consolidated).
    pub values: FileValues,
    pub findings: Vec<Finding>,
    /// The metadata of a `shukei template` workbook, when the file is one (boxed:
    /// every file's submission is kept to the end of the run, and most are not
    /// templates).
    pub template: Option<Box<TemplateMeta>>,
}

impl Submission {
    fn new(file: &str, catalogue: &Catalogue) -> Self {
        Submission {
            file: Arc::from(file),
            department: department_from_path(file, catalogue),
            name_date: date_from_name(file),
            modified: None,
            format: None,
            encoding: None,
            failed: false,
            tables: 0,
            values: FileValues::default(),
            findings: Vec::new(),
            template: None,
        }
    }
}

impl Submission {
    /// A file that was found but not read because it is not a spreadsheet.
    pub fn skipped(file: &str, catalogue: &Catalogue, finding: Finding) -> Self {
        let mut sub = Submission::new(file, catalogue);
        sub.findings.push(finding);
        sub
    }

    /// A submission whose file could not be read at all.
    pub fn failed(file: &str, catalogue: &Catalogue, rejection: &Rejection) -> Self {
        let mut sub = Submission::new(file, catalogue);
        sub.failed = true;
        sub.findings.push(rejection_finding(file, rejection));
        sub
    }
}

/// Reads one submission from its bytes.
pub fn read_submission(
    file: &str,
    bytes: &[u8],
    catalogue: &Catalogue,
    matcher: &Matcher,
    limits: &Limits,
) -> Submission {
    let mut sub = Submission::new(file, catalogue);
    match super::read_bytes(bytes, file, limits) {
        Ok(outcome) => {
            sub.format = Some(outcome.workbook.format);
            sub.encoding = outcome.workbook.encoding;
            if outcome.lossy_text {
                let at = CellRef::file(file);
                let message =
                    format!("{at}: 文字コードを判別できない文字があり、一部が文字化けしています");
                sub.findings.push(rules::FILE_ENCODING.at(at, message));
            }
            scan_workbook(&mut sub, &outcome.workbook, catalogue, matcher);
            super::grid::recycle(outcome.workbook);
        }
        Err(rejection) => return Submission::failed(file, catalogue, &rejection),
    }
    sub
}

/// The finding for a file that is not read.
pub fn rejection_finding(file: &str, rejection: &Rejection) -> Finding {
    let at = CellRef::file(file);
    let message = format!("{at}: {}", rejection.reason());
    rejection.rule().at(at, message)
}

/// Finds the tables of every sheet and extracts their values. A filled template
/// (see [`super::template_meta`]) names its department and is read by indicator ID.
pub fn scan_workbook(
    sub: &mut Submission,
    workbook: &Workbook,
    catalogue: &Catalogue,
    matcher: &Matcher,
) {
    let mut ex = Extractor::new(sub.file.clone(), catalogue, matcher);
    let template = read_template_meta(workbook);
    if let Some(meta) = &template {
        if catalogue.departments.contains(&meta.department) {
            sub.department = Some(meta.department.clone());
        }
        ex.id_only = true;
    }
    let mut tables = 0;
    for sheet in &workbook.sheets {
        if sheet.visibility == Visibility::VeryHidden && sheet.name.starts_with('_') {
            continue;
        }
        let found = find_tables(sheet);
        let transposed = find_transposed(sheet, matcher, &found);
        let count = found.len() + transposed.len();
        if count > 0 && sheet.visibility != Visibility::Visible {
            let at = CellRef {
                file: ex.file.clone(),
                sheet: Some(sheet.name.clone()),
                cell: None,
            };
            let message = format!("{at}: 非表示のシート「{}」の表も読み取りました", sheet.name);
            ex.findings.push(
                rules::SHEET_HIDDEN
                    .at(at, message)
                    .raw(sheet.name.to_string()),
            );
        }
        for table in &found {
            ex.table(sheet, table);
        }
        for table in &transposed {
            ex.transposed(sheet, table);
        }
        // shukei's own templates are machine-readable by their metadata; lint the rest.
        if template.is_none() {
            let lint = crate::lint::lint_sheet(
                sub.file.clone(),
                workbook.format,
                sheet,
                &found,
                &transposed,
            );
            ex.findings.extend(lint);
        }
        tables += count;
    }
    let value_findings = ex
        .findings
        .iter()
        .any(|f| f.indicator_id.is_some() || f.code == rules::INDICATOR_UNKNOWN.code);
    if template.is_none() {
        ex.findings
            .extend(crate::lint::lint_file(&sub.file, workbook));
    }
    if tables == 0 || (ex.values.is_empty() && !value_findings) {
        let at = CellRef::file(sub.file.clone());
        let message = if tables == 0 {
            format!("{at}: 指標の表が見つかりません（見出しに「指標名」と年度・月の列が必要です）")
        } else {
            format!("{at}: 指標の表はありますが、値がひとつも入力されていません")
        };
        ex.findings.push(rules::SUBMISSION_EMPTY.at(at, message));
    }
    if let Some(meta) = &template {
        let missing = missing_rows(&sub.file, meta, workbook, catalogue, matcher);
        ex.findings.extend(missing);
    }
    sub.template = template.map(Box::new);
    sub.tables = tables;
    // Kept to the end of the run: a list grown by doubling left a third of it unused
    // (8,000 files, 18 values each).
    sub.values = std::mem::take(&mut ex.values);
    sub.values.shrink_to_fit();
    sub.findings.append(&mut ex.findings);
}

/// The department whose name appears in the path, the file name first, the longest name
/// winning (`債権回収特別対策室` before a shorter name inside it).
pub fn department_from_path(file: &str, catalogue: &Catalogue) -> Option<String> {
    let path = Path::new(file);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let normalized = crate::normalize::text::nfkc(&name);
    let find = |text: &str| {
        catalogue
            .departments
            .iter()
            .filter(|d| text.contains(d.as_str()))
            .max_by_key(|d| d.chars().count())
            .cloned()
    };
    find(&normalized).or_else(|| {
        path.ancestors().skip(1).find_map(|p| {
            let dir = p.file_name()?.to_string_lossy();
            find(&crate::normalize::text::nfkc(&dir))
        })
    })
}

/// A date in a file name: `20241120`, `2024-11-20`, `2024_11_20`, as `YYYYMMDD`.
pub fn date_from_name(file: &str) -> Option<u32> {
    let name = Path::new(file).file_stem()?.to_string_lossy();
    let digits_runs = name
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>();
    let candidate = digits_runs
        .iter()
        .find(|s| s.len() == 8)
        .map(|s| s.to_string())
        .or_else(|| {
            digits_runs
                .windows(3)
                .find(|w| w[0].len() == 4 && w[1].len() <= 2 && w[2].len() <= 2)
                .map(|w| format!("{}{:0>2}{:0>2}", w[0], w[1], w[2]))
        })?;
    let value: u32 = candidate.parse().ok()?;
    let (y, m, d) = (value / 10000, value / 100 % 100, value % 100);
    ((2000..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_come_from_file_names() {
        let cases = [
            ("財政課_報告_20241120.xlsx", Some(20241120)),
            ("in/財政課 2024-11-05.xlsx", Some(20241105)),
            ("人事課_R6.xlsx", None),
            ("a_20241340.xlsx", None),
        ];
        for (name, want) in cases {
            assert_eq!(date_from_name(name), want, "input: {name}");
        }
    }

    #[test]
    fn departments_come_from_the_name_or_the_folder() {
        let cat = Catalogue::builtin();
        let cases = [
            ("広報広聴課_令和6年度.xlsx", Some("広報広聴課")),
            ("inbox/人事課/報告.xlsx", Some("人事課")),
            ("不明.xlsx", None),
        ];
        for (name, want) in cases {
            assert_eq!(
                department_from_path(name, &cat).as_deref(),
                want,
                "input: {name}"
            );
        }
    }

    #[test]
    fn repeated_rows_are_matched_as_the_first_and_keep_their_findings() {
        // Rows that repeat their name and ID cells reuse the first match, unless
        // matching reported something: then each row reports it again.
        let cat = Catalogue::builtin();
        let m = Matcher::new(&cat);
        let a = "内部統制制度において識別した不備の件数";
        let csv = format!(
            "指標ID,指標名,単位,令和6年4月,令和6年5月\n\
             32-2-1,{a},件,1,2\n\
             32-2-1,{a},件,3,\n\
             32-2-2,{a},件,4,\n\
             32-2-2,{a},件,5,\n\
             32-2-1,{a},件,6,\n\
             ,存在しない指標,件,7,\n\
             ,存在しない指標,件,8,\n\
             32-2-1,{a},件,9,\n"
        );
        let sub = read_submission("課/a.csv", csv.as_bytes(), &cat, &m, &Limits::default());
        let read: Vec<(&str, f64)> = sub
            .values
            .iter()
            .map(|v| (v.indicator_id(), v.value()))
            .collect();
        let expected = [
            ("32-2-1", 1.0),
            ("32-2-1", 2.0),
            ("32-2-1", 3.0),
            ("32-2-2", 4.0),
            ("32-2-2", 5.0),
            ("32-2-1", 6.0),
            ("32-2-1", 9.0),
        ];
        assert_eq!(read, expected);
        let rows = |code: &str| -> Vec<Option<u32>> {
            sub.findings
                .iter()
                .filter(|f| f.code == code)
                .map(|f| f.at.cell.map(|(row, _)| row))
                .collect()
        };
        assert_eq!(rows(rules::ID_NAME_MISMATCH.code), [Some(3), Some(4)]);
        assert_eq!(rows(rules::INDICATOR_UNKNOWN.code), [Some(6), Some(7)]);
    }

    #[test]
    fn garbage_is_one_finding_not_a_panic() {
        let cat = Catalogue::builtin();
        let m = Matcher::new(&cat);
        let sub = read_submission("x.xlsx", b"not a workbook", &cat, &m, &Limits::default());
        assert!(sub.failed);
        assert_eq!(sub.findings.len(), 1);
        assert_eq!(sub.findings[0].code, "E-FILE-UNREADABLE");
    }
}
