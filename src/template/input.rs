//! The `入力` sheet of a template: the indicator table with its input cells, their data
//! validation, sheet protection and print setup.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, Format, FormatAlign, FormatBorder,
    ProtectionOptions, Worksheet, XlsxError,
};

use crate::catalogue::{Catalogue, Indicator, Trend};
use crate::ingest::grid::format_number;
use crate::model::{FiscalYear, Unit};

use super::{CONTACT_DEPARTMENT, GUIDE_SHEET, INPUT_SHEET};

/// Row of the column headings (0-based): rows above hold the title and a short note.
pub const HEADER_ROW: u32 = 3;
const COL_ID: u16 = 0;
const COL_NAME: u16 = 1;
const COL_UNIT: u16 = 2;
const COL_BASELINE: u16 = 3;
const COL_TREND: u16 = 4;
/// The fiscal-year input column; the twelve months follow it.
const COL_YEAR: u16 = 5;
const COL_NOTE: u16 = COL_YEAR + 13;

/// Where the table ended up, for the defined names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub header_row: u32,
    pub last_row: u32,
    pub last_col: u32,
}

/// The formats of the sheet.
struct Formats {
    title: Format,
    note: Format,
    header: Format,
    locked: Format,
    locked_wrap: Format,
    locked_center: Format,
    input: Format,
    input_note: Format,
}

impl Formats {
    fn new() -> Self {
        let border = Format::new().set_border(FormatBorder::Thin);
        let input = border
            .clone()
            .set_unlocked()
            .set_background_color(Color::RGB(0xFFF2CC));
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            note: Format::new(),
            header: border
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xD9E1F2)),
            locked: border.clone().set_align(FormatAlign::VerticalCenter),
            locked_wrap: border
                .clone()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            locked_center: border
                .clone()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            input_note: input.clone().set_text_wrap(),
            input,
        }
    }
}

/// The column headings: they are what ingestion's table detector recognises.
pub fn headings(fy: FiscalYear) -> Vec<String> {
    let mut out: Vec<String> = ["ID", "指標名", "単位", "基準値", "目指す方向"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    out.push(fy.label_ja());
    out.extend(fy.months().map(|m| m.label_ja()));
    out.push("備考".to_string());
    out
}

/// Writes the whole input sheet.
pub fn write_input_sheet(
    sheet: &mut Worksheet,
    catalogue: &Catalogue,
    department: &str,
    fy: FiscalYear,
) -> Result<Layout, XlsxError> {
    let f = Formats::new();
    sheet.set_name(INPUT_SHEET)?;
    write_title(sheet, &f, department, fy)?;
    for (col, text) in (0u16..).zip(headings(fy)) {
        sheet.write_string_with_format(HEADER_ROW, col, text, &f.header)?;
    }
    let mut row = HEADER_ROW;
    for indicator in catalogue.indicators_of(department) {
        row += 1;
        write_row(sheet, &f, row, indicator)?;
    }
    set_columns(sheet)?;
    sheet.set_row_height(HEADER_ROW, 33)?;
    sheet.set_freeze_panes(HEADER_ROW + 1, COL_UNIT)?;
    protect(sheet);
    print_setup(sheet, department, fy)?;
    Ok(Layout {
        header_row: HEADER_ROW,
        last_row: row,
        last_col: u32::from(COL_NOTE),
    })
}

fn write_title(
    sheet: &mut Worksheet,
    f: &Formats,
    department: &str,
    fy: FiscalYear,
) -> Result<(), XlsxError> {
    let title = format!("{} 指標実績 入力様式（{department}）", fy.label_ja());
    sheet.write_string_with_format(0, 0, title, &f.title)?;
    let note = format!(
        "黄色のセルに数値だけを入力してください（単位は不要、値がない場合は空欄）。\
         詳しくは「{GUIDE_SHEET}」シートをご覧ください。問い合わせ先: {CONTACT_DEPARTMENT}"
    );
    sheet.write_string_with_format(1, 0, note, &f.note)?;
    Ok(())
}

/// One indicator row: the locked description cells, then the input cells.
fn write_row(
    sheet: &mut Worksheet,
    f: &Formats,
    row: u32,
    ind: &Indicator,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, COL_ID, &ind.id, &f.locked_center)?;
    sheet.write_string_with_format(row, COL_NAME, &ind.name, &f.locked_wrap)?;
    sheet.write_string_with_format(row, COL_UNIT, unit_label(ind.unit), &f.locked_center)?;
    sheet.write_string_with_format(row, COL_BASELINE, baseline_label(ind), &f.locked)?;
    sheet.write_string_with_format(row, COL_TREND, trend_label(ind), &f.locked_center)?;
    for col in COL_YEAR..COL_NOTE {
        sheet.write_blank(row, col, &f.input)?;
    }
    sheet.write_blank(row, COL_NOTE, &f.input_note)?;
    sheet.add_data_validation(row, COL_YEAR, row, COL_NOTE - 1, &validation(ind)?)?;
    sheet.set_row_height(row, 30)?;
    Ok(())
}

