use super::*;
use crate::model::{FiscalYear, Month, Period};

fn m(year: u16, month: u8) -> Month {
    Month { year, month }
}

#[test]
fn fiscal_year_accepts_real_sheet_forms() {
    let cases = [
        ("令和6年度", 2024),
        ("令和６年度", 2024),
        ("R6", 2024),
        ("Ｒ６", 2024),
        ("R06", 2024),
        ("r6", 2024),
        ("ｒ６", 2024),
        ("R6年度", 2024),
        ("R6年度実績", 2024),
        ("㋿6", 2024),
        ("㋿6年度", 2024),
        ("㋿６年度", 2024),
        ("令6", 2024),
        ("令6年度", 2024),
        ("令和元年度", 2019),
        ("令和元", 2019),
        ("R1", 2019),
        ("R01年度", 2019),
        ("2024年度", 2024),
        ("２０２４年度", 2024),
        ("FY2024", 2024),
        ("FY 2024", 2024),
        ("fy2024", 2024),
        ("ＦＹ２０２４", 2024),
        ("平成30年度", 2018),
        ("H30", 2018),
        ("h30", 2018),
        ("H30年度", 2018),
        ("平30年度", 2018),
        ("㍻30年度", 2018),
        ("平成31年度", 2019),
        ("平成元年度", 1989),
        ("H1", 1989),
        ("令和6年度実績", 2024),
        ("令和6年度(実績)", 2024),
        ("令和6年度（実績）", 2024),
        ("令和6年度【実績】", 2024),
        ("令和６年度実績値", 2024),
        ("R6\n実績", 2024),
        ("R6\r\n実績", 2024),
        ("令和6年度\n実績", 2024),
        ("令和6年度\n（実績）", 2024),
        (" 令和 6 年度 ", 2024),
        ("\u{3000}令和6年度\u{3000}", 2024),
        ("令和6年度決算", 2024),
        ("令和6年度末", 2024),
        ("R6年度末時点", 2024),
        ("令和4年度", 2022),
        ("R7", 2025),
        ("R8", 2026),
        ("令和82年度", 2100),
        ("2100年度", 2100),
        ("1989年度", 1989),
        ("FY1989", 1989),
        ("R12", 2030),
        ("2024年度実績", 2024),
        ("FY2024実績", 2024),
    ];
    for (input, want) in cases {
        assert_eq!(
            parse_fiscal_year(input),
            Ok(FiscalYear(want)),
            "input: {input:?}"
        );
    }
}

#[test]
fn fiscal_year_rejects_with_a_reason() {
    use PeriodErrorKind::*;
    let cases = [
        ("", Empty),
        ("   ", Empty),
        ("\n", Empty),
        ("令和", NotFiscalYear),
        ("R", NotFiscalYear),
        ("FY", NotFiscalYear),
        ("FY24", NotFiscalYear),
        ("R0", YearOutOfRange),
        ("令和0年度", YearOutOfRange),
        ("H0", YearOutOfRange),
        ("2024", BareYear),
        ("２０２４", BareYear),
        ("R6目標", Target),
        ("R6目標値", Target),
        ("令和8年度目標", Target),
        ("令和8年度(目標)", Target),
        ("令和8年度\n目標値", Target),
        ("1988年度", YearOutOfRange),
        ("2101年度", YearOutOfRange),
        ("令和83年度", YearOutOfRange),
        ("S60", YearOutOfRange),
        ("昭和60年度", YearOutOfRange),
        ("FY1900", YearOutOfRange),
        ("R6年", NotFiscalYear),
        ("令和6年", NotFiscalYear),
        ("2024年", NotFiscalYear),
        ("R6.4", NotFiscalYear),
        ("令和6年4月", NotFiscalYear),
        ("R6見込", NotFiscalYear),
        ("R123", NotFiscalYear),
        ("24年度", NotFiscalYear),
        ("20245年度", NotFiscalYear),
        ("指標名", NotFiscalYear),
        ("令和X年度", NotFiscalYear),
        ("262", NotFiscalYear),
        ("1.22", NotFiscalYear),
        ("R6R7", NotFiscalYear),
        ("Rank", NotFiscalYear),
    ];
    for (input, want) in cases {
        let got = parse_fiscal_year(input).map_err(|e| e.kind);
        assert_eq!(got, Err(want), "input: {input:?}");
    }
}

