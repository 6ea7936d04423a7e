//! The catalogue as an Excel workbook the planning office can edit, and back.
//!
//! [`Catalogue::build_xlsx`] writes one sheet per part (情報, 基本施策, 展開方向, 指標,
//! 取組項目, 事業, 担当課) with a bold frozen header row, an autofilter, CJK-aware column
//! widths and numbers as numbers. [`Catalogue::from_xlsx_reader`] reads such a workbook
//! with calamine into the same raw records as the TOML loader, so both formats share one
//! conversion and one set of messages. Columns are found by their header text, so the
//! office may reorder them or add columns of its own.

mod read;

use std::io::{Read, Seek};
use std::path::Path;

use calamine::{Reader, Xlsx};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::export::display_width;
use super::raw;
use super::{Catalogue, CatalogueError};
use crate::width::widest_line;

pub(super) const SHEET_INFO: &str = "情報";
pub(super) const SHEET_POLICIES: &str = "基本施策";
pub(super) const SHEET_DIRECTIONS: &str = "展開方向";
pub(super) const SHEET_INDICATORS: &str = "指標";
pub(super) const SHEET_ACTION_ITEMS: &str = "取組項目";
pub(super) const SHEET_PROJECTS: &str = "事業";
pub(super) const SHEET_DEPARTMENTS: &str = "担当課";

pub(super) const INFO_HEADERS: [&str; 3] = ["キー", "値", "説明"];
pub(super) const POLICY_HEADERS: [&str; 3] = ["番号", "名称", "目的"];
pub(super) const DIRECTION_HEADERS: [&str; 3] = ["基本施策", "番号", "名称"];
pub(super) const INDICATOR_HEADERS: [&str; 16] = [
    "ID",
    "基本施策",
    "展開方向",
    "指標名",
    "別名",
    "単位",
    "基準値",
    "基準年度",
    "目指す方向",
    "上限",
    "許容幅",
    "参考",
    "担当課",
    "集計方法",
    "累計",
    "負の値可",
];
pub(super) const ACTION_ITEM_HEADERS: [&str; 5] =
    ["No.", "基本施策", "展開方向", "取組項目", "担当課"];
pub(super) const PROJECT_HEADERS: [&str; 6] = [
    "事業名",
    "区分",
    "基本施策",
    "担当課",
    "予算額(千円)",
    "債務負担行為(千円)",
];
pub(super) const DEPARTMENT_HEADERS: [&str; 1] = ["担当課"];

/// Separates departments in one cell (department names never contain it).
const LIST_SEPARATOR: &str = "、";
/// Excel's limit on the characters of a cell.
const MAX_CELL_CHARS: usize = 32_767;

/// A cell to write.
enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
    Empty,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    fn number(x: Option<f64>) -> Cell {
        x.map_or(Cell::Empty, Cell::Number)
    }

    fn width(&self) -> usize {
        match self {
            Cell::Text(s) => widest_line(s),
            Cell::Number(x) => x.to_string().len(),
            Cell::Bool(_) => 5,
            Cell::Empty => 0,
        }
    }
}

impl Catalogue {
    /// The catalogue as a formatted workbook (see the module docs). Never fails: if a
    /// value cannot be written, the workbook holds one sheet saying why.
    ///
    /// ```
    /// let mut workbook = shukei::catalogue::Catalogue::builtin().build_xlsx();
    /// assert!(workbook.save_to_buffer().is_ok());
    /// ```
    pub fn build_xlsx(&self) -> Workbook {
        self.try_build_xlsx().unwrap_or_else(|e| error_workbook(&e))
    }

