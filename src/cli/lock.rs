//! A lock file beside the report, so that two runs never write the same outputs at
//! once: the second one exits 2 saying so. A lock left by a run that died (its process
//! is gone) is taken over.

use std::io::Write;
use std::path::{Path, PathBuf};

use shukei::error::Error;

/// Held while outputs are written; removes the lock file when dropped.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
}

impl OutputLock {
    /// Takes the lock for a report path (`REPORT.xlsx.lock`).
    pub fn acquire(report: &Path) -> Result<OutputLock, Error> {
        let mut name = report
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        name.push(".lock");
        let path = report.with_file_name(name);
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    let _ = writeln!(file, "pid={}", std::process::id());
                    return Ok(OutputLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    if holder_alive(&holder) {
                        return Err(Error::Locked {
                            path,
                            holder: holder.trim().to_string(),
                        });
                    }
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        Err(Error::Locked {
            path,
            holder: String::new(),
        })
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether the process named in a lock file still runs. Where that cannot be known
/// (no /proc), the lock is assumed held.
fn holder_alive(holder: &str) -> bool {
    let pid = holder
        .trim()
        .strip_prefix("pid=")
        .and_then(|p| p.trim().parse::<u32>().ok());
    match pid {
        Some(pid) if Path::new("/proc/self").exists() => {
            Path::new(&format!("/proc/{pid}")).exists()
        }
        _ => true,
    }
}
