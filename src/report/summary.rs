//! 概要: the first sheet — what period, when, from which files; how complete the
//! submissions are; the evaluation by policy as a table and a stacked bar chart; links to
//! the other sheets.

use rust_xlsxwriter::{
    Chart, ChartFont, ChartLegendPosition, ChartSolidFill, ChartType, Worksheet, XlsxError,
};

use super::style::{self, Styles};
use super::{policy_sheet_name, sheet, Ctx};
use crate::consolidate::Standing;
use crate::evaluate::Grade;

/// Rows the chart covers (330 px at 18 px a row, and a margin).
const CHART_ROWS: u32 = 20;

/// Grades always shown; the others only when some indicator has them.
const ALWAYS: [Grade; 4] = [
    Grade::Improved,
    Grade::Flat,
    Grade::Worse,
    Grade::NotReported,
];

/// Writes the 概要 sheet.
pub(super) fn write(sheet: &mut Worksheet, ctx: &Ctx) -> Result<(), XlsxError> {
    sheet.set_name(sheet::SUMMARY)?;
    let s = &ctx.styles;
    sheet.write_with_format(
        0,
        0,
        format!("{} 指標集計結果", ctx.cat.municipality_name),
        &s.title,
    )?;
    sheet.write_with_format(
        1,
        0,
        "第7次総合計画 自治体経営編（基本施策30〜33）の指標の集計",
        &s.small,
    )?;
    let row = write_facts(sheet, ctx, 3)?;
    let row = write_completeness(sheet, ctx, row + 1)?;
    let (header, last) = write_policy_table(sheet, ctx, row + 1)?;
    insert_chart(sheet, ctx, header, last)?;
    write_contents(sheet, ctx, last + 2 + CHART_ROWS)?;
    let mut widths = vec![30.0];
    widths.extend(std::iter::repeat_n(9.0, 10));
    style::set_widths(sheet, &widths)?;
    style::print_setup(sheet, false, None)?;
    sheet.set_tab_color(0x1F4E78);
    Ok(())
}

/// A label in column A and a value in B.
fn fact(
    sheet: &mut Worksheet,
    s: &Styles,
    row: u32,
    label: &str,
    value: &str,
) -> Result<(), XlsxError> {
    sheet.write_with_format(row, 0, label, &s.label)?;
    sheet.write_with_format(row, 1, value, &style::base())?;
    Ok(())
}

/// A label and a count shown as `19 件` (a number in the cell).
fn count(
    sheet: &mut Worksheet,
    s: &Styles,
    row: u32,
    label: &str,
    n: usize,
    unit: &str,
) -> Result<(), XlsxError> {
    sheet.write_with_format(row, 0, label, &s.label)?;
    let format = style::base()
        .set_num_format(format!("#,##0\" {unit}\""))
        .set_align(rust_xlsxwriter::FormatAlign::Left);
    sheet.write_with_format(row, 1, n as f64, &format)?;
    Ok(())
}

/// Period, run time, versions, files, values and findings. Returns the next free row.
fn write_facts(sheet: &mut Worksheet, ctx: &Ctx, row: u32) -> Result<u32, XlsxError> {
    let s = &ctx.styles;
    let r = ctx.result;
    let period = match r.period {
        Some(p) => format!("{}（{}）", p.label_ja(), p.fiscal_year().label_ja()),
        None => "期間不明（値が見つかりませんでした）".to_string(),
    };
    fact(sheet, s, row, "報告期間", &period)?;
    fact(sheet, s, row + 1, "集計日時", &ctx.meta.run_at)?;
    fact(sheet, s, row + 2, "指標カタログの版", &ctx.cat.version)?;
    fact(sheet, s, row + 3, "shukei の版", &ctx.meta.version)?;
    let failed = r.files.iter().filter(|f| f.failed).count();
    let skipped = ctx.skipped_files().len();
    let read = r.files.len().saturating_sub(failed + skipped);
    count(sheet, s, row + 4, "読み込んだファイル", read, "件")?;
    count(sheet, s, row + 5, "読み込めなかったファイル", failed, "件")?;
    count(
        sheet,
        s,
        row + 6,
        "対象外のファイル（README など）",
        skipped,
        "件",
    )?;
    count(sheet, s, row + 7, "取り込んだ値", r.values.len(), "件")?;
    let (e, w, i) = r.counts();
    fact(
        sheet,
        s,
        row + 8,
        "検証結果",
        &format!("エラー {e} 件・警告 {w} 件・参考 {i} 件（「検証結果」シート）"),
    )?;
    Ok(row + 9)
}

