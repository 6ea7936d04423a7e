//! The in-memory form of a workbook after reading: sheets of cells with absolute
//! positions, merged regions and the few formatting facts ingestion needs.
//!
//! Every reader (calamine formats, CSV) produces this, so table detection never sees a
//! file format.

use std::sync::Arc;

/// One cell value, as the file stores it (formula cells: their cached value).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// An Excel date/time serial (1900 system).
    Date(f64),
    /// An Excel error value such as `#DIV/0!`.
    Error(String),
}

impl Value {
    /// True for an empty cell or one holding only whitespace.
    pub fn is_blank(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => s.trim_matches(|c: char| c.is_whitespace()).is_empty(),
            _ => false,
        }
    }

    /// The value as a person would read it in the cell (for messages and `raw`).
    pub fn display(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.clone(),
            Value::Number(n) => format_number(*n),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Date(d) => format_number(*d),
            Value::Error(e) => e.clone(),
        }
    }
}

/// Formats a float without a trailing `.0` for integers (`262`, `66.8`).
pub fn format_number(n: f64) -> String {
    Number(n).to_string()
}

/// A float as [`format_number`] writes it, without a string of its own (values.csv
/// writes one per value).
#[derive(Debug, Clone, Copy)]
pub struct Number(pub f64);

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0;
        if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
            write!(f, "{}", n as i64)
        } else {
            write!(f, "{n}")
        }
    }
}

/// A merged region, absolute and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

/// Whether a sheet is shown in the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Visible,
    Hidden,
    VeryHidden,
}

/// One sheet: a dense block of cells starting at `start` (absolute, 0-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet name; empty for CSV files. Shared with the references to its cells.
    pub name: Arc<str>,
    pub visibility: Visibility,
    pub start: (u32, u32),
    pub width: usize,
    pub cells: Vec<Value>,
    pub merges: Vec<Merge>,
    /// Absolute positions of number cells formatted as a percentage, sorted.
    pub percent_cells: Vec<(u32, u32)>,
    /// Absolute positions of cells holding a formula, sorted (for the lint; empty for
    /// CSV and when the workbook has no formulas).
    pub formula_cells: Vec<(u32, u32)>,
}

impl Sheet {
    /// An empty sheet.
    pub fn new(name: impl Into<Arc<str>>, visibility: Visibility) -> Self {
        Sheet {
            name: name.into(),
            visibility,
            start: (0, 0),
            width: 0,
            cells: Vec::new(),
            merges: Vec::new(),
            percent_cells: Vec::new(),
            formula_cells: Vec::new(),
        }
    }

    /// Builds a sheet from rows of values starting at A1 (used for CSV and tests).
    pub fn from_rows(name: impl Into<Arc<str>>, rows: Vec<Vec<Value>>) -> Self {
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut cells = Vec::with_capacity(width * rows.len());
        for mut row in rows {
            row.resize(width, Value::Empty);
            cells.extend(row);
        }
        Sheet {
            width,
            cells,
            ..Sheet::new(name, Visibility::Visible)
        }
    }

    /// Number of rows in the dense block.
    pub fn height(&self) -> usize {
        self.cells.len().checked_div(self.width).unwrap_or(0)
    }

    /// Last absolute row + 1 and last absolute column + 1 (exclusive bounds).
    pub fn end(&self) -> (u32, u32) {
        (
            self.start.0.saturating_add(self.height() as u32),
            self.start.1.saturating_add(self.width as u32),
        )
    }

    /// The value at an absolute position (`Empty` outside the block).
    pub fn get(&self, row: u32, col: u32) -> &Value {
        const EMPTY: Value = Value::Empty;
        if row < self.start.0 || col < self.start.1 {
            return &EMPTY;
        }
        let (r, c) = ((row - self.start.0) as usize, (col - self.start.1) as usize);
        if c >= self.width {
            return &EMPTY;
        }
        self.cells.get(r * self.width + c).unwrap_or(&EMPTY)
    }

    /// The cells of a block of rows and columns (absolute, clipped to the sheet), row
    /// by row, as (position, value). Cells outside the sheet are left out: they are
    /// empty. Slices each row once, so a rule that visits every cell of a large table
    /// pays no per-cell bounds arithmetic.
    ///
    /// ```
    /// use shukei::ingest::grid::{Sheet, Value};
    /// let t = |s: &str| Value::Text(s.to_string());
    /// let sheet = Sheet::from_rows("s", vec![vec![t("a"), t("b")], vec![t("c"), t("d")]]);
    /// let seen: Vec<_> = sheet.cells_in(1..9, 1..=5).map(|(p, v)| (p, v.clone())).collect();
    /// assert_eq!(seen, vec![((1, 1), t("d"))]);
    /// ```
    pub fn cells_in(
        &self,
        rows: std::ops::Range<u32>,
        cols: std::ops::RangeInclusive<u32>,
    ) -> impl Iterator<Item = ((u32, u32), &Value)> + '_ {
        let (end_row, end_col) = self.end();
        let first_row = rows.start.max(self.start.0);
        let last_row = rows.end.min(end_row);
        let first_col = (*cols.start()).max(self.start.1);
        let last_col = cols.end().saturating_add(1).min(end_col);
        let (c0, c1) = (
            first_col.saturating_sub(self.start.1) as usize,
            last_col.saturating_sub(self.start.1) as usize,
        );
        let width = self.width;
        (first_row..last_row).flat_map(move |row| {
            let r = (row - self.start.0) as usize;
            let cells = match (c0 < c1).then(|| r * width) {
                Some(base) => self.cells.get(base + c0..base + c1).unwrap_or(&[]),
                None => &[],
            };
            cells
                .iter()
                .enumerate()
                .map(move |(k, v)| ((row, first_col + k as u32), v))
        })
    }

    /// Whether the number cell at this absolute position is formatted as a percentage.
    pub fn is_percent(&self, row: u32, col: u32) -> bool {
        self.percent_cells.binary_search(&(row, col)).is_ok()
    }

    /// The merged region that contains this cell, if any.
    pub fn merge_at(&self, row: u32, col: u32) -> Option<&Merge> {
        self.merges.iter().find(|m| {
            (m.first_row..=m.last_row).contains(&row) && (m.first_col..=m.last_col).contains(&col)
        })
    }

    /// The value shown at a cell, looking through merged regions to their top-left cell.
    pub fn get_merged(&self, row: u32, col: u32) -> &Value {
        match self.merge_at(row, col) {
            Some(m) => self.get(m.first_row, m.first_col),
            None => self.get(row, col),
        }
    }
}

