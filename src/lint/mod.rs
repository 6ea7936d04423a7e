//! Machine-readability lint: checks a submission against 総務省「統計表における機械判読
//! 可能なデータの表記方法の統一ルール」(2020) and reports `MR-…` findings (info or
//! warning, never errors: a file that breaks them is still read).
//!
//! The rules are pure functions over a [`Sheet`] and the table regions found on it
//! ([`Region`]: indicator tables, transposed tables, or — on a sheet without either — the
//! used range read as one plain table, so that exports like `opendata.csv` are checked
//! too). Cell-content rules live in [`cells`], layout rules in [`layout`], the
//! per-department score and its report sheet in [`score`].
//!
//! To keep the noise down, each rule gives at most one finding per sheet (or per table
//! for table rules), listing the cells or ranges it concerns; the finding's `at` is the
//! first of them. 機種依存文字 are looked for in the raw text, before NFKC folds them
//! away.

pub mod cells;
pub mod layout;
pub mod score;

use std::sync::Arc;

use crate::ingest::grid::{Format, Sheet, Value, Visibility, Workbook};
use crate::ingest::table::{find_tables, find_transposed, ColumnKind, Table, Transposed};
use crate::ingest::Matcher;
use crate::model::{a1, CellRef, Finding};
use crate::normalize::number::{parse_value, ParsedValue};
use crate::rules::{FindingExt, Rule};

pub use score::{scores, DepartmentScore, RULES};

/// A rectangular table region on a sheet (absolute, 0-based; `data_end` exclusive).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Region {
    /// The first header row (the row of 指標名, or the plain table's first row).
    pub header_row: u32,
    pub data_start: u32,
    /// One past the last data row that holds anything.
    pub data_end: u32,
    pub first_col: u32,
    pub last_col: u32,
    /// The column of item names (指標名), if any.
    pub name_col: Option<u32>,
    /// Columns (or, for transposed tables, the columns of indicators) holding numbers.
    pub value_cols: Vec<u32>,
    /// Columns with a heading shukei recognised.
    pub known_cols: Vec<u32>,
    /// Cells holding period labels (年度・月 headings).
    pub period_cells: Vec<(u32, u32)>,
    /// A 単位 column exists.
    pub has_unit_col: bool,
}

impl Region {
    /// The value cells: data rows × value columns.
    pub fn value_cells(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (self.data_start..self.data_end)
            .flat_map(move |r| self.value_cols.iter().map(move |&c| (r, c)))
    }

    /// Every cell of the region, header rows included.
    pub fn cells(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (self.header_row..self.data_end)
            .flat_map(move |r| (self.first_col..=self.last_col).map(move |c| (r, c)))
    }

    /// Whether a cell lies in the region, header rows included.
    pub fn contains(&self, (row, col): (u32, u32)) -> bool {
        (self.header_row..self.data_end).contains(&row)
            && (self.first_col..=self.last_col).contains(&col)
    }

    /// Whether a cell lies in the region's data rows.
    pub fn data_contains(&self, (row, col): (u32, u32)) -> bool {
        (self.data_start..self.data_end).contains(&row)
            && (self.first_col..=self.last_col).contains(&col)
    }

    /// Whether a row holds nothing between the first and last column.
    pub fn row_is_blank(&self, sheet: &Sheet, row: u32) -> bool {
        (self.first_col..=self.last_col).all(|c| sheet.get(row, c).is_blank())
    }
}

/// One sheet with its regions: what every sheet rule receives.
pub struct SheetLint<'a> {
    /// The file's name, one copy shared by the sheet's findings.
    pub file: Arc<str>,
    pub format: Format,
    pub sheet: &'a Sheet,
    pub regions: Vec<Region>,
    /// The text cells of the regions' value columns, sorted.
    pub value_texts: Vec<cells::ValueText<'a>>,
    /// The text cells that show a layout space, a 機種依存文字 or a ditto mark, in
    /// row-major order (see [`cells::text_marks`]).
    pub marks: Vec<cells::Marked>,
}

impl SheetLint<'_> {
    /// A finding of `rule` at a cell of this sheet; the message gets the place in front.
    pub fn finding(&self, rule: Rule, cell: (u32, u32), message: &str) -> Finding {
        let at = CellRef::cell(self.file.clone(), self.sheet.name.clone(), cell.0, cell.1);
        rule.at(at.clone(), format!("{at}: {message}"))
    }

    /// The cells with a mark ([`cells::LAYOUT`] …), in row-major order.
    pub fn marked(&self, mark: u8) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.marks
            .iter()
            .filter(move |m| m.marks & mark != 0)
            .map(|m| m.at)
    }

    /// Whether a cell lies in one of the regions (header rows included).
    pub fn in_regions(&self, cell: (u32, u32)) -> bool {
        self.regions.iter().any(|g| g.contains(cell))
    }
}

