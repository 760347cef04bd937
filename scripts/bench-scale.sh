#!/usr/bin/env bash
# Scale benchmarks, each part in one run with its peers where they exist:
#   engine   schema.sql of 1,000 / 8,000 / 17,000 tables (a foreign key and an
#            index each; 17,000 tables is 4.1 MB): parse, diff from empty,
#            render, self-diff (`bench_scale` example), and the CLI's
#            `diff --from empty --to schema` on the same files
#   apply    N one-statement migrations (default 500), on SQLite and on
#            PostgreSQL: one transaction each and `--single-transaction`,
#            beside diesel, sqlx-cli and dbmate (one transaction each) on the
#            same migrations, and `sqlite3` / `psql -f` / `psql -1 -f` on the
#            same SQL; each run's history rows are counted
#   history  MIGS generated migrations (default 10,000; the build gate's
#            kinds: tables, columns, indexes, foreign keys, renames):
#            `diff --from migrations --to schema` against the schema they make
#   views    a SQLite database of one table and VIEWS views (default 3,000),
#            each selecting from the one before: `status` and
#            `diff --from database --to migrations`
#   fleet    DBS tenant databases (default 200) and T tenant schemas of one
#            PostgreSQL database (default 1,000), M migrations each (default
#            20): `apply --databases` / `apply --schemas`, `--jobs 8`, against
#            a shell loop of single `apply` runs; every tenant's history table
#            is then counted (M successful rows)
# CPU time (user+sys) is printed beside wall time: on a shared machine it is
# the steadier of the two. Peak RSS from /usr/bin/time.
#
#   scripts/bench-scale.sh [engine|apply|fleet|all] (all by default)
#   N=500 T=1000 DBS=200 M=20 MIGS=10000 VIEWS=3000 CARGO_MIGRATE=… (default: build the release binary) MIGRATE_TEST_PG_URL=postgres://… (default: local server)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
what=${1:-all}
N=${N:-500}
T=${T:-1000}
DBS=${DBS:-200}
M=${M:-20}
MIGS=${MIGS:-10000}
VIEWS=${VIEWS:-3000}
SERVER=${MIGRATE_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# CARGO_MIGRATE=path/to/cargo-migrate: that binary, nothing built (the
# engine part needs the release bench_scale example all the same).
if [ -n "${CARGO_MIGRATE:-}" ]; then
  bin=$(realpath "$CARGO_MIGRATE")
else
  cargo build -q --release -p cargo-migrate --bin cargo-migrate
  cargo build -q --release -p migrate-build --example bench_scale
  bin=$REPO/target/release/cargo-migrate
fi

timed() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; return 1; }
  read -r wall user sys rss < "$work/time"
  printf '%-58s %7.2f s wall %7.2f s CPU %8d KB peak RSS\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" "$rss"
}

workspace() { # dir, dialect
  mkdir -p "$1/src" "$1/migrations"
  : > "$1/src/lib.rs"
  printf '[package]\nname = "bench"\nversion = "0.1.0"\nedition = "2024"\n\n[workspace]\n\n[workspace.metadata.migrate]\ndialect = "%s"\nschema = "schema.sql"\nmigrations = "migrations"\n' "$2" > "$1/Cargo.toml"
  : > "$1/schema.sql"
}

engine() {
  for n in 1000 8000 17000; do
    local dir=$work/engine$n
    workspace "$dir" postgres
    for i in $(seq 1 "$n"); do
      fk=""; [ "$i" -gt 1 ] && fk=",
    parent_id bigint REFERENCES t$((i - 1)) (id) ON DELETE CASCADE"
      printf 'CREATE TABLE t%d (\n    id bigint PRIMARY KEY,\n    name varchar(200) NOT NULL,\n    created_at timestamptz NOT NULL DEFAULT now()%s\n);\nCREATE INDEX t%d_name_idx ON t%d (name);\n' "$i" "$fk" "$i" "$i"
    done > "$dir/schema.sql"
    "$REPO/target/release/examples/bench_scale" "$dir/schema.sql"
    (cd "$dir" && "$bin" migrate hash >/dev/null 2>&1)
    (cd "$dir" && timed "diff --from empty --to schema, $n tables ($(wc -c < schema.sql) bytes)" "$bin" migrate diff --from empty --to schema)
  done
}

