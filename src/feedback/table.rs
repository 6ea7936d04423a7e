//! The one table layout of the feedback workbooks: a title, a lead sentence, a header
//! row and data rows, with widths from [`crate::width`], wrapped long texts, frozen
//! headers and an A4 landscape print setup (fit to one page wide, headers repeated).
//!
//! Sheets describe their columns and rows as plain data ([`Column`], [`Row`]) and this
//! module writes them; it knows nothing about findings or values.

use std::borrow::Cow;
use std::ops::Range;

use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError,
};

use crate::width::{display_width, fit_width, widest_line};

/// Row of the header line; data starts below it.
pub const HEADER_ROW: u32 = 3;

/// A4 in Excel's paper size numbering.
const PAPER_A4: u8 = 9;

/// Light red, yellow and blue fills (Excel's "bad", "neutral" and a pale blue).
pub const FILL_ERROR: u32 = 0xFFC7CE;
pub const FILL_WARNING: u32 = 0xFFEB9C;
pub const FILL_INFO: u32 = 0xDDEBF7;
const FILL_HEADER: u32 = 0xD9D9D9;

/// A column: its header, width bounds and whether long text wraps.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub min: f64,
    pub max: f64,
    pub wrap: bool,
}

impl Column {
    /// A column that grows with its content up to `max` and wraps beyond.
    pub const fn wrap(header: &'static str, min: f64, max: f64) -> Column {
        Column {
            header,
            min,
            max,
            wrap: true,
        }
    }

    /// A short column (codes, cells, numbers) that never wraps.
    pub const fn short(header: &'static str, min: f64, max: f64) -> Column {
        Column {
            header,
            min,
            max,
            wrap: false,
        }
    }
}

/// A cell value. Texts borrow what the result and the catalogue hold (names, cell
/// texts, file names) where they can: a department's 1.1 million rows were each
/// eleven strings of their own.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Text(Cow<'a, str>),
    Number(f64),
}

impl Value<'_> {
    /// The text the cell shows, for its width and height (borrowed: a table of 57,000
    /// rows measured a copy of each of its 630,000 cells).
    fn text(&self) -> Cow<'_, str> {
        match self {
            Value::Text(s) => Cow::Borrowed(s),
            Value::Number(n) => Cow::Owned(n.to_string()),
        }
    }
}

impl From<String> for Value<'_> {
    fn from(s: String) -> Self {
        Value::Text(Cow::Owned(s))
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Text(Cow::Borrowed(s))
    }
}

/// A data row, optionally filled (its note, if any, comes from [`Rows::with_notes`]).
#[derive(Debug, Clone, Default)]
pub struct Row<'a> {
    pub cells: Vec<Value<'a>>,
    pub fill: Option<u32>,
}

impl<'a> Row<'a> {
    /// A plain row.
    pub fn new(cells: Vec<Value<'a>>) -> Self {
        Row {
            cells,
            ..Row::default()
        }
    }
}

/// A table's rows, made one at a time when they are needed. A table is gone through
/// three times (column widths, row heights, the cells), and a long one is never held
/// whole: a department's 1.1 million values as rows took gigabytes.
pub struct Rows<'r, 'a> {
    len: usize,
    make: Box<dyn Fn(usize) -> Row<'a> + 'r>,
    /// Row `i`'s Excel note (comment): its column and text. Asked for only when the row
    /// is written, not when it is measured.
    note: Box<dyn Fn(usize) -> Option<(u16, String)> + 'r>,
}

impl<'r, 'a> Rows<'r, 'a> {
    /// `len` rows, row `i` made by `make(i)`.
    pub fn new(len: usize, make: impl Fn(usize) -> Row<'a> + 'r) -> Self {
        Rows {
            len,
            make: Box::new(make),
            note: Box::new(|_| None),
        }
    }

    /// These rows with notes: `note(i)` gives row `i`'s column and text, if any.
    pub fn with_notes(self, note: impl Fn(usize) -> Option<(u16, String)> + 'r) -> Self {
        Rows {
            note: Box::new(note),
            ..self
        }
    }

    /// Rows made already (a short table, or the one row saying the table is empty).
    pub fn made(rows: &'r [Row<'a>]) -> Self {
        Rows::new(rows.len(), move |i| {
            rows.get(i).cloned().unwrap_or_default()
        })
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    fn get(&self, i: usize) -> Row<'a> {
        (self.make)(i)
    }
}

