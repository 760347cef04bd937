//! `cargo migrate` end to end on PostgreSQL: scratch workspaces, the real
//! binary, a fresh database per test.

mod common;

use std::process::{Command, Stdio};

use common::pg::TestDb;
use common::workspace::{Run, Workspace};

const USERS: &str = "CREATE TABLE users (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    email text NOT NULL UNIQUE\n);\n";

const USERS_AND_POSTS: &str = "CREATE TYPE post_state AS ENUM ('draft', 'published');\n\
CREATE TABLE users (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    email text NOT NULL UNIQUE,\n    name text NOT NULL DEFAULT ''\n);\n\
CREATE TABLE posts (\n    id serial PRIMARY KEY,\n    user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n    state post_state NOT NULL DEFAULT 'draft',\n    body text NOT NULL\n);\n\
CREATE INDEX posts_user_id ON posts (user_id) WHERE state = 'published';\n";

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

fn workspace(schema: &str) -> Workspace {
    Workspace::new("postgres", schema)
}

fn count(db: &mut TestDb, sql: &str) -> i64 {
    db.client.query_one(sql, &[]).unwrap().get(0)
}

fn tables(db: &mut TestDb, schema: &str) -> Vec<String> {
    db.client
        .query(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = $1 ORDER BY 1",
            &[&schema],
        )
        .unwrap()
        .into_iter()
        .map(|r| r.get(0))
        .collect()
}

fn history(db: &mut TestDb) -> Vec<(String, bool, Option<String>)> {
    db.client
        .query(
            "SELECT version, success, error FROM public._migrate_history ORDER BY version",
            &[],
        )
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

/// A hand-made migration: `new --empty`, its files, then `hash`.
fn hand_written(ws: &Workspace, name: &str, up: &str, down: &str) -> String {
    ws.migrate(&["new", "--empty", name]).success();
    let dir = ws.migration_dirs().last().unwrap().clone();
    ws.write(&format!("migrations/{dir}/up.sql"), up);
    ws.write(&format!("migrations/{dir}/down.sql"), down);
    ws.migrate(&["hash"]).success();
    dir
}

fn version_of(dir: &str) -> String {
    dir.split('_').next().unwrap().to_string()
}

#[test]
fn the_users_day() {
    let mut db = test_db!();
    let ws = workspace(USERS);
    ws.migrate(&["new", "create_users"]).success();
    run(&ws, &db, &["status"]).code_is(2).stdout_has("pending");
    run(&ws, &db, &["apply"]).success().stderr_has("Applied");
    assert_eq!(tables(&mut db, "public"), vec!["_migrate_history", "users"]);
    run(&ws, &db, &["status"])
        .success()
        .stdout_has("1 applied, 0 pending");
    run(&ws, &db, &["apply"]).success().stderr_has("up to date");
    db.exec("INSERT INTO users (email) VALUES ('a@x'), ('b@x');");

    ws.write("schema.sql", USERS_AND_POSTS);
    ws.migrate(&["new", "add_posts"]).success();
    run(&ws, &db, &["apply"]).success();
    assert_eq!(
        tables(&mut db, "public"),
        vec!["_migrate_history", "posts", "users"]
    );
    db.exec("INSERT INTO posts (user_id, body, state) VALUES (1, 'hi', 'published');");
    run(&ws, &db, &["check"]).success();

    run(&ws, &db, &["down"]).success().stderr_has("Reverted");
    assert_eq!(tables(&mut db, "public"), vec!["_migrate_history", "users"]);
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM pg_type WHERE typname = 'post_state'"
        ),
        0,
        "the enum went with its migration"
    );
    assert_eq!(count(&mut db, "SELECT count(*) FROM users"), 2, "rows kept");
    run(&ws, &db, &["status"])
        .code_is(2)
        .stdout_has("1 applied, 1 pending");
    run(&ws, &db, &["apply"]).success();
    let json = run(&ws, &db, &["status", "--format", "json"])
        .success()
        .stdout();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let states: Vec<&str> = v["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, vec!["applied", "applied"]);
    assert_eq!(v["drift"], serde_json::json!([]));
    assert!(
        v["migrations"][0]["applied_at"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    run(&ws, &db, &["check"]).success();

    // reset: everything dropped, every migration applied again.
    db.exec("CREATE TABLE stray (x int); CREATE SCHEMA scratch; CREATE EXTENSION pg_trgm;");
    run(&ws, &db, &["reset", "--force"]).success();
    assert_eq!(
        tables(&mut db, "public"),
        vec!["_migrate_history", "posts", "users"]
    );
    assert_eq!(count(&mut db, "SELECT count(*) FROM users"), 0);
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'scratch'"
        ),
        0
    );
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"
        ),
        0
    );
    run(&ws, &db, &["check"]).success();
}