# The same N migrations in each tool's layout: ours and diesel's
# (`VERSION_NAME/up.sql`, the same folder), sqlx's (`VERSION_NAME.sql`) and
# dbmate's (`VERSION_NAME.sql` under `-- migrate:up`); all.sql is the lot.
apply_inputs() { # dir, dialect
  local dir=$1
  workspace "$dir" "$2"
  mkdir -p "$dir/sqlx" "$dir/dbmate"
  : > "$dir/all.sql"
  for i in $(seq 1 "$N"); do
    local v; v=$(printf '2026%010d' "$i")
    local sql="CREATE TABLE t$i (id bigint PRIMARY KEY, name text NOT NULL);"
    mkdir -p "$dir/migrations/${v}_t$i"
    echo "$sql" | tee "$dir/migrations/${v}_t$i/up.sql" "$dir/sqlx/${v}_t$i.sql" >> "$dir/all.sql"
    printf -- '-- migrate:up\n%s\n\n-- migrate:down\n' "$sql" > "$dir/dbmate/${v}_t$i.sql"
  done
  (cd "$dir" && "$bin" migrate hash >/dev/null 2>&1)
}

# A peer's run, when the peer is installed (`cargo install diesel_cli
# --no-default-features --features postgres,sqlite`, `cargo install sqlx-cli
# --no-default-features --features postgres,sqlite,rustls`, `npm install -g
# dbmate`); a peer missing is said, not skipped silently.
peer() { # tool, label, command...
  local tool=$1 label=$2; shift 2
  if command -v "$tool" >/dev/null; then timed "$label" "$@"; else echo "($tool not installed: $label not measured)"; fi
}

# Rows in a history table, to check that a run applied everything.
rows_sqlite() { sqlite3 "$1" "SELECT count(*) FROM $2"; }

apply_sqlite() {
  local dir=$work/apply-sqlite
  apply_inputs "$dir" sqlite
  cd "$dir"
  rm -f dev.db && timed "sqlite, $N migrations, one transaction each" "$bin" migrate apply
  echo "  history rows: $(rows_sqlite dev.db _migrate_history)"
  rm -f dev.db && timed "sqlite, $N migrations, --single-transaction" "$bin" migrate apply --single-transaction
  echo "  history rows: $(rows_sqlite dev.db _migrate_history)"
  rm -f diesel.db && peer diesel "diesel migration run, one transaction each" \
    diesel migration run --database-url "$dir/diesel.db" --migration-dir "$dir/migrations"
  [ -f diesel.db ] && echo "  history rows: $(rows_sqlite diesel.db __diesel_schema_migrations)"
  rm -f sqlx.db && peer sqlx "sqlx migrate run, one transaction each" \
    sqlx migrate run --source "$dir/sqlx" --database-url "sqlite://$dir/sqlx.db?mode=rwc"
  [ -f sqlx.db ] && echo "  history rows: $(rows_sqlite sqlx.db _sqlx_migrations)"
  rm -f dbmate.db && peer dbmate "dbmate up, one transaction each" \
    dbmate --no-dump-schema --url "sqlite:$dir/dbmate.db" --migrations-dir "$dir/dbmate" up
  [ -f dbmate.db ] && echo "  history rows: $(rows_sqlite dbmate.db schema_migrations)"
  if command -v sqlite3 >/dev/null; then
    rm -f peer.db && timed "sqlite3, the same SQL, autocommit" sqlite3 peer.db ".read all.sql"
    rm -f peer.db && { echo "BEGIN;"; cat all.sql; echo "COMMIT;"; } > one.sql && timed "sqlite3, the same SQL, one transaction" sqlite3 peer.db ".read one.sql"
  fi
  cd "$REPO"
}

