//! Numbers as departments type them: `262 団体`, `740,454 件/月`, `66.8％`, `１２３`,
//! `△1,234`, `1.5万人`, `49,972千円`, and the no-value marks `—` `－` `-` or blank.
//!
//! [`parse_value`] never fails: a cell is [`ParsedValue::Empty`], a
//! [`ParsedValue::Number`] or, when it is not a clean number, [`ParsedValue::Text`] for
//! validation to report. The digits are handed to `str::parse::<f64>` (correctly
//! rounded) after moving the decimal point for `万`/`億`, so `66.8` and `1.5万` come out
//! exactly as written. ASCII input without thousands separators does not allocate.

use std::fmt;

use super::text::{display_text, is_no_value, is_space, with_nfkc};
use crate::model::Unit;

/// A number with the unit written after it.
///
/// Exactly one of three cases holds: no unit (`unit` and `unit_text` are `None`), a known
/// unit (`unit` is `Some`, `unit_text` is `None`) or an unknown one (`unit` is `None`,
/// `unit_text` holds it, e.g. `ドル`). `percent` is `true` exactly when `unit` is
/// `Some(Unit::Percent)`; it is kept as a field for callers that only care about `%`.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The value as written, multipliers applied (`1.5万人` → 15000); never NaN or ±∞.
    pub value: f64,
    pub unit: Option<Unit>,
    /// A unit that is not a [`Unit`] (after NFKC, without spaces).
    pub unit_text: Option<String>,
    pub percent: bool,
}

impl Quantity {
    /// A number without a unit.
    ///
    /// # Examples
    ///
    /// ```
    /// use shukei::normalize::number::{parse_value, ParsedValue, Quantity};
    /// assert_eq!(parse_value("262"), ParsedValue::Number(Quantity::plain(262.0)));
    /// ```
    pub fn plain(value: f64) -> Self {
        Quantity {
            value,
            unit: None,
            unit_text: None,
            percent: false,
        }
    }
}

/// What a cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum ParsedValue {
    /// Blank or a no-value mark (see [`super::text::is_no_value`]).
    Empty,
    Number(Quantity),
    /// Anything else, as [`super::text::display_text`] shows it (`調査中`, `3/17 団体`).
    Text(String),
}

/// Multipliers written between the number and the unit, as powers of ten.
const MULTIPLIERS: &[(&str, i32)] = &[("百万", 6), ("億", 8), ("万", 4), ("千", 3)];

/// Words after a number that make it a bound or an estimate rather than a value.
const QUALIFIERS: &[&str] = &[
    "以上", "以下", "以内", "未満", "超", "程度", "前後", "約", "強", "弱", "余", "見込",
];

/// Spellings of known units that [`Unit::parse`] does not take.
const UNIT_ALIASES: &[(&str, Unit)] = &[
    ("パーセント", Unit::Percent),
    ("件/月平均", Unit::KenPerMonth),
];

/// Reads a cell's text. Never fails.
///
/// Numbers: digits (full-width too), well-placed thousands separators (`1,234`, not
/// `1,23,4`), an optional fraction (`12.`, `.5` too), a sign `-` `−` `△` `▲` (negative)
/// or `+`, a multiplier `万` `億` `千` `百万` (not the `千` of `千円`, which is a unit),
/// and a unit: a known [`Unit`] (`%` `件` `件/月` `人` `団体` `世帯` `事業` `課室` `位`
/// `千円` `円`) or any short word (`ドル`, `m2`), with spaces anywhere between.
///
/// Text: anything else — `(1,234)`, fractions (`3/17 団体`), exponents (`1e3`), ranges,
/// bounds (`100以上`, `約50`), compound amounts (`3億5千万円`), numbers above
/// [`MAX_MAGNITUDE`] (1e300, so a converted value never overflows), `調査中`, `なし`.
///
/// # Examples
///
/// ```
/// use shukei::model::Unit;
/// use shukei::normalize::number::{parse_value, ParsedValue, Quantity};
/// let q = |value, unit| ParsedValue::Number(Quantity { value, unit, unit_text: None, percent: false });
/// assert_eq!(parse_value("740,454 件/月"), q(740454.0, Some(Unit::KenPerMonth)));
/// assert_eq!(parse_value("△1,234"), q(-1234.0, None));
/// assert_eq!(parse_value("1.5万人"), q(15000.0, Some(Unit::Nin)));
/// assert_eq!(parse_value("－"), ParsedValue::Empty);
/// assert_eq!(parse_value("調査中"), ParsedValue::Text("調査中".to_string()));
/// ```
pub fn parse_value(s: &str) -> ParsedValue {
    if is_no_value(s) {
        return ParsedValue::Empty;
    }
    // Full-width digits (`１２３`, `６６．８％`) are folded on the stack.
    with_nfkc(s, |normalized| {
        match parse_quantity(normalized.trim_matches(is_space)) {
            Some(q) => ParsedValue::Number(q),
            None => ParsedValue::Text(display_text(s)),
        }
    })
}

