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
        let mut errs = 0usize;
        let mut toks = 0usize;
        for d in &data {
            let p = al_parser::parse(d);
            errs += usize::from(p.has_errors());
            toks += p.token_count();
        }
        let s = t.elapsed().as_secs_f64();
        println!(
            "{} files, {} bytes, {} tokens, {} error files, {:.3} s, {:.1} MB/s",
            data.len(),
            bytes,
            toks,
            errs,
            s,
            bytes as f64 / 1e6 / s
        );
    }
}
