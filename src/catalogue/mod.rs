//! The indicator catalogue: policies, directions, indicators, action items, projects and
//! departments of the plan (自治体経営編, 基本施策 30–33).
//!
//! The catalogue is built into the binary from `templates/catalogue.toml` and can be
//! replaced by a TOML file in the same format or by the workbook that
//! [`Catalogue::build_xlsx`] writes. It is loaded in two steps:
//!
//! 1. *conversion* ([`Catalogue::from_toml`], [`Catalogue::from_xlsx`]): the file is read
//!    into plain "raw" records of strings and numbers, then converted with our own
//!    Japanese messages naming the entry (unknown unit or trend, unparseable baseline).
//! 2. *checking* ([`Catalogue::check`]): cross-references (unique IDs, departments,
//!    directions) are reported as a list of [`CatalogueProblem`]s, all at once.
//!
//! [`Catalogue::load`] does both, for the command line. This module does no printing;
//! the only file access is in `load`/`read`/`from_xlsx`.
//!
//! Decisions other modules rely on:
//! - unit 位 (rank) is "smaller is better" whatever the printed trend;
//! - `keep` is judged within ±`tolerance` of the baseline (in the indicator's unit);
//! - `max` carries its bound (`2.5%以内` → `Trend::Max(2.5)`);
//! - "関係課" may appear in action items' departments without being a department.

mod check;
mod export;
mod raw;
#[cfg(test)]
mod tests;
mod xlsx;

use std::fmt;
use std::path::Path;

use crate::error::Error;
use crate::model::{FiscalYear, Unit};

pub use check::CatalogueProblem;

/// "Related departments": accepted in action items' department lists only.
pub const RELATED_DEPARTMENTS: &str = "関係課";

/// The built-in catalogue text, embedded at compile time.
pub const BUILTIN_TOML: &str = include_str!("../../templates/catalogue.toml");

/// The whole catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    /// Free-form version string, shown in the report (e.g. `2024.1`).
    pub version: String,
    /// 全国地方公共団体コード (232068 for Komaki).
    pub municipality_code: String,
    /// 地方公共団体名 (小牧市).
    pub municipality_name: String,
    pub policies: Vec<Policy>,
    pub departments: Vec<String>,
    pub indicators: Vec<Indicator>,
    pub action_items: Vec<ActionItem>,
    pub projects: Vec<Project>,
    /// Positions in `indicators` by ID, built on the first lookup (a large batch looks
    /// an ID up several times per value).
    by_id: IdIndex,
}

/// The lookup behind [`Catalogue::indicator`]. Not part of a catalogue's value: equal
/// whatever it holds, and a clone starts empty.
#[derive(Default)]
struct IdIndex(std::sync::OnceLock<foldhash::HashMap<String, usize>>);

impl Clone for IdIndex {
    fn clone(&self) -> Self {
        IdIndex::default()
    }
}

impl PartialEq for IdIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for IdIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdIndex")
    }
}

/// A 基本施策.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub number: u8,
    pub name: String,
    /// 基本施策の目的.
    pub purpose: String,
    pub directions: Vec<Direction>,
}

/// A 展開方向 of a policy (direction 0, まちの状態を表す指標, is implicit).
#[derive(Debug, Clone, PartialEq)]
pub struct Direction {
    pub number: u8,
    pub name: String,
}

/// 目指す方向.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trend {
    /// ↗ higher is better.
    Up,
    /// ↘ lower is better.
    Down,
    /// → keep the level (within the indicator's tolerance).
    Keep,
    /// stay at or below a bound (`2.5%以内`).
    Max(f64),
}

/// How monthly values make the fiscal-year figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    Sum,
    Mean,
    Last,
    /// Reported once a year; months are not aggregated.
    Annual,
}

/// One indicator (指標).
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// `P-D-N`, e.g. `31-0-1`.
    pub id: String,
    pub policy: u8,
    /// 0 for まちの状態を表す指標.
    pub direction: u8,
    pub name: String,
    /// Name variants seen in submissions (OCR slips, spacing).
    pub aliases: Vec<String>,
    pub unit: Unit,
    pub baseline: Option<f64>,
    pub baseline_fy: FiscalYear,
    pub trend: Trend,
    /// `keep` tolerance, in the indicator's unit (absolute).
    pub tolerance: Option<f64>,
    /// Reference rank as printed, e.g. `27/37 団体`.
    pub reference: Option<String>,
    /// The responsible department (担当課).
    pub department: String,
    pub aggregation: Aggregation,
    /// A running total (累計): must not go down.
    pub cumulative: bool,
    /// Whether negative values are possible (e.g. a money change).
    pub allow_negative: bool,
}

/// A 取組項目.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionItem {
    pub number: u8,
    pub policy: u8,
    pub direction: u8,
    pub title: String,
    pub departments: Vec<String>,
}

