//! Reads Excel and OpenDocument workbooks through calamine into a [`Workbook`] grid.
//!
//! Only called after [`super::guard::check`] accepted the bytes. Formula cells give their
//! cached values; merged regions come from xlsx and xls (calamine has none for ods and
//! xlsb), for an xlsx only when the guard saw `mergeCell` markup (calamine reads the
//! sheet again up to them). An xlsx usually arrives as the guard's copy, with its
//! sheets and shared strings already inflated and a sheet's merged cells moved to its
//! start ([`super::guard::inspect_for_reading`]).
//!
//! An xlsx sheet is streamed through calamine's cell reader into the grid: values and
//! formula cells in one pass, percent number formats from a second, light pass only
//! when the workbook has a percent format. Its cells are bounded as they come
//! ([`GridBuilder`]), which is what keeps a hostile position from reaching an
//! allocation. Other formats go through calamine's `worksheet_range`, after the guard
//! bounded their cell records.
//!
//! For the machine-readability lint ([`crate::lint`]) two more facts are read cheaply:
//! which cells hold formulas, and whether the zip holds pictures, shapes or charts (its
//! entry names only; nothing is decompressed).

use std::io::Cursor;

use calamine::{Data, Dimensions, Reader, SheetVisible, Sheets, Xlsx, XlsxFormulaMetadata};

use super::grid::{Format, Merge, Sheet, Value, Visibility, Workbook};
use super::guard::{check_area, check_grid, Limits, Markup, Rejection};

/// Reads every sheet of a workbook held in memory.
///
/// # Errors
/// A [`Rejection`]: the calamine error text (in English) when the workbook is damaged,
/// or a limit when an xlsx sheet's cells lie outside Excel's grid or span more cells
/// than allowed.
pub fn read_workbook(
    bytes: &[u8],
    format: Format,
    markup: Markup,
    limits: &Limits,
) -> Result<Workbook, Rejection> {
    let cursor = Cursor::new(bytes);
    let mut sheets: Sheets<Cursor<&[u8]>> = match format {
        Format::Xlsx => Sheets::Xlsx(open(cursor)?),
        Format::Xlsb => Sheets::Xlsb(open(cursor)?),
        Format::Xls => Sheets::Xls(open(cursor)?),
        Format::Ods => Sheets::Ods(open(cursor)?),
        Format::Csv => return Err(unreadable("CSV は excel リーダーでは読みません")),
    };
    let metadata = sheets.sheets_metadata().to_vec();
    let defined_names = sheets.defined_names().to_vec();
    let mut out = Vec::with_capacity(metadata.len());
    for meta in metadata {
        if meta.typ != calamine::SheetType::WorkSheet {
            continue;
        }
        let mut sheet = Sheet::new(meta.name.clone(), visibility(meta.visible));
        match &mut sheets {
            Sheets::Xlsx(xlsx) => read_xlsx_sheet(xlsx, &mut sheet, limits)?,
            other => read_range(other, &mut sheet)?,
        }
        if markup.merges {
            sheet.merges = merges(&mut sheets, &meta.name);
        }
        out.push(sheet);
    }
    Ok(Workbook {
        format,
        sheets: out,
        defined_names,
        encoding: None,
        has_drawings: markup.drawings,
    })
}

