//! Machine-readable exports, as SPEC.md fixes them: values.csv, issues.csv (UTF-8 with a
//! BOM so that Excel opens them, LF line ends) and summary.json. Each is built in memory
//! here; the binary writes it atomically.

use std::ops::Range;

use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::consolidate::{Consolidated, FileValues, ValueRow, Values};
use crate::evaluate::Grade;
use crate::ingest::grid::Number;
use crate::model::{Period, Severity};

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) fn writer() -> csv::Writer<Vec<u8>> {
    let mut buf = Vec::with_capacity(64 * 1024);
    buf.extend_from_slice(BOM);
    csv_writer(buf)
}

pub(crate) fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    // Writing into a Vec cannot fail; into_inner only flushes.
    w.into_inner().unwrap_or_default()
}

/// values.csv: one row per value read (columns of SPEC.md, then `raw`, the cell's text).
pub fn values_csv(catalogue: &Catalogue, c: &Consolidated) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * 1024);
    // Writing into a Vec cannot fail.
    let _ = write_values_csv(&mut out, catalogue, c);
    out
}

/// Streams values.csv into a writer (a file: values.csv can hold millions of rows, so
/// it is not built in memory first).
///
/// Rows are formatted in parallel, a window of blocks at a time into reused buffers,
/// and written in order: the file is the same as a row-by-row write. While one window
/// is written, the next is formatted (two sets of buffers). Memory stays about 2 MB
/// whatever the number of rows (2 × 4 blocks of 1,024 rows on two cores; blocks of
/// 4,096 held 7 MB, a fifth of a 2,000-file run's peak, for no measurable speed).
///
/// # Errors
/// The writer's I/O error.
pub fn write_values_csv(
    out: impl std::io::Write + Send,
    catalogue: &Catalogue,
    c: &Consolidated,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    const BLOCK: usize = 1024;
    let mut out = out;
    out.write_all(BOM)?;
    out.write_all(VALUES_HEADER)?;
    let blocks = blocks(&c.values, BLOCK);
    let window = 2 * rayon::current_num_threads().max(1);
    let format = |buffers: &mut [Vec<u8>], group: &[Block]| {
        buffers
            .par_iter_mut()
            .zip(group.par_iter())
            .for_each(|(buf, pieces)| {
                buf.clear();
                for (file, range) in pieces {
                    let fields = FileFields::new(catalogue, file);
                    for v in file.range(range.clone()) {
                        fields.push_row(buf, v);
                    }
                }
            });
    };
    // `ready[..pending]` is the formatted window waiting to be written.
    let mut ready: Vec<Vec<u8>> = vec![Vec::new(); window];
    let mut spare: Vec<Vec<u8>> = vec![Vec::new(); window];
    let mut pending = 0;
    for group in blocks.chunks(window) {
        let (written, ()) = rayon::join(
            || write_buffers(&mut out, &ready[..pending]),
            || format(&mut spare, group),
        );
        written?;
        std::mem::swap(&mut ready, &mut spare);
        pending = group.len();
    }
    write_buffers(&mut out, &ready[..pending])?;
    out.flush()
}

fn write_buffers(out: &mut impl std::io::Write, buffers: &[Vec<u8>]) -> std::io::Result<()> {
    buffers.iter().try_for_each(|buf| out.write_all(buf))
}

/// values.csv's first line (the columns of SPEC.md, then `raw`, the cell's text).
const VALUES_HEADER: &[u8] =
    b"indicator_id,indicator_name,period,value,unit,department,source_file,sheet,cell,status,raw\n";

/// Pieces of the files' value lists written as one buffer of values.csv.
type Block<'a> = Vec<(&'a FileValues, Range<usize>)>;

