//! `shukei lint`: one generated workbook per rule that breaks it, one clean workbook that
//! passes every rule, and opendata.csv passing the lint itself.

use rust_xlsxwriter::{Formula, Image, Workbook, Worksheet};

use crate::util::Workdir;

/// A 1×1 PNG, for the picture rule.
const PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0,
    0, 0, 144, 119, 83, 222, 0, 0, 0, 12, 73, 68, 65, 84, 120, 156, 99, 248, 207, 192, 0, 0, 3, 1,
    1, 0, 201, 254, 146, 239, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// The clean table from `top` down: 指標ID, 指標名, 単位, 2024年度, 備考.
fn clean_table(ws: &mut Worksheet, top: u32) {
    ws.write_row(top, 0, ["指標ID", "指標名", "単位", "2024年度", "備考"])
        .unwrap();
    ws.write_row(top + 1, 0, ["31-0-1", "マイナンバーカード保有率", "%"])
        .unwrap();
    ws.write(top + 1, 3, 70.2).unwrap();
    ws.write_row(top + 2, 0, ["33-1-2", "市税収納率", "%"])
        .unwrap();
    ws.write(top + 2, 3, 97.1).unwrap();
}

/// A workbook with the clean table, changed by `edit`.
fn workbook(edit: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("入力").unwrap();
    clean_table(ws, 0);
    edit(ws);
    wb.save_to_buffer().unwrap()
}

/// One case per rule: (file name, rule code, workbook).
fn cases() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    vec![
        ("merged.xlsx", "MR-MERGED-CELLS", {
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet();
            ws.merge_range(0, 0, 0, 4, "市民窓口課の指標", &Default::default())
                .unwrap();
            clean_table(ws, 1);
            wb.save_to_buffer().unwrap()
        }),
        (
            "formula.xlsx",
            "MR-FORMULA",
            workbook(|ws| {
                ws.write_formula(2, 3, Formula::new("=96+1.1").set_result("97.1"))
                    .unwrap();
            }),
        ),
        (
            "text_number.xlsx",
            "MR-NUMBER-AS-TEXT",
            workbook(|ws| {
                ws.write_string(1, 3, "70.2").unwrap();
            }),
        ),
        (
            "unit_in_cell.xlsx",
            "MR-UNIT-IN-CELL",
            workbook(|ws| {
                ws.write_string(1, 3, "70.2%").unwrap();
            }),
        ),
        (
            "multi_value.xlsx",
            "MR-MULTI-VALUE",
            workbook(|ws| {
                ws.write_string(1, 3, "70.2（速報値 69.8）").unwrap();
            }),
        ),
        (
            "machine_dependent.xlsx",
            "MR-MACHINE-DEPENDENT",
            workbook(|ws| {
                ws.write_string(1, 4, "①㈱小牧調べ").unwrap();
            }),
        ),
        (
            "layout.xlsx",
            "MR-LAYOUT-SPACES",
            workbook(|ws| {
                ws.write_string(1, 4, "小牧市\n調べ").unwrap();
            }),
        ),
        (
            "blank_header.xlsx",
            "MR-ITEM-OMITTED",
            workbook(|ws| {
                ws.write(1, 5, 12).unwrap();
                ws.write(2, 5, 13).unwrap();
            }),
        ),
        (
            "ditto.xlsx",
            "MR-ITEM-OMITTED",
            workbook(|ws| {
                ws.write_string(1, 4, "住民基本台帳による").unwrap();
                ws.write_string(2, 4, "同上").unwrap();
            }),
        ),
        (
            "two_tables.xlsx",
            "MR-MULTIPLE-TABLES",
            workbook(|ws| {
                ws.write_row(5, 0, ["指標ID", "指標名", "単位", "2024年度"])
                    .unwrap();
                ws.write_row(6, 0, ["33-3-1", "実質公債費比率", "%"])
                    .unwrap();
                ws.write(6, 3, 2.1).unwrap();
            }),
        ),
        ("split.xlsx", "MR-TABLE-SPLIT", {
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet();
            clean_table(ws, 0);
            ws.write_row(4, 0, ["33-3-1", "実質公債費比率", "%"])
                .unwrap();
            ws.write(4, 3, 2.1).unwrap();
            wb.save_to_buffer().unwrap()
        }),
        (
            "era_only.xlsx",
            "MR-ERA-ONLY",
            workbook(|ws| {
                ws.write_string(0, 3, "令和6年度").unwrap();
            }),
        ),
        (
            "symbols.xlsx",
            "MR-SPECIAL-SYMBOL",
            workbook(|ws| {
                ws.write_string(2, 3, "***").unwrap();
            }),
        ),
        (
            "no_unit.xlsx",
            "MR-UNIT-MISSING",
            workbook(|ws| {
                ws.write_row(0, 2, ["区分", "2024年度"]).unwrap();
                ws.write_string(1, 2, "").unwrap();
                ws.write_string(2, 2, "").unwrap();
            }),
        ),
        ("split_column.xlsx", "MR-TABLE-SPLIT", {
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet();
            ws.write_row(0, 0, ["指標名", "単位", "", "2024年度"])
                .unwrap();
            ws.write_row(1, 0, ["市税収納率", "%"]).unwrap();
            ws.write(1, 3, 97.1).unwrap();
            wb.save_to_buffer().unwrap()
        }),
        (
            "number_text.csv",
            "MR-NUMBER-AS-TEXT",
            "指標名,単位,2024年度\n協働による事業実施数,事業,\"1,078\"\n"
                .as_bytes()
                .to_vec(),
        ),
        (
            "picture.xlsx",
            "MR-PICTURE",
            workbook(|ws| {
                ws.insert_image(5, 1, &Image::new_from_buffer(PNG).unwrap())
                    .unwrap();
            }),
        ),
    ]
}

