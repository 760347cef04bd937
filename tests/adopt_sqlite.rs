//! `cargo migrate adopt` on SQLite files left by other tools: the schema
//! their migrations made, and their history table written as each tool
//! writes it (`tests/fixtures/formats/history`). Matches are recorded,
//! nothing runs, the other table stays; failed or dirty states, missing
//! migrations and changed files are refused with what to do.

mod common;

use common::formats::{TOOLS, history_sql, history_table, schema_sql, workspace};
use common::workspace::Workspace;

fn prepared(tool: &str, folder: &str) -> Workspace {
    let ws = workspace(folder, "sqlite", true);
    let conn = rusqlite::Connection::open(ws.path("dev.db")).unwrap();
    conn.execute_batch(&schema_sql("sqlite")).unwrap();
    conn.execute_batch(&history_sql(tool, "sqlite")).unwrap();
    ws
}

fn history_rows(ws: &Workspace) -> i64 {
    let conn = ws.db();
    let exists: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = '_migrate_history'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    if exists == 0 {
        return 0;
    }
    conn.query_row("SELECT count(*) FROM _migrate_history", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn every_tool_is_adopted_and_nothing_runs() {
    for (tool, folder) in TOOLS {
        let ws = prepared(tool, folder);
        let dry = ws.migrate(&["adopt", "--dry-run"]).success();
        assert_eq!(
            dry.stdout().matches(" applied ").count(),
            4,
            "{tool}: {}",
            dry.stdout()
        );
        assert_eq!(history_rows(&ws), 0, "{tool}: dry run records nothing");
        let run = ws.migrate(&["adopt"]).success();
        assert!(
            run.stderr().contains("4 migration(s) recorded as applied"),
            "{tool}: {}",
            run.stderr()
        );
        assert!(
            run.stderr().contains("is left as it is") && run.stderr().contains("DROP TABLE"),
            "{tool}"
        );
        assert_eq!(history_rows(&ws), 4, "{tool}");
        // All applied, and the database equals the replay (the other table left out).
        ws.migrate(&["status"]).success();
        assert!(
            ws.tables().len() >= 4,
            "{tool}: the other table stays: {:?}",
            ws.tables()
        );
        left_out_and_said(&ws, tool);
        if *tool == "prisma" {
            ws.migrate(&["check"]).success();
            ws.migrate(&["adopt"])
                .failure()
                .stderr_has("already records 4 migration(s)");
        }
    }
}

/// After the adoption the other tool's table is no drift and no part of a
/// pull, and each command that leaves it out says so in one line.
fn left_out_and_said(ws: &Workspace, tool: &str) {
    let table = history_table(tool);
    let note = "left out as another tool's migration history: ";
    let drop = format!("DROP TABLE {table};");
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
            "migrations",
            "--to",
            "database",
            "--exit-code",
        ][..],
        &["check"][..],
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
        let run = ws
            .migrate(args)
            .success()
            .stderr_has(note)
            .stderr_has(&drop);
        let said = run.stderr();
        assert_eq!(
            said.matches(note).count(),
            1,
            "{tool} {args:?}: one line\n{said}"
        );
        assert!(
            said.contains(&format!("{table} (")),
            "{tool} {args:?}: {said}"
        );
    }
    let pulled = ws.read("schema.sql");
    assert!(!pulled.contains(table), "{tool}: pulled\n{pulled}");
    assert!(pulled.contains("CREATE TABLE"), "{tool}: pulled\n{pulled}");
}

/// A table is another tool's history by its name and its columns: an
/// application's own `schema_migrations` with other columns is compared
/// and pulled like any table, without a note; `foreign_history =
/// "compare"` compares the tools' tables too.
#[test]
fn history_tables_are_told_by_their_columns_and_config_can_compare_them() {
    let ws = prepared("dbmate", "dbmate");
    ws.migrate(&["adopt"]).success();
    ws.db()
        .execute_batch(
            "DROP TABLE schema_migrations;
             CREATE TABLE schema_migrations (version text PRIMARY KEY, title text NOT NULL);",
        )
        .unwrap();
    let run = ws
        .migrate(&[
            "diff",
            "--from",
            "migrations",
            "--to",
            "database",
            "--exit-code",
        ])
        .code_is(2)
        .stdout_has("schema_migrations");
    assert!(!run.stderr().contains("left out"), "{}", run.stderr());
    ws.migrate(&["pull", "--force"]).success();
    assert!(
        ws.read("schema.sql")
            .contains("CREATE TABLE schema_migrations"),
        "an application table is pulled"
    );

    let ws = prepared("prisma", "prisma");
    ws.migrate(&["adopt"]).success();
    ws.migrate(&[
        "diff",
        "--from",
        "migrations",
        "--to",
        "database",
        "--exit-code",
    ])
    .success();
    let manifest = ws.read("Cargo.toml");
    ws.write(
        "Cargo.toml",
        &format!("{manifest}foreign_history = \"compare\"\n"),
    );
    let run = ws
        .migrate(&[
            "diff",
            "--from",
            "migrations",
            "--to",
            "database",
            "--exit-code",
        ])
        .code_is(2)
        .stdout_has("_prisma_migrations");
    assert!(!run.stderr().contains("left out"), "{}", run.stderr());
    ws.migrate(&["check"])
        .code_is(2)
        .stdout_has("_prisma_migrations");
    ws.write(
        "Cargo.toml",
        &format!("{manifest}foreign_history = \"forget\"\n"),
    );
    ws.migrate(&["status"])
        .failure()
        .stderr_has("foreign_history = \"forget\": expected \"ignore\" or \"compare\"");
}

