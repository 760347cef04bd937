//! The server is the oracle for expressions: every expression below is
//! written on a real PostgreSQL as a user writes it (a default, a CHECK, an
//! index expression, a partial-index predicate), read back from the catalog,
//! and the interpreter's model of the same SQL must equal what was read.
//! Then the whole schema goes through `new` and `apply`, and the database
//! must show no drift from `schema.sql`.

mod common;

use cargo_migrate::introspect::postgres::introspect;
use migrate_build::Dialect;
use migrate_build::ddl::{SourceFile, parse_schema};
use migrate_build::schema::{IndexExpr, QualifiedName, Schema, Table};

use common::pg::TestDb;
use common::workspace::Workspace;

const PG: Dialect = Dialect::Postgres;

/// Objects the cases use.
const PRELUDE: &str = "CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog;\n\
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n\
CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');\n\
CREATE SEQUENCE x_seq;\n\
CREATE FUNCTION twice(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 * 2';\n";

/// (column type, default as a user writes it).
const DEFAULTS: &[(&str, &str)] = &[
    ("text", "'a'"),
    ("text", "'it''s'"),
    ("varchar(10)", "'a'"),
    ("varchar(10)", "NULL"),
    ("varchar(10)", "NULL::character varying"),
    ("int", "NULL"),
    ("int", "INT '1'"),
    ("int", "-1"),
    ("int", "- 1"),
    ("int", "(1)"),
    ("int", "1 + 2"),
    ("bigint", "nextval('x_seq'::regclass)"),
    ("bigint", "nextval('public.x_seq'::regclass)"),
    ("bigint", "nextval('x_seq')"),
    ("numeric", "1.0"),
    ("numeric(10,2)", "-1.5"),
    ("double precision", "1.5e3"),
    ("real", "0"),
    ("interval", "interval '1' day"),
    ("interval", "interval '1 day'"),
    ("interval", "'90 minutes'"),
    ("date", "DATE '2020-01-01'"),
    ("date", "'2020-01-01'"),
    ("date", "CURRENT_DATE"),
    ("timestamptz", "now()"),
    ("timestamptz", "CURRENT_TIMESTAMP"),
    ("timestamp", "LOCALTIMESTAMP"),
    ("timestamptz", "now() + '1 day'::interval"),
    ("timestamptz", "(now() + interval '1 day')"),
    ("timestamptz", "date_trunc('day', now())"),
    ("timestamptz", "TIMESTAMPTZ '2020-01-01 00:00:00+00'"),
    ("timestamp", "'epoch'"),
    ("jsonb", "'{}'::jsonb"),
    ("jsonb", "'{}'"),
    ("json", "'[]'"),
    ("text[]", "ARRAY[]::text[]"),
    ("text[]", "'{}'::text[]"),
    ("text[]", "'{}'"),
    ("text[]", "ARRAY['a', 'b']"),
    ("int[]", "ARRAY[1, 2]"),
    ("boolean", "true"),
    ("boolean", "'t'"),
    ("bool", "FALSE"),
    ("uuid", "gen_random_uuid()"),
    ("text", "'a' || 'b'"),
    ("text", "CAST(1 AS text)"),
    ("text", "1::text"),
    ("int", "COALESCE(NULL, 1)"),
    ("text", "lower('A')"),
    ("text", "CURRENT_USER"),
    ("text", "E'a\\nb'"),
    ("mood", "'sad'"),
    ("public.mood", "'sad'::public.mood"),
    ("email", "'a@b'"),
    ("public.email", "'a@b'::public.email"),
    ("int", "twice(2)"),
    ("int", "public.twice(2)"),
    ("timestamptz", "CURRENT_TIMESTAMP(3)"),
    ("time", "LOCALTIME"),
    ("timetz", "CURRENT_TIME"),
    ("text", "SESSION_USER"),
    ("timestamp", "(now() AT TIME ZONE 'utc')"),
    ("timestamp", "timezone('utc', now())"),
    ("date", "(now())::date"),
    ("timestamptz", "clock_timestamp()"),
    ("bigint", "extract(epoch from now())::bigint"),
    ("jsonb", "'{\"a\": 1}'::jsonb"),
    ("jsonb", "jsonb_build_object('a', 1)"),
    ("text", "'a'::text || 'b'"),
    ("text", "gen_random_uuid()::text"),
    ("text", "to_char(now(), 'YYYY')"),
    ("int", "GREATEST(1, 2)"),
    ("int", "abs(-1)"),
    ("numeric", "round(1.234, 2)"),
    ("text", "$$dollar$$"),
];