thread_local! {
    /// Cell blocks of sheets already scanned, kept for the next file this thread reads.
    static SPARE: std::cell::RefCell<Vec<Vec<Value>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Blocks kept per thread, and the largest kept (in cells: 32 bytes each).
const SPARE_BLOCKS: usize = 2;
const SPARE_MAX_CELLS: usize = 1 << 20;

/// A block of `len` empty cells, reusing one from an earlier sheet of this thread when
/// there is one: a fresh block of a 50,000-row sheet is tens of megabytes that the
/// kernel must zero (and a virtual machine's host often map) page by page, once per
/// file; a reused one is already in place.
pub fn empty_cells(len: usize) -> Vec<Value> {
    let mut cells = SPARE
        .with(|spare| {
            let mut spare = spare.borrow_mut();
            let best = (0..spare.len()).max_by_key(|&i| spare[i].capacity())?;
            Some(spare.swap_remove(best))
        })
        .unwrap_or_default();
    cells.resize(len, Value::Empty);
    cells
}

/// Gives the cell blocks of a workbook that is done with back for [`empty_cells`].
pub fn recycle(workbook: Workbook) {
    SPARE.with(|spare| {
        let mut spare = spare.borrow_mut();
        for sheet in workbook.sheets {
            let mut cells = sheet.cells;
            if cells.capacity() > SPARE_MAX_CELLS || cells.capacity() == 0 {
                continue;
            }
            cells.clear();
            if spare.len() < SPARE_BLOCKS {
                spare.push(cells);
            } else if let Some(smallest) = spare.iter_mut().min_by_key(|c| c.capacity()) {
                if smallest.capacity() < cells.capacity() {
                    *smallest = cells;
                }
            }
        }
    });
}

/// The file format, detected from the content (not the extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
    Csv,
}

impl Format {
    /// Lower-case name for logs.
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
        }
    }
}

/// A workbook as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    pub format: Format,
    pub sheets: Vec<Sheet>,
    /// Defined names (name, formula) where the format has them.
    pub defined_names: Vec<(String, String)>,
    /// For CSV files: the encoding that was detected (e.g. `Shift_JIS`).
    pub encoding: Option<&'static str>,
    /// The workbook holds pictures, shapes or charts (zip entries such as `xl/media/`,
    /// `xl/drawings/drawing1.xml`, ODS `Pictures/`), for the lint.
    pub has_drawings: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recycled_blocks_come_back_empty() {
        let mut sheet = Sheet::from_rows("s", vec![vec![Value::Text("x".into()); 100]]);
        sheet.cells.reserve(1000);
        let capacity = sheet.cells.capacity();
        recycle(Workbook {
            format: Format::Csv,
            sheets: vec![sheet],
            defined_names: Vec::new(),
            encoding: None,
            has_drawings: false,
        });
        let cells = empty_cells(10);
        assert_eq!(cells, vec![Value::Empty; 10]);
        assert_eq!(cells.capacity(), capacity);
        assert!(empty_cells(3).capacity() < capacity, "handed out twice");
    }

    #[test]
    fn get_uses_absolute_positions() {
        let mut sheet = Sheet::from_rows("s", vec![vec![Value::Number(1.0), Value::Empty]]);
        sheet.start = (3, 2);
        assert_eq!(sheet.get(3, 2), &Value::Number(1.0));
        assert_eq!(sheet.get(0, 0), &Value::Empty);
        assert_eq!(sheet.get(3, 9), &Value::Empty);
        assert_eq!(sheet.end(), (4, 4));
    }

    #[test]
    fn merged_cells_show_their_top_left_value() {
        let mut sheet = Sheet::from_rows(
            "s",
            vec![vec![
                Value::Text("実績値".into()),
                Value::Empty,
                Value::Empty,
            ]],
        );
        sheet.merges.push(Merge {
            first_row: 0,
            first_col: 0,
            last_row: 0,
            last_col: 2,
        });
        assert_eq!(sheet.get_merged(0, 2), &Value::Text("実績値".into()));
    }

    #[test]
    fn numbers_display_like_a_cell() {
        for (n, want) in [(262.0, "262"), (66.8, "66.8"), (-1234.0, "-1234")] {
            assert_eq!(format_number(n), want, "input: {n}");
        }
    }
}
