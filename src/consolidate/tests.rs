use super::*;
use crate::model::{CellRef, Record};
use std::sync::Arc;

const FY24: Period = Period::Year(FiscalYear(2024));

fn month(m: u8) -> Period {
    Period::Month(if m >= 4 {
        Month {
            year: 2024,
            month: m,
        }
    } else {
        Month {
            year: 2025,
            month: m,
        }
    })
}

fn sub(file: &str, dept: &str, date: Option<u32>, records: &[(&str, Period, f64)]) -> Submission {
    Submission {
        file: file.into(),
        department: Some(dept.to_string()),
        name_date: date,
        modified: None,
        format: None,
        encoding: None,
        failed: false,
        tables: 1,
        template: None,
        values: {
            let mut values = FileValues::default();
            for (i, (id, period, value)) in records.iter().enumerate() {
                let record = Record {
                    indicator_id: (*id).into(),
                    period: *period,
                    value: *value,
                    raw: fmt(*value),
                    at: CellRef::cell(file, "s", i as u32 + 1, 2),
                };
                values.push(record, Status::Used);
            }
            values
        },
        findings: Vec::new(),
    }
}

fn run(subs: Vec<Submission>, period: Option<Period>) -> Consolidated {
    consolidate(&Catalogue::builtin(), subs, &Settings::default(), period)
}

fn codes(c: &Consolidated) -> Vec<&'static str> {
    c.findings.iter().map(|f| f.code).collect()
}

#[test]
fn equal_values_from_two_departments_agree() {
    let c = run(
        vec![
            sub("a.xlsx", "広報広聴課", None, &[("30-3-4", FY24, 400.0)]),
            sub("b.xlsx", "行政改革課", None, &[("30-3-4", FY24, 400.0)]),
        ],
        None,
    );
    assert_eq!(
        c.year_figure("30-3-4", FiscalYear(2024)).map(|f| f.value),
        Some(400.0)
    );
    assert!(c.values.iter().all(|v| v.status() == Status::Used));
}

#[test]
fn two_departments_in_conflict_give_no_figure() {
    let c = run(
        vec![
            sub("a.xlsx", "広報広聴課", None, &[("30-3-4", FY24, 412.0)]),
            sub("b.xlsx", "行政改革課", None, &[("30-3-4", FY24, 398.0)]),
        ],
        None,
    );
    assert_eq!(c.year_figure("30-3-4", FiscalYear(2024)), None);
    assert!(c.values.iter().all(|v| v.status() == Status::Conflict));
    assert_eq!(
        codes(&c)
            .iter()
            .filter(|&&code| code == "E-CONFLICT")
            .count(),
        2
    );
    let msg = &c
        .findings
        .iter()
        .find(|f| f.code == "E-CONFLICT")
        .unwrap()
        .message()
        .to_string();
    assert!(msg.contains("412") && msg.contains("398"), "{msg}");
}

#[test]
fn a_newer_file_of_the_same_department_supersedes_the_older() {
    let old = sub(
        "財政課_20241105.xlsx",
        "財政課",
        Some(20241105),
        &[("33-0-1", FY24, 88.9)],
    );
    let new = sub(
        "財政課_20241120.xlsx",
        "財政課",
        Some(20241120),
        &[("33-0-1", FY24, 89.1)],
    );
    let c = run(vec![new, old], None);
    assert_eq!(
        c.year_figure("33-0-1", FiscalYear(2024)).map(|f| f.value),
        Some(89.1)
    );
    let old_row = c.values.iter().find(|v| v.file().contains("1105")).unwrap();
    assert_eq!(old_row.status(), Status::Superseded);
    assert_eq!(codes(&c), ["I-SUPERSEDED"]);
}

#[test]
fn modification_time_decides_when_names_carry_no_date() {
    let mut old = sub("財政課_a.xlsx", "財政課", None, &[("33-0-1", FY24, 88.9)]);
    let mut new = sub("財政課_b.xlsx", "財政課", None, &[("33-0-1", FY24, 89.1)]);
    old.modified = Some(2_000);
    new.modified = Some(1_000);
    let c = run(vec![old, new], None);
    assert_eq!(
        c.year_figure("33-0-1", FiscalYear(2024)).map(|f| f.value),
        Some(88.9)
    );
}