apply_pg() {
  psql "$SERVER" -Atqc 'select 1' >/dev/null 2>&1 || { echo "(no PostgreSQL server at $SERVER: skipped)"; return; }
  local dir=$work/apply-pg base=${SERVER%/*}
  apply_inputs "$dir" postgres
  for mode in each single diesel sqlx dbmate psql psql1; do
    local db=bench_scale_$$_$mode url
    url=$base/$db
    psql "$SERVER" -qc "CREATE DATABASE $db" >/dev/null
    local table=_migrate_history
    case $mode in
      each) (cd "$dir" && timed "postgres, $N migrations, one transaction each" "$bin" migrate --database-url "$url" apply) ;;
      single) (cd "$dir" && timed "postgres, $N migrations, --single-transaction" "$bin" migrate --database-url "$url" apply --single-transaction) ;;
      diesel) table=__diesel_schema_migrations
        peer diesel "diesel migration run, one transaction each" diesel migration run --database-url "$url" --migration-dir "$dir/migrations" ;;
      sqlx) table=_sqlx_migrations
        peer sqlx "sqlx migrate run, one transaction each" sqlx migrate run --source "$dir/sqlx" --database-url "$url" ;;
      dbmate) table=schema_migrations
        peer dbmate "dbmate up, one transaction each" dbmate --no-dump-schema --url "$url?sslmode=disable" --migrations-dir "$dir/dbmate" up ;;
      psql) table=""; timed "psql -f, the same SQL, autocommit" psql "$url" -q -v ON_ERROR_STOP=1 -f "$dir/all.sql" ;;
      psql1) table=""; timed "psql -1 -f, the same SQL, one transaction" psql "$url" -q -1 -v ON_ERROR_STOP=1 -f "$dir/all.sql" ;;
    esac
    if [ -n "$table" ]; then
      echo "  history rows: $(psql "$url" -Atc "SELECT count(*) FROM $table" 2>/dev/null || echo none)"
    fi
    psql "$SERVER" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
  done
}

# Each tenant's history complete: M successful rows. Prints "K of N".
complete_schemas() { # database url
  local q
  q=$(psql "$1" -Atc "SELECT 'SELECT count(*) FILTER (WHERE n = $M) FROM (' || string_agg(format('SELECT count(*) FILTER (WHERE success) AS n FROM %I._migrate_history', schemaname), ' UNION ALL ') || ') s' FROM pg_tables WHERE tablename = '_migrate_history' AND schemaname LIKE 'tenant%'")
  echo "$([ -n "$q" ] && psql "$1" -Atc "$q" || echo 0) of $T"
}
complete_databases() { # file of urls
  local ok=0 url
  while read -r url; do
    [ "$(psql "$url" -Atc "SELECT count(*) FILTER (WHERE success) FROM _migrate_history" 2>/dev/null)" = "$M" ] && ok=$((ok + 1))
  done < "$1"
  echo "$ok of $DBS"
}

fleet_inputs() { # dir
  workspace "$1" postgres
  for i in $(seq 1 "$M"); do
    local d="$1/migrations/$(printf '2026%010d' "$i")_m$i"
    mkdir -p "$d"
    echo "CREATE TABLE m$i (id bigint PRIMARY KEY, v text);" > "$d/up.sql"
  done
  (cd "$1" && "$bin" migrate hash >/dev/null 2>&1)
}

# T tenant schemas of one database.
fleet_schemas() {
  local dir=$work/fleet-schemas base=${SERVER%/*} db=bench_fleet_$$
  fleet_inputs "$dir"
  for run in pool loop; do
    psql "$SERVER" -qc "CREATE DATABASE $db" >/dev/null
    echo "SELECT format('CREATE SCHEMA tenant_%s', g) FROM generate_series(1, $T) g \\gexec" | psql "$base/$db" -q >/dev/null
    if [ $run = pool ]; then
      (cd "$dir" && timed "$T schemas x $M migrations, apply --schemas --jobs 8" "$bin" migrate --database-url "$base/$db" apply --schemas 'tenant\_%' --jobs 8)
    else
      # The loop's history tables go to pg_schema (public) unless set per
      # run: one config per tenant, as a shell loop would have to.
      (cd "$dir" && timed "$T schemas x $M migrations, a shell loop of apply" \
        bash -c "for i in \$(seq 1 $T); do sed -i \"s/^pg_schema = .*//\" Cargo.toml; echo \"pg_schema = \\\"tenant_\$i\\\"\" >> Cargo.toml; \"$bin\" migrate --database-url \"$base/$db?options=-csearch_path%3Dtenant_\$i\" apply >/dev/null 2>&1 || exit 1; done")
      sed -i 's/^pg_schema = .*//' "$dir/Cargo.toml"
    fi
    echo "  history tables complete ($M rows): $(complete_schemas "$base/$db")"
    psql "$SERVER" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
  done
}

