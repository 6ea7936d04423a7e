//! Display width of text, for terminal tables and Excel column widths.
//!
//! rust_xlsxwriter's autofit undersizes Japanese text, so column widths are computed
//! here: full-width characters count 2, others 1.

/// The tallest row Excel has, in points: taller rows are cut to it.
pub const MAX_ROW_HEIGHT: f64 = 409.0;

/// Excel's rows per sheet; the last is row `EXCEL_ROWS - 1` counted from 0.
pub const EXCEL_ROWS: u32 = 1_048_576;

/// Width on a terminal or in an Excel column: full-width characters count 2.
///
/// ```
/// assert_eq!(shukei::width::display_width("R6 実績"), 7);
/// ```
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Full width (2) for CJK and full-width forms; 1 for ASCII, Latin/Cyrillic, half-width
/// kana, and the punctuation and arrows (— … ↗) that terminals draw narrow.
pub fn char_width(c: char) -> usize {
    let narrow = [
        '\u{0000}'..='\u{10FF}',
        '\u{2000}'..='\u{206F}',
        '\u{2190}'..='\u{21FF}',
        '\u{FF61}'..='\u{FF9F}',
    ];
    if narrow.iter().any(|range| range.contains(&c)) {
        1
    } else {
        2
    }
}

/// An Excel column width (in character units) that fits the widest line of each text,
/// clamped to `min..=max`.
pub fn column_width<S: AsRef<str>>(texts: impl IntoIterator<Item = S>, min: f64, max: f64) -> f64 {
    let widest = texts
        .into_iter()
        .map(|text| widest_line(text.as_ref()))
        .max()
        .unwrap_or(0);
    fit_width(widest, min, max)
}

/// The display width of a text's widest line.
pub fn widest_line(text: &str) -> usize {
    text.lines().map(display_width).max().unwrap_or(0)
}

/// The column width that shows a line `widest` wide, clamped to `min..=max`.
pub fn fit_width(widest: usize, min: f64, max: f64) -> f64 {
    (widest as f64 + 2.0).clamp(min, max)
}
