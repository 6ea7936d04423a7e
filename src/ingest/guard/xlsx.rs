//! xlsx: every part scanned for declared counts and cell positions.

use super::*;

/// Scans the parts of an xlsx for declared counts and cell positions that would make
/// calamine allocate more than the limits allow.
///
/// calamine finds the worksheets and the shared strings through the relationships, so
/// their entry names prove nothing (`xl/worksheets/sheet1.xMl` is read as well): every
/// entry but pictures and binaries is scanned, by index, so that two entries with one
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
        let scan = scan_sheet(&mut Cursor::new(head).chain(reader), budget)
            .map_err(|e| Rejection::Unreadable(format!("{name} を展開できません（{e}）")))?;
        check_grid(scan.bounds, &name)?;
        check_area(scan.bounds, &name, limits)?;
        markup.formulas |= scan.formulas;
        markup.merges |= scan.merges;
    }
    Ok(markup)
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
