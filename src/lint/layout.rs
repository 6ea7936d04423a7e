//! Rules about how a table is laid out: merged cells (1-4), omitted item names (1-6),
//! pictures and shapes (1-8), units not stated (1-9), 和暦-only periods (1-11), tables
//! split by blank rows or columns (2-1) and several tables on one sheet (2-2).

use crate::ingest::grid::{Format, Sheet, Value, Workbook};
use crate::model::{a1, CellRef, Finding, Unit};
use crate::normalize::text::{nfkc, with_nfkc};
use crate::rules::{self, FindingExt};

use super::{list_cells, list_places, one, with_cells, Region, SheetLint};

/// Marks that repeat the cell above instead of writing it out.
const DITTO: &[&str] = &["同上", "〃", "″", "同左", "〃〃", "\""];

/// A ditto mark (`同上`, `〃`, a full-width `＂` …). Ditto marks are short, and NFKC
/// leaves ASCII as it is: the texts of a detail sheet (receipt numbers, IDs, long
/// names) are ruled out before any normalizing.
pub(super) fn is_ditto(s: &str) -> bool {
    is_trimmed_ditto(s.trim())
}

/// [`is_ditto`] of a text without spaces around it.
pub(super) fn is_trimmed_ditto(t: &str) -> bool {
    if t.is_ascii() {
        return t == "\"";
    }
    // as written first: NFKC turns the double prime ″ into two primes ′′
    t.len() <= 16
        && (DITTO.contains(&t) || (t.contains(DITTO_CHARS) && DITTO.contains(&nfkc(t).trim())))
}

/// The characters whose NFKC form holds 同, 〃 or `"` (checked against every character
/// in a test): a text without one cannot normalize to a ditto mark.
const DITTO_CHARS: [char; 4] = ['同', '〃', '"', '＂'];

/// 1-4: merged cells, one finding per sheet with every range.
pub fn merged_cells(lint: &SheetLint) -> Vec<Finding> {
    let Some(first) = lint.sheet.merges.first() else {
        return Vec::new();
    };
    let ranges: Vec<String> = lint
        .sheet
        .merges
        .iter()
        .map(|m| {
            format!(
                "{}:{}",
                a1(m.first_row, m.first_col),
                a1(m.last_row, m.last_col)
            )
        })
        .collect();
    let listed = list_places(&ranges);
    let message = format!("セルが結合されています: {listed}");
    vec![lint
        .finding(
            rules::MR_MERGED_CELLS,
            (first.first_row, first.first_col),
            &message,
        )
        .raw(listed)]
}

/// Whether a column has anything in the region's data rows.
fn column_has_data(sheet: &Sheet, region: &Region, col: u32) -> bool {
    (region.data_start..region.data_end).any(|r| !sheet.get(r, col).is_blank())
}

/// Whether a column's heading is blank in every header row (looking through merges).
fn header_is_blank(sheet: &Sheet, region: &Region, col: u32) -> bool {
    let first = region.header_row.saturating_sub(1);
    (first..region.data_start).all(|r| sheet.get_merged(r, col).is_blank())
}

/// Header cells left blank over columns that hold data (inside the region, and columns
/// just right of it).
fn blank_headers(sheet: &Sheet, region: &Region) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = (region.first_col..=region.last_col)
        .filter(|&c| header_is_blank(sheet, region, c) && column_has_data(sheet, region, c))
        .map(|c| (region.header_row, c))
        .collect();
    let mut col = region.last_col + 1;
    while col < sheet.end().1
        && header_is_blank(sheet, region, col)
        && column_has_data(sheet, region, col)
    {
        out.push((region.header_row, col));
        col += 1;
    }
    out
}

/// Data cells that say 同上 / 〃, and blank item names in rows that carry values.
fn omitted_items(lint: &SheetLint, region: &Region) -> Vec<(u32, u32)> {
    let sheet = lint.sheet;
    let mut out: Vec<(u32, u32)> = lint
        .marked(super::cells::DITTO)
        .filter(|&cell| region.data_contains(cell))
        .collect();
    if let Some(name_col) = region.name_col {
        for row in region.data_start..region.data_end {
            let has_values = region
                .value_cols
                .iter()
                .any(|&c| !sheet.get(row, c).is_blank());
            if has_values
                && sheet.get(row, name_col).is_blank()
                && sheet.merge_at(row, name_col).is_none()
            {
                out.push((row, name_col));
            }
        }
    }
    out.sort_unstable();
    out
}

/// 1-6: omitted item names, one finding per sheet.
pub fn item_omitted(lint: &SheetLint) -> Vec<Finding> {
    let mut cells = Vec::new();
    for region in &lint.regions {
        cells.extend(blank_headers(lint.sheet, region));
        cells.extend(omitted_items(lint, region));
    }
    cells.sort_unstable();
    cells.dedup();
    one(
        lint,
        rules::MR_ITEM_OMITTED,
        &cells,
        "項目名が省略されています（空欄の見出し・同上・〃・空欄の指標名）",
    )
}

