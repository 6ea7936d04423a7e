//! Unit tests of the report: built from the samples through the pipeline, from an empty
//! result, and from a very large synthetic one; read back with calamine.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

use super::*;
use crate::consolidate::Consolidated;
use crate::model::{CellRef, Severity};
use crate::pipeline::{run, Options};
use crate::xlsx_parts::{cell_xf, sheet_parts, sheet_xml, styles_xml, xf_entry};

fn meta(run_at: &str) -> ReportMeta {
    ReportMeta {
        run_at: run_at.to_string(),
        version: "0.1.0".to_string(),
    }
}

fn samples() -> (Catalogue, Consolidated) {
    let catalogue = Catalogue::builtin();
    let options = Options {
        inputs: vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples")],
        ..Options::default()
    };
    let result = run(&catalogue, &options, &crate::pipeline::Silent).unwrap();
    (catalogue, result)
}

fn bytes(catalogue: &Catalogue, result: &Consolidated, run_at: &str) -> Vec<u8> {
    build_report(catalogue, result, &meta(run_at))
        .unwrap()
        .save_to_buffer()
        .unwrap()
}

/// Every sheet as (name, rows of cell text).
fn dump(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|r| r.iter().map(ToString::to_string).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

fn empty() -> Consolidated {
    Consolidated {
        period: None,
        values: crate::consolidate::Values::default(),
        figures: BTreeMap::new(),
        evaluations: Vec::new(),
        departments: Vec::new(),
        findings: Vec::new(),
        files: Vec::new(),
        improved: 0,
    }
}

/// A result with `n` findings and `n` input files, to fill the long sheets.
fn findings_and_files(n: usize) -> Consolidated {
    let mut result = empty();
    result.findings = (0..n)
        .map(|i| {
            let at = CellRef::cell("a.xlsx", "入力", i as u32, 2);
            crate::rules::VALUE_NONNUMERIC.at(at.clone(), format!("{at}: 値 {i}"))
        })
        .collect();
    result.files = (0..n)
        .map(|i| crate::consolidate::FileStatus {
            file: format!("f{i}.xlsx").into(),
            department: None,
            failed: false,
            values: 0,
            errors: 0,
            warnings: 0,
        })
        .collect();
    result
}

#[test]
fn sheets_are_in_order_with_japanese_names() {
    let (catalogue, result) = samples();
    let names: Vec<String> = dump(&bytes(&catalogue, &result, "2024-11-25 09:00"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let want = [
        "概要",
        "指標一覧",
        "30 協働・情報共有",
        "31 行政サービス",
        "32 行政運営",
        "33 財政運営",
        "月次推移",
        "提出状況",
        "読込ファイル",
        "検証結果",
        "機械判読性",
        "取組項目",
    ];
    assert_eq!(names, want);
}

#[test]
fn same_inputs_give_the_same_bytes() {
    let (catalogue, result) = samples();
    let a = bytes(&catalogue, &result, "2024-11-25 09:00");
    let b = bytes(&catalogue, &result, "2024-11-25 09:00");
    assert!(a == b, "two builds with the same meta differ");
}

#[test]
fn only_the_run_time_changes_with_the_clock() {
    let (catalogue, result) = samples();
    let a = bytes(&catalogue, &result, "2024-11-25 09:00");
    let b = bytes(&catalogue, &result, "2030-01-02 03:04");
    assert_ne!(a, b);
    let scrub = |dumped: Vec<(String, Vec<Vec<String>>)>, run_at: &str| {
        dumped
            .into_iter()
            .map(|(n, rows)| {
                let rows: Vec<Vec<String>> = rows
                    .into_iter()
                    .map(|r| r.into_iter().map(|c| c.replace(run_at, "<RUN>")).collect())
                    .collect();
                (n, rows)
            })
            .collect::<Vec<_>>()
    };
    let da = dump(&a);
    let changed = da
        .iter()
        .flat_map(|(_, rows)| rows.iter().flatten())
        .filter(|c| c.contains("2024-11-25 09:00"))
        .count();
    assert!(changed >= 1, "the run time is shown somewhere");
    assert_eq!(
        scrub(da, "2024-11-25 09:00"),
        scrub(dump(&b), "2030-01-02 03:04")
    );
}

#[test]
fn an_empty_result_still_makes_a_report() {
    let catalogue = Catalogue::builtin();
    let dumped = dump(&bytes(&catalogue, &empty(), "x"));
    let summary = &dumped[0].1;
    assert!(summary.iter().flatten().any(|c| c.starts_with("期間不明")));
    let issues = dumped.iter().find(|(n, _)| n == sheet::ISSUES).unwrap();
    assert_eq!(issues.1[1][0], "問題は見つかりませんでした");
}

#[test]
fn a_huge_issue_list_uses_low_memory_and_keeps_every_row() {
    let catalogue = Catalogue::builtin();
    let mut result = empty();
    let n = LOW_MEMORY_ROWS + 5_000;
    result.findings = (0..n)
        .map(|i| {
            let at = CellRef::cell("big.xlsx", "入力", i as u32, 2);
            let message = format!("{at}: 値 {i} は数値ではありません");
            crate::rules::VALUE_NONNUMERIC.at(at, message)
        })
        .collect();
    // (Its speed is measured by tools/bench.sh, not asserted here.)
    let dumped = dump(&bytes(&catalogue, &result, "x"));
    let issues = dumped.iter().find(|(n, _)| n == sheet::ISSUES).unwrap();
    assert_eq!(issues.1.len(), n + 1);
    assert_eq!(issues.1[1][0], Severity::Error.label_ja());
    assert_eq!(
        issues.1[1][6], "値 0 は数値ではありません",
        "the place prefix is dropped"
    );
    assert_eq!(issues.1[n][4], format!("C{n}"));
}

#[test]
fn indicator_rows_hold_numbers_and_grades() {
    let (catalogue, result) = samples();
    let mut book: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes(&catalogue, &result, "t"))).unwrap();
    let range = book.worksheet_range(sheet::INDICATORS).unwrap();
    assert_eq!(range.height(), catalogue.indicators.len() + 1);
    let row = range
        .rows()
        .find(|r| r[0] == Data::String("31-0-1".into()))
        .unwrap();
    assert_eq!(row[5], Data::Float(66.8), "baseline is a number");
    assert!(
        matches!(row[7], Data::Float(_)),
        "R6 is a number: {:?}",
        row[7]
    );
    assert!(Grade::ALL
        .iter()
        .any(|g| row[14] == Data::String(g.label_ja().into())));
}

#[test]
fn policy_sheet_names_are_safe() {
    let policy = Policy {
        number: 30,
        name: "協働/情報:共有[テスト]とても長い名前がここに続いてExcelの上限を超える".into(),
        purpose: String::new(),
        directions: Vec::new(),
    };
    let name = policy_sheet_name(&policy);
    assert!(name.chars().count() <= 31);
    assert!(
        rust_xlsxwriter::utility::check_sheet_name(&name).is_ok(),
        "{name}"
    );
    assert!(name.starts_with("30 協働・情報・共有・テスト・"));
}

#[test]
fn sources_read_as_the_planning_office_says_them() {
    use crate::catalogue::Aggregation;
    use crate::consolidate::{Figure, Source};
    let cases = [
        (
            Source::Reported(CellRef::cell("a.xlsx", "入力", 4, 2)),
            "a.xlsx:入力!C5",
            "",
        ),
        (
            Source::Months {
                rule: Aggregation::Sum,
                present: 8,
                due: 12,
            },
            "月次から集計 (合計, 8/12か月)",
            "(8/12か月)",
        ),
        (Source::Computed, "自動計算（改善した指標の数）", ""),
    ];
    for (source, label, note) in cases {
        let figure = Figure { value: 1.0, source };
        assert_eq!(source_label(&figure), label);
        assert_eq!(partial_note(&figure), note);
    }
}

#[test]
fn table_cells_carry_their_formats_and_columns_show_nothing() {
    // Column formats are shown on every empty cell of the column (a border down to
    // row 1,048,576 around titles and blank rows): table cells are formatted one by
    // one in memory. A streamed 検証結果 or 読込ファイル gives its columns the cells'
    // formats without borders or fills (nothing an empty cell shows) and writes its
    // cells without a format of their own.
    let catalogue = Catalogue::builtin();
    let style = regex::Regex::new(r#"<col [^>]*style="(\d+)""#).unwrap();
    for n in [3, LOW_MEMORY_ROWS + 3] {
        let bytes = bytes(&catalogue, &findings_and_files(n), "x");
        // 検証結果: severity centred, message wrapped (input: {n} findings).
        assert!(cell_xf(&bytes, sheet::ISSUES, "A2").contains(r#"horizontal="center""#));
        assert!(cell_xf(&bytes, sheet::ISSUES, "G2").contains(r#"wrapText="1""#));
        assert!(!cell_xf(&bytes, sheet::ISSUES, "B2").contains("wrapText"));
        // 読込ファイル: title, blank row, header, the file in row 4.
        assert!(cell_xf(&bytes, sheet::FILES, "F4").contains(r#"wrapText="1""#));
        assert!(cell_xf(&bytes, sheet::FILES, "B4").contains(r#"horizontal="center""#));
        let styles = styles_xml(&bytes);
        let batch = [
            sheet_xml(&bytes, sheet::ISSUES),
            sheet_xml(&bytes, sheet::FILES),
        ];
        for (part, xml) in sheet_parts(&bytes) {
            for found in style.captures_iter(&xml) {
                assert!(
                    n > LOW_MEMORY_ROWS && batch.contains(&xml),
                    "{part} (input: {n} findings): a column outside a streamed table has a format"
                );
                let xf = xf_entry(&styles, found[1].parse().unwrap());
                assert!(
                    xf.contains(r#"borderId="0""#) && xf.contains(r#"fillId="0""#),
                    "{part} (input: {n} findings): a column's format shows: {xf}"
                );
            }
        }
    }
}

#[test]
fn a_streamed_issues_table_draws_its_borders_with_the_severity_rules() {
    // In memory the cells have their borders and the rules only colour; streamed, the
    // cells have none and every rule (one per severity) draws them.
    let catalogue = Catalogue::builtin();
    let rule = regex::Regex::new(r#"<cfRule type="expression" dxfId="(\d+)""#).unwrap();
    for (n, borders) in [(3, false), (LOW_MEMORY_ROWS + 3, true)] {
        let bytes = bytes(&catalogue, &findings_and_files(n), "x");
        let styles = styles_xml(&bytes);
        let dxfs: Vec<&str> = styles
            .split("<dxfs")
            .nth(1)
            .and_then(|d| d.split("</dxfs>").next())
            .unwrap_or_default()
            .split("<dxf>")
            .skip(1)
            .collect();
        let xml = sheet_parts(&bytes)
            .into_iter()
            .map(|(_, xml)| xml)
            .find(|xml| xml.contains(r#"$A2="エラー""#))
            .unwrap();
        let ids: Vec<usize> = rule
            .captures_iter(&xml)
            .map(|c| c[1].parse().unwrap())
            .collect();
        assert_eq!(ids.len(), 3, "input: {n} findings");
        for id in ids {
            assert_eq!(
                dxfs[id].contains(r#"<left style="thin">"#),
                borders,
                "input: {n} findings, rule format {}",
                dxfs[id]
            );
        }
        let a2 = cell_xf(&bytes, sheet::ISSUES, "A2");
        assert_eq!(
            a2.contains(r#"borderId="0""#),
            borders,
            "input: {n} findings: {a2}"
        );
    }
}

/// The `r` of every `<row>` of every worksheet part, by part name.
fn row_numbers(bytes: &[u8]) -> Vec<(String, Vec<u32>)> {
    let row = regex::Regex::new(r#"<row r="(\d+)""#).unwrap();
    sheet_parts(bytes)
        .into_iter()
        .map(|(name, xml)| {
            let rows = row
                .captures_iter(&xml)
                .map(|c| c[1].parse().unwrap())
                .collect();
            (name, rows)
        })
        .collect()
}

#[test]
fn every_sheet_lists_each_row_once_in_order() {
    // Streamed sheets (検証結果 from LOW_MEMORY_ROWS findings, 読込ファイル from as
    // many files) once ended with their last row written twice.
    let catalogue = Catalogue::builtin();
    for n in [3, LOW_MEMORY_ROWS + 3] {
        let result = findings_and_files(n);
        for (part, rows) in row_numbers(&bytes(&catalogue, &result, "x")) {
            assert!(
                rows.windows(2).all(|w| w[0] < w[1]),
                "{part} (input: {n} findings and files): rows {:?}",
                rows.iter().rev().take(3).collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn only_batch_sheets_are_streamed_and_the_report_is_the_same_every_time() {
    // The batch sheets are filled beside the others: only they may share the
    // workbook's tables, or the file would depend on which thread came first.
    let catalogue = Catalogue::builtin();
    let result = findings_and_files(LOW_MEMORY_ROWS + 3);
    let meta = meta("x");
    let ctx = Ctx::new(&catalogue, &result, &meta);
    let parts = Part::all(&catalogue, ctx.issue_sheets());
    assert_eq!(
        parts.iter().filter(|p| p.streamed(&ctx).is_some()).count(),
        2
    );
    assert!(parts
        .iter()
        .all(|p| p.streamed(&ctx).is_none() || p.grows_with_batch()));
    let first = bytes(&catalogue, &result, "x");
    for _ in 0..3 {
        assert!(bytes(&catalogue, &result, "x") == first);
    }
}

#[test]
fn the_streamed_sheets_make_the_same_file_whichever_is_filled_first() {
    // 検証結果 and 読込ファイル are filled side by side and both number their formats
    // in the workbook's table: the formats are numbered before, or the file would
    // depend on which thread came first.
    let catalogue = Catalogue::builtin();
    let mut result = findings_and_files(LOW_MEMORY_ROWS + 3);
    result.files[1].failed = true;
    let meta = meta("x");
    let saved = |fill| {
        build_report_filled(&catalogue, &result, &meta, issues::SHEET_ROWS, fill)
            .unwrap()
            .save_to_buffer()
            .unwrap()
    };
    let first = saved(Fill::IssuesFirst);
    assert!(saved(Fill::IssuesLast) == first);
    assert!(saved(Fill::SideBySide) == first);
    let ctx = Ctx::new(&catalogue, &result, &meta);
    let strings: Vec<_> = Part::all(&catalogue, 1)
        .iter()
        .filter_map(|p| p.streamed(&ctx))
        .collect();
    assert_eq!(strings, [Strings::Inline, Strings::Shared]);
}

#[test]
fn a_department_row_names_ten_files_and_counts_the_rest() {
    let catalogue = Catalogue::builtin();
    let mut result = empty();
    let department = |files: usize| crate::consolidate::DepartmentStatus {
        department: format!("課{files}"),
        expected: Vec::new(),
        files: (1..=files)
            .map(|i| format!("in/f{i:02}.xlsx").into())
            .collect(),
        owed: Vec::new(),
        errors: 0,
        standing: crate::consolidate::Standing::Complete,
    };
    result.departments = vec![department(10), department(12)];
    let dumped = dump(&bytes(&catalogue, &result, "x"));
    let status = &dumped.iter().find(|(n, _)| n == sheet::STATUS).unwrap().1;
    let names = |dept: &str| {
        let row = status.iter().find(|r| r[0] == dept).unwrap();
        row[5].lines().map(str::to_string).collect::<Vec<_>>()
    };
    let ten = names("課10");
    assert_eq!(ten.len(), 10);
    assert_eq!(ten[9], "f10.xlsx");
    let twelve = names("課12");
    assert_eq!(twelve.len(), 11);
    assert_eq!(twelve[9], "f10.xlsx");
    assert_eq!(twelve[10], "ほか 2 件（「読込ファイル」シート）");
}

#[test]
fn a_file_that_could_not_be_read_is_marked_in_red() {
    // in memory and streamed (the cells then take their columns' formats, and a rule
    // over the table draws the borders)
    let catalogue = Catalogue::builtin();
    let rule = regex::Regex::new(
        r#"<cfRule type="expression" dxfId="(\d+)"[^>]*><formula>TRUE</formula>"#,
    )
    .unwrap();
    for (n, streamed) in [(2, false), (LOW_MEMORY_ROWS + 3, true)] {
        let mut result = findings_and_files(n);
        if let Some(f) = result.files.get_mut(1) {
            f.failed = true;
        }
        let bytes = bytes(&catalogue, &result, "x");
        let dumped = dump(&bytes);
        let files = &dumped.iter().find(|(n, _)| n == sheet::FILES).unwrap().1;
        assert_eq!(files[3][1], "読込済");
        assert_eq!(files[4][1], "読込失敗");
        assert_eq!(files[4][5], "f1.xlsx");
        assert!(cell_xf(&bytes, sheet::FILES, "B4").contains(r#"fillId="0""#));
        assert!(!cell_xf(&bytes, sheet::FILES, "B5").contains(r#"fillId="0""#));
        for cell in ["A4", "B4", "C4", "F4"] {
            let xf = cell_xf(&bytes, sheet::FILES, cell);
            assert_eq!(
                xf.contains(r#"borderId="0""#),
                streamed,
                "{n} files, {cell}: {xf}"
            );
        }
        let xml = sheet_xml(&bytes, sheet::FILES);
        let rules: Vec<usize> = rule
            .captures_iter(&xml)
            .map(|c| c[1].parse().unwrap())
            .collect();
        assert_eq!(rules.len(), usize::from(streamed), "{n} files");
        if streamed {
            assert!(
                xml.contains(&format!(r#"sqref="A4:F{}""#, n + 3)),
                "{n} files"
            );
            let styles = styles_xml(&bytes);
            let dxf = styles.split("<dxf>").nth(rules[0] + 1).unwrap();
            assert!(dxf.contains(r#"<left style="thin">"#), "{dxf}");
        }
    }
}

#[test]
fn findings_beyond_a_sheet_go_on_over_numbered_issue_sheets() {
    // Excel has 1,048,576 rows: a million findings made rust_xlsxwriter refuse the
    // row past the last and no report was written. 検証結果 now goes on over
    // `検証結果 (2)`…, each with its header; here after 10 findings instead of a million.
    let catalogue = Catalogue::builtin();
    let result = findings_and_files(25);
    let paged = |per_sheet: usize| {
        let bytes = build_report_with(&catalogue, &result, &meta("x"), per_sheet)
            .unwrap()
            .save_to_buffer()
            .unwrap();
        dump(&bytes)
    };
    let whole = paged(issues::SHEET_ROWS);
    let parts = paged(10);
    let rows_of = |sheets: &[(String, Vec<Vec<String>>)], name: &str| {
        sheets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, rows)| rows.clone())
            .unwrap_or_else(|| panic!("no sheet {name}"))
    };
    let all = rows_of(&whole, sheet::ISSUES);
    assert_eq!(all.len(), 26);
    let names = ["検証結果", "検証結果 (2)", "検証結果 (3)"];
    let mut joined = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let rows = rows_of(&parts, name);
        assert_eq!(rows[0], all[0], "{name}: the header");
        assert_eq!(rows.len() - 1, [10, 10, 5][i], "{name}");
        joined.extend(rows.into_iter().skip(1));
    }
    assert_eq!(joined, all[1..]);
    // in tab order, right after the first, and listed on the summary
    let order: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    let first = order.iter().position(|n| *n == sheet::ISSUES).unwrap();
    assert_eq!(order[first..first + 3], names);
    assert!(!order.contains(&"検証結果 (4)"));
    let summary = rows_of(&parts, sheet::SUMMARY);
    for name in &names[1..] {
        assert!(
            summary.iter().any(|r| r.first().is_some_and(|c| c == name)),
            "{name}"
        );
    }
    assert_eq!(whole.len() + 2, parts.len());
}

#[test]
fn each_issue_sheet_is_measured_from_its_own_findings() {
    // The first sheet's widths and heights are measured on the other thread; the
    // sheets after it measure their own findings.
    let catalogue = Catalogue::builtin();
    let mut result = empty();
    result.findings = (0..25)
        .map(|i| {
            // A longer file name on each sheet of 10, a longer message on each row.
            let file = format!("{}.xlsx", "長い名前".repeat(i / 10 * 3 + 1));
            let at = CellRef::cell(file.as_str(), "入力", i as u32, 2);
            let text = "値が読めません".repeat(i + 1);
            crate::rules::VALUE_NONNUMERIC.at(at.clone(), format!("{at}: {text}"))
        })
        .collect();
    let saved = |per_sheet: usize| {
        build_report_with(&catalogue, &result, &meta("x"), per_sheet)
            .unwrap()
            .save_to_buffer()
            .unwrap()
    };
    let row = regex::Regex::new(r#"<row r="(\d+)"([^>]*)>"#).unwrap();
    let height = regex::Regex::new(r#"ht="([0-9.]+)""#).unwrap();
    let heights = |xml: &str| -> Vec<String> {
        row.captures_iter(xml)
            .filter(|c| &c[1] != "1")
            .map(|c| {
                height
                    .captures(&c[2])
                    .map_or("-".into(), |h| h[1].to_string())
            })
            .collect()
    };
    let file_width = |xml: &str| -> f64 {
        let col = regex::Regex::new(r#"<col min="3" max="3" width="([0-9.]+)""#).unwrap();
        col.captures(xml).map_or(0.0, |c| c[1].parse().unwrap())
    };
    let whole = saved(issues::SHEET_ROWS);
    let all = heights(&sheet_xml(&whole, sheet::ISSUES));
    assert_eq!(all.len(), 25);
    let parts = saved(10);
    let names = ["検証結果", "検証結果 (2)", "検証結果 (3)"];
    let sheets: Vec<String> = names.iter().map(|n| sheet_xml(&parts, n)).collect();
    let joined: Vec<String> = sheets.iter().flat_map(|xml| heights(xml)).collect();
    assert_eq!(joined, all);
    assert_ne!(all.first(), all.last(), "the rows differ in height");
    let widths: Vec<f64> = sheets.iter().map(|xml| file_width(xml)).collect();
    assert!(widths[0] < widths[1] && widths[1] < widths[2], "{widths:?}");
}
