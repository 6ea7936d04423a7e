//! Lint rules on in-memory grids, and the per-department score.

use super::*;
use crate::consolidate::FileStatus;
use crate::ingest::grid::Merge;

fn t(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// 指標名 | 単位 | 2024年度, two rows of numbers.
fn clean_sheet() -> Sheet {
    Sheet::from_rows(
        "入力",
        vec![
            vec![t("指標名"), t("単位"), t("2024年度")],
            vec![t("市税収納率"), t("%"), Value::Number(97.1)],
            vec![t("協働による事業実施数"), t("事業"), Value::Number(78.0)],
        ],
    )
}

fn lint(sheet: &Sheet, format: Format) -> Vec<Finding> {
    lint_sheet("a.xlsx", format, sheet, &find_tables(sheet), &[])
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

#[test]
fn a_clean_sheet_has_no_findings() {
    assert_eq!(
        codes(&lint(&clean_sheet(), Format::Xlsx)),
        Vec::<&str>::new()
    );
}

#[test]
fn merges_are_one_finding_naming_every_range() {
    let mut sheet = clean_sheet();
    for (r, c0, c1) in [(0, 0, 0), (1, 0, 1)] {
        sheet.merges.push(Merge {
            first_row: r,
            first_col: c0,
            last_row: r + 1,
            last_col: c1,
        });
    }
    let found = lint(&sheet, Format::Xlsx);
    let merged: Vec<&Finding> = found
        .iter()
        .filter(|f| f.code == "MR-MERGED-CELLS")
        .collect();
    assert_eq!(merged.len(), 1);
    assert!(
        merged[0].message().to_string().contains("A1:A2、A2:B3"),
        "{}",
        merged[0].message().to_string()
    );
    assert_eq!(merged[0].at.a1(), "A1");
}

#[test]
fn machine_dependent_chars_are_read_before_nfkc() {
    let mut sheet = clean_sheet();
    sheet.cells[3] = t("市税収納率①");
    sheet.cells[6] = t("㈱協働による事業実施数");
    let found = lint(&sheet, Format::Xlsx);
    let md: Vec<&Finding> = found
        .iter()
        .filter(|f| f.code == "MR-MACHINE-DEPENDENT")
        .collect();
    assert_eq!(md.len(), 1, "{found:?}");
    assert!(
        md[0].message().to_string().contains("①㈱"),
        "{}",
        md[0].message().to_string()
    );
    assert!(
        md[0].message().to_string().contains("A2、A3"),
        "{}",
        md[0].message().to_string()
    );
}

#[test]
fn many_bad_cells_make_one_finding() {
    let mut rows = vec![vec![t("指標名"), t("単位"), t("2024年度")]];
    for i in 0..30 {
        rows.push(vec![t(&format!("指標{i}")), t("件"), t("1,234")]);
    }
    let sheet = Sheet::from_rows("入力", rows);
    let found = lint(&sheet, Format::Xlsx);
    assert_eq!(codes(&found), ["MR-NUMBER-AS-TEXT"]);
    assert!(
        found[0].message().to_string().contains("ほか 22 か所"),
        "{}",
        found[0].message().to_string()
    );
}

#[test]
fn csv_numbers_are_text_only_when_not_plain() {
    let mut sheet = clean_sheet();
    sheet.cells[5] = t("97.1");
    assert!(lint(&sheet, Format::Csv).is_empty());
    sheet.cells[5] = t("△97.1");
    assert_eq!(codes(&lint(&sheet, Format::Csv)), ["MR-NUMBER-AS-TEXT"]);
}

#[test]
fn a_sheet_without_indicator_tables_is_read_as_a_plain_table() {
    let sheet = Sheet::from_rows(
        "",
        vec![
            vec![t("コード"), t("名称"), t("単位"), t("値")],
            vec![t("1"), t("市税収納率"), t("%"), t("97.1")],
            vec![],
            vec![t("2"), t("同上"), t("%"), t("*** ")],
        ],
    );
    let found = lint_sheet("x.csv", Format::Csv, &sheet, &[], &[]);
    let got = codes(&found);
    for code in ["MR-ITEM-OMITTED", "MR-SPECIAL-SYMBOL", "MR-TABLE-SPLIT"] {
        assert!(got.contains(&code), "{code} missing from {got:?}");
    }
}

#[test]
fn hidden_sheets_without_tables_are_not_linted() {
    let mut sheet = Sheet::from_rows("_lists", vec![vec![t("①"), t("②")], vec![t("a"), t("b")]]);
    sheet.visibility = Visibility::Hidden;
    assert!(lint_sheet("a.xlsx", Format::Xlsx, &sheet, &[], &[]).is_empty());
}

fn file(name: &str, dept: &str) -> FileStatus {
    FileStatus {
        file: name.into(),
        department: Some(dept.into()),
        failed: false,
        values: 1,
        errors: 0,
        warnings: 0,
    }
}

#[test]
fn scores_count_rules_met_out_of_those_that_apply() {
    let files = [
        file("in/人事課_a.xlsx", "人事課"),
        file("in/収税課_a.csv", "収税課"),
        file("in/README.md", "収税課"),
    ];
    let at = CellRef::cell("in/人事課_a.xlsx", "s", 0, 0);
    let findings = [
        crate::rules::MR_MERGED_CELLS.at(at.clone(), String::new()),
        crate::rules::MR_ERA_ONLY.at(at, String::new()),
    ];
    let got = scores(&files, &findings);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].department, "人事課");
    assert_eq!((got[0].met, got[0].applicable), (12, 14));
    assert_eq!(got[0].broken, ["MR-MERGED-CELLS", "MR-ERA-ONLY"]);
    assert_eq!(got[1].department, "収税課");
    assert_eq!((got[1].met, got[1].applicable, got[1].files), (11, 11, 1));
    assert!((got[0].ratio() - 12.0 / 14.0).abs() < 1e-12);
}
