//! xlsx: the parts the guard has to inflate anyway (sheets, shared strings), handed on
//! to calamine inflated.
//!
//! The guard reads the shared strings' first tag and searches the sheet parts for
//! merged cells; calamine then inflated the same parts again. Here the guard inflates
//! each of them once, into a copy of the zip that stores them (method 0), and checks
//! them there; calamine reads the copy. A sheet's merged cells are moved to its start
//! on the way ([`super::merges_first`]). The other parts calamine reads (the workbook,
//! its styles and relationships) are stored inflated too, so that calamine inflates
//! nothing: one pair of inflaters serves the whole file ([`inflate`]). The styles keep
//! only their number formats ([`super::styles`]). The parts calamine does not read are
//! copied as they are (compressed), and the theme is left out: calamine would parse it
//! only for the colours of fonts, fills and borders (6 % of a small batch's CPU in the
//! tenth round); without it, calamine takes the default Office colours. Anything
//! unusual (an encrypted or non-ASCII entry, a method other than stored or deflate,
//! more inflated bytes than [`UNPACKED_MAX`]) leaves the file to
//! [`super::check_xlsx_parts`] and calamine as it is.
//!
//! The copy is a plain zip written here: local headers without extra fields, sizes in
//! the headers (no data descriptors), the central directory and its end record. Each
//! entry keeps its name and CRC (checked here against the inflated bytes).

use flate2::{Decompress, FlushDecompress, Status};

use super::*;

/// Most inflated bytes a workbook is unpacked with; a larger one is read as it is.
/// Inflating a 16 MB detail sheet twice cost more than the copy (20 files of 50,000 rows).
pub(super) const UNPACKED_MAX: u64 = 64 * 1024 * 1024;

/// Writes the workbook with its sheets and shared strings stored into `out` (replacing
/// what it held) and gives what the guard learnt on the way; `None` to check and read
/// the file as it is (`out` then holds nothing to read).
///
/// # Errors
/// A [`Rejection`] when a part cannot be inflated or the shared strings declare more
/// than the limits allow, as [`super::check_xlsx_parts`] gives them.
pub(super) fn unpack_xlsx(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    bytes: &[u8],
    limits: &Limits,
    out: &mut Vec<u8>,
) -> Result<Option<Markup>, Rejection> {
    unpack_with(archive, bytes, limits, out, UNPACKED_MAX)
}

