//! Machine-readable exports, as SPEC.md fixes them: values.csv, issues.csv (UTF-8 with a
//! BOM so that Excel opens them, LF line ends) and summary.json. Each is built in memory
//! here; the binary writes it atomically.

use std::ops::Range;

use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::consolidate::{Consolidated, FileValues, Status, ValueRow, Values};
use crate::evaluate::Grade;
use crate::model::Severity;
use crate::validate::fmt;

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
/// and written in order: the file is the same as a row-by-row write, and memory stays
/// about 2 MB whatever the number of rows (8 blocks of 1,024 rows in flight on two
/// cores; blocks of 4,096 held 7 MB, a fifth of a 2,000-file run's peak, for no
/// measurable speed).
///
/// # Errors
/// The writer's I/O error.
pub fn write_values_csv(
    out: impl std::io::Write,
    catalogue: &Catalogue,
    c: &Consolidated,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    const BLOCK: usize = 1024;
    let mut out = out;
    out.write_all(BOM)?;
    let header = [
        "indicator_id",
        "indicator_name",
        "period",
        "value",
        "unit",
        "department",
        "source_file",
        "sheet",
        "cell",
        "status",
        "raw",
    ];
    let mut w = csv_writer(Vec::new());
    w.write_record(header)?;
    out.write_all(&w.into_inner().map_err(|e| e.into_error())?)?;
    let blocks = blocks(&c.values, BLOCK);
    let window = 4 * rayon::current_num_threads().max(1);
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); window];
    for group in blocks.chunks(window) {
        buffers
            .par_iter_mut()
            .zip(group.par_iter())
            .try_for_each(|(buf, rows)| {
                buf.clear();
                let mut w = csv_writer(std::mem::take(buf));
                for (file, range) in rows {
                    for v in file.range(range.clone()) {
                        value_row(&mut w, catalogue, v)?;
                    }
                }
                *buf = w.into_inner().map_err(|e| e.into_error())?;
                Ok::<(), std::io::Error>(())
            })?;
        for buf in buffers.iter().take(group.len()) {
            out.write_all(buf)?;
        }
    }
    out.flush()
}

/// The values in blocks of at least `size` rows (the last may be smaller), in order,
/// each block made of pieces of the files' lists: one large file gives many blocks,
/// many small files share one.
fn blocks(values: &Values, size: usize) -> Vec<Vec<(&FileValues, Range<usize>)>> {
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

/// One row of values.csv.
fn value_row(w: &mut csv::Writer<Vec<u8>>, catalogue: &Catalogue, v: ValueRow) -> csv::Result<()> {
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
    for f in &c.findings {
        w.write_record([
            f.severity.code(),
            f.code,
            &f.at.file,
            f.at.sheet.as_deref().unwrap_or(""),
            &f.at.a1(),
            f.indicator_id.as_deref().unwrap_or(""),
            &f.message,
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
    let count = |s: Status| c.values.iter().filter(|v| v.status() == s).count();
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
            used: count(Status::Used),
            superseded: count(Status::Superseded),
            conflict: count(Status::Conflict),
            rejected: count(Status::Rejected),
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
    use crate::values::test_file;

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
