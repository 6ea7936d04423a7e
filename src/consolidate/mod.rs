//! Consolidation, pure: submissions → one figure per indicator × period, with every
//! value's status, fiscal-year figures from months, evaluation and submission status.
//!
//! Equal values from several sources agree. Different values from the same department:
//! the newest submission wins (a date in the file name, else the modification time) and
//! the older value is `superseded`. Different values from different departments: a
//! `conflict` error, and no figure is chosen.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::catalogue::{Aggregation, Catalogue, Indicator};
use crate::evaluate::{evaluate, Evaluation};
use crate::ingest::Submission;
use crate::model::{CellRef, Finding, FiscalYear, Month, Period, Severity, SharedTexts};
use crate::rules::{self, FindingExt};
use crate::validate::{fmt, same, validate_file, Settings, Verdict};

mod status;

pub use crate::values::{FileValues, ValueRow, Values};
use status::{department_statuses, file_statuses, reported};
pub use status::{DepartmentStatus, FileStatus, Standing};

/// What happened to a value read from a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Makes (or agrees with) the figure.
    Used,
    /// Replaced by a newer submission of the same department.
    Superseded,
    /// Differs from another department's value: no figure.
    Conflict,
    /// Broke an error-level rule.
    Rejected,
}

impl Status {
    /// `used` / `superseded` / `conflict` / `rejected`, as in values.csv.
    pub fn code(self) -> &'static str {
        match self {
            Status::Used => "used",
            Status::Superseded => "superseded",
            Status::Conflict => "conflict",
            Status::Rejected => "rejected",
        }
    }
}

/// Where a figure came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// Reported directly in a cell.
    Reported(CellRef),
    /// Made from monthly values by the catalogue's rule: months present of months due.
    Months {
        rule: Aggregation,
        present: u8,
        due: u8,
    },
    /// Computed by shukei (the count of improved indicators, 32-0-3).
    Computed,
}

/// One consolidated figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: f64,
    pub source: Source,
}

impl Figure {
    /// `Some((present, due))` while months are missing.
    pub fn partial(&self) -> Option<(u8, u8)> {
        match self.source {
            Source::Months { present, due, .. } if present < due => Some((present, due)),
            _ => None,
        }
    }
}

/// The consolidated dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct Consolidated {
    /// The reporting period (given, or the latest found).
    pub period: Option<Period>,
    /// Every value read, file by file.
    pub values: Values,
    /// Figures per (indicator ID, period): months as reported, years reported or made.
    pub figures: BTreeMap<(String, Period), Figure>,
    pub evaluations: Vec<Evaluation>,
    pub departments: Vec<DepartmentStatus>,
    /// Every finding: ingestion and validation, errors first, then by file and cell.
    pub findings: Vec<Finding>,
    /// The files, in order, with the department and whether they could be read.
    pub files: Vec<FileStatus>,
    /// Indicators of the directions evaluated 改善 (the plan's indicator 32-0-3).
    pub improved: usize,
}

impl Consolidated {
    /// The fiscal-year figure of an indicator.
    pub fn year_figure(&self, id: &str, fy: FiscalYear) -> Option<&Figure> {
        self.figures.get(&(id.to_string(), Period::Year(fy)))
    }

    /// Number of indicators reported for the reporting period.
    pub fn reported_count(&self, catalogue: &Catalogue) -> usize {
        catalogue
            .indicators
            .iter()
            .filter(|i| reported(&self.figures, i, self.period))
            .count()
    }

