//! Plain-text views of the catalogue: the CSV of `shukei catalogue export -o x.csv` and
//! the terminal table of `shukei catalogue show`. Both return a `String`; the caller
//! writes it (and adds a BOM for Excel when writing a file).

use super::{Catalogue, Indicator, Policy, Trend};
use crate::model::Unit;
pub(super) use crate::width::{char_width, display_width};

/// The CSV columns, as in the SPEC.
pub const CSV_HEADER: [&str; 12] = [
    "id",
    "policy",
    "direction",
    "name",
    "baseline",
    "unit",
    "baseline_fy",
    "trend",
    "target",
    "reference",
    "department",
    "aggregation",
];

impl Catalogue {
    /// One CSV line per indicator after the header
    /// `id,policy,direction,name,baseline,unit,baseline_fy,trend,target,reference,department,aggregation`.
    /// `baseline_fy` is `FY2022`; `target` is the bound of `max` or the tolerance of
    /// `keep`, empty otherwise. LF line ends, no BOM.
    ///
    /// ```
    /// let csv = shukei::catalogue::Catalogue::builtin().to_csv();
    /// assert_eq!(csv.lines().count(), 48);
    /// ```
    pub fn to_csv(&self) -> String {
        let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
        let rows = std::iter::once(CSV_HEADER.map(String::from))
            .chain(self.indicators.iter().map(csv_row));
        for row in rows {
            if let Err(e) = writer.write_record(&row) {
                // Writing into a Vec cannot fail; say so in the output if it ever does.
                return format!("# CSV を作成できません: {e}\n");
            }
        }
        match writer.into_inner() {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => format!("# CSV を作成できません: {e}\n"),
        }
    }

    /// A table for the terminal, grouped by policy and direction: ID, name, unit,
    /// baseline with its fiscal year, trend and department.
    ///
    /// ```
    /// let table = shukei::catalogue::Catalogue::builtin().show_table();
    /// assert!(table.contains("31-0-1"));
    /// ```
    pub fn show_table(&self) -> String {
        let mut out = format!(
            "{} 指標カタログ {} (指標 {} 件)\n",
            self.municipality_name,
            self.version,
            self.indicators.len()
        );
        for policy in &self.policies {
            out.push_str(&self.policy_table(policy));
        }
        let orphans: Vec<&Indicator> = self
            .indicators
            .iter()
            .filter(|i| self.policy(i.policy).is_none())
            .collect();
        if !orphans.is_empty() {
            out.push_str("\n基本施策が見つからない指標\n");
            orphans.iter().for_each(|i| out.push_str(&table_row(i)));
        }
        out
    }

    fn policy_table(&self, policy: &Policy) -> String {
        let mut out = format!("\n基本施策 {} {}\n", policy.number, policy.name);
        out.push_str(&table_header());
        let headings = std::iter::once((0, "まちの状態を表す指標")).chain(
            policy
                .directions
                .iter()
                .map(|d| (d.number, d.name.as_str())),
        );
        for (number, name) in headings {
            let rows: Vec<&Indicator> = self
                .indicators
                .iter()
                .filter(|i| i.policy == policy.number && i.direction == number)
                .collect();
            if rows.is_empty() {
                continue;
            }
            out.push_str(&format!("  [{number}] {name}\n"));
            rows.iter().for_each(|i| out.push_str(&table_row(i)));
        }
        out
    }
}

fn csv_row(indicator: &Indicator) -> [String; 12] {
    let target = match indicator.trend {
        Trend::Max(bound) => Some(bound),
        Trend::Keep => indicator.tolerance,
        Trend::Up | Trend::Down => None,
    };
    [
        indicator.id.clone(),
        indicator.policy.to_string(),
        indicator.direction.to_string(),
        indicator.name.clone(),
        indicator
            .baseline
            .map(|b| b.to_string())
            .unwrap_or_default(),
        indicator.unit.symbol().to_string(),
        indicator.baseline_fy.code(),
        indicator.trend.code().to_string(),
        target.map(|t| t.to_string()).unwrap_or_default(),
        indicator.reference.clone().unwrap_or_default(),
        indicator.department.clone(),
        indicator.aggregation.code().to_string(),
    ]
}

const WIDTHS: [usize; 5] = [8, 46, 6, 20, 12];

fn table_header() -> String {
    let cells = ["ID", "指標名", "単位", "基準値", "目指す方向"];
    let mut line = String::from("    ");
    for (cell, width) in cells.iter().zip(WIDTHS) {
        line.push_str(&pad(cell, width));
        line.push(' ');
    }
    line.push_str("担当課\n");
    line
}

fn table_row(indicator: &Indicator) -> String {
    let baseline = match indicator.baseline {
        Some(b) => format!("{} ({})", group_digits(b), indicator.baseline_fy.short_ja()),
        None => "—".to_string(),
    };
    let cells = [
        indicator.id.clone(),
        truncate(&indicator.name, WIDTHS[1]),
        indicator.unit.symbol().to_string(),
        baseline,
        trend_text(indicator),
    ];
    let mut line = String::from("    ");
    for (cell, width) in cells.iter().zip(WIDTHS) {
        line.push_str(&pad(cell, width));
        line.push(' ');
    }
    line.push_str(&indicator.department);
    line.push('\n');
    line
}

/// `↗`, `→ ±2`, `2.5%以内`.
fn trend_text(indicator: &Indicator) -> String {
    match (indicator.trend, indicator.tolerance) {
        (Trend::Max(bound), _) if indicator.unit != Unit::None => {
            format!("{bound}{}以内", indicator.unit.symbol())
        }
        (Trend::Keep, Some(tolerance)) => format!("→ ±{tolerance}"),
        (trend, _) => trend.arrow(),
    }
}

/// `740454` → `740,454`; decimals are kept as they are (`1.22`).
pub(super) fn group_digits(x: f64) -> String {
    let text = x.abs().to_string();
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), ""), |(i, f)| (i, f));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let frac = if frac.is_empty() {
        String::new()
    } else {
        format!(".{frac}")
    };
    format!("{sign}{grouped}{frac}")
}

fn pad(s: &str, width: usize) -> String {
    let fill = width.saturating_sub(display_width(s));
    format!("{s}{}", " ".repeat(fill))
}

fn truncate(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if display_width(&out) + char_width(c) + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}
