//! Checks a file *before* a parser sees it.
//!
//! calamine pre-allocates from counts that a file declares (sharedStrings `uniqueCount`,
//! the cells' positions, the .xls DIMENSIONS record), and a zip bomb inflates fully. Such
//! files abort the process with an allocation failure, which `catch_unwind` cannot stop.
//! So every file is sniffed by its content (not its extension) and its declared sizes
//! are checked against [`Limits`] here; only then is it handed to calamine.

use std::io::{Cursor, Read};

use memchr::memmem;

use super::grid::Format;

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

/// What an xlsx's parts hold that is worth a second calamine parse, seen by the guard's
/// scan of every part: `<f>` formulas and merged cells. Other formats: both assumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Markup {
    pub formulas: bool,
    pub merges: bool,
}

impl Markup {
    /// Both present (or unknown): ask calamine for everything.
    pub const ALL: Markup = Markup {
        formulas: true,
        merges: true,
    };
    /// Neither present.
    pub const NONE: Markup = Markup {
        formulas: false,
        merges: false,
    };
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
    /// The stable issue code.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::Empty => "E-FILE-EMPTY",
            Rejection::Encrypted => "E-FILE-ENCRYPTED",
            Rejection::Limit(_) => "E-FILE-LIMIT",
            Rejection::Unreadable(_) => "E-FILE-UNREADABLE",
        }
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

    /// How to fix it, in Japanese.
    pub fn hint(&self) -> &'static str {
        match self {
            Rejection::Empty => "内容を保存したファイルを送り直してください。",
            Rejection::Encrypted => "パスワードを解除して保存し直したファイルを送ってください。",
            Rejection::Limit(_) => {
                "不要なシートや行を削除してから送り直すか、企画担当課に相談してください。"
            }
            Rejection::Unreadable(_) => {
                "Excel で開けるか確認し、xlsx 形式で保存し直して送ってください。"
            }
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
        return check_zip(bytes, limits);
    }
    if bytes.starts_with(&CFB_MAGIC) {
        return check_cfb(bytes, limits).map(|f| (f, Markup::ALL));
    }
    if looks_like_html(bytes) {
        return Err(Rejection::Unreadable(
            "HTML ファイルです（Web ページを .xls として保存したもの）".to_string(),
        ));
    }
    let ext = extension(file_name);
    if matches!(ext.as_str(), "csv" | "tsv" | "txt") {
        return Ok((Format::Csv, Markup::NONE));
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

fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(Format, Markup), Rejection> {
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
    let markup = match format {
        Format::Xlsx => check_xlsx_parts(&mut archive, limits)?,
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
    Ok((format, markup))
}

/// Scans an ODS's content.xml for tables whose repeated rows and cells
/// (`table:number-rows-repeated`, `table:number-columns-repeated`) would make calamine
/// expand more cells than the limits allow: 800 bytes can declare 100 million.
fn check_ods_content(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    limits: &Limits,
) -> Result<(), Rejection> {
    let name = "content.xml";
    let entry = archive
        .by_name(name)
        .map_err(|e| Rejection::Unreadable(format!("{name} を開けません（{e}）")))?;
    let budget = limits.max_decompressed_bytes.saturating_add(1);
    let mut reader = entry.take(budget);
    let mut scan = OdsScan::default();
    let mut worst: Result<(), Rejection> = Ok(());
    scan_tags(&mut reader, budget, |tag| {
        if let Some(bounds) = scan.tag(tag) {
            if worst.is_ok() {
                worst = check_area(bounds, name, limits);
            }
        }
    })
    .map_err(|e| Rejection::Unreadable(format!("{name} を展開できません（{e}）")))?;
    worst?;
    check_area(scan.bounds, name, limits)
}

/// Rows and columns of one ODS sheet at most, as calamine caps them.
const ODS_MAX_ROWS: u64 = 1_048_576;
const ODS_MAX_COLUMNS: u64 = 16_384;

/// The expanded extent of the current ODS table's non-empty cells.
#[derive(Debug, Default)]
struct OdsScan {
    bounds: Bounds,
    /// 0-based row where the current `<table:table-row>` starts, and its repeat count.
    row: u64,
    row_repeat: u64,
    /// 0-based column of the next cell in the row.
    col: u64,
}

impl OdsScan {
    /// Reads one tag; returns the finished table's bounds at `</table:table>`.
    fn tag(&mut self, tag: &[u8]) -> Option<Bounds> {
        let closing = tag.first() == Some(&b'/');
        let body = if closing { &tag[1..] } else { tag };
        let name_len = body
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .unwrap_or(body.len());
        let self_closing = tag.last() == Some(&b'/');
        let repeat = |attr_name: &[u8], max: u64| {
            attr(tag, attr_name)
                .and_then(row_number)
                .unwrap_or(1)
                .min(max)
        };
        match (&body[..name_len], closing) {
            (b"table:table", false) if !self_closing => *self = OdsScan::default(),
            (b"table:table", true) => return Some(std::mem::take(self).bounds),
            (b"table:table-row", false) => {
                self.row = self.row.saturating_add(self.row_repeat);
                self.row_repeat = repeat(b"table:number-rows-repeated", ODS_MAX_ROWS);
                self.col = 0;
            }
            (b"table:table-cell" | b"table:covered-table-cell", false) => {
                let n = repeat(b"table:number-columns-repeated", ODS_MAX_COLUMNS);
                let has_value = !self_closing || attr(tag, b"office:value-type").is_some();
                if has_value && self.row_repeat > 0 && n > 0 {
                    let (r0, c0) = (self.row + 1, self.col + 1);
                    let (r1, c1) = (self.row + self.row_repeat, self.col + n);
                    self.bounds = Some(match self.bounds {
                        None => (r0, c0, r1, c1),
                        Some((a, b, c, d)) => (a.min(r0), b.min(c0), c.max(r1), d.max(c1)),
                    });
                }
                self.col = self.col.saturating_add(n);
            }
            _ => {}
        }
        None
    }
}

/// Scans the parts of an xlsx for declared counts and cell positions that would make
/// calamine allocate more than the limits allow.
///
/// calamine finds the worksheets and the shared strings through the relationships, so
/// their entry names prove nothing (`xl/worksheets/sheet1.xMl` is read as well): every
/// entry but pictures and binaries is scanned, by index, so that two entries with one
/// name are both seen.
fn check_xlsx_parts(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    limits: &Limits,
) -> Result<Markup, Rejection> {
    let mut markup = Markup::NONE;
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| Rejection::Unreadable(format!("zip として壊れています（{e}）")))?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if !may_be_xml_part(&name) {
            continue;
        }
        let budget = limits.max_decompressed_bytes.saturating_add(1);
        let mut reader = entry.take(budget);
        let mut head = vec![0u8; 4096];
        let n = read_up_to(&mut reader, &mut head)
            .map_err(|e| Rejection::Unreadable(format!("{name} を展開できません（{e}）")))?;
        head.truncate(n);
        check_declared_counts(&head, &name, limits)?;
        let scan = scan_sheet(&mut Cursor::new(head).chain(reader), budget)
            .map_err(|e| Rejection::Unreadable(format!("{name} を展開できません（{e}）")))?;
        check_grid(scan.bounds, &name)?;
        check_area(scan.bounds, &name, limits)?;
        markup.formulas |= scan.formulas;
        markup.merges |= scan.merges;
    }
    Ok(markup)
}

