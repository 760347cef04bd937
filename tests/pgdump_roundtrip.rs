//! pg_dump's output as `schema.sql`, on a real server.
//!
//! For each PostgreSQL corpus in `../shared/corpora` and for the SaaS
//! fixture (`tests/fixtures/saas_pg.sql`, as a one-migration history):
//! 1. `cargo migrate apply` the migrations to a fresh database, which must
//!    read back as the migrations replay (`diff --from database --to
//!    migrations --exit-code`);
//! 2. `pg_dump --schema-only` it (and again with `--no-owner
//!    --no-privileges`), and put the dump in the workspace's `schema.sql`;
//! 3. `cargo migrate diff --from migrations --to schema --exit-code` must
//!    find nothing, and `diff --from empty --to schema` must succeed;
//! 4. in a scratch workspace holding only that `schema.sql`, `cargo migrate
//!    new` + `apply` build a second database, and `pg-schema-equal` (pg_dump
//!    of both, statements compared as multisets) must find them equal.
//!
//! Every difference found in 3 and 4 is a finding, and fails the test
//! unless `OPEN` lists it for its corpus with the work it waits for; an
//! `OPEN` entry that no longer occurs fails the test too.
//!
//! The partition and inheritance cases of `tests/cases/` are also run on the
//! server here: `from.sql` then the generated `up.sql` gives the database
//! `to.sql` gives (by pg_dump and by introspection), and `down.sql` gives
//! back the one of `from.sql`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_migrate::introspect::postgres::introspect;
use migrate_build::ddl::{self, SourceFile};
use migrate_build::diff::{describe, diff};
use migrate_build::schema::Schema;
use migrate_build::{Dialect, dialect::render_script};

use common::pg::{TestDb, pg_schema_equal};
use common::workspace::{Run, Workspace, corpora, lemmy_before_postgres_16};

const HISTORY: &str = "public._migrate_history";

/// Findings that belong to work still open elsewhere, by corpus: (a piece
/// of the finding's text, why). Every entry must still occur (a fixed
/// finding fails the test until its entry is removed), so the list cannot
/// go stale. Empty: every corpus comes out clean.
const OPEN: &[(&str, &[(&str, &str)])] = &[];

/// A postgres workspace with a copy of `migrations` (versions up to `cut`).
fn workspace(migrations: Option<&Path>, cut: Option<&str>) -> Workspace {
    let ws = Workspace::bare();
    let manifest = ws.read("Cargo.toml");
    ws.write(
        "Cargo.toml",
        &format!(
            "{manifest}\n[workspace.metadata.migrate]\ndialect = \"postgres\"\nschema = \"schema.sql\"\nmigrations = \"migrations\"\n"
        ),
    );
    ws.write("schema.sql", "");
    std::fs::create_dir_all(ws.path("migrations")).unwrap();
    match migrations {
        Some(from) => ws.add_corpus_migrations(from, cut),
        None => {
            ws.migrate(&["hash"]).success();
        }
    }
    ws
}

fn run(ws: &Workspace, db: &TestDb, args: &[&str]) -> Run {
    Run {
        output: ws
            .command(args)
            .env("DATABASE_URL", &db.url)
            .output()
            .unwrap(),
    }
}

fn pg_dump(db: &TestDb, extra: &[&str]) -> String {
    let out = Command::new("pg_dump")
        .args(["--schema-only", "--exclude-table", HISTORY])
        .args(extra)
        .arg(&db.url)
        .output()
        .expect("running pg_dump");
    assert!(
        out.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `pg-schema-equal A B`: `None` when equal, else each differing statement.
fn schema_equal(a: &TestDb, b: &TestDb) -> Option<Vec<String>> {
    let text = pg_schema_equal(&a.url, &b.url, HISTORY)?;
    // `- …`/`+ …` lines; a statement's continuation lines are indented.
    let mut statements: Vec<String> = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("+ ")) else {
            continue;
        };
        if rest.starts_with(char::is_whitespace) || rest.starts_with(')') {
            if let Some(last) = statements.last_mut() {
                last.push('\n');
                last.push_str(line);
            }
        } else {
            statements.push(line.to_string());
        }
    }
    Some(statements)
}

/// The findings of one subject, each with the open item it belongs to
/// (`None`: nobody's, so a failure).
struct Findings {
    subject: String,
    found: Vec<(String, Option<&'static str>)>,
}

impl Findings {
    fn new(subject: &str) -> Self {
        Findings {
            subject: subject.to_string(),
            found: Vec::new(),
        }
    }

    fn add(&mut self, stage: &str, finding: &str) {
        let open = OPEN
            .iter()
            .find(|(s, _)| *s == self.subject)
            .and_then(|(_, list)| list.iter().find(|(needle, _)| finding.contains(needle)))
            .map(|(_, why)| *why);
        self.found.push((format!("{stage}: {finding}"), open));
    }

