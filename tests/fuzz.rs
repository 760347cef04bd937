//! Property tests that feed arbitrary and mutated input to everything that
//! reads user files or strings: none may panic. 256 cases per target by
//! default; `FUZZ_CASES=100000 cargo test --release --test fuzz` for more.
//!
//! Each target only asserts that the call returns (`Ok` or `Err`); a panic
//! fails the case and proptest shrinks it to the smallest input.

use std::path::Path;
use std::sync::OnceLock;

use cargo_migrate::url::{self, UrlSource};
use migrate_build::Dialect;
use migrate_build::config::Config;
use migrate_build::ddl::{self, SourceFile};
use migrate_build::migrations::lock::Lock;
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces that open and close the splitter's and the parsers' states.
const SQL_PIECES: &[&str] = &[
    "'",
    "\"",
    "`",
    "$$",
    "$a$",
    "$1",
    "E'",
    "U&'",
    "\\",
    "/*",
    "*/",
    "--",
    ";",
    "\n",
    " ",
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    "::",
    "=",
    "é",
    "\u{feff}",
    "\0",
    "\r\n",
    "BEGIN",
    "ATOMIC",
    "END",
    "CASE",
    "WHEN",
    "CREATE",
    "OR REPLACE",
    "TABLE",
    "TEMP",
    "TRIGGER",
    "FUNCTION",
    "PROCEDURE",
    "RETURN",
    "RETURNS",
    "AS",
    "SELECT",
    "FROM",
    "ALTER",
    "DROP",
    "INDEX",
    "UNIQUE",
    "VIEW",
    "TYPE",
    "ENUM",
    "SEQUENCE",
    "ADD",
    "COLUMN",
    "CONSTRAINT",
    "PRIMARY KEY",
    "REFERENCES",
    "FOREIGN KEY",
    "CHECK",
    "DEFAULT",
    "NOT NULL",
    "GENERATED ALWAYS AS IDENTITY",
    "int",
    "text",
    "serial",
    "varchar(3)",
    "numeric(10,2)",
    "t",
    "u",
    "x",
    "\"Q\"",
    "1",
    "-1",
    "PASSWORD",
    "ROLE",
    "ON",
    "USING",
    "IF NOT EXISTS",
    "IF EXISTS",
    "CASCADE",
    "RENAME",
    "TO",
    "COMMENT",
    "IS",
    "INSERT INTO",
    "VALUES",
    "SET",
    "\\c",
    "WITHOUT ROWID",
    "AUTOINCREMENT",
    "(SELECT ",
    "))))",
    "((((",
];

fn sql_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(SQL_PIECES), 0..60).prop_map(|v| v.concat())
}

/// Any text, or SQL-shaped text.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), sql_soup()]
}

