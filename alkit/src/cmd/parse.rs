//! `alkit parse`: parse AL files and folders in parallel, report syntax errors and
//! round-trip failures, optionally with throughput statistics.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use al_parser::Defines;
use clap::Args;
use rayon::prelude::*;

use crate::output::{ERRORS_PER_FILE, more_errors};

/// Arguments of `alkit parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Also print threads, seconds and MB/s (files, bytes, error and round-trip counts are always printed).
    #[arg(long)]
    pub stats: bool,
    /// Define a preprocessor symbol (repeatable), e.g. `--define CLEAN24`.
    #[arg(long = "define", value_name = "SYM")]
    pub defines: Vec<String>,
    /// Define every `CLEAN*` symbol that occurs in each file's `#if` conditions.
    #[arg(long)]
    pub all_clean: bool,
    /// Parse each file once per symbol configuration of `al_parser::branch_configurations`
    /// (so every `#if`/`#else` branch is parsed at least once); errors name the configuration.
    #[arg(long, conflicts_with = "all_clean")]
    pub all_branches: bool,
    /// Files or folders (folders are searched for `*.al`, any case, skipping the folders
    /// every command skips; nested projects included).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

struct Outcome {
    path: PathBuf,
    bytes: usize,
    /// The first errors (at most [`ERRORS_PER_FILE`] per configuration).
    errors: Vec<(u32, u32, String)>,
    /// How many errors there are.
    error_count: usize,
    round_trip_ok: bool,
    read_error: Option<String>,
}

/// Parses `bytes` once per configuration of `branch_configurations` (plus `base`).
fn check_all_branches(path: &Path, bytes: &[u8], base: &Defines) -> Outcome {
    let mut errors = Vec::new();
    let mut error_count = 0;
    let mut round_trip_ok = true;
    for config in al_parser::branch_configurations(bytes) {
        let mut d = base.clone();
        for s in config.iter() {
            d.insert(s);
        }
        let c = al_parser::check_file_limited(bytes, &d, ERRORS_PER_FILE);
        round_trip_ok &= c.round_trip_ok;
        error_count += c.error_count;
        let label: Vec<&str> = d.iter().collect();
        let label = if label.is_empty() {
            "none".to_string()
        } else {
            label.join(",")
        };
        errors.extend(
            c.errors
                .into_iter()
                .map(|(l, col, m)| (l, col, format!("{m} [defined: {label}]"))),
        );
    }
    Outcome {
        path: path.to_path_buf(),
        bytes: bytes.len(),
        errors,
        error_count,
        round_trip_ok,
        read_error: None,
    }
}

/// Runs `alkit parse`.
pub fn run(args: ParseArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    for p in &args.paths {
        if !p.exists() {
            return Err(format!("no such file or folder: {}", p.display()).into());
        }
        if p.is_dir() {
            files.extend(crate::project::al_files_below(p)?);
        } else {
            files.push(p.clone());
        }
    }
    let base = Defines::from_symbols(args.defines.iter().cloned());
    let t0 = Instant::now();
    // A corpus run: one step a file, drawn only on a terminal (and never with --quiet).
    let bar = crate::progress::bar(files.len() as u64, false);
    bar.set_message("parsing");
    let outcomes: Vec<Outcome> = files
        .par_iter()
        .inspect(|_| bar.inc(1))
        .map(|path| match std::fs::read(path) {
            Ok(bytes) => {
                let defines = if args.all_clean {
                    let mut d = base.clone();
                    for s in al_parser::condition_symbols(&al_parser::decode(&bytes).0) {
                        if s.starts_with("CLEAN") {
                            d.insert(s);
                        }
                    }
                    d
                } else {
                    base.clone()
                };
                if args.all_branches {
                    return check_all_branches(path, &bytes, &base);
                }
                let c = al_parser::check_file_limited(&bytes, &defines, ERRORS_PER_FILE);
                Outcome {
                    path: path.clone(),
                    bytes: c.bytes,
                    errors: c.errors,
                    error_count: c.error_count,
                    round_trip_ok: c.round_trip_ok,
                    read_error: None,
                }
            }
            Err(e) => Outcome {
                path: path.clone(),
                bytes: 0,
                errors: Vec::new(),
                error_count: 0,
                round_trip_ok: true,
                read_error: Some(e.to_string()),
            },
        })
        .collect();
    bar.finish_and_clear();
    let secs = t0.elapsed().as_secs_f64();

    let mut error_files = 0usize;
    let mut rt_fail = 0usize;
    let mut read_fail = 0usize;
    let mut total = 0usize;
    for o in &outcomes {
        total += o.bytes;
        if let Some(e) = &o.read_error {
            read_fail += 1;
            errln!("{}: cannot read: {e}", o.path.display());
            continue;
        }
        if o.error_count > 0 {
            error_files += 1;
            let shown = o.errors.len().min(ERRORS_PER_FILE);
            for (l, c, m) in &o.errors[..shown] {
                outln!("{}:{l}:{c}: {m}", o.path.display());
            }
            if let Some(more) = more_errors(&o.path.display().to_string(), o.error_count) {
                outln!("{more}");
            }
        }
        if !o.round_trip_ok {
            rt_fail += 1;
            outln!("{}: round-trip difference", o.path.display());
        }
    }
    outln!("files: {}", outcomes.len());
    outln!("bytes: {total}");
    outln!("files with errors: {error_files}");
    outln!("round-trip failures: {rt_fail}");
    if read_fail > 0 {
        outln!("unreadable files: {read_fail}");
    }
    if args.stats {
        let mb = total as f64 / 1e6;
        outln!("threads: {}", rayon::current_num_threads());
        outln!("seconds: {secs:.3}");
        outln!("MB/s: {:.1}", if secs > 0.0 { mb / secs } else { 0.0 });
    }
    Ok(if error_files == 0 && rt_fail == 0 && read_fail == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
