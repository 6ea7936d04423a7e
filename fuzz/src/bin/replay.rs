//! A stable-toolchain runner for the fuzz targets, for machines without cargo-fuzz.
//!
//! ```text
//! cargo run --release --bin replay -- TARGET PATH...                 # run each file once
//! cargo run --release --bin replay -- TARGET --mutate N [--seed S] [--seconds T] PATH...
//! ```
//!
//! With `--mutate`, the files (folders are read one level deep) are seeds: each of N
//! iterations takes one, applies a few random byte-level mutations (flips, interesting
//! values, inserts, deletions, duplications, splices with another seed, tokens from a
//! small dictionary) and runs the target. There is no coverage feedback, so this finds
//! far less than libFuzzer; it is deterministic for a given seed. A panic is saved to
//! `artifacts/TARGET/crash-HASH`; since an allocation failure aborts the process, the
//! input being run is always in `artifacts/TARGET/current` first.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const TOKENS: &[&[u8]] = &[
    b"\xe4\xbb\xa4\xe5\x92\x8c", // 令和
    b"\xe5\xb9\xb4\xe5\xba\xa6", // 年度
    b"\xe6\x9c\x88",             // 月
    b"\xe4\xb8\x87",             // 万
    b"\xe5\x8d\x83\xe5\x86\x86", // 千円
    b"\xe5\x86\x86",             // 円
    b"\xef\xbc\x85",             // ％
    b"\xe2\x96\xb3",             // △
    b"\xe2\x91\xa0",             // ①
    b"FY",
    b"R6.",
    b"99999999999999999999999999999999",
    b",000",
    b"<c r=\"XFD1048576\">",
    b"<row r=\"1048576\">",
    b"count=\"4294967295\"",
    b"table:number-columns-repeated=\"16384\"",
    b"table:number-rows-repeated=\"1048576\"",
    b"\"\n",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
];

const INTERESTING: &[u8] = &[
    0, 1, 0x7f, 0x80, 0xff, b'0', b'9', b',', b'.', b'"', b'<', b'>',
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, seeds: &[Vec<u8>], max_len: usize) {
    for _ in 0..=rng.below(4) {
        let len = input.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                input[i] = INTERESTING[rng.below(INTERESTING.len())];
            }
            2 => {
                let i = rng.below(len + 1);
                let n = 1 + rng.below(8);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                input.splice(i..i, bytes);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                input.drain(i..i + n);
            }
            4 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(256));
                let copy = input[i..i + n].to_vec();
                let at = rng.below(len + 1);
                input.splice(at..at, copy);
            }
            5 if !seeds.is_empty() => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let i = rng.below(other.len());
                    let n = 1 + rng.below((other.len() - i).min(256));
                    let at = rng.below(len + 1);
                    input.splice(at..at, other[i..i + n].iter().copied());
                }
            }
            6 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(len + 1);
                input.splice(at..at, token.iter().copied());
            }
            7 if len > 0 => {
                // Overwrite a run of ASCII digits with a large number.
                let i = rng.below(len);
                let n = (len - i).min(10);
                let digits = format!("{}", rng.next());
                for (k, b) in digits.bytes().take(n).enumerate() {
                    input[i + k] = b;
                }
            }
            _ => {}
        }
    }
    input.truncate(max_len);
}

fn files(paths: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            entries.retain(|e| e.is_file());
            entries.sort();
            out.extend(entries);
        } else {
            out.push(path.to_path_buf());
        }
    }
    out
}

fn hash(data: &[u8]) -> String {
    let mut h = DefaultHasher::new();
    data.hash(&mut h);
    format!("{:016x}", h.finish())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(target) = args.first().cloned() else {
        eprintln!(
            "usage: replay TARGET [--mutate N] [--seed S] [--seconds T] [--max-len L] PATH..."
        );
        std::process::exit(2);
    };
    if !shukei_fuzz::TARGETS.contains(&target.as_str()) {
        eprintln!("unknown target {target}; one of {:?}", shukei_fuzz::TARGETS);
        std::process::exit(2);
    }
    let (mut iterations, mut seed, mut seconds, mut max_len) = (0usize, 1u64, u64::MAX, 1 << 20);
    let mut paths = Vec::new();
    let mut it = args.into_iter().skip(1);
    while let Some(a) = it.next() {
        let mut num = || it.next().and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        match a.as_str() {
            "--mutate" => iterations = num() as usize,
            "--seed" => seed = num().max(1),
            "--seconds" => seconds = num(),
            "--max-len" => max_len = num() as usize,
            _ => paths.push(a),
        }
    }
    let seeds: Vec<Vec<u8>> = files(&paths)
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    let artifacts = PathBuf::from("artifacts").join(&target);
    let _ = std::fs::create_dir_all(&artifacts);
    let current = artifacts.join("current");
    shukei_fuzz::quiet_panics();
    let (mut crashes, mut slow, mut runs) = (0usize, 0usize, 0usize);
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds.min(1 << 32));
    let mut run = |data: &[u8], label: &str| {
        let _ = std::fs::write(&current, data);
        let t = Instant::now();
        let result = std::panic::catch_unwind(|| shukei_fuzz::run_target(&target, data));
        runs += 1;
        if result.is_err() {
            crashes += 1;
            let path = artifacts.join(format!("crash-{}", hash(data)));
            let _ = std::fs::write(&path, data);
            eprintln!("CRASH ({label}): saved {}", path.display());
        }
        let took = t.elapsed();
        if took > Duration::from_secs(1) {
            slow += 1;
            let path = artifacts.join(format!("slow-{}", hash(data)));
            let _ = std::fs::write(&path, data);
            eprintln!(
                "SLOW {:.1}s ({label}): saved {}",
                took.as_secs_f64(),
                path.display()
            );
        }
    };
    if iterations == 0 {
        for (i, s) in seeds.iter().enumerate() {
            run(s, &format!("input {i}"));
        }
    } else {
        let mut rng = Rng(seed);
        let empty = vec![Vec::new()];
        let pool = if seeds.is_empty() { &empty } else { &seeds };
        for i in 0..iterations {
            if Instant::now() > deadline {
                break;
            }
            let mut input = pool[rng.below(pool.len())].clone();
            mutate(&mut rng, &mut input, pool, max_len);
            run(&input, &format!("iteration {i}"));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{target}: {runs} runs in {secs:.1}s ({:.0}/s), {crashes} crashes, {slow} slow",
        runs as f64 / secs.max(1e-9)
    );
    let _ = std::fs::remove_file(&current);
    if crashes > 0 {
        std::process::exit(1);
    }
}
