//! Asks the kernel to read the next input files from disk while the readers parse the
//! current ones.
//!
//! A monthly batch is usually read cold: the departments' files were just copied to a
//! shared folder, or sit on a network drive. Each reader then waits for its file's
//! blocks before it can parse, and with as many readers as cores, a core waits with it.
//! A thread of its own goes ahead of the readers instead: it opens the next files and
//! asks for their pages (`posix_fadvise(WILLNEED)`, which returns at once and lets the
//! device fetch many files side by side), so that a reader mostly finds its file in
//! memory. It stays at most [`AHEAD`] files and [`AHEAD_BYTES`] ahead of the readers,
//! so a large batch does not push the files about to be read out of the cache.
//!
//! On files already in memory (a second run over the same folder) the asking costs more
//! than it saves (open, stat, advise and close: 5 % of a warm run over 2,000 small
//! files). So the thread starts only once the readers found files slow to read
//! ([`Progress::read`]: [`COLD_READS`] reads slower than memory could explain, and at
//! least one read in [`COLD_SHARE`] so far: on a busy machine a reader held up in a
//! warm read for a few hundred µs made two such reads in one run of ten over 2,000
//! small files, and the thread then asked for 1,400 files already in memory).
//!
//! Only regular files are opened (a pipe named `.xlsx` is left to the reader, which
//! refuses it), and only on Linux; elsewhere nothing is done.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

/// The most files asked for ahead of the readers.
pub const AHEAD: usize = 32;
/// The most bytes asked for ahead of the readers (one file more when it alone is
/// larger).
pub const AHEAD_BYTES: u64 = 64 << 20;

/// Reads this much slower than a copy from memory (see [`is_cold`]) start the
/// prefetching.
pub const COLD_READS: usize = 2;

/// At least one read in this many must be slow to start the prefetching (a cold batch
/// has nearly all of them slow).
pub const COLD_SHARE: usize = 4;

/// Whether reading `bytes` in `took` means the file came from the device: longer than
/// 300 µs plus 2 GB/s (memory gives a small file in 5–15 µs and copies 5–10 GB/s;
/// a disk or a network drive gives a small file in a few hundred µs at best).
pub fn is_cold(took: std::time::Duration, bytes: u64) -> bool {
    let memory = 300e-6 + bytes as f64 / 2e9;
    took.as_secs_f64() > memory
}

/// How far the readers have got, shared with the prefetching thread.
///
/// The thread sleeps once it is far enough ahead, and is woken only when the readers
/// have caught up half of the way (woken for every file, its wake-ups took 16 % more
/// CPU time on 2,000 small files).
#[derive(Debug)]
pub struct Progress {
    /// Files the readers have started (by position in the reading order).
    started: AtomicUsize,
    /// The count of started files the sleeping thread waits for (`usize::MAX`: awake).
    wake_at: AtomicUsize,
    /// Reads done.
    reads: AtomicUsize,
    /// Reads that came from the device ([`is_cold`]).
    cold: AtomicUsize,
    /// Whether the reads were found slow (the thread may start).
    slow: AtomicBool,
    /// Whether the batch is read (nothing more is needed).
    done: Mutex<bool>,
    moved: Condvar,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            started: AtomicUsize::new(0),
            wake_at: AtomicUsize::new(usize::MAX),
            reads: AtomicUsize::new(0),
            cold: AtomicUsize::new(0),
            slow: AtomicBool::new(false),
            done: Mutex::new(false),
            moved: Condvar::new(),
        }
    }
}

impl Progress {
    /// A reader starts the file at position `k` of the reading order.
    pub fn started(&self, k: usize) {
        let started = k.saturating_add(1);
        self.started.fetch_max(started, SeqCst);
        if started >= self.wake_at.load(SeqCst) {
            let _done = self.lock();
            self.moved.notify_one();
        }
    }