/// The worksheets of an .xlsb: every part under `worksheets/` and every part the
/// workbook's relationships point to (calamine follows those, whatever their names).
fn xlsb_sheet_parts(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Vec<String> {
    let mut parts: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.to_ascii_lowercase().contains("worksheets/"))
        .map(|n| n.to_string())
        .collect();
    let mut rels = Vec::new();
    if let Ok(entry) = archive.by_name("xl/_rels/workbook.bin.rels") {
        let _ = entry.take(1 << 20).read_to_end(&mut rels);
    }
    let mut rest = rels.as_slice();
    while let Some(at) = memmem::find(rest, b"Target=\"") {
        rest = &rest[at + 8..];
        let end = memchr::memchr(b'"', rest).unwrap_or(rest.len());
        let target = String::from_utf8_lossy(&rest[..end]).into_owned();
        let path = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("xl/{target}"),
        };
        if path.ends_with(".bin")
            && !path.ends_with("styles.bin")
            && !path.ends_with("sharedStrings.bin")
        {
            parts.push(path);
        }
    }
    parts.sort();
    parts.dedup();
    parts
}

/// Scans the cell records of each .xlsb worksheet: like xlsx, a cell far out makes
/// calamine allocate the whole rectangle up to it (and abort).
fn check_xlsb_parts(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    limits: &Limits,
) -> Result<(), Rejection> {
    for name in xlsb_sheet_parts(archive) {
        let Ok(entry) = archive.by_name(&name) else {
            continue;
        };
        let mut data = Vec::new();
        entry
            .take(limits.max_decompressed_bytes.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|e| Rejection::Unreadable(format!("{name} を展開できません（{e}）")))?;
        let bounds = xlsb_bounds(&data);
        check_grid(bounds, &name)?;
        check_area(bounds, &name, limits)?;
    }
    Ok(())
}

