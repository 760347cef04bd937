//! One command on many SQLite databases (`--databases FILE`): a failing
//! target leaves the others applied, the summary tells each one's outcome
//! (text and JSON), and Ctrl-C stops between migrations with every history
//! table telling the truth.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::workspace::Workspace;

fn migrations(ws: &Workspace, list: &[(&str, &str)]) {
    for (i, (name, up)) in list.iter().enumerate() {
        let dir = format!("{}_{name}", 20260101000000u64 + i as u64);
        ws.write(&format!("migrations/{dir}/up.sql"), up);
        ws.write(
            &format!("migrations/{dir}/down.sql"),
            &format!("DROP TABLE {name};\n"),
        );
    }
    ws.migrate(&["hash"]).success();
}

fn open(ws: &Workspace, file: &str) -> rusqlite::Connection {
    rusqlite::Connection::open(ws.path(file)).unwrap()
}

/// (name, success) of each history row.
fn history(ws: &Workspace, file: &str) -> Vec<(String, bool)> {
    let conn = open(ws, file);
    let Ok(mut stmt) = conn.prepare("SELECT name, success FROM _migrate_history ORDER BY version")
    else {
        return Vec::new();
    };
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn has_table(ws: &Workspace, file: &str, table: &str) -> bool {
    open(ws, file)
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
        == 1
}

#[test]
fn a_failing_database_leaves_the_others_applied() {
    let ws = Workspace::new("sqlite", "");
    migrations(
        &ws,
        &[
            ("a", "CREATE TABLE a (id INTEGER);\n"),
            ("b", "CREATE TABLE b (id INTEGER);\n"),
        ],
    );
    // t2 already has a table `b`: its second migration fails.
    open(&ws, "t2.db")
        .execute_batch("CREATE TABLE b (x INTEGER);")
        .unwrap();
    ws.write(
        "tenants.txt",
        "# one database per tenant\nsqlite:t1.db\n\n  sqlite:t2.db  \n   # t4 moved\nsqlite:t3.db\n",
    );
    let run = ws
        .migrate(&["apply", "--databases", "tenants.txt", "--jobs", "2"])
        .code_is(1)
        .stdout_has("sqlite:t1.db: applied 2 migrations")
        .stdout_has("sqlite:t3.db: applied 2 migrations")
        .stdout_has("sqlite:t2.db: failed: migration 20260101000001_b failed")
        .stdout_has("3 target(s): 2 applied, 1 failed")
        .stderr_has("1 of 3 target(s) failed");
    assert!(
        run.stdout().contains("table b already exists"),
        "{}",
        run.stdout()
    );
    for t in ["t1.db", "t3.db"] {
        assert_eq!(
            history(&ws, t),
            vec![("a".to_string(), true), ("b".to_string(), true)]
        );
    }
    assert_eq!(
        history(&ws, "t2.db"),
        vec![("a".to_string(), true), ("b".to_string(), false)]
    );

    // The same in JSON, from status.
    let run = ws
        .migrate(&["status", "--databases", "tenants.txt", "--format", "json"])
        .code_is(2);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let statuses: Vec<&str> = json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["up_to_date", "problems", "up_to_date"]);
    assert_eq!(json["problems"], 1);
    assert!(
        json["targets"][1]["problems"][0]
            .as_str()
            .unwrap()
            .contains("failed in a previous run")
    );

    // `down` on all of them: the failed one is refused, the others revert.
    ws.migrate(&["down", "--databases", "tenants.txt"])
        .code_is(1)
        .stdout_has("sqlite:t1.db: reverted 1 migration")
        .stdout_has("sqlite:t2.db: failed: refusing");
    assert!(!has_table(&ws, "t1.db", "b") && has_table(&ws, "t1.db", "a"));
}

