#!/usr/bin/env bash
# Runs every test of the workspace against real databases, setting them up first.
#
# On a fresh Debian machine with only Rust this installs PostgreSQL and MariaDB,
# starts them when they are not running, and makes the local test login work
# (PostgreSQL: user postgres over 127.0.0.1 without password; MariaDB: root
# without password). Snapshots are never written: a missing or changed snapshot
# fails (INSTA_UPDATE=no), review them with `cargo insta review`.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL="${MIGRATE_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export MIGRATE_TEST_PG_URL="$PG_URL"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
need_pkg() { # need_pkg COMMAND PACKAGE...
  command -v "$1" >/dev/null 2>&1 && return 0
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  shift
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

pg_ready() { psql "$PG_URL" -Atqc 'select 1' >/dev/null 2>&1; }

setup_postgres() {
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    need_pkg __never__ postgresql postgresql-client
  fi
  need_pkg psql postgresql-client
  pg_ready && return 0
  local version
  version="$(ls /etc/postgresql | sort -V | tail -n1)"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_ready && return 0; sleep 1; done
  # A fresh cluster asks for a password over TCP: trust loopback, for tests only.
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if [ -f "$hba" ] && ! grep -q '^# cargo-migrate tests' "$hba"; then
    as_root sed -i '1i # cargo-migrate tests\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true
  fi
  for _ in $(seq 1 30); do pg_ready && return 0; sleep 1; done
  echo "error: PostgreSQL is not reachable at ${PG_URL%%@*}@… after starting it" >&2
  return 1
}

mariadb_ready() { mariadb -h127.0.0.1 -uroot -e 'select 1' >/dev/null 2>&1; }

setup_mariadb() {
  [ -x /usr/sbin/mariadbd ] || need_pkg __never__ mariadb-server mariadb-client
  mariadb_ready && return 0
  as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql || true
  for _ in $(seq 1 30); do mariadb_ready && return 0; sleep 1; done
  # A fresh install lets root in through the socket only.
  as_root mariadb -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket" || true
  for _ in $(seq 1 10); do mariadb_ready && return 0; sleep 1; done
  echo "error: MariaDB is not reachable at 127.0.0.1:3306 as root" >&2
  return 1
}

setup_postgres
setup_mariadb

# The example application is a workspace of its own, which tests/embedded.rs
# builds offline: its dependencies (sea-query…) must be in cargo's cache.
cargo fetch --locked --manifest-path examples/embedded-app/Cargo.toml

export INSTA_UPDATE=no
cargo test --workspace --all-targets --locked "$@"
