//! 提出状況: one row per department (expected indicators, files received, status,
//! errors, indicators still owed). 読込ファイル: every input file with its department,
//! whether it could be read, and its values, errors and warnings. Every input file
//! appears there, read or not (SPEC "nothing lost").
//!
//! The two tables were one sheet until a batch of 2,000 files showed the file table
//! under the department table's frozen and printed header (other columns), and each
//! department row listing a hundred file names (25 pages before the file table).

use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, Format, FormatBorder, Worksheet, XlsxError,
};

use super::style;
use super::{sheet, Ctx};
use crate::consolidate::{DepartmentStatus, FileStatus, Standing};
use crate::width::column_width;

const IDS_WIDTH: f64 = 30.0;
const FILES_WIDTH: f64 = 44.0;

/// Department rows list at most this many file names; the rest are counted (every file
/// is on 読込ファイル).
const NAMES_PER_DEPARTMENT: usize = 10;

/// Writes the 提出状況 sheet.
pub(super) fn write(sheet: &mut Worksheet, ctx: &Ctx) -> Result<(), XlsxError> {
    sheet.set_name(sheet::STATUS)?;
    let s = &ctx.styles;
    let title = format!("提出状況（{}）", ctx.period_label());
    sheet.write_with_format(0, 0, title.as_str(), &s.title)?;
    let titles = [
        "担当課",
        "状況",
        "担当指標数",
        "受領ファイル数",
        "エラー",
        "受領ファイル",
        "担当指標",
        "未提出の指標",
    ];
    for (col, t) in (0u16..).zip(titles) {
        sheet.write_with_format(2, col, t, &s.header)?;
    }
    sheet.set_row_height(2, 30)?;
    let mut row = 2;
    for dept in &ctx.result.departments {
        row += 1;
        write_department(sheet, ctx, row, dept)?;
    }
    standing_fills(sheet, (3, row), 1)?;
    let depts = ctx.result.departments.iter().map(|d| d.department.as_str());
    let widths = [
        column_width(depts, 16.0, 24.0),
        12.0,
        10.0,
        12.0,
        8.0,
        FILES_WIDTH,
        IDS_WIDTH,
        IDS_WIDTH,
    ];
    style::set_widths(sheet, &widths)?;
    sheet.set_freeze_panes(3, 1)?;
    style::print_setup(sheet, true, Some((2, 2)))?;
    Ok(())
}

fn write_department(
    sheet: &mut Worksheet,
    ctx: &Ctx,
    row: u32,
    d: &DepartmentStatus,
) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    let expected = d.expected.join(", ");
    let shown: Vec<&str> = d
        .files
        .iter()
        .take(NAMES_PER_DEPARTMENT)
        .map(|f| file_name(f))
        .collect();
    let mut files = shown.join("\n");
    let more = d.files.len().saturating_sub(NAMES_PER_DEPARTMENT);
    if more > 0 {
        files.push_str(&format!("\nほか {more} 件（「{}」シート）", sheet::FILES));
    }
    let owed = d.owed.join(", ");
    sheet.write_with_format(row, 0, d.department.as_str(), &s.text)?;
    sheet.write_with_format(row, 1, d.standing.label_ja(), &s.center)?;
    sheet.write_with_format(row, 2, d.expected.len() as f64, &s.int)?;
    sheet.write_with_format(row, 3, d.files.len() as f64, &s.int)?;
    sheet.write_with_format(row, 4, d.errors as f64, &s.int)?;
    sheet.write_with_format(row, 5, files.as_str(), &s.wrap)?;
    sheet.write_with_format(row, 6, expected.as_str(), &s.wrap)?;
    sheet.write_with_format(row, 7, owed.as_str(), &s.wrap)?;
    let cells = [
        (expected.as_str(), IDS_WIDTH),
        (files.as_str(), FILES_WIDTH),
        (owed.as_str(), IDS_WIDTH),
    ];
    sheet.set_row_height(row, style::wrapped_height(&cells))?;
    Ok(())
}

/// The file's name without its folders (the full path is in the file table).
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Fills for the 状況 column: green 提出済, yellow 一部未提出, red 未提出 / エラーあり.
fn standing_fills(sheet: &mut Worksheet, rows: (u32, u32), col: u16) -> Result<(), XlsxError> {
    if rows.1 < rows.0 {
        return Ok(());
    }
    let fills = [
        (Standing::Complete, 0xC6EFCE, 0x006100),
        (Standing::Partial, 0xFFEB9C, 0x9C5700),
        (Standing::Missing, 0xFFC7CE, 0x9C0006),
        (Standing::HasErrors, 0xFFC7CE, 0x9C0006),
    ];
    for (standing, fill, font) in fills {
        let rule = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(standing.label_ja()))
            .set_format(
                Format::new()
                    .set_background_color(fill)
                    .set_font_color(font),
            );
        sheet.add_conditional_format(rows.0, col, rows.1, col, &rule)?;
    }
    Ok(())
}

/// Whether the 読込ファイル sheet is streamed (rust_xlsxwriter's constant-memory mode:
/// its strings stay in its cells, see [`super::build_report`]).
pub(super) fn files_streamed(ctx: &Ctx) -> bool {
    ctx.result.files.len() >= super::issues::LOW_MEMORY_ROWS
}

