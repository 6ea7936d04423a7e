//! Collecting input files from the command line (files and folders, walked recursively)
//! and reading them in parallel.
//!
//! Lock files (`~$…`) and hidden files are skipped; symlinks to folders are followed
//! once (a loop is noticed, not walked forever). Files that are not spreadsheets are
//! still listed, as an info finding, so every input appears in the report. The result
//! is sorted by path, whatever the thread timing.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::catalogue::Catalogue;
use crate::ingest::{read_submission, Limits, Matcher, Rejection, Submission};
use crate::model::{CellRef, Finding, SharedTexts};
use crate::pool::Failure;
use crate::prefetch::{Prefetch, Progress};
use crate::rules;

/// File extensions read as submissions.
pub const EXTENSIONS: [&str; 8] = ["xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "tsv", "txt"];

/// An input found on disk, with the name shown in messages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    pub path: PathBuf,
    /// The path as shown: relative to the folder given (prefixed by that folder's name).
    pub display: String,
}

/// Inputs to read and findings about paths that were skipped or could not be walked.
#[derive(Debug, Default)]
pub struct Collected {
    pub inputs: Vec<Input>,
    /// Files that are not spreadsheets: (shown path, the I-FILE-SKIPPED finding).
    pub skipped: Vec<(String, Finding)>,
    /// Problems walking the folders (a symlink loop, an unreadable folder).
    pub findings: Vec<Finding>,
}

/// Walks the given files and folders.
///
/// # Errors
/// When a path given on the command line does not exist.
pub fn collect(paths: &[PathBuf]) -> Result<Collected, crate::error::Error> {
    let mut out = Collected::default();
    let mut seen_dirs = HashSet::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| crate::error::Error::io(path, e))?;
        if meta.is_dir() {
            walk(path, &display_of(path), &mut seen_dirs, &mut out);
        } else {
            out.inputs.push(Input {
                path: path.clone(),
                display: display_of(path),
            });
        }
    }
    out.inputs.sort();
    out.inputs.dedup_by(|a, b| a.path == b.path);
    Ok(out)
}

fn display_of(path: &Path) -> String {
    path.to_string_lossy()
        .trim_end_matches(['/', '\\'])
        .to_string()
}

fn walk(dir: &Path, shown: &str, seen: &mut HashSet<PathBuf>, out: &mut Collected) {
    let Ok(canonical) = dir.canonicalize() else {
        return;
    };
    if !seen.insert(canonical) {
        let at = CellRef::file(shown);
        out.findings.push(rules::FILE_SKIPPED.at(
            at.clone(),
            format!("{at}: フォルダへのリンクが循環しているため、2 度目は読みません"),
        ));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            let at = CellRef::file(shown);
            out.findings.push(
                rules::FILE_UNREADABLE.at(at.clone(), format!("{at}: フォルダを読めません（{e}）")),
            );
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let path = entry.path();
        let child = format!("{shown}/{name}");
        // The entry's type comes with the directory listing; only a link is followed
        // (one stat, where three per file were a tenth of a 2,000-file run). A broken
        // link is neither: it is listed as an input and fails to read.
        let kind = match entry.file_type() {
            Ok(t) if !t.is_symlink() => Some(t),
            _ => std::fs::metadata(&path).ok().map(|m| m.file_type()),
        };
        if kind.is_some_and(|t| t.is_dir()) {
            walk(&path, &child, seen, out);
        } else if kind.is_some_and(|t| !t.is_file()) {
            // A named pipe or device would block a read forever.
            let at = CellRef::file(child.as_str());
            let finding = rules::FILE_SKIPPED.at(
                at.clone(),
                format!("{at}: 通常のファイルではない（パイプ・デバイスなど）ため読みませんでした"),
            );
            out.skipped.push((child, finding));
        } else if EXTENSIONS.contains(&crate::ingest::guard::extension(&name).as_str()) {
            out.inputs.push(Input {
                path,
                display: child,
            });
        } else {
            let at = CellRef::file(child.as_str());
            let finding = rules::FILE_SKIPPED.at(
                at.clone(),
                format!("{at}: 表計算ファイルでないため読みませんでした"),
            );
            out.skipped.push((child, finding));
        }
    }
}

