//! Header cells, classified for table detection: which column holds the ID, the name,
//! the baseline, the unit … and which columns are periods.
//!
//! A header is read after NFKC, without any white space (so `"令和6年度\n実績"` is
//! `令和6年度実績`), ASCII-lowercased, with a leading `※`/`*`, a trailing `:` and one
//! pair of enclosing brackets (`【備考】`) removed. Fixed words come from `const`
//! tables; periods go through [`super::era`].

use super::era::{period_compact, strip_brackets};
use super::text::{chars_into, is_space, with_nfkc};
use crate::model::Period;

/// What a header cell announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderKind {
    /// `ID`, `指標ID`, `指標番号`, `No.`, `番号`.
    Id,
    /// `指標名`, `指標`, `指標名称`, `項目`, `項目名`, `KPI`, `成果指標`, `指標項目`.
    IndicatorName,
    /// `基準値`, `基準`, `現状値`, `基準値(R4)`.
    Baseline,
    /// `目指す方向`, `方向`, `方向性`.
    Trend,
    /// `単位`.
    Unit,
    /// `備考`, `注記`, `摘要`, `コメント`.
    Note,
    /// `担当課`, `所管課`, `担当部署`, `課名`.
    Department,
    /// `目標`, `目標値`, `R8目標`, `令和8年度目標`, `目標値(R8)`, with the period if any.
    Target(Option<Period>),
    /// `実績値`, `実績`, `数値`: a merged group header over period columns.
    ValueGroup,
    /// A period column (`R6`, `令和6年度\n実績`, `令和6年4月`, `実績(R6)`).
    Period(Period),
    /// A month without its year (`4月`): the year comes from the surrounding table.
    MonthOnly(u8),
    Other,
}

/// Header words (in header-key form) and what they announce.
const WORDS: &[(&str, HeaderKind)] = &[
    ("id", HeaderKind::Id),
    ("指標id", HeaderKind::Id),
    ("指標番号", HeaderKind::Id),
    ("指標no", HeaderKind::Id),
    ("指標no.", HeaderKind::Id),
    ("no", HeaderKind::Id),
    ("no.", HeaderKind::Id),
    ("番号", HeaderKind::Id),
    ("#", HeaderKind::Id),
    ("指標名", HeaderKind::IndicatorName),
    ("指標", HeaderKind::IndicatorName),
    ("指標名称", HeaderKind::IndicatorName),
    ("指標の名称", HeaderKind::IndicatorName),
    ("項目", HeaderKind::IndicatorName),
    ("項目名", HeaderKind::IndicatorName),
    ("kpi", HeaderKind::IndicatorName),
    ("kpi名", HeaderKind::IndicatorName),
    ("成果指標", HeaderKind::IndicatorName),
    ("成果指標名", HeaderKind::IndicatorName),
    ("評価指標", HeaderKind::IndicatorName),
    ("指標項目", HeaderKind::IndicatorName),
    ("まちの状態を表す指標", HeaderKind::IndicatorName),
    ("基準値", HeaderKind::Baseline),
    ("基準", HeaderKind::Baseline),
    ("現状値", HeaderKind::Baseline),
    ("基準値(実績)", HeaderKind::Baseline),
    ("目指す方向", HeaderKind::Trend),
    ("目指す方向性", HeaderKind::Trend),
    ("方向", HeaderKind::Trend),
    ("方向性", HeaderKind::Trend),
    ("単位", HeaderKind::Unit),
    ("備考", HeaderKind::Note),
    ("注記", HeaderKind::Note),
    ("摘要", HeaderKind::Note),
    ("コメント", HeaderKind::Note),
    ("特記事項", HeaderKind::Note),
    ("担当課", HeaderKind::Department),
    ("所管課", HeaderKind::Department),
    ("担当部署", HeaderKind::Department),
    ("課名", HeaderKind::Department),
    ("担当課名", HeaderKind::Department),
    ("所管部署", HeaderKind::Department),
    ("実績値", HeaderKind::ValueGroup),
    ("実績", HeaderKind::ValueGroup),
    ("数値", HeaderKind::ValueGroup),
    ("実績数値", HeaderKind::ValueGroup),
];

/// Words that may precede a baseline's period (`基準値(R4)`).
const BASELINE_PREFIXES: &[&str] = &["基準値", "基準", "現状値"];
/// Words that may precede a period column (`実績(R6)`, `実績値\nR6`).
const VALUE_PREFIXES: &[&str] = &["実績値", "実績", "数値"];

/// Classifies a header cell (raw text; normalized inside).
///
/// Order: fixed words, then targets (any header containing `目標` whose rest is empty or
/// a period; `目標年度` and other `目標…` words are [`HeaderKind::Other`]), baselines
/// with a period, `実績(R6)`-style period columns, periods (as [`super::era::parse_period`]
/// reads them), months without a year, and [`HeaderKind::Other`].
///
/// # Examples
///
/// ```
/// use shukei::model::{FiscalYear, Period};
/// use shukei::normalize::header::{classify_header, HeaderKind};
/// assert_eq!(classify_header("指標名"), HeaderKind::IndicatorName);
/// assert_eq!(classify_header("令和6年度\n実績"), HeaderKind::Period(Period::Year(FiscalYear(2024))));
/// assert_eq!(classify_header("R8目標"), HeaderKind::Target(Some(Period::Year(FiscalYear(2026)))));
/// assert_eq!(classify_header("4月"), HeaderKind::MonthOnly(4));
/// ```
pub fn classify_header(s: &str) -> HeaderKind {
    with_header_key(s, classify_key)
}

