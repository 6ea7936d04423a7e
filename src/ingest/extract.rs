//! Turns the cells of found tables into located values ([`Record`]) and findings.
//!
//! Every non-empty cell of a table's value region ends as a record or a finding: a
//! number in the catalogue's unit, or E-VALUE-NONNUMERIC / W-VALUE-PENDING /
//! E-VALUE-UNIT / E-CELL-EXCEL-ERROR / E-VALUE-DATE, or I-VALUE-UNASSIGNED when its
//! row's indicator is unknown. A dash (`—` `－` `-`) is an explicit "no value".

use std::sync::Arc;

use crate::catalogue::{Catalogue, Indicator};
use crate::consolidate::Status;
use crate::model::{CellRef, Finding, Period, Record, Unit};
use crate::normalize::number::{convert, parse_value, percent_from_cell, ParsedValue, Quantity};
use crate::normalize::text::{display_text, is_pending_text, nfkc};
use crate::rules::{self, FindingExt};
use crate::values::FileValues;

use super::grid::{Sheet, Value};
use super::names::{Matcher, NameMatch};
use super::table::{ColumnKind, Table, Transposed};

/// What extraction needs to know and where it writes.
pub struct Extractor<'a> {
    /// The file's name, shared by every reference to its cells.
    pub file: Arc<str>,
    pub catalogue: &'a Catalogue,
    pub matcher: &'a Matcher,
    /// The values read, packed as they are read (a detail sheet's 50,000 records held
    /// as `Record`s until the file's end were 7 MB to build and free per file).
    pub values: FileValues,
    pub findings: Vec<Finding>,
    /// Tables with an ID column are matched by ID only, never by name (filled templates).
    pub id_only: bool,
    /// Names already matched in this file: detail sheets repeat a few names on
    /// thousands of rows, and matching normalizes the text each time.
    names: foldhash::HashMap<String, NameMatch>,
    /// The IDs of the indicators read so far (see [`Extractor::shared_id`]).
    ids: Vec<Arc<str>>,
}

impl<'a> Extractor<'a> {
    /// A new extractor for one file (a shared name is kept, not copied).
    pub fn new(file: impl Into<Arc<str>>, catalogue: &'a Catalogue, matcher: &'a Matcher) -> Self {
        Extractor {
            file: file.into(),
            catalogue,
            matcher,
            values: FileValues::default(),
            findings: Vec::new(),
            id_only: false,
            names: foldhash::HashMap::default(),
            ids: Vec::new(),
        }
    }

    /// The indicator's ID as a shared string, one per indicator and file.
    fn shared_id(&mut self, id: &str) -> Arc<str> {
        if let Some(shared) = self.ids.iter().find(|s| &***s == id) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(id);
        self.ids.push(shared.clone());
        shared
    }

    /// Matches a name, once per distinct text.
    fn match_name(&mut self, name: &str) -> NameMatch {
        if let Some(found) = self.names.get(name) {
            return found.clone();
        }
        let found = self.matcher.match_name(name);
        self.names.insert(name.to_string(), found.clone());
        found
    }

    fn at(&self, sheet: &Sheet, row: u32, col: u32) -> CellRef {
        CellRef::cell(self.file.clone(), sheet.name.clone(), row, col)
    }

    /// How many distinct name and ID cells a table remembers (see [`Extractor::table`]).
    const KNOWN_ROWS: usize = 16;