fn parse_quantity(t: &str) -> Option<Quantity> {
    let (negative, rest) = match t.chars().next()? {
        c @ ('△' | '▲' | '-' | '+') => (
            c != '+',
            t.get(c.len_utf8()..)?.trim_start_matches(is_space),
        ),
        _ => (false, t),
    };
    let number = scan_number(rest)?;
    let rest = rest.get(number.len..)?.trim_start_matches(is_space);
    let (exp, rest) = multiplier(rest);
    let rest = rest.trim_start_matches(is_space);
    let value = decimal(number, exp)?;
    let value = (if negative { -value } else { value }) + 0.0; // + 0.0: no negative zero
    let (unit, unit_text) = parse_unit(rest)?;
    Some(Quantity {
        value,
        unit,
        unit_text,
        percent: unit == Some(Unit::Percent),
    })
}

/// The number at the start of a string: integer part (with separators) and fraction.
#[derive(Debug, Clone, Copy)]
struct Digits<'a> {
    /// The whole number as written, e.g. `1,234.5`.
    text: &'a str,
    /// Byte length of `text`.
    len: usize,
    has_commas: bool,
}

fn scan_number(s: &str) -> Option<Digits<'_>> {
    let bytes = s.as_bytes();
    let int_len = bytes
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b',')
        .count();
    let int = s.get(..int_len)?;
    let has_commas = int.contains(',');
    if has_commas && !well_grouped(int) {
        return None;
    }
    let mut len = int_len;
    if bytes.get(len) == Some(&b'.') {
        let frac_len = bytes
            .get(len + 1..)?
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if int_len == 0 && frac_len == 0 {
            return None;
        }
        len += 1 + frac_len;
    } else if int_len == 0 {
        return None;
    }
    Some(Digits {
        text: s.get(..len)?,
        len,
        has_commas,
    })
}

/// `1,234,567`: a first group of 1–3 digits, then groups of exactly 3.
fn well_grouped(int: &str) -> bool {
    let mut groups = int.split(',');
    let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
    first_ok && groups.all(|g| g.len() == 3)
}

fn multiplier(rest: &str) -> (i32, &str) {
    for (word, exp) in MULTIPLIERS {
        if let Some(after) = rest.strip_prefix(word) {
            if *word == "千" && after.trim_start_matches(is_space).starts_with('円') {
                return (0, rest);
            }
            return (*exp, after);
        }
    }
    (0, rest)
}

/// Largest magnitude read as a number: far beyond any real figure, and small enough that
/// [`convert`] (× 1000 for `千円` → `円`) and [`percent_from_cell`] (× 100) stay finite.
pub const MAX_MAGNITUDE: f64 = 1e300;

/// Longest digit string handled on the stack.
const STACK_DIGITS: usize = 64;

/// The value of `digits × 10^exp`, correctly rounded; `None` when not finite or above
/// [`MAX_MAGNITUDE`].
fn decimal(digits: Digits<'_>, exp: i32) -> Option<f64> {
    let value: f64 = if !digits.has_commas && exp == 0 {
        digits.text.parse().ok()?
    } else if digits.len + 8 <= STACK_DIGITS {
        let mut buf = [0u8; STACK_DIGITS];
        let len = write_scientific(&mut buf, digits.text, exp)?;
        std::str::from_utf8(buf.get(..len)?).ok()?.parse().ok()?
    } else {
        let cleaned: String = digits.text.chars().filter(|c| *c != ',').collect();
        format!("{cleaned}e{exp}").parse().ok()?
    };
    (value.is_finite() && value.abs() <= MAX_MAGNITUDE).then_some(value)
}

/// Writes `text` without separators followed by `e{exp}` into `buf`; returns the length.
fn write_scientific(buf: &mut [u8], text: &str, exp: i32) -> Option<usize> {
    use std::io::Write;
    let mut len = 0;
    for b in text.bytes().filter(|b| *b != b',').chain([b'e']) {
        *buf.get_mut(len)? = b;
        len += 1;
    }
    // The exponent's digits, written in place (`&mut [u8]` is a writer that never
    // allocates; it fails when full).
    let mut rest = buf.get_mut(len..)?;
    let room = rest.len();
    write!(rest, "{exp}").ok()?;
    Some(len + room - rest.len())
}

/// The unit after the number: `(unit, unit_text)`; `None` when the rest is not a unit.
fn parse_unit(rest: &str) -> Option<(Option<Unit>, Option<String>)> {
    if rest.is_empty() {
        return Some((None, None));
    }
    let unit_text: std::borrow::Cow<'_, str> = if rest.chars().any(is_space) {
        rest.chars()
            .filter(|c| !is_space(*c))
            .collect::<String>()
            .into()
    } else {
        rest.into()
    };
    if let Some(unit) = Unit::parse(&unit_text) {
        return Some((Some(unit), None));
    }
    if let Some((_, unit)) = UNIT_ALIASES.iter().find(|(alias, _)| *alias == unit_text) {
        return Some((Some(*unit), None));
    }
    is_unit_word(&unit_text).then(|| (None, Some(unit_text.into_owned())))
}

