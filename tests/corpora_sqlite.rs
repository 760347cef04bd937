//! Real SQLite migration sets: applied to a real SQLite file by the runner
//! `cargo migrate apply` uses, introspected, and replayed through the DDL
//! interpreter. The two models must agree: field by field, and for the
//! differ (`diff` in both directions is empty).

mod common;

use std::path::Path;
use std::time::Instant;

use cargo_migrate::db::sqlite::Sqlite;
use cargo_migrate::db::{Database, Open};
use cargo_migrate::output::Output;
use cargo_migrate::runner::{self, DownTarget};
use migrate_build::Dialect;
use migrate_build::ddl::{SourceFile, parse_schema};
use migrate_build::diff::{describe, diff};
use migrate_build::migrations::{self, Migration};
use migrate_build::schema::Schema;

use common::workspace::corpora;

const D: Dialect = Dialect::Sqlite;

fn quiet() -> Output {
    Output::new(true, false, cargo_migrate::cli::ColorChoice::Never)
}

/// The interpreter's model of `files` applied in order, sorted.
fn replay(files: &[(String, String)]) -> Schema {
    let sources: Vec<SourceFile<'_>> = files
        .iter()
        .map(|(path, sql)| SourceFile { path, sql })
        .collect();
    let (mut schema, _) = parse_schema(D, &sources).unwrap_or_else(|e| panic!("{e}"));
    schema.sort();
    schema
}

/// Everything that separates the two models, in words; empty when they agree.
fn disagreements(replayed: &Schema, database: &Schema) -> Vec<String> {
    let mut out = differences(replayed, database);
    for step in diff(replayed, database).steps {
        out.push(format!(
            "diff replayed → database: {}",
            describe(&step.step)
        ));
    }
    for step in diff(database, replayed).steps {
        out.push(format!(
            "diff database → replayed: {}",
            describe(&step.step)
        ));
    }
    out
}

/// Applies `migrations` with the runner to a fresh file, then compares the
/// introspected database with the replay. Returns the open database.
fn check_set(label: &str, migrations: &[Migration]) -> (tempfile::TempDir, Sqlite<'static>) {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.db");
    let mut db = Sqlite::open(
        &path,
        format!("sqlite:{}", path.display()),
        "_migrate_history",
        Open::CreateIfMissing,
    )
    .unwrap();
    runner::apply(&mut db, migrations, None, false, &quiet())
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    let mut database = db.introspect().unwrap();
    database.sort();
    let files: Vec<(String, String)> = migrations
        .iter()
        .map(|m| (m.up.path.display().to_string(), m.up.sql.clone()))
        .collect();
    let replayed = replay(&files);
    let problems = disagreements(&replayed, &database);
    println!(
        "{label}: {} migrations, {} tables, {} indexes, {:.2} s",
        migrations.len(),
        database.tables.len(),
        database.indexes.len(),
        started.elapsed().as_secs_f64()
    );
    for p in &problems {
        println!("  {p}");
    }
    assert!(
        problems.is_empty(),
        "{label}: {} disagreements (printed above)",
        problems.len()
    );
    assert!(!database.tables.is_empty(), "{label}: no tables");
    (dir, db)
}

fn load(dir: &Path) -> Vec<Migration> {
    let ms = migrations::load(dir, D).unwrap_or_else(|e| panic!("{e}"));
    assert!(!ms.is_empty(), "{}: no migrations", dir.display());
    ms
}

/// atuin's seven SQLite databases, each its own sqlx folder.
const ATUIN_SETS: &[&str] = &[
    "atuin-client/migrations",
    "atuin-client/record-migrations",
    "atuin-client/meta-migrations",
    "atuin-server-sqlite/migrations",
    "atuin-kv/migrations",
    "atuin-scripts/migrations",
    "atuin-ai/migrations",
];

#[test]
fn atuin_sqlite_sets_replay_as_the_database_holds_them() {
    let Some(corpora) = corpora() else { return };
    let mut total = 0;
    for set in ATUIN_SETS {
        let ms = load(&corpora.join("atuin").join(set));
        total += ms.len();
        check_set(&format!("atuin {set}"), &ms);
    }
    // The corpus README counts 29 up migrations over the seven sets.
    assert_eq!(total, 29);
}