/// The fields of values.csv that many rows of a file share, written and escaped once:
/// `id,name,` and `unit,` of each of the file's indicators, and `department,file,sheet,`
/// of each of its places. A row then adds only its period, value, cell, status and
/// text. (Every field through the csv crate, and the numbers through `format!`, took
/// 5,580 instructions a row; now 1,170, counted with callgrind.)
struct FileFields {
    indicator: Vec<Vec<u8>>,
    unit: Vec<Vec<u8>>,
    place: Vec<Vec<u8>>,
}

impl FileFields {
    fn new(catalogue: &Catalogue, list: &FileValues) -> Self {
        let mut indicator = Vec::with_capacity(list.ids().len());
        let mut unit = Vec::with_capacity(list.ids().len());
        for id in list.ids() {
            let ind = catalogue.indicator(id);
            let mut head = Vec::new();
            push_field(&mut head, id);
            head.push(b',');
            push_field(&mut head, ind.map_or("", |i| i.name.as_str()));
            head.push(b',');
            indicator.push(head);
            let mut symbol = Vec::new();
            push_field(&mut symbol, ind.map_or("", |i| i.unit.symbol()));
            symbol.push(b',');
            unit.push(symbol);
        }
        let department = list.department().unwrap_or("");
        let place = list
            .places()
            .iter()
            .map(|(file, sheet)| {
                let mut fields = Vec::new();
                push_field(&mut fields, department);
                fields.push(b',');
                push_field(&mut fields, file);
                fields.push(b',');
                push_field(&mut fields, sheet.as_deref().unwrap_or(""));
                fields.push(b',');
                fields
            })
            .collect();
        FileFields {
            indicator,
            unit,
            place,
        }
    }

    /// Appends one row of values.csv, the same bytes as the csv crate writes (see the
    /// tests).
    fn push_row(&self, out: &mut Vec<u8>, v: ValueRow) {
        let empty = [b','; 3];
        let comma = |n: usize| empty.get(..n).unwrap_or_default();
        // A list's rows only number its own IDs and places; an unknown one still
        // gives its columns, empty.
        let id = v.id_number();
        out.extend_from_slice(self.indicator.get(id).map_or(comma(2), Vec::as_slice));
        push_period(out, v.period());
        out.push(b',');
        push_number(out, v.value());
        out.push(b',');
        out.extend_from_slice(self.unit.get(id).map_or(comma(1), Vec::as_slice));
        let place = v.place_number();
        out.extend_from_slice(self.place.get(place).map_or(comma(3), Vec::as_slice));
        if let Some((row, col)) = v.cell() {
            push_column(out, col);
            push_digits(out, u64::from(row) + 1, 1);
        }
        out.push(b',');
        out.extend_from_slice(v.status().code().as_bytes());
        out.push(b',');
        push_field(out, v.raw());
        out.push(b'\n');
    }
}

// The numbers of a row, written digit by digit: through `write!` and the types'
// `Display` a row took twice the instructions. Each writes what that `Display`
// writes (the tests compare them).

/// `FY2024` or `2024-04`, as [`crate::model::Period`]'s `Display`.
fn push_period(out: &mut Vec<u8>, period: Period) {
    match period {
        Period::Year(fy) => {
            out.extend_from_slice(b"FY");
            push_digits(out, u64::from(fy.0), 1);
        }
        Period::Month(m) => {
            push_digits(out, u64::from(m.year), 4);
            out.push(b'-');
            push_digits(out, u64::from(m.month), 2);
        }
    }
}

/// A value as [`Number`] writes it: integers without `.0`, others as Rust prints them.
fn push_number(out: &mut Vec<u8>, n: f64) {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        let i = n as i64;
        if i < 0 {
            out.push(b'-');
        }
        push_digits(out, i.unsigned_abs(), 1);
    } else {
        use std::io::Write;
        // Writing into a Vec cannot fail.
        let _ = write!(out, "{}", Number(n));
    }
}

/// A column's letters, as in [`crate::model::CellName`].
fn push_column(out: &mut Vec<u8>, col: u32) {
    let (letters, at) = crate::model::column_letters(col);
    out.extend_from_slice(letters.get(at..).unwrap_or_default());
}

