//! Feedback workbooks built from the samples, read back with calamine.

use std::io::Cursor;
use std::sync::OnceLock;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

use super::*;
use crate::consolidate::Status;
use crate::pipeline::{run, Options};

fn samples() -> &'static (Catalogue, Consolidated) {
    static RESULT: OnceLock<(Catalogue, Consolidated)> = OnceLock::new();
    RESULT.get_or_init(|| {
        let catalogue = Catalogue::builtin();
        let options = Options {
            inputs: vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples")],
            ..Options::default()
        };
        let result = run(&catalogue, &options, &crate::pipeline::Silent).unwrap();
        (catalogue, result)
    })
}

/// Every sheet as rows of cell texts.
fn read_back(department: &str) -> Vec<(String, Vec<Vec<String>>)> {
    let (catalogue, result) = samples();
    let mut workbook = build_feedback(catalogue, result, department).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let mut xlsx: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    xlsx.sheet_names()
        .into_iter()
        .map(|name| {
            let range = xlsx.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|r| r.iter().map(cell_text).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

fn sheet<'a>(sheets: &'a [(String, Vec<Vec<String>>)], name: &str) -> &'a [Vec<String>] {
    sheets
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, rows)| rows.as_slice())
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

/// The samples' result with one more file of 財政課, `財政課/財政課_大量.xlsx`, holding
/// `n` values of 33-0-1 for FY2024 in column D from row 2 on: `value(i)` gives the
/// `i`th's number, cell text and status.
fn with_big_file(
    result: &Consolidated,
    n: u32,
    value: impl Fn(u32) -> (f64, String, Status),
) -> Consolidated {
    use crate::model::{CellRef, FiscalYear, Record};
    use crate::values::{FileValues, Values};
    let mut result = result.clone();
    let name = "財政課/財政課_大量.xlsx";
    let file: std::sync::Arc<str> = std::sync::Arc::from(name);
    let mut big = FileValues::default();
    big.set_department(Some("財政課".into()));
    for i in 0..n {
        let (number, raw, status) = value(i);
        let record = Record {
            indicator_id: "33-0-1".into(),
            period: Period::Year(FiscalYear(2024)),
            value: number,
            raw,
            at: CellRef::cell(file.clone(), "指標", i + 1, 3),
        };
        big.push(record, status);
    }
    let mut lists: Vec<FileValues> = result.values.per_file().cloned().collect();
    lists.push(big);
    result.values = Values::from_files(lists);
    result.files.push(crate::consolidate::FileStatus {
        file: name.into(),
        department: Some("財政課".into()),
        failed: false,
        values: n as usize,
        errors: 0,
        warnings: 0,
    });
    result
}

#[test]
fn plan_covers_every_department_that_sent_or_owes() {
    let (_, result) = samples();
    let plan = feedback_plan(result);
    let kind = |d: &str| plan.iter().find(|(n, _)| n == d).map(|(_, k)| *k);
    assert_eq!(kind("広報広聴課"), Some(Kind::Return));
    assert_eq!(kind("人事課"), Some(Kind::Return));
    assert_eq!(kind("支え合い協働推進課"), Some(Kind::Receipt));
    assert_eq!(kind("資産管理課"), Some(Kind::Receipt));
    assert_eq!(plan.len(), result.departments.len());
    let files: Vec<&str> = undeliverable(result).iter().map(|f| &*f.file).collect();
    assert_eq!(files.len(), 1);
    assert!(files[0].ends_with("README.md"), "{files:?}");
}

#[test]
fn file_names_are_japanese_and_safe() {
    let nov = Some(Period::Month(crate::model::Month {
        year: 2024,
        month: 11,
    }));
    let fy = Some(Period::Year(crate::model::FiscalYear(2024)));
    let cases = [
        (
            "広報広聴課",
            Kind::Return,
            nov,
            "差し戻し_広報広聴課_令和6年11月.xlsx",
        ),
        (
            "人事課",
            Kind::Receipt,
            fy,
            "受領確認_人事課_令和6年度.xlsx",
        ),
        ("a/b:c", Kind::Return, None, "差し戻し_a_b_c.xlsx"),
    ];
    for (dept, kind, period, want) in cases {
        assert_eq!(
            feedback_file_name(dept, kind, period),
            want,
            "input: {dept}"
        );
    }
}