#[test]
fn a_failing_migration_rolls_back_and_is_recorded_with_its_position() {
    let mut db = test_db!();
    let ws = workspace(USERS);
    ws.migrate(&["new", "init"]).success();
    run(&ws, &db, &["apply"]).success();
    let dir = hand_written(
        &ws,
        "broken",
        "CREATE TABLE audit (id int PRIMARY KEY);\n\nINSERT INTO audit\n  SELECT id FROM nowhere;\n",
        "DROP TABLE audit;\n",
    );
    let version = version_of(&dir);
    // The server's error position: line 4, column 18 (`nowhere`).
    let location = format!("migrations/{dir}/up.sql:4:18");
    run(&ws, &db, &["apply"])
        .failure()
        .stderr_has(&location)
        .stderr_has("relation \"nowhere\" does not exist")
        .stderr_has(&format!("cargo migrate resolve --rolled-back {version}"));
    assert!(!tables(&mut db, "public").contains(&"audit".to_string()));
    let last = history(&mut db).pop().unwrap();
    assert_eq!((last.0.as_str(), last.1), (version.as_str(), false));
    assert!(last.2.unwrap().contains(&location));

    run(&ws, &db, &["status"]).code_is(2).stdout_has("failed");
    run(&ws, &db, &["apply"])
        .failure()
        .stderr_has("failed in a previous run");
    run(&ws, &db, &["resolve", "--rolled-back", &version]).success();
    ws.write(
        &format!("migrations/{dir}/up.sql"),
        "CREATE TABLE audit (id int PRIMARY KEY);\n",
    );
    ws.migrate(&["hash"]).success();
    run(&ws, &db, &["apply"]).success();
    assert!(history(&mut db).iter().all(|(_, ok, _)| *ok));
}

#[test]
fn no_transaction_runs_concurrently_and_names_the_failed_statement() {
    let mut db = test_db!();
    let ws = workspace(USERS);
    ws.migrate(&["new", "init"]).success();
    hand_written(
        &ws,
        "concurrent_index",
        "-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY users_email_lower ON users (lower(email));\n",
        "-- migrate:no-transaction\nDROP INDEX CONCURRENTLY users_email_lower;\n",
    );
    run(&ws, &db, &["apply"]).success();
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'users_email_lower'"
        ),
        1
    );
    run(&ws, &db, &["down"]).success();
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'users_email_lower'"
        ),
        0
    );
    run(&ws, &db, &["apply"]).success();

    // Inside a transaction the same statement fails, at its own line.
    let dir = hand_written(
        &ws,
        "in_tx",
        "SELECT 1;\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n",
        "",
    );
    run(&ws, &db, &["apply"])
        .failure()
        .stderr_has(&format!("{dir}/up.sql:2:1"))
        .stderr_has("cannot run inside a transaction block");
    run(&ws, &db, &["resolve", "--rolled-back", &version_of(&dir)]).success();
    std::fs::remove_dir_all(ws.path(&format!("migrations/{dir}"))).unwrap();
    ws.migrate(&["hash"]).success();

    let dir = hand_written(
        &ws,
        "half",
        "-- migrate:no-transaction\nCREATE TABLE a (id int);\nCREATE INDEX CONCURRENTLY a_id ON a (id);\nINSERT INTO nowhere VALUES (1);\n",
        "",
    );
    let run = run(&ws, &db, &["apply"])
        .failure()
        .stderr_has(&format!("{dir}/up.sql:4:13"))
        .stderr_has("statement 3 of 3");
    assert!(
        run.stderr().contains("outside a transaction"),
        "{}",
        run.stderr()
    );
    assert!(tables(&mut db, "public").contains(&"a".to_string()));
    let last = history(&mut db).pop().unwrap();
    assert!(!last.1);
    assert!(last.2.unwrap().contains("statement 3 of 3"));
}

#[test]
fn history_table_in_a_non_default_schema() {
    let mut db = test_db!();
    let ws = workspace(USERS);
    let manifest = ws.read("Cargo.toml");
    ws.write(
        "Cargo.toml",
        &format!("{manifest}pg_schema = \"migrations_meta\"\nhistory_table = \"schema_history\"\n"),
    );
    ws.migrate(&["new", "init"]).success();
    run(&ws, &db, &["apply"]).success();
    assert_eq!(tables(&mut db, "migrations_meta"), vec!["schema_history"]);
    assert_eq!(tables(&mut db, "public"), vec!["users"]);
    // The history schema is not drift.
    run(&ws, &db, &["check"]).success();
    run(&ws, &db, &["status"]).success();
    run(&ws, &db, &["down"]).success();
    assert!(tables(&mut db, "public").is_empty());
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM migrations_meta.schema_history"
        ),
        0
    );

    // A search_path that does not include the history schema changes nothing.
    let url = format!("{}?options=-csearch_path%3Dpublic", db.url);
    ws.command(&["apply"])
        .env("DATABASE_URL", &url)
        .output()
        .map(|output| Run { output })
        .unwrap()
        .success();
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM migrations_meta.schema_history"
        ),
        1
    );
}