/// Whether an unknown unit looks like a unit and not like more of a value: at most 12
/// characters, no brackets or punctuation beyond an inner `/`, no digits except the
/// power in `m2`/`km3`, no second multiplier (`万`, `億`), no bound or estimate word.
fn is_unit_word(u: &str) -> bool {
    if u.chars().count() > 12
        || QUALIFIERS.iter().any(|q| u.contains(q))
        || u.contains(['万', '億'])
    {
        return false;
    }
    if u.starts_with('/') || u.ends_with('/') {
        return false;
    }
    let body = match u.strip_suffix(['2', '3']) {
        Some(b) if b.ends_with('m') => b,
        _ => u,
    };
    body.chars()
        .all(|c| c == '/' || c == '%' || (c.is_alphabetic() && !c.is_ascii_digit()))
}

/// A unit that does not fit the indicator's unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitMismatch {
    /// The unit as written in the cell (`%`, `人`, `ドル`).
    pub found: String,
    pub expected: Unit,
}

impl fmt::Display for UnitMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.expected {
            Unit::None => write!(
                f,
                "単位のない指標に単位 '{}' が付いています（数値だけを入力してください）",
                self.found
            ),
            expected => write!(
                f,
                "単位 '{}' は指標の単位 '{}' と合いません（{} で入力してください）",
                self.found,
                expected.symbol(),
                expected.symbol()
            ),
        }
    }
}

impl std::error::Error for UnitMismatch {}

/// The value in the indicator's unit `target`.
///
/// - no unit written, or the same unit: the value as is;
/// - `円` for a `千円` indicator: ÷ 1000 (and `千円` for `円`: × 1000);
/// - anything else is a [`UnitMismatch`]: `%` for a non-% indicator, a count of another
///   thing (`人` for `件`), any unit for a unit-less index, an unknown unit (`ドル`), and
///   `件` for `件/月` or `件/月` for `件` (a total and a monthly rate are different
///   figures, so neither is accepted for the other).
///
/// # Examples
///
/// ```
/// use shukei::model::Unit;
/// use shukei::normalize::number::{convert, parse_value, ParsedValue};
/// let ParsedValue::Number(q) = parse_value("1,234,000円") else { unreachable!() };
/// assert_eq!(convert(&q, Unit::SenEn), Ok(1234.0));
/// assert!(convert(&q, Unit::Nin).is_err());
/// ```
pub fn convert(q: &Quantity, target: Unit) -> Result<f64, UnitMismatch> {
    let mismatch = |found: &str| {
        Err(UnitMismatch {
            found: found.to_string(),
            expected: target,
        })
    };
    if let Some(text) = &q.unit_text {
        return mismatch(text);
    }
    match q.unit {
        None => Ok(q.value),
        Some(u) if u == target => Ok(q.value),
        Some(Unit::En) if target == Unit::SenEn => Ok(q.value / 1000.0),
        Some(Unit::SenEn) if target == Unit::En => Ok(q.value * 1000.0),
        Some(u) => mismatch(u.symbol()),
    }
}

/// The value of a number cell whose number format may be a percentage.
///
/// A cell formatted as percent holds a fraction (`0.668` shows as `66.8%`); for a `%`
/// indicator it becomes `66.8` (the decimal point is moved in the shortest decimal form,
/// so no `66.80000000000001`). Any other cell, or a percent-formatted cell for a non-%
/// indicator, keeps its value (validation decides whether that is suspicious).
///
/// # Examples
///
/// ```
/// use shukei::model::Unit;
/// use shukei::normalize::number::percent_from_cell;
/// assert_eq!(percent_from_cell(0.668, true, Unit::Percent), 66.8);
/// assert_eq!(percent_from_cell(66.8, false, Unit::Percent), 66.8);
/// assert_eq!(percent_from_cell(0.5, true, Unit::Nin), 0.5);
/// ```
pub fn percent_from_cell(value: f64, percent_formatted: bool, target: Unit) -> f64 {
    if percent_formatted && target == Unit::Percent {
        scale_decimal(value, 2)
    } else {
        value
    }
}

/// `value × 10^exp` computed on the shortest decimal representation.
fn scale_decimal(value: f64, exp: i32) -> f64 {
    let fallback = value * 10f64.powi(exp);
    if !value.is_finite() {
        return fallback;
    }
    let text = format!("{value:e}");
    let Some((mantissa, e)) = text.split_once('e') else {
        return fallback;
    };
    match e.parse::<i32>() {
        Ok(e) => format!("{mantissa}e{}", e + exp)
            .parse()
            .unwrap_or(fallback),
        Err(_) => fallback,
    }
}

#[cfg(test)]
mod tests;
