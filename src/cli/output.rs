//! Writing outputs atomically: a temporary file in the target folder, renamed into
//! place, so a crash never leaves a half-written report or export.

use std::io::Write;
use std::path::Path;

use shukei::error::Error;

/// Writes bytes to `path` atomically, creating the parent folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".shukei-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Saves a workbook atomically.
pub fn save_workbook(workbook: &mut rust_xlsxwriter::Workbook, path: &Path) -> Result<(), Error> {
    let bytes = workbook.save_to_buffer().map_err(|source| Error::Xlsx {
        path: path.to_path_buf(),
        source,
    })?;
    write_atomic(path, &bytes)
}
