//! How `cargo migrate` fails on PostgreSQL, end to end: refusals before
//! anything runs, the migration's error kept when recording it fails, a
//! killed runner's lock, a history table of another shape, and kills at
//! random moments.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::pg::TestDb;
use common::workspace::{Run, Workspace};

fn cmd(ws: &Workspace, db: &TestDb, args: &[&str]) -> Command {
    let mut c = ws.command(args);
    c.env("DATABASE_URL", &db.url);
    c
}

fn run(ws: &Workspace, db: &TestDb, args: &[&str]) -> Run {
    Run {
        output: cmd(ws, db, args).output().unwrap(),
    }
}

fn spawn(ws: &Workspace, db: &TestDb, args: &[&str]) -> Child {
    cmd(ws, db, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Writes migration folders `2026010100000<i>_<name>` (up, down) and hashes.
fn migrations(ws: &Workspace, list: &[(&str, &str, &str)]) -> Vec<String> {
    let dirs: Vec<String> = list
        .iter()
        .enumerate()
        .map(|(i, (name, up, down))| {
            let dir = format!("{}_{name}", 20260101000000u64 + i as u64);
            ws.write(&format!("migrations/{dir}/up.sql"), up);
            ws.write(&format!("migrations/{dir}/down.sql"), down);
            dir
        })
        .collect();
    ws.migrate(&["hash"]).success();
    dirs
}

fn tables(db: &mut TestDb) -> Vec<String> {
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

fn history(db: &mut TestDb) -> Vec<(String, bool)> {
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

/// Waits until a backend of this database runs a statement containing `needle`.
fn wait_for_statement(db: &mut TestDb, needle: &str) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let row = db
            .client
            .query_opt(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() \
                 AND pid <> pg_backend_pid() AND state = 'active' AND strpos(query, $1) > 0",
                &[&needle],
            )
            .unwrap();
        if let Some(r) = row {
            return r.get(0);
        }
        assert!(Instant::now() < deadline, "no backend ran {needle}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn transaction_control_is_refused_before_anything_runs() {
    let mut db = test_db!();
    let ws = Workspace::new("postgres", "");
    let dirs = migrations(
        &ws,
        &[(
            "own_transaction",
            "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);\nSELECT 1/0;\n",
            "",
        )],
    );
    let run = run(&ws, &db, &["apply"])
        .failure()
        .stderr_has(&format!("migrations/{}/up.sql:1:1: `BEGIN`", dirs[0]))
        .stderr_has("-- migrate:no-transaction");
    assert!(
        !run.stderr().contains("division by zero"),
        "{}",
        run.stderr()
    );
    assert_eq!(tables(&mut db), vec!["_migrate_history".to_string()]);
    assert!(history(&mut db).is_empty());
}

/// The backend is terminated mid-statement: the migration's error comes
/// first, and the history write that fails after it is named second.
#[test]
fn a_terminated_backend_shows_the_migrations_error_before_the_history_error() {
    let mut db = test_db!();
    let ws = Workspace::new("postgres", "");
    let dirs = migrations(
        &ws,
        &[(
            "sleepy",
            "CREATE TABLE t (id int);\nSELECT pg_sleep(20) AS terminate_me;\n",
            "",
        )],
    );
    let child = spawn(&ws, &db, &["apply"]);
    let pid = wait_for_statement(&mut db, "terminate_me");
    db.client
        .execute("SELECT pg_terminate_backend($1)", &[&pid])
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let location = format!("migrations/{}/up.sql:2:1", dirs[0]);
    let first = stderr.find(&location);
    let second = stderr.find("recording the failure in the history table failed too");
    assert!(
        matches!((first, second), (Some(a), Some(b)) if a < b),
        "{stderr}"
    );
    assert!(stderr.contains("and was rolled back"), "{stderr}");
    assert!(stderr.contains("still pending"), "{stderr}");
    assert_eq!(tables(&mut db), vec!["_migrate_history".to_string()]);
    // Nothing recorded, so the next run simply applies it (quickly this time).
    ws.write(
        &format!("migrations/{}/up.sql", dirs[0]),
        "CREATE TABLE t (id int);\n",
    );
    ws.migrate(&["hash"]).success();
    run(&ws, &db, &["apply"]).success();
}

/// kill -9 of a runner in a long statement: the server notices the lost
/// client (client_connection_check_interval) and frees the run lock long
/// before the statement would end.
#[test]
fn a_killed_runners_lock_is_released_before_its_statement_ends() {
    let mut db = test_db!();
    let ws = Workspace::new("postgres", "");
    migrations(&ws, &[("sleepy", "SELECT pg_sleep(40) AS kill_me;\n", "")]);
    let mut child = spawn(&ws, &db, &["apply"]);
    wait_for_statement(&mut db, "kill_me");
    // While it runs, every other runner waits for it; one that gives up
    // says who holds the lock.
    for args in [
        &["down"][..],
        &["apply"][..],
        &["resolve", "--rolled-back", "20260101000000"][..],
        &["reset", "--force"][..],
    ] {
        let waiting = cmd(&ws, &db, args)
            .env("CARGO_MIGRATE_LOCK_TIMEOUT", "0.5")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&waiting.stderr);
        assert_eq!(waiting.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("another migration run holds the lock")
                && stderr.contains("holds it")
                && stderr.contains("may be a client that died"),
            "{args:?}: {stderr}"
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let start = Instant::now();
    let out = cmd(&ws, &db, &["down"])
        .env("CARGO_MIGRATE_LOCK_TIMEOUT", "15")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(start.elapsed() < Duration::from_secs(15));
    assert!(history(&mut db).is_empty());
}

#[test]
fn a_history_table_of_another_shape_names_the_column() {
    let mut db = test_db!();
    let ws = Workspace::new("postgres", "");
    migrations(&ws, &[("t", "CREATE TABLE t (id int);\n", "")]);
    db.exec(
        "CREATE TABLE _migrate_history (version text PRIMARY KEY, name text, checksum text NOT NULL, \
         applied_at timestamptz NOT NULL DEFAULT now(), execution_ms integer NOT NULL, success boolean NOT NULL, error text)",
    );
    for args in [&["status"][..], &["apply"][..]] {
        let run = run(&ws, &db, args);
        assert_eq!(run.code(), 1, "{}", run.stderr());
        assert!(
            run.stderr()
                .contains("column `execution_ms` is integer; it should be bigint"),
            "{}",
            run.stderr()
        );
        assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
    }
    db.exec(
        "ALTER TABLE _migrate_history ALTER COLUMN execution_ms TYPE bigint;\n\
         INSERT INTO _migrate_history (version, name, checksum, execution_ms, success) VALUES ('1', NULL, 'x', 1, true)",
    );
    run(&ws, &db, &["status"])
        .failure()
        .stderr_has("row 1: `name` is NULL")
        .stderr_has("name text NOT NULL");
}

/// `MIGRATE_KILL_TRIES` (default 6) runs of a transactional migration,
/// killed with SIGKILL after a random delay: all of it with its history row,
/// or none of it.
#[test]
fn a_transactional_migration_killed_at_any_moment_is_all_or_nothing() {
    let mut db = test_db!();
    let tries: usize = std::env::var("MIGRATE_KILL_TRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let ws = Workspace::new("postgres", "");
    let up = "CREATE TABLE t (id int PRIMARY KEY, v text);\n\
              INSERT INTO t SELECT i, 'x' || i FROM generate_series(1, 200000) i;\n\
              ALTER TABLE t ALTER COLUMN v SET NOT NULL;\n\
              CREATE INDEX t_v ON t (v);\n\
              CREATE TABLE u AS SELECT * FROM t;\n";
    migrations(&ws, &[("big", up, "DROP TABLE u;\nDROP TABLE t;\n")]);
    let start = Instant::now();
    run(&ws, &db, &["apply"]).success();
    let full = start.elapsed();
    let (mut before, mut after) = (0, 0);
    for i in 0..tries {
        run(&ws, &db, &["down"]).success();
        let mut child = cmd(&ws, &db, &["apply"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos() as u64;
        let span = (full.as_millis() as u64 * 2).max(1);
        std::thread::sleep(Duration::from_millis((nanos / 7 + i as u64 * 37) % span));
        let _ = child.kill();
        let _ = child.wait();
        // What other sessions see: all or nothing (a COMMIT already sent may
        // still land, which the next run waits for under the lock).
        match history(&mut db).len() {
            0 => assert_eq!(tables(&mut db), vec!["_migrate_history".to_string()]),
            1 => assert_eq!(tables(&mut db).len(), 3),
            n => panic!("{n} history rows"),
        }
        // The server ends the orphaned backend; its transaction rolls back.
        let out = cmd(&ws, &db, &["apply"])
            .env("CARGO_MIGRATE_LOCK_TIMEOUT", "30")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if String::from_utf8_lossy(&out.stderr).contains("is up to date") {
            after += 1;
        } else {
            before += 1;
        }
        assert_eq!(history(&mut db).len(), 1);
        let n: i64 = db
            .client
            .query_one("SELECT count(*) FROM u", &[])
            .unwrap()
            .get(0);
        assert_eq!(n, 200000);
    }
    eprintln!("killed {tries} runs: {before} left it before, {after} after");
}

/// A NUL byte in a statement: the migration's own error (with its
/// file:line:col) is what the user reads first, never only the history
/// table's complaint about the NUL in the recorded error.
#[test]
fn a_nul_byte_shows_the_migrations_error_first() {
    let mut db = test_db!();
    let ws = Workspace::new("postgres", "");
    let dirs = migrations(
        &ws,
        &[("nul", "CREATE TABLE t (id int);\nSELECT 'a\0b';\n", "")],
    );
    let run = run(&ws, &db, &["apply"]).failure();
    let stderr = run.stderr();
    let location = stderr
        .find(&format!("migrations/{}/up.sql:2:", dirs[0]))
        .unwrap_or_else(|| panic!("{stderr}"));
    if let Some(history_error) = stderr.find("writing the history table") {
        assert!(location < history_error, "{stderr}");
    }
    assert!(!tables(&mut db).contains(&"t".to_string()), "{stderr}");
}
