//! The floor for `tools/bench.sh`: a bare calamine read of every cell, in parallel
//! with rayon as shukei reads, and nothing else (no guard, no tables, no report).
//!
//! ```sh
//! cargo run --release --example bare_calamine -- DIR...
//! ```
//!
//! Prints `files=N cells=M` (non-empty cells of every worksheet).

use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Data, Reader};
use rayon::prelude::*;

fn main() {
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        walk(Path::new(&arg), &mut files);
    }
    files.sort();
    let counts: Vec<u64> = files.par_iter().map(|f| count_cells(f)).collect();
    let cells: u64 = counts.iter().sum();
    println!("files={} cells={cells}", files.len());
}

fn walk(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        if let Ok(entries) = std::fs::read_dir(path) {
            for entry in entries.flatten() {
                walk(&entry.path(), out);
            }
        }
    } else if path.extension().is_some_and(|e| e == "xlsx") {
        out.push(path.to_path_buf());
    }
}

/// Opens a workbook, reads every sheet's range and counts its non-empty cells.
fn count_cells(path: &Path) -> u64 {
    let Ok(mut workbook) = open_workbook_auto(path) else {
        eprintln!("bare_calamine: cannot open {}", path.display());
        return 0;
    };
    let names = workbook.sheet_names().to_vec();
    names
        .iter()
        .filter_map(|name| workbook.worksheet_range(name).ok())
        .map(|range| {
            range
                .used_cells()
                .filter(|(_, _, v)| **v != Data::Empty)
                .count() as u64
        })
        .sum()
}
