//! Checks a file *before* a parser sees it.
//!
//! calamine pre-allocates from counts that a file declares (sharedStrings `uniqueCount`,
//! the cells' positions, the .xls DIMENSIONS record), and a zip bomb inflates fully. Such
//! files abort the process with an allocation failure, which `catch_unwind` cannot stop.
//! So every file is sniffed by its content (not its extension) and its declared sizes
//! are checked against [`Limits`] here; only then is it handed to calamine.
//!
//! For xlsx the cells' positions are bounded while they are read instead
//! ([`crate::ingest::excel`] streams them and refuses a cell outside the grid or the
//! cell limit before allocating for it); the guard checks the zip's declared sizes and
//! ratios and each part's declared counts. For xlsb, xls and ods, which calamine reads
//! into a range sized by the cells' positions, the guard scans the cell records.
//!
//! The xlsx parts the guard inflates (sheets, shared strings), and the other parts
//! calamine reads, are kept in a copy of the zip that stores them, and calamine reads
//! that copy (module `unpack`): each part is inflated once per run instead of twice,
//! with one inflater per file instead of one per part.

use std::io::{Cursor, Read};

use memchr::memmem;

use super::grid::Format;

mod merges_first;
mod ods;
mod scan;
mod styles;
mod unpack;
mod xls;
mod xlsb;
mod xlsx;

use ods::*;
use scan::*;
pub(crate) use scan::{check_area, check_grid};
use unpack::*;
use xls::*;
use xlsb::*;
use xlsx::*;

/// Limits for untrusted input files. The defaults suit a monthly batch on a small server.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Largest input file, in bytes.
    pub max_file_bytes: u64,
    /// Largest total size of a workbook's decompressed zip entries, in bytes.
    pub max_decompressed_bytes: u64,
    /// Largest compression ratio of one zip entry (bombs compress 1000:1 and more).
    pub max_ratio: u64,
    /// Largest number of cells a sheet may span (rows × columns of its used area).
    pub max_cells: u64,
    /// Longest time to read one file, in seconds.
    pub max_seconds: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 200 * 1024 * 1024,
            max_decompressed_bytes: 1024 * 1024 * 1024,
            max_ratio: 250,
            max_cells: 20_000_000,
            max_seconds: 120,
        }
    }
}

/// What the guard learnt on its way through a workbook that the reader needs: whether
/// an xlsx's sheets hold merged cells (worth a second calamine parse; other formats:
/// assumed), and whether the zip holds pictures, shapes or charts (for the lint).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Markup {
    pub merges: bool,
    pub drawings: bool,
}

impl Markup {
    /// Merged cells present (or unknown): ask calamine for them.
    pub const ALL: Markup = Markup {
        merges: true,
        drawings: false,
    };
    /// Nothing worth a second parse.
    pub const NONE: Markup = Markup {
        merges: false,
        drawings: false,
    };
}

/// Whether a zip entry is a picture, shape or chart (xlsx `xl/media/`, `xl/charts/`,
/// `xl/drawings/*.xml`; ODS `Pictures/`, embedded objects). Legacy VML drawings only
/// carry cell comments, so they do not count.
fn is_drawing_entry(n: &str) -> bool {
    n.starts_with("xl/media/")
        || n.starts_with("xl/charts/")
        || (n.starts_with("xl/drawings/") && n.ends_with(".xml") && !n.contains("/_rels/"))
        || n.starts_with("Pictures/")
        || n.starts_with("Object ")
}

/// Why a file is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// The file is empty (0 bytes).
    Empty,
    /// Password-protected (encrypted) workbook.
    Encrypted,
    /// Over a limit; the text says which.
    Limit(String),
    /// Not a spreadsheet, or damaged; the text says what it looks like.
    Unreadable(String),
}

impl Rejection {
    /// The rule reported for it (code, severity and fix hint live in [`crate::rules`]).
    pub fn rule(&self) -> crate::rules::Rule {
        match self {
            Rejection::Empty => crate::rules::FILE_EMPTY,
            Rejection::Encrypted => crate::rules::FILE_ENCRYPTED,
            Rejection::Limit(_) => crate::rules::FILE_LIMIT,
            Rejection::Unreadable(_) => crate::rules::FILE_UNREADABLE,
        }
    }

    /// The stable issue code.
    pub fn code(&self) -> &'static str {
        self.rule().code
    }

    /// The reason in Japanese.
    pub fn reason(&self) -> String {
        match self {
            Rejection::Empty => "ファイルが空です（0 バイト）".to_string(),
            Rejection::Encrypted => {
                "パスワードで保護（暗号化）されているため読めません".to_string()
            }
            Rejection::Limit(what) => format!("安全のための上限を超えています: {what}"),
            Rejection::Unreadable(what) => format!("表計算ファイルとして読めません: {what}"),
        }
    }
}

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Detects the format from the first bytes and the file name, then checks its limits.
///
/// # Errors
/// A [`Rejection`] saying why the file must not be parsed.
pub fn check(bytes: &[u8], file_name: &str, limits: &Limits) -> Result<Format, Rejection> {
    inspect(bytes, file_name, limits).map(|(format, _)| format)
}

