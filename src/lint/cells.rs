//! Rules about what a cell holds: one datum per cell (1-2), numbers stored as numbers
//! without units (1-3), spaces and line breaks for layout (1-5), formulas (1-7),
//! 機種依存文字 (1-10) and special symbols in number columns (1-13).
//!
//! Each gives at most one finding per sheet, listing the cells.

use crate::ingest::grid::{Format, Sheet, Value};
use crate::model::Finding;
use crate::normalize::number::{parse_value, ParsedValue};
use crate::normalize::text::{
    has_machine_dependent_chars, is_machine_dependent, is_pending_text, nfkc,
};
use crate::rules;

use super::layout::{is_ditto, is_trimmed_ditto};
use super::{one, Region, SheetLint};

/// Marks for suppressed or unavailable figures (after NFKC, trimmed).
const SPECIAL_SYMBOLS: &[&str] = &[
    "*", "**", "***", "****", "x", "X", "xx", "XX", "×", "χ", "…", "...", "‥", "..", "#", "秘匿",
    "秘",
];

/// A text cell of a value column, and what it reads as (parsed once: three rules ask).
#[derive(Debug, Clone, PartialEq)]
pub struct ValueText<'a> {
    pub at: (u32, u32),
    pub text: &'a str,
    pub reads_as: ReadsAs,
}

/// What a value column's text reads as ([`parse_value`], without the parsed value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadsAs {
    /// Blank or a no-value mark.
    Empty,
    /// A number; `unit`: with a unit written in the cell (`262 団体`, `97.1%`).
    Number { unit: bool },
    /// Anything else.
    Text,
}

impl ReadsAs {
    fn of(text: &str) -> ReadsAs {
        match parse_value(text) {
            ParsedValue::Empty => ReadsAs::Empty,
            ParsedValue::Number(q) => ReadsAs::Number {
                unit: q.unit.is_some() || q.unit_text.is_some(),
            },
            ParsedValue::Text(_) => ReadsAs::Text,
        }
    }
}

/// The text cells in the value columns of the regions, sorted, once per sheet (four
/// rules read them).
pub(super) fn text_value_cells<'a>(sheet: &'a Sheet, regions: &[Region]) -> Vec<ValueText<'a>> {
    let mut cells: Vec<((u32, u32), &str)> = regions
        .iter()
        .flat_map(|g| g.value_cells())
        .filter_map(|(r, c)| match sheet.get(r, c) {
            Value::Text(s) => Some(((r, c), s.as_str())),
            _ => None,
        })
        .collect();
    cells.sort_unstable_by_key(|(p, _)| *p);
    cells.dedup_by_key(|(p, _)| *p);
    cells
        .into_iter()
        .map(|(at, text)| ValueText {
            at,
            text,
            reads_as: ReadsAs::of(text),
        })
        .collect()
}

/// A text cell with spaces or line breaks for layout (1-5).
pub const LAYOUT: u8 = 1;
/// A text cell with a 機種依存文字 (1-10).
pub const MACHINE_DEPENDENT: u8 = 2;
/// A text cell that is a ditto mark (1-6).
pub const DITTO: u8 = 4;

/// A text cell and its marks ([`LAYOUT`], [`MACHINE_DEPENDENT`], [`DITTO`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marked {
    pub at: (u32, u32),
    pub marks: u8,
}

/// The marks of one text: the three checks in one pass over its bytes (they were three
/// scans of every text on the sheet, and a detail sheet holds hundreds of thousands).
fn marks_of(s: &str) -> u8 {
    let space = |c: Option<char>| c.is_some_and(char::is_whitespace);
    let edge_space = space(s.chars().next()) || space(s.chars().next_back());
    // Inside: a line break, an ideographic space (E3 80 80) or two spaces in a row
    // (as `is_layout_text`); and a lead byte that may start a 機種依存文字 (all lie in
    // U+2116–U+2473, E2 xx xx, or U+3231–U+33CD, E3 88–8F xx).
    let b = s.as_bytes();
    let mut layout = false;
    let mut maybe_machine = false;
    for (i, &x) in b.iter().enumerate() {
        match x {
            b'\n' | b'\r' => layout = true,
            b' ' => layout |= b.get(i + 1) == Some(&b' '),
            0xE2 => maybe_machine = true,
            0xE3 => match b.get(i + 1) {
                Some(0x80) => layout |= b.get(i + 2) == Some(&0x80),
                Some(0x88..=0x8F) => maybe_machine = true,
                _ => {}
            },
            _ => {}
        }
    }
    let mut marks = 0;
    if (edge_space && !s.chars().all(char::is_whitespace)) || (!edge_space && layout) {
        marks |= LAYOUT;
    }
    if maybe_machine && s.chars().any(is_machine_dependent) {
        marks |= MACHINE_DEPENDENT;
    }
    // Without spaces around it, a text is its own trimmed form.
    if (edge_space && is_ditto(s)) || (!edge_space && is_trimmed_ditto(s)) {
        marks |= DITTO;
    }
    marks
}