    /// Reads every data row of a table.
    pub fn table(&mut self, sheet: &Sheet, table: &Table) {
        for (col, kind) in &table.columns {
            if let ColumnKind::Ignored(text) = kind {
                if has_values(sheet, table, *col) {
                    let at = self.at(sheet, table.header_row, *col);
                    let message = format!(
                        "{at}: 列見出し「{}」の列は読み取り対象外です",
                        display_text(text)
                    );
                    self.findings
                        .push(rules::COLUMN_IGNORED.at(at, message).raw(text.clone()));
                }
            }
        }
        let id_col = table.column_of(&ColumnKind::Id);
        let unit_col = table.column_of(&ColumnKind::Unit);
        // The value cells of a row, in a buffer reused row after row.
        let mut values: Vec<(u32, Period)> = Vec::new();
        // Name and ID cells already matched without a finding, and their indicator: a
        // detail sheet repeats a few of them row after row, and the same cells give
        // the same indicator (matching them again for each row was a quarter of the
        // extraction of a detail sheet). A few: a summary table has a row per
        // indicator.
        let mut known: Vec<(&Value, Option<&Value>, &'a Indicator)> = Vec::new();
        // The unit column's last text and its unit: a detail sheet repeats a few units
        // row after row (normalizing and parsing each was 1.5 % of a large run).
        let mut last_unit: Option<(&str, Option<Unit>)> = None;
        for row in table.data_start..table.data_end {
            values.clear();
            values.extend(
                table
                    .value_columns()
                    .filter(|(c, _)| !is_no_value_cell(sheet.get(row, *c))),
            );
            let cells = (
                sheet.get_merged(row, table.name_col),
                id_col.map(|c| sheet.get(row, c)),
            );
            let has_values = !values.is_empty();
            // the ID cell first: short, and it tells the indicators apart
            let repeated = known
                .iter()
                .find(|(name, id, _)| has_values && *id == cells.1 && *name == cells.0)
                .map(|(_, _, indicator)| *indicator);
            let found = self.findings.len();
            let indicator = repeated
                .or_else(|| self.row_indicator(sheet, row, table.name_col, id_col, has_values));
            if let (None, Some(indicator)) = (repeated, indicator) {
                if self.findings.len() == found && known.len() < Self::KNOWN_ROWS {
                    known.push((cells.0, cells.1, indicator));
                }
            }
            let Some(indicator) = indicator else {
                for &(col, _) in &values {
                    self.unassigned(sheet, row, col);
                }
                continue;
            };
            let row_unit = unit_col.and_then(|c| match sheet.get(row, c) {
                Value::Text(s) => match last_unit {
                    Some((text, unit)) if text == s.as_str() => unit,
                    _ => {
                        let unit = Unit::parse(&nfkc(s));
                        last_unit = Some((s.as_str(), unit));
                        unit
                    }
                },
                _ => None,
            });
            for &(col, period) in &values {
                self.cell(sheet, row, col, indicator, period, row_unit);
            }
        }
    }

    /// Reads a transposed table.
    pub fn transposed(&mut self, sheet: &Sheet, table: &Transposed) {
        for &(row, period) in &table.rows {
            for (col, id) in &table.indicators {
                if is_no_value_cell(sheet.get(row, *col)) {
                    continue;
                }
                if let Some(indicator) = self.catalogue.indicator(id) {
                    self.cell(sheet, row, *col, indicator, period, None);
                }
            }
        }
    }

    /// The indicator of a data row, from its ID cell or its name cell. Reports unknown
    /// names when the row carries values; rows without values are skipped quietly.
    fn row_indicator(
        &mut self,
        sheet: &Sheet,
        row: u32,
        name_col: u32,
        id_col: Option<u32>,
        has_values: bool,
    ) -> Option<&'a Indicator> {
        if !has_values {
            // Nothing to read or report on a row without values (a note, a spacer, an
            // indicator not reported this time): skip it before any matching work.
            return None;
        }
        if let (true, Some(col)) = (self.id_only, id_col) {
            return self.row_by_id(sheet, row, col, has_values);
        }
        let name = sheet.get_merged(row, name_col).display();
        let by_id = id_col.and_then(|c| match sheet.get(row, c) {
            Value::Text(s) => self.matcher.match_id(s),
            other => self.matcher.match_id(&other.display()),
        });
        let by_name = if name.trim().is_empty() {
            None
        } else {
            Some(self.match_name(&name))
        };
        match (by_id, by_name) {
            (Some(id), Some(NameMatch::Exact(n) | NameMatch::Alias(n))) if n != id => {
                let at = self.at(sheet, row, name_col);
                let message = format!(
                    "{at}: 指標 ID {id} と指標名「{}」が別の指標を指しています",
                    display_text(&name)
                );
                self.findings.push(
                    rules::ID_NAME_MISMATCH
                        .at(at, message)
                        .indicator(&id)
                        .raw(name),
                );
                self.catalogue.indicator(&id)
            }
            (Some(id), _) => self.catalogue.indicator(&id),
            (None, Some(NameMatch::Exact(id) | NameMatch::Alias(id))) => {
                self.catalogue.indicator(&id)
            }
            (None, Some(NameMatch::Unknown { suggestions })) if has_values => {
                self.unknown(sheet, row, name_col, &name, &suggestions);
                None
            }
            (None, None) if has_values => {
                self.unknown(sheet, row, name_col, "", &[]);
                None
            }
            (None, _) => None,
        }
    }

