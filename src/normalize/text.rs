//! Japanese text: NFKC with the extra mappings real sheets need, display and matching
//! forms, "no value" and "pending" markers, and 機種依存文字 detection.
//!
//! Every function is total (any `&str` in, no panic) and allocation-light: ASCII input
//! skips Unicode normalization entirely, and the internal [`nfkc_cow`] and [`compact`]
//! borrow when nothing changes.

use std::borrow::Cow;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// NFKC plus the mappings NFKC leaves alone: minus-like dashes become `-` and wave dashes
/// become `~`.
///
/// Mapped to `-`: `−` U+2212, `‐` U+2010, `‑` U+2011, `‒` U+2012, `–` U+2013, `—` U+2014,
/// `―` U+2015, `⁃` U+2043 and (via NFKC) `－` U+FF0D, `﹣` U+FE63. Mapped to `~`: `〜`
/// U+301C, `〰` U+3030 and (via NFKC) `～` U+FF5E. Kept: `△ ▲` (signs for the number
/// parser) and `ー` U+30FC (a katakana letter; only [`is_no_value`] treats a lone `ー` as
/// "no value").
///
/// # Examples
///
/// ```
/// use shukei::normalize::text::nfkc;
/// assert_eq!(nfkc("Ｒ６年度　１，２３４"), "R6年度 1,234");
/// assert_eq!(nfkc("−５"), "-5");
/// assert_eq!(nfkc("㋿6"), "令和6");
/// assert_eq!(nfkc("データー"), "データー");
/// ```
pub fn nfkc(s: &str) -> String {
    nfkc_cow(s).into_owned()
}

/// [`nfkc`] that borrows when the input is already normalized (always for ASCII).
pub(crate) fn nfkc_cow(s: &str) -> Cow<'_, str> {
    // Most cell texts are ASCII, kanji and kana. Their characters are ranges tested
    // here, where unicode-normalization's quick check looks each character up in two
    // tables (3 % of a batch of small files' time).
    if s.chars().all(|c| c.is_ascii() || is_nfkc_stable(c)) {
        return Cow::Borrowed(s);
    }
    let normalized: Cow<'_, str> = if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfkc().collect())
    };
    if normalized.chars().any(|c| extra_mapping(c).is_some()) {
        Cow::Owned(
            normalized
                .chars()
                .map(|c| extra_mapping(c).unwrap_or(c))
                .collect(),
        )
    } else {
        normalized
    }
}

/// Longest text (in bytes) that [`with_nfkc`] folds on the stack.
const STACK_TEXT: usize = 128;

/// Calls `f` with [`nfkc`] of `s` without allocating for the texts cells usually hold:
/// ASCII, text already in normal form, and short text whose every character has an
/// NFKC form known here (full-width ASCII such as `１２３` or `％`, the ideographic
/// space, the dashes and wave dashes mapped after NFKC, and the kanji, kana and
/// punctuation of [`is_nfkc_stable`], which NFKC leaves alone and which compose with
/// none of the others). Anything else goes through [`nfkc_cow`].
pub(crate) fn with_nfkc<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    if s.is_ascii() {
        return f(s);
    }
    if s.len() <= STACK_TEXT {
        let mut buf = [0u8; STACK_TEXT];
        if let Some(folded) = fold_known(s, &mut buf) {
            return f(folded);
        }
    }
    f(&nfkc_cow(s))
}

/// [`nfkc`] of `s` written into `buf`, when every character is one [`with_nfkc`]
/// knows and the result fits.
fn fold_known<'b>(s: &str, buf: &'b mut [u8]) -> Option<&'b str> {
    let folded = s.chars().map(|c| match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0),
        '\u{3000}' => Some(' '),
        _ => match extra_mapping(c) {
            Some(m) => Some(m),
            None if c.is_ascii() || is_nfkc_stable(c) => Some(c),
            None => None,
        },
    });
    chars_into(buf, folded)
}

/// Writes `chars` into `buf` as UTF-8 and returns the text; `None` when one of them is
/// `None` or they do not fit (for short texts built on the stack).
pub(crate) fn chars_into(
    buf: &mut [u8],
    chars: impl IntoIterator<Item = Option<char>>,
) -> Option<&str> {
    let mut len = 0;
    for c in chars {
        let c = c?;
        let end = len + c.len_utf8();
        c.encode_utf8(buf.get_mut(len..end)?);
        len = end;
    }
    std::str::from_utf8(buf.get(..len)?).ok()
}

