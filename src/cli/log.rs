//! Logs and progress on stderr: one line per file (text or JSON for job logs), and a
//! progress bar only when stderr is a terminal and `--quiet` is not given.

use std::io::IsTerminal;
use std::sync::{Mutex, OnceLock};

use indicatif::{ProgressBar, ProgressStyle};
use shukei::config::LogFormat;
use shukei::ingest::Submission;

/// Where log lines go.
pub struct Logger {
    format: LogFormat,
    quiet: bool,
    bar: OnceLock<ProgressBar>,
    lock: Mutex<()>,
}

impl shukei::pipeline::Observer for Logger {
    fn started(&self, total: usize) {
        self.start(total as u64);
    }

    fn file_done(&self, sub: &Submission) {
        self.file(sub);
    }
}

impl Logger {
    /// A logger; the progress bar is started by [`Logger::start`].
    pub fn new(format: LogFormat, quiet: bool) -> Self {
        Logger {
            format,
            quiet,
            bar: OnceLock::new(),
            lock: Mutex::new(()),
        }
    }

    /// Starts a progress bar over `total` files (terminal only, not quiet, text logs).
    pub fn start(&self, total: u64) {
        if self.quiet || self.format == LogFormat::Json || !std::io::stderr().is_terminal() {
            return;
        }
        let bar = ProgressBar::new(total);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} ファイル {elapsed_precise} {msg}")
        {
            bar.set_style(style);
        }
        let _ = self.bar.set(bar);
    }

    /// Ends the progress bar.
    pub fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }

    /// One line per file read.
    pub fn file(&self, sub: &Submission) {
        if let Some(bar) = self.bar.get() {
            bar.inc(1);
        }
        let state = if sub.failed { "failed" } else { "read" };
        let line = match self.format {
            LogFormat::Json => serde_json::json!({
                "level": if sub.failed { "warn" } else { "info" },
                "event": "file",
                "status": state,
                "file": &*sub.file,
                "department": sub.department,
                "values": sub.values.len(),
                "issues": sub.findings.len(),
            })
            .to_string(),
            LogFormat::Text => format!(
                "shukei: {state}: {} ({} values, {} issues)",
                sub.file,
                sub.values.len(),
                sub.findings.len()
            ),
        };
        self.line(&line);
    }

    /// A free-form event (`event` names it in JSON logs).
    pub fn event(&self, event: &str, message: &str) {
        let line = match self.format {
            LogFormat::Json => {
                serde_json::json!({ "level": "info", "event": event, "message": message })
                    .to_string()
            }
            LogFormat::Text => format!("shukei: {message}"),
        };
        self.line(&line);
    }

    fn line(&self, line: &str) {
        if self.quiet {
            return;
        }
        let _guard = self.lock.lock();
        match self.bar.get() {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }
}