#[test]
fn fail_fast_starts_no_further_target() {
    let ws = Workspace::new("sqlite", "");
    migrations(&ws, &[("a", "CREATE TABLE a (id INTEGER);\n")]);
    open(&ws, "t1.db")
        .execute_batch("CREATE TABLE a (x INTEGER);")
        .unwrap();
    ws.write("dbs", "sqlite:t1.db\nsqlite:t2.db\nsqlite:t3.db\n");
    ws.migrate(&["apply", "--databases", "dbs", "--jobs", "1", "--fail-fast"])
        .code_is(1)
        .stdout_has("sqlite:t1.db: failed")
        .stdout_has("sqlite:t2.db: not started")
        .stdout_has("sqlite:t3.db: not started")
        .stderr_has("2 not started");
    assert!(!ws.path("t2.db").exists());
}

#[test]
fn a_bad_line_is_named_without_running_anything() {
    let ws = Workspace::new("sqlite", "");
    migrations(&ws, &[("a", "CREATE TABLE a (id INTEGER);\n")]);
    ws.write(
        "dbs",
        "sqlite:t1.db\npostgres://app:hunter2secret@db.invalid/app\n",
    );
    let run = ws
        .migrate(&["apply", "--databases", "dbs"])
        .code_is(1)
        .stderr_has("dbs:2:");
    assert!(!run.stderr().contains("hunter2secret"), "{}", run.stderr());
    assert!(!ws.path("t1.db").exists());
}

/// Ctrl-C while targets run: each running target finishes the migration it
/// is in and starts no other, no new target starts, and the summary says
/// which were not started. Every history table matches its database.
#[test]
fn ctrl_c_stops_between_migrations_and_the_summary_says_what_was_not_started() {
    let ws = Workspace::new("sqlite", "");
    // Each migration takes a while (a recursive query writing rows).
    let slow = |name: &str| {
        format!(
            "CREATE TABLE {name} AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT x FROM c;\n"
        )
    };
    let names = ["m1", "m2", "m3", "m4"];
    let ups: Vec<String> = names.iter().map(|n| slow(n)).collect();
    let list: Vec<(&str, &str)> = names
        .iter()
        .copied()
        .zip(ups.iter().map(String::as_str))
        .collect();
    migrations(&ws, &list);
    let files: Vec<String> = (1..=6).map(|i| format!("t{i}.db")).collect();
    ws.write(
        "dbs",
        &files
            .iter()
            .map(|f| format!("sqlite:{f}\n"))
            .collect::<String>(),
    );
    let child = ws
        .command(&["apply", "--databases", "dbs", "--jobs", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once the first migration of a target is in.
    let deadline = Instant::now() + Duration::from_secs(120);
    while !files
        .iter()
        .any(|f| ws.path(f).exists() && !history(&ws, f).is_empty())
    {
        assert!(Instant::now() < deadline, "no migration was applied");
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // As a single run interrupted between two migrations.
    assert_eq!(out.status.code(), Some(130), "{stdout}\n{stderr}");
    assert!(stdout.contains("interrupted by Ctrl-C"), "{stdout}");
    assert!(stderr.contains("interrupted by Ctrl-C"), "{stderr}");
    assert!(stdout.contains("not started"), "{stdout}");
    let mut untouched = 0;
    for f in &files {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("sqlite:{f}:")))
            .unwrap_or_else(|| panic!("no summary line for {f}:\n{stdout}"));
        if !ws.path(f).exists() {
            assert!(line.ends_with("not started"), "{line}");
            untouched += 1;
            continue;
        }
        // All or nothing per migration: a table iff a successful row.
        let rows = history(&ws, f);
        assert!(rows.iter().all(|(_, ok)| *ok), "{f}: {rows:?}");
        for n in names {
            let recorded = rows.iter().any(|(name, _)| name == n);
            assert_eq!(has_table(&ws, f, n), recorded, "{f}: {n} vs {rows:?}");
        }
        if rows.len() < names.len() {
            assert!(line.contains("interrupted"), "{line}");
        }
    }
    assert!(untouched >= 1, "every target started:\n{stdout}");
}