/// Characters NFKC maps to themselves, that no canonical composition takes as its
/// second character and that have no combining class: a text of them and ASCII is its
/// own NFKC, and [`fold_known`] copies them. CJK unified ideographs, hiragana and
/// katakana without the voicing marks, the prolonged sound mark, `々`, the Japanese
/// punctuation `、。・「」『』【】`, `△` and `▲` (checked against unicode-normalization
/// for each of them in the tests).
fn is_nfkc_stable(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30A1}'..='\u{30F6}'
        | '\u{3001}'..='\u{3002}'
        | '\u{3005}'
        | '\u{300C}'..='\u{3011}'
        | '\u{30FB}'
        | 'ー' | '△' | '▲')
}

/// Mappings applied after NFKC.
fn extra_mapping(c: char) -> Option<char> {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{2043}' => Some('-'),
        '\u{301C}' | '\u{3030}' => Some('~'),
        _ => None,
    }
}

/// White space (Unicode `White_Space`, which includes U+3000 and line breaks) and the
/// invisible zero-width characters that come with pasted text.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// NFKC without any white space: the form the period and header parsers read.
/// Borrows for ASCII input without spaces.
pub(crate) fn compact(s: &str) -> Cow<'_, str> {
    let n = nfkc_cow(s);
    if !n.chars().any(is_space) {
        return n;
    }
    Cow::Owned(n.chars().filter(|c| !is_space(*c)).collect())
}

/// Text for showing: trimmed (U+3000 too), line breaks and runs of white space become
/// one ASCII space, zero-width characters are dropped; every other character is kept
/// as written (no NFKC).
///
/// # Examples
///
/// ```
/// use shukei::normalize::text::display_text;
/// assert_eq!(display_text("　市 SNS の\r\nフォロワー数 "), "市 SNS の フォロワー数");
/// assert_eq!(display_text("Ｒ６"), "Ｒ６");
/// ```
pub fn display_text(s: &str) -> String {
    let trimmed = s.trim_matches(is_space);
    let mut out = String::with_capacity(trimmed.len());
    let mut pending_space = false;
    for c in trimmed.chars() {
        if c.is_whitespace() {
            pending_space = true;
        } else if is_space(c) {
            // zero-width: drop without breaking a word
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Cyrillic letters that OCR puts into Latin text, with their Latin lookalike.
const CYRILLIC_TO_LATIN: &[(char, char)] = &[
    ('а', 'a'),
    ('А', 'a'),
    ('В', 'b'),
    ('с', 'c'),
    ('С', 'c'),
    ('е', 'e'),
    ('Е', 'e'),
    ('Н', 'h'),
    ('і', 'i'),
    ('І', 'i'),
    ('ј', 'j'),
    ('Ј', 'j'),
    ('к', 'k'),
    ('К', 'k'),
    ('м', 'm'),
    ('М', 'm'),
    ('о', 'o'),
    ('О', 'o'),
    ('р', 'p'),
    ('Р', 'p'),
    ('ѕ', 's'),
    ('Ѕ', 's'),
    ('т', 't'),
    ('Т', 't'),
    ('у', 'y'),
    ('У', 'y'),
    ('х', 'x'),
    ('Х', 'x'),
];

/// Cyrillic letters that OCR puts into katakana text (`デジタルデバйд` for
/// `デジタルデバイド`), used only when the text contains kana.
const CYRILLIC_TO_KANA: &[(char, char)] = &[('й', 'イ'), ('Й', 'イ'), ('д', 'ド'), ('Д', 'ド')];

/// Bracket variants unified in match keys (NFKC already maps `（）［］` to ASCII).
const BRACKETS: &[(char, char)] = &[
    ('〔', '('),
    ('〕', ')'),
    ('『', '「'),
    ('』', '」'),
    ('【', '['),
    ('】', ']'),
];

/// Bullets stripped from the start of a match key (when more text follows).
const BULLETS: &[char] = &['・', '•', '●', '○', '◎', '■', '□', '◆', '◇', '▪', '*'];

fn lookup(table: &[(char, char)], c: char) -> Option<char> {
    table.iter().find(|(from, _)| *from == c).map(|(_, to)| *to)
}

fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}')
}

/// Circled and similar numbers whose NFKC form is a bare number (`①` → `1`), so they
/// must be stripped as list markers before NFKC.
fn is_circled_number(c: char) -> bool {
    matches!(c,
        '\u{2460}'..='\u{2473}' | '\u{24EA}'..='\u{24FF}' | '\u{2776}'..='\u{2793}'
        | '\u{3251}'..='\u{325F}' | '\u{32B1}'..='\u{32BF}')
}

/// The key for matching names and headers: [`nfkc`], no white space at all, ASCII
/// lowercase, bracket variants unified (`〔〕`→`()`, `『』`→`「」`, `【】`→`[]`; `（）`
/// become `()` by NFKC), a leading list marker dropped when more text follows (`1.`,
/// `1)`, `(1)`, `①`, `⑴`, `・`, `●` …), and Cyrillic OCR lookalikes mapped (`о`→`o`,
/// and in kana text `й`→`イ`, `д`→`ド`).
///
/// # Examples
///
/// ```
/// use shukei::normalize::text::match_key;
/// assert_eq!(match_key("市 SNS の\nフォロワー数"), "市snsのフォロワー数");
/// assert_eq!(match_key("①マイナンバーカード保有率"), "マイナンバーカード保有率");
/// assert_eq!(match_key("(1) 指標名"), "指標名");
/// assert_eq!(match_key("デジタルデバйд"), "デジタルデバイド");
/// assert_eq!(match_key("①"), "1");
/// ```
pub fn match_key(s: &str) -> String {
    let trimmed = s.trim_matches(is_space);
    let trimmed = strip_circled_marker(trimmed);
    let normalized = nfkc_cow(trimmed);
    let kana = !normalized.is_ascii() && normalized.chars().any(is_kana);
    let mut out = String::with_capacity(normalized.len());
    for c in normalized.chars() {
        if is_space(c) {
            continue;
        }
        let c = c.to_ascii_lowercase();
        let c = lookup(CYRILLIC_TO_LATIN, c)
            .or_else(|| kana.then(|| lookup(CYRILLIC_TO_KANA, c)).flatten())
            .or_else(|| lookup(BRACKETS, c))
            .unwrap_or(c);
        out.push(c);
    }
    match list_marker_len(&out) {
        Some(len) => out.split_off(len),
        None => out,
    }
}

fn strip_circled_marker(s: &str) -> &str {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if is_circled_number(c) => {
            let rest = chars.as_str().trim_start_matches(is_space);
            if rest.is_empty() {
                s
            } else {
                rest
            }
        }
        _ => s,
    }
}

