//! `shukei consolidate`: read every submission, write the report and the exports.

use std::path::{Path, PathBuf};

use shukei::catalogue::Catalogue;
use shukei::consolidate::Consolidated;
use shukei::error::Error;
use shukei::export::{self, Outputs};
use shukei::pipeline::Options;
use shukei::report::{build_report, ReportMeta};

use super::inputs::{input_paths, load_catalogue, log_file, parse_period};
use super::output::{save_workbook, write_atomic};
use super::ExitCode;

/// Read all submissions and write the consolidated report.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders to read (folders are walked recursively; `~$` lock files and
    /// hidden files are skipped). Default: samples/
    pub inputs: Vec<PathBuf>,
    /// The report to write (xlsx).
    #[arg(short, long, value_name = "REPORT.xlsx")]
    pub output: PathBuf,
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
    /// Write the run summary as JSON to FILE, or to standard output with `-`.
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
    /// Settings file (shukei.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// No log lines on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs `consolidate`.
pub fn run(args: Args) -> Result<ExitCode, Error> {
    if args.config.is_some() {
        return Err(Error::Usage(
            "--config は未実装です（issue 7 で対応予定）".to_string(),
        ));
    }
    let catalogue = load_catalogue(args.catalogue.as_ref())?;
    let inputs = input_paths(&args.inputs);
    refuse_input_as_output(&inputs, &args.output)?;
    let options = Options {
        inputs,
        period: parse_period(args.period.as_deref())?,
        ..Options::default()
    };
    let quiet = args.quiet;
    let result = shukei::pipeline::run(&catalogue, &options, &|sub| {
        if !quiet {
            log_file(sub)
        }
    })?;
    let outputs = write_outputs(&catalogue, &result, &args)?;
    let summary = export::summary(&catalogue, &result, outputs);
    let json = export::summary_json(&summary);
    match args.json.as_deref() {
        Some("-") => print!("{}", String::from_utf8_lossy(&json)),
        Some(path) => write_atomic(Path::new(path), &json)?,
        None => {}
    }
    if !quiet {
        let (e, w, i) = result.counts();
        eprintln!(
            "shukei: wrote {} — {} files, {} values, {e} errors, {w} warnings, {i} info",
            args.output.display(),
            result.files.len(),
            result.values.len()
        );
    }
    Ok(if summary.exit_code == 1 {
        ExitCode::DataErrors
    } else {
        ExitCode::Ok
    })
}

fn write_outputs(
    catalogue: &Catalogue,
    result: &Consolidated,
    args: &Args,
) -> Result<Outputs, Error> {
    let meta = ReportMeta {
        run_at: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let mut workbook = build_report(catalogue, result, &meta).map_err(|source| Error::Xlsx {
        path: args.output.clone(),
        source,
    })?;
    save_workbook(&mut workbook, &args.output)?;
    let mut outputs = Outputs {
        report: Some(args.output.display().to_string()),
        ..Outputs::default()
    };
    if let Some(dir) = &args.export_dir {
        let values = dir.join("values.csv");
        let issues = dir.join("issues.csv");
        let summary_path = dir.join("summary.json");
        write_atomic(&values, &export::values_csv(catalogue, result))?;
        write_atomic(&issues, &export::issues_csv(result))?;
        let opendata = dir.join("opendata.csv");
        write_atomic(
            &opendata,
            &shukei::opendata::opendata_csv(catalogue, result),
        )?;
        outputs.opendata_csv = Some(opendata.display().to_string());
        outputs.values_csv = Some(values.display().to_string());
        outputs.issues_csv = Some(issues.display().to_string());
        outputs.summary_json = Some(summary_path.display().to_string());
        let summary = export::summary(catalogue, result, outputs.clone());
        write_atomic(&summary_path, &export::summary_json(&summary))?;
    }
    Ok(outputs)
}

/// An output path equal to an input file (or inside the inputs as the same file) is
/// refused: inputs are never modified.
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