/// A featured project (重点事業) with its budget.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub name: String,
    /// 充実 / 新規.
    pub kind: String,
    pub policy: u8,
    pub departments: Vec<String>,
    /// 予算額 in 千円.
    pub budget: f64,
    /// 債務負担行為 in 千円, where given.
    pub debt_burden: Option<f64>,
}

impl Trend {
    /// The arrow as printed in the plan: `↗`, `↘`, `→`, or `2.5以内` for a bound.
    ///
    /// ```
    /// use shukei::catalogue::Trend;
    /// assert_eq!(Trend::Up.arrow(), "↗");
    /// assert_eq!(Trend::Max(2.5).arrow(), "2.5以内");
    /// ```
    pub fn arrow(self) -> String {
        match self {
            Trend::Up => "↗".to_string(),
            Trend::Down => "↘".to_string(),
            Trend::Keep => "→".to_string(),
            Trend::Max(bound) => format!("{bound}以内"),
        }
    }

    /// The machine code: `up`, `down`, `keep` or `max`.
    ///
    /// ```
    /// assert_eq!(shukei::catalogue::Trend::Max(2.5).code(), "max");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Trend::Up => "up",
            Trend::Down => "down",
            Trend::Keep => "keep",
            Trend::Max(_) => "max",
        }
    }

    /// The bound of a `max` trend.
    pub fn bound(self) -> Option<f64> {
        match self {
            Trend::Max(bound) => Some(bound),
            Trend::Up | Trend::Down | Trend::Keep => None,
        }
    }
}

impl Aggregation {
    /// Every rule, in the order of the codes.
    pub const ALL: [Aggregation; 4] = [
        Aggregation::Sum,
        Aggregation::Mean,
        Aggregation::Last,
        Aggregation::Annual,
    ];

    /// The machine code: `sum`, `mean`, `last` or `annual`.
    ///
    /// ```
    /// assert_eq!(shukei::catalogue::Aggregation::Mean.code(), "mean");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Aggregation::Sum => "sum",
            Aggregation::Mean => "mean",
            Aggregation::Last => "last",
            Aggregation::Annual => "annual",
        }
    }

    /// The Japanese label for the report: 合計, 平均, 最終月, 年1回.
    pub fn label_ja(self) -> &'static str {
        match self {
            Aggregation::Sum => "合計",
            Aggregation::Mean => "平均",
            Aggregation::Last => "最終月",
            Aggregation::Annual => "年1回",
        }
    }

    /// Parses a code (`sum`, `mean`, `last`, `annual`).
    ///
    /// ```
    /// use shukei::catalogue::Aggregation;
    /// assert_eq!(Aggregation::from_code("last"), Some(Aggregation::Last));
    /// assert_eq!(Aggregation::from_code("median"), None);
    /// ```
    pub fn from_code(s: &str) -> Option<Aggregation> {
        Aggregation::ALL.into_iter().find(|a| a.code() == s.trim())
    }
}

impl Indicator {
    /// The name and every alias.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// How the entry is named in messages: `指標 31-0-1 (マイナンバーカード保有率)`.
    pub fn label(&self) -> String {
        format!("指標 {} ({})", self.id, self.name)
    }
}

impl Catalogue {
    /// The catalogue built into the binary (`templates/catalogue.toml`).
    ///
    /// ```
    /// let catalogue = shukei::catalogue::Catalogue::builtin();
    /// assert_eq!(catalogue.municipality_name, "小牧市");
    /// ```
    pub fn builtin() -> Catalogue {
        // safety: the embedded text is fixed at compile time and a unit test
        // (`builtin_parses_and_passes_check`) proves that it converts.
        Catalogue::from_toml(BUILTIN_TOML).expect("the built-in catalogue converts")
    }

    /// Converts catalogue TOML (the format of `templates/catalogue.toml`). Does not run
    /// [`Catalogue::check`].
    ///
    /// # Errors
    /// [`CatalogueError::Syntax`] for text that is not TOML of the catalogue's shape;
    /// [`CatalogueError::Entries`] listing every entry with an unknown unit, trend or
    /// aggregation, or a baseline or fiscal year that cannot be read, each named.
    ///
    /// # Examples
    /// ```
    /// use shukei::catalogue::Catalogue;
    /// let text = Catalogue::builtin().to_toml();
    /// assert_eq!(Catalogue::from_toml(&text), Ok(Catalogue::builtin()));
    /// ```
    pub fn from_toml(text: &str) -> Result<Catalogue, CatalogueError> {
        raw::convert(raw::parse_toml(text)?)
    }

    /// Writes the catalogue as TOML that [`Catalogue::from_toml`] reads back unchanged
    /// (the comments of a hand-written file are not kept).
    pub fn to_toml(&self) -> String {
        raw::write_toml(&raw::to_raw(self))
    }