    /// A reader read a file of `bytes` in `took`. The slow read that makes
    /// [`COLD_READS`] of them, and at least one in [`COLD_SHARE`] of the reads so far,
    /// wakes the prefetching thread.
    pub fn read(&self, took: std::time::Duration, bytes: u64) {
        let reads = self.reads.fetch_add(1, SeqCst).saturating_add(1);
        if !is_cold(took, bytes) {
            return;
        }
        let cold = self.cold.fetch_add(1, SeqCst).saturating_add(1);
        if cold >= COLD_READS
            && cold.saturating_mul(COLD_SHARE) >= reads
            && !self.slow.swap(true, SeqCst)
        {
            let _done = self.lock();
            self.moved.notify_one();
        }
    }

    /// Waits until reads were slow; `None` once the batch is read.
    fn wait_cold(&self) -> Option<()> {
        self.wait_for(|| self.slow.load(SeqCst))
    }

    /// Waits, under the lock that wake-ups are given with, until `ready` holds; `None`
    /// once the batch is read.
    fn wait_for(&self, ready: impl Fn() -> bool) -> Option<()> {
        let mut done = self.lock();
        loop {
            if *done {
                return None;
            }
            if ready() {
                return Some(());
            }
            done = self
                .moved
                .wait(done)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn finish(&self) {
        *self.lock() = true;
        self.moved.notify_one();
    }

    /// How many files the readers have started.
    fn now(&self) -> usize {
        self.started.load(SeqCst)
    }

    /// Waits until the readers have started `until` files; `None` once the batch is
    /// read. (The readers look at `wake_at` after counting, the thread at the count
    /// after setting `wake_at`, and a reader wakes it under the lock it waits with, so
    /// no wake-up is lost.)
    fn wait_until(&self, until: usize) -> Option<usize> {
        let waited = self.wait_for(|| {
            self.wake_at.store(until, SeqCst);
            self.now() >= until
        });
        self.wake_at.store(usize::MAX, SeqCst);
        waited.map(|()| self.now())
    }

    fn lock(&self) -> MutexGuard<'_, bool> {
        self.done.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The prefetching thread of one batch; dropping it tells the thread to stop. The
/// thread is not waited for: opening a file on a network drive that stopped answering
/// can hang, and the run must not hang with it (the readers have a deadline; the pool
/// leaves a stuck reader behind the same way).
pub struct Prefetch {
    progress: Arc<Progress>,
}

impl Prefetch {
    /// Starts going through `count` files ahead of the readers, who report to the
    /// returned [`Progress`]; `path(k)` is the file at position `k` of the reading
    /// order. Does nothing for a single file, off Linux, or when no thread can be
    /// started.
    pub fn start(
        count: usize,
        path: impl Fn(usize) -> Option<PathBuf> + Send + 'static,
    ) -> (Prefetch, Arc<Progress>) {
        let progress = Arc::new(Progress::default());
        if cfg!(target_os = "linux") && count > 1 {
            let shared = Arc::clone(&progress);
            let ask = move |k| path(k).map_or(0, |path| will_need(&path));
            // Without a thread the readers read as they did (only slower when cold).
            let _detached = std::thread::Builder::new()
                .name("shukei-prefetch".to_string())
                .spawn(move || prefetch_all(count, &shared, ask));
        }
        let prefetch = Prefetch {
            progress: Arc::clone(&progress),
        };
        (prefetch, progress)
    }
}

impl Drop for Prefetch {
    fn drop(&mut self) {
        self.progress.finish();
    }
}

/// Once reads are slow, asks for each of `count` files that no reader has started, in
/// turn (`ask(k)` returns the bytes asked for), staying within [`AHEAD`] files and
/// [`AHEAD_BYTES`] of the readers; once there, it sleeps until they have caught up half
/// of it.
fn prefetch_all(count: usize, progress: &Progress, ask: impl Fn(usize) -> u64) {
    if progress.wait_cold().is_none() {
        return;
    }
    // Files asked for and not yet started: (position, bytes).
    let mut ahead: VecDeque<(usize, u64)> = VecDeque::new();
    for k in 0..count {
        let mut started = progress.now();
        if k >= started + AHEAD {
            match progress.wait_until(k + 1 - AHEAD / 2) {
                Some(now) => started = now,
                None => return,
            }
        }
        ahead.retain(|&(i, _)| i >= started);
        let bytes: u64 = ahead.iter().map(|&(_, b)| b).sum();
        if k > started && bytes >= AHEAD_BYTES {
            // wait until what is left ahead is half the budget
            let mut left = bytes;
            let until = ahead
                .iter()
                .find(|&&(_, b)| {
                    left = left.saturating_sub(b);
                    left < AHEAD_BYTES / 2
                })
                .map_or(k, |&(i, _)| i + 1);
            match progress.wait_until(until) {
                Some(now) => started = now,
                None => return,
            }
            ahead.retain(|&(i, _)| i >= started);
        }
        if k < started {
            continue; // a reader got there first
        }
        ahead.push_back((k, ask(k)));
    }
}

/// Asks the kernel to read a regular file into its cache; returns its size (0 when it
/// is not a regular file or cannot be opened).
#[cfg(target_os = "linux")]
fn will_need(path: &std::path::Path) -> u64 {
    use std::os::unix::io::AsRawFd;
    let Ok((file, meta)) = crate::inbox::open_input(path) else {
        return 0;
    };
    if !meta.is_file() {
        return 0;
    }
    let size = meta.len();
    // SAFETY: posix_fadvise only reads its integer arguments; the descriptor is open
    // for as long as `file` lives. A failure only leaves the reading to the reader.
    unsafe {
        libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED);
    }
    size
}

#[cfg(not(target_os = "linux"))]
fn will_need(_path: &std::path::Path) -> u64 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread::JoinHandle;
    use std::time::{Duration, Instant};

    #[test]
    fn slow_reads_are_told_from_memory_copies() {
        let ms = Duration::from_millis;
        let us = Duration::from_micros;
        let cases = [
            (us(12), 6_000, false),     // a small file from memory
            (us(900), 6_000, true),     // from a disk
            (ms(40), 200 << 20, false), // 200 MB copied at 5 GB/s
            (ms(400), 200 << 20, true), // read at 500 MB/s
            (us(250), 0, false),
        ];
        for (took, bytes, cold) in cases {
            assert_eq!(is_cold(took, bytes), cold, "input: {took:?} {bytes}");
        }
    }

    /// Runs `prefetch_all` over `sizes.len()` files of those sizes on a thread, recording
    /// the positions asked for.
    fn run(sizes: Vec<u64>) -> (Arc<Progress>, Arc<Mutex<Vec<usize>>>, JoinHandle<()>) {
        let progress = Arc::new(Progress::default());
        let asked = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (progress, asked) = (Arc::clone(&progress), Arc::clone(&asked));
            std::thread::spawn(move || {
                prefetch_all(sizes.len(), &progress, |k| {
                    asked.lock().unwrap().push(k);
                    sizes[k]
                })
            })
        };
        (progress, asked, thread)
    }