    /// Prints everything, and fails on findings no open item explains.
    fn check(self) {
        let mut unexplained = Vec::new();
        let mut by_item: Vec<(&str, usize, String)> = Vec::new();
        for (finding, open) in &self.found {
            match open {
                Some(why) => match by_item.iter_mut().find(|(w, _, _)| w == why) {
                    Some(entry) => entry.1 += 1,
                    None => by_item.push((why, 1, finding.lines().next().unwrap_or("").into())),
                },
                None => unexplained.push(finding.clone()),
            }
        }
        println!(
            "{}: {} finding(s), {} of them in work open in other items",
            self.subject,
            self.found.len(),
            self.found.iter().filter(|(_, o)| o.is_some()).count()
        );
        for (why, n, example) in &by_item {
            println!("  open, {why}: {n} (e.g. {example})");
        }
        for (finding, _) in &self.found {
            println!("  finding: {finding}");
        }
        let stale: Vec<&str> = OPEN
            .iter()
            .filter(|(s, _)| *s == self.subject)
            .flat_map(|(_, list)| list.iter())
            .filter(|(needle, _)| !self.found.iter().any(|(f, _)| f.contains(needle)))
            .map(|(needle, _)| *needle)
            .collect();
        assert!(
            stale.is_empty(),
            "{}: OPEN entries that no longer occur (remove them): {stale:?}",
            self.subject
        );
        assert!(
            unexplained.is_empty(),
            "{}: {} finding(s) that no open item explains:\n  {}",
            self.subject,
            unexplained.len(),
            unexplained.join("\n  ")
        );
    }
}

/// The whole loop for one migration history.
fn round_trip(subject: &str, migrations: &Path, cut: Option<&str>) {
    let Some(source_db) = TestDb::new() else {
        return;
    };
    let ws = workspace(Some(migrations), cut);
    run(&ws, &source_db, &["apply"]).success();
    let mut findings = Findings::new(subject);
    // No false drift right after apply: the server reads back as replayed.
    let drift = run(
        &ws,
        &source_db,
        &[
            "diff",
            "--from",
            "database",
            "--to",
            "migrations",
            "--exit-code",
        ],
    );
    match drift.code() {
        0 => {}
        2 => {
            for line in drift.stdout().lines().filter(|l| !l.trim().is_empty()) {
                findings.add("database → migrations", line);
            }
        }
        _ => findings.add("database → migrations refused", drift.stderr().trim()),
    }
    for (label, extra) in [
        ("pg_dump", &[][..]),
        (
            "pg_dump --no-owner --no-privileges",
            &["--no-owner", "--no-privileges"][..],
        ),
    ] {
        let dump = pg_dump(&source_db, extra);
        assert!(dump.contains("CREATE TABLE"), "{subject}: empty dump");
        ws.write("schema.sql", &dump);
        let in_sync = run(
            &ws,
            &source_db,
            &[
                "diff",
                "--from",
                "migrations",
                "--to",
                "schema",
                "--exit-code",
            ],
        );
        match in_sync.code() {
            0 => {}
            2 => {
                for line in in_sync.stdout().lines().filter(|l| !l.trim().is_empty()) {
                    findings.add(&format!("{label}: migrations → schema"), line);
                }
            }
            _ => findings.add(
                &format!("{label}: migrations → schema refused"),
                in_sync.stderr().trim(),
            ),
        }
        let from_empty = run(
            &ws,
            &source_db,
            &["diff", "--from", "empty", "--to", "schema"],
        );
        if from_empty.code() != 0 {
            findings.add(
                &format!("{label}: empty → schema refused"),
                from_empty.stderr().trim(),
            );
            continue;
        }

        // The dump as the only schema of a new project, applied by the tool.
        let Some(rebuilt) = TestDb::new() else { return };
        let scratch = workspace(None, None);
        scratch.write("schema.sql", &dump);
        run(&scratch, &rebuilt, &["new", "from_dump"]).success();
        let applied = run(&scratch, &rebuilt, &["apply"]);
        if applied.code() != 0 {
            findings.add(
                &format!("{label}: apply of the dump's schema"),
                applied.stderr().trim(),
            );
            continue;
        }
        for statement in schema_equal(&source_db, &rebuilt).unwrap_or_default() {
            findings.add(&format!("{label}: pg-schema-equal"), &statement);
        }
    }
    findings.check();
}

#[test]
fn docs_rs() {
    let Some(root) = corpora() else { return };
    round_trip("docs-rs", &root.join("docs-rs/migrations"), None);
}

#[test]
fn crates_io() {
    let Some(root) = corpora() else { return };
    round_trip("crates-io", &root.join("crates-io/migrations"), None);
}

#[test]
fn ory_kratos() {
    let Some(root) = corpora() else { return };
    round_trip("ory-kratos", &root.join("ory-kratos/migrations/sql"), None);
}

#[test]
fn atuin_server() {
    let Some(root) = corpora() else { return };
    round_trip(
        "atuin-server-postgres",
        &root.join("atuin/atuin-server-postgres/migrations"),
        None,
    );
}

/// Up to the migration before lemmy's PostgreSQL 16 one (see corpora_pg.rs).
#[test]
fn lemmy_up_to_the_postgres_16_migration() {
    let Some(root) = corpora() else { return };
    let folder = root.join("lemmy/migrations");
    round_trip("lemmy", &folder, Some(&lemmy_before_postgres_16(&folder)));
}

/// The SaaS fixture as the one migration of a project.
#[test]
fn saas_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let migration = dir.path().join("20261101000000_saas");
    std::fs::create_dir_all(&migration).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/saas_pg.sql");
    std::fs::copy(&fixture, migration.join("up.sql")).unwrap();
    round_trip("saas", dir.path(), None);
}

// ---- partition and inheritance cases on the server ----

/// Cases whose target a migration cannot reach exactly as `to.sql` writes
/// it, by pg_dump's standard, with the reason; introspection must still
/// read the target back.
const DUMP_DIFFERS: &[(&str, &str)] = &[(
    "116_inherit_existing_table_pg",
    "ALTER TABLE … INHERIT keeps the columns and checks the table declared (attislocal, \
     conislocal), which CREATE TABLE … INHERITS does not have; the model does not tell them apart",
)];

const CASES: &[&str] = &[
    "110_partitioned_table_create_pg",
    "111_partition_attach_pg",
    "112_partition_detach_pg",
    "113_partition_bound_change_pg",
    "114_partition_column_added_pg",
    "115_inherits_pg",
    "116_inherit_existing_table_pg",
    "161_partition_index_copy_names_pg",
    "200_partition_key_copy_names_pg",
    "203_sub_partitions_pg",
    "230_copies_of_a_copy_of_an_index_pg",
];

