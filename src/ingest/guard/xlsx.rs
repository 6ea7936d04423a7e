//! xlsx: the declared count calamine reserves room for, and a search for merged cells
//! (which cost calamine a second read of the sheet).
//!
//! The cells themselves are bounded while they are read ([`crate::ingest::excel`]
//! streams them through calamine's cell reader, which allocates nothing from positions
//! the file declares), and the zip crate stops an entry that inflates past its declared
//! size, whose total [`super::check_zip`] already bounded. The one count calamine 0.38
//! reserves from is the shared strings' `uniqueCount`, in the part it opens by name
//! (`{folder}sharedStrings.xml`, looked up case-insensitively). So only that part's
//! first tag is read here, and the sheet parts are inflated, not tokenised, until a
//! merged cell is found. The other parts (theme, styles, relationships, properties) are
//! left to calamine: inflating each of them here was a tenth of reading a small file.
//!
//! Most workbooks do not come here: [`super::unpack`] inflates the same parts once and
//! hands them to calamine stored. This is the way for the others (see there).

use super::*;

/// Checks the shared strings' declared count against the limits, and notes whether any
/// sheet part holds merged cells.
///
/// Entries are looked at by index, so that two entries with one name are both seen, and
/// names are compared as calamine compares them (`\` as `/`, any case).
pub(super) fn check_xlsx_parts(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    limits: &Limits,
) -> Result<Markup, Rejection> {
    PART_BUFFER.with_borrow_mut(|buf| check_parts_with(archive, limits, buf))
}

thread_local! {
    /// The buffer [`check_xlsx_parts`] reads parts through, one per reading thread: a
    /// new one for every workbook was 64 KiB zeroed per file (a batch of small files
    /// has a few KiB to read in each).
    static PART_BUFFER: std::cell::RefCell<Vec<u8>> =
        std::cell::RefCell::new(vec![0u8; 64 * 1024]);
}

fn check_parts_with(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    limits: &Limits,
    buf: &mut [u8],
) -> Result<Markup, Rejection> {
    let mut markup = Markup::NONE;
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| Rejection::Unreadable(format!("zip として壊れています（{e}）")))?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        let normalized = name.replace('\\', "/").to_ascii_lowercase();
        let strings = normalized.ends_with("sharedstrings.xml");
        let merges = !markup.merges && may_hold_merges(&normalized);
        if !strings && !merges {
            continue;
        }
        let budget = limits.max_decompressed_bytes.saturating_add(1);
        let mut reader = entry.take(budget);
        let unreadable =
            |e: std::io::Error| Rejection::Unreadable(format!("{name} を展開できません（{e}）"));
        let head = read_up_to(&mut reader, buf).map_err(unreadable)?;
        if strings {
            check_shared_strings(&buf[..head], head == buf.len(), &name, limits)?;
        }
        if merges {
            markup.merges = search_merges(&mut reader, buf, head).map_err(unreadable)?;
        }
    }
    Ok(markup)
}

/// The `<sst>` tag's `uniqueCount` (what calamine reserves room for) and `count`, from
/// the first 64 KiB of the shared strings (`more`: the part goes on). A tag that does
/// not end within them is refused: its count could not be checked.
pub(super) fn check_shared_strings(
    head: &[u8],
    more: bool,
    name: &str,
    limits: &Limits,
) -> Result<(), Rejection> {
    // The first tag named `sst`; the strings after it are not looked at (they were,
    // tag by tag, in the first 64 KiB: 1 % of a run of small workbooks).
    let mut sst: Option<Vec<u8>> = None;
    complete_tags(head, &mut |tag: &[u8]| {
        let local = tag
            .split(|b| b.is_ascii_whitespace() || *b == b'/')
            .next()
            .map(|n| n.rsplit(|b| *b == b':').next().unwrap_or(n))
            .unwrap_or_default();
        if local == b"sst" {
            sst = Some(tag.to_vec());
            return std::ops::ControlFlow::Break(());
        }
        std::ops::ControlFlow::Continue(())
    });
    let Some(tag) = sst else {
        return if more {
            Err(Rejection::Limit(format!(
                "{name} の先頭の <sst> タグが 64 KiB を超えています"
            )))
        } else {
            Ok(()) // no <sst> at all: calamine refuses the file itself
        };
    };
    for key in [&b"uniqueCount"[..], &b"count"[..]] {
        let Some(value) = attr(&tag, key) else {
            continue;
        };
        let digits = &value[..value.iter().take_while(|b| b.is_ascii_digit()).count()];
        if decimal(digits).is_some_and(|count| count > limits.max_cells) {
            return Err(Rejection::Limit(format!(
                "{name} の宣言数 {}（上限 {}）",
                String::from_utf8_lossy(digits),
                limits.max_cells
            )));
        }
    }
    Ok(())
}

/// Whether a part may be a worksheet with merged cells. Only a hint (merged cells
/// missed in an oddly named part cost the reading of merged headings, never safety):
/// Excel, LibreOffice and the Python writers all name them `xl/worksheets/sheetN.xml`.
pub(super) fn may_hold_merges(normalized: &str) -> bool {
    normalized.contains("sheet")
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
