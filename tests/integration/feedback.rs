use std::collections::BTreeMap;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

use crate::util::Workdir;

/// (severity, file, cell, message, hint) as a 指摘事項 row shows them.
type IssueRow = (String, String, String, String, String);

/// Row of the header line in every feedback table (data starts below it).
const HEADER_ROW: usize = 3;

/// The (severity, file, cell, message, hint) rows of a workbook's 指摘事項 sheet; none
/// without it.
fn issue_rows(path: &Path) -> Vec<IssueRow> {
    let mut wb = open_workbook_auto(path).unwrap();
    let Ok(range) = wb.worksheet_range("指摘事項") else {
        return Vec::new();
    };
    let text = |d: &Data| match d {
        Data::String(s) => s.clone(),
        _ => String::new(),
    };
    range
        .rows()
        .skip(HEADER_ROW + 1)
        .filter(|r| !text(&r[7]).is_empty())
        .map(|r| {
            (
                text(&r[1]),
                text(&r[2]),
                text(&r[4]),
                text(&r[7]),
                text(&r[8]),
            )
        })
        .collect()
}

/// The 指摘事項 row an issues.csv row should give: the same message without its
/// location prefix (the row shows file and cell in their own columns) and the same hint.
fn expected_row(i: &std::collections::HashMap<String, String>) -> IssueRow {
    let file = Path::new(&i["source_file"])
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let text = i["message"]
        .split_once(": ")
        .map_or(i["message"].as_str(), |(_, t)| t);
    (
        severity_ja(&i["severity"]).to_string(),
        file,
        i["cell"].clone(),
        text.to_string(),
        i["hint"].clone(),
    )
}

fn severity_ja(code: &str) -> &'static str {
    match code {
        "error" => "エラー",
        "warning" => "警告",
        _ => "参考",
    }
}

/// The department of a sample file: the name's start, when it is a department.
fn department_of<'a>(file: &str, departments: &'a [String]) -> Option<&'a String> {
    let name = Path::new(file).file_name()?.to_str()?;
    let head = name.split('_').next()?;
    departments.iter().find(|d| d.as_str() == head)
}

#[test]
fn every_issue_reaches_its_own_department_and_no_other() {
    let wd = Workdir::new("feedback").with_samples();
    let out = wd.run_ok(
        &[
            "consolidate",
            "samples",
            "-o",
            "r.xlsx",
            "--export-dir",
            "out",
            "--feedback-dir",
            "fb",
        ],
        1,
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(wd.path("out/summary.json")).unwrap()).unwrap();
    let departments: Vec<String> = summary["departments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["files"].as_u64() > Some(0) || !d["owed"].as_array().unwrap().is_empty())
        .map(|d| d["department"].as_str().unwrap().to_string())
        .collect();

    // One workbook per department, named with the period.
    let mut written: BTreeMap<String, std::path::PathBuf> = BTreeMap::new();
    for entry in std::fs::read_dir(wd.path("fb")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let parts: Vec<&str> = name.trim_end_matches(".xlsx").split('_').collect();
        assert_eq!(parts.len(), 3, "{name}");
        assert!(["差し戻し", "受領確認"].contains(&parts[0]), "{name}");
        assert_eq!(parts[2], "令和6年11月", "{name}");
        assert!(written
            .insert(parts[1].to_string(), wd.path("fb").join(&name))
            .is_none());
    }
    let mut want = departments.clone();
    want.sort();
    assert_eq!(written.keys().cloned().collect::<Vec<_>>(), want);
    assert_eq!(
        summary["outputs"]["feedback"].as_array().unwrap().len(),
        departments.len()
    );

    // Each issue of a department's file is in its 指摘事項, verbatim, in the run's order
    // (errors first), and in no other department's 指摘事項.
    let issues = wd.read_csv_maps("out/issues.csv");
    let sheets: BTreeMap<&String, Vec<IssueRow>> =
        written.iter().map(|(d, p)| (d, issue_rows(p))).collect();
    for issue in &issues {
        let row = expected_row(issue);
        let holders: Vec<&&String> = sheets
            .iter()
            .filter(|(_, rows)| rows.contains(&row))
            .map(|(d, _)| d)
            .collect();
        match department_of(&issue["source_file"], &departments) {
            Some(dept) => assert_eq!(holders, [&dept], "{}", issue["message"]),
            None => assert!(holders.is_empty(), "{}", issue["message"]),
        }
    }
    for (dept, got) in sheets {
        let expected: Vec<IssueRow> = issues
            .iter()
            .filter(|i| department_of(&i["source_file"], &departments) == Some(dept))
            .map(expected_row)
            .collect();
        assert_eq!(got, expected, "指摘事項 of {dept}");
    }

    // The file without a department is reported, not lost.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("samples/README.md"), "{stderr}");
}

#[test]
fn a_clean_department_gets_a_receipt() {
    let wd = Workdir::new("feedback-receipt").with_samples();
    wd.run_ok(
        &[
            "consolidate",
            "samples",
            "-o",
            "r.xlsx",
            "--feedback-dir",
            "fb",
            "-q",
        ],
        1,
    );
    let receipt = wd.path("fb/受領確認_支え合い協働推進課_令和6年11月.xlsx");
    assert!(receipt.is_file());
    assert!(!wd
        .path("fb/差し戻し_支え合い協働推進課_令和6年11月.xlsx")
        .exists());
    let mut wb = open_workbook_auto(&receipt).unwrap();
    // 指摘事項 carries only machine-readability advice (警告/参考 of the MR-… rules,
    // which alone call for no 差し戻し), never an error.
    assert_eq!(wb.sheet_names(), ["受領確認", "指摘事項", "提出内容"]);
    let advice = wb.worksheet_range("指摘事項").unwrap();
    let cells: Vec<String> = advice
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(!cells.iter().any(|t| t == "エラー"), "{cells:?}");
    assert!(
        cells.iter().any(|t| t.contains("単位の記載がありません")),
        "{cells:?}"
    );
    let values = wb.worksheet_range("提出内容").unwrap();
    // 10 values from its two files, all used.
    let statuses: Vec<String> = values
        .rows()
        .skip(HEADER_ROW + 1)
        .map(|r| r[9].to_string())
        .collect();
    assert_eq!(statuses.len(), 10);
    assert!(statuses.iter().all(|s| s == "採用"), "{statuses:?}");
    assert!(wd.path("fb/差し戻し_広報広聴課_令和6年11月.xlsx").is_file());
}

#[test]
fn a_rerun_replaces_the_other_kind_and_output_is_stable() {
    let wd = Workdir::new("feedback-rerun").with_samples();
    let args = [
        "consolidate",
        "samples",
        "-o",
        "r.xlsx",
        "--feedback-dir",
        "fb",
        "-q",
    ];
    wd.write("fb/差し戻し_支え合い協働推進課_令和6年11月.xlsx", b"old");
    wd.run_ok(&args, 1);
    assert!(!wd
        .path("fb/差し戻し_支え合い協働推進課_令和6年11月.xlsx")
        .exists());
    let file = wd.path("fb/差し戻し_広報広聴課_令和6年11月.xlsx");
    let first = std::fs::read(&file).unwrap();
    wd.run_ok(&args, 1);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        first,
        "feedback is not deterministic"
    );
}

#[test]
fn a_feedback_folder_inside_the_inputs_is_refused() {
    let wd = Workdir::new("feedback-inside").with_samples();
    wd.run_ok(
        &[
            "consolidate",
            "samples",
            "-o",
            "r.xlsx",
            "--feedback-dir",
            "samples/fb",
        ],
        2,
    );
    assert!(!wd.path("samples/fb").exists());
}