    /// The positions asked for, once the thread has asked for `count` (or 5 s passed)
    /// and then had 50 ms to ask for more.
    fn asked_once(asked: &Mutex<Vec<usize>>, count: usize) -> Vec<usize> {
        let start = Instant::now();
        while asked.lock().unwrap().len() < count && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(1));
        }
        asked_by_now(asked)
    }

    /// The positions asked for after the thread had 50 ms to ask for more.
    fn asked_by_now(asked: &Mutex<Vec<usize>>) -> Vec<usize> {
        std::thread::sleep(Duration::from_millis(50));
        asked.lock().unwrap().clone()
    }

    #[test]
    fn nothing_is_asked_while_reads_come_from_memory() {
        let (progress, asked, thread) = run(vec![6_000; 100]);
        for k in 0..50 {
            progress.started(k);
            progress.read(Duration::from_micros(10), 6_000);
        }
        progress.read(Duration::from_millis(5), 6_000); // one slow read is not enough
        assert_eq!(asked_by_now(&asked), Vec::<usize>::new());
        progress.finish();
        thread.join().unwrap();
    }

    #[test]
    fn a_few_slow_reads_among_many_fast_ones_ask_for_nothing() {
        let (progress, asked, thread) = run(vec![6_000; 300]);
        let fast = || progress.read(Duration::from_micros(10), 6_000);
        let slow = || progress.read(Duration::from_millis(5), 6_000);
        for _ in 0..60 {
            fast();
        }
        // a reader held up twice on a busy machine: 2 slow reads in 62
        slow();
        slow();
        assert_eq!(asked_by_now(&asked), Vec::<usize>::new());
        // the files now come from the device: one read in four is slow at 20 of 80
        for _ in 0..17 {
            slow();
        }
        assert_eq!(asked_by_now(&asked), Vec::<usize>::new());
        slow();
        assert!(!asked_once(&asked, 1).is_empty());
        progress.finish();
        thread.join().unwrap();
    }

    #[test]
    fn after_slow_reads_the_thread_stays_a_window_ahead_of_the_readers() {
        let (progress, asked, thread) = run(vec![6_000; 200]);
        progress.started(0);
        progress.started(1);
        for _ in 0..COLD_READS {
            progress.read(Duration::from_millis(5), 6_000);
        }
        // files 2.. (0 and 1 are being read), up to AHEAD ahead of the 2 started
        let want: Vec<usize> = (2..2 + AHEAD).collect();
        assert_eq!(asked_once(&asked, AHEAD), want);
        // it sleeps until the readers have come half the way: asked up to file 33 with
        // 2 started, it goes on once 19 are (33 < 19 + AHEAD / 2), up to file 19 + AHEAD
        for k in 2..18 {
            progress.started(k);
        }
        assert_eq!(asked_by_now(&asked).len(), AHEAD);
        progress.started(18);
        let more = asked_once(&asked, 19 + AHEAD - 2);
        assert_eq!(more, (2..19 + AHEAD).collect::<Vec<_>>());
        // the batch is read: the thread ends
        progress.finish();
        thread.join().unwrap();
    }

    #[test]
    fn the_bytes_ahead_stay_within_the_budget() {
        let size = 40 << 20; // two are more than AHEAD_BYTES
        let (progress, asked, thread) = run(vec![size; 10]);
        for _ in 0..COLD_READS {
            progress.read(Duration::from_secs(1), size);
        }
        assert_eq!(asked_once(&asked, 2), vec![0, 1]);
        progress.started(0); // 40 MB left ahead: not yet half the budget
        assert_eq!(asked_by_now(&asked), vec![0, 1]);
        progress.started(1);
        assert_eq!(asked_once(&asked, 4), vec![0, 1, 2, 3]);
        progress.finish();
        thread.join().unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_pipe_is_not_waited_for_and_a_file_gives_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.xlsx");
        crate::inbox::make_fifo(&fifo);
        let start = Instant::now();
        assert_eq!(will_need(&fifo), 0);
        assert!(start.elapsed() < Duration::from_secs(5));
        let file = dir.path().join("a.xlsx");
        std::fs::write(&file, b"PK\x03\x04 eleven").unwrap();
        assert_eq!(will_need(&file), 11);
        assert_eq!(will_need(&dir.path().join("missing.xlsx")), 0);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_batch_does_not_wait_for_a_file_that_hangs() {
        // A network drive that stopped answering: opening the file never returns.
        let (unblock, blocked) = std::sync::mpsc::channel::<()>();
        let blocked = Mutex::new(blocked);
        let asked = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&asked);
        let (prefetch, progress) = Prefetch::start(10, move |k| {
            seen.lock().unwrap().push(k);
            let _ = blocked.lock().unwrap().recv();
            None
        });
        for _ in 0..COLD_READS {
            progress.read(Duration::from_secs(1), 6_000);
        }
        assert_eq!(asked_once(&asked, 1), vec![0]); // the thread is stuck on file 0
        let (dropped, done) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            drop(prefetch);
            let _ = dropped.send(());
        });
        let waited = done.recv_timeout(Duration::from_secs(5));
        drop(unblock); // the thread ends on its own
        assert!(
            waited.is_ok(),
            "dropping the prefetch waited for the stuck thread"
        );
    }
}