/// [`check`], and for an xlsx what its sheets hold ([`Markup`]), learnt on the way.
///
/// # Errors
/// A [`Rejection`] saying why the file must not be parsed.
pub fn inspect(
    bytes: &[u8],
    file_name: &str,
    limits: &Limits,
) -> Result<(Format, Markup), Rejection> {
    inspect_for_reading(bytes, file_name, limits, &mut Vec::new()).map(|i| (i.format, i.markup))
}

/// What [`inspect_for_reading`] learnt about a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspected {
    pub format: Format,
    pub markup: Markup,
    /// An xlsx was rebuilt, with the parts the guard inflated stored, into the buffer
    /// given to [`inspect_for_reading`], for calamine to read instead of the file
    /// (module `unpack`).
    pub unpacked: bool,
}

/// [`inspect`], keeping the xlsx parts it inflated for the reader, in `copy` (a buffer
/// kept from an earlier file, so that its pages are not faulted in again; its content
/// is replaced).
///
/// # Errors
/// A [`Rejection`] saying why the file must not be parsed.
pub fn inspect_for_reading(
    bytes: &[u8],
    file_name: &str,
    limits: &Limits,
    copy: &mut Vec<u8>,
) -> Result<Inspected, Rejection> {
    let plain = |(format, markup)| Inspected {
        format,
        markup,
        unpacked: false,
    };
    if bytes.is_empty() {
        return Err(Rejection::Empty);
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(Rejection::Limit(format!(
            "ファイルサイズ {} バイト（上限 {} バイト）",
            bytes.len(),
            limits.max_file_bytes
        )));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return check_zip(bytes, limits, copy);
    }
    if bytes.starts_with(&CFB_MAGIC) {
        return check_cfb(bytes, limits).map(|f| plain((f, Markup::ALL)));
    }
    if looks_like_html(bytes) {
        return Err(Rejection::Unreadable(
            "HTML ファイルです（Web ページを .xls として保存したもの）".to_string(),
        ));
    }
    let ext = extension(file_name);
    if matches!(ext.as_str(), "csv" | "tsv" | "txt") {
        return Ok(plain((Format::Csv, Markup::NONE)));
    }
    if bytes.starts_with(b"PK") {
        return Err(Rejection::Unreadable(
            "壊れた zip（途中で切れている可能性）".to_string(),
        ));
    }
    Err(Rejection::Unreadable(format!(
        "拡張子は .{ext} ですが、中身が Excel・ODS・CSV のどれでもありません"
    )))
}

/// The lower-case extension of a file name (`""` when none).
pub fn extension(file_name: &str) -> String {
    std::path::Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<table")
        || (head.starts_with("<?xml") && head.contains("<html"))
}

fn check_zip(bytes: &[u8], limits: &Limits, copy: &mut Vec<u8>) -> Result<Inspected, Rejection> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Rejection::Unreadable(format!("zip として壊れています（{e}）")))?;
    let mut total: u64 = 0;
    let mut names = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| Rejection::Unreadable(format!("zip として壊れています（{e}）")))?;
        let (size, packed) = (entry.size(), entry.compressed_size());
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        total = total.saturating_add(size);
        if size > 1024 * 1024 && size / packed.max(1) > limits.max_ratio {
            return Err(Rejection::Limit(format!(
                "zip の中の {} の圧縮率が異常です（{} 倍。zip 爆弾の疑い）",
                name,
                size / packed.max(1)
            )));
        }
        names.push(name);
    }
    if total > limits.max_decompressed_bytes {
        return Err(Rejection::Limit(format!(
            "展開後のサイズ {total} バイト（上限 {} バイト）",
            limits.max_decompressed_bytes
        )));
    }
    let format = if names.iter().any(|n| n == "mimetype" || n == "content.xml") {
        Format::Ods
    } else if names.iter().any(|n| n.ends_with("workbook.bin")) {
        Format::Xlsb
    } else if names.iter().any(|n| n.ends_with("workbook.xml")) {
        Format::Xlsx
    } else {
        return Err(Rejection::Unreadable(
            "zip ですが Excel・ODS のブックではありません".to_string(),
        ));
    };
    let mut unpacked = false;
    let mut markup = match format {
        Format::Xlsx => match unpack_xlsx(&mut archive, bytes, limits, copy)? {
            Some(markup) => {
                unpacked = true;
                markup
            }
            None => check_xlsx_parts(&mut archive, limits)?,
        },
        Format::Xlsb => {
            check_xlsb_parts(&mut archive, limits)?;
            Markup::ALL
        }
        Format::Ods if names.iter().any(|n| n == "content.xml") => {
            check_ods_content(&mut archive, limits)?;
            Markup::ALL
        }
        _ => Markup::ALL,
    };
    markup.drawings = names.iter().any(|n| is_drawing_entry(n));
    Ok(Inspected {
        format,
        markup,
        unpacked,
    })
}

/// Whether a zip entry is the theme part calamine reads (`xl/theme/theme1.xml`, matched
/// as calamine matches names: `\` as `/`, any case).
fn is_theme_part(name: &str) -> bool {
    const PART: &[u8] = b"theme/theme1.xml";
    let name = name.as_bytes();
    let tail = name
        .len()
        .checked_sub(PART.len())
        .and_then(|start| name.get(start..));
    tail.is_some_and(|tail| {
        tail.iter()
            .zip(PART)
            .all(|(&c, &p)| c.to_ascii_lowercase() == p || (c == b'\\' && p == b'/'))
    })
}

#[cfg(test)]
mod tests;