    /// The indicator of a row by its ID cell alone. An unknown or blank ID on a row with
    /// values is E-INDICATOR-UNKNOWN (and its values are not read).
    fn row_by_id(
        &mut self,
        sheet: &Sheet,
        row: u32,
        col: u32,
        has_values: bool,
    ) -> Option<&'a Indicator> {
        let raw = sheet.get(row, col).display();
        if let Some(id) = self.matcher.match_id(&raw) {
            return self.catalogue.indicator(&id);
        }
        if has_values {
            let at = self.at(sheet, row, col);
            let message = if raw.trim().is_empty() {
                format!("{at}: 値があるのに指標 ID が空欄です（様式は ID 列で指標を特定します）")
            } else {
                format!(
                    "{at}: 指標 ID「{}」はカタログにありません（様式の ID は変更しないでください）",
                    display_text(&raw)
                )
            };
            self.findings
                .push(rules::INDICATOR_UNKNOWN.at(at, message).raw(raw));
        }
        None
    }

    fn unknown(&mut self, sheet: &Sheet, row: u32, col: u32, name: &str, suggestions: &[String]) {
        let at = self.at(sheet, row, col);
        let mut message = if name.is_empty() {
            format!("{at}: 値があるのに指標名が空欄です")
        } else {
            format!(
                "{at}: 指標名「{}」はカタログにありません",
                display_text(name)
            )
        };
        let names: Vec<String> = suggestions
            .iter()
            .filter_map(|id| self.catalogue.indicator(id))
            .map(|i| format!("{} {}", i.id, i.name))
            .collect();
        if !names.is_empty() {
            message.push_str(&format!("。候補: {}", names.join(" / ")));
        }
        self.findings
            .push(rules::INDICATOR_UNKNOWN.at(at, message).raw(name));
    }

    fn unassigned(&mut self, sheet: &Sheet, row: u32, col: u32) {
        let at = self.at(sheet, row, col);
        let raw = sheet.get(row, col).display();
        let message = format!("{at}: 指標が特定できないため値「{raw}」を取り込みませんでした");
        self.findings
            .push(rules::VALUE_UNASSIGNED.at(at, message).raw(raw));
    }

    /// Reads one value cell.
    fn cell(
        &mut self,
        sheet: &Sheet,
        row: u32,
        col: u32,
        ind: &Indicator,
        period: Period,
        row_unit: Option<Unit>,
    ) {
        let at = self.at(sheet, row, col);
        let value = sheet.get(row, col);
        let raw = value.display();
        let result = match value {
            Value::Number(n) => {
                let n =
                    percent_from_cell(excel_precision(*n), sheet.is_percent(row, col), ind.unit);
                let q = Quantity {
                    value: n,
                    unit: row_unit,
                    unit_text: None,
                    percent: false,
                };
                converted(&q, ind, &at, &raw).map_err(|f| *f)
            }
            Value::Text(s) => match parse_value(&rank_text(s, ind.unit)) {
                ParsedValue::Empty => return,
                ParsedValue::Number(mut q) => {
                    if q.unit.is_none() && q.unit_text.is_none() && !q.percent {
                        q.unit = row_unit;
                    }
                    converted(&q, ind, &at, &raw).map_err(|f| *f)
                }
                ParsedValue::Text(t) if is_pending_text(&t) => Err(rules::VALUE_PENDING.at(
                    at.clone(),
                    format!(
                        "{at}: 「{}」の値が「{}」のため未確定です",
                        ind.name,
                        display_text(&t)
                    ),
                )),
                ParsedValue::Text(t) => Err(rules::VALUE_NONNUMERIC.at(
                    at.clone(),
                    format!(
                        "{at}: 「{}」の値「{}」は数値として読めません",
                        ind.name,
                        display_text(&t)
                    ),
                )),
            },
            Value::Error(e) => Err(rules::CELL_EXCEL_ERROR.at(
                at.clone(),
                format!("{at}: Excel のエラー値 {e} があります（{}）", ind.name),
            )),
            Value::Date(_) => Err(rules::VALUE_DATE.at(
                at.clone(),
                format!("{at}: 「{}」の値が日付になっています", ind.name),
            )),
            Value::Bool(_) => Err(rules::VALUE_NONNUMERIC.at(
                at.clone(),
                format!("{at}: 「{}」の値が TRUE/FALSE です", ind.name),
            )),
            Value::Empty => return,
        };
        // A cell near f64::MAX can still overflow when scaled (× 100 for a percent
        // format, × 1000 for 円): such a value is not a figure.
        let result = match result {
            Ok(value) if !value.is_finite() => Err(rules::VALUE_NONNUMERIC.at(
                at.clone(),
                format!(
                    "{at}: 「{}」の値「{raw}」は大きすぎて数値として扱えません",
                    ind.name
                ),
            )),
            other => other,
        };
        match result {
            Ok(value) => {
                let indicator_id = self.shared_id(&ind.id);
                let record = Record {
                    indicator_id,
                    period,
                    value,
                    raw,
                    at,
                };
                self.values.push(record, Status::Used);
            }
            Err(finding) => self.findings.push(finding.indicator(&ind.id).raw(raw)),
        }
    }
}