/// A text names a unit: `単位`, or a known unit in brackets (`(%)`, `（件）`, `[千円]`).
fn names_unit(text: &str) -> bool {
    let t = nfkc(text);
    if t.contains("単位") {
        return true;
    }
    let mut rest = t.as_str();
    while let Some(open) = rest.find(['(', '[']) {
        let after = &rest[open + 1..];
        let Some(close) = after.find([')', ']']) else {
            break;
        };
        let inside = after[..close].trim();
        if Unit::parse(inside).is_some_and(|u| u != Unit::None) || inside.ends_with('%') {
            return true;
        }
        rest = &after[close..];
    }
    false
}

/// Whether a region states its units: a 単位 column, a unit in a heading or in the
/// three rows above, in every item name, or a percent format on the values.
fn states_units(sheet: &Sheet, region: &Region) -> bool {
    if region.has_unit_col {
        return true;
    }
    let above = region.header_row.saturating_sub(3);
    let (_, col_end) = sheet.end();
    let in_headings = (above..region.data_start)
        .flat_map(|r| (sheet.start.1..col_end).map(move |c| (r, c)))
        .any(|(r, c)| matches!(sheet.get(r, c), Value::Text(s) if names_unit(s)));
    let names_all = region.name_col.is_some_and(|nc| {
        let mut names = (region.data_start..region.data_end)
            .map(|r| sheet.get(r, nc))
            .filter(|v| !v.is_blank())
            .peekable();
        names.peek().is_some() && names.all(|v| names_unit(&v.display()))
    });
    let percent = region.value_cells().any(|(r, c)| sheet.is_percent(r, c));
    in_headings || names_all || percent
}

/// 1-9: tables whose values have no stated unit, one finding per sheet naming the
/// header cell of each.
pub fn unit_missing(lint: &SheetLint) -> Vec<Finding> {
    let heads: Vec<(u32, u32)> = lint
        .regions
        .iter()
        .filter(|g| !g.value_cols.is_empty() && !states_units(lint.sheet, g))
        .map(|g| (g.header_row, g.name_col.unwrap_or(g.first_col)))
        .collect();
    one(
        lint,
        rules::MR_UNIT_MISSING,
        &heads,
        "表に単位の記載がありません（単位列も見出しの単位もない表の見出し）",
    )
}

/// A period label in 和暦 only: an era (令和, 平成, R6, H30, ㋿, 令6) and no 西暦 year.
pub fn is_era_only(label: &str) -> bool {
    with_nfkc(label, |t| {
        let t = t.trim();
        // ASCII letters and digits are single bytes, never parts of another character
        let has_era = ["令和", "平成", "昭和", "令"].iter().any(|e| t.contains(e))
            || label.contains('㋿')
            || label.contains('㍻')
            || t.as_bytes()
                .windows(2)
                .any(|w| matches!(w, [b'R' | b'H' | b'r' | b'h', d] if d.is_ascii_digit()));
        has_era && !has_western_year(t)
    })
}

/// A four-digit year 1900–2099 in the text (a run of exactly four ASCII digits).
fn has_western_year(t: &str) -> bool {
    let b = t.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    b.windows(4).enumerate().any(|(i, w)| {
        w.iter().all(u8::is_ascii_digit)
            && (i == 0 || !digit(i - 1))
            && !digit(i + 4)
            && matches!(w, [b'1', b'9', ..] | [b'2', b'0', ..])
    })
}

/// Whether the cell left or right of a 和暦 label gives the 西暦 year (`2024`, `2024年度`):
/// a 西暦 column beside a 和暦 column is 併記 too.
fn western_beside(sheet: &Sheet, row: u32, col: u32) -> bool {
    let is_western = |c: u32| match sheet.get(row, c) {
        Value::Number(n) => n.fract() == 0.0 && (1900.0..2100.0).contains(n),
        Value::Text(s) => with_nfkc(s, has_western_year),
        _ => false,
    };
    col.checked_sub(1).is_some_and(is_western) || is_western(col + 1)
}

/// 1-11: period headings in 和暦 only, one finding per sheet.
pub fn era_only(lint: &SheetLint) -> Vec<Finding> {
    let mut cells: Vec<(u32, u32)> = lint
        .regions
        .iter()
        .flat_map(|g| g.period_cells.iter().copied())
        .filter(|&(r, c)| match lint.sheet.get(r, c) {
            Value::Text(s) => is_era_only(s),
            other => is_era_only(&other.display()),
        })
        .filter(|&(r, c)| !western_beside(lint.sheet, r, c))
        .collect();
    cells.sort_unstable();
    cells.dedup();
    one(
        lint,
        rules::MR_ERA_ONLY,
        &cells,
        "時点が和暦だけで書かれています（西暦の併記がありません）",
    )
}

