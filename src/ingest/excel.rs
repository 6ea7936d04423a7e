//! Reads Excel and OpenDocument workbooks through calamine into a [`Workbook`] grid.
//!
//! Only called after [`super::guard::check`] accepted the bytes. Formula cells give their
//! cached values; merged regions come from xlsx and xls (calamine has none for ods and
//! xlsb); percent number formats come from xlsx styles, fetched only for sheets that hold
//! fractions, since reading styles parses the sheet a second time.
//!
//! For the machine-readability lint ([`crate::lint`]) two more facts are read cheaply:
//! which cells hold formulas (calamine parses a sheet again for them, so an xlsx is
//! first searched for `<f>` markup and skipped when it has none), and whether the zip
//! holds pictures, shapes or charts (its entry names only; nothing is decompressed).

use std::io::Cursor;

use calamine::{Data, Dimensions, Reader, SheetVisible, Sheets};

use super::grid::{Format, Merge, Sheet, Value, Visibility, Workbook};
use super::guard::Markup;

/// Reads every sheet of a workbook held in memory.
///
/// # Errors
/// The calamine error text (in English) when the workbook is damaged.
pub fn read_workbook(bytes: &[u8], format: Format, markup: Markup) -> Result<Workbook, String> {
    let cursor = Cursor::new(bytes);
    let mut sheets: Sheets<Cursor<&[u8]>> = match format {
        Format::Xlsx => Sheets::Xlsx(open(cursor)?),
        Format::Xlsb => Sheets::Xlsb(open(cursor)?),
        Format::Xls => Sheets::Xls(open(cursor)?),
        Format::Ods => Sheets::Ods(open(cursor)?),
        Format::Csv => return Err("CSV は excel リーダーでは読みません".to_string()),
    };
    let metadata = sheets.sheets_metadata().to_vec();
    let defined_names = sheets.defined_names().to_vec();
    let mut out = Vec::with_capacity(metadata.len());
    for meta in metadata {
        if meta.typ != calamine::SheetType::WorkSheet {
            continue;
        }
        let mut range = sheets
            .worksheet_range(&meta.name)
            .map_err(|e| format!("{}: {e}", meta.name))?;
        let mut sheet = Sheet::new(meta.name.clone(), visibility(meta.visible));
        sheet.start = range.start().unwrap_or((0, 0));
        sheet.width = range.width();
        // Sized up front: collecting from the flattened rows grew the vector by
        // doubling (11 % of reading a 50,000-row sheet went to reallocation).
        let mut cells = Vec::with_capacity(range.height() * range.width());
        // Rows are taken, not cloned: the range is dropped after this, so its strings
        // move into the grid.
        for r in 0..range.height() {
            cells.extend(range[r].iter_mut().map(|d| convert(std::mem::take(d))));
        }
        sheet.cells = cells;
        if markup.merges {
            sheet.merges = merges(&mut sheets, &meta.name);
        }
        sheet.percent_cells = percent_cells(&mut sheets, &sheet);
        if markup.formulas {
            sheet.formula_cells = formula_cells(&mut sheets, &meta.name);
        }
        out.push(sheet);
    }
    Ok(Workbook {
        format,
        sheets: out,
        defined_names,
        encoding: None,
        has_drawings: has_drawings(bytes),
    })
}

/// Absolute positions of the cells of a sheet that hold a formula, sorted.
fn formula_cells(sheets: &mut Sheets<Cursor<&[u8]>>, name: &str) -> Vec<(u32, u32)> {
    let Ok(range) = sheets.worksheet_formula(name) else {
        return Vec::new();
    };
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut out: Vec<(u32, u32)> = range
        .used_cells()
        .filter(|(_, _, f)| !f.trim().is_empty())
        .map(|(r, c, _)| (row0 + r as u32, col0 + c as u32))
        .collect();
    out.sort_unstable();
    out
}