/// An xlsx sheet, streamed through calamine's cell reader straight into the grid:
/// values (moved, not copied) and which cells hold formulas in one pass. Nothing is
/// allocated from the sheet's declared dimension or from far cell positions
/// (calamine's `worksheet_range` would build a sparse list, then a dense range of
/// every cell, then a copy of that), and the cells are bounded by [`GridBuilder`] as
/// they come. Percent formats need the cells' style ids, which a second, lighter pass
/// reads, only when the workbook has a percent format at all.
fn read_xlsx_sheet(
    xlsx: &mut Xlsx<Cursor<&[u8]>>,
    sheet: &mut Sheet,
    limits: &Limits,
) -> Result<(), Rejection> {
    let name = sheet.name.clone();
    let damaged = |e: calamine::XlsxError| unreadable(format!("{name}: {e}"));
    let mut reader = match xlsx.worksheet_cells_reader(&name) {
        Ok(reader) => reader,
        // a chartsheet or dialog sheet listed as a worksheet: nothing to read, as
        // calamine's own `worksheet_range` treats it
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(()),
        Err(e) => return Err(damaged(e)),
    };
    let percent_styles: Vec<bool> = reader
        .styles()
        .iter()
        .map(|s| {
            s.number_format
                .as_ref()
                .is_some_and(|f| f.format_code.contains('%'))
        })
        .collect();
    let mut grid = GridBuilder::new(&name, limits, reader.dimensions().len());
    let mut formulas = Vec::new();
    let mut numbers = false;
    while let Some(record) = reader.next_cell_with_formula_metadata().map_err(damaged)? {
        let (row, col) = record.pos;
        let has_formula = match &record.formula {
            Some(XlsxFormulaMetadata::Normal { formula })
            | Some(XlsxFormulaMetadata::Shared { formula, .. }) => !formula.trim().is_empty(),
            Some(_) => true, // a cell of a shared formula (not expanded)
            None => false,
        };
        if has_formula {
            formulas.push((row, col));
        }
        let value = convert(Data::from(record.value));
        numbers |= matches!(value, Value::Number(_));
        grid.push(row, col, value)?;
    }
    drop(reader);
    grid.finish(sheet);
    formulas.sort_unstable();
    formulas.dedup();
    sheet.formula_cells = formulas;
    if numbers && percent_styles.contains(&true) {
        sheet.percent_cells = xlsx_percent_cells(xlsx, sheet, &percent_styles).map_err(damaged)?;
    }
    Ok(())
}