/// Blank rows between data rows, and blank columns between the table's columns.
fn gaps(sheet: &Sheet, region: &Region) -> (Vec<u32>, Vec<u32>) {
    let rows = (region.data_start..region.data_end)
        .filter(|&r| region.row_is_blank(sheet, r))
        .collect();
    let cols = (region.first_col..=region.last_col)
        .filter(|c| !region.known_cols.contains(c))
        .filter(|&c| {
            (region.header_row..region.data_end).all(|r| sheet.get_merged(r, c).is_blank())
        })
        .collect();
    (rows, cols)
}

/// 2-1: tables split by blank rows or columns, one finding per sheet.
pub fn table_split(lint: &SheetLint) -> Vec<Finding> {
    let mut places: Vec<String> = Vec::new();
    let mut first: Option<(u32, u32)> = None;
    for region in &lint.regions {
        let (rows, cols) = gaps(lint.sheet, region);
        first = first
            .or_else(|| rows.first().map(|&r| (r, region.first_col)))
            .or_else(|| cols.first().map(|&c| (region.header_row, c)));
        places.extend(rows.iter().map(|r| format!("{}行目", r + 1)));
        places.extend(
            cols.iter()
                .map(|&c| format!("{}列", crate::model::column_name(c))),
        );
    }
    let Some(at) = first else {
        return Vec::new();
    };
    places.dedup();
    let listed = list_places(&places);
    let message = format!("表が空行・空列で分断されています: {listed}");
    vec![lint
        .finding(rules::MR_TABLE_SPLIT, at, &message)
        .raw(listed)]
}

/// 2-2: several tables on one sheet.
pub fn multiple_tables(lint: &SheetLint) -> Vec<Finding> {
    if lint.regions.len() < 2 {
        return Vec::new();
    }
    let heads: Vec<(u32, u32)> = lint
        .regions
        .iter()
        .map(|g| (g.header_row, g.name_col.unwrap_or(g.first_col)))
        .collect();
    let message = format!(
        "1 つのシートに {} 個の表があります（見出し: {}）",
        heads.len(),
        list_cells(&heads)
    );
    vec![with_cells(
        lint.finding(rules::MR_MULTIPLE_TABLES, heads[1], &message),
        &heads,
    )]
}

/// 1-8: pictures, shapes or charts in the workbook (xlsx, ods).
pub fn pictures(file: &str, workbook: &Workbook) -> Vec<Finding> {
    if !workbook.has_drawings || workbook.format == Format::Csv {
        return Vec::new();
    }
    let at = CellRef::file(file);
    let message = format!("{at}: 図形・画像・グラフなどのオブジェクトが含まれています");
    vec![rules::MR_PICTURE.at(at, message)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ditto_marks() {
        for yes in ["同上", " 〃 ", "″", "同左", "〃〃", "\"", "＂", " \" "] {
            assert!(is_ditto(yes), "input: {yes:?}");
        }
        for no in ["", "R6-000123", "\"\"", "同上の通り", "32-2-1", "件"] {
            assert!(!is_ditto(no), "input: {no:?}");
        }
    }

    #[test]
    fn western_years_are_runs_of_exactly_four_digits() {
        let cases = [
            ("2024", true),
            ("令和6年度(2024年度)", true),
            ("FY1999", true),
            ("2024年4月", true),
            ("20245", false),
            ("12024", false),
            ("2124", false),
            ("1899", false),
            ("R6", false),
            ("２０２４", false), // before NFKC
            ("", false),
        ];
        for (text, want) in cases {
            assert_eq!(has_western_year(text), want, "input: {text:?}");
        }
    }

    #[test]
    fn era_only_labels_have_no_western_year() {
        for yes in [
            "令和6年度",
            "R6",
            "Ｒ６",
            "㋿6",
            "令6",
            "平成30年度",
            "R6年4月",
            "R6 20245",
            "Ｈ３０",
        ] {
            assert!(is_era_only(yes), "input: {yes:?}");
        }
        for no in [
            "2024年度",
            "令和6年度(2024年度)",
            "FY2024",
            "4月",
            "2024/4",
            "指標名",
            "R６（２０２４）",
            "Rx6",
        ] {
            assert!(!is_era_only(no), "input: {no:?}");
        }
    }

    #[test]
    fn units_are_named_by_word_or_bracket() {
        for yes in ["単位: %", "保有率（%）", "予算額[千円]", "件数(件)"] {
            assert!(names_unit(yes), "input: {yes:?}");
        }
        for no in ["指標名", "市税収納率", "(R6)", "備考"] {
            assert!(!names_unit(no), "input: {no:?}");
        }
    }

    #[test]
    fn only_the_listed_characters_normalize_towards_a_ditto_mark() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let normalized = nfkc(c.encode_utf8(&mut [0; 4]));
            if normalized.contains(['同', '〃', '"']) {
                assert!(DITTO_CHARS.contains(&c), "{c:?} ({:X})", c as u32);
            }
        }
    }
}
