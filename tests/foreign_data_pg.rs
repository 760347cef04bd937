//! Foreign data (postgres_fdw's wrappers, servers, user mappings, foreign
//! tables) is not modelled: refused at its file:line:col in a schema file,
//! naming the construct, and refused when a live database holds it, with
//! a user mapping's password printed nowhere. A real PostgreSQL database
//! holds what pg_dump prints of it.

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

const SECRET: &str = "fdw-secret-7f3a";

fn from_database(ws: &Workspace, db: &TestDb) -> Run {
    run(
        ws,
        db,
        &[
            "diff",
            "--from",
            "database",
            "--to",
            "schema",
            "--exit-code",
        ],
    )
}

#[test]
fn foreign_data_is_refused_where_it_is_written_and_where_it_is_held() {
    let Some(mut db) = TestDb::new() else { return };
    let ws = Workspace::new("postgres", "CREATE EXTENSION postgres_fdw;\n");
    // The extension's own wrapper is the extension's: read without a word.
    db.exec("CREATE EXTENSION postgres_fdw;");
    from_database(&ws, &db).success();

    let statements = [
        (
            "CREATE FOREIGN DATA WRAPPER mine;",
            "CREATE FOREIGN DATA WRAPPER is not modelled",
        ),
        (
            "CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'db.internal', dbname 'app');",
            "CREATE SERVER is not modelled",
        ),
        (
            &format!(
                "CREATE USER MAPPING FOR postgres SERVER remote OPTIONS (user 'app', password '{SECRET}');"
            ),
            "CREATE USER MAPPING is not modelled",
        ),
        (
            "CREATE FOREIGN TABLE remote_users (id bigint NOT NULL, name text) SERVER remote OPTIONS (schema_name 'public', table_name 'users');",
            "CREATE FOREIGN TABLE is not modelled",
        ),
        (
            &format!(
                "ALTER USER MAPPING FOR postgres SERVER remote OPTIONS (SET password '{SECRET}');"
            ),
            "ALTER USER MAPPING is not modelled",
        ),
        (
            "ALTER SERVER remote OPTIONS (ADD port '5432');",
            "ALTER SERVER is not modelled",
        ),
        (
            "IMPORT FOREIGN SCHEMA public LIMIT TO (users) FROM SERVER remote INTO public;",
            "IMPORT FOREIGN SCHEMA is not modelled",
        ),
        (
            "DROP USER MAPPING FOR postgres SERVER remote;",
            "DROP USER MAPPING is not modelled",
        ),
        ("DROP SERVER remote;", "DROP SERVER is not modelled"),
    ];
    for (statement, refusal) in statements {
        ws.write(
            "schema.sql",
            &format!("CREATE EXTENSION postgres_fdw;\n\n{statement}\n"),
        );
        let out = run(&ws, &db, &["diff", "--from", "empty", "--to", "schema"]).failure();
        let said = format!("{}{}", out.stdout(), out.stderr());
        assert!(
            said.contains(&format!("schema.sql:3:1: {refusal}")),
            "{statement}: {said}"
        );
        assert!(
            !said.contains(SECRET),
            "{statement}: the password printed: {said}"
        );
    }

    // What pg_dump prints of a database holding them: refused as the
    // database is read, and as the dump is.
    db.exec(&format!(
        "CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'db.internal', dbname 'app');
         CREATE USER MAPPING FOR postgres SERVER remote OPTIONS (user 'app', password '{SECRET}');
         CREATE FOREIGN TABLE remote_users (id bigint NOT NULL, name text) SERVER remote;"
    ));
    ws.write("schema.sql", "CREATE EXTENSION postgres_fdw;\n");
    let out = from_database(&ws, &db).failure();
    let said = format!("{}{}", out.stdout(), out.stderr());
    assert!(
        said.contains("foreign server `remote` is not modelled"),
        "{said}"
    );
    assert!(!said.contains(SECRET), "{said}");
    let dump = std::process::Command::new("pg_dump")
        .args(["--schema-only", "--no-owner"])
        .arg(&db.url)
        .output()
        .unwrap();
    assert!(dump.status.success());
    let dump = String::from_utf8(dump.stdout).unwrap();
    assert!(
        dump.contains("CREATE USER MAPPING FOR postgres SERVER remote"),
        "{dump}"
    );
    ws.write("schema.sql", &dump);
    let out = run(&ws, &db, &["diff", "--from", "empty", "--to", "schema"]).failure();
    let said = format!("{}{}", out.stdout(), out.stderr());
    assert!(said.contains("CREATE SERVER is not modelled"), "{said}");
    assert!(!said.contains(SECRET), "{said}");
}
