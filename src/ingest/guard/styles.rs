//! xlsx: the styles part cut down, in the guard's copy, to what shukei reads of it.
//!
//! shukei reads one thing of a workbook's styles: each cell format's number format
//! (a percent format shows 0.668 as 66.8 %; calamine also tells dates by it). calamine
//! parses the whole part for its `Style`s: every font, fill and border, then a copy of
//! each for every cell format, and each event of the named cell styles, the
//! differential formats and the extensions on the way. On the bench's 2,000 small
//! workbooks that was 5.6 % of the run's instructions (callgrind). In the copy
//! ([`super::unpack`]) the part keeps its prolog, its root tag and the root's
//! `numFmts` and `cellXfs` elements, byte for byte; calamine reads the same number
//! formats from it, and no fonts, fills or borders.
//!
//! The markup is split as [`super::merges_first`] splits it, the way quick-xml does.
//! Anything unusual leaves the part as it is: a comment, CDATA, a processing
//! instruction or a DOCTYPE before the root ends; an end tag that does not close the
//! last tag opened; a root other than `styleSheet`; or `numFmts` / `cellXfs` anywhere
//! but directly in the root (calamine takes them at any depth).

use std::ops::Range;

use super::merges_first::{after_prolog, local_name, next_tag, qualified_name, Kind};

/// The root's children that are kept.
const KEPT: [&[u8]; 2] = [b"numFmts", b"cellXfs"];

/// The byte ranges of the part to keep, in order, or `None` to keep the part whole.
pub(super) fn kept_ranges(part: &[u8]) -> Option<Vec<Range<usize>>> {
    let mut pos = after_prolog(part)?;
    let root = next_tag(part, pos)?;
    let tag = part.get(root.clone())?;
    if Kind::of(tag) != Kind::Start || local_name(tag, Kind::Start) != b"styleSheet" {
        return None;
    }
    let root_name = qualified_name(tag, Kind::Start);
    let mut kept = Vec::with_capacity(4);
    kept.push(0..root.end);
    pos = root.end;
    // The names of the tags open inside the root (quick-xml refuses an end tag that
    // does not close the last one opened), and where the open child of the root
    // started when it is kept.
    let mut open: Vec<&[u8]> = Vec::new();
    let mut child: Option<usize> = None;
    loop {
        let at = next_tag(part, pos)?;
        pos = at.end;
        let tag = part.get(at.clone())?;
        let kind = Kind::of(tag);
        let is_kept = KEPT.contains(&local_name(tag, kind));
        match kind {
            Kind::Start | Kind::Empty if is_kept && !open.is_empty() => return None,
            Kind::Start => {
                if is_kept {
                    child = Some(at.start);
                }
                open.push(qualified_name(tag, kind));
            }
            Kind::Empty => {
                if is_kept {
                    kept.push(at);
                }
            }
            Kind::End => {
                let name = qualified_name(tag, kind);
                let Some(last) = open.pop() else {
                    // the root's end tag: the rest of the part stays as it is
                    if name != root_name {
                        return None;
                    }
                    kept.push(at.start..part.len());
                    return Some(kept);
                };
                if name != last {
                    return None;
                }
                if open.is_empty() {
                    if let Some(start) = child.take() {
                        kept.push(start..at.end);
                    }
                }
            }
        }
    }
}