/// [`unpack_xlsx`] with at most `max` inflated bytes; `bytes` are the file `archive`
/// reads.
pub(super) fn unpack_with(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    bytes: &[u8],
    limits: &Limits,
    out: &mut Vec<u8>,
    max: u64,
) -> Result<Option<Markup>, Rejection> {
    let Some(plan) = plan(archive, max)? else {
        return Ok(None);
    };
    out.clear();
    out.reserve(plan.capacity);
    let mut entries: Vec<Entry> = Vec::with_capacity(plan.parts.len());
    // Sheets without merged cells: their entry, and where their root tag ends.
    let mut bare: Vec<(usize, usize)> = Vec::new();
    let mut markup = Markup::NONE;
    let mut inflated: u64 = 0;
    let mut inflaters = Inflaters::new();
    for (i, kind) in plan.parts.iter().enumerate() {
        let offset = out.len();
        let meta = match kind {
            Part::Dropped => continue,
            Part::Copied => {
                let entry = archive.by_index_raw(i).map_err(broken)?;
                let meta = Entry::of(&entry, offset);
                let Some(data) = entry_data(bytes, entry.data_start(), meta.compressed) else {
                    return Ok(None);
                };
                write_local(out, &meta);
                out.extend_from_slice(data);
                meta
            }
            Part::Inflated(check) => {
                let entry = archive.by_index_raw(i).map_err(broken)?;
                let mut meta = Entry::of(&entry, offset);
                let name = std::str::from_utf8(&meta.name).unwrap_or_default();
                let Some(data) = entry_data(bytes, entry.data_start(), meta.compressed) else {
                    return Ok(None);
                };
                let method = meta.method;
                meta.method = STORED;
                write_local(out, &meta);
                let start = out.len();
                let room = max.saturating_sub(inflated);
                let fits = if method == DEFLATED {
                    inflate(&mut inflaters, data, out, meta.size, room).map_err(|e| {
                        Rejection::Unreadable(format!("{name} を展開できません（{e}）"))
                    })?
                } else if data.len() as u64 <= room {
                    out.extend_from_slice(data);
                    true
                } else {
                    false
                };
                let part = out.get_mut(start..).unwrap_or_default();
                if !fits {
                    return Ok(None);
                }
                if crc32fast::hash(part) != meta.crc {
                    return Err(Rejection::Unreadable(format!(
                        "{name} を展開できません（CRC が一致しません）"
                    )));
                }
                inflated += part.len() as u64;
                match check {
                    Check::Strings => {
                        let head = part.get(..STRINGS_HEAD).unwrap_or(part);
                        check_shared_strings(head, part.len() > STRINGS_HEAD, name, limits)?;
                    }
                    Check::Merges if memmem::find(part, b"mergeCell").is_some() => {
                        markup.merges = true;
                        if merges_first::move_merges_first(part) {
                            meta.crc = crc32fast::hash(part);
                        }
                    }
                    Check::Merges => {
                        if let Some(root_end) = merges_first::worksheet_root_end(part) {
                            bare.push((entries.len(), start + root_end));
                        }
                    }
                    Check::Styles => {
                        if let Some(kept) = styles::kept_ranges(part) {
                            let len = styles::keep(part, &kept);
                            out.truncate(start + len);
                            meta.crc = crc32fast::hash(out.get(start..).unwrap_or_default());
                        }
                    }
                    Check::Nothing => {}
                }
                let len = out.len().saturating_sub(start) as u64;
                meta.compressed = len;
                meta.size = len;
                patch_header(out, offset, &meta);
                meta
            }
        };
        entries.push(meta);
    }
    if markup.merges && !bare.is_empty() {
        *out = with_no_merges(out, &mut entries, &bare);
    }
    let mut central = Vec::new();
    for entry in &entries {
        write_central(&mut central, entry);
    }
    let Ok(count) = u16::try_from(entries.len()) else {
        return Ok(None);
    };
    let Ok(central_offset) = u32::try_from(out.len()) else {
        return Ok(None);
    };
    let Ok(central_len) = u32::try_from(central.len()) else {
        return Ok(None);
    };
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // this disk, the disk where the directory starts
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&central_len.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&[0; 2]); // no comment
    Ok(Some(markup))
}

/// The copy written again with [`merges_first::NO_MERGES`] after the root tag of each
/// sheet in `bare` (its entry, and where in `copy` its root tag ends), for a workbook
/// with merged cells: calamine then finds the sheet has none at once instead of
/// parsing it to its end. The entries' offsets, sizes and CRCs are brought up to date.
fn with_no_merges(copy: &[u8], entries: &mut [Entry], bare: &[(usize, usize)]) -> Vec<u8> {
    let added = merges_first::NO_MERGES.len();
    let mut out = Vec::with_capacity(copy.len() + bare.len() * added);
    let ends: Vec<usize> = entries
        .iter()
        .skip(1)
        .map(|e| e.offset)
        .chain([copy.len()])
        .collect();
    let mut bare = bare.iter().peekable();
    for (i, (entry, end)) in entries.iter_mut().zip(ends).enumerate() {
        let region = copy.get(entry.offset..end).unwrap_or_default();
        let offset = out.len();
        match bare.next_if(|(k, _)| *k == i) {
            Some(&(_, at)) => {
                let (head, rest) =
                    region.split_at(at.saturating_sub(entry.offset).min(region.len()));
                out.extend_from_slice(head);
                out.extend_from_slice(merges_first::NO_MERGES);
                out.extend_from_slice(rest);
                let data_start = offset + entry.local_header_len();
                entry.crc = crc32fast::hash(out.get(data_start..).unwrap_or_default());
                entry.size += added as u64;
                entry.compressed += added as u64;
                entry.offset = offset;
                patch_header(&mut out, offset, entry);
            }
            None => {
                out.extend_from_slice(region);
                entry.offset = offset;
            }
        }
    }
    out
}