    /// Reads a catalogue file, TOML or xlsx by extension, without checking it.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, [`Error::Catalogue`] when it cannot be
    /// converted or its extension is neither `.toml` nor `.xlsx`.
    pub fn read(path: &Path) -> Result<Catalogue, Error> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let converted = match ext.as_deref() {
            Some("toml") => {
                let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
                Catalogue::from_toml(&text)
            }
            Some("xlsx") | Some("xlsm") => Catalogue::from_xlsx(path),
            _ => Err(CatalogueError::Format(
                "拡張子が .toml または .xlsx のファイルを指定してください".to_string(),
            )),
        };
        converted.map_err(|e| catalogue_error(path, e.to_string()))
    }

    /// Reads a catalogue file (see [`Catalogue::read`]) and checks it.
    ///
    /// # Errors
    /// As [`Catalogue::read`], and [`Error::Catalogue`] listing every problem that
    /// [`Catalogue::check`] finds.
    ///
    /// # Examples
    /// ```no_run
    /// let catalogue = shukei::catalogue::Catalogue::load(std::path::Path::new("x.toml"))?;
    /// # Ok::<(), shukei::error::Error>(())
    /// ```
    pub fn load(path: &Path) -> Result<Catalogue, Error> {
        let catalogue = Catalogue::read(path)?;
        let problems = catalogue.check();
        if problems.is_empty() {
            return Ok(catalogue);
        }
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Err(catalogue_error(path, lines.join("\n")))
    }

    /// The indicator with this ID.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        let index = self.by_id.0.get_or_init(|| {
            let mut index = foldhash::HashMap::with_capacity_and_hasher(
                self.indicators.len(),
                foldhash::fast::RandomState::default(),
            );
            for (at, ind) in self.indicators.iter().enumerate() {
                index.entry(ind.id.clone()).or_insert(at);
            }
            index
        });
        match index.get(id).and_then(|&at| self.indicators.get(at)) {
            Some(ind) if ind.id == id => Some(ind),
            // `indicators` is public and may have changed since the index was built
            _ => self.indicators.iter().find(|i| i.id == id),
        }
    }

    /// The indicator whose name or alias is `name`, ignoring spaces (half and full width).
    ///
    /// ```
    /// let catalogue = shukei::catalogue::Catalogue::builtin();
    /// let found = catalogue.indicator_by_name("市 SNS のフォロワー数").map(|i| i.id.as_str());
    /// assert_eq!(found, Some("30-3-3"));
    /// ```
    pub fn indicator_by_name(&self, name: &str) -> Option<&Indicator> {
        let wanted = without_spaces(name);
        self.indicators
            .iter()
            .find(|i| i.names().any(|n| without_spaces(n) == wanted))
    }

    /// The indicators a department is responsible for, in catalogue order.
    ///
    /// ```
    /// let catalogue = shukei::catalogue::Catalogue::builtin();
    /// assert_eq!(catalogue.indicators_of("資産管理課").count(), 2);
    /// ```
    pub fn indicators_of<'a>(
        &'a self,
        department: &'a str,
    ) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.indicators
            .iter()
            .filter(move |i| i.department == department)
    }

    /// The policy (基本施策) with this number.
    ///
    /// ```
    /// let catalogue = shukei::catalogue::Catalogue::builtin();
    /// assert_eq!(catalogue.policy(33).map(|p| p.name.as_str()), Some("財政運営"));
    /// ```
    pub fn policy(&self, number: u8) -> Option<&Policy> {
        self.policies.iter().find(|p| p.number == number)
    }

    /// The direction (展開方向) of a policy; `None` for direction 0, which is implicit.
    pub fn direction(&self, policy: u8, number: u8) -> Option<&Direction> {
        self.policy(policy)?
            .directions
            .iter()
            .find(|d| d.number == number)
    }
}

fn without_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn catalogue_error(path: &Path, message: String) -> Error {
    Error::Catalogue {
        path: path.to_path_buf(),
        message,
    }
}

/// A catalogue that cannot be converted: bad TOML, an unreadable workbook, or entries
/// whose values make no sense. Each entry error names the entry.
#[derive(Debug, Clone, PartialEq)]
pub enum CatalogueError {
    /// The text is not TOML of the expected shape (the parser's message, with its line).
    Syntax(String),
    /// The workbook cannot be read or lacks a sheet or column.
    Format(String),
    /// Entries whose values cannot be converted, all of them.
    Entries(Vec<EntryError>),
}

/// One entry that cannot be converted: `指標 30-1-1 (…): 目指す方向 "sideways" …`.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryError {
    /// The entry, e.g. `指標 30-1-1 (こまき市民交流テラス…)`.
    pub entry: String,
    /// What is wrong, in Japanese.
    pub message: String,
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.entry, self.message)
    }
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogueError::Syntax(message) => {
                write!(f, "TOML の形式が正しくありません: {message}")
            }
            CatalogueError::Format(message) => f.write_str(message),
            CatalogueError::Entries(entries) => {
                let lines: Vec<String> = entries.iter().map(ToString::to_string).collect();
                f.write_str(&lines.join("\n"))
            }
        }
    }
}

impl std::error::Error for CatalogueError {}
