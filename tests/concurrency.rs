//! Runners at the same time on one SQLite database: the run lock beside the
//! database keeps `apply`, `down`, `reset` and `resolve` from interleaving.

mod common;

use std::process::{Child, Output, Stdio};

use common::workspace::Workspace;

fn migrations(ws: &Workspace, list: &[(String, String, String)]) {
    for (i, (name, up, down)) in list.iter().enumerate() {
        let dir = format!("{}_{name}", 20260101000000u64 + i as u64);
        ws.write(&format!("migrations/{dir}/up.sql"), up);
        ws.write(&format!("migrations/{dir}/down.sql"), down);
    }
    ws.migrate(&["hash"]).success();
}

fn count(ws: &Workspace, sql: &str) -> i64 {
    ws.db().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn spawn(ws: &Workspace, args: &[&str]) -> Child {
    ws.command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finished(child: Child) -> Output {
    child.wait_with_output().unwrap()
}

#[track_caller]
fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// 16 runners, 50 `-- migrate:no-transaction` migrations (which the
/// per-migration transaction cannot protect): each runs exactly once.
#[test]
fn sixteen_concurrent_applies_run_each_no_transaction_migration_once() {
    let ws = Workspace::new("sqlite", "");
    let mut list = vec![(
        "effects".to_string(),
        "CREATE TABLE effects (migration INTEGER NOT NULL);\n".to_string(),
        String::new(),
    )];
    for i in 1..=50 {
        list.push((
            format!("effect_{i}"),
            format!("-- migrate:no-transaction\nINSERT INTO effects VALUES ({i});\n"),
            String::new(),
        ));
    }
    migrations(&ws, &list);
    let children: Vec<Child> = (0..16).map(|_| spawn(&ws, &["apply"])).collect();
    for child in children {
        assert_ok(&finished(child));
    }
    assert_eq!(count(&ws, "SELECT count(*) FROM effects"), 50);
    assert_eq!(
        count(&ws, "SELECT count(DISTINCT migration) FROM effects"),
        50
    );
    assert_eq!(count(&ws, "SELECT count(*) FROM _migrate_history"), 51);
}

/// `down` reverting two migrations while `apply` runs: `apply` must never
/// see the first applied and the second pending halfway through `down`.
#[test]
fn apply_alongside_down_never_fails_a_good_migration() {
    let ws = Workspace::new("sqlite", "");
    // The down of `p` (reverted second) is slow: the window in which `c` is
    // reverted and `p` not yet.
    migrations(
        &ws,
        &[
            (
                "p".to_string(),
                "CREATE TABLE p (id INTEGER PRIMARY KEY);\n".to_string(),
                "CREATE TABLE slow AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) SELECT i FROM n;\nDROP TABLE slow;\nDROP TABLE p;\n".to_string(),
            ),
            (
                "c".to_string(),
                "CREATE TABLE c (id INTEGER PRIMARY KEY);\nINSERT INTO p VALUES (1);\n".to_string(),
                "DELETE FROM p;\nDROP TABLE c;\n".to_string(),
            ),
        ],
    );
    ws.migrate(&["apply"]).success();
    for _ in 0..4 {
        let down = spawn(&ws, &["down", "--steps", "2"]);
        std::thread::sleep(std::time::Duration::from_millis(100));
        let apply = spawn(&ws, &["apply"]);
        assert_ok(&finished(down));
        assert_ok(&finished(apply));
        // Whatever the order, the history matches the tables.
        let applied = count(&ws, "SELECT count(*) FROM _migrate_history");
        let tables = ws.tables();
        match applied {
            0 => assert_eq!(tables, vec!["_migrate_history".to_string()]),
            2 => assert!(tables.contains(&"c".to_string()), "{tables:?}"),
            n => panic!("{n} migrations applied: {tables:?}"),
        }
        ws.migrate(&["apply"]).success();
    }
}

/// A runner that gives up waiting names the process holding the lock. The
/// lock is held by this test through the runner's own database type, so the
/// holder cannot finish early on a loaded machine.
#[test]
fn a_runner_that_waits_too_long_names_the_pid_holding_the_lock() {
    use cargo_migrate::db::sqlite::Sqlite;
    use cargo_migrate::db::{Database, Open};

    let ws = Workspace::new("sqlite", "");
    migrations(
        &ws,
        &[(
            "t".to_string(),
            "CREATE TABLE t (id INTEGER PRIMARY KEY);\n".to_string(),
            "DROP TABLE t;\n".to_string(),
        )],
    );
    let path = ws.path("dev.db");
    let mut holder = Sqlite::open(
        &path,
        format!("sqlite:{}", path.display()),
        "_migrate_history",
        Open::CreateIfMissing,
    )
    .unwrap();
    holder.lock().unwrap();
    let pid = std::process::id();
    let lock = ws.path("dev.db.migrate-lock");
    assert!(
        std::fs::read_to_string(&lock).is_ok_and(|t| t.contains(&format!("pid {pid}"))),
        "the lock file names its holder"
    );
    for args in [
        &["apply"][..],
        &["down"][..],
        &["resolve", "--rolled-back", "20260101000000"][..],
        &["reset", "--force"][..],
    ] {
        let out = ws
            .command(args)
            .env("CARGO_MIGRATE_LOCK_TIMEOUT", "0.3")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("another migration run holds the lock; waited 0.3 s")
                && stderr.contains(&format!("pid {pid} (since ")),
            "{args:?}: {stderr}"
        );
    }
    // Nothing ran while the lock was held; once released, the run goes on.
    assert_eq!(
        count(&ws, "SELECT count(*) FROM sqlite_schema WHERE name = 't'"),
        0
    );
    holder.unlock().unwrap();
    drop(holder);
    ws.migrate(&["apply"]).success();
    assert_eq!(count(&ws, "SELECT count(*) FROM _migrate_history"), 1);
}