/// How much of the shared strings [`check_shared_strings`] reads its tag from (as
/// [`super::check_xlsx_parts`]).
const STRINGS_HEAD: usize = 64 * 1024;

const STORED: u16 = 0;
const DEFLATED: u16 = 8;

/// What becomes of each entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Inflated and stored, then checked: the shared strings, a part that may hold
    /// merged cells, or another part calamine reads.
    Inflated(Check),
    /// Copied compressed (another part calamine may read: its name is not one it is
    /// known to read, nor known to be left alone).
    Copied,
    /// Left out (the theme, and package metadata calamine never opens).
    Dropped,
}

/// What the guard checks in an inflated part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// The shared strings' declared count ([`check_shared_strings`]).
    Strings,
    /// Merged cells, moved to the sheet's start ([`merges_first`]).
    Merges,
    /// The styles, cut down to the number formats ([`styles`]).
    Styles,
    /// Nothing: inflated only so that calamine reads it stored.
    Nothing,
}

struct Plan {
    parts: Vec<Part>,
    /// The copy's size as declared (inflated parts at their declared size).
    capacity: usize,
}

/// Decides per entry, or `None` when the file is better read as it is.
fn plan(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, max: u64) -> Result<Option<Plan>, Rejection> {
    if archive.len() >= usize::from(u16::MAX) {
        return Ok(None);
    }
    let mut parts = Vec::with_capacity(archive.len());
    let mut inflated: u64 = 0;
    let mut capacity: u64 = 22;
    let mut normalized = String::new();
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(broken)?;
        let name = entry.name_raw();
        let method = method(&entry);
        if entry.encrypted() || !name.is_ascii() || method.is_none() {
            return Ok(None);
        }
        normalized.clear();
        normalized.extend(name.iter().map(|&b| match b {
            b'\\' => '/',
            b => char::from(b.to_ascii_lowercase()),
        }));
        let part = if is_theme_part(&normalized) || not_for_calamine(&normalized) {
            Part::Dropped
        } else if normalized.ends_with("sharedstrings.xml") {
            Part::Inflated(Check::Strings)
        } else if may_hold_merges(&normalized) {
            Part::Inflated(Check::Merges)
        } else if normalized == "xl/styles.xml" {
            Part::Inflated(Check::Styles)
        } else if read_by_calamine(&normalized) {
            Part::Inflated(Check::Nothing)
        } else {
            Part::Copied
        };
        let header = 30 + 46 + name.len() as u64;
        capacity = capacity.saturating_add(header);
        match part {
            Part::Inflated(_) => {
                inflated = inflated.saturating_add(entry.size());
                capacity = capacity.saturating_add(entry.size());
            }
            Part::Copied => capacity = capacity.saturating_add(entry.compressed_size()),
            Part::Dropped => {}
        }
        parts.push(part);
    }
    if inflated > max || capacity > u64::from(u32::MAX) {
        return Ok(None);
    }
    Ok(Some(Plan {
        parts,
        capacity: usize::try_from(capacity).unwrap_or(0),
    }))
}

/// Whether the part is package metadata that calamine never opens (the content types,
/// the document properties, custom XML): left out of the copy, calamine's zip reader
/// does not list them (three of a small workbook's ten entries).
fn not_for_calamine(normalized: &str) -> bool {
    normalized == "[content_types].xml"
        || normalized.starts_with("docprops/")
        || normalized.starts_with("customxml/")
}