#[test]
fn month_accepts_real_sheet_forms() {
    let cases = [
        ("令和6年4月", m(2024, 4)),
        ("令和６年４月", m(2024, 4)),
        ("R6.4", m(2024, 4)),
        ("R6/4", m(2024, 4)),
        ("R6-4", m(2024, 4)),
        ("R6年4月", m(2024, 4)),
        ("R06.04", m(2024, 4)),
        ("Ｒ６．４", m(2024, 4)),
        ("㋿6.4", m(2024, 4)),
        ("令6.4", m(2024, 4)),
        ("2024/4", m(2024, 4)),
        ("2024/04", m(2024, 4)),
        ("２０２４／４", m(2024, 4)),
        ("2024年4月", m(2024, 4)),
        ("2024-04", m(2024, 4)),
        ("2024.4", m(2024, 4)),
        ("2024.10", m(2024, 10)),
        ("平成31年4月", m(2019, 4)),
        ("H31.4", m(2019, 4)),
        ("平成30年12月", m(2018, 12)),
        ("令和元年5月", m(2019, 5)),
        ("R1.5", m(2019, 5)),
        ("令和7年1月", m(2025, 1)),
        ("R7.3", m(2025, 3)),
        ("2024年4月分", m(2024, 4)),
        ("R6.4月", m(2024, 4)),
        ("R6.4月分", m(2024, 4)),
        ("令和6年4月分実績", m(2024, 4)),
        ("令和6年4月\n実績", m(2024, 4)),
        ("令和6年4月(実績)", m(2024, 4)),
        ("R6.11", m(2024, 11)),
        ("R6.12", m(2024, 12)),
        ("2024/4/1", m(2024, 4)),
        ("2024-04-01", m(2024, 4)),
        ("2024年4月1日", m(2024, 4)),
        ("令和6年4月30日", m(2024, 4)),
        ("R6.4.1", m(2024, 4)),
        ("令和6年度4月", m(2024, 4)),
        ("令和6年度12月", m(2024, 12)),
        ("令和6年度1月", m(2025, 1)),
        ("R6年度3月", m(2025, 3)),
        (" 令和 6 年 4 月 ", m(2024, 4)),
        ("2024年4月末", m(2024, 4)),
        ("2024年4月末時点", m(2024, 4)),
    ];
    for (input, want) in cases {
        assert_eq!(parse_month(input), Ok(want), "input: {input:?}");
    }
}

#[test]
fn month_rejects_with_a_reason() {
    use PeriodErrorKind::*;
    let cases = [
        ("", Empty),
        ("令和6年13月", MonthOutOfRange),
        ("令和6年0月", MonthOutOfRange),
        ("R6.13", MonthOutOfRange),
        ("2024/13", MonthOutOfRange),
        ("2024-00", MonthOutOfRange),
        ("13月", MonthOutOfRange),
        ("0月", MonthOutOfRange),
        ("4月", MonthWithoutYear),
        ("４月", MonthWithoutYear),
        ("4月分", MonthWithoutYear),
        ("R6", NotMonth),
        ("令和6年度", NotMonth),
        ("2024", NotMonth),
        ("FY2024", NotMonth),
        ("R6.", NotMonth),
        ("R6.4.", NotMonth),
        ("2024/4/32", NotMonth),
        ("2024/4/0", NotMonth),
        ("令和6年4", NotMonth),
        ("令和6年4月1", NotMonth),
        ("R6.123", NotMonth),
        ("R0.4", YearOutOfRange),
        ("1988/4", YearOutOfRange),
        ("2101/1", YearOutOfRange),
        ("R6.4目標", Target),
        ("R6.4見込", NotMonth),
        ("4", NotMonth),
        ("1.22", NotMonth),
        ("令和6年4月〜6月", NotMonth),
        ("令和6年度13月", MonthOutOfRange),
    ];
    for (input, want) in cases {
        let got = parse_month(input).map_err(|e| e.kind);
        assert_eq!(got, Err(want), "input: {input:?}");
    }
}

#[test]
fn month_only_reads_months_without_year() {
    let cases = [
        ("4月", Some(4)),
        ("４月", Some(4)),
        ("4月分", Some(4)),
        ("04月", Some(4)),
        ("12月", Some(12)),
        ("1月", Some(1)),
        (" 3 月 ", Some(3)),
        ("4月\n実績", Some(4)),
        ("4月(実績)", Some(4)),
        ("4", None),
        ("４", None),
        ("", None),
        ("13月", None),
        ("0月", None),
        ("月", None),
        ("4月目標", None),
        ("R6.4", None),
        ("令和6年4月", None),
        ("123月", None),
        ("4月〜6月", None),
    ];
    for (input, want) in cases {
        assert_eq!(parse_month_only(input), want, "input: {input:?}");
    }
}

