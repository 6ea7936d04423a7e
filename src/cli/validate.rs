//! `shukei validate`: everything but the report; prints the issues grouped by file.

use std::fmt::Write as _;
use std::path::PathBuf;

use shukei::consolidate::Consolidated;
use shukei::error::Error;
use shukei::model::Finding;
use shukei::pipeline::Options;

use super::inputs::{input_paths, load_catalogue, parse_period};
use super::ExitCode;

/// Check submissions and print the issues grouped by file.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders to read (folders are walked recursively). Default: samples/
    pub inputs: Vec<PathBuf>,
    /// Indicator catalogue (toml or the xlsx from `catalogue export`). Default: built in.
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    /// Reporting period: FY2024, 2024-11, 令和6年11月, R6.11. Default: the latest found.
    #[arg(long, value_name = "P")]
    pub period: Option<String>,
    /// Print the issues as JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// No per-file log lines on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs `validate`.
pub fn run(args: Args) -> Result<ExitCode, Error> {
    let catalogue = load_catalogue(args.catalogue.as_ref())?;
    let options = Options {
        inputs: input_paths(&args.inputs),
        period: parse_period(args.period.as_deref())?,
        ..Options::default()
    };
    let logger = super::log::Logger::new(shukei::config::LogFormat::Text, args.quiet);
    let result = shukei::pipeline::run(&catalogue, &options, &logger);
    logger.finish();
    let result = result?;
    if args.json {
        println!("{}", findings_json(&result.findings));
    } else {
        print!("{}", findings_by_file(&result));
    }
    Ok(if shukei::export::exit_code(&result) == 1 {
        ExitCode::DataErrors
    } else {
        ExitCode::Ok
    })
}

/// The issues grouped by file, for a terminal.
pub fn findings_by_file(result: &Consolidated) -> String {
    let mut out = String::new();
    let mut by_file = result.findings_by_file();
    for file in &result.files {
        let mine = by_file.remove(&*file.file).unwrap_or_default();
        let dept = file.department.as_deref().unwrap_or("担当課不明");
        let _ = writeln!(
            out,
            "■ {} [{dept}] 値 {} 件, エラー {} 件, 警告 {} 件",
            file.file, file.values, file.errors, file.warnings
        );
        for f in mine {
            write_finding(&mut out, f, 28);
        }
    }
    // Findings of no listed file (a folder that could not be read), in their order.
    let others = result
        .findings
        .iter()
        .filter(|f| by_file.contains_key(&*f.at.file));
    for f in others {
        let _ = writeln!(
            out,
            "  {} {} {}",
            f.severity.label_ja(),
            f.code,
            f.message()
        );
    }
    let (e, w, i) = result.counts();
    let period = result.period.map_or("なし".to_string(), |p| p.label_ja());
    let _ = writeln!(
        out,
        "\n報告期間 {period}: ファイル {} 件, エラー {e} 件, 警告 {w} 件, 参考 {i} 件",
        result.files.len()
    );
    out
}

/// One finding for a terminal: severity, code, place, message, then the fix hint.
pub fn write_finding(out: &mut String, f: &Finding, code_width: usize) {
    let place = match (&f.at.sheet, f.at.cell) {
        (Some(s), Some(_)) if s.is_empty() => f.at.a1(),
        (Some(s), Some(_)) => format!("{s}!{}", f.at.a1()),
        (Some(s), None) => s.to_string(),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "  {} {:<code_width$} {place:<14} {}",
        f.severity.label_ja(),
        f.code,
        f.text()
    );
    let _ = writeln!(out, "      → {}", f.hint);
}

/// The findings as a JSON array.
pub fn findings_json(findings: &[Finding]) -> String {
    let list: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            serde_json::json!({
                "severity": f.severity.code(),
                "code": f.code,
                "source_file": &*f.at.file,
                "sheet": f.at.sheet.as_deref(),
                "cell": f.at.a1(),
                "indicator_id": f.indicator_id.as_deref(),
                "message": f.message().to_string(),
                "hint": f.hint,
                "raw": f.raw,
            })
        })
        .collect();
    serde_json::to_string_pretty(&list).unwrap_or_default()
}
