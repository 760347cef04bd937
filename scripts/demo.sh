#!/usr/bin/env bash
# The user's day on an embedded SQLite database, no server needed:
# init → schema → new → apply → status → edit → (build gate) → new → apply → diff.
# Leaves the scratch workspace in target/demo so you can look around.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
cargo build -q -p cargo-migrate
export PATH="$repo/target/debug:$PATH"   # `cargo migrate` finds cargo-migrate on PATH

demo="$repo/target/demo"
rm -rf "$demo" && mkdir -p "$demo/shop/src"
cd "$demo"
cat > Cargo.toml <<'TOML'
[workspace]
members = ["shop"]
resolver = "3"
TOML
cat > shop/Cargo.toml <<TOML
[package]
name = "shop"
version = "0.1.0"
edition = "2024"

[build-dependencies]
migrate-build = { path = "$repo/migrate-build" }
TOML
echo 'fn main() {}' > shop/src/main.rs
printf 'fn main() {\n    migrate_build::check();\n}\n' > shop/build.rs
export CARGO_TARGET_DIR="$repo/target/demo-target"   # stays warm between runs
cp "$repo/Cargo.lock" .   # same dependency versions as the repository: no resolution, no network

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step cargo migrate init --dialect sqlite
cat > schema.sql <<'SQL'
CREATE TABLE customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0)
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
SQL
step cargo migrate new create_shop
step cargo build --offline -q
step cargo migrate apply
step cargo migrate status

echo
echo "# schema.sql: add a loyalty program"
cat >> schema.sql <<'SQL'

CREATE TABLE loyalty_accounts (
    customer_id INTEGER PRIMARY KEY REFERENCES customers (id),
    points INTEGER NOT NULL DEFAULT 0
);
SQL
step cargo migrate diff --from migrations --to schema --script
printf '\n\033[1m$ cargo build --offline -q\033[0m   (the build gate refuses: schema.sql is ahead of migrations/)\n'
if cargo build --offline -q; then echo "error: the build gate let a stale migration set through" >&2; exit 1; fi
step cargo migrate new add_loyalty_program
step cargo build --offline -q
step cargo migrate apply
step cargo migrate status
step cargo migrate check
printf '\nScratch workspace: %s (database: dev.db)\n' "$demo"
