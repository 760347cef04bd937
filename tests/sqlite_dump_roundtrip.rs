//! The SQLite schema dump as `schema.sql`: each SQLite corpus is applied by
//! the runner, its schema is dumped the way `sqlite3 .schema` prints it (the
//! stored `CREATE` statements of `sqlite_schema`), and that dump is used as a
//! workspace's schema:
//! - it is in sync with the corpus' own migrations (the diff is empty both
//!   ways), and
//! - the engine, writing it out as one migration from an empty database,
//!   builds a database that SQLite describes exactly as the first one: the
//!   oracle is SQLite's own `PRAGMA table_xinfo / index_xinfo /
//!   foreign_key_list` output, not the project's introspection.

mod common;

use std::path::Path;

use cargo_migrate::db::sqlite::Sqlite;
use cargo_migrate::db::{Database, Open};
use cargo_migrate::output::Output;
use cargo_migrate::runner;
use migrate_build::ddl::{SourceFile, parse_schema};
use migrate_build::diff::{describe, diff};
use migrate_build::migrations::{self, Migration};
use migrate_build::schema::Schema;
use migrate_build::{Dialect, dialect};
use rusqlite::Connection;

use common::workspace::corpora;

const D: Dialect = Dialect::Sqlite;
const HISTORY: &str = "_migrate_history";

fn quiet() -> Output {
    Output::new(true, false, cargo_migrate::cli::ColorChoice::Never)
}

