use std::collections::BTreeMap;
use std::path::Path;

use shukei::ingest::{read_bytes, Limits};

use crate::util::{repo, Workdir};

/// The fiscal-year and monthly values that tools/fill_template.py writes, as
/// `(indicator, period) -> value` (values.csv text).
fn filled_values() -> BTreeMap<(String, String), String> {
    let monthly: [(&str, [&str; 6]); 4] = [
        (
            "30-3-1",
            ["712345", "698001", "730512", "745000", "701234", "688888"],
        ),
        ("30-3-2", ["812", "815", "819", "824", "828", "833"]),
        (
            "30-3-3",
            ["80123", "80456", "80790", "81002", "81350", "81777"],
        ),
        ("30-3-4", ["15", "22", "18", "0", "25", "30"]),
    ];
    let mut out = BTreeMap::new();
    out.insert(
        ("30-0-3".to_string(), "FY2025".to_string()),
        "45.2".to_string(),
    );
    for (id, values) in monthly {
        for (i, v) in values.iter().enumerate() {
            let period = format!("2025-{:02}", 4 + i);
            out.insert((id.to_string(), period), v.to_string());
        }
    }
    out
}

fn fixture(wd: &Workdir, name: &str) {
    let bytes = std::fs::read(repo().join("tests/fixtures/template").join(name)).unwrap();
    wd.write(&format!("in/{name}"), &bytes);
}

/// Consolidates `in/` and returns (values by indicator and period, issue codes).
fn consolidate(wd: &Workdir, code: i32) -> (BTreeMap<(String, String), String>, Vec<String>) {
    wd.run_ok(
        &[
            "consolidate",
            "in",
            "-o",
            "r.xlsx",
            "--export-dir",
            "out",
            "-q",
        ],
        code,
    );
    let mut values = BTreeMap::new();
    for row in wd.read_csv_maps("out/values.csv") {
        assert_eq!(row["department"], "広報広聴課", "{row:?}");
        assert_eq!(row["status"], "used", "{row:?}");
        let key = (row["indicator_id"].clone(), row["period"].clone());
        assert!(
            values.insert(key, row["value"].clone()).is_none(),
            "{row:?}"
        );
    }
    let mut codes: Vec<String> = wd
        .read_csv_maps("out/issues.csv")
        .into_iter()
        .map(|i| format!("{} {} {}", i["code"], i["cell"], i["indicator_id"]))
        .collect();
    codes.sort();
    (values, codes)
}

