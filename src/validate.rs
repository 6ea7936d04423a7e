//! Value-level validation rules, pure: (&Catalogue, a file's values, settings) →
//! findings and the values that may be used.
//!
//! A value that breaks an error-level rule (negative count, percentage outside 0–100,
//! period outside the plan or later than the reporting period) is `rejected`: it stays in
//! values.csv with that status but never makes a figure.

use foldhash::HashMap;

use crate::catalogue::{Catalogue, Indicator};
use crate::model::{Finding, Period, Unit};
use crate::rules::{self, FindingExt};
use crate::values::{FileValues, ValueRow};

/// Thresholds and ranges for validation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// First and last fiscal year of the plan (令和6–8年度).
    pub plan_years: (u16, u16),
    /// A month-to-month change by more than this factor is a warning.
    pub jump_factor: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            plan_years: (2024, 2026),
            jump_factor: 3.0,
        }
    }
}

/// What validation says about one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    /// Broke an error-level rule; not used for figures.
    Rejected,
}

/// Checks one value against the value rules of its indicator.
pub fn check_value(ind: &Indicator, rec: ValueRow) -> Option<Finding> {
    let v = rec.value();
    let finding = if v < 0.0 && !ind.allow_negative && ind.unit != Unit::None {
        let at = rec.at();
        rules::VALUE_NEGATIVE.at(
            at.clone(),
            format!(
                "{at}: 「{}」は負になりえませんが「{}」（{}）です",
                ind.name,
                rec.raw(),
                fmt(v)
            ),
        )
    } else if ind.unit == Unit::Percent && (v > 100.0 || (v < 0.0 && !ind.allow_negative)) {
        let at = rec.at();
        rules::VALUE_PERCENT_RANGE.at(
            at.clone(),
            format!("{at}: 「{}」は割合（%）ですが {} です", ind.name, fmt(v)),
        )
    } else if ind.unit.is_count()
        && v.fract().abs() > 1e-9
        && ind.aggregation != crate::catalogue::Aggregation::Mean
    {
        let at = rec.at();
        rules::VALUE_NOT_INTEGER.at(
            at.clone(),
            format!(
                "{at}: 「{}」は{}の数ですが {} と小数です",
                ind.name,
                ind.unit,
                fmt(v)
            ),
        )
    } else {
        return None;
    };
    Some(finding.indicator(&ind.id).raw(rec.raw()))
}

/// Checks a value's period against the plan and the reporting period.
pub fn check_period(
    ind: &Indicator,
    rec: ValueRow,
    settings: &Settings,
    reporting: Option<Period>,
) -> Option<Finding> {
    let period = rec.period();
    let fy = period.fiscal_year().0;
    let (first, last) = settings.plan_years;
    let finding = if fy < first || fy > last {
        let at = rec.at();
        rules::PERIOD_OUTSIDE_PLAN.at(
            at.clone(),
            format!(
                "{at}: {} は計画期間（令和{}年度〜令和{}年度）の外です",
                period.label_ja(),
                first - 2018,
                last - 2018
            ),
        )
    } else if reporting.is_some_and(|r| is_after(period, r)) {
        let r = reporting.map(Period::label_ja).unwrap_or_default();
        let at = rec.at();
        rules::PERIOD_FUTURE.at(
            at.clone(),
            format!("{at}: {} は報告期間（{r}）より後です", period.label_ja()),
        )
    } else {
        return None;
    };
    Some(finding.indicator(&ind.id).raw(rec.raw()))
}

/// Whether `p` starts after the reporting period `r` ends.
pub fn is_after(p: Period, r: Period) -> bool {
    match (p, r) {
        (Period::Month(a), Period::Month(b)) => a > b,
        (Period::Year(a), Period::Year(b)) => a > b,
        (Period::Year(a), Period::Month(b)) => a > b.fiscal_year(),
        (Period::Month(a), Period::Year(b)) => a.fiscal_year() > b,
    }
}