/// Page texts: who the sheet is for and the period, printed in the page header; and
/// how many data rows a sheet takes before the table goes on to the next sheet.
#[derive(Debug, Clone)]
pub struct Page {
    pub header_left: String,
    /// [`SHEET_ROWS`] (smaller in tests).
    pub sheet_rows: usize,
}

/// The most data rows one sheet of a table holds: Excel's 1,048,576 rows, less the
/// title, lead, blank and header rows above the table and the empty row that ends a
/// streamed sheet. A department that sent 22 files of 50,000 rows has 1.1 million
/// values: past this, rust_xlsxwriter refused the row and the department got no
/// workbook at all.
pub const SHEET_ROWS: usize = crate::width::EXCEL_ROWS as usize - (HEADER_ROW as usize + 1) - 1;

/// From this many rows on, a table's sheet is written in rust_xlsxwriter's low-memory
/// mode, from the same count as the report's 検証結果: rows go to a temporary file as
/// they are written (a department that sent 700 files has 13,000 values on one sheet).
pub const STREAMED_ROWS: usize = crate::report::LOW_MEMORY_ROWS;

/// Adds the sheet `name` to `workbook` with a titled table. A table of more rows than
/// a sheet holds ([`Page::sheet_rows`]) goes on over sheets `name (2)`, `name (3)`…,
/// each with the title (numbered `1/3`, `2/3`…), the lead and the header.
///
/// # Errors
/// A rust_xlsxwriter error (text over Excel's limits, a bad sheet name).
pub fn write_table(
    workbook: &mut Workbook,
    name: &str,
    page: &Page,
    title: &str,
    lead: &str,
    columns: &[Column],
    rows: &Rows,
) -> Result<(), XlsxError> {
    let count = crate::report::sheets_for(rows.len(), page.sheet_rows);
    for i in 0..count {
        let part = crate::report::sheet_part(rows.len(), page.sheet_rows, i);
        let (name, title) = if count == 1 {
            (name.to_string(), title.to_string())
        } else {
            (
                crate::report::continued_name(name, i),
                format!("{title}（{}/{count}）", i + 1),
            )
        };
        let head = Head {
            name: &name,
            page,
            title: &title,
            lead,
            columns,
        };
        write_sheet(workbook, &head, rows, part)?;
    }
    Ok(())
}

/// What every sheet of a table shows above its rows.
struct Head<'a> {
    name: &'a str,
    page: &'a Page,
    title: &'a str,
    lead: &'a str,
    columns: &'a [Column],
}

