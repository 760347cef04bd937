//! `cargo migrate adopt` on PostgreSQL databases left by other tools: the
//! schema their migrations made and their history table as each tool
//! writes it (Atlas in its own schema, sqlx's checksums as bytea).

mod common;

use common::formats::{TOOLS, history_sql, history_table, schema_sql, workspace};
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
fn every_tool_is_adopted_and_nothing_runs() {
    for (tool, folder) in TOOLS {
        let Some(mut db) = TestDb::new() else { return };
        let ws = workspace(folder, "postgres", true);
        db.exec(&schema_sql("postgres"));
        db.exec(&history_sql(tool, "postgres"));
        let dry = run(&ws, &db, &["adopt", "--dry-run"]).success();
        assert_eq!(
            dry.stdout().matches(" applied ").count(),
            4,
            "{tool}: {}",
            dry.stdout()
        );
        run(&ws, &db, &["adopt"]).success();
        let rows: i64 = db
            .client
            .query_one("SELECT count(*) FROM _migrate_history WHERE success", &[])
            .unwrap()
            .get(0);
        assert_eq!(rows, 4, "{tool}");
        run(&ws, &db, &["status"]).success();
        run(&ws, &db, &["check"]).success();
        // The other tool's table (Atlas's schema, goose's sequence with it)
        // is no drift and no part of a pull, and that is said.
        let table = history_table(tool);
        for args in [
            &[
                "diff",
                "--from",
                "database",
                "--to",
                "migrations",
                "--exit-code",
            ][..],
            &["pull", "--force"][..],
            &[
                "diff",
                "--from",
                "database",
                "--to",
                "schema",
                "--exit-code",
            ][..],
        ] {
            run(&ws, &db, args)
                .success()
                .stderr_has("left out as another tool's migration history: ")
                .stderr_has(&format!("{table} ("))
                .stderr_has("DROP TABLE ");
        }
        let pulled = ws.read("schema.sql");
        assert!(!pulled.contains(table), "{tool}: pulled\n{pulled}");
        assert!(pulled.contains("CREATE TABLE"), "{tool}");
    }
}

#[test]
fn a_changed_file_is_refused_by_the_tools_own_checksum() {
    let Some(mut db) = TestDb::new() else { return };
    let ws = workspace("golang-migrate", "postgres", true);
    db.exec(&schema_sql("postgres"));
    db.exec(&history_sql("sqlx", "postgres"));
    let file = "migrations/000001_create_users.up.sql";
    let text = ws.read(file);
    ws.write(file, &format!("{text}-- edited\n"));
    ws.migrate(&["hash"]).success();
    run(&ws, &db, &["adopt"]).failure().stderr_has(
        "000001_create_users.up.sql: the file changed since sqlx applied it (sha384 kept",
    );
    let exists: bool = db
        .client
        .query_one("SELECT to_regclass('_migrate_history') IS NOT NULL", &[])
        .unwrap()
        .get(0);
    assert!(!exists, "nothing recorded");
}
