//! Formats, colours, number formats, column widths and page setup shared by every sheet
//! of the report.
//!
//! Every format starts from [`base`] (ＭＳ Ｐゴシック, the workbook default, so that
//! Japanese text is measured and printed with a Japanese font). Number formats follow the
//! indicator's unit: `#,##0` for counts and 千円, `0.0` for %, `0.00` for an index.
//! Column widths come from [`crate::width`] because rust_xlsxwriter's autofit undersizes
//! Japanese text.

use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, ConditionalFormatFormula, Format,
    FormatAlign, FormatBorder, IntoExcelData, Workbook, Worksheet, XlsxError,
};

use crate::evaluate::Grade;
use crate::model::{Severity, Unit};

/// The workbook's font (Excel's classic Japanese default).
pub const FONT: &str = "ＭＳ Ｐゴシック";
/// Shift_JIS charset, so Excel picks the Japanese font variant.
const CHARSET_SHIFT_JIS: u8 = 128;
/// A4 in Excel's paper size codes.
const PAPER_A4: u8 = 9;
/// Header fill (a light blue-grey).
const HEADER_FILL: u32 = 0xDDEBF7;

/// The font and size every format starts from.
pub fn base() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_size(10)
        .set_font_charset(CHARSET_SHIFT_JIS)
        .set_align(FormatAlign::VerticalCenter)
}

/// Sets the workbook default format; must run before the first sheet is added.
///
/// # Errors
/// When a sheet was already added.
pub fn set_workbook_default(workbook: &mut Workbook) -> Result<(), XlsxError> {
    workbook.set_default_format(&base(), 18, 72)?;
    Ok(())
}

/// The formats the sheets use.
#[derive(Debug, Clone)]
pub struct Styles {
    /// Sheet title (large, bold).
    pub title: Format,
    /// A section heading (bold, bigger).
    pub heading: Format,
    /// Table header: bold, filled, bordered, wrapped, centred.
    pub header: Format,
    /// Bordered text cell.
    pub text: Format,
    /// Bordered, wrapped text cell (long names).
    pub wrap: Format,
    /// Bordered, centred text cell (IDs, arrows, grades).
    pub center: Format,
    /// Bordered whole number.
    pub int: Format,
    /// Plain label without border (概要's key column).
    pub label: Format,
    /// Plain wrapped text without border (purpose, notes).
    pub note: Format,
    /// A small grey note (e.g. 出典).
    pub small: Format,
    /// An internal link.
    pub link: Format,
}

impl Styles {
    /// Builds the formats.
    pub fn new() -> Styles {
        let cell = base().set_border(FormatBorder::Thin);
        Styles {
            title: base().set_bold().set_font_size(16),
            heading: base().set_bold().set_font_size(12),
            header: cell
                .clone()
                .set_bold()
                .set_background_color(HEADER_FILL)
                .set_text_wrap()
                .set_align(FormatAlign::Center),
            text: cell.clone(),
            wrap: cell.clone().set_text_wrap(),
            center: cell.clone().set_align(FormatAlign::Center),
            int: cell.set_num_format("#,##0"),
            label: base().set_bold(),
            note: base().set_text_wrap().set_align(FormatAlign::Top),
            small: base().set_font_size(9).set_font_color(0x595959),
            link: base()
                .set_font_color(0x0563C1)
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
        }
    }

    /// A bordered number cell in the indicator's unit format.
    pub fn number(&self, unit: Unit) -> Format {
        self.text.clone().set_num_format(number_format(unit))
    }

    /// A bordered number cell showing its unit after the number (`262 団体`), and a
    /// note such as the baseline year; the cell stays a number.
    pub fn number_with_unit(&self, unit: Unit, note: &str) -> Format {
        let suffix = match (unit.symbol(), note) {
            ("", "") => String::new(),
            (symbol, "") => format!("\"{}\"", quote(&spaced(unit, symbol))),
            (symbol, note) => format!("\"{} {}\"", quote(&spaced(unit, symbol)), quote(note)),
        };
        self.text
            .clone()
            .set_num_format(format!("{}{suffix}", number_format(unit)))
            .set_align(FormatAlign::Right)
    }
}

impl Default for Styles {
    fn default() -> Self {
        Styles::new()
    }
}