/// (column type, boolean expression over `x`): a CHECK, and a partial-index
/// predicate when the server accepts it there (immutable).
const PREDICATES: &[(&str, &str)] = &[
    ("text", "x IN ('a', 'b')"),
    ("varchar(10)", "x IN ('a', 'b')"),
    ("varchar(10)", "x NOT IN ('a', 'b')"),
    ("char(2)", "x IN ('a', 'b')"),
    ("int", "x IN (1, 2, 3)"),
    ("text", "x = SOME (ARRAY['a', 'b'])"),
    ("text", "x = ANY (ARRAY['a', 'b'])"),
    ("text", "x = ANY ('{a,b}'::text[])"),
    ("int", "x = ANY (ARRAY[1, 2])"),
    ("int", "x > 0 AND x < 10 OR x = 100"),
    ("int", "(x > 0 AND x < 10) OR x = 100"),
    ("int", "x > 0 AND (x < 10 OR x = 100)"),
    ("int", "x > 0 AND x > 1 AND x > 2"),
    ("int", "x > 0 OR x > 1 OR x > 2"),
    ("int", "NOT (x > 0 AND x < 10)"),
    ("int", "NOT x > 0"),
    ("text", "x OPERATOR(pg_catalog.~) '^a'"),
    ("text", "x ~ '^a'"),
    ("text", "x ~* '^a'"),
    ("text", "x !~ 'a'"),
    ("text", "x ~ '^[a-z]+$'::text"),
    ("int", "x BETWEEN 1 AND 10"),
    ("int", "x NOT BETWEEN 1 AND 10"),
    ("text", "x LIKE 'a%'"),
    ("text", "x ILIKE 'a%'"),
    ("text", "x NOT LIKE 'a%'"),
    ("text", "x NOT ILIKE 'a%'"),
    ("int", "x <> 0"),
    ("int", "x != 0"),
    ("int", "x IS NOT DISTINCT FROM 1"),
    ("int", "x IS DISTINCT FROM 1"),
    ("int", "x IS NOT NULL"),
    ("text", "x IS NULL OR x <> ''"),
    ("int", "CASE WHEN x > 0 THEN true ELSE false END"),
    ("int", "CASE x WHEN 1 THEN true ELSE false END"),
    ("int", "COALESCE(x, 0) >= 0"),
    ("text", "CAST(x AS int) > 0"),
    ("text", "x::int > 0"),
    ("int", "x::text <> ''"),
    ("text", "length(x) > 0"),
    ("text", "char_length(x) BETWEEN 1 AND 100"),
    ("jsonb", "x ->> 'a' IS NOT NULL"),
    ("jsonb", "x -> 'a' = '1'::jsonb"),
    ("jsonb", "x @> '{\"a\": 1}'"),
    ("jsonb", "jsonb_typeof(x) = 'object'"),
    ("text", "x || 'a' <> 'b'"),
    ("numeric", "x >= 1.0"),
    ("numeric", "x >= 0.5"),
    ("int", "x > -1"),
    ("int", "x % 2 = 0"),
    ("int", "(x + 1) * 2 > 0"),
    ("int", "x + 1 * 2 > 0"),
    ("boolean", "x = true"),
    ("boolean", "x IS TRUE"),
    ("boolean", "NOT x"),
    ("timestamptz", "x > '2020-01-01'"),
    ("date", "x > DATE '2020-01-01'"),
    ("timestamptz", "x < now() + interval '1 day'"),
    ("timestamp", "date_trunc('day', x) = x"),
    ("interval", "x > interval '1' day"),
    ("text", "x = lower(x)"),
    ("text", "x = CURRENT_USER"),
    ("uuid", "x <> '00000000-0000-0000-0000-000000000000'"),
    ("text[]", "array_length(x, 1) > 0"),
    ("text[]", "x <> '{}'"),
    ("text[]", "cardinality(x) < 5"),
    ("int[]", "x[1] > 0"),
    ("int", "twice(x) > 0"),
    ("int", "public.twice(x) > 0"),
    ("mood", "x <> 'sad'"),
    ("mood", "x IN ('sad', 'ok')"),
    ("email", "x <> 'a@b'"),
    // As pg_dump writes them, with an empty search_path.
    (
        "varchar(10)",
        "((x)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
    ),
    ("text", "(x OPERATOR(pg_catalog.~~) 'a%'::text)"),
    ("int", "(public.twice(x) > 0)"),
    ("int", "((x > 0) AND ((x < 10) OR (x = 100)))"),
    ("text", "(x ~~ 'a%'::text)"),
    ("text", "x SIMILAR TO 'a%'"),
    ("text", "position('a' in x) > 0"),
    ("text", "substring(x from 1 for 2) <> ''"),
    ("text", "x IN ('a')"),
    ("int", "x NOT IN (1)"),
    ("timestamp", "extract(year from x) > 2000"),
    ("timestamptz", "(x AT TIME ZONE 'utc') > '2020-01-01'"),
    ("text", "x COLLATE \"C\" > 'a'"),
    ("text", "NULLIF(x, '') IS NOT NULL"),
    ("int", "GREATEST(x, 0) = x"),
    ("int", "LEAST(x, 10) = x"),
    ("int[]", "x <@ '{1,2}'"),
    ("int[]", "x && ARRAY[1]"),
    ("jsonb", "x ? 'a'"),
    ("jsonb", "x ?| ARRAY['a', 'b']"),
    ("jsonb", "x #>> '{a,b}' <> ''"),
    ("jsonb", "(x - 'a') <> '{}'"),
    ("int", "x ^ 2 > 1"),
    ("int", "|/ x > 1"),
    ("int", "@ x > 1"),
    ("text", "x::text::int > 0"),
    ("timestamptz", "x::date > '2020-01-01'"),
    ("text", "x ~ E'^\\\\d+$'"),
    ("text", "trim(x) = x"),
    ("text", "upper(x) = x"),
    ("text", "x IS NOT NULL AND x <> '' AND length(x) < 10"),
    ("int", "x IS NULL OR x BETWEEN 1 AND 5"),
    ("int", "CASE WHEN x < 0 THEN -x ELSE x END < 100"),
    ("text", "substring(x, 1, 2) <> ''"),
    ("text", "substr(x, 1) <> ''"),
    ("text", "left(x, 2) <> right(x, 2)"),
    ("text", "overlay(x placing 'a' from 1 for 1) <> ''"),
    ("text", "x NOT SIMILAR TO 'a%'"),
    ("text", "split_part(x, ',', 1) <> ''"),
    ("text", "x ~ ('^' || 'a')"),
    ("text", "x = ''::text OR x = ' '"),
    ("numeric", "x = 1.50"),
    ("numeric", "x > -0.5"),
    ("double precision", "x > 1e-3"),
    ("bigint", "x > 9223372036854775806"),
    ("timestamptz", "x > now() - interval '7 days'"),
    ("timestamptz", "x > now() - '1 year 2 months'::interval"),
    ("interval", "x < '1 hour 30 minutes'"),
    ("date", "x BETWEEN '2020-01-01' AND CURRENT_DATE"),
    ("boolean", "x IS NOT FALSE"),
    ("uuid", "x IS NOT NULL"),
    ("numeric", "ceil(x) = floor(x + 1.0)"),
    ("double precision", "ceiling(x) > 0"),
];

