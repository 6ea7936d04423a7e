//! A few long-lived threads working through a list of jobs, each job with a deadline.
//!
//! Reading a batch needs two things rayon cannot give together: every core busy, and
//! the right to give up on one file (a parse stuck in a hostile workbook) without
//! waiting for it. So each worker takes the next job itself and runs job after job
//! with no hand-off, and the calling thread only watches: it collects results every
//! [`TICK`] (at once when the last job ends) and, when a job passes its deadline,
//! gives it a [`Failure::TimedOut`] result, leaves that worker to end with its job, and
//! starts a new worker for the jobs still waiting.
//!
//! The design this replaces handed each file to a reader thread and waited on a
//! channel with a timeout: two thread wake-ups per file, a tenth of a run over 2,000
//! small files.

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How often the calling thread collects results (for progress) while jobs run.
pub const TICK: Duration = Duration::from_millis(100);

/// Why a job has no result of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// It ran past the deadline; its worker was left to finish alone.
    TimedOut,
    /// It panicked (a bug: input data must never make shukei panic).
    Panicked,
    /// No thread could be started to run it.
    NoThread,
}

/// Runs `job(0)` … `job(count - 1)` on up to `threads` worker threads and returns the
/// results in index order. A job that does not end within `deadline`, panics, or finds
/// no thread gets `failed(index, why)` instead. `on_done` sees each result once, on
/// the calling thread, as results are collected.
///
/// A timed-out worker is not stopped (a thread cannot be): it ends when its job does,
/// or with the process, and its late result is dropped.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use shukei::pool::run;
/// let squares = run(5, 2, Duration::from_secs(60), |i| i * i, |_, _| 0, &mut |_| {});
/// assert_eq!(squares, vec![0, 1, 4, 9, 16]);
/// ```
pub fn run<T, J, F>(
    count: usize,
    threads: usize,
    deadline: Duration,
    job: J,
    mut failed: F,
    on_done: &mut dyn FnMut(&T),
) -> Vec<T>
where
    T: Send + 'static,
    J: Fn(usize) -> T + Send + Sync + 'static,
    F: FnMut(usize, Failure) -> T,
{
    let threads = threads.max(1);
    let shared = Arc::new(Shared {
        count,
        job,
        state: Mutex::new(State::default()),
        wake: Condvar::new(),
    });
    let mut results = Slots::new(count);
    let mut workers = Workers::default();
    while results.missing > 0 {
        let (finished, late, earliest) = shared.collect(deadline);
        for (i, out) in finished {
            let out = out.unwrap_or_else(|why| failed(i, why));
            results.put(i, out, on_done);
        }
        for i in late {
            results.put(i, failed(i, Failure::TimedOut), on_done);
        }
        if results.missing == 0 {
            break;
        }
        // Enough workers for the jobs still waiting (at the start, and after
        // abandoning some); with none at all, the waiting jobs cannot run.
        if workers.top_up(&shared, threads) == 0 {
            let unrun = shared.take_all();
            if unrun.is_empty() && shared.lock().finished.is_empty() {
                break; // nothing left that could still report
            }
            for i in unrun {
                results.put(i, failed(i, Failure::NoThread), on_done);
            }
            continue;
        }
        shared.wait(earliest.map_or(TICK, |started| {
            (started + deadline)
                .saturating_duration_since(Instant::now())
                .min(TICK)
        }));
    }
    results
        .slots
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|| failed(i, Failure::NoThread)))
        .collect()
}

/// The results gathered so far, by job index.
struct Slots<T> {
    slots: Vec<Option<T>>,
    missing: usize,
}

impl<T> Slots<T> {
    fn new(count: usize) -> Self {
        Slots {
            slots: std::iter::repeat_with(|| None).take(count).collect(),
            missing: count,
        }
    }

    fn put(&mut self, i: usize, out: T, on_done: &mut dyn FnMut(&T)) {
        on_done(&out);
        if let Some(slot) = self.slots.get_mut(i) {
            if slot.replace(out).is_none() {
                self.missing -= 1;
            }
        }
    }
}