#[test]
fn months_of_a_fiscal_year() {
    let cases = [
        (4, m(2024, 4)),
        (5, m(2024, 5)),
        (12, m(2024, 12)),
        (1, m(2025, 1)),
        (2, m(2025, 2)),
        (3, m(2025, 3)),
        (0, m(2025, 1)),
        (13, m(2024, 12)),
    ];
    for (input, want) in cases {
        assert_eq!(
            month_in_fiscal_year(FiscalYear(2024), input),
            want,
            "input: {input:?}"
        );
    }
    for (i, month) in FiscalYear(2024).months().enumerate() {
        assert_eq!(
            month_in_fiscal_year(FiscalYear(2024), month.month),
            month,
            "input: {i}"
        );
    }
    assert_eq!(
        month_in_fiscal_year(FiscalYear(u16::MAX), 1).year,
        u16::MAX,
        "input: u16::MAX"
    );
}

#[test]
fn period_prefers_month_then_fiscal_year() {
    let cases = [
        ("R6.4", Period::Month(m(2024, 4))),
        ("令和6年4月", Period::Month(m(2024, 4))),
        ("2024-04", Period::Month(m(2024, 4))),
        ("令和6年度1月", Period::Month(m(2025, 1))),
        ("R6", Period::Year(FiscalYear(2024))),
        ("令和6年度", Period::Year(FiscalYear(2024))),
        ("令和6年度\n実績", Period::Year(FiscalYear(2024))),
        ("FY2024", Period::Year(FiscalYear(2024))),
        ("2024年度", Period::Year(FiscalYear(2024))),
        ("平成31年度", Period::Year(FiscalYear(2019))),
        ("令和元年度", Period::Year(FiscalYear(2019))),
    ];
    for (input, want) in cases {
        assert_eq!(parse_period(input), Ok(want), "input: {input:?}");
    }
}

#[test]
fn period_errors_keep_the_most_telling_reason() {
    use PeriodErrorKind::*;
    let cases = [
        ("", Empty),
        ("指標名", NotPeriod),
        ("令和", NotPeriod),
        ("2024", BareYear),
        ("R0", YearOutOfRange),
        ("R6.13", MonthOutOfRange),
        ("13月", MonthOutOfRange),
        ("4月", MonthWithoutYear),
        ("R6目標", Target),
        ("R6.4目標", Target),
        ("R6年", NotPeriod),
        ("1.22", NotPeriod),
    ];
    for (input, want) in cases {
        let got = parse_period(input).map_err(|e| e.kind);
        assert_eq!(got, Err(want), "input: {input:?}");
    }
}

#[test]
fn period_arg_accepts_codes_and_labels() {
    let cases = [
        ("FY2024", Period::Year(FiscalYear(2024))),
        ("2024-11", Period::Month(m(2024, 11))),
        (" 2024-11 ", Period::Month(m(2024, 11))),
        ("2025-03", Period::Month(m(2025, 3))),
        ("令和6年11月", Period::Month(m(2024, 11))),
        ("R6.11", Period::Month(m(2024, 11))),
        ("令和6年度", Period::Year(FiscalYear(2024))),
        ("R6", Period::Year(FiscalYear(2024))),
        ("fy2024", Period::Year(FiscalYear(2024))),
    ];
    for (input, want) in cases {
        assert_eq!(parse_period_arg(input), Ok(want), "input: {input:?}");
    }
    for bad in ["", "2024", "FY1900", "1900-01", "2024-13", "R6目標", "next"] {
        assert!(parse_period_arg(bad).is_err(), "input: {bad:?}");
    }
}