fn parse(sql: &str, path: &str) -> Schema {
    let (mut schema, _) = ddl::parse_schema(Dialect::Postgres, &[SourceFile { path, sql }])
        .unwrap_or_else(|e| panic!("{e}"));
    schema.sort();
    schema
}

fn differences(a: &Schema, b: &Schema) -> Vec<String> {
    diff(a, b).steps.iter().map(|s| describe(&s.step)).collect()
}

fn case_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(case)
}

#[test]
fn partition_cases_on_the_server() {
    for case in CASES {
        let dir = case_dir(case);
        let from_sql = std::fs::read_to_string(dir.join("from.sql")).unwrap();
        let to_sql = std::fs::read_to_string(dir.join("to.sql")).unwrap();
        let from = parse(&from_sql, "from.sql");
        let to = parse(&to_sql, "to.sql");
        let up = render_script(&diff(&from, &to), Dialect::Postgres).unwrap();
        let down = render_script(&diff(&to, &from), Dialect::Postgres).unwrap();

        let Some(mut migrated) = TestDb::new() else {
            return;
        };
        migrated.exec(&from_sql);
        migrated.exec(&up);
        let Some(mut target) = TestDb::new() else {
            return;
        };
        target.exec(&to_sql);
        let read = introspect(&mut migrated.client, &[], &[]).unwrap();
        let left = differences(&read, &to);
        assert!(
            left.is_empty(),
            "{case}: after up.sql, introspection vs to.sql:\n  {}\n{up}",
            left.join("\n  ")
        );
        let read = introspect(&mut target.client, &[], &[]).unwrap();
        let left = differences(&read, &to);
        assert!(
            left.is_empty(),
            "{case}: to.sql applied, introspection vs its model:\n  {}",
            left.join("\n  ")
        );
        let dump = schema_equal(&target, &migrated);
        match DUMP_DIFFERS.iter().find(|(c, _)| c == case) {
            Some((_, why)) => {
                assert!(
                    dump.is_some(),
                    "{case} reaches to.sql exactly now: remove it from DUMP_DIFFERS"
                );
                println!("{case}: pg_dump differs as expected ({why})");
            }
            None => assert!(
                dump.is_none(),
                "{case}: after up.sql, pg_dump differs from to.sql's:\n{}\n--- up.sql\n{up}",
                dump.unwrap_or_default().join("\n")
            ),
        }

        migrated.exec(&down);
        let Some(mut source) = TestDb::new() else {
            return;
        };
        source.exec(&from_sql);
        let read = introspect(&mut migrated.client, &[], &[]).unwrap();
        let left = differences(&read, &from);
        assert!(
            left.is_empty(),
            "{case}: after down.sql, introspection vs from.sql:\n  {}\n{down}",
            left.join("\n  ")
        );
        if let Some(statements) = schema_equal(&source, &migrated) {
            panic!(
                "{case}: after down.sql, pg_dump differs from from.sql's:\n{}\n--- down.sql\n{down}",
                statements.join("\n")
            );
        }
    }
}

// ---- pg_dump's dialect: LIKE, ownership and privileges ----

const LIKE_SQL: &str = "CREATE TABLE src (
    id serial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    n int DEFAULT 3 CHECK (n > 0),
    g int GENERATED ALWAYS AS (n * 2) STORED,
    idn int GENERATED BY DEFAULT AS IDENTITY,
    note text COLLATE \"C\"
);
COMMENT ON COLUMN src.email IS 'the email';
CREATE INDEX src_lower_email ON src (lower(email));
CREATE TABLE plain (LIKE src);
CREATE TABLE everything (x int, LIKE src INCLUDING ALL, y text);
CREATE TABLE partial (LIKE src INCLUDING DEFAULTS INCLUDING CONSTRAINTS EXCLUDING IDENTITY, z int);";

/// What `LIKE` copies (columns in place, defaults, checks by name, keys
/// and indexes by the server's names, comments, identity) is what the
/// server has.
#[test]
fn like_tables_read_back_as_the_server_made_them() {
    let Some(mut db) = TestDb::new() else { return };
    db.exec(LIKE_SQL);
    let live = introspect(&mut db.client, &[], &[]).unwrap();
    let model = parse(LIKE_SQL, "schema.sql");
    let left = differences(&model, &live);
    assert!(left.is_empty(), "model → server:\n  {}", left.join("\n  "));
    let everything = model
        .table(&migrate_build::schema::QualifiedName::new("everything"))
        .unwrap();
    let names: Vec<&str> = everything.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["x", "id", "email", "n", "g", "idn", "note", "y"]);
    assert!(
        model
            .index(&migrate_build::schema::QualifiedName::new(
                "everything_lower_idx"
            ))
            .is_some()
    );
}

