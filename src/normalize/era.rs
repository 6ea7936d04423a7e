//! Fiscal years and months written the ways real sheets write them: `令和6年度`, `R6`,
//! `Ｒ６`, `㋿6`, `令6`, `2024年度`, `FY2024`, `令和6年4月`, `R6.4`, `2024/4`, Excel date
//! serials.
//!
//! Input goes through NFKC and loses all white space first (so `Ｒ６` = `R6`, `㋿` =
//! `令和`, and `"R6\n実績"` = `R6実績`), then a small hand-written scanner reads it; the
//! eras are a `const` table. Accepted years are 1989..=2100.
//!
//! A trailing "actual" word is allowed (`実績`, `実績値`, `(実績)`, `決算`, `末` …); a
//! trailing `目標` makes the label a *target*, which is an error here
//! ([`PeriodErrorKind::Target`]) and a [`super::header::HeaderKind::Target`] for headers.

use std::fmt;

use super::text::{compact, display_text};
use crate::model::{FiscalYear, Month, Period};

/// First and last year accepted.
pub const YEARS: std::ops::RangeInclusive<u32> = 1989..=2100;

/// A Japanese era: its spellings (longest first) and the year before its 元年.
struct Era {
    names: &'static [&'static str],
    offset: u32,
}

/// The eras, newest first. 昭和 is here only so that `S60` is "out of range", not
/// "unreadable".
const ERAS: [Era; 3] = [
    Era {
        names: &["令和", "令", "R"],
        offset: 2018,
    },
    Era {
        names: &["平成", "平", "H"],
        offset: 1988,
    },
    Era {
        names: &["昭和", "昭", "S"],
        offset: 1925,
    },
];

/// Trailing words meaning "the actual figure" (after NFKC, no spaces, brackets removed).
const ACTUAL_SUFFIXES: &[&str] = &[
    "",
    "実績",
    "実績値",
    "実績見込",
    "決算",
    "決算値",
    "確定値",
    "末",
    "末時点",
    "末現在",
    "時点",
];

/// Why a period label was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodErrorKind {
    /// Blank.
    Empty,
    /// Not a fiscal year (`令和X年度`, `R6年`).
    NotFiscalYear,
    /// Not a month (`R6`, `4.5`).
    NotMonth,
    /// Neither a fiscal year nor a month.
    NotPeriod,
    /// A bare 4-digit year (`2024`): calendar year or fiscal year?
    BareYear,
    /// A year outside 1989..=2100, or era year 0 (`R0`, `S60`).
    YearOutOfRange,
    /// A month outside 1..=12 (`令和6年13月`, `0月`).
    MonthOutOfRange,
    /// A month without a year (`4月`): see [`parse_month_only`].
    MonthWithoutYear,
    /// A target (`R6目標`), not an actual.
    Target,
}

/// A period label that could not be read: the input as given and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PeriodError {
    pub input: String,
    pub kind: PeriodErrorKind,
}

impl PeriodError {
    fn new(input: &str, kind: PeriodErrorKind) -> Self {
        PeriodError {
            input: input.to_string(),
            kind,
        }
    }
}

impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = display_text(&self.input);
        match self.kind {
            PeriodErrorKind::Empty => {
                f.write_str("年度・年月が空欄です（例: 令和6年度, R6, 令和6年4月, R6.4）")
            }
            PeriodErrorKind::NotFiscalYear => {
                write!(f, "'{input}' は年度として読めません（例: 令和6年度, R6, 2024年度）")
            }
            PeriodErrorKind::NotMonth => {
                write!(f, "'{input}' は年月として読めません（例: 令和6年4月, R6.4, 2024/4）")
            }
            PeriodErrorKind::NotPeriod => write!(
                f,
                "'{input}' は年度・年月として読めません（例: 令和6年度, R6, FY2024, 令和6年4月, R6.4, 2024-04）"
            ),
            PeriodErrorKind::BareYear => write!(
                f,
                "'{input}' は年か年度か判断できません（例: 2024年度, FY2024, 令和6年度, 2024-04）"
            ),
            PeriodErrorKind::YearOutOfRange => write!(
                f,
                "'{input}' の年が範囲外です（1989〜2100年、令和元年度 = 2019年度。例: 令和6年度, R6）"
            ),
            PeriodErrorKind::MonthOutOfRange => {
                write!(f, "'{input}' の月が範囲外です（1〜12月。例: 令和6年4月, R6.4）")
            }
            PeriodErrorKind::MonthWithoutYear => {
                write!(f, "'{input}' には年がありません（例: 令和6年4月, R6.4, 2024/4）")
            }
            PeriodErrorKind::Target => write!(
                f,
                "'{input}' は目標値の見出しで、実績の年度・年月ではありません（例: 令和6年度, R6）"
            ),
        }
    }
}

