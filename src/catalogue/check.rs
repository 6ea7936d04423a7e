//! Cross-reference checks of a converted catalogue: every problem at once, each naming
//! its entry, so that the planning office can fix a file in one pass.

use std::collections::HashSet;
use std::fmt;

use super::{ActionItem, Catalogue, Indicator, Policy, Project, Trend, RELATED_DEPARTMENTS};
use crate::model::Unit;

/// A problem in a catalogue: `指標 31-0-1 (マイナンバーカード保有率): 担当課がありません`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueProblem {
    /// The entry, e.g. `指標 31-0-1 (マイナンバーカード保有率)` or `取組項目 No.13 (…)`.
    pub entry: String,
    /// What is wrong, in Japanese.
    pub message: String,
}

impl fmt::Display for CatalogueProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.entry, self.message)
    }
}

/// Collects problems for one entry at a time.
struct Problems(Vec<CatalogueProblem>);

impl Problems {
    fn add(&mut self, entry: &str, message: impl Into<String>) {
        self.0.push(CatalogueProblem {
            entry: entry.to_string(),
            message: message.into(),
        });
    }
}

impl Catalogue {
    /// Checks cross-references and values; an empty list means the catalogue is usable.
    ///
    /// Checked: unique policy numbers, directions, departments, indicator IDs and names;
    /// IDs of the form `P-D-N` that agree with the policy and direction; units allowed in
    /// a catalogue (not 円); finite baselines, bounds and tolerances; a department from the
    /// list for every indicator; existing policies and directions for indicators, action
    /// items and projects; known departments (or 関係課) for action items and projects.
    ///
    /// ```
    /// assert!(shukei::catalogue::Catalogue::builtin().check().is_empty());
    /// ```
    pub fn check(&self) -> Vec<CatalogueProblem> {
        let mut problems = Problems(Vec::new());
        self.check_policies(&mut problems);
        self.check_departments(&mut problems);
        let mut ids = HashSet::new();
        let mut names = HashSet::new();
        for indicator in &self.indicators {
            let label = indicator.label();
            if !ids.insert(indicator.id.as_str()) {
                problems.add(&label, "ID が重複しています");
            }
            for name in indicator.names() {
                if !names.insert(name) {
                    problems.add(
                        &label,
                        format!("指標名 \"{name}\" が他の指標と重複しています"),
                    );
                }
            }
            self.check_indicator(indicator, &label, &mut problems);
        }
        self.check_action_items(&mut problems);
        for project in &self.projects {
            self.check_project(project, &mut problems);
        }
        problems.0
    }

    fn check_policies(&self, problems: &mut Problems) {
        let mut seen = HashSet::new();
        for policy in &self.policies {
            let label = policy_label(policy);
            if !seen.insert(policy.number) {
                problems.add(&label, "基本施策の番号が重複しています");
            }
            let mut directions = HashSet::new();
            for direction in &policy.directions {
                if direction.number == 0 {
                    problems.add(
                        &label,
                        "展開方向 0 はまちの状態を表す指標用に予約されています",
                    );
                } else if !directions.insert(direction.number) {
                    problems.add(
                        &label,
                        format!("展開方向 {} が重複しています", direction.number),
                    );
                }
            }
        }
    }

    fn check_departments(&self, problems: &mut Problems) {
        let mut seen = HashSet::new();
        for department in &self.departments {
            if department.trim().is_empty() {
                problems.add("担当課一覧", "空の担当課名があります");
            } else if department == RELATED_DEPARTMENTS {
                problems.add(
                    "担当課一覧",
                    "関係課は担当課一覧には含めず、取組項目でのみ使えます",
                );
            } else if !seen.insert(department.as_str()) {
                problems.add("担当課一覧", format!("{department} が重複しています"));
            }
        }
    }