/// Byte length of a leading list marker in a (space-free, NFKC) key, if more text follows.
///
/// safety of the slicing below: every offset is just past `(` or ASCII digits, which are
/// one byte each, so it is a char boundary.
fn list_marker_len(key: &str) -> Option<usize> {
    let first = key.chars().next()?;
    let len = if BULLETS.contains(&first) {
        first.len_utf8()
    } else if first == '(' {
        let digits = key[1..].bytes().take_while(u8::is_ascii_digit).count();
        let close = 1 + digits;
        ((1..=2).contains(&digits) && key[close..].starts_with(')')).then_some(close + 1)?
    } else {
        let digits = key.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=2).contains(&digits) {
            return None;
        }
        let delim = key[digits..].chars().next()?;
        if !matches!(delim, '.' | ')' | '、' | ':') {
            return None;
        }
        digits + delim.len_utf8()
    };
    let rest = key.get(len..)?;
    let next = rest.chars().next()?;
    (!next.is_ascii_digit()).then_some(len)
}

/// Similarity above which [`suggest`] proposes a candidate.
pub const SUGGEST_THRESHOLD: f64 = 0.5;

/// The ids of the candidates closest to `query`, best first, at most `n`, each id once.
///
/// `candidates` are `(key, id)` pairs whose key is already a [`match_key`] (several keys
/// may share an id, e.g. aliases). The query goes through [`match_key`]. The score is
/// `strsim::normalized_levenshtein` on characters, raised to `0.6 + 0.4 × (shorter /
/// longer)` when one key contains the other (and the shorter has ≥ 3 characters); only
/// scores ≥ [`SUGGEST_THRESHOLD`] are kept. Equal scores keep the candidates' order.
///
/// # Examples
///
/// ```
/// use shukei::normalize::text::{match_key, suggest};
/// let candidates: Vec<(String, String)> = [("ワクティブこまき", "33-1-2"), ("実質公債費比率", "33-3-1")]
///     .iter()
///     .map(|(name, id)| (match_key(name), id.to_string()))
///     .collect();
/// assert_eq!(suggest("ワークタイプこまき", &candidates, 3), vec!["33-1-2"]);
/// assert!(suggest("天気", &candidates, 3).is_empty());
/// ```
pub fn suggest<'a>(query: &str, candidates: &'a [(String, String)], n: usize) -> Vec<&'a str> {
    let query = match_key(query);
    if query.is_empty() || n == 0 {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &'a str)> = Vec::new();
    for (key, id) in candidates {
        let score = similarity(&query, key);
        if score < SUGGEST_THRESHOLD {
            continue;
        }
        match scored.iter_mut().find(|(_, seen)| *seen == id.as_str()) {
            Some(entry) if entry.0 < score => entry.0 = score,
            Some(_) => {}
            None => scored.push((score, id.as_str())),
        }
    }
    // Stable sort: equal scores keep the candidates' order.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(n).map(|(_, id)| id).collect()
}

