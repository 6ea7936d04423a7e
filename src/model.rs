//! The shared vocabulary: fiscal years, periods, units, cell references, findings and
//! located values. Checked once when they are made, trusted afterwards.

use std::fmt;
use std::sync::Arc;

/// A Japanese fiscal year (年度), April to March, named by the year it starts in:
/// `FiscalYear(2024)` is 令和6年度 = 2024-04 … 2025-03.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FiscalYear(pub u16);

impl FiscalYear {
    /// The 令和 year number (令和6年度 → 6). Years before 令和 give `None`.
    pub fn reiwa(self) -> Option<u16> {
        self.0.checked_sub(2018).filter(|n| *n >= 1)
    }

    /// The label used in reports: `令和6年度`, `令和元年度`, or `平成30年度` before 2019.
    ///
    /// ```
    /// use shukei::model::FiscalYear;
    /// assert_eq!(FiscalYear(2024).label_ja(), "令和6年度");
    /// assert_eq!(FiscalYear(2019).label_ja(), "令和元年度");
    /// ```
    pub fn label_ja(self) -> String {
        format!("{}度", era_year_ja(self.0)) // era_year_ja ends in 年
    }

    /// `R6` style short label for table headers.
    pub fn short_ja(self) -> String {
        match self.reiwa() {
            Some(n) => format!("R{n}"),
            None => format!("FY{}", self.0),
        }
    }

    /// The machine code `FY2024`.
    pub fn code(self) -> String {
        Period::Year(self).to_string()
    }

    /// The twelve months of the fiscal year, April first.
    pub fn months(self) -> impl Iterator<Item = Month> {
        (0..12u8).map(move |i| {
            let m = 4 + i;
            if m <= 12 {
                Month {
                    year: self.0,
                    month: m,
                }
            } else {
                Month {
                    year: self.0 + 1,
                    month: m - 12,
                }
            }
        })
    }
}

/// `令和6年` / `令和元年` / `平成30年` for a calendar year (for fiscal years too: the era of
/// April of that year). Years from 2019 are 令和 (令和元年 starts 2019-05-01; a fiscal year
/// starting in April 2019 is 令和元年度 by the usual convention).
pub fn era_year_ja(year: u16) -> String {
    if year >= 2019 {
        let n = year - 2018;
        if n == 1 {
            "令和元年".to_string()
        } else {
            format!("令和{n}年")
        }
    } else if year >= 1989 {
        let n = year - 1988;
        if n == 1 {
            "平成元年".to_string()
        } else {
            format!("平成{n}年")
        }
    } else {
        format!("{year}年")
    }
}

/// A calendar month, `Month { year: 2024, month: 11 }` = 2024-11 = 令和6年11月.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: u16,
    pub month: u8,
}

impl Month {
    /// The fiscal year the month belongs to (January–March belong to the previous year's).
    pub fn fiscal_year(self) -> FiscalYear {
        if self.month >= 4 {
            FiscalYear(self.year)
        } else {
            FiscalYear(self.year.saturating_sub(1))
        }
    }

    /// Position in the fiscal year: April = 0 … March = 11.
    pub fn fiscal_index(self) -> usize {
        usize::from((self.month + 8) % 12)
    }

    /// `令和6年11月`. May 2019 onward is 令和; January–April 2019 is 平成31年.
    pub fn label_ja(self) -> String {
        if self.year == 2019 && self.month < 5 {
            format!("平成31年{}月", self.month)
        } else {
            format!("{}{}月", era_year_ja(self.year), self.month)
        }
    }

    /// The machine code `2024-11`.
    pub fn code(self) -> String {
        Period::Month(self).to_string()
    }
}

/// A reporting period: a whole fiscal year or one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Year(FiscalYear),
    Month(Month),
}

impl Period {
    /// The period and a number (an indicator's within a file or a run of files) as one
    /// integer, distinct for distinct pairs (a fiscal year takes 0xFF where a month has
    /// 1–12): a key hashed once, where the pair was hashed field by field (a million
    /// values are grouped by it).
    pub(crate) fn numbered_key(self, number: usize) -> u64 {
        let period = match self {
            Period::Year(fy) => (u64::from(fy.0) << 8) | 0xFF,
            Period::Month(m) => (u64::from(m.year) << 8) | u64::from(m.month),
        };
        ((number as u64) << 32) | period
    }