/// `%` follows the number directly; other units after a space, as in the plan.
fn spaced(unit: Unit, symbol: &str) -> String {
    if unit == Unit::Percent {
        symbol.to_string()
    } else {
        format!(" {symbol}")
    }
}

/// Double quotes inside a number-format literal are doubled.
fn quote(s: &str) -> String {
    s.replace('"', "\"\"")
}

/// The number format of a unit: `#,##0` for counts and money, `0.0` for %, `0.00` for an
/// index without a unit, `0` for a rank.
pub fn number_format(unit: Unit) -> &'static str {
    match unit {
        Unit::Percent => "0.0",
        Unit::None => "0.00",
        Unit::Rank => "0",
        Unit::Ken
        | Unit::KenPerMonth
        | Unit::Nin
        | Unit::Dantai
        | Unit::Setai
        | Unit::Jigyo
        | Unit::Kashitsu
        | Unit::SenEn
        | Unit::En => "#,##0",
    }
}

/// The signed number format of a change (`+#,##0;-#,##0;0`).
pub fn signed_format(unit: Unit) -> String {
    let f = number_format(unit);
    format!("+{f};-{f};{f}")
}

/// The text a number shows in its unit's format, for width estimates.
pub fn shown(value: f64, unit: Unit) -> String {
    match number_format(unit) {
        "0.0" => format!("{value:.1}"),
        "0.00" => format!("{value:.2}"),
        "0" => format!("{value:.0}"),
        _ => thousands(value),
    }
}

/// The name of sheet `i` (from 0) of a table that goes on over several sheets (Excel
/// has 1,048,576 rows): `name`, then `name (2)`, `name (3)`…
pub(crate) fn continued_name(name: &str, i: usize) -> String {
    if i == 0 {
        name.to_string()
    } else {
        format!("{name} ({})", i + 1)
    }
}

/// How many sheets a table of `len` rows takes at `per_sheet` rows a sheet (one for an
/// empty table).
pub(crate) fn sheets_for(len: usize, per_sheet: usize) -> usize {
    len.div_ceil(per_sheet.max(1)).max(1)
}

/// The rows of sheet `n` (from 0) of a table of `len` rows at `per_sheet` a sheet.
pub(crate) fn sheet_part(len: usize, per_sheet: usize, n: usize) -> std::ops::Range<usize> {
    let per_sheet = per_sheet.max(1);
    let start = n.saturating_mul(per_sheet).min(len);
    start..start.saturating_add(per_sheet).min(len)
}

/// `1234567.4` → `1,234,567`.
pub(crate) fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if value < -0.5 {
        out.insert(0, '-');
    }
    out
}

/// Line height in points of the 10-point font (with leading).
const LINE_HEIGHT: f64 = 13.5;

/// A row height that shows every wrapped cell of the row in full: the most lines any
/// `(text, column width)` needs, at [`LINE_HEIGHT`] each, plus padding; at most
/// [`crate::width::MAX_ROW_HEIGHT`] (a finding quoting a long cell needs a hundred lines).
pub fn wrapped_height(cells: &[(&str, f64)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| lines_needed(text, *width))
        .max()
        .unwrap_or(1);
    height_of_lines(lines)
}

/// The height of a row of `lines` lines ([`wrapped_height`]).
pub fn height_of_lines(lines: usize) -> f64 {
    (lines.max(1) as f64 * LINE_HEIGHT + 4.0).min(crate::width::MAX_ROW_HEIGHT)
}

/// Lines a text needs in a column of `width` characters (full-width counts 2).
pub fn lines_needed(text: &str, width: f64) -> usize {
    let usable = (width - 1.0).max(1.0);
    text.lines()
        .map(|line| {
            ((crate::width::display_width(line) as f64) / usable)
                .ceil()
                .max(1.0) as usize
        })
        .sum::<usize>()
        .max(1)
}

/// Fill and font colour of a grade: green good, yellow flat, red bad, grey no data.
pub fn grade_colors(grade: Grade) -> (u32, u32) {
    match grade {
        Grade::Improved | Grade::Achieved => (0xC6EFCE, 0x006100),
        Grade::Flat => (0xFFEB9C, 0x9C5700),
        Grade::Worse | Grade::NotAchieved => (0xFFC7CE, 0x9C0006),
        Grade::NoBaseline => (0xEDEDED, 0x404040),
        Grade::NotReported => (0xD9D9D9, 0x7F7F7F),
    }
}

