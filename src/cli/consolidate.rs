//! `shukei consolidate`: read every submission, write the report and the exports.
//!
//! Flags override the settings file (`--config shukei.toml`). Outputs are written
//! atomically, under a lock file beside the report.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use shukei::catalogue::Catalogue;
use shukei::config::{expand, Config, LogFormat};
use shukei::consolidate::Consolidated;
use shukei::error::Error;
use shukei::export::{self, Outputs};
use shukei::feedback::{self, Kind};
use shukei::pipeline::Options;
use shukei::report::{build_report, ReportMeta};

use super::inputs::{input_paths, load_catalogue, parse_period};
use super::lock::OutputLock;
use super::log::Logger;
use super::output::{save_workbook, write_atomic, write_atomic_with};
use super::ExitCode;

/// Read all submissions and write the consolidated report.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders to read (folders are walked recursively; `~$` lock files and
    /// hidden files are skipped). Default: the config's inbox, else samples/
    pub inputs: Vec<PathBuf>,
    /// The report to write (xlsx). Required unless the config file sets `report`.
    #[arg(short, long, value_name = "REPORT.xlsx")]
    pub output: Option<PathBuf>,
    /// Indicator catalogue (toml or the xlsx from `catalogue export`). Default: built in.
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    /// Reporting period: FY2024, 2024-11, 令和6年11月, R6.11. Default: the latest found.
    #[arg(long, value_name = "P")]
    pub period: Option<String>,
    /// Also write values.csv, issues.csv, summary.json and opendata.csv (the figures as
    /// open data) into this folder.
    #[arg(long, value_name = "DIR")]
    pub export_dir: Option<PathBuf>,
    /// Also write one feedback workbook per department into this folder: a 差し戻し
    /// (issues, owed indicators, values as read) or, with nothing to fix, a 受領確認.
    #[arg(long, value_name = "DIR")]
    pub feedback_dir: Option<PathBuf>,
    /// Write the run summary as JSON to FILE, or to standard output with `-`.
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
    /// Settings file (shukei.toml): inbox, output paths with {period}, limits, thresholds.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Log lines on stderr as text (default) or JSON (one object per line, for job logs).
    #[arg(long, value_name = "text|json", value_parser = ["text", "json"])]
    pub log_format: Option<String>,
    /// No progress bar and no log lines on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Everything a run needs, flags merged over the settings file.
struct Plan {
    catalogue: Catalogue,
    options: Options,
    report: String,
    export_dir: Option<String>,
    feedback_dir: Option<String>,
    log_format: LogFormat,
}