    /// The fiscal year this period belongs to.
    pub fn fiscal_year(self) -> FiscalYear {
        match self {
            Period::Year(fy) => fy,
            Period::Month(m) => m.fiscal_year(),
        }
    }

    /// `FY2024` or `2024-04`, as in every export.
    pub fn code(self) -> String {
        self.to_string()
    }

    /// `令和6年度` or `令和6年4月`, as in the report and templates.
    pub fn label_ja(self) -> String {
        match self {
            Period::Year(fy) => fy.label_ja(),
            Period::Month(m) => m.label_ja(),
        }
    }

    /// Parses the machine code (`FY2024`, `2024-04`). Japanese forms are parsed by
    /// [`crate::normalize::era`].
    pub fn from_code(s: &str) -> Option<Period> {
        if let Some(y) = s.strip_prefix("FY") {
            let y: u16 = y.parse().ok()?;
            return (1900..=2999)
                .contains(&y)
                .then_some(Period::Year(FiscalYear(y)));
        }
        let (y, m) = s.split_once('-')?;
        let (year, month): (u16, u8) = (y.parse().ok()?, m.parse().ok()?);
        ((1900..=2999).contains(&year) && (1..=12).contains(&month))
            .then_some(Period::Month(Month { year, month }))
    }
}

/// The machine code, written without a string of its own (values.csv writes one per
/// value).
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(fy) => write!(f, "FY{}", fy.0),
            Period::Month(m) => write!(f, "{:04}-{:02}", m.year, m.month),
        }
    }
}

/// Units that appear in the catalogue and in submissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unit {
    /// `%`
    Percent,
    /// `件`
    Ken,
    /// `件/月` (a monthly rate)
    KenPerMonth,
    /// `人`
    Nin,
    /// `団体`
    Dantai,
    /// `世帯`
    Setai,
    /// `事業`
    Jigyo,
    /// `課室`
    Kashitsu,
    /// `位` (a rank: a smaller number is better)
    Rank,
    /// `千円`
    SenEn,
    /// `円` (only in submissions; converted to 千円)
    En,
    /// no unit (an index such as 財政力指数 1.22)
    None,
}

impl Unit {
    /// Every unit, for lookups and documentation.
    pub const ALL: [Unit; 12] = [
        Unit::Percent,
        Unit::Ken,
        Unit::KenPerMonth,
        Unit::Nin,
        Unit::Dantai,
        Unit::Setai,
        Unit::Jigyo,
        Unit::Kashitsu,
        Unit::Rank,
        Unit::SenEn,
        Unit::En,
        Unit::None,
    ];

    /// The symbol as written in the catalogue and the report (`""` for no unit).
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Percent => "%",
            Unit::Ken => "件",
            Unit::KenPerMonth => "件/月",
            Unit::Nin => "人",
            Unit::Dantai => "団体",
            Unit::Setai => "世帯",
            Unit::Jigyo => "事業",
            Unit::Kashitsu => "課室",
            Unit::Rank => "位",
            Unit::SenEn => "千円",
            Unit::En => "円",
            Unit::None => "",
        }
    }

    /// Parses a catalogue unit symbol (after NFKC: `％` → `%`).
    ///
    /// ```
    /// use shukei::model::Unit;
    /// assert_eq!(Unit::parse("件/月"), Some(Unit::KenPerMonth));
    /// assert_eq!(Unit::parse("ドル"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Unit> {
        let s = s.trim();
        let s = match s {
            "％" => "%",
            "件／月" => "件/月",
            other => other,
        };
        Unit::ALL.into_iter().find(|u| u.symbol() == s)
    }

    /// Counts of things: never negative, normally whole numbers.
    pub fn is_count(self) -> bool {
        matches!(
            self,
            Unit::Ken | Unit::Nin | Unit::Dantai | Unit::Setai | Unit::Jigyo | Unit::Kashitsu
        )
    }

    /// Money (千円 or 円).
    pub fn is_money(self) -> bool {
        matches!(self, Unit::SenEn | Unit::En)
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// `error` / `warning` / `info`, as in issues.csv.
    pub fn code(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// `エラー` / `警告` / `参考`, as in the report and feedback workbooks.
    pub fn label_ja(self) -> &'static str {
        match self {
            Severity::Error => "エラー",
            Severity::Warning => "警告",
            Severity::Info => "参考",
        }
    }
}

