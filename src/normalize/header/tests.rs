use super::*;
use crate::model::{FiscalYear, Month, Period};
use crate::normalize::text::compact;

fn fy(y: u16) -> Period {
    Period::Year(FiscalYear(y))
}

fn month(year: u16, month: u8) -> Period {
    Period::Month(Month { year, month })
}

#[test]
fn fixed_header_words() {
    use HeaderKind::*;
    let cases = [
        ("ID", Id),
        ("id", Id),
        ("ＩＤ", Id),
        ("指標ID", Id),
        ("指標ＩＤ", Id),
        ("指標番号", Id),
        ("No.", Id),
        ("No", Id),
        ("NO.", Id),
        ("Ｎｏ．", Id),
        ("№", Id),
        ("番号", Id),
        ("指標名", IndicatorName),
        ("指 標 名", IndicatorName),
        ("指標", IndicatorName),
        ("指標名称", IndicatorName),
        ("項目", IndicatorName),
        ("項目名", IndicatorName),
        ("KPI", IndicatorName),
        ("ＫＰＩ", IndicatorName),
        ("kpi", IndicatorName),
        ("成果指標", IndicatorName),
        ("指標項目", IndicatorName),
        ("【指標名】", IndicatorName),
        ("指標名：", IndicatorName),
        ("基準値", Baseline),
        ("基準", Baseline),
        ("現状値", Baseline),
        ("基準値(R4)", Baseline),
        ("基準値（令和4年度）", Baseline),
        ("基準値\n(R4)", Baseline),
        ("基準値\n令和4年度", Baseline),
        ("現状値(R4)", Baseline),
        ("目指す方向", Trend),
        ("目指す\n方向", Trend),
        ("方向", Trend),
        ("方向性", Trend),
        ("単位", Unit),
        ("　単位　", Unit),
        ("備考", Note),
        ("※備考", Note),
        ("注記", Note),
        ("摘要", Note),
        ("コメント", Note),
        ("担当課", Department),
        ("所管課", Department),
        ("担当部署", Department),
        ("課名", Department),
        ("実績値", ValueGroup),
        ("実績", ValueGroup),
        ("数値", ValueGroup),
        ("（実績）", ValueGroup),
    ];
    for (input, want) in cases {
        assert_eq!(classify_header(input), want, "input: {input:?}");
    }
}

#[test]
fn target_headers_carry_their_period() {
    use HeaderKind::Target;
    let cases = [
        ("目標", Target(None)),
        ("目標値", Target(None)),
        ("（目標）", Target(None)),
        ("R8目標", Target(Some(fy(2026)))),
        ("R8目標値", Target(Some(fy(2026)))),
        ("令和8年度目標", Target(Some(fy(2026)))),
        ("令和8年度\n目標", Target(Some(fy(2026)))),
        ("令和8年度(目標)", Target(Some(fy(2026)))),
        ("令和８年度目標値", Target(Some(fy(2026)))),
        ("目標(R8)", Target(Some(fy(2026)))),
        ("目標値（令和8年度）", Target(Some(fy(2026)))),
        ("目標値\nR8", Target(Some(fy(2026)))),
        ("R6.4目標", Target(Some(month(2024, 4)))),
    ];
    for (input, want) in cases {
        assert_eq!(classify_header(input), want, "input: {input:?}");
    }
}

#[test]
fn period_headers() {
    use HeaderKind::{MonthOnly, Period as P};
    let cases = [
        ("R6", P(fy(2024))),
        ("Ｒ６", P(fy(2024))),
        ("R7", P(fy(2025))),
        ("R8", P(fy(2026))),
        ("令和6年度", P(fy(2024))),
        ("令和6年度\n実績", P(fy(2024))),
        ("令和6年度\r\n（実績）", P(fy(2024))),
        ("R6\n実績", P(fy(2024))),
        ("2024年度", P(fy(2024))),
        ("FY2024", P(fy(2024))),
        ("㋿6", P(fy(2024))),
        ("実績(R6)", P(fy(2024))),
        ("実績値\nR6", P(fy(2024))),
        ("実績\n令和6年度", P(fy(2024))),
        ("令和6年4月", P(month(2024, 4))),
        ("R6.4", P(month(2024, 4))),
        ("2024/4", P(month(2024, 4))),
        ("令和7年1月", P(month(2025, 1))),
        ("2024年4月分", P(month(2024, 4))),
        ("4月", MonthOnly(4)),
        ("４月", MonthOnly(4)),
        ("4月分", MonthOnly(4)),
        ("12月", MonthOnly(12)),
        ("3月\n実績", MonthOnly(3)),
    ];
    for (input, want) in cases {
        assert_eq!(classify_header(input), want, "input: {input:?}");
    }
}