/// Writes the 読込ファイル sheet: every input file, one row each (thousands on a large
/// batch: from as many files as 検証結果 has findings when it switches, the rows stream
/// to a temporary file, each row's cells and height before the next row's).
pub(super) fn write_files(sheet: &mut Worksheet, ctx: &Ctx) -> Result<(), XlsxError> {
    let files = &ctx.result.files;
    let streamed = files_streamed(ctx);
    sheet.set_name(sheet::FILES)?;
    let s = &ctx.styles;
    let depts = files
        .iter()
        .map(|f| f.department.as_deref().unwrap_or(UNKNOWN_DEPARTMENT));
    let widths = [
        column_width(depts, 16.0, 24.0),
        10.0,
        8.0,
        8.0,
        8.0,
        FILES_WIDTH,
    ];
    style::set_widths(sheet, &widths)?;
    // Heights before the rows: a streamed sheet writes each row when the next begins.
    let header = 2;
    let heights: Vec<f64> = files.iter().map(file_row_height).collect();
    let heights_set = style::RowHeights::new(sheet, &heights, streamed, None);
    heights_set.fixed(sheet, 0, style::TITLE_ROW_HEIGHT)?;
    for row in 1..=header {
        heights_set.fixed(sheet, row, style::PLAIN_ROW_HEIGHT)?;
    }
    let title = format!("読み込んだファイル（{} 件）", files.len());
    sheet.write_with_format(0, 0, title.as_str(), &s.title)?;
    let titles = ["担当課", "読込", "値", "エラー", "警告", "ファイル"];
    for (col, t) in (0u16..).zip(titles) {
        sheet.write_with_format(header, col, t, &s.header)?;
    }
    let skipped = ctx.skipped_files();
    let formats = FileFormats::new(s, streamed);
    if streamed {
        for (col, format) in (0u16..).zip(&formats.columns) {
            sheet.set_column_format(col, format)?;
        }
    }
    let mut r = header;
    for (f, height) in files.iter().zip(heights) {
        r += 1;
        write_file(sheet, &formats, r, f, skipped.contains(&*f.file))?;
        heights_set.set(sheet, r, height)?;
    }
    if r > header {
        sheet.autofilter(header, 0, r, 5)?;
    }
    if streamed {
        style::border_rule(sheet, (header + 1, 0), (r, FILE_COLUMNS - 1))?;
        style::end_streamed_rows(sheet, r)?;
    }
    sheet.set_freeze_panes(header + 1, 0)?;
    style::print_setup(sheet, true, Some((header, header)))?;
    Ok(())
}

/// Every format the streamed sheet uses: the title's, the header's, the columns' and,
/// when a file could not be read, a failed file's.
pub(super) fn streamed_formats(ctx: &Ctx) -> Vec<Format> {
    let s = &ctx.styles;
    let FileFormats {
        columns, failed, ..
    } = FileFormats::new(s, true);
    let mut formats = vec![s.title.clone(), s.header.clone()];
    formats.extend(columns);
    if ctx.result.files.iter().any(|f| f.failed) {
        formats.push(failed);
    }
    formats
}

/// Shown for a file whose department is not known.
const UNKNOWN_DEPARTMENT: &str = "（課不明）";

/// The columns of 読込ファイル.
const FILE_COLUMNS: u16 = 6;

/// The cell formats of 読込ファイル's columns (担当課, 読込, 値, エラー, 警告, ファイル).
///
/// In memory each cell carries its column's format. Streamed (from
/// [`super::issues::LOW_MEMORY_ROWS`] files), the columns carry them without borders and
/// the cells none (rust_xlsxwriter hashes a cell's whole format to number it), and one
/// rule draws the borders, as on 検証結果; a file that could not be read keeps its
/// red fill on the cell.
struct FileFormats {
    /// In memory: the cells' formats; streamed: the columns'.
    columns: [Format; FILE_COLUMNS as usize],
    streamed: bool,
    failed: Format,
}

impl FileFormats {
    fn new(s: &style::Styles, streamed: bool) -> FileFormats {
        let columns = [&s.text, &s.center, &s.int, &s.int, &s.int, &s.wrap].map(|f| {
            if streamed {
                f.clone().set_border(FormatBorder::None)
            } else {
                f.clone()
            }
        });
        let (fill, font) = style::severity_colors(crate::model::Severity::Error);
        let failed = columns[1]
            .clone()
            .set_background_color(fill)
            .set_font_color(font);
        FileFormats {
            columns,
            streamed,
            failed,
        }
    }

    /// The format a cell of column `col` is written with; `None` when it takes its
    /// column's.
    fn cell(&self, col: u16) -> Option<&Format> {
        (!self.streamed)
            .then(|| self.columns.get(usize::from(col)))
            .flatten()
    }
}

fn write_file(
    sheet: &mut Worksheet,
    formats: &FileFormats,
    row: u32,
    f: &FileStatus,
    skipped: bool,
) -> Result<(), XlsxError> {
    let read = if skipped {
        "対象外"
    } else if f.failed {
        "読込失敗"
    } else {
        "読込済"
    };
    let dept = f.department.as_deref().unwrap_or(UNKNOWN_DEPARTMENT);
    let read_format = if f.failed && !skipped {
        Some(&formats.failed)
    } else {
        formats.cell(1)
    };
    style::write_cell(sheet, row, 0, dept, formats.cell(0))?;
    style::write_cell(sheet, row, 1, read, read_format)?;
    for (col, n) in (2u16..).zip([f.values, f.errors, f.warnings]) {
        style::write_cell(sheet, row, col, n as f64, formats.cell(col))?;
    }
    style::write_cell(sheet, row, 5, &*f.file, formats.cell(5))
}

/// The height that shows a file's wrapped path whole.
fn file_row_height(f: &FileStatus) -> f64 {
    style::wrapped_height(&[(&*f.file, FILES_WIDTH)])
}
