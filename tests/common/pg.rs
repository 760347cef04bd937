//! A fresh PostgreSQL database per test.
//!
//! The server comes from `MIGRATE_TEST_PG_URL` (default: the local trust
//! server). When it cannot be reached the test is skipped with a note, except
//! under `CI`, where a missing server is a failure, never a silent pass.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use postgres::{Client, NoTls};

pub const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database that exists for the life of the value and is dropped after.
pub struct TestDb {
    /// Connection URL of the test database (same credentials as the server URL).
    pub url: String,
    pub name: String,
    pub client: Client,
    server_url: String,
}

impl TestDb {
    /// `None` (after printing why) when the server is unreachable outside CI.
    pub fn new() -> Option<TestDb> {
        let server_url =
            std::env::var("MIGRATE_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_URL.into());
        let mut admin = match Client::connect(&server_url, NoTls) {
            Ok(client) => client,
            Err(e) => {
                let cause = std::error::Error::source(&e)
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default();
                let message = format!(
                    "PostgreSQL test server unreachable ({}): {e}{cause}",
                    without_password(&server_url)
                );
                if std::env::var_os("CI").is_some() {
                    panic!("{message}; CI is set, so this is a failure");
                }
                eprintln!("note: skipping: {message}");
                return None;
            }
        };
        let name = random_name();
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
        let url = with_database(&server_url, &name);
        let client = Client::connect(&url, NoTls)
            .unwrap_or_else(|e| panic!("connecting to the new database {name}: {e}"));
        Some(TestDb {
            url,
            name,
            client,
            server_url,
        })
    }

    /// Runs SQL statements, panicking with the SQL on error.
    pub fn exec(&mut self, sql: &str) {
        if let Err(e) = self.client.batch_execute(sql) {
            panic!("{sql}\n-- failed: {e}");
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // FORCE ends our own connection (and any other) so the drop never waits.
        match Client::connect(&self.server_url, NoTls) {
            Ok(mut admin) => {
                if let Err(e) = admin.batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                )) {
                    eprintln!("warning: could not drop test database {}: {e}", self.name);
                }
            }
            Err(e) => eprintln!("warning: could not drop test database {}: {e}", self.name),
        }
    }
}

/// `let mut db = test_db!();` — a fresh database, or return from the test
/// when the server is unreachable outside CI.
#[macro_export]
macro_rules! test_db {
    () => {
        match $crate::common::pg::TestDb::new() {
            Some(db) => db,
            None => return,
        }
    };
}

/// Lower-case and unquoted-safe: `migrate_test_<16 hex digits>`.
fn random_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u32(std::process::id());
    if let Ok(now) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(now.as_nanos());
    }
    format!("migrate_test_{:016x}", hasher.finish())
}

/// Replaces the database of a `postgres://user@host:port/db?params` URL.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{database}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// For messages: `postgres://user:secret@host` → `postgres://user:***@host`.
pub fn without_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?'])
        .map_or(url.len(), |i| scheme_end + i);
    let authority = &url[scheme_end..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:***{}",
            &url[..scheme_end],
            &authority[..colon],
            &url[scheme_end + at..]
        ),
        _ => url.to_string(),
    }
}

/// `pg-schema-equal A B --exclude-table T` (pg_dump's view of both):
/// `None` when equal, else its `- …`/`+ …` report.
pub fn pg_schema_equal(a: &str, b: &str, exclude_table: &str) -> Option<String> {
    let tool =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/pg-schema-equal");
    let out = std::process::Command::new(&tool)
        .args([a, b, "--exclude-table", exclude_table])
        .output()
        .expect("running pg-schema-equal");
    match out.status.code() {
        Some(0) => None,
        Some(1) => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        _ => panic!(
            "pg-schema-equal failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}
