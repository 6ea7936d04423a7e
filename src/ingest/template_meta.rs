//! Recognising a filled `shukei template` workbook by its very hidden `_shukei` sheet
//! (see [`crate::template`]): the template version, the department, the fiscal year and
//! the indicator ID of each input row.
//!
//! With the metadata, [`super::submission::scan_workbook`] takes the department from it
//! (not from the file name), matches rows by their ID column only (no name guessing),
//! and reports each template row that is gone (W-TEMPLATE-ROW-MISSING). Sorting rows,
//! inserting rows and renaming the input sheet change nothing, since rows are found by
//! ID and tables by their headings. A workbook without the sheet, or with metadata of an
//! unknown format or a newer version, is read as any other submission.

use std::collections::BTreeSet;

use crate::catalogue::Catalogue;
use crate::model::{CellRef, Finding, FiscalYear};
use crate::normalize::era::parse_period_arg;
use crate::rules::{self, FindingExt};
use crate::template::{keys, META_FORMAT, META_SHEET, TEMPLATE_VERSION};

use super::grid::{Sheet, Value, Workbook};
use super::names::{Matcher, NameMatch};
use super::table::{find_tables, ColumnKind, Table};

/// What a template's metadata says.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateMeta {
    pub version: u32,
    /// The department the template was made for.
    pub department: String,
    /// The fiscal year of the template, when readable.
    pub fiscal_year: Option<FiscalYear>,
    pub catalogue_version: String,
    /// The indicator IDs of the input rows, in template order.
    pub indicators: Vec<String>,
}

/// Reads the metadata of a template, or `None` for any other workbook.
///
/// # Examples
/// ```
/// use shukei::ingest::grid::{Sheet, Value, Workbook, Format};
/// use shukei::ingest::template_meta::read_template_meta;
/// let t = |s: &str| Value::Text(s.to_string());
/// let meta = Sheet::from_rows("_shukei", vec![
///     vec![t("format"), t("shukei-template")],
///     vec![t("version"), t("1")],
///     vec![t("department"), t("人事課")],
///     vec![t("fiscal_year"), t("FY2025")],
///     vec![t("indicator"), t("32-0-1")],
/// ]);
/// let wb = Workbook { format: Format::Xlsx, sheets: vec![meta], defined_names: vec![], encoding: None, has_drawings: false };
/// let read = read_template_meta(&wb).unwrap();
/// assert_eq!((read.department.as_str(), read.indicators.len()), ("人事課", 1));
/// ```
pub fn read_template_meta(workbook: &Workbook) -> Option<TemplateMeta> {
    let sheet = workbook.sheets.iter().find(|s| *s.name == *META_SHEET)?;
    let rows = key_values(sheet);
    let get = |key: &str| {
        rows.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
    };
    if get(keys::FORMAT)? != META_FORMAT {
        return None;
    }
    let version: u32 = get(keys::VERSION)?.parse().ok()?;
    if version == 0 || version > TEMPLATE_VERSION {
        return None;
    }
    let fiscal_year = get(keys::FISCAL_YEAR)
        .and_then(|s| parse_period_arg(&s).ok())
        .map(|p| p.fiscal_year());
    Some(TemplateMeta {
        version,
        department: get(keys::DEPARTMENT)?,
        fiscal_year,
        catalogue_version: get(keys::CATALOGUE_VERSION).unwrap_or_default(),
        indicators: rows
            .iter()
            .filter(|(k, _)| k == keys::INDICATOR)
            .map(|(_, v)| v.trim().to_string())
            .collect(),
    })
}

