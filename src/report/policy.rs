//! One sheet per 基本施策, laid out like the plan document and made to print: title,
//! 目的, the まちの状態を表す指標 table, one table per 展開方向 (指標名 | 基準値 | R6 | R7 |
//! R8 | 目指す方向 | 評価), then the policy's 取組項目.
//!
//! Figures keep their unit on screen through the number format (`262 団体`, `66.8%`),
//! so the cells stay numbers. A4 landscape, one page wide; the title row repeats on each
//! page and page breaks fall between tables, never inside one (estimated from the row
//! heights this module sets).

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::indicators::write_number;
use super::style::{self, Styles};
use super::{partial_note, policy_sheet_name, Ctx};
use crate::catalogue::{Indicator, Policy};
use crate::model::FiscalYear;
use crate::width::column_width;

/// Columns: ID, 指標名, 基準値, the plan's years, 目指す方向, 評価.
pub(super) const NAME_WIDTH: f64 = 52.0;
/// The plan's default baseline year (令和4年度): other years are printed with the value.
const DEFAULT_BASELINE_FY: FiscalYear = FiscalYear(2022);
/// Row height of the default font, in points.
const ROW: f64 = 13.5;
/// Printable height of an A4 landscape page with the margins of [`style::print_setup`],
/// in points, less the repeated title row.
const PAGE: f64 = 595.0 - 0.6 * 2.0 * 72.0 - 26.0;
/// Printable width of the same page, in points.
const PAGE_WIDTH: f64 = 842.0 - 0.5 * 2.0 * 72.0;

/// The page height available at the print scale that fitting `widths` (in characters)
/// to one page wide gives. Estimated with 8 pixels a character, on the safe side: a
/// break placed too early wastes paper, one placed too late lets the printer split a
/// table.
fn page_height(widths: &[f64]) -> f64 {
    let pixels: f64 = widths.iter().map(|w| w * 8.0 + 5.0).sum();
    let scale = (PAGE_WIDTH / (pixels * 0.75)).min(1.0);
    PAGE / scale
}

/// Rows written so far, their heights and the blocks that must not be split.
struct Layout {
    row: u32,
    /// (first row, total height) of each block.
    blocks: Vec<(u32, f64)>,
    block_start: u32,
    block_height: f64,
}

impl Layout {
    /// Sets a row's height and counts it in the current block.
    fn height(&mut self, sheet: &mut Worksheet, row: u32, points: f64) -> Result<(), XlsxError> {
        sheet.set_row_height(row, points)?;
        self.block_height += points;
        Ok(())
    }

    /// Ends the current block at `self.row` (exclusive) and starts a new one.
    fn close_block(&mut self) {
        if self.row > self.block_start {
            self.blocks.push((self.block_start, self.block_height));
        }
        self.block_start = self.row;
        self.block_height = 0.0;
    }

    /// Page breaks before blocks that would not fit on the current page.
    fn breaks(&self, page: f64) -> Vec<u32> {
        let mut breaks = Vec::new();
        let mut used = 0.0;
        for &(first, height) in &self.blocks {
            if used > 0.0 && used + height > page {
                breaks.push(first);
                used = 0.0;
            }
            used += height;
        }
        breaks
    }
}

/// Writes one policy's sheet.
pub(super) fn write(sheet: &mut Worksheet, ctx: &Ctx, policy: &Policy) -> Result<(), XlsxError> {
    sheet.set_name(policy_sheet_name(policy))?;
    let widths = widths(ctx, policy);
    let last_col = (widths.len() - 1) as u16;
    let mut layout = Layout {
        row: 0,
        blocks: Vec::new(),
        block_start: 0,
        block_height: 0.0,
    };
    write_title(sheet, ctx, policy, &mut layout, &widths)?;
    let mut directions = vec![(0u8, "【まちの状態を表す指標】".to_string())];
    directions.extend(
        policy
            .directions
            .iter()
            .map(|d| (d.number, format!("◆展開方向{}:{}", d.number, d.name))),
    );
    for (number, heading) in directions {
        let rows: Vec<&Indicator> = ctx
            .policy_indicators(policy.number)
            .filter(|i| i.direction == number)
            .collect();
        if rows.is_empty() {
            continue;
        }
        write_table(sheet, ctx, &mut layout, &heading, &rows)?;
    }
    layout.block_height +=
        super::actions::write_policy_items(sheet, ctx, policy.number, &mut layout.row, last_col)?;
    layout.close_block();
    style::set_widths(sheet, &widths)?;
    style::print_setup(sheet, true, Some((0, 0)))?;
    sheet.set_page_breaks(&layout.breaks(page_height(&widths)))?;
    sheet.set_print_gridlines(false);
    Ok(())
}

/// Column widths that fit the formatted numbers (with their unit and notes).
fn widths(ctx: &Ctx, policy: &Policy) -> Vec<f64> {
    let inds: Vec<&Indicator> = ctx.policy_indicators(policy.number).collect();
    let baselines: Vec<String> = inds.iter().map(|i| baseline_text(i)).collect();
    let mut widths = vec![
        8.0,
        NAME_WIDTH,
        column_width(baselines.iter().map(String::as_str), 12.0, 26.0),
    ];
    for fy in &ctx.years {
        let shown: Vec<String> = inds.iter().map(|i| figure_text(ctx, i, *fy)).collect();
        widths.push(column_width(shown.iter().map(String::as_str), 11.0, 26.0) + 1.0);
    }
    widths.extend([10.0, 10.0]);
    widths
}

