//! xlsb: cell records placed as calamine places them, before it allocates the sheet.

use super::*;

/// The worksheets of an .xlsb: every part under `worksheets/` and every part the
/// workbook's relationships point to (calamine follows those, whatever their names).
pub(super) fn xlsb_sheet_parts(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Vec<String> {
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
pub(super) fn check_xlsb_parts(
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
pub(super) fn xlsb_bounds(data: &[u8]) -> Bounds {
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
pub(super) fn xlsb_record(data: &[u8], pos: usize) -> Option<(u16, usize, usize)> {
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
