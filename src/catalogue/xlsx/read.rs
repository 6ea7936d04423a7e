//! Reading the catalogue workbook back: sheets into the raw records of the TOML loader.
//! Columns are found by header text; cells that are not even the right kind (a policy
//! number written as text) become entry errors naming the sheet and row.

use std::io::{Read, Seek};

use calamine::{Data, Range, Reader, Xlsx};

use super::{
    ACTION_ITEM_HEADERS, DEPARTMENT_HEADERS, DIRECTION_HEADERS, INDICATOR_HEADERS, INFO_HEADERS,
    POLICY_HEADERS, PROJECT_HEADERS, SHEET_ACTION_ITEMS, SHEET_DEPARTMENTS, SHEET_DIRECTIONS,
    SHEET_INDICATORS, SHEET_INFO, SHEET_POLICIES, SHEET_PROJECTS,
};
use crate::catalogue::raw::{
    RawActionItem, RawCatalogue, RawDirection, RawIndicator, RawNumber, RawPolicy, RawProject,
};
use crate::catalogue::{CatalogueError, EntryError};

/// A sheet's rows below the header, with the header's column positions.
struct Table {
    sheet: &'static str,
    columns: Vec<Option<usize>>,
    rows: Vec<Vec<Data>>,
    /// The Excel row number (1-based) of the first row below the header.
    first_row: usize,
}

/// One row of a [`Table`], read by column label.
struct Row<'a> {
    table: &'a Table,
    /// 1-based row number as Excel shows it.
    number: usize,
    cells: &'a [Data],
}

fn read_table<RS: Read + Seek>(
    workbook: &mut Xlsx<RS>,
    sheet: &'static str,
    headers: &[&str],
) -> Result<Table, CatalogueError> {
    let range: Range<Data> = workbook
        .worksheet_range(sheet)
        .map_err(|e| CatalogueError::Format(format!("シート {sheet} を読めません: {e}")))?;
    let mut rows = range.rows().map(<[Data]>::to_vec);
    let header: Vec<String> = rows
        .next()
        .unwrap_or_default()
        .iter()
        .map(text_of)
        .collect();
    let columns: Vec<Option<usize>> = headers
        .iter()
        .map(|h| header.iter().position(|c| c.trim() == *h))
        .collect();
    // Columns every sheet needs: the first one names the row.
    if let Some(missing) = headers
        .iter()
        .zip(&columns)
        .find(|(_, c)| c.is_none())
        .map(|(h, _)| h)
    {
        return Err(CatalogueError::Format(format!(
            "シート {sheet} に列 {missing} がありません"
        )));
    }
    // The range starts at the header, which need not be row 1.
    let header_row = range.start().map_or(0, |(row, _)| row as usize);
    Ok(Table {
        sheet,
        columns,
        rows: rows.collect(),
        first_row: header_row + 2,
    })
}

impl Table {
    fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, cells)| cells.iter().any(|c| !matches!(c, Data::Empty)))
            .map(move |(i, cells)| Row {
                table: self,
                number: self.first_row + i,
                cells,
            })
    }

    fn position(&self, headers: &[&str], label: &str) -> Option<usize> {
        let index = headers.iter().position(|h| *h == label)?;
        *self.columns.get(index)?
    }
}

impl Row<'_> {
    fn cell(&self, headers: &[&str], label: &str) -> &Data {
        static EMPTY: Data = Data::Empty;
        self.table
            .position(headers, label)
            .and_then(|i| self.cells.get(i))
            .unwrap_or(&EMPTY)
    }

    fn entry(&self) -> String {
        format!("シート {} {} 行目", self.table.sheet, self.number)
    }
}

