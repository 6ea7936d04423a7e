//! Finds indicator tables on a sheet by their content, never by position.
//!
//! A header row holds an indicator-name heading (指標名, 項目, KPI …). Its columns are
//! classified from that row and, for two-row headers, the row below (実績値 merged over
//! R6/R7/R8, 令和6年度 merged over 4月…3月): a period column holds values; 基準値,
//! 目指す方向, 単位, 備考, 担当課, 目標 columns are recognised and left out. Several
//! tables on one sheet (one per 展開方向) and tables side by side are separate tables.
//! Transposed tables (periods down a column, indicator names across a row) are found
//! separately by [`find_transposed`].

use foldhash::HashMap;

use crate::model::Period;
use crate::normalize::era::{month_from_excel_serial, month_in_fiscal_year};
use crate::normalize::header::{classify_header, may_be_name_heading, HeaderKind};

use super::grid::{Sheet, Value};
use super::names::{Matcher, NameMatch};

/// What a column of a table holds.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnKind {
    Value(Period),
    Id,
    Name,
    Baseline,
    Trend,
    Unit,
    Note,
    Department,
    Target,
    /// A heading that shukei does not use, kept for the notice.
    Ignored(String),
}

/// A table found on a sheet. Rows and columns are absolute, 0-based.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header_row: u32,
    /// Rows `data_start..data_end` hold indicators.
    pub data_start: u32,
    pub data_end: u32,
    pub name_col: u32,
    pub columns: Vec<(u32, ColumnKind)>,
}

impl Table {
    /// The column holding a kind, if any.
    pub fn column_of(&self, kind: &ColumnKind) -> Option<u32> {
        self.columns
            .iter()
            .find(|(_, k)| k == kind)
            .map(|(c, _)| *c)
    }

    /// The value columns with their periods.
    pub fn value_columns(&self) -> impl Iterator<Item = (u32, Period)> + '_ {
        self.columns.iter().filter_map(|(c, k)| match k {
            ColumnKind::Value(p) => Some((*c, *p)),
            _ => None,
        })
    }
}

/// The header meaning of a cell, looking through merged regions.
fn kind_at(sheet: &Sheet, row: u32, col: u32) -> HeaderKind {
    match sheet.get_merged(row, col) {
        Value::Text(s) => classify_header(s),
        Value::Date(serial) => month_from_excel_serial(*serial)
            .map_or(HeaderKind::Other, |m| HeaderKind::Period(Period::Month(m))),
        _ => HeaderKind::Other,
    }
}

/// Text that starts a title or notes row, which ends a table.
pub fn is_title_or_note(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| c.is_whitespace());
    t.starts_with(['※', '◆', '【', '■', '●', '◇', '□', '＜', '<', '〈', '《'])
        || t.starts_with("基本施策")
        || t.starts_with("注")
        || t.starts_with("出典")
}

/// Finds every table on a sheet (not transposed ones).
pub fn find_tables(sheet: &Sheet) -> Vec<Table> {
    let (row0, col0) = sheet.start;
    let (row_end, col_end) = sheet.end();
    let mut headers: Vec<(u32, Vec<u32>)> = Vec::new();
    // Every text cell is a header candidate, and data rows repeat the same texts
    // (names, units) thousands of times: classify each distinct text once.
    let mut is_name_heading: HashMap<&str, bool> = HashMap::default();
    for row in row0..row_end {
        let name_cols: Vec<u32> = sheet
            .cells_in(row..row + 1, col0..=col_end.saturating_sub(1))
            .filter(|(_, v)| matches!(v, Value::Text(_)))
            .map(|((_, c), _)| c)
            .filter(|&c| match sheet.get_merged(row, c) {
                Value::Text(s) if !may_be_name_heading(s) => false,
                Value::Text(s) => *is_name_heading
                    .entry(s.as_str())
                    .or_insert_with(|| classify_header(s) == HeaderKind::IndicatorName),
                _ => kind_at(sheet, row, c) == HeaderKind::IndicatorName,
            })
            .collect();
        if !name_cols.is_empty() {
            headers.push((row, name_cols));
        }
    }
    let mut tables = Vec::new();
    for (i, (row, name_cols)) in headers.iter().enumerate() {
        for (k, &name_col) in name_cols.iter().enumerate() {
            let seg_start = segment_start(
                sheet,
                *row,
                name_col,
                k.checked_sub(1).and_then(|j| name_cols.get(j)).copied(),
                col0,
            );
            let seg_end = name_cols.get(k + 1).map_or(col_end, |&next| {
                segment_start(sheet, *row, next, Some(name_col), col0)
            });
            let next_header = headers.get(i + 1).map_or(row_end, |(r, _)| *r);
            if let Some(table) = build_table(sheet, *row, name_col, seg_start..seg_end, next_header)
            {
                tables.push(table);
            }
        }
    }
    tables
}

/// A table starts at its name column, or at an ID column just left of it.
fn segment_start(
    sheet: &Sheet,
    row: u32,
    name_col: u32,
    previous_name: Option<u32>,
    col0: u32,
) -> u32 {
    let floor = previous_name.map_or(col0, |p| p + 1);
    match name_col.checked_sub(1) {
        Some(left) if left >= floor && kind_at(sheet, row, left) == HeaderKind::Id => left,
        _ => name_col,
    }
}

