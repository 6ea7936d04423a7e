use super::*;

#[test]
fn nfkc_maps_width_dashes_and_waves() {
    let cases = [
        ("", ""),
        ("abc", "abc"),
        ("ＡＢＣ", "ABC"),
        ("１２３", "123"),
        ("１，２３４", "1,234"),
        ("６６．８％", "66.8%"),
        ("Ｒ６", "R6"),
        ("令和６年度", "令和6年度"),
        ("㋿6", "令和6"),
        ("㍻30", "平成30"),
        ("（実績）", "(実績)"),
        ("ｶﾀｶﾅ", "カタカナ"),
        ("ｰ", "ー"),
        ("データー", "データー"),
        ("ー", "ー"),
        ("−5", "-5"),
        ("‐5", "-5"),
        ("‑5", "-5"),
        ("‒5", "-5"),
        ("–5", "-5"),
        ("—", "-"),
        ("―", "-"),
        ("－", "-"),
        ("﹣", "-"),
        ("〜", "~"),
        ("～", "~"),
        ("〰", "~"),
        ("4月〜6月", "4月~6月"),
        ("△1,234", "△1,234"),
        ("▲1,234", "▲1,234"),
        ("①", "1"),
        ("Ⅻ", "XII"),
        ("㈱", "(株)"),
        ("㎡", "m2"),
        ("件／月", "件/月"),
        ("\u{3000}", " "),
        ("a\u{00A0}b", "a b"),
        ("ガ", "ガ"),
        ("か\u{3099}", "が"),
    ];
    for (input, want) in cases {
        assert_eq!(nfkc(input), want, "input: {input:?}");
    }
}

#[test]
fn nfkc_borrows_ascii_and_normalized_text() {
    for input in ["R6", "1,234", "令和6年度", "市SNSのフォロワー数"] {
        assert!(
            matches!(nfkc_cow(input), Cow::Borrowed(_)),
            "input: {input:?}"
        );
    }
    for input in ["Ｒ６", "—"] {
        assert!(matches!(nfkc_cow(input), Cow::Owned(_)), "input: {input:?}");
    }
}

#[test]
fn compact_drops_every_space() {
    let cases = [
        ("R6\n実績", "R6実績"),
        ("令和　６年度", "令和6年度"),
        (" FY 2024 ", "FY2024"),
        ("a\u{200B}b", "ab"),
        ("\u{FEFF}R6", "R6"),
        ("\t\r\n", ""),
    ];
    for (input, want) in cases {
        assert_eq!(compact(input), want, "input: {input:?}");
    }
}

#[test]
fn display_text_trims_and_collapses_spaces() {
    let cases = [
        ("", ""),
        ("   ", ""),
        ("\u{3000}指標\u{3000}", "指標"),
        ("令和6年度\n実績", "令和6年度 実績"),
        ("令和6年度\r\n実績", "令和6年度 実績"),
        ("a  \t b", "a b"),
        ("市 SNS のフォロワー数", "市 SNS のフォロワー数"),
        ("Ｒ６", "Ｒ６"),
        ("①の件", "①の件"),
        ("ab\u{200B}c", "abc"),
        ("a\u{3000}\u{3000}b", "a b"),
        ("\n\nx\n\n", "x"),
    ];
    for (input, want) in cases {
        assert_eq!(display_text(input), want, "input: {input:?}");
    }
}

#[test]
fn match_key_normalizes_names_and_headers() {
    let cases = [
        ("", ""),
        ("   ", ""),
        ("指標名", "指標名"),
        ("指 標 名", "指標名"),
        ("指標\n名", "指標名"),
        ("　指標名　", "指標名"),
        ("市 SNS のフォロワー数", "市snsのフォロワー数"),
        ("市ＳＮＳのフォロワー数", "市snsのフォロワー数"),
        ("KPI", "kpi"),
        ("No.", "no."),
        ("ID", "id"),
        ("（実績）", "(実績)"),
        ("〔実績〕", "(実績)"),
        ("『計画』", "「計画」"),
        ("「計画」", "「計画」"),
        ("【重点】", "[重点]"),
        ("［重点］", "[重点]"),
        ("1. 指標名", "指標名"),
        ("1.指標名", "指標名"),
        ("１．指標名", "指標名"),
        ("12) 指標名", "指標名"),
        ("(1) 指標名", "指標名"),
        ("（１）指標名", "指標名"),
        ("(12)指標名", "指標名"),
        ("⑴指標名", "指標名"),
        ("⒈指標名", "指標名"),
        ("①マイナンバーカード保有率", "マイナンバーカード保有率"),
        ("① マイナンバーカード保有率", "マイナンバーカード保有率"),
        ("⑳指標", "指標"),
        ("㉑指標", "指標"),
        ("❶指標", "指標"),
        ("・指標名", "指標名"),
        ("･指標名", "指標名"),
        ("●指標名", "指標名"),
        ("■指標名", "指標名"),
        ("1、指標", "指標"),
        // Markers alone, or followed by a digit, are not markers.
        ("①", "1"),
        ("1.", "1."),
        ("(1)", "(1)"),
        ("・", "・"),
        ("1.5倍", "1.5倍"),
        ("(1)2", "(1)2"),
        ("123.指標", "123.指標"),
        ("1人あたり", "1人あたり"),
        ("65歳以上", "65歳以上"),
        ("3R推進", "3r推進"),
        ("(株)", "(株)"),
        // Cyrillic lookalikes.
        ("デジタルデバйд", "デジタルデバイド"),
        ("デジタルデバイド", "デジタルデバイド"),
        ("Sоciety", "society"),
        ("КРІ", "kpi"),
        ("市SNSのフォロワー数", "市snsのフォロワー数"),
        ("市ЅNЅのフォロワー数", "市snsのフォロワー数"),
        ("йд", "йд"),
        ("ワーク—ライフ", "ワーク-ライフ"),
        ("ワクティブこまき", "ワクティブこまき"),
    ];
    for (input, want) in cases {
        assert_eq!(match_key(input), want, "input: {input:?}");
    }
}