fn similarity(a: &str, b: &str) -> f64 {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let (short, long) = if la <= lb { (la, lb) } else { (lb, la) };
    let ratio = if long == 0 {
        1.0
    } else {
        short as f64 / long as f64
    };
    let contains = short >= 3 && (a.contains(b) || b.contains(a));
    if ratio < SUGGEST_THRESHOLD {
        // The normalized Levenshtein similarity is at most short / long, so it cannot
        // reach the threshold: skip its O(la × lb) cost (a 32,767-character cell against
        // every name took ~0.1 s). Only containment can still make this a suggestion.
        return if contains { 0.6 + 0.4 * ratio } else { ratio };
    }
    let lev = strsim::normalized_levenshtein(a, b);
    if contains {
        // `short <= long` and `long >= 3` here, so the ratio is in (0, 1].
        lev.max(0.6 + 0.4 * ratio)
    } else {
        lev
    }
}

/// Words that say a value is not available yet (it will come later).
const PENDING_WORDS: &[&str] = &[
    "調査中",
    "集計中",
    "未集計",
    "確認中",
    "未確定",
    "算出中",
    "照会中",
    "未定",
    "精査中",
    "未公表",
];

/// Whether the text says the value is pending (`調査中`, `集計中`, `未集計`, `確認中`,
/// `未確定`, `算出中`, `照会中`, `未定`, `精査中`, `未公表`).
///
/// Read after NFKC and white-space removal; the text must contain one of these words,
/// no digits, and at most 20 characters (so `（調査中）` and `現在調査中` are pending but
/// `R6.3時点で確認中の値 12` is not).
///
/// # Examples
///
/// ```
/// use shukei::normalize::text::is_pending_text;
/// assert!(is_pending_text(" 調 査 中 "));
/// assert!(is_pending_text("（集計中）"));
/// assert!(!is_pending_text("262"));
/// ```
pub fn is_pending_text(s: &str) -> bool {
    if s.is_ascii() {
        return false;
    }
    let key = compact(s);
    !key.bytes().any(|b| b.is_ascii_digit())
        && key.chars().count() <= 20
        && PENDING_WORDS.iter().any(|w| key.contains(w))
}

/// Dash-like characters that, alone or repeated, mean "no value".
const NO_VALUE_DASHES: &[char] = &[
    '-', '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}', '\u{2212}',
    '\u{2043}', '\u{FF0D}', '\u{FE63}', '\u{FE58}', '\u{30FC}', '\u{FF70}', '\u{2500}', '\u{2501}',
];

/// Whether a cell means "no value": blank (white space only, U+3000 included) or made only
/// of dash-like characters (`-` `—` `－` `―` `ー` `‐` `−` `–` `─`, alone or repeated, e.g.
/// `－－`), possibly with spaces.
///
/// Deliberately *not* no-value: `なし`, `n/a`, `/`, `／`, `0`, `※` — they are text (or a
/// number) and reach validation, which reports them; a lone `ー` is no-value only as a
/// whole cell, never inside a word.
///
/// # Examples
///
/// ```
/// use shukei::normalize::text::is_no_value;
/// assert!(is_no_value("　"));
/// assert!(is_no_value("－"));
/// assert!(is_no_value("ー"));
/// assert!(!is_no_value("なし"));
/// assert!(!is_no_value("データー"));
/// ```
pub fn is_no_value(s: &str) -> bool {
    s.chars()
        .all(|c| is_space(c) || NO_VALUE_DASHES.contains(&c))
}