/// Bounds (1-based) of the value cells of an .xlsb sheet part, placed as calamine places
/// them: the row from the last BrtRowHdr, the column from each cell record.
fn xlsb_bounds(data: &[u8]) -> Bounds {
    let mut bounds: Bounds = None;
    let mut row: u64 = 0;
    let mut pos = 0usize;
    while let Some((typ, len, body_at)) = xlsb_record(data, pos) {
        let body = data
            .get(body_at..body_at.saturating_add(len))
            .unwrap_or(&[]);
        let first_u32 = body
            .get(..4)
            .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])));
        match (typ, first_u32) {
            (0x0000, Some(r)) => row = r,
            // BrtCellRk … BrtFmlaError: value cells (BrtCellBlank, 0x0001, is skipped)
            (0x0002..=0x000B, Some(col)) => {
                let (r, c) = (row + 1, col + 1);
                bounds = Some(match bounds {
                    None => (r, c, r, c),
                    Some((r0, c0, r1, c1)) => (r0.min(r), c0.min(c), r1.max(r), c1.max(c)),
                });
            }
            (0x0092, _) => break, // BrtEndSheetData
            _ => {}
        }
        pos = body_at.saturating_add(len);
    }
    bounds
}

/// One record header at `pos`: (type, length, where the body starts). The type is one or
/// two bytes and the length up to four, seven bits each (MS-XLSB 2.1.4).
fn xlsb_record(data: &[u8], pos: usize) -> Option<(u16, usize, usize)> {
    let b0 = *data.get(pos)?;
    let (typ, mut at) = if b0 & 0x80 != 0 {
        let b1 = *data.get(pos + 1)?;
        (u16::from(b0 & 0x7F) | (u16::from(b1 & 0x7F) << 7), pos + 2)
    } else {
        (u16::from(b0), pos + 1)
    };
    let mut len = 0usize;
    for i in 0..4 {
        let b = *data.get(at)?;
        at += 1;
        len |= usize::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            break;
        }
    }
    Some((typ, len, at))
}

/// Whether a zip entry may be XML that calamine reads (not a picture or a binary part).
fn may_be_xml_part(name: &str) -> bool {
    const BINARY: [&str; 10] = [
        ".bin", ".png", ".jpg", ".jpeg", ".gif", ".emf", ".wmf", ".tif", ".tiff", ".bmp",
    ];
    let lower = name.to_ascii_lowercase();
    !(lower.starts_with("xl/media/") || BINARY.iter().any(|ext| lower.ends_with(ext)))
}

/// The shared strings' `uniqueCount` / `count`, which calamine reserves room for.
fn check_declared_counts(head: &[u8], name: &str, limits: &Limits) -> Result<(), Rejection> {
    for attr in [&b"uniqueCount=\""[..], &b" count=\""[..]] {
        if let Some(count) = attr_number(head, attr) {
            if count > limits.max_cells {
                return Err(Rejection::Limit(format!(
                    "{name} の宣言数 {count}（上限 {}）",
                    limits.max_cells
                )));
            }
        }
    }
    Ok(())
}

fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn attr_number(haystack: &[u8], attr: &[u8]) -> Option<u64> {
    let at = memmem::find(haystack, attr)? + attr.len();
    let digits: Vec<u8> = haystack
        .get(at..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// Bounds of the cells that carry content: (min_row, min_col, max_row, max_col), 1-based.
type Bounds = Option<(u64, u64, u64, u64)>;

/// Longest tag the scanners accept; real tags are a few hundred bytes.
const MAX_TAG_BYTES: usize = 1024 * 1024;

/// Streams XML through a small buffer and hands every complete tag (the bytes between
/// `<` and its `>`, quotes respected) to `on_tag`.
fn scan_tags(
    reader: &mut impl Read,
    budget: u64,
    mut on_tag: impl FnMut(&[u8]),
) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(128 * 1024);
    let mut chunk = vec![0u8; 64 * 1024];
    let mut seen: u64 = 0;
    loop {
        let n = reader.read(&mut chunk)?;
        if n == 0 {
            return Ok(());
        }
        seen += n as u64;
        if seen >= budget {
            return Err(std::io::Error::other("展開後のサイズが上限を超えました"));
        }
        buf.extend_from_slice(&chunk[..n]);
        let consumed = complete_tags(&buf, &mut on_tag);
        buf.drain(..consumed);
        if buf.len() > MAX_TAG_BYTES {
            return Err(std::io::Error::other("異常に長いタグがあります"));
        }
    }
}

/// Calls `on_tag` for the complete tags in `buf`; returns how many bytes were processed.
fn complete_tags(buf: &[u8], on_tag: &mut impl FnMut(&[u8])) -> usize {
    let mut pos = 0;
    while let Some(off) = memchr::memchr(b'<', &buf[pos..]) {
        let start = pos + off;
        let mut quote = None;
        let end = buf[start + 1..].iter().position(|&b| match quote {
            Some(q) if b == q => {
                quote = None;
                false
            }
            Some(_) => false,
            None if b == b'"' || b == b'\'' => {
                quote = Some(b);
                false
            }
            None => b == b'>',
        });
        let Some(end) = end.map(|e| start + 1 + e) else {
            return start;
        };
        on_tag(&buf[start + 1..end]);
        pos = end + 1;
    }
    buf.len()
}

/// A tag's local name (without its namespace prefix), whether it closes an element
/// (`</row>`) and whether it is self-closing (`<c r="B2"/>`).
fn tag_name(tag: &[u8]) -> (&[u8], bool, bool) {
    let closing = tag.first() == Some(&b'/');
    let body = if closing { &tag[1..] } else { tag };
    let name_len = body
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(body.len());
    let name = &body[..name_len];
    let local = match memchr::memrchr(b':', name) {
        Some(i) => &name[i + 1..],
        None => name,
    };
    (local, closing, tag.last() == Some(&b'/'))
}

/// The value of attribute `name` (no prefix) in a tag, with any quotes and spacing.
fn attr<'t>(tag: &'t [u8], name: &[u8]) -> Option<&'t [u8]> {
    let mut i = 0;
    while i < tag.len() {
        // an attribute starts after white space
        if !tag[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let rest = &tag[i..];
        let key_start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        let rest = &rest[key_start..];
        let key_len = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'=')
            .unwrap_or(rest.len());
        let key = &rest[..key_len];
        let after = &rest[key_len..];
        let eq = after.iter().position(|b| !b.is_ascii_whitespace())?;
        if after[eq] != b'=' {
            i += key_start + key_len.max(1);
            continue;
        }
        let after = &after[eq + 1..];
        let q = after.iter().position(|b| !b.is_ascii_whitespace())?;
        let quote = after[q];
        let value_start = q + 1;
        let value_len = if quote == b'"' || quote == b'\'' {
            memchr::memchr(quote, &after[value_start..])?
        } else {
            return None;
        };
        if key == name {
            return Some(&after[value_start..value_start + value_len]);
        }
        i = (tag.len() - after.len()) + value_start + value_len + 1;
    }
    None
}

