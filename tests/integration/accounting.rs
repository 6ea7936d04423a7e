//! "Nothing lost": every non-empty cell of every table that shukei recognised in the
//! samples ends as a value in values.csv or an issue in issues.csv, with its file, sheet
//! and cell. Cells holding an explicit "no value" dash (— － -) are not values.

use std::collections::HashSet;

use shukei::catalogue::Catalogue;
use shukei::ingest::table::{find_tables, find_transposed};
use shukei::ingest::{read_bytes, Limits, Matcher, Value};
use shukei::model::a1;
use shukei::normalize::text::is_no_value;

use crate::util::Workdir;

fn non_empty(v: &Value) -> bool {
    match v {
        Value::Empty => false,
        Value::Text(s) => !is_no_value(s),
        _ => true,
    }
}

#[test]
fn every_non_empty_table_cell_is_a_value_or_an_issue() {
    let wd = Workdir::new("accounting").with_samples();
    wd.consolidate("samples", 1);
    let mut accounted: HashSet<(String, String, String)> = HashSet::new();
    for m in wd
        .read_csv_maps("out/values.csv")
        .into_iter()
        .chain(wd.read_csv_maps("out/issues.csv"))
    {
        accounted.insert((
            m["source_file"].clone(),
            m["sheet"].clone(),
            m["cell"].clone(),
        ));
    }
    let catalogue = Catalogue::builtin();
    let matcher = Matcher::new(&catalogue);
    let mut cells = 0;
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(wd.path("samples")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(read) = read_bytes(&std::fs::read(&path).unwrap(), &name, &Limits::default()) else {
            continue;
        };
        for sheet in &read.workbook.sheets {
            let tables = find_tables(sheet);
            let mut positions: Vec<(u32, u32)> = Vec::new();
            for t in &tables {
                for row in t.data_start..t.data_end {
                    positions.extend(t.value_columns().map(|(c, _)| (row, c)));
                }
            }
            for t in find_transposed(sheet, &matcher, &tables) {
                for (row, _) in &t.rows {
                    positions.extend(t.indicators.iter().map(|(c, _)| (*row, *c)));
                }
            }
            for (row, col) in positions {
                if !non_empty(sheet.get(row, col)) {
                    continue;
                }
                cells += 1;
                let key = (
                    format!("samples/{name}"),
                    sheet.name.to_string(),
                    a1(row, col),
                );
                if !accounted.contains(&key) {
                    missing.push(key);
                }
            }
        }
    }
    assert!(cells > 100, "only {cells} table cells found in the samples");
    assert!(
        missing.is_empty(),
        "table cells neither in values.csv nor in issues.csv:\n{missing:#?}"
    );
}
