//! ODS: repeated rows and cells counted before calamine expands them.

use super::*;

/// Scans an ODS's content.xml for tables whose repeated rows and cells
/// (`table:number-rows-repeated`, `table:number-columns-repeated`) would make calamine
/// expand more cells than the limits allow: 800 bytes can declare 100 million.
pub(super) fn check_ods_content(
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
pub(super) const ODS_MAX_ROWS: u64 = 1_048_576;

pub(super) const ODS_MAX_COLUMNS: u64 = 16_384;

/// The expanded extent of the current ODS table's non-empty cells.
#[derive(Debug, Default)]
pub(super) struct OdsScan {
    bounds: Bounds,
    /// 0-based row where the current `<table:table-row>` starts, and its repeat count.
    row: u64,
    row_repeat: u64,
    /// 0-based column of the next cell in the row.
    col: u64,
}

impl OdsScan {
    /// Reads one tag; returns the finished table's bounds at `</table:table>`.
    pub(super) fn tag(&mut self, tag: &[u8]) -> Option<Bounds> {
        let closing = tag.first() == Some(&b'/');
        let body = if closing { &tag[1..] } else { tag };
        let name_len = body
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .unwrap_or(body.len());
        let self_closing = tag.last() == Some(&b'/');
        let repeat = |attr_name: &[u8], max: u64| {
            attr(tag, attr_name).and_then(decimal).unwrap_or(1).min(max)
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
