//! Fatal errors: a run or a file that cannot continue.
//!
//! Problems *in the data* are not errors: they are [`crate::model::Finding`]s, collected
//! in a `Vec` and reported. An [`Error`] means that shukei could not do its job at all
//! (bad catalogue, unwritable output, bad arguments) and maps to exit code 2.

use std::fmt;
use std::path::PathBuf;

/// A fatal error. Every variant that involves a file carries its path.
#[derive(Debug)]
pub enum Error {
    /// Reading or writing a file failed.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The catalogue could not be loaded or is invalid.
    Catalogue { path: PathBuf, message: String },
    /// A workbook could not be written.
    Xlsx {
        path: PathBuf,
        source: rust_xlsxwriter::XlsxError,
    },
    /// The settings file is invalid; the message names the key.
    Config { path: PathBuf, message: String },
    /// Another run holds the lock on these outputs.
    Locked { path: PathBuf, holder: String },
    /// The command line or configuration asks for something impossible.
    Usage(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Catalogue { path, message } => {
                write!(
                    f,
                    "指標カタログ {} を読み込めません: {message}",
                    path.display()
                )
            }
            Error::Xlsx { path, source } => {
                write!(f, "{} を書き込めません: {source}", path.display())
            }
            Error::Config { path, message } => {
                write!(f, "設定ファイル {} が正しくありません: {message}", path.display())
            }
            Error::Locked { path, holder } => write!(
                f,
                "別の shukei が同じ出力を書き込み中です（ロックファイル {}、{holder}）。終了を待ってから実行してください",
                path.display()
            ),
            Error::Usage(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Xlsx { source, .. } => Some(source),
            Error::Catalogue { .. }
            | Error::Config { .. }
            | Error::Locked { .. }
            | Error::Usage(_) => None,
        }
    }
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
