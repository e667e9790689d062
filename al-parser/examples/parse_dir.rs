//! Times single-threaded parsing of every `.al` file below a folder (files read first).
//!
//! `cargo run --release -p al-parser --example parse_dir -- <folder> [rounds]`

use std::path::{Path, PathBuf};
use std::time::Instant;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("al")) {
            out.push(p);
        }
    }
}

/// CPU time (user + system) of this thread in seconds, from /proc (Linux), if available.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let rest = s.rsplit(')').next()?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ut: f64 = f.get(11)?.parse().ok()?;
    let st: f64 = f.get(12)?.parse().ok()?;
    Some((ut + st) / 100.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut files = Vec::new();
    collect(&dir, &mut files);
    let data: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let bytes: usize = data.iter().map(Vec::len).sum();
    for _ in 0..rounds {
        let t = Instant::now();
        let c0 = cpu_seconds();
        let mut errs = 0usize;
        let mut toks = 0usize;
        for d in &data {
            let p = al_parser::parse(d);
            errs += usize::from(p.has_errors());
            toks += p.token_count();
        }
        let s = t.elapsed().as_secs_f64();
        let cpu = match (c0, cpu_seconds()) {
            (Some(a), Some(b)) if b > a => {
                format!(
                    ", {:.2} s CPU = {:.1} MB/s per CPU second",
                    b - a,
                    bytes as f64 / 1e6 / (b - a)
                )
            }
            _ => String::new(),
        };
        println!(
            "{} files, {bytes} bytes, {toks} tokens, {errs} error files, {s:.3} s wall = {:.1} MB/s{cpu}",
            data.len(),
            bytes as f64 / 1e6 / s
        );
    }
}