fn set_columns(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    let widths: [(u16, f64); 5] = [
        (COL_ID, 8.0),
        (COL_NAME, 44.0),
        (COL_UNIT, 7.0),
        (COL_BASELINE, 22.0),
        (COL_TREND, 11.0),
    ];
    for (col, width) in widths {
        sheet.set_column_width(col, width)?;
    }
    sheet.set_column_range_width(COL_YEAR, COL_NOTE - 1, 12.0)?;
    sheet.set_column_width(COL_NOTE, 30.0)?;
    Ok(())
}

/// Everything locked but the input cells; no password (see the module docs).
fn protect(sheet: &mut Worksheet) {
    let options = ProtectionOptions {
        select_locked_cells: true,
        select_unlocked_cells: true,
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    };
    sheet.protect_with_options(&options);
}

/// A4 landscape, one page wide, headings repeated on every page.
fn print_setup(sheet: &mut Worksheet, department: &str, fy: FiscalYear) -> Result<(), XlsxError> {
    const A4: u8 = 9;
    sheet.set_paper_size(A4);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    sheet.set_header(format!("&L{} 指標実績&R{department}", fy.label_ja()));
    sheet.set_footer("&C&P / &N");
    Ok(())
}

/// The unit as shown: the symbol, or `—` for an indicator without a unit.
pub fn unit_label(unit: Unit) -> &'static str {
    match unit {
        Unit::None => "—",
        other => other.symbol(),
    }
}

/// `740,454（令和4年度）`, or `—` when the plan has no baseline.
pub fn baseline_label(ind: &Indicator) -> String {
    match ind.baseline {
        Some(v) => format!("{}（{}）", grouped(v), ind.baseline_fy.label_ja()),
        None => "—".to_string(),
    }
}

/// `↗ 増やす`, `↘ 減らす`, `→ 維持`, `2.5%以内`.
pub fn trend_label(ind: &Indicator) -> String {
    match ind.trend {
        Trend::Up => "↗ 増やす".to_string(),
        Trend::Down => "↘ 減らす".to_string(),
        Trend::Keep => "→ 維持".to_string(),
        Trend::Max(bound) => format!("{}{}以内", format_number(bound), ind.unit.symbol()),
    }
}

/// A number with thousands separators: `740454` → `740,454`, `66.8` stays.
fn grouped(v: f64) -> String {
    let text = format_number(v);
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = rest.split_once('.').map_or((rest, ""), |(i, f)| (i, f));
    if !int.bytes().all(|b| b.is_ascii_digit()) {
        return text.clone();
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}.{frac}")
    }
}

/// The accepted range of an indicator's values, and how it reads in messages.
pub fn value_rule(ind: &Indicator) -> (DataValidationRule<f64>, &'static str) {
    const ANY: f64 = 1e15;
    match (ind.unit == Unit::Percent, ind.allow_negative) {
        (true, false) => (DataValidationRule::Between(0.0, 100.0), "0〜100 の数値"),
        (true, true) => (
            DataValidationRule::Between(-100.0, 100.0),
            "-100〜100 の数値",
        ),
        (false, false) => (
            DataValidationRule::GreaterThanOrEqualTo(0.0),
            "0 以上の数値",
        ),
        (false, true) => (DataValidationRule::Between(-ANY, ANY), "数値"),
    }
}

/// The data validation of one row's input cells: a decimal in range, with an input
/// message naming the unit and a Japanese error message.
fn validation(ind: &Indicator) -> Result<DataValidation, XlsxError> {
    let (rule, range) = value_rule(ind);
    let unit = unit_label(ind.unit);
    let example = if ind.unit == Unit::Percent {
        "66.8% なら 66.8 と入力。"
    } else {
        ""
    };
    let negative = if ind.allow_negative {
        "負の値は △ ではなく - を付けて入力。"
    } else {
        ""
    };
    DataValidation::new()
        .allow_decimal_number(rule)
        .set_input_title(format!("{}（単位: {unit}）", ind.id))?
        .set_input_message(format!(
            "{}\n単位「{unit}」の{range}だけを入力してください（単位・カンマは不要）。{example}{negative}値がない場合は空欄のままにしてください。",
            ind.name
        ))?
        .set_error_title("入力できない値です")?
        .set_error_message(format!(
            "「{}」には{range}を入力してください（単位: {unit}）。単位や文字（「約」「調査中」など）は入力できません。値がない場合は空欄にしてください。",
            ind.name
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        let cases = [
            (740454.0, "740,454"),
            (66.8, "66.8"),
            (1873483.0, "1,873,483"),
            (-1234.5, "-1,234.5"),
            (0.0, "0"),
        ];
        for (v, want) in cases {
            assert_eq!(grouped(v), want, "input: {v}");
        }
    }

    #[test]
    fn headings_run_from_april_to_march() {
        let h = headings(FiscalYear(2025));
        assert_eq!(h.len(), usize::from(COL_NOTE) + 1);
        assert_eq!(h[usize::from(COL_YEAR)], "令和7年度");
        assert_eq!(h[usize::from(COL_YEAR) + 1], "令和7年4月");
        assert_eq!(h[usize::from(COL_NOTE) - 1], "令和8年3月");
        assert_eq!(h[usize::from(COL_NOTE)], "備考");
    }

    #[test]
    fn every_builtin_indicator_gets_a_valid_validation() {
        for ind in &Catalogue::builtin().indicators {
            assert!(validation(ind).is_ok(), "{}", ind.id);
        }
    }
}
