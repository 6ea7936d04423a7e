//! xlsx: a sheet's merged cells moved to the front of its inflated copy.
//!
//! calamine finds a sheet's merged cells by parsing the sheet from its start to the
//! first `<mergeCells>` element, which Excel writes after `<sheetData>`: every cell is
//! parsed a second time. On a 50,000-row sheet with one merged title that made the
//! whole run of the workbook half again as long (3.19 G instructions against 2.15 G
//! without the merge). In the guard's copy ([`super::unpack`]) the element is moved
//! to just after the sheet's root tag, where calamine finds it at once; finding it
//! here is a plain scan of the bytes (about 15 instructions a byte), and the copy
//! gets a new CRC. Once one sheet of a workbook has merged cells, calamine looks for
//! them in every sheet, and in a sheet without any it parsed to the end: such a sheet
//! gets an empty element ([`NO_MERGES`]) after its root tag (it holds no
//! `mergeCells`, so calamine's search over the original finds none either way).
//!
//! calamine reads the same cells and the same merged regions from the moved copy, by
//! construction: it reads only the first `mergeCells` element, up to its first end tag;
//! its cell reader skips every element before `<sheetData>` but `<dimension>`, and the
//! moved element holds nothing but `mergeCell` tags. The markup is split the way
//! quick-xml (calamine's parser) splits it: a `<` starts a tag, a tag ends at the first
//! `>` outside quotes, a name is the tag's text up to white space, its local part
//! follows the first `:`. Anything this does not follow (comments, CDATA, processing
//! instructions after the declaration, entities, other elements or bytes that are not
//! UTF-8 in the moved element) leaves the sheet as it is, for calamine's own search.

use std::ops::Range;

use memchr::{memchr, memmem};

/// Moves the first `mergeCells` element of a sheet part to just after its root tag;
/// `false` (and the part untouched) when there is none or the markup is unusual.
pub(super) fn move_merges_first(part: &mut [u8]) -> bool {
    let Some(found) = locate(part) else {
        return false;
    };
    let moved = found.merges.len();
    match part.get_mut(found.root_end..found.merges.end) {
        Some(region) => {
            region.rotate_right(moved);
            true
        }
        None => false,
    }
}

/// Where the root tag ends and where the first `mergeCells` element lies.
#[derive(Debug, PartialEq, Eq)]
struct Found {
    root_end: usize,
    merges: Range<usize>,
}

/// An empty `mergeCells` element, for a sheet without merged cells in a workbook with
/// some: calamine looks for them in every sheet once one has them, and without the
/// element it parses the whole sheet to its end.
pub(super) const NO_MERGES: &[u8] = b"<mergeCells/>";

/// Where the start tag of a sheet's root (`worksheet`) ends, where [`NO_MERGES`] goes;
/// `None` for anything else before it (see [`locate`]).
pub(super) fn worksheet_root_end(part: &[u8]) -> Option<usize> {
    let at = next_tag(part, after_prolog(part)?)?;
    let tag = part.get(at.clone())?;
    let kind = Kind::of(tag);
    (kind == Kind::Start && local_name(tag, kind) == b"worksheet").then_some(at.end)
}

/// Where the markup starts after a byte-order mark and the XML declaration.
pub(super) fn after_prolog(part: &[u8]) -> Option<usize> {
    let begin = if part.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    // the XML declaration, only as the very first markup
    if !part.get(begin..)?.starts_with(b"<?xml") {
        return Some(begin);
    }
    let gt = begin + memchr(b'>', part.get(begin..)?)?;
    (part.get(gt - 1) == Some(&b'?')).then_some(gt + 1)
}

