//! Findings from other schema-diff tools' test suites, checked on a real
//! PostgreSQL server through the CLI.

mod common;

use common::pg::TestDb;
use common::workspace::Workspace;

/// Whether the server accepts `sql`.
fn accepts(db: &mut TestDb, sql: &str) -> bool {
    db.client.simple_query(sql).is_ok()
}

/// The type changes the engine calls cast-less have no cast on the server,
/// and ones it lets through have one: the table in `casts.rs` is checked
/// against the oracle, both ways.
#[test]
fn type_changes_without_a_cast_are_the_servers() {
    let mut db = test_db!();
    for (from, to) in [
        ("bigint", "timestamp"),
        ("integer", "timestamptz"),
        ("bigint", "date"),
        ("timestamp", "bigint"),
        ("date", "integer"),
        ("bigint", "boolean"),
        ("boolean", "numeric"),
        ("numeric", "interval"),
        ("uuid", "bigint"),
        ("date", "boolean"),
    ] {
        assert!(
            !accepts(&mut db, &format!("SELECT NULL::{from}::{to}")),
            "the server casts {from} to {to}"
        );
    }
    for (from, to) in [
        ("integer", "boolean"),
        ("boolean", "integer"),
        ("text", "timestamp"),
        ("bigint", "text"),
        ("bigint", "numeric"),
        ("timestamp", "date"),
    ] {
        assert!(
            accepts(&mut db, &format!("SELECT NULL::{from}::{to}")),
            "the server has no cast from {from} to {to}"
        );
    }
}

/// A cast-less change with no common reading: `new` says, in up.sql and on
/// stderr, that the USING must be written by hand.
#[test]
fn a_type_change_without_a_cast_is_flagged_when_written() {
    let ws = Workspace::new(
        "postgres",
        "CREATE TABLE t (id bigint PRIMARY KEY, flag bigint);",
    );
    ws.migrate(&["new", "start"]).success();
    ws.write(
        "schema.sql",
        "CREATE TABLE t (id bigint PRIMARY KEY, flag boolean);",
    );
    ws.migrate(&["new", "change"])
        .success()
        .stderr_has("PostgreSQL has no cast from `bigint` to `boolean`");
    let dir = ws.migration_dirs().last().cloned().unwrap_or_default();
    let up = ws.read(&format!("migrations/{dir}/up.sql"));
    assert!(
        up.contains(
            "-- WARNING: PostgreSQL has no cast from `bigint` to `boolean`: write the USING"
        ),
        "{up}"
    );
}

