//! `cargo migrate` end to end on embedded SQLite: scratch workspaces, the real
//! binary, real database files.

mod common;

use std::process::Stdio;

use common::workspace::{Workspace, corpora};

const USERS: &str =
    "CREATE TABLE users (\n    id INTEGER PRIMARY KEY,\n    email TEXT NOT NULL\n);\n";

const USERS_AND_POSTS: &str = "CREATE TABLE users (\n    id INTEGER PRIMARY KEY,\n    email TEXT NOT NULL,\n    name TEXT NOT NULL DEFAULT ''\n);\n\
CREATE TABLE posts (\n    id INTEGER PRIMARY KEY,\n    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n    body TEXT NOT NULL\n);\n\
CREATE INDEX posts_user_id ON posts (user_id);\n";

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

/// The version of the newest migration folder.
fn last_version(ws: &Workspace) -> String {
    let dirs = ws.migration_dirs();
    let last = dirs.last().expect("a migration");
    last.split('_').next().unwrap().to_string()
}

/// Writes a hand-made migration with `new --empty`, then its up.sql, and
/// re-hashes (the content changed after `new` locked it).
fn hand_written(ws: &Workspace, name: &str, up: &str, down: &str) -> String {
    ws.migrate(&["new", "--empty", name]).success();
    let dir = ws.migration_dirs().last().unwrap().clone();
    ws.write(&format!("migrations/{dir}/up.sql"), up);
    ws.write(&format!("migrations/{dir}/down.sql"), down);
    ws.migrate(&["hash"]).success();
    dir
}

#[test]
fn the_users_day() {
    let ws = Workspace::bare();
    let run = ws.migrate(&["init"]).success();
    assert!(
        run.stderr().contains("migrate_build::check()"),
        "{}",
        run.stderr()
    );
    let manifest = ws.read("Cargo.toml");
    assert!(manifest.starts_with("# The app's manifest; comments must survive `init`."));
    assert!(
        manifest.contains("[workspace.metadata.migrate]\ndialect = \"sqlite\""),
        "{manifest}"
    );
    assert!(ws.path("schema.sql").exists());
    assert!(ws.path("migrations/migrate.lock").exists());
    // Refuses to overwrite.
    ws.migrate(&["init"])
        .failure()
        .stderr_has("already initialised");

    // The starter schema is all comments: nothing to migrate.
    ws.migrate(&["new", "nothing"])
        .success()
        .stderr_has("already in sync");
    assert!(ws.migration_dirs().is_empty());

    ws.write("schema.sql", USERS);
    ws.migrate(&["new", "create_users"]).success();
    let dirs = ws.migration_dirs();
    assert_eq!(dirs.len(), 1);
    assert!(dirs[0].ends_with("_create_users"), "{dirs:?}");
    let up = ws.read(&format!("migrations/{}/up.sql", dirs[0]));
    assert!(up.starts_with("-- Up of migration"), "{up}");
    assert!(up.contains("CREATE TABLE"), "{up}");
    let down = ws.read(&format!("migrations/{}/down.sql", dirs[0]));
    assert!(down.contains("DROP TABLE"), "{down}");

    ws.migrate(&["status"]).code_is(2).stdout_has("pending");
    ws.migrate(&["apply"]).success().stderr_has("Applied");
    assert_eq!(ws.tables(), vec!["_migrate_history", "users"]);
    ws.migrate(&["status"])
        .success()
        .stdout_has("1 applied, 0 pending");
    ws.migrate(&["apply"]).success().stderr_has("up to date");

    ws.db()
        .execute_batch("INSERT INTO users (id, email) VALUES (1, 'a@x'), (2, 'b@x');")
        .unwrap();

    ws.write("schema.sql", USERS_AND_POSTS);
    ws.migrate(&["new", "add_posts"]).success();
    assert_eq!(ws.migration_dirs().len(), 2);
    ws.migrate(&["apply"]).success();
    assert_eq!(ws.tables(), vec!["_migrate_history", "posts", "users"]);
    assert_eq!(count(&ws, "SELECT count(*) FROM users"), 2);
    ws.db()
        .execute_batch("INSERT INTO posts (user_id, body) VALUES (1, 'hi'), (2, 'yo');")
        .unwrap();

    // The build gate's view: nothing left to write.
    ws.migrate(&["new", "again"])
        .success()
        .stderr_has("already in sync");

    ws.migrate(&["down"]).success().stderr_has("Reverted");
    assert_eq!(ws.tables(), vec!["_migrate_history", "users"]);
    assert_eq!(count(&ws, "SELECT count(*) FROM users"), 2, "rows kept");
    ws.migrate(&["status"])
        .code_is(2)
        .stdout_has("1 applied, 1 pending");

    ws.migrate(&["apply"]).success();
    assert_eq!(count(&ws, "SELECT count(*) FROM users"), 2);
    ws.migrate(&["status"]).success();
    let json = ws
        .migrate(&["status", "--format", "json"])
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
    assert_eq!(v["database"], "sqlite:dev.db");
    ws.migrate(&["check"]).success();
}

