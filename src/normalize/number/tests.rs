use super::*;
use crate::model::Unit;

fn num(value: f64, unit: Option<Unit>) -> ParsedValue {
    ParsedValue::Number(Quantity {
        value,
        unit,
        unit_text: None,
        percent: unit == Some(Unit::Percent),
    })
}

fn other(value: f64, unit_text: &str) -> ParsedValue {
    ParsedValue::Number(Quantity {
        value,
        unit: None,
        unit_text: Some(unit_text.to_string()),
        percent: false,
    })
}

fn text(s: &str) -> ParsedValue {
    ParsedValue::Text(s.to_string())
}

#[test]
fn numbers_from_real_sheets() {
    let cases = [
        ("262", num(262.0, None)),
        ("262 団体", num(262.0, Some(Unit::Dantai))),
        ("262団体", num(262.0, Some(Unit::Dantai))),
        ("262　団体", num(262.0, Some(Unit::Dantai))),
        ("740,454 件/月", num(740454.0, Some(Unit::KenPerMonth))),
        ("740,454件／月", num(740454.0, Some(Unit::KenPerMonth))),
        ("740,454 件 / 月", num(740454.0, Some(Unit::KenPerMonth))),
        ("66.8%", num(66.8, Some(Unit::Percent))),
        ("66.8 ％", num(66.8, Some(Unit::Percent))),
        ("66.8％", num(66.8, Some(Unit::Percent))),
        ("６６．８％", num(66.8, Some(Unit::Percent))),
        ("66.8パーセント", num(66.8, Some(Unit::Percent))),
        ("１２３", num(123.0, None)),
        ("１，２３４", num(1234.0, None)),
        ("△1,234", num(-1234.0, None)),
        ("▲1,234", num(-1234.0, None)),
        ("△ 1,234", num(-1234.0, None)),
        ("△0.5", num(-0.5, None)),
        ("-1,234", num(-1234.0, None)),
        ("−1234", num(-1234.0, None)),
        ("－1234", num(-1234.0, None)),
        ("‐12", num(-12.0, None)),
        ("–12", num(-12.0, None)),
        ("+12", num(12.0, None)),
        ("-0", num(0.0, None)),
        ("△0", num(0.0, None)),
        ("1.5万", num(15000.0, None)),
        ("1.5万人", num(15000.0, Some(Unit::Nin))),
        ("1.5 万 人", num(15000.0, Some(Unit::Nin))),
        ("1.23万", num(12300.0, None)),
        ("12.345万", num(123450.0, None)),
        ("2億", num(200_000_000.0, None)),
        ("1.2億円", num(120_000_000.0, Some(Unit::En))),
        ("3万円", num(30000.0, Some(Unit::En))),
        ("12百万円", num(12_000_000.0, Some(Unit::En))),
        ("5千人", num(5000.0, Some(Unit::Nin))),
        ("1,234万", num(12_340_000.0, None)),
        ("49,972千円", num(49972.0, Some(Unit::SenEn))),
        ("1,325,815 千円", num(1_325_815.0, Some(Unit::SenEn))),
        ("5,454千円", num(5454.0, Some(Unit::SenEn))),
        ("5,454 千 円", num(5454.0, Some(Unit::SenEn))),
        ("1,234円", num(1234.0, Some(Unit::En))),
        ("1.22", num(1.22, None)),
        ("0.668", num(0.668, None)),
        (" 12 ", num(12.0, None)),
        ("\u{3000}12\u{3000}", num(12.0, None)),
        ("12\n", num(12.0, None)),
        ("12.", num(12.0, None)),
        (".5", num(0.5, None)),
        ("0", num(0.0, None)),
        ("007", num(7.0, None)),
        ("1,234.5", num(1234.5, None)),
        ("1,234,567", num(1_234_567.0, None)),
        ("999", num(999.0, None)),
        ("1234567", num(1_234_567.0, None)),
        ("3位", num(3.0, Some(Unit::Rank))),
        ("27 位", num(27.0, Some(Unit::Rank))),
        ("12課室", num(12.0, Some(Unit::Kashitsu))),
        ("8事業", num(8.0, Some(Unit::Jigyo))),
        ("1,024世帯", num(1024.0, Some(Unit::Setai))),
        ("35人", num(35.0, Some(Unit::Nin))),
        ("42件", num(42.0, Some(Unit::Ken))),
        ("４２件", num(42.0, Some(Unit::Ken))),
        ("15.3% ", num(15.3, Some(Unit::Percent))),
        ("100%", num(100.0, Some(Unit::Percent))),
        ("-2.5%", num(-2.5, Some(Unit::Percent))),
    ];
    for (input, want) in cases {
        assert_eq!(parse_value(input), want, "input: {input:?}");
    }
}