/// 機種依存文字 (vendor-specific characters of Shift_JIS, NEC row 13 and IBM
/// extensions) as inclusive ranges.
const MACHINE_DEPENDENT: &[(char, char)] = &[
    ('\u{2460}', '\u{2473}'), // ①–⑳
    ('\u{3251}', '\u{325F}'), // ㉑–㉟
    ('\u{32B1}', '\u{32BF}'), // ㊱–㊿
    ('\u{2160}', '\u{216B}'), // Ⅰ–Ⅻ
    ('\u{2170}', '\u{217B}'), // ⅰ–ⅻ
    ('\u{3231}', '\u{3232}'), // ㈱ ㈲
    ('\u{3239}', '\u{3239}'), // ㈹
    ('\u{32A4}', '\u{32A8}'), // ㊤ ㊥ ㊦ ㊧ ㊨
    ('\u{337B}', '\u{337E}'), // ㍻ ㍼ ㍽ ㍾
    ('\u{32FF}', '\u{32FF}'), // ㋿
    ('\u{338E}', '\u{338F}'), // ㎎ ㎏
    ('\u{339C}', '\u{339E}'), // ㎜ ㎝ ㎞
    ('\u{33A1}', '\u{33A1}'), // ㎡
    ('\u{33C4}', '\u{33C4}'), // ㏄
    ('\u{33CD}', '\u{33CD}'), // ㏍
    ('\u{3303}', '\u{3303}'), // ㌃
    ('\u{330D}', '\u{330D}'), // ㌍
    ('\u{3314}', '\u{3314}'), // ㌔
    ('\u{3318}', '\u{3318}'), // ㌘
    ('\u{3322}', '\u{3323}'), // ㌢ ㌣
    ('\u{3326}', '\u{3327}'), // ㌦ ㌧
    ('\u{332B}', '\u{332B}'), // ㌫
    ('\u{3336}', '\u{3336}'), // ㌶
    ('\u{333B}', '\u{333B}'), // ㌻
    ('\u{3349}', '\u{334A}'), // ㍉ ㍊
    ('\u{334D}', '\u{334D}'), // ㍍
    ('\u{3351}', '\u{3351}'), // ㍑
    ('\u{3357}', '\u{3357}'), // ㍗
    ('\u{2116}', '\u{2116}'), // №
    ('\u{2121}', '\u{2122}'), // ℡ ™
];

/// Whether `c` is a 機種依存文字 (see [`has_machine_dependent_chars`]).
///
/// # Examples
///
/// ```
/// use shukei::normalize::text::is_machine_dependent;
/// assert!(is_machine_dependent('㈱'));
/// assert!(!is_machine_dependent('株'));
/// ```
pub fn is_machine_dependent(c: char) -> bool {
    // Every range lies in U+2116–U+2473 or U+3231–U+33CD; kana, kanji and ASCII do
    // not, and are answered without the table (this runs on every character of every
    // text cell).
    matches!(c, '\u{2116}'..='\u{2473}' | '\u{3231}'..='\u{33CD}')
        && MACHINE_DEPENDENT
            .iter()
            .any(|(lo, hi)| (*lo..=*hi).contains(&c))
}

/// The 機種依存文字 in the raw text (before NFKC), each once, in order of first
/// appearance: circled numbers ①–⑳ ㉑–㊿, roman numerals Ⅰ–Ⅻ ⅰ–ⅻ, ㈱ ㈲ ㈹ ㊤–㊨,
/// era squares ㍻–㍾ ㋿, unit squares (㎏ ㎝ ㎡ ㌔ ㍍ …), № ㏍ ℡ ™. ASCII input returns
/// an empty `Vec` without allocating.
///
/// # Examples
///
/// ```
/// use shukei::normalize::text::has_machine_dependent_chars;
/// assert_eq!(has_machine_dependent_chars("①㈱小牧①"), vec!['①', '㈱']);
/// assert!(has_machine_dependent_chars("R6 1,234").is_empty());
/// ```
pub fn has_machine_dependent_chars(raw: &str) -> Vec<char> {
    let mut found = Vec::new();
    if raw.is_ascii() {
        return found;
    }
    for c in raw.chars().filter(|c| is_machine_dependent(*c)) {
        if !found.contains(&c) {
            found.push(c);
        }
    }
    found
}

#[cfg(test)]
mod tests;