/// Departments 提出済 x/y, indicators reported x/47, and 32-0-3.
fn write_completeness(sheet: &mut Worksheet, ctx: &Ctx, row: u32) -> Result<u32, XlsxError> {
    let s = &ctx.styles;
    let depts = &ctx.result.departments;
    sheet.write_with_format(row, 0, "提出状況", &s.heading)?;
    let complete = depts
        .iter()
        .filter(|d| d.standing == Standing::Complete)
        .count();
    let sent = depts.iter().filter(|d| !d.files.is_empty()).count();
    fact(
        sheet,
        s,
        row + 1,
        "担当課（提出済）",
        &format!("{complete} / {} 課", depts.len()),
    )?;
    fact(
        sheet,
        s,
        row + 2,
        "担当課（ファイル受領）",
        &format!("{sent} / {} 課", depts.len()),
    )?;
    fact(
        sheet,
        s,
        row + 3,
        "報告された指標",
        &format!(
            "{} / {}",
            ctx.result.reported_count(ctx.cat),
            ctx.cat.indicators.len()
        ),
    )?;
    count(
        sheet,
        s,
        row + 4,
        "改善した指標の数（32-0-3、自動計算）",
        ctx.result.improved,
        "指標",
    )?;
    Ok(row + 5)
}

/// The grades shown as columns: 改善 横ばい 悪化, then 達成 未達 基準値なし where some
/// indicator has them, then 未報告.
fn shown_grades(ctx: &Ctx) -> Vec<Grade> {
    Grade::ALL
        .into_iter()
        .filter(|g| ALWAYS.contains(g) || ctx.result.evaluations.iter().any(|e| e.grade == *g))
        .collect()
}

/// The evaluation by policy. Returns (header row, total row).
fn write_policy_table(sheet: &mut Worksheet, ctx: &Ctx, row: u32) -> Result<(u32, u32), XlsxError> {
    let s = &ctx.styles;
    sheet.write_with_format(
        row,
        0,
        "基本施策別の評価（最新年度の値と基準値の比較）",
        &s.heading,
    )?;
    let header = row + 1;
    let grades = shown_grades(ctx);
    // 年度値あり: indicators with a fiscal-year figure to evaluate (the 報告された指標 line
    // above counts those reported for the reporting period, month or year).
    let mut titles = vec!["基本施策", "指標数", "年度値あり"];
    titles.extend(grades.iter().map(|g| g.label_ja()));
    for (col, title) in (0u16..).zip(&titles) {
        sheet.write_with_format(header, col, *title, &s.header)?;
    }
    let mut totals = vec![0usize; titles.len() - 1];
    let mut r = header;
    for policy in &ctx.cat.policies {
        r += 1;
        let ids: Vec<&str> = ctx
            .policy_indicators(policy.number)
            .map(|i| i.id.as_str())
            .collect();
        let mut cells = vec![ids.len()];
        let graded: Vec<Grade> = ids.iter().map(|id| ctx.grade(id)).collect();
        cells.push(graded.iter().filter(|g| **g != Grade::NotReported).count());
        cells.extend(
            grades
                .iter()
                .map(|g| graded.iter().filter(|x| *x == g).count()),
        );
        sheet.write_with_format(r, 0, format!("{} {}", policy.number, policy.name), &s.text)?;
        for (col, n) in (1u16..).zip(&cells) {
            sheet.write_with_format(r, col, *n as f64, &s.int)?;
        }
        for (t, n) in totals.iter_mut().zip(&cells) {
            *t += n;
        }
    }
    r += 1;
    let bold = s.int.clone().set_bold();
    sheet.write_with_format(r, 0, "合計", &s.text.clone().set_bold())?;
    for (col, n) in (1u16..).zip(&totals) {
        sheet.write_with_format(r, col, *n as f64, &bold)?;
    }
    Ok((header, r))
}

