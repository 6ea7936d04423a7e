//! The `shukei` binary: parses the command line and runs a subcommand.
//! All the work is in the library; see `src/cli/` for each subcommand.

mod cli;

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    no_huge_pages();
    return_memory_sooner();
    let args = cli::Cli::parse();
    cli::run(args).into()
}

/// mimalloc's `purge_delay` option (`mi_option_purge_delay` in mimalloc.h, between
/// `eager_commit_delay` = 14 and `use_numa_nodes` = 16 of the Rust bindings).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Gives freed memory back to the system 1 ms after it is freed instead of mimalloc's
/// 1,000 ms (v3's default), unless the operator set `MIMALLOC_PURGE_DELAY`. Reading
/// file after file frees each file's buffers within milliseconds; held for a second,
/// they were the largest part of the peak memory growing with the number of files
/// (alternated runs: 2,000 small files 36 → 29 MiB, 8,000 84–88 → 61–64 MiB at the
/// same speed; the 20 × 50,000-row corpus 149–156 → 137–142 MiB and 2–3 % slower,
/// its sheets' buffers coming back from the system for each file; 10 ms kept more
/// and was not faster). Set here, before any other thread exists: the allocator's
/// options are not synchronised.
fn return_memory_sooner() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: one plain store into mimalloc's option table, made while this is the
        // only thread.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1) };
    }
}

/// Turns transparent huge pages off for this process (Linux). A batch run allocates
/// and frees sheet-sized blocks file after file; with huge pages each first touch
/// makes the kernel zero 2 MiB at once, which on a small VM took a fifth of a large
/// run and made its time vary by a second from run to run (measured with
/// tools/bench.sh: 20 × 50,000 rows 2.3–2.7 s → 2.2 s steady, peak memory of 2,000
/// small files 109 → 63 MiB). The allocator's own switch (`MIMALLOC_ALLOW_THP=0`)
/// is read before `main`, so the process flag is set here instead; it applies to the
/// memory mapped already as well. Before `main`, mimalloc does not ask for huge pages
/// (libmimalloc-sys's `no_thp` feature, see Cargo.toml), so a system that gives them
/// only on request gives none.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and only sets a flag
    // of this process; a failure (an old kernel) leaves things as they were.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_option_set_is_the_purge_delay() {
        // purge_delay's default is 1,000 (ms) in mimalloc v3's options.c; no other
        // option has that default. Nothing sets options in tests.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: a plain read of mimalloc's option table.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
