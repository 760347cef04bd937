#!/usr/bin/env bash
# Measures the build gate:
#  1. the check's own time (`Check::run`) on the crates-io corpus and on generated
#     sets of 1,000 and 10,000 migrations, in the dev profile (what a build script
#     gets by default: build-override is opt-level 0), in the dev profile with
#     the opt-level overrides the README recommends, and in the release profile;
#  2. the cold compile time and crate count of migrate-build as a build-dependency,
#     next to sqlx-macros with only its `migrate` feature, measured the same way in
#     the same run (`cargo build --timings` on a scratch package, sources fetched first).
# Usage: scripts/bench-gate.sh [check|compile]   (both by default)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
CORPUS=${CORPUS:-$REPO/../shared/corpora/crates-io/migrations}
OUT=$REPO/target/bench-gate
mkdir -p "$OUT"
what=${1:-all}

# The override recommended in README.md (## The build gate).
OPT=(--config 'profile.dev.package.migrate-build.opt-level=1')
# Faster still, but sqlparser takes minutes to compile optimised.
OPT_FULL=("${OPT[@]}" --config 'profile.dev.package.sqlparser.opt-level=3')

check_times() { # label, cargo flags...
  local label=$1; shift
  local profile=debug
  [[ " $* " == *" --release "* ]] && profile=release
  cargo build -q -p migrate-build --example bench_gate "$@"
  local bin=$REPO/target/$profile/examples/bench_gate
  echo "== check time, $label"
  if [ -d "$CORPUS" ]; then "$bin" corpus "$CORPUS" 20 2>&1; else echo "(no corpus at $CORPUS)"; fi
  "$bin" generated 1000 10
  "$bin" generated 10000 3
  if [ -n "$DUMP" ]; then "$bin" dump "$DUMP" 10; fi
}

# A real application's schema as pg_dump prints it: the crates-io corpus
# applied by psql to a scratch database, then dumped. Needs a PostgreSQL
# server (MIGRATE_TEST_PG_URL); skipped without one.
DUMP=""
make_dump() {
  local url=${MIGRATE_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
  local db=bench_gate_dump_$$
  psql "$url" -Atqc 'select 1' >/dev/null 2>&1 && [ -d "$CORPUS" ] || return 0
  psql "$url" -qc "CREATE DATABASE $db" >/dev/null
  local dburl=${url%/*}/$db
  # diesel's order: the version with its dashes removed.
  local up name key
  while IFS= read -r -d '' up; do
    name=$(basename "$(dirname "$up")"); key=${name%%_*}
    printf '%s\t%s\0' "${key//-/}" "$up"
  done < <(find "$CORPUS" -mindepth 2 -maxdepth 2 -name up.sql -print0) |
    sort -z | while IFS=$'\t' read -r -d '' key up; do
      # metadata.toml says run_in_transaction = false (CONCURRENTLY).
      local single=-1; [ -f "$(dirname "$up")/metadata.toml" ] && single=
      psql "$dburl" -q -v ON_ERROR_STOP=1 $single -f "$up" >/dev/null 2>&1 || { echo "(dump: $up failed)"; break; }
    done
  pg_dump --schema-only "$dburl" > "$OUT/crates-io.dump.sql"
  psql "$url" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
  DUMP=$OUT/crates-io.dump.sql
  echo "== dump: crates-io as pg_dump prints it, $(wc -c < "$DUMP") bytes"
}

cold_compile() { # label, dependency table, dependency line, build.rs, cargo flags...
  local label=$1 table=$2 dep=$3 buildrs=$4
  local dir=$OUT/scratch-$label; [ $# -gt 4 ] && dir=$dir-overrides
  rm -rf "$dir"; mkdir -p "$dir/src"
  printf '[package]\nname = "scratch-%s"\nversion = "0.1.0"\nedition = "2024"\n\n[workspace]\n\n[%s]\n%s\n' \
    "$label" "$table" "$dep" > "$dir/Cargo.toml"
  : > "$dir/src/lib.rs"
  [ -n "$buildrs" ] && printf '%s\n' "$buildrs" > "$dir/build.rs"
  (cd "$dir" && if [ "$label" = migrate-build ]; then cp "$REPO/Cargo.lock" .; cargo fetch -q --offline 2>/dev/null || cargo fetch -q; else cargo fetch -q; fi)
  # Wall time grows when other processes hold the cores; CPU time (user +
  # system, all rustc processes) much less so: both are printed.
  (cd "$dir" && CARGO_TARGET_DIR="$dir/target" /usr/bin/time -f '%e %U %S' -o "$dir/time.txt" \
    cargo build --offline --timings "${@:5}" 2> "$dir/build.log")
  local crates wall cpu
  crates=$(grep -c '^ *Compiling ' "$dir/build.log")
  read -r wall user sys < "$dir/time.txt"
  cpu=$(echo "$user + $sys" | bc)
  printf '== cold compile, %s %s: %s s wall, %s s CPU, %d crates besides the scratch package (load %s; timings: %s)\n' \
    "$label" "${*:5}" "$wall" "$cpu" "$((crates - 1))" "$(cut -d' ' -f1-3 /proc/loadavg)" \
    "$(ls "$dir"/target/cargo-timings/cargo-timing-*.html | tail -n1)"
  grep '^ *Compiling ' "$dir/build.log" | awk '{print $2}' | sort | tr '\n' ' '; echo
}

if [ "$what" = all ] || [ "$what" = compile ]; then
  echo "rustc: $(rustc --version), $(nproc) cores"
  cold_compile migrate-build build-dependencies \
    "migrate-build = { path = \"$REPO/migrate-build\" }" \
    'fn main() { let _ = migrate_build::Check::new(); }'
  cold_compile migrate-build build-dependencies \
    "migrate-build = { path = \"$REPO/migrate-build\" }" \
    'fn main() { let _ = migrate_build::Check::new(); }' "${OPT[@]}"
  cold_compile sqlx-macros dependencies \
    'sqlx-macros = { version = "0.8", default-features = false, features = ["migrate"] }' ''
fi
if [ "$what" = all ] || [ "$what" = check ]; then
  make_dump
  check_times "dev profile (default for build scripts)"
  check_times "dev profile + README override (migrate-build)" "${OPT[@]}"
  check_times "dev profile + README overrides + sqlparser" "${OPT_FULL[@]}"
  check_times "release profile" --release
fi