/// The sheet rules, in report order.
const SHEET_RULES: &[fn(&SheetLint) -> Vec<Finding>] = &[
    cells::multi_value,
    cells::number_as_text,
    cells::unit_in_cell,
    layout::merged_cells,
    cells::layout_spaces,
    layout::item_omitted,
    cells::formulas,
    layout::unit_missing,
    cells::machine_dependent,
    layout::era_only,
    cells::special_symbols,
    layout::table_split,
    layout::multiple_tables,
];

/// Lints one sheet, given the tables ingestion found on it.
///
/// # Examples
/// ```
/// use shukei::ingest::grid::{Format, Sheet, Value};
/// let t = |s: &str| Value::Text(s.to_string());
/// let sheet = Sheet::from_rows("入力", vec![
///     vec![t("指標名"), t("単位"), t("令和6年度（2024年度）")],
///     vec![t("市税収納率"), t("%"), t("97.1")],
/// ]);
/// let tables = shukei::ingest::table::find_tables(&sheet);
/// let found = shukei::lint::lint_sheet("a.xlsx", Format::Xlsx, &sheet, &tables, &[]);
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].code, "MR-NUMBER-AS-TEXT");
/// ```
pub fn lint_sheet(
    file: impl Into<Arc<str>>,
    format: Format,
    sheet: &Sheet,
    tables: &[Table],
    transposed: &[Transposed],
) -> Vec<Finding> {
    let mut regions: Vec<Region> = tables.iter().map(|t| table_region(sheet, t)).collect();
    regions.extend(transposed.iter().map(|t| transposed_region(sheet, t)));
    regions.retain(|g| g.data_start < g.data_end);
    if regions.is_empty() {
        if sheet.visibility != Visibility::Visible {
            return Vec::new();
        }
        regions.extend(plain_region(sheet).filter(|g| g.data_start < g.data_end));
    }
    if regions.is_empty() {
        return Vec::new();
    }
    let value_texts = cells::text_value_cells(sheet, &regions);
    let lint = SheetLint {
        file: file.into(),
        format,
        sheet,
        regions,
        value_texts,
        marks: cells::text_marks(sheet),
    };
    SHEET_RULES.iter().flat_map(|rule| rule(&lint)).collect()
}

/// Lints what belongs to the whole file: pictures, shapes and charts.
pub fn lint_file(file: &str, workbook: &Workbook) -> Vec<Finding> {
    layout::pictures(file, workbook)
}

/// Lints a whole workbook on its own (finds the tables itself), as `shukei lint` and
/// tests do through [`crate::ingest::read_submission`]; exposed for library users.
pub fn lint_workbook(file: &str, workbook: &Workbook, matcher: &Matcher) -> Vec<Finding> {
    let mut out = Vec::new();
    for sheet in &workbook.sheets {
        if sheet.visibility == Visibility::VeryHidden && sheet.name.starts_with('_') {
            continue;
        }
        let tables = find_tables(sheet);
        let transposed = find_transposed(sheet, matcher, &tables);
        out.extend(lint_sheet(
            file,
            workbook.format,
            sheet,
            &tables,
            &transposed,
        ));
    }
    out.extend(lint_file(file, workbook));
    out
}

/// The region of an indicator table.
fn table_region(sheet: &Sheet, t: &Table) -> Region {
    let first_col = t
        .columns
        .iter()
        .map(|(c, _)| *c)
        .min()
        .unwrap_or(t.name_col);
    let last_col = t
        .columns
        .iter()
        .map(|(c, _)| *c)
        .max()
        .unwrap_or(t.name_col);
    let value_cols: Vec<u32> = t.value_columns().map(|(c, _)| c).collect();
    let mut period_cells = Vec::new();
    let first_header = t.header_row.saturating_sub(1);
    for &col in &value_cols {
        for row in first_header..t.data_start {
            let (r, c) = sheet
                .merge_at(row, col)
                .map_or((row, col), |m| (m.first_row, m.first_col));
            let is_label = matches!(sheet.get(r, c), Value::Text(_))
                && crate::normalize::era::parse_period(&sheet.get(r, c).display()).is_ok();
            if is_label && !period_cells.contains(&(r, c)) {
                period_cells.push((r, c));
            }
        }
    }
    let mut region = Region {
        header_row: t.header_row,
        data_start: t.data_start,
        data_end: t.data_end,
        first_col,
        last_col,
        name_col: Some(t.name_col),
        value_cols,
        known_cols: t.columns.iter().map(|(c, _)| *c).collect(),
        period_cells,
        has_unit_col: t.column_of(&ColumnKind::Unit).is_some(),
    };
    region.data_end = last_filled_row(sheet, &region);
    region
}