#[test]
fn return_lists_own_findings_verbatim_errors_first() {
    let (_, result) = samples();
    let sheets = read_back("人事課");
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["概要", "指摘事項", "未提出", "提出内容"]);
    let issues = sheet(&sheets, "指摘事項");
    let header = &issues[table::HEADER_ROW as usize];
    assert_eq!(header[1], "重要度");
    let body = &issues[table::HEADER_ROW as usize + 1..];
    let want: Vec<&Finding> = result
        .findings
        .iter()
        .filter(|f| f.at.file.contains("人事課"))
        .collect();
    assert_eq!(body.len(), want.len());
    for (row, f) in body.iter().zip(&want) {
        assert_eq!(row[1], f.severity.label_ja());
        assert_eq!(row[7], f.text());
        assert_eq!(row[8], f.hint);
    }
    assert_eq!(body[0][1], "エラー");
    assert_eq!(body.last().unwrap()[1], "参考");
}

#[test]
fn owed_sheet_names_the_template_row() {
    let sheets = read_back("人事課");
    let owed = sheet(&sheets, "未提出");
    let body = &owed[table::HEADER_ROW as usize + 1..];
    let ids: Vec<&str> = body.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["32-1-1", "32-1-2", "32-1-4"]);
    assert_eq!(body[0][4], "shukei template の入力様式の ID 32-1-1 の行");
    assert_eq!(body[0][2], "%");
    // 32-1-1 was sent as #DIV/0!: owed, and the remark says why.
    assert!(
        body[0][5].contains("エラーのため採用していません"),
        "{:?}",
        body[0]
    );
}

#[test]
fn values_sheet_shows_status_and_notes_problem_cells() {
    let (_, result) = samples();
    let sheets = read_back("財政課");
    let values = sheet(&sheets, "提出内容");
    let body = &values[table::HEADER_ROW as usize + 1..];
    assert!(
        body.iter().any(|r| r[9] == "置換え（新しい提出を採用）"),
        "{body:?}"
    );
    assert!(body
        .iter()
        .any(|r| r[10].contains("警告: 担当外の課からの値")));
    // Notes are not read by calamine: check the rows that get one.
    let scope = Scope::new(result, "財政課");
    let noted = scope
        .values
        .iter()
        .filter(|v| sheets::test_value_note(**v, &scope.own).is_some())
        .count();
    // superseded D2, the two not-responsible D4 cells, and the cells with a unit typed
    // into the number (MR-UNIT-IN-CELL: D5 and D7 of both files)
    assert_eq!(
        noted, 6,
        "superseded D2, not-responsible D4, units in D5/D7"
    );
}

#[test]
fn receipt_is_short_and_cross_department_findings_are_apart() {
    let sheets = read_back("資産管理課");
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    // 指摘事項 holds only machine-readability advice (MR-…), which alone calls for no
    // 差し戻し: the department still gets a receipt.
    assert_eq!(
        names,
        [
            "受領確認",
            "指摘事項",
            "提出内容",
            "他課からの提出に関する参考"
        ]
    );
    let cover = sheet(&sheets, "受領確認");
    assert!(cover[0][0].contains("受領確認"));
    assert!(cover
        .iter()
        .any(|r| r.iter().any(|c| c.contains("令和6年11月分"))));
    let others = sheet(&sheets, "他課からの提出に関する参考");
    let body = &others[table::HEADER_ROW as usize + 1..];
    assert_eq!(body.len(), 2);
    assert_eq!(body[0][2], "財政課");
}

#[test]
fn output_is_deterministic() {
    let (catalogue, result) = samples();
    let a = build_feedback(catalogue, result, "広報広聴課")
        .unwrap()
        .save_to_buffer()
        .unwrap();
    let b = build_feedback(catalogue, result, "広報広聴課")
        .unwrap()
        .save_to_buffer()
        .unwrap();
    assert_eq!(a, b);
}