    /// Counts of findings by severity: (errors, warnings, infos).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |s| self.findings.iter().filter(|f| f.severity == s).count();
        (
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info),
        )
    }

    /// The findings of each file, in the findings' order, keyed by file name (one pass:
    /// a scan of every finding per file is quadratic, 8,000 files × 24,000 findings).
    ///
    /// ```
    /// # use shukei::consolidate::Consolidated;
    /// # fn show(result: &Consolidated) {
    /// let by_file = result.findings_by_file();
    /// for file in &result.files {
    ///     let mine = by_file.get(&*file.file).map_or(&[][..], Vec::as_slice);
    ///     println!("{}: {} issues", file.file, mine.len());
    /// }
    /// # }
    /// ```
    pub fn findings_by_file(&self) -> HashMap<&str, Vec<&Finding>> {
        group_by_file(&self.findings)
    }
}

/// `findings` grouped by file name, each file's in their order (see
/// [`Consolidated::findings_by_file`]).
pub fn group_by_file<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
) -> HashMap<&'a str, Vec<&'a Finding>> {
    let mut out: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in findings {
        out.entry(&*f.at.file).or_default().push(f);
    }
    out
}

/// Consolidates submissions (in any order: the result is sorted by file).
pub fn consolidate(
    catalogue: &Catalogue,
    mut submissions: Vec<Submission>,
    settings: &Settings,
    period: Option<Period>,
) -> Consolidated {
    submissions.sort_by(|a, b| a.file.cmp(&b.file));
    let period = period.or_else(|| latest_period(&submissions, settings));
    // Each file is checked on its own, in parallel, and its values are moved out of its
    // submission (a large batch holds millions); the findings are then gathered in file
    // order. The submissions keep their file facts for the statuses. The checks'
    // texts are shared across files (a note on an annual indicator's months repeats in
    // every file that has them).
    let texts = std::sync::Mutex::new(SharedTexts::default());
    let shared_departments = status::departments(&submissions);
    let (lists, found): (Vec<FileValues>, Vec<Vec<Finding>>) = submissions
        .par_iter_mut()
        .map(|sub| {
            let mut found = std::mem::take(&mut sub.findings);
            let read = found.len();
            found.extend(responsibility(catalogue, sub));
            let (verdicts, checks) = validate_file(catalogue, &sub.values, settings, period);
            found.extend(checks);
            if let Some(made) = found.get_mut(read..).filter(|made| !made.is_empty()) {
                texts
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .share_all(made);
            }
            let mut rows = std::mem::take(&mut sub.values);
            rows.set_department(
                sub.department
                    .as_deref()
                    .map(|d| status::shared_department(&shared_departments, d)),
            );
            for (i, verdict) in verdicts.into_iter().enumerate() {
                if verdict == Verdict::Rejected {
                    rows.set_status(i, Status::Rejected);
                }
            }
            (rows, found)
        })
        .unzip();
    let mut findings = Vec::with_capacity(found.iter().map(Vec::len).sum());
    for mut list in found {
        findings.append(&mut list);
    }
    let mut values = Values::from_files(lists);
    // Which of two files is newer: by the date in the name, then the modification time.
    let file_rank: HashMap<&str, FileRank> = submissions
        .iter()
        .map(|s| (&*s.file, (s.name_date, s.modified)))
        .collect();
    let groups = group_used(&values);
    let mut figures = resolve(catalogue, &mut values, &groups, &file_rank, &mut findings);
    add_year_figures(catalogue, &mut figures, period, &values, &mut findings);
    findings.extend(series_checks(catalogue, &values, &groups, settings));
    let evaluations: Vec<Evaluation> = catalogue
        .indicators
        .iter()
        .map(|ind| {
            evaluate(
                ind,
                latest_year_figure(&figures, &ind.id, period).map(|(fy, f)| (fy, f.value)),
            )
        })
        .collect();
    let improved = crate::evaluate::improved_count(catalogue, &evaluations);
    if let Some(fy) = period.map(Period::fiscal_year) {
        if let Some(ind) = catalogue
            .indicators
            .iter()
            .find(|i| is_improvement_count(i))
        {
            figures
                .entry((ind.id.clone(), Period::Year(fy)))
                .or_insert(Figure {
                    value: improved as f64,
                    source: Source::Computed,
                });
        }
    }
    // The statuses only count findings: they are made on the other core while the
    // findings' order is found (on 2,000 small files the sort takes 1.3 ms and the
    // statuses 1.6, one after the other on the run's critical path).
    let (order, (files, departments)) = rayon::join(
        || sorted_order(&findings),
        || {
            (
                file_statuses(&submissions, &values, &findings, &shared_departments),
                department_statuses(catalogue, &submissions, &figures, period, &findings),
            )
        },
    );
    crate::permute::gather(&mut findings, order);
    Consolidated {
        period,
        values,
        figures,
        evaluations,
        departments,
        findings,
        files,
        improved,
    }
}