/// Cuts the part down to `kept` (its [`kept_ranges`]) in place and returns its new
/// length.
pub(super) fn keep(part: &mut [u8], kept: &[Range<usize>]) -> usize {
    let mut len = 0;
    for range in kept {
        let n = range.len();
        part.copy_within(range.clone(), len);
        len += n;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slimmed(xml: &str) -> Option<String> {
        let mut part = xml.as_bytes().to_vec();
        let kept = kept_ranges(&part)?;
        let len = keep(&mut part, &kept);
        part.truncate(len);
        Some(String::from_utf8(part).unwrap())
    }

    #[test]
    fn only_the_number_formats_and_cell_formats_are_kept() {
        let head = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x14ac="x">"#;
        let num_fmts = r#"<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%&quot;&gt;&quot;"/></numFmts>"#;
        let xfs = r#"<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="1" applyNumberFormat="1"><alignment horizontal="center"/></xf></cellXfs>"#;
        let fonts = r#"<fonts count="2" x14ac:knownFonts="1"><font><sz val="11"/><name val="游ゴシック"/></font><font><b/></font></fonts>"#;
        let rest = r#"<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border><left/></border></borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>"#;
        let after = r#"<cellStyles count="1"><cellStyle name="標準" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0"/><extLst><ext uri="{x}"><x14:slicerStyles defaultSlicerStyle="a"/></ext></extLst>"#;
        let xml = format!("{head}{num_fmts}{fonts}{rest}{xfs}{after}</styleSheet>\n");
        assert_eq!(
            slimmed(&xml).unwrap(),
            format!("{head}{num_fmts}{xfs}</styleSheet>\n")
        );
        // a prefixed root and children, an empty numFmts, a `>` in a quoted value
        let xml = concat!(
            r#"<x:styleSheet xmlns:x="urn:a" note="a>b"><x:numFmts count="0"/>"#,
            r#"<x:fonts count="0"></x:fonts><x:cellXfs count="1"><x:xf numFmtId="9">"#,
            r#"</x:xf></x:cellXfs></x:styleSheet>"#
        );
        assert_eq!(
            slimmed(xml).unwrap(),
            concat!(
                r#"<x:styleSheet xmlns:x="urn:a" note="a>b"><x:numFmts count="0"/>"#,
                r#"<x:cellXfs count="1"><x:xf numFmtId="9"></x:xf></x:cellXfs></x:styleSheet>"#
            )
        );
    }

    #[test]
    fn mangled_styles_never_panic_and_keep_ranges_in_order() {
        let xml = concat!(
            r#"<?xml version="1.0"?><x:styleSheet xmlns:x="urn:a" a='q>"'><x:numFmts count="1">"#,
            r#"<x:numFmt numFmtId="164" formatCode="0.0%"/></x:numFmts><x:fonts><x:font><x:b/>"#,
            r#"</x:font></x:fonts><x:cellXfs count="1"><x:xf numFmtId="164"><x:alignment/>"#,
            r#"</x:xf></x:cellXfs><x:dxfs count="0"/></x:styleSheet>"#
        )
        .as_bytes();
        assert!(kept_ranges(xml).is_some());
        let pieces: [&[u8]; 8] = [
            b"<",
            b">",
            b"\"",
            b"'",
            b"/",
            b"</x:cellXfs>",
            b"<!--",
            b"\xff",
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut slimmed = 0;
        for _ in 0..5_000 {
            let mut part = xml.to_vec();
            for _ in 0..=next(3) {
                let at = next(part.len() + 1);
                match next(3) {
                    0 => part.truncate(at),
                    1 => {
                        let end = (at + next(40)).min(part.len());
                        part.drain(at..end);
                    }
                    _ => {
                        let piece = pieces[next(pieces.len())];
                        part.splice(at..at, piece.iter().copied());
                    }
                }
            }
            let Some(kept) = kept_ranges(&part) else {
                continue;
            };
            assert_eq!(kept.first().map(|r| r.start), Some(0));
            assert_eq!(kept.last().map(|r| r.end), Some(part.len()));
            assert!(kept.windows(2).all(|w| w[0].end <= w[1].start));
            let len = keep(&mut part, &kept);
            assert!(len <= part.len());
            slimmed += 1;
        }
        // mutations that leave the markup whole still slim it
        assert!(slimmed > 200, "{slimmed}");
    }

    #[test]
    fn unusual_styles_are_kept_whole() {
        let cases = [
            // a comment, CDATA or processing instruction inside
            r#"<styleSheet><!-- a --><cellXfs count="0"/></styleSheet>"#,
            r#"<styleSheet><fonts><![CDATA[<cellXfs>]]></fonts></styleSheet>"#,
            r#"<styleSheet><?pi?><cellXfs count="0"/></styleSheet>"#,
            // cell formats deeper than the root's children
            r#"<styleSheet><extLst><cellXfs count="0"/></extLst></styleSheet>"#,
            r#"<styleSheet><extLst><numFmts></numFmts></extLst></styleSheet>"#,
            // unbalanced, cut short, another root, an empty root
            r#"<styleSheet><cellXfs><xf></cellXfs></styleSheet>"#,
            r#"<styleSheet><fonts></fonts></fonts></styleSheet>"#,
            r#"<styleSheet><fonts><font></fonts></font></styleSheet>"#,
            r#"<styleSheet><fonts></x:fonts></styleSheet>"#,
            r#"<x:styleSheet><cellXfs count="0"/></styleSheet>"#,
            r#"<styleSheet><cellXfs count="1"><xf numFmtId="9"/>"#,
            r#"<worksheet><cellXfs count="0"/></worksheet>"#,
            r#"<styleSheet/>"#,
            "",
        ];
        for xml in cases {
            assert_eq!(slimmed(xml), None, "input: {xml}");
        }
    }
}