/// Runs `shukei lint --json` and returns (source_file, code) of every finding.
fn lint_json(wd: &Workdir, input: &str) -> Vec<(String, String)> {
    let out = wd.run_ok(&["lint", input, "--json"], 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["source_file"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn each_rule_is_broken_by_its_sample_and_the_clean_file_passes() {
    let wd = Workdir::new("lint-rules");
    wd.write("in/clean.xlsx", &workbook(|_| {}));
    let cases = cases();
    for (name, _, bytes) in &cases {
        wd.write(&format!("in/{name}"), bytes);
    }
    let found = lint_json(&wd, "in");
    let clean: Vec<_> = found.iter().filter(|(f, _)| f == "in/clean.xlsx").collect();
    assert!(clean.is_empty(), "the clean file has findings: {clean:?}");
    for (name, code, _) in &cases {
        let file = format!("in/{name}");
        let mine: Vec<&String> = found
            .iter()
            .filter(|(f, _)| *f == file)
            .map(|(_, c)| c)
            .collect();
        assert_eq!(mine, [code], "{name} should break {code} and nothing else");
    }
}

#[test]
fn findings_name_the_range_and_the_fix_in_japanese() {
    let wd = Workdir::new("lint-text");
    let (_, _, bytes) = cases().remove(0);
    wd.write("in/merged.xlsx", &bytes);
    let out = wd.run_ok(&["lint", "in"], 0);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("MR-MERGED-CELLS"), "{text}");
    assert!(text.contains("A1:E1"), "{text}");
    assert!(text.contains("セルの結合を解除"), "{text}");
    assert!(text.contains("機械判読性"), "{text}");
}

#[test]
fn lint_findings_also_come_out_of_consolidate() {
    let wd = Workdir::new("lint-consolidate");
    wd.write(
        "in/人事課_R6.xlsx",
        &workbook(|ws| {
            ws.write_string(1, 3, "70.2%").unwrap();
        }),
    );
    wd.consolidate("in", 0);
    let issues = wd.read_csv_maps("out/issues.csv");
    let mr: Vec<_> = issues
        .iter()
        .filter(|i| i["code"] == "MR-UNIT-IN-CELL")
        .collect();
    assert_eq!(mr.len(), 1, "{issues:?}");
    assert_eq!(
        (mr[0]["severity"].as_str(), mr[0]["cell"].as_str()),
        ("warning", "D2")
    );
}

#[test]
fn lint_exits_2_only_when_it_cannot_run() {
    let wd = Workdir::new("lint-exit");
    wd.run_ok(&["lint", "nowhere"], 2);
    wd.write("in/broken.xlsx", b"not a workbook");
    wd.run_ok(&["lint", "in"], 0);
}

#[test]
fn opendata_csv_has_the_columns_and_passes_the_lint() {
    let wd = Workdir::new("opendata").with_samples();
    wd.consolidate("samples", 1);
    let rows = wd.read_csv("out/opendata.csv");
    let header = [
        "全国地方公共団体コード",
        "地方公共団体名",
        "指標ID",
        "指標名",
        "年度",
        "年度（和暦）",
        "値",
        "単位",
        "基準値",
        "目指す方向",
        "評価",
    ];
    assert_eq!(rows[0], header);
    assert!(rows.len() > 10, "{rows:?}");
    for row in &rows[1..] {
        assert_eq!(row[0], "232068");
        assert_eq!(row[1], "小牧市");
        let year: u16 = row[4].parse().unwrap();
        assert!((2019..2100).contains(&year), "{row:?}");
        assert!(
            row[5].starts_with("令和") && row[5].ends_with("年度"),
            "{row:?}"
        );
        assert!(row[6].parse::<f64>().is_ok(), "value not a number: {row:?}");
        assert!(
            row[8].is_empty() || row[8].parse::<f64>().is_ok(),
            "baseline not a number: {row:?}"
        );
    }
    let found = lint_json(&wd, "out/opendata.csv");
    let mr: Vec<_> = found.iter().filter(|(_, c)| c.starts_with("MR-")).collect();
    assert!(mr.is_empty(), "opendata.csv breaks the lint: {mr:?}");
    let summary = std::fs::read_to_string(wd.path("out/summary.json")).unwrap();
    assert!(summary.contains("opendata.csv"), "{summary}");
}
