//! Collecting input files from the command line (files and folders, walked recursively)
//! and reading them in parallel.
//!
//! Lock files (`~$…`) and hidden files are skipped; symlinks to folders are followed
//! once (a loop is noticed, not walked forever). Files that are not spreadsheets are
//! still listed, as an info finding, so every input appears in the report. The result
//! is sorted by path, whatever the thread timing.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use rayon::prelude::*;

use crate::catalogue::Catalogue;
use crate::ingest::{read_submission, Limits, Matcher, Rejection, Submission};
use crate::model::{CellRef, Finding};
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
        if path.is_dir() {
            walk(&path, &child, seen, out);
        } else if path.exists() && !path.is_file() {
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

/// Reads every input in parallel; the result is in input order.
pub fn read_all(
    inputs: &[Input],
    catalogue: &Catalogue,
    limits: &Limits,
    on_done: &(dyn Fn(&Submission) + Sync),
) -> Vec<Submission> {
    let shared = Arc::new((catalogue.clone(), Matcher::new(catalogue)));
    inputs
        .par_iter()
        .map(|input| {
            let sub = read_one(input, &shared, limits);
            on_done(&sub);
            sub
        })
        .collect()
}

/// Reads one input file from disk, giving up after `limits.max_seconds`.
///
/// The parse runs on a reader thread (one per worker, reused from file to file) so that
/// a file that takes too long becomes an E-FILE-LIMIT finding and the batch goes on; the
/// abandoned reader ends with its parse, or with the process.
pub fn read_one(input: &Input, shared: &Arc<(Catalogue, Matcher)>, limits: &Limits) -> Submission {
    let catalogue = &shared.0;
    let meta = std::fs::metadata(&input.path);
    let size = meta.as_ref().map(|m| m.len()).unwrap_or(0);
    let bytes = if meta.as_ref().is_ok_and(|m| !m.is_file()) {
        Err(Rejection::Unreadable(
            "通常のファイルではありません（パイプ・デバイスなど）".to_string(),
        ))
    } else if size > limits.max_file_bytes {
        Err(Rejection::Limit(format!(
            "ファイルサイズ {size} バイト（上限 {} バイト）",
            limits.max_file_bytes
        )))
    } else {
        std::fs::read(&input.path)
            .map_err(|e| Rejection::Unreadable(format!("ファイルを開けません（{e}）")))
    };
    let mut sub = match bytes {
        Ok(bytes) => parse_with_deadline(input.display.clone(), bytes, Arc::clone(shared), *limits),
        Err(rejection) => Submission::failed(&input.display, catalogue, &rejection),
    };
    sub.modified = meta
        .as_ref()
        .ok()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64);
    sub
}

fn parse_with_deadline(
    file: String,
    bytes: Vec<u8>,
    shared: Arc<(Catalogue, Matcher)>,
    limits: Limits,
) -> Submission {
    let worker_file = file.clone();
    let worker_shared = Arc::clone(&shared);
    let job: Job = Box::new(move || {
        let (catalogue, matcher) = &*worker_shared;
        read_submission(&worker_file, &bytes, catalogue, matcher, &limits)
    });
    let catalogue = &shared.0;
    let Some(reader) = Reader::take_or_spawn() else {
        return Submission::failed(
            &file,
            catalogue,
            &Rejection::Unreadable("読み取り用のスレッドを作れません".to_string()),
        );
    };
    if reader.jobs.send(job).is_err() {
        return Submission::failed(
            &file,
            catalogue,
            &Rejection::Unreadable("読み取り用のスレッドを作れません".to_string()),
        );
    }
    match reader
        .results
        .recv_timeout(Duration::from_secs(limits.max_seconds))
    {
        Ok(sub) => {
            reader.put_back();
            sub
        }
        // Timed out (or the reader died): the reader is dropped, so its thread ends
        // after the parse it is stuck in; the next file gets a new reader.
        Err(_) => Submission::failed(
            &file,
            catalogue,
            &Rejection::Limit(format!(
                "読み取りに {} 秒以上かかりました",
                limits.max_seconds
            )),
        ),
    }
}

type Job = Box<dyn FnOnce() -> Submission + Send>;

/// A long-lived thread that parses files for one worker thread, so that a file can be
/// given up on after its deadline without spawning a thread per file (which cost about
/// a quarter of the run time on thousands of small files).
struct Reader {
    jobs: mpsc::Sender<Job>,
    results: mpsc::Receiver<Submission>,
}

thread_local! {
    /// This worker's idle reader, if it has one.
    static READER: std::cell::RefCell<Option<Reader>> = const { std::cell::RefCell::new(None) };
}

impl Reader {
    /// The calling thread's reader, or a new one (`None` when no thread can be made).
    fn take_or_spawn() -> Option<Reader> {
        if let Some(reader) = READER.with(|r| r.borrow_mut().take()) {
            return Some(reader);
        }
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (result_tx, results) = mpsc::channel();
        std::thread::Builder::new()
            .name("shukei-read".into())
            .spawn(move || {
                for job in job_rx {
                    if result_tx.send(job()).is_err() {
                        break;
                    }
                }
            })
            .ok()?;
        Some(Reader { jobs, results })
    }

    /// Keeps the reader for this thread's next file.
    fn put_back(self) {
        READER.with(|r| *r.borrow_mut() = Some(self));
    }
}
