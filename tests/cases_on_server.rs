//! The catalogue on real servers: the server is the oracle.
//!
//! For every case under `tests/cases/` and every dialect it is for:
//! - `from.sql` and `to.sql`, run as written on a fresh database, read back
//!   equal to what the interpreter makes of them (no false drift: what the
//!   user wrote and what the server prints compare equal);
//! - the generated `up.sql`, run on the `from` database, leaves a database
//!   that reads back as `to.sql`;
//! - the generated `down.sql`, run after it, gives `from.sql` back.
//!
//! PostgreSQL scripts run in one transaction, as the runner does; SQLite
//! scripts run with foreign keys off around the transaction and a
//! `foreign_key_check` before the commit, as the runner does.

mod common;

use std::path::{Path, PathBuf};

use migrate_build::ddl::{self, SourceFile};
use migrate_build::{Dialect, Schema, dialect, diff};

use common::pg::TestDb;

fn dialects_for(case: &str) -> Vec<Dialect> {
    if case.ends_with("_pg") {
        vec![Dialect::Postgres]
    } else if case.ends_with("_sqlite") {
        vec![Dialect::Sqlite]
    } else {
        vec![Dialect::Postgres, Dialect::Sqlite]
    }
}

fn case_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/cases")
        .map(|e| e.expect("tests/cases entry").path())
        .filter(|p| p.join("to.sql").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn parse(dialect: Dialect, path: &Path, sql: &str) -> Result<Schema, String> {
    let display = path.display().to_string();
    let file = SourceFile {
        path: &display,
        sql,
    };
    let (mut schema, _) = ddl::parse_schema(dialect, &[file]).map_err(|e| e.to_string())?;
    schema.sort();
    Ok(schema)
}

/// The differences between what the server has and what the model expects,
/// described one step a line; empty when they agree.
fn differences(live: &Schema, expected: &Schema) -> Vec<String> {
    diff::diff(live, expected)
        .steps
        .iter()
        .map(|s| format!("  {}", diff::describe(&s.step)))
        .collect()
}

/// A live database of either dialect.
enum Live {
    Pg(Box<TestDb>),
    /// The folder lives as long as the connection to the file in it.
    Sqlite(#[allow(dead_code)] tempfile::TempDir, rusqlite::Connection),
}

impl Live {
    fn new(dialect: Dialect) -> Option<Live> {
        match dialect {
            Dialect::Postgres => TestDb::new().map(|db| Live::Pg(Box::new(db))),
            Dialect::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let conn = rusqlite::Connection::open(dir.path().join("case.db")).expect("open");
                Some(Live::Sqlite(dir, conn))
            }
        }
    }

    /// Runs a script as a user's file (`psql -1 -f`, `sqlite3 -bail`).
    fn run_file(&mut self, sql: &str) -> Result<(), String> {
        match self {
            Live::Pg(db) => {
                let mut tx = db.client.transaction().map_err(|e| e.to_string())?;
                tx.batch_execute(sql).map_err(pg_error)?;
                tx.commit().map_err(pg_error)
            }
            Live::Sqlite(_, conn) => conn.execute_batch(sql).map_err(|e| e.to_string()),
        }
    }

    /// Runs a generated migration the way the runner does.
    fn run_migration(&mut self, sql: &str) -> Result<(), String> {
        match self {
            Live::Pg(_) => self.run_file(sql),
            Live::Sqlite(_, conn) => {
                conn.execute_batch("PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE;")
                    .map_err(|e| e.to_string())?;
                let result = conn
                    .execute_batch(sql)
                    .and_then(|()| {
                        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
                        let violations = stmt.query_map([], |_| Ok(()))?.count();
                        Ok(violations)
                    })
                    .map_err(|e| e.to_string())
                    .and_then(|violations| match violations {
                        0 => Ok(()),
                        n => Err(format!("{n} foreign key violation(s)")),
                    });
                match result {
                    Ok(()) => conn
                        .execute_batch("COMMIT; PRAGMA foreign_keys = ON;")
                        .map_err(|e| e.to_string()),
                    Err(e) => {
                        let _ = conn.execute_batch("ROLLBACK; PRAGMA foreign_keys = ON;");
                        Err(e)
                    }
                }
            }
        }
    }

    fn read(&mut self) -> Result<Schema, String> {
        let mut schema = match self {
            Live::Pg(db) => {
                cargo_migrate::introspect::postgres::introspect(&mut db.client, &[], &[])
                    .map_err(|e| e.to_string())?
            }
            Live::Sqlite(_, conn) => cargo_migrate::introspect::sqlite::introspect(conn, &[])
                .map_err(|e| e.to_string())?,
        };
        schema.sort();
        Ok(schema)
    }
}

fn pg_error(e: postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => e.to_string(),
    }
}