#[test]
fn template_all_writes_one_file_per_department() {
    let wd = Workdir::new("template-all");
    let out = wd.run_ok(
        &["template", "--all", "--period", "令和7年度", "-o", "t"],
        0,
    );
    let mut names: Vec<String> = std::fs::read_dir(wd.path("t"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 10, "{names:?}");
    assert!(names.contains(&"入力様式_広報広聴課_令和7年度.xlsx".to_string()));
    assert!(!names.iter().any(|n| n.contains("会計課")), "{names:?}");
    let log = String::from_utf8_lossy(&out.stderr);
    assert_eq!(log.matches("shukei: wrote").count(), 10, "{log}");
}

#[test]
fn template_for_one_department_and_bad_arguments() {
    let wd = Workdir::new("template-one");
    wd.run_ok(
        &[
            "template",
            "--department",
            "人事課",
            "--period",
            "R8",
            "-o",
            "t",
        ],
        0,
    );
    assert!(wd.path("t/入力様式_人事課_令和8年度.xlsx").is_file());
    let out = wd.run_ok(&["template", "--department", "総務課", "-o", "t"], 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("指定できる課") && err.contains("広報広聴課"),
        "{err}"
    );
    wd.run_ok(&["template", "--department", "会計課", "-o", "t"], 2);
    wd.run_ok(&["template", "--all", "--period", "2025-04", "-o", "t"], 2);
    wd.run_ok(&["template", "-o", "t"], 2);
}

/// An unfilled template is recognised (its table is found, nothing is misread) and is
/// reported as an empty submission, one per file, and nothing else.
#[test]
fn a_generated_template_reads_back_as_empty_submissions() {
    let wd = Workdir::new("template-empty");
    wd.run_ok(&["template", "--all", "-o", "in"], 0);
    let (values, codes) = consolidate(&wd, 1);
    assert!(values.is_empty(), "{values:?}");
    assert_eq!(codes.len(), 10, "{codes:#?}");
    assert!(
        codes.iter().all(|c| c.starts_with("E-SUBMISSION-EMPTY")),
        "{codes:#?}"
    );
}

#[test]
fn a_template_filled_by_another_writer_comes_back_exactly() {
    let wd = Workdir::new("template-roundtrip");
    fixture(&wd, "入力様式_広報広聴課_令和7年度_記入済.xlsx");
    let (values, codes) = consolidate(&wd, 0);
    assert_eq!(values, filled_values());
    assert!(codes.is_empty(), "{codes:#?}");
}

#[test]
fn sorted_rows_inserted_rows_and_a_renamed_sheet_change_nothing() {
    let wd = Workdir::new("template-rearranged");
    // The file name names no department: it comes from the hidden metadata.
    fixture(&wd, "指標報告_記入済_並べ替え.xlsx");
    let (values, codes) = consolidate(&wd, 0);
    assert_eq!(values, filled_values());
    assert!(codes.is_empty(), "{codes:#?}");
}

#[test]
fn a_badly_filled_template_gives_issues_never_a_wrong_value() {
    let wd = Workdir::new("template-bad");
    fixture(&wd, "入力様式_広報広聴課_令和7年度_不備.xlsx");
    let (values, codes) = consolidate(&wd, 1);
    let expected = filled_values();
    for (key, value) in &values {
        assert_eq!(expected.get(key), Some(value), "wrong value for {key:?}");
    }
    let gone: Vec<&(String, String)> = expected
        .keys()
        .filter(|k| !values.contains_key(*k))
        .collect();
    let want_gone = [
        ("30-3-2", "2025-05"),
        ("30-3-2", "2025-06"),
        ("30-3-3", "2025-05"),
    ];
    let mut want: Vec<(String, String)> = want_gone
        .iter()
        .map(|(i, p)| (i.to_string(), p.to_string()))
        .collect();
    want.extend((4..10).map(|m| ("30-3-4".to_string(), format!("2025-{m:02}"))));
    assert_eq!(gone, want.iter().collect::<Vec<_>>());
    let want_codes = [
        "E-INDICATOR-UNKNOWN A9 ",
        "E-VALUE-NONNUMERIC H7 30-3-2",
        "E-VALUE-UNIT H8 30-3-3",
        "I-VALUE-UNASSIGNED G9 ",
        "I-VALUE-UNASSIGNED H9 ",
        "I-VALUE-UNASSIGNED I9 ",
        "I-VALUE-UNASSIGNED J9 ",
        "I-VALUE-UNASSIGNED K9 ",
        "I-VALUE-UNASSIGNED L9 ",
        "W-TEMPLATE-ROW-MISSING  30-3-4",
        "W-TEMPLATE-ROW-MISSING  31-1-2",
        "W-VALUE-PENDING I7 30-3-2",
    ];
    assert_eq!(codes, want_codes);
}

/// Every sheet of a workbook as TSV lines (`sheet!A1 value`), read with shukei's
/// calamine-based reader: compares values and metadata, not bytes.
fn dump(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    let read = read_bytes(&bytes, &name, &Limits::default()).unwrap();
    let mut lines = vec![];
    for sheet in &read.workbook.sheets {
        let (row_end, col_end) = sheet.end();
        for row in sheet.start.0..row_end {
            for col in sheet.start.1..col_end {
                let value = sheet.get(row, col);
                if !value.is_blank() {
                    let cell = shukei::model::a1(row, col);
                    lines.push(format!("{}!{cell}\t{}", sheet.name, value.display()));
                }
            }
        }
        lines.push(format!("{} visibility {:?}", sheet.name, sheet.visibility));
    }
    lines.extend(
        read.workbook
            .defined_names
            .iter()
            .map(|(n, f)| format!("name {n} {f}")),
    );
    lines
}

#[test]
fn committed_templates_are_in_sync_with_the_catalogue() {
    let wd = Workdir::new("template-sync");
    wd.run_ok(&["template", "--all", "-o", "t"], 0);
    let committed = repo().join("templates/入力様式");
    if std::env::var_os("SHUKEI_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&committed);
        crate::util::copy_dir(&wd.path("t"), &committed);
    }
    let names = |dir: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let hint = "templates/入力様式 is stale: run `SHUKEI_BLESS=1 cargo test committed_templates` \
                (or `shukei template --all -o templates/入力様式`) and commit the files";
    assert_eq!(names(&committed), names(&wd.path("t")), "{hint}");
    for name in names(&committed) {
        let want = dump(&wd.path("t").join(&name));
        let got = dump(&committed.join(&name));
        crate::util::assert_lines_eq(&want, &got, &format!("{name} ({hint})"));
    }
}