/// Absolute positions of the number cells of an xlsx sheet whose style is a percent
/// format, sorted.
fn xlsx_percent_cells(
    xlsx: &mut Xlsx<Cursor<&[u8]>>,
    sheet: &Sheet,
    percent_styles: &[bool],
) -> Result<Vec<(u32, u32)>, calamine::XlsxError> {
    let mut reader = xlsx.worksheet_cells_reader(&sheet.name)?;
    let mut out = Vec::new();
    while let Some((row, col, style)) = reader.next_style_id()? {
        if percent_styles.get(style) == Some(&true)
            && matches!(sheet.get(row, col), Value::Number(_))
        {
            out.push((row, col));
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// A sheet of the other formats through calamine's dense range, with its merged
/// regions and formula cells where the format has them.
fn read_range(sheets: &mut Sheets<Cursor<&[u8]>>, sheet: &mut Sheet) -> Result<(), Rejection> {
    let mut range = sheets
        .worksheet_range(&sheet.name)
        .map_err(|e| unreadable(format!("{}: {e}", sheet.name)))?;
    sheet.start = range.start().unwrap_or((0, 0));
    sheet.width = range.width();
    // Sized up front: collecting from the flattened rows grew the vector by doubling.
    let mut cells = Vec::with_capacity(range.height() * range.width());
    // Rows are taken, not cloned: the range is dropped after this, so its strings
    // move into the grid.
    for r in 0..range.height() {
        cells.extend(range[r].iter_mut().map(|d| convert(std::mem::take(d))));
    }
    sheet.cells = cells;
    sheet.formula_cells = formula_cells(sheets, &sheet.name);
    Ok(())
}

/// The cells of a sheet as a reader streams them (in any order, non-empty ones only),
/// then laid out as the dense block of their bounding box.
///
/// A cell outside Excel's grid, or a bounding box over [`Limits::max_cells`], refuses
/// the file before anything is allocated for it: the check that calamine's own range
/// building lacks (it aborts the process on `A1` + `XFD1048576`).
struct GridBuilder<'a> {
    sheet: &'a str,
    limits: Limits,
    cells: Vec<(u32, u32, Value)>,
    /// (first row, first col, last row, last col), 0-based, inclusive.
    bounds: Option<(u32, u32, u32, u32)>,
}

impl<'a> GridBuilder<'a> {
    /// `hint`: the number of cells the sheet declares (its `<dimension>`), trusted up
    /// to a million cells for the first allocation only.
    fn new(sheet: &'a str, limits: &Limits, hint: u64) -> Self {
        let mut cells = SPARE_LIST.with(|spare| std::mem::take(&mut *spare.borrow_mut()));
        cells.reserve(hint.min(SPARE_LIST_MAX as u64) as usize);
        GridBuilder {
            sheet,
            limits: *limits,
            cells,
            bounds: None,
        }
    }

    /// Adds a cell (0-based absolute position); empty ones are left out, as calamine's
    /// ranges leave them out of the bounds.
    ///
    /// # Errors
    /// [`Rejection::Limit`] for a cell outside Excel's grid, a bounding box over the
    /// cell limit, or more cells than the limit.
    fn push(&mut self, row: u32, col: u32, value: Value) -> Result<(), Rejection> {
        if value == Value::Empty {
            return Ok(());
        }
        let bounds = match self.bounds {
            None => (row, col, row, col),
            Some((r0, c0, r1, c1)) => (r0.min(row), c0.min(col), r1.max(row), c1.max(col)),
        };
        if self.bounds != Some(bounds) {
            let one_based = Some((
                u64::from(bounds.0) + 1,
                u64::from(bounds.1) + 1,
                u64::from(bounds.2) + 1,
                u64::from(bounds.3) + 1,
            ));
            check_grid(one_based, self.sheet)?;
            check_area(one_based, self.sheet, &self.limits)?;
            self.bounds = Some(bounds);
        }
        // Within the area, but one cell may be written many times over.
        if self.cells.len() as u64 >= self.limits.max_cells {
            return Err(Rejection::Limit(format!(
                "{} のセルが {} 個を超えています",
                self.sheet, self.limits.max_cells
            )));
        }
        self.cells.push((row, col, value));
        Ok(())
    }

    /// Lays the cells out densely in `sheet` (a later cell at the same position wins).
    fn finish(mut self, sheet: &mut Sheet) {
        if let Some((r0, c0, r1, c1)) = self.bounds {
            let width = (c1 - c0) as usize + 1;
            let height = (r1 - r0) as usize + 1;
            let mut dense = super::grid::empty_cells(width * height);
            for (row, col, value) in self.cells.drain(..) {
                let at = (row - r0) as usize * width + (col - c0) as usize;
                if let Some(slot) = dense.get_mut(at) {
                    *slot = value;
                }
            }
            sheet.start = (r0, c0);
            sheet.width = width;
            sheet.cells = dense;
        }
        // Empty now: drained, or never filled (no cell gives no bounds).
        if self.cells.capacity() <= SPARE_LIST_MAX {
            SPARE_LIST.with(|spare| *spare.borrow_mut() = self.cells);
        }
    }
}

thread_local! {
    /// The cell list of the sheet this thread read last, empty, for its next sheet: a
    /// 50,000-row sheet's list is 20 MB that the kernel must zero page by page, once
    /// per sheet, when it is new (and again when the allocator has given it back).
    static SPARE_LIST: std::cell::RefCell<Vec<(u32, u32, Value)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The largest list kept for the next sheet, in cells (40 bytes each).
const SPARE_LIST_MAX: usize = 1 << 20;

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

fn open<'a, R>(cursor: Cursor<&'a [u8]>) -> Result<R, Rejection>
where
    R: Reader<Cursor<&'a [u8]>>,
    R::Error: std::fmt::Display,
{
    R::new(cursor).map_err(|e| unreadable(e.to_string()))
}

/// A calamine error as a rejection: password-protected workbooks are told apart.
fn unreadable(reason: impl Into<String>) -> Rejection {
    let reason = reason.into();
    if reason.to_lowercase().contains("password") {
        Rejection::Encrypted
    } else {
        Rejection::Unreadable(reason)
    }
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
        let wb = read_workbook(&bytes, format, markup, &Default::default()).unwrap();
        assert!(!wb.sheets[0].merges.is_empty());
    }

    /// A one-sheet xlsx around `sheet_data` (the inside of `<sheetData>`), deflated as
    /// Excel writes it.
    fn xlsx_with(sheet_data: &str) -> Vec<u8> {
        use std::io::Write;
        let parts = [
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
            ),
            (
                "xl/workbook.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
            ),
            (
                "xl/worksheets/sheet1.xml",
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
                ),
            ),
        ];
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in parts {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn read(sheet_data: &str) -> Result<Workbook, &'static str> {
        crate::ingest::read_bytes(&xlsx_with(sheet_data), "a.xlsx", &Limits::default())
            .map(|out| out.workbook)
            .map_err(|r| r.code())
    }

    #[test]
    fn xlsx_cells_stream_into_their_bounding_box() {
        let wb = read(r#"<row r="3"><c r="C3" t="inlineStr"><is><t>指標名</t></is></c><c r="D3" s="0"></c></row><row r="5"><c r="B5"><v>97.1</v></c></row>"#).unwrap();
        let sheet = &wb.sheets[0];
        // the empty D3 does not widen the block, as in calamine's ranges
        assert_eq!((sheet.start, sheet.end()), ((2, 1), (5, 3)));
        assert_eq!(sheet.get(2, 2), &Value::Text("指標名".into()));
        assert_eq!(sheet.get(4, 1), &Value::Number(97.1));
        assert!(sheet.formula_cells.is_empty() && sheet.percent_cells.is_empty());
    }

    /// Cells without `r` are placed by their row's `r` and the cells before them (the
    /// self-closing `<c/>` counts as a cell but holds nothing).
    #[test]
    fn xlsx_cells_without_r_follow_their_row() {
        let wb = read(r#"<row r="3"><c><v>1</v></c><c></c><c><v>2</v></c></row><row><c s="1"></c><c><v>3</v></c></row>"#).unwrap();
        let sheet = &wb.sheets[0];
        assert_eq!(sheet.get(2, 0), &Value::Number(1.0));
        assert_eq!(sheet.get(2, 2), &Value::Number(2.0));
        assert_eq!(sheet.get(3, 1), &Value::Number(3.0));
    }

    /// Found while writing the fuzz targets (this came from reading calamine): cells
    /// that calamine places far away made its `worksheet_range` allocate 512 GiB and
    /// abort the process. The cells are now bounded as they stream in, whatever the
    /// spelling of their position. Each sheet is A1 plus a cell at row 1,048,576 or
    /// column XFD.
    #[test]
    fn fuzz_far_cells_in_every_spelling_are_refused() {
        let sheets = [
            // a cell without `r`, placed by its row's `r`
            r#"<row r="1"><c r="XFD1"><v>1</v></c></row><row r="1048576"><c><v>1</v></c></row>"#,
            // a namespace prefix
            r#"<row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="XFD1048576"><x:v>1</x:v></x:c></row>"#,
            // a tab before the attribute
            "<row r=\"1\"><c r=\"A1\"><v>1</v></c><c\tr=\"XFD1048576\"><v>1</v></c></row>",
            // single quotes
            r#"<row r="1"><c r="A1"><v>1</v></c><c r='XFD1048576'><v>1</v></c></row>"#,
            // a `>` inside an attribute value before `r`
            r#"<row r="1"><c r="A1"><v>1</v></c><c x=">" r="XFD1048576"><v>1</v></c></row>"#,
            // a formula cell without `r` and a 10-digit row (fuzz crash-22ec35aa)
            r#"<row><c><f>1</f><v>1</v></c><c r="BRXS4294967232" t="e" s="0"><v>#N/A</v></c></row>"#,
        ];
        for xml in sheets {
            assert_eq!(read(xml).err(), Some("E-FILE-LIMIT"), "{xml}");
        }
        // lower-case letters: calamine does not take them as a position at all
        let lower = r#"<row r="1"><c r="A1"><v>1</v></c><c r="xfd1048576"><v>1</v></c></row>"#;
        assert!(read(lower).is_err());
    }

    /// Fuzz finding (xlsx_zip target, crash-665e60c4): `<row r="4294967295">`, then
    /// two rows without `r`: calamine's u32 row count wraps to 0 and its range spanned
    /// 2^32 rows. Cells outside Excel's grid are refused.
    #[test]
    fn fuzz_xlsx_rows_past_u32_are_refused() {
        let xml =
            r#"<row r="4294967295"><c><v>1</v></c></row><row></row><row><c><v>2</v></c></row>"#;
        let got = read(xml).err();
        assert!(
            matches!(got, Some("E-FILE-LIMIT" | "E-FILE-UNREADABLE")),
            "{got:?}"
        );
        assert_eq!(
            read(r#"<row r="1048577"><c><v>1</v></c></row>"#).err(),
            Some("E-FILE-LIMIT")
        );
        // the last row and column of the grid are fine on their own
        let last = read(r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#).unwrap();
        assert_eq!(last.sheets[0].start, (1_048_575, 16_383));
    }

    /// One cell written over and over stays within the area but not within the cell
    /// count.
    #[test]
    fn repeated_cells_count_against_the_limit() {
        let xml = r#"<row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c><c r="A1"><v>3</v></c></row>"#;
        let limits = Limits {
            max_cells: 2,
            ..Limits::default()
        };
        let got = crate::ingest::read_bytes(&xlsx_with(xml), "a.xlsx", &limits);
        assert_eq!(got.err().map(|r| r.code()), Some("E-FILE-LIMIT"));
        // within the limit, the last one wins
        assert_eq!(read(xml).unwrap().sheets[0].get(0, 0), &Value::Number(3.0));
    }

    /// Fuzz finding (the stable `replay` mutator on read_workbook, seed far_cell.xlsx):
    /// one flipped bit renamed `xl/worksheets/sheet1.xml` to `sheet1.xMl`; the guard
    /// skipped it by name, calamine still read it and aborted on 512 GiB. Now the
    /// cells are bounded wherever the sheet is stored.
    #[test]
    fn fuzz_renamed_sheet_entry_is_still_bounded() {
        let far = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/hostile/far_cell.xlsx"
        ))
        .unwrap();
        let needle = b"xl/worksheets/sheet1.xml";
        let mut renamed = far.clone();
        let mut at = 0;
        while let Some(i) = memchr::memmem::find(&renamed[at..], needle) {
            renamed[at + i + needle.len() - 2] = b'M';
            at += i + needle.len();
        }
        assert_ne!(renamed, far);
        for bytes in [far, renamed] {
            let got = crate::ingest::read_bytes(&bytes, "far_cell.xlsx", &Limits::default());
            let code = got.err().map(|r| r.code());
            assert!(
                matches!(code, Some("E-FILE-LIMIT" | "E-FILE-UNREADABLE")),
                "{code:?}"
            );
        }
    }

    #[test]
    fn percent_formats_and_formulas_come_with_the_cells() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/行政改革課_令和6年度実績.xlsx"
        ))
        .unwrap();
        let wb = crate::ingest::read_bytes(&bytes, "a.xlsx", &Limits::default())
            .unwrap()
            .workbook;
        let percent: usize = wb.sheets.iter().map(|s| s.percent_cells.len()).sum();
        assert!(percent > 0, "no percent cells");
        let formulas = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/財政課_報告_20241120.xlsx"
        ))
        .unwrap();
        let wb2 = crate::ingest::read_bytes(&formulas, "b.xlsx", &Limits::default())
            .unwrap()
            .workbook;
        assert!(wb2.sheets.iter().any(|s| !s.formula_cells.is_empty()));
        for sheet in &wb.sheets {
            for &(r, c) in &sheet.percent_cells {
                assert!(matches!(sheet.get(r, c), Value::Number(_)));
            }
        }
    }
}
