use crate::util::{assert_lines_eq, read_tsv, repo, Workdir};

fn run_samples() -> Workdir {
    let wd = Workdir::new("samples").with_samples();
    wd.run_ok(
        &[
            "consolidate",
            "samples",
            "-o",
            "report.xlsx",
            "--export-dir",
            "out",
            "--quiet",
        ],
        1,
    );
    wd
}

/// Every value of the golden list is extracted, with its exact value, and nothing else.
#[test]
fn samples_give_exactly_the_golden_values() {
    let wd = run_samples();
    let golden = read_tsv(&repo().join("tests/golden/samples/values.tsv"));
    let mut expected: Vec<String> = golden[1..].iter().map(|r| r.join("\t")).collect();
    let values = wd.read_csv_maps("out/values.csv");
    let issues = wd.read_csv_maps("out/issues.csv");
    for rejected in values.iter().filter(|m| m["status"] == "rejected") {
        let flagged = issues.iter().any(|i| {
            i["severity"] == "error"
                && i["source_file"] == rejected["source_file"]
                && i["sheet"] == rejected["sheet"]
                && i["cell"] == rejected["cell"]
        });
        assert!(
            flagged,
            "a rejected value has no error at its cell: {rejected:?}"
        );
    }
    let mut got: Vec<String> = values
        .iter()
        .filter(|m| m["status"] != "rejected")
        .map(|m| {
            let file = m["source_file"].trim_start_matches("samples/");
            [
                file,
                &m["sheet"],
                &m["cell"],
                &m["indicator_id"],
                &m["period"],
                &m["value"],
            ]
            .join("\t")
        })
        .collect();
    expected.sort();
    got.sort();
    assert_lines_eq(&expected, &got, "values.csv rows");
}

/// Every planted issue is reported at its cell with its code.
#[test]
fn samples_report_every_planted_issue() {
    let wd = run_samples();
    let golden = read_tsv(&repo().join("tests/golden/samples/issues.tsv"));
    let got: Vec<String> = wd
        .read_csv_maps("out/issues.csv")
        .iter()
        .map(|m| {
            [
                m["source_file"].trim_start_matches("samples/"),
                &m["sheet"],
                &m["cell"],
                &m["code"],
            ]
            .join("\t")
        })
        .collect();
    let missing: Vec<String> = golden[1..]
        .iter()
        .map(|r| r.join("\t"))
        .filter(|e| !got.contains(e))
        .collect();
    assert!(
        missing.is_empty(),
        "issues not reported:\n{missing:#?}\nall issues:\n{got:#?}"
    );
}
