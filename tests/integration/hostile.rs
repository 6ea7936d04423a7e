//! Hostile and broken inputs (tests/hostile/, made by tools/make_hostile.py, plus a few
//! made here): each becomes a clear issue naming the file, nothing panics or hangs, and
//! the good file beside them still reaches the report.

use std::collections::HashMap;

use crate::util::{repo, Workdir};

/// An .xls whose DIMENSIONS record declares four billion rows.
fn huge_dimension_xls() -> Vec<u8> {
    let mut records = Vec::new();
    let mut record = |typ: u16, body: &[u8]| {
        records.extend_from_slice(&typ.to_le_bytes());
        records.extend_from_slice(&(body.len() as u16).to_le_bytes());
        records.extend_from_slice(body);
    };
    record(
        0x0809,
        &[0x00, 0x06, 0x10, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    );
    let mut dims = Vec::new();
    dims.extend_from_slice(&0u32.to_le_bytes());
    dims.extend_from_slice(&4_000_000_000u32.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    dims.extend_from_slice(&256u16.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    record(0x0200, &dims);
    record(0x000A, &[]);
    let mut cursor = std::io::Cursor::new(Vec::new());
    {
        let mut cfb = cfb::CompoundFile::create(&mut cursor).unwrap();
        let mut stream = cfb.create_stream("/Workbook").unwrap();
        std::io::Write::write_all(&mut stream, &records).unwrap();
    }
    cursor.into_inner()
}

#[test]
fn hostile_files_become_issues_and_the_good_file_still_counts() {
    let wd = Workdir::new("hostile");
    for entry in std::fs::read_dir(repo().join("tests/hostile")).unwrap() {
        let entry = entry.unwrap();
        std::fs::create_dir_all(wd.path("inbox")).unwrap();
        std::fs::copy(entry.path(), wd.path("inbox").join(entry.file_name())).unwrap();
    }
    wd.write("inbox/huge_dimension.xls", &huge_dimension_xls());
    let mut million = String::from("指標名,令和6年度\n");
    for i in 0..1_000_000 {
        million.push_str(&format!("行{i},\n"));
    }
    wd.write("inbox/million_rows.csv", million.as_bytes());
    wd.write(
        "inbox/収税課 令和6年度 実績.csv",
        "指標名,令和6年度\n市税収納率,97.1%\n".as_bytes(),
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(wd.path("inbox"), wd.path("inbox/loop")).unwrap();
        // A link to nothing cannot be opened (an unreadable file, even for root).
        std::os::unix::fs::symlink(wd.path("nowhere.xlsx"), wd.path("inbox/dangling.xlsx"))
            .unwrap();
        // A named pipe would block a read forever.
        let fifo = std::process::Command::new("mkfifo")
            .arg(wd.path("inbox/pipe.csv"))
            .status();
        assert!(fifo.is_ok_and(|s| s.success()), "mkfifo failed");
    }

    let out = wd.consolidate("inbox", 1);
    assert!(out.stderr.is_empty() || !String::from_utf8_lossy(&out.stderr).contains("panicked"));

    let issues = wd.read_csv_maps("out/issues.csv");
    let mut codes: HashMap<String, Vec<String>> = HashMap::new();
    for i in &issues {
        codes
            .entry(i["source_file"].clone())
            .or_default()
            .push(i["code"].clone());
    }
    let expected = [
        ("empty.xlsx", "E-FILE-EMPTY"),
        ("text_renamed.xlsx", "E-FILE-UNREADABLE"),
        ("truncated.xlsx", "E-FILE-UNREADABLE"),
        ("password.xlsx", "E-FILE-ENCRYPTED"),
        ("zip_bomb.xlsx", "E-FILE-LIMIT"),
        ("far_cell.xlsx", "E-FILE-LIMIT"),
        ("far_cell.xlsb", "E-FILE-LIMIT"),
        ("huge_shared_strings.xlsx", "E-FILE-LIMIT"),
        ("huge_dimension.xls", "E-FILE-LIMIT"),
        ("html_saved_as.xls", "E-FILE-UNREADABLE"),
        ("nul_bytes.csv", "E-FILE-UNREADABLE"),
        ("invalid_bytes.csv", "W-FILE-ENCODING"),
        ("long_cell.xlsx", "E-VALUE-NONNUMERIC"),
        ("million_rows.csv", "E-SUBMISSION-EMPTY"),
    ];
    for (file, code) in expected {
        let got = codes
            .get(&format!("inbox/{file}"))
            .cloned()
            .unwrap_or_default();
        assert!(
            got.contains(&code.to_string()),
            "{file}: expected {code}, got {got:?}"
        );
        if code.starts_with("E-FILE") {
            assert_eq!(
                got.len(),
                1,
                "{file}: one issue for an unreadable file, got {got:?}"
            );
        }
    }
    let password = issues
        .iter()
        .find(|i| i["source_file"] == "inbox/password.xlsx")
        .unwrap();
    assert!(password["message"].contains("パスワード"), "{password:?}");
    #[cfg(unix)]
    assert!(
        issues
            .iter()
            .any(|i| i["code"] == "I-FILE-SKIPPED" && i["message"].contains("循環")),
        "symlink loop not noted"
    );

    let values = wd.read_csv_maps("out/values.csv");
    let good: Vec<_> = values
        .iter()
        .filter(|v| v["source_file"] == "inbox/収税課 令和6年度 実績.csv")
        .collect();
    assert_eq!(good.len(), 1, "{values:?}");
    assert_eq!(good[0]["value"], "97.1");
}

/// A table far to the right of a CSV sheet (past column 65,535, where Excel stops at
/// 16,384): its values keep their cells, which are packed in 16 bits up to there.
#[test]
fn values_past_column_65535_keep_their_cells() {
    let wd = Workdir::new("wide-csv");
    let pad = ",".repeat(70_000);
    let csv = format!("{pad}項目,R6.4,R6.5\n{pad}市税収納率,6.2%,20.8%\n");
    wd.write("inbox/収税課_wide.csv", csv.as_bytes());
    wd.consolidate("inbox", 0);
    let values = wd.read_csv_maps("out/values.csv");
    let cells: Vec<(&str, &str, &str)> = values
        .iter()
        .map(|v| (v["cell"].as_str(), v["period"].as_str(), v["raw"].as_str()))
        .collect();
    // Columns 70,002 and 70,003 (1-based): CYNJ and CYNK.
    assert_eq!(
        cells,
        [("CYNJ2", "2024-04", "6.2%"), ("CYNK2", "2024-05", "20.8%")]
    );
    assert!(values.iter().all(|v| v["indicator_id"] == "33-1-2"));
}