fn plan(args: &Args) -> Result<Plan, Error> {
    let config = match &args.config {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    let catalogue = load_catalogue(args.catalogue.as_ref().or(config.catalogue.as_ref()))?;
    let report = match (&args.output, &config.report) {
        (Some(o), _) => o.display().to_string(),
        (None, Some(r)) => r.clone(),
        (None, None) => {
            return Err(Error::Usage(
                "出力するレポートを -o で指定してください（または設定ファイルの report）"
                    .to_string(),
            ))
        }
    };
    let inputs = if args.inputs.is_empty() && !config.inbox.is_empty() {
        config.inbox.clone()
    } else {
        input_paths(&args.inputs)
    };
    let period = parse_period(args.period.as_deref().or(config.period.as_deref()))?;
    let log_format = args
        .log_format
        .as_deref()
        .and_then(LogFormat::parse)
        .or(config.log_format)
        .unwrap_or_default();
    let export_dir = args
        .export_dir
        .as_ref()
        .map(|d| d.display().to_string())
        .or(config.export_dir.clone());
    let feedback_dir = args
        .feedback_dir
        .as_ref()
        .map(|d| d.display().to_string())
        .or(config.feedback_dir.clone());
    let options = Options {
        inputs,
        period,
        limits: config.limits(),
        settings: config.settings(),
    };
    Ok(Plan {
        catalogue,
        options,
        report,
        export_dir,
        feedback_dir,
        log_format,
    })
}

/// Runs `consolidate`.
pub fn run(args: Args) -> Result<ExitCode, Error> {
    let plan = plan(&args)?;
    // The next run would read them as submissions (a report read back gave a hundred
    // values and hundreds of issues).
    let outputs = [
        (Some(&plan.report), "レポートの出力先"),
        (plan.export_dir.as_ref(), "エクスポートの出力先"),
        (plan.feedback_dir.as_ref(), "差し戻しの出力先"),
    ];
    for (path, what) in outputs {
        if let Some(path) = path {
            refuse_output_among_inputs(&plan.options.inputs, Path::new(&expand(path, None)), what)?;
        }
    }
    let logger = Logger::new(plan.log_format, args.quiet);
    let result = shukei::pipeline::run(&plan.catalogue, &plan.options, &logger);
    logger.finish();
    let result = result?;
    if !args.quiet {
        log_undeliverable(&result, plan.feedback_dir.is_some());
    }
    let report = PathBuf::from(expand(&plan.report, result.period));
    refuse_input_as_output(&plan.options.inputs, &report)?;
    let _lock = OutputLock::acquire(&report)?;
    let export_dir = plan
        .export_dir
        .as_deref()
        .map(|d| PathBuf::from(expand(d, result.period)));
    let feedback_dir = plan
        .feedback_dir
        .as_deref()
        .map(|d| PathBuf::from(expand(d, result.period)));
    let summary = write_outputs(
        &plan.catalogue,
        &result,
        &report,
        export_dir.as_deref(),
        feedback_dir.as_deref(),
    )?;
    let json = export::summary_json(&summary);
    match args.json.as_deref() {
        Some("-") => print!("{}", String::from_utf8_lossy(&json)),
        Some(path) => write_atomic(Path::new(path), &json)?,
        None => {}
    }
    let (e, w, i) = result.counts();
    logger.event(
        "done",
        &format!(
            "wrote {} — {} files, {} values, {e} errors, {w} warnings, {i} info",
            report.display(),
            result.files.len(),
            result.values.len()
        ),
    );
    let failed = summary.exit_code == 1;
    // What was read is not freed value by value (2.4 ms of the run on 2,000 files): the
    // process ends here and the system takes the memory back whole.
    std::mem::forget(result);
    Ok(if failed {
        ExitCode::DataErrors
    } else {
        ExitCode::Ok
    })
}

fn write_outputs(
    catalogue: &Catalogue,
    result: &Consolidated,
    report: &Path,
    export_dir: Option<&Path>,
    feedback_dir: Option<&Path>,
) -> Result<export::Summary, Error> {
    // The report, the feedback workbooks and the CSV exports only read the result:
    // they are written side by side (on a large run values.csv alone takes a second).
    // The exports go on a thread of their own, not on the pool: a pool thread waiting
    // for its file's fsync cannot take over half of the report's sheets, and the report
    // was filled on one thread while the other waited.
    let ((report_done, feedback), csv) = std::thread::scope(|scope| {
        let csv = scope.spawn(|| {
            export_dir
                .map(|dir| write_csv_exports(catalogue, result, dir))
                .transpose()
        });
        let workbooks = rayon::join(
            || write_report(catalogue, result, report),
            || {
                feedback_dir
                    .map(|dir| write_feedback(catalogue, result, dir))
                    .transpose()
            },
        );
        let csv = csv
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (workbooks, csv)
    });
    report_done?;
    let mut outputs = Outputs {
        report: Some(report.display().to_string()),
        feedback: feedback?.unwrap_or_default(),
        ..Outputs::default()
    };
    let mut summary_path = None;
    if let (Some(dir), Some((values, issues, opendata))) = (export_dir, csv?) {
        let path = dir.join("summary.json");
        outputs.values_csv = Some(values);
        outputs.issues_csv = Some(issues);
        outputs.opendata_csv = Some(opendata);
        outputs.summary_json = Some(path.display().to_string());
        summary_path = Some(path);
    }
    // Built once, for summary.json and for the run's own summary (--json, the exit
    // code): it counts every value (1.5 ms on a million).
    let summary = export::summary(catalogue, result, outputs);
    if let Some(path) = summary_path {
        write_atomic(&path, &export::summary_json(&summary))?;
    }
    Ok(summary)
}

fn write_report(catalogue: &Catalogue, result: &Consolidated, report: &Path) -> Result<(), Error> {
    let meta = ReportMeta {
        run_at: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let mut workbook = build_report(catalogue, result, &meta).map_err(|source| Error::Xlsx {
        path: report.to_path_buf(),
        source,
    })?;
    let saved = save_workbook(&mut workbook, report);
    // Freeing the workbook's cells and strings took 1 ms on the run's critical path
    // (2,000 files): the process ends after the outputs, and the system takes the
    // memory back whole.
    std::mem::forget(workbook);
    saved
}

/// values.csv, issues.csv and opendata.csv; returns their paths.
fn write_csv_exports(
    catalogue: &Catalogue,
    result: &Consolidated,
    dir: &Path,
) -> Result<(String, String, String), Error> {
    let values = dir.join("values.csv");
    let issues = dir.join("issues.csv");
    let opendata = dir.join("opendata.csv");
    // values.csv beside the other two: each waits for its own fsync (values.csv 17 ms,
    // issues.csv 9 ms on 2,000 small files), and one after the other the three took
    // longer than the report.
    std::thread::scope(|scope| {
        let others = scope.spawn(|| {
            write_atomic_with(&issues, |w| export::write_issues_csv(w, result))?;
            write_atomic(
                &opendata,
                &shukei::opendata::opendata_csv(catalogue, result),
            )
        });
        let written =
            write_atomic_with(&values, |w| export::write_values_csv(w, catalogue, result));
        let others = others
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        written.and(others)
    })?;
    Ok((
        values.display().to_string(),
        issues.display().to_string(),
        opendata.display().to_string(),
    ))
}

/// An output path equal to an input file is refused: inputs are never modified.
fn refuse_input_as_output(inputs: &[PathBuf], output: &Path) -> Result<(), Error> {
    let Ok(out) = output.canonicalize() else {
        return Ok(());
    };
    for input in inputs {
        if input.canonicalize().is_ok_and(|i| i == out) {
            return Err(Error::Usage(format!(
                "出力先 {} は入力ファイルと同じです。別のパスを指定してください",
                output.display()
            )));
        }
    }
    Ok(())
}

/// Writes one feedback workbook per department into `dir`, atomically, and removes
/// the other kind's file of the same department and period left by an earlier run
/// (a 差し戻し that became a 受領確認), so the folder never holds both. Returns the
/// paths written.
fn write_feedback(
    catalogue: &Catalogue,
    result: &Consolidated,
    dir: &Path,
) -> Result<Vec<String>, Error> {
    use rayon::prelude::*;
    // Departments are written side by side, each workbook built and saved on one
    // thread, the largest first: whichever thread is free takes the next (in plan
    // order, the largest department of 8,000 files came last and its workbook was
    // written alone for the last 0.15 s). The first error in plan order is the one
    // reported.
    let plan = feedback::feedback_plan(result);
    let mut written: Vec<(usize, Result<String, Error>)> = largest_first(result, &plan)
        .into_iter()
        .par_bridge()
        .map(|i| {
            let done = plan.get(i).map_or(Ok(String::new()), |(department, kind)| {
                write_department_feedback(catalogue, result, dir, department, *kind)
            });
            (i, done)
        })
        .collect();
    written.sort_by_key(|(i, _)| *i);
    written.into_iter().map(|(_, done)| done).collect()
}

/// The positions of the plan's departments, the department with the most to write
/// first (its files' values and issues; ties in plan order).
fn largest_first(result: &Consolidated, plan: &[(String, Kind)]) -> Vec<usize> {
    let mut sizes: HashMap<&str, usize> = HashMap::new();
    for f in &result.files {
        if let Some(department) = f.department.as_deref() {
            *sizes.entry(department).or_default() += f.values + f.errors + f.warnings;
        }
    }
    let mut order: Vec<usize> = (0..plan.len()).collect();
    order.sort_by_key(|&i| {
        let size = plan.get(i).and_then(|(d, _)| sizes.get(d.as_str()));
        std::cmp::Reverse(size.copied().unwrap_or(0))
    });
    order
}

/// One department's workbook of [`write_feedback`] and the removal of its stale other
/// kind. Returns the path written.
fn write_department_feedback(
    catalogue: &Catalogue,
    result: &Consolidated,
    dir: &Path,
    department: &str,
    kind: Kind,
) -> Result<String, Error> {
    let path = dir.join(feedback::feedback_file_name(
        department,
        kind,
        result.period,
    ));
    let mut workbook =
        feedback::build_feedback(catalogue, result, department).map_err(|source| Error::Xlsx {
            path: path.clone(),
            source,
        })?;
    save_workbook(&mut workbook, &path)?;
    let other = match kind {
        Kind::Return => Kind::Receipt,
        Kind::Receipt => Kind::Return,
    };
    let stale = dir.join(feedback::feedback_file_name(
        department,
        other,
        result.period,
    ));
    if stale.is_file() {
        std::fs::remove_file(&stale).map_err(|e| Error::io(&stale, e))?;
    }
    Ok(path.display().to_string())
}

/// Files whose department is unknown get no feedback: say so, so that the planning
/// office can tell their senders by hand.
fn log_undeliverable(result: &Consolidated, feedback: bool) {
    if !feedback {
        return;
    }
    let by_file = result.findings_by_file();
    for file in feedback::undeliverable(result) {
        let issues = by_file.get(&*file.file).map_or(0, Vec::len);
        eprintln!(
            "shukei: 担当課が分からないため差し戻しを作成していません: {} （指摘 {issues} 件）",
            file.file
        );
    }
}

/// An output (the report, the export or feedback folder) must not be an input folder
/// nor inside one: the next run would read it as submissions.
fn refuse_output_among_inputs(inputs: &[PathBuf], output: &Path, what: &str) -> Result<(), Error> {
    let Ok(out) = absolute(output) else {
        return Ok(());
    };
    for input in inputs.iter().filter(|i| i.is_dir()) {
        if input.canonicalize().is_ok_and(|i| out.starts_with(&i)) {
            return Err(Error::Usage(format!(
                "{what} {} は入力フォルダ {} の中です。別のフォルダを指定してください",
                output.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// The canonical form of a folder that may not exist yet (its nearest existing
/// ancestor canonicalized, the rest appended).
fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    let mut missing = Vec::new();
    let mut existing = path;
    loop {
        match existing.canonicalize() {
            Ok(base) => return Ok(missing.iter().rev().fold(base, |p, c| p.join(c))),
            Err(e) => {
                let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
                    return Err(e);
                };
                missing.push(name.to_os_string());
                existing = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shukei::consolidate::FileStatus;

    #[test]
    fn the_department_with_most_to_write_goes_first() {
        let catalogue = Catalogue::builtin();
        let options = shukei::pipeline::Options::default();
        let mut result = shukei::pipeline::run(&catalogue, &options, &shukei::pipeline::Silent)
            .expect("an empty run");
        let file = |department: &str, values: usize, warnings: usize| FileStatus {
            file: format!("{department}_{values}.xlsx").into(),
            department: Some(department.into()),
            failed: false,
            values,
            errors: 0,
            warnings,
        };
        result.files = vec![
            file("人事課", 3, 0),
            file("財政課", 2, 2),
            file("人事課", 1, 0),
            file("収税課", 9, 0),
            file("広報広聴課", 4, 0),
        ];
        let plan: Vec<(String, Kind)> = ["人事課", "財政課", "秘書政策課", "収税課", "広報広聴課"]
            .into_iter()
            .map(|d| (d.to_string(), Kind::Return))
            .collect();
        // 収税課 9; 人事課, 財政課 and 広報広聴課 4 each, in plan order; 秘書政策課
        // sent nothing.
        assert_eq!(largest_first(&result, &plan), vec![3, 0, 1, 4, 2]);
    }
}