#[test]
fn match_key_is_idempotent() {
    for input in [
        "市 SNS の\nフォロワー数",
        "①指標",
        "デジタルデバйд",
        "(1)(2)指標",
        "1.1.指標",
    ] {
        let once = match_key(input);
        let twice = match_key(&once);
        // A second pass may strip one more marker, but never changes anything else.
        assert!(once.ends_with(&twice), "input: {input:?}");
    }
}

fn candidates(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, id)| (match_key(name), id.to_string()))
        .collect()
}

#[test]
fn suggest_finds_close_names() {
    let catalogue = candidates(&[
        ("マイナンバーカード保有率", "31-0-1"),
        ("市SNSのフォロワー数", "31-1-1"),
        ("デジタルデバイド対策講座の参加者数", "31-1-2"),
        ("ワクティブこまき登録者数", "33-1-2"),
        ("実質公債費比率", "33-3-1"),
        ("財政力指数", "33-3-2"),
        ("経常収支比率", "33-3-3"),
        ("マイナンバーカード", "31-0-1"),
    ]);
    let cases: [(&str, &[&str]); 8] = [
        ("マイナンバーカード保有率", &["31-0-1"]),
        ("マイナンバーカードの保有率", &["31-0-1"]),
        ("市 SNS のフォロワー数", &["31-1-1"]),
        ("デジタルデバйд対策講座の参加者数", &["31-1-2"]),
        ("ワークタイプこまき登録者数", &["33-1-2"]),
        ("実質公債費比率（％）", &["33-3-1"]),
        ("経常収支比", &["33-3-3"]),
        ("天気予報", &[]),
    ];
    for (input, want) in cases {
        let got = suggest(input, &catalogue, 1);
        assert_eq!(got, want, "input: {input:?}");
    }
}

#[test]
fn suggest_orders_best_first_and_dedupes_ids() {
    let catalogue = candidates(&[
        ("経常収支比率", "a"),
        ("実質公債費比率", "b"),
        ("経常収支比率 ", "a"),
        ("実質収支比率", "c"),
    ]);
    let got = suggest("経常収支比率", &catalogue, 5);
    assert_eq!(got.first(), Some(&"a"), "input: 経常収支比率");
    assert_eq!(
        got.iter().filter(|id| **id == "a").count(),
        1,
        "input: 経常収支比率"
    );
    assert!(got.contains(&"c"), "input: 経常収支比率");
    assert_eq!(suggest("経常収支比率", &catalogue, 0), Vec::<&str>::new());
    assert_eq!(suggest("", &catalogue, 3), Vec::<&str>::new());
    assert_eq!(suggest("x", &[], 3), Vec::<&str>::new());
}

#[test]
fn pending_texts_are_recognised() {
    let yes = [
        "調査中",
        "集計中",
        "未集計",
        "確認中",
        "未確定",
        "算出中",
        "照会中",
        "未定",
        " 調 査 中 ",
        "調査中\n",
        "（調査中）",
        "(集計中)",
        "【確認中】",
        "現在調査中",
        "集計中です",
        "精査中",
    ];
    for input in yes {
        assert!(is_pending_text(input), "input: {input:?}");
    }
    let no = [
        "",
        " ",
        "262",
        "-",
        "―",
        "なし",
        "調査",
        "集計",
        "R6.3時点で確認中 12",
        "n/a",
        "TBD",
        "指標名",
    ];
    for input in no {
        assert!(!is_pending_text(input), "input: {input:?}");
    }
}

