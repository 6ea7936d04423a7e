//! Evaluation of an indicator's latest fiscal-year figure against its baseline and
//! 目指す方向, pure.
//!
//! up/down → 改善 / 横ばい / 悪化 (横ばい within the indicator's tolerance, exact
//! equality when it has none); keep → 達成 within the tolerance, else 未達; a bound
//! (`2.5%以内`) → 達成 / 未達. No baseline → 基準値なし; no figure → 未報告. A rank (unit
//! 位) improves when its number goes down.

use crate::catalogue::{Catalogue, Indicator, Trend};
use crate::model::{FiscalYear, Unit};

/// The evaluation result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grade {
    Improved,
    Flat,
    Worse,
    Achieved,
    NotAchieved,
    NoBaseline,
    NotReported,
}

impl Grade {
    /// The Japanese label used in the report.
    pub fn label_ja(self) -> &'static str {
        match self {
            Grade::Improved => "改善",
            Grade::Flat => "横ばい",
            Grade::Worse => "悪化",
            Grade::Achieved => "達成",
            Grade::NotAchieved => "未達",
            Grade::NoBaseline => "基準値なし",
            Grade::NotReported => "未報告",
        }
    }

    /// Every grade, in report order.
    pub const ALL: [Grade; 7] = [
        Grade::Improved,
        Grade::Flat,
        Grade::Worse,
        Grade::Achieved,
        Grade::NotAchieved,
        Grade::NoBaseline,
        Grade::NotReported,
    ];
}

/// One indicator's evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub id: String,
    /// The fiscal year and figure evaluated (the latest one).
    pub latest: Option<(FiscalYear, f64)>,
    /// Latest minus baseline.
    pub change: Option<f64>,
    pub grade: Grade,
}

/// Evaluates one indicator's latest figure.
///
/// ```
/// use shukei::catalogue::Catalogue;
/// use shukei::evaluate::{evaluate, Grade};
/// use shukei::model::FiscalYear;
/// let cat = Catalogue::builtin();
/// let ind = cat.indicator("31-0-1").unwrap(); // マイナンバーカード保有率 66.8% ↗
/// assert_eq!(evaluate(ind, Some((FiscalYear(2024), 70.2))).grade, Grade::Improved);
/// ```
pub fn evaluate(ind: &Indicator, latest: Option<(FiscalYear, f64)>) -> Evaluation {
    let change = match (latest, ind.baseline) {
        (Some((_, v)), Some(b)) => Some(v - b),
        _ => None,
    };
    Evaluation {
        id: ind.id.clone(),
        latest,
        change,
        grade: grade(ind, latest.map(|(_, v)| v)),
    }
}

fn grade(ind: &Indicator, value: Option<f64>) -> Grade {
    let Some(v) = value else {
        return Grade::NotReported;
    };
    if let Trend::Max(bound) = ind.trend {
        return if v <= bound + 1e-9 {
            Grade::Achieved
        } else {
            Grade::NotAchieved
        };
    }
    let Some(b) = ind.baseline else {
        return Grade::NoBaseline;
    };
    let tol = ind.tolerance.unwrap_or(0.0).abs() + 1e-9;
    let up_is_good = match (ind.trend, ind.unit == Unit::Rank) {
        (Trend::Keep, _) => {
            return if (v - b).abs() <= tol {
                Grade::Achieved
            } else {
                Grade::NotAchieved
            }
        }
        (Trend::Up, rank) => !rank,
        (Trend::Down, rank) => rank,
        (Trend::Max(_), _) => return Grade::NotReported,
    };
    let delta = if up_is_good { v - b } else { b - v };
    if delta.abs() <= tol {
        Grade::Flat
    } else if delta > 0.0 {
        Grade::Improved
    } else {
        Grade::Worse
    }
}

/// The plan's indicator 32-0-3: the number of 展開方向 indicators (direction ≥ 1) of the
/// whole catalogue evaluated 改善.
pub fn improved_count(catalogue: &Catalogue, evaluations: &[Evaluation]) -> usize {
    evaluations
        .iter()
        .filter(|e| e.grade == Grade::Improved)
        .filter(|e| catalogue.indicator(&e.id).is_some_and(|i| i.direction >= 1))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_follow_the_trend() {
        let cat = Catalogue::builtin();
        let fy = FiscalYear(2024);
        let cases = [
            ("31-0-1", Some(70.0), Grade::Improved), // ↗ 66.8
            ("31-0-1", Some(66.8), Grade::Flat),
            ("31-0-1", Some(60.0), Grade::Worse),
            ("31-0-2", Some(150_000.0), Grade::Improved), // ↘ 183,554
            ("31-0-2", Some(190_000.0), Grade::Worse),
            ("33-3-1", Some(1.0), Grade::Achieved), // 2.5%以内
            ("33-3-1", Some(2.6), Grade::NotAchieved),
            ("33-0-1", Some(88.7), Grade::Achieved), // → 88.7
            ("33-0-1", Some(99.0), Grade::NotAchieved),
            ("32-0-2", Some(2.0), Grade::Improved), // rank 3/17, smaller is better
            ("32-0-2", Some(5.0), Grade::Worse),
            ("30-0-1", Some(40.0), Grade::NoBaseline),
            ("31-0-1", None, Grade::NotReported),
        ];
        for (id, value, want) in cases {
            let ind = cat.indicator(id).unwrap();
            assert_eq!(
                evaluate(ind, value.map(|v| (fy, v))).grade,
                want,
                "input: {id} {value:?}"
            );
        }
    }
}
