//! Files a database would read differently from how they look (a NUL byte,
//! a quote or comment never closed, bytes that are not UTF-8) are errors
//! with file:line:col before anything runs; a BOM is accepted everywhere;
//! SQL-standard routine bodies (`BEGIN ATOMIC … END`) are one statement.

mod common;

use common::workspace::{Run, Workspace};

/// A hand-made migration: `new --empty`, its up.sql as bytes, then `hash`.
fn hand_written(ws: &Workspace, up: &[u8]) -> String {
    ws.migrate(&["new", "--empty", "hand"]).success();
    let dir = ws.migration_dirs().last().unwrap().clone();
    std::fs::write(ws.path(&format!("migrations/{dir}/up.sql")), up).unwrap();
    ws.migrate(&["hash"]).success();
    dir
}

/// What breaks each script, the position it must be reported at, and the message.
const BROKEN: &[(&str, (usize, usize), &str)] = &[
    (
        "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\0\nCREATE TABLE c (id int);\n",
        (2, 25),
        "NUL byte",
    ),
    (
        "CREATE TABLE a (id int);\n/* the rest is a comment\nCREATE TABLE b (id int);\n",
        (2, 1),
        "unterminated /* comment",
    ),
    (
        "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1), ('2);\nCREATE TABLE b (id int);\n",
        (2, 28),
        "unterminated string",
    ),
    (
        "CREATE TABLE a (id int);\nCREATE TABLE \"b (id int);\n",
        (2, 14),
        "unterminated quoted identifier",
    ),
    (
        "CREATE TABLE a (id int);\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $$ LANGUAGE sql;\nCREATE TABLE b (id int);\n",
        (2, 36),
        "unterminated dollar quote",
    ),
];

fn sqlite_tables(ws: &Workspace) -> Vec<String> {
    if !ws.path("dev.db").exists() {
        return Vec::new();
    }
    ws.tables()
}

#[test]
fn sqlite_migrations_that_would_be_read_short_run_nothing() {
    for (sql, (line, column), what) in BROKEN {
        let ws = Workspace::new("sqlite", "");
        let dir = hand_written(&ws, sql.as_bytes());
        let run = ws.migrate(&["apply"]).failure();
        let err = run.stderr();
        let at = format!("migrations/{dir}/up.sql:{line}:{column}: {what}");
        assert!(err.contains(&at), "expected {at}\n{err}");
        let tables = sqlite_tables(&ws);
        assert!(
            !tables.iter().any(|t| t == "a" || t == "b"),
            "{sql:?}: {tables:?}"
        );
        // Nothing ran, so nothing is recorded: fixing the file is enough.
        let status = ws.migrate(&["status"]);
        assert!(
            status.stderr().contains("pending") || status.stdout().contains("pending"),
            "{}",
            status.stderr()
        );
        // The interpreter refuses it the same way (`new`, `check`, the build gate).
        let check = ws.migrate(&["check"]).code_is(2);
        assert!(check.stdout().contains(&at), "{}", check.stdout());
    }
}

