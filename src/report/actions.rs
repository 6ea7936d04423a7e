//! 取組項目: the plan's 51 action items (No., 基本施策, 展開方向, 取組項目, 担当課) and
//! the featured projects with their budgets in 千円; also the per-policy action item
//! table printed at the end of each policy sheet.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::style;
use super::{direction_label, policy_label, sheet, Ctx};
use crate::catalogue::ActionItem;
use crate::width::column_width;

const TITLE_WIDTH: f64 = 46.0;
const DIRECTION_WIDTH: f64 = 40.0;
const DEPARTMENT_WIDTH: f64 = 28.0;

/// Writes the 取組項目 sheet.
pub(super) fn write(sheet: &mut Worksheet, ctx: &Ctx) -> Result<(), XlsxError> {
    sheet.set_name(sheet::ACTIONS)?;
    let s = &ctx.styles;
    sheet.write_with_format(0, 0, "取組項目（自治体経営改革推進計画）", &s.title)?;
    let titles = ["No.", "基本施策", "展開方向", "取組項目", "担当課"];
    for (col, t) in (0u16..).zip(titles) {
        sheet.write_with_format(2, col, t, &s.header)?;
    }
    let mut row = 2;
    for item in &ctx.cat.action_items {
        row += 1;
        write_item(sheet, ctx, row, item)?;
    }
    if row > 2 {
        sheet.autofilter(2, 0, row, 4)?;
    }
    sheet.set_freeze_panes(3, 0)?;
    write_projects(sheet, ctx, row + 2)?;
    let policies = ctx
        .cat
        .policies
        .iter()
        .map(|p| format!("{} {}", p.number, p.name));
    let policies: Vec<String> = policies.collect();
    let widths = [
        6.0,
        column_width(policies.iter().map(String::as_str), 12.0, 24.0),
        DIRECTION_WIDTH,
        TITLE_WIDTH,
        DEPARTMENT_WIDTH,
        12.0,
    ];
    style::set_widths(sheet, &widths)?;
    style::print_setup(sheet, true, Some((2, 2)))?;
    Ok(())
}

fn write_item(
    sheet: &mut Worksheet,
    ctx: &Ctx,
    row: u32,
    item: &ActionItem,
) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    let direction = direction_label(ctx.cat, item.policy, item.direction);
    let departments = item.departments.join("、");
    sheet.write_with_format(row, 0, f64::from(item.number), &s.center)?;
    sheet.write_with_format(row, 1, policy_label(ctx.cat, item.policy), &s.text)?;
    sheet.write_with_format(row, 2, direction.as_str(), &s.wrap)?;
    sheet.write_with_format(row, 3, item.title.as_str(), &s.wrap)?;
    sheet.write_with_format(row, 4, departments.as_str(), &s.wrap)?;
    let cells = [
        (direction.as_str(), DIRECTION_WIDTH),
        (item.title.as_str(), TITLE_WIDTH),
        (departments.as_str(), DEPARTMENT_WIDTH),
    ];
    sheet.set_row_height(row, style::wrapped_height(&cells))?;
    Ok(())
}

/// The featured projects (重点事業) with budgets, from `row`.
fn write_projects(sheet: &mut Worksheet, ctx: &Ctx, row: u32) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    sheet.write_with_format(row, 0, "重点事業", &s.heading)?;
    let titles = [
        "No.",
        "基本施策",
        "区分",
        "事業名",
        "担当課",
        "予算額（千円）",
    ];
    for (col, t) in (0u16..).zip(titles) {
        sheet.write_with_format(row + 1, col, t, &s.header)?;
    }
    let mut r = row + 1;
    for (n, p) in (1u32..).zip(&ctx.cat.projects) {
        r += 1;
        sheet.write_with_format(r, 0, f64::from(n), &s.center)?;
        sheet.write_with_format(r, 1, policy_label(ctx.cat, p.policy), &s.text)?;
        sheet.write_with_format(r, 2, p.kind.as_str(), &s.center)?;
        sheet.write_with_format(r, 3, p.name.as_str(), &s.wrap)?;
        sheet.write_with_format(r, 4, p.departments.join("、"), &s.wrap)?;
        sheet.write_with_format(r, 5, p.budget, &s.int)?;
    }
    let debts: Vec<String> = ctx
        .cat
        .projects
        .iter()
        .filter_map(|p| {
            p.debt_burden.map(|d| {
                format!(
                    "{}: 債務負担行為 {} 千円",
                    p.name,
                    style::shown(d, crate::model::Unit::SenEn)
                )
            })
        })
        .collect();
    for (r, line) in (r + 1..).zip(&debts) {
        sheet.write_with_format(r, 0, line.as_str(), &s.small)?;
    }
    Ok(())
}

/// The action items of one policy at the end of its sheet: No. | 取組項目 | 展開方向 |
/// 担当課 (merged to the last column). Advances `row`; returns the height written, in
/// points.
pub(super) fn write_policy_items(
    sheet: &mut Worksheet,
    ctx: &Ctx,
    policy: u8,
    row: &mut u32,
    last_col: u16,
) -> Result<f64, XlsxError> {
    let s = &ctx.styles;
    sheet.write_with_format(*row, 0, "◆取組項目（自治体経営改革推進計画）", &s.heading)?;
    sheet.set_row_height(*row, 20)?;
    let mut height = 20.0;
    let header = *row + 1;
    sheet.write_with_format(header, 0, "No.", &s.header)?;
    sheet.write_with_format(header, 1, "取組項目", &s.header)?;
    sheet.write_with_format(header, 2, "展開方向", &s.header)?;
    sheet.merge_range(header, 3, header, last_col.max(3), "担当課", &s.header)?;
    height += 18.0;
    let mut r = header;
    for item in ctx.cat.action_items.iter().filter(|a| a.policy == policy) {
        r += 1;
        sheet.write_with_format(r, 0, f64::from(item.number), &s.center)?;
        sheet.write_with_format(r, 1, item.title.as_str(), &s.wrap)?;
        sheet.write_with_format(r, 2, f64::from(item.direction), &s.center)?;
        let depts = item.departments.join("、");
        if last_col > 3 {
            sheet.merge_range(r, 3, r, last_col, &depts, &s.wrap)?;
        } else {
            sheet.write_with_format(r, 3, depts.as_str(), &s.wrap)?;
        }
        let h = style::wrapped_height(&[(item.title.as_str(), super::policy::NAME_WIDTH)]);
        sheet.set_row_height(r, h)?;
        height += h;
    }
    *row = r + 2;
    Ok(height)
}