/// One sheet of [`write_table`]: the rows numbered `part`.
fn write_sheet(
    workbook: &mut Workbook,
    head: &Head,
    rows: &Rows,
    part: Range<usize>,
) -> Result<(), XlsxError> {
    let Head {
        name,
        page,
        title,
        lead,
        columns,
    } = *head;
    let streamed = part.len() >= STREAMED_ROWS;
    let sheet = if streamed {
        workbook.add_worksheet_with_low_memory()?
    } else {
        workbook.add_worksheet()
    };
    sheet.set_name(name)?;
    let widths = widths(columns, rows, part.clone());
    for (col, width) in (0u16..).zip(&widths) {
        sheet.set_column_width(col, *width)?;
    }
    // Heights before the rows: a streamed sheet writes each row when the next begins.
    let heights: Vec<f64> = part
        .clone()
        .map(|i| row_height(columns, &widths, &rows.get(i)))
        .collect();
    let heights_set =
        crate::report::RowHeights::new(sheet, &heights, streamed, Some(DEFAULT_ROW_HEIGHT));
    heights_set.fixed(sheet, 0, TITLE_ROW_HEIGHT)?;
    for row in 2..=HEADER_ROW {
        heights_set.fixed(sheet, row, DEFAULT_ROW_HEIGHT)?;
    }
    if streamed {
        for (col, column) in (0u16..).zip(columns) {
            sheet.set_column_format(col, &cell_format(column.wrap))?;
        }
    }
    write_title(sheet, title, lead, &widths)?;
    write_header(sheet, columns)?;
    let mut formats = CellFormats::new(streamed);
    let mut last = HEADER_ROW;
    for ((r, i), height) in (HEADER_ROW + 1..).zip(part).zip(heights) {
        write_row(sheet, r, columns, &rows.get(i), &mut formats)?;
        if let Some((col, text)) = (rows.note)(i) {
            sheet.insert_note(r, col, &note(&text))?;
        }
        heights_set.set(sheet, r, height)?;
        last = r;
    }
    if streamed {
        border_rule(sheet, last, columns.len())?;
        crate::report::end_streamed_rows(sheet, last)?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    setup_page(sheet, page)?;
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    Ok(())
}

/// Excel's default row height in points.
const DEFAULT_ROW_HEIGHT: f64 = 15.0;
/// The height Excel gives the 14-point title row.
const TITLE_ROW_HEIGHT: f64 = 18.75;

/// The height that shows every wrapped cell of a row whole: Excel adjusts heights of
/// wrapped rows when it edits them, but neither Excel on open nor LibreOffice does it
/// for a written file, so the height is set here.
fn row_height(columns: &[Column], widths: &[f64], row: &Row) -> f64 {
    row.cells
        .iter()
        .zip(columns.iter().zip(widths))
        .filter(|(_, (c, _))| c.wrap)
        .map(|(v, (_, w))| text_height(&v.text(), *w))
        .fold(DEFAULT_ROW_HEIGHT, f64::max)
}

/// Column widths fitted to the header and the content of the rows numbered `part`
/// (each row made once).
fn widths(columns: &[Column], rows: &Rows, part: Range<usize>) -> Vec<f64> {
    let mut widest: Vec<usize> = columns.iter().map(|c| widest_line(c.header)).collect();
    for i in part {
        for (w, cell) in widest.iter_mut().zip(&rows.get(i).cells) {
            *w = (*w).max(widest_line(&cell.text()));
        }
    }
    columns
        .iter()
        .zip(widest)
        .map(|(c, w)| fit_width(w, c.min, c.max))
        .collect()
}

/// The title (row 0) and the lead sentence (row 1, merged across the table, wrapped).
pub fn write_title(
    sheet: &mut Worksheet,
    title: &str,
    lead: &str,
    widths: &[f64],
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, title, &Format::new().set_bold().set_font_size(14))?;
    let last = u16::try_from(widths.len().saturating_sub(1)).unwrap_or(0);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    if last == 0 {
        sheet.write_string_with_format(1, 0, lead, &wrap)?;
    } else {
        sheet.merge_range(1, 0, 1, last, lead, &wrap)?;
    }
    sheet.set_row_height(1, text_height(lead, widths.iter().sum()))?;
    Ok(())
}

/// Points a wrapped line of Japanese text takes. 15 (the default row's height) was a
/// little short: LibreOffice drew the 14th line of the cover's file list under the
/// next row.
const LINE_HEIGHT: f64 = 16.0;

/// Points needed to show `text` wrapped in a cell `width` characters wide.
pub fn text_height(text: &str, width: f64) -> f64 {
    (wrapped_lines(text, width) as f64 * LINE_HEIGHT + 3.0).min(crate::width::MAX_ROW_HEIGHT)
}

/// The lines `text` takes wrapped in a column of `width` characters.
pub fn wrapped_lines(text: &str, width: f64) -> usize {
    let per_line = (width - 1.0).max(8.0);
    text.lines()
        .map(|l| (display_width(l) as f64 / per_line).ceil().max(1.0) as usize)
        .sum::<usize>()
        .max(1)
}

fn write_header(sheet: &mut Worksheet, columns: &[Column]) -> Result<(), XlsxError> {
    let format = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(FILL_HEADER))
        .set_border(FormatBorder::Thin);
    for (col, c) in (0u16..).zip(columns) {
        sheet.write_string_with_format(HEADER_ROW, col, c.header, &format)?;
    }
    Ok(())
}

/// The cell formats of a table, made once each: rust_xlsxwriter hashes and compares a
/// cell's whole `Format` to find its number, and a new `Format` per cell was built on
/// top of that.
///
/// In memory every cell carries its own format, borders included. A streamed table
/// (from [`STREAMED_ROWS`] rows, as the report's 検証結果) gives its columns their
/// alignment and wrapping, which an empty cell of the column shows as nothing, and
/// writes the text of a plain row without a format: its cells take their column's.
/// Only filled rows and numbers still carry one. One rule over the table draws the
/// borders ([`border_rule`]). The format lookups were 45 % of writing a 提出内容 of
/// 3,200 files' values.
struct CellFormats {
    streamed: bool,
    made: Vec<(FormatKey, Format)>,
}