/// The first two cells of every row of the metadata sheet, as text.
fn key_values(sheet: &Sheet) -> Vec<(String, String)> {
    let (row0, col0) = sheet.start;
    let (row_end, _) = sheet.end();
    (row0..row_end)
        .map(|r| {
            (
                sheet.get(r, col0).display().trim().to_string(),
                sheet.get(r, col0 + 1).display(),
            )
        })
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

/// W-TEMPLATE-ROW-MISSING for each template indicator that no table row carries any
/// more: by the ID column, or by the name for a table whose ID column was removed.
pub fn missing_rows(
    file: &str,
    meta: &TemplateMeta,
    workbook: &Workbook,
    catalogue: &Catalogue,
    matcher: &Matcher,
) -> Vec<Finding> {
    let mut present = BTreeSet::new();
    let mut input_sheet = None;
    for sheet in workbook.sheets.iter().filter(|s| *s.name != *META_SHEET) {
        for table in find_tables(sheet) {
            input_sheet.get_or_insert(sheet.name.clone());
            present.extend(row_ids(sheet, &table, matcher));
        }
    }
    let at = CellRef {
        file: file.into(),
        sheet: input_sheet,
        cell: None,
    };
    meta.indicators
        .iter()
        .filter(|id| !present.contains(id.as_str()))
        .map(|id| {
            let name = catalogue.indicator(id).map_or("", |i| i.name.as_str());
            let message = format!(
                "{at}: 様式の行「{id} {name}」が見つかりません（行が削除されたか、ID が変更されています）"
            );
            rules::TEMPLATE_ROW_MISSING
                .at(at.clone(), message)
                .indicator(id)
                .raw(id.clone())
        })
        .collect()
}

/// The catalogue IDs of a table's rows: from the ID column, or from the names when the
/// table has no ID column.
fn row_ids(sheet: &Sheet, table: &Table, matcher: &Matcher) -> Vec<String> {
    let id_col = table.column_of(&ColumnKind::Id);
    (table.data_start..table.data_end)
        .filter_map(|row| match id_col {
            Some(col) => matcher.match_id(&sheet.get(row, col).display()),
            None => match sheet.get_merged(row, table.name_col) {
                Value::Text(name) => match matcher.match_name(name) {
                    NameMatch::Exact(id) | NameMatch::Alias(id) => Some(id),
                    NameMatch::Unknown { .. } => None,
                },
                _ => None,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::grid::Format;
    use crate::ingest::submission::{scan_workbook, Submission};
    use crate::ingest::{read_bytes, Limits};

    fn t(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    fn meta_sheet(format: &str, version: &str) -> Sheet {
        Sheet::from_rows(
            META_SHEET,
            vec![
                vec![t("format"), t(format)],
                vec![t("version"), t(version)],
                vec![t("department"), t("人事課")],
                vec![t("fiscal_year"), t("FY2025")],
                vec![t("indicator"), t("32-0-1")],
                vec![t("indicator"), t("32-0-2")],
            ],
        )
    }

    fn workbook(sheets: Vec<Sheet>) -> Workbook {
        Workbook {
            format: Format::Xlsx,
            sheets,
            defined_names: vec![],
            encoding: None,
            has_drawings: false,
        }
    }

    #[test]
    fn metadata_is_read_only_from_a_known_format_and_version() {
        let meta = read_template_meta(&workbook(vec![meta_sheet(META_FORMAT, "1")])).unwrap();
        assert_eq!(meta.fiscal_year, Some(FiscalYear(2025)));
        assert_eq!(meta.indicators, ["32-0-1", "32-0-2"]);
        for (format, version) in [("other", "1"), (META_FORMAT, "2"), (META_FORMAT, "x")] {
            let wb = workbook(vec![meta_sheet(format, version)]);
            assert_eq!(read_template_meta(&wb), None, "input: {format} {version}");
        }
        assert_eq!(read_template_meta(&workbook(vec![])), None);
    }

    /// A table with an ID column: the second row's ID is changed, the first row has a
    /// name that matches another indicator than its ID.
    fn input_sheet() -> Sheet {
        Sheet::from_rows(
            "入力",
            vec![
                vec![t("ID"), t("指標名"), t("令和7年度")],
                vec![t("32-0-1"), t("市税収納率"), Value::Number(15.0)],
                vec![
                    t("32-0-9"),
                    t("類似団体における職員数の順位"),
                    Value::Number(3.0),
                ],
            ],
        )
    }

    #[test]
    fn template_rows_are_matched_by_id_only() {
        let catalogue = Catalogue::builtin();
        let matcher = Matcher::new(&catalogue);
        let wb = workbook(vec![input_sheet(), meta_sheet(META_FORMAT, "1")]);
        let mut sub = Submission::skipped(
            "x.xlsx",
            &catalogue,
            rules::FILE_EMPTY.at(CellRef::file("x"), String::new()),
        );
        sub.findings.clear();
        scan_workbook(&mut sub, &wb, &catalogue, &matcher);
        assert_eq!(sub.department.as_deref(), Some("人事課"));
        let ids: Vec<&str> = sub.values.iter().map(|v| v.indicator_id()).collect();
        assert_eq!(ids, ["32-0-1"]);
        let codes: Vec<&str> = sub.findings.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            [
                "E-INDICATOR-UNKNOWN",
                "I-VALUE-UNASSIGNED",
                "W-TEMPLATE-ROW-MISSING"
            ]
        );
        assert_eq!(sub.findings[2].indicator_id.as_deref(), Some("32-0-2"));
    }

    #[test]
    fn a_generated_template_is_recognised() {
        let catalogue = Catalogue::builtin();
        let fy = FiscalYear(2025);
        let mut wb = crate::template::build_template(&catalogue, "財政課", fy).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let read = read_bytes(&bytes, "t.xlsx", &Limits::default()).unwrap();
        let meta = read_template_meta(&read.workbook).unwrap();
        assert_eq!(meta.department, "財政課");
        assert_eq!(meta.catalogue_version, catalogue.version);
        let want: Vec<String> = catalogue
            .indicators_of("財政課")
            .map(|i| i.id.clone())
            .collect();
        assert_eq!(meta.indicators, want);
        let matcher = Matcher::new(&catalogue);
        assert!(missing_rows("t.xlsx", &meta, &read.workbook, &catalogue, &matcher).is_empty());
    }
}
