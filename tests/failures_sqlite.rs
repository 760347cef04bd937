//! How `cargo migrate` fails on SQLite, end to end: what it refuses before
//! running anything, what it says stayed applied, and that a run killed at
//! any moment leaves the database fully before or fully after a migration.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::workspace::Workspace;

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

fn count(ws: &Workspace, sql: &str) -> i64 {
    ws.db().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn history(ws: &Workspace) -> Vec<(String, bool)> {
    let conn = ws.db();
    let mut stmt = conn
        .prepare("SELECT version, success FROM _migrate_history ORDER BY version")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn transaction_control_in_a_transactional_migration_is_refused_before_anything_runs() {
    let ws = Workspace::new("sqlite", "");
    let dirs = migrations(
        &ws,
        &[
            ("first", "CREATE TABLE first (id INTEGER);\n", ""),
            (
                "own_transaction",
                "-- imported from another tool\nCREATE TABLE a (id INTEGER);\n  BEGIN;\nCREATE TABLE b (id INTEGER);\nCOMMIT;\n",
                "",
            ),
        ],
    );
    let run = ws
        .migrate(&["apply"])
        .failure()
        .stderr_has(&format!("migrations/{}/up.sql:3:3: `BEGIN`", dirs[1]))
        .stderr_has("nothing was run")
        .stderr_has("-- migrate:no-transaction");
    assert!(!run.stderr().contains("UNIQUE"), "{}", run.stderr());
    // Checked for the whole run before the first migration: not even `first` ran.
    assert_eq!(ws.tables(), vec!["_migrate_history".to_string()]);
    assert!(history(&ws).is_empty());
    // Nothing is recorded as failed: `status` shows both pending.
    ws.migrate(&["status"]).code_is(2).stdout_has("0 failed");

    // Marked as managing its own transactions, it runs as written.
    ws.write(
        &format!("migrations/{}/up.sql", dirs[1]),
        "-- migrate:no-transaction\nCREATE TABLE a (id INTEGER);\nBEGIN;\nCREATE TABLE b (id INTEGER);\nCOMMIT;\n",
    );
    ws.migrate(&["hash"]).success();
    ws.migrate(&["apply"]).success();
    assert_eq!(history(&ws).len(), 2);
    assert!(ws.tables().contains(&"b".to_string()));
}

#[test]
fn a_transactional_down_with_commit_is_refused_too() {
    let ws = Workspace::new("sqlite", "");
    let dirs = migrations(
        &ws,
        &[(
            "t",
            "CREATE TABLE t (id INTEGER);\n",
            "DROP TABLE t;\nEND TRANSACTION;\n",
        )],
    );
    ws.migrate(&["apply"]).success();
    ws.migrate(&["down"]).failure().stderr_has(&format!(
        "migrations/{}/down.sql:2:1: `END TRANSACTION`",
        dirs[0]
    ));
    assert!(ws.tables().contains(&"t".to_string()));
    assert_eq!(history(&ws).len(), 1);
}

#[test]
fn a_no_transaction_failure_says_what_stayed_applied() {
    let ws = Workspace::new("sqlite", "");
    migrations(
        &ws,
        &[(
            "half",
            "-- migrate:no-transaction\nCREATE TABLE a (id INTEGER);\nCREATE TABLE b (id INTEGER);\nINSERT INTO nowhere VALUES (1);\n",
            "",
        )],
    );
    let run = ws
        .migrate(&["apply"])
        .failure()
        .stderr_has("statement 3 of 3; the 2 before it ran outside a transaction and stay applied")
        .stderr_has("resolve --applied");
    assert!(
        !run.stderr().contains("nothing of it was applied"),
        "{}",
        run.stderr()
    );
    assert!(!run.stderr().contains("rolled back:"), "{}", run.stderr());
    assert!(ws.tables().contains(&"b".to_string()));
}

/// Some randomness without a crate: the clock and a counter, hashed.
fn random_below(n: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish() % n.max(1)
}

/// `MIGRATE_KILL_TRIES` (default 8) runs of a transactional migration, each
/// killed with SIGKILL after a random delay: the database holds all of it
/// with its history row, or none of it, and the next `apply` finishes it.
#[test]
fn a_transactional_migration_killed_at_any_moment_is_all_or_nothing() {
    let tries: usize = std::env::var("MIGRATE_KILL_TRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let ws = Workspace::new("sqlite", "");
    // Rows, a table rebuild and an index: long enough to be killed inside.
    let up = "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\n\
              WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000) INSERT INTO t SELECT i, 'x' || i FROM n;\n\
              CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT NOT NULL);\n\
              INSERT INTO t_new SELECT id, v FROM t;\n\
              DROP TABLE t;\n\
              ALTER TABLE t_new RENAME TO t;\n\
              CREATE INDEX t_v ON t (v);\n";
    migrations(
        &ws,
        &[
            ("base", "CREATE TABLE base (id INTEGER);\n", ""),
            ("big", up, "DROP TABLE t;\n"),
        ],
    );
    ws.migrate(&["apply", "--to", "20260101000000"]).success();
    // How long an undisturbed run takes, to spread the kills over it.
    let start = Instant::now();
    ws.migrate(&["apply"]).success();
    let full = start.elapsed();
    let (mut before, mut after) = (0, 0);
    for _ in 0..tries {
        ws.migrate(&["down"]).success();
        assert_eq!(history(&ws).len(), 1);
        let mut child = ws
            .command(&["apply"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let delay = Duration::from_millis(random_below(full.as_millis() as u64 * 3 / 2));
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let tables = ws.tables();
        match history(&ws).len() {
            1 => {
                before += 1;
                assert!(
                    !tables.iter().any(|t| t == "t" || t == "t_new"),
                    "{tables:?}"
                );
            }
            2 => {
                after += 1;
                assert_eq!(count(&ws, "SELECT count(*) FROM t"), 150000);
                assert_eq!(
                    count(&ws, "SELECT count(*) FROM sqlite_schema WHERE name = 't_v'"),
                    1
                );
            }
            n => panic!("{n} history rows"),
        }
        // The killed run's lock went with its process: no waiting here.
        let start = Instant::now();
        ws.command(&["apply"])
            .env("CARGO_MIGRATE_LOCK_TIMEOUT", "2")
            .output()
            .map(|o| assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr)))
            .unwrap();
        assert!(start.elapsed() < Duration::from_secs(2) + full * 2);
        assert_eq!(history(&ws).len(), 2);
        assert_eq!(count(&ws, "SELECT count(*) FROM t"), 150000);
    }
    eprintln!("killed {tries} runs: {before} left it before, {after} after");
}

/// `cargo migrate apply 2>&1 | head -1`: stderr closes after the first line.
/// The run goes on to the end (no panic, exit 0); a closed stdout stops a
/// dry run cleanly (exit 1, not a panic's 101).
#[test]
fn a_closed_stderr_or_stdout_is_never_a_panic() {
    use std::io::BufRead;
    let ws = Workspace::new("sqlite", "");
    let list: Vec<(String, String)> = (0..30)
        .map(|i| {
            (
                format!("m{i}"),
                format!(
                    "CREATE TABLE t{i} AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) SELECT i FROM n;\n"
                ),
            )
        })
        .collect();
    let refs: Vec<(&str, &str, &str)> = list
        .iter()
        .map(|(n, u)| (n.as_str(), u.as_str(), ""))
        .collect();
    migrations(&ws, &refs);

    let mut child = ws
        .command(&["apply"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe's read end is closed.
    assert!(first.contains("Applying"), "{first}");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert_eq!(history(&ws).len(), 30);

    ws.migrate(&["down", "--steps", "30"]).success();
    let mut child = ws
        .command(&["apply", "--dry-run"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(history(&ws).is_empty());
}

/// A table rebuild keeps the AUTOINCREMENT counter (ids handed out and
/// deleted are not handed out again) and the implicit rowids of a table
/// without an INTEGER PRIMARY KEY.
#[test]
fn a_table_rebuild_keeps_the_autoincrement_counter_and_rowids() {
    let ws = Workspace::new(
        "sqlite",
        "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);\nCREATE TABLE r (a TEXT, b TEXT);\n",
    );
    ws.migrate(&["new", "init"]).success();
    ws.migrate(&["apply"]).success();
    ws.db()
        .execute_batch(
            "INSERT INTO t (v) VALUES ('a'), ('b'), ('c'); DELETE FROM t WHERE id = 3;
             INSERT INTO r VALUES ('x', '1'), ('y', '2'), ('z', '3'); DELETE FROM r WHERE a = 'y';",
        )
        .unwrap();
    ws.write(
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT NOT NULL DEFAULT '');\nCREATE TABLE r (a TEXT, b TEXT NOT NULL DEFAULT '');\n",
    );
    ws.migrate(&["new", "rebuild"]).success();
    let dir = ws.migration_dirs().last().unwrap().clone();
    let up = ws.read(&format!("migrations/{dir}/up.sql"));
    assert!(up.contains("CREATE TABLE new_t"), "{up}");
    ws.migrate(&["apply"]).success();
    let conn = ws.db();
    conn.execute("INSERT INTO t (v) VALUES ('d')", []).unwrap();
    assert_eq!(conn.last_insert_rowid(), 4, "id 3 was handed out before");
    let rowids: Vec<i64> = conn
        .prepare("SELECT rowid FROM r ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rowids, vec![1, 3]);
    let a: String = conn
        .query_row("SELECT a FROM r WHERE rowid = 3", [], |r| r.get(0))
        .unwrap();
    assert_eq!(a, "z");
}

/// An orphan row already in the database does not fail later migrations:
/// it is a warning; a migration that makes a new one is blamed for that one.
#[test]
fn only_foreign_key_violations_a_migration_made_are_its_fault() {
    let ws = Workspace::new("sqlite", "");
    let dirs = migrations(
        &ws,
        &[
            (
                "parents",
                "CREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id));\n",
                "",
            ),
            ("unrelated", "CREATE TABLE other (id INTEGER);\n", ""),
            ("orphans_more", "INSERT INTO c VALUES (8, 43);\n", ""),
        ],
    );
    ws.migrate(&["apply", "--to", "20260101000000"]).success();
    // Someone wrote an orphan with foreign keys off.
    ws.db()
        .execute_batch("PRAGMA foreign_keys = OFF; INSERT INTO c VALUES (7, 42);")
        .unwrap();
    ws.migrate(&["apply", "--to", "20260101000001"])
        .success()
        .stderr_has("warning: 1 foreign key violation(s) were in the database before")
        .stderr_has("c row 7 references a missing row of p");
    let run = ws
        .migrate(&["apply"])
        .failure()
        .stderr_has(&format!(
            "migrations/{}/up.sql: the migration left rows",
            dirs[2]
        ))
        .stderr_has("c row 8 references a missing row of p");
    assert!(!run.stderr().contains("c row 7"), "{}", run.stderr());
    assert_eq!(history(&ws).len(), 3);
    assert!(!history(&ws)[2].1, "recorded as failed");
}

/// What an interrupted `new` used to leave: a folder without up.sql, or
/// with an empty one, that the lock does not know. The advice is to delete
/// it, not to hash it.
#[test]
fn a_half_written_migration_gets_the_advice_to_delete_it() {
    let ws = Workspace::new("sqlite", "");
    migrations(&ws, &[("t", "CREATE TABLE t (id INTEGER);\n", "")]);
    std::fs::create_dir_all(ws.path("migrations/20990101000000_half")).unwrap();
    let run = ws
        .migrate(&["apply"])
        .failure()
        .stderr_has(
            "20990101000000_half: migration folder has no up.sql and migrate.lock does not know it",
        )
        .stderr_has("delete the folder");
    assert!(
        !run.stderr()
            .contains("if the migration files were changed on purpose")
    );
    ws.write("migrations/20990101000000_half/up.sql", "");
    let run = ws
        .migrate(&["apply"])
        .failure()
        .stderr_has("`20990101000000_half` has an empty up.sql and is not in the lock file")
        .stderr_has("Delete its folder");
    assert!(
        !run.stderr()
            .contains("if the migration files were changed on purpose"),
        "{}",
        run.stderr()
    );
    let check = ws
        .migrate(&["check"])
        .code_is(2)
        .stdout_has("looks like a half-written migration");
    assert!(
        !check.stdout().contains("changed on purpose"),
        "{}",
        check.stdout()
    );
    // A locked migration whose up.sql is gone is to be restored, not deleted.
    std::fs::remove_dir_all(ws.path("migrations/20990101000000_half")).unwrap();
    std::fs::remove_file(ws.path("migrations/20260101000000_t/up.sql")).unwrap();
    ws.migrate(&["status"])
        .failure()
        .stderr_has("migrate.lock lists it: restore it");
}

/// A schema big enough that `new` takes a while.
fn big_schema(tables: usize) -> String {
    (0..tables)
        .map(|i| format!("CREATE TABLE t{i} (id INTEGER PRIMARY KEY, a TEXT NOT NULL, b INTEGER);\nCREATE INDEX t{i}_a ON t{i} (a);\n"))
        .collect()
}

/// Two `new` at once: one writes the migration, the other (serialised on
/// the migrations folder's lock) finds nothing left to do.
#[test]
fn concurrent_new_runs_write_one_migration() {
    let ws = Workspace::new("sqlite", &big_schema(400));
    let children: Vec<_> = ["first", "second"]
        .iter()
        .map(|name| {
            ws.command(&["new", name])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut in_sync = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        in_sync += usize::from(stderr.contains("already in sync"));
    }
    assert_eq!(ws.migration_dirs().len(), 1, "{:?}", ws.migration_dirs());
    assert_eq!(in_sync, 1);
    ws.migrate(&["apply"]).success();
}

/// `new` killed at random moments never leaves a visible migration folder
/// with a missing or truncated file.
#[test]
fn new_killed_at_any_moment_leaves_no_half_migration() {
    let tries: usize = std::env::var("MIGRATE_KILL_TRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let ws = Workspace::new("sqlite", &big_schema(200));
    let start = Instant::now();
    ws.migrate(&["new", "probe"]).success();
    let full = start.elapsed();
    let expected = ws.read(&format!("migrations/{}/up.sql", ws.migration_dirs()[0]));
    let expected = expected
        .split_once('\n')
        .map(|(_, body)| body.to_string())
        .unwrap();
    let (mut none, mut some) = (0, 0);
    for _ in 0..tries {
        for dir in ws.migration_dirs() {
            std::fs::remove_dir_all(ws.path(&format!("migrations/{dir}"))).unwrap();
        }
        ws.migrate(&["hash"]).success();
        let mut child = ws
            .command(&["new", "killed"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(random_below(
            full.as_millis() as u64 * 3 / 2,
        )));
        let _ = child.kill();
        let _ = child.wait();
        // A hidden staging folder may stay behind: no loader reads it.
        let visible: Vec<String> = ws
            .migration_dirs()
            .into_iter()
            .filter(|d| !d.starts_with('.'))
            .collect();
        match visible.as_slice() {
            [] => none += 1,
            [dir] => {
                some += 1;
                let up = ws.read(&format!("migrations/{dir}/up.sql"));
                assert!(up.ends_with(&expected), "truncated up.sql:\n{up}");
                assert!(ws.path(&format!("migrations/{dir}/down.sql")).is_file());
            }
            dirs => panic!("{dirs:?}"),
        }
    }
    eprintln!("killed {tries} `new` runs: {none} wrote nothing, {some} a whole migration");
}

#[test]
fn config_mistakes_are_errors_before_they_write_anything_destructive() {
    let ws = Workspace::new("sqlite", "CREATE TABLE keep (id INTEGER PRIMARY KEY);\n");
    ws.migrate(&["new", "init"]).success();
    ws.migrate(&["apply"]).success();
    let manifest = ws.read("Cargo.toml");

    // `schema` pointing at an empty folder would drop every table.
    std::fs::create_dir_all(ws.path("empty_schema")).unwrap();
    ws.write(
        "Cargo.toml",
        &manifest.replace("schema = \"schema.sql\"", "schema = \"empty_schema\""),
    );
    ws.migrate(&["new", "oops"])
        .failure()
        .stderr_has("the schema files define nothing")
        .stderr_has("the migrations define 1 table(s)")
        .stderr_has("--allow-empty-schema");
    assert_eq!(ws.migration_dirs().len(), 1);
    // Or at the migrations folder.
    ws.write(
        "Cargo.toml",
        &manifest.replace("schema = \"schema.sql\"", "schema = \"migrations\""),
    );
    let run = ws.migrate(&["new", "oops"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert_eq!(ws.migration_dirs().len(), 1);
    ws.write(
        "Cargo.toml",
        &manifest.replace("schema = \"schema.sql\"", "schema = \"empty_schema\""),
    );
    ws.migrate(&["new", "drop_all", "--allow-empty-schema"])
        .success();
    let dirs = ws.migration_dirs();
    assert_eq!(dirs.len(), 2);
    assert!(
        ws.read(&format!("migrations/{}/up.sql", dirs[1]))
            .contains("DROP TABLE keep")
    );
    std::fs::remove_dir_all(ws.path(&format!("migrations/{}", dirs[1]))).unwrap();
    ws.write("Cargo.toml", &manifest);
    ws.migrate(&["hash"]).success();

    // A mistyped migrations folder: not "every applied migration is missing".
    ws.write(
        "Cargo.toml",
        &manifest.replace("migrations = \"migrations\"", "migrations = \"nowhere\""),
    );
    for args in [
        &["status"][..],
        &["apply"][..],
        &["down"][..],
        &["reset", "--force"][..],
    ] {
        let run = ws
            .migrate(args)
            .failure()
            .stderr_has("the migrations folder nowhere does not exist");
        assert!(
            !run.stderr().contains("missing from"),
            "{args:?}: {}",
            run.stderr()
        );
    }
    assert_eq!(history(&ws).len(), 1);

    // pg_schema means nothing to SQLite.
    ws.write("Cargo.toml", &format!("{manifest}pg_schema = \"app\"\n"));
    ws.migrate(&["status"])
        .failure()
        .stderr_has("`pg_schema = \"app\"` is set")
        .stderr_has("the dialect is sqlite");
}

#[test]
fn a_history_table_of_another_shape_names_the_column() {
    let ws = Workspace::new("sqlite", "");
    migrations(&ws, &[("t", "CREATE TABLE t (id INTEGER);\n", "")]);
    ws.db()
        .execute_batch(
            "CREATE TABLE _migrate_history (version TEXT PRIMARY KEY, name TEXT, checksum TEXT NOT NULL, \
             applied_at TEXT NOT NULL, execution_ms INTEGER NOT NULL, success INTEGER NOT NULL, error TEXT);
             INSERT INTO _migrate_history VALUES ('1', NULL, 'x', 'now', 1, 1, NULL);",
        )
        .unwrap();
    for args in [&["status"][..], &["apply"][..]] {
        let run = ws
            .migrate(args)
            .failure()
            .stderr_has("is not a history table cargo-migrate can read")
            .stderr_has("column `name` holds a value of type Null")
            .stderr_has("name text NOT NULL");
        assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
    }
}

/// Only tables make an empty schema suspicious: dropping the last view is an
/// ordinary change.
#[test]
fn an_empty_schema_that_drops_no_table_is_an_ordinary_change() {
    let ws = Workspace::new("sqlite", "CREATE VIEW answer AS SELECT 42 AS n;\n");
    ws.migrate(&["new", "init"]).success();
    ws.write("schema.sql", "");
    ws.migrate(&["new", "drop_view"]).success();
    let dirs = ws.migration_dirs();
    assert_eq!(dirs.len(), 2);
    let up = ws.read(&format!("migrations/{}/up.sql", dirs[1]));
    assert!(up.contains("DROP VIEW answer"), "{up}");
}
