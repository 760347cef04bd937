//! The linter end to end: the rules on what `new` writes for the catalogue's
//! cases, `new`'s warnings with rows counted in real SQLite and PostgreSQL
//! databases, and `cargo migrate lint` / `check` (exit codes, formats,
//! selection, suppression, configuration).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::pg::TestDb;
use common::workspace::Workspace;
use migrate_build::ddl::{self, SourceFile};
use migrate_build::lint::{self, LintConfig};
use migrate_build::{Dialect, Schema, dialect, diff};

fn parse(dialect: Dialect, path: &Path) -> Schema {
    let sql = std::fs::read_to_string(path).unwrap();
    let display = path.display().to_string();
    ddl::parse_schema(
        dialect,
        &[SourceFile {
            path: &display,
            sql: &sql,
        }],
    )
    .unwrap()
    .0
}

/// The codes the linter finds in the `up.sql` that `new` writes for a case.
fn case_codes(case: &str, dialect: Dialect) -> Vec<&'static str> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(case);
    let from = parse(dialect, &dir.join("from.sql"));
    let to = parse(dialect, &dir.join("to.sql"));
    let up = dialect::render_script(&diff::diff(&from, &to), dialect).unwrap();
    let script = lint::Script {
        path: "up.sql",
        sql: &up,
        no_transaction: false,
    };
    let (findings, _) = lint::lint_script(&from, &from, script, &LintConfig::default())
        .unwrap_or_else(|e| panic!("{case} ({dialect}): {e}\n{up}"));
    findings.iter().map(|f| f.rule.code).collect()
}