/// Ownership and privileges are not modelled: `GRANT`, `REVOKE` and every
/// `OWNER TO` are skipped (and listed) by `new`, `check` and `diff` alike,
/// and introspection reads no privileges, so a database with grants the
/// schema does not mention is not drift.
#[test]
fn grants_and_owners_are_skipped_alike_everywhere() {
    let Some(db) = TestDb::new() else { return };
    let role = format!("{}_reader", db.name);
    let ws = workspace(None, None);
    ws.write(
        "migrations/20260101000000_init/up.sql",
        &format!(
            "CREATE TABLE notes (id bigint PRIMARY KEY, body text);
             CREATE TYPE mood AS ENUM ('ok', 'meh');
             CREATE SEQUENCE counter;
             CREATE ROLE {role};
             GRANT SELECT ON notes TO PUBLIC;
             REVOKE ALL ON SCHEMA public FROM PUBLIC;
             ALTER TABLE notes OWNER TO {role};
             ALTER TYPE mood OWNER TO {role};
             ALTER SEQUENCE counter OWNER TO {role};"
        ),
    );
    ws.migrate(&["hash"]).success();
    run(&ws, &db, &["apply"]).success();
    // schema.sql as pg_dump writes the database (with its owners and ACLs).
    let dump = pg_dump(&db, &[]);
    assert!(
        dump.contains("OWNER TO") && dump.contains("GRANT SELECT"),
        "{dump}"
    );
    ws.write("schema.sql", &dump);
    run(&ws, &db, &["check"]).success();
    run(
        &ws,
        &db,
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
    run(&ws, &db, &["new", "again"])
        .success()
        .stderr_has("in sync");
    let mut client = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("GRANT ALL ON SCHEMA public TO PUBLIC; ALTER TABLE notes OWNER TO postgres; ALTER TYPE mood OWNER TO postgres; ALTER SEQUENCE counter OWNER TO postgres; DROP OWNED BY {role}; DROP ROLE {role}"))
        .unwrap();
}

// ---- schemas applied with psql, their pg_dump as schema.sql ----

/// `sql` applied with psql; its `pg_dump --schema-only` as the `schema.sql`
/// of a project: the database reads back in sync with it, and the tool
/// builds from it a database pg_dump cannot tell from the first. Returns
/// the psql-built database and the dump.
fn psql_dump_round_trip(subject: &str, sql: &str) -> Option<(TestDb, String)> {
    let source = TestDb::new()?;
    let psql = Command::new("psql")
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            &source.url,
            "-c",
            sql,
        ])
        .output()
        .expect("running psql");
    assert!(
        psql.status.success(),
        "{subject}: psql: {}",
        String::from_utf8_lossy(&psql.stderr)
    );
    let dump = pg_dump(&source, &["--no-owner", "--no-privileges"]);
    let ws = workspace(None, None);
    ws.write("schema.sql", &dump);
    let drift = run(
        &ws,
        &source,
        &[
            "diff",
            "--from",
            "database",
            "--to",
            "schema",
            "--exit-code",
        ],
    );
    assert_eq!(
        drift.code(),
        0,
        "{subject}: the psql-built database against its own dump:\n{}{}\n--- dump\n{dump}",
        drift.stdout(),
        drift.stderr()
    );
    let rebuilt = TestDb::new()?;
    run(&ws, &rebuilt, &["new", "from_dump"]).success();
    run(&ws, &rebuilt, &["apply"]).success();
    if let Some(statements) = schema_equal(&source, &rebuilt) {
        panic!(
            "{subject}: the database the tool built from the dump differs:\n{}\n--- dump\n{dump}",
            statements.join("\n")
        );
    }
    Some((source, dump))
}

/// Whether the database differs from `schema.sql` (`diff --exit-code` 2),
/// with what it says.
fn drifts_from(db: &TestDb, schema: &str) -> (bool, String) {
    let ws = workspace(None, None);
    ws.write("schema.sql", schema);
    let out = run(
        &ws,
        db,
        &[
            "diff",
            "--from",
            "database",
            "--to",
            "schema",
            "--exit-code",
        ],
    );
    assert!(
        matches!(out.code(), 0 | 2),
        "diff --exit-code: {}",
        out.stderr()
    );
    (out.code() == 2, out.stdout())
}

const KEY_COPIES_SQL: &str = "
CREATE TABLE orders (
    id bigint NOT NULL,
    placed date NOT NULL,
    code text,
    PRIMARY KEY (id, placed),
    UNIQUE (code, placed)
) PARTITION BY RANGE (placed);
CREATE TABLE orders_2025 PARTITION OF orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE orders_2026 PARTITION OF orders FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE orders_2027 (id bigint NOT NULL, placed date NOT NULL, code text,
    CONSTRAINT orders_2027_own_pk PRIMARY KEY (id, placed));
ALTER TABLE orders ATTACH PARTITION orders_2027 FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
-- the server's names taken: the next copy gets a counter
CREATE TABLE orders_2028_pkey (x int);
CREATE TABLE orders_2028 PARTITION OF orders FOR VALUES FROM ('2028-01-01') TO ('2029-01-01');
ALTER TABLE orders_2026 RENAME CONSTRAINT orders_2026_pkey TO orders_2026_pk;
ALTER INDEX orders_2025_code_placed_key RENAME TO orders_2025_code;
";

/// Partitions' copies of primary keys and unique constraints, named by the
/// server (with a counter where its name is taken), renamed, and attached
/// from a table's own key: pg_dump writes each by its name, and the tool
/// rebuilds them by those names.
#[test]
fn partition_key_copies_by_name() {
    let Some((db, dump)) = psql_dump_round_trip("key copies", KEY_COPIES_SQL) else {
        return;
    };
    for name in [
        "orders_2025_pkey",
        "orders_2026_pk",
        "orders_2027_own_pk",
        "orders_2028_pkey1",
        "orders_2025_code",
        "orders_2026_code_placed_key",
    ] {
        assert!(
            dump.contains(&format!("ADD CONSTRAINT {name} ")),
            "{name}:\n{dump}"
        );
    }
    // A copy named otherwise is drift, not "in sync".
    let renamed = dump.replace("orders_2026_pk", "orders_2026_pkey");
    let (differs, said) = drifts_from(&db, &renamed);
    assert!(differs, "a renamed copy of a key reads as in sync");
    assert!(said.contains("orders_2026_pk"), "{said}");
}

const STORAGE_ORDER_SQL: &str = "
CREATE TABLE jobs (id bigint PRIMARY KEY, payload text) WITH (fillfactor = 70, autovacuum_enabled = false);
-- set again: fillfactor moves to the end of reloptions
ALTER TABLE jobs SET (toast_tuple_target = 200, fillfactor = 60);
CREATE TABLE runs (id bigint PRIMARY KEY) WITH (autovacuum_enabled = true, fillfactor = 80);
";