/// (column type, index expression over `x`).
const INDEX_EXPRS: &[(&str, &str)] = &[
    ("text", "lower(x)"),
    ("text", "(lower(x))"),
    ("text", "((lower(x)))"),
    ("jsonb", "(x ->> 'a')"),
    ("text", "(x || 'a')"),
    ("text", "coalesce(x, '')"),
    ("timestamp", "date_trunc('day', x)"),
    ("text", "md5(x)"),
    ("int", "(x + 1)"),
    ("text", "substr(x, 1, 3)"),
    ("text", "(x::varchar(10))"),
    ("int", "twice(x)"),
    ("int", "public.twice(x)"),
    ("text", "upper(x) COLLATE \"C\""),
    ("jsonb", "(x -> 'a')"),
    ("jsonb", "((x ->> 'a')::int)"),
    ("timestamptz", "(x AT TIME ZONE 'utc')"),
    ("jsonb", "jsonb_extract_path_text(x, 'a', 'b')"),
];

/// (column type, generated column's type, its expression over `x`).
const GENERATED: &[(&str, &str, &str)] = &[
    ("int", "int", "x * 2"),
    ("text", "text", "lower(x)"),
    ("text", "text", "x || '-' || x"),
    ("jsonb", "text", "x ->> 'a'"),
    ("int", "boolean", "x IN (1, 2)"),
    ("int", "text", "CASE WHEN x > 0 THEN 'pos' ELSE 'neg' END"),
    ("numeric(10,2)", "numeric", "round(x * 1.2, 2)"),
    (
        "text",
        "tsvector",
        "to_tsvector('english'::regconfig, coalesce(x, ''))",
    ),
];

