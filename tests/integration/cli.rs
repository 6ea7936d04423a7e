use crate::util::Workdir;

#[test]
fn help_names_every_subcommand() {
    let wd = Workdir::new("help");
    let out = wd.run_ok(&["--help"], 0);
    let text = String::from_utf8_lossy(&out.stdout);
    for cmd in ["consolidate", "validate", "template", "catalogue"] {
        assert!(text.contains(cmd), "--help lacks {cmd}:\n{text}");
    }
}

#[test]
fn bad_arguments_exit_2() {
    let wd = Workdir::new("badargs");
    wd.run_ok(&["consolidate"], 2);
    wd.run_ok(&["consolidate", "nowhere", "-o", "r.xlsx"], 2);
    wd.run_ok(&["consolidate", "-o", "r.xlsx", "--period", "令和X年"], 2);
}

#[test]
fn an_unreadable_file_is_an_error_not_a_stop() {
    let wd = Workdir::new("unreadable");
    wd.write("in/広報広聴課_壊れた.xlsx", b"this is not a workbook");
    wd.write(
        "in/収税課_R6.csv",
        "指標名,令和6年度\n市税収納率,97.1%\n".as_bytes(),
    );
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
        1,
    );
    let values = wd.read_csv_maps("out/values.csv");
    assert_eq!(values.len(), 1);
    assert_eq!(
        (
            values[0]["indicator_id"].as_str(),
            values[0]["value"].as_str()
        ),
        ("33-1-2", "97.1")
    );
    let issues = wd.read_csv_maps("out/issues.csv");
    let bad: Vec<_> = issues
        .iter()
        .filter(|i| i["code"] == "E-FILE-UNREADABLE")
        .collect();
    assert_eq!(bad.len(), 1, "{issues:?}");
    assert_eq!(bad[0]["source_file"], "in/広報広聴課_壊れた.xlsx");
}

#[test]
fn a_clean_file_exits_0_and_json_goes_to_stdout() {
    let wd = Workdir::new("clean");
    wd.write(
        "in/収税課_R6.csv",
        "指標名,令和6年度\n市税収納率,97.1%\n".as_bytes(),
    );
    let out = wd.run_ok(
        &["consolidate", "in", "-o", "r.xlsx", "--json", "-", "-q"],
        0,
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["period"], "FY2024");
    assert_eq!(summary["files"]["read"], 1);
    assert_eq!(summary["indicators"]["total"], 47);
    assert_eq!(summary["exit_code"], 0);
    assert!(wd.path("r.xlsx").exists());
}
