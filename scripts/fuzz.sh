#!/usr/bin/env bash
# Fuzzing with cargo-fuzz (libFuzzer) on the stable toolchain.
#
#   scripts/fuzz.sh setup                 install cargo-fuzz (from crates.io) if it is missing
#   scripts/fuzz.sh list                  list the targets
#   scripts/fuzz.sh run TARGET [RUNS]     fuzz one target (default 10,000,000 executions)
#   scripts/fuzz.sh all [RUNS]            fuzz every target in turn
#
# cargo-fuzz needs nightly-only rustc flags (-Zsanitizer=address); RUSTC_BOOTSTRAP=1 lets the
# stable toolchain accept them, so no second toolchain has to be downloaded.
# SANITIZER=none (default: address) builds without AddressSanitizer: two to three times more
# executions a second, and nothing lost for targets whose code is all safe Rust (the crates
# forbid `unsafe`; only the package readers call C, libdeflate, so keep ASan for those). Seeds come from
# fuzz/seeds/TARGET (written by this project); new corpus entries go to fuzz/corpus/TARGET
# (git-ignored); crashes land in fuzz/artifacts/TARGET and belong, once fixed, in
# fuzz/regressions/TARGET, which the normal test suite replays.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTC_BOOTSTRAP=1

setup() {
  if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
  fi
  cargo fuzz --version
}

# Package seeds (.app, .zip) are binary, so they are not committed: they are written from the
# project's own synthetic fixtures (runtime_pack::fixtures) by an ignored test.
seeds() {
  ALKIT_WRITE_SEEDS="$PWD/fuzz/seeds" RUSTC_BOOTSTRAP= cargo test -q -p runtime-pack \
    --test real_packages write_fuzz_seeds -- --ignored >/dev/null
}

run_one() {
  local target=$1 runs=${2:-10000000}
  mkdir -p "fuzz/corpus/$target" "fuzz/seeds/$target"
  # -rss_limit_mb and -timeout turn memory blow-ups and hangs into reported failures.
  cargo fuzz run -s "${SANITIZER:-address}" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -runs="$runs" -rss_limit_mb=2048 -timeout=10 -max_len=1048576 -print_final_stats=1
}

case "${1:-}" in
  setup) setup ;;
  list) setup >/dev/null; cargo fuzz list ;;
  run) setup >/dev/null; seeds; run_one "${2:?target}" "${3:-}" ;;
  all)
    setup >/dev/null
    seeds
    for t in $(cargo fuzz list); do run_one "$t" "${2:-}"; done ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