/// What the baseline cell shows: `262 団体`, `15.3% (令和3年度)`, `—`.
fn baseline_text(ind: &Indicator) -> String {
    match ind.baseline {
        Some(v) => format!(
            "{} {} {}",
            style::shown(v, ind.unit),
            ind.unit.symbol(),
            baseline_note(ind)
        ),
        None => "—".to_string(),
    }
}

/// `(令和3年度)` when the baseline is not of the plan's default year.
fn baseline_note(ind: &Indicator) -> String {
    if ind.baseline_fy == DEFAULT_BASELINE_FY {
        String::new()
    } else {
        format!("({})", ind.baseline_fy.label_ja())
    }
}

/// What a year cell shows: `740,454 件/月 (8/12か月)` or `—`.
pub(super) fn figure_text(ctx: &Ctx, ind: &Indicator, fy: FiscalYear) -> String {
    match ctx.year_figure(&ind.id, fy) {
        Some(f) => format!(
            "{} {} {}",
            style::shown(f.value, ind.unit),
            ind.unit.symbol(),
            partial_note(f)
        ),
        None => "—".to_string(),
    }
}

fn write_title(
    sheet: &mut Worksheet,
    ctx: &Ctx,
    policy: &Policy,
    layout: &mut Layout,
    widths: &[f64],
) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    let last = (widths.len() - 1) as u16;
    let title = format!("基本施策 {}　{}", policy.number, policy.name);
    sheet.merge_range(0, 0, 0, last, &title, &s.title)?;
    layout.height(sheet, 0, 26.0)?;
    let sub = format!(
        "{} 集計（集計日時 {}）　※評価は最新年度の値と基準値の比較です",
        ctx.period_label(),
        ctx.meta.run_at
    );
    sheet.merge_range(1, 0, 1, last, &sub, &s.small)?;
    sheet.write_with_format(3, 0, "◆基本施策の目的", &s.heading)?;
    let total: f64 = widths.iter().sum();
    sheet.merge_range(4, 0, 4, last, &policy.purpose, &s.note)?;
    layout.height(sheet, 4, style::wrapped_height(&[(&policy.purpose, total)]))?;
    let notes = [
        "※基準値は原則として令和4年度実績値、それ以外の場合は()書きで基準年度等を示しています。",
        "※「(8/12か月)」のような表示は、月次の値から集計した途中の値（報告済みの月数/対象の月数）です。",
    ];
    for (row, note) in (5u32..).zip(notes) {
        sheet.merge_range(row, 0, row, last, note, &s.small)?;
    }
    layout.block_height += ROW * 5.0;
    layout.row = 8;
    layout.close_block();
    Ok(())
}

/// A heading and its indicator table.
fn write_table(
    sheet: &mut Worksheet,
    ctx: &Ctx,
    layout: &mut Layout,
    heading: &str,
    rows: &[&Indicator],
) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    let top = layout.row;
    sheet.write_with_format(top, 0, heading, &s.heading)?;
    layout.height(sheet, top, 20.0)?;
    let mut titles = vec!["ID".to_string(), "指標名".to_string(), "基準値".to_string()];
    titles.extend(ctx.years.iter().map(|fy| fy.short_ja()));
    titles.extend(["目指す方向".to_string(), "評価".to_string()]);
    for (col, t) in (0u16..).zip(&titles) {
        sheet.write_with_format(top + 1, col, t.as_str(), &s.header)?;
    }
    layout.block_height += ROW + 4.0;
    let mut row = top + 1;
    for ind in rows {
        row += 1;
        write_indicator(sheet, ctx, row, ind)?;
        layout.height(
            sheet,
            row,
            style::wrapped_height(&[(&ind.name, NAME_WIDTH)]),
        )?;
    }
    let grade_col = (titles.len() - 1) as u16;
    style::grade_fills(sheet, (top + 2, row), grade_col)?;
    layout.row = row + 2;
    layout.block_height += ROW;
    layout.close_block();
    Ok(())
}

fn write_indicator(
    sheet: &mut Worksheet,
    ctx: &Ctx,
    row: u32,
    ind: &Indicator,
) -> Result<(), XlsxError> {
    let s: &Styles = &ctx.styles;
    sheet.write_with_format(row, 0, ind.id.as_str(), &s.center)?;
    sheet.write_with_format(row, 1, ind.name.as_str(), &s.wrap)?;
    let baseline = s.number_with_unit(ind.unit, &baseline_note(ind));
    write_number(sheet, s, row, 2, ind.baseline, &baseline)?;
    let mut col = 3u16;
    for fy in &ctx.years {
        let figure = ctx.year_figure(&ind.id, *fy);
        let note = figure.map(partial_note).unwrap_or_default();
        let format = s.number_with_unit(ind.unit, &note);
        write_number(sheet, s, row, col, figure.map(|f| f.value), &format)?;
        col += 1;
    }
    sheet.write_with_format(row, col, ind.trend.arrow(), &s.center)?;
    sheet.write_with_format(row, col + 1, ctx.grade(&ind.id).label_ja(), &s.center)?;
    Ok(())
}