/// Reads every input in parallel; the result is in input order. A file whose read
/// takes more than `limits.max_seconds` becomes an E-FILE-LIMIT finding and the batch
/// goes on (see [`crate::pool`]). `on_done` is called on the calling thread.
pub fn read_all(
    inputs: &[Input],
    catalogue: &Catalogue,
    limits: &Limits,
    on_done: &mut dyn FnMut(&Submission),
) -> Vec<Submission> {
    // The findings' texts are shared across files as each file is done (see
    // `SharedTexts`): the lock is taken once per file, for a few findings.
    type Shared = (Vec<Input>, Catalogue, Matcher, Limits, Mutex<SharedTexts>);
    let shared: Arc<Shared> = Arc::new((
        inputs.to_vec(),
        catalogue.clone(),
        Matcher::new(catalogue),
        *limits,
        Mutex::new(SharedTexts::default()),
    ));
    // Job k reads input order[k].
    let order = Arc::new(reading_order(inputs));
    let (prefetch, progress) = {
        let shared = Arc::clone(&shared);
        let order = Arc::clone(&order);
        Prefetch::start(inputs.len(), move |k| {
            let input = order.get(k).and_then(|&i| shared.0.get(i))?;
            Some(input.path.clone())
        })
    };
    let job = {
        let shared = Arc::clone(&shared);
        let order = Arc::clone(&order);
        move |k: usize| {
            progress.started(k);
            let (inputs, catalogue, matcher, limits, texts) = &*shared;
            let mut sub = match order.get(k).and_then(|&i| inputs.get(i)) {
                Some(input) => read_one(input, catalogue, matcher, limits, &progress),
                None => Submission::failed("", catalogue, &Rejection::Unreadable(String::new())),
            };
            // A poisoned lock still holds whole texts: each name changes in one step.
            let mut texts = texts
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            texts.share_all(&mut sub.findings);
            sub.values.share_names(&mut texts);
            drop(texts);
            sub
        }
    };
    let failed = |k: usize, why: Failure| {
        let file = order
            .get(k)
            .and_then(|&i| inputs.get(i))
            .map_or("", |input| input.display.as_str());
        let rejection = match why {
            Failure::TimedOut => Rejection::Limit(format!(
                "読み取りに {} 秒以上かかりました",
                limits.max_seconds
            )),
            Failure::Panicked => Rejection::Unreadable(
                "読み取り中に内部エラーが起きました（shukei の不具合です。このファイルを添えて報告してください）"
                    .to_string(),
            ),
            Failure::NoThread => {
                Rejection::Unreadable("読み取り用のスレッドを作れません".to_string())
            }
        };
        Submission::failed(file, catalogue, &rejection)
    };
    let read = crate::pool::run(
        inputs.len(),
        rayon::current_num_threads(),
        Duration::from_secs(limits.max_seconds),
        job,
        failed,
        on_done,
    );
    drop(prefetch);
    in_input_order(read, &order)
}

/// Batches of up to this many files are read largest file first.
const LARGEST_FIRST_MAX: usize = 1024;

/// The order to read the inputs in (a permutation of their indices): the largest file
/// first, so that the files that end the run are small ones and no core waits long for
/// the last file. (20 workbooks of 50,000 rows in name order: one core read alone for
/// the last 75 ms of 1.3 s.) Only for batches small enough that a `stat` of every file
/// costs nothing beside reading them; a batch of thousands of small files ends with a
/// small file anyway. Equal sizes, and files that cannot be looked at, keep their order.
fn reading_order(inputs: &[Input]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    if inputs.len() <= LARGEST_FIRST_MAX {
        let sizes: Vec<u64> = inputs
            .iter()
            .map(|input| std::fs::metadata(&input.path).map_or(0, |m| m.len()))
            .collect();
        order.sort_by_key(|&i| std::cmp::Reverse(sizes.get(i).copied().unwrap_or(0)));
    }
    order
}

/// Puts the results of jobs run in `order` (result k is input `order[k]`'s) back into
/// input order.
/// In place: a list of slots held the submissions twice at the end of the reading.
fn in_input_order<T>(mut read: Vec<T>, order: &[usize]) -> Vec<T> {
    crate::permute::scatter(&mut read, order.to_vec());
    read
}