#[test]
fn unknown_units_are_kept_as_text() {
    let cases = [
        ("12ドル", other(12.0, "ドル")),
        ("12 ドル", other(12.0, "ドル")),
        ("3か所", other(3.0, "か所")),
        ("3ヶ所", other(3.0, "ヶ所")),
        ("120m2", other(120.0, "m2")),
        ("120㎡", other(120.0, "m2")),
        ("5km", other(5.0, "km")),
        ("7人/日", other(7.0, "人/日")),
        ("7 回", other(7.0, "回")),
        ("2.5pt", other(2.5, "pt")),
        ("2.5ポイント", other(2.5, "ポイント")),
    ];
    for (input, want) in cases {
        assert_eq!(parse_value(input), want, "input: {input:?}");
    }
}

#[test]
fn blanks_and_dashes_are_empty() {
    let cases = [
        "", " ", "\u{3000}", "\n", "—", "－", "-", "ー", "―", "‐", "−", "–", "－－", " - ",
    ];
    for input in cases {
        assert_eq!(parse_value(input), ParsedValue::Empty, "input: {input:?}");
    }
}

#[test]
fn non_numbers_are_text() {
    let cases = [
        ("調査中", "調査中"),
        (" 調査中 ", "調査中"),
        ("なし", "なし"),
        ("(1,234)", "(1,234)"),
        ("（1,234）", "（1,234）"),
        ("3/17 団体", "3/17 団体"),
        ("27/37団体", "27/37団体"),
        ("1e3", "1e3"),
        ("1E3", "1E3"),
        ("1,23,4", "1,23,4"),
        ("1,2345", "1,2345"),
        (",123", ",123"),
        ("1,234,", "1,234,"),
        ("12,34", "12,34"),
        ("1234,567", "1234,567"),
        (".", "."),
        ("△", "△"),
        ("▲", "▲"),
        ("+", "+"),
        ("--5", "--5"),
        ("△-5", "△-5"),
        ("1.2.3", "1.2.3"),
        ("12 34", "12 34"),
        ("約50", "約50"),
        ("100以上", "100以上"),
        ("2.5%以内", "2.5%以内"),
        ("50人程度", "50人程度"),
        ("3億5千万円", "3億5千万円"),
        ("1~3", "1~3"),
        ("1〜3件", "1〜3件"),
        ("R6", "R6"),
        ("令和6年度", "令和6年度"),
        ("n/a", "n/a"),
        ("N/A", "N/A"),
        ("#DIV/0!", "#DIV/0!"),
        ("12/", "12/"),
        ("12件/", "12件/"),
        ("0x10", "0x10"),
        ("inf", "inf"),
        ("NaN", "NaN"),
        ("12 件\n(速報)", "12 件 (速報)"),
        ("ー5", "ー5"),
        (
            "12件件件件件件件件件件件件件",
            "12件件件件件件件件件件件件件",
        ),
        ("万", "万"),
        ("千円", "千円"),
        ("1.5万万", "1.5万万"),
        ("2億万円", "2億万円"),
        ("1万億", "1万億"),
    ];
    for (input, want) in cases {
        assert_eq!(parse_value(input), text(want), "input: {input:?}");
    }
}

#[test]
fn decimals_come_out_exactly_as_written() {
    let cases = [
        ("66.8", 66.8f64),
        ("0.1", 0.1),
        ("1.15万", 11500.0),
        ("0.3万", 3000.0),
        ("1.1億", 110_000_000.0),
        ("2.675", 2.675),
        ("99.9%", 99.9),
        ("1,234.56", 1234.56),
        ("0.0001万", 1.0),
    ];
    for (input, want) in cases {
        let ParsedValue::Number(q) = parse_value(input) else {
            panic!("input: {input:?}")
        };
        assert_eq!(q.value.to_bits(), want.to_bits(), "input: {input:?}");
    }
}

#[test]
fn huge_and_odd_inputs_do_not_panic() {
    let nines = "9".repeat(400);
    let nines_man = format!("{}万", "9".repeat(306));
    let grouped = format!("1{}", ",999".repeat(200));
    let many_dots = ".".repeat(100);
    let inputs = [
        "\u{0}",
        "\u{0}12",
        "12\u{0}",
        nines.as_str(),
        nines_man.as_str(),
        grouped.as_str(),
        many_dots.as_str(),
        "🎉",
        "1🎉",
        "△🎉",
        "\u{FFFF}",
        "9".repeat(308).leak(),
    ];
    for input in inputs {
        match parse_value(input) {
            ParsedValue::Number(q) => assert!(q.value.is_finite(), "input: {input:?}"),
            ParsedValue::Empty | ParsedValue::Text(_) => {}
        }
    }
    assert!(
        matches!(parse_value(&nines), ParsedValue::Text(_)),
        "input: 9×400"
    );
    assert!(
        matches!(parse_value(&nines_man), ParsedValue::Text(_)),
        "input: 9×306万"
    );
    assert!(
        matches!(parse_value(&grouped), ParsedValue::Text(_)),
        "input: 1,999×200"
    );
    let long_ok = "1".repeat(100);
    assert!(
        matches!(parse_value(&long_ok), ParsedValue::Number(_)),
        "input: 1×100"
    );
    let long_grouped = format!("1{}", ",000".repeat(30));
    assert_eq!(
        parse_value(&long_grouped),
        num(1e90, None),
        "input: {long_grouped:?}"
    );
}

