//! The settings file (`shukei.toml`, `--config`) for scheduled runs: inbox folders,
//! catalogue, output paths with the period, limits and thresholds. Command-line flags
//! override it. Unknown keys and bad values are errors that name the key.
//!
//! ```toml
//! inbox = ["/srv/shukei/inbox"]
//! catalogue = "/srv/shukei/catalogue.toml"   # optional; default: built in
//! report = "reports/{period}/集計結果_{period}.xlsx"
//! export_dir = "reports/{period}/exports"
//! feedback_dir = "reports/{period}/差し戻し"
//! period = "2024-11"                          # optional; default: the latest found
//! log_format = "json"                          # text | json
//!
//! [limits]
//! max_file_mb = 200
//! max_decompressed_mb = 1024
//! max_cells = 20000000
//! max_seconds_per_file = 60
//!
//! [thresholds]
//! jump_factor = 3.0
//! plan_years = [2024, 2026]
//! ```
//!
//! In paths, `{period}` becomes the machine code (`2024-11`, `FY2024`) and
//! `{period_ja}` the Japanese label (`令和6年11月`).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;
use crate::ingest::Limits;
use crate::model::Period;
use crate::validate::Settings;

/// The settings file as written.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub inbox: Vec<PathBuf>,
    pub catalogue: Option<PathBuf>,
    pub report: Option<String>,
    pub export_dir: Option<String>,
    pub feedback_dir: Option<String>,
    pub period: Option<String>,
    pub log_format: Option<LogFormat>,
    #[serde(default)]
    pub limits: LimitsConfig,
    #[serde(default)]
    pub thresholds: Thresholds,
}

/// How log lines on stderr look.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// `[limits]`: safety limits for untrusted files.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    pub max_file_mb: Option<u64>,
    pub max_decompressed_mb: Option<u64>,
    pub max_cells: Option<u64>,
    pub max_seconds_per_file: Option<u64>,
}

/// `[thresholds]`: validation thresholds.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub jump_factor: Option<f64>,
    pub plan_years: Option<[u16; 2]>,
}

impl Config {
    /// Reads and checks a settings file.
    ///
    /// # Errors
    /// [`Error::Config`] naming the file, the key and the reason.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Config::parse(&text).map_err(|message| Error::Config {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Parses and checks settings text; the error names the key.
    ///
    /// ```
    /// let err = shukei::config::Config::parse("[limits]\nmax_cells = -1\n").unwrap_err();
    /// assert!(err.contains("max_cells"), "{err}");
    /// ```
    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), String> {
        if let Some(f) = self.thresholds.jump_factor {
            if !(f.is_finite() && f > 1.0) {
                return Err(format!(
                    "thresholds.jump_factor: 1 より大きい数にしてください（{f}）"
                ));
            }
        }
        if let Some([a, b]) = self.thresholds.plan_years {
            if !(1989..=2100).contains(&a) || a > b || b > 2100 {
                return Err(format!("thresholds.plan_years: [開始年度, 終了年度] を西暦で指定してください（{a}, {b}）"));
            }
        }
        let limits = [
            ("limits.max_file_mb", self.limits.max_file_mb),
            (
                "limits.max_decompressed_mb",
                self.limits.max_decompressed_mb,
            ),
            ("limits.max_cells", self.limits.max_cells),
            (
                "limits.max_seconds_per_file",
                self.limits.max_seconds_per_file,
            ),
        ];
        for (key, value) in limits {
            if value == Some(0) {
                return Err(format!("{key}: 0 より大きい数にしてください"));
            }
        }
        if let Some(p) = &self.period {
            crate::normalize::era::parse_period_arg(p).map_err(|e| format!("period: {e}"))?;
        }
        Ok(())
    }
}

impl LogFormat {
    /// Parses `text` or `json` (the `--log-format` flag).
    pub fn parse(s: &str) -> Option<LogFormat> {
        match s {
            "text" => Some(LogFormat::Text),
            "json" => Some(LogFormat::Json),
            _ => None,
        }
    }
}

impl Config {
    /// The limits, defaults where not set.
    pub fn limits(&self) -> Limits {
        let d = Limits::default();
        let mb =
            |v: Option<u64>, default: u64| v.map_or(default, |m| m.saturating_mul(1024 * 1024));
        Limits {
            max_file_bytes: mb(self.limits.max_file_mb, d.max_file_bytes),
            max_decompressed_bytes: mb(self.limits.max_decompressed_mb, d.max_decompressed_bytes),
            max_cells: self.limits.max_cells.unwrap_or(d.max_cells),
            max_seconds: self.limits.max_seconds_per_file.unwrap_or(d.max_seconds),
            ..d
        }
    }

    /// The validation settings, defaults where not set.
    pub fn settings(&self) -> Settings {
        let d = Settings::default();
        Settings {
            plan_years: self
                .thresholds
                .plan_years
                .map_or(d.plan_years, |[a, b]| (a, b)),
            jump_factor: self.thresholds.jump_factor.unwrap_or(d.jump_factor),
        }
    }
}

/// Replaces `{period}` and `{period_ja}` in a path pattern.
///
/// ```
/// use shukei::model::{Month, Period};
/// let p = Period::Month(Month { year: 2024, month: 11 });
/// assert_eq!(shukei::config::expand("r/{period}/集計_{period_ja}.xlsx", Some(p)), "r/2024-11/集計_令和6年11月.xlsx");
/// ```
pub fn expand(pattern: &str, period: Option<Period>) -> String {
    let (code, ja) = period.map_or(
        ("期間不明".to_string(), "期間不明".to_string()),
        |p| (p.code(), p.label_ja()),
    );
    pattern
        .replace("{period_ja}", &ja)
        .replace("{period}", &code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_config_parses() {
        let c = Config::parse(
            "inbox = [\"in\"]\nreport = \"r/{period}.xlsx\"\nlog_format = \"json\"\n[limits]\nmax_cells = 1000\nmax_seconds_per_file = 5\n[thresholds]\njump_factor = 4.0\nplan_years = [2024, 2026]\n",
        )
        .unwrap();
        assert_eq!(c.inbox, [PathBuf::from("in")]);
        assert_eq!(c.log_format, Some(LogFormat::Json));
        assert_eq!(c.limits().max_cells, 1000);
        assert_eq!(c.limits().max_seconds, 5);
        assert_eq!(c.settings().jump_factor, 4.0);
    }

    #[test]
    fn bad_configs_name_the_key() {
        let cases = [
            ("inbx = []", "inbx"),
            ("[limits]\nmax_cells = \"many\"", "max_cells"),
            ("[limits]\nmax_file_mb = 0", "limits.max_file_mb"),
            ("[thresholds]\njump_factor = 0.5", "thresholds.jump_factor"),
            (
                "[thresholds]\nplan_years = [2026, 2024]",
                "thresholds.plan_years",
            ),
            ("period = \"令和X年\"", "period"),
            ("log_format = \"xml\"", "log_format"),
        ];
        for (text, key) in cases {
            let err = Config::parse(text).unwrap_err();
            assert!(err.contains(key), "input: {text:?} → {err}");
        }
    }
}