/// Column types written as users write them.
const TYPES: &[&str] = &[
    "int[]",
    "int[][]",
    "integer[3]",
    "text ARRAY",
    "email",
    "public.email",
    "mood",
    "public.mood",
    "mood[]",
    "timestamp(3)",
    "varchar",
    "char",
    "numeric(10)",
    "bit(3)",
    "double precision",
];

/// Runs `sql` on the server; whether it was accepted.
fn accepted(db: &mut TestDb, sql: &str) -> bool {
    db.client.batch_execute(sql).is_ok()
}

/// Builds the schema on the server statement by statement, keeping only
/// what the server accepts (an index predicate must be immutable), and
/// returns the SQL it accepted: the same text the interpreter will read.
fn build(db: &mut TestDb) -> String {
    let mut sql = String::from(PRELUDE);
    db.exec(PRELUDE);
    let add = |db: &mut TestDb, sql: &mut String, statement: String| {
        if accepted(db, &statement) {
            sql.push_str(&statement);
            sql.push('\n');
        }
    };
    for (i, (ty, default)) in DEFAULTS.iter().enumerate() {
        let table = format!("CREATE TABLE d{i} (x {ty} DEFAULT {default});");
        db.exec(&table);
        sql.push_str(&table);
        sql.push('\n');
    }
    for (i, (ty, predicate)) in PREDICATES.iter().enumerate() {
        let table =
            format!("CREATE TABLE p{i} (x {ty}, CONSTRAINT p{i}_check CHECK ({predicate}));");
        db.exec(&table);
        sql.push_str(&table);
        sql.push('\n');
        add(
            db,
            &mut sql,
            format!("CREATE INDEX p{i}_partial ON p{i} (x) WHERE {predicate};"),
        );
    }
    for (i, (ty, expr)) in INDEX_EXPRS.iter().enumerate() {
        let table = format!("CREATE TABLE e{i} (x {ty});");
        db.exec(&table);
        sql.push_str(&table);
        sql.push('\n');
        let column = if expr.starts_with('(') {
            expr.to_string()
        } else {
            format!("({expr})")
        };
        let index = format!("CREATE INDEX e{i}_expr ON e{i} ({column});");
        db.exec(&index);
        sql.push_str(&index);
        sql.push('\n');
    }
    for (i, (ty, generated, expr)) in GENERATED.iter().enumerate() {
        let table = format!(
            "CREATE TABLE g{i} (x {ty}, y {generated} GENERATED ALWAYS AS ({expr}) STORED);"
        );
        db.exec(&table);
        sql.push_str(&table);
        sql.push('\n');
    }
    for (i, ty) in TYPES.iter().enumerate() {
        let table = format!("CREATE TABLE ty{i} (x {ty});");
        db.exec(&table);
        sql.push_str(&table);
        sql.push('\n');
    }
    sql
}

