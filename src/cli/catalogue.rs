//! `shukei catalogue check | show | export -o FILE`.

use std::path::PathBuf;

use shukei::catalogue::Catalogue;
use shukei::error::Error;

use super::output::{save_workbook, write_atomic};
use super::ExitCode;

/// Check, show or export the indicator catalogue.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
    /// The catalogue to use (toml or xlsx). Default: the built-in one.
    #[arg(long, global = true, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
}

/// What to do with the catalogue.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Check the catalogue: unique IDs, known units and trends, baselines, departments.
    Check,
    /// Print the indicators as a table.
    Show,
    /// Write the catalogue as csv, toml, or an Excel workbook (xlsx) that can be edited
    /// and read back with --catalogue.
    Export {
        /// The file to write; its extension (.csv, .toml, .xlsx) chooses the format.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
}

/// Runs `catalogue`.
pub fn run(args: Args) -> Result<ExitCode, Error> {
    let catalogue = match &args.catalogue {
        Some(path) => Catalogue::read(path)?,
        None => Catalogue::builtin(),
    };
    match args.action {
        Action::Check => check(&catalogue, args.catalogue.as_ref()),
        Action::Show => {
            print!("{}", catalogue.show_table());
            Ok(ExitCode::Ok)
        }
        Action::Export { output } => export(&catalogue, &output),
    }
}

fn check(catalogue: &Catalogue, path: Option<&PathBuf>) -> Result<ExitCode, Error> {
    let name = path.map_or("組み込みカタログ".to_string(), |p| {
        p.display().to_string()
    });
    let problems = catalogue.check();
    if problems.is_empty() {
        println!(
            "{name}: 問題はありません（指標 {} 件、基本施策 {} 件、取組項目 {} 件、担当課 {} 件）",
            catalogue.indicators.len(),
            catalogue.policies.len(),
            catalogue.action_items.len(),
            catalogue.departments.len()
        );
        return Ok(ExitCode::Ok);
    }
    for p in &problems {
        println!("{name}: {p}");
    }
    Err(Error::Catalogue {
        path: path.cloned().unwrap_or_default(),
        message: format!("{} 件の問題があります", problems.len()),
    })
}

fn export(catalogue: &Catalogue, output: &std::path::Path) -> Result<ExitCode, Error> {
    match shukei::ingest::guard::extension(&output.to_string_lossy()).as_str() {
        "csv" => {
            let mut bytes = b"\xEF\xBB\xBF".to_vec();
            bytes.extend_from_slice(catalogue.to_csv().as_bytes());
            write_atomic(output, &bytes)?;
        }
        "toml" => write_atomic(output, catalogue.to_toml().as_bytes())?,
        "xlsx" => {
            let mut workbook = catalogue.try_build_xlsx().map_err(|source| Error::Xlsx {
                path: output.to_path_buf(),
                source,
            })?;
            save_workbook(&mut workbook, output)?;
        }
        other => {
            return Err(Error::Usage(format!(
                "出力ファイルの拡張子 .{other} には対応していません（.csv / .toml / .xlsx）"
            )))
        }
    }
    eprintln!("shukei: wrote {}", output.display());
    Ok(ExitCode::Ok)
}