fn locate(part: &[u8]) -> Option<Found> {
    let mut pos = after_prolog(part)?;
    // Where the next `mergeCells` lies in the bytes: a tag that ends before it is
    // none of ours, and is only followed through (most of a sheet).
    let mut next = pos + memmem::find(part.get(pos..)?, b"mergeCells")?;
    // The same for `sheetData`, until calamine's cell reader would stop.
    let mut next_data = find_from(part, pos, b"sheetData");
    let mut scan = Scan::default();
    loop {
        let at = next_tag(part, pos)?;
        let lt = at.start;
        pos = at.end;
        let tag = part.get(at)?;
        let kind = Kind::of(tag);
        scan.open(kind)?;
        let looked_at = pos > next || scan.root_end.is_none() || scan.start.is_some();
        if pos <= next_data && !looked_at {
            continue;
        }
        let name = local_name(tag, kind);
        if pos > next_data {
            scan.sheet_data(name, kind, pos);
            next_data = match scan.data {
                Data::Closed(_) => usize::MAX,
                _ => find_from(part, pos, b"sheetData"),
            };
        }
        if !looked_at {
            continue;
        }
        match scan.tag(name, kind, lt..pos)? {
            Some(merges) => {
                let root_end = scan.root_end?;
                // what calamine's merge search read and its cell reader did not: the
                // search stopped at errors there that the moved element skips
                let unread = match scan.data {
                    Data::Closed(end) if end <= merges.start => end,
                    _ => root_end,
                };
                let between = part.get(unread..merges.start)?;
                if std::str::from_utf8(between).is_err() || memchr(b'&', between).is_some() {
                    return None;
                }
                return checked(part, root_end, merges);
            }
            None if scan.start.is_none() && pos > next => {
                next = pos + memmem::find(part.get(pos..)?, b"mergeCells")?;
            }
            None => {}
        }
    }
}

/// Where `needle` next lies from `pos`, or `usize::MAX`.
fn find_from(part: &[u8], pos: usize, needle: &[u8]) -> usize {
    part.get(pos..)
        .and_then(|rest| memmem::find(rest, needle))
        .map_or(usize::MAX, |i| pos + i)
}

/// The next tag from `pos` (`<` to `>`); `None` at the end of the part and for a
/// comment, CDATA, a DOCTYPE or a processing instruction, which are left to calamine.
pub(super) fn next_tag(part: &[u8], pos: usize) -> Option<Range<usize>> {
    let lt = pos + part.get(pos..)?.iter().position(|&b| b == b'<')?;
    if matches!(part.get(lt + 1)?, b'!' | b'?') {
        return None;
    }
    Some(lt..tag_end(part, lt + 1)? + 1)
}

