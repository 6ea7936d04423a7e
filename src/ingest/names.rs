//! Matching indicator names (and IDs) written in submissions to the catalogue.
//!
//! Exact match of the normalized key first, then aliases, then the name without its
//! parenthesised part (`来庁件数` for `来庁件数(呼び出しシステムによる発券数)`) when that
//! is unambiguous. Anything else is unknown, with the closest names as suggestions: a
//! fuzzy match is never accepted silently.

use foldhash::HashMap;
use std::sync::{Arc, Mutex};

use crate::catalogue::Catalogue;
use crate::normalize::text::{match_key, suggest};

/// How a name was matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameMatch {
    Exact(String),
    Alias(String),
    Unknown { suggestions: Vec<String> },
}

/// A lookup table built once per catalogue.
#[derive(Debug, Clone)]
pub struct Matcher {
    exact: HashMap<String, String>,
    alias: HashMap<String, String>,
    ids: HashMap<String, String>,
    candidates: Vec<(String, String)>,
    /// Suggestions already computed for an unknown name's key, shared by the reading
    /// threads: a batch repeats the same unknown names in many files, and each
    /// suggestion compares the name with every catalogue name. Bounded.
    suggested: Arc<Mutex<HashMap<String, Vec<String>>>>,
}

/// Most unknown names whose suggestions are kept.
const SUGGESTED_MAX: usize = 10_000;

impl Matcher {
    /// Builds the lookup from the catalogue's names, aliases and IDs.
    pub fn new(catalogue: &Catalogue) -> Self {
        let mut exact = HashMap::default();
        let mut alias = HashMap::default();
        let mut short: HashMap<String, Vec<String>> = HashMap::default();
        let mut candidates = Vec::new();
        for ind in &catalogue.indicators {
            let key = match_key(&ind.name);
            exact.insert(key.clone(), ind.id.clone());
            candidates.push((key.clone(), ind.id.clone()));
            for a in &ind.aliases {
                alias.insert(match_key(a), ind.id.clone());
            }
            let stripped = strip_parenthesised(&key);
            if stripped != key && !stripped.is_empty() {
                short.entry(stripped).or_default().push(ind.id.clone());
            }
        }
        for (key, ids) in short {
            if let [id] = ids.as_slice() {
                alias.entry(key).or_insert_with(|| id.clone());
            }
        }
        let ids = catalogue
            .indicators
            .iter()
            .map(|i| (i.id.clone(), i.id.clone()))
            .collect();
        Matcher {
            exact,
            alias,
            ids,
            candidates,
            suggested: Arc::default(),
        }
    }

    /// Matches a name as written in a cell.
    pub fn match_name(&self, raw: &str) -> NameMatch {
        let key = match_key(raw);
        if let Some(found) = self.known_key(&key) {
            return found;
        }
        let cached = self
            .suggested
            .lock()
            .ok()
            .and_then(|cache| cache.get(&key).cloned());
        let suggestions = cached.unwrap_or_else(|| {
            let found: Vec<String> = suggest(raw, &self.candidates, 3)
                .into_iter()
                .map(str::to_string)
                .collect();
            if let Ok(mut cache) = self.suggested.lock() {
                if cache.len() < SUGGESTED_MAX {
                    cache.insert(key, found.clone());
                }
            }
            found
        });
        NameMatch::Unknown { suggestions }
    }

    /// [`Matcher::match_name`] for a name of the catalogue (exact or by an alias), and
    /// `None` without looking for suggestions: table detection asks it of every text
    /// cell, and suggestions cost an edit distance to every indicator.
    pub fn known_name(&self, raw: &str) -> Option<NameMatch> {
        self.known_key(&match_key(raw))
    }

    /// The match of a name's key, when the catalogue knows it.
    fn known_key(&self, key: &str) -> Option<NameMatch> {
        if let Some(id) = self.exact.get(key) {
            return Some(NameMatch::Exact(id.clone()));
        }
        if let Some(id) = self.alias.get(key) {
            return Some(NameMatch::Alias(id.clone()));
        }
        let stripped = strip_parenthesised(key);
        self.exact
            .get(&stripped)
            .or_else(|| self.alias.get(&stripped))
            .map(|id| NameMatch::Alias(id.clone()))
    }

    /// The catalogue ID for an ID as written (`31-0-1`, `３１－０－１`).
    pub fn match_id(&self, raw: &str) -> Option<String> {
        // As written in most files (and in every template): already a key, so the
        // normalisation below would return it unchanged.
        if let Some(id) = self.ids.get(raw) {
            return Some(id.clone());
        }
        let key = match_key(raw).replace(['ー', '−', '–', '_', '.'], "-");
        self.ids.get(&key).cloned()
    }
}

/// Removes `(...)` parts from a normalized key.
fn strip_parenthesised(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut depth = 0usize;
    for c in key.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_exactly_by_alias_or_without_parentheses() {
        let m = Matcher::new(&Catalogue::builtin());
        let cases = [
            (
                "マイナンバーカード保有率",
                NameMatch::Exact("31-0-1".into()),
            ),
            (
                "マイナンバーカード\n保有率",
                NameMatch::Exact("31-0-1".into()),
            ),
            (
                "ＭＡＸ",
                NameMatch::Unknown {
                    suggestions: vec![],
                },
            ),
            ("来庁件数", NameMatch::Alias("31-0-2".into())),
            ("市 SNS のフォロワー数", NameMatch::Exact("30-3-3".into())),
        ];
        for (raw, want) in cases {
            let got = m.match_name(raw);
            match (&want, &got) {
                (NameMatch::Unknown { .. }, NameMatch::Unknown { .. }) => {
                    assert_eq!(m.known_name(raw), None, "input: {raw:?}");
                }
                _ => {
                    assert_eq!(got, want, "input: {raw:?}");
                    // Table detection's lookup agrees, without suggestions.
                    assert_eq!(m.known_name(raw), Some(want), "input: {raw:?}");
                }
            }
        }
    }

    #[test]
    fn an_unknown_name_comes_with_suggestions() {
        let m = Matcher::new(&Catalogue::builtin());
        let NameMatch::Unknown { suggestions } = m.match_name("マイナンバーカード普及率")
        else {
            panic!("a typo must not match");
        };
        assert_eq!(suggestions.first().map(String::as_str), Some("31-0-1"));
    }

    #[test]
    fn ids_match_in_any_width() {
        let m = Matcher::new(&Catalogue::builtin());
        assert_eq!(m.match_id("３１－０－１"), Some("31-0-1".into()));
        assert_eq!(m.match_id("99-0-1"), None);
    }
}