/// Storage parameters in the order the server keeps them (pg_dump prints
/// that order, and the tool creates them in it), compared regardless of
/// order: written in another order, they are no drift.
#[test]
fn table_storage_parameters_keep_the_servers_order() {
    let Some((db, dump)) = psql_dump_round_trip("storage order", STORAGE_ORDER_SQL) else {
        return;
    };
    assert!(
        dump.contains(
            "WITH (autovacuum_enabled='false', toast_tuple_target='200', fillfactor='60')"
        ),
        "{dump}"
    );
    let (differs, said) = drifts_from(
        &db,
        "CREATE TABLE jobs (id bigint PRIMARY KEY, payload text)
             WITH (fillfactor = 60, toast_tuple_target = 200, autovacuum_enabled = false);
         CREATE TABLE runs (id bigint PRIMARY KEY) WITH (fillfactor = 80, autovacuum_enabled = true);",
    );
    assert!(
        !differs,
        "storage parameters in another order read as drift:\n{said}"
    );
    let (differs, _) = drifts_from(
        &db,
        "CREATE TABLE jobs (id bigint PRIMARY KEY, payload text)
             WITH (fillfactor = 60, toast_tuple_target = 200, autovacuum_enabled = false);
         CREATE TABLE runs (id bigint PRIMARY KEY) WITH (fillfactor = 80);",
    );
    assert!(differs, "a storage parameter left out reads as in sync");
}

const INDEX_STATISTICS_SQL: &str = "
CREATE TABLE people (id bigint PRIMARY KEY, email text, name text);
CREATE INDEX people_email_lower ON people (lower(email));
ALTER INDEX people_email_lower ALTER COLUMN 1 SET STATISTICS 500;
CREATE INDEX people_name_upper ON people (name, upper(name), (id % 7));
ALTER INDEX people_name_upper ALTER COLUMN 2 SET STATISTICS 0;
-- above the limit: the server keeps 10000
ALTER INDEX people_name_upper ALTER COLUMN 3 SET STATISTICS 20000;
";

/// Statistics targets of expression index columns: pg_dump writes an
/// `ALTER INDEX … ALTER COLUMN n SET STATISTICS k` after the index, the
/// tool reads it back and builds it again; a target left out is drift.
#[test]
fn index_statistics_targets_round_trip() {
    let Some((db, dump)) = psql_dump_round_trip("index statistics", INDEX_STATISTICS_SQL) else {
        return;
    };
    for line in [
        "ALTER INDEX public.people_email_lower ALTER COLUMN 1 SET STATISTICS 500;",
        "ALTER INDEX public.people_name_upper ALTER COLUMN 2 SET STATISTICS 0;",
        "ALTER INDEX public.people_name_upper ALTER COLUMN 3 SET STATISTICS 10000;",
    ] {
        assert!(dump.contains(line), "{line}\n{dump}");
    }
    let without = dump.replace(
        "ALTER INDEX public.people_name_upper ALTER COLUMN 2 SET STATISTICS 0;",
        "",
    );
    let (differs, said) = drifts_from(&db, &without);
    assert!(differs, "a statistics target left out reads as in sync");
    assert!(said.contains("people_name_upper"), "{said}");
}

const TOAST_SQL: &str = "
CREATE TABLE docs (id bigint PRIMARY KEY, body text)
    WITH (toast.autovacuum_enabled = false, fillfactor = 70, toast.vacuum_truncate = false);
CREATE TABLE notes (id bigint PRIMARY KEY, tags text[]);
ALTER TABLE notes SET (toast.autovacuum_vacuum_scale_factor = 0.05, autovacuum_enabled = false);
ALTER TABLE docs RESET (toast.vacuum_truncate);
";

/// The TOAST table's storage parameters (`toast.…`), kept on the TOAST
/// table by the server: pg_dump prints them after the table's, the tool
/// creates them, introspection reads them, and one left out is drift.
#[test]
fn toast_storage_parameters_round_trip() {
    let Some((db, dump)) = psql_dump_round_trip("toast", TOAST_SQL) else {
        return;
    };
    assert!(
        dump.contains("WITH (fillfactor='70', toast.autovacuum_enabled='false')"),
        "{dump}"
    );
    let (differs, said) = drifts_from(
        &db,
        "CREATE TABLE docs (id bigint PRIMARY KEY, body text) WITH (fillfactor = 70);
         CREATE TABLE notes (id bigint PRIMARY KEY, tags text[])
             WITH (autovacuum_enabled = false, toast.autovacuum_vacuum_scale_factor = 0.05);",
    );
    assert!(
        differs,
        "a TOAST table's parameter left out reads as in sync"
    );
    assert!(said.contains("`docs`"), "{said}");
}