/// Reads every sheet into raw records; cells that are not even the right kind (a policy
/// number that is text) go to `errors`.
pub(super) fn read_raw<RS: Read + Seek>(
    workbook: &mut Xlsx<RS>,
    errors: &mut Vec<EntryError>,
) -> Result<RawCatalogue, CatalogueError> {
    let mut raw = read_info(&read_table(workbook, SHEET_INFO, &INFO_HEADERS)?);
    raw.policies = read_policies(workbook, errors)?;
    let table = read_table(workbook, SHEET_INDICATORS, &INDICATOR_HEADERS)?;
    raw.indicators = table
        .rows()
        .filter_map(|row| read_indicator(&row, errors))
        .collect();
    let table = read_table(workbook, SHEET_ACTION_ITEMS, &ACTION_ITEM_HEADERS)?;
    raw.action_items = table
        .rows()
        .filter_map(|row| read_action_item(&row, errors))
        .collect();
    let table = read_table(workbook, SHEET_PROJECTS, &PROJECT_HEADERS)?;
    raw.projects = table
        .rows()
        .filter_map(|row| read_project(&row, errors))
        .collect();
    let table = read_table(workbook, SHEET_DEPARTMENTS, &DEPARTMENT_HEADERS)?;
    raw.departments = table
        .rows()
        .map(|row| text_of(row.cell(&DEPARTMENT_HEADERS, "担当課")))
        .filter(|d| !d.is_empty())
        .collect();
    Ok(raw)
}

fn read_info(table: &Table) -> RawCatalogue {
    let mut raw = RawCatalogue::default();
    for row in table.rows() {
        let value = text_of(row.cell(&INFO_HEADERS, "値"));
        match text_of(row.cell(&INFO_HEADERS, "キー")).as_str() {
            "version" => raw.version = value,
            "municipality_code" => raw.municipality_code = value,
            "municipality_name" => raw.municipality_name = value,
            _ => {}
        }
    }
    raw
}

fn read_policies<RS: Read + Seek>(
    workbook: &mut Xlsx<RS>,
    errors: &mut Vec<EntryError>,
) -> Result<Vec<RawPolicy>, CatalogueError> {
    let table = read_table(workbook, SHEET_POLICIES, &POLICY_HEADERS)?;
    let mut policies: Vec<RawPolicy> = table
        .rows()
        .filter_map(|row| {
            let number = small_number(&row, &POLICY_HEADERS, "番号", errors)?;
            let name = text_of(row.cell(&POLICY_HEADERS, "名称"));
            let purpose = text_of(row.cell(&POLICY_HEADERS, "目的"));
            Some(RawPolicy {
                number,
                name,
                purpose,
                directions: Vec::new(),
            })
        })
        .collect();
    let table = read_table(workbook, SHEET_DIRECTIONS, &DIRECTION_HEADERS)?;
    for row in table.rows() {
        let policy = small_number(&row, &DIRECTION_HEADERS, "基本施策", errors);
        let number = small_number(&row, &DIRECTION_HEADERS, "番号", errors);
        let (Some(policy), Some(number)) = (policy, number) else {
            continue;
        };
        let name = text_of(row.cell(&DIRECTION_HEADERS, "名称"));
        match policies.iter_mut().find(|p| p.number == policy) {
            Some(p) => p.directions.push(RawDirection { number, name }),
            None => errors.push(EntryError {
                entry: row.entry(),
                message: format!("展開方向 {number} の基本施策 {policy} がありません"),
            }),
        }
    }
    Ok(policies)
}

fn read_indicator(row: &Row<'_>, errors: &mut Vec<EntryError>) -> Option<RawIndicator> {
    let h = &INDICATOR_HEADERS;
    let text = |label: &str| text_of(row.cell(h, label));
    let policy = small_number(row, h, "基本施策", errors)?;
    let direction = small_number(row, h, "展開方向", errors)?;
    let aliases = text("別名");
    let aliases = aliases.lines().map(str::trim).filter(|a| !a.is_empty());
    Some(RawIndicator {
        id: text("ID"),
        policy: Some(policy),
        direction: Some(direction),
        name: text("指標名"),
        aliases: aliases.map(String::from).collect(),
        unit: Some(text("単位")),
        baseline: number_of(row.cell(h, "基準値")),
        baseline_fy: Some(text("基準年度")).filter(|s| !s.is_empty()),
        trend: Some(text("目指す方向")),
        bound: number_of(row.cell(h, "上限")),
        tolerance: number_of(row.cell(h, "許容幅")),
        reference: Some(text("参考")).filter(|s| !s.is_empty()),
        department: text("担当課"),
        aggregation: Some(text("集計方法")),
        cumulative: flag(row, h, "累計", errors),
        allow_negative: flag(row, h, "負の値可", errors),
    })
}

