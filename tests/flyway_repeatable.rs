//! Flyway's repeatable migrations (`R__<description>.sql`) on a real SQLite
//! file and a real PostgreSQL database: applied after every versioned
//! migration, in description order, recorded in the history table; run
//! again when their text changes and only then; shown by `status`; part of
//! the replay (`check`, `diff --from migrations`, the next `new`); passed
//! over by `down`; and no part of the lock file.

mod common;

use common::formats::workspace;
use common::pg::TestDb;
use common::workspace::{Run, Workspace};

fn on(ws: &Workspace, url: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = ws.command(args);
    if let Some(url) = url {
        cmd.env("DATABASE_URL", url);
    }
    Run {
        output: cmd.output().unwrap(),
    }
}

/// The views of one round, as each dialect writes a view it may replace.
struct Views {
    /// `R__post_counts.sql`, first and second text.
    counts: [&'static str; 2],
    /// `R__a_user_emails.sql` (sorted before `post_counts`).
    emails: &'static str,
}

const SQLITE: Views = Views {
    counts: [
        "DROP VIEW IF EXISTS post_counts;\nCREATE VIEW post_counts AS SELECT user_id, count(*) AS posts FROM posts GROUP BY user_id;\n",
        "DROP VIEW IF EXISTS post_counts;\nCREATE VIEW post_counts AS SELECT user_id, count(*) AS posts, max(id) AS last_post FROM posts GROUP BY user_id;\n",
    ],
    emails: "DROP VIEW IF EXISTS user_emails;\nCREATE VIEW user_emails AS SELECT id, email FROM users;\n",
};

const POSTGRES: Views = Views {
    counts: [
        "CREATE OR REPLACE VIEW post_counts AS SELECT user_id, count(*) AS posts FROM posts GROUP BY user_id;\n",
        "CREATE OR REPLACE VIEW post_counts AS SELECT user_id, count(*) AS posts, max(id) AS last_post FROM posts GROUP BY user_id;\n",
    ],
    emails: "CREATE OR REPLACE VIEW user_emails AS SELECT id, email FROM users;\n",
};

/// The view statements as schema.sql declares them.
fn declared(sql: &str) -> String {
    sql.lines()
        .filter(|l| !l.starts_with("DROP VIEW"))
        .map(|l| format!("{}\n", l.replace("CREATE OR REPLACE VIEW", "CREATE VIEW")))
        .collect()
}

/// The whole story on one database; `rows` reads `(version, checksum)` of
/// the history table, `columns` the columns of the view `post_counts`.
fn story(
    dialect: &str,
    url: Option<&str>,
    views: &Views,
    rows: &dyn Fn(&Workspace) -> Vec<(String, String)>,
    columns: &dyn Fn(&Workspace) -> Vec<String>,
) {
    let ws = workspace("flyway", dialect, true);
    let schema = ws.read("schema.sql");
    ws.write("sql/R__post_counts.sql", views.counts[0]);
    ws.write("sql/R__a_user_emails.sql", views.emails);
    ws.write(
        "schema.sql",
        &format!(
            "{schema}\n{}{}",
            declared(views.emails),
            declared(views.counts[0])
        ),
    );
    // No `hash`: the lock leaves repeatables out, adding one needs none.
    let first = on(&ws, url, &["apply"]).success();
    let order: Vec<&str> = first
        .output
        .stderr
        .split(|b| *b == b'\n')
        .filter_map(|l| std::str::from_utf8(l).ok())
        .filter(|l| l.trim_start().starts_with("Applying "))
        .collect();
    assert_eq!(order.len(), 6, "{dialect}: {order:?}");
    assert!(
        order[4].contains("R__a_user_emails") && order[5].contains("R__post_counts"),
        "{dialect}: repeatables last, by description: {order:?}"
    );
    let recorded = rows(&ws);
    let counts_sum = |rows: &[(String, String)]| {
        rows.iter()
            .find(|(v, _)| v == "R__post_counts")
            .map(|(_, c)| c.clone())
    };
    let sum_before = counts_sum(&recorded).expect("R__post_counts recorded");
    assert_eq!(recorded.len(), 6, "{dialect}: {recorded:?}");
    assert_eq!(columns(&ws), ["user_id", "posts"], "{dialect}");
    on(&ws, url, &["status"])
        .success()
        .stdout_has("R__post_counts");
    on(&ws, url, &["check"]).success();
    on(
        &ws,
        url,
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

    // Unchanged: nothing runs again.
    let again = on(&ws, url, &["apply"]).success();
    assert!(!again.stderr().contains("Applying"), "{}", again.stderr());

    // Changed: `status` shows it pending, `apply` runs it (it alone) again.
    ws.write("sql/R__post_counts.sql", views.counts[1]);
    ws.write(
        "schema.sql",
        &format!(
            "{schema}\n{}{}",
            declared(views.emails),
            declared(views.counts[1])
        ),
    );
    on(&ws, url, &["check"])
        .success()
        .stderr_has("drift not checked: R__post_counts changed since it was applied");
    let status = on(&ws, url, &["status"]);
    let line = status
        .stdout()
        .lines()
        .find(|l| l.contains("R__post_counts"))
        .map(str::to_string)
        .unwrap_or_default();
    assert!(line.contains("pending"), "{dialect}: {}", status.stdout());
    let rerun = on(&ws, url, &["apply"]).success();
    let applying: Vec<String> = rerun
        .stderr()
        .lines()
        .filter(|l| l.trim_start().starts_with("Applying "))
        .map(str::to_string)
        .collect();
    assert_eq!(applying.len(), 1, "{dialect}: {applying:?}");
    assert!(applying[0].contains("R__post_counts"), "{applying:?}");
    assert_eq!(columns(&ws), ["user_id", "posts", "last_post"], "{dialect}");
    let recorded = rows(&ws);
    assert_eq!(recorded.len(), 6, "{dialect}: one row each: {recorded:?}");
    assert_ne!(counts_sum(&recorded), Some(sum_before), "{dialect}");
    on(&ws, url, &["status"]).success();
    on(&ws, url, &["check"]).success();
    on(&ws, url, &["new", "nothing"])
        .success()
        .stderr_has("already in sync");

    // `down` reverts versioned migrations only; the views stay.
    ws.write(
        "sql/V11__notes.sql",
        "CREATE TABLE notes (id integer PRIMARY KEY);\n",
    );
    ws.write("sql/U11__notes.sql", "DROP TABLE notes;\n");
    ws.migrate(&["hash"]).success();
    let later = on(&ws, url, &["apply"]).success();
    assert!(
        later.stderr().contains("11_notes") && !later.stderr().contains("Applying R__"),
        "{}",
        later.stderr()
    );
    on(&ws, url, &["down", "--steps", "1"])
        .success()
        .stderr_has("Reverted 11_notes");
    assert_eq!(columns(&ws), ["user_id", "posts", "last_post"], "{dialect}");
    assert_eq!(rows(&ws).len(), 6, "{dialect}");
}

#[test]
fn repeatables_on_sqlite() {
    let rows = |ws: &Workspace| -> Vec<(String, String)> {
        let conn = ws.db();
        let mut stmt = conn
            .prepare(
                "SELECT version, checksum FROM _migrate_history WHERE success ORDER BY version",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let columns = |ws: &Workspace| -> Vec<String> {
        let conn = ws.db();
        let mut stmt = conn
            .prepare("SELECT name FROM pragma_table_info('post_counts')")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    story("sqlite", None, &SQLITE, &rows, &columns);
}

#[test]
fn repeatables_on_postgres() {
    let Some(db) = TestDb::new() else { return };
    let url = db.url.clone();
    let client = std::cell::RefCell::new(db);
    let rows = |_: &Workspace| -> Vec<(String, String)> {
        client
            .borrow_mut()
            .client
            .query(
                "SELECT version, checksum FROM _migrate_history WHERE success ORDER BY version",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    };
    let columns = |_: &Workspace| -> Vec<String> {
        client
            .borrow_mut()
            .client
            .query(
                "SELECT attname::text FROM pg_attribute WHERE attrelid = 'post_counts'::regclass \
                 AND attnum > 0 ORDER BY attnum",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    story("postgres", Some(&url), &POSTGRES, &rows, &columns);
}

/// A folder breaking Flyway's rules for repeatables is refused at the file.
#[test]
fn a_repeatable_without_a_description_is_refused() {
    let ws = workspace("flyway", "sqlite", true);
    ws.write("sql/R__.sql", "SELECT 1;\n");
    ws.migrate(&["apply"]).failure().stderr_has(
        "R__.sql: not a migration name: a Flyway repeatable migration needs a description",
    );
}
