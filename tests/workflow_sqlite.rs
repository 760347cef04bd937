//! The team workflow on SQLite, end to end with the real binary: `test` on a
//! scratch file, seeds, backups before changes, the three ways back (`rm`,
//! `down`, `new --revert`), and `check --format github`.

mod common;

use common::workspace::{Workspace, version_of};

const USERS: &str = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n";
const USERS_POSTS: &str = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);\n\
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title TEXT NOT NULL);\n";

fn two_migrations(extra_config: &str) -> (Workspace, Vec<String>) {
    Workspace::with_two_migrations("sqlite", USERS, USERS_POSTS, extra_config)
}

fn rows(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Every row of every user table, and the schema text, for comparisons.
fn dump(conn: &rusqlite::Connection) -> Vec<String> {
    let mut out = rows(
        conn,
        "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_schema ORDER BY type, name",
    );
    for table in rows(
        conn,
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name",
    ) {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let n = stmt.column_count();
        let mut q = stmt.query([]).unwrap();
        while let Some(r) = q.next().unwrap() {
            let values: Vec<String> = (0..n)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect();
            out.push(format!("{table}: {}", values.join(", ")));
        }
    }
    out
}

#[test]
fn test_runs_every_migration_both_ways_on_a_scratch_file() {
    let (ws, dirs) = two_migrations("");
    let run = ws.migrate(&["test"]).success();
    let err = run.stderr();
    for d in &dirs {
        let line = err
            .lines()
            .find(|l| l.contains(&format!("Passed {d}:")))
            .unwrap_or_else(|| panic!("no line for {d}\n{err}"));
        for part in ["up ", "down ", "up again "] {
            assert!(line.contains(part), "{line}");
        }
    }
    assert!(err.contains("2 migration(s): all passed"), "{err}");
    assert!(
        !ws.path("dev.db").exists(),
        "`test` must never touch the configured database"
    );
}

#[test]
fn test_catches_a_down_that_leaves_a_column_and_names_the_file() {
    let (ws, dirs) = two_migrations("");
    let down = format!("migrations/{}/down.sql", dirs[1]);
    let text = ws.read(&down);
    assert!(text.contains("DROP COLUMN name"), "{text}");
    ws.write(
        &down,
        &text.replace("ALTER TABLE users DROP COLUMN name;", ""),
    );
    let run = ws.migrate(&["test"]).code_is(2);
    let out = run.stdout();
    assert!(
        out.contains(&format!(
            "{down}: after it, the database is not as it was before {}",
            dirs[1]
        )),
        "{out}"
    );
    assert!(out.contains("drop column `users.name`"), "{out}");
    let err = run.stderr();
    assert!(err.contains(&format!("Passed {}", dirs[0])), "{err}");
    assert!(err.contains(&format!("FAILED {}", dirs[1])), "{err}");
}

#[test]
fn test_catches_a_down_that_fails_with_its_position() {
    let (ws, dirs) = two_migrations("");
    let down = format!("migrations/{}/down.sql", dirs[1]);
    let text = ws.read(&down);
    ws.write(
        &down,
        &text.replace("DROP TABLE posts;", "DROP TABLE postz;"),
    );
    let line = ws
        .read(&down)
        .lines()
        .position(|l| l.contains("postz"))
        .unwrap()
        + 1;
    ws.migrate(&["test"])
        .code_is(2)
        .stdout_has(&format!("{down}:{line}:1: no such table: postz"));
}

#[test]
fn test_with_data_catches_a_down_that_loses_rows() {
    let (ws, dirs) = two_migrations("seed = \"seed.sql\"");
    ws.write(
        "seed.sql",
        "INSERT INTO users (id, email, name) VALUES (1, 'a@x', 'A'), (2, 'b@x', NULL);\n\
         INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'hello');\n",
    );
    ws.migrate(&["test", "--with-data"]).success();
    // A down that empties a table both sides keep.
    let down = format!("migrations/{}/down.sql", dirs[1]);
    let text = ws.read(&down);
    ws.write(&down, &format!("{text}\nDELETE FROM users WHERE id = 2;\n"));
    // The schema is right, so only --with-data sees it.
    ws.migrate(&["test"]).success();
    ws.migrate(&["test", "--with-data"])
        .code_is(2)
        .stdout_has(&format!(
            "{down}: table users had 2 row(s) before it and 1 after"
        ));
}

#[test]
fn seed_loads_rolls_back_on_failure_and_runs_after_reset() {
    let (ws, _) = two_migrations("seed = \"seeds\"");
    ws.write(
        "seeds/01_users.sql",
        "INSERT INTO users (id, email) VALUES (1, 'a@x');\n",
    );
    ws.write(
        "seeds/02_posts.sql",
        "-- posts\nINSERT INTO posts (id, user_id, title) VALUES (1, 1, 'hi');\n",
    );
    ws.migrate(&["apply"]).success();
    ws.migrate(&["seed"])
        .success()
        .stderr_has("2 file(s), 2 statement(s)");
    assert_eq!(rows(&ws.db(), "SELECT email FROM users"), ["a@x"]);

    // A failing second file: the first file's rows go too.
    ws.migrate(&["reset", "--force", "--skip-seed"]).success();
    assert!(rows(&ws.db(), "SELECT email FROM users").is_empty());
    ws.write(
        "seeds/02_posts.sql",
        "-- posts\nINSERT INTO posts (id, user_id, titel) VALUES (1, 1, 'hi');\n",
    );
    ws.migrate(&["seed"])
        .failure()
        .stderr_has("seeds/02_posts.sql:2:1: table posts has no column named titel")
        .stderr_has("the seed was rolled back: nothing of it stayed in sqlite:dev.db");
    assert!(rows(&ws.db(), "SELECT email FROM users").is_empty());

    // `reset` applies, then seeds.
    ws.write(
        "seeds/02_posts.sql",
        "INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'hi');\n",
    );
    ws.migrate(&["reset", "--force"])
        .success()
        .stderr_has("seed loaded");
    assert_eq!(rows(&ws.db(), "SELECT title FROM posts"), ["hi"]);

    // A row pointing nowhere is refused, as a migration's would be.
    ws.migrate(&["reset", "--force", "--skip-seed"]).success();
    ws.write(
        "seeds/02_posts.sql",
        "INSERT INTO posts (id, user_id, title) VALUES (2, 99, 'orphan');\n",
    );
    ws.migrate(&["seed"])
        .failure()
        .stderr_has("seeds/02_posts.sql:1:1: FOREIGN KEY constraint failed");
    assert!(rows(&ws.db(), "SELECT email FROM users").is_empty());
}

#[test]
fn seed_command_gets_the_database_url() {
    let (ws, _) =
        two_migrations("seed = { command = \"printf '%s' \\\"$DATABASE_URL\\\" > seen-url.txt\" }");
    ws.migrate(&["apply"]).success();
    ws.migrate(&["seed"]).success();
    assert_eq!(ws.read("seen-url.txt"), "sqlite:dev.db");
    let manifest = ws.read("Cargo.toml");
    ws.write("Cargo.toml", &manifest.replace("printf", "exit 3; printf"));
    ws.migrate(&["seed"])
        .failure()
        .stderr_has("the seed command (`seed` in")
        .stderr_has("exit status: 3");
}

#[test]
fn apply_backup_is_a_copy_that_restores() {
    let (ws, dirs) = two_migrations("");
    let v1 = version_of(&dirs[0]);
    ws.migrate(&["apply", "--to", v1]).success();
    ws.db()
        .execute_batch("INSERT INTO users (id, email) VALUES (1, 'a@x'), (2, 'b@x');")
        .unwrap();
    let before = dump(&ws.db());
    let run = ws.migrate(&["apply", "--backup"]).success();
    let backup = format!("dev.db.{v1}.backup");
    let err = run.stderr();
    assert!(
        err.contains(&format!("Backed up dev.db to {backup} (at migration {v1})")),
        "{err}"
    );
    let restore = format!("cp {backup} dev.db && rm -f dev.db-wal dev.db-shm");
    assert!(err.contains(&restore), "{err}");
    assert_ne!(dump(&ws.db()), before, "apply changed nothing?");

    // The printed restore, run as printed.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(&restore)
        .current_dir(ws.root())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(dump(&ws.db()), before);
    let status = ws.migrate(&["status"]).stdout();
    assert!(
        status.contains(&format!("applied  {}", dirs[0])),
        "{status}"
    );
    assert!(
        status.contains(&format!("pending  {}", dirs[1])),
        "{status}"
    );

    // A second backup at the same version gets its own name.
    ws.migrate(&["down", "--backup", "--steps", "1"]).success();
    assert!(ws.path(&backup).exists());
    assert!(ws.path(&format!("dev.db.{v1}-2.backup")).exists());
    ws.migrate(&["reset", "--force", "--backup"])
        .success()
        .stderr_has("dev.db.empty.backup (no migration applied)");
}

#[test]
fn rm_refuses_an_applied_migration_and_removes_one_that_is_not() {
    let (ws, dirs) = two_migrations("");
    let (v1, v2) = (version_of(&dirs[0]), version_of(&dirs[1]));
    ws.migrate(&["apply"]).success();
    ws.migrate(&["rm", v2])
        .failure()
        .stderr_has(&format!("{} is applied on", dirs[1]))
        .stderr_has(&format!("cargo migrate new <name> --revert {v2}"));
    assert_eq!(ws.migration_dirs().len(), 2);

    ws.migrate(&["down"]).success();
    ws.migrate(&["rm", v2])
        .success()
        .stderr_has(&format!("Removed migrations/{}", dirs[1]))
        .stderr_has("schema.sql still declares what");
    assert_eq!(ws.migration_dirs(), [dirs[0].clone()]);
    let lock = ws.read("migrations/migrate.lock");
    assert!(!lock.contains(v2) && lock.contains(v1), "{lock}");
    // The lock agrees with the folder; only the schema is ahead now.
    ws.migrate(&["check"])
        .code_is(2)
        .stdout_has("the migrations are behind the schema files");
    ws.write("schema.sql", USERS);
    ws.migrate(&["check"]).success();

    // The first one needs the second gone first... here nothing is after it,
    // but it is applied.
    ws.migrate(&["rm", v1])
        .failure()
        .stderr_has("is applied on");
    ws.migrate(&["rm", "19990101000000"])
        .failure()
        .stderr_has("no migration with version 19990101000000");
}

#[test]
fn rm_refuses_when_later_migrations_need_it() {
    let (ws, dirs) = two_migrations("");
    ws.migrate(&["rm", version_of(&dirs[0])])
        .failure()
        .stderr_has("without it they do not replay");
    assert_eq!(ws.migration_dirs().len(), 2);
}

#[test]
fn revert_of_a_column_type_change_brings_the_type_back() {
    let ws = Workspace::new(
        "sqlite",
        "CREATE TABLE items (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL);\n",
    );
    ws.migrate(&["new", "items"]).success();
    ws.write(
        "schema.sql",
        "CREATE TABLE items (id INTEGER PRIMARY KEY, amount TEXT NOT NULL);\n",
    );
    ws.migrate(&["new", "amount_as_text"]).success();
    let dirs = ws.migration_dirs();
    ws.migrate(&["apply"]).success();
    ws.db()
        .execute_batch("INSERT INTO items VALUES (1, '10');")
        .unwrap();

    let run = ws
        .migrate(&["new", "undo_amount", "--revert", version_of(&dirs[1])])
        .success();
    run.stderr_has("the schema files still declare what");
    let dirs_after = ws.migration_dirs();
    assert_eq!(dirs_after.len(), 3);
    let revert = &dirs_after[2];
    assert!(revert.ends_with("_undo_amount"), "{revert}");
    let up = ws.read(&format!("migrations/{revert}/up.sql"));
    let down = ws.read(&format!("migrations/{revert}/down.sql"));
    let body = |t: &str| {
        t.lines()
            .filter(|l| !l.starts_with("--") && !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        body(&up),
        body(&ws.read(&format!("migrations/{}/down.sql", dirs[1])))
    );
    assert_eq!(
        body(&down),
        body(&ws.read(&format!("migrations/{}/up.sql", dirs[1])))
    );
    assert!(up.contains(&format!("It reverts {}", dirs[1])), "{up}");

    ws.migrate(&["apply"]).success();
    let ty = rows(
        &ws.db(),
        "SELECT type FROM pragma_table_info('items') WHERE name = 'amount'",
    );
    assert_eq!(ty, ["INTEGER"]);
    assert_eq!(
        rows(&ws.db(), "SELECT CAST(amount AS TEXT) FROM items"),
        ["10"]
    );
    // The new pair is tested like any other.
    ws.write(
        "schema.sql",
        "CREATE TABLE items (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL);\n",
    );
    ws.migrate(&["check"]).success();
    ws.migrate(&["test"]).success();
}

#[test]
fn revert_refuses_a_down_that_does_not_bring_the_schema_back() {
    let (ws, dirs) = two_migrations("");
    let down = format!("migrations/{}/down.sql", dirs[1]);
    let text = ws.read(&down);
    ws.write(
        &down,
        &text.replace("ALTER TABLE users DROP COLUMN name;", ""),
    );
    ws.migrate(&["new", "undo", "--revert", version_of(&dirs[1])])
        .failure()
        .stderr_has(&format!(
            "{down} does not bring the schema back to what it was without {}",
            dirs[1]
        ))
        .stderr_has("drop column `users.name`");
    assert_eq!(ws.migration_dirs().len(), 2);
}

#[test]
fn check_format_github_annotates_drift_lock_and_failed_migrations() {
    let (ws, dirs) = two_migrations("");
    // A failing migration, recorded in the history.
    ws.migrate(&["new", "--empty", "broken"]).success();
    let broken = ws.migration_dirs()[2].clone();
    let up = format!("migrations/{broken}/up.sql");
    ws.write(
        &up,
        "-- broken\nCREATE TABLE t (id INTEGER);\nINSERT INTO nowhere VALUES (1);\n",
    );
    ws.migrate(&["hash"]).success();
    ws.migrate(&["apply"]).failure();
    // An edit the lock does not know, and a schema ahead of the migrations.
    let first_up = format!("migrations/{}/up.sql", dirs[0]);
    ws.write(&first_up, &format!("{}\n-- edited\n", ws.read(&first_up)));
    ws.write(
        "schema.sql",
        &format!("{USERS_POSTS}CREATE TABLE extra (id INTEGER);\n"),
    );
    let run = ws.migrate(&["check", "--format", "github"]).code_is(2);
    let out = run.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.iter().all(|l| l.starts_with("::error ")), "{out}");
    assert!(
        lines
            .iter()
            .any(|l| l
                .starts_with("::error file=migrations/migrate.lock,title=cargo migrate check::")),
        "{out}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(
            "::error file=schema.sql,title=cargo migrate check::the migrations are behind the schema files:%0A"
        ) && l.contains("create table `extra`")),
        "{out}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(&format!(
            "::error file={up},line=3,col=1,title=cargo migrate check::migration {broken} failed"
        ))),
        "{out}"
    );
}