#[test]
fn a_failing_migration_rolls_back_and_is_recorded() {
    let ws = Workspace::new("sqlite", USERS);
    ws.migrate(&["new", "init"]).success();
    ws.migrate(&["apply"]).success();
    let dir = hand_written(
        &ws,
        "broken",
        "CREATE TABLE audit (id INTEGER PRIMARY KEY);\n\nINSERT INTO nowhere VALUES (1);\n",
        "DROP TABLE audit;\n",
    );
    let version = last_version(&ws);
    ws.migrate(&["apply"])
        .failure()
        .stderr_has(&format!("migrations/{dir}/up.sql:3:1"))
        .stderr_has("no such table: nowhere")
        .stderr_has(&format!("cargo migrate resolve --rolled-back {version}"));
    assert!(!ws.tables().contains(&"audit".to_string()), "rolled back");
    assert_eq!(history(&ws).last().unwrap(), &(version.clone(), false));

    ws.migrate(&["status"]).code_is(2).stdout_has("failed");
    ws.migrate(&["apply"])
        .failure()
        .stderr_has("failed in a previous run")
        .stderr_has(&format!("cargo migrate resolve --applied {version}"));

    ws.migrate(&["resolve", "--rolled-back", &version])
        .success();
    ws.write(
        &format!("migrations/{dir}/up.sql"),
        "CREATE TABLE audit (id INTEGER PRIMARY KEY);\n",
    );
    ws.migrate(&["hash"]).success();
    ws.migrate(&["apply"]).success();
    assert!(ws.tables().contains(&"audit".to_string()));
    assert_eq!(history(&ws).last().unwrap(), &(version, true));
}

#[test]
fn resolve_applied_accepts_a_migration_finished_by_hand() {
    let ws = Workspace::new("sqlite", "");
    hand_written(&ws, "broken", "INSERT INTO nowhere VALUES (1);\n", "");
    let version = last_version(&ws);
    ws.migrate(&["apply"]).failure();
    ws.migrate(&["resolve", "--applied", "19990101000000"])
        .failure()
        .stderr_has("no migration with version");
    ws.migrate(&["resolve", "--applied", &version]).success();
    ws.migrate(&["status"]).success();
    // Nothing failed any more: resolve refuses.
    ws.migrate(&["resolve", "--rolled-back", &version])
        .failure()
        .stderr_has("not recorded as failed");
}

#[test]
fn an_edited_applied_migration_is_refused() {
    let ws = Workspace::new("sqlite", USERS);
    ws.migrate(&["new", "init"]).success();
    ws.migrate(&["apply"]).success();
    let dir = ws.migration_dirs()[0].clone();
    let path = format!("migrations/{dir}/up.sql");
    let edited = format!(
        "{}\nCREATE INDEX users_email ON users (email);\n",
        ws.read(&path)
    );
    ws.write(&path, &edited);
    // First the lock notices, everywhere.
    ws.migrate(&["apply"])
        .failure()
        .stderr_has("cargo migrate hash");
    ws.migrate(&["new", "more"])
        .failure()
        .stderr_has("cargo migrate hash");
    ws.migrate(&["check"])
        .code_is(2)
        .stdout_has("cargo migrate hash");
    // A deliberate edit re-hashed: the database still knows.
    ws.migrate(&["hash"]).success();
    ws.migrate(&["apply"])
        .failure()
        .stderr_has("was changed after it was applied")
        .stderr_has("git checkout");
    ws.migrate(&["status"]).code_is(2).stdout_has("edited");
}

