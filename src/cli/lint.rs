//! `shukei lint`: checks submissions against 総務省「統計表における機械判読可能なデータの
//! 表記方法の統一ルール」and prints the `MR-…` findings grouped by file, then the
//! machine-readability score of each department.
//!
//! The same checks run inside `consolidate` and `validate`; this command shows only them.
//! It exits 0 whatever it finds (the rules are advice, not errors) and 2 when it cannot
//! run.

use std::fmt::Write as _;
use std::path::PathBuf;

use shukei::consolidate::Consolidated;
use shukei::error::Error;
use shukei::lint::{scores, DepartmentScore};
use shukei::model::Finding;
use shukei::pipeline::Options;

use super::inputs::{input_paths, load_catalogue};
use super::validate::findings_json;
use super::ExitCode;

/// Arguments of `shukei lint` (the help text is on [`super::Commands::Lint`]).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders to check (folders are walked recursively). Default: samples/
    pub inputs: Vec<PathBuf>,
    /// Indicator catalogue (toml or the xlsx from `catalogue export`). Default: built in.
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    /// Print the findings and scores as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `lint`.
pub fn run(args: Args) -> Result<ExitCode, Error> {
    let catalogue = load_catalogue(args.catalogue.as_ref())?;
    let options = Options {
        inputs: input_paths(&args.inputs),
        ..Options::default()
    };
    let result = shukei::pipeline::run(&catalogue, &options, &shukei::pipeline::Silent)?;
    let findings = lint_findings(&result);
    let scores = scores(&result.files, &result.findings);
    if args.json {
        let json = serde_json::json!({
            "findings": serde_json::from_str::<serde_json::Value>(&findings_json(&findings))
                .unwrap_or_default(),
            "scores": scores.iter().map(score_json).collect::<Vec<_>>(),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
    } else {
        print!("{}", report_text(&result, &findings, &scores));
    }
    Ok(ExitCode::Ok)
}

/// The lint's findings, and the reasons files could not be read at all.
fn lint_findings(result: &Consolidated) -> Vec<Finding> {
    let failed: std::collections::HashSet<&str> = result
        .files
        .iter()
        .filter(|s| s.failed)
        .map(|s| &*s.file)
        .collect();
    result
        .findings
        .iter()
        .filter(|f| {
            f.code.starts_with("MR-") || (f.at.sheet.is_none() && failed.contains(&*f.at.file))
        })
        .cloned()
        .collect()
}

fn score_json(s: &DepartmentScore) -> serde_json::Value {
    serde_json::json!({
        "department": s.department,
        "files": s.files,
        "met": s.met,
        "applicable": s.applicable,
        "ratio": s.ratio(),
        "broken": s.broken,
    })
}

/// Findings grouped by file, then the scores, for a terminal.
fn report_text(result: &Consolidated, findings: &[Finding], scores: &[DepartmentScore]) -> String {
    let mut out = String::new();
    let spreadsheets = result.files.iter().filter(|f| {
        let ext = shukei::ingest::guard::extension(&f.file);
        shukei::inbox::EXTENSIONS.contains(&ext.as_str())
    });
    let mut by_file = shukei::consolidate::group_by_file(findings);
    for file in spreadsheets {
        let mine = by_file.remove(&*file.file).unwrap_or_default();
        let dept = file.department.as_deref().unwrap_or("担当課不明");
        let state = if file.failed {
            "（読めません）"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "■ {} [{dept}]{state} 指摘 {} 件",
            file.file,
            mine.len()
        );
        for f in mine {
            super::validate::write_finding(&mut out, f, 22);
        }
    }
    let _ = writeln!(
        out,
        "\n機械判読性（統一ルールを満たした数 / 対象のルール数）"
    );
    let name_width = scores
        .iter()
        .map(|s| shukei::width::display_width(&s.department))
        .max()
        .unwrap_or(0);
    for s in scores {
        let pad = name_width - shukei::width::display_width(&s.department);
        let _ = writeln!(
            out,
            "  {}{} {:>2} / {:>2}  {:>5.1}%",
            s.department,
            " ".repeat(pad),
            s.met,
            s.applicable,
            s.ratio() * 100.0
        );
    }
    out
}
