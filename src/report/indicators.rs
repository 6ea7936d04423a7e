//! 指標一覧: every indicator of the catalogue on one row — baseline, the plan's
//! fiscal-year figures, latest value, change, trend, grade (coloured by conditional
//! formatting), department and where the figure came from. Numbers are numbers, in the
//! unit's format; missing figures show `—`.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::style::{self, Styles};
use super::{direction_label, partial_note, policy_label, sheet, source_label, Ctx};
use crate::catalogue::Indicator;
use crate::width::column_width;

/// Column titles (the plan's years are inserted after 基準年度).
const BEFORE_YEARS: [&str; 7] = [
    "ID",
    "基本施策",
    "展開方向",
    "指標名",
    "単位",
    "基準値",
    "基準年度",
];
const AFTER_YEARS: [&str; 8] = [
    "年度値の注記",
    "最新値",
    "基準値からの変化",
    "目指す方向",
    "評価",
    "担当課",
    "出典（最新値）",
    "集計方法",
];

/// Fixed widths of the wrapped columns (基本施策, 展開方向, 指標名, 出典).
const POLICY_WIDTH: f64 = 14.0;
const DIRECTION_WIDTH: f64 = 22.0;
const NAME_WIDTH: f64 = 44.0;
const SOURCE_WIDTH: f64 = 36.0;

/// Writes the 指標一覧 sheet.
pub(super) fn write(sheet: &mut Worksheet, ctx: &Ctx) -> Result<(), XlsxError> {
    sheet.set_name(sheet::INDICATORS)?;
    let titles = titles(ctx);
    for (col, title) in (0u16..).zip(&titles) {
        sheet.write_with_format(0, col, title.as_str(), &ctx.styles.header)?;
    }
    sheet.set_row_height(0, 30)?;
    let mut row = 0;
    for ind in &ctx.cat.indicators {
        row += 1;
        write_row(sheet, ctx, row, ind)?;
    }
    let last_col = (titles.len() - 1) as u16;
    let grade_col = (BEFORE_YEARS.len() + ctx.years.len() + 4) as u16;
    style::grade_fills(sheet, (1, row), grade_col)?;
    sheet.autofilter(0, 0, row.max(1), last_col)?;
    sheet.set_freeze_panes(1, 4)?;
    style::set_widths(sheet, &widths(ctx))?;
    style::print_setup(sheet, true, Some((0, 0)))?;
    sheet.set_header(format!("&L{}&R{}", sheet::INDICATORS, ctx.period_label()));
    Ok(())
}

fn titles(ctx: &Ctx) -> Vec<String> {
    let mut titles: Vec<String> = BEFORE_YEARS.iter().map(|s| s.to_string()).collect();
    titles.extend(ctx.years.iter().map(|fy| fy.short_ja()));
    titles.extend(AFTER_YEARS.iter().map(|s| s.to_string()));
    titles
}

fn widths(ctx: &Ctx) -> Vec<f64> {
    let units = ctx.cat.indicators.iter().map(|i| i.unit.symbol());
    let depts = ctx.cat.indicators.iter().map(|i| i.department.as_str());
    let mut widths = vec![
        8.0,
        POLICY_WIDTH,
        DIRECTION_WIDTH,
        NAME_WIDTH,
        column_width(units, 6.0, 10.0),
        12.0,
        11.0,
    ];
    widths.extend(ctx.years.iter().map(|_| 11.0));
    widths.extend([
        14.0,
        11.0,
        10.0,
        8.0,
        10.0,
        column_width(depts, 10.0, 22.0),
        SOURCE_WIDTH,
        9.0,
    ]);
    widths
}