/// The names of a zip's entries (empty when it is not a zip).
fn zip_names(bytes: &[u8]) -> Vec<String> {
    zip::ZipArchive::new(Cursor::new(bytes))
        .map(|z| {
            z.file_names()
                .filter_map(Result::ok)
                .map(|n| n.into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Whether an xlsx/ods holds pictures, shapes or charts. Legacy VML drawings only carry
/// cell comments, so they do not count.
pub fn has_drawings(bytes: &[u8]) -> bool {
    zip_names(bytes).iter().any(|n| {
        n.starts_with("xl/media/")
            || n.starts_with("xl/charts/")
            || (n.starts_with("xl/drawings/") && n.ends_with(".xml") && !n.contains("/_rels/"))
            || n.starts_with("Pictures/")
            || n.starts_with("Object ")
    })
}

fn open<'a, R>(cursor: Cursor<&'a [u8]>) -> Result<R, String>
where
    R: Reader<Cursor<&'a [u8]>>,
    R::Error: std::fmt::Display,
{
    R::new(cursor).map_err(|e| e.to_string())
}

/// One calamine cell as a grid value. A number that is not finite (`<v>NaN</v>`,
/// `<v>1e999</v>` or `inf` in an xlsx, a NaN double in an xls) cannot be stored by Excel
/// and becomes the error value `#NUM!`, as Excel shows an overflow.
fn convert(data: Data) -> Value {
    match data {
        Data::Empty => Value::Empty,
        Data::String(s) => Value::Text(s),
        Data::Float(f) if !f.is_finite() => Value::Error("#NUM!".to_string()),
        Data::Float(f) => Value::Number(f),
        Data::Int(i) => Value::Number(i as f64),
        Data::Bool(b) => Value::Bool(b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(naive) if dt.is_datetime() => Value::Date(serial(naive)),
            _ if !dt.as_f64().is_finite() => Value::Error("#NUM!".to_string()),
            _ => Value::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => match iso_date(&s) {
            Some(serial) => Value::Date(serial),
            None => Value::Text(s),
        },
        Data::DurationIso(s) => Value::Text(s),
        Data::Error(e) => Value::Error(e.to_string()),
    }
}

/// The 1900-system serial of a date (valid from 1900-03-01, as Excel counts).
fn serial(naive: chrono::NaiveDateTime) -> f64 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .unwrap_or_default()
        .and_time(chrono::NaiveTime::MIN);
    let delta = naive - epoch;
    delta.num_milliseconds() as f64 / 86_400_000.0
}

fn iso_date(s: &str) -> Option<f64> {
    let date = s.get(..10)?;
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    Some(serial(day.and_time(chrono::NaiveTime::MIN)))
}

fn visibility(v: SheetVisible) -> Visibility {
    match v {
        SheetVisible::Visible => Visibility::Visible,
        SheetVisible::Hidden => Visibility::Hidden,
        SheetVisible::VeryHidden => Visibility::VeryHidden,
    }
}

fn merges(sheets: &mut Sheets<Cursor<&[u8]>>, name: &str) -> Vec<Merge> {
    let dims: Vec<Dimensions> = match sheets {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
    };
    dims.into_iter()
        .map(|d| Merge {
            first_row: d.start.0,
            first_col: d.start.1,
            last_row: d.end.0,
            last_col: d.end.1,
        })
        .collect()
}

/// Positions of number cells formatted as a percentage (xlsx only). Only sheets that
/// hold a fraction between -1.5 and 1.5 are worth the second parse.
fn percent_cells(sheets: &mut Sheets<Cursor<&[u8]>>, sheet: &Sheet) -> Vec<(u32, u32)> {
    let Sheets::Xlsx(xlsx) = sheets else {
        return Vec::new();
    };
    let has_fraction = sheet
        .cells
        .iter()
        .any(|v| matches!(v, Value::Number(n) if n.fract() != 0.0 && n.abs() < 1.5));
    if !has_fraction {
        return Vec::new();
    }
    let Ok(styles) = xlsx.worksheet_style(&sheet.name) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (height, width) = (sheet.height() as u32, sheet.width as u32);
    for r in 0..height {
        for c in 0..width {
            let (row, col) = (sheet.start.0 + r, sheet.start.1 + c);
            let Value::Number(_) = sheet.get(row, col) else {
                continue;
            };
            let is_percent = styles
                .get((row, col))
                .and_then(|s| s.number_format.as_ref())
                .is_some_and(|f| f.format_code.contains('%'));
            if is_percent {
                out.push((row, col));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found while writing the fuzz targets: `<v>NaN</v>` and `<v>1e999</v>` were read as NaN
    /// and +∞, which then reached the records.
    #[test]
    fn fuzz_non_finite_numbers_are_num_errors() {
        for f in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(convert(Data::Float(f)), Value::Error("#NUM!".to_string()));
        }
        assert_eq!(convert(Data::Float(1.5)), Value::Number(1.5));
    }

    #[test]
    fn merges_are_still_read_where_the_sheet_has_them() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/行政改革課_指定管理施設利用者数_月別.xlsx"
        ))
        .unwrap();
        let (format, markup) =
            super::super::guard::inspect(&bytes, "a.xlsx", &Default::default()).unwrap();
        assert!(markup.merges);
        let wb = read_workbook(&bytes, format, markup).unwrap();
        assert!(!wb.sheets[0].merges.is_empty());
    }
}
