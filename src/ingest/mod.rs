//! Ingestion: reading submission files into grids ([`grid`]), safely ([`guard`]), and
//! finding the indicator tables in them ([`table`]).
//!
//! This is the only code that touches calamine, csv and encoding_rs. It never panics on
//! input data: limits are checked before parsing, and a parser panic is caught and
//! reported as an unreadable file.

pub mod csv;
pub mod excel;
pub mod extract;
pub mod grid;
pub mod guard;
pub mod names;
pub mod submission;
pub mod table;
pub mod template_meta;

use std::panic::{catch_unwind, AssertUnwindSafe};

pub use grid::{Format, Sheet, Value, Workbook};
pub use guard::{Limits, Rejection};
pub use names::Matcher;
pub use submission::{read_submission, Submission};

/// A workbook read from bytes, with notes about how it was read.
#[derive(Debug)]
pub struct ReadOutcome {
    pub workbook: Workbook,
    /// The text needed replacement characters (invalid bytes in a CSV).
    pub lossy_text: bool,
}

thread_local! {
    /// The buffer the guard unpacks an xlsx into, kept per reading thread for the next
    /// file: a new one for each of 20 files of 50,000 rows faulted 16 MB in every time
    /// (CPU +8 %).
    static UNPACKED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Most of the unpacked copy's buffer kept for the next file.
const UNPACKED_KEPT: usize = 32 * 1024 * 1024;

/// Reads a submission from its bytes. `file_name` only helps to tell CSV from TSV.
///
/// # Errors
/// A [`Rejection`] when the file must not or cannot be read.
///
/// # Examples
/// ```
/// use shukei::ingest::{read_bytes, Limits};
/// let out = read_bytes("指標名,R6\n市税収納率,97.1\n".as_bytes(), "a.csv", &Limits::default()).unwrap();
/// assert_eq!(out.workbook.sheets.len(), 1);
/// ```
pub fn read_bytes(
    bytes: &[u8],
    file_name: &str,
    limits: &Limits,
) -> Result<ReadOutcome, Rejection> {
    UNPACKED.with_borrow_mut(|copy| {
        let read = read_inspected(bytes, file_name, limits, copy);
        if copy.capacity() > UNPACKED_KEPT {
            *copy = Vec::new();
        }
        read
    })
}

fn read_inspected(
    bytes: &[u8],
    file_name: &str,
    limits: &Limits,
    copy: &mut Vec<u8>,
) -> Result<ReadOutcome, Rejection> {
    let inspected = guard::inspect_for_reading(bytes, file_name, limits, copy)?;
    let (format, markup) = (inspected.format, inspected.markup);
    let bytes = if inspected.unpacked { &copy[..] } else { bytes };
    let result = catch_unwind(AssertUnwindSafe(|| match format {
        Format::Csv => {
            csv::read_csv(bytes, file_name, limits.max_cells).map(|(workbook, lossy_text)| {
                ReadOutcome {
                    workbook,
                    lossy_text,
                }
            })
        }
        .map_err(Rejection::Unreadable),
        _ => excel::read_workbook(bytes, format, markup, limits).map(|workbook| ReadOutcome {
            workbook,
            lossy_text: false,
        }),
    }));
    match result {
        Ok(result) => result,
        Err(_) => Err(Rejection::Unreadable(
            "読み取り中に内部エラーが起きました（ファイルの破損）".to_string(),
        )),
    }
}