#[test]
fn no_value_markers_are_blank_or_dashes() {
    let yes = [
        "",
        " ",
        "\u{3000}",
        "\n",
        "\t \r\n",
        "-",
        "—",
        "－",
        "―",
        "ー",
        "ｰ",
        "‐",
        "−",
        "–",
        "‒",
        "－－",
        "--",
        "---",
        " - ",
        "\u{3000}－\u{3000}",
        "─",
        "﹣",
    ];
    for input in yes {
        assert!(is_no_value(input), "input: {input:?}");
    }
    let no = [
        "0",
        "なし",
        "n/a",
        "N/A",
        "/",
        "／",
        "※",
        "-1",
        "ー5",
        "データー",
        "調査中",
        "—注",
        "~",
        "〜",
        "△",
    ];
    for input in no {
        assert!(!is_no_value(input), "input: {input:?}");
    }
}

#[test]
fn machine_dependent_chars_are_listed_once_in_order() {
    let cases: [(&str, &[char]); 18] = [
        ("", &[]),
        ("R6 1,234", &[]),
        ("令和6年度", &[]),
        ("①", &['①']),
        ("⑳㉑㊿", &['⑳', '㉑', '㊿']),
        ("ⅠⅫⅰⅻ", &['Ⅰ', 'Ⅻ', 'ⅰ', 'ⅻ']),
        ("㈱小牧㈲㈹", &['㈱', '㈲', '㈹']),
        ("㍻㍼㍽㍾㋿", &['㍻', '㍼', '㍽', '㍾', '㋿']),
        (
            "5㎏ 3㎝ 2㎜ 1㎞ 4㎡ 6㏄",
            &['㎏', '㎝', '㎜', '㎞', '㎡', '㏄'],
        ),
        (
            "㍉㌔㌢㍍㌘㌧㌃㌶",
            &['㍉', '㌔', '㌢', '㍍', '㌘', '㌧', '㌃', '㌶'],
        ),
        (
            "㍑㍗㌍㌦㌣㌫㍊㌻",
            &['㍑', '㍗', '㌍', '㌦', '㌣', '㌫', '㍊', '㌻'],
        ),
        ("№1 ℡ ™ ㏍", &['№', '℡', '™', '㏍']),
        ("①①①", &['①']),
        ("②と①", &['②', '①']),
        ("(1)", &[]),
        ("Ⅼ", &[]),
        ("ＡＢＣ１２３", &[]),
        ("㊤㊨", &['㊤', '㊨']),
    ];
    for (input, want) in cases {
        assert_eq!(has_machine_dependent_chars(input), want, "input: {input:?}");
    }
}

#[test]
fn odd_strings_do_not_panic() {
    let long_digits = "9".repeat(400);
    let odd = [
        "\u{0}",
        "\u{FFFF}",
        "\u{10FFFF}",
        "(",
        "((",
        "1",
        "①",
        "🎉",
        long_digits.as_str(),
        "\u{0301}",
    ];
    for input in odd {
        let _ = nfkc(input);
        let _ = display_text(input);
        let _ = match_key(input);
        let _ = is_pending_text(input);
        let _ = is_no_value(input);
        let _ = has_machine_dependent_chars(input);
        let _ = suggest(input, &[(match_key(input), "x".to_string())], 1);
    }
}

/// Fuzz finding (normalize target ran at 73 exec/s): `suggest` computed the Levenshtein
/// distance of every cell against every name, O(cell × name), though a cell more than
/// twice as long as a name cannot reach the threshold that way. The result must not
/// change: a long cell that contains a name still suggests it.
#[test]
fn fuzz_long_cells_skip_levenshtein_but_keep_containment() {
    let names = candidates(&[("市税収納率", "1-1-1"), ("自治会加入率", "1-1-2")]);
    let long = format!("{}市税収納率{}", "あ".repeat(16_000), "い".repeat(16_000));
    assert_eq!(suggest(&long, &names, 3), vec!["1-1-1"]);
    assert!(suggest(&"あ".repeat(32_767), &names, 3).is_empty());
    // just under twice as long, the distance is still computed
    assert_eq!(
        similarity("市税収納率", "市税収納率あいう"),
        0.6 + 0.4 * 5.0 / 8.0
    );
    assert!(similarity("abcd", "abcdefgh") >= 0.5);
    for (a, b) in [("市税収納", "自治会加入率の推移など"), ("", ""), ("a", "")] {
        let full = strsim::normalized_levenshtein(a, b);
        let got = similarity(a, b);
        assert!(
            got >= SUGGEST_THRESHOLD || full < SUGGEST_THRESHOLD,
            "{a} {b}"
        );
    }
}

