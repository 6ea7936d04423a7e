//! 機械判読性: the machine-readability score of each department's submissions (rules of
//! 総務省「統計表における機械判読可能なデータの表記方法の統一ルール」 met out of those that
//! apply), then the rules with their fix. The scores come from [`crate::lint::scores`];
//! this module only lays them out, so the office can watch them improve month by month.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::style::{self, wrapped_height};
use super::{sheet, Ctx};
use crate::lint::{DepartmentScore, RULES};
use crate::rules::Rule;
use crate::width::column_width;

const BROKEN_WIDTH: f64 = 64.0;
const HINT_WIDTH: f64 = 64.0;

/// Writes the 機械判読性 sheet.
pub(super) fn write(sheet: &mut Worksheet, ctx: &Ctx) -> Result<(), XlsxError> {
    let scores = crate::lint::scores(&ctx.result.files, &ctx.result.findings);
    sheet.set_name(sheet::READABILITY)?;
    let s = &ctx.styles;
    let title = format!("機械判読性（{}）", ctx.period_label());
    sheet.write_with_format(0, 0, title.as_str(), &s.title)?;
    let note = "総務省「統計表における機械判読可能なデータの表記方法の統一ルール」のうち、提出ファイルに当てはまるルールを満たした割合です。";
    sheet.write_with_format(1, 0, note, &s.small)?;
    let headers = [
        "担当課",
        "ファイル数",
        "満たしたルール",
        "対象のルール",
        "達成率",
        "満たしていないルール",
    ];
    for (col, h) in (0u16..).zip(headers) {
        sheet.write_with_format(3, col, h, &s.header)?;
    }
    let mut row = 3;
    for score in &scores {
        row += 1;
        write_score(sheet, ctx, row, score)?;
    }
    if scores.is_empty() {
        row += 1;
        sheet.write_with_format(row, 0, "対象のファイルがありません", &s.text)?;
    }
    write_rules(sheet, ctx, row + 2)?;
    let depts = scores.iter().map(|d| d.department.as_str());
    let widths = [
        column_width(depts.chain(["MR-MACHINE-DEPENDENT"]), 16.0, 24.0),
        10.0,
        12.0,
        12.0,
        10.0,
        BROKEN_WIDTH,
    ];
    style::set_widths(sheet, &widths)?;
    sheet.set_freeze_panes(4, 1)?;
    style::print_setup(sheet, true, Some((3, 3)))?;
    Ok(())
}

fn write_score(
    sheet: &mut Worksheet,
    ctx: &Ctx,
    row: u32,
    score: &DepartmentScore,
) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    let broken = broken_titles(&score.broken);
    sheet.write_with_format(row, 0, score.department.as_str(), &s.text)?;
    sheet.write_with_format(row, 1, score.files as u32, &s.int)?;
    sheet.write_with_format(row, 2, score.met as u32, &s.int)?;
    sheet.write_with_format(row, 3, score.applicable as u32, &s.int)?;
    sheet.write_with_format(
        row,
        4,
        score.ratio(),
        &s.text.clone().set_num_format("0.0%"),
    )?;
    sheet.write_with_format(row, 5, broken.as_str(), &s.wrap)?;
    sheet.set_row_height(row, wrapped_height(&[(broken.as_str(), BROKEN_WIDTH)]))?;
    Ok(())
}

/// The rule list: code (in column A), title and fix (merged over the wide columns).
fn write_rules(sheet: &mut Worksheet, ctx: &Ctx, top: u32) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    sheet.write_with_format(top, 0, "ルール", &s.heading)?;
    let header = top + 1;
    sheet.write_with_format(header, 0, "コード", &s.header)?;
    sheet.merge_range(header, 1, header, 4, "ルール", &s.header)?;
    sheet.write_with_format(header, 5, "直し方", &s.header)?;
    for (i, rule) in RULES.iter().enumerate() {
        let row = header + 1 + i as u32;
        sheet.write_with_format(row, 0, rule.code, &s.text)?;
        sheet.merge_range(row, 1, row, 4, rule.title, &s.wrap)?;
        sheet.write_with_format(row, 5, rule.hint, &s.wrap)?;
        let height = wrapped_height(&[(rule.title, 44.0), (rule.hint, HINT_WIDTH)]);
        sheet.set_row_height(row, height)?;
    }
    Ok(())
}

/// The titles of broken rules, one per line.
fn broken_titles(codes: &[&str]) -> String {
    let titles: Vec<&str> = codes
        .iter()
        .filter_map(|c| Rule::by_code(c))
        .map(|r| r.title)
        .collect();
    if titles.is_empty() {
        "なし（すべて満たしています）".to_string()
    } else {
        titles.join("\n")
    }
}