    /// As [`Catalogue::build_xlsx`], returning the writer's error instead.
    ///
    /// # Errors
    /// A [`XlsxError`] when a value cannot be written (e.g. more rows than Excel allows).
    pub fn try_build_xlsx(&self) -> Result<Workbook, XlsxError> {
        let mut workbook = Workbook::new();
        // A fixed date keeps the saved bytes the same from run to run.
        let created = ExcelDateTime::from_ymd(2024, 4, 1)?;
        let properties = DocProperties::new()
            .set_title("指標カタログ")
            .set_company(&self.municipality_name)
            .set_creation_datetime(&created);
        workbook.set_properties(&properties);
        add_sheet(&mut workbook, SHEET_INFO, &INFO_HEADERS, &self.info_rows())?;
        add_sheet(
            &mut workbook,
            SHEET_POLICIES,
            &POLICY_HEADERS,
            &self.policy_rows(),
        )?;
        add_sheet(
            &mut workbook,
            SHEET_DIRECTIONS,
            &DIRECTION_HEADERS,
            &self.direction_rows(),
        )?;
        add_sheet(
            &mut workbook,
            SHEET_INDICATORS,
            &INDICATOR_HEADERS,
            &self.indicator_rows(),
        )?;
        let items = self.action_item_rows();
        add_sheet(
            &mut workbook,
            SHEET_ACTION_ITEMS,
            &ACTION_ITEM_HEADERS,
            &items,
        )?;
        add_sheet(
            &mut workbook,
            SHEET_PROJECTS,
            &PROJECT_HEADERS,
            &self.project_rows(),
        )?;
        let departments: Vec<Vec<Cell>> = self
            .departments
            .iter()
            .map(|d| vec![Cell::text(d)])
            .collect();
        add_sheet(
            &mut workbook,
            SHEET_DEPARTMENTS,
            &DEPARTMENT_HEADERS,
            &departments,
        )?;
        Ok(workbook)
    }

    /// Reads a workbook written by [`Catalogue::build_xlsx`] (and possibly edited).
    /// Does not run [`Catalogue::check`].
    ///
    /// # Errors
    /// [`CatalogueError::Format`] when the file cannot be opened or lacks a sheet or a
    /// column; [`CatalogueError::Entries`] for cells that cannot be converted, naming the
    /// sheet and row or the entry.
    pub fn from_xlsx(path: &Path) -> Result<Catalogue, CatalogueError> {
        let file = std::fs::File::open(path)
            .map_err(|e| CatalogueError::Format(format!("{} を開けません: {e}", path.display())))?;
        Catalogue::from_xlsx_reader(std::io::BufReader::new(file))
    }

    /// As [`Catalogue::from_xlsx`], from any reader (e.g. a `Cursor` over saved bytes).
    ///
    /// # Errors
    /// As [`Catalogue::from_xlsx`].
    ///
    /// # Examples
    /// ```
    /// use shukei::catalogue::Catalogue;
    /// let bytes = Catalogue::builtin().build_xlsx().save_to_buffer().unwrap();
    /// let back = Catalogue::from_xlsx_reader(std::io::Cursor::new(bytes));
    /// assert_eq!(back, Ok(Catalogue::builtin()));
    /// ```
    pub fn from_xlsx_reader<RS: Read + Seek>(reader: RS) -> Result<Catalogue, CatalogueError> {
        let mut workbook = Xlsx::new(reader)
            .map_err(|e| CatalogueError::Format(format!("ブックを読めません: {e}")))?;
        let mut errors = Vec::new();
        let raw = read::read_raw(&mut workbook, &mut errors)?;
        if !errors.is_empty() {
            return Err(CatalogueError::Entries(errors));
        }
        raw::convert(raw)
    }

    fn info_rows(&self) -> Vec<Vec<Cell>> {
        let rows = [
            ("version", &self.version, "カタログの版"),
            (
                "municipality_code",
                &self.municipality_code,
                "全国地方公共団体コード",
            ),
            (
                "municipality_name",
                &self.municipality_name,
                "地方公共団体名",
            ),
        ];
        rows.iter()
            .map(|(key, value, note)| vec![Cell::text(*key), Cell::text(*value), Cell::text(*note)])
            .collect()
    }

    fn policy_rows(&self) -> Vec<Vec<Cell>> {
        self.policies
            .iter()
            .map(|p| {
                let number = Cell::Number(f64::from(p.number));
                vec![number, Cell::text(&p.name), Cell::text(&p.purpose)]
            })
            .collect()
    }

    fn direction_rows(&self) -> Vec<Vec<Cell>> {
        let pairs = self
            .policies
            .iter()
            .flat_map(|p| p.directions.iter().map(|d| (p.number, d)));
        pairs
            .map(|(policy, d)| {
                let (policy, number) = (f64::from(policy), f64::from(d.number));
                vec![
                    Cell::Number(policy),
                    Cell::Number(number),
                    Cell::text(&d.name),
                ]
            })
            .collect()
    }

