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
    wd.consolidate("in", 1);
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

#[test]
fn period_accepts_every_documented_form() {
    let wd = Workdir::new("period").with_samples();
    let cases = [
        ("FY2024", "FY2024"),
        ("2024-11", "2024-11"),
        ("令和6年11月", "2024-11"),
        ("R6.11", "2024-11"),
        ("令和6年度", "FY2024"),
        ("R6.10", "2024-10"),
    ];
    for (arg, want) in cases {
        let out = wd.run_ok(
            &[
                "consolidate",
                "samples",
                "-o",
                "r.xlsx",
                "--period",
                arg,
                "--json",
                "-",
                "-q",
            ],
            1,
        );
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(summary["period"], want, "input: {arg}");
    }
}

#[test]
fn validate_prints_issues_by_file_and_as_json() {
    let wd = Workdir::new("validate").with_samples();
    let out = wd.run_ok(&["validate", "samples", "-q"], 1);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("■ samples/人事課_R6指標報告.xls [人事課]"),
        "{text}"
    );
    assert!(text.contains("E-CELL-EXCEL-ERROR"), "{text}");
    let out = wd.run_ok(&["validate", "samples", "-q", "--json"], 1);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &list[0];
    assert_eq!(first["severity"], "error");
    assert!(first["message"].as_str().unwrap().contains("samples/"));
    assert!(!first["hint"].as_str().unwrap().is_empty());
}

#[test]
fn exports_follow_the_spec_columns() {
    let wd = Workdir::new("exports").with_samples();
    wd.consolidate("samples", 1);
    let values = wd.read_csv("out/values.csv");
    assert_eq!(
        values[0][..10],
        [
            "indicator_id",
            "indicator_name",
            "period",
            "value",
            "unit",
            "department",
            "source_file",
            "sheet",
            "cell",
            "status"
        ]
    );
    let issues = wd.read_csv("out/issues.csv");
    assert_eq!(
        issues[0][..7],
        [
            "severity",
            "code",
            "source_file",
            "sheet",
            "cell",
            "indicator_id",
            "message"
        ]
    );
    let statuses: std::collections::BTreeSet<&str> =
        values[1..].iter().map(|r| r[9].as_str()).collect();
    assert!(
        statuses.is_subset(
            &["used", "superseded", "conflict", "rejected"]
                .into_iter()
                .collect()
        ),
        "{statuses:?}"
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(wd.path("out/summary.json")).unwrap()).unwrap();
    assert_eq!(
        summary["values"]["total"].as_u64().unwrap() as usize,
        values.len() - 1
    );
    assert_eq!(summary["outputs"]["report"], "r.xlsx");
    assert_eq!(summary["exit_code"], 1);
}