/// Whether calamine reads the part (by its lower-case name with `/`): the package's and
/// the workbook's XML and relationships. Inflated here, with one pair of inflaters for
/// the whole file, they are stored for calamine, which made an inflater per part (six
/// a small workbook, with the sheet and the shared strings: 6 % of a small batch's
/// instructions, most of it zeroing each inflater's tables).
fn read_by_calamine(normalized: &str) -> bool {
    (normalized.starts_with("xl/") || normalized == "_rels/.rels")
        && (normalized.ends_with(".xml") || normalized.ends_with(".rels"))
}

/// The compressed bytes of an entry that start at `start` in `bytes`; `None` when
/// they are not all there.
fn entry_data(bytes: &[u8], start: Option<u64>, len: u64) -> Option<&[u8]> {
    let start = usize::try_from(start?).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    bytes.get(start..end)
}

/// The inflaters of one file's parts.
pub(super) struct Inflaters {
    /// libdeflate's, which inflates a whole stream at once into the room its header
    /// declares: it builds its Huffman tables and inflates in a third of the
    /// instructions zlib-rs took (2,000 small files: 510 M → 153 M, 13 % of the run).
    whole: libdeflater::Decompressor,
    /// flate2's, made for a stream `whole` could not finish (a broken one, or one whose
    /// header understates its size): it inflates step by step, growing the room, and
    /// names what is wrong as before.
    stepwise: Option<Decompress>,
}

impl Inflaters {
    pub(super) fn new() -> Self {
        Inflaters {
            whole: libdeflater::Decompressor::new(),
            stepwise: None,
        }
    }

    /// Whether a stream needed the step-by-step inflater.
    #[cfg(test)]
    pub(super) fn stepped(&self) -> bool {
        self.stepwise.is_some()
    }
}

/// Deflate makes at most 258 bytes of 2 bits: 1,032 per compressed byte, and one
/// match (258 bytes) more for a stream's last, partly used byte.
const DEFLATE_MAX_RATIO: u64 = 1032;

/// Inflates the raw deflate stream `data` onto the end of `out`, expecting `declared`
/// bytes. `Ok(false)` when it holds more than `room` bytes: `out` then holds at most
/// one byte more, whatever the stream would make (a zip bomb's header can lie).
///
/// libdeflate inflates it whole into one byte more than it declares (and never more
/// than `room` and a byte, nor than `data` can make, so a lying header does not make
/// the room larger); a stream that does not end there goes to
/// [`inflate_stepwise`], unless the room was the limit: it is then past it.
///
/// # Errors
/// The stream is broken or ends early.
pub(super) fn inflate(
    inflaters: &mut Inflaters,
    data: &[u8],
    out: &mut Vec<u8>,
    declared: u64,
    room: u64,
) -> Result<bool, String> {
    let start = out.len();
    let most = (data.len() as u64)
        .saturating_mul(DEFLATE_MAX_RATIO)
        .saturating_add(258);
    let len = declared.min(room).min(most).saturating_add(1);
    if let Some(end) = usize::try_from(len).ok().and_then(|n| start.checked_add(n)) {
        out.resize(end, 0);
        let made = inflaters
            .whole
            .deflate_decompress(data, out.get_mut(start..).unwrap_or_default());
        match made {
            Ok(made) => {
                out.truncate(start + made);
                return Ok(made as u64 <= room);
            }
            // The room was `room` and a byte, and the stream makes more: past the
            // room, with no second inflating to find it out.
            Err(libdeflater::DecompressionError::InsufficientSpace) if len > room => {
                return Ok(false);
            }
            Err(_) => out.truncate(start),
        }
    }
    let stepwise = inflaters
        .stepwise
        .get_or_insert_with(|| Decompress::new(false));
    inflate_stepwise(stepwise, data, out, declared, room)
}