/// `Ok(false)` when the server is unreachable outside CI (the case is skipped).
fn run_case(case_dir: &Path, dialect: Dialect) -> Result<bool, String> {
    let read = |name: &str| {
        std::fs::read_to_string(case_dir.join(name)).map_err(|e| format!("{name}: {e}"))
    };
    let (from_sql, to_sql) = (read("from.sql")?, read("to.sql")?);
    let from = parse(dialect, &case_dir.join("from.sql"), &from_sql)?;
    let to = parse(dialect, &case_dir.join("to.sql"), &to_sql)?;
    let up = dialect::render_script(&diff::diff(&from, &to), dialect).map_err(|e| e.to_string())?;
    let down =
        dialect::render_script(&diff::diff(&to, &from), dialect).map_err(|e| e.to_string())?;

    // to.sql as the user wrote it reads back as the model of it.
    let Some(mut target) = Live::new(dialect) else {
        return Ok(false);
    };
    target
        .run_file(&to_sql)
        .map_err(|e| format!("to.sql does not run on the server: {e}"))?;
    let left = differences(&target.read()?, &to);
    if !left.is_empty() {
        return Err(format!(
            "to.sql, run as written, reads back different from its model:\n{}",
            left.join("\n")
        ));
    }
    drop(target);

    let Some(mut live) = Live::new(dialect) else {
        return Ok(false);
    };
    live.run_file(&from_sql)
        .map_err(|e| format!("from.sql does not run on the server: {e}"))?;
    let left = differences(&live.read()?, &from);
    if !left.is_empty() {
        return Err(format!(
            "from.sql, run as written, reads back different from its model:\n{}",
            left.join("\n")
        ));
    }
    live.run_migration(&up)
        .map_err(|e| format!("up.sql fails on the server: {e}\n--- up.sql ---\n{up}"))?;
    let left = differences(&live.read()?, &to);
    if !left.is_empty() {
        return Err(format!(
            "after up.sql the database differs from to.sql:\n{}\n--- up.sql ---\n{up}",
            left.join("\n")
        ));
    }
    live.run_migration(&down)
        .map_err(|e| format!("down.sql fails on the server: {e}\n--- down.sql ---\n{down}"))?;
    let left = differences(&live.read()?, &from);
    if !left.is_empty() {
        return Err(format!(
            "after down.sql the database differs from from.sql:\n{}\n--- down.sql ---\n{down}",
            left.join("\n")
        ));
    }
    Ok(true)
}

fn catalogue_on(dialect: Dialect) {
    let mut runs = 0;
    let mut skipped = 0;
    let mut failures = Vec::new();
    for case_dir in case_dirs() {
        let case = case_dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if !dialects_for(&case).contains(&dialect) {
            continue;
        }
        runs += 1;
        match run_case(&case_dir, dialect) {
            Ok(true) => {}
            Ok(false) => skipped += 1,
            Err(e) => failures.push(format!("{case}@{dialect}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {runs} cases failed on the server:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(
        runs >= 40,
        "expected at least 40 cases for {dialect}, found {runs}"
    );
    if skipped > 0 {
        eprintln!("note: {skipped} of {runs} cases skipped: no server");
    }
}

#[test]
fn catalogue_on_postgres() {
    catalogue_on(Dialect::Postgres);
}

#[test]
fn catalogue_on_sqlite() {
    catalogue_on(Dialect::Sqlite);
}
