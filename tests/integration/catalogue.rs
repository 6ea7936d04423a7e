use crate::util::Workdir;

#[test]
fn the_builtin_catalogue_passes_its_check() {
    let wd = Workdir::new("cat-check");
    let out = wd.run_ok(&["catalogue", "check"], 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("指標 47 件"));
}

#[test]
fn csv_export_lists_all_47_indicators_with_the_seed_values() {
    let wd = Workdir::new("cat-csv");
    wd.run_ok(&["catalogue", "export", "-o", "c.csv"], 0);
    let rows = wd.read_csv_maps("c.csv");
    assert_eq!(rows.len(), 47);
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    let cases = [
        ("31-0-1", "66.8", "%", "FY2022", "up"),
        ("32-0-1", "15.3", "%", "FY2021", "down"),
        ("33-3-1", "0.8", "%", "FY2021", "max"),
        ("30-3-1", "740454", "件/月", "FY2022", "up"),
        ("33-1-1", "1325815", "千円", "FY2022", "up"),
        ("30-0-1", "", "%", "FY2022", "up"),
    ];
    for (id, baseline, unit, fy, trend) in cases {
        let r = row(id);
        assert_eq!(
            (
                r["baseline"].as_str(),
                r["unit"].as_str(),
                r["baseline_fy"].as_str(),
                r["trend"].as_str()
            ),
            (baseline, unit, fy, trend),
            "input: {id}"
        );
    }
    assert_eq!(row("33-3-1")["target"], "2.5");
    assert_eq!(row("33-0-1")["reference"], "27/37 団体");
}

#[test]
fn an_exported_xlsx_reads_back_as_the_same_catalogue() {
    let wd = Workdir::new("cat-xlsx");
    wd.run_ok(&["catalogue", "export", "-o", "c.xlsx"], 0);
    wd.run_ok(&["catalogue", "export", "-o", "builtin.toml"], 0);
    wd.run_ok(&["catalogue", "check", "--catalogue", "c.xlsx"], 0);
    wd.run_ok(
        &[
            "catalogue",
            "export",
            "--catalogue",
            "c.xlsx",
            "-o",
            "roundtrip.toml",
        ],
        0,
    );
    assert_eq!(
        std::fs::read_to_string(wd.path("builtin.toml")).unwrap(),
        std::fs::read_to_string(wd.path("roundtrip.toml")).unwrap()
    );
    wd.write(
        "in/収税課_R6.csv",
        "指標名,令和6年度\n市税収納率,97.1%\n".as_bytes(),
    );
    wd.run_ok(
        &[
            "consolidate",
            "in",
            "--catalogue",
            "c.xlsx",
            "-o",
            "r.xlsx",
            "-q",
        ],
        0,
    );
}

#[test]
fn a_broken_catalogue_exits_2_naming_the_entry() {
    let wd = Workdir::new("cat-bad");
    wd.run_ok(&["catalogue", "export", "-o", "c.toml"], 0);
    let text = std::fs::read_to_string(wd.path("c.toml")).unwrap();
    let broken = text.replacen("trend = \"up\"", "trend = \"sideways\"", 1);
    wd.write("bad.toml", broken.as_bytes());
    let out = wd.run_ok(&["catalogue", "check", "--catalogue", "bad.toml"], 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sideways") && err.contains("30-0-1"), "{err}");
    wd.run_ok(
        &["consolidate", "--catalogue", "bad.toml", "-o", "r.xlsx"],
        2,
    );
}

#[test]
fn show_prints_every_indicator() {
    let wd = Workdir::new("cat-show");
    let out = wd.run_ok(&["catalogue", "show"], 0);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("31-0-1")
            && text.contains("33-4-1")
            && text.contains("マイナンバーカード保有率"),
        "{text}"
    );
}