/// Real SQL to mutate: the catalogue's schemas and the corpora's migrations.
fn samples() -> &'static [String] {
    static SAMPLES: OnceLock<Vec<String>> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        let push_dir = |dir: &Path, depth: usize, out: &mut Vec<String>| {
            fn walk(dir: &Path, depth: usize, out: &mut Vec<String>) {
                let Ok(entries) = std::fs::read_dir(dir) else {
                    return;
                };
                let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
                paths.sort();
                for p in paths {
                    if p.is_dir() && depth > 0 {
                        walk(&p, depth - 1, out);
                    } else if p.extension().is_some_and(|e| e == "sql")
                        && let Ok(text) = std::fs::read_to_string(&p)
                        && text.len() < 20_000
                    {
                        out.push(text);
                    }
                }
            }
            walk(dir, depth, out);
        };
        push_dir(&root.join("tests/cases"), 1, &mut out);
        push_dir(&root.join("../shared/corpora"), 4, &mut out);
        out.push(
            "CREATE TABLE a (id int PRIMARY KEY, b text DEFAULT 'x;y' CHECK (b <> ''));\n\
             CREATE INDEX a_b ON a (lower(b)) WHERE id > 0;\n\
             CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT x; END;\n\
             CREATE TRIGGER tr AFTER INSERT ON a BEGIN UPDATE a SET b = 'z'; END;\n"
                .to_string(),
        );
        out
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    Insert(usize, &'static str),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), prop::sample::select(SQL_PIECES))
            .prop_map(|(a, p)| Mutation::Insert(a, p)),
        (any::<usize>(), 1..40usize).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (any::<usize>(), 1..80usize).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

/// The nearest char boundary at or before `at % (len + 1)`.
fn boundary(s: &str, at: usize) -> usize {
    let mut i = at % (s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(base: &str, mutations: &[Mutation]) -> String {
    let mut s = base.to_string();
    for m in mutations {
        match *m {
            Mutation::Insert(at, piece) => {
                let i = boundary(&s, at);
                s.insert_str(i, piece);
            }
            Mutation::Delete(at, n) => {
                let i = boundary(&s, at);
                let j = boundary(&s, i.saturating_add(n).min(s.len()));
                s.replace_range(i..j.max(i), "");
            }
            Mutation::Duplicate(at, n) => {
                let i = boundary(&s, at);
                let j = boundary(&s, i.saturating_add(n).min(s.len()));
                let piece = s[i..j.max(i)].to_string();
                s.insert_str(i, &piece);
            }
            Mutation::Truncate(at) => {
                let i = boundary(&s, at);
                s.truncate(i);
            }
        }
    }
    s
}

fn mutated_sql() -> impl Strategy<Value = String> {
    (
        any::<prop::sample::Index>(),
        prop::collection::vec(mutation(), 1..6),
    )
        .prop_map(|(i, ms)| mutate(&samples()[i.index(samples().len())], &ms))
}

fn interpret(sql: &str) {
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        let file = SourceFile {
            path: "fuzz.sql",
            sql,
        };
        let _ = ddl::parse_schema(dialect, &[file]);
    }
}

/// The splitter's statements are slices of the input, in order, and the
/// positions it reports are inside the text.
fn split(sql: &str) {
    match ddl::split_statements(sql) {
        Ok(statements) => {
            let lines = sql.split('\n').count();
            for s in statements {
                assert!(sql.contains(s.text));
                assert!(s.line >= 1 && s.line <= lines, "{s:?}");
                assert!(s.column >= 1);
            }
        }
        Err(e) => assert!(e.line >= 1 && e.column >= 1),
    }
    let _ = ddl::has_sql_standard_body(sql);
    let redacted = ddl::redact_passwords(sql);
    let _ = ddl::password_literals(&redacted);
}

const URL_PIECES: &[&str] = &[
    "postgres://",
    "postgresql://",
    "sqlite:",
    "sqlite://",
    "sqlite:///",
    "u",
    ":",
    "pw",
    "@",
    "/",
    "?",
    "#",
    "&",
    "=",
    "%",
    "%4",
    "%40",
    "%ff",
    "[",
    "]",
    "::1",
    "h",
    ",",
    "5432",
    "db",
    "sslmode",
    "verify-full",
    "password",
    "host",
    "port",
    " ",
    "'",
    "\\",
    "é",
    "sslrootcert",
    "options",
    "-c",
    "user",
];

const LOCK_PIECES: &[&str] = &[
    "sum ",
    "dialect ",
    "postgres",
    "sqlite",
    "\n",
    " ",
    "20200101000000_a ",
    "3c1f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "\r\n",
    "\u{feff}",
    "é",
    "_",
    "x",
];

const CONFIG_PIECES: &[&str] = &[
    "[workspace]\n",
    "[package]\n",
    "[workspace.metadata.migrate]\n",
    "[package.metadata.migrate]\n",
    "dialect",
    "schema",
    "migrations",
    "database_url",
    "database-url",
    "history_table",
    "pg_schema",
    " = ",
    "\"sqlite\"",
    "\"postgres\"",
    "\"\"",
    "[\"a.sql\", \"b\"]",
    "[]",
    "3",
    "{ x = 1 }",
    "\n",
    "'",
    "\"",
    "é",
    "metadata",
    "migrate",
    ".",
    "=",
    "[",
    "]",
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn splitter_never_panics(sql in text()) {
        split(&sql);
    }

    #[test]
    fn splitter_never_panics_on_mutated_sql(sql in mutated_sql()) {
        split(&sql);
    }

    #[test]
    fn interpreter_never_panics(sql in text()) {
        interpret(&sql);
    }

    #[test]
    fn interpreter_never_panics_on_mutated_sql(sql in mutated_sql()) {
        interpret(&sql);
    }

    #[test]
    fn url_parser_never_panics(
        raw in prop_oneof![
            any::<String>(),
            prop::collection::vec(prop::sample::select(URL_PIECES), 0..24).prop_map(|v| v.concat()),
        ],
    ) {
        for dialect in [Dialect::Postgres, Dialect::Sqlite] {
            if let Ok(u) = url::parse(&raw, UrlSource::Flag, Path::new("/ws"), dialect) {
                let _ = u.redacted();
            }
        }
        let _ = url::postgres_options(&raw);
    }

    #[test]
    fn lock_parser_never_panics(
        text in prop_oneof![
            any::<String>(),
            prop::collection::vec(prop::sample::select(LOCK_PIECES), 0..30).prop_map(|v| v.concat()),
        ],
    ) {
        let _ = Lock::parse(&text, Path::new("migrations/migrate.lock"));
    }

    #[test]
    fn config_reader_never_panics(
        table in prop_oneof![
            any::<String>(),
            prop::collection::vec(prop::sample::select(CONFIG_PIECES), 0..30).prop_map(|v| v.concat()),
        ],
    ) {
        let dir = tempfile::tempdir().unwrap();
        let manifest = dir.path().join("Cargo.toml");
        std::fs::write(&manifest, &table).unwrap();
        if let Ok(Some(config)) = Config::from_manifest(&manifest) {
            let _ = config.schema_files();
        }
        let _ = Config::find(dir.path());
    }
}

/// Deep nesting: sqlparser stops at its recursion limit; nothing of ours may
/// overflow the stack walking what it returns.
#[test]
fn deeply_nested_input_is_an_error_or_a_model_not_a_crash() {
    for n in [10, 40, 49, 50, 51, 200, 5_000] {
        let open = "(".repeat(n);
        let close = ")".repeat(n);
        for sql in [
            format!("CREATE TABLE t (a int DEFAULT {open}1{close});"),
            format!("CREATE TABLE t (a int CHECK {open}a > 0{close});"),
            format!("CREATE TABLE t (a int); CREATE INDEX i ON t {open}a{close};"),
            format!("CREATE TABLE t (a int); CREATE VIEW v AS SELECT {open}a{close} AS b FROM t;"),
            format!(
                "CREATE TABLE t (a int); CREATE TABLE u AS SELECT {} 1 {} AS b;",
                "(SELECT ".repeat(n.min(300)),
                ")".repeat(n.min(300))
            ),
            format!("CREATE TABLE t (a {open}int{close});"),
            format!("CREATE TABLE t (a int DEFAULT {});", "-".repeat(n)),
            format!("CREATE TABLE t (a int DEFAULT {}1);", "NOT ".repeat(n)),
        ] {
            interpret(&sql);
            split(&sql);
        }
    }
}