#[test]
fn crlf_line_endings_are_not_an_edit() {
    let ws = Workspace::new("sqlite", USERS);
    ws.migrate(&["new", "init"]).success();
    ws.migrate(&["apply"]).success();
    let dir = ws.migration_dirs()[0].clone();
    for f in ["up.sql", "down.sql"] {
        let path = format!("migrations/{dir}/{f}");
        let crlf = ws.read(&path).replace('\n', "\r\n");
        ws.write(&path, &crlf);
    }
    ws.migrate(&["status"]).success();
    ws.migrate(&["apply"]).success();
}

#[test]
fn a_missing_applied_migration_is_refused() {
    let ws = Workspace::new("sqlite", USERS);
    ws.migrate(&["new", "init"]).success();
    ws.migrate(&["apply"]).success();
    let dir = ws.migration_dirs()[0].clone();
    std::fs::remove_dir_all(ws.path(&format!("migrations/{dir}"))).unwrap();
    ws.migrate(&["apply"])
        .failure()
        .stderr_has("cargo migrate hash");
    ws.migrate(&["hash"]).success();
    ws.migrate(&["apply"])
        .failure()
        .stderr_has("missing from the migrations folder");
    ws.migrate(&["status"]).code_is(2).stdout_has("missing");
}

#[test]
fn an_unlocked_migration_folder_is_an_error() {
    let ws = Workspace::new("sqlite", USERS);
    ws.write(
        "migrations/20200101000000_by_hand/up.sql",
        "CREATE TABLE t (id INTEGER);\n",
    );
    ws.migrate(&["apply"])
        .failure()
        .stderr_has("cargo migrate hash");
    ws.migrate(&["new", "x"])
        .failure()
        .stderr_has("cargo migrate hash");
    ws.migrate(&["check"]).code_is(2);
    assert!(!ws.path("dev.db").exists() || !ws.tables().contains(&"t".to_string()));
}

#[test]
fn dry_run_prints_the_sql_and_changes_nothing() {
    let ws = Workspace::new("sqlite", USERS);
    ws.migrate(&["new", "init"]).success();
    ws.migrate(&["apply", "--dry-run"])
        .success()
        .stdout_has("CREATE TABLE");
    assert!(!ws.path("dev.db").exists(), "dry run created the database");
    ws.migrate(&["apply"]).success();
    ws.migrate(&["down", "--dry-run"])
        .success()
        .stdout_has("DROP TABLE");
    assert!(ws.tables().contains(&"users".to_string()));
}

#[test]
fn apply_to_stops_at_a_version_and_down_to_returns_to_it() {
    let ws = Workspace::new("sqlite", "");
    hand_written(
        &ws,
        "one",
        "CREATE TABLE one (id INTEGER);\n",
        "DROP TABLE one;\n",
    );
    let first = last_version(&ws);
    hand_written(
        &ws,
        "two",
        "CREATE TABLE two (id INTEGER);\n",
        "DROP TABLE two;\n",
    );
    hand_written(
        &ws,
        "three",
        "CREATE TABLE three (id INTEGER);\n",
        "DROP TABLE three;\n",
    );
    ws.migrate(&["apply", "--to", &first]).success();
    assert_eq!(ws.tables(), vec!["_migrate_history", "one"]);
    ws.migrate(&["apply"]).success();
    assert_eq!(history(&ws).len(), 3);
    ws.migrate(&["down", "--steps", "2"]).success();
    assert_eq!(ws.tables(), vec!["_migrate_history", "one"]);
    ws.migrate(&["apply"]).success();
    ws.migrate(&["down", "--to", &first]).success();
    assert_eq!(ws.tables(), vec!["_migrate_history", "one"]);
    ws.migrate(&["apply", "--to", "19990101000000"])
        .failure()
        .stderr_has("no migration with version 19990101000000");
}

#[test]
fn no_transaction_migrations_run_statement_by_statement() {
    let ws = Workspace::new("sqlite", "");
    hand_written(
        &ws,
        "outside",
        "-- migrate:no-transaction\nCREATE TABLE a (id INTEGER);\nINSERT INTO nowhere VALUES (1);\n",
        "",
    );
    ws.migrate(&["apply"])
        .failure()
        .stderr_has("outside a transaction");
    // The first statement stayed: that is what no-transaction means.
    assert!(ws.tables().contains(&"a".to_string()));
}