fn read_action_item(row: &Row<'_>, errors: &mut Vec<EntryError>) -> Option<RawActionItem> {
    let h = &ACTION_ITEM_HEADERS;
    let number = small_number(row, h, "No.", errors);
    let policy = small_number(row, h, "基本施策", errors);
    let direction = small_number(row, h, "展開方向", errors);
    Some(RawActionItem {
        number: number?,
        policy: policy?,
        direction: direction?,
        title: text_of(row.cell(h, "取組項目")),
        departments: split_list(&text_of(row.cell(h, "担当課"))),
    })
}

fn read_project(row: &Row<'_>, errors: &mut Vec<EntryError>) -> Option<RawProject> {
    let h = &PROJECT_HEADERS;
    Some(RawProject {
        name: text_of(row.cell(h, "事業名")),
        kind: text_of(row.cell(h, "区分")),
        policy: small_number(row, h, "基本施策", errors)?,
        departments: split_list(&text_of(row.cell(h, "担当課"))),
        budget: number_of(row.cell(h, "予算額(千円)")),
        debt_burden: number_of(row.cell(h, "債務負担行為(千円)")),
    })
}

fn split_list(text: &str) -> Vec<String> {
    text.split([',', '、', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The cell as text: strings as they are, whole numbers without `.0`.
fn text_of(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.trim().to_string(),
        Data::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        Data::Float(x) => x.to_string(),
        Data::Int(n) => n.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

/// The cell as a raw number for the shared conversion (text is parsed there).
fn number_of(cell: &Data) -> Option<RawNumber> {
    match cell {
        Data::Empty => None,
        Data::Float(x) => Some(RawNumber::Float(*x)),
        Data::Int(n) => Some(RawNumber::Int(*n)),
        Data::String(s) if s.trim().is_empty() => None,
        other => Some(RawNumber::Text(text_of(other))),
    }
}

/// A policy, direction or item number (0–255).
fn small_number(
    row: &Row<'_>,
    headers: &[&str],
    label: &str,
    errors: &mut Vec<EntryError>,
) -> Option<u8> {
    let cell = row.cell(headers, label);
    let parsed = match cell {
        Data::Float(x) if x.fract() == 0.0 && (0.0..=255.0).contains(x) => Some(*x as u8),
        Data::Int(n) => u8::try_from(*n).ok(),
        Data::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    if parsed.is_none() {
        let message = format!(
            "{label} \"{}\" は 0〜255 の番号ではありません",
            text_of(cell)
        );
        errors.push(EntryError {
            entry: row.entry(),
            message,
        });
    }
    parsed
}

/// A yes/no cell: TRUE/FALSE, 1/0, true/false, ○, or blank (no).
fn flag(row: &Row<'_>, headers: &[&str], label: &str, errors: &mut Vec<EntryError>) -> bool {
    let cell = row.cell(headers, label);
    match cell {
        Data::Bool(b) => *b,
        Data::Empty => false,
        Data::Float(x) if *x == 0.0 || *x == 1.0 => *x == 1.0,
        Data::Int(n) if *n == 0 || *n == 1 => *n == 1,
        Data::String(s) => match s.trim().to_lowercase().as_str() {
            "true" | "1" | "○" | "はい" => true,
            "false" | "0" | "" | "×" | "いいえ" => false,
            _ => bool_error(row, label, cell, errors),
        },
        _ => bool_error(row, label, cell, errors),
    }
}

fn bool_error(row: &Row<'_>, label: &str, cell: &Data, errors: &mut Vec<EntryError>) -> bool {
    let message = format!(
        "{label} \"{}\" は TRUE か FALSE で指定してください",
        text_of(cell)
    );
    errors.push(EntryError {
        entry: row.entry(),
        message,
    });
    false
}