/// File, sheet and cell of a [`CellRef`] (or of a packed value), borrowed.
pub type Place<'a> = (&'a str, Option<&'a str>, Option<(u32, u32)>);

/// Where something is: a file, and optionally a sheet and a cell (0-based, absolute).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct CellRef {
    /// The file as given on the command line or found in a folder (display form).
    /// Shared: every value and finding of a file points at one copy of its name (a
    /// large batch holds millions of them).
    pub file: Arc<str>,
    pub sheet: Option<Arc<str>>,
    /// 0-based absolute row and column.
    pub cell: Option<(u32, u32)>,
}

impl CellRef {
    /// The same order as `Ord`, with names shared by both places taken as equal
    /// without comparing their text (the findings of a file share its path).
    pub(crate) fn cmp_shared(&self, other: &CellRef) -> std::cmp::Ordering {
        fn cmp_name(a: &Arc<str>, b: &Arc<str>) -> std::cmp::Ordering {
            if Arc::ptr_eq(a, b) {
                std::cmp::Ordering::Equal
            } else {
                a.cmp(b)
            }
        }
        cmp_name(&self.file, &other.file)
            .then_with(|| match (&self.sheet, &other.sheet) {
                (Some(a), Some(b)) => cmp_name(a, b),
                (a, b) => a.cmp(b),
            })
            .then_with(|| self.cell.cmp(&other.cell))
    }

    /// A whole file.
    pub fn file(file: impl Into<Arc<str>>) -> Self {
        CellRef {
            file: file.into(),
            sheet: None,
            cell: None,
        }
    }

    /// A cell of a sheet (0-based row and column).
    pub fn cell(file: impl Into<Arc<str>>, sheet: impl Into<Arc<str>>, row: u32, col: u32) -> Self {
        CellRef {
            file: file.into(),
            sheet: Some(sheet.into()),
            cell: Some((row, col)),
        }
    }

    /// File, sheet and cell, borrowed: a key that orders as `CellRef`s do.
    pub fn place(&self) -> Place<'_> {
        (&self.file, self.sheet.as_deref(), self.cell)
    }

    /// The cell in A1 form (`D12`), or `""` when the reference is not a cell.
    pub fn a1(&self) -> String {
        match self.cell {
            Some((row, col)) => a1(row, col),
            None => String::new(),
        }
    }
}

/// `a1(11, 3)` = `D12`.
///
/// ```
/// assert_eq!(shukei::model::a1(11, 3), "D12");
/// assert_eq!(shukei::model::a1(0, 26), "AA1");
/// ```
pub fn a1(row: u32, col: u32) -> String {
    CellName(row, col).to_string()
}

/// A cell's A1 name (0-based row, column), written without a string of its own.
///
/// ```
/// use shukei::model::CellName;
/// assert_eq!(CellName(11, 3).to_string(), "D12");
/// assert_eq!(CellName(1_048_575, 16_383).to_string(), "XFD1048576");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CellName(pub u32, pub u32);

impl fmt::Display for CellName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ColumnName(self.1).fmt(f)?;
        write!(f, "{}", u64::from(self.0) + 1)
    }
}

/// `column_name(0)` = `A`, `column_name(27)` = `AB`.
pub fn column_name(col: u32) -> String {
    ColumnName(col).to_string()
}

/// A column's letters (0-based), written without a string of their own.
struct ColumnName(u32);

impl fmt::Display for ColumnName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (letters, at) = column_letters(self.0);
        let text = letters.get(at..).unwrap_or_default();
        f.write_str(std::str::from_utf8(text).unwrap_or_default())
    }
}