fn quantity(s: &str) -> Quantity {
    match parse_value(s) {
        ParsedValue::Number(q) => q,
        other => panic!("input: {s:?} gave {other:?}"),
    }
}

#[test]
fn conversions_into_the_indicator_unit() {
    let cases = [
        ("262", Unit::Dantai, 262.0),
        ("262団体", Unit::Dantai, 262.0),
        ("66.8%", Unit::Percent, 66.8),
        ("66.8", Unit::Percent, 66.8),
        ("1,234円", Unit::SenEn, 1.234),
        ("49,972,000円", Unit::SenEn, 49972.0),
        ("49,972千円", Unit::SenEn, 49972.0),
        ("5千円", Unit::En, 5000.0),
        ("3万円", Unit::SenEn, 30.0),
        ("1.2億円", Unit::SenEn, 120_000.0),
        ("740,454件/月", Unit::KenPerMonth, 740_454.0),
        ("42件", Unit::Ken, 42.0),
        ("1.22", Unit::None, 1.22),
        ("3位", Unit::Rank, 3.0),
        ("△1,234", Unit::SenEn, -1234.0),
        ("1.5万人", Unit::Nin, 15000.0),
    ];
    for (input, target, want) in cases {
        assert_eq!(
            convert(&quantity(input), target),
            Ok(want),
            "input: {input:?}"
        );
    }
}

#[test]
fn conversions_that_do_not_fit() {
    let cases = [
        ("66.8%", Unit::Nin, "%"),
        ("66.8%", Unit::None, "%"),
        ("35人", Unit::Ken, "人"),
        ("35人", Unit::Percent, "人"),
        ("42件", Unit::KenPerMonth, "件"),
        ("42件/月", Unit::Ken, "件/月"),
        ("12ドル", Unit::SenEn, "ドル"),
        ("12ドル", Unit::None, "ドル"),
        ("1,234円", Unit::Nin, "円"),
        ("3位", Unit::None, "位"),
        ("49,972千円", Unit::Percent, "千円"),
    ];
    for (input, target, found) in cases {
        let want = Err(UnitMismatch {
            found: found.to_string(),
            expected: target,
        });
        assert_eq!(convert(&quantity(input), target), want, "input: {input:?}");
    }
}

#[test]
fn unit_mismatch_messages() {
    let cases = [
        (
            UnitMismatch {
                found: "人".into(),
                expected: Unit::Ken,
            },
            "単位 '人' は指標の単位 '件' と合いません（件 で入力してください）",
        ),
        (
            UnitMismatch {
                found: "%".into(),
                expected: Unit::None,
            },
            "単位のない指標に単位 '%' が付いています（数値だけを入力してください）",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(input.to_string(), want, "input: {input:?}");
    }
}

#[test]
fn percent_formatted_cells() {
    let cases = [
        (0.668, true, Unit::Percent, 66.8f64),
        (0.153, true, Unit::Percent, 15.3),
        (1.0, true, Unit::Percent, 100.0),
        (0.0, true, Unit::Percent, 0.0),
        (0.07, true, Unit::Percent, 7.0),
        (0.0123456789, true, Unit::Percent, 1.23456789),
        (-0.025, true, Unit::Percent, -2.5),
        (66.8, false, Unit::Percent, 66.8),
        (0.5, true, Unit::Nin, 0.5),
        (0.5, false, Unit::None, 0.5),
        (1e-300, true, Unit::Percent, 1e-298),
    ];
    for (value, formatted, target, want) in cases {
        let got = percent_from_cell(value, formatted, target);
        assert_eq!(
            got.to_bits(),
            want.to_bits(),
            "input: {value:?} {formatted} {target:?}"
        );
    }
    assert!(
        percent_from_cell(f64::NAN, true, Unit::Percent).is_nan(),
        "input: NaN"
    );
    assert_eq!(
        percent_from_cell(f64::INFINITY, true, Unit::Percent),
        f64::INFINITY,
        "input: inf"
    );
}

/// Fuzz finding (normalize target): `9…9千円` with 306 digits parsed to 1e306, and
/// converting it for a `円` indicator overflowed to +∞.
#[test]
fn fuzz_huge_sen_en_does_not_convert_to_infinity() {
    let input = format!("{}千円", "9".repeat(306));
    assert!(
        matches!(parse_value(&input), ParsedValue::Text(_)),
        "input: 9×306千円"
    );
    let at_limit = format!("1{}千円", "0".repeat(300));
    let ParsedValue::Number(q) = parse_value(&at_limit) else {
        panic!("input: 1e300千円")
    };
    for unit in Unit::ALL {
        if let Ok(v) = convert(&q, unit) {
            assert!(v.is_finite(), "1e300千円 → {unit:?} = {v}");
        }
    }
    assert!(percent_from_cell(q.value, true, Unit::Percent).is_finite());
    assert!(matches!(
        parse_value(&format!("1{}1", "0".repeat(300))),
        ParsedValue::Text(_)
    ));
}