#[test]
fn ory_kratos_sqlite3_replays_as_the_database_holds_it() {
    let Some(corpora) = corpora() else { return };
    let ms = load(&corpora.join("ory-kratos/migrations/sql"));
    let (_dir, mut db) = check_set("ory-kratos sqlite3", &ms);
    // popx runs the down file of every version it recorded, empty up
    // files included: newest first they revert to an empty schema.
    let started = Instant::now();
    let reverted = runner::down(&mut db, &ms, &DownTarget::Steps(ms.len()), false, &quiet())
        .unwrap_or_else(|e| panic!("ory-kratos down: {e}"));
    assert_eq!(reverted.len(), ms.len());
    let left = db.introspect().unwrap();
    assert!(left.is_empty(), "after every down: {left:?}");
    println!(
        "ory-kratos sqlite3: {} downs, {:.2} s",
        reverted.len(),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn chinook_sqlite_scripts_as_schemas() {
    let Some(corpora) = corpora() else { return };
    for file in ["Chinook_Sqlite.sql", "Chinook_Sqlite_AutoIncrementPKs.sql"] {
        let started = Instant::now();
        let path = corpora.join("chinook/DataSources").join(file);
        let sql = std::fs::read_to_string(&path).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let conn = rusqlite::Connection::open(dir.path().join("chinook.db")).unwrap();
        conn.execute_batch(&sql).unwrap();
        let mut database = cargo_migrate::introspect::sqlite::introspect(&conn, &[]).unwrap();
        database.sort();
        let replayed = replay(&[(path.display().to_string(), sql)]);
        let problems = disagreements(&replayed, &database);
        println!(
            "chinook {file}: {} tables, {} indexes, {:.2} s",
            database.tables.len(),
            database.indexes.len(),
            started.elapsed().as_secs_f64()
        );
        for p in &problems {
            println!("  {p}");
        }
        assert!(
            problems.is_empty(),
            "chinook {file}: {} disagreements",
            problems.len()
        );
        assert_eq!(database.tables.len(), 11, "chinook {file}");
    }
}

/// Field-by-field differences between two sorted schemas, one line each.
fn differences(replayed: &Schema, db: &Schema) -> Vec<String> {
    let d = D;
    let mut out = Vec::new();
    for t in &replayed.tables {
        let Some(u) = db.table(&t.name) else {
            out.push(format!("table {}: only replayed", t.name));
            continue;
        };
        if t.columns.len() != u.columns.len() {
            out.push(format!(
                "table {}: columns {:?} / {:?}",
                t.name,
                t.columns.iter().map(|c| &c.name).collect::<Vec<_>>(),
                u.columns.iter().map(|c| &c.name).collect::<Vec<_>>()
            ));
        }
        for (a, b) in t.columns.iter().zip(&u.columns) {
            let mut field = |what: &str, x: String, y: String| {
                if x != y {
                    out.push(format!(
                        "{}.{} {what}: replayed {x} / database {y}",
                        t.name, a.name
                    ));
                }
            };
            field(
                "name",
                a.name.to_ascii_lowercase(),
                b.name.to_ascii_lowercase(),
            );
            field("type", format!("{:?}", a.ty), format!("{:?}", b.ty));
            field("nullable", a.nullable.to_string(), b.nullable.to_string());
            field(
                "default",
                format!("{:?}", a.default.as_ref().map(|e| &e.key)),
                format!("{:?}", b.default.as_ref().map(|e| &e.key)),
            );
            field(
                "generated",
                format!("{:?}", a.generated),
                format!("{:?}", b.generated),
            );
            field(
                "autoincrement",
                a.autoincrement.to_string(),
                b.autoincrement.to_string(),
            );
            field(
                "collation",
                format!("{:?}", a.collation),
                format!("{:?}", b.collation),
            );
        }
        let mut field = |what: &str, x: String, y: String| {
            if x != y {
                out.push(format!("{} {what}: replayed {x} / database {y}", t.name));
            }
        };
        field(
            "primary key",
            format!("{:?}", t.primary_key),
            format!("{:?}", u.primary_key),
        );
        field(
            "uniques",
            format!("{:?}", t.uniques),
            format!("{:?}", u.uniques),
        );
        if t.checks != u.checks {
            field(
                "checks",
                format!("{:?}", t.checks),
                format!("{:?}", u.checks),
            );
        }
        if t.foreign_keys != u.foreign_keys {
            field(
                "foreign keys",
                format!("{:?}", t.foreign_keys),
                format!("{:?}", u.foreign_keys),
            );
        }
        field(
            "options",
            format!("rowid {} strict {}", t.without_rowid, t.strict),
            format!("rowid {} strict {}", u.without_rowid, u.strict),
        );
    }
    for u in &db.tables {
        if replayed.table(&u.name).is_none() {
            out.push(format!("table {}: only in the database", u.name));
        }
    }
    for i in &replayed.indexes {
        match db.index(&i.name) {
            None => out.push(format!("index {}: only replayed", i.name)),
            Some(j) if i != j => {
                out.push(format!("index {}: replayed {i:?} / database {j:?}", i.name))
            }
            Some(_) => {}
        }
    }
    for j in &db.indexes {
        if replayed.index(&j.name).is_none() {
            out.push(format!("index {}: only in the database", j.name));
        }
    }
    if replayed.views != db.views {
        out.push(format!(
            "views: replayed {:?} / database {:?}",
            replayed.views, db.views
        ));
    }
    for o in &replayed.opaque {
        if !db
            .opaque
            .iter()
            .any(|p| p.kind == o.kind && p.name.same_as(&o.name, d))
        {
            out.push(format!("{:?} {}: only replayed", o.kind, o.name));
        }
    }
    for p in &db.opaque {
        if !replayed
            .opaque
            .iter()
            .any(|o| p.kind == o.kind && p.name.same_as(&o.name, d))
        {
            out.push(format!("{:?} {}: only in the database", p.kind, p.name));
        }
    }
    out
}

/// DDL forms the corpora do not use, each a way SQLite's catalog could
/// disagree with the interpreter: type spellings, defaults, collations,
/// generated columns, constraint forms, table options, index forms, views,
/// triggers, ALTER TABLE and a hand-made rebuild.
#[test]
fn hand_written_ddl_replays_as_the_database_holds_it() {
    let sql = r#"
CREATE TABLE a (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  dp DOUBLE PRECISION NOT NULL DEFAULT -1.5,
  ts TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  pos INT DEFAULT +1,
  blob BLOB DEFAULT x'00ff',
  flag BOOLEAN NOT NULL DEFAULT TRUE,
  kind TEXT CHECK (kind IN ('x', 'y')) COLLATE NOCASE,
  [Bracketed Name] TEXT,
  `back` TEXT DEFAULT 'it''s',
  twice INT GENERATED ALWAYS AS (pos * 2) VIRTUAL,
  thrice INT AS (pos * 3) STORED,
  neg INT DEFAULT (-1),
  UNIQUE (kind, "back"),
  CHECK (pos >= 0 AND (pos < 100 OR pos IS NULL))
);
CREATE TABLE "b" (
  a_id INTEGER NOT NULL REFERENCES a ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  code TEXT NOT NULL,
  n NUMERIC(10, 2),
  CONSTRAINT b_pk PRIMARY KEY (a_id, code),
  CONSTRAINT b_fk FOREIGN KEY (a_id) REFERENCES a (id) ON UPDATE SET NULL
) WITHOUT ROWID;
CREATE TABLE s (id INTEGER PRIMARY KEY, v ANY) STRICT;
CREATE UNIQUE INDEX b_code ON b (code COLLATE NOCASE DESC) WHERE code <> '';
CREATE INDEX a_expr ON a (lower(kind), pos DESC);
CREATE VIEW v AS SELECT id, kind FROM a WHERE pos > 0;
CREATE TRIGGER t_a AFTER INSERT ON a BEGIN UPDATE a SET pos = 1 WHERE id = new.id; END;
ALTER TABLE s ADD COLUMN extra TEXT NOT NULL DEFAULT 'e';
ALTER TABLE s RENAME COLUMN extra TO more;
ALTER TABLE s RENAME TO s2;
CREATE TABLE d (x INT, y INT);
ALTER TABLE d DROP COLUMN y;
CREATE TABLE e (x "My Type", z DECIMAL( 10 , -2 ), y VARCHAR ( 20 ), w);
CREATE TABLE "_e_tmp" (x TEXT NOT NULL, a_id INTEGER REFERENCES a (id));
INSERT INTO "_e_tmp" (x) SELECT x FROM e;
DROP TABLE e;
ALTER TABLE "_e_tmp" RENAME TO "e";
ALTER TABLE e ADD COLUMN note TEXT DEFAULT (lower('X'));
CREATE INDEX IF NOT EXISTS e_x ON e (x);
CREATE INDEX IF NOT EXISTS e_x ON e (x);
CREATE UNIQUE INDEX e_lower ON e (lower(x)) WHERE note IS NOT NULL;
CREATE INDEX dropped ON e (note);
DROP INDEX dropped;
CREATE VIEW gone AS SELECT 1;
DROP VIEW gone;
CREATE VIEW named_columns (a, b) AS SELECT id, kind FROM a;
"#;
    let dir = tempfile::tempdir().unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("forms.db")).unwrap();
    conn.execute_batch(sql).unwrap();
    let mut database = cargo_migrate::introspect::sqlite::introspect(&conn, &[]).unwrap();
    database.sort();
    let replayed = replay(&[("forms.sql".into(), sql.into())]);
    let problems = disagreements(&replayed, &database);
    for p in &problems {
        println!("  {p}");
    }
    assert!(problems.is_empty(), "{} disagreements", problems.len());
    assert_eq!(database.tables.len(), 5);
    assert_eq!(database.indexes.len(), 4);
    assert_eq!(database.views.len(), 2);
}