/// Reads one input file from disk and parses it (no deadline: see [`read_all`]), telling
/// `progress` how long the reading took.
pub fn read_one(
    input: &Input,
    catalogue: &Catalogue,
    matcher: &Matcher,
    limits: &Limits,
    progress: &Progress,
) -> Submission {
    let start = std::time::Instant::now();
    let (bytes, meta) = read_file(&input.path, limits.max_file_bytes);
    if let Ok(bytes) = &bytes {
        progress.read(start.elapsed(), bytes.len() as u64);
    }
    let mut sub = match bytes {
        Ok(bytes) => read_submission(&input.display, &bytes, catalogue, matcher, limits),
        Err(rejection) => Submission::failed(&input.display, catalogue, &rejection),
    };
    sub.modified = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64);
    sub
}

/// Opens an input for reading, with its metadata from the open handle. On Linux it is
/// opened without blocking: opening a named pipe must not wait for a writer (the
/// caller refuses anything but a regular file). A regular file is then read as usual:
/// a file system that honoured the flag on reads (some FUSE ones may) would otherwise
/// answer "try again".
pub(crate) fn open_input(path: &Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    #[cfg(target_os = "linux")]
    if meta.is_file() {
        use std::os::unix::io::AsRawFd;
        // SAFETY: F_SETFL only reads its integer arguments, and the descriptor is open
        // as long as `file` lives. 0 clears O_NONBLOCK (and the other status flags,
        // none of which was set); the access mode is not changed by F_SETFL.
        if unsafe { libc::fcntl(file.as_raw_fd(), libc::F_SETFL, 0) } == -1 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok((file, meta))
}

/// The bytes of a regular file of at most `max` bytes, and its metadata when it could
/// be opened.
///
/// The file is opened first and looked at through the open handle ([`open_input`]):
/// one `stat` instead of the path's and then `fs::read`'s own. The read stops one byte
/// past `max`: a file that grew after it was looked at is refused too, not read whole.
fn read_file(path: &Path, max: u64) -> (Result<Vec<u8>, Rejection>, Option<std::fs::Metadata>) {
    match open_input(path) {
        Ok((file, meta)) => (read_open(file, &meta, max), Some(meta)),
        Err(e) => (Err(unreadable(&e)), None),
    }
}

/// [`read_file`] once the file is open.
fn read_open(
    file: std::fs::File,
    meta: &std::fs::Metadata,
    max: u64,
) -> Result<Vec<u8>, Rejection> {
    use std::io::Read;
    if !meta.is_file() {
        return Err(Rejection::Unreadable(
            "通常のファイルではありません（パイプ・デバイスなど）".to_string(),
        ));
    }
    let too_large =
        |size: u64| Rejection::Limit(format!("ファイルサイズ {size} バイト（上限 {max} バイト）"));
    if meta.len() > max {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(&e))?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// A file that could not be opened or read.
fn unreadable(e: &std::io::Error) -> Rejection {
    Rejection::Unreadable(format!("ファイルを開けません（{e}）"))
}

/// Makes a named pipe at `path` (tests).
#[cfg(all(test, target_os = "linux"))]
pub(crate) fn make_fifo(path: &Path) {
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
}

#[cfg(test)]
mod order_tests {
    use super::*;

    #[test]
    fn the_largest_files_are_read_first_and_the_results_come_back_in_input_order() {
        let dir = tempfile::tempdir().unwrap();
        let sizes = [3usize, 10, 0, 10, 7];
        let inputs: Vec<Input> = sizes
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let path = dir.path().join(format!("{i}.csv"));
                std::fs::write(&path, vec![b'x'; n]).unwrap();
                Input {
                    path,
                    display: i.to_string(),
                }
            })
            .collect();
        let mut with_missing = inputs;
        with_missing.push(Input {
            path: dir.path().join("gone.csv"),
            display: "gone".into(),
        });
        let order = reading_order(&with_missing);
        // Largest first; equal sizes (and the file that cannot be looked at, as 0)
        // in input order.
        assert_eq!(order, vec![1, 3, 4, 0, 2, 5]);
        let read: Vec<usize> = order.iter().map(|i| i * 100).collect();
        assert_eq!(
            in_input_order(read, &order),
            vec![0, 100, 200, 300, 400, 500]
        );
    }

    #[test]
    fn two_files_with_the_same_findings_keep_one_copy_of_each_text() {
        let dir = tempfile::tempdir().unwrap();
        let sample =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/行政改革課_令和6年度実績.xlsx");
        let inputs: Vec<Input> = ["a.xlsx", "b.xlsx"]
            .iter()
            .map(|name| {
                let path = dir.path().join(name);
                std::fs::copy(&sample, &path).unwrap();
                Input {
                    path,
                    display: name.to_string(),
                }
            })
            .collect();
        let catalogue = Catalogue::builtin();
        let read = read_all(&inputs, &catalogue, &Limits::default(), &mut |_| {});
        let [a, b] = &read[..] else {
            panic!("two submissions: {read:?}")
        };
        assert!(!a.findings.is_empty());
        assert_eq!(a.findings.len(), b.findings.len());
        for (x, y) in a.findings.iter().zip(&b.findings) {
            assert_eq!((x.code, x.text()), (y.code, y.text()));
            assert!(x.shares_text_with(y), "{x:?}");
            assert_ne!(x.at.file, y.at.file);
        }
        // The indicator IDs and sheet names are kept once for both files.
        for (x, y) in a.findings.iter().zip(&b.findings) {
            match (&x.at.sheet, &y.at.sheet) {
                (Some(s), Some(t)) => assert!(Arc::ptr_eq(s, t), "{x:?}"),
                (s, t) => assert_eq!(s, t),
            }
        }
        assert_eq!(a.values.len(), b.values.len());
        for (x, y) in a.values.iter().zip(b.values.iter()) {
            assert!(std::ptr::eq(x.indicator_id(), y.indicator_id()), "{x:?}");
            let sheets = (x.sheet(), y.sheet());
            assert!(
                matches!(sheets, (Some(s), Some(t)) if std::ptr::eq(s, t)),
                "{x:?}"
            );
        }
        // Each file's name is kept once: its submission, values and findings share it.
        for sub in [a, b] {
            assert!(sub
                .findings
                .iter()
                .all(|f| Arc::ptr_eq(&f.at.file, &sub.file)));
            assert!(!sub.values.is_empty());
            assert!(sub
                .values
                .iter()
                .all(|v| Arc::ptr_eq(&v.at().file, &sub.file)));
        }
    }

    #[test]
    fn a_file_is_read_whole_within_its_limit_and_refused_past_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, b"0123456789").unwrap();
        let (bytes, meta) = read_file(&path, 10);
        assert_eq!(bytes.unwrap(), b"0123456789");
        // a regular file is read as usual (blocking), once it is known to be one
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::io::AsRawFd;
            let (file, _) = open_input(&path).unwrap();
            // SAFETY: F_GETFL on a descriptor open as long as `file` lives.
            let flags = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETFL) };
            assert_eq!(flags & libc::O_NONBLOCK, 0);
        }
        assert_eq!(meta.map(|m| m.len()), Some(10));
        let refused = |path: &Path, max| match read_file(path, max).0 {
            Ok(_) => panic!("read: {}", path.display()),
            Err(rejection) => format!("{rejection:?}"),
        };
        assert!(refused(&path, 9).contains("ファイルサイズ 10 バイト"));
        assert!(refused(&dir.path().join("gone.csv"), 10).contains("ファイルを開けません"));
        assert!(refused(dir.path(), 10).contains("通常のファイルではありません"));
        // A file whose size says nothing of what it holds (as one that grows while it
        // is read): the read stops past the limit.
        #[cfg(target_os = "linux")]
        {
            let proc_file = Path::new("/proc/self/status");
            assert_eq!(std::fs::metadata(proc_file).unwrap().len(), 0);
            assert!(refused(proc_file, 16).contains("ファイルサイズ 17 バイト"));
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_named_pipe_given_by_name_is_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.csv");
        make_fifo(&fifo);
        let start = std::time::Instant::now();
        let (Err(rejection), Some(_)) = read_file(&fifo, 1 << 20) else {
            panic!("a pipe was read");
        };
        assert!(format!("{rejection:?}").contains("通常のファイルではありません"));
        assert!(start.elapsed() < Duration::from_secs(5));
    }
}