#[test]
fn diff_exit_code_and_script() {
    let ws = Workspace::new("sqlite", USERS);
    ws.migrate(&[
        "diff",
        "--from",
        "migrations",
        "--to",
        "schema",
        "--exit-code",
    ])
    .code_is(2)
    .stdout_has("users");
    ws.migrate(&["diff", "--from", "empty", "--to", "schema", "--script"])
        .success()
        .stdout_has("CREATE TABLE");
    ws.migrate(&["new", "init"]).success();
    ws.migrate(&[
        "diff",
        "--from",
        "migrations",
        "--to",
        "schema",
        "--exit-code",
    ])
    .success();
    ws.migrate(&["apply"]).success();
    ws.migrate(&[
        "diff",
        "--from",
        "database",
        "--to",
        "schema",
        "--exit-code",
    ])
    .success();
    ws.write("schema.sql", USERS_AND_POSTS);
    ws.migrate(&[
        "diff",
        "--from",
        "database",
        "--to",
        "schema",
        "--exit-code",
    ])
    .code_is(2)
    .stdout_has("posts");
    // Without --exit-code differences are not an error.
    ws.migrate(&["diff", "--from", "database", "--to", "schema"])
        .success();
}

#[test]
fn check_reports_every_problem_including_drift() {
    let ws = Workspace::new("sqlite", USERS);
    ws.migrate(&["new", "init"]).success();
    ws.migrate(&["apply"]).success();
    ws.migrate(&["check", "--database-url", "sqlite:dev.db"])
        .success();
    ws.db()
        .execute_batch("ALTER TABLE users ADD COLUMN nickname TEXT;")
        .unwrap();
    ws.write("schema.sql", USERS_AND_POSTS);
    let run = ws
        .migrate(&["check", "--database-url", "sqlite:dev.db"])
        .code_is(2)
        .stdout_has("changed by hand")
        .stdout_has("cargo migrate new")
        .stderr_has("2 problem(s)");
    assert!(run.stdout().contains("nickname"), "{}", run.stdout());
    // Without a URL the default dev.db is checked when it exists…
    ws.migrate(&["check"]).code_is(2).stderr_has("2 problem(s)");
    // …and without one, the files alone.
    std::fs::remove_file(ws.path("dev.db")).unwrap();
    ws.migrate(&["check"])
        .code_is(2)
        .stderr_has("1 problem(s)")
        .stderr_has("not checked");
}

#[test]
fn rows_survive_a_table_rebuild() {
    let ws = Workspace::new("sqlite", USERS_AND_POSTS);
    ws.migrate(&["new", "init"]).success();
    ws.migrate(&["apply"]).success();
    ws.db()
        .execute_batch(
            "INSERT INTO users (id, email, name) VALUES (1, 'a@x', 'a'), (2, 'b@x', 'b');
             INSERT INTO posts (user_id, body) VALUES (1, 'p1'), (1, 'p2'), (2, 'p3');",
        )
        .unwrap();
    // A type change and a new CHECK: SQLite rebuilds `users`, which `posts` references.
    ws.write(
        "schema.sql",
        &USERS_AND_POSTS.replace(
            "name TEXT NOT NULL DEFAULT ''",
            "name VARCHAR(200) NOT NULL DEFAULT '' CHECK (length(name) < 200)",
        ),
    );
    ws.migrate(&["new", "rebuild_users"]).success();
    ws.migrate(&["apply"]).success();
    assert_eq!(count(&ws, "SELECT count(*) FROM users"), 2);
    assert_eq!(
        count(&ws, "SELECT count(*) FROM posts"),
        3,
        "no cascade fired"
    );
    ws.migrate(&[
        "diff",
        "--from",
        "database",
        "--to",
        "schema",
        "--exit-code",
    ])
    .success();
    ws.migrate(&["down"]).success();
    assert_eq!(count(&ws, "SELECT count(*) FROM posts"), 3);
}

