#!/usr/bin/env bash
# Replay + diff of the crates.io corpus and of generated sets of 1,000 and
# 10,000 migrations, optimised and unoptimised (build scripts run their
# dependencies unoptimised unless told otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="${1:-$(pwd)/../shared/corpora}"
cargo run -q --release -p migrate-build --example bench_engine -- "$corpora"
cargo run -q -p migrate-build --example bench_engine -- "$corpora"