/// Fill and font colour of a severity.
pub fn severity_colors(severity: Severity) -> (u32, u32) {
    match severity {
        Severity::Error => (0xFFC7CE, 0x9C0006),
        Severity::Warning => (0xFFEB9C, 0x9C5700),
        Severity::Info => (0xDDEBF7, 0x1F4E78),
    }
}

/// Conditional formats colouring each cell of a column range by the grade label it
/// shows (the fill follows the cell if someone edits it).
///
/// # Errors
/// An invalid range.
pub fn grade_fills(sheet: &mut Worksheet, rows: (u32, u32), col: u16) -> Result<(), XlsxError> {
    if rows.1 < rows.0 {
        return Ok(());
    }
    for grade in Grade::ALL {
        let (fill, font) = grade_colors(grade);
        let rule = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(grade.label_ja()))
            .set_format(
                Format::new()
                    .set_background_color(fill)
                    .set_font_color(font),
            );
        sheet.add_conditional_format(rows.0, col, rows.1, col, &rule)?;
    }
    Ok(())
}

/// Sets column widths (in character units), starting at column 0.
///
/// # Errors
/// Never in practice (columns are few).
pub fn set_widths(sheet: &mut Worksheet, widths: &[f64]) -> Result<(), XlsxError> {
    for (col, width) in (0u16..).zip(widths) {
        sheet.set_column_width(col, *width)?;
    }
    Ok(())
}

/// The height of the report's rows without one of their own: the workbook default
/// (18 pixels, [`set_workbook_default`]).
pub const PLAIN_ROW_HEIGHT: f64 = 13.5;
/// The height of a row with a [`Styles::title`] (16 points), as Excel sizes it.
pub const TITLE_ROW_HEIGHT: f64 = 21.0;

/// Row heights of a sheet that gives its data rows the height of their wrapped text.
///
/// rust_xlsxwriter keeps a record for every row given a height (about 260 bytes, with
/// room for a whole `Format`), in low-memory mode too, after the row is written: at
/// 8,000 files 検証結果 and 読込ファイル held 9 MB of them at the end of the run, and
/// a department's 提出内容 of 41,000 rows 11 MB. A streamed sheet therefore makes its
/// most common height the sheet's default row height and sets a height only on the
/// other rows: every row is as tall as before. The rows above the table, which had the
/// workbook's heights, then get theirs set ([`RowHeights::fixed`]). A sheet kept in
/// memory keeps its default and sets each height as before.
#[derive(Debug, Clone, Copy)]
pub struct RowHeights {
    /// The sheet's default row height in pixels, when it was changed.
    default_px: Option<u32>,
    /// The height in pixels a row shows without one of its own while the default is
    /// unchanged, when rows of that height are left without one.
    plain_px: Option<u32>,
}

impl RowHeights {
    /// For a sheet whose data rows have `heights` (points); only a `streamed` sheet
    /// changes its default row height. `plain`: the height that rows keep without a
    /// height of their own while the default is unchanged (`None`: every row is set).
    pub fn new(sheet: &mut Worksheet, heights: &[f64], streamed: bool, plain: Option<f64>) -> Self {
        let default_px = if streamed {
            most_common(heights.iter().map(|h| pixels(*h)))
        } else {
            None
        };
        if let Some(px) = default_px {
            sheet.set_default_row_height(f64::from(px) * 0.75);
        }
        RowHeights {
            default_px,
            plain_px: plain.map(pixels),
        }
    }

    /// Sets the height of data row `row`, unless the row shows it without.
    ///
    /// # Errors
    /// `row` is beyond Excel's last row.
    pub fn set(&self, sheet: &mut Worksheet, row: u32, height: f64) -> Result<(), XlsxError> {
        if self.default_px.or(self.plain_px) != Some(pixels(height)) {
            sheet.set_row_height(row, height)?;
        }
        Ok(())
    }

    /// Gives a row above the table the `height` it has without a height of its own
    /// (the workbook's, or Excel's for a larger font), when the default was changed.
    ///
    /// # Errors
    /// `row` is beyond Excel's last row.
    pub fn fixed(&self, sheet: &mut Worksheet, row: u32, height: f64) -> Result<(), XlsxError> {
        if self.default_px.is_some() {
            sheet.set_row_height(row, height)?;
        }
        Ok(())
    }
}

