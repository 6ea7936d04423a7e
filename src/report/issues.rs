//! 検証結果: every finding, errors first then by file (the order of
//! `Consolidated::findings`): 重要度, コード, ファイル, シート, セル, 指標ID, 内容, 対処方法.
//! Rows are coloured by severity with one formula rule over the whole table, so the work
//! stays linear however many findings there are.
//!
//! From [`LOW_MEMORY_ROWS`] findings on, the sheet is written in rust_xlsxwriter's
//! low-memory mode: rows go straight to a temporary file, strictly in order (header
//! first, then each row's cells and height before the next row); strings still go to
//! the shared table, so a fix hint repeated on thousands of rows is stored once (inline
//! strings made the sheet's XML 5.4 MB for 7,000 findings: a bigger file, and more to
//! compress on the run's critical path). Its cells then take their columns' formats
//! and the severity rules draw the borders (see [`write_row`]).

use rust_xlsxwriter::{ConditionalFormatFormula, Format, FormatBorder, Worksheet, XlsxError};

use super::style;
use super::{sheet, Ctx};
use crate::model::{Finding, Severity};
use crate::width::column_width;

/// From this many findings on, the sheet uses low-memory mode. In memory, 7,000
/// findings (2,000 small files) cost the run 6 MB of its peak; a monthly run of a
/// city's 30 files (a hundred findings) stays well below and keeps its rows in memory.
pub const LOW_MEMORY_ROWS: usize = 1_000;

const TITLES: [&str; 8] = [
    "重要度",
    "コード",
    "ファイル",
    "シート",
    "セル",
    "指標ID",
    "内容",
    "対処方法",
];
const FILE_WIDTH_MAX: f64 = 40.0;
const MESSAGE_WIDTH: f64 = 60.0;
const HINT_WIDTH: f64 = 40.0;

/// The most findings one 検証結果 sheet holds: Excel's 1,048,576 rows less the header
/// and the empty row that ends a streamed sheet. More go on over `検証結果 (2)`… (a
/// batch of 25 files of 50,000 rows sent by a department that owns none of their
/// indicators has a million findings; rust_xlsxwriter refused the row past Excel's
/// last and no report was written).
pub const SHEET_ROWS: usize = crate::width::EXCEL_ROWS as usize - 2;

/// Whether the 検証結果 sheet is written in low-memory mode.
pub(super) fn streamed(ctx: &Ctx) -> bool {
    ctx.result.findings.len() >= LOW_MEMORY_ROWS
}

/// The findings of sheet `n` (from 0), in their order.
fn sheet_findings<'a>(ctx: &Ctx<'a>, n: usize) -> &'a [Finding] {
    let all = &ctx.result.findings;
    all.get(style::sheet_part(all.len(), ctx.issues_per_sheet, n))
        .unwrap_or_default()
}

/// A sheet's column widths and row heights, measured from its findings' texts.
struct Layout {
    widths: [f64; 8],
    heights: Vec<f64>,
}

/// Measures sheet `n` (from 0).
fn layout(ctx: &Ctx, n: usize) -> Layout {
    let findings = sheet_findings(ctx, n);
    let widths = widths(findings);
    let mut repeated = Repeated::new(widths[2]);
    let heights = findings
        .iter()
        .map(|f| row_height(f, &mut repeated))
        .collect();
    Layout { widths, heights }
}