/// The region of a transposed table (periods down a column).
fn transposed_region(sheet: &Sheet, t: &Transposed) -> Region {
    let value_cols: Vec<u32> = t.indicators.iter().map(|(c, _)| *c).collect();
    let last_row = t.rows.iter().map(|(r, _)| *r).max().unwrap_or(t.header_row);
    let mut known_cols = value_cols.clone();
    known_cols.push(t.period_col);
    let region = Region {
        header_row: t.header_row,
        data_start: t.header_row + 1,
        data_end: last_row + 1,
        first_col: t.period_col,
        last_col: value_cols.iter().copied().max().unwrap_or(t.period_col),
        name_col: None,
        value_cols,
        known_cols,
        period_cells: t.rows.iter().map(|(r, _)| (*r, t.period_col)).collect(),
        has_unit_col: false,
    };
    Region {
        data_end: last_filled_row(sheet, &region),
        ..region
    }
}

/// The used range of a sheet without indicator tables, read as one plain table: the
/// first row with two or more filled cells is the header; columns whose data cells are
/// at least half numbers are value columns.
fn plain_region(sheet: &Sheet) -> Option<Region> {
    let (row0, col0) = sheet.start;
    let (row_end, col_end) = sheet.end();
    let filled = |r: u32| (col0..col_end).filter(move |&c| !sheet.get(r, c).is_blank());
    let header_row = (row0..row_end).find(|&r| filled(r).count() >= 2)?;
    let first_col = filled(header_row).min()?;
    let last_col = filled(header_row).max()?;
    let known_cols: Vec<u32> = filled(header_row).collect();
    let mut region = Region {
        header_row,
        data_start: header_row + 1,
        data_end: row_end,
        first_col,
        last_col,
        name_col: None,
        value_cols: Vec::new(),
        known_cols,
        period_cells: Vec::new(),
        has_unit_col: false,
    };
    region.data_end = last_filled_row(sheet, &region);
    region.value_cols = (first_col..=last_col)
        .filter(|&c| mostly_numbers(sheet, &region, c))
        .collect();
    region.has_unit_col = (first_col..=last_col).any(|c| {
        crate::normalize::header::classify_header(&sheet.get(header_row, c).display())
            == crate::normalize::header::HeaderKind::Unit
    });
    Some(region)
}

/// Whether most non-blank data cells of a column are numbers (typed, or text that reads
/// as one).
fn mostly_numbers(sheet: &Sheet, region: &Region, col: u32) -> bool {
    let (mut numbers, mut filled) = (0usize, 0usize);
    for row in region.data_start..region.data_end {
        let v = sheet.get(row, col);
        if v.is_blank() {
            continue;
        }
        filled += 1;
        let is_number = match v {
            Value::Number(_) => true,
            Value::Text(s) => matches!(parse_value(s), ParsedValue::Number(_)),
            _ => false,
        };
        numbers += usize::from(is_number);
    }
    filled > 0 && numbers * 2 >= filled
}

/// One past the last row of a region's data that holds anything.
fn last_filled_row(sheet: &Sheet, region: &Region) -> u32 {
    (region.data_start..region.data_end)
        .rev()
        .find(|&r| !region.row_is_blank(sheet, r))
        .map_or(region.data_start, |r| r + 1)
}

/// `B3, C4, D5 ほか 2 か所`: at most eight places, then a count.
pub fn list_places(places: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut out = places
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join("、");
    if places.len() > SHOWN {
        out.push_str(&format!(" ほか {} か所", places.len() - SHOWN));
    }
    out
}

/// The cells as A1 references, listed with [`list_places`].
pub fn list_cells(cells: &[(u32, u32)]) -> String {
    let names: Vec<String> = cells.iter().map(|&(r, c)| a1(r, c)).collect();
    list_places(&names)
}

/// One finding of `rule` at the first of the cells, listing them all, or none.
pub fn one(lint: &SheetLint, rule: Rule, cells: &[(u32, u32)], what: &str) -> Vec<Finding> {
    match cells.first() {
        Some(&first) => {
            let message = format!("{what}: {}", list_cells(cells));
            vec![with_cells(lint.finding(rule, first, &message), cells)]
        }
        None => Vec::new(),
    }
}

/// A finding with the listed cells as its raw evidence.
pub fn with_cells(finding: Finding, cells: &[(u32, u32)]) -> Finding {
    finding.raw(list_cells(cells))
}

#[cfg(test)]
mod tests;