/// A column's letters (0-based) at the end of a small buffer: `letters[at..]`.
pub(crate) fn column_letters(col: u32) -> ([u8; 8], usize) {
    // A u32 column needs at most 7 letters (26^7 > 2^32).
    let mut letters = [0u8; 8];
    let mut at = letters.len();
    let mut n = u64::from(col) + 1;
    while n > 0 && at > 0 {
        at -= 1;
        if let Some(slot) = letters.get_mut(at) {
            *slot = b'A' + ((n - 1) % 26) as u8;
        }
        n = (n - 1) / 26;
    }
    (letters, at)
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ":{sheet}")?;
            if let Some((row, col)) = self.cell {
                write!(f, "!{}", a1(row, col))?;
            }
        }
        Ok(())
    }
}

/// A problem found in the data. Never returned as `Err`: collected and reported.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    /// Stable code, e.g. `E-VALUE-NONNUMERIC`.
    pub code: &'static str,
    pub at: CellRef,
    /// Shared by findings about the same indicator ([`SharedTexts`]).
    pub indicator_id: Option<Arc<str>>,
    /// What was found, in Japanese: the message without the place in front of it, when
    /// it named its place (see [`Finding::message`]). Shared by findings of the same
    /// text ([`SharedTexts`]).
    text: Arc<str>,
    /// Whether the message named its place (`file:sheet!A1: `) before `text`.
    placed: bool,
    /// How to fix it, in Japanese.
    pub hint: &'static str,
    /// The raw cell text (or other evidence), kept for display.
    pub raw: String,
}

impl Finding {
    /// A finding with its message. A message that starts with the place
    /// (`file:sheet!A1: `, as nearly all do) is kept without it, and
    /// [`Finding::message`] writes it back: every finding of a file repeated the file's
    /// path (1.9 MB of the findings of 8,000 small files).
    pub fn new(
        severity: Severity,
        code: &'static str,
        at: CellRef,
        message: String,
        hint: &'static str,
    ) -> Finding {
        let place = place_len(&at, &message);
        let text = match place.and_then(|n| message.get(n..)) {
            Some(rest) => Arc::from(rest),
            None => Arc::from(message),
        };
        Finding {
            severity,
            code,
            at,
            indicator_id: None,
            text,
            placed: place.is_some(),
            hint,
            raw: String::new(),
        }
    }

    /// The message without its place, for tables and terminals that show the place in
    /// their own columns.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The whole message, naming the place when it was made so (as issues.csv and
    /// `validate` print it).
    pub fn message(&self) -> Message<'_> {
        Message(self)
    }

    /// Whether the two findings hold one copy of their text ([`SharedTexts`]).
    pub fn shares_text_with(&self, other: &Finding) -> bool {
        Arc::ptr_eq(&self.text, &other.text)
    }

    /// Orders two findings' whole messages without writing them out.
    pub fn cmp_message(&self, other: &Finding) -> std::cmp::Ordering {
        if self.placed == other.placed && self.at == other.at {
            if self.shares_text_with(other) {
                return std::cmp::Ordering::Equal;
            }
            self.text.cmp(&other.text)
        } else {
            self.message().to_string().cmp(&other.message().to_string())
        }
    }
}

/// Findings' texts, each kept once: a finding whose text was seen before shares it.
///
/// Most findings repeat the text of another, with the place in its own fields: 2,000
/// small files gave 10,578 findings of 1,619 texts, and their texts were 0.4 KB of
/// the memory each file kept for the outputs. A run shares the texts of each file's
/// findings as the file is done.
///
/// ```
/// use shukei::model::{CellRef, Finding, Severity, SharedTexts};
/// let at = |row| CellRef::cell("a.xlsx", "表", row, 0);
/// let mut one = Finding::new(Severity::Info, "I-X", at(1), "同じ文".into(), "");
/// let mut two = Finding::new(Severity::Info, "I-X", at(2), "同じ文".into(), "");
/// let mut texts = SharedTexts::default();
/// texts.share(&mut one);
/// texts.share(&mut two);
/// assert!(one.shares_text_with(&two));
/// assert_eq!(two.text(), "同じ文");
/// ```
#[derive(Debug, Default)]
pub struct SharedTexts {
    seen: foldhash::HashSet<Arc<str>>,
}

impl SharedTexts {
    /// At most this many texts are kept to be shared: a run whose findings all differ
    /// (each naming its own value) keeps no list as long as theirs.
    pub const MAX: usize = 1 << 16;

