//! `cargo migrate pull` on every corpus: the corpus is applied to a fresh
//! database, pulled into an empty workspace, and then
//! - `diff --from database --to schema --exit-code` exits 0;
//! - the pulled `schema.sql`, made into a migration by `new` and applied by
//!   the tool to a second empty database, gives the same schema as the
//!   server sees it (PostgreSQL: `pg-schema-equal`, pg_dump's view; SQLite:
//!   the catalog's pragmas);
//! - the file is readable: one object per statement, no ownership,
//!   privileges or `SET` lines, and none of the history tables.
//!
//! Once, on docs-rs, `pull --baseline`: `status` is clean after it and the
//! next `new` diffs from the baseline.

mod common;

use std::path::Path;

use migrate_build::ddl::split_statements;

use common::pg::{TestDb, pg_schema_equal};
use common::workspace::{Run, Workspace, corpora, lemmy_before_postgres_16};

const HISTORY: &str = "_migrate_history";

/// A workspace holding `migrations` (entries named up to `cut`), locked.
fn corpus_workspace(dialect: &str, migrations: &Path, cut: Option<&str>) -> Workspace {
    let ws = Workspace::new(dialect, "");
    ws.add_corpus_migrations(migrations, cut);
    ws
}

fn on(ws: &Workspace, url: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = ws.command(args);
    if let Some(url) = url {
        cmd.env("DATABASE_URL", url);
    }
    Run {
        output: cmd.output().unwrap(),
    }
}

/// The number in `Pulled N object(s)`.
fn pulled_objects(run: &Run) -> usize {
    let err = run.stderr();
    let after = err
        .split("Pulled ")
        .nth(1)
        .unwrap_or_else(|| panic!("no `Pulled` line in {err}"));
    after
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {err}"))
}

/// The pulled file as a reader sees it: no noise, one object a statement.
fn assert_readable(subject: &str, text: &str) {
    let statements = split_statements(text).unwrap_or_else(|e| panic!("{subject}: {e:?}"));
    for s in &statements {
        let sql = s.text.trim();
        let upper = sql.to_ascii_uppercase();
        for noise in ["SET ", "SELECT PG_CATALOG.SET_CONFIG", "GRANT ", "REVOKE "] {
            assert!(
                !upper.starts_with(noise),
                "{subject}: a `{noise}` statement in the pulled file:\n{sql}"
            );
        }
        assert!(
            !upper.contains(" OWNER TO "),
            "{subject}: ownership in the pulled file:\n{sql}"
        );
        if upper.starts_with("ALTER TABLE") {
            let actions = ["ADD ", "ALTER ", "DROP ", "OWNER ", "ENABLE ", "DISABLE "];
            assert!(
                !actions
                    .iter()
                    .any(|a| upper.contains(&format!(", {a}"))
                        || upper.contains(&format!(",\n    {a}"))),
                "{subject}: one ALTER TABLE with several actions:\n{sql}"
            );
        }
        assert!(
            upper.starts_with("CREATE ")
                || upper.starts_with("ALTER ")
                || upper.starts_with("COMMENT ON "),
            "{subject}: a statement that declares no object:\n{sql}"
        );
        for table in [
            HISTORY,
            "_prisma_migrations",
            "_sqlx_migrations",
            "__diesel_schema_migrations",
            "goose_db_version",
            "flyway_schema_history",
            "atlas_schema_revisions",
        ] {
            assert!(
                !sql.contains(table),
                "{subject}: a history table in the pulled file:\n{sql}"
            );
        }
    }
    assert!(!statements.is_empty(), "{subject}: no statement");
}

