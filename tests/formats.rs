//! Other tools' migration folders (Prisma, dbmate, goose, Flyway,
//! golang-migrate, Atlas), in the shape each writes them
//! (`tests/fixtures/formats`), applied from empty by `cargo migrate apply`
//! on real SQLite files and PostgreSQL databases: the database then equals
//! both the replay and schema.sql (`check`), and the formats that keep downs
//! revert to empty.

mod common;

use common::formats::{FORMATS, workspace};
use common::pg::TestDb;
use common::workspace::{Run, Workspace};

fn on(ws: &Workspace, url: &str, args: &[&str]) -> Run {
    Run {
        output: ws.command(args).env("DATABASE_URL", url).output().unwrap(),
    }
}

#[test]
fn every_format_applies_checks_and_reverts_on_sqlite() {
    for (format, _, downs) in FORMATS {
        let ws = workspace(format, "sqlite", true);
        ws.migrate(&["apply"]).success();
        ws.migrate(&["check"]).success();
        ws.migrate(&[
            "diff",
            "--from",
            "migrations",
            "--to",
            "database",
            "--exit-code",
        ])
        .success();
        assert_eq!(
            ws.tables(),
            ["_migrate_history", "posts", "users"],
            "{format}"
        );
        let conn = ws.db();
        let name_column: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'name'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let trigger: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'posts_touch'", [], |r| r.get(0))
            .unwrap();
        assert_eq!((name_column, trigger), (1, 1), "{format}");
        if *downs {
            ws.migrate(&["down", "--steps", "4"]).success();
            assert_eq!(ws.tables(), ["_migrate_history"], "{format}");
        } else {
            ws.migrate(&["down", "--steps", "1"])
                .failure()
                .stderr_has("has no down");
        }
    }
}

fn count(db: &mut TestDb, sql: &str) -> i64 {
    db.client.query_one(sql, &[]).unwrap().get(0)
}

#[test]
fn every_format_applies_checks_and_reverts_on_postgres() {
    for (format, _, downs) in FORMATS {
        let Some(mut db) = TestDb::new() else { return };
        let ws = workspace(format, "postgres", true);
        on(&ws, &db.url, &["apply"]).success();
        on(&ws, &db.url, &["check"]).success();
        on(
            &ws,
            &db.url,
            &[
                "diff",
                "--from",
                "migrations",
                "--to",
                "database",
                "--exit-code",
            ],
        )
        .success();
        let facts = count(
            &mut db,
            "SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')
                  + (SELECT count(*) FROM pg_trigger WHERE tgname = 'posts_touch')
                  + (SELECT count(*) FROM pg_indexes WHERE indexname = 'posts_body')
                  + (SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'name')",
        );
        assert_eq!(facts, 3 + 1 + 1 + 1, "{format}");
        if *downs {
            on(&ws, &db.url, &["down", "--steps", "4"]).success();
            let left = count(
                &mut db,
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            );
            let functions = count(
                &mut db,
                "SELECT count(*) FROM pg_proc WHERE proname = 'touch'",
            );
            assert_eq!(
                (left, functions),
                (1, 0),
                "{format}: only the history table is left"
            );
        }
    }
}

#[test]
fn the_format_can_be_named_and_a_broken_file_is_refused_with_its_line() {
    let ws = workspace("dbmate", "sqlite", true);
    // Named wrongly in the config: goose's rules are applied and the file is refused.
    let manifest = ws.read("Cargo.toml");
    ws.write("Cargo.toml", &format!("{manifest}format = \"goose\"\n"));
    ws.migrate(&["apply"])
        .failure()
        .stderr_has("20240101120000_create_users.sql:2: a statement before `-- +goose Up`");
    // The flag wins over the config.
    ws.migrate(&["--migrations-format", "dbmate", "apply"])
        .success();
    ws.migrate(&["--migrations-format", "dbmate", "check"])
        .success();
    ws.migrate(&["--migrations-format", "nope", "status"])
        .failure()
        .stderr_has("expected one of folders, diesel, sqlx");

    // A statement outside dbmate's sections: nothing runs.
    let ws = workspace("dbmate", "sqlite", false);
    let path = "db/migrations/20240102120000_create_posts.sql";
    let text = ws.read(path);
    ws.write(path, &format!("CREATE TABLE stray (a int);\n{text}"));
    ws.migrate(&["hash"])
        .failure()
        .stderr_has("20240102120000_create_posts.sql:1: a statement before `-- migrate:up`");
    ws.migrate(&["apply"]).failure();
    assert!(ws.tables().is_empty(), "nothing ran: {:?}", ws.tables());

    // A Prisma folder written for another database.
    let ws = workspace("prisma", "postgres", false);
    let manifest = ws
        .read("Cargo.toml")
        .replace("dialect = \"postgres\"", "dialect = \"sqlite\"");
    ws.write("Cargo.toml", &manifest);
    ws.migrate(&["status"]).failure().stderr_has(
        "migration_lock.toml:3: the migrations were written by Prisma for `postgresql`",
    );

    // An Atlas file edited after `atlas migrate hash`.
    let ws = workspace("atlas", "sqlite", true);
    let path = "migrations/20240102120000_create_posts.sql";
    let text = ws.read(path);
    ws.write(path, &text.replace("body text", "body blob"));
    ws.migrate(&["apply"]).failure().stderr_has(
        "atlas.sum:3: 20240102120000_create_posts.sql changed since its hash was taken",
    );
}