/// The value in the indicator's unit, or E-VALUE-UNIT. Boxed: findings are large and
/// the error path is rare.
fn converted(q: &Quantity, ind: &Indicator, at: &CellRef, raw: &str) -> Result<f64, Box<Finding>> {
    convert(q, ind.unit).map_err(|mismatch| {
        let message = format!("{at}: 「{}」の値「{raw}」: {mismatch}", ind.name);
        Box::new(rules::VALUE_UNIT.at(at.clone(), message))
    })
}

/// A stored float as Excel shows it: 15 significant digits (97.09999999999999 → 97.1).
fn excel_precision(n: f64) -> f64 {
    if n == 0.0 || !n.is_finite() || n.fract() == 0.0 {
        return n;
    }
    format!("{n:.14e}").parse().unwrap_or(n)
}

/// A rank written with its population (`2/17 団体`, `2/17`) is the rank itself.
fn rank_text(s: &str, unit: Unit) -> std::borrow::Cow<'_, str> {
    if unit != Unit::Rank {
        return std::borrow::Cow::Borrowed(s);
    }
    let folded = nfkc(s);
    match folded.split_once('/') {
        Some((rank, rest)) if rest.trim_start().starts_with(|c: char| c.is_ascii_digit()) => {
            std::borrow::Cow::Owned(rank.trim().to_string())
        }
        _ => std::borrow::Cow::Borrowed(s),
    }
}

fn is_no_value_cell(value: &Value) -> bool {
    match value {
        Value::Empty => true,
        Value::Text(s) => matches!(parse_value(s), ParsedValue::Empty),
        _ => false,
    }
}

fn has_values(sheet: &Sheet, table: &Table, col: u32) -> bool {
    (table.data_start..table.data_end).any(|r| !sheet.get(r, col).is_blank())
}
