//! Streaming XML tag scanning and the bounds of a sheet's cells, shared by the checks.

use std::ops::ControlFlow;

use super::*;

/// Bounds of the cells that carry content: (min_row, min_col, max_row, max_col), 1-based.
pub(crate) type Bounds = Option<(u64, u64, u64, u64)>;

/// Longest tag the scanners accept; real tags are a few hundred bytes.
pub(super) const MAX_TAG_BYTES: usize = 1024 * 1024;

/// Streams XML through a small buffer and hands every complete tag (the bytes between
/// `<` and its `>`, quotes respected) to `on_tag`.
pub(super) fn scan_tags(
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
        let consumed = complete_tags(&buf, &mut |tag| {
            on_tag(tag);
            ControlFlow::Continue(())
        });
        buf.drain(..consumed);
        if buf.len() > MAX_TAG_BYTES {
            return Err(std::io::Error::other("異常に長いタグがあります"));
        }
    }
}

/// Calls `on_tag` for the complete tags in `buf` until it breaks; returns how many
/// bytes were processed (up to the end of the tag it broke at).
pub(super) fn complete_tags(
    buf: &[u8],
    on_tag: &mut impl FnMut(&[u8]) -> ControlFlow<()>,
) -> usize {
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
        pos = end + 1;
        if on_tag(&buf[start + 1..end]).is_break() {
            return pos;
        }
    }
    buf.len()
}

/// The value of attribute `name` (no prefix) in a tag, with any quotes and spacing.
pub(super) fn attr<'t>(tag: &'t [u8], name: &[u8]) -> Option<&'t [u8]> {
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

/// A decimal number written in an attribute (a row number, a repeat or a declared
/// count), saturating instead of wrapping: too many digits is over any limit.
pub(super) fn decimal(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0u64, |acc, b| {
        acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    }))
}

/// Excel's grid: 1,048,576 rows × 16,384 columns.
pub(super) const EXCEL_MAX_ROWS: u64 = 1_048_576;

pub(super) const EXCEL_MAX_COLUMNS: u64 = 16_384;

/// Refuses cells outside Excel's grid. Excel never writes them, and calamine counts rows
/// in `u32`, so a row past 4,294,967,295 wraps to the top and spans the whole range.
pub(crate) fn check_grid(bounds: Bounds, name: &str) -> Result<(), Rejection> {
    match bounds {
        Some((_, _, r1, c1)) if r1 > EXCEL_MAX_ROWS || c1 > EXCEL_MAX_COLUMNS => {
            Err(Rejection::Limit(format!(
                "{name} に Excel の範囲（{EXCEL_MAX_ROWS} 行 × {EXCEL_MAX_COLUMNS} 列）の外のセルがあります"
            )))
        }
        _ => Ok(()),
    }
}

pub(crate) fn check_area(bounds: Bounds, name: &str, limits: &Limits) -> Result<(), Rejection> {
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