# DBS tenant databases, one URL each in a --databases file.
fleet_databases() {
  local dir=$work/fleet-dbs base=${SERVER%/*} prefix=bench_fleet_$$_db
  fleet_inputs "$dir"
  for i in $(seq 1 "$DBS"); do echo "$base/${prefix}_$i"; done > "$dir/tenants.txt"
  for run in pool loop; do
    for i in $(seq 1 "$DBS"); do echo "CREATE DATABASE ${prefix}_$i;"; done | psql "$SERVER" -q >/dev/null
    if [ $run = pool ]; then
      (cd "$dir" && timed "$DBS databases x $M migrations, apply --databases --jobs 8" "$bin" migrate apply --databases tenants.txt --jobs 8)
    else
      (cd "$dir" && timed "$DBS databases x $M migrations, a shell loop of apply" \
        bash -c "while read -r url; do \"$bin\" migrate --database-url \"\$url\" apply >/dev/null 2>&1 || exit 1; done < tenants.txt")
    fi
    echo "  history tables complete ($M rows): $(complete_databases "$dir/tenants.txt")"
    for i in $(seq 1 "$DBS"); do echo "DROP DATABASE ${prefix}_$i WITH (FORCE);"; done | psql "$SERVER" -q >/dev/null
  done
}

history() {
  local dir=$work/history
  workspace "$dir" postgres
  local tables=0 i t sql
  for ((i = 0; i < MIGS; i++)); do
    t=$((tables > 0 ? tables - 1 : 0))
    case $((i % 5)) in
      0) tables=$((tables + 1))
         sql="CREATE TABLE t$tables (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());" ;;
      1) sql="ALTER TABLE t$tables ADD COLUMN note VARCHAR(200);" ;;
      2) sql="CREATE INDEX t${tables}_name_idx ON t$tables (name, created_at);" ;;
      3) if [ "$t" -gt 0 ]; then sql="ALTER TABLE t$tables ADD COLUMN parent_id BIGINT REFERENCES t$t (id) ON DELETE CASCADE;"
         else sql="ALTER TABLE t$tables ADD COLUMN parent_id BIGINT;"; fi ;;
      *) sql="ALTER TABLE t$tables RENAME COLUMN note TO remark;" ;;
    esac
    mkdir -p "$dir/migrations/$((20000000000000 + i))_step_$i"
    echo "$sql" > "$dir/migrations/$((20000000000000 + i))_step_$i/up.sql"
  done
  (cd "$dir" && "$bin" migrate hash >/dev/null 2>&1 &&
    "$bin" migrate diff --from empty --to migrations --script > schema.sql 2>/dev/null)
  (cd "$dir" && timed "diff --from migrations --to schema, $MIGS migrations" "$bin" migrate diff --from migrations --to schema)
}

views() {
  local dir=$work/views
  workspace "$dir" sqlite
  mkdir -p "$dir/migrations/20260000000001_views"
  { echo "CREATE TABLE t0 (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
    echo "CREATE VIEW v1 AS SELECT id, name FROM t0;"
    for ((i = 2; i <= VIEWS; i++)); do echo "CREATE VIEW v$i AS SELECT id, name FROM v$((i - 1));"; done
  } > "$dir/migrations/20260000000001_views/up.sql"
  cp "$dir/migrations/20260000000001_views/up.sql" "$dir/schema.sql"
  cd "$dir"
  "$bin" migrate hash >/dev/null 2>&1
  "$bin" migrate --database-url sqlite:views.db apply >/dev/null 2>&1
  timed "status, 1 table and $VIEWS chained views" "$bin" migrate --database-url sqlite:views.db status
  timed "diff --from database --to migrations, $VIEWS chained views" "$bin" migrate --database-url sqlite:views.db diff --from database --to migrations
  cd "$REPO"
}

fleet() {
  psql "$SERVER" -Atqc 'select 1' >/dev/null 2>&1 || { echo "(no PostgreSQL server at $SERVER: skipped)"; return; }
  fleet_databases
  fleet_schemas
}

echo "== $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
case $what in
  engine) engine ;;
  apply) apply_sqlite; apply_pg ;;
  history) history ;;
  views) views ;;
  fleet) fleet ;;
  all) engine; history; views; apply_sqlite; apply_pg; fleet ;;
esac