#[test]
fn eight_concurrent_applies_apply_each_migration_once() {
    let mut db = test_db!();
    let ws = workspace("");
    hand_written(
        &ws,
        "log",
        "CREATE TABLE log (migration text NOT NULL);\nINSERT INTO log VALUES ('log');\n",
        "DROP TABLE log;\n",
    );
    for i in 0..5 {
        hand_written(
            &ws,
            &format!("step_{i}"),
            &format!(
                "CREATE TABLE t{i} (id int PRIMARY KEY);\n\
                 INSERT INTO t{i} SELECT g FROM generate_series(1, 20000) g;\n\
                 SELECT pg_sleep(0.05);\n\
                 INSERT INTO log VALUES ('step_{i}');\n"
            ),
            &format!("DROP TABLE t{i};\n"),
        );
    }
    let children: Vec<_> = (0..8)
        .map(|_| {
            cmd(&ws, &db, &["apply"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(count(&mut db, "SELECT count(*) FROM log"), 6);
    assert_eq!(
        count(&mut db, "SELECT count(DISTINCT migration) FROM log"),
        6,
        "each migration ran exactly once"
    );
    assert_eq!(history(&mut db).len(), 6);
}

#[test]
fn a_runner_that_waits_too_long_names_the_lock_holder() {
    let mut db = test_db!();
    let ws = workspace("");
    hand_written(&ws, "slow", "SELECT pg_sleep(4);\n", "");
    let slow = cmd(&ws, &db, &["apply"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the first runner is inside its migration.
    let start = std::time::Instant::now();
    while count(
        &mut db,
        "SELECT count(*) FROM pg_stat_activity \
         WHERE pid <> pg_backend_pid() AND query LIKE '%SELECT pg_sleep(4)%'",
    ) == 0
    {
        assert!(
            start.elapsed().as_secs() < 20,
            "the slow runner never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let pid = count(
        &mut db,
        "SELECT pid::bigint FROM pg_stat_activity \
         WHERE pid <> pg_backend_pid() AND query LIKE '%SELECT pg_sleep(4)%'",
    );
    let out = cmd(&ws, &db, &["apply"])
        .env("CARGO_MIGRATE_LOCK_TIMEOUT", "0.5")
        .output()
        .unwrap();
    let blocked = Run { output: out }
        .failure()
        .stderr_has("another migration run holds the lock; waited 0.5 s")
        .stderr_has(&format!("backend pid {pid} (cargo-migrate"))
        .stderr_has("CARGO_MIGRATE_LOCK_TIMEOUT");
    drop(blocked);
    let out = slow.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(history(&mut db).len(), 1);
}

#[test]
fn connection_errors_never_show_the_password() {
    let db = test_db!();
    let ws = workspace(USERS);
    ws.migrate(&["new", "init"]).success();
    let attempts = [
        // Nothing listens on port 1.
        "postgres://app:hunter2@127.0.0.1:1/app".to_string(),
        "host=127.0.0.1 port=1 user=app password=hunter2 dbname=app".to_string(),
        // The server answers: no such database.
        common::pg::with_database(&db.url, "no_such_database_here")
            .replace("postgres@", "postgres:hunter2@"),
        // Certificate checks against the server's self-signed certificate.
        format!(
            "{}?sslmode=verify-full",
            db.url.replace("postgres@", "postgres:hunter2@")
        ),
    ];
    for url in &attempts {
        for args in [&["apply"][..], &["status"], &["check"]] {
            let output = ws.command(args).env("DATABASE_URL", url).output().unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert_ne!(output.status.code(), Some(0), "{url} {args:?}: {text}");
            assert!(!text.contains("hunter2"), "{url} {args:?}: {text}");
            assert!(text.contains("***"), "{url} {args:?}: {text}");
        }
    }
    let out = ws
        .command(&["status"])
        .env("DATABASE_URL", &attempts[2])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn tls_and_key_value_connection_strings() {
    let mut db = test_db!();
    let ssl: String = db.client.query_one("SHOW ssl", &[]).unwrap().get(0);
    let ws = workspace("");
    // Each migration records whether its own session is encrypted.
    let record = |name: &str| {
        hand_written(
            &ws,
            name,
            &format!(
                "CREATE TABLE {name} (ssl boolean NOT NULL);\n\
                 INSERT INTO {name} SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false);\n"
            ),
            &format!("DROP TABLE {name};\n"),
        )
    };
    let with = |url: &str, args: &[&str]| Run {
        output: ws.command(args).env("DATABASE_URL", url).output().unwrap(),
    };
    let encrypted = |db: &mut TestDb, table: &str| -> bool {
        db.client
            .query_one(&format!("SELECT ssl FROM {table}"), &[])
            .unwrap()
            .get(0)
    };
    record("plain");
    with(
        &format!(
            "host=127.0.0.1 user=postgres dbname='{}' sslmode=disable",
            db.name
        ),
        &["apply"],
    )
    .success();
    assert!(!encrypted(&mut db, "plain"));
    if ssl != "on" {
        eprintln!("note: the server has ssl off; sslmode=require not exercised");
        return;
    }
    record("required");
    let require = format!("{}?sslmode=require", db.url);
    with(&require, &["apply"]).success();
    assert!(encrypted(&mut db, "required"));
    with(&require, &["status"])
        .success()
        .stdout_has("sslmode=require");
}

#[test]
fn drift_is_reported_by_diff_check_and_status() {
    let mut db = test_db!();
    let ws = workspace(USERS);
    ws.migrate(&["new", "init"]).success();
    run(&ws, &db, &["apply"]).success();
    for args in [
        &[
            "diff",
            "--from",
            "database",
            "--to",
            "migrations",
            "--exit-code",
        ][..],
        &[
            "diff",
            "--from",
            "database",
            "--to",
            "schema",
            "--exit-code",
        ],
    ] {
        run(&ws, &db, args).success();
    }
    db.exec("ALTER TABLE users ADD COLUMN nickname varchar(40); CREATE INDEX users_nickname ON users (nickname);");
    let words = run(
        &ws,
        &db,
        &[
            "diff",
            "--from",
            "database",
            "--to",
            "migrations",
            "--exit-code",
        ],
    )
    .code_is(2)
    .stdout();
    assert!(words.contains("nickname"), "{words}");
    let script = run(
        &ws,
        &db,
        &[
            "diff",
            "--from",
            "database",
            "--to",
            "migrations",
            "--script",
        ],
    )
    .success()
    .stdout();
    assert!(script.contains("DROP INDEX"), "{script}");
    assert!(script.contains("DROP COLUMN"), "{script}");
    run(&ws, &db, &["check"])
        .code_is(2)
        .stdout_has("changed by hand")
        .stdout_has("nickname");
    run(&ws, &db, &["status"])
        .code_is(2)
        .stdout_has("drift:")
        .stdout_has("nickname");
    let json = run(&ws, &db, &["status", "--format", "json"])
        .code_is(2)
        .stdout();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["drift"].as_array().unwrap().len(), 2, "{json}");

    // Applying the drift script undoes the hand change.
    db.exec(&script);
    run(&ws, &db, &["status"]).success();
}

/// pg_dump's data sections (`COPY … FROM stdin` followed by its rows and
/// `\.`): in a migration the rows are loaded, a bad row fails the migration
/// at the COPY and rolls it back; in `schema.sql` the statement and its rows
/// are one skipped data statement, listed, and the tables around it count.
#[test]
fn copy_from_stdin_loads_its_rows_in_migrations_and_is_skipped_in_the_schema() {
    let mut db = test_db!();
    let dump = "CREATE TABLE public.t (id integer NOT NULL, name text);\n\
COPY public.t (id, name) FROM stdin;\n1\talice; the first\n2\t\\N\n\\.\n\
ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);\n";
    let ws = workspace(dump);
    ws.migrate(&["new", "init"])
        .success()
        .stderr_has("schema.sql:2:1: `COPY` skipped");
    hand_written(
        &ws,
        "rows",
        &dump
            .replace("CREATE TABLE public.t", "CREATE TABLE public.t2")
            .replace("public.t (id", "public.t2 (id")
            .replace(
                "ONLY public.t ADD CONSTRAINT t_pkey",
                "ONLY public.t2 ADD CONSTRAINT t2_pkey",
            ),
        "DROP TABLE public.t2;\n",
    );
    run(&ws, &db, &["apply"]).success();
    let rows: Vec<(i32, Option<String>)> = db
        .client
        .query("SELECT id, name FROM t2 ORDER BY id", &[])
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        rows,
        vec![(1, Some("alice; the first".to_string())), (2, None)]
    );
    assert_eq!(count(&mut db, "SELECT count(*) FROM t"), 0);

    let bad = hand_written(
        &ws,
        "bad_rows",
        "CREATE TABLE u (a int);\nCOPY u FROM stdin;\n1\nnot a number\n\\.\n",
        "DROP TABLE u;\n",
    );
    run(&ws, &db, &["apply"])
        .failure()
        .stderr_has(&format!("migrations/{bad}/up.sql:2:1:"))
        .stderr_has("invalid input syntax for type integer")
        .stderr_has("rolled back");
    assert!(tables(&mut db, "public").iter().all(|t| t != "u"));
}