/// `pull` into a new workspace from `url`, the round trip, readability, and
/// the pulled schema applied by `new` + `apply` (with `rebuilt_url`, or the
/// workspace's own SQLite file when `None`). Returns the pull workspace.
fn pull_and_rebuild(
    subject: &str,
    dialect: &str,
    url: &str,
    rebuilt_url: Option<&str>,
) -> Workspace {
    let ws = Workspace::new(dialect, "");
    let pulled = on(&ws, Some(url), &["pull"]);
    let pulled = pulled.success();
    let objects = pulled_objects(&pulled);
    let text = ws.read("schema.sql");
    assert!(objects > 0, "{subject}: nothing pulled");
    assert_readable(subject, &text);
    on(
        &ws,
        Some(url),
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
    on(&ws, None, &["new", "from_pull"]).success();
    on(&ws, rebuilt_url, &["apply"]).success();
    println!(
        "{subject}: {objects} object(s) pulled, {} line(s)",
        text.lines().count()
    );
    ws
}

// ---- PostgreSQL ----

/// `pg-schema-equal A B` (pg_dump's view, history table left out): the
/// differing statements, empty when equal.
fn pg_schema_differences(a: &str, b: &str) -> String {
    pg_schema_equal(a, b, &format!("public.{HISTORY}")).unwrap_or_default()
}

/// Applies the corpus with the tool, pulls, rebuilds, compares.
fn pg_corpus(subject: &str, migrations: &Path, cut: Option<&str>) {
    let Some(source) = TestDb::new() else { return };
    let corpus = corpus_workspace("postgres", migrations, cut);
    on(&corpus, Some(&source.url), &["apply"]).success();
    pg_pull(subject, &source);
}

fn pg_pull(subject: &str, source: &TestDb) {
    let Some(rebuilt) = TestDb::new() else { return };
    pull_and_rebuild(subject, "postgres", &source.url, Some(&rebuilt.url));
    let found = pg_schema_differences(&source.url, &rebuilt.url);
    assert!(
        found.is_empty(),
        "{subject}: the database rebuilt from the pulled schema differs (- source, + rebuilt):\n{found}"
    );
}

#[test]
fn pg_docs_rs() {
    let Some(root) = corpora() else { return };
    pg_corpus("docs-rs", &root.join("docs-rs/migrations"), None);
}

#[test]
fn pg_crates_io() {
    let Some(root) = corpora() else { return };
    pg_corpus("crates-io", &root.join("crates-io/migrations"), None);
}

#[test]
fn pg_ory_kratos() {
    let Some(root) = corpora() else { return };
    pg_corpus("ory-kratos", &root.join("ory-kratos/migrations/sql"), None);
}

#[test]
fn pg_atuin_server() {
    let Some(root) = corpora() else { return };
    pg_corpus(
        "atuin-server-postgres",
        &root.join("atuin/atuin-server-postgres/migrations"),
        None,
    );
}

/// Up to the migration before lemmy's PostgreSQL 16 one (see corpora_pg.rs).
#[test]
fn pg_lemmy_up_to_the_postgres_16_migration() {
    let Some(root) = corpora() else { return };
    let folder = root.join("lemmy/migrations");
    pg_corpus("lemmy", &folder, Some(&lemmy_before_postgres_16(&folder)));
}

/// Chinook's PostgreSQL scripts, from after their `\c` (they create their
/// own database first), run directly on the server.
#[test]
fn pg_chinook() {
    let Some(root) = corpora() else { return };
    for file in ["Chinook_PostgreSql.sql", "Chinook_PostgreSql_SerialPKs.sql"] {
        let sql = std::fs::read_to_string(root.join("chinook/DataSources").join(file)).unwrap();
        let body = sql
            .split_once("\\c ")
            .and_then(|(_, rest)| rest.split_once('\n'))
            .map(|(_, body)| body)
            .expect("chinook's `\\c` line");
        let Some(mut source) = TestDb::new() else {
            return;
        };
        source.exec(body);
        pg_pull(&format!("chinook {file}"), &source);
    }
}

/// The baseline on a real corpus: status clean, `check` finds no drift, and
/// the next `new` writes only the change made to schema.sql after it.
#[test]
fn pg_baseline_on_docs_rs() {
    let Some(root) = corpora() else { return };
    let Some(mut source) = TestDb::new() else {
        return;
    };
    let corpus = corpus_workspace("postgres", &root.join("docs-rs/migrations"), None);
    on(&corpus, Some(&source.url), &["apply"]).success();

    // A database made without a migration tool: no history table.
    source.exec(&format!("DROP TABLE {HISTORY}"));
    let ws = Workspace::new("postgres", "");
    let url = Some(source.url.as_str());
    on(&ws, url, &["pull", "--baseline"])
        .success()
        .stderr_has("recorded as applied");
    assert_eq!(ws.migration_dirs().len(), 1);
    on(&ws, url, &["status"]).success().stdout_has("baseline");
    on(&ws, url, &["check"]).success();
    on(&ws, url, &["new", "nothing"])
        .success()
        .stderr_has("already in sync");
    let schema = ws.read("schema.sql");
    ws.write(
        "schema.sql",
        &format!("{schema}CREATE TABLE pulled_later (id bigint PRIMARY KEY);\n"),
    );
    on(&ws, url, &["new", "later"]).success();
    let dirs = ws.migration_dirs();
    assert_eq!(dirs.len(), 2, "{dirs:?}");
    let up = ws.read(&format!("migrations/{}/up.sql", dirs[1]));
    assert_eq!(
        split_statements(&up).unwrap().len(),
        1,
        "only the change since the baseline:\n{up}"
    );
    assert!(up.contains("CREATE TABLE pulled_later"), "{up}");
    on(&ws, url, &["apply"]).success();
    on(&ws, url, &["status"]).success();
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
}

// ---- SQLite ----

fn strings(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        let mut fields = Vec::with_capacity(n);
        for i in 0..n {
            let v: rusqlite::types::Value = r.get(i)?;
            fields.push(format!("{v:?}"));
        }
        Ok(fields.join("|"))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// The schema as SQLite's pragmas give it (not the stored SQL text, which
/// pull rewrites): tables with their kind, columns, keys, foreign keys and
/// indexes, views with their columns, trigger names.
fn sqlite_catalog(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut out = Vec::new();
    let mut stmt = conn
        .prepare(&format!(
            "SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' \
             AND tbl_name <> '{HISTORY}' ORDER BY type, name"
        ))
        .unwrap();
    let objects: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (ty, name) in objects {
        let q = name.replace('\'', "''");
        match ty.as_str() {
            "table" => {
                for (pragma, cols) in [
                    ("table_list", "type, ncol, wr, strict"),
                    (
                        "table_xinfo",
                        "cid, name, upper(type), \"notnull\", \
                         CASE WHEN upper(dflt_value) = 'NULL' THEN NULL ELSE dflt_value END, pk, hidden",
                    ),
                    // One row a key; their ids follow the order they are written in.
                    (
                        "foreign_key_list",
                        "\"table\", group_concat(\"from\"), group_concat(\"to\"), on_update, on_delete, \"match\"",
                    ),
                ] {
                    let group = if pragma == "foreign_key_list" {
                        " GROUP BY id"
                    } else {
                        ""
                    };
                    for r in strings(
                        &conn,
                        &format!("SELECT {cols} FROM pragma_{pragma}('{q}'){group}"),
                    ) {
                        out.push(format!("{name} {pragma} {}", unspaced(&r)));
                    }
                }
                let mut stmt = conn
                    .prepare(&format!(
                        "SELECT name FROM pragma_index_list('{q}') ORDER BY name"
                    ))
                    .unwrap();
                let indexes: Vec<String> = stmt
                    .query_map([], |r| r.get(0))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                for index in indexes {
                    let i = index.replace('\'', "''");
                    let shape = strings(
                        &conn,
                        &format!(
                            "SELECT \"unique\", origin, partial FROM pragma_index_list('{q}') WHERE name = '{i}'"
                        ),
                    );
                    let keys = strings(
                        &conn,
                        &format!(
                            "SELECT seqno, cid, name, \"desc\", coll, key FROM pragma_index_xinfo('{i}')"
                        ),
                    );
                    // A constraint's index is named by its place among the
                    // table's constraints, which the renderer orders by name.
                    let shown = if index.starts_with("sqlite_autoindex_") {
                        "sqlite_autoindex_*"
                    } else {
                        index.as_str()
                    };
                    out.push(format!(
                        "{name} index {shown} {shape:?} [{}]",
                        keys.join("; ")
                    ));
                }
            }
            "view" => {
                for r in strings(
                    &conn,
                    &format!("SELECT name, upper(type) FROM pragma_table_xinfo('{q}')"),
                ) {
                    out.push(format!("view {name} {r}"));
                }
            }
            _ => out.push(format!("{ty} {name}")),
        }
    }
    out.sort();
    out
}

/// `text` without whitespace, and in capitals, outside single quotes: the
/// renderer spaces a default's expression and its keywords its own way
/// (`f('a','b')` → `f('a', 'b')`, `FALSE` → `false`), which SQLite reads
/// alike.
fn unspaced(text: &str) -> String {
    let mut quoted = false;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\'' {
            quoted = !quoted;
        }
        if quoted {
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c.to_ascii_uppercase());
        }
    }
    out
}