/// `n` in decimal, zero-padded to at least `width` digits. Through itoa, two digits at a
/// time from a table: a digit at a time was 30 % of values.csv's formatting (20
/// instructions a digit, 12 digits a row, counted with callgrind).
fn push_digits(out: &mut Vec<u8>, n: u64, width: usize) {
    let mut buffer = itoa::Buffer::new();
    let digits = buffer.format(n).as_bytes();
    out.extend(std::iter::repeat_n(
        b'0',
        width.saturating_sub(digits.len()),
    ));
    out.extend_from_slice(digits);
}

/// Appends a field as the csv crate writes it with its defaults and `\n` line ends:
/// in quotes, with quotes doubled, when it holds a comma, a quote, CR or LF.
fn push_field(out: &mut Vec<u8>, field: &str) {
    let bytes = field.as_bytes();
    if bytes
        .iter()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
    {
        out.push(b'"');
        for &b in bytes {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(bytes);
    }
}

/// The values in blocks of at least `size` rows (the last may be smaller), in order,
/// each block made of pieces of the files' lists: one large file gives many blocks,
/// many small files share one.
fn blocks(values: &Values, size: usize) -> Vec<Block<'_>> {
    let size = size.max(1);
    let mut out = Vec::new();
    let mut block = Vec::new();
    let mut rows = 0;
    let pieces = values.per_file().flat_map(|list| {
        (0..list.len())
            .step_by(size)
            .map(move |start| (list, start..(start + size).min(list.len())))
    });
    for piece in pieces {
        rows += piece.1.len();
        block.push(piece);
        if rows >= size {
            out.push(std::mem::take(&mut block));
            rows = 0;
        }
    }
    if !block.is_empty() {
        out.push(block);
    }
    out
}

fn csv_writer<W: std::io::Write>(buf: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(buf)
}

/// issues.csv: one row per finding (columns of SPEC.md, then `hint`, how to fix it).
pub fn issues_csv(c: &Consolidated) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * 1024);
    // Writing into a Vec cannot fail.
    let _ = write_issues_csv(&mut out, c);
    out
}

/// Writes issues.csv row by row to `out` (see [`issues_csv`]): memory stays flat
/// however many findings there are.
///
/// # Errors
/// The writer's I/O error.
pub fn write_issues_csv(mut out: impl std::io::Write, c: &Consolidated) -> std::io::Result<()> {
    out.write_all(BOM)?;
    let mut w = csv_writer(out);
    w.write_record([
        "severity",
        "code",
        "source_file",
        "sheet",
        "cell",
        "indicator_id",
        "message",
        "hint",
    ])?;
    let mut message = String::new();
    for f in &c.findings {
        message.clear();
        // Writing to a String cannot fail.
        let _ = std::fmt::Write::write_fmt(&mut message, format_args!("{}", f.message()));
        w.write_record([
            f.severity.code(),
            f.code,
            &f.at.file,
            f.at.sheet.as_deref().unwrap_or(""),
            &f.at.a1(),
            f.indicator_id.as_deref().unwrap_or(""),
            &message,
            f.hint,
        ])?;
    }
    w.flush()
}