/// The date in a file's name and its modification time, compared in that order.
type FileRank = (Option<u32>, Option<i64>);

/// 32-0-3 counts improved indicators; shukei computes it.
pub fn is_improvement_count(ind: &Indicator) -> bool {
    ind.id == "32-0-3"
}

/// Findings sorted: errors first, then by file, sheet, cell, code.
pub fn sort_findings(findings: &mut [Finding]) {
    let order = sorted_order(findings);
    crate::permute::gather(findings, order);
}

/// The positions of the findings in [`sort_findings`]' order. The positions are
/// sorted, then each finding is moved once ([`crate::permute::gather`]): sorting the
/// findings themselves moved 150 bytes at every step. With the paths shared by a file's
/// findings compared by pointer, 2,000 small files' 7,000 findings sort in 1.3 ms
/// instead of 1.7, on the run's critical path.
fn sorted_order(all: &[Finding]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..all.len()).collect();
    // Positions below the length: indexing cannot fail.
    order.sort_by(|&i, &j| {
        let (a, b) = (&all[i], &all[j]);
        a.severity
            .cmp(&b.severity)
            .then_with(|| a.at.cmp_shared(&b.at))
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.cmp_message(b))
    });
    order
}

/// The latest month with a value, else the latest fiscal year, within the plan.
fn latest_period(subs: &[Submission], settings: &Settings) -> Option<Period> {
    let (first, last) = settings.plan_years;
    // File by file on the pool: a serial pass over a million values took 4 ms of the
    // large run's critical path.
    let (month, year) = subs
        .par_iter()
        .map(|s| {
            s.values
                .iter()
                .map(|v| v.period())
                .filter(|p| (first..=last).contains(&p.fiscal_year().0))
                .fold((None, None), latest)
        })
        .reduce(|| (None, None), |a, b| (a.0.max(b.0), a.1.max(b.1)));
    month.or(year)
}

/// The latest month and the latest year, with `p` seen.
fn latest(
    (month, year): (Option<Period>, Option<Period>),
    p: Period,
) -> (Option<Period>, Option<Period>) {
    match p {
        Period::Month(_) => (month.max(Some(p)), year),
        Period::Year(_) => (month, year.max(Some(p))),
    }
}

/// W-DEPARTMENT-NOT-RESPONSIBLE for values sent by a department that does not own them;
/// W-DEPARTMENT-UNKNOWN once for a file with values but no department.
fn responsibility(catalogue: &Catalogue, sub: &Submission) -> Vec<Finding> {
    let Some(dept) = &sub.department else {
        if sub.values.is_empty() {
            return Vec::new();
        }
        let at = CellRef::file(sub.file.clone());
        let message = format!("{at}: 提出した課が分かりません（ファイル名・フォルダ名に課名がありません）。担当課の確認と差し戻しができません");
        return vec![rules::DEPARTMENT_UNKNOWN.at(at, message)];
    };
    // Decided once per distinct ID of the file, not per value: a catalogue lookup per
    // value cost four 50,000-row files 34 M instructions (callgrind).
    let others: Vec<Option<&Indicator>> = sub
        .values
        .ids()
        .iter()
        .map(|id| {
            catalogue
                .indicator(id)
                .filter(|ind| ind.department != *dept)
        })
        .collect();
    sub.values
        .iter()
        .filter_map(|rec| {
            let ind = others.get(rec.id_number()).copied().flatten()?;
            let at = rec.at();
            let message = format!(
                "{at}: 「{}」の担当は{}ですが、{}から提出されています",
                ind.name, ind.department, dept
            );
            Some(
                rules::DEPARTMENT_NOT_RESPONSIBLE
                    .at(at, message)
                    .indicator(&ind.id)
                    .raw(rec.raw()),
            )
        })
        .collect()
}

