use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh temporary directory for one test, with helpers to run shukei in it.
pub struct Workdir {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
}

impl Workdir {
    pub fn new(name: &str) -> Workdir {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let tmp = tempfile::Builder::new()
            .prefix(&format!("shukei-{name}-{n}-"))
            .tempdir()
            .unwrap();
        let dir = tmp.path().to_path_buf();
        Workdir { _tmp: tmp, dir }
    }

    /// Copies `samples/` (recursively) into the work dir.
    pub fn with_samples(self) -> Workdir {
        copy_dir(&repo().join("samples"), &self.dir.join("samples"));
        self
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// Runs shukei with arguments in the work dir.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_shukei"))
            .args(args)
            .current_dir(&self.dir)
            .output()
            .unwrap()
    }

    /// Runs and asserts the exit code, returning the output.
    pub fn run_ok(&self, args: &[&str], code: i32) -> Output {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "shukei {args:?}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// `shukei consolidate INPUT -o r.xlsx --export-dir out -q`, asserting the exit code.
    pub fn consolidate(&self, input: &str, code: i32) -> Output {
        self.run_ok(
            &[
                "consolidate",
                input,
                "-o",
                "r.xlsx",
                "--export-dir",
                "out",
                "-q",
            ],
            code,
        )
    }

    /// Reads a CSV export (strips the BOM) into rows of fields, header included.
    pub fn read_csv(&self, rel: &str) -> Vec<Vec<String>> {
        let bytes = std::fs::read(self.path(rel)).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{rel} has no BOM");
        assert!(!bytes.contains(&b'\r'), "{rel} has CR line ends");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[3..]);
        reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    /// Reads a csv export into maps from header name to value.
    pub fn read_csv_maps(&self, rel: &str) -> Vec<std::collections::HashMap<String, String>> {
        let rows = self.read_csv(rel);
        let header = rows[0].clone();
        rows[1..]
            .iter()
            .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
            .collect()
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Reads a TSV golden file (header included).
pub fn read_tsv(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// Prints expected/got blocks on mismatch.
pub fn assert_lines_eq(expected: &[String], got: &[String], what: &str) {
    if expected != got {
        let missing: Vec<&String> = expected.iter().filter(|e| !got.contains(e)).collect();
        let extra: Vec<&String> = got.iter().filter(|g| !expected.contains(g)).collect();
        panic!("{what} differ\nmissing (expected, not got):\n{missing:#?}\nextra (got, not expected):\n{extra:#?}");
    }
}
