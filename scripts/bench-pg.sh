#!/usr/bin/env bash
# Applies N trivial migrations (default 500) to a fresh PostgreSQL database
# with `cargo migrate apply`, and the same statements to another fresh
# database with `psql -f`, in the same run; prints migrations per second of
# each and their ratio (target: cargo migrate within 1.5x of psql).
#
#   scripts/bench-pg.sh [N]        PROFILE=dev to time the debug build
#   MIGRATE_TEST_PG_URL=postgres://user@host:port/postgres (default: local server)
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-500}"
PROFILE="${PROFILE:-release}"
SERVER="${MIGRATE_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
base="${SERVER%/*}"

if [ "$PROFILE" = release ]; then
  cargo build --quiet --release -p cargo-migrate --bin cargo-migrate
  bin="$PWD/target/release/cargo-migrate"
else
  cargo build --quiet -p cargo-migrate --bin cargo-migrate
  bin="$PWD/target/debug/cargo-migrate"
fi

work="$(mktemp -d)"
db_tool="bench_migrate_$$"
db_psql="bench_psql_$$"
cleanup() {
  psql "$SERVER" -qAtc "DROP DATABASE IF EXISTS $db_tool WITH (FORCE)" >/dev/null 2>&1 || true
  psql "$SERVER" -qAtc "DROP DATABASE IF EXISTS $db_psql WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/Cargo.toml" <<'EOF'
[package]
name = "bench"
version = "0.1.0"
edition = "2024"

[workspace]

[workspace.metadata.migrate]
dialect = "postgres"
schema = "schema.sql"
migrations = "migrations"
EOF
mkdir -p "$work/src" "$work/migrations"
: >"$work/src/lib.rs"
: >"$work/schema.sql"
: >"$work/all.sql"
for i in $(seq 1 "$N"); do
  version=$(printf '2026%010d' "$i")
  dir="$work/migrations/${version}_t$i"
  mkdir -p "$dir"
  sql="CREATE TABLE t$i (id bigint PRIMARY KEY, name text NOT NULL);"
  printf '%s\n' "$sql" >"$dir/up.sql"
  printf 'DROP TABLE t%s;\n' "$i" >"$dir/down.sql"
  printf '%s\n' "$sql" >>"$work/all.sql"
done
(cd "$work" && "$bin" migrate hash >/dev/null 2>&1)

psql "$SERVER" -qAtc "CREATE DATABASE $db_tool" >/dev/null
psql "$SERVER" -qAtc "CREATE DATABASE $db_psql" >/dev/null

now() { date +%s.%N; }

t0=$(now)
(cd "$work" && DATABASE_URL="$base/$db_tool" "$bin" migrate apply --quiet >/dev/null 2>"$work/apply.err") || {
  cat "$work/apply.err" >&2
  exit 1
}
t1=$(now)
psql "$base/$db_psql" -q -v ON_ERROR_STOP=1 -f "$work/all.sql" >/dev/null
t2=$(now)

applied=$(psql "$base/$db_tool" -qAtc "SELECT count(*) FROM _migrate_history WHERE success")
[ "$applied" = "$N" ] || { echo "error: $applied of $N migrations recorded" >&2; exit 1; }

awk -v n="$N" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v profile="$PROFILE" 'BEGIN {
  tool = t1 - t0; psql = t2 - t1;
  printf "%d trivial migrations (%s build)\n", n, profile;
  printf "cargo migrate apply: %.2f s  %.0f migrations/s  %.2f ms each\n", tool, n / tool, 1000 * tool / n;
  printf "psql -f:             %.2f s  %.0f statements/s  %.2f ms each\n", psql, n / psql, 1000 * psql / n;
  printf "ratio: %.2fx psql\n", tool / psql;
}'