/// Where calamine puts the cells of a worksheet: positions from `r` attributes, or
/// counted from the row's `r` and the cells before for cells without one.
#[derive(Debug, Default)]
struct SheetScan {
    bounds: Bounds,
    /// A `<f>` formula element was seen.
    formulas: bool,
    /// A `<mergeCell>` element was seen.
    merges: bool,
    /// 0-based row of the current `<row>`.
    row: u64,
    /// 0-based column of the next cell without `r`.
    col: u64,
}

impl SheetScan {
    fn tag(&mut self, tag: &[u8]) {
        let (name, closing, self_closing) = tag_name(tag);
        match (name, closing) {
            (b"row", true) => {
                self.row = self.row.saturating_add(1);
                self.col = 0;
            }
            (b"row", false) if !self_closing => {
                if let Some(row) = attr(tag, b"r").and_then(row_number) {
                    self.row = row.saturating_sub(1);
                }
            }
            (b"f", false) => self.formulas = true,
            (b"mergeCell", false) => self.merges = true,
            (b"c", false) if !self_closing => {
                let (row, col) = match attr(tag, b"r") {
                    Some(r) => {
                        let Some((row, col)) = cell_ref(r) else {
                            return; // calamine refuses the sheet
                        };
                        self.col = col.saturating_sub(1);
                        (row, col)
                    }
                    None => (self.row.saturating_add(1), self.col.saturating_add(1)),
                };
                self.bounds = Some(match self.bounds {
                    None => (row, col, row, col),
                    Some((r0, c0, r1, c1)) => (r0.min(row), c0.min(col), r1.max(row), c1.max(col)),
                });
                self.col = self.col.saturating_add(1);
            }
            _ => {}
        }
    }
}

/// Streams a worksheet's XML: the bounding box of its non-empty `<c>` cells, and
/// whether it holds formulas and merged cells.
fn scan_sheet(reader: &mut impl Read, budget: u64) -> std::io::Result<SheetScan> {
    let mut scan = SheetScan::default();
    scan_tags(reader, budget, |tag| scan.tag(tag))?;
    Ok(scan)
}

/// The bounding box only (tests).
#[cfg(test)]
fn scan_sheet_bounds(reader: &mut impl Read, budget: u64) -> std::io::Result<Bounds> {
    scan_sheet(reader, budget).map(|scan| scan.bounds)
}

/// A row number (1-based) as calamine reads it, saturating instead of wrapping.
fn row_number(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0u64, |acc, b| {
        acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    }))
}

/// `(row, col)`, 1-based, of a cell reference such as `AB12` (letters in either case).
fn cell_ref(r: &[u8]) -> Option<(u64, u64)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 {
        return None;
    }
    let col = r[..letters].iter().fold(0u64, |acc, b| {
        acc.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A' + 1))
    });
    Some((row_number(&r[letters..])?, col))
}

/// Excel's grid: 1,048,576 rows × 16,384 columns.
const EXCEL_MAX_ROWS: u64 = 1_048_576;
const EXCEL_MAX_COLUMNS: u64 = 16_384;

/// Refuses cells outside Excel's grid. Excel never writes them, and calamine counts rows
/// in `u32`, so a row past 4,294,967,295 wraps to the top and spans the whole range.
fn check_grid(bounds: Bounds, name: &str) -> Result<(), Rejection> {
    match bounds {
        Some((_, _, r1, c1)) if r1 > EXCEL_MAX_ROWS || c1 > EXCEL_MAX_COLUMNS => {
            Err(Rejection::Limit(format!(
                "{name} に Excel の範囲（{EXCEL_MAX_ROWS} 行 × {EXCEL_MAX_COLUMNS} 列）の外のセルがあります"
            )))
        }
        _ => Ok(()),
    }
}

