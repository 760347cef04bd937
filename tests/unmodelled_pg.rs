//! DDL the replay cannot see (in `DO` blocks, in routine bodies through
//! `EXECUTE`) is listed with its file:line:col by `new` and `check`, and
//! `check` names it as the likely cause when the database differs from the
//! replay. A real PostgreSQL database runs the block.

mod common;

use common::pg::TestDb;
use common::workspace::{Run, Workspace};

fn run(ws: &Workspace, db: &TestDb, args: &[&str]) -> Run {
    Run {
        output: ws
            .command(args)
            .env("DATABASE_URL", &db.url)
            .output()
            .unwrap(),
    }
}

#[test]
fn do_blocks_and_execute_are_listed_and_blamed_for_drift() {
    let Some(db) = TestDb::new() else { return };
    let ws = Workspace::new("postgres", "CREATE TABLE accounts (id int PRIMARY KEY);\n");
    ws.write(
        "migrations/20260101000000_accounts/up.sql",
        "CREATE TABLE accounts (id int PRIMARY KEY);\n",
    );
    ws.write(
        "migrations/20260102000000_audit/up.sql",
        "DO $$\nBEGIN\n    IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'audit') THEN\n        CREATE TABLE audit (id int);\n    END IF;\nEND\n$$;\n\
         CREATE FUNCTION make_log(n text) RETURNS void LANGUAGE plpgsql AS $f$\nBEGIN\n    EXECUTE format('CREATE TABLE %I (line text)', n);\nEND\n$f$;\n\
         SELECT make_log('log_2026');\n",
    );
    ws.write(
        "schema.sql",
        "CREATE TABLE accounts (id int PRIMARY KEY);\n\
         CREATE FUNCTION make_log(n text) RETURNS void LANGUAGE plpgsql AS $f$\nBEGIN\n    EXECUTE format('CREATE TABLE %I (line text)', n);\nEND\n$f$;\n",
    );
    ws.migrate(&["hash"]).success();
    run(&ws, &db, &["apply"]).success();

    let new = run(&ws, &db, &["new", "nothing"]).success();
    let up = "migrations/20260102000000_audit/up.sql";
    for (line_col, kind) in [
        ("4:9", "CREATE TABLE in a DO block"),
        (
            "10:5",
            "EXECUTE (SQL built at run time) in the body of a function",
        ),
    ] {
        assert!(
            new.stderr().contains(&format!("{up}:{line_col}: {kind}")),
            "{line_col} {kind}: {}",
            new.stderr()
        );
    }
    assert_eq!(ws.migration_dirs().len(), 2, "in sync: nothing written");

    let check = run(&ws, &db, &["check"]).code_is(2);
    let out = check.stdout();
    assert!(
        out.contains("differs from what its applied migrations produce"),
        "{out}"
    );
    assert!(
        out.contains("likely cause: statements of the applied migrations"),
        "{out}"
    );
    assert!(
        out.contains(&format!("{up}:4:9: CREATE TABLE in a DO block")),
        "{out}"
    );
    assert!(
        out.contains("audit") && out.contains("log_2026"),
        "the drift names both tables: {out}"
    );
}
