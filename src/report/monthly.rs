//! 月次推移: indicator × month of the reporting fiscal year (April … March, headed
//! 令和6年4月 …), the fiscal-year figure and a sparkline per row. Indicators reported
//! monthly are listed, and annual ones too when some month was sent for them. Months
//! after the reporting period are shaded.

use rust_xlsxwriter::{Sparkline, Worksheet, XlsxError};

use super::indicators::write_number;
use super::style;
use super::{partial_note, sheet, Ctx};
use crate::catalogue::{Aggregation, Indicator};
use crate::model::{Month, Period};
use crate::width::column_width;

/// Columns before the months: ID, 指標名, 単位, 集計方法.
const LEAD: u16 = 4;
const NAME_WIDTH: f64 = 40.0;
/// Shade of months after the reporting period.
const FUTURE_FILL: u32 = 0xF2F2F2;

/// Writes the 月次推移 sheet.
pub(super) fn write(sheet: &mut Worksheet, ctx: &Ctx) -> Result<(), XlsxError> {
    sheet.set_name(sheet::MONTHLY)?;
    let s = &ctx.styles;
    let months: Vec<Month> = ctx.fiscal_year.months().collect();
    let title = format!("月次推移（{}）", ctx.fiscal_year.label_ja());
    sheet.write_with_format(0, 0, title.as_str(), &s.title)?;
    let header = 2;
    let last_col = write_header(sheet, ctx, header, &months)?;
    let listed: Vec<&Indicator> = ctx
        .cat
        .indicators
        .iter()
        .filter(|i| listed(ctx, i, &months))
        .collect();
    let mut row = header;
    for ind in &listed {
        row += 1;
        write_row(sheet, ctx, row, ind, &months)?;
    }
    if listed.is_empty() {
        let note = "この年度の月次の値はありません";
        sheet.write_with_format(row + 1, 0, note, &s.small)?;
    } else {
        sheet.autofilter(header, 0, row, last_col)?;
    }
    sheet.set_freeze_panes(header + 1, 2)?;
    style::set_widths(sheet, &widths(ctx, &listed, months.len()))?;
    style::print_setup(sheet, true, Some((header, header)))?;
    Ok(())
}

/// The header row; returns the last column.
fn write_header(
    sheet: &mut Worksheet,
    ctx: &Ctx,
    header: u32,
    months: &[Month],
) -> Result<u16, XlsxError> {
    let mut titles: Vec<String> = ["ID", "指標名", "単位", "集計方法"]
        .map(String::from)
        .to_vec();
    titles.extend(months.iter().map(|m| m.label_ja()));
    titles.extend([
        format!("{} 集計", ctx.fiscal_year.short_ja()),
        "推移".to_string(),
    ]);
    for (col, t) in (0u16..).zip(&titles) {
        sheet.write_with_format(header, col, t.as_str(), &ctx.styles.header)?;
    }
    sheet.set_row_height(header, 30)?;
    Ok((titles.len() - 1) as u16)
}

/// Column widths; the year column fits its numbers with unit and note.
fn widths(ctx: &Ctx, listed: &[&Indicator], months: usize) -> Vec<f64> {
    let year_texts: Vec<String> = listed
        .iter()
        .map(|i| super::policy::figure_text(ctx, i, ctx.fiscal_year))
        .collect();
    let mut widths = vec![8.0, NAME_WIDTH, 7.0, 8.0];
    widths.extend(std::iter::repeat_n(10.0, months));
    widths.extend([
        column_width(year_texts.iter().map(String::as_str), 12.0, 30.0) + 1.0,
        16.0,
    ]);
    widths
}

/// Monthly indicators, and annual ones that received months anyway.
fn listed(ctx: &Ctx, ind: &Indicator, months: &[Month]) -> bool {
    ind.aggregation != Aggregation::Annual
        || months.iter().any(|m| month_value(ctx, ind, *m).is_some())
}

fn month_value(ctx: &Ctx, ind: &Indicator, month: Month) -> Option<f64> {
    ctx.result
        .figures
        .get(&(ind.id.clone(), Period::Month(month)))
        .map(|f| f.value)
}

fn write_row(
    sheet: &mut Worksheet,
    ctx: &Ctx,
    row: u32,
    ind: &Indicator,
    months: &[Month],
) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    sheet.write_with_format(row, 0, ind.id.as_str(), &s.center)?;
    sheet.write_with_format(row, 1, ind.name.as_str(), &s.wrap)?;
    sheet.write_with_format(row, 2, ind.unit.symbol(), &s.center)?;
    sheet.write_with_format(row, 3, ind.aggregation.label_ja(), &s.center)?;
    let number = s.number(ind.unit);
    let future = number.clone().set_background_color(FUTURE_FILL);
    let last_due = match ctx.result.period {
        Some(Period::Month(m)) => Some(m),
        _ => None,
    };
    for (col, month) in (LEAD..).zip(months) {
        let format = if last_due.is_some_and(|due| *month > due) {
            &future
        } else {
            &number
        };
        match month_value(ctx, ind, *month) {
            Some(v) => sheet.write_with_format(row, col, v, format)?,
            None => sheet.write_blank(row, col, format)?,
        };
    }
    let year_col = LEAD + months.len() as u16;
    let figure = ctx.year_figure(&ind.id, ctx.fiscal_year);
    let partial = figure.map(partial_note).unwrap_or_default();
    let year_format = s.number_with_unit(ind.unit, &partial);
    write_number(
        sheet,
        s,
        row,
        year_col,
        figure.map(|f| f.value),
        &year_format,
    )?;
    sheet.write_blank(row, year_col + 1, &s.text)?;
    let sparkline = Sparkline::new()
        .set_range((sheet::MONTHLY, row, LEAD, row, year_col - 1))
        .show_markers(true)
        .show_high_point(true);
    sheet.add_sparkline(row, year_col + 1, &sparkline)?;
    sheet.set_row_height(
        row,
        style::wrapped_height(&[(&ind.name, NAME_WIDTH)]).max(20.0),
    )?;
    Ok(())
}