const SUB_PARTITIONS_SQL: &str = "
CREATE TABLE metrics (id bigint NOT NULL, at date NOT NULL, region text NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE metrics_2026 PARTITION OF metrics FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
    PARTITION BY LIST (region);
CREATE TABLE metrics_2026_eu PARTITION OF metrics_2026 FOR VALUES IN ('eu');
CREATE TABLE metrics_2026_us PARTITION OF metrics_2026 FOR VALUES IN ('us');
ALTER TABLE metrics_2026 ADD PRIMARY KEY (id, region);
CREATE INDEX ON metrics_2026 (at);
ALTER INDEX metrics_2026_us_at_idx RENAME TO metrics_2026_us_at;
";

/// A sub-partitioned tree, with the indexes and keys of a partitioned
/// partition copied onto its partitions, round-trips through pg_dump; a key
/// of the table at the top would be copied onto the sub-partitions as
/// copies of a copy of a key, which are refused: by the schema's reader at
/// the statement, and by introspection.
#[test]
fn sub_partitions_round_trip_and_copies_of_copies_are_refused() {
    let Some((_db, dump)) = psql_dump_round_trip("sub-partitions", SUB_PARTITIONS_SQL) else {
        return;
    };
    assert!(dump.contains("PARTITION BY LIST (region)"), "{dump}");
    let Some(mut db) = TestDb::new() else { return };
    db.exec(SUB_PARTITIONS_SQL);
    db.exec("ALTER TABLE metrics ADD UNIQUE (id, at, region);");
    let e = introspect(&mut db.client, &[], &[]).expect_err("a copy of a copy of a key is read");
    assert!(e.to_string().contains("is not modelled"), "{e}");
    let dump = pg_dump(&db, &["--no-owner", "--no-privileges"]);
    let ws = workspace(None, None);
    ws.write("schema.sql", &dump);
    let out = run(&ws, &db, &["diff", "--from", "empty", "--to", "schema"]);
    assert_eq!(out.code(), 1, "{}", out.stdout());
    let said = out.stderr();
    assert!(
        said.contains("schema.sql:") && said.contains("copies of a copy"),
        "{said}"
    );
}

// ---- pg_dump 9.x: objects placed by search_path ----

/// pg_dump before version 10 writes `SET search_path = app, pg_catalog;`
/// before a schema's objects and leaves their names unqualified. The
/// server creates them in `app`; the model would put them in `public`, so
/// the statement is refused at its line rather than read into the wrong
/// schema, and nothing is written.
#[test]
fn a_dump_placing_objects_by_search_path_is_refused_at_the_set() {
    let ws = workspace(None, None);
    ws.write(
        "schema.sql",
        "SET statement_timeout = 0;
CREATE SCHEMA app;
SET search_path = public, pg_catalog;
CREATE TABLE accounts (id integer NOT NULL);
SET search_path = app, pg_catalog;
CREATE TABLE items (id bigint NOT NULL);
",
    );
    ws.migrate(&["new", "init", "--no-interactive"])
        .failure()
        .stderr_has("schema.sql:5:1: search_path set to `app, pg_catalog` is not modelled");
    assert!(ws.migration_dirs().is_empty());
    ws.migrate(&["diff", "--from", "empty", "--to", "schema"])
        .failure()
        .stderr_has("schema.sql:5:1:");
}

const AUDIT_TREE_SQL: &str = "
CREATE TABLE audit_log (id bigint NOT NULL, tenant text NOT NULL, at timestamptz NOT NULL, what text)
    PARTITION BY LIST (tenant);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TABLE audit_acme PARTITION OF audit_log FOR VALUES IN ('acme') PARTITION BY RANGE (at);
CREATE TABLE audit_acme_2026_01 PARTITION OF audit_acme
    FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
CREATE TABLE audit_acme_2026_02 (id bigint NOT NULL, tenant text NOT NULL, at timestamptz NOT NULL, what text);
CREATE INDEX audit_acme_2026_02_by_at ON audit_acme_2026_02 (at);
ALTER TABLE audit_acme ATTACH PARTITION audit_acme_2026_02
    FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
CREATE TABLE audit_globex PARTITION OF audit_log FOR VALUES IN ('globex') PARTITION BY RANGE (at);
CREATE TABLE audit_globex_2026 PARTITION OF audit_globex
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE audit_other PARTITION OF audit_log DEFAULT;
CREATE INDEX audit_log_what ON audit_log (what, id);
CREATE INDEX audit_acme_id ON audit_acme (id);
ALTER INDEX audit_globex_at_idx RENAME TO audit_globex_at;
ALTER INDEX audit_globex_2026_what_id_idx RENAME TO audit_globex_2026_what;
";

/// An audit log partitioned by tenant, then by month: the indexes of the
/// table at the top are copied onto each level (copies of a copy on the
/// months, attached to the tenant's copy), by the server's names or
/// others; the psql-built database, its pg_dump, and the database the tool
/// builds from that dump are one schema, and introspection agrees.
#[test]
fn copies_of_a_copy_of_an_index_round_trip() {
    let Some((db, dump)) = psql_dump_round_trip("copies of a copy", AUDIT_TREE_SQL) else {
        return;
    };
    assert!(
        dump.contains(
            "ALTER INDEX public.audit_acme_at_idx ATTACH PARTITION public.audit_acme_2026_02_by_at"
        ),
        "{dump}"
    );
    let mut db = db;
    let schema = introspect(&mut db.client, &[], &[]).expect("introspect");
    let at = schema
        .indexes
        .iter()
        .find(|i| i.name.name == "audit_log_at")
        .expect("audit_log_at");
    let copy = at
        .partition_copies
        .iter()
        .find(|c| c.table.name == "audit_acme_2026_02")
        .expect("a copy on a month");
    assert_eq!(copy.name, "audit_acme_2026_02_by_at");
    assert_eq!(
        copy.under.as_ref().map(|u| u.name.as_str()),
        Some("audit_acme")
    );
    // A copy of a copy named otherwise in schema.sql is drift.
    let renamed = dump.replace("audit_acme_2026_02_by_at", "audit_acme_2026_02_at_x");
    let (drifts, said) = drifts_from(&db, &renamed);
    assert!(drifts && said.contains("audit_acme_2026_02_at_x"), "{said}");
}

const INDEX_VIEW_STORAGE_SQL: &str = "
CREATE TABLE notes (id bigint NOT NULL, body text, owner text);
CREATE INDEX notes_owner ON notes (owner) WITH (fillfactor=70, deduplicate_items=off);
CREATE INDEX notes_body ON notes USING hash (body) WITH (fillfactor=80);
ALTER INDEX notes_body SET (fillfactor=60);
CREATE INDEX notes_id ON notes (id) WITH (fillfactor=90, deduplicate_items=on);
ALTER INDEX notes_id SET (fillfactor=95);
CREATE VIEW mine WITH (security_invoker=true, security_barrier) AS SELECT id, owner FROM notes
    WHERE owner = current_user WITH LOCAL CHECK OPTION;
CREATE VIEW theirs WITH (security_barrier=true, check_option=cascaded, security_invoker=false)
    AS SELECT id FROM notes;
ALTER VIEW theirs SET (security_barrier=false);
";

/// Indexes' and views' storage parameters written unsorted, and set again
/// (which moves one to the end), are kept in the server's order: the
/// database the tool builds from the dump prints them as the psql-built one
/// does, and introspection reads them in that order.
#[test]
fn index_and_view_storage_parameters_keep_the_servers_order() {
    let Some((mut db, dump)) =
        psql_dump_round_trip("index and view storage", INDEX_VIEW_STORAGE_SQL)
    else {
        return;
    };
    assert!(
        dump.contains("WITH (fillfactor='70', deduplicate_items=off)"),
        "{dump}"
    );
    assert!(
        dump.contains("WITH (deduplicate_items='on', fillfactor='95')"),
        "{dump}"
    );
    let schema = introspect(&mut db.client, &[], &[]).expect("introspect");
    let names = |storage: &[migrate_build::schema::StorageParam]| {
        storage.iter().map(|p| p.name.clone()).collect::<Vec<_>>()
    };
    let id = schema
        .indexes
        .iter()
        .find(|i| i.name.name == "notes_id")
        .expect("notes_id");
    assert_eq!(names(&id.storage), ["deduplicate_items", "fillfactor"]);
    let theirs = schema
        .views
        .iter()
        .find(|v| v.name.name == "theirs")
        .expect("theirs");
    assert_eq!(
        names(&theirs.options),
        ["check_option", "security_invoker", "security_barrier"]
    );
}

/// A key added with `ALTER TABLE ONLY parent` and attached on one partition
/// only leaves the server an invalid partitioned index: introspection
/// refuses it (`indisvalid`), and so does the reader of its pg_dump, at the
/// statement that made it.
#[test]
fn an_invalid_partitioned_index_is_refused_by_both_readers() {
    let Some(mut db) = TestDb::new() else { return };
    db.exec(
        "CREATE TABLE orders (id bigint NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
         CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('eu');
         CREATE TABLE orders_us PARTITION OF orders FOR VALUES IN ('us');
         ALTER TABLE ONLY orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id, region);
         ALTER TABLE ONLY orders_eu ADD CONSTRAINT orders_eu_pkey PRIMARY KEY (id, region);
         ALTER INDEX orders_pkey ATTACH PARTITION orders_eu_pkey;",
    );
    let e = introspect(&mut db.client, &[], &[]).expect_err("an invalid index is read");
    assert!(
        e.to_string().contains("invalid partitioned index")
            && e.to_string().contains("orders_pkey"),
        "{e}"
    );
    let dump = pg_dump(&db, &["--no-owner", "--no-privileges"]);
    let ws = workspace(None, None);
    ws.write("schema.sql", &dump);
    let out = run(&ws, &db, &["diff", "--from", "empty", "--to", "schema"]);
    assert_eq!(out.code(), 1, "{}", out.stdout());
    let said = out.stderr();
    assert!(
        said.contains("schema.sql:") && said.contains("orders_us") && said.contains("invalid"),
        "{said}"
    );
}

