//! Pure normalization: Japanese text, era periods, numbers with units and header cells.
//!
//! Everything here is a function from values to values — no I/O, no clock, no
//! environment — and total: any `&str` gives a result (or a typed error), never a panic.
//! The functions run once per cell on large batches, so ASCII input takes fast paths that
//! avoid allocation and no regex is used.
//!
//! - [`text`]: [`nfkc`] (NFKC plus dash and wave-dash mappings), [`display_text`],
//!   [`match_key`] for matching names and headers, [`suggest`] for "did you mean",
//!   the [`is_no_value`] and [`is_pending_text`] markers, and 機種依存文字 detection.
//! - [`era`]: [`parse_fiscal_year`], [`parse_month`], [`parse_month_only`],
//!   [`parse_period`], [`parse_period_arg`] and [`month_from_excel_serial`], with
//!   [`PeriodError`] messages in Japanese.
//! - [`number`]: [`parse_value`] (never fails: empty, number with unit, or text),
//!   [`convert`] into the catalogue's unit and [`percent_from_cell`].
//! - [`header`]: [`classify_header`] for table detection.
//!
//! ```
//! use shukei::model::{FiscalYear, Unit};
//! use shukei::normalize::{convert, parse_fiscal_year, parse_value, ParsedValue};
//!
//! assert_eq!(parse_fiscal_year("令和６年度"), Ok(FiscalYear(2024)));
//! let ParsedValue::Number(q) = parse_value("49,972,000 円") else { unreachable!() };
//! assert_eq!(convert(&q, Unit::SenEn), Ok(49972.0));
//! ```

pub mod era;
pub mod header;
pub mod number;
pub mod text;

pub use era::{
    month_from_excel_serial, month_in_fiscal_year, parse_fiscal_year, parse_month,
    parse_month_only, parse_period, parse_period_arg, PeriodError, PeriodErrorKind,
};
pub use header::{classify_header, HeaderKind};
pub use number::{convert, parse_value, percent_from_cell, ParsedValue, Quantity, UnitMismatch};
pub use text::{
    display_text, has_machine_dependent_chars, is_no_value, is_pending_text, match_key, nfkc,
    suggest,
};

#[cfg(test)]
mod tests;