/// The usable values grouped by (indicator, period), keys in order, members in value
/// order. Grouped on borrowed IDs over runs of files in parallel (a million values, a
/// few hundred groups), then merged run by run, which keeps the members in order; the
/// keys are owned once per group.
type Groups = Vec<((String, Period), Vec<usize>)>;

fn group_used(values: &Values) -> Groups {
    let lists: Vec<(usize, &FileValues)> = values
        .per_file()
        .scan(0, |start, list| {
            let first = *start;
            *start += list.len();
            Some((first, list))
        })
        .collect();
    // Contiguous runs of files, a few per thread: a map per file was 2,000 maps to
    // build and merge for 2,000 small files (4 ms, most of it serial).
    let runs = (rayon::current_num_threads() * 4).max(1);
    let run_len = lists.len().div_ceil(runs).max(1);
    let partial: Vec<RunGroups> = lists.par_chunks(run_len).map(group_run).collect();
    let mut groups: BTreeMap<(&str, Period), Vec<usize>> = BTreeMap::new();
    for part in partial {
        for (key, members) in part {
            add_members(&mut groups, key, members);
        }
    }
    groups
        .into_iter()
        .map(|((id, period), members)| ((id.to_string(), period), members))
        .collect()
}

/// A run's groups: (indicator, period) and the members, keys in no order.
type RunGroups<'a> = Vec<((&'a str, Period), Vec<usize>)>;

/// The used values of a run of files (each with the number of its first value),
/// grouped by (indicator, period), members in value order, keys in no order.
///
/// A run numbers the IDs it meets, and each file maps its own numbering onto the
/// run's once, so a value is grouped by two numbers and its period: no string is
/// hashed or compared per value. (Grouping each file on its own and adding its groups
/// to the run's map of IDs took 3.5 ms of a 2,000-file batch's consolidation: a
/// search and a list per file and group.)
fn group_run<'a>(run: &[(usize, &'a FileValues)]) -> RunGroups<'a> {
    let mut numbers: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    let mut ids: Vec<&str> = Vec::new();
    // By the run's ID number and the period packed into one integer: grouping the
    // million values of 20 large files took 8 ms instead of 10.4 with the pair hashed
    // field by field.
    let mut groups: foldhash::HashMap<u64, (usize, Period, Vec<usize>)> =
        foldhash::HashMap::default();
    let mut local = Vec::new();
    for &(first, list) in run {
        local.clear();
        local.extend(
            list.ids()
                .iter()
                .map(|id| number(&mut numbers, &mut ids, id)),
        );
        for (j, v) in list.iter().enumerate() {
            if v.status() != Status::Used {
                continue;
            }
            // A row's ID number is always in its list; `indicator_id` reads "" past it.
            let id = match local.get(v.id_number()) {
                Some(&id) => id,
                None => number(&mut numbers, &mut ids, ""),
            };
            let period = v.period();
            groups
                .entry(period.numbered_key(id))
                .or_insert_with(|| (id, period, Vec::new()))
                .2
                .push(first + j);
        }
    }
    groups
        .into_values()
        .map(|(id, period, members)| ((ids.get(id).copied().unwrap_or(""), period), members))
        .collect()
}

/// The run's number of `id`, numbering it when it is new.
fn number<'a>(
    numbers: &mut foldhash::HashMap<&'a str, usize>,
    ids: &mut Vec<&'a str>,
    id: &'a str,
) -> usize {
    *numbers.entry(id).or_insert_with(|| {
        ids.push(id);
        ids.len() - 1
    })
}

