//! `cargo migrate apply --single-transaction` on SQLite and PostgreSQL:
//! all pending migrations and their history rows commit together, a late
//! failure leaves nothing of the run, and `-- migrate:no-transaction`
//! migrations are refused before anything runs.

mod common;

use common::pg::TestDb;
use common::workspace::{Run, Workspace};

/// Writes migration folders `2026010100000<i>_<name>` and hashes.
fn migrations(ws: &Workspace, list: &[(&str, &str)]) -> Vec<String> {
    let dirs: Vec<String> = list
        .iter()
        .enumerate()
        .map(|(i, (name, up))| {
            let dir = format!("{}_{name}", 20260101000000u64 + i as u64);
            ws.write(&format!("migrations/{dir}/up.sql"), up);
            dir
        })
        .collect();
    ws.migrate(&["hash"]).success();
    dirs
}

fn sqlite_history(ws: &Workspace) -> Vec<(String, bool)> {
    let conn = ws.db();
    let mut stmt = conn
        .prepare("SELECT version, success FROM _migrate_history ORDER BY version")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn pg_run(ws: &Workspace, db: &TestDb, args: &[&str]) -> Run {
    let mut c = ws.command(args);
    c.env("DATABASE_URL", &db.url);
    Run {
        output: c.output().unwrap(),
    }
}

fn pg_history(db: &mut TestDb) -> Vec<(String, bool)> {
    db.client
        .query(
            "SELECT version, success FROM public._migrate_history ORDER BY version",
            &[],
        )
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

fn pg_tables(db: &mut TestDb) -> Vec<String> {
    db.client
        .query(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
            &[],
        )
        .unwrap()
        .into_iter()
        .map(|r| r.get(0))
        .collect()
}

/// Three good migrations, then one that fails on its second statement.
const LATE_FAILURE: &[(&str, &str)] = &[
    ("a", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n"),
    (
        "b",
        "CREATE TABLE b (id INTEGER PRIMARY KEY);\nINSERT INTO b VALUES (1);\n",
    ),
    ("c", "CREATE TABLE c (id INTEGER PRIMARY KEY);\n"),
    (
        "d",
        "CREATE TABLE d (id INTEGER);\nINSERT INTO missing VALUES (1);\n",
    ),
];

#[test]
fn sqlite_single_transaction_applies_all_with_their_history() {
    let ws = Workspace::new("sqlite", "");
    let dirs = migrations(&ws, &LATE_FAILURE[..3]);
    ws.migrate(&["apply", "--single-transaction"])
        .success()
        .stderr_has("Committed")
        .stderr_has("3 migrations in one transaction");
    let versions: Vec<(String, bool)> = dirs.iter().map(|d| (d[..14].to_string(), true)).collect();
    assert_eq!(sqlite_history(&ws), versions);
    assert_eq!(ws.tables(), vec!["_migrate_history", "a", "b", "c"]);
    // Nothing pending: a second run is a no-op.
    ws.migrate(&["apply", "--single-transaction"])
        .success()
        .stderr_has("is up to date");
}

#[test]
fn sqlite_late_failure_rolls_back_the_whole_run() {
    let ws = Workspace::new("sqlite", "");
    let dirs = migrations(&ws, LATE_FAILURE);
    let run = ws
        .migrate(&["apply", "--single-transaction"])
        .failure()
        .stderr_has(&format!("migration {} failed", dirs[3]))
        .stderr_has("with the 3 migrations that ran before it")
        .stderr_has("nothing of this run was applied");
    assert!(
        run.stderr().contains("no such table: missing"),
        "{}",
        run.stderr()
    );
    // Only the failure is recorded, outside the rolled-back transaction.
    assert_eq!(
        sqlite_history(&ws),
        vec![(dirs[3][..14].to_string(), false)]
    );
    assert_eq!(ws.tables(), vec!["_migrate_history"]);
}

#[test]
fn sqlite_no_transaction_migration_is_refused_before_anything_runs() {
    let ws = Workspace::new("sqlite", "");
    let dirs = migrations(
        &ws,
        &[
            ("a", "CREATE TABLE a (id INTEGER);\n"),
            (
                "outside",
                "-- migrate:no-transaction\nCREATE TABLE o (id INTEGER);\n",
            ),
        ],
    );
    ws.migrate(&["apply", "--single-transaction"])
        .failure()
        .stderr_has(&dirs[1])
        .stderr_has("-- migrate:no-transaction")
        .stderr_has("nothing was run");
    assert!(sqlite_history(&ws).is_empty());
    assert_eq!(ws.tables(), vec!["_migrate_history"]);
    // Up to the one before it, it works.
    ws.migrate(&["apply", "--single-transaction", "--to", &dirs[0][..14]])
        .success();
    assert_eq!(ws.tables(), vec!["_migrate_history", "a"]);
}

#[test]
fn sqlite_foreign_keys_are_on_again_after_the_run() {
    let ws = Workspace::new("sqlite", "");
    migrations(
        &ws,
        &[
            ("p", "CREATE TABLE p (id INTEGER PRIMARY KEY);\n"),
            (
                "c",
                "CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p (id));\nINSERT INTO c VALUES (1, 42);\n",
            ),
        ],
    );
    // The second migration leaves a row pointing nowhere: refused, like
    // without --single-transaction, and the whole run goes.
    ws.migrate(&["apply", "--single-transaction"])
        .failure()
        .stderr_has("references a missing row of p");
    assert_eq!(ws.tables(), vec!["_migrate_history"]);
}

#[test]
fn pg_single_transaction_applies_all_with_their_history() {
    let mut db = test_db!();
    let ws = Workspace::new("postgres", "");
    let dirs = migrations(&ws, &LATE_FAILURE[..3]);
    pg_run(&ws, &db, &["apply", "--single-transaction"])
        .success()
        .stderr_has("3 migrations in one transaction");
    let versions: Vec<(String, bool)> = dirs.iter().map(|d| (d[..14].to_string(), true)).collect();
    assert_eq!(pg_history(&mut db), versions);
    assert_eq!(pg_tables(&mut db), vec!["_migrate_history", "a", "b", "c"]);
    pg_run(&ws, &db, &["status"]).success();
}

#[test]
fn pg_late_failure_rolls_back_the_whole_run() {
    let mut db = test_db!();
    let ws = Workspace::new("postgres", "");
    let dirs = migrations(&ws, LATE_FAILURE);
    let run = pg_run(&ws, &db, &["apply", "--single-transaction"])
        .failure()
        .stderr_has(&format!("migration {} failed", dirs[3]))
        .stderr_has("with the 3 migrations that ran before it");
    assert!(
        run.stderr().contains("relation \"missing\" does not exist"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        pg_history(&mut db),
        vec![(dirs[3][..14].to_string(), false)]
    );
    assert_eq!(pg_tables(&mut db), vec!["_migrate_history"]);
    // Settled and fixed, the next run applies everything.
    pg_run(&ws, &db, &["resolve", "--rolled-back", &dirs[3][..14]]).success();
    ws.write(
        &format!("migrations/{}/up.sql", dirs[3]),
        "CREATE TABLE d (id INTEGER);\n",
    );
    ws.migrate(&["hash"]).success();
    pg_run(&ws, &db, &["apply", "--single-transaction"]).success();
    assert_eq!(pg_history(&mut db).len(), 4);
    assert_eq!(
        pg_tables(&mut db),
        vec!["_migrate_history", "a", "b", "c", "d"]
    );
}

#[test]
fn pg_no_transaction_migration_is_refused_before_anything_runs() {
    let mut db = test_db!();
    let ws = Workspace::new("postgres", "");
    let dirs = migrations(
        &ws,
        &[
            ("a", "CREATE TABLE a (id int);\n"),
            (
                "concurrently",
                "-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n",
            ),
        ],
    );
    pg_run(&ws, &db, &["apply", "--single-transaction"])
        .failure()
        .stderr_has(&dirs[1])
        .stderr_has("nothing was run");
    assert!(pg_history(&mut db).is_empty());
    assert_eq!(pg_tables(&mut db), vec!["_migrate_history"]);
}
