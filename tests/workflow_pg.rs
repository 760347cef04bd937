//! The team workflow on PostgreSQL, end to end with the real binary and a
//! fresh database per test: `test` on a scratch database of the server,
//! seeds, `--backup` (the pg_dump command, run and restored), `rm`,
//! `new --revert`, and `check --format github`.

mod common;

use std::path::Path;
use std::process::Command;

use common::pg::{TestDb, with_database};
use common::workspace::{Run, Workspace, version_of};

const USERS: &str = "CREATE TABLE users (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    email text NOT NULL UNIQUE\n);\n";
const USERS_POSTS: &str = "CREATE TYPE post_state AS ENUM ('draft', 'published');\n\
CREATE TABLE users (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    email text NOT NULL UNIQUE,\n    name text\n);\n\
CREATE TABLE posts (\n    id serial PRIMARY KEY,\n    user_id bigint NOT NULL REFERENCES users(id),\n    state post_state NOT NULL DEFAULT 'draft',\n    title text NOT NULL\n);\n";

fn run_with(ws: &Workspace, url: &str, args: &[&str]) -> Run {
    let mut c = ws.command(args);
    c.env("DATABASE_URL", url);
    Run {
        output: c.output().unwrap(),
    }
}

fn run(ws: &Workspace, db: &TestDb, args: &[&str]) -> Run {
    run_with(ws, &db.url, args)
}

fn two_migrations(extra_config: &str) -> (Workspace, Vec<String>) {
    Workspace::with_two_migrations("postgres", USERS, USERS_POSTS, extra_config)
}

fn tables(db: &mut TestDb) -> Vec<String> {
    db.client
        .query(
            "SELECT schemaname || '.' || tablename FROM pg_tables \
             WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
            &[],
        )
        .unwrap()
        .into_iter()
        .map(|r| r.get(0))
        .collect()
}

fn strings(db: &mut TestDb, sql: &str) -> Vec<String> {
    db.client
        .query(sql, &[])
        .unwrap()
        .into_iter()
        .map(|r| r.get(0))
        .collect()
}

/// The URL with another user (the test server trusts local connections).
fn with_user(url: &str, user: &str) -> String {
    let start = url.find("://").unwrap() + 3;
    let at = url[start..]
        .find('@')
        .map(|i| start + i + 1)
        .unwrap_or(start);
    format!("{}{user}@{}", &url[..start], &url[at..])
}

/// The URL with a password the server does not ask for (trust), to see that
/// no output shows it.
fn with_password(url: &str, password: &str) -> String {
    let start = url.find("://").unwrap() + 3;
    let at = start + url[start..].find('@').expect("a user in the test URL");
    let user_end = url[start..at].find(':').map_or(at, |i| start + i);
    format!("{}:{password}{}", &url[..user_end], &url[at..])
}

/// A login role without CREATEDB, dropped when the value is.
struct Role {
    name: String,
    server: String,
}

impl Role {
    fn new(db: &mut TestDb) -> Role {
        let name = format!("{}_nocreatedb", db.name);
        db.exec(&format!("CREATE ROLE {name} LOGIN NOCREATEDB"));
        let server = with_database(&db.url, "postgres");
        Role { name, server }
    }
}

impl Drop for Role {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.server, postgres::NoTls) {
            let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS {}", self.name));
        }
    }
}