#[test]
fn other_headers() {
    let cases = [
        "",
        "  ",
        "\n",
        "目標年度",
        "目標値(最終)",
        "基準年度",
        "2024",
        "13月",
        "R6年",
        "262",
        "—",
        "評価",
        "達成状況",
        "指標名と単位",
        "R6R7",
        "令和",
        "R0",
    ];
    for input in cases {
        assert_eq!(
            classify_header(input),
            HeaderKind::Other,
            "input: {input:?}"
        );
    }
}

#[test]
fn odd_headers_do_not_panic() {
    let long = "目標".repeat(300);
    for input in [
        "\u{0}",
        "目標目標",
        "(",
        ")",
        "【",
        "※",
        ":",
        "::",
        "実績(",
        "基準値()",
        long.as_str(),
    ] {
        let _ = classify_header(input);
    }
}

/// The prefilter never hides a heading: every indicator-name word, in its header-key
/// form and in the spellings departments use (full-width, brackets, line breaks),
/// passes it.
#[test]
fn the_name_heading_prefilter_keeps_every_heading() {
    let mut inputs: Vec<String> = WORDS
        .iter()
        .filter(|(_, kind)| *kind == HeaderKind::IndicatorName)
        .map(|(word, _)| word.to_string())
        .collect();
    assert!(inputs.len() > 10);
    for extra in [
        "ＫＰＩ",
        "KPI",
        "Kpi",
        "\u{212A}PI",
        "【指標名】",
        "※指標名：",
        "指標\n名",
        "項 目",
        "ｋｐｉ名",
    ] {
        inputs.push(extra.to_string());
    }
    for input in &inputs {
        assert_eq!(
            classify_header(input),
            HeaderKind::IndicatorName,
            "input: {input:?}"
        );
        assert!(may_be_name_heading(input), "input: {input:?}");
    }
    for other in ["R6-000123", "受付番号", "令和6年4月", "単位", "1,234"] {
        assert!(!may_be_name_heading(other), "input: {other:?}");
    }
}

/// The key as it was built before it was built on the stack: every cut made on an
/// owned copy.
fn header_key_by_copying(s: &str) -> String {
    let mut key = compact(s).to_ascii_lowercase();
    if let Some(rest) = key.strip_prefix(['※', '*']) {
        key = rest.to_string();
    }
    while key.ends_with(':') {
        key.pop();
    }
    match strip_brackets(&key) {
        inner if inner.len() != key.len() => inner.to_string(),
        _ => key,
    }
}

#[test]
fn header_key_is_cut_as_a_copy_would_be() {
    let parts = [
        "",
        "※",
        "*",
        "＊",
        ":",
        "：",
        "(",
        ")",
        "（",
        "）",
        "【",
        "】",
        "<",
        ">",
        "指標名",
        "KPI",
        "ｋｐｉ",
        "R6",
        " ",
        "　",
        "実績",
        "Ｒ",
        "\u{3099}",
    ];
    // Every text of up to three parts.
    for a in parts {
        for b in parts {
            for c in parts {
                let s = format!("{a}{b}{c}");
                let key = with_header_key(&s, str::to_string);
                assert_eq!(key, header_key_by_copying(&s), "input: {s:?}");
            }
        }
    }
    assert_eq!(with_header_key("※【実績】:", str::to_string), "実績");
    assert_eq!(with_header_key("※(KPI)：", str::to_string), "kpi");
    // Longer than the stack buffer: the same key, built on the heap.
    let long = format!("※({})", "Ａ".repeat(60));
    assert_eq!(
        with_header_key(&long, str::to_string),
        header_key_by_copying(&long)
    );
}