/// Puts `members` after a group's members; a new group takes the list as it is.
fn add_members<'a>(
    groups: &mut BTreeMap<(&'a str, Period), Vec<usize>>,
    key: (&'a str, Period),
    mut members: Vec<usize>,
) {
    match groups.entry(key) {
        std::collections::btree_map::Entry::Vacant(e) => {
            e.insert(members);
        }
        std::collections::btree_map::Entry::Occupied(mut e) => e.get_mut().append(&mut members),
    }
}

/// Resolves each (indicator, period) among the usable values.
fn resolve(
    catalogue: &Catalogue,
    values: &mut Values,
    groups: &Groups,
    rank: &HashMap<&str, FileRank>,
    findings: &mut Vec<Finding>,
) -> BTreeMap<(String, Period), Figure> {
    let mut figures = BTreeMap::new();
    // Most groups agree: checked in parallel (a million values read once), before the
    // others are settled one by one.
    let shared: &Values = values;
    let agreements: Vec<Option<Figure>> = groups
        .par_iter()
        .map(|(_, members)| agreed(shared, members))
        .collect();
    for ((key, members), agreement) in groups.iter().zip(agreements) {
        if let Some(figure) = agreement {
            figures.insert(key.clone(), figure);
            continue;
        }
        let winners = newest_per_department(values, rank, members, findings);
        match agreed(values, &winners) {
            Some(figure) => {
                figures.insert(key.clone(), figure);
            }
            None => conflict(catalogue, values, &winners, findings),
        }
    }
    figures
}

/// The figure of values that all agree (the first one's cell as its source), or `None`
/// when they differ or there are none.
fn agreed(values: &Values, idx: &[usize]) -> Option<Figure> {
    let first = values.get(*idx.first()?)?;
    values
        .get_each(idx)
        .all(|v| v.is_some_and(|v| same(v.value(), first.value())))
        .then(|| Figure {
            value: first.value(),
            source: Source::Reported(first.at()),
        })
}

/// For each department among `members`, keeps the newest file's value; older different
/// values become superseded. Returns the winners.
fn newest_per_department(
    values: &mut Values,
    rank: &HashMap<&str, FileRank>,
    members: &[usize],
    findings: &mut Vec<Finding>,
) -> Vec<usize> {
    let mut by_dept: BTreeMap<Option<&str>, Vec<(usize, ValueRow)>> = BTreeMap::new();
    for &i in members {
        if let Some(v) = values.get(i) {
            by_dept.entry(v.department()).or_default().push((i, v));
        }
    }
    let mut winners = Vec::new();
    let mut superseded = Vec::new();
    for (_, rows) in by_dept {
        let Some(&(newest, new)) = rows.iter().max_by(|(_, a), (_, b)| {
            let rank_of = |v: &ValueRow| rank.get(v.file()).copied();
            rank_of(a).cmp(&rank_of(b)).then(a.file().cmp(b.file()))
        }) else {
            continue;
        };
        for &(i, old) in &rows {
            if i != newest && !same(old.value(), new.value()) {
                superseded.push(i);
                let at = old.at();
                let message = format!(
                    "{at}: {} の値 {} は、新しい提出 {}!{} の値 {} で置き換えました",
                    old.period().label_ja(),
                    fmt(old.value()),
                    new.file(),
                    new.a1(),
                    fmt(new.value())
                );
                findings.push(
                    rules::SUPERSEDED
                        .at(at, message)
                        .indicator(old.indicator_id())
                        .raw(old.raw()),
                );
            }
        }
        winners.push(newest);
    }
    for i in superseded {
        values.set_status(i, Status::Superseded);
    }
    winners
}

fn conflict(
    catalogue: &Catalogue,
    values: &mut Values,
    winners: &[usize],
    findings: &mut Vec<Finding>,
) {
    let rows: Vec<ValueRow> = winners.iter().filter_map(|&i| values.get(i)).collect();
    let listing: Vec<String> = rows
        .iter()
        .map(|v| {
            format!(
                "{}: {}（{}）",
                v.department().unwrap_or("課不明"),
                fmt(v.value()),
                v.at()
            )
        })
        .collect();
    for v in &rows {
        let name = catalogue
            .indicator(v.indicator_id())
            .map_or("", |x| x.name.as_str());
        let at = v.at();
        let message = format!(
            "{at}: 「{name}」{} の値が課によって食い違うため、集計値を決めていません — {}",
            v.period().label_ja(),
            listing.join(" / ")
        );
        findings.push(
            rules::CONFLICT
                .at(at, message)
                .indicator(v.indicator_id())
                .raw(v.raw()),
        );
    }
    for &i in winners {
        values.set_status(i, Status::Conflict);
    }
}

/// Months due in a fiscal year: all 12 for a past year, up to the reporting month for
/// the current one.
fn months_due(fy: FiscalYear, period: Option<Period>) -> u8 {
    match period {
        Some(Period::Month(m)) if m.fiscal_year() == fy => m.fiscal_index() as u8 + 1,
        _ => 12,
    }
}

/// Makes fiscal-year figures from months where no year value was reported, and warns
/// when a reported year value differs from its complete months.
fn add_year_figures(
    catalogue: &Catalogue,
    figures: &mut BTreeMap<(String, Period), Figure>,
    period: Option<Period>,
    values: &Values,
    findings: &mut Vec<Finding>,
) {
    let mut months: BTreeMap<(String, FiscalYear), Vec<(Month, f64)>> = BTreeMap::new();
    for ((id, p), fig) in figures.iter() {
        if let Period::Month(m) = p {
            months
                .entry((id.clone(), m.fiscal_year()))
                .or_default()
                .push((*m, fig.value));
        }
    }
    for ((id, fy), list) in months {
        let Some(ind) = catalogue.indicator(&id) else {
            continue;
        };
        let due = months_due(fy, period).max(list.len() as u8);
        let Some(value) = aggregate(ind.aggregation, &list) else {
            continue;
        };
        let key = (id.clone(), Period::Year(fy));
        match figures.get(&key) {
            Some(year) if list.len() as u8 >= 12 && !close(year.value, value) => {
                if let Some(row) = values.iter().find(|v| {
                    v.indicator_id() == id
                        && v.period() == Period::Year(fy)
                        && v.status() == Status::Used
                }) {
                    let at = row.at();
                    let message = format!(
                        "{at}: 「{}」{} の値 {} が月の値から求めた {} と異なります",
                        ind.name,
                        fy.label_ja(),
                        fmt(year.value),
                        fmt(value)
                    );
                    findings.push(
                        rules::YEAR_MONTH_MISMATCH
                            .at(at, message)
                            .indicator(&id)
                            .raw(row.raw()),
                    );
                }
            }
            Some(_) => {}
            None => {
                figures.insert(
                    key,
                    Figure {
                        value,
                        source: Source::Months {
                            rule: ind.aggregation,
                            present: list.len() as u8,
                            due,
                        },
                    },
                );
            }
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.05_f64.max(a.abs().max(b.abs()) * 1e-3)
}

/// The fiscal-year figure from months by the catalogue's rule (`months` sorted).
///
/// ```
/// use shukei::catalogue::Aggregation;
/// use shukei::consolidate::aggregate;
/// use shukei::model::Month;
/// let m = |month| Month { year: 2024, month };
/// let months = [(m(4), 10.0), (m(5), 20.0)];
/// assert_eq!(aggregate(Aggregation::Sum, &months), Some(30.0));
/// assert_eq!(aggregate(Aggregation::Mean, &months), Some(15.0));
/// assert_eq!(aggregate(Aggregation::Last, &months), Some(20.0));
/// assert_eq!(aggregate(Aggregation::Annual, &months), None);
/// ```
pub fn aggregate(rule: Aggregation, months: &[(Month, f64)]) -> Option<f64> {
    if months.is_empty() {
        return None;
    }
    match rule {
        Aggregation::Sum => Some(months.iter().map(|(_, v)| v).sum()),
        Aggregation::Mean => Some(months.iter().map(|(_, v)| v).sum::<f64>() / months.len() as f64),
        Aggregation::Last => months.iter().max_by_key(|(m, _)| *m).map(|(_, v)| *v),
        Aggregation::Annual => None,
    }
}

/// Cumulative indicators must not go down; months must not jump by more than the factor.
/// Each point is the first value of its group still used after resolving (values only
/// ever leave `Used` there).
fn series_checks(
    catalogue: &Catalogue,
    values: &Values,
    groups: &Groups,
    settings: &Settings,
) -> Vec<Finding> {
    let mut series: BTreeMap<&str, BTreeMap<Period, ValueRow>> = BTreeMap::new();
    for ((id, period), members) in groups {
        let first = members
            .iter()
            .filter_map(|&i| values.get(i))
            .find(|v| v.status() == Status::Used);
        if let Some(v) = first {
            series.entry(id.as_str()).or_default().insert(*period, v);
        }
    }
    let mut out = Vec::new();
    for (id, points) in series {
        let Some(ind) = catalogue.indicator(id) else {
            continue;
        };
        let months: Vec<ValueRow> = points
            .iter()
            .filter(|(p, _)| matches!(p, Period::Month(_)))
            .map(|(_, v)| *v)
            .collect();
        let years: Vec<ValueRow> = points
            .iter()
            .filter(|(p, _)| matches!(p, Period::Year(_)))
            .map(|(_, v)| *v)
            .collect();
        for pair in months.windows(2).chain(years.windows(2)) {
            let [prev, next] = pair else {
                continue;
            };
            let rule = if ind.cumulative && next.value() < prev.value() - 1e-9 {
                Some((rules::CUMULATIVE_DECREASE, "累計の", "減っています"))
            } else if matches!(next.period(), Period::Month(_))
                && matches!(ind.aggregation, Aggregation::Sum | Aggregation::Mean)
                && is_jump(prev.value(), next.value(), settings.jump_factor)
            {
                Some((rules::MONTHLY_JUMP, "", "大きく変化しています"))
            } else {
                None
            };
            if let Some((rule, prefix, change)) = rule {
                let at = next.at();
                let message = format!(
                    "{at}: {prefix}「{}」が {} の {} から {} の {} に{change}",
                    ind.name,
                    prev.period().label_ja(),
                    fmt(prev.value()),
                    next.period().label_ja(),
                    fmt(next.value())
                );
                out.push(rule.at(at, message).indicator(id).raw(next.raw()));
            }
        }
    }
    out
}

fn is_jump(prev: f64, next: f64, factor: f64) -> bool {
    prev > 0.0 && next > 0.0 && (next / prev > factor || prev / next > factor)
}

/// The latest fiscal year with a figure, not after the reporting period.
pub fn latest_year_figure<'a>(
    figures: &'a BTreeMap<(String, Period), Figure>,
    id: &str,
    period: Option<Period>,
) -> Option<(FiscalYear, &'a Figure)> {
    let limit = period.map(Period::fiscal_year);
    figures
        .range(
            (id.to_string(), Period::Year(FiscalYear(0)))
                ..=(id.to_string(), Period::Year(FiscalYear(u16::MAX))),
        )
        .filter_map(|((_, p), f)| match p {
            Period::Year(fy) if limit.is_none_or(|l| *fy <= l) => Some((*fy, f)),
            _ => None,
        })
        .next_back()
}

#[cfg(test)]
mod tests;