/// [`inflate`] step by step, growing `out` as the stream makes more than declared.
fn inflate_stepwise(
    inflater: &mut Decompress,
    data: &[u8],
    out: &mut Vec<u8>,
    declared: u64,
    room: u64,
) -> Result<bool, String> {
    inflater.reset(false);
    let start = out.len();
    let limit = room.saturating_add(1);
    let want = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    out.reserve_exact(want(declared.saturating_add(1).min(limit)));
    loop {
        let read = want(inflater.total_in());
        let rest = data.get(read..).unwrap_or_default();
        let before = out.len();
        let status = inflater
            .decompress_vec(rest, out, FlushDecompress::Finish)
            .map_err(|e| e.to_string())?;
        let made = (out.len() - start) as u64;
        if made > room {
            return Ok(false);
        }
        if status == Status::StreamEnd {
            return Ok(true);
        }
        if out.len() < out.capacity() {
            if out.len() == before && want(inflater.total_in()) == read {
                return Err("データが途中で終わっています".to_string());
            }
        } else {
            // The header gave too small a size: grow by what is made so far, at
            // least 64 KiB, and never past one byte more than `room`.
            out.reserve_exact(want(made.max(64 * 1024).min(limit - made)));
        }
    }
}

fn broken(e: zip::result::ZipError) -> Rejection {
    Rejection::Unreadable(format!("zip として壊れています（{e}）"))
}

/// The method's number, for the two this copy writes.
fn method<R: Read>(entry: &zip::read::ZipFile<'_, R>) -> Option<u16> {
    match entry.compression() {
        zip::CompressionMethod::Stored => Some(STORED),
        zip::CompressionMethod::Deflated => Some(DEFLATED),
        _ => None,
    }
}

/// One entry of the copy, as its headers give it.
struct Entry {
    name: Vec<u8>,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    /// Where its local header starts in the copy.
    offset: usize,
}

impl Entry {
    /// The length of its local header as [`write_local`] writes it.
    fn local_header_len(&self) -> usize {
        30 + self.name.len()
    }

    fn of<R: Read>(entry: &zip::read::ZipFile<'_, R>, offset: usize) -> Entry {
        Entry {
            name: entry.name_raw().to_vec(),
            method: method(entry).unwrap_or(STORED),
            crc: entry.crc32(),
            compressed: entry.compressed_size(),
            size: entry.size(),
            offset,
        }
    }
}

/// Version 2.0, needed for deflate.
const VERSION: u16 = 20;
/// 1980-01-01, the earliest date a zip header holds.
const DOS_DATE: u16 = 0x21;

/// Sizes as the headers hold them (the plan keeps the whole copy under 4 GiB).
fn u32_of(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn write_local(out: &mut Vec<u8>, e: &Entry) {
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    write_fields(out, e);
    out.extend_from_slice(&0u16.to_le_bytes()); // no extra field
    out.extend_from_slice(&e.name);
}

/// The fields both headers hold, in their order: version needed, flags (none), method,
/// time and date, CRC, sizes, the name's length.
fn write_fields(out: &mut Vec<u8>, e: &Entry) {
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&e.method.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&DOS_DATE.to_le_bytes());
    out.extend_from_slice(&e.crc.to_le_bytes());
    out.extend_from_slice(&u32_of(e.compressed).to_le_bytes());
    out.extend_from_slice(&u32_of(e.size).to_le_bytes());
    out.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
}

/// Writes the CRC and the sizes into the local header at `offset`, once the part is
/// inflated (and its merged cells moved first).
fn patch_header(out: &mut [u8], offset: usize, e: &Entry) {
    let fields = [e.crc, u32_of(e.compressed), u32_of(e.size)];
    for (k, value) in fields.into_iter().enumerate() {
        let at = offset + 14 + 4 * k;
        if let Some(field) = out.get_mut(at..at + 4) {
            field.copy_from_slice(&value.to_le_bytes());
        }
    }
}

fn write_central(out: &mut Vec<u8>, e: &Entry) {
    out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    out.extend_from_slice(&VERSION.to_le_bytes()); // made by
    write_fields(out, e);
    out.extend_from_slice(&[0; 12]); // extra, comment, disk, internal and external attributes
    out.extend_from_slice(&u32_of(e.offset as u64).to_le_bytes());
    out.extend_from_slice(&e.name);
}
