//! Command line: clap definitions, one file per subcommand, exit codes.
//!
//! Exit codes (SPEC.md): 0 done without errors (warnings allowed), 1 done but the data
//! has errors, 2 could not run.

mod catalogue;
mod consolidate;
mod inputs;
mod lint;
mod lock;
mod log;
mod output;
mod template;
mod validate;

use clap::{Parser, Subcommand};

/// shukei (集計) — consolidates the monthly indicator submissions of the departments
/// into one report.
///
/// Reads every department's workbook (xlsx, xlsm, xlsb, xls, ods, csv), checks each
/// value against the indicator catalogue, and writes a consolidated Excel report plus
/// CSV/JSON exports.
///
/// Exit codes: 0 = done, no errors; 1 = done, but the data has errors (see the report's
/// 検証結果 sheet or issues.csv); 2 = could not run.
#[derive(Debug, Parser)]
#[command(name = "shukei", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Commands,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Read all submissions and write the consolidated report (and exports).
    Consolidate(consolidate::Args),
    /// Check submissions and print the issues, without writing a report.
    Validate(validate::Args),
    /// Write the Excel input templates that departments fill in.
    Template(template::Args),
    /// Check, show or export the indicator catalogue.
    Catalogue(catalogue::Args),
    /// Check submissions against the national machine-readability rules (総務省 統一ルール).
    ///
    /// Prints the MR-… findings of each file — one datum per cell, numbers stored as
    /// numbers, units in number cells, merged cells, spaces or line breaks for layout,
    /// omitted headings (blank, 同上, 〃), formulas, pictures and shapes, units not
    /// stated, 機種依存文字, 和暦-only years, special symbols (***, X) in number columns,
    /// tables split by blank rows or columns, several tables on a sheet — with the cell
    /// or range and how to fix it, then each department's score: the rules met out of
    /// those that apply. The same checks run inside `consolidate` and `validate`.
    ///
    /// Exit codes: 0 = checked (whatever was found: the rules are advice, not errors);
    /// 2 = could not run (bad arguments, an input path that does not exist).
    Lint(lint::Args),
}

/// The process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// 0: done, no errors.
    Ok,
    /// 1: done, but the data has validation errors.
    DataErrors,
    /// 2: could not run.
    Fatal,
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(match code {
            ExitCode::Ok => 0,
            ExitCode::DataErrors => 1,
            ExitCode::Fatal => 2,
        })
    }
}

/// Runs a parsed command line and reports a fatal error on stderr.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Commands::Consolidate(args) => consolidate::run(args),
        Commands::Validate(args) => validate::run(args),
        Commands::Template(args) => template::run(args),
        Commands::Catalogue(args) => catalogue::run(args),
        Commands::Lint(args) => lint::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("shukei: エラー: {e}");
            ExitCode::Fatal
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
