//! `cargo migrate pull`: a database written out as schema.sql reads back
//! exactly (`diff --from database --to schema --exit-code` is 0), an existing
//! schema is not overwritten without `--force`, and `--baseline` leaves a
//! first migration recorded as applied, so `status` is clean and `new` has
//! nothing to write. SQLite: the fixture schema and the Chinook corpus;
//! PostgreSQL: the fixture schema and `tests/fixtures/saas_pg.sql`
//! (extensions, enums, partitions, policies, functions, triggers).

mod common;

use std::path::Path;

use common::formats::schema_sql;
use common::pg::TestDb;
use common::workspace::{Run, Workspace, corpora};

fn on(ws: &Workspace, url: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = ws.command(args);
    if let Some(url) = url {
        cmd.env("DATABASE_URL", url);
    }
    Run {
        output: cmd.output().unwrap(),
    }
}

/// Pull, round trip, refusal, then a baseline in a second workspace.
fn pull_round_trip(dialect: &str, url: Option<&str>, prepare: &dyn Fn(&Workspace)) {
    let ws = Workspace::new(dialect, "-- pulled below\n");
    prepare(&ws);
    on(&ws, url, &["pull"]).success().stderr_has("Pulled");
    on(
        &ws,
        url,
        &[
            "diff",
            "--from",
            "database",
            "--to",
            "schema",
            "--exit-code",
        ],
    )
    .success();
    let pulled = ws.read("schema.sql");
    assert!(
        !pulled.contains("SET LOCAL") && !pulled.contains("OWNER TO"),
        "{pulled}"
    );
    on(&ws, url, &["pull"])
        .failure()
        .stderr_has("already declares objects; nothing was written");
    on(&ws, url, &["pull", "--force"]).success();
    assert_eq!(
        ws.read("schema.sql"),
        pulled,
        "pulling again writes the same file"
    );

    on(&ws, url, &["pull", "--force", "--baseline"])
        .success()
        .stderr_has("recorded as applied");
    on(&ws, url, &["status"]).success();
    on(&ws, url, &["check"]).success();
    on(&ws, url, &["new", "next"])
        .success()
        .stderr_has("already in sync");
    assert_eq!(ws.migration_dirs().len(), 1, "only the baseline");
}

#[test]
fn sqlite_databases_pull_exactly() {
    let sqlite_exec = |sql: String| move |ws: &Workspace| ws.db().execute_batch(&sql).unwrap();
    pull_round_trip("sqlite", None, &sqlite_exec(schema_sql("sqlite")));
    if let Some(corpora) = corpora() {
        let chinook =
            std::fs::read_to_string(corpora.join("chinook/DataSources/Chinook_Sqlite.sql"))
                .unwrap();
        pull_round_trip("sqlite", None, &sqlite_exec(chinook));
    }
}

#[test]
fn postgres_databases_pull_exactly() {
    let fixtures = [
        schema_sql("postgres"),
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/saas_pg.sql"),
        )
        .unwrap(),
    ];
    for sql in fixtures {
        let Some(mut db) = TestDb::new() else { return };
        db.exec(&sql);
        let url = db.url.clone();
        pull_round_trip("postgres", Some(&url), &|_| {});
    }
}