#[test]
fn two_concurrent_applies_apply_each_migration_once() {
    let ws = Workspace::new("sqlite", "");
    hand_written(
        &ws,
        "log",
        "CREATE TABLE log (migration TEXT NOT NULL);\nINSERT INTO log VALUES ('log');\n",
        "DROP TABLE log;\n",
    );
    for i in 0..5 {
        hand_written(
            &ws,
            &format!("step_{i}"),
            &format!(
                "CREATE TABLE t{i} (id INTEGER PRIMARY KEY);\n\
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) INSERT INTO t{i} SELECT i FROM n;\n\
                 INSERT INTO log VALUES ('step_{i}');\n"
            ),
            &format!("DROP TABLE t{i};\n"),
        );
    }
    let children: Vec<_> = (0..2)
        .map(|_| {
            ws.command(&["apply"])
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
    assert_eq!(count(&ws, "SELECT count(*) FROM log"), 6);
    assert_eq!(
        count(&ws, "SELECT count(DISTINCT migration) FROM log"),
        6,
        "each migration ran exactly once"
    );
    assert_eq!(history(&ws).len(), 6);
}

#[test]
fn reset_needs_force_without_a_terminal() {
    let ws = Workspace::new("sqlite", USERS);
    ws.migrate(&["new", "init"]).success();
    ws.migrate(&["apply"]).success();
    ws.db()
        .execute_batch("INSERT INTO users (email) VALUES ('a@x'); CREATE TABLE stray (x);")
        .unwrap();
    let out = ws
        .command(&["reset"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(count(&ws, "SELECT count(*) FROM users"), 1);
    ws.migrate(&["reset", "--force"]).success();
    assert_eq!(ws.tables(), vec!["_migrate_history", "users"]);
    assert_eq!(count(&ws, "SELECT count(*) FROM users"), 0);
}

#[test]
fn database_url_from_dotenv_and_flag() {
    let ws = Workspace::new("sqlite", USERS);
    ws.migrate(&["new", "init"]).success();
    ws.write(".env", "DATABASE_URL=sqlite:from_env.db\n");
    ws.migrate(&["apply"]).success();
    assert!(ws.path("from_env.db").exists());
    assert!(!ws.path("dev.db").exists());
    ws.migrate(&["apply", "--database-url", "sqlite://other.db"])
        .success();
    assert!(ws.path("other.db").exists());
}

/// Copies a corpus's SQLite migrations into a workspace, applies them with
/// the binary, and compares the live database with the interpreter's replay.
fn replay_equals_database(ws: &Workspace) {
    ws.migrate(&["hash"]).success();
    ws.migrate(&["-q", "apply"]).success();
    ws.migrate(&[
        "diff",
        "--from",
        "migrations",
        "--to",
        "database",
        "--exit-code",
    ])
    .success();
}

#[test]
fn corpus_atuin_sqlite_sets() {
    let Some(corpora) = corpora() else { return };
    for set in ["atuin-client/migrations", "atuin-server-sqlite/migrations"] {
        let ws = Workspace::new("sqlite", "");
        let src = corpora.join("atuin").join(set);
        for entry in std::fs::read_dir(&src).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), ws.path("migrations").join(entry.file_name())).unwrap();
        }
        replay_equals_database(&ws);
    }
}

#[test]
fn corpus_ory_kratos_sqlite() {
    let Some(corpora) = corpora() else { return };
    let src = corpora.join("ory-kratos/migrations/sql");
    let ws = Workspace::new("sqlite", "");
    // The folder as Kratos ships it, every dialect's files together: the
    // popx layout is detected and the sqlite3 files are picked by the loader.
    let mut copied = 0;
    for entry in std::fs::read_dir(&src).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), ws.path("migrations").join(entry.file_name())).unwrap();
        copied += 1;
    }
    assert!(copied > 3000, "{copied} files copied");
    replay_equals_database(&ws);
    // Versions with an empty up file are recorded too: their down files
    // carry the second half of SQLite table rebuilds.
    let applied = count(&ws, "SELECT count(*) FROM _migrate_history WHERE success");
    assert!(applied > 538, "{applied} applied");
    ws.migrate(&["-q", "down", "--steps", "200"]).success();
    ws.migrate(&[
        "diff",
        "--from",
        "migrations",
        "--to",
        "database",
        "--exit-code",
    ])
    .code_is(2);
}