/// The sheet's text cells that three rules look for (layout spaces, 機種依存文字, ditto
/// marks), in row-major order: few on a real sheet. One pass reads each text once, and
/// the rules then look through this short list. (Each walked the whole sheet before: a
/// 50,000-row detail sheet is 800,000 cells.)
pub fn text_marks(sheet: &Sheet) -> Vec<Marked> {
    let width = sheet.width.max(1);
    let mut out = Vec::new();
    for (i, value) in sheet.cells.iter().enumerate() {
        let Value::Text(s) = value else {
            continue;
        };
        let marks = marks_of(s);
        if marks != 0 {
            let (r, c) = ((i / width) as u32, (i % width) as u32);
            out.push(Marked {
                at: (sheet.start.0 + r, sheet.start.1 + c),
                marks,
            });
        }
    }
    out
}

fn is_special_symbol(s: &str) -> bool {
    let t = nfkc(s);
    SPECIAL_SYMBOLS.contains(&t.trim())
}

/// Number groups in a text (`412（うち50）` has two).
fn number_groups(s: &str) -> usize {
    let t = nfkc(s);
    let mut groups = 0;
    let mut in_number = false;
    for c in t.chars() {
        let digit = c.is_ascii_digit();
        let joiner = in_number && (c == ',' || c == '.');
        if digit && !in_number {
            groups += 1;
        }
        in_number = digit || joiner;
    }
    groups
}

/// 1-2: several data in one cell (`412（うち50）`, `3/17`, `66.8%／70.0%`).
pub fn multi_value(lint: &SheetLint) -> Vec<Finding> {
    let cells: Vec<(u32, u32)> = lint
        .value_texts
        .iter()
        .filter(|v| v.reads_as == ReadsAs::Text && number_groups(v.text) >= 2)
        .map(|v| v.at)
        .collect();
    one(
        lint,
        rules::MR_MULTI_VALUE,
        &cells,
        "1 つのセルに複数の値が入っています",
    )
}

/// Text that reads as a plain number but is not one as stored: in a workbook any text,
/// in a CSV one with separators, signs or full-width digits (`1,234`, `△5`, `１２３`).
fn is_number_as_text(v: &ValueText, format: Format) -> bool {
    v.reads_as == ReadsAs::Number { unit: false }
        && (format != Format::Csv || !is_plain_decimal(v.text.trim()))
}

/// `-1234.5`: the form every program reads.
pub fn is_plain_decimal(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    let mut parts = body.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// 1-3: numbers kept as text.
pub fn number_as_text(lint: &SheetLint) -> Vec<Finding> {
    let cells: Vec<(u32, u32)> = lint
        .value_texts
        .iter()
        .filter(|v| is_number_as_text(v, lint.format))
        .map(|v| v.at)
        .collect();
    let what = if lint.format == Format::Csv {
        "数値に桁区切り・記号・全角数字が含まれています"
    } else {
        "数値が文字列として保存されています"
    };
    one(lint, rules::MR_NUMBER_AS_TEXT, &cells, what)
}

/// 1-3: units typed into number cells (`262 団体`, `97.1%`).
pub fn unit_in_cell(lint: &SheetLint) -> Vec<Finding> {
    let cells: Vec<(u32, u32)> = lint
        .value_texts
        .iter()
        .filter(|v| v.reads_as == ReadsAs::Number { unit: true })
        .map(|v| v.at)
        .collect();
    one(
        lint,
        rules::MR_UNIT_IN_CELL,
        &cells,
        "数値のセルに単位が入力されています",
    )
}

/// Spaces or line breaks used for layout: leading or trailing spaces, a full-width
/// space or two spaces inside, or a line break. The definition; the rule reads the
/// [`LAYOUT`] mark, which a test checks against it.
#[cfg(test)]
fn is_layout_text(s: &str) -> bool {
    let space = |c: Option<char>| c.is_some_and(char::is_whitespace);
    if space(s.chars().next()) || space(s.chars().next_back()) {
        // leading or trailing spaces, unless the cell holds nothing else
        return !s.chars().all(char::is_whitespace);
    }
    // one pass over the bytes: a line break, an ideographic space (E3 80 80) or two
    // spaces in a row
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &x)| match x {
        b'\n' | b'\r' => true,
        b' ' => b.get(i + 1) == Some(&b' '),
        0xE3 => b.get(i + 1..i + 3) == Some(&[0x80, 0x80][..]),
        _ => false,
    })
}

/// 1-5: spaces and line breaks for layout, in the table regions.
pub fn layout_spaces(lint: &SheetLint) -> Vec<Finding> {
    let cells: Vec<(u32, u32)> = lint
        .marked(LAYOUT)
        .filter(|&cell| lint.in_regions(cell))
        .collect();
    one(
        lint,
        rules::MR_LAYOUT_SPACES,
        &cells,
        "スペースや改行で体裁を整えたセルがあります",
    )
}

