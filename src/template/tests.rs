//! Unit tests: build templates, read them back with calamine.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, SheetVisible, Xlsx};

use super::*;

fn read_back(department: &str) -> Xlsx<Cursor<Vec<u8>>> {
    let catalogue = Catalogue::builtin();
    let mut workbook = build_template(&catalogue, department, FiscalYear(2025)).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    open_workbook_from_rs(Cursor::new(bytes)).unwrap()
}

fn text(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

#[test]
fn the_input_sheet_lists_the_department_indicators() {
    let mut xlsx = read_back("広報広聴課");
    let range = xlsx.worksheet_range(INPUT_SHEET).unwrap();
    let header = input::HEADER_ROW;
    assert_eq!(text(&range, header, 0), "ID");
    assert_eq!(text(&range, header, 1), "指標名");
    assert_eq!(text(&range, header, 5), "令和7年度");
    assert_eq!(text(&range, header, 6), "令和7年4月");
    assert_eq!(text(&range, header, 17), "令和8年3月");
    assert_eq!(text(&range, header, 18), "備考");
    let catalogue = Catalogue::builtin();
    let ids: Vec<String> = (header + 1..header + 7)
        .map(|r| text(&range, r, 0))
        .collect();
    let want: Vec<String> = catalogue
        .indicators_of("広報広聴課")
        .map(|i| i.id.clone())
        .collect();
    assert_eq!(ids, want);
    assert_eq!(text(&range, header + 1, 2), "%");
    assert_eq!(text(&range, header + 1, 3), "—");
    assert_eq!(text(&range, header + 2, 2), "件/月");
    assert_eq!(text(&range, header + 2, 3), "740,454（令和4年度）");
    assert_eq!(text(&range, header + 2, 4), "↗ 増やす");
}

#[test]
fn the_metadata_sheet_is_very_hidden_and_complete() {
    let mut xlsx = read_back("財政課");
    let meta = xlsx
        .sheets_metadata()
        .iter()
        .find(|s| s.name == META_SHEET)
        .cloned()
        .unwrap();
    assert_eq!(meta.visible, SheetVisible::VeryHidden);
    let names: Vec<String> = xlsx
        .defined_names()
        .iter()
        .map(|(n, _)| n.clone())
        .collect();
    assert!(names.contains(&"shukei_meta".to_string()), "{names:?}");
    assert!(names.contains(&"shukei_input".to_string()), "{names:?}");
    let range = xlsx.worksheet_range(META_SHEET).unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .collect();
    let catalogue = Catalogue::builtin();
    assert_eq!(rows, meta_rows(&catalogue, "財政課", FiscalYear(2025)));
    assert_eq!(rows[2], ["department", "財政課"]);
    assert_eq!(rows[3], ["fiscal_year", "FY2025"]);
}

#[test]
fn the_input_table_is_found_by_ingestion_without_ignored_columns() {
    use crate::ingest::table::{find_tables, ColumnKind};
    let catalogue = Catalogue::builtin();
    let mut workbook = build_template(&catalogue, "人事課", FiscalYear(2025)).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let read = crate::ingest::read_bytes(&bytes, "t.xlsx", &Default::default()).unwrap();
    let sheet = &read.workbook.sheets[0];
    let tables = find_tables(sheet);
    assert_eq!(tables.len(), 1);
    let table = &tables[0];
    assert_eq!(table.column_of(&ColumnKind::Id), Some(0));
    assert_eq!(table.value_columns().count(), 13);
    assert!(
        !table
            .columns
            .iter()
            .any(|(_, k)| matches!(k, ColumnKind::Ignored(_))),
        "{:?}",
        table.columns
    );
    assert_eq!(
        table.data_end - table.data_start,
        catalogue.indicators_of("人事課").count() as u32
    );
    for other in &read.workbook.sheets[1..] {
        assert!(find_tables(other).is_empty(), "sheet {}", other.name);
    }
}

#[test]
fn output_is_deterministic() {
    let catalogue = Catalogue::builtin();
    let a = build_template(&catalogue, "収税課", FiscalYear(2025))
        .unwrap()
        .save_to_buffer()
        .unwrap();
    let b = build_template(&catalogue, "収税課", FiscalYear(2025))
        .unwrap()
        .save_to_buffer()
        .unwrap();
    assert_eq!(a, b);
}

#[test]
fn file_names_carry_department_and_period() {
    assert_eq!(
        template_file_name("人事課", FiscalYear(2026)),
        "入力様式_人事課_令和8年度.xlsx"
    );
    let catalogue = Catalogue::builtin();
    assert_eq!(template_departments(&catalogue).len(), 10);
}
