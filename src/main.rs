//! The `shukei` binary: parses the command line and runs a subcommand.
//! All the work is in the library; see `src/cli/` for each subcommand.

mod cli;

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    no_huge_pages();
    let args = cli::Cli::parse();
    cli::run(args).into()
}

/// Turns transparent huge pages off for this process (Linux). A batch run allocates
/// and frees sheet-sized blocks file after file; with huge pages each first touch
/// makes the kernel zero 2 MiB at once, which on a small VM took a fifth of a large
/// run and made its time vary by a second from run to run (measured with
/// tools/bench.sh: 20 × 50,000 rows 2.3–2.7 s → 2.2 s steady, peak memory of 2,000
/// small files 109 → 63 MiB). The allocator's own switch (`MIMALLOC_ALLOW_THP=0`)
/// is read before `main`, so the process flag is set here instead; it applies to the
/// memory mapped already as well.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and only sets a flag
    // of this process; a failure (an old kernel) leaves things as they were.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