/// Validates the values of one file. Returns a verdict per value (same order) and the
/// findings, including E-VALUE-DUPLICATE for the same indicator and period given twice
/// with different values.
pub fn validate_file(
    catalogue: &Catalogue,
    values: &FileValues,
    settings: &Settings,
    reporting: Option<Period>,
) -> (Vec<Verdict>, Vec<Finding>) {
    let mut verdicts = Vec::with_capacity(values.len());
    let mut findings = Vec::new();
    // Looked up once per distinct ID of the file, not per value (a large file has a
    // few IDs and 50,000 values).
    let indicators: Vec<Option<&Indicator>> = values
        .ids()
        .iter()
        .map(|id| catalogue.indicator(id))
        .collect();
    for rec in values.iter() {
        let Some(ind) = indicators.get(rec.id_number()).copied().flatten() else {
            verdicts.push(Verdict::Rejected);
            continue;
        };
        // Each check's finding is pushed where it is made, not gathered with the other's
        // first: a finding is large, and moving both results of every value (in an
        // array, or a chain of the two) took 38 of validate_file's 87 M instructions on
        // four 50,000-row files (callgrind).
        let mut verdict = Verdict::Ok;
        let mut note = |f: Finding| {
            if f.severity == crate::model::Severity::Error {
                verdict = Verdict::Rejected;
            }
            findings.push(f);
        };
        if let Some(f) = check_value(ind, rec) {
            note(f);
        }
        if let Some(f) = check_period(ind, rec, settings, reporting) {
            note(f);
        }
        verdicts.push(verdict);
    }
    findings.extend(monthly_annual(values, &indicators));
    // By the ID's number in the file (one per distinct ID) and the period, packed into
    // one integer: no string hashed per value. Sized for a small file's values at once:
    // growing it was 13 % of validating 2,000 small files (callgrind). A large file
    // has few distinct pairs among its thousands of values, and grows it as needed.
    let mut seen: HashMap<u64, (usize, ValueRow)> =
        HashMap::with_capacity_and_hasher(values.len().min(256), Default::default());
    for (i, rec) in values.iter().enumerate() {
        if verdicts.get(i) != Some(&Verdict::Ok) {
            continue;
        }
        let key = rec.period().numbered_key(rec.id_number());
        match seen.get(&key) {
            None => {
                seen.insert(key, (i, rec));
            }
            Some(&(first, other)) if !same(other.value(), rec.value()) => {
                let at = rec.at();
                let message = format!(
                    "{at}: 「{}」{} の値が同じファイルの {} と食い違います（{} と {}）",
                    name_of(catalogue, rec.indicator_id()),
                    rec.period().label_ja(),
                    other.a1(),
                    fmt(other.value()),
                    fmt(rec.value())
                );
                findings.push(
                    rules::VALUE_DUPLICATE
                        .at(at, message)
                        .indicator(rec.indicator_id())
                        .raw(rec.raw()),
                );
                for j in [i, first] {
                    if let Some(verdict) = verdicts.get_mut(j) {
                        *verdict = Verdict::Rejected;
                    }
                }
            }
            Some(_) => {}
        }
    }
    (verdicts, findings)
}

/// One note per indicator for monthly values of an annual-only indicator: they are shown
/// month by month but make no fiscal-year figure. `indicators` holds the catalogue's
/// entry for each of the file's IDs, by number (looked up once per ID, not per value).
fn monthly_annual(values: &FileValues, indicators: &[Option<&Indicator>]) -> Vec<Finding> {
    let mut first: Vec<(usize, &Indicator, ValueRow, usize)> = Vec::new();
    for rec in values
        .iter()
        .filter(|r| matches!(r.period(), Period::Month(_)))
    {
        let n = rec.id_number();
        let Some(ind) = indicators
            .get(n)
            .copied()
            .flatten()
            .filter(|i| i.aggregation == crate::catalogue::Aggregation::Annual)
        else {
            continue;
        };
        match first.iter_mut().find(|(id, ..)| *id == n) {
            Some(entry) => entry.3 += 1,
            None => first.push((n, ind, rec, 1)),
        }
    }
    first
        .into_iter()
        .map(|(_, ind, rec, months)| {
            let at = rec.at();
            let message = format!("{at}: 「{}」は年度の値で評価する指標です。月の値（{months} か月分）は月次推移に表示しますが、年度の値には集計しません", ind.name);
            rules::PERIOD_MONTHLY_ANNUAL
                .at(at, message)
                .indicator(rec.indicator_id())
                .raw(rec.raw())
        })
        .collect()
}

fn name_of<'a>(catalogue: &'a Catalogue, id: &str) -> &'a str {
    catalogue.indicator(id).map_or("", |i| i.name.as_str())
}