/// The `>` that ends a tag whose text starts at `from`, outside quoted values (as
/// quick-xml's element parser finds it).
fn tag_end(part: &[u8], from: usize) -> Option<usize> {
    let bytes = part.get(from..)?;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'>' => return Some(from + i),
            b'"' | b'\'' => {
                let rest = bytes.get(i + 1..)?;
                i += 1 + rest.iter().position(|&c| c == b)?;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// What [`locate`] has seen of the tags it looked at.
#[derive(Default)]
struct Scan {
    /// Where the root's start tag ends.
    root_end: Option<usize>,
    /// Where the element starts, once its start tag is seen.
    start: Option<usize>,
    /// Tags open in the element, itself included. An element that closes more than it
    /// opens (or less) would change which tags are open after it, so it stays.
    depth: usize,
    /// Tags open in the sheet (quick-xml's stack, which refuses an end tag with none).
    open: usize,
    /// Where calamine's cell reader is: before `<sheetData>`, in it, or past its end.
    data: Data,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Data {
    #[default]
    Before,
    In,
    /// Past the end tag, which ends at this offset.
    Closed(usize),
}

/// What quick-xml makes of a tag (`<…>`): an end tag when it starts with `</`, else an
/// empty element when it ends with `/>`, else a start tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Start,
    Empty,
    End,
}

impl Kind {
    pub(super) fn of(tag: &[u8]) -> Kind {
        if tag.get(1) == Some(&b'/') {
            Kind::End
        } else if tag.len() >= 3 && tag.get(tag.len() - 2) == Some(&b'/') {
            Kind::Empty
        } else {
            Kind::Start
        }
    }
}

/// A tag's local name: its [`qualified_name`], then what follows the first `:`.
pub(super) fn local_name(tag: &[u8], kind: Kind) -> &[u8] {
    local(qualified_name(tag, kind))
}

/// A tag's name: an end tag's text without white space after it, a start tag's up to
/// white space.
pub(super) fn qualified_name(tag: &[u8], kind: Kind) -> &[u8] {
    let inner = tag.get(1..tag.len().saturating_sub(1)).unwrap_or_default();
    match kind {
        Kind::End => trim_end(inner.get(1..).unwrap_or_default()),
        Kind::Start | Kind::Empty => {
            let content = inner.strip_suffix(b"/").unwrap_or(inner);
            let len = content
                .iter()
                .position(|&b| is_space(b))
                .unwrap_or(content.len());
            content.get(..len).unwrap_or_default()
        }
    }
}

impl Scan {
    /// Counts the open tags; `None` for an end tag with none open, which quick-xml
    /// reports as an error.
    fn open(&mut self, kind: Kind) -> Option<()> {
        match kind {
            Kind::Start => self.open += 1,
            Kind::Empty => {}
            Kind::End => self.open = self.open.checked_sub(1)?,
        }
        Some(())
    }

    /// Follows calamine's cell reader: it starts at the first `sheetData` start tag
    /// and stops at the first `sheetData` end tag after it (ending at `end`).
    fn sheet_data(&mut self, name: &[u8], kind: Kind, end: usize) {
        if name != b"sheetData" {
            return;
        }
        self.data = match (self.data, kind) {
            (Data::Before, Kind::Empty) | (Data::In, Kind::End) => Data::Closed(end),
            (Data::Before, Kind::Start) => Data::In,
            (data, _) => data,
        };
    }

    /// One whole tag (at `at`): `Some(Some(element))` at the end of the element, `None`
    /// when the sheet is better left as it is.
    fn tag(&mut self, name: &[u8], kind: Kind, at: Range<usize>) -> Option<Option<Range<usize>>> {
        match (self.root_end, self.start, kind) {
            // an end tag before the root's start tag is broken
            (None, _, Kind::End) => None,
            // the root: a sheet, with content
            (None, _, Kind::Empty) => None,
            (None, _, Kind::Start) if name == b"mergeCells" => None,
            (None, _, Kind::Start) => {
                self.root_end = Some(at.end);
                Some(None)
            }
            (Some(_), None, _) if name != b"mergeCells" => Some(None),
            (Some(_), None, Kind::Empty) => Some(Some(at)),
            (Some(_), None, Kind::Start) => {
                self.start = Some(at.start);
                self.depth = 1;
                Some(None)
            }
            (Some(_), None, Kind::End) => Some(None),
            // calamine's element ends at its first end tag
            (Some(_), Some(from), Kind::End) => match name {
                b"mergeCells" if self.depth == 1 => Some(Some(from..at.end)),
                b"mergeCell" if self.depth > 1 => {
                    self.depth -= 1;
                    Some(None)
                }
                _ => None,
            },
            (Some(_), Some(_), _) if name == b"mergeCell" || name == b"mergeCells" => {
                self.depth += usize::from(kind == Kind::Start);
                Some(None)
            }
            (Some(_), Some(_), _) => None,
        }
    }
}

/// The element, when it can be moved as it is: UTF-8, no entities.
fn checked(part: &[u8], root_end: usize, merges: Range<usize>) -> Option<Found> {
    let element = part.get(merges.clone())?;
    if std::str::from_utf8(element).is_err() || memchr(b'&', element).is_some() {
        return None;
    }
    Some(Found { root_end, merges })
}

/// XML white space (quick-xml's `is_whitespace`).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn trim_end(content: &[u8]) -> &[u8] {
    let end = content
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(0, |i| i + 1);
    content.get(..end).unwrap_or(content)
}

/// The name after its first `:` (quick-xml's `local_name`).
fn local(name: &[u8]) -> &[u8] {
    match name.iter().position(|&b| b == b':') {
        Some(i) => name.get(i + 1..).unwrap_or_default(),
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(xml: &str) -> Option<String> {
        let mut bytes = xml.as_bytes().to_vec();
        move_merges_first(&mut bytes).then(|| String::from_utf8(bytes).unwrap())
    }

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

    #[test]
    fn the_first_merge_element_goes_after_the_root_tag() {
        let sheet = format!(
            r#"{HEAD}
<worksheet xmlns="x" a="1>2"><dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><pageMargins/></worksheet>"#
        );
        assert_eq!(
            moved(&sheet).unwrap(),
            format!(
                r#"{HEAD}
<worksheet xmlns="x" a="1>2"><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><pageMargins/></worksheet>"#
            )
        );
    }

    #[test]
    fn prefixes_empty_elements_and_spaces_are_read_as_quick_xml_reads_them() {
        let table: &[(&str, Option<&str>)] = &[
            (
                r#"<x:worksheet><x:sheetData/><x:mergeCells><x:mergeCell ref="A1:B1"/></x:mergeCells ></x:worksheet>"#,
                Some(
                    r#"<x:worksheet><x:mergeCells><x:mergeCell ref="A1:B1"/></x:mergeCells ><x:sheetData/></x:worksheet>"#,
                ),
            ),
            (
                r#"<worksheet><sheetData/><mergeCells/><mergeCells><mergeCell ref="C1:D1"/></mergeCells></worksheet>"#,
                Some(
                    r#"<worksheet><mergeCells/><sheetData/><mergeCells><mergeCell ref="C1:D1"/></mergeCells></worksheet>"#,
                ),
            ),
            // already first
            (
                r#"<worksheet><mergeCells></mergeCells><sheetData/></worksheet>"#,
                Some(r#"<worksheet><mergeCells></mergeCells><sheetData/></worksheet>"#),
            ),
            // a quoted `<mergeCells>` is an attribute value, not an element
            (
                r#"<worksheet><c v='<mergeCells>'/><sheetData/></worksheet>"#,
                None,
            ),
            (
                r#"<worksheet><c v="<mergeCells>"/><sheetData/></worksheet>"#,
                None,
            ),
            // a `>` inside quotes does not end the tag, in either quotes
            (
                r#"<worksheet a='>' b=">"><sheetData/><mergeCells x='">'></mergeCells></worksheet>"#,
                Some(
                    r#"<worksheet a='>' b=">"><mergeCells x='">'></mergeCells><sheetData/></worksheet>"#,
                ),
            ),
            (
                r#"<worksheet><sheetData/><mergeCells x="'>"></mergeCells></worksheet>"#,
                Some(r#"<worksheet><mergeCells x="'>"></mergeCells><sheetData/></worksheet>"#),
            ),
            // the name in text, or a longer name, is not the element
            (
                r#"<worksheet><t>mergeCells</t><mergeCellsX/></worksheet>"#,
                None,
            ),
            // `< mergeCells>` has an empty name for quick-xml
            (r#"<worksheet>< mergeCells></mergeCells></worksheet>"#, None),
            // an end tag with more than the name does not end the element
            (
                r#"<worksheet><mergeCells></mergeCells a="1"></worksheet>"#,
                None,
            ),
            // comments, CDATA and instructions are left to calamine
            (
                r#"<worksheet><!-- <mergeCells></mergeCells> --><mergeCells></mergeCells></worksheet>"#,
                None,
            ),
            (
                r#"<worksheet><mergeCells><![CDATA[x]]></mergeCells></worksheet>"#,
                None,
            ),
            (
                r#"<?pi?><worksheet><sheetData/><mergeCells></mergeCells></worksheet>"#,
                None,
            ),
            // an element that does not close what it opens, or closes more, stays
            (
                r#"<worksheet><sheetData/><mergeCells><mergeCell></mergeCell></mergeCell></mergeCells></worksheet>"#,
                None,
            ),
            (
                r#"<worksheet><sheetData/><mergeCells><mergeCell ref="A1:B1"></mergeCells></worksheet>"#,
                None,
            ),
            // other elements, entities or broken UTF-8 inside are not moved
            (
                r#"<worksheet><sheetData/><mergeCells><dimension ref="A1"/></mergeCells></worksheet>"#,
                None,
            ),
            (
                r#"<worksheet><sheetData/><mergeCells><mergeCell ref="A1:B1"></mergeCell></mergeCells></worksheet>"#,
                Some(
                    r#"<worksheet><mergeCells><mergeCell ref="A1:B1"></mergeCell></mergeCells><sheetData/></worksheet>"#,
                ),
            ),
            (
                r#"<worksheet><sheetData/><mergeCells><mergeCell></x></mergeCells></worksheet>"#,
                None,
            ),
            (
                r#"<?xml?><?xml?><worksheet><mergeCells/></worksheet>"#,
                None,
            ),
            (
                r#"<worksheet><sheetData/><mergeCells><mergeCell ref="A&#49;:B1"/></mergeCells></worksheet>"#,
                None,
            ),
            // an end tag with nothing open is an error for quick-xml, and calamine's
            // search stops there; so do errors between the cells and the element
            (
                r#"<worksheet><sheetData/></x></worksheet><mergeCells/>"#,
                None,
            ),
            (
                r#"<worksheet><sheetData/><a>&</a><mergeCells/></worksheet>"#,
                None,
            ),
            (
                r#"<worksheet><sheetData><c><t>&amp;</t></c></sheetData><mergeCells/></worksheet>"#,
                Some(
                    r#"<worksheet><mergeCells/><sheetData><c><t>&amp;</t></c></sheetData></worksheet>"#,
                ),
            ),
            (
                r#"<worksheet><x:sheetData/><a>&amp;</a><mergeCells/></worksheet>"#,
                None,
            ),
            // no cells at all: everything before the element counts
            (r#"<worksheet><a>&amp;</a><mergeCells/></worksheet>"#, None),
            // unfinished markup
            (
                r#"<worksheet><sheetData/><mergeCells><mergeCell ref="A1"#,
                None,
            ),
            (r#"<worksheet><sheetData/><mergeCells>"#, None),
            (r#"<worksheet/><mergeCells></mergeCells>"#, None),
            (r#"<mergeCells></mergeCells>"#, None),
            (r#"</worksheet><mergeCells></mergeCells>"#, None),
            ("", None),
            ("<", None),
        ];
        for (xml, want) in table {
            assert_eq!(moved(xml).as_deref(), *want, "{xml}");
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_stay_where_they_are() {
        let mut sheet =
            br#"<worksheet><sheetData/><mergeCells><mergeCell ref="A1:B1"/></mergeCells></worksheet>"#
                .to_vec();
        let at = sheet.windows(4).position(|w| w == b"A1:B").unwrap();
        sheet[at] = 0xFF;
        let before = sheet.clone();
        assert!(!move_merges_first(&mut sheet));
        assert_eq!(sheet, before);
        // a byte-order mark before the declaration is allowed
        let mut marked = b"\xEF\xBB\xBF".to_vec();
        marked.extend_from_slice(
            br#"<?xml version="1.0"?><worksheet><sheetData/><mergeCells/></worksheet>"#,
        );
        assert!(move_merges_first(&mut marked));
        assert!(marked.ends_with(br#"<worksheet><mergeCells/><sheetData/></worksheet>"#));
    }
}