fn classify_key(key: &str) -> HeaderKind {
    if key.is_empty() {
        return HeaderKind::Other;
    }
    if let Some((_, kind)) = WORDS.iter().find(|(word, _)| *word == key) {
        return *kind;
    }
    if let Some(kind) = target(key) {
        return kind;
    }
    if after_prefix(key, BASELINE_PREFIXES).is_some_and(|rest| period_compact(rest).is_ok()) {
        return HeaderKind::Baseline;
    }
    let period_text = after_prefix(key, VALUE_PREFIXES).unwrap_or(key);
    if let Ok(p) = period_compact(period_text) {
        return HeaderKind::Period(p);
    }
    match month_only(key) {
        Some(m) => HeaderKind::MonthOnly(m),
        None => HeaderKind::Other,
    }
}

/// A cheap test that rules out most texts before [`classify_header`] is asked whether
/// they are an indicator-name heading (a detail sheet holds thousands of distinct
/// texts, and classifying each costs an NFKC pass and an allocation).
///
/// Every such heading holds 指, 項 or the k of KPI in header-key form; before NFKC
/// those can only be themselves or a compatibility character (letterlike symbols,
/// enclosed and squared forms, CJK compatibility ideographs, full-width and
/// mathematical letters), which all lie in the ranges below.
///
/// ```
/// use shukei::normalize::header::may_be_name_heading;
/// assert!(may_be_name_heading("指標名"));
/// assert!(may_be_name_heading("ＫＰＩ"));
/// assert!(!may_be_name_heading("R6-000123"));
/// ```
pub fn may_be_name_heading(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c,
            '指' | '項' | 'k' | 'K'
            | '\u{2100}'..='\u{24FF}' // letterlike (K kelvin), enclosed alphanumerics (Ⓚ)
            | '\u{2E80}'..='\u{2FDF}' // CJK radicals
            | '\u{3200}'..='\u{33FF}' // enclosed CJK, squared words (㎏)
            | '\u{F900}'..) // compatibility ideographs, full-width forms, math letters
    })
}

/// Longest header text (in bytes, after NFKC) keyed on the stack.
const STACK_KEY: usize = 128;

/// Calls `f` with the header-key form of `s` (see the module docs). Built on the stack
/// for texts of header length, so that classifying a header row allocates nothing.
fn with_header_key<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    with_nfkc(s, |n| {
        if !n.chars().any(is_space) && !n.bytes().any(|b| b.is_ascii_uppercase()) {
            return f(key_within(n));
        }
        let lowered = || {
            n.chars()
                .filter(|c| !is_space(*c))
                .map(|c| c.to_ascii_lowercase())
        };
        let mut buf = [0u8; STACK_KEY];
        if let Some(text) = chars_into(&mut buf, lowered().map(Some)) {
            return f(key_within(text));
        }
        f(key_within(&lowered().collect::<String>()))
    })
}

/// The key within a text already without spaces and in lower case: without a leading
/// `※` or `*`, trailing colons, and then one pair of enclosing brackets.
fn key_within(text: &str) -> &str {
    let key = text.strip_prefix(['※', '*']).unwrap_or(text);
    strip_brackets(key.trim_end_matches(':'))
}

/// The text after one of `prefixes`, without enclosing brackets, if not empty.
fn after_prefix<'a>(key: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    let rest = prefixes.iter().find_map(|p| key.strip_prefix(p))?;
    let rest = strip_brackets(rest);
    (!rest.is_empty()).then_some(rest)
}

/// `目標`, `目標値`, `R8目標`, `令和8年度目標値`, `目標(R8)`, `目標値\n令和8年度`.
fn target(key: &str) -> Option<HeaderKind> {
    let (before, after) = key.split_once("目標")?;
    let after = after.strip_prefix('値').unwrap_or(after);
    // `令和8年度(目標)`: the brackets around the word itself.
    let before = before.trim_end_matches(['(', '[', '【', '「']);
    let after = after.trim_start_matches([')', ']', '】', '」']);
    let (before, after) = (strip_brackets(before), strip_brackets(after));
    let period_text = match (before.is_empty(), after.is_empty()) {
        (true, true) => return Some(HeaderKind::Target(None)),
        (false, true) => before,
        (true, false) => after,
        (false, false) => return None,
    };
    period_compact(period_text)
        .ok()
        .map(|p| HeaderKind::Target(Some(p)))
}

fn month_only(key: &str) -> Option<u8> {
    super::era::parse_month_only(key)
}

#[cfg(test)]
mod tests;
