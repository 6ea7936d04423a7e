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
        if !markup.merges {
            markup.merges = search_merges(&mut Cursor::new(head).chain(reader))
                .map_err(|e| Rejection::Unreadable(format!("{name} を展開できません（{e}）")))?;
        }
    }
    Ok(markup)
}

/// Whether XML holds a `<mergeCell` element (with or without a namespace prefix),
/// streaming it through a small buffer and stopping at the first one.
pub(super) fn search_merges(reader: &mut impl Read) -> std::io::Result<bool> {
    const MERGE: &[u8] = b"mergeCell";
    let finder = memmem::Finder::new(MERGE);
    let mut buf = vec![0u8; 256 * 1024];
    let mut kept = 0;
    loop {
        let n = reader.read(&mut buf[kept..])?;
        if n == 0 {
            return Ok(false);
        }
        let filled = kept + n;
        if finder.find(&buf[..filled]).is_some() {
            return Ok(true); // the rest need not be inflated
        }
        // a needle cut by the read boundary is found with the next read
        kept = (MERGE.len() - 1).min(filled);
        buf.copy_within(filled - kept..filled, 0);
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