/// The scratch database named in `test`'s "Testing … on …" line.
fn scratch_name(stderr: &str) -> String {
    let line = stderr
        .lines()
        .find(|l| l.contains("Testing"))
        .unwrap_or_else(|| panic!("no Testing line\n{stderr}"));
    let start = line.find("cargo_migrate_test_").expect(line);
    line[start..]
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn test_runs_on_a_scratch_database_of_the_server_never_the_configured_one() {
    let mut db = test_db!();
    let (ws, dirs) = two_migrations("");
    let out = run(&ws, &db, &["test"]).success();
    let err = out.stderr();
    for d in &dirs {
        assert!(err.contains(&format!("Passed {d}: up ")), "{err}");
    }
    assert!(err.contains("up again"), "{err}");
    assert!(
        tables(&mut db).is_empty(),
        "the configured database was touched"
    );
    let scratch = scratch_name(&err);
    let left = strings(
        &mut db,
        &format!("SELECT datname::text FROM pg_database WHERE datname = '{scratch}'"),
    );
    assert!(
        left.is_empty(),
        "scratch database {scratch} was not dropped"
    );
    // A configured database that does not exist yet (a fresh CI server):
    // the scratch database is made from the maintenance one.
    let missing = with_database(&db.url, &format!("{}_not_created", db.name));
    run_with(&ws, &missing, &["test"])
        .success()
        .stderr_has("all passed");
}

#[test]
fn test_catches_a_wrong_down_and_names_the_file() {
    let db = test_db!();
    let (ws, dirs) = two_migrations("");
    let down = format!("migrations/{}/down.sql", dirs[1]);
    let text = ws.read(&down);
    assert!(text.contains("DROP TYPE post_state"), "{text}");
    ws.write(&down, &text.replace("DROP TYPE post_state;", ""));
    run(&ws, &db, &["test"])
        .code_is(2)
        .stdout_has(&format!(
            "{down}: after it, the database is not as it was before {}",
            dirs[1]
        ))
        .stdout_has("drop enum `post_state`")
        .stderr_has(&format!("FAILED {}", dirs[1]));
    // A down that fails: the file, line and column of the statement.
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
    run(&ws, &db, &["test"])
        .code_is(2)
        .stdout_has(&format!("{down}:{line}:"))
        .stdout_has("\"postz\" does not exist");
}

#[test]
fn test_needs_createdb_or_a_scratch_url() {
    let mut db = test_db!();
    let role = Role::new(&mut db);
    let mut scratch = test_db!();
    scratch.exec(&format!(
        "ALTER DATABASE {} OWNER TO {}",
        scratch.name, role.name
    ));
    let (ws, _) = two_migrations("");
    let url = with_user(&db.url, &role.name);
    run_with(&ws, &url, &["test"])
        .failure()
        .stderr_has(&format!("role {} may not create databases", role.name))
        .stderr_has(&format!("ALTER ROLE {} CREATEDB", role.name))
        .stderr_has("--scratch-url");
    let scratch_url = with_user(&scratch.url, &role.name);
    run_with(&ws, &url, &["test", "--scratch-url", &scratch_url])
        .success()
        .stderr_has("all passed");
    assert!(
        tables(&mut scratch).is_empty(),
        "--scratch-url database not emptied"
    );
    // Never a database with something in it.
    scratch.exec("CREATE TABLE keep_me (id int)");
    run_with(&ws, &url, &["test", "--scratch-url", &scratch_url])
        .failure()
        .stderr_has("is not empty")
        .stderr_has("keep_me");
    assert_eq!(tables(&mut scratch), ["public.keep_me"]);
    drop(scratch);
    drop(role);
}

#[test]
fn seed_failure_rolls_back_with_its_position_and_test_with_data_passes() {
    let mut db = test_db!();
    let (ws, _) = two_migrations("seed = \"seed.sql\"");
    ws.write(
        "seed.sql",
        "INSERT INTO users (email, name) VALUES ('a@x', 'A'), ('b@x', NULL);\n\
         INSERT INTO posts (user_id, state, title)\n  SELECT id, 'published', 'hello' FROM users WHERE email = 'a@x';\n",
    );
    run(&ws, &db, &["test", "--with-data"])
        .success()
        .stderr_has("Seeded");
    run(&ws, &db, &["apply"]).success();
    run(&ws, &db, &["seed"]).success();
    assert_eq!(
        strings(&mut db, "SELECT email FROM users ORDER BY 1"),
        ["a@x", "b@x"]
    );
    ws.write(
        "seed.sql",
        "INSERT INTO users (email) VALUES ('c@x');\nINSERT INTO posts (user_id, title) VALUES (1, 'x', 'extra');\n",
    );
    run(&ws, &db, &["seed"])
        .failure()
        .stderr_has("seed.sql:2:")
        .stderr_has("INSERT has more expressions than target columns")
        .stderr_has("the seed was rolled back: nothing of it stayed in");
    assert_eq!(
        strings(&mut db, "SELECT email FROM users ORDER BY 1"),
        ["a@x", "b@x"]
    );
}

#[test]
fn apply_backup_prints_pg_dump_and_its_restore_brings_the_database_back() {
    let mut db = test_db!();
    let (ws, dirs) = two_migrations("");
    let v1 = version_of(&dirs[0]);
    let url = with_password(&db.url, "hunter2");
    run_with(&ws, &url, &["apply", "--to", v1]).success();
    db.exec("INSERT INTO users (email) VALUES ('a@x'), ('b@x')");
    let before = strings(&mut db, "SELECT id || ' ' || email FROM users ORDER BY id");

    let out = run_with(&ws, &url, &["apply", "--backup"]).failure();
    let err = out.stderr();
    assert!(!err.contains("hunter2"), "{err}");
    assert!(err.contains("pg_dump is the tool"), "{err}");
    assert!(err.contains("`cargo migrate apply` did not run"), "{err}");
    assert_eq!(
        strings(&mut db, "SELECT version FROM _migrate_history"),
        [v1],
        "--backup on PostgreSQL must not apply"
    );
    let command = |prefix: &str| {
        err.lines()
            .map(str::trim)
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` line\n{err}"))
            .replace("***", "hunter2")
    };
    let dump = command("pg_dump ");
    let restore = command("pg_restore ");
    assert!(
        dump.contains(&format!("--file={}-{v1}.dump", db.name)),
        "{dump}"
    );
    let sh = |line: &str| {
        let out = Command::new("sh")
            .arg("-c")
            .arg(line)
            .current_dir(ws.root())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{line}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    if Command::new("pg_dump").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "pg_dump missing (CI is set)"
        );
        eprintln!("note: pg_dump missing: the printed commands were not run");
        return;
    }
    sh(&dump);
    run_with(&ws, &url, &["apply"]).success();
    assert!(tables(&mut db).contains(&"public.posts".to_string()));

    // The restore recreates the database: our own connection must go first.
    db.client =
        postgres::Client::connect(&with_database(&db.url, "postgres"), postgres::NoTls).unwrap();
    sh(&restore);
    db.client = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    assert_eq!(
        strings(&mut db, "SELECT id || ' ' || email FROM users ORDER BY id"),
        before
    );
    assert_eq!(tables(&mut db), ["public._migrate_history", "public.users"]);
    // The schema is the one the first migration makes.
    let reference = test_db!();
    run(&ws, &reference, &["apply", "--to", v1]).success();
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/pg-schema-equal");
    let eq = Command::new(tool)
        .args([&db.url, &reference.url])
        .output()
        .unwrap();
    assert!(
        eq.status.success(),
        "{}{}",
        String::from_utf8_lossy(&eq.stdout),
        String::from_utf8_lossy(&eq.stderr)
    );
}

#[test]
fn rm_refuses_a_migration_the_database_has_applied() {
    let db = test_db!();
    let (ws, dirs) = two_migrations("");
    let v2 = version_of(&dirs[1]);
    run(&ws, &db, &["apply"]).success();
    run(&ws, &db, &["rm", v2])
        .failure()
        .stderr_has(&format!("{} is applied on", dirs[1]))
        .stderr_has(&format!("--revert {v2}"));
    assert_eq!(ws.migration_dirs().len(), 2);
    run(&ws, &db, &["down"]).success();
    run(&ws, &db, &["rm", v2]).success();
    assert_eq!(ws.migration_dirs(), [dirs[0].clone()]);
    ws.write("schema.sql", USERS);
    run(&ws, &db, &["check"]).success();
}

#[test]
fn revert_of_a_column_type_change_brings_the_type_back() {
    let mut db = test_db!();
    let ws = Workspace::new(
        "postgres",
        "CREATE TABLE items (id int PRIMARY KEY, amount integer NOT NULL);\n",
    );
    ws.migrate(&["new", "items"]).success();
    ws.write(
        "schema.sql",
        "CREATE TABLE items (id int PRIMARY KEY, amount bigint NOT NULL);\n",
    );
    ws.migrate(&["new", "amount_bigint"]).success();
    let dirs = ws.migration_dirs();
    run(&ws, &db, &["apply"]).success();
    db.exec("INSERT INTO items VALUES (1, 10)");
    let ty = "SELECT data_type::text FROM information_schema.columns \
              WHERE table_name = 'items' AND column_name = 'amount'";
    assert_eq!(strings(&mut db, ty), ["bigint"]);

    run(
        &ws,
        &db,
        &["new", "undo_amount", "--revert", version_of(&dirs[1])],
    )
    .success()
    .stderr_has("the schema files still declare what");
    let revert = ws.migration_dirs()[2].clone();
    let up = ws.read(&format!("migrations/{revert}/up.sql"));
    assert!(up.contains("TYPE integer"), "{up}");
    run(&ws, &db, &["apply"]).success();
    assert_eq!(strings(&mut db, ty), ["integer"]);
    assert_eq!(strings(&mut db, "SELECT amount::text FROM items"), ["10"]);
    ws.write(
        "schema.sql",
        "CREATE TABLE items (id int PRIMARY KEY, amount integer NOT NULL);\n",
    );
    run(&ws, &db, &["check"]).success();
    run(&ws, &db, &["test"]).success();
}

#[test]
fn check_format_github_points_at_the_failed_statement() {
    let db = test_db!();
    let (ws, _) = two_migrations("");
    ws.migrate(&["new", "--empty", "broken"]).success();
    let broken = ws.migration_dirs()[2].clone();
    let up = format!("migrations/{broken}/up.sql");
    ws.write(
        &up,
        "-- broken\nCREATE TABLE t (id int);\nSELECT nope FROM t;\n",
    );
    ws.migrate(&["hash"]).success();
    run(&ws, &db, &["apply"]).failure();
    run(&ws, &db, &["check", "--format", "github"])
        .code_is(2)
        .stdout_has(&format!(
            "::error file={up},line=3,col=8,title=cargo migrate check::migration {broken} failed"
        ));
}