#[test]
fn excel_serials_become_months() {
    let cases = [
        (45383.0, Some(m(2024, 4))),
        (45383.75, Some(m(2024, 4))),
        (45382.0, Some(m(2024, 3))),
        (45412.0, Some(m(2024, 4))),
        (45413.0, Some(m(2024, 5))),
        (45658.0, Some(m(2025, 1))),
        (43586.0, Some(m(2019, 5))),
        (25569.0, Some(m(1970, 1))),
        (1.0, Some(m(1900, 1))),
        (31.0, Some(m(1900, 1))),
        (32.0, Some(m(1900, 2))),
        (59.0, Some(m(1900, 2))),
        (60.0, Some(m(1900, 2))),
        (61.0, Some(m(1900, 3))),
        (2958465.0, Some(m(9999, 12))),
        (0.0, None),
        (0.5, None),
        (-1.0, None),
        (2958466.0, None),
        (f64::NAN, None),
        (f64::INFINITY, None),
        (f64::NEG_INFINITY, None),
        (f64::MAX, None),
    ];
    for (input, want) in cases {
        assert_eq!(month_from_excel_serial(input), want, "input: {input:?}");
    }
}

#[test]
fn error_messages_name_the_input_and_examples() {
    let cases = [
        ("令和X年度", PeriodErrorKind::NotFiscalYear, "'令和X年度' は年度として読めません（例: 令和6年度, R6, 2024年度）"),
        ("R6.", PeriodErrorKind::NotMonth, "'R6.' は年月として読めません（例: 令和6年4月, R6.4, 2024/4）"),
        ("2024", PeriodErrorKind::BareYear, "'2024' は年か年度か判断できません（例: 2024年度, FY2024, 令和6年度, 2024-04）"),
        ("4月", PeriodErrorKind::MonthWithoutYear, "'4月' には年がありません（例: 令和6年4月, R6.4, 2024/4）"),
        ("R6目標", PeriodErrorKind::Target, "'R6目標' は目標値の見出しで、実績の年度・年月ではありません（例: 令和6年度, R6）"),
        ("R6\n目標", PeriodErrorKind::Target, "'R6 目標' は目標値の見出しで、実績の年度・年月ではありません（例: 令和6年度, R6）"),
        ("令和6年13月", PeriodErrorKind::MonthOutOfRange, "'令和6年13月' の月が範囲外です（1〜12月。例: 令和6年4月, R6.4）"),
        ("R0", PeriodErrorKind::YearOutOfRange, "'R0' の年が範囲外です（1989〜2100年、令和元年度 = 2019年度。例: 令和6年度, R6）"),
        ("", PeriodErrorKind::Empty, "年度・年月が空欄です（例: 令和6年度, R6, 令和6年4月, R6.4）"),
        ("x", PeriodErrorKind::NotPeriod, "'x' は年度・年月として読めません（例: 令和6年度, R6, FY2024, 令和6年4月, R6.4, 2024-04）"),
    ];
    for (input, kind, want) in cases {
        let err = PeriodError {
            input: input.to_string(),
            kind,
        };
        assert_eq!(err.to_string(), want, "input: {input:?}");
    }
    let err = parse_fiscal_year("令和X年度").unwrap_err();
    assert_eq!(err.input, "令和X年度");
    let boxed: Box<dyn std::error::Error> = Box::new(err);
    assert!(boxed.to_string().contains("令和X年度"));
}

#[test]
fn labels_round_trip_through_the_model() {
    for year in 1989..=2100u16 {
        let fy = FiscalYear(year);
        for label in [fy.label_ja(), fy.short_ja(), fy.code()] {
            assert_eq!(parse_fiscal_year(&label), Ok(fy), "input: {label:?}");
        }
        for month in fy.months() {
            if month.year > 2100 {
                continue;
            }
            let label = month.label_ja();
            assert_eq!(parse_month(&label), Ok(month), "input: {label:?}");
            assert_eq!(
                parse_period_arg(&month.code()),
                Ok(Period::Month(month)),
                "input: {month:?}"
            );
        }
    }
}

#[test]
fn odd_strings_do_not_panic() {
    let long = "9".repeat(400);
    let odd = [
        "\u{0}",
        "R",
        "R\u{0}",
        "令",
        "令和元",
        "元",
        "年度",
        "FY",
        "-",
        "/",
        "R6/",
        "2024//",
        "月",
        "年",
        "①",
        "R①",
        "𝟐𝟎𝟐𝟒年度",
        long.as_str(),
        "R99999999999",
        "2024年度4",
        "令和6年度月",
    ];
    for input in odd {
        let _ = parse_fiscal_year(input);
        let _ = parse_month(input);
        let _ = parse_month_only(input);
        let _ = parse_period(input);
        let _ = parse_period_arg(input);
    }
}