/// One indicator's row.
fn write_row(sheet: &mut Worksheet, ctx: &Ctx, row: u32, ind: &Indicator) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    let policy = policy_label(ctx.cat, ind.policy);
    let direction = direction_label(ctx.cat, ind.policy, ind.direction);
    sheet.write_with_format(row, 0, ind.id.as_str(), &s.center)?;
    sheet.write_with_format(row, 1, policy.as_str(), &s.wrap)?;
    sheet.write_with_format(row, 2, direction.as_str(), &s.wrap)?;
    sheet.write_with_format(row, 3, ind.name.as_str(), &s.wrap)?;
    sheet.write_with_format(row, 4, ind.unit.symbol(), &s.center)?;
    let number = s.number(ind.unit);
    write_number(sheet, s, row, 5, ind.baseline, &number)?;
    let baseline_fy = match ind.baseline {
        Some(_) => ind.baseline_fy.label_ja(),
        None => "—".to_string(),
    };
    sheet.write_with_format(row, 6, baseline_fy, &s.center)?;
    let mut col = 7u16;
    let mut notes = Vec::new();
    for fy in &ctx.years {
        let figure = ctx.year_figure(&ind.id, *fy);
        let partial = figure.map(partial_note).unwrap_or_default();
        let format = if partial.is_empty() {
            number.clone()
        } else {
            notes.push(format!("{} {partial}", fy.short_ja()));
            number.clone().set_italic().set_font_color(0x7F6000)
        };
        write_number(sheet, s, row, col, figure.map(|f| f.value), &format)?;
        col += 1;
    }
    let note = if notes.is_empty() {
        String::new()
    } else {
        format!("途中集計 {}", notes.join(" "))
    };
    sheet.write_with_format(row, col, note.as_str(), &s.wrap)?;
    let source = write_evaluation(sheet, ctx, row, col + 1, ind)?;
    let heights = [
        (ind.name.as_str(), NAME_WIDTH),
        (policy.as_str(), POLICY_WIDTH),
        (direction.as_str(), DIRECTION_WIDTH),
        (source.as_str(), SOURCE_WIDTH),
    ];
    sheet.set_row_height(row, style::wrapped_height(&heights))?;
    Ok(())
}

/// 最新値, 変化, 目指す方向, 評価, 担当課, 出典, 集計方法 from column `col`. Returns
/// the 出典 text.
fn write_evaluation(
    sheet: &mut Worksheet,
    ctx: &Ctx,
    row: u32,
    col: u16,
    ind: &Indicator,
) -> Result<String, XlsxError> {
    let s = &ctx.styles;
    let eval = ctx.evals.get(ind.id.as_str());
    let latest = eval.and_then(|e| e.latest);
    write_number(
        sheet,
        s,
        row,
        col,
        latest.map(|(_, v)| v),
        &s.number(ind.unit),
    )?;
    let signed = s
        .text
        .clone()
        .set_num_format(style::signed_format(ind.unit));
    write_number(sheet, s, row, col + 1, eval.and_then(|e| e.change), &signed)?;
    sheet.write_with_format(row, col + 2, ind.trend.arrow(), &s.center)?;
    sheet.write_with_format(row, col + 3, ctx.grade(&ind.id).label_ja(), &s.center)?;
    sheet.write_with_format(row, col + 4, ind.department.as_str(), &s.text)?;
    let source = latest
        .and_then(|(fy, _)| ctx.year_figure(&ind.id, fy))
        .map(source_label)
        .unwrap_or_default();
    sheet.write_with_format(row, col + 5, source.as_str(), &s.wrap)?;
    sheet.write_with_format(row, col + 6, ind.aggregation.label_ja(), &s.center)?;
    Ok(source)
}

/// A number, or `—` when there is none.
pub(super) fn write_number(
    sheet: &mut Worksheet,
    s: &Styles,
    row: u32,
    col: u16,
    value: Option<f64>,
    format: &Format,
) -> Result<(), XlsxError> {
    match value {
        Some(v) if v.is_finite() => sheet.write_with_format(row, col, v, format)?,
        _ => sheet.write_with_format(row, col, "—", &s.center)?,
    };
    Ok(())
}