#[test]
fn catalogue_cases_find_their_rules() {
    use Dialect::{Postgres as PG, Sqlite as SL};
    // (case, dialect, codes found, codes not found)
    let expectations: &[(&str, Dialect, &[&str], &[&str])] = &[
        (
            "01_create_table",
            PG,
            &[],
            &["DS101", "PG101", "PG108", "MF101"],
        ),
        ("01_create_table", SL, &[], &["SL101", "DS101"]),
        ("02_drop_table", PG, &["DS101", "BC103", "PG108"], &[]),
        ("02_drop_table", SL, &["DS101", "BC103"], &["SL101"]),
        ("03_add_column", PG, &["PG108"], &["MF101", "DS102"]),
        ("04_drop_column", PG, &["DS102", "BC103"], &[]),
        ("04_drop_column", SL, &["DS102", "BC103"], &["DS101"]),
        ("05_add_not_null_column_with_default", PG, &[], &["MF101"]),
        (
            "05_add_not_null_column_with_default",
            SL,
            &[],
            &["MF101", "SL102"],
        ),
        // integer → text: every value converts, but the table is rewritten.
        ("06_column_type_change", PG, &["PG105"], &["MF107", "DS105"]),
        (
            "119_type_change_without_cast_pg",
            PG,
            &["MF107", "PG105"],
            &[],
        ),
        ("07_column_type_widening", PG, &[], &["MF107", "DS105"]),
        ("08_make_column_not_null", PG, &["MF102", "PG104"], &[]),
        (
            "08_make_column_not_null",
            SL,
            &["MF102", "SL101"],
            &["PG104", "DS101"],
        ),
        ("09_make_column_nullable", PG, &[], &["MF102"]),
        ("17_add_primary_key", PG, &["MF104", "PG107"], &[]),
        ("17_add_primary_key", SL, &["MF104", "SL101"], &["PG107"]),
        ("20_add_unique", PG, &["MF103", "PG107"], &[]),
        ("20_add_unique", SL, &["MF103", "SL101"], &[]),
        ("23_add_check", PG, &["MF105", "PG103"], &[]),
        ("23_add_check", SL, &["MF105", "SL101"], &["PG103"]),
        ("24_drop_check", PG, &[], &["MF105"]),
        ("26_add_foreign_key", PG, &["MF106", "PG103"], &[]),
        ("26_add_foreign_key", SL, &["MF106", "SL101"], &[]),
        ("35_add_index", PG, &["PG101"], &["MF103"]),
        ("35_add_index", SL, &[], &["PG101", "SL101"]),
        ("37_unique_index", PG, &["PG101", "MF103"], &[]),
        ("48_enum_remove_value_pg", PG, &["DS104"], &[]),
        ("46_enum_add_value_pg", PG, &[], &["DS104"]),
        ("63_schema_namespace_pg", PG, &[], &["DS103"]),
        ("70_rename_column_as_drop_add", PG, &["DS102"], &["BC102"]),
        // Validations scan without blocking writes; the new `n_small` check does not.
        (
            "90_constraint_validity_pg",
            PG,
            &["MF105", "MF106", "PG103"],
            &[],
        ),
    ];
    let mut failures = Vec::new();
    for (case, dialect, found, absent) in expectations {
        let codes = case_codes(case, *dialect);
        for code in *found {
            if !codes.contains(code) {
                failures.push(format!("{case} ({dialect}): {code} not found in {codes:?}"));
            }
        }
        for code in *absent {
            if codes.contains(code) {
                failures.push(format!("{case} ({dialect}): {code} found in {codes:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_linter_reads_everything_new_writes() {
    // Every case of the catalogue, both directions: the linter replays the
    // generated SQL statement by statement without an error.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("to.sql").is_file())
        .collect();
    cases.sort();
    let mut linted = 0;
    for dir in cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let dialects: &[Dialect] = if name.ends_with("_pg") {
            &[Dialect::Postgres]
        } else if name.ends_with("_sqlite") {
            &[Dialect::Sqlite]
        } else {
            &[Dialect::Postgres, Dialect::Sqlite]
        };
        for &d in dialects {
            let from = parse(d, &dir.join("from.sql"));
            let to = parse(d, &dir.join("to.sql"));
            for (a, b) in [(&from, &to), (&to, &from)] {
                let Ok(sql) = dialect::render_script(&diff::diff(a, b), d) else {
                    continue;
                };
                let script = lint::Script {
                    path: "up.sql",
                    sql: &sql,
                    no_transaction: false,
                };
                if let Err(e) = lint::lint_script(a, a, script, &LintConfig::default()) {
                    panic!("{name} ({d}): {e}\n{sql}");
                }
                linted += 1;
            }
        }
    }
    assert!(linted > 150, "only {linted} scripts linted");
}

const CUSTOMERS: &str = "CREATE TABLE customers (id integer PRIMARY KEY, name text, email text);\n";
const TIGHTER: &str = "CREATE TABLE customers (id integer PRIMARY KEY, name text, email text NOT NULL UNIQUE, note text NOT NULL);\n";

fn newest_up(ws: &Workspace) -> String {
    let last = ws.migration_dirs().pop().unwrap();
    ws.read(&format!("migrations/{last}/up.sql"))
}

#[test]
fn new_counts_rows_in_the_sqlite_database() {
    let ws = Workspace::new("sqlite", CUSTOMERS);
    ws.migrate(&["new", "init"]).success();
    // No database yet: warnings without counts, said once.
    ws.write("schema.sql", TIGHTER);
    let run = ws.migrate(&["new", "tighten"]).success();
    assert_eq!(
        run.stderr().matches("were not counted").count(),
        1,
        "{}",
        run.stderr()
    );
    let up = newest_up(&ws);
    assert!(
        up.contains("-- WARNING [MF101]: adds NOT NULL column `customers.note`"),
        "{up}"
    );
    assert!(!up.contains("rows now"), "{up}");
    // Start again from the applied first migration, with rows.
    let last = ws.migration_dirs().pop().unwrap();
    std::fs::remove_dir_all(ws.path(&format!("migrations/{last}"))).unwrap();
    ws.migrate(&["hash"]).success();
    ws.migrate(&["apply"]).success();
    ws.db()
        .execute_batch(
            "INSERT INTO customers (name, email) VALUES ('a', NULL), ('b', 'x'), ('c', 'x'), ('d', 'y');",
        )
        .unwrap();
    let run = ws.migrate(&["new", "tighten"]).success();
    let up = newest_up(&ws);
    for expected in [
        "-- WARNING [MF101]",
        "`customers` has 4 rows now",
        "-- WARNING [MF102]",
        "1 row of `customers` holds NULL in email",
        "-- WARNING [MF103]",
        "1 value of (email) occurs in more than one row of `customers`",
    ] {
        assert!(up.contains(expected), "{expected:?} not in\n{up}");
        assert!(
            run.stderr()
                .contains(expected.trim_start_matches("-- WARNING "))
                || expected.starts_with("--"),
            "{}",
            run.stderr()
        );
    }
    assert!(
        run.stderr()
            .contains("[MF102] makes `customers.email` NOT NULL"),
        "{}",
        run.stderr()
    );
    // The warnings are above the statement they are about, and the file's
    // line in the message is that statement's.
    let line: usize = run
        .stderr()
        .split("up.sql:")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(
        up.lines()
            .nth(line - 1)
            .unwrap()
            .starts_with("CREATE TABLE new_customers"),
        "{line}\n{up}"
    );
    // And the migration fails as announced.
    ws.migrate(&["apply"]).failure();
}

#[test]
fn new_counts_rows_in_the_postgres_database() {
    let Some(mut db) = TestDb::new() else { return };
    let before = "CREATE TYPE mood AS ENUM ('happy', 'sad', 'meh');\n\
                  CREATE TABLE a (id integer PRIMARY KEY);\n\
                  CREATE TABLE c (id integer PRIMARY KEY, name varchar(100), email text, age text, a_id integer, m mood);\n";
    let ws = Workspace::new("postgres", before);
    let url = db.url.clone();
    let with_db = |args: &[&str]| {
        let output = ws.command(args).env("DATABASE_URL", &url).output().unwrap();
        common::workspace::Run { output }
    };
    with_db(&["new", "init"]).success();
    with_db(&["apply"]).success();
    db.exec(
        "INSERT INTO a VALUES (1);\n\
         INSERT INTO c VALUES (1, 'a', NULL, 'x', 1, 'meh'), (2, repeat('b', 30), 'x', '12', 7, 'happy'), (3, 'c', 'x', '3', NULL, 'sad');",
    );
    ws.write(
        "schema.sql",
        "CREATE TYPE mood AS ENUM ('happy', 'sad');\n\
         CREATE TABLE a (id integer PRIMARY KEY);\n\
         CREATE TABLE c (id integer PRIMARY KEY, name varchar(20), email text NOT NULL UNIQUE, age integer,\n\
           a_id integer REFERENCES a (id), m mood, note text NOT NULL, CHECK (id > 1));\n",
    );
    let run = with_db(&["new", "tighten"]).success();
    let up = newest_up(&ws);
    for expected in [
        "[DS104]",
        "1 row of `c` holds 'meh' in `m`",
        "[DS105]",
        "1 row of `c` holds a `name` longer than 20 characters",
        "[MF102]",
        "1 row of `c` holds NULL in email",
        "[MF107]",
        "3 rows of `c` hold a value in `age` to convert",
        "[MF101]",
        "`c` has 3 rows now",
        "[MF103]",
        "1 value of (email) occurs in more than one row of `c`",
        "[MF105]",
        "1 row of `c` fails the check",
        "[MF106]",
        "1 row of `c` references no row of `a`",
    ] {
        assert!(up.contains(expected), "{expected:?} not in\n{up}");
        assert!(
            run.stderr().contains(expected),
            "{expected:?} not in\n{}",
            run.stderr()
        );
    }
    // The counts read; they change nothing.
    let rows: i64 = db
        .client
        .query_one("SELECT count(*) FROM c", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, 3);
    // Locking rules are for `lint`, not for `new`'s warnings.
    assert!(!up.contains("[PG10"), "{up}");
}

#[test]
fn an_unreachable_database_means_no_counts() {
    let ws = Workspace::new("postgres", CUSTOMERS);
    ws.migrate(&["new", "init"]).success();
    ws.write("schema.sql", TIGHTER);
    let url = "postgres://postgres:hunter2@127.0.0.1:1/nowhere";
    let run = ws
        .migrate(&["--database-url", url, "new", "tighten"])
        .success();
    let stderr = run.stderr();
    assert_eq!(stderr.matches("cannot reach").count(), 1, "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    let up = newest_up(&ws);
    assert!(up.contains("-- WARNING [MF101]"), "{up}");
    assert!(!up.contains("rows now") && !up.contains("hunter2"), "{up}");
}

fn pg_workspace_with(migration: &str) -> Workspace {
    let ws = Workspace::new("postgres", CUSTOMERS);
    ws.migrate(&["new", "init"]).success();
    ws.write("migrations/20990101000000_by_hand/up.sql", migration);
    ws.migrate(&["hash"]).success();
    ws
}

#[test]
fn lint_exit_codes_and_formats() {
    let ws = pg_workspace_with("CREATE INDEX CONCURRENTLY customers_email ON customers (email);\n");
    let run = ws.migrate(&["lint", "--latest", "1"]).code_is(2);
    let out = run.stdout();
    assert!(
        out.contains("error[PG102]: CONCURRENTLY cannot run inside a transaction block"),
        "{out}"
    );
    assert!(
        out.contains("--> migrations/20990101000000_by_hand/up.sql:1:1"),
        "{out}"
    );
    assert!(out.contains("1 | CREATE INDEX CONCURRENTLY"), "{out}");
    assert!(
        run.stderr()
            .contains("1 migration(s): 1 error(s), 0 warning(s)"),
        "{}",
        run.stderr()
    );

    let run = ws
        .migrate(&["lint", "--latest", "1", "--format", "json"])
        .code_is(2);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(json["errors"], 1);
    assert_eq!(json["migrations"], 1);
    let first = &json["findings"][0];
    assert_eq!(first["code"], "PG102");
    assert_eq!(first["name"], "concurrently-in-transaction");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["path"], "migrations/20990101000000_by_hand/up.sql");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(1), Some(1))
    );

    let run = ws
        .migrate(&["lint", "--latest", "1", "--format", "github"])
        .code_is(2);
    assert!(
        run.stdout().lines().any(|l| l.starts_with(
            "::error file=migrations/20990101000000_by_hand/up.sql,line=1,col=1,title=PG102 concurrently-in-transaction::CONCURRENTLY"
        )),
        "{}",
        run.stdout()
    );

    // In a migration of its own outside a transaction, it is what the rule asks for.
    ws.write(
        "migrations/20990101000000_by_hand/up.sql",
        "-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY customers_email ON customers (email);\n",
    );
    ws.migrate(&["hash"]).success();
    let run = ws.migrate(&["lint", "--latest", "1"]).success();
    assert_eq!(run.stdout().trim(), "", "{}", run.stdout());
    // Only the first migration: nothing that locks.
    let run = ws.migrate(&["lint", "--all", "--format", "json"]).success();
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(json["migrations"], 2);
    assert_eq!(json["findings"].as_array().unwrap().len(), 0, "{json:#}");
    // A migration the interpreter cannot read is an error with its location.
    ws.write(
        "migrations/20990101000000_by_hand/up.sql",
        "ALTER TABLE nowhere ADD COLUMN x int;\n",
    );
    ws.migrate(&["hash"]).success();
    ws.migrate(&["lint", "--all"])
        .code_is(1)
        .stderr_has("up.sql:1:1");
}

#[test]
fn lint_suppression_and_configuration() {
    let ws = pg_workspace_with("ALTER TABLE customers DROP COLUMN name;\n");
    let run = ws
        .migrate(&["lint", "--latest", "1", "--format", "json"])
        .success();
    let codes = |run: &common::workspace::Run| -> Vec<String> {
        let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(codes(&run), ["DS102", "BC103", "PG108"]);
    ws.write(
        "migrations/20990101000000_by_hand/up.sql",
        "SET lock_timeout = '2s';\n-- migrate:lint-ignore DS102 the column was never read\nALTER TABLE customers DROP COLUMN name;\n",
    );
    ws.migrate(&["hash"]).success();
    let run = ws
        .migrate(&["lint", "--latest", "1", "--format", "json"])
        .success();
    assert_eq!(codes(&run), ["BC103"]);
    let manifest = ws.read("Cargo.toml");
    ws.write(
        "Cargo.toml",
        &format!("{manifest}\n[workspace.metadata.migrate.lint]\ndrop-in-use = \"error\"\n"),
    );
    let run = ws.migrate(&["lint", "--latest", "1"]).code_is(2);
    assert!(run.stdout().contains("error[BC103]"), "{}", run.stdout());
    ws.write(
        "Cargo.toml",
        &format!("{manifest}\n[workspace.metadata.migrate.lint]\nBC103 = \"off\"\n"),
    );
    let run = ws
        .migrate(&["lint", "--latest", "1", "--format", "json"])
        .success();
    assert!(codes(&run).is_empty());
    ws.write(
        "Cargo.toml",
        &format!("{manifest}\n[workspace.metadata.migrate.lint]\nBC999 = \"off\"\n"),
    );
    ws.migrate(&["lint", "--all"])
        .code_is(1)
        .stderr_has("lint.BC999: unknown lint rule");
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn lint_selects_what_the_git_base_does_not_have() {
    let ws = Workspace::new("sqlite", CUSTOMERS);
    ws.migrate(&["new", "init"]).success();
    ws.migrate(&["lint"])
        .code_is(1)
        .stderr_has("not in a git repository")
        .stderr_has("--latest N or --all");
    git(ws.root(), &["init", "-q"]);
    git(ws.root(), &["add", "."]);
    git(ws.root(), &["commit", "-qm", "init"]);
    git(ws.root(), &["branch", "-M", "main"]);
    git(ws.root(), &["checkout", "-qb", "feature"]);
    ws.write(
        "migrations/20990101000000_drop/up.sql",
        "DROP TABLE customers;\n",
    );
    ws.migrate(&["hash"]).success();
    let run = ws.migrate(&["lint", "--format", "json"]).success();
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(json["migrations"], 1, "{json:#}");
    assert_eq!(json["findings"][0]["code"], "DS101", "{json:#}");
    // Committed on the branch, still new to main.
    git(ws.root(), &["add", "."]);
    git(ws.root(), &["commit", "-qm", "drop"]);
    let run = ws
        .migrate(&["lint", "--git-base", "main", "--format", "json"])
        .success();
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(json["migrations"], 1, "{json:#}");
    let run = ws
        .migrate(&["lint", "--git-base", "HEAD", "--format", "json"])
        .success();
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(json["migrations"], 0, "{json:#}");
    ws.migrate(&["lint", "--git-base", "no-such-branch"])
        .code_is(1)
        .stderr_has("git revision `no-such-branch` not found");
}

#[test]
fn check_lints_the_newest_migration() {
    // `check` on PostgreSQL wants a database to compare with.
    let Some(db) = TestDb::new() else { return };
    let ws = pg_workspace_with("CREATE INDEX CONCURRENTLY customers_email ON customers (email);\n");
    let check = || {
        let output = ws
            .command(&["check"])
            .env("DATABASE_URL", &db.url)
            .output()
            .unwrap();
        common::workspace::Run { output }
    };
    ws.write(
        "schema.sql",
        &format!("{CUSTOMERS}CREATE INDEX customers_email ON customers (email);\n"),
    );
    let run = check().code_is(2);
    assert!(
        run.stdout().contains("[PG102] CONCURRENTLY cannot run"),
        "{}",
        run.stdout()
    );
    ws.write(
        "migrations/20990101000000_by_hand/up.sql",
        "CREATE INDEX customers_email ON customers (email);\n",
    );
    ws.migrate(&["hash"]).success();
    let run = check().success();
    assert!(
        run.stderr()
            .contains("warning: migrations/20990101000000_by_hand/up.sql:1:1: [PG101]"),
        "{}",
        run.stderr()
    );
}