/// The quick range test in `is_machine_dependent` covers every entry of the table.
#[test]
fn machine_dependent_quick_ranges_cover_the_table() {
    for (lo, hi) in MACHINE_DEPENDENT {
        for c in *lo..=*hi {
            assert!(is_machine_dependent(c), "{c:?}");
        }
    }
    for c in [
        '株', 'あ', 'ア', 'A', '〒', '\u{2115}', '\u{33CE}', '\u{3230}',
    ] {
        assert!(!is_machine_dependent(c), "{c:?}");
    }
}

/// Every character [`fold_known`] handles, with the ranges' ends and the ASCII range.
fn known_chars() -> Vec<char> {
    let ranges = [
        ('\u{20}', '\u{7E}'),
        ('\u{FF01}', '\u{FF5E}'),
        ('\u{3000}', '\u{3000}'),
        ('\u{2010}', '\u{2015}'),
        ('\u{2212}', '\u{2212}'),
        ('\u{2043}', '\u{2043}'),
        ('\u{301C}', '\u{301C}'),
        ('\u{3030}', '\u{3030}'),
        ('\u{4E00}', '\u{9FFF}'),
        ('\u{3041}', '\u{3096}'),
        ('\u{30A1}', '\u{30F6}'),
        ('\u{3001}', '\u{3002}'),
        ('\u{3005}', '\u{3005}'),
        ('\u{300C}', '\u{3011}'),
        ('\u{30FB}', '\u{30FB}'),
        ('ー', 'ー'),
        ('△', '△'),
        ('▲', '▲'),
    ];
    ranges.iter().flat_map(|&(a, b)| a..=b).collect()
}

/// NFKC and the extra mappings straight from unicode-normalization, without the fast
/// paths of [`nfkc_cow`] and [`with_nfkc`].
fn reference_nfkc(s: &str) -> String {
    s.nfkc().map(|c| extra_mapping(c).unwrap_or(c)).collect()
}

/// What lets [`nfkc_cow`] return a text of these characters unchanged: each is its own
/// NFKC, has no combining class (canonical reordering never moves it), and is not the
/// second character of any canonical composition (the last character of a canonical
/// decomposition, Hangul included), so no neighbour composes with it.
#[test]
fn nfkc_stable_characters_are_their_own_nfkc_and_compose_with_nothing() {
    use unicode_normalization::char::{canonical_combining_class, decompose_canonical};
    let mut seconds = std::collections::HashSet::new();
    for c in (0..=0x10_FFFFu32).filter_map(char::from_u32) {
        let mut parts = Vec::new();
        decompose_canonical(c, |d| parts.push(d));
        if parts.len() > 1 {
            seconds.extend(parts.last().copied());
        }
    }
    assert!(seconds.contains(&'\u{3099}') && seconds.contains(&'\u{1161}'));
    let stable: Vec<char> = (0..=0x10_FFFFu32)
        .filter_map(char::from_u32)
        .filter(|&c| c.is_ascii() || is_nfkc_stable(c))
        .collect();
    assert_eq!(stable.len(), 128 + 20_992 + 86 + 86 + 2 + 1 + 6 + 1 + 3);
    for c in stable {
        let s = c.to_string();
        assert_eq!(s.nfkc().collect::<String>(), s, "U+{:04X}", c as u32);
        assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
        assert!(!seconds.contains(&c), "U+{:04X}", c as u32);
        assert!(extra_mapping(c).is_none(), "U+{:04X}", c as u32);
    }
}

#[test]
fn with_nfkc_folds_each_known_character_as_nfkc_does() {
    for c in known_chars() {
        let s = c.to_string();
        assert_eq!(
            with_nfkc(&s, str::to_string),
            reference_nfkc(&s),
            "input: {c:?} U+{:04X}",
            c as u32
        );
        assert_eq!(nfkc_cow(&s), reference_nfkc(&s), "input: {c:?}");
    }
}

#[test]
fn with_nfkc_agrees_with_nfkc_on_mixed_text() {
    // Known characters mixed with ones it must hand over to nfkc_cow: combining marks
    // (U+3099 after か composes to が), half-width kana, circled digits, a squared era.
    let known = known_chars();
    let others = [
        '\u{3099}', '\u{309A}', '\u{0301}', 'ｶ', 'ﾞ', '①', '㋿', 'é', 'Å',
    ];
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..50_000 {
        let len = next() % 12;
        let s: String = (0..len)
            .map(|_| {
                let r = next();
                if r % 16 == 0 {
                    others[(r / 16 % others.len() as u64) as usize]
                } else {
                    known[(r / 16 % known.len() as u64) as usize]
                }
            })
            .collect();
        let reference = reference_nfkc(&s);
        assert_eq!(with_nfkc(&s, str::to_string), reference, "input: {s:?}");
        assert_eq!(nfkc_cow(&s), reference, "input: {s:?}");
    }
    // Longer than the stack buffer: handed over, same result.
    let long = "１".repeat(100);
    assert_eq!(with_nfkc(&long, str::to_string), "1".repeat(100));
}