    fn indicator_rows(&self) -> Vec<Vec<Cell>> {
        self.indicators
            .iter()
            .map(|i| {
                vec![
                    Cell::text(&i.id),
                    Cell::Number(f64::from(i.policy)),
                    Cell::Number(f64::from(i.direction)),
                    Cell::text(&i.name),
                    Cell::text(i.aliases.join("\n")),
                    Cell::text(i.unit.symbol()),
                    Cell::number(i.baseline),
                    Cell::text(i.baseline_fy.short_ja()),
                    Cell::text(i.trend.code()),
                    Cell::number(i.trend.bound()),
                    Cell::number(i.tolerance),
                    Cell::text(i.reference.clone().unwrap_or_default()),
                    Cell::text(&i.department),
                    Cell::text(i.aggregation.code()),
                    Cell::Bool(i.cumulative),
                    Cell::Bool(i.allow_negative),
                ]
            })
            .collect()
    }

    fn action_item_rows(&self) -> Vec<Vec<Cell>> {
        self.action_items
            .iter()
            .map(|a| {
                vec![
                    Cell::Number(f64::from(a.number)),
                    Cell::Number(f64::from(a.policy)),
                    Cell::Number(f64::from(a.direction)),
                    Cell::text(&a.title),
                    Cell::text(a.departments.join(LIST_SEPARATOR)),
                ]
            })
            .collect()
    }

    fn project_rows(&self) -> Vec<Vec<Cell>> {
        self.projects
            .iter()
            .map(|p| {
                vec![
                    Cell::text(&p.name),
                    Cell::text(&p.kind),
                    Cell::Number(f64::from(p.policy)),
                    Cell::text(p.departments.join(LIST_SEPARATOR)),
                    Cell::Number(p.budget),
                    Cell::number(p.debt_burden),
                ]
            })
            .collect()
    }
}

fn error_workbook(error: &XlsxError) -> Workbook {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    // Best effort: this is already the fallback for a failed export.
    let _ = sheet.write_string(
        0,
        0,
        format!("指標カタログをブックに書き出せません: {error}"),
    );
    workbook
}

fn add_sheet(
    workbook: &mut Workbook,
    name: &str,
    headers: &[&str],
    rows: &[Vec<Cell>],
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    let header = Format::new().set_bold().set_background_color("#DDEBF7");
    let wrap = Format::new().set_text_wrap();
    for (col, text) in (0u16..).zip(headers) {
        sheet.write_string_with_format(0, col, *text, &header)?;
    }
    for (row, cells) in (1u32..).zip(rows) {
        for (col, cell) in (0u16..).zip(cells) {
            write_cell(sheet, row, col, cell, &wrap)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_row = u32::try_from(rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
    let last_col = u16::try_from(headers.len().saturating_sub(1))
        .map_err(|_| XlsxError::RowColumnLimitError)?;
    sheet.autofilter(0, 0, last_row, last_col)?;
    set_widths(sheet, headers, rows)
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    wrap: &Format,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) if s.contains('\n') => {
            let s: String = s.chars().take(MAX_CELL_CHARS).collect();
            sheet.write_string_with_format(row, col, s, wrap)?;
        }
        Cell::Text(s) => {
            let s: String = s.chars().take(MAX_CELL_CHARS).collect();
            sheet.write_string(row, col, s)?;
        }
        Cell::Number(x) => {
            sheet.write_number(row, col, *x)?;
        }
        Cell::Bool(b) => {
            sheet.write_boolean(row, col, *b)?;
        }
        Cell::Empty => {}
    }
    Ok(())
}

/// Column widths from the longest cell, full-width characters counting 2, between 6 and
/// 60 (+2 for the autofilter button).
fn set_widths(
    sheet: &mut Worksheet,
    headers: &[&str],
    rows: &[Vec<Cell>],
) -> Result<(), XlsxError> {
    for (col, header) in (0u16..).zip(headers) {
        let cells = rows.iter().filter_map(|r| r.get(usize::from(col)));
        let widest = cells
            .map(Cell::width)
            .chain([display_width(header)])
            .max()
            .unwrap_or(0);
        let width = widest.clamp(6, 60) + 2;
        // Widths are at most 62: exact in f64.
        sheet.set_column_width(col, width as f64)?;
    }
    Ok(())
}
