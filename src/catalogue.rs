//! The indicator catalogue: policies, directions, indicators, action items, projects and
//! departments of the plan (自治体経営編, 基本施策 30–33).
//!
//! TODO(issue 2): loader, checks and exports — being written.

use crate::model::{FiscalYear, Unit};

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

impl Catalogue {
    /// The indicator with this ID.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }
}
