//! The catalogue file's shape as plain serde records, and their conversion into the
//! checked types with our own messages.
//!
//! Serde only sees strings, numbers and lists here, so a wrong trend, unit, fiscal year
//! or baseline is reported by [`convert`] naming the entry (`指標 30-1-1 (…): …`), never
//! as a bare serde message. The xlsx reader builds the same records, so both formats
//! share one conversion.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::{
    ActionItem, Aggregation, Catalogue, CatalogueError, Direction, EntryError, Indicator, Policy,
    Project, Trend,
};
use crate::model::{FiscalYear, Unit};

/// The fiscal year of a baseline when the file does not say (令和4年度).
pub(super) const DEFAULT_BASELINE_FY: FiscalYear = FiscalYear(2022);

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCatalogue {
    pub version: String,
    pub municipality_code: String,
    pub municipality_name: String,
    #[serde(default)]
    pub departments: Vec<String>,
    #[serde(default)]
    pub policies: Vec<RawPolicy>,
    #[serde(default)]
    pub indicators: Vec<RawIndicator>,
    #[serde(default)]
    pub projects: Vec<RawProject>,
    #[serde(default)]
    pub action_items: Vec<RawActionItem>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPolicy {
    pub number: u8,
    pub name: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub directions: Vec<RawDirection>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDirection {
    pub number: u8,
    pub name: String,
}

/// A number as written: `262`, `66.8`, or text such as `"740,454"` or `"—"`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub(super) enum RawNumber {
    Int(i64),
    Float(f64),
    Text(String),
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIndicator {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<u8>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<RawNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_fy: Option<String>,
    #[serde(default)]
    pub trend: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<RawNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<RawNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub aggregation: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub cumulative: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_negative: bool,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawActionItem {
    pub number: u8,
    pub policy: u8,
    pub direction: u8,
    pub title: String,
    #[serde(default)]
    pub departments: Vec<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProject {
    pub name: String,
    #[serde(default)]
    pub kind: String,
    pub policy: u8,
    #[serde(default)]
    pub departments: Vec<String>,
    pub budget: Option<RawNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debt_burden: Option<RawNumber>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Parses TOML text into raw records.
pub(super) fn parse_toml(text: &str) -> Result<RawCatalogue, CatalogueError> {
    toml::from_str(text).map_err(|e| CatalogueError::Syntax(e.to_string()))
}

/// Writes raw records as TOML.
pub(super) fn write_toml(raw: &RawCatalogue) -> String {
    match toml::to_string(raw) {
        Ok(text) => text,
        // Only reachable if the serializer rejects plain strings and numbers; keep the
        // reason visible instead of panicking.
        Err(e) => format!("# TOML に変換できません: {e}\n"),
    }
}

/// Converts raw records, collecting every entry that cannot be converted.
pub(super) fn convert(raw: RawCatalogue) -> Result<Catalogue, CatalogueError> {
    let mut errors = Vec::new();
    let indicators: Vec<Indicator> = raw
        .indicators
        .into_iter()
        .filter_map(|r| convert_indicator(r, &mut errors))
        .collect();
    let projects: Vec<Project> = raw
        .projects
        .into_iter()
        .filter_map(|r| convert_project(r, &mut errors))
        .collect();
    if !errors.is_empty() {
        return Err(CatalogueError::Entries(errors));
    }
    Ok(Catalogue {
        version: raw.version,
        municipality_code: raw.municipality_code,
        municipality_name: raw.municipality_name,
        policies: raw.policies.into_iter().map(convert_policy).collect(),
        departments: raw.departments,
        indicators,
        action_items: raw
            .action_items
            .into_iter()
            .map(convert_action_item)
            .collect(),
        projects,
        by_id: super::IdIndex::default(),
    })
}

fn convert_policy(raw: RawPolicy) -> Policy {
    let directions = raw
        .directions
        .into_iter()
        .map(|d| Direction {
            number: d.number,
            name: d.name,
        })
        .collect();
    Policy {
        number: raw.number,
        name: raw.name,
        purpose: raw.purpose,
        directions,
    }
}

fn convert_action_item(raw: RawActionItem) -> ActionItem {
    ActionItem {
        number: raw.number,
        policy: raw.policy,
        direction: raw.direction,
        title: raw.title,
        departments: raw.departments,
    }
}

fn convert_project(raw: RawProject, errors: &mut Vec<EntryError>) -> Option<Project> {
    let entry = format!("事業 {}", raw.name);
    let mut fail = |message: String| {
        errors.push(EntryError {
            entry: entry.clone(),
            message,
        })
    };
    let budget = match raw.budget.as_ref().map(|n| parse_number(n, "予算額")) {
        Some(Ok(Some(budget))) => Ok(budget),
        Some(Err(message)) => Err(message),
        Some(Ok(None)) | None => Err("予算額 (budget) がありません".to_string()),
    }
    .map_err(&mut fail);
    let debt_burden = parse_optional(raw.debt_burden.as_ref(), "債務負担行為").map_err(&mut fail);
    let (Ok(budget), Ok(debt_burden)) = (budget, debt_burden) else {
        return None;
    };
    Some(Project {
        name: raw.name,
        kind: raw.kind,
        policy: raw.policy,
        departments: raw.departments,
        budget,
        debt_burden,
    })
}

fn convert_indicator(raw: RawIndicator, errors: &mut Vec<EntryError>) -> Option<Indicator> {
    let entry = format!("指標 {} ({})", raw.id, raw.name);
    let mut fail = |message: String| {
        errors.push(EntryError {
            entry: entry.clone(),
            message,
        })
    };
    let place = place_of(&raw).map_err(&mut fail);
    let unit = parse_unit(raw.unit.as_deref()).map_err(&mut fail);
    let baseline = parse_optional(raw.baseline.as_ref(), "基準値").map_err(&mut fail);
    let baseline_fy = parse_baseline_fy(raw.baseline_fy.as_deref()).map_err(&mut fail);
    let trend = parse_trend(raw.trend.as_deref(), raw.bound.as_ref()).map_err(&mut fail);
    let tolerance = parse_optional(raw.tolerance.as_ref(), "許容幅").map_err(&mut fail);
    let aggregation = parse_aggregation(raw.aggregation.as_deref()).map_err(&mut fail);
    let (Ok((policy, direction)), Ok(unit), Ok(baseline), Ok(baseline_fy), Ok(trend)) =
        (place, unit, baseline, baseline_fy, trend)
    else {
        return None;
    };
    let (Ok(tolerance), Ok(aggregation)) = (tolerance, aggregation) else {
        return None;
    };
    Some(Indicator {
        id: raw.id,
        policy,
        direction,
        name: raw.name,
        aliases: raw.aliases,
        unit,
        baseline,
        baseline_fy,
        trend,
        tolerance,
        reference: raw.reference.filter(|r| !r.trim().is_empty()),
        department: raw.department,
        aggregation,
        cumulative: raw.cumulative,
        allow_negative: raw.allow_negative,
    })
}

/// Policy and direction: as given, or else from the ID.
fn place_of(raw: &RawIndicator) -> Result<(u8, u8), String> {
    let from_id = parse_id(&raw.id);
    match (raw.policy, raw.direction, from_id) {
        (Some(p), Some(d), _) => Ok((p, d)),
        (p, d, Some((ip, id, _))) => Ok((p.unwrap_or(ip), d.unwrap_or(id))),
        (_, _, None) => Err(format!(
            "ID \"{}\" は 基本施策-展開方向-番号 (例: 31-0-1) の形で書いてください",
            raw.id
        )),
    }
}

/// Splits `P-D-N` into its numbers.
pub(super) fn parse_id(id: &str) -> Option<(u8, u8, u16)> {
    let mut parts = id.trim().split('-');
    let policy = parts.next()?.parse().ok()?;
    let direction = parts.next()?.parse().ok()?;
    let position: u16 = parts.next()?.parse().ok()?;
    (parts.next().is_none() && position >= 1).then_some((policy, direction, position))
}

fn parse_unit(unit: Option<&str>) -> Result<Unit, String> {
    let Some(text) = unit else {
        return Err("単位 (unit) がありません (単位がない指標は unit = \"\")".to_string());
    };
    let normalized: String = text.nfkc().collect();
    Unit::parse(&normalized).ok_or_else(|| {
        let known: Vec<&str> = Unit::ALL
            .iter()
            .map(|u| u.symbol())
            .filter(|s| !s.is_empty())
            .collect();
        format!(
            "単位 \"{text}\" は使えません (使える単位: {})",
            known.join(" ")
        )
    })
}

fn parse_trend(trend: Option<&str>, bound: Option<&RawNumber>) -> Result<Trend, String> {
    let Some(text) = trend else {
        return Err("目指す方向 (trend) がありません".to_string());
    };
    match text.trim() {
        "up" | "↗" => Ok(Trend::Up),
        "down" | "↘" => Ok(Trend::Down),
        "keep" | "→" => Ok(Trend::Keep),
        "max" => match parse_optional(bound, "上限")? {
            Some(bound) => Ok(Trend::Max(bound)),
            None => Err("目指す方向が max のときは上限 (bound) を指定してください".to_string()),
        },
        other => Err(format!(
            "目指す方向 \"{other}\" は使えません (up, down, keep, max のいずれか)"
        )),
    }
}

fn parse_aggregation(aggregation: Option<&str>) -> Result<Aggregation, String> {
    let Some(text) = aggregation else {
        return Err("集計方法 (aggregation) がありません".to_string());
    };
    Aggregation::from_code(text).ok_or_else(|| {
        format!("集計方法 \"{text}\" は使えません (sum, mean, last, annual のいずれか)")
    })
}

fn parse_optional(value: Option<&RawNumber>, what: &str) -> Result<Option<f64>, String> {
    value.map_or(Ok(None), |v| parse_number(v, what))
}

/// A number, or `None` for a dash or blank text.
fn parse_number(value: &RawNumber, what: &str) -> Result<Option<f64>, String> {
    let number = match value {
        // Catalogue numbers are far below 2^53, where i64 → f64 is exact.
        RawNumber::Int(n) => *n as f64,
        RawNumber::Float(x) => *x,
        RawNumber::Text(text) => return parse_number_text(text, what),
    };
    if number.is_finite() {
        Ok(Some(number))
    } else {
        Err(format!("{what} \"{number}\" を数値として読めません"))
    }
}

fn parse_number_text(text: &str, what: &str) -> Result<Option<f64>, String> {
    let normalized: String = text
        .nfkc()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    if matches!(normalized.as_str(), "" | "—" | "―" | "-" | "－" | "ー") {
        return Ok(None);
    }
    match normalized.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Some(x)),
        _ => Err(format!("{what} \"{text}\" を数値として読めません")),
    }
}

/// `R4`, `R04`, `令和4年度`, `令和元年度`, `平成30年度`, `H30`, `FY2022`, `2022`, `2022年度`.
pub(super) fn parse_fiscal_year(text: &str) -> Option<FiscalYear> {
    let normalized: String = text.nfkc().filter(|c| !c.is_whitespace()).collect();
    let s = normalized.strip_suffix("年度").unwrap_or(&normalized);
    let eras: [(&str, u16); 5] = [
        ("令和", 2018),
        ("R", 2018),
        ("平成", 1988),
        ("H", 1988),
        ("FY", 0),
    ];
    let (offset, number) = eras
        .iter()
        .find_map(|(prefix, offset)| s.strip_prefix(prefix).map(|rest| (*offset, rest)))
        .unwrap_or((0, s));
    let n: u16 = if number == "元" {
        1
    } else {
        number.parse().ok()?
    };
    let year = offset.checked_add(n)?;
    (1989..=2999).contains(&year).then_some(FiscalYear(year))
}

fn parse_baseline_fy(text: Option<&str>) -> Result<FiscalYear, String> {
    match text {
        None => Ok(DEFAULT_BASELINE_FY),
        Some(text) => parse_fiscal_year(text).ok_or_else(|| {
            format!("基準年度 \"{text}\" を年度として読めません (例: R4, 令和4年度, FY2022)")
        }),
    }
}

/// The raw form of a catalogue, for writing.
pub(super) fn to_raw(catalogue: &Catalogue) -> RawCatalogue {
    RawCatalogue {
        version: catalogue.version.clone(),
        municipality_code: catalogue.municipality_code.clone(),
        municipality_name: catalogue.municipality_name.clone(),
        departments: catalogue.departments.clone(),
        policies: catalogue.policies.iter().map(policy_to_raw).collect(),
        indicators: catalogue.indicators.iter().map(indicator_to_raw).collect(),
        projects: catalogue.projects.iter().map(project_to_raw).collect(),
        action_items: catalogue
            .action_items
            .iter()
            .map(action_item_to_raw)
            .collect(),
    }
}

fn policy_to_raw(policy: &Policy) -> RawPolicy {
    RawPolicy {
        number: policy.number,
        name: policy.name.clone(),
        purpose: policy.purpose.clone(),
        directions: policy
            .directions
            .iter()
            .map(|d| RawDirection {
                number: d.number,
                name: d.name.clone(),
            })
            .collect(),
    }
}

fn indicator_to_raw(indicator: &Indicator) -> RawIndicator {
    // policy/direction are written only when the ID does not already say them.
    let consistent = parse_id(&indicator.id)
        .is_some_and(|(p, d, _)| p == indicator.policy && d == indicator.direction);
    RawIndicator {
        id: indicator.id.clone(),
        policy: (!consistent).then_some(indicator.policy),
        direction: (!consistent).then_some(indicator.direction),
        name: indicator.name.clone(),
        aliases: indicator.aliases.clone(),
        unit: Some(indicator.unit.symbol().to_string()),
        baseline: indicator.baseline.map(raw_number),
        baseline_fy: Some(indicator.baseline_fy.short_ja()),
        trend: Some(indicator.trend.code().to_string()),
        bound: indicator.trend.bound().map(raw_number),
        tolerance: indicator.tolerance.map(raw_number),
        reference: indicator.reference.clone(),
        department: indicator.department.clone(),
        aggregation: Some(indicator.aggregation.code().to_string()),
        cumulative: indicator.cumulative,
        allow_negative: indicator.allow_negative,
    }
}

fn project_to_raw(project: &Project) -> RawProject {
    RawProject {
        name: project.name.clone(),
        kind: project.kind.clone(),
        policy: project.policy,
        departments: project.departments.clone(),
        budget: Some(raw_number(project.budget)),
        debt_burden: project.debt_burden.map(raw_number),
    }
}

fn action_item_to_raw(item: &ActionItem) -> RawActionItem {
    RawActionItem {
        number: item.number,
        policy: item.policy,
        direction: item.direction,
        title: item.title.clone(),
        departments: item.departments.clone(),
    }
}

/// Whole numbers are written as TOML integers (`262`, not `262.0`).
pub(super) fn raw_number(x: f64) -> RawNumber {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if x.fract() == 0.0 && x.abs() < EXACT {
        // Exact: integral and within the range where f64 and i64 agree.
        RawNumber::Int(x as i64)
    } else {
        RawNumber::Float(x)
    }
}
