//! A migration folder that changes objects with ALTER statements, as real
//! projects and pg_dump write them (`ALTER DOMAIN … ADD CONSTRAINT … NOT
//! VALID`, `ALTER FUNCTION … SET`, `ALTER STATISTICS … SET STATISTICS`,
//! `ALTER EVENT TRIGGER … DISABLE`, `ALTER TABLE … ENABLE REPLICA
//! TRIGGER`): psql applies the same files to a real server, and the replay
//! of the folder reads equal to the database and to its pg_dump.

mod common;

use std::process::Command;

use common::pg::TestDb;
use common::workspace::{Run, Workspace};

const MIGRATIONS: [(&str, &str); 3] = [
    (
        "20260101000000_objects",
        "CREATE DOMAIN percent AS integer CONSTRAINT percent_low CHECK (VALUE >= 0);
CREATE TABLE scores (id integer PRIMARY KEY, score percent, kind text, note text);
CREATE FUNCTION total(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE
    AS $$SELECT a + b$$;
CREATE PROCEDURE tidy() LANGUAGE sql AS $$SELECT 1$$;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER scores_a BEFORE INSERT ON scores FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER scores_b BEFORE UPDATE ON scores FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER scores_c AFTER DELETE ON scores FOR EACH ROW EXECUTE FUNCTION touch();
CREATE STATISTICS scores_kind_note ON kind, note FROM scores;
CREATE FUNCTION audit_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
CREATE EVENT TRIGGER audit ON ddl_command_end EXECUTE FUNCTION audit_ddl();
",
    ),
    (
        "20260102000000_alter",
        "ALTER DOMAIN percent ADD CONSTRAINT percent_high CHECK (VALUE <= 100) NOT VALID;
ALTER DOMAIN percent ADD CONSTRAINT percent_even CHECK (VALUE % 2 = 0) NOT VALID;
ALTER DOMAIN percent SET DEFAULT 0;
ALTER DOMAIN percent SET NOT NULL;
ALTER DOMAIN percent RENAME CONSTRAINT percent_low TO percent_min;
ALTER FUNCTION total(integer, integer) SET work_mem = '64MB' STABLE STRICT LEAKPROOF
    SECURITY DEFINER PARALLEL SAFE COST 5;
ALTER FUNCTION total SET search_path = public, pg_temp;
ALTER PROCEDURE tidy() SECURITY DEFINER SET statement_timeout = '5s';
ALTER STATISTICS scores_kind_note SET STATISTICS 500;
ALTER TABLE scores DISABLE TRIGGER scores_a;
ALTER TABLE scores ENABLE REPLICA TRIGGER scores_b;
ALTER TABLE scores ENABLE ALWAYS TRIGGER scores_c;
ALTER EVENT TRIGGER audit ENABLE REPLICA;
",
    ),
    (
        "20260103000000_alter_again",
        "ALTER DOMAIN percent VALIDATE CONSTRAINT percent_high;
ALTER DOMAIN percent DROP CONSTRAINT IF EXISTS percent_none;
ALTER DOMAIN percent DROP DEFAULT;
ALTER FUNCTION total(integer, integer) RESET work_mem;
ALTER FUNCTION total(integer, integer) VOLATILE NOT LEAKPROOF;
ALTER TABLE scores ENABLE TRIGGER scores_c;
ALTER EVENT TRIGGER audit DISABLE;
",
    ),
];

fn run(ws: &Workspace, db: &TestDb, args: &[&str]) -> Run {
    Run {
        output: ws
            .command(args)
            .env("DATABASE_URL", &db.url)
            .output()
            .unwrap(),
    }
}

fn psql(db: &TestDb, file: &std::path::Path) {
    let out = Command::new("psql")
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-1",
            "-d",
            &db.url,
            "-f",
        ])
        .arg(file)
        .output()
        .expect("running psql");
    assert!(
        out.status.success(),
        "psql {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn pg_dump(db: &TestDb) -> String {
    let out = Command::new("pg_dump")
        .args([
            "--schema-only",
            "--no-owner",
            "--no-privileges",
            "-d",
            &db.url,
        ])
        .output()
        .expect("running pg_dump");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn differences(ws: &Workspace, db: &TestDb, to: &str) -> Run {
    let out = run(
        ws,
        db,
        &["diff", "--from", "migrations", "--to", to, "--exit-code"],
    );
    assert!(matches!(out.code(), 0 | 2), "diff: {}", out.stderr());
    out
}

#[test]
fn a_migration_folder_of_alters_reads_as_the_server_built_it() {
    let Some(mut db) = TestDb::new() else { return };
    let ws = Workspace::new("postgres", "");
    for (name, sql) in MIGRATIONS {
        let path = format!("migrations/{name}/up.sql");
        ws.write(&path, sql);
        psql(&db, &ws.path(&path));
    }
    ws.migrate(&["hash"]).success();

    // What the server keeps beside the definitions: triggers' firing,
    // the statistics target.
    let live = differences(&ws, &db, "database");
    assert_eq!(live.code(), 0, "{}", live.stdout());
    // The definitions, as pg_dump prints them.
    let dump = pg_dump(&db);
    for line in [
        "ADD CONSTRAINT percent_even CHECK (((VALUE % 2) = 0)) NOT VALID;",
        "ALTER STATISTICS public.scores_kind_note SET STATISTICS 500;",
        "ALTER TABLE public.scores DISABLE TRIGGER scores_a;",
        "ALTER TABLE public.scores ENABLE REPLICA TRIGGER scores_b;",
        "ALTER EVENT TRIGGER audit DISABLE;",
        "SET search_path TO 'public', 'pg_temp'",
    ] {
        assert!(dump.contains(line), "{line}\n{dump}");
    }
    ws.write("schema.sql", &dump);
    let printed = differences(&ws, &db, "schema");
    assert_eq!(printed.code(), 0, "{}\n--- dump\n{dump}", printed.stdout());

    // Each fact compared: changed on the server, it is a difference.
    for (change, said) in [
        ("ALTER TABLE scores ENABLE TRIGGER scores_a", "scores_a"),
        ("ALTER EVENT TRIGGER audit ENABLE", "audit"),
        (
            "ALTER STATISTICS scores_kind_note SET STATISTICS 10",
            "scores_kind_note",
        ),
    ] {
        db.exec(change);
        let out = differences(&ws, &db, "database");
        assert_eq!(out.code(), 2, "{change} reads as in sync");
        assert!(out.stdout().contains(said), "{change}: {}", out.stdout());
        // The replay's script puts it back.
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
        db.exec(&script);
        assert_eq!(differences(&ws, &db, "database").code(), 0, "{script}");
    }
    for (edit, from, to) in [
        ("a domain constraint validated", " NOT VALID;", ";"),
        ("a function option", "COST 5", "COST 6"),
        ("a setting", "'pg_temp'", "'pg_catalog'"),
    ] {
        assert!(dump.contains(from), "{edit}: {from}");
        ws.write("schema.sql", &dump.replacen(from, to, 1));
        let out = differences(&ws, &db, "schema");
        assert_eq!(out.code(), 2, "{edit} reads as in sync");
    }
}

/// Forms of these ALTERs the model does not hold are refused at their
/// file, line and column.
#[test]
fn alters_not_modelled_are_refused_where_they_are_written() {
    for (alter, said) in [
        (
            "ALTER FUNCTION total(integer, integer) SET work_mem FROM CURRENT;",
            "ALTER FUNCTION … SET … FROM CURRENT near `SET` is not modelled",
        ),
        (
            "ALTER FUNCTION total(integer, integer) DEPENDS ON EXTENSION plpgsql;",
            "ALTER FUNCTION near `DEPENDS` is not modelled",
        ),
        (
            "ALTER EVENT TRIGGER audit RENAME TO audit2;",
            "ALTER EVENT TRIGGER near `RENAME` is not modelled",
        ),
        (
            "ALTER STATISTICS scores_kind_note RENAME TO s2;\nALTER STATISTICS s2 SET STATISTICS 5;\n\
             ALTER STATISTICS s2 OWNER TO CURRENT_USER;\nALTER STATISTICS s2 RESET x;",
            "ALTER STATISTICS near `RESET` is not modelled",
        ),
    ] {
        let ws = Workspace::new("postgres", "");
        ws.write("migrations/20260101000000_objects/up.sql", MIGRATIONS[0].1);
        ws.write(
            "migrations/20260102000000_alter/up.sql",
            &format!("\n{alter}\n"),
        );
        ws.migrate(&["hash"]).success();
        let out = ws
            .migrate(&["diff", "--from", "migrations", "--to", "schema"])
            .failure();
        // The last statement is the one refused.
        let line = alter.lines().count() + 1;
        let at = format!("migrations/20260102000000_alter/up.sql:{line}:1:");
        assert!(
            out.stderr().contains(&at) && out.stderr().contains(said),
            "{alter}: {}",
            out.stderr()
        );
    }
}