const TEXT_SEARCH_SQL: &str = "
CREATE EXTENSION unaccent;
CREATE TEXT SEARCH CONFIGURATION public.unaccent_simple ( PARSER = pg_catalog.\"default\" );
ALTER TEXT SEARCH CONFIGURATION public.unaccent_simple ADD MAPPING FOR asciiword WITH public.unaccent, simple;
CREATE TEXT SEARCH DICTIONARY public.unaccent_dict ( TEMPLATE = public.unaccent, rules = 'unaccent' );
CREATE TEXT SEARCH DICTIONARY english_nostop (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH CONFIGURATION english_all (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION english_all ALTER MAPPING REPLACE english_stem WITH english_nostop;
ALTER TEXT SEARCH CONFIGURATION english_all DROP MAPPING FOR email, url;
COMMENT ON TEXT SEARCH CONFIGURATION english_all IS 'English, stop words kept';
CREATE TABLE documents (
    id bigint PRIMARY KEY,
    body text NOT NULL,
    search tsvector GENERATED ALWAYS AS (to_tsvector('public.unaccent_simple'::regconfig, body)) STORED
);
CREATE INDEX documents_body_idx ON documents USING gin (to_tsvector('english_all', body));
";

/// Text search configurations and dictionaries: pg_dump writes one `ADD
/// MAPPING` per token type and the copied configuration's mappings in
/// full; read back, they are the configuration psql made. A mapping the
/// database has and the schema does not is drift.
#[test]
fn text_search_objects_read_back_as_pg_dump_writes_them() {
    let Some((db, dump)) = psql_dump_round_trip("text search", TEXT_SEARCH_SQL) else {
        return;
    };
    for printed in [
        "ADD MAPPING FOR asciiword WITH public.unaccent, simple;",
        "ADD MAPPING FOR hword_part WITH public.english_nostop;",
        "TEMPLATE = public.unaccent,",
    ] {
        assert!(dump.contains(printed), "{printed}:\n{dump}");
    }
    let extra = dump.replace(
        "ADD MAPPING FOR asciiword WITH public.unaccent, simple;",
        "ADD MAPPING FOR asciiword WITH public.unaccent, simple;\n\
         ALTER TEXT SEARCH CONFIGURATION public.unaccent_simple ADD MAPPING FOR word WITH simple;",
    );
    let (differs, said) = drifts_from(&db, &extra);
    assert!(differs, "a mapping the database lacks reads as in sync");
    assert!(said.contains("unaccent_simple"), "{said}");
    let options = dump.replace(
        "language = 'english'",
        "language = 'english', stopwords = 'english'",
    );
    assert_ne!(options, dump);
    let (differs, said) = drifts_from(&db, &options);
    assert!(
        differs,
        "a dictionary option the database lacks reads as in sync"
    );
    assert!(said.contains("english_nostop"), "{said}");
}

const PUBLICATIONS_SQL: &str = "
CREATE SCHEMA audit;
CREATE TABLE audit.events (id bigint PRIMARY KEY, kind text NOT NULL);
CREATE TABLE messages (id bigint PRIMARY KEY, room_id bigint NOT NULL, body text, hidden boolean NOT NULL DEFAULT false);
CREATE TABLE archived_messages () INHERITS (messages);
CREATE TABLE rooms (id bigint PRIMARY KEY, name text NOT NULL);
CREATE PUBLICATION supabase_realtime;
ALTER PUBLICATION supabase_realtime ADD TABLE public.messages (body, id) WHERE (NOT hidden AND body <> '');
ALTER PUBLICATION supabase_realtime ADD TABLE ONLY public.rooms;
CREATE PUBLICATION feed FOR TABLES IN SCHEMA audit, TABLE rooms WHERE (id > 0)
    WITH (publish = 'insert, update', publish_via_partition_root = true);
";

/// What publications publish: pg_dump prints each table (`ONLY`, the
/// inheriting table as its own member, the filter in the server's words)
/// and schema after the tables; the tool reads them back in sync, builds
/// them again, and a member, column or option left out is drift.
#[test]
fn publication_tables_round_trip() {
    let Some((db, dump)) = psql_dump_round_trip("publications", PUBLICATIONS_SQL) else {
        return;
    };
    for line in [
        "ALTER PUBLICATION supabase_realtime ADD TABLE ONLY public.archived_messages (id, body) WHERE",
        "ALTER PUBLICATION supabase_realtime ADD TABLE ONLY public.rooms;",
        "ALTER PUBLICATION feed ADD TABLES IN SCHEMA audit;",
    ] {
        assert!(dump.contains(line), "{line}\n{dump}");
    }
    for (from, to, what) in [
        (
            "ALTER PUBLICATION supabase_realtime ADD TABLE ONLY public.rooms;",
            "",
            "a member left out",
        ),
        ("(id, body)", "(id)", "a column left out of a list"),
        (
            "ALTER PUBLICATION feed ADD TABLES IN SCHEMA audit;",
            "",
            "a schema left out",
        ),
        (
            "publish_via_partition_root = true",
            "publish_via_partition_root = false",
            "an option changed",
        ),
    ] {
        assert!(dump.contains(from), "{from}\n{dump}");
        let (differs, said) = drifts_from(&db, &dump.replacen(from, to, 1));
        assert!(differs, "{what} reads as in sync");
        assert!(said.contains("publication"), "{what}: {said}");
    }
}

const ALTERED_OBJECTS_SQL: &str = "
CREATE DOMAIN percent AS integer CONSTRAINT percent_low CHECK (VALUE >= 0);
ALTER DOMAIN percent ADD CONSTRAINT percent_high CHECK (VALUE <= 100) NOT VALID;
CREATE TABLE scores (id integer PRIMARY KEY, score percent, kind text, note text);
CREATE FUNCTION total(a integer, b integer) RETURNS integer LANGUAGE sql AS $$SELECT a + b$$;
ALTER FUNCTION total(integer, integer) SET work_mem = '64MB' STABLE LEAKPROOF COST 5;
CREATE STATISTICS scores_kind_note ON kind, note FROM scores;
ALTER STATISTICS scores_kind_note SET STATISTICS 500;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER scores_touch BEFORE INSERT ON scores FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE scores ENABLE REPLICA TRIGGER scores_touch;
CREATE FUNCTION audit_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
CREATE EVENT TRIGGER audit ON ddl_command_end EXECUTE FUNCTION audit_ddl();
ALTER EVENT TRIGGER audit DISABLE;
";

/// Objects changed by ALTER, which pg_dump writes after their CREATE: a
/// domain constraint `NOT VALID`, a trigger's and an event trigger's
/// firing, a statistics target. The tool reads the dump, builds a database
/// pg_dump cannot tell from the first, and a state left out is drift.
#[test]
fn altered_objects_round_trip() {
    let Some((db, dump)) = psql_dump_round_trip("altered objects", ALTERED_OBJECTS_SQL) else {
        return;
    };
    let lines = [
        "ADD CONSTRAINT percent_high CHECK ((VALUE <= 100)) NOT VALID;",
        "ALTER STATISTICS public.scores_kind_note SET STATISTICS 500;",
        "ALTER TABLE public.scores ENABLE REPLICA TRIGGER scores_touch;",
        "ALTER EVENT TRIGGER audit DISABLE;",
    ];
    for line in lines {
        assert!(dump.contains(line), "{line}\n{dump}");
    }
    for line in &lines[1..] {
        let (differs, said) = drifts_from(&db, &dump.replace(line, ""));
        assert!(differs, "without `{line}` the dump reads as in sync");
        assert!(!said.is_empty());
    }
    // Validated, the constraint is another domain than the dump's.
    let validated = dump.replace(
        " NOT VALID;",
        ";\nALTER DOMAIN public.percent VALIDATE CONSTRAINT percent_high;",
    );
    let parse = |sql: &str| parse(sql, "schema.sql");
    assert!(!differences(&parse(&dump), &parse(&validated)).is_empty());
}