    /// Gives `finding` the text, indicator ID and sheet name of earlier findings with
    /// the same ones, or keeps them to share with later ones.
    pub fn share(&mut self, finding: &mut Finding) {
        self.share_text(&mut finding.text);
        if let Some(id) = &mut finding.indicator_id {
            self.share_text(id);
        }
        if let Some(sheet) = &mut finding.at.sheet {
            self.share_text(sheet);
        }
    }

    /// Replaces `text` with an equal one seen before, or keeps it to share.
    pub(crate) fn share_text(&mut self, text: &mut Arc<str>) {
        match self.seen.get(&**text) {
            Some(seen) => *text = Arc::clone(seen),
            None if self.seen.len() < Self::MAX => {
                self.seen.insert(Arc::clone(text));
            }
            None => {}
        }
    }

    /// [`SharedTexts::share`] for each finding.
    pub fn share_all<'a>(&mut self, findings: impl IntoIterator<Item = &'a mut Finding>) {
        for finding in findings {
            self.share(finding);
        }
    }
}

/// A finding's whole message ([`Finding::message`]).
pub struct Message<'a>(&'a Finding);

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.placed {
            write!(f, "{}: ", self.0.at)?;
        }
        f.write_str(&self.0.text)
    }
}

/// The length of `at`'s place and `": "` when the message starts with them.
fn place_len(at: &CellRef, message: &str) -> Option<usize> {
    // The place is written against the message instead of into a new string: a run
    // makes hundreds of thousands of findings.
    let mut rest = Prefixed {
        rest: Some(message),
    };
    let _ = fmt::Write::write_fmt(&mut rest, format_args!("{at}: "));
    rest.rest.map(|r| message.len() - r.len())
}

/// A writer that checks that what is written starts the text: `rest` is what follows,
/// `None` once a piece differs.
struct Prefixed<'a> {
    rest: Option<&'a str>,
}

impl fmt::Write for Prefixed<'_> {
    fn write_str(&mut self, piece: &str) -> fmt::Result {
        self.rest = self.rest.and_then(|r| r.strip_prefix(piece));
        Ok(())
    }
}