#[test]
fn postgres_migrations_that_would_be_read_short_run_nothing() {
    let mut db = test_db!();
    for (sql, (line, column), what) in BROKEN {
        let ws = Workspace::new("postgres", "");
        let dir = hand_written(&ws, sql.as_bytes());
        let run = Run {
            output: ws
                .command(&["apply"])
                .env("DATABASE_URL", &db.url)
                .output()
                .unwrap(),
        };
        assert_eq!(run.code(), 1, "{}", run.stderr());
        let at = format!("migrations/{dir}/up.sql:{line}:{column}: {what}");
        assert!(
            run.stderr().contains(&at),
            "expected {at}\n{}",
            run.stderr()
        );
        let tables: i64 = db
            .client
            .query_one(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('a', 'b')",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(tables, 0, "{sql:?}");
        db.exec("DROP TABLE IF EXISTS public._migrate_history");
    }
}

#[test]
fn schema_files_that_would_be_read_short_are_errors_on_both_dialects() {
    for dialect in ["sqlite", "postgres"] {
        for (sql, (line, column), what) in BROKEN {
            let ws = Workspace::new(dialect, sql);
            let run = ws.migrate(&["new", "init"]).failure();
            let at = format!("schema.sql:{line}:{column}: {what}");
            assert!(
                run.stderr().contains(&at),
                "expected {at}\n{}",
                run.stderr()
            );
            assert!(ws.migration_dirs().is_empty());
        }
    }
}

#[test]
fn a_bom_in_schema_sql_is_accepted() {
    for dialect in ["sqlite", "postgres"] {
        let ws = Workspace::new(dialect, "\u{feff}CREATE TABLE t (id int PRIMARY KEY);\n");
        ws.migrate(&["new", "init"]).success();
        let dir = ws.migration_dirs().last().unwrap().clone();
        let up = ws.read(&format!("migrations/{dir}/up.sql"));
        assert!(up.contains("CREATE TABLE t"), "{up}");
        ws.migrate(&[
            "diff",
            "--from",
            "migrations",
            "--to",
            "schema",
            "--exit-code",
        ])
        .success();
    }
}

#[test]
fn invalid_utf8_names_the_line_and_column_of_the_first_bad_byte() {
    let ws = Workspace::new("sqlite", "");
    std::fs::write(
        ws.path("schema.sql"),
        b"CREATE TABLE t (\n    id int PRIMARY KEY,\n    name text DEFAULT 'caf\xe9'\n);\n",
    )
    .unwrap();
    let run = ws.migrate(&["new", "init"]).failure();
    assert!(
        run.stderr()
            .contains("schema.sql:3:27: not valid UTF-8 (byte 0xe9)"),
        "{}",
        run.stderr()
    );
    // A migration: refused from the moment it is read (`hash`, `apply`, the gate).
    ws.migrate(&["new", "--empty", "hand"]).success();
    let dir = ws.migration_dirs().last().unwrap().clone();
    std::fs::write(
        ws.path(&format!("migrations/{dir}/up.sql")),
        b"SELECT 1;\n-- \xff\n",
    )
    .unwrap();
    let run = ws.migrate(&["hash"]).failure();
    assert!(
        run.stderr().contains(&format!(
            "migrations/{dir}/up.sql:2:4: not valid UTF-8 (byte 0xff)"
        )),
        "{}",
        run.stderr()
    );
}

/// PostgreSQL 14's SQL-standard bodies: the server takes the `;` inside
/// `BEGIN ATOMIC … END` as part of the function, and so must we.
#[test]
fn begin_atomic_routines_apply_and_compare_equal_on_postgres() {
    let mut db = test_db!();
    let schema = "CREATE FUNCTION positive(x int) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN x > 0;\n\
        CREATE TABLE counters (id int PRIMARY KEY CHECK (positive(id)), n int NOT NULL DEFAULT 0);\n\
        CREATE FUNCTION next_n(x int) RETURNS int LANGUAGE sql\n\
        BEGIN ATOMIC\n\
            SELECT CASE WHEN x > 0 THEN x + 1 ELSE 0 END;\n\
        END;\n\
        CREATE PROCEDURE bump(k int) LANGUAGE sql\n\
        BEGIN ATOMIC\n\
            INSERT INTO counters (id) VALUES (k) ON CONFLICT DO NOTHING;\n\
            UPDATE counters SET n = n + 1 WHERE id = k;\n\
        END;\n";
    let ws = Workspace::new("postgres", schema);
    ws.migrate(&["new", "init"]).success();
    let url = db.url.clone();
    let run = |args: &[&str]| Run {
        output: ws.command(args).env("DATABASE_URL", &url).output().unwrap(),
    };
    run(&["apply"]).success();
    db.exec("CALL bump(7); CALL bump(7);");
    let n: i32 = db
        .client
        .query_one("SELECT next_n(n) FROM counters WHERE id = 7", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 3);
    // The interpreter models both routines: no drift either way.
    run(&["check"]).success();
    run(&[
        "diff",
        "--from",
        "database",
        "--to",
        "schema",
        "--exit-code",
    ])
    .success();
    // A hand-written migration with the same shape applies too, and dropping
    // the routines is understood.
    let dir = hand_written(
        &ws,
        b"DROP PROCEDURE bump(int);\nDROP FUNCTION next_n(int);\n\
          CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT x; SELECT x * 2; END;\n",
    );
    run(&["apply"]).success();
    let doubled: i32 = db.client.query_one("SELECT twice(21)", &[]).unwrap().get(0);
    assert_eq!(doubled, 42, "{dir}");
    ws.write(
        "schema.sql",
        "CREATE FUNCTION positive(x int) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN x > 0;\n\
         CREATE TABLE counters (id int PRIMARY KEY CHECK (positive(id)), n int NOT NULL DEFAULT 0);\n\
         CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT x; SELECT x * 2; END;\n",
    );
    run(&["check"]).success();
}