impl std::error::Error for PeriodError {}

/// A read position in a compacted label.
struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    /// Consumes `prefix` (ASCII letters case-insensitively) if the text starts with it.
    fn eat(&mut self, prefix: &str) -> bool {
        match self.rest.get(..prefix.len()) {
            Some(head) if head.eq_ignore_ascii_case(prefix) => {
                self.rest = &self.rest[prefix.len()..];
                true
            }
            _ => false,
        }
    }

    /// The first of `prefixes` that the text starts with, consumed.
    fn eat_any(&mut self, prefixes: &[&'static str]) -> Option<&'static str> {
        prefixes.iter().copied().find(|p| self.eat(p))
    }

    /// A run of 1..=`max` ASCII digits (not followed by another digit), consumed.
    fn number(&mut self, max: usize) -> Option<u32> {
        let len = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 || len > max {
            return None;
        }
        let (digits, rest) = self.rest.split_at(len);
        let n = digits.parse().ok()?;
        self.rest = rest;
        Some(n)
    }
}

/// How a year was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum YearForm {
    Era,
    Gregorian,
    FyCode,
}

/// Reads the year at the start: an era year (`令和6`, `R06`, `令和元`), `FY2024` or a
/// 4-digit year. `Err` for era year 0; `Ok(None)` when there is no year.
fn year_head(c: &mut Cursor<'_>) -> Result<Option<(u32, YearForm)>, PeriodErrorKind> {
    if c.eat("FY") {
        return Ok(c
            .number(4)
            .filter(|y| *y >= 1000)
            .map(|y| (y, YearForm::FyCode)));
    }
    for era in &ERAS {
        if c.eat_any(era.names).is_some() {
            let n = if c.eat("元") { Some(1) } else { c.number(2) };
            return match n {
                Some(0) => Err(PeriodErrorKind::YearOutOfRange),
                Some(n) => Ok(Some((era.offset + n, YearForm::Era))),
                None => Ok(None),
            };
        }
    }
    Ok(c.number(4)
        .filter(|y| *y >= 1000)
        .map(|y| (y, YearForm::Gregorian)))
}

fn check_year(year: u32) -> Result<u16, PeriodErrorKind> {
    if YEARS.contains(&year) {
        u16::try_from(year).map_err(|_| PeriodErrorKind::YearOutOfRange)
    } else {
        Err(PeriodErrorKind::YearOutOfRange)
    }
}

/// What trails a period label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Suffix {
    Actual,
    Target,
    Other,
}

/// Removes one pair of enclosing brackets.
pub(crate) fn strip_brackets(s: &str) -> &str {
    const PAIRS: [(char, char); 5] = [
        ('(', ')'),
        ('[', ']'),
        ('【', '】'),
        ('「', '」'),
        ('<', '>'),
    ];
    for (open, close) in PAIRS {
        if let Some(inner) = s.strip_prefix(open).and_then(|t| t.strip_suffix(close)) {
            return inner;
        }
    }
    s
}

fn suffix_kind(rest: &str) -> Suffix {
    let inner = strip_brackets(rest);
    if ACTUAL_SUFFIXES.contains(&inner) {
        Suffix::Actual
    } else if inner.starts_with("目標") || rest.starts_with("目標") {
        Suffix::Target
    } else {
        Suffix::Other
    }
}

fn finish<T>(rest: &str, value: T, other: PeriodErrorKind) -> Result<T, PeriodErrorKind> {
    match suffix_kind(rest) {
        Suffix::Actual => Ok(value),
        Suffix::Target => Err(PeriodErrorKind::Target),
        Suffix::Other => Err(other),
    }
}