/// A height in points as rust_xlsxwriter stores it: whole pixels (4/3 a point).
fn pixels(points: f64) -> u32 {
    (points * 4.0 / 3.0).round() as u32
}

/// The most frequent value (the smallest of equally frequent ones); `None` when empty.
/// A list, not a map: row heights are whole lines up to 409 points, a few dozen values.
fn most_common(values: impl Iterator<Item = u32>) -> Option<u32> {
    let mut counts: Vec<(u32, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(seen, _)| *seen == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(v, _)| v)
}

/// Writes a cell with `format`, or, with `None`, without a format of its own (in a
/// streamed table it then takes its column's: see [`border_rule`]).
///
/// # Errors
/// A cell outside Excel's grid or a string over its length limit.
pub fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    data: impl IntoExcelData,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    match format {
        Some(format) => sheet.write_with_format(row, col, data, format)?,
        None => sheet.write(row, col, data)?,
    };
    Ok(())
}

/// A streamed table's borders: one rule over its cells, true for every one of them (its
/// columns carry their formats without borders, see `status::FileFormats`; LibreOffice
/// applies one rule to a cell, so no other rule may colour the range).
///
/// # Errors
/// An invalid range.
pub fn border_rule(
    sheet: &mut Worksheet,
    (first_row, first_col): (u32, u16),
    (last_row, last_col): (u32, u16),
) -> Result<(), XlsxError> {
    if last_row < first_row {
        return Ok(());
    }
    let rule = ConditionalFormatFormula::new()
        .set_rule("=TRUE")
        .set_format(Format::new().set_border(FormatBorder::Thin));
    sheet.add_conditional_format(first_row, first_col, last_row, last_col, &rule)?;
    Ok(())
}

/// Ends a sheet written in rust_xlsxwriter's low- or constant-memory mode whose last
/// row is `last`. rust_xlsxwriter 0.102 writes such a sheet's last row twice when that
/// row has a height of its own (the second `<row>` element empty: a duplicate row,
/// which Excel repairs on opening), so an empty cell on the row after it ends the sheet
/// instead. Nothing is shown.
///
/// # Errors
/// `last` is Excel's last row.
pub fn end_streamed_rows(sheet: &mut Worksheet, last: u32) -> Result<(), XlsxError> {
    sheet.write_blank(last.saturating_add(1), 0, &Format::new())?;
    Ok(())
}