fn build_table(
    sheet: &Sheet,
    row: u32,
    name_col: u32,
    cols: std::ops::Range<u32>,
    next_header: u32,
) -> Option<Table> {
    let mut columns = vec![(name_col, ColumnKind::Name)];
    let mut two_rows = false;
    for col in cols {
        if col == name_col {
            continue;
        }
        let (kind, used_below) = classify_column(sheet, row, col);
        two_rows |= used_below;
        if let Some(kind) = kind {
            columns.push((col, kind));
        }
    }
    columns.sort_by_key(|(c, _)| *c);
    if !columns
        .iter()
        .any(|(_, k)| matches!(k, ColumnKind::Value(_)))
    {
        return None;
    }
    let data_start = row + if two_rows { 2 } else { 1 };
    let data_end = table_end(sheet, data_start, name_col, next_header);
    Some(Table {
        header_row: row,
        data_start,
        data_end,
        name_col,
        columns,
    })
}

/// Classifies one column from the header row and, if needed, the row below.
/// Returns the kind and whether the row below was used.
fn classify_column(sheet: &Sheet, row: u32, col: u32) -> (Option<ColumnKind>, bool) {
    let top = kind_at(sheet, row, col);
    let below = || kind_at(sheet, row + 1, col);
    let above_year = || match row.checked_sub(1).map(|r| kind_at(sheet, r, col)) {
        Some(HeaderKind::Period(Period::Year(fy))) => Some(fy),
        _ => None,
    };
    match top {
        HeaderKind::Period(Period::Year(fy)) => match below() {
            HeaderKind::MonthOnly(m) => (
                Some(ColumnKind::Value(Period::Month(month_in_fiscal_year(
                    fy, m,
                )))),
                true,
            ),
            _ => (Some(ColumnKind::Value(Period::Year(fy))), false),
        },
        HeaderKind::Period(p) => (Some(ColumnKind::Value(p)), false),
        HeaderKind::MonthOnly(m) => match above_year() {
            Some(fy) => (
                Some(ColumnKind::Value(Period::Month(month_in_fiscal_year(
                    fy, m,
                )))),
                false,
            ),
            None => (
                Some(ColumnKind::Ignored(sheet.get_merged(row, col).display())),
                false,
            ),
        },
        HeaderKind::Id => (Some(ColumnKind::Id), false),
        HeaderKind::IndicatorName => (
            Some(ColumnKind::Ignored(sheet.get(row, col).display())),
            false,
        ),
        HeaderKind::Baseline => (Some(ColumnKind::Baseline), false),
        HeaderKind::Trend => (Some(ColumnKind::Trend), false),
        HeaderKind::Unit => (Some(ColumnKind::Unit), false),
        HeaderKind::Note => (Some(ColumnKind::Note), false),
        HeaderKind::Department => (Some(ColumnKind::Department), false),
        HeaderKind::Target(_) => (Some(ColumnKind::Target), false),
        HeaderKind::ValueGroup | HeaderKind::Other => match below() {
            HeaderKind::Period(p) => (Some(ColumnKind::Value(p)), true),
            _ if sheet.get_merged(row, col).is_blank() => (None, false),
            _ => (
                Some(ColumnKind::Ignored(sheet.get_merged(row, col).display())),
                false,
            ),
        },
    }
}

/// A table runs until the next header row, a title or notes row, or the end of the sheet.
/// Blank rows inside do not end it (a table split by blank rows is still read).
fn table_end(sheet: &Sheet, data_start: u32, name_col: u32, next_header: u32) -> u32 {
    let limit = next_header.min(sheet.end().0);
    let mut row = data_start;
    while row < limit {
        if let Value::Text(s) = sheet.get(row, name_col) {
            if is_title_or_note(s) {
                return row;
            }
        }
        row += 1;
    }
    limit
}

/// A transposed table: periods down `period_col`, indicators across `header_row`.
#[derive(Debug, Clone, PartialEq)]
pub struct Transposed {
    pub header_row: u32,
    pub period_col: u32,
    /// (column, indicator ID) of each recognised name heading.
    pub indicators: Vec<(u32, String)>,
    /// (row, period) of each period label.
    pub rows: Vec<(u32, Period)>,
}

/// Finds transposed tables: a row with two or more catalogue indicator names whose
/// rows below start with period labels. Rows inside `skip` (normal tables) are ignored.
pub fn find_transposed(sheet: &Sheet, matcher: &Matcher, skip: &[Table]) -> Vec<Transposed> {
    let (row0, col0) = sheet.start;
    let (row_end, col_end) = sheet.end();
    let inside = |r: u32| skip.iter().any(|t| (t.header_row..t.data_end).contains(&r));
    let mut out = Vec::new();
    for row in row0..row_end {
        if inside(row) {
            continue;
        }
        let indicators: Vec<(u32, String)> = (col0..col_end)
            .filter_map(|c| match sheet.get(row, c) {
                Value::Text(s) => match matcher.known_name(s) {
                    Some(NameMatch::Exact(id) | NameMatch::Alias(id)) => Some((c, id)),
                    Some(NameMatch::Unknown { .. }) | None => None,
                },
                _ => None,
            })
            .collect();
        let Some(&(first_col, _)) = indicators.first() else {
            continue;
        };
        if indicators.len() < 2 {
            continue;
        }
        for period_col in (col0..first_col).rev() {
            let rows = period_rows(sheet, row + 1, period_col, row_end);
            if !rows.is_empty() {
                out.push(Transposed {
                    header_row: row,
                    period_col,
                    indicators,
                    rows,
                });
                break;
            }
        }
    }
    out
}

fn period_rows(sheet: &Sheet, from: u32, col: u32, row_end: u32) -> Vec<(u32, Period)> {
    let mut rows = Vec::new();
    for row in from..row_end {
        match kind_at(sheet, row, col) {
            HeaderKind::Period(p) => rows.push((row, p)),
            _ if sheet.get(row, col).is_blank() => continue,
            _ => break,
        }
    }
    rows
}