/// Parses a fiscal-year label.
///
/// Accepted: `令和6年度`, `令和６年度`, `R6`, `Ｒ６`, `R06`, `r6`, `R6年度`, `㋿6`, `令6`,
/// `令和元年度`, `2024年度`, `FY2024`, `FY 2024`, `平成30年度`, `H30`, `平成31年度` (=
/// 令和元年度 = FY2019), with an optional actual suffix (`実績`, `実績値`, `(実績)`, `決算`,
/// `末` …) and line breaks anywhere (`"R6\n実績"`).
///
/// Rejected: `令和` (no number), `R0` (out of range), a bare `2024` ([`PeriodErrorKind::BareYear`]),
/// `R6年` (a calendar year), `R6目標` ([`PeriodErrorKind::Target`]), years outside 1989..=2100.
///
/// # Examples
///
/// ```
/// use shukei::model::FiscalYear;
/// use shukei::normalize::era::{parse_fiscal_year, PeriodErrorKind};
/// assert_eq!(parse_fiscal_year("令和６年度"), Ok(FiscalYear(2024)));
/// assert_eq!(parse_fiscal_year("R6\n実績"), Ok(FiscalYear(2024)));
/// assert_eq!(parse_fiscal_year("平成31年度"), Ok(FiscalYear(2019)));
/// let err = parse_fiscal_year("2024").unwrap_err();
/// assert_eq!(err.kind, PeriodErrorKind::BareYear);
/// ```
pub fn parse_fiscal_year(s: &str) -> Result<FiscalYear, PeriodError> {
    fiscal_year_compact(&compact(s)).map_err(|kind| PeriodError::new(s, kind))
}

fn fiscal_year_compact(t: &str) -> Result<FiscalYear, PeriodErrorKind> {
    if t.is_empty() {
        return Err(PeriodErrorKind::Empty);
    }
    let mut c = Cursor { rest: t };
    let (year, form) = year_head(&mut c)?.ok_or(PeriodErrorKind::NotFiscalYear)?;
    let has_nendo = c.eat("年度");
    match form {
        YearForm::Gregorian if !has_nendo => {
            return Err(if c.rest.is_empty() {
                PeriodErrorKind::BareYear
            } else {
                PeriodErrorKind::NotFiscalYear
            });
        }
        YearForm::Era if !has_nendo && c.rest.starts_with('年') => {
            return Err(PeriodErrorKind::NotFiscalYear);
        }
        _ => {}
    }
    let year = check_year(year)?;
    finish(c.rest, FiscalYear(year), PeriodErrorKind::NotFiscalYear)
}

/// Parses a month label (a calendar month with its year).
///
/// Accepted: `令和6年4月`, `令和６年４月`, `R6.4`, `R6/4`, `R6-4`, `R6年4月`, `R06.04`,
/// `㋿6.4`, `R6.4月`, `2024/4`, `2024/04`, `2024年4月`, `2024-04`, `2024.4`, `平成31年4月`
/// (= 2019-04), `令和元年5月`, `2024年4月分`, a day that is ignored (`2024/4/1`,
/// `令和6年4月1日`), a month within a fiscal year (`令和6年度1月` = 2025-01), and an actual
/// suffix as for [`parse_fiscal_year`].
///
/// Rejected: `令和6年13月`, `13月` ([`PeriodErrorKind::MonthOutOfRange`]), `4月`
/// ([`PeriodErrorKind::MonthWithoutYear`]: see [`parse_month_only`]), `R6`.
///
/// # Examples
///
/// ```
/// use shukei::model::Month;
/// use shukei::normalize::era::parse_month;
/// assert_eq!(parse_month("R6.4"), Ok(Month { year: 2024, month: 4 }));
/// assert_eq!(parse_month("令和7年1月"), Ok(Month { year: 2025, month: 1 }));
/// assert_eq!(parse_month("平成31年4月"), Ok(Month { year: 2019, month: 4 }));
/// assert!(parse_month("4月").is_err());
/// ```
pub fn parse_month(s: &str) -> Result<Month, PeriodError> {
    month_compact(&compact(s)).map_err(|kind| PeriodError::new(s, kind))
}

fn month_compact(t: &str) -> Result<Month, PeriodErrorKind> {
    if t.is_empty() {
        return Err(PeriodErrorKind::Empty);
    }
    if let Some(m) = month_only_unchecked(t) {
        return Err(if (1..=12).contains(&m) {
            PeriodErrorKind::MonthWithoutYear
        } else {
            PeriodErrorKind::MonthOutOfRange
        });
    }
    let mut c = Cursor { rest: t };
    let (year, form) = year_head(&mut c)?.ok_or(PeriodErrorKind::NotMonth)?;
    if form == YearForm::FyCode {
        return Err(PeriodErrorKind::NotMonth);
    }
    let (month, in_fiscal_year) = month_tail(&mut c)?;
    let year = check_year(year)?;
    let month = u8::try_from(month)
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or(PeriodErrorKind::MonthOutOfRange)?;
    let value = if in_fiscal_year {
        month_in_fiscal_year(FiscalYear(year), month)
    } else {
        Month { year, month }
    };
    c.eat("分");
    finish(c.rest, value, PeriodErrorKind::NotMonth)
}