#[test]
fn refusals_say_what_to_do() {
    let exec = |ws: &Workspace, sql: &str| ws.db().execute_batch(sql).unwrap();
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "golang-migrate",
            "golang-migrate",
            "UPDATE schema_migrations SET dirty = 1;",
            &["dirty", "migrate force"],
        ),
        (
            "prisma",
            "prisma",
            "UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name LIKE '20240103%';",
            &[
                "recorded 20240103120000_touch_posts as failed",
                "prisma migrate resolve",
            ],
        ),
        (
            "sqlx",
            "golang-migrate",
            "UPDATE _sqlx_migrations SET success = 0 WHERE version = 2;",
            &["migration 2 as failed"],
        ),
        (
            "flyway",
            "flyway",
            "UPDATE flyway_schema_history SET success = 0 WHERE version = '2';",
            &["V2__touch_posts.sql as failed", "flyway repair"],
        ),
        (
            "dbmate",
            "dbmate",
            "INSERT INTO schema_migrations VALUES ('20990101000000');",
            &["the folder does not have: 20990101000000"],
        ),
        (
            "atlas",
            "atlas",
            "UPDATE atlas_schema_revisions SET applied = 0 WHERE version = '20240102120000';",
            &["partly applied or failed (0 of 1"],
        ),
    ];
    for (tool, folder, sql, needles) in cases {
        let ws = prepared(tool, folder);
        exec(&ws, sql);
        let mut run = ws
            .migrate(&["adopt"])
            .failure()
            .stderr_has("nothing was recorded");
        for needle in *needles {
            run = run.stderr_has(needle);
        }
        assert_eq!(history_rows(&ws), 0, "{tool}");
    }
    // A file changed after the tool applied it: each tool's own checksum tells.
    for (tool, folder, file, algorithm) in [
        (
            "prisma",
            "prisma",
            "migrations/20240102120000_create_posts/migration.sql",
            "sha256",
        ),
        (
            "sqlx",
            "golang-migrate",
            "migrations/000002_create_posts.up.sql",
            "sha384",
        ),
        ("flyway", "flyway", "sql/V1_1__create_posts.sql", "crc32"),
    ] {
        let ws = prepared(tool, folder);
        let text = ws.read(file);
        ws.write(
            file,
            &text.replace("body text NOT NULL", "body text NOT NULL DEFAULT ''"),
        );
        ws.migrate(&["hash"]).success();
        ws.migrate(&["adopt"])
            .failure()
            .stderr_has("changed since")
            .stderr_has(&format!("({algorithm} kept"));
        assert_eq!(history_rows(&ws), 0, "{tool}");
    }
    // Line endings alone do not change Flyway's checksum (it reads line by line).
    let ws = prepared("flyway", "flyway");
    let file = "sql/V1__create_users.sql";
    let text = ws.read(file);
    ws.write(file, &text.replace('\n', "\r\n"));
    ws.migrate(&["hash"]).success();
    ws.migrate(&["adopt"]).success();

    let ws = workspace("dbmate", "sqlite", true);
    ws.db().execute_batch(&schema_sql("sqlite")).unwrap();
    ws.migrate(&["adopt"])
        .failure()
        .stderr_has("no history table of another tool");
}

/// Flyway records a repeatable migration with no version and its script's
/// CRC-32: adopted when the file is as Flyway ran it, pending (and run
/// again by `apply`, as Flyway would) when it changed since.
#[test]
fn flyway_repeatables_are_adopted_or_left_to_run_again() {
    let view = "DROP VIEW IF EXISTS user_emails;\nCREATE VIEW user_emails AS SELECT id, email FROM users;\n";
    // zlib.crc32 over the lines without their line ends, as a signed int.
    let crc = -1_855_701_070_i64;
    for changed in [false, true] {
        let ws = prepared("flyway", "flyway");
        ws.write(
            "sql/R__user_emails.sql",
            &if changed {
                view.replace("id, email", "email, id")
            } else {
                view.to_string()
            },
        );
        let schema = ws.read("schema.sql");
        ws.write(
            "schema.sql",
            &format!("{schema}\nCREATE VIEW user_emails AS SELECT id, email FROM users;\n"),
        );
        ws.db()
            .execute_batch(&format!(
                "{view}INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, \
                 checksum, installed_by, execution_time, success) VALUES (5, NULL, 'user emails', 'SQL', \
                 'R__user_emails.sql', {crc}, 'postgres', 3, 1);"
            ))
            .unwrap();
        let dry = ws.migrate(&["adopt", "--dry-run"]).success();
        let line = dry
            .stdout()
            .lines()
            .find(|l| l.contains("R__user_emails"))
            .map(str::to_string)
            .unwrap_or_default();
        assert_eq!(line.contains("not applied"), changed, "{}", dry.stdout());
        ws.migrate(&["adopt"]).success();
        assert_eq!(history_rows(&ws), if changed { 4 } else { 5 });
        let apply = ws.migrate(&["apply"]).success();
        assert_eq!(
            apply.stderr().contains("Applying R__user_emails"),
            changed,
            "{}",
            apply.stderr()
        );
        assert_eq!(history_rows(&ws), 5);
        if changed {
            ws.write(
                "schema.sql",
                &format!("{schema}\nCREATE VIEW user_emails AS SELECT email, id FROM users;\n"),
            );
        }
        ws.migrate(&["check"]).success();
    }
}