/// A4, fit to one page wide, sensible margins, `&P / &N` in the footer, title rows
/// repeated on each page when given.
///
/// # Errors
/// An invalid repeat-row range.
pub fn print_setup(
    sheet: &mut Worksheet,
    landscape: bool,
    repeat: Option<(u32, u32)>,
) -> Result<(), XlsxError> {
    sheet.set_paper_size(PAPER_A4);
    if landscape {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    sheet.set_print_center_horizontally(true);
    sheet.set_footer("&C&P / &N");
    if let Some((first, last)) = repeat {
        sheet.set_repeat_rows(first, last)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_common_height_wins_and_ties_go_to_the_lower() {
        let cases: [(&[u32], Option<u32>); 5] = [
            (&[], None),
            (&[24], Some(24)),
            (&[41, 59, 59, 41, 59], Some(59)),
            (&[59, 41, 41, 59], Some(41)),
            (&[100, 18, 41, 41, 18, 41], Some(41)),
        ];
        for (values, want) in cases {
            assert_eq!(
                most_common(values.iter().copied()),
                want,
                "input: {values:?}"
            );
        }
    }

    /// Each `<row>`'s height as shown (its own, else the sheet's default), by row
    /// number, and the sheet's default row height.
    fn shown_heights(xml: &str) -> (Vec<(u32, String)>, String) {
        let format = regex::Regex::new(r#"<sheetFormatPr defaultRowHeight="([0-9.]+)""#).unwrap();
        let default = format.captures(xml).unwrap()[1].to_string();
        let row = regex::Regex::new(r#"<row r="(\d+)"([^>]*)>"#).unwrap();
        let ht = regex::Regex::new(r#"ht="([0-9.]+)""#).unwrap();
        let rows = row
            .captures_iter(xml)
            .map(|c| {
                let own = ht.captures(&c[2]).map(|h| h[1].to_string());
                (
                    c[1].parse().unwrap(),
                    own.unwrap_or_else(|| default.clone()),
                )
            })
            .collect();
        (rows, default)
    }

    fn sheet_xml(workbook: &mut Workbook) -> String {
        let bytes = workbook.save_to_buffer().unwrap();
        crate::xlsx_parts::part(&bytes, "xl/worksheets/sheet1.xml")
    }

    #[test]
    fn a_streamed_sheet_shows_every_row_at_its_height_with_the_common_one_as_default() {
        // Data rows of 2, 3, 3, 1, 3 and 30 lines: 44.25 points (59 pixels) is the
        // default of the streamed sheet; the header keeps the workbook's 13.5.
        let heights = [30.75, 44.5, 44.5, 17.5, 44.5, 409.0];
        let shown = ["30.75", "44.25", "44.25", "17.25", "44.25", "408.75"];
        for streamed in [false, true] {
            let mut workbook = Workbook::new();
            set_workbook_default(&mut workbook).unwrap();
            let sheet = if streamed {
                workbook.add_worksheet_with_low_memory().unwrap()
            } else {
                workbook.add_worksheet()
            };
            let rows = RowHeights::new(sheet, &heights, streamed, None);
            rows.fixed(sheet, 0, PLAIN_ROW_HEIGHT).unwrap();
            sheet.write(0, 0, "header").unwrap();
            for (row, height) in (1u32..).zip(heights) {
                sheet.write(row, 0, "text").unwrap();
                rows.set(sheet, row, height).unwrap();
            }
            end_streamed_rows(sheet, heights.len() as u32).unwrap();
            let (rows, default) = shown_heights(&sheet_xml(&mut workbook));
            let want_default = if streamed { "44.25" } else { "13.5" };
            assert_eq!(default, want_default, "streamed: {streamed}");
            assert_eq!(rows[0], (1, "13.5".to_string()), "streamed: {streamed}");
            for ((row, height), want) in rows[1..=heights.len()].iter().zip(shown) {
                assert_eq!(height, want, "streamed: {streamed}, row {row}");
            }
        }
    }

    #[test]
    fn number_formats_follow_the_unit() {
        let cases = [
            (Unit::Percent, "0.0"),
            (Unit::Ken, "#,##0"),
            (Unit::SenEn, "#,##0"),
            (Unit::None, "0.00"),
            (Unit::Rank, "0"),
        ];
        for (unit, want) in cases {
            assert_eq!(number_format(unit), want, "input: {unit:?}");
        }
        assert_eq!(signed_format(Unit::Percent), "+0.0;-0.0;0.0");
    }

    #[test]
    fn shown_numbers_match_the_formats() {
        let cases = [
            (740454.0, Unit::KenPerMonth, "740,454"),
            (999.6, Unit::Ken, "1,000"),
            (-1234.0, Unit::SenEn, "-1,234"),
            (66.84, Unit::Percent, "66.8"),
            (1.2, Unit::None, "1.20"),
            (3.0, Unit::Rank, "3"),
        ];
        for (value, unit, want) in cases {
            assert_eq!(shown(value, unit), want, "input: {value} {unit:?}");
        }
    }

    #[test]
    fn wrapped_rows_grow_with_the_text() {
        assert_eq!(lines_needed("", 10.0), 1);
        assert_eq!(lines_needed("あいうえお", 11.0), 1);
        assert_eq!(lines_needed("あいうえおかきくけこ", 11.0), 2);
        assert_eq!(lines_needed("a\nb", 10.0), 2);
        assert!(wrapped_height(&[("あ", 10.0), ("あいうえおかきくけこ", 11.0)]) > 30.0);
        // Excel's tallest row, however long the text
        assert_eq!(wrapped_height(&[(&"あ".repeat(3_000), 60.0)]), 409.0);
    }

    #[test]
    fn unit_suffix_is_a_quoted_literal() {
        assert_eq!(spaced(Unit::Percent, "%"), "%");
        assert_eq!(spaced(Unit::Dantai, "団体"), " 団体");
        assert_eq!(quote("a\"b"), "a\"\"b");
    }
}
