//! xlsx: the zip's parts checked for declared counts, and searched for merged cells
//! (which cost calamine a second read of the sheet).
//!
//! The cells themselves are bounded while they are read ([`crate::ingest::excel`]
//! streams them through calamine's cell reader, which allocates nothing from positions
//! the file declares), and the zip crate stops an entry that inflates past its declared
//! size, whose total [`super::check_zip`] already bounded. So a part is only inflated
//! here to look at its first bytes and, until a merged cell is found, to search it with
//! `memmem`, not tokenised.

use super::*;

/// Checks the parts of an xlsx for declared counts that would make calamine reserve
/// more than the limits allow, and notes whether any holds merged cells.
///
/// calamine finds the worksheets and the shared strings through the relationships, so
/// their entry names prove nothing (`xl/worksheets/sheet1.xMl` is read as well): every
/// entry but pictures and binaries is looked at, by index, so that two entries with one
/// name are both seen.
pub(super) fn check_xlsx_parts(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    limits: &Limits,
) -> Result<Markup, Rejection> {
    let mut markup = Markup::NONE;
    // One buffer for every part (a small workbook's parts are a few kilobytes each).
    let mut buf = vec![0u8; 64 * 1024];
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
        let unreadable =
            |e: std::io::Error| Rejection::Unreadable(format!("{name} を展開できません（{e}）"));
        let head = read_up_to(&mut reader, &mut buf[..4096]).map_err(unreadable)?;
        check_declared_counts(&buf[..head], &name, limits)?;
        if !markup.merges && may_hold_merges(&name) {
            markup.merges = search_merges(&mut reader, &mut buf, head).map_err(unreadable)?;
        }
    }
    Ok(markup)
}

/// Whether a part may be a worksheet with merged cells. Only a hint (merged cells
/// missed in an oddly named part cost the reading of merged headings, never safety):
/// Excel, LibreOffice and the Python writers all name them `xl/worksheets/sheetN.xml`.
fn may_hold_merges(name: &str) -> bool {
    name.to_ascii_lowercase().contains("sheet")
}

/// Whether XML holds a `<mergeCell` element (with or without a namespace prefix),
/// streaming it through `buf`, whose first `filled` bytes are already read, and
/// stopping at the first one.
pub(super) fn search_merges(
    reader: &mut impl Read,
    buf: &mut [u8],
    filled: usize,
) -> std::io::Result<bool> {
    const MERGE: &[u8] = b"mergeCell";
    let finder = memmem::Finder::new(MERGE);
    let mut filled = filled.min(buf.len());
    loop {
        if finder.find(&buf[..filled]).is_some() {
            return Ok(true); // the rest need not be inflated
        }
        // a needle cut by the read boundary is found with the next read
        let kept = (MERGE.len() - 1).min(filled);
        buf.copy_within(filled - kept..filled, 0);
        let n = reader.read(&mut buf[kept..])?;
        if n == 0 {
            return Ok(false);
        }
        filled = kept + n;
    }
}

/// Whether a zip entry may be XML that calamine reads (not a picture or a binary part).
pub(super) fn may_be_xml_part(name: &str) -> bool {
    const BINARY: [&str; 10] = [
        ".bin", ".png", ".jpg", ".jpeg", ".gif", ".emf", ".wmf", ".tif", ".tiff", ".bmp",
    ];
    let lower = name.to_ascii_lowercase();
    !(lower.starts_with("xl/media/") || BINARY.iter().any(|ext| lower.ends_with(ext)))
}

/// The shared strings' `uniqueCount` / `count`, which calamine reserves room for.
pub(super) fn check_declared_counts(
    head: &[u8],
    name: &str,
    limits: &Limits,
) -> Result<(), Rejection> {
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

pub(super) fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

pub(super) fn attr_number(haystack: &[u8], attr: &[u8]) -> Option<u64> {
    let at = memmem::find(haystack, attr)? + attr.len();
    let digits: Vec<u8> = haystack
        .get(at..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}