#[test]
fn months_make_the_year_by_each_rule() {
    // (indicator, rule): 30-2-1 sum, 30-3-1 mean, 30-3-3 last, 31-0-5 annual
    let months = [(4, 10.0), (5, 20.0), (6, 30.0), (7, 40.0)];
    let cases = [
        ("30-2-1", Some(100.0)),
        ("30-3-1", Some(25.0)),
        ("30-3-3", Some(40.0)),
        ("31-0-5", None),
    ];
    for (id, want) in cases {
        let records: Vec<(&str, Period, f64)> =
            months.iter().map(|(m, v)| (id, month(*m), *v)).collect();
        let c = run(
            vec![sub("a.xlsx", "広報広聴課", None, &records)],
            Some(month(7)),
        );
        let fig = c.year_figure(id, FiscalYear(2024));
        assert_eq!(fig.map(|f| f.value), want, "input: {id}");
        if let Some(f) = fig {
            assert_eq!(
                f.partial(),
                None,
                "4 of 4 months due by July is complete: {id}"
            );
        }
    }
}

#[test]
fn missing_months_mark_the_year_partial() {
    let records = [("30-2-1", month(4), 10.0), ("30-2-1", month(6), 10.0)];
    let c = run(
        vec![sub("a.xlsx", "自治会支援室", None, &records)],
        Some(month(11)),
    );
    let fig = c.year_figure("30-2-1", FiscalYear(2024)).unwrap();
    assert_eq!(fig.partial(), Some((2, 8)));
}

#[test]
fn a_reported_year_wins_over_months_and_disagreement_warns() {
    let mut records: Vec<(&str, Period, f64)> = (1..=12)
        .map(|i| ("30-2-1", month(((i + 2) % 12) + 1), 10.0))
        .collect();
    records.push(("30-2-1", FY24, 150.0));
    let c = run(vec![sub("a.xlsx", "自治会支援室", None, &records)], None);
    assert_eq!(
        c.year_figure("30-2-1", FiscalYear(2024)).map(|f| f.value),
        Some(150.0)
    );
    assert!(
        codes(&c).contains(&"W-YEAR-MONTH-MISMATCH"),
        "{:?}",
        codes(&c)
    );
}

#[test]
fn a_cumulative_indicator_going_down_is_an_error() {
    let records = [("30-3-2", month(4), 800.0), ("30-3-2", month(5), 790.0)];
    let c = run(vec![sub("a.xlsx", "広報広聴課", None, &records)], None);
    assert!(
        codes(&c).contains(&"E-CUMULATIVE-DECREASE"),
        "{:?}",
        codes(&c)
    );
}

#[test]
fn a_monthly_jump_beyond_the_factor_warns() {
    let records = [
        ("30-2-1", month(4), 10.0),
        ("30-2-1", month(5), 50.0),
        ("30-2-1", month(6), 60.0),
    ];
    let c = run(vec![sub("a.xlsx", "自治会支援室", None, &records)], None);
    assert_eq!(codes(&c), ["W-MONTHLY-JUMP"]);
}

#[test]
fn department_status_and_owed_indicators() {
    let c = run(
        vec![sub("a.xlsx", "秘書政策課", None, &[("31-2-1", FY24, 60.0)])],
        Some(FY24),
    );
    let status = |d: &str| c.departments.iter().find(|s| s.department == d).unwrap();
    assert_eq!(status("秘書政策課").standing, Standing::Complete);
    assert_eq!(status("人事課").standing, Standing::Missing);
    assert!(status("人事課").owed.contains(&"32-1-1".to_string()));
    assert!(
        !status("行政改革課").owed.contains(&"32-0-3".to_string()),
        "32-0-3 is computed"
    );
}

#[test]
fn a_file_without_a_department_is_noted_once() {
    let mut s = sub(
        "報告.xlsx",
        "x",
        None,
        &[("30-2-1", FY24, 1.0), ("30-2-2", FY24, 2.0)],
    );
    s.department = None;
    let c = run(vec![s], None);
    assert_eq!(codes(&c), ["W-DEPARTMENT-UNKNOWN"]);
}

#[test]
fn the_latest_month_is_the_default_period() {
    let c = run(
        vec![sub(
            "a.xlsx",
            "自治会支援室",
            None,
            &[
                ("30-2-1", month(4), 1.0),
                ("30-2-1", month(11), 1.0),
                ("30-2-1", FY24, 2.0),
            ],
        )],
        None,
    );
    assert_eq!(c.period, Some(month(11)));
}