fn check_area(bounds: Bounds, name: &str, limits: &Limits) -> Result<(), Rejection> {
    if let Some((r0, c0, r1, c1)) = bounds {
        let area = (r1 - r0 + 1).saturating_mul(c1 - c0 + 1);
        if area > limits.max_cells {
            return Err(Rejection::Limit(format!(
                "{name} のセル範囲が {area} セル（上限 {}）",
                limits.max_cells
            )));
        }
    }
    Ok(())
}

/// .xls (BIFF) and encrypted OOXML live in a compound file. Reads the Workbook stream's
/// records: FILEPASS means a password; DIMENSIONS must stay within the cell limit.
fn check_cfb(bytes: &[u8], limits: &Limits) -> Result<Format, Rejection> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| Rejection::Unreadable(format!("複合ファイルとして壊れています（{e}）")))?;
    if file.exists("/EncryptionInfo") || file.exists("/EncryptedPackage") {
        return Err(Rejection::Encrypted);
    }
    let stream = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|p| file.exists(p));
    let Some(stream) = stream else {
        return Err(Rejection::Unreadable(
            "Excel 97-2003 ブックではない複合ファイルです（Word などの可能性）".to_string(),
        ));
    };
    let mut data = Vec::new();
    file.open_stream(stream)
        .and_then(|s| s.take(limits.max_decompressed_bytes).read_to_end(&mut data))
        .map_err(|e| Rejection::Unreadable(format!("ブックのストリームを読めません（{e}）")))?;
    check_biff_records(&data, limits)?;
    Ok(Format::Xls)
}

fn check_biff_records(data: &[u8], limits: &Limits) -> Result<(), Rejection> {
    let name = "シート";
    let mut pos = 0usize;
    // The cells of the current sheet (BOF starts one): calamine places them by their
    // records' positions, whatever DIMENSIONS declares.
    let mut bounds: Bounds = None;
    let include = |bounds: &mut Bounds, row: u64, col: u64| {
        let (row, col) = (row + 1, col + 1);
        *bounds = Some(match *bounds {
            None => (row, col, row, col),
            Some((r0, c0, r1, c1)) => (r0.min(row), c0.min(col), r1.max(row), c1.max(col)),
        });
    };
    while let Some(header) = data.get(pos..pos + 4) {
        let typ = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let body = data.get(pos + 4..pos + 4 + len).unwrap_or(&[]);
        let u16_at = |i: usize| {
            body.get(i..i + 2)
                .map_or(0, |b| u64::from(u16::from_le_bytes([b[0], b[1]])))
        };
        match typ {
            0x0809 => {
                check_area(std::mem::take(&mut bounds), name, limits)?;
            }
            // Number, Label, RString, BoolErr, Rk, LabelSst, Formula
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 if body.len() >= 4 => {
                include(&mut bounds, u16_at(0), u16_at(2));
            }
            // MulRk: row, first column, …, last column
            0x00BD if body.len() >= 6 => {
                include(&mut bounds, u16_at(0), u16_at(2));
                include(&mut bounds, u16_at(0), u16_at(body.len() - 2));
            }
            0x002F => return Err(Rejection::Encrypted),
            0x0200 if body.len() >= 12 => {
                let u32_at = |i: usize| {
                    u64::from(u32::from_le_bytes([
                        body[i],
                        body[i + 1],
                        body[i + 2],
                        body[i + 3],
                    ]))
                };
                let (rows, cols) = (
                    u32_at(4).saturating_sub(u32_at(0)),
                    u64::from(u16::from_le_bytes([body[10], body[11]]))
                        .saturating_sub(u64::from(u16::from_le_bytes([body[8], body[9]]))),
                );
                let area = rows.saturating_mul(cols);
                if area > limits.max_cells {
                    return Err(Rejection::Limit(format!(
                        "シートの宣言範囲が {area} セル（上限 {}）",
                        limits.max_cells
                    )));
                }
            }
            _ => {}
        }
        pos += 4 + len;
    }
    check_area(bounds, name, limits)
}

#[cfg(test)]
mod tests;