/// The run summary (summary.json, `--json`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    pub period: Option<String>,
    pub period_label: Option<String>,
    pub catalogue_version: String,
    pub files: FileCounts,
    pub values: ValueCounts,
    pub issues: IssueCounts,
    pub indicators: IndicatorCounts,
    pub evaluation: Vec<GradeCount>,
    pub departments: Vec<DepartmentSummary>,
    pub outputs: Outputs,
    pub exit_code: i32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FileCounts {
    pub total: usize,
    pub read: usize,
    pub failed: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ValueCounts {
    pub total: usize,
    pub used: usize,
    pub superseded: usize,
    pub conflict: usize,
    pub rejected: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IssueCounts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IndicatorCounts {
    pub reported: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GradeCount {
    pub grade: &'static str,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DepartmentSummary {
    pub department: String,
    pub status: &'static str,
    pub files: usize,
    pub owed: Vec<String>,
}

/// Paths written by the run (absent ones are `null`).
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Outputs {
    pub report: Option<String>,
    pub values_csv: Option<String>,
    pub issues_csv: Option<String>,
    pub summary_json: Option<String>,
    /// The consolidated figures as open data (`opendata.csv`).
    pub opendata_csv: Option<String>,
    pub feedback: Vec<String>,
}

/// Exit code of a run that produced its outputs: 1 when there are error findings.
pub fn exit_code(c: &Consolidated) -> i32 {
    i32::from(c.findings.iter().any(|f| f.severity == Severity::Error))
}

/// Builds the summary.
pub fn summary(catalogue: &Catalogue, c: &Consolidated, outputs: Outputs) -> Summary {
    let counts = c.values.status_counts();
    let (error, warning, info) = c.counts();
    let failed = c.files.iter().filter(|f| f.failed).count();
    Summary {
        period: c.period.map(|p| p.code()),
        period_label: c.period.map(|p| p.label_ja()),
        catalogue_version: catalogue.version.clone(),
        files: FileCounts {
            total: c.files.len(),
            read: c.files.len() - failed,
            failed,
        },
        values: ValueCounts {
            total: c.values.len(),
            used: counts.used,
            superseded: counts.superseded,
            conflict: counts.conflict,
            rejected: counts.rejected,
        },
        issues: IssueCounts {
            error,
            warning,
            info,
        },
        indicators: IndicatorCounts {
            reported: c.reported_count(catalogue),
            total: catalogue.indicators.len(),
        },
        evaluation: Grade::ALL
            .iter()
            .map(|g| GradeCount {
                grade: g.label_ja(),
                count: c.evaluations.iter().filter(|e| e.grade == *g).count(),
            })
            .collect(),
        departments: c
            .departments
            .iter()
            .map(|d| DepartmentSummary {
                department: d.department.clone(),
                status: d.standing.label_ja(),
                files: d.files.len(),
                owed: d.owed.clone(),
            })
            .collect(),
        outputs,
        exit_code: exit_code(c),
    }
}

/// summary.json as pretty JSON with a trailing newline.
pub fn summary_json(summary: &Summary) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(summary).unwrap_or_default();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consolidate::Status;
    use crate::values::test_file;

    use crate::model::{CellRef, FiscalYear, Month, Record};
    use crate::validate::fmt;
    use std::sync::Arc;

    /// One row of values.csv through the csv crate: what [`FileFields::push_row`] must
    /// write.
    fn value_row(
        w: &mut csv::Writer<Vec<u8>>,
        catalogue: &Catalogue,
        v: ValueRow,
    ) -> csv::Result<()> {
        let ind = catalogue.indicator(v.indicator_id());
        w.write_record([
            v.indicator_id(),
            ind.map_or("", |i| i.name.as_str()),
            &v.period().code(),
            &fmt(v.value()),
            ind.map_or("", |i| i.unit.symbol()),
            v.department().unwrap_or(""),
            v.file(),
            v.sheet().unwrap_or(""),
            &v.a1(),
            v.status().code(),
            v.raw(),
        ])
    }

    #[test]
    fn values_rows_are_the_bytes_the_csv_crate_writes() {
        let catalogue = Catalogue::builtin();
        let texts = [
            "",
            "1",
            "1,234",
            "say \"hi\"",
            "a\nb",
            "a\rb",
            "\"",
            ",",
            "１２３",
            "△1",
            "x y",
        ];
        let ids = ["30-0-1", "32-0-3", "99-9-9", "x,y", ""];
        let periods = [
            Period::Year(FiscalYear(2024)),
            Period::Month(Month {
                year: 2025,
                month: 1,
            }),
            Period::Month(Month {
                year: 999,
                month: 12,
            }),
        ];
        let values = [
            1.0,
            66.8,
            -0.0,
            1e20,
            0.1 + 0.2,
            -3.5,
            1e15,
            999_999_999_999_999.0,
            f64::NAN,
            0.0,
            -12.0,
            -1e15,
            -999_999_999_999_999.0,
            1e-7,
            f64::INFINITY,
            10.0,
            100.0,
        ];
        let sheets = [Some("指標"), None, Some("シート,\"1\""), Some("")];
        let cells = [
            Some((0, 0)),
            None,
            Some((1_048_575, 16_383)),
            Some((11, 26)),
        ];
        let files = ["課/a.xlsx", "課/\"b\".csv", "c,d.xlsx"];
        let statuses = [
            Status::Used,
            Status::Superseded,
            Status::Conflict,
            Status::Rejected,
        ];
        for department in [Some("総務課, 庶務"), None, Some("財政課")] {
            let mut list = FileValues::default();
            list.set_department(department.map(Arc::from));
            for i in 0..500usize {
                let pick = |n: usize, k: usize| (i / k) % n;
                let record = Record {
                    indicator_id: ids[pick(ids.len(), 1)].into(),
                    period: periods[pick(periods.len(), 2)],
                    value: values[pick(values.len(), 3)],
                    raw: texts[pick(texts.len(), 1)].to_string(),
                    at: CellRef {
                        file: Arc::from(files[pick(files.len(), 5)]),
                        sheet: sheets[pick(sheets.len(), 7)].map(Arc::from),
                        cell: cells[pick(cells.len(), 11)],
                    },
                };
                list.push(record, statuses[pick(statuses.len(), 13)]);
            }
            let mut expected = csv_writer(Vec::new());
            for v in list.iter() {
                value_row(&mut expected, &catalogue, v).unwrap();
            }
            let expected = String::from_utf8(expected.into_inner().unwrap()).unwrap();
            let fields = FileFields::new(&catalogue, &list);
            let mut fast = Vec::new();
            for v in list.iter() {
                fields.push_row(&mut fast, v);
            }
            let fast = String::from_utf8(fast).unwrap();
            assert_eq!(fast.lines().count(), expected.lines().count());
            for (a, b) in fast.split('\n').zip(expected.split('\n')) {
                assert_eq!(a, b);
            }
            assert_eq!(fast, expected);
        }
        let header = csv_writer(Vec::new());
        let mut header = header;
        header
            .write_record(String::from_utf8_lossy(VALUES_HEADER).trim_end().split(','))
            .unwrap();
        assert_eq!(header.into_inner().unwrap(), VALUES_HEADER);
    }

    #[test]
    fn blocks_split_large_files_and_gather_small_ones_in_order() {
        let list = |file: &str, n: u32| test_file(file, 0..n);
        let values = Values::from_files(vec![
            list("a", 3),
            list("b", 0),
            list("c", 10),
            list("d", 2),
            list("e", 1),
        ]);
        let blocks = blocks(&values, 4);
        let sizes: Vec<Vec<usize>> = blocks
            .iter()
            .map(|b| b.iter().map(|(_, range)| range.len()).collect())
            .collect();
        // a(3)+c(4 of 10) | c(4) | c(2)+d(2) | e(1)
        assert_eq!(sizes, [vec![3, 4], vec![4], vec![2, 2], vec![1]]);
        let flat: Vec<(&str, f64)> = blocks
            .iter()
            .flatten()
            .flat_map(|(file, range)| file.range(range.clone()))
            .map(|v| (v.file(), v.value()))
            .collect();
        let expected: Vec<(&str, f64)> = values.iter().map(|v| (v.file(), v.value())).collect();
        assert_eq!(flat, expected);
        assert!(super::blocks(&Values::default(), 4).is_empty());
    }
}