fn interpret(sql: &str) -> Schema {
    let (mut schema, _) = parse_schema(
        PG,
        &[SourceFile {
            path: "schema.sql",
            sql,
        }],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    schema.sort();
    schema
}

fn read(db: &mut TestDb) -> Schema {
    let mut schema = introspect(&mut db.client, &[], &["_migrate_history"]).unwrap();
    schema.sort();
    schema
}

/// What the case wrote, for messages.
fn case_of(table: &str) -> String {
    let (kind, n) = table.split_at(table.find(|c: char| c.is_ascii_digit()).unwrap_or(0));
    let n: usize = n.parse().unwrap_or(usize::MAX);
    let pick = |list: &[(&str, &str)]| {
        list.get(n)
            .map(|(ty, e)| format!("{ty}: {e}"))
            .unwrap_or_default()
    };
    match kind {
        "d" => pick(DEFAULTS),
        "p" => pick(PREDICATES),
        "e" => pick(INDEX_EXPRS),
        "ty" => TYPES.get(n).map(|t| t.to_string()).unwrap_or_default(),
        "g" => GENERATED
            .get(n)
            .map(|(ty, g, e)| format!("{ty} → {g}: {e}"))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn table_facts(t: &Table) -> String {
    let mut out = String::new();
    for c in &t.columns {
        out.push_str(&format!(
            "column {} {} default {:?} generated {:?}\n",
            c.name,
            c.ty,
            c.default.as_ref().map(|d| (&d.sql, &d.key)),
            c.generated.as_ref().map(|g| (&g.expr.sql, &g.expr.key))
        ));
    }
    for c in &t.checks {
        out.push_str(&format!(
            "check {:?} {:?} key {:?}\n",
            c.name, c.expr.sql, c.expr.key
        ));
    }
    out
}

/// A written `DEFAULT NULL` is kept in the model (to be rendered as
/// written) and compares as no default, as the differ compares it; the
/// server keeps none for an integer, `NULL::character varying` for varchar.
fn without_null_defaults(mut schema: Schema) -> Schema {
    for t in &mut schema.tables {
        for c in &mut t.columns {
            c.default = c.default_value().cloned();
        }
    }
    schema
}

/// Every difference between the interpreter's model and the server's,
/// object by object, with both keys.
fn mismatches(written: &Schema, server: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    for t in &written.tables {
        match server.table(&t.name) {
            Some(s) if s == t => {}
            Some(s) => out.push(format!(
                "table {} ({})\n  written:\n{}  server:\n{}",
                t.name,
                case_of(&t.name.name),
                table_facts(t),
                table_facts(s)
            )),
            None => out.push(format!("table {} missing on the server", t.name)),
        }
    }
    for i in &written.indexes {
        let describe = |i: &migrate_build::schema::Index| {
            let columns: Vec<String> = i
                .columns
                .iter()
                .map(|c| match &c.expr {
                    IndexExpr::Column(c) => format!("column {c}"),
                    IndexExpr::Expression(e) => format!("expr {:?} key {:?}", e.sql, e.key),
                })
                .collect();
            format!(
                "{columns:?} predicate {:?}",
                i.predicate.as_ref().map(|p| (&p.sql, &p.key))
            )
        };
        match server.index(&i.name) {
            Some(s) if s == i => {}
            Some(s) => out.push(format!(
                "index {} ({})\n  written: {}\n  server:  {}",
                i.name,
                case_of(&i.table.name),
                describe(i),
                describe(s)
            )),
            None => out.push(format!("index {} missing on the server", i.name)),
        }
    }
    let names =
        |s: &Schema| -> Vec<QualifiedName> { s.tables.iter().map(|t| t.name.clone()).collect() };
    if names(written) != names(server) {
        out.push(format!(
            "tables differ: written {:?}, server {:?}",
            names(written),
            names(server)
        ));
    }
    for (what, a, b) in [
        (
            "sequences",
            format!("{:?}", written.sequences),
            format!("{:?}", server.sequences),
        ),
        (
            "enums",
            format!("{:?}", written.enums),
            format!("{:?}", server.enums),
        ),
        (
            "extensions",
            format!("{:?}", written.extensions),
            format!("{:?}", server.extensions),
        ),
    ] {
        if a != b {
            out.push(format!("{what}: written {a}, server {b}"));
        }
    }
    out
}

#[test]
fn what_the_server_prints_back_equals_what_was_written() {
    let mut db = test_db!();
    let sql = build(&mut db);
    let written = without_null_defaults(interpret(&sql));
    let server = without_null_defaults(read(&mut db));
    let problems = mismatches(&written, &server);
    assert!(
        problems.is_empty(),
        "{} of the expressions read back differently:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert_eq!(written, server);
}

#[test]
fn applied_by_the_tool_the_schema_shows_no_drift() {
    let mut scratch = test_db!();
    let sql = build(&mut scratch);
    drop(scratch);
    let db = test_db!();
    // plpgsql is in every database: written plainly it must be a no-op too.
    let ws = Workspace::new("postgres", &format!("CREATE EXTENSION plpgsql;\n{sql}"));
    ws.migrate(&["new", "init"]).success();
    let with_db = |args: &[&str]| {
        let mut c = ws.command(args);
        c.env("DATABASE_URL", &db.url);
        c.output().unwrap()
    };
    let apply = with_db(&["apply"]);
    assert!(
        apply.status.success(),
        "apply: {}",
        String::from_utf8_lossy(&apply.stderr)
    );
    let diff = with_db(&[
        "diff",
        "--from",
        "database",
        "--to",
        "schema",
        "--exit-code",
    ]);
    assert_eq!(
        diff.status.code(),
        Some(0),
        "drift right after apply:\n{}{}",
        String::from_utf8_lossy(&diff.stdout),
        String::from_utf8_lossy(&diff.stderr)
    );
    // A changed expression is a change, not noise.
    ws.write(
        "schema.sql",
        &sql.replacen("CHECK (x IN ('a', 'b'))", "CHECK (x IN ('a', 'c'))", 1),
    );
    let changed = with_db(&[
        "diff",
        "--from",
        "database",
        "--to",
        "schema",
        "--exit-code",
    ]);
    assert_eq!(changed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&changed.stdout).contains("p0_check"));
    ws.write("schema.sql", &sql);
    let check = with_db(&["check"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "check right after apply:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}

/// The tables and function the policy clauses below read.
const POLICY_PRELUDE: &str = "CREATE FUNCTION current_user_id() RETURNS integer LANGUAGE sql STABLE AS 'SELECT 1';\n\
CREATE TABLE memberships (tenant_id integer, user_id integer, role text);\n\
CREATE TABLE teams (id integer, lead integer);\n\
CREATE TABLE docs (id integer, tenant_id integer, owner integer, body text);\n";

/// `USING` clauses of row-level policies on `docs` as users write them,
/// with subqueries: the server prints every column inside a subquery
/// qualified by its relation (`docs.owner` for the policy's own table).
const POLICY_CLAUSES: &[&str] = &[
    "tenant_id IN (SELECT tenant_id FROM memberships WHERE user_id = current_user_id())",
    "EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = docs.tenant_id AND m.user_id = current_user_id())",
    "EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = tenant_id AND owner = user_id AND role = 'admin')",
    "tenant_id NOT IN (SELECT tenant_id FROM memberships)",
    "owner = (SELECT max(user_id) FROM memberships)",
    "tenant_id = ANY (SELECT m.tenant_id FROM memberships m JOIN teams t ON t.id = m.tenant_id WHERE lead = owner)",
    "NOT EXISTS (SELECT 1 FROM memberships WHERE memberships.user_id = owner)",
    "EXISTS (SELECT count(*) FROM memberships GROUP BY tenant_id HAVING count(*) > 1)",
    "EXISTS (SELECT 1 FROM public.memberships AS m WHERE m.tenant_id = docs.tenant_id)",
    "owner IN (SELECT user_id FROM memberships WHERE tenant_id IN (SELECT id FROM teams WHERE lead = owner))",
    "owner = current_user_id() OR EXISTS (SELECT 1 FROM memberships m WHERE m.role IN ('admin', 'owner') AND m.user_id = owner)",
    "EXISTS (SELECT 1 FROM memberships m, teams t WHERE t.id = m.tenant_id AND t.lead = docs.owner)",
];

fn policies(sql: &str) -> String {
    (0..POLICY_CLAUSES.len())
        .map(|i| {
            format!(
                "CREATE POLICY q{i} ON docs USING ({});\n",
                POLICY_CLAUSES[i]
            )
        })
        .fold(sql.to_string(), |mut out, p| {
            out.push_str(&p);
            out
        })
}

#[test]
fn policy_subqueries_the_server_prints_back_equal_what_was_written() {
    let mut db = test_db!();
    let sql = policies(POLICY_PRELUDE);
    db.exec(&sql);
    let written = interpret(&sql);
    let server = read(&mut db);
    // pg_dump writes the server's text with every relation and function
    // qualified by its schema.
    let dump = std::process::Command::new("pg_dump")
        .args(["--schema-only", &db.url])
        .output()
        .expect("running pg_dump");
    assert!(
        dump.status.success(),
        "{}",
        String::from_utf8_lossy(&dump.stderr)
    );
    let dumped = interpret(&String::from_utf8_lossy(&dump.stdout));
    let mut problems = Vec::new();
    for (i, clause) in POLICY_CLAUSES.iter().enumerate() {
        let name = format!("q{i}");
        let find = |s: &Schema| {
            s.policies
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.using.clone())
        };
        let (w, s, d) = (find(&written), find(&server), find(&dumped));
        if w.is_none() || w != s || d != s {
            problems.push(format!(
                "{clause}\n  written key {:?}\n  server  key {:?} ({:?})\n  dumped  key {:?}",
                w.map(|e| e.key),
                s.as_ref().map(|e| e.key.clone()),
                s.map(|e| e.sql),
                d.map(|e| (e.key, e.sql)),
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of the policies read back differently:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // What a bare name inside a subquery resolves to is part of the key:
    // `tenant_id` there is the membership's, not the document's.
    let changed = interpret(&format!(
        "{POLICY_PRELUDE}CREATE POLICY q ON docs USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = tenant_id));\n\
         CREATE POLICY r ON docs USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = docs.tenant_id));"
    ));
    let key = |name: &str| {
        changed
            .policies
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.using.clone())
            .map(|e| e.key)
    };
    assert_ne!(key("q"), key("r"));
}