/// A value read from a submission, located and converted to the catalogue's unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Shared by the values of one indicator in a file (a detail sheet repeats it on
    /// every row).
    pub indicator_id: Arc<str>,
    pub period: Period,
    /// In the catalogue's unit.
    pub value: f64,
    /// The cell's text as the department wrote it.
    pub raw: String,
    pub at: CellRef,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmp_shared_orders_places_as_ord_does() {
        let a: Arc<str> = Arc::from("a.xlsx");
        let a_copy: Arc<str> = Arc::from("a.xlsx");
        let b: Arc<str> = Arc::from("b.xlsx");
        let s1: Arc<str> = Arc::from("入力");
        let s2: Arc<str> = Arc::from("明細");
        let place = |file: &Arc<str>, sheet: Option<&Arc<str>>, cell| CellRef {
            file: file.clone(),
            sheet: sheet.cloned(),
            cell,
        };
        let places = [
            place(&a, None, None),
            place(&a_copy, None, None),
            place(&a, Some(&s1), Some((3, 1))),
            place(&a_copy, Some(&s1), Some((3, 1))),
            place(&a, Some(&s1), Some((2, 5))),
            place(&a, Some(&s2), None),
            place(&b, Some(&s1), Some((0, 0))),
            place(&b, None, Some((0, 0))),
        ];
        for x in &places {
            for y in &places {
                assert_eq!(x.cmp_shared(y), x.cmp(y), "{x:?} {y:?}");
            }
        }
    }

    #[test]
    fn numbered_keys_differ_for_different_pairs() {
        let m = |year, month| Period::Month(Month { year, month });
        let y = |year| Period::Year(FiscalYear(year));
        let pairs = [
            (0, y(2024)),
            (0, y(2025)),
            (1, y(2024)),
            (0, m(2024, 4)),
            (0, m(2024, 12)),
            (0, m(2025, 3)),
            (1, m(2024, 4)),
            (u32::MAX as usize, y(u16::MAX)),
            (u32::MAX as usize, m(u16::MAX, 12)),
        ];
        let keys: std::collections::HashSet<u64> =
            pairs.iter().map(|&(n, p)| p.numbered_key(n)).collect();
        assert_eq!(keys.len(), pairs.len());
    }

    #[test]
    fn months_of_a_fiscal_year_run_april_to_march() {
        let months: Vec<String> = FiscalYear(2024).months().map(Month::code).collect();
        assert_eq!(months.first().map(String::as_str), Some("2024-04"));
        assert_eq!(months.last().map(String::as_str), Some("2025-03"));
        assert_eq!(months.len(), 12);
    }

    #[test]
    fn month_labels_follow_the_era() {
        let cases = [
            (2024, 11, "令和6年11月"),
            (2019, 4, "平成31年4月"),
            (2019, 5, "令和元年5月"),
            (2025, 3, "令和7年3月"),
        ];
        for (year, month, want) in cases {
            assert_eq!(
                Month { year, month }.label_ja(),
                want,
                "input: {year}-{month}"
            );
        }
    }

    #[test]
    fn fiscal_year_of_january_is_the_previous_year() {
        assert_eq!(
            Month {
                year: 2025,
                month: 1
            }
            .fiscal_year(),
            FiscalYear(2024)
        );
        assert_eq!(
            Month {
                year: 2025,
                month: 1
            }
            .fiscal_index(),
            9
        );
        assert_eq!(
            Month {
                year: 2024,
                month: 4
            }
            .fiscal_index(),
            0
        );
    }

    #[test]
    fn period_codes_round_trip() {
        for code in ["FY2024", "2024-04", "2025-03"] {
            assert_eq!(
                Period::from_code(code).map(Period::code).as_deref(),
                Some(code)
            );
        }
        for bad in ["FY", "2024-13", "2024-00", "R6", ""] {
            assert_eq!(Period::from_code(bad), None, "input: {bad:?}");
        }
    }

    #[test]
    fn finding_text_drops_exactly_its_own_place_and_the_message_keeps_it() {
        let finding = |at: CellRef, message: &str| {
            Finding::new(Severity::Error, "E-X", at, message.to_string(), "")
        };
        let cell = CellRef::cell("a/b.xlsx", "入力", 11, 3);
        let cases = [
            (
                cell.clone(),
                "a/b.xlsx:入力!D12: 数値ではありません",
                "数値ではありません",
            ),
            (
                cell.clone(),
                "a/b.xlsx:入力!D13: 別のセル",
                "a/b.xlsx:入力!D13: 別のセル",
            ),
            (
                cell.clone(),
                "a/b.xlsx:入力: シートだけ",
                "a/b.xlsx:入力: シートだけ",
            ),
            (cell.clone(), "a/b.xlsx:入力!D12:", "a/b.xlsx:入力!D12:"),
            (cell.clone(), "場所なし", "場所なし"),
            (cell, "", ""),
            (
                CellRef::file("a/b.xlsx"),
                "a/b.xlsx: 読めません",
                "読めません",
            ),
            (
                CellRef::file("a/b.xlsx"),
                "a/b.xlsxx: 違うファイル",
                "a/b.xlsxx: 違うファイル",
            ),
        ];
        for (at, message, want) in cases {
            let f = finding(at, message);
            assert_eq!(f.text(), want, "input: {message:?}");
            // The whole message comes back as it was made.
            assert_eq!(f.message().to_string(), message);
        }
    }

    #[test]
    fn findings_order_by_their_whole_messages() {
        let cell = CellRef::cell("a/b.xlsx", "入力", 11, 3);
        let messages = [
            "a/b.xlsx:入力!D12: い",
            "a/b.xlsx:入力!D12: あ",
            "場所なし",
            "a/b.xlsx:入力!D12:",
            "0 から",
            "b",
            "",
        ];
        for x in messages {
            for y in messages {
                let f = |m: &str| Finding::new(Severity::Info, "I-X", cell.clone(), m.into(), "");
                assert_eq!(f(x).cmp_message(&f(y)), x.cmp(y), "{x:?} vs {y:?}");
            }
        }
    }

    #[test]
    fn cell_refs_display_as_file_sheet_a1() {
        let at = CellRef::cell("samples/a.xlsx", "入力", 11, 3);
        assert_eq!(at.to_string(), "samples/a.xlsx:入力!D12");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }
}
