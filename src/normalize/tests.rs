//! Robustness: every public function on many odd strings, without panicking.

use super::*;
use crate::model::{FiscalYear, Unit};

/// Characters that the parsers treat specially, mixed with ordinary ones.
const ALPHABET: &[char] = &[
    '0', '1', '2', '9', ',', '.', '/', '-', '+', '%', '(', ')', '[', ']', '【', '】', ' ', '\n',
    '\u{3000}', '\u{0}', '\u{200B}', '△', '▲', '−', '—', 'ー', '～', '〜', '万', '億', '千', '百',
    '円', '件', '月', '年', '度', '令', '和', '平', '成', '元', 'R', 'H', 'F', 'Y', 'e', 'm', '目',
    '標', '値', '実', '績', '分', '日', '①', '⑴', '⒈', '㋿', '㍻', 'Ｒ', '６', '１', '，', '．',
    '％', 'й', 'д', 'о', '・', '※', ':', '🎉', '\u{0301}', '\u{3099}', 'ｶ', 'ﾞ',
];

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn string(&mut self, max_len: u64) -> String {
        let len = self.next() % (max_len + 1);
        (0..len)
            .map(|_| ALPHABET[(self.next() % ALPHABET.len() as u64) as usize])
            .collect()
    }
}

#[test]
fn random_strings_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let candidates = vec![(match_key("実質公債費比率"), "33-3-1".to_string())];
    for _ in 0..20_000 {
        let input = rng.string(12);
        let _ = nfkc(&input);
        let _ = display_text(&input);
        let _ = match_key(&input);
        let _ = suggest(&input, &candidates, 2);
        let _ = is_pending_text(&input);
        let _ = is_no_value(&input);
        let _ = has_machine_dependent_chars(&input);
        let _ = parse_fiscal_year(&input);
        let _ = parse_month(&input);
        let _ = parse_month_only(&input);
        let _ = parse_period(&input);
        let _ = parse_period_arg(&input);
        let _ = classify_header(&input);
        if let ParsedValue::Number(q) = parse_value(&input) {
            assert!(q.value.is_finite(), "input: {input:?}");
            assert_eq!(q.percent, q.unit == Some(Unit::Percent), "input: {input:?}");
            assert!(
                !(q.unit.is_some() && q.unit_text.is_some()),
                "input: {input:?}"
            );
            for target in Unit::ALL {
                let _ = convert(&q, target);
            }
        }
    }
}

#[test]
fn parsed_periods_are_in_range() {
    let mut rng = Rng(42);
    for _ in 0..20_000 {
        let input = rng.string(10);
        if let Ok(p) = parse_period(&input) {
            let FiscalYear(y) = p.fiscal_year();
            assert!((1988..=2100).contains(&y), "input: {input:?}");
        }
        if let Ok(m) = parse_month(&input) {
            assert!((1..=12).contains(&m.month), "input: {input:?}");
        }
    }
}

#[test]
fn non_finite_and_extreme_numbers_are_handled() {
    let cases = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        f64::MIN_POSITIVE,
        -0.0,
        1e-320,
    ];
    for input in cases {
        let _ = month_from_excel_serial(input);
        let _ = percent_from_cell(input, true, Unit::Percent);
    }
}