struct Shared<T, J> {
    count: usize,
    job: J,
    state: Mutex<State<T>>,
    /// Signalled when every job has ended or a worker leaves.
    wake: Condvar,
}

struct State<T> {
    /// The next job to take.
    next: usize,
    /// Results not yet collected: (job index, result or why there is none).
    finished: Vec<(usize, Result<T, Failure>)>,
    /// Jobs being run: worker id → (job index, start).
    running: HashMap<u64, (usize, Instant)>,
    /// Workers given up on: they drop their result and leave.
    abandoned: HashSet<u64>,
    /// Workers that can still take jobs.
    live: usize,
}

impl<T> Default for State<T> {
    fn default() -> Self {
        State {
            next: 0,
            finished: Vec::new(),
            running: HashMap::new(),
            abandoned: HashSet::new(),
            live: 0,
        }
    }
}

impl<T> State<T> {
    fn all_ended(&self, count: usize) -> bool {
        self.next >= count && self.running.is_empty()
    }
}

impl<T, J> Shared<T, J> {
    /// The state. Every update under the lock is a single push, insert or remove, and
    /// jobs run outside it, so a poisoned lock is still consistent.
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the finished results and the jobs past their deadline (abandoning their
    /// workers); also returns the start of the oldest job still running.
    #[allow(clippy::type_complexity)]
    fn collect(
        &self,
        deadline: Duration,
    ) -> (
        Vec<(usize, Result<T, Failure>)>,
        Vec<usize>,
        Option<Instant>,
    ) {
        let mut state = self.lock();
        let finished = std::mem::take(&mut state.finished);
        let now = Instant::now();
        let late: Vec<(u64, usize)> = state
            .running
            .iter()
            .filter(|(_, (_, started))| now.duration_since(*started) >= deadline)
            .map(|(&id, &(i, _))| (id, i))
            .collect();
        for (id, _) in &late {
            state.running.remove(id);
            state.abandoned.insert(*id);
            state.live -= 1;
        }
        let earliest = state.running.values().map(|(_, started)| *started).min();
        (
            finished,
            late.into_iter().map(|(_, i)| i).collect(),
            earliest,
        )
    }

    /// Takes every job not yet started.
    fn take_all(&self) -> Vec<usize> {
        let mut state = self.lock();
        let from = state.next.min(self.count);
        state.next = self.count;
        (from..self.count).collect()
    }

    /// Sleeps until every job has ended, a worker leaves, or `timeout` passes.
    fn wait(&self, timeout: Duration) {
        let state = self.lock();
        if state.all_ended(self.count) || state.live == 0 {
            return;
        }
        drop(
            self.wake
                .wait_timeout(state, timeout)
                .unwrap_or_else(PoisonError::into_inner),
        );
    }
}

/// The calling thread's count of the workers it started.
#[derive(Default)]
struct Workers {
    next_id: u64,
}

impl Workers {
    /// Starts workers until `threads` can take the waiting jobs (fewer when fewer jobs
    /// wait, or when the system refuses threads). Returns the workers now live.
    fn top_up<T, J>(&mut self, shared: &Arc<Shared<T, J>>, threads: usize) -> usize
    where
        T: Send + 'static,
        J: Fn(usize) -> T + Send + Sync + 'static,
    {
        loop {
            let mut state = shared.lock();
            let waiting = shared.count.saturating_sub(state.next);
            if state.live >= threads.min(waiting) || waiting == 0 {
                return state.live;
            }
            let id = self.next_id;
            self.next_id += 1;
            state.live += 1;
            drop(state);
            let worker = Arc::clone(shared);
            let started = std::thread::Builder::new()
                .name("shukei-read".into())
                .spawn(move || work(&worker, id));
            if started.is_err() {
                let mut state = shared.lock();
                state.live -= 1;
                return state.live;
            }
        }
    }
}

/// A worker: takes jobs until none is left or it is given up on.
fn work<T, J>(shared: &Shared<T, J>, id: u64)
where
    J: Fn(usize) -> T,
{
    loop {
        let i = {
            let mut state = shared.lock();
            if state.next >= shared.count {
                state.live -= 1;
                shared.wake.notify_all();
                return;
            }
            let i = state.next;
            state.next += 1;
            state.running.insert(id, (i, Instant::now()));
            i
        };
        let out = catch_unwind(AssertUnwindSafe(|| (shared.job)(i))).map_err(|_| Failure::Panicked);
        let mut state = shared.lock();
        if state.abandoned.remove(&id) {
            // The calling thread has given this job its TimedOut result already.
            return;
        }
        state.running.remove(&id);
        state.finished.push((i, out));
        if state.all_ended(shared.count) {
            shared.wake.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn collect_done<T: Clone + Send + 'static>(
        count: usize,
        threads: usize,
        deadline: Duration,
        job: impl Fn(usize) -> T + Send + Sync + 'static,
        failed: impl FnMut(usize, Failure) -> T,
    ) -> (Vec<T>, Vec<T>) {
        let mut seen = Vec::new();
        let out = run(count, threads, deadline, job, failed, &mut |t: &T| {
            seen.push(t.clone())
        });
        (out, seen)
    }

    #[test]
    fn results_come_back_in_job_order_each_seen_once() {
        for (count, threads) in [(0, 2), (1, 2), (7, 1), (1000, 2), (50, 8)] {
            let (out, mut seen) = collect_done(
                count,
                threads,
                Duration::from_secs(60),
                |i| i * 2,
                |_, _| usize::MAX,
            );
            assert_eq!(out, (0..count).map(|i| i * 2).collect::<Vec<_>>());
            seen.sort_unstable();
            assert_eq!(seen, out, "{count} jobs on {threads} threads");
        }
    }

    #[test]
    fn a_stuck_job_times_out_and_the_others_finish() {
        // Job 3 blocks until the test releases it (after run returns): its worker is
        // abandoned and a new one takes the jobs after it.
        let (release, blocked) = mpsc::channel::<()>();
        let blocked = Mutex::new(blocked);
        let (out, seen) = collect_done(
            20,
            2,
            Duration::from_millis(200),
            move |i| {
                if i == 3 {
                    let _ = blocked.lock().map(|rx| rx.recv());
                }
                Ok(i)
            },
            |i, why| Err((i, why)),
        );
        drop(release);
        let expected: Vec<Result<usize, (usize, Failure)>> = (0..20)
            .map(|i| {
                if i == 3 {
                    Err((3, Failure::TimedOut))
                } else {
                    Ok(i)
                }
            })
            .collect();
        assert_eq!(out, expected);
        assert_eq!(seen.len(), 20);
    }

    #[test]
    fn every_job_of_a_stuck_pool_times_out_on_its_own_deadline() {
        // One thread, every job stuck: each gets a new worker and its own timeout.
        let (release, blocked) = mpsc::channel::<()>();
        let blocked = Mutex::new(blocked);
        let (out, _) = collect_done(
            3,
            1,
            Duration::from_millis(50),
            move |_| {
                let _ = blocked.lock().map(|rx| rx.recv());
                true
            },
            |_, why| {
                assert_eq!(why, Failure::TimedOut);
                false
            },
        );
        drop(release);
        assert_eq!(out, vec![false, false, false]);
    }

    #[test]
    fn a_panicking_job_fails_alone() {
        let (out, _) = collect_done(
            10,
            2,
            Duration::from_secs(60),
            |i| {
                assert!(i != 4, "job 4 fails on purpose");
                Ok(i)
            },
            |i, why| Err((i, why)),
        );
        assert_eq!(out[4], Err((4, Failure::Panicked)));
        assert_eq!(out.iter().filter(|r| r.is_ok()).count(), 9);
    }
}