/// Reads what follows the year of a month label: the month number (unchecked) and
/// whether it counts within a fiscal year (`令和6年度1月`). Consumes a day if present.
fn month_tail(c: &mut Cursor<'_>) -> Result<(u32, bool), PeriodErrorKind> {
    if c.eat("年度") {
        let m = c.number(2).ok_or(PeriodErrorKind::NotMonth)?;
        return if c.eat("月") {
            Ok((m, true))
        } else {
            Err(PeriodErrorKind::NotMonth)
        };
    }
    if c.eat("年") {
        let m = c.number(2).ok_or(PeriodErrorKind::NotMonth)?;
        if !c.eat("月") {
            return Err(PeriodErrorKind::NotMonth);
        }
        day(c, "")?;
        return Ok((m, false));
    }
    let sep = c
        .eat_any(&[".", "/", "-"])
        .ok_or(PeriodErrorKind::NotMonth)?;
    let m = c.number(2).ok_or(PeriodErrorKind::NotMonth)?;
    if !c.eat("月") {
        day(c, sep)?;
    }
    Ok((m, false))
}

/// An optional day after the month (`1日`, or `/1` after `2024/4`), checked and ignored.
fn day(c: &mut Cursor<'_>, sep: &str) -> Result<(), PeriodErrorKind> {
    let mut probe = Cursor { rest: c.rest };
    if !sep.is_empty() && !probe.eat(sep) {
        return Ok(());
    }
    let Some(d) = probe.number(2) else {
        return if sep.is_empty() {
            Ok(())
        } else {
            Err(PeriodErrorKind::NotMonth)
        };
    };
    let has_nichi = probe.eat("日");
    if sep.is_empty() && !has_nichi {
        return Err(PeriodErrorKind::NotMonth);
    }
    if !(1..=31).contains(&d) {
        return Err(PeriodErrorKind::NotMonth);
    }
    c.rest = probe.rest;
    Ok(())
}

fn month_only_unchecked(t: &str) -> Option<u32> {
    let mut c = Cursor { rest: t };
    let m = c.number(2)?;
    if !c.eat("月") {
        return None;
    }
    c.eat("分");
    (suffix_kind(c.rest) == Suffix::Actual).then_some(m)
}

/// A month written without its year (`4月`, `４月`, `4月分`, `4月実績`), as in monthly
/// columns under a fiscal-year heading. Bare numbers (`4`) are not months.
///
/// # Examples
///
/// ```
/// use shukei::normalize::era::parse_month_only;
/// assert_eq!(parse_month_only("４月"), Some(4));
/// assert_eq!(parse_month_only("12月分"), Some(12));
/// assert_eq!(parse_month_only("4"), None);
/// assert_eq!(parse_month_only("13月"), None);
/// ```
pub fn parse_month_only(s: &str) -> Option<u8> {
    month_only_unchecked(&compact(s))
        .and_then(|m| u8::try_from(m).ok())
        .filter(|m| (1..=12).contains(m))
}

/// The calendar month of month `m` within fiscal year `fy`: April–December in `fy.0`,
/// January–March in `fy.0 + 1`. `m` should be 1..=12 (as from [`parse_month_only`]);
/// other values are clamped into that range.
///
/// # Examples
///
/// ```
/// use shukei::model::{FiscalYear, Month};
/// use shukei::normalize::era::month_in_fiscal_year;
/// assert_eq!(month_in_fiscal_year(FiscalYear(2024), 4), Month { year: 2024, month: 4 });
/// assert_eq!(month_in_fiscal_year(FiscalYear(2024), 3), Month { year: 2025, month: 3 });
/// ```
pub fn month_in_fiscal_year(fy: FiscalYear, m: u8) -> Month {
    let month = m.clamp(1, 12);
    let year = if month <= 3 {
        fy.0.saturating_add(1)
    } else {
        fy.0
    };
    Month { year, month }
}