/// Writes sheet `n` (from 0) of 検証結果: its share of the findings, in their order.
pub(super) fn write(sheet: &mut Worksheet, ctx: &Ctx, n: usize) -> Result<(), XlsxError> {
    let findings = sheet_findings(ctx, n);
    let streamed = streamed(ctx);
    let name = sheet_name(n);
    sheet.set_name(&name)?;
    let Layout { widths, heights } = layout(ctx, n);
    style::set_widths(sheet, &widths)?;
    // Heights before the rows: a streamed sheet writes each row when the next begins.
    let heights_set = style::RowHeights::new(sheet, &heights, streamed, None);
    heights_set.fixed(sheet, 0, style::PLAIN_ROW_HEIGHT)?;
    let s = &ctx.styles;
    for (col, t) in (0u16..).zip(TITLES) {
        sheet.write_with_format(0, col, t, &s.header)?;
    }
    let formats = cell_formats(s);
    if streamed {
        for (col, format) in (0u16..).zip(column_formats(s)) {
            sheet.set_column_format(col, &format)?;
        }
    }
    let mut row = 0;
    for (f, &height) in findings.iter().zip(&heights) {
        row += 1;
        write_row(sheet, row, f, (!streamed).then_some(&formats))?;
        heights_set.set(sheet, row, height)?;
    }
    if findings.is_empty() {
        sheet.write_with_format(1, 0, "問題は見つかりませんでした", &s.small)?;
    } else {
        severity_fills(sheet, row, streamed)?;
    }
    if streamed {
        style::end_streamed_rows(sheet, row)?;
    }
    sheet.autofilter(0, 0, row.max(1), (TITLES.len() - 1) as u16)?;
    sheet.set_freeze_panes(1, 0)?;
    style::print_setup(sheet, true, Some((0, 0)))?;
    sheet.set_header(format!("&L{name}&R{}", ctx.period_label()));
    Ok(())
}

/// The name of sheet `n` (from 0) of 検証結果: `検証結果`, then `検証結果 (2)`…
pub(super) fn sheet_name(n: usize) -> String {
    style::continued_name(sheet::ISSUES, n)
}

/// Column widths; the file column fits the longest path up to a limit (one pass; a
/// file's or sheet's findings follow each other, so a name equal to the one before is
/// not measured again).
fn widths(findings: &[Finding]) -> [f64; 8] {
    let files = changed(findings.iter().map(|f| &*f.at.file));
    let sheets = changed(findings.iter().filter_map(|f| f.at.sheet.as_deref()));
    [
        8.0,
        column_width(findings.iter().map(|f| f.code), 12.0, 30.0),
        column_width(files, 16.0, FILE_WIDTH_MAX),
        column_width(sheets, 8.0, 20.0),
        7.0,
        9.0,
        MESSAGE_WIDTH,
        HINT_WIDTH,
    ]
}

/// Each column's cell format: centred, plain or wrapped, bordered.
fn cell_formats(s: &style::Styles) -> [&Format; 8] {
    [
        &s.center, &s.text, &s.wrap, &s.text, &s.center, &s.center, &s.wrap, &s.wrap,
    ]
}

/// A streamed sheet's column formats: the cells' without the border (see
/// [`write_row`]).
fn column_formats(s: &style::Styles) -> [Format; 8] {
    cell_formats(s).map(|f| f.clone().set_border(FormatBorder::None))
}

/// Every format a streamed sheet uses: the header's and the columns'.
pub(super) fn streamed_formats(ctx: &Ctx) -> Vec<Format> {
    let s = &ctx.styles;
    let mut formats = vec![s.header.clone()];
    formats.extend(column_formats(s));
    formats
}

/// One finding's row, cells in column order (its height follows), each with its
/// column's format from `formats`, or, streamed (`None`), with none of its own.
///
/// rust_xlsxwriter hashes and compares a cell's whole `Format` to find its number: 40 %
/// of the time of a streamed 検証結果's row (2,000 files, 7,000 rows: 0.15–0.17 →
/// 0.13–0.14 s without it). A streamed sheet therefore gives its columns their cells'
/// formats without the border, which an empty cell of the column shows as nothing, and
/// writes the cells without one: they take their column's. The borders come with the
/// severity rules over the table ([`severity_fills`]).
fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    f: &Finding,
    formats: Option<&[&Format; 8]>,
) -> Result<(), XlsxError> {
    let a1 = f.at.a1();
    let cells = [
        f.severity.label_ja(),
        f.code,
        &*f.at.file,
        f.at.sheet.as_deref().unwrap_or(""),
        &a1,
        f.indicator_id.as_deref().unwrap_or(""),
        f.text(),
        f.hint,
    ];
    for (col, text) in (0u16..).zip(cells) {
        let format = formats.and_then(|formats| formats.get(usize::from(col)));
        style::write_cell(sheet, row, col, text, format.copied())?;
    }
    Ok(())
}

/// The texts that differ from the one before them.
fn changed<'a>(texts: impl Iterator<Item = &'a str>) -> impl Iterator<Item = &'a str> {
    let mut before: Option<&str> = None;
    texts.filter(move |t| before.replace(t) != Some(t))
}