/// `source` (a SQLite file) pulled, rebuilt from the pulled file by the
/// tool, and the two catalogs compared.
fn sqlite_pull(subject: &str, source: &Path) {
    let url = format!("sqlite:{}", source.display());
    let ws = pull_and_rebuild(subject, "sqlite", &url, None);
    let (a, b) = (sqlite_catalog(source), sqlite_catalog(&ws.path("dev.db")));
    let only = |x: &[String], y: &[String]| -> Vec<String> {
        x.iter().filter(|l| !y.contains(l)).cloned().collect()
    };
    assert!(!a.is_empty(), "{subject}: an empty catalog");
    assert!(
        a == b,
        "{subject}: the database rebuilt from the pulled schema differs\n- source only:\n  {}\n+ rebuilt only:\n  {}",
        only(&a, &b).join("\n  "),
        only(&b, &a).join("\n  ")
    );
}

#[test]
fn sqlite_chinook() {
    let Some(root) = corpora() else { return };
    for file in ["Chinook_Sqlite.sql", "Chinook_Sqlite_AutoIncrementPKs.sql"] {
        let sql = std::fs::read_to_string(root.join("chinook/DataSources").join(file)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chinook.db");
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch(&sql)
            .unwrap();
        sqlite_pull(&format!("chinook {file}"), &path);
    }
}

/// Applies the migrations folder with the tool, then pulls its database.
fn sqlite_corpus(subject: &str, migrations: &Path) {
    let corpus = corpus_workspace("sqlite", migrations, None);
    on(&corpus, None, &["apply"]).success();
    sqlite_pull(subject, &corpus.path("dev.db"));
}

/// atuin's seven SQLite databases, each its own sqlx folder.
#[test]
fn sqlite_atuin() {
    let Some(root) = corpora() else { return };
    for set in [
        "atuin-client/migrations",
        "atuin-client/record-migrations",
        "atuin-client/meta-migrations",
        "atuin-server-sqlite/migrations",
        "atuin-kv/migrations",
        "atuin-scripts/migrations",
        "atuin-ai/migrations",
    ] {
        sqlite_corpus(&format!("atuin {set}"), &root.join("atuin").join(set));
    }
}

#[test]
fn sqlite_ory_kratos() {
    let Some(root) = corpora() else { return };
    sqlite_corpus(
        "ory-kratos sqlite3",
        &root.join("ory-kratos/migrations/sql"),
    );
}