/// A month if the label reads as a month, otherwise a fiscal year.
///
/// On failure the more telling error wins: a month out of range, a month without a year
/// or a target stays as such; otherwise the fiscal-year error, with "not a fiscal year"
/// widened to [`PeriodErrorKind::NotPeriod`].
///
/// # Examples
///
/// ```
/// use shukei::model::{FiscalYear, Month, Period};
/// use shukei::normalize::era::parse_period;
/// assert_eq!(parse_period("R6.4"), Ok(Period::Month(Month { year: 2024, month: 4 })));
/// assert_eq!(parse_period("令和6年度\n実績"), Ok(Period::Year(FiscalYear(2024))));
/// ```
pub fn parse_period(s: &str) -> Result<Period, PeriodError> {
    period_compact(&compact(s)).map_err(|kind| PeriodError::new(s, kind))
}

pub(crate) fn period_compact(t: &str) -> Result<Period, PeriodErrorKind> {
    let month_err = match month_compact(t) {
        Ok(m) => return Ok(Period::Month(m)),
        Err(kind) => kind,
    };
    match fiscal_year_compact(t) {
        Ok(fy) => Ok(Period::Year(fy)),
        Err(_)
            if matches!(
                month_err,
                PeriodErrorKind::MonthOutOfRange
                    | PeriodErrorKind::MonthWithoutYear
                    | PeriodErrorKind::Target
            ) =>
        {
            Err(month_err)
        }
        Err(PeriodErrorKind::NotFiscalYear) => Err(PeriodErrorKind::NotPeriod),
        Err(kind) => Err(kind),
    }
}

/// The `--period` flag: the machine codes `FY2024` and `2024-11`, and every label
/// [`parse_period`] reads (`令和6年11月`, `R6.11`, `令和6年度`, `R6`).
///
/// # Examples
///
/// ```
/// use shukei::model::{FiscalYear, Month, Period};
/// use shukei::normalize::era::parse_period_arg;
/// assert_eq!(parse_period_arg("FY2024"), Ok(Period::Year(FiscalYear(2024))));
/// assert_eq!(parse_period_arg("2024-11"), Ok(Period::Month(Month { year: 2024, month: 11 })));
/// assert_eq!(parse_period_arg("R6.11"), Ok(Period::Month(Month { year: 2024, month: 11 })));
/// assert!(parse_period_arg("2024").is_err());
/// ```
pub fn parse_period_arg(s: &str) -> Result<Period, PeriodError> {
    match Period::from_code(s.trim()) {
        Some(p) if YEARS.contains(&u32::from(p.fiscal_year().0)) => Ok(p),
        _ => parse_period(s),
    }
}

/// Days from 1899-12-30 (the effective epoch of Excel serials from 61 on) to 1970-01-01.
const EXCEL_UNIX_OFFSET: i64 = 25_569;
/// 9999-12-31, the last date Excel can show.
const EXCEL_MAX_SERIAL: f64 = 2_958_465.0;

/// The calendar month of an Excel date serial (1900 date system; the time of day is
/// ignored).
///
/// Excel counts 1900-02-29, which did not exist: serials 1..=59 are 1900-01-01 …
/// 1900-02-28, serial 60 is the phantom 1900-02-29 (reported as 1900-02), and from 61
/// on the count is one day ahead. `None` for NaN, infinities, serials < 1 (times without
/// a date) and serials after 9999-12-31 (2958465).
///
/// # Examples
///
/// ```
/// use shukei::model::Month;
/// use shukei::normalize::era::month_from_excel_serial;
/// assert_eq!(month_from_excel_serial(45383.0), Some(Month { year: 2024, month: 4 }));
/// assert_eq!(month_from_excel_serial(f64::NAN), None);
/// ```
pub fn month_from_excel_serial(serial: f64) -> Option<Month> {
    if !(1.0..=EXCEL_MAX_SERIAL).contains(&serial) {
        return None;
    }
    // In range 1..=2958465, so the cast is exact.
    let day = serial.floor() as i64;
    if day == 60 {
        return Some(Month {
            year: 1900,
            month: 2,
        });
    }
    let since_1899_12_30 = if day < 60 { day + 1 } else { day };
    let (year, month) = civil_from_days(since_1899_12_30 - EXCEL_UNIX_OFFSET);
    Some(Month {
        year: u16::try_from(year).ok()?,
        month: u8::try_from(month).ok()?,
    })
}

/// Year and month of a day count from 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month)
}

#[cfg(test)]
mod tests;