/// The lines of the texts 検証結果's rows repeat: a rule's fix hint (a few dozen
/// distinct ones on thousands of rows) and the file of the findings before, in a file
/// column `file_width` wide.
struct Repeated {
    file_width: f64,
    hints: Vec<(&'static str, usize)>,
    file: Option<(std::sync::Arc<str>, usize)>,
}

impl Repeated {
    fn new(file_width: f64) -> Repeated {
        Repeated {
            file_width,
            hints: Vec::new(),
            file: None,
        }
    }

    fn hint_lines(&mut self, hint: &'static str) -> usize {
        if let Some(&(_, lines)) = self.hints.iter().find(|(h, _)| std::ptr::eq(*h, hint)) {
            return lines;
        }
        let lines = style::lines_needed(hint, HINT_WIDTH);
        self.hints.push((hint, lines));
        lines
    }

    fn file_lines(&mut self, file: &std::sync::Arc<str>) -> usize {
        match &self.file {
            Some((f, lines)) if f == file => *lines,
            _ => {
                let lines = style::lines_needed(file, self.file_width);
                self.file = Some((file.clone(), lines));
                lines
            }
        }
    }
}

/// The height that shows a finding's wrapped cells whole (as
/// `style::wrapped_height(&[(text, MESSAGE_WIDTH), (hint, HINT_WIDTH), (file, file_width)])`).
fn row_height(f: &Finding, repeated: &mut Repeated) -> f64 {
    let lines = style::lines_needed(f.text(), MESSAGE_WIDTH)
        .max(repeated.hint_lines(f.hint))
        .max(repeated.file_lines(&f.at.file));
    style::height_of_lines(lines)
}

/// One formula rule per severity over the whole table: `=$A2="エラー"` fills the row;
/// a streamed table's rules draw the cells' borders too (every row has a severity, and
/// LibreOffice applies one rule to a cell, so each rule carries them).
fn severity_fills(sheet: &mut Worksheet, last: u32, borders: bool) -> Result<(), XlsxError> {
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let (fill, font) = style::severity_colors(severity);
        let mut format = Format::new()
            .set_background_color(fill)
            .set_font_color(font);
        if borders {
            format = format.set_border(FormatBorder::Thin);
        }
        let rule = ConditionalFormatFormula::new()
            .set_rule(format!("=$A2=\"{}\"", severity.label_ja()).as_str())
            .set_format(format);
        sheet.add_conditional_format(1, 0, last, (TITLES.len() - 1) as u16, &rule)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CellRef;

    #[test]
    fn repeated_texts_give_the_heights_measured_each_time() {
        let long = "とても長いフォルダ名/".repeat(12);
        let files = [
            "a.xlsx".to_string(),
            format!("{long}b.xlsx"),
            "a.xlsx".to_string(),
        ];
        let rules = [
            crate::rules::VALUE_NONNUMERIC,
            crate::rules::FILE_UNREADABLE,
            crate::rules::MR_ERA_ONLY,
        ];
        let mut findings = Vec::new();
        for (i, file) in files.iter().enumerate() {
            let file: std::sync::Arc<str> = std::sync::Arc::from(file.as_str());
            for (k, rule) in rules.iter().enumerate() {
                let at = CellRef::cell(file.clone(), "入力", i as u32, k as u32);
                let message = format!("{at}: {}", "値が読めません。".repeat(k * 5 + 1));
                findings.push(rule.at(at, message));
            }
        }
        for width in [16.0, FILE_WIDTH_MAX] {
            let mut repeated = Repeated::new(width);
            for f in &findings {
                let want = style::wrapped_height(&[
                    (f.text(), MESSAGE_WIDTH),
                    (f.hint, HINT_WIDTH),
                    (&*f.at.file, width),
                ]);
                assert_eq!(row_height(f, &mut repeated), want, "{}", f.text());
            }
        }
        let measured = [
            column_width(findings.iter().map(|f| &*f.at.file), 16.0, FILE_WIDTH_MAX),
            column_width(
                findings.iter().filter_map(|f| f.at.sheet.as_deref()),
                8.0,
                20.0,
            ),
        ];
        assert_eq!([widths(&findings)[2], widths(&findings)[3]], measured);
        assert_eq!(
            changed(["a", "a", "b", "a"].into_iter()).collect::<Vec<_>>(),
            ["a", "b", "a"]
        );
    }
}