/// Equal within rounding (relative 1e-9, absolute 1e-9).
pub fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// A number for messages: `262`, `66.8`, `1325815`.
pub fn fmt(v: f64) -> String {
    crate::ingest::grid::format_number(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consolidate::Status;
    use crate::model::{CellRef, FiscalYear, Month, Record};

    fn pack<'a>(records: impl IntoIterator<Item = &'a Record>) -> FileValues {
        let mut values = FileValues::default();
        for r in records {
            values.push(r.clone(), Status::Used);
        }
        values
    }

    fn rec(id: &str, period: Period, value: f64) -> Record {
        Record {
            indicator_id: id.into(),
            period,
            value,
            raw: fmt(value),
            at: CellRef::cell("a.xlsx", "s", 1, 2),
        }
    }

    const FY24: Period = Period::Year(FiscalYear(2024));

    #[test]
    fn each_value_rule_alone() {
        let cat = Catalogue::builtin();
        let cases = [
            (rec("30-1-1", FY24, -3.0), Some("E-VALUE-NEGATIVE")),
            (rec("31-0-1", FY24, 120.0), Some("E-VALUE-PERCENT-RANGE")),
            (rec("31-0-1", FY24, -1.0), Some("E-VALUE-NEGATIVE")),
            (rec("30-2-1", FY24, 12.5), Some("W-VALUE-NOT-INTEGER")),
            (rec("30-2-1", FY24, 12.0), None),
            (rec("31-0-1", FY24, 70.1), None),
        ];
        for (r, want) in cases {
            let ind = cat.indicator(&r.indicator_id).unwrap();
            let packed = pack([&r]);
            let got = packed.get(0).and_then(|v| check_value(ind, v));
            assert_eq!(got.map(|f| f.code), want, "input: {r:?}");
        }
    }

    #[test]
    fn each_period_rule_alone() {
        let cat = Catalogue::builtin();
        let nov = Some(Period::Month(Month {
            year: 2024,
            month: 11,
        }));
        let cases = [
            (
                rec("30-2-1", Period::Year(FiscalYear(2022)), 1.0),
                nov,
                Some("E-PERIOD-OUTSIDE-PLAN"),
            ),
            (
                rec("30-2-1", Period::Year(FiscalYear(2027)), 1.0),
                None,
                Some("E-PERIOD-OUTSIDE-PLAN"),
            ),
            (
                rec(
                    "30-2-1",
                    Period::Month(Month {
                        year: 2024,
                        month: 12,
                    }),
                    1.0,
                ),
                nov,
                Some("E-PERIOD-FUTURE"),
            ),
            (
                rec("30-2-1", Period::Year(FiscalYear(2025)), 1.0),
                nov,
                Some("E-PERIOD-FUTURE"),
            ),
            (rec("30-2-1", FY24, 1.0), nov, None),
        ];
        for (r, reporting, want) in cases {
            let ind = cat.indicator(&r.indicator_id).unwrap();
            let packed = pack([&r]);
            let got = packed
                .get(0)
                .and_then(|v| check_period(ind, v, &Settings::default(), reporting))
                .map(|f| f.code);
            assert_eq!(got, want, "input: {r:?} {reporting:?}");
        }
    }

    #[test]
    fn monthly_values_of_an_annual_indicator_give_one_note() {
        let cat = Catalogue::builtin();
        let m = |month| Period::Month(Month { year: 2024, month });
        let records = [
            rec("31-0-5", m(4), 50.0),
            rec("31-0-5", m(5), 51.0),
            rec("30-2-1", m(4), 3.0),
        ];
        let (_, findings) = validate_file(&cat, &pack(&records), &Settings::default(), None);
        assert_eq!(
            findings.iter().map(|f| f.code).collect::<Vec<_>>(),
            ["I-PERIOD-MONTHLY-ANNUAL"]
        );
        assert!(
            findings[0].message().to_string().contains("2 か月分"),
            "{}",
            findings[0].message().to_string()
        );
    }

    #[test]
    fn each_annual_indicator_with_monthly_values_gets_its_own_note() {
        let cat = Catalogue::builtin();
        let m = |month| Period::Month(Month { year: 2024, month });
        // Two annual indicators, interleaved, between values of another.
        let records = [
            rec("30-2-1", m(4), 3.0),
            rec("31-0-5", m(4), 50.0),
            rec("32-1-1", m(4), 1.0),
            rec("31-0-5", m(5), 51.0),
            rec("32-1-1", m(5), 1.0),
            rec("31-0-5", m(6), 52.0),
        ];
        let annual = |id: &str| {
            cat.indicator(id)
                .is_some_and(|i| i.aggregation == crate::catalogue::Aggregation::Annual)
        };
        assert!(annual("31-0-5") && annual("32-1-1") && !annual("30-2-1"));
        let (_, findings) = validate_file(&cat, &pack(&records), &Settings::default(), None);
        let notes: Vec<(Option<&str>, String)> = findings
            .iter()
            .map(|f| (f.indicator_id.as_deref(), f.message().to_string()))
            .collect();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert_eq!(notes[0].0, Some("31-0-5"));
        assert!(notes[0].1.contains("3 か月分"), "{}", notes[0].1);
        assert_eq!(notes[1].0, Some("32-1-1"));
        assert!(notes[1].1.contains("2 か月分"), "{}", notes[1].1);
    }

    #[test]
    fn a_year_and_a_month_or_two_indicators_are_not_duplicates() {
        let cat = Catalogue::builtin();
        let april = Period::Month(Month {
            year: 2024,
            month: 4,
        });
        let records = [
            rec("30-2-1", FY24, 10.0),
            rec("30-2-1", april, 11.0),
            rec("30-2-2", FY24, 12.0),
        ];
        let (verdicts, findings) = validate_file(&cat, &pack(&records), &Settings::default(), None);
        assert_eq!(verdicts, [Verdict::Ok; 3]);
        assert!(findings.is_empty(), "{findings:?}");
    }

    #[test]
    fn the_same_cell_twice_with_different_values_is_an_error() {
        let cat = Catalogue::builtin();
        let records = [
            rec("30-2-1", FY24, 10.0),
            rec("30-2-1", FY24, 11.0),
            rec("30-2-2", FY24, 5.0),
            rec("30-2-2", FY24, 5.0),
        ];
        let (verdicts, findings) = validate_file(&cat, &pack(&records), &Settings::default(), None);
        assert_eq!(
            verdicts,
            [
                Verdict::Rejected,
                Verdict::Rejected,
                Verdict::Ok,
                Verdict::Ok
            ]
        );
        assert_eq!(
            findings.iter().map(|f| f.code).collect::<Vec<_>>(),
            ["E-VALUE-DUPLICATE"]
        );
    }
}