#[test]
fn corpus_chinook_as_a_schema() {
    let Some(corpora) = corpora() else { return };
    let schema =
        std::fs::read_to_string(corpora.join("chinook/DataSources/Chinook_Sqlite.sql")).unwrap();
    let ws = Workspace::new("sqlite", &schema);
    ws.migrate(&["new", "chinook"]).success();
    ws.migrate(&["-q", "apply"]).success();
    ws.migrate(&[
        "diff",
        "--from",
        "schema",
        "--to",
        "database",
        "--exit-code",
    ])
    .success();
    ws.migrate(&["check", "--database-url", "sqlite:dev.db"])
        .success();
}

#[test]
fn explicit_begin_commit_gets_a_hint() {
    let ws = Workspace::new("sqlite", "");
    hand_written(
        &ws,
        "wrapped",
        "BEGIN;\nCREATE TABLE a (id INTEGER);\nCOMMIT;\n",
        "",
    );
    ws.migrate(&["apply"])
        .failure()
        .stderr_has("up.sql:1:1")
        .stderr_has("help: remove it, or make the first line");
    assert!(!ws.tables().contains(&"a".to_string()));
}

#[test]
fn init_adopts_an_existing_sqlx_folder() {
    let ws = Workspace::bare();
    ws.write(
        "migrations/20240101000000_create_things.sql",
        "CREATE TABLE things (id INTEGER PRIMARY KEY);\n",
    );
    ws.migrate(&["init"]).success();
    ws.migrate(&["status"]).code_is(2).stdout_has("pending");
    ws.migrate(&["apply"]).success();
    assert!(ws.tables().contains(&"things".to_string()));
}

#[test]
fn init_on_a_lone_package_uses_package_metadata() {
    let ws = Workspace::bare();
    let manifest = ws.read("Cargo.toml").replace("[workspace]\n", "");
    ws.write("Cargo.toml", &manifest);
    ws.migrate(&["init", "--dialect", "postgres"]).success();
    let manifest = ws.read("Cargo.toml");
    assert!(
        manifest.contains("[package.metadata.migrate]\ndialect = \"postgres\""),
        "{manifest}"
    );
    assert!(ws.read("schema.sql").contains("PostgreSQL"));
    // A PostgreSQL workspace needs a URL: no silent SQLite fallback.
    ws.migrate(&["apply"])
        .failure()
        .stderr_has("no database URL for dialect postgres");
}

/// Ctrl-C in a single-database run: the migration running finishes (or
/// rolls back), no later one starts, the exit code is 130 and the message
/// says how many were not started; the history matches the tables.
#[test]
fn ctrl_c_stops_a_run_between_two_migrations() {
    let ws = Workspace::new("sqlite", "");
    let names = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"];
    for (i, name) in names.iter().enumerate() {
        let dir = format!("{}_{name}", 20260101000000u64 + i as u64);
        ws.write(
            &format!("migrations/{dir}/up.sql"),
            &format!(
                "CREATE TABLE {name} AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT x FROM c;\n"
            ),
        );
    }
    ws.migrate(&["hash"]).success();
    let mut child = ws
        .command(&["apply"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once the first migration is reported applied (on stderr): its
    // line is printed after its commit (polling the file instead may not get a read
    // in between the run's write transactions).
    let mut progress = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        let n = std::io::BufRead::read_line(&mut progress, &mut line).unwrap();
        assert!(
            n > 0,
            "the run ended before a migration was applied:\n{seen}"
        );
        seen.push_str(&line);
        if line.contains("Applied") {
            break;
        }
    }
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    std::io::Read::read_to_string(&mut progress, &mut seen).unwrap();
    let status = child.wait().unwrap();
    let stderr = seen;
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted by Ctrl-C"), "{stderr}");
    let rows = history(&ws);
    assert!(rows.iter().all(|(_, ok)| *ok), "{rows:?}");
    assert!(
        (1..names.len()).contains(&rows.len()),
        "stopped before the end: {rows:?}"
    );
    let not_started = names.len() - rows.len();
    assert!(
        stderr.contains(&format!("{not_started} not started")),
        "{stderr}"
    );
    for (i, name) in names.iter().enumerate() {
        let exists = count(
            &ws,
            &format!("SELECT count(*) FROM sqlite_schema WHERE name = '{name}'"),
        ) == 1;
        assert_eq!(exists, i < rows.len(), "{name}: {rows:?}");
    }
    // The next run goes on from there.
    ws.migrate(&["apply"]).success();
    assert_eq!(history(&ws).len(), names.len());
}