/// What tells the formats of [`CellFormats`] apart.
#[derive(Clone, Copy, PartialEq)]
struct FormatKey {
    wrap: bool,
    fill: Option<u32>,
    number: Option<&'static str>,
}

impl CellFormats {
    fn new(streamed: bool) -> Self {
        CellFormats {
            streamed,
            made: Vec::new(),
        }
    }

    /// The format of a cell in a column (`wrap`) of a row (`fill`), for a number in
    /// `number` format; `None` when a streamed table's cell takes its column's.
    fn get(&mut self, key: FormatKey) -> Option<&Format> {
        if self.streamed && key.fill.is_none() && key.number.is_none() {
            return None;
        }
        let i = match self.made.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                let mut format = cell_format(key.wrap);
                if !self.streamed {
                    format = format.set_border(FormatBorder::Thin);
                }
                if let Some(fill) = key.fill {
                    format = format.set_background_color(Color::RGB(fill));
                }
                if let Some(number) = key.number {
                    format = format.set_num_format(number);
                }
                self.made.push((key, format));
                self.made.len() - 1
            }
        };
        self.made.get(i).map(|(_, format)| format)
    }
}

/// A column's cell format without borders or fill: top-aligned, wrapped or not.
fn cell_format(wrap: bool) -> Format {
    let format = Format::new().set_align(FormatAlign::Top);
    if wrap {
        format.set_text_wrap()
    } else {
        format
    }
}

/// A streamed table's borders: one rule over its rows, true for every cell. (Static
/// fills stay on the cells; no other rule colours the table, and LibreOffice applies
/// one rule to a cell.)
fn border_rule(sheet: &mut Worksheet, last: u32, columns: usize) -> Result<(), XlsxError> {
    if last <= HEADER_ROW || columns == 0 {
        return Ok(());
    }
    let last_col = u16::try_from(columns - 1).unwrap_or(u16::MAX);
    crate::report::border_rule(sheet, (HEADER_ROW + 1, 0), (last, last_col))
}

fn write_row(
    sheet: &mut Worksheet,
    r: u32,
    columns: &[Column],
    row: &Row,
    formats: &mut CellFormats,
) -> Result<(), XlsxError> {
    for (col, (value, column)) in (0u16..).zip(row.cells.iter().zip(columns)) {
        let mut key = FormatKey {
            wrap: column.wrap,
            fill: row.fill,
            number: None,
        };
        match value {
            Value::Text(s) => {
                crate::report::write_cell(sheet, r, col, s.as_ref(), formats.get(key))?
            }
            Value::Number(n) => {
                key.number = Some(if n.fract() == 0.0 {
                    "#,##0"
                } else {
                    "#,##0.0###"
                });
                crate::report::write_cell(sheet, r, col, *n, formats.get(key))?;
            }
        }
    }
    Ok(())
}

/// An Excel note sized to its text.
fn note(text: &str) -> Note {
    let lines: u32 = text
        .lines()
        .map(|l| (display_width(l) as u32).div_ceil(56).max(1))
        .sum();
    Note::new(text)
        .set_author("shukei")
        .add_author_prefix(false)
        .set_width(420)
        .set_height(24 + 16 * lines.max(1))
}

/// A4 landscape, one page wide, page header with the department and period, page
/// numbers in the footer.
pub fn setup_page(sheet: &mut Worksheet, page: &Page) -> Result<(), XlsxError> {
    sheet.set_paper_size(PAPER_A4);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    let left = page.header_left.replace('&', "&&");
    sheet.set_header(format!("&L{left}&R&A"));
    sheet.set_footer("&C&P / &N ページ");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_height_grows_with_wrapped_lines() {
        assert_eq!(text_height("短い", 40.0), 19.0);
        let long = "あ".repeat(40); // 80 columns wide in a 41-column cell: 2 lines
        assert_eq!(text_height(&long, 41.0), 35.0);
        assert_eq!(text_height("一行目\n二行目", 40.0), 35.0);
        assert_eq!(wrapped_lines(&long, 41.0), 2);
        // Excel's tallest row, however long the text
        assert_eq!(text_height(&"一行\n".repeat(100), 40.0), 409.0);
    }
}