#[test]
fn a_department_with_a_thousand_files_gets_its_workbook() {
    // Each file's line alone made the cover cell pass Excel's 32,767 characters.
    let (catalogue, result) = samples();
    let mut result = result.clone();
    let file = |n: usize, failed: bool, errors: usize| crate::consolidate::FileStatus {
        file: format!("財政課/財政課_指標報告_第{n:04}回_令和6年11月分.xlsx").into(),
        department: Some("財政課".into()),
        failed,
        values: 3,
        errors,
        warnings: 1,
    };
    result.files.extend((0..1000).map(|n| file(n, false, 0)));
    result.files.push(file(1000, false, 2));
    result.files.push(file(1001, true, 1));
    let mut workbook = build_feedback(catalogue, &result, "財政課").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let mut xlsx: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let cover = xlsx.worksheet_range_at(0).unwrap().unwrap();
    let received = cover
        .rows()
        .find(|r| {
            r.first()
                .is_some_and(|c| cell_text(c) == "受け付けたファイル")
        })
        .and_then(|r| r.get(1).map(cell_text))
        .expect("the cover names the files received");
    let lines: Vec<&str> = received.lines().collect();
    // As many as fit in Excel's tallest row, then the count of the others.
    let listed = sheets::RECEIVED_LINES - 1;
    assert_eq!(lines.len(), listed + 1);
    // The files to act on come first, and the rest are counted, not dropped.
    assert!(lines[0].contains("第1001回") && lines[0].contains("読み取れませんでした"));
    assert!(lines[1].contains("第1000回") && lines[1].contains("エラー 2 件"));
    let own = result
        .files
        .iter()
        .filter(|f| f.department.as_deref() == Some("財政課"))
        .count();
    let rest = own - listed;
    assert!(
        lines[listed].starts_with(&format!("ほか {rest} ファイル")),
        "{}",
        lines[listed]
    );
}