fn open(path: &Path) -> Sqlite<'static> {
    Sqlite::open(
        path,
        format!("sqlite:{}", path.display()),
        HISTORY,
        Open::CreateIfMissing,
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What `sqlite3 .schema` prints: every stored statement, in storage order.
fn dump(conn: &Connection) -> String {
    let mut stmt = conn
        .prepare(
            "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name <> ?1 ORDER BY rowid",
        )
        .expect("sqlite_schema");
    let rows = stmt
        .query_map([HISTORY], |r| r.get::<_, String>(0))
        .expect("sqlite_schema rows");
    rows.map(|r| format!("{};\n", r.expect("sql")))
        .collect::<String>()
}

/// SQLite's own description of a database: one line per fact, sorted.
fn describe_db(conn: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    let mut objects = conn
        .prepare(
            "SELECT type, name, tbl_name FROM sqlite_schema \
             WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name <> ?1",
        )
        .expect("sqlite_schema");
    let objects: Vec<(String, String, String)> = objects
        .query_map([HISTORY], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("objects")
        .map(|r| r.expect("object"))
        .collect();
    let facts = |sql: &str, name: &str| -> Vec<String> {
        let mut stmt = conn.prepare(sql).expect(sql);
        let n = stmt.column_count();
        stmt.query_map([name], |r| {
            (0..n)
                .map(|i| {
                    r.get::<_, rusqlite::types::Value>(i)
                        .map(|v| format!("{v:?}"))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(|v| v.join("|"))
        })
        .expect(sql)
        .map(|r| r.expect("row"))
        .collect()
    };
    for (kind, name, table) in &objects {
        let key = name.to_lowercase();
        out.push(format!("{kind} {key} on {}", table.to_lowercase()));
        match kind.as_str() {
            "table" => {
                // Declared types, and defaults other than string literals,
                // compared without case and spaces: `VARCHAR (64)` and
                // `varchar(64)`, `FALSE` and `false` are one to SQLite.
                for c in facts(
                    "SELECT cid, name, replace(upper(type), ' ', ''), \"notnull\", \
                     CASE WHEN dflt_value LIKE '''%' THEN dflt_value \
                     ELSE replace(upper(dflt_value), ' ', '') END, pk, hidden \
                     FROM pragma_table_xinfo(?1)",
                    name,
                ) {
                    out.push(format!("column {key}: {c}"));
                }
                for f in facts(
                    "SELECT \"table\", \"from\", \"to\", on_update, on_delete, \"match\" \
                     FROM pragma_foreign_key_list(?1)",
                    name,
                ) {
                    out.push(format!("foreign key {key}: {f}"));
                }
                for i in facts(
                    "SELECT \"unique\", origin, partial FROM pragma_index_list(?1) \
                     WHERE origin <> 'c'",
                    name,
                ) {
                    // Implicit indexes of constraints are named by SQLite
                    // after their position; only their shape is compared.
                    out.push(format!("constraint index {key}: {i}"));
                }
            }
            "index" => {
                for c in facts(
                    "SELECT seqno, cid, name, desc, coll, key FROM pragma_index_xinfo(?1)",
                    name,
                ) {
                    out.push(format!("index column {key}: {c}"));
                }
            }
            _ => {}
        }
    }
    out.sort();
    out
}

fn model(label: &str, sql: &str) -> Schema {
    let (mut schema, _) = parse_schema(D, &[SourceFile { path: label, sql }])
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    schema.sort();
    schema
}

fn replay(ms: &[Migration]) -> Schema {
    let files: Vec<(String, String)> = ms
        .iter()
        .map(|m| (m.up.path.display().to_string(), m.up.sql.clone()))
        .collect();
    let sources: Vec<SourceFile<'_>> = files
        .iter()
        .map(|(path, sql)| SourceFile { path, sql })
        .collect();
    let (mut schema, _) = parse_schema(D, &sources).unwrap_or_else(|e| panic!("{e}"));
    schema.sort();
    schema
}

fn steps(from: &Schema, to: &Schema) -> Vec<String> {
    diff(from, to)
        .steps
        .iter()
        .map(|s| describe(&s.step))
        .collect()
}

/// Runs the dump round trip for one migration set; returns a line of numbers.
fn round_trip(label: &str, ms: &[Migration]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = dir.path().join("first.db");
    let mut db = open(&first);
    runner::apply(&mut db, ms, None, false, &quiet()).unwrap_or_else(|e| panic!("{label}: {e}"));
    drop(db);
    let conn = Connection::open(&first).expect("open first");
    let schema_sql = dump(&conn);
    let expected = describe_db(&conn);

    // The dump, as schema.sql, is in sync with the migrations.
    let from_dump = model(&format!("{label} dump"), &schema_sql);
    let replayed = replay(ms);
    let ahead = steps(&replayed, &from_dump);
    let behind = steps(&from_dump, &replayed);
    assert!(
        ahead.is_empty() && behind.is_empty(),
        "{label}: the dump is not in sync with the migrations:\n  \
         migrations → dump: {ahead:?}\n  dump → migrations: {behind:?}\n--- dump ---\n{schema_sql}"
    );

    // The engine writes the dump out as one migration; SQLite describes the
    // result as it describes the first database.
    let script = dialect::render_script(&diff(&Schema::empty(D), &from_dump), D)
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    let second = dir.path().join("second.db");
    let conn2 = Connection::open(&second).expect("open second");
    conn2
        .execute_batch(&format!(
            "PRAGMA foreign_keys = OFF; BEGIN; {script}\nCOMMIT;"
        ))
        .unwrap_or_else(|e| panic!("{label}: the engine's script fails: {e}\n{script}"));
    let actual = describe_db(&conn2);
    let missing: Vec<&String> = expected.iter().filter(|l| !actual.contains(l)).collect();
    let extra: Vec<&String> = actual.iter().filter(|l| !expected.contains(l)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{label}: SQLite describes the rebuilt database differently:\n  only in the first: \
         {missing:#?}\n  only in the rebuilt: {extra:#?}\n--- script ---\n{script}"
    );
    let mut live = Sqlite::open(
        &second,
        format!("sqlite:{}", second.display()),
        HISTORY,
        Open::MustExist,
    )
    .expect("reopen second");
    let mut read_back = live.introspect().expect("introspect");
    read_back.sort();
    let left = steps(&read_back, &from_dump);
    assert!(
        left.is_empty(),
        "{label}: drift after the rebuild: {left:?}"
    );
    format!("{label}: {} facts equal", expected.len())
}

fn load(dir: &Path) -> Vec<Migration> {
    migrations::load(dir, D).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn sqlite_corpora_dumps_are_schemas() {
    let Some(corpora) = corpora() else { return };
    let sets = [
        "atuin/atuin-client/migrations",
        "atuin/atuin-client/record-migrations",
        "atuin/atuin-client/meta-migrations",
        "atuin/atuin-server-sqlite/migrations",
        "atuin/atuin-kv/migrations",
        "atuin/atuin-scripts/migrations",
        "atuin/atuin-ai/migrations",
        "ory-kratos/migrations/sql",
    ];
    for set in sets {
        let ms = load(&corpora.join(set));
        assert!(!ms.is_empty(), "{set}: no migrations");
        println!("{}", round_trip(set, &ms));
    }
}
