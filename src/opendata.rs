//! `opendata.csv`: the consolidated fiscal-year figures as open data, laid out to pass
//! the machine-readability rules that [`crate::lint`] checks (総務省 統一ルール).
//!
//! One row per indicator × fiscal year with a figure, in catalogue order; one header row,
//! no titles, notes, blank rows or merged headings. Every value is a plain decimal
//! (`66.8`, `-1234`; no separators, no units, blank when there is none); the unit has its
//! own column; the year is given in 西暦 (`2024`) with the 和暦 label (`令和6年度`) in a
//! second column; the municipality is named by its 全国地方公共団体コード. UTF-8 with a
//! BOM (as the other exports, so Excel opens it), LF line ends.

use crate::catalogue::{Catalogue, Indicator, Trend};
use crate::consolidate::Consolidated;
use crate::evaluate::evaluate;
use crate::export::{finish, writer};
use crate::model::{FiscalYear, Period, Unit};
use crate::validate::fmt;

/// The columns, in order.
pub const COLUMNS: [&str; 11] = [
    "全国地方公共団体コード",
    "地方公共団体名",
    "指標ID",
    "指標名",
    "年度",
    "年度（和暦）",
    "値",
    "単位",
    "基準値",
    "目指す方向",
    "評価",
];

/// 目指す方向 in words: 増加 / 減少 / 維持 / `2.5以内` for a bound.
pub fn trend_ja(trend: Trend) -> String {
    match trend {
        Trend::Up => "増加".to_string(),
        Trend::Down => "減少".to_string(),
        Trend::Keep => "維持".to_string(),
        Trend::Max(bound) => format!("{}以内", fmt(bound)),
    }
}

/// The fiscal-year figures of an indicator, oldest first.
fn year_figures<'a>(
    c: &'a Consolidated,
    ind: &'a Indicator,
) -> impl Iterator<Item = (FiscalYear, f64)> + 'a {
    c.figures
        .iter()
        .filter_map(move |((id, period), figure)| match period {
            Period::Year(fy) if *id == ind.id => Some((*fy, figure.value)),
            _ => None,
        })
}

/// The row of one indicator × fiscal year.
fn row(catalogue: &Catalogue, ind: &Indicator, fy: FiscalYear, value: f64) -> [String; 11] {
    let unit = if ind.unit == Unit::None {
        ""
    } else {
        ind.unit.symbol()
    };
    [
        catalogue.municipality_code.clone(),
        catalogue.municipality_name.clone(),
        ind.id.clone(),
        ind.name.clone(),
        fy.0.to_string(),
        fy.label_ja(),
        fmt(value),
        unit.to_string(),
        ind.baseline.map(fmt).unwrap_or_default(),
        trend_ja(ind.trend),
        evaluate(ind, Some((fy, value)))
            .grade
            .label_ja()
            .to_string(),
    ]
}

/// Builds `opendata.csv`.
///
/// # Examples
/// ```
/// use shukei::catalogue::Catalogue;
/// use shukei::consolidate::consolidate;
/// let cat = Catalogue::builtin();
/// let result = consolidate(&cat, Vec::new(), &Default::default(), None);
/// let csv = String::from_utf8(shukei::opendata::opendata_csv(&cat, &result)).unwrap();
/// assert!(csv.starts_with("\u{feff}全国地方公共団体コード,地方公共団体名,指標ID,"));
/// ```
pub fn opendata_csv(catalogue: &Catalogue, c: &Consolidated) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record(COLUMNS);
    for ind in &catalogue.indicators {
        for (fy, value) in year_figures(c, ind) {
            let _ = w.write_record(row(catalogue, ind, fy, value));
        }
    }
    finish(w)
}