#[test]
fn a_long_values_sheet_is_streamed_with_each_row_once() {
    // From STREAMED_ROWS rows on, 提出内容 goes through rust_xlsxwriter's low-memory
    // mode, whose last row was once written twice.
    let (catalogue, result) = samples();
    let n = table::STREAMED_ROWS as u32 + 5;
    let result = with_big_file(result, n, |i| (f64::from(i), i.to_string(), Status::Used));
    let mut workbook = build_feedback(catalogue, &result, "財政課").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    // Every sheet part lists its rows once, in order.
    let row = regex::Regex::new(r#"<row r="(\d+)""#).unwrap();
    for (name, xml) in crate::xlsx_parts::sheet_parts(&bytes) {
        let rows: Vec<u32> = row
            .captures_iter(&xml)
            .map(|c| c[1].parse().unwrap())
            .collect();
        assert!(rows.windows(2).all(|w| w[0] < w[1]), "{name}");
    }
    // The big file's values read back whole, in cell order.
    let mut xlsx: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = xlsx.worksheet_range("提出内容").unwrap();
    let raws: Vec<String> = range
        .rows()
        .filter(|r| r.get(6).is_some_and(|c| cell_text(c) == "財政課_大量.xlsx"))
        .map(|r| cell_text(&r[5]))
        .collect();
    let expected: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    assert_eq!(raws, expected);
}

#[test]
fn a_streamed_table_keeps_its_look_with_formats_only_where_needed() {
    // A streamed table writes a plain row's text without a format of its own (its
    // columns give alignment and wrapping, one rule the borders); filled rows and
    // numbers keep theirs. In memory every cell has its borders.
    use crate::xlsx_parts::{cell_xf, sheet_xml, styles_xml, xf_entry};
    let (catalogue, samples) = samples();
    let col_style = regex::Regex::new(r#"<col [^>]*style="(\d+)""#).unwrap();
    for (n, streamed) in [(5, false), (table::STREAMED_ROWS as u32 + 5, true)] {
        // the second value is superseded: a filled row
        let result = with_big_file(samples, n, |i| {
            let status = if i == 1 {
                Status::Superseded
            } else {
                Status::Used
            };
            (f64::from(i) + 0.5, format!("v{i}"), status)
        });
        let bytes = build_feedback(catalogue, &result, "財政課")
            .unwrap()
            .save_to_buffer()
            .unwrap();
        let mut xlsx: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
        let range = xlsx.worksheet_range("提出内容").unwrap();
        assert_eq!(range.start(), Some((0, 0)));
        let row_of = |raw: &str| {
            range
                .rows()
                .position(|r| r.get(5).is_some_and(|c| cell_text(c) == raw))
                .map(|r| r + 1)
                .unwrap()
        };
        let (plain, filled) = (row_of("v0"), row_of("v1"));
        let xf = |a1: String| cell_xf(&bytes, "提出内容", &a1);
        let context = format!("input: {n} values");
        // A plain row's text: bordered in memory, no format of its own streamed.
        let code = xf(format!("A{plain}"));
        assert_eq!(
            code.contains(r#"borderId="0""#),
            streamed,
            "{context}: {code}"
        );
        assert!(code.contains(r#"fillId="0""#), "{context}: {code}");
        // A filled row is filled, and wrapped where its column wraps.
        for col in ["A", "B"] {
            let cell = xf(format!("{col}{filled}"));
            assert!(!cell.contains(r#"fillId="0""#), "{context}: {col}: {cell}");
        }
        assert!(
            xf(format!("B{filled}")).contains(r#"wrapText="1""#),
            "{context}"
        );
        // Numbers keep their number format either way.
        let number = xf(format!("D{plain}"));
        assert!(!number.contains(r#"numFmtId="0""#), "{context}: {number}");
        // Streamed: the columns wrap and align but show nothing on an empty cell, and
        // one rule over the table draws the borders.
        let styles = styles_xml(&bytes);
        let xml = sheet_xml(&bytes, "提出内容");
        let styles_of_cols: Vec<String> = col_style
            .captures_iter(&xml)
            .map(|c| xf_entry(&styles, c[1].parse().unwrap()))
            .collect();
        assert_eq!(!styles_of_cols.is_empty(), streamed, "{context}");
        for style in &styles_of_cols {
            assert!(
                style.contains(r#"borderId="0""#) && style.contains(r#"fillId="0""#),
                "{context}: a column's format shows: {style}"
            );
        }
        let wraps = styles_of_cols.iter().any(|s| s.contains(r#"wrapText="1""#));
        assert_eq!(wraps, streamed, "{context}");
        let last = range
            .rows()
            .rposition(|r| r.first().is_some_and(|c| !cell_text(c).is_empty()))
            .unwrap()
            + 1;
        let rule = format!(r#"<conditionalFormatting sqref="A5:K{last}">"#);
        assert_eq!(xml.contains(&rule), streamed, "{context}: no {rule}");
        if streamed {
            let dxf = styles.split("<dxfs").nth(1).unwrap_or_default();
            assert!(dxf.contains(r#"<left style="thin">"#), "{context}: {dxf}");
        }
    }
}

#[test]
fn values_sheet_lists_exactly_the_departments_own_values() {
    let (_, result) = samples();
    let mut listed = 0;
    for (department, _) in feedback_plan(result) {
        let own: Vec<&str> = result
            .files
            .iter()
            .filter(|f| f.department.as_deref() == Some(department.as_str()))
            .map(|f| &*f.file)
            .collect();
        let mut expected: Vec<String> = result
            .values
            .iter()
            .filter(|v| own.contains(&v.file()))
            .map(|v| format!("{}|{}", file_name(v.file()), v.raw()))
            .collect();
        let sheets = read_back(&department);
        let mut shown: Vec<String> = sheet(&sheets, "提出内容")
            .iter()
            .skip(table::HEADER_ROW as usize + 1)
            .filter(|r| r.get(6).is_some_and(|c| !c.is_empty()))
            .map(|r| format!("{}|{}", r[6], r[5]))
            .collect();
        expected.sort();
        shown.sort();
        assert_eq!(shown, expected, "{department}");
        listed += shown.len();
    }
    // every value of a file with a department is listed once
    let with_department = result
        .values
        .iter()
        .filter(|v| {
            result
                .files
                .iter()
                .any(|f| &*f.file == v.file() && f.department.is_some())
        })
        .count();
    assert_eq!(listed, with_department);
    assert!(listed > 50, "{listed}");
}

#[test]
fn a_table_longer_than_a_sheet_goes_on_over_numbered_sheets() {
    // Excel has 1,048,576 rows: a department that sent 22 files of 50,000 rows got no
    // workbook (rust_xlsxwriter refused row 1,048,577). Tables now go on over sheets
    // `name (2)`, `name (3)`…; here after 10 rows instead of a million.
    let (catalogue, samples) = samples();
    let result = with_big_file(samples, 25, |i| {
        (f64::from(i), format!("v{i}"), Status::Used)
    });
    let read = |sheet_rows: usize| {
        let bytes =
            build_feedback_with(catalogue, &result, "財政課", sheet_rows, sheets::MAX_NOTES)
                .unwrap()
                .save_to_buffer()
                .unwrap();
        let mut xlsx: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        xlsx.sheet_names()
            .into_iter()
            .map(|name| {
                let range = xlsx.worksheet_range(&name).unwrap();
                let rows: Vec<Vec<String>> = range
                    .rows()
                    .map(|r| r.iter().map(cell_text).collect())
                    .collect();
                (name, rows)
            })
            .collect::<Vec<_>>()
    };
    let whole = read(table::SHEET_ROWS);
    let paged = read(10);
    let data_start = table::HEADER_ROW as usize + 1;
    let mut continued = 0;
    for (name, rows) in &whole {
        let parts: Vec<&(String, Vec<Vec<String>>)> = paged
            .iter()
            .filter(|(n, _)| *n == *name || n.starts_with(&format!("{name} (")))
            .collect();
        assert_eq!(parts[0].0, *name);
        let data: Vec<&Vec<String>> = parts
            .iter()
            .flat_map(|(_, rows)| rows.iter().skip(data_start))
            .collect();
        if rows.len() <= data_start {
            continue; // the cover: no table
        }
        assert_eq!(
            data,
            rows.iter().skip(data_start).collect::<Vec<_>>(),
            "{name}"
        );
        let count = parts.len();
        for (i, (part, part_rows)) in parts.iter().enumerate() {
            assert_eq!(*part, crate::report::continued_name(name, i));
            assert!(part_rows.len() - data_start <= 10, "{part}");
            // each sheet has the table's header
            assert_eq!(part_rows[data_start - 1], rows[data_start - 1], "{part}");
            if count > 1 {
                let numbered = format!("（{}/{count}）", i + 1);
                assert!(
                    part_rows[0][0].ends_with(&numbered),
                    "{part}: {}",
                    part_rows[0][0]
                );
            }
        }
        continued += count - 1;
    }
    // 提出内容 (25 values and the samples' own) went on over at least three sheets
    assert!(continued >= 2, "{continued}");
    assert!(paged.iter().any(|(n, _)| n == "提出内容 (3)"));
}

#[test]
fn notes_stop_at_the_cap_and_the_lead_says_so() {
    // Each note costs rust_xlsxwriter about 2.5 KB until the workbook is saved: 900,000
    // of them took gigabytes. Past the cap the values still show their findings'
    // titles and colour, and 指摘事項 lists every finding in full.
    use crate::model::CellRef;
    let (catalogue, samples) = samples();
    let mut result = with_big_file(samples, 8, |i| {
        (f64::from(i), format!("v{i}"), Status::Used)
    });
    let file: std::sync::Arc<str> = std::sync::Arc::from("財政課/財政課_大量.xlsx");
    for i in 0..6 {
        let at = CellRef::cell(file.clone(), "指標", i + 1, 3);
        result
            .findings
            .push(crate::rules::VALUE_NEGATIVE.at(at.clone(), format!("{at}: 負の値 {i}")));
    }
    let noted = |max_notes: usize| {
        let bytes = build_feedback_with(catalogue, &result, "財政課", table::SHEET_ROWS, max_notes)
            .unwrap()
            .save_to_buffer()
            .unwrap();
        let notes: usize = crate::xlsx_parts::parts(&bytes, "xl/comments")
            .iter()
            .map(|(_, xml)| xml.matches("<comment ").count())
            .sum();
        let mut xlsx: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = xlsx.worksheet_range("提出内容").unwrap();
        let lead = range
            .rows()
            .nth(1)
            .map(|r| cell_text(&r[0]))
            .unwrap_or_default();
        let titled = range
            .rows()
            .filter(|r| r.get(10).is_some_and(|c| !cell_text(c).is_empty()))
            .count();
        (notes, lead, titled)
    };
    let (all, lead, titled) = noted(sheets::MAX_NOTES);
    assert!(all >= 6, "{all}");
    assert!(!lead.contains("先頭から"), "{lead}");
    let (capped, lead_capped, titled_capped) = noted(3);
    assert_eq!(capped, 3);
    assert!(lead_capped.contains("先頭から 3 件"), "{lead_capped}");
    assert!(lead_capped.contains("「指摘事項」シート"), "{lead_capped}");
    // every value with a finding still names it in the 指摘 column
    assert_eq!(titled_capped, titled);
    assert!(titled >= all, "{titled} {all}");
}