/// Privileges and ownership are skipped (README), and `new` and `check` say
/// so, statement by statement.
#[test]
fn new_and_check_list_what_they_skip() {
    let db = test_db!();
    let ws = Workspace::new(
        "postgres",
        "CREATE TABLE t (id bigint PRIMARY KEY);\nGRANT SELECT ON t TO PUBLIC;\nALTER TABLE t OWNER TO CURRENT_USER;\nALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC;\n",
    );
    ws.migrate(&["new", "start"])
        .success()
        .stderr_has("schema.sql:2:1: `GRANT` skipped")
        .stderr_has("schema.sql:3:1: `OWNER TO` skipped")
        .stderr_has("schema.sql:4:1: `ALTER DEFAULT PRIVILEGES` skipped");
    let mut check = ws.command(&["check"]);
    check.env("DATABASE_URL", &db.url);
    let out = check.output().unwrap_or_else(|e| panic!("check: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("schema.sql:2:1: `GRANT` skipped"),
        "{stderr}"
    );
}

/// An extension version change writes a down that goes back; the server has
/// no path back for pg_trgm, and `new` says so when it writes the migration.
#[test]
fn an_extension_downgrade_is_flagged_when_written() {
    let mut db = test_db!();
    let rows = db
        .client
        .query(
            "SELECT path FROM pg_extension_update_paths('pg_trgm') WHERE source = '1.6' AND target = '1.5'",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        rows.iter().all(|r| r.get::<_, Option<String>>(0).is_none()),
        "the server can downgrade pg_trgm"
    );
    let ws = Workspace::new("postgres", "CREATE EXTENSION pg_trgm VERSION '1.5';");
    ws.migrate(&["new", "start"]).success();
    ws.write("schema.sql", "CREATE EXTENSION pg_trgm VERSION '1.6';");
    ws.migrate(&["new", "update"])
        .success()
        .stderr_has("down.sql downgrades extension `pg_trgm` from version 1.6 to 1.5");
    let dir = ws.migration_dirs().last().cloned().unwrap_or_default();
    let down = ws.read(&format!("migrations/{dir}/down.sql"));
    assert!(
        down.contains("-- WARNING: downgrades extension `pg_trgm`"),
        "{down}"
    );
}

/// `DEFAULT NULL` on a `varchar(n)` is a default the server keeps
/// (`NULL::character varying`): the tool's database has it as psql's has
/// it, and `diff` finds nothing either way.
#[test]
fn a_null_default_is_applied_as_written() {
    let mut db = test_db!();
    let schema = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cases/171_default_null_kept_pg/to.sql"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let ws = Workspace::new("postgres", &schema);
    ws.migrate(&["new", "invoices"]).success();
    ws.migrate(&["apply", "--database-url", &db.url]).success();
    let defaults: Vec<(String, Option<String>)> = db
        .client
        .query(
            "SELECT a.attname::text, pg_get_expr(d.adbin, d.adrelid)
             FROM pg_attribute a
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attrelid = 'invoices'::regclass AND a.attnum > 0
             ORDER BY a.attnum",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let of = |name: &str| {
        defaults
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, d)| d.clone())
    };
    assert_eq!(
        of("memo").as_deref(),
        Some("NULL::character varying"),
        "{defaults:?}"
    );
    assert_eq!(of("code").as_deref(), Some("NULL::bpchar"), "{defaults:?}");
    assert_eq!(of("note"), None, "{defaults:?}");
    ws.migrate(&[
        "diff",
        "--from",
        "database",
        "--to",
        "schema",
        "--exit-code",
        "--database-url",
        &db.url,
    ])
    .success();
}

/// A column the schema declares between two others (sqldef's and migra's
/// suites add them so) goes last on the server; `new` says so in up.sql and
/// on stderr, and the database is in sync with the schema all the same:
/// column order is not compared (README, Column order).
#[test]
fn a_column_declared_in_the_middle_goes_last_and_is_in_sync() {
    let mut db = test_db!();
    let schema = |middle: &str| {
        format!("CREATE TABLE users (\n    id bigint NOT NULL,\n{middle}    age integer\n);\n")
    };
    let ws = Workspace::new("postgres", &schema(""));
    ws.migrate(&["new", "start"]).success();
    ws.write("schema.sql", &schema("    name text,\n"));
    ws.migrate(&["new", "name"])
        .success()
        .stderr_has("adds `users.name` as the last column, not before `age` as declared");
    let dir = ws.migration_dirs().last().cloned().unwrap_or_default();
    let up = ws.read(&format!("migrations/{dir}/up.sql"));
    assert!(
        up.contains("-- WARNING: adds `users.name` as the last column")
            && up.contains("ALTER TABLE users ADD COLUMN name text;"),
        "{up}"
    );
    ws.migrate(&["apply", "--database-url", &db.url]).success();
    let order: Vec<String> = db
        .client
        .query(
            "SELECT attname::text FROM pg_attribute WHERE attrelid = 'users'::regclass AND attnum > 0 ORDER BY attnum",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(order, ["id", "age", "name"]);
    ws.migrate(&[
        "diff",
        "--from",
        "database",
        "--to",
        "schema",
        "--exit-code",
        "--database-url",
        &db.url,
    ])
    .success();
}
