//! The `記入方法` sheet of a template: what to enter, in which unit, what not to change
//! and whom to ask, then the department's indicators with their units and ranges.
//!
//! The indicator list has no period headings, so ingestion never takes it for a table
//! of values.

use rust_xlsxwriter::{Format, FormatBorder, Worksheet, XlsxError};

use crate::catalogue::Catalogue;
use crate::model::FiscalYear;

use super::input::{unit_label, value_rule};
use super::{CONTACT_DEPARTMENT, GUIDE_SHEET, INPUT_SHEET};

/// The instruction lines: `(is_heading, text)`.
pub fn instructions(department: &str, fy: FiscalYear) -> Vec<(bool, String)> {
    let (first, last) = month_span(fy);
    let year = fy.label_ja();
    let lines: [(bool, String); 20] = [
        (true, format!("{year} 指標実績 入力様式（{department}）の記入方法")),
        (false, format!("この様式は、{department}が担当する指標の{year}（{first}〜{last}）の実績値を報告するためのものです。")),
        (true, "1. 入力するところ".to_string()),
        (false, format!("「{INPUT_SHEET}」シートの黄色のセルだけに入力してください。年度の値は「{year}」の列、月ごとの値は「{first}」〜「{last}」の列、補足は「備考」の列です。")),
        (false, "決算などで確定した年度の値があれば年度の列に入力してください。月の値だけでも構いません（年度の値は指標ごとの決まりで集計します）。".to_string()),
        (true, "2. 値の書き方".to_string()),
        (false, "数値だけを入力してください。単位（%、件、人、千円など）やカンマは入力しません。単位は「単位」列のとおりです。".to_string()),
        (false, "% の指標は 0〜100 の数値で入力します（66.8% なら 66.8）。金額は千円単位です。".to_string()),
        (false, "負の値は △ や ▲ ではなく、- （マイナス）を付けて入力してください（例: -1234）。".to_string()),
        (false, "値がない・まだ確定していない場合は空欄のままにしてください。「調査中」などの説明は備考欄に書いてください。".to_string()),
        (true, "3. 変更しないでください".to_string()),
        (false, "行を削除しないでください。ID・指標名・見出しの行は変更しないでください（シートは保護されています）。".to_string()),
        (false, "値の入っていない行も、そのまま残して提出してください。".to_string()),
        (false, "行の並べ替え、行の追加、シート名やファイル名の変更をしても読み取れますが、ID の列は必ず残してください。".to_string()),
        (false, "シートの保護にパスワードはありません。列幅の調整などで必要なときは「校閲」→「シート保護の解除」で解除できます。".to_string()),
        (true, "4. 提出と問い合わせ".to_string()),
        (false, "入力が終わったら、このファイルを xlsx 形式のまま提出してください。".to_string()),
        (false, format!("わからないことは企画担当（{CONTACT_DEPARTMENT}）にお問い合わせください。")),
        (true, "5. 指標ごとの単位と入力できる値".to_string()),
        (false, "入力欄を選ぶと、単位と入力できる値が表示されます。範囲外の値や文字は入力できません。".to_string()),
    ];
    lines.into_iter().collect()
}

fn month_span(fy: FiscalYear) -> (String, String) {
    let months: Vec<String> = fy.months().map(|m| m.label_ja()).collect();
    let first = months.first().cloned().unwrap_or_default();
    let last = months.last().cloned().unwrap_or_default();
    (first, last)
}

/// Writes the instructions sheet.
pub fn write_guide_sheet(
    sheet: &mut Worksheet,
    catalogue: &Catalogue,
    department: &str,
    fy: FiscalYear,
) -> Result<(), XlsxError> {
    sheet.set_name(GUIDE_SHEET)?;
    let heading = Format::new().set_bold();
    let body = Format::new();
    let mut row = 0u32;
    for (is_heading, text) in instructions(department, fy) {
        let format = if is_heading { &heading } else { &body };
        sheet.write_string_with_format(row, 0, text, format)?;
        row += 1;
    }
    write_indicator_list(sheet, catalogue, department, row + 1)?;
    sheet.set_column_width(0, 10)?;
    // 指標名 fits the department's longest name (full-width characters count 2).
    let names = catalogue.indicators_of(department).map(|i| i.name.as_str());
    sheet.set_column_width(1, crate::width::column_width(names, 30.0, 90.0))?;
    sheet.set_column_width(2, 8)?;
    sheet.set_column_width(3, 22)?;
    sheet.protect();
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

fn write_indicator_list(
    sheet: &mut Worksheet,
    catalogue: &Catalogue,
    department: &str,
    row: u32,
) -> Result<(), XlsxError> {
    let cell = Format::new().set_border(FormatBorder::Thin);
    let head = cell.clone().set_bold();
    for (col, text) in (0u16..).zip(["ID", "指標名", "単位", "入力できる値"]) {
        sheet.write_string_with_format(row, col, text, &head)?;
    }
    for (r, ind) in (row + 1..).zip(catalogue.indicators_of(department)) {
        let (_, range) = value_rule(ind);
        let texts = [ind.id.as_str(), &ind.name, unit_label(ind.unit), range];
        for (col, text) in (0u16..).zip(texts) {
            sheet.write_string_with_format(r, col, text, &cell)?;
        }
    }
    Ok(())
}