    fn check_indicator(&self, indicator: &Indicator, label: &str, problems: &mut Problems) {
        check_id(indicator, label, problems);
        if self.policy(indicator.policy).is_none() {
            problems.add(label, format!("基本施策 {} がありません", indicator.policy));
        } else if indicator.direction != 0
            && self
                .direction(indicator.policy, indicator.direction)
                .is_none()
        {
            let (p, d) = (indicator.policy, indicator.direction);
            problems.add(label, format!("基本施策 {p} に展開方向 {d} がありません"));
        }
        check_values(indicator, label, problems);
        if indicator.department.trim().is_empty() {
            problems.add(label, "担当課がありません");
        } else if !self.departments.contains(&indicator.department) {
            let department = &indicator.department;
            problems.add(
                label,
                format!("担当課 {department} が担当課一覧にありません"),
            );
        }
    }

    fn check_action_items(&self, problems: &mut Problems) {
        let mut seen = HashSet::new();
        for item in &self.action_items {
            let label = format!("取組項目 No.{} ({})", item.number, item.title);
            if !seen.insert(item.number) {
                problems.add(&label, "番号が重複しています");
            }
            self.check_action_item(item, &label, problems);
        }
    }

    fn check_action_item(&self, item: &ActionItem, label: &str, problems: &mut Problems) {
        if self.policy(item.policy).is_none() {
            problems.add(label, format!("基本施策 {} がありません", item.policy));
        } else if self.direction(item.policy, item.direction).is_none() {
            let (p, d) = (item.policy, item.direction);
            problems.add(label, format!("基本施策 {p} に展開方向 {d} がありません"));
        }
        if item.departments.is_empty() {
            problems.add(label, "担当課がありません");
        }
        for department in &item.departments {
            if department != RELATED_DEPARTMENTS && !self.departments.contains(department) {
                problems.add(
                    label,
                    format!("担当課 {department} が担当課一覧にありません"),
                );
            }
        }
    }

    fn check_project(&self, project: &Project, problems: &mut Problems) {
        let label = format!("事業 {}", project.name);
        if self.policy(project.policy).is_none() {
            problems.add(&label, format!("基本施策 {} がありません", project.policy));
        }
        if project.departments.is_empty() {
            problems.add(&label, "担当課がありません");
        }
        for department in &project.departments {
            if !self.departments.contains(department) {
                problems.add(
                    &label,
                    format!("担当課 {department} が担当課一覧にありません"),
                );
            }
        }
    }
}

fn policy_label(policy: &Policy) -> String {
    format!("基本施策 {} ({})", policy.number, policy.name)
}

fn check_id(indicator: &Indicator, label: &str, problems: &mut Problems) {
    match super::raw::parse_id(&indicator.id) {
        None => problems.add(
            label,
            "ID は 基本施策-展開方向-番号 (例: 31-0-1) の形にしてください",
        ),
        Some((p, d, _)) if (p, d) != (indicator.policy, indicator.direction) => problems.add(
            label,
            format!(
                "ID が基本施策 {}・展開方向 {} と一致しません",
                indicator.policy, indicator.direction
            ),
        ),
        Some(_) => {}
    }
}

fn check_values(indicator: &Indicator, label: &str, problems: &mut Problems) {
    if indicator.unit == Unit::En {
        problems.add(
            label,
            "カタログの金額は 円 ではなく 千円 で指定してください",
        );
    }
    if let Some(baseline) = indicator.baseline {
        if !baseline.is_finite() {
            problems.add(label, "基準値が数値ではありません");
        } else if baseline < 0.0 && !indicator.allow_negative {
            problems.add(
                label,
                "基準値が負の値です (負の値を認めるなら allow_negative = true)",
            );
        }
    }
    if let Trend::Max(bound) = indicator.trend {
        if !bound.is_finite() {
            problems.add(label, "上限が数値ではありません");
        }
    }
    if let Some(tolerance) = indicator.tolerance {
        if !(tolerance.is_finite() && tolerance >= 0.0) {
            problems.add(label, "許容幅は 0 以上の数値にしてください");
        }
    }
}
