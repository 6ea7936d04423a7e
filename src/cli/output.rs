//! Writing outputs atomically: a temporary file in the target folder, renamed into
//! place, so a crash never leaves a half-written report or export.

use std::io::Write;
use std::path::Path;

use shukei::error::Error;

/// Writes bytes to `path` atomically, creating the parent folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Streams into a temporary file beside `path`, then renames it into place. The file
/// gets the usual permissions (rw-r--r--), not the temporary file's private ones, so
/// that others on a shared server can read the outputs.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> std::io::Result<()>,
) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".shukei-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    {
        let mut buffered = std::io::BufWriter::with_capacity(1 << 20, tmp.as_file());
        write(&mut buffered).map_err(|e| Error::io(path, e))?;
        buffered.flush().map_err(|e| Error::io(path, e))?;
    }
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let readable = std::fs::Permissions::from_mode(0o644);
        tmp.as_file()
            .set_permissions(readable)
            .map_err(|e| Error::io(path, e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// The deflate level of the workbooks shukei writes (see [`save_workbook`]).
const ZIP_LEVEL: u8 = 3;

/// Saves a workbook atomically.
///
/// Deflate level 3 instead of rust_xlsxwriter's 6: on a report of 2,000 files
/// (7,000 findings) the save takes 26 ms instead of 45 ms, on the critical path of the
/// run, for a file 14 % larger (390 KB instead of 342 KB); level 1 would be 74 %.
pub fn save_workbook(workbook: &mut rust_xlsxwriter::Workbook, path: &Path) -> Result<(), Error> {
    workbook.set_zip_compression_level(ZIP_LEVEL);
    let bytes = workbook.save_to_buffer().map_err(|source| Error::Xlsx {
        path: path.to_path_buf(),
        source,
    })?;
    write_atomic(path, &bytes)
}