#[test]
fn the_output_does_not_depend_on_thread_timing() {
    let wd = Workdir::new("threads").with_samples();
    let mut runs = Vec::new();
    for threads in ["1", "2", "7"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_shukei"))
            .args([
                "consolidate",
                "samples",
                "-o",
                "r.xlsx",
                "--export-dir",
                "out",
                "-q",
            ])
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(&wd.dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        runs.push((
            std::fs::read(wd.path("out/values.csv")).unwrap(),
            std::fs::read(wd.path("out/issues.csv")).unwrap(),
        ));
    }
    assert!(
        runs.windows(2).all(|w| w[0] == w[1]),
        "exports differ between thread counts"
    );
}

#[test]
fn a_bad_config_exits_2_naming_the_key() {
    let wd = Workdir::new("badconfig");
    wd.write("shukei.toml", b"[limits]\nmax_cells = 0\n");
    let out = wd.run_ok(
        &["consolidate", "--config", "shukei.toml", "-o", "r.xlsx"],
        2,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("limits.max_cells"), "{err}");
    wd.write("shukei.toml", b"inbx = [\"in\"]\n");
    let out = wd.run_ok(
        &["consolidate", "--config", "shukei.toml", "-o", "r.xlsx"],
        2,
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("inbx"));
}

#[test]
fn the_config_places_outputs_by_period_and_flags_override_it() {
    let wd = Workdir::new("config");
    wd.write(
        "inbox/収税課_R6.csv",
        "指標名,令和6年11月\n市税収納率,62.3%\n".as_bytes(),
    );
    wd.write(
        "shukei.toml",
        "inbox = [\"inbox\"]\nreport = \"reports/{period}/集計結果_{period_ja}.xlsx\"\nexport_dir = \"reports/{period}/exports\"\nlog_format = \"json\"\n".as_bytes(),
    );
    let out = wd.run_ok(&["consolidate", "--config", "shukei.toml"], 0);
    assert!(wd
        .path("reports/2024-11/集計結果_令和6年11月.xlsx")
        .is_file());
    assert!(wd.path("reports/2024-11/exports/values.csv").is_file());
    let log = String::from_utf8_lossy(&out.stderr);
    let first: serde_json::Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    assert_eq!(first["event"], "file");
    assert_eq!(first["file"], "inbox/収税課_R6.csv");
    wd.run_ok(
        &[
            "consolidate",
            "--config",
            "shukei.toml",
            "-o",
            "flag.xlsx",
            "-q",
        ],
        0,
    );
    assert!(wd.path("flag.xlsx").is_file());
}

#[test]
fn a_second_run_on_the_same_outputs_is_refused() {
    let wd = Workdir::new("lock");
    wd.write(
        "in/収税課_R6.csv",
        "指標名,令和6年度\n市税収納率,97.1%\n".as_bytes(),
    );
    // A lock held by a live process (this test's own).
    wd.write(
        "r.xlsx.lock",
        format!("pid={}\n", std::process::id()).as_bytes(),
    );
    let out = wd.run_ok(&["consolidate", "in", "-o", "r.xlsx", "-q"], 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ロック"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!wd.path("r.xlsx").exists());
    // A lock left by a process that is gone is taken over, and removed afterwards.
    wd.write("r.xlsx.lock", b"pid=4000000000\n");
    wd.run_ok(&["consolidate", "in", "-o", "r.xlsx", "-q"], 0);
    assert!(wd.path("r.xlsx").is_file());
    assert!(!wd.path("r.xlsx.lock").exists());
}

#[test]
fn an_output_equal_to_an_input_is_refused_and_inputs_stay_unchanged() {
    let wd = Workdir::new("inplace");
    let csv = "指標名,令和6年度\n市税収納率,97.1%\n".as_bytes();
    wd.write("in/収税課_R6.xlsx", csv);
    wd.run_ok(
        &[
            "consolidate",
            "in",
            "in/収税課_R6.xlsx",
            "-o",
            "in/収税課_R6.xlsx",
            "-q",
        ],
        2,
    );
    assert_eq!(std::fs::read(wd.path("in/収税課_R6.xlsx")).unwrap(), csv);
}

#[test]
fn a_report_or_export_folder_inside_an_input_folder_is_refused() {
    // The next run would read the report and the CSV files back as submissions.
    let wd = Workdir::new("inside").with_samples();
    let cases: [&[&str]; 3] = [
        &["consolidate", "samples", "-o", "samples/r.xlsx"],
        &[
            "consolidate",
            "samples",
            "-o",
            "r.xlsx",
            "--export-dir",
            "samples/out",
        ],
        &[
            "consolidate",
            "samples",
            "-o",
            "r.xlsx",
            "--export-dir",
            "samples",
        ],
    ];
    for args in cases {
        let out = wd.run_ok(args, 2);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("は入力フォルダ samples の中です"),
            "{args:?}: {err}"
        );
    }
    assert!(!wd.path("samples/r.xlsx").exists() && !wd.path("samples/out").exists());
    assert!(!wd.path("r.xlsx").exists());
    assert!(!wd.path("samples/values.csv").exists());
}

#[test]
fn nothing_on_stderr_when_quiet_and_no_progress_bar_when_not_a_terminal() {
    let wd = Workdir::new("quiet").with_samples();
    let out = wd.run_ok(&["consolidate", "samples", "-o", "r.xlsx", "-q"], 1);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = wd.run_ok(&["consolidate", "samples", "-o", "r.xlsx"], 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.lines()
            .filter(|l| l.starts_with("shukei: read: ") || l.starts_with("shukei: failed: "))
            .count()
            >= 18,
        "{err}"
    );
    assert!(
        !err.contains('█') && !err.contains('\r'),
        "a progress bar on a pipe: {err}"
    );
}

/// The README documents every finding code (one table row each).
#[test]
fn the_readme_lists_every_rule() {
    let readme = std::fs::read_to_string(crate::util::repo().join("README.md")).unwrap();
    for rule in shukei::rules::ALL {
        assert!(
            readme.contains(&format!("`{}`", rule.code)),
            "README lacks {}",
            rule.code
        );
    }
}

/// Outputs are readable by others on a shared server (not the temporary file's 0600).
#[cfg(unix)]
#[test]
fn outputs_get_ordinary_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let wd = Workdir::new("perms");
    wd.write(
        "in/収税課_R6.csv",
        "指標名,令和6年度\n市税収納率,97.1%\n".as_bytes(),
    );
    wd.consolidate("in", 0);
    for file in [
        "r.xlsx",
        "out/values.csv",
        "out/issues.csv",
        "out/summary.json",
    ] {
        let mode = std::fs::metadata(wd.path(file))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o644, "{file}");
    }
}