#[test]
fn used_values_are_grouped_in_value_order_whatever_each_file_numbers_its_ids() {
    // Files that meet the same IDs in different orders (their lists number them
    // differently), an empty file, and values that are not used.
    let ids = ["30-0-1", "31-0-1", "32-0-1"];
    let mut lists = Vec::new();
    for f in 0..9usize {
        let mut list = FileValues::default();
        for j in 0..(f * 7 % 11) {
            let id = ids[(f + j * (f % 3 + 1)) % ids.len()];
            let record = Record {
                indicator_id: id.into(),
                period: if j % 2 == 0 {
                    FY24
                } else {
                    month(j as u8 % 12 + 1)
                },
                value: j as f64,
                raw: j.to_string(),
                at: CellRef::cell(format!("f{f}.xlsx"), "s", j as u32, 0),
            };
            let status = if (f + j) % 5 == 0 {
                Status::Rejected
            } else {
                Status::Used
            };
            list.push(record, status);
        }
        lists.push(list);
    }
    let values = Values::from_files(lists);
    let mut expected: BTreeMap<(String, Period), Vec<usize>> = BTreeMap::new();
    for (i, v) in values.iter().enumerate() {
        if v.status() == Status::Used {
            expected
                .entry((v.indicator_id().to_string(), v.period()))
                .or_default()
                .push(i);
        }
    }
    let expected: Groups = expected.into_iter().collect();
    assert!(expected.len() > 10);
    assert_eq!(group_used(&values), expected);
}

#[test]
fn each_value_of_another_departments_indicator_is_noted_with_its_owner() {
    let catalogue = Catalogue::builtin();
    let owner = |id: &str| catalogue.indicator(id).unwrap().department.clone();
    let (own, other) = ("30-2-1", "31-0-5");
    let dept = owner(own);
    assert_ne!(owner(other), dept);
    // Interleaved: the department's own indicator, another's twice, an unknown ID.
    let c = run(
        vec![sub(
            "a.xlsx",
            &dept,
            None,
            &[
                (own, FY24, 1.0),
                (other, FY24, 50.0),
                (own, month(4), 1.0),
                (other, month(5), 51.0),
                ("99-9-9", FY24, 1.0),
            ],
        )],
        Some(FY24),
    );
    let noted: Vec<&Finding> = c
        .findings
        .iter()
        .filter(|f| f.code == "W-DEPARTMENT-NOT-RESPONSIBLE")
        .collect();
    assert_eq!(noted.len(), 2, "{noted:?}");
    for (row, f) in [2, 4].into_iter().zip(noted) {
        assert_eq!(f.indicator_id.as_deref(), Some(other));
        assert_eq!(f.at.cell, Some((row, 2)));
        let message = f.message().to_string();
        assert!(
            message.contains(&owner(other)) && message.contains(&dept),
            "{message}"
        );
    }
}

#[test]
fn the_same_note_in_two_files_keeps_one_text() {
    let m = |month| Period::Month(Month { year: 2024, month });
    let records = [("31-0-5", m(4), 50.0), ("31-0-5", m(5), 51.0)];
    let c = run(
        vec![
            sub("a.xlsx", "行政改革課", None, &records),
            sub("b.xlsx", "行政改革課", None, &records),
        ],
        None,
    );
    let notes: Vec<&Finding> = c
        .findings
        .iter()
        .filter(|f| f.code == "I-PERIOD-MONTHLY-ANNUAL")
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[0].text(), notes[1].text());
    assert!(notes[0].shares_text_with(notes[1]));
    assert_ne!(notes[0].at.file, notes[1].at.file);
    let (Some(x), Some(y)) = (&notes[0].indicator_id, &notes[1].indicator_id) else {
        panic!("notes name their indicator: {notes:?}")
    };
    assert!(Arc::ptr_eq(x, y));
}

#[test]
fn the_files_of_a_department_share_its_name_and_keep_their_own() {
    let records = [("30-1-1", Period::Year(FiscalYear(2024)), 1.0)];
    let subs = vec![
        sub("a.xlsx", "行政改革課", None, &records),
        sub("b.xlsx", "行政改革課", None, &records),
        sub("c.xlsx", "財政課", None, &records),
    ];
    let names: Vec<Arc<str>> = subs.iter().map(|s| s.file.clone()).collect();
    let c = consolidate(&Catalogue::builtin(), subs, &Settings::default(), None);
    let [a, b, x] = &c.files[..] else {
        panic!("three files: {:?}", c.files)
    };
    let (Some(da), Some(db), Some(dx)) = (&a.department, &b.department, &x.department) else {
        panic!("departments: {:?}", c.files)
    };
    assert!(Arc::ptr_eq(da, db));
    assert_eq!((&**da, &**dx), ("行政改革課", "財政課"));
    for (status, name) in c.files.iter().zip(&names) {
        assert!(Arc::ptr_eq(&status.file, name), "{status:?}");
    }
    let kept = &c.departments;
    let dept = kept.iter().find(|d| d.department == "行政改革課").unwrap();
    assert!(dept
        .files
        .iter()
        .zip(&names)
        .all(|(f, n)| Arc::ptr_eq(f, n)));
}