/// 1-7: formulas left in the tables.
pub fn formulas(lint: &SheetLint) -> Vec<Finding> {
    let cells: Vec<(u32, u32)> = lint
        .sheet
        .formula_cells
        .iter()
        .copied()
        .filter(|&cell| lint.in_regions(cell))
        .collect();
    one(
        lint,
        rules::MR_FORMULA,
        &cells,
        "表の中に数式が残っています",
    )
}

/// 1-10: 機種依存文字 anywhere on the sheet, checked on the raw text.
pub fn machine_dependent(lint: &SheetLint) -> Vec<Finding> {
    let mut chars: Vec<char> = Vec::new();
    let mut cells = Vec::new();
    for pos in lint.marked(MACHINE_DEPENDENT) {
        let Value::Text(text) = lint.sheet.get(pos.0, pos.1) else {
            continue;
        };
        let found = has_machine_dependent_chars(text);
        if found.is_empty() {
            continue;
        }
        cells.push(pos);
        for c in found {
            if !chars.contains(&c) {
                chars.push(c);
            }
        }
    }
    let listed: String = chars.iter().collect();
    one(
        lint,
        rules::MR_MACHINE_DEPENDENT,
        &cells,
        &format!("機種依存文字（{listed}）が使われています"),
    )
}

/// 1-13: special symbols (`***`, `X`, `…`) in number columns. 調査中 and dashes are
/// left to validation (W-VALUE-PENDING; a dash means no value).
pub fn special_symbols(lint: &SheetLint) -> Vec<Finding> {
    let cells: Vec<(u32, u32)> = lint
        .value_texts
        .iter()
        .filter(|v| is_special_symbol(v.text) && !is_pending_text(v.text))
        .map(|v| v.at)
        .collect();
    one(
        lint,
        rules::MR_SPECIAL_SYMBOL,
        &cells,
        "数値の列に特殊記号が入力されています",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_groups_count_separate_numbers() {
        let cases = [
            ("412（うち50）", 2),
            ("3/17 団体", 2),
            ("1,234.5", 1),
            ("調査中", 0),
        ];
        for (input, want) in cases {
            assert_eq!(number_groups(input), want, "input: {input:?}");
        }
    }

    #[test]
    fn plain_decimals_are_what_every_program_reads() {
        for ok in ["262", "-1234", "97.1", "0.5"] {
            assert!(is_plain_decimal(ok), "input: {ok:?}");
        }
        for bad in ["1,234", "△5", "１２３", "97.", ".5", "", "-"] {
            assert!(!is_plain_decimal(bad), "input: {bad:?}");
        }
    }

    #[test]
    fn layout_text_is_padding_or_line_breaks() {
        for yes in [" 市税", "令和6年度\n実績", "氏　名", "a  b", "a\rb", "あ　"] {
            assert!(is_layout_text(yes), "input: {yes:?}");
        }
        for no in [
            "市 SNS のフォロワー数",
            "指標名",
            "",
            "   ",
            "あいう",
            "ＫＰＩ",
        ] {
            assert!(!is_layout_text(no), "input: {no:?}");
        }
    }

    #[test]
    fn one_pass_marks_agree_with_the_three_checks() {
        let reference = |s: &str| {
            u8::from(is_layout_text(s)) * LAYOUT
                + u8::from(!has_machine_dependent_chars(s).is_empty()) * MACHINE_DEPENDENT
                + u8::from(is_ditto(s)) * DITTO
        };
        let parts = [
            "",
            " ",
            "  ",
            "\u{3000}",
            "\n",
            "\r",
            "\t",
            "a",
            "あ",
            "同",
            "上",
            "〃",
            "\"",
            "＂",
            "①",
            "㈱",
            "㍻",
            "№",
            "™",
            "\u{2115}",
            "\u{2474}",
            "\u{3230}",
            "\u{33CE}",
            "″",
            "内部統制制度において識別した不備の件数",
            "R6-06-000001",
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    let s = format!("{a}{b}{c}");
                    assert_eq!(marks_of(&s), reference(&s), "input: {s:?}");
                }
            }
        }
    }

    #[test]
    fn layout_text_agrees_with_trimming_the_whole_text() {
        // the definition, as it read before the edge check replaced the trim
        let reference = |s: &str| {
            let trimmed = s.trim_matches(char::is_whitespace);
            let b = s.as_bytes();
            !trimmed.is_empty()
                && (trimmed.len() != s.len()
                    || b.iter().enumerate().any(|(i, &x)| match x {
                        b'\n' | b'\r' => true,
                        b' ' => b.get(i + 1) == Some(&b' '),
                        0xE3 => b.get(i + 1..i + 3) == Some(&[0x80, 0x80][..]),
                        _ => false,
                    }))
        };
        let parts = [
            "", " ", "\u{3000}", "\u{a0}", "\t", "\n", "あ", "a", "\u{2003}", "\r",
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    let s = format!("{a}{b}{c}");
                    assert_eq!(is_layout_text(&s), reference(&s), "input: {s:?}");
                }
            }
        }
    }
}