/// A stacked bar chart of the grades by policy, below the table.
fn insert_chart(
    sheet: &mut Worksheet,
    ctx: &Ctx,
    header: u32,
    total: u32,
) -> Result<(), XlsxError> {
    let (first, last) = (header + 1, total.saturating_sub(1));
    if last < first {
        return Ok(());
    }
    let mut chart = Chart::new(ChartType::BarStacked);
    let font = ChartFont::new().set_name(style::FONT).set_size(9).clone();
    for (col, grade) in (3u16..).zip(shown_grades(ctx)) {
        chart
            .add_series()
            .set_name((sheet::SUMMARY, header, col))
            .set_categories((sheet::SUMMARY, first, 0, last, 0))
            .set_values((sheet::SUMMARY, first, col, last, col))
            .set_format(&mut ChartSolidFill::new().set_color(chart_color(grade)).clone())
            .set_gap(60);
    }
    chart
        .title()
        .set_name("基本施策別の評価")
        .set_font(&font.clone().set_size(11).set_bold().clone());
    chart.y_axis().set_reverse().set_font(&font);
    chart
        .x_axis()
        .set_name("指標数")
        .set_name_font(&font)
        .set_font(&font);
    chart
        .legend()
        .set_position(ChartLegendPosition::Bottom)
        .set_font(&font);
    chart.set_width(620).set_height(330);
    sheet.insert_chart(total + 2, 0, &chart)?;
    Ok(())
}

/// Stronger colours than the cell fills, for the chart.
fn chart_color(grade: Grade) -> u32 {
    match grade {
        Grade::Improved => 0x4E9A3A,
        Grade::Achieved => 0x2E75B6,
        Grade::Flat => 0xF2C12E,
        Grade::Worse => 0xC0392B,
        Grade::NotAchieved => 0xE67E22,
        Grade::NoBaseline => 0x9E9E9E,
        Grade::NotReported => 0xD0D0D0,
    }
}

/// Links to every sheet, with what it holds.
fn write_contents(sheet: &mut Worksheet, ctx: &Ctx, row: u32) -> Result<(), XlsxError> {
    let s = &ctx.styles;
    sheet.write_with_format(row, 0, "シート一覧", &s.heading)?;
    let mut entries: Vec<(String, &str)> = vec![(
        sheet::INDICATORS.to_string(),
        "全指標の基準値・年度値・評価・出典",
    )];
    entries.extend(ctx.cat.policies.iter().map(|p| {
        (
            policy_sheet_name(p),
            "計画書の体裁の指標表と取組項目（印刷用）",
        )
    }));
    entries.extend([
        (sheet::MONTHLY.to_string(), "月ごとの値と推移"),
        (sheet::STATUS.to_string(), "担当課ごとの提出状況"),
        (
            sheet::FILES.to_string(),
            "読み込んだファイルごとの課・値・エラー・警告",
        ),
        (
            sheet::ISSUES.to_string(),
            "エラー・警告・参考の一覧と対処方法",
        ),
    ]);
    entries
        .extend((1..ctx.issue_sheets()).map(|n| (super::issues::sheet_name(n), "検証結果の続き")));
    entries.push((sheet::ACTIONS.to_string(), "取組項目と重点事業"));
    for (r, (name, what)) in (row + 1..).zip(&entries) {
        let url = format!("internal:'{}'!A1", name.replace('\'', "''"));
        sheet.write_url_with_options(r, 0, url.as_str(), name.as_str(), "", Some(&s.link))?;
        sheet.write_with_format(r, 1, *what, &style::base())?;
    }
    Ok(())
}
