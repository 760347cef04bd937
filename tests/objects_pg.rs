//! Functions, procedures and the other opaque objects on a real
//! PostgreSQL: overloads are distinct objects, and objects are created
//! after, and dropped before, what their definitions name. Each schema goes
//! through `cargo migrate new` + `apply`, the database must then show no
//! drift (`diff --from database --to schema --exit-code` is 0), a change is
//! applied the same way, and `down` brings the previous state back.

mod common;

use common::pg::TestDb;
use common::workspace::{Run, Workspace};

fn run(ws: &Workspace, db: &TestDb, args: &[&str]) -> Run {
    let mut c = ws.command(args);
    c.env("DATABASE_URL", &db.url);
    Run {
        output: c.output().unwrap(),
    }
}

fn in_sync_with_schema(ws: &Workspace, db: &TestDb) {
    run(
        ws,
        db,
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

fn no_drift(ws: &Workspace, db: &TestDb) {
    in_sync_with_schema(ws, db);
    run(
        ws,
        db,
        &[
            "diff",
            "--from",
            "database",
            "--to",
            "migrations",
            "--exit-code",
        ],
    )
    .success();
}

fn step(ws: &Workspace, db: &TestDb, schema: &str, name: &str) {
    ws.write("schema.sql", schema);
    run(ws, db, &["new", name]).success();
    run(ws, db, &["apply"]).success();
    no_drift(ws, db);
}

fn functions(db: &mut TestDb) -> Vec<String> {
    db.client
        .query(
            "SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
             FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1",
            &[],
        )
        .unwrap()
        .into_iter()
        .map(|r| r.get(0))
        .collect()
}

/// A mid-size application's objects: a composite type used by a function's
/// signature, overloads, a domain whose CHECK calls a function, a
/// trigger function used by triggers on two tables, a function returning
/// SETOF a table, a `LANGUAGE sql` function reading a table, a collation
/// used by a column, an operator, an aggregate.
const APP: &str = "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TYPE money_amount AS (currency text, cents bigint);
CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE FUNCTION add(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT a || b $$;
CREATE FUNCTION is_slug(s text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT s ~ '^[a-z0-9-]+$' $$;
CREATE DOMAIN slug AS text CHECK (is_slug(VALUE));
CREATE FUNCTION total(m money_amount, OUT cents bigint) LANGUAGE sql AS $$ SELECT m.cents $$;
CREATE TABLE tenants (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug slug NOT NULL UNIQUE,
    name text COLLATE ci NOT NULL
);
CREATE TABLE projects (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TRIGGER projects_touch BEFORE UPDATE ON projects FOR EACH ROW EXECUTE FUNCTION touch();
CREATE FUNCTION tenant_projects(t bigint) RETURNS SETOF projects LANGUAGE sql STABLE AS $$ SELECT * FROM projects WHERE tenant_id = t $$;
CREATE FUNCTION project_count() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM projects $$;
CREATE FUNCTION tenant_total(t bigint) RETURNS bigint LANGUAGE sql STABLE RETURN (SELECT count(*) FROM projects WHERE tenant_id = t) + project_count();
CREATE FUNCTION cents_eq(a money_amount, b money_amount) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT a.cents = b.cents $$;
CREATE OPERATOR === (LEFTARG = money_amount, RIGHTARG = money_amount, FUNCTION = cents_eq);
CREATE AGGREGATE sum_cents(money_amount) (SFUNC = add_cents, STYPE = bigint, INITCOND = '0');
";

/// `add_cents` must exist before the aggregate: declared first.
fn app() -> String {
    APP.replace(
        "CREATE AGGREGATE",
        "CREATE FUNCTION add_cents(acc bigint, m money_amount) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT acc + m.cents $$;\nCREATE AGGREGATE",
    )
}

#[test]
fn an_application_with_overloads_domains_and_triggers_applies_without_drift() {
    let Some(mut db) = TestDb::new() else { return };
    let ws = Workspace::new("postgres", "");
    step(&ws, &db, &app(), "app");
    let all = functions(&mut db);
    assert!(
        all.contains(&"add(a integer, b integer)".to_string()),
        "{all:?}"
    );
    assert!(all.contains(&"add(a text, b text)".to_string()), "{all:?}");

    // One overload goes, the other stays; a second trigger uses the
    // trigger function; the domain's check changes (drop + create, the
    // column converted around it); the composite type gains an attribute,
    // so the functions, operator and aggregate naming it come back.
    let next = app()
        .replace(
            "CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;\n",
            "",
        )
        .replace(
            "CHECK (is_slug(VALUE))",
            "CHECK (is_slug(VALUE) AND length(VALUE) < 64)",
        )
        .replace("cents bigint)", "cents bigint, note text)")
        + "CREATE TRIGGER tenants_touch BEFORE UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION touch();\n";
    let next = next.replace(
        "slug slug NOT NULL UNIQUE,\n    name text COLLATE ci NOT NULL",
        "slug slug NOT NULL UNIQUE,\n    name text COLLATE ci NOT NULL,\n    updated_at timestamptz NOT NULL DEFAULT now()",
    );
    db.exec("INSERT INTO tenants (slug, name) VALUES ('acme', 'Acme')");
    // Ordered from the database's own facts (pg_depend): the script runs.
    ws.write("schema.sql", &next);
    let script = run(
        &ws,
        &db,
        &["diff", "--from", "database", "--to", "schema", "--script"],
    )
    .success()
    .stdout();
    assert!(
        script.contains("DROP FUNCTION total(money_amount)"),
        "{script}"
    );
    db.exec(&format!("BEGIN;\n{script};\nROLLBACK;"));
    // Everything dropped, in the order the catalog's dependencies give.
    ws.write("schema.sql", "");
    let script = run(
        &ws,
        &db,
        &["diff", "--from", "database", "--to", "schema", "--script"],
    )
    .success()
    .stdout();
    assert!(
        script.contains("DROP AGGREGATE sum_cents(money_amount)"),
        "{script}"
    );
    db.exec(&format!("BEGIN;\n{script};\nROLLBACK;"));
    step(&ws, &db, &next, "change");
    let all = functions(&mut db);
    assert!(
        !all.contains(&"add(a integer, b integer)".to_string()),
        "{all:?}"
    );
    assert!(all.contains(&"add(a text, b text)".to_string()), "{all:?}");
    let slug: String = db
        .client
        .query_one("SELECT slug::text FROM tenants", &[])
        .unwrap()
        .get(0);
    assert_eq!(slug, "acme");

    // Down: the first schema again (the reverted migration's file stays,
    // so only the schema is compared).
    run(&ws, &db, &["down"]).success();
    ws.write("schema.sql", &app());
    in_sync_with_schema(&ws, &db);
    let all = functions(&mut db);
    assert!(
        all.contains(&"add(a integer, b integer)".to_string()),
        "{all:?}"
    );
    run(&ws, &db, &["down"]).success();
    assert!(functions(&mut db).is_empty());
}

#[test]
fn dropping_a_function_others_use_is_refused_as_the_server_refuses_it() {
    let Some(mut db) = TestDb::new() else { return };
    let schema = "CREATE TABLE t (a int);
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER f BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();
";
    db.exec(schema);
    let server = db.client.batch_execute("DROP FUNCTION f()");
    assert!(server.is_err());
    let mut model = migrate_build::Schema::empty(migrate_build::Dialect::Postgres);
    let source = |sql| migrate_build::ddl::SourceFile { path: "m.sql", sql };
    migrate_build::ddl::apply(&mut model, source(schema)).unwrap();
    let e = migrate_build::ddl::apply(&mut model.clone(), source("DROP FUNCTION f()")).unwrap_err();
    assert!(e.to_string().contains("depend"), "{e}");
    db.exec("DROP FUNCTION f() CASCADE");
    migrate_build::ddl::apply(&mut model, source("DROP FUNCTION f() CASCADE")).unwrap();
    assert!(model.opaque.is_empty(), "{:?}", model.opaque);
}

/// Constraint names: what the server accepts the interpreter accepts, and
/// what it refuses the interpreter refuses.
#[test]
fn constraint_names_are_scoped_as_the_server_scopes_them() {
    let Some(mut db) = TestDb::new() else { return };
    let cases: &[(&str, bool)] = &[
        // CHECK and foreign-key names are unique per table only.
        (
            "CREATE TABLE a (x int, CONSTRAINT only_one CHECK (x > 0));
          CREATE TABLE b (x int, CONSTRAINT only_one CHECK (x > 0))",
            true,
        ),
        ("CREATE TABLE c (x int, CONSTRAINT c CHECK (x > 0))", true),
        (
            "CREATE TABLE d (x int PRIMARY KEY);
          CREATE TABLE e (x int, CONSTRAINT d_fk FOREIGN KEY (x) REFERENCES d);
          CREATE TABLE f (x int, CONSTRAINT d_fk FOREIGN KEY (x) REFERENCES d)",
            true,
        ),
        (
            "CREATE TABLE g (x int CONSTRAINT k1 CHECK (x > 0), y int CONSTRAINT k1 CHECK (y > 0))",
            false,
        ),
        // Index-backed constraints share the relations' namespace.
        (
            "CREATE TABLE h (x int, CONSTRAINT h PRIMARY KEY (x))",
            false,
        ),
        (
            "CREATE TABLE i (x int); CREATE TABLE j (x int CONSTRAINT i UNIQUE)",
            false,
        ),
        (
            "CREATE TABLE k (x int CONSTRAINT only_two CHECK (x > 0));
          CREATE TABLE l (x int CONSTRAINT only_two UNIQUE)",
            true,
        ),
        // Types share names with tables (row types), not with indexes.
        ("CREATE TYPE m AS ENUM ('a'); CREATE TABLE m (x int)", false),
        (
            "CREATE TYPE n_pkey AS ENUM ('a'); CREATE TABLE n (x int PRIMARY KEY)",
            true,
        ),
        ("CREATE SEQUENCE o; CREATE TYPE o AS (x int)", false),
        ("CREATE SEQUENCE p; CREATE TYPE p AS ENUM ('a')", true),
        (
            "CREATE VIEW q AS SELECT 1 AS x; CREATE DOMAIN q AS int",
            false,
        ),
        (
            "CREATE TABLE u1 (x int); CREATE TYPE u2 AS ENUM ('a'); ALTER TABLE u1 RENAME TO u2",
            false,
        ),
        (
            "CREATE TABLE u3 (x int PRIMARY KEY); CREATE TABLE u4 (x int); ALTER TABLE u4 RENAME TO u3_pkey",
            false,
        ),
        (
            "CREATE TABLE u5 (x int CHECK (x > 0)); CREATE TABLE u5_x_check (x int)",
            true,
        ),
    ];
    for (sql, accepted) in cases {
        let server = db.client.batch_execute(&format!("BEGIN; {sql}; ROLLBACK"));
        if server.is_err() {
            db.exec("ROLLBACK");
        }
        assert_eq!(server.is_ok(), *accepted, "server: {sql}: {server:?}");
        let mut model = migrate_build::Schema::empty(migrate_build::Dialect::Postgres);
        let ours = migrate_build::ddl::apply(
            &mut model,
            migrate_build::ddl::SourceFile { path: "s.sql", sql },
        );
        assert_eq!(ours.is_ok(), *accepted, "interpreter: {sql}: {ours:?}");
    }
    // Generated names avoid what the server avoids: a check's name any
    // constraint of the schema, a key's name relations and constraints.
    let sql = "CREATE TABLE r (x int CONSTRAINT s_x_check CHECK (x > 0));
               CREATE TABLE s (x int CHECK (x > 0));
               CREATE TABLE t_x_key (z int);
               CREATE TABLE t (x int UNIQUE)";
    db.exec(sql);
    let mut model = migrate_build::Schema::empty(migrate_build::Dialect::Postgres);
    migrate_build::ddl::apply(
        &mut model,
        migrate_build::ddl::SourceFile { path: "s.sql", sql },
    )
    .unwrap();
    let mut name = |t: &str| -> String {
        db.client
            .query_one(
                "SELECT conname::text FROM pg_constraint WHERE conrelid = $1::text::regclass",
                &[&t],
            )
            .unwrap()
            .get(0)
    };
    let (s_check, t_key) = (name("s"), name("t"));
    assert_eq!(s_check, "s_x_check1");
    assert_eq!(t_key, "t_x_key1");
    let table = |n: &str| {
        model
            .tables
            .iter()
            .find(|t| t.name.name == n)
            .unwrap()
            .clone()
    };
    assert_eq!(table("s").checks[0].name.as_deref(), Some(s_check.as_str()));
    assert_eq!(table("t").uniques[0].name.as_deref(), Some(t_key.as_str()));
}

/// The catalogue cases of these objects, on the server: `from.sql` applied,
/// then the migration to `to.sql`, and its down migration.
#[test]
fn object_catalogue_cases_apply_and_revert_on_the_server() {
    let cases = [
        "87_function_overloads_pg",
        "88_domain_check_calls_function_pg",
        "89_composite_type_in_signatures_pg",
        "90_trigger_function_on_several_tables_pg",
        "91_collation_operator_aggregate_pg",
        "92_function_returning_setof_new_table_pg",
        "93_function_used_by_default_and_check_pg",
        "94_collation_changed_under_a_column_pg",
        "180_event_triggers_pg",
        "181_publications_pg",
    ];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    for case in cases {
        let Some(db) = TestDb::new() else { return };
        let read = |f: &str| std::fs::read_to_string(root.join(case).join(f)).unwrap();
        let (from, to) = (read("from.sql"), read("to.sql"));
        let ws = Workspace::new("postgres", "");
        step(&ws, &db, &from, "from");
        step(&ws, &db, &to, "to");
        run(&ws, &db, &["down"]).success();
        ws.write("schema.sql", &from);
        in_sync_with_schema(&ws, &db);
    }
}

/// The facts the differ orders by are the same whether the interpreter
/// read them from SQL or introspection read them from `pg_depend`,
/// `pg_proc` and `pg_type`: the same signatures, and the same references
/// (the interpreter also names the table a trigger sits on, which the
/// catalog records as an automatic dependency).
#[test]
fn introspection_gives_the_interpreters_signatures_and_references() {
    let Some(mut db) = TestDb::new() else { return };
    let sql = app();
    db.exec(&format!("SET check_function_bodies = off; {sql}"));
    let mut live =
        cargo_migrate::introspect::postgres::introspect(&mut db.client, &[], &[]).unwrap();
    let file = migrate_build::ddl::SourceFile {
        path: "schema.sql",
        sql: &sql,
    };
    let (mut parsed, _) =
        migrate_build::ddl::parse_schema(migrate_build::Dialect::Postgres, &[file]).unwrap();
    live.sort();
    parsed.sort();
    let facts = |s: &migrate_build::Schema| -> Vec<String> {
        s.opaque
            .iter()
            .map(|o| {
                let mut refs: Vec<String> = o
                    .references
                    .iter()
                    .filter(|r| o.on_table.as_ref() != Some(&r.name))
                    .map(|r| format!("{:?} {}", r.kind, r.name))
                    .collect();
                refs.sort();
                format!(
                    "{:?} {} ({:?}): {}",
                    o.kind,
                    o.name,
                    o.signature,
                    refs.join(", ")
                )
            })
            .collect()
    };
    let parsed_facts = facts(&parsed);
    for expected in [
        "Domain slug (None): Function is_slug",
        "Aggregate sum_cents (Some(\"money_amount\")): Function add_cents, Type money_amount",
        "Function tenant_projects (Some(\"bigint\")): Relation projects",
        // A standard SQL body is read at creation: what it names counts.
        "Function tenant_total (Some(\"bigint\")): Function project_count, Relation projects",
    ] {
        assert!(
            parsed_facts.iter().any(|f| f == expected),
            "{expected} in {parsed_facts:#?}"
        );
    }
    assert_eq!(facts(&live), parsed_facts);
}

/// Event triggers as pg_dump prints them (tags upper-cased, `EXECUTE
/// FUNCTION public.f()`, `ALTER EVENT TRIGGER … OWNER TO`) are the ones the
/// schema wrote; their state, which no CREATE says, follows `ALTER EVENT
/// TRIGGER … DISABLE` and is read back from `evtenabled`.
#[test]
fn event_triggers_read_back_from_pg_dump_and_their_state_is_altered() {
    let Some(db) = TestDb::new() else { return };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let to = std::fs::read_to_string(root.join("180_event_triggers_pg/to.sql")).unwrap();
    let ws = Workspace::new("postgres", "");
    step(&ws, &db, &to, "event_triggers");
    let out = std::process::Command::new("pg_dump")
        .args([
            "--schema-only",
            "--exclude-table",
            "public._migrate_history",
        ])
        .arg(&db.url)
        .output()
        .unwrap();
    assert!(out.status.success());
    let dump = String::from_utf8(out.stdout).unwrap();
    assert!(
        dump.contains("WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')")
            && dump.contains("ALTER EVENT TRIGGER note_drops OWNER TO"),
        "{dump}"
    );
    ws.write("schema.sql", &dump);
    in_sync_with_schema(&ws, &db);
    run(&ws, &db, &["new", "again", "--no-interactive"])
        .success()
        .stderr_has("in sync");
    ws.write(
        "schema.sql",
        &format!("{to}\nALTER EVENT TRIGGER note_drops DISABLE;\n"),
    );
    run(&ws, &db, &["new", "disable", "--no-interactive"]).success();
    run(&ws, &db, &["apply"]).success();
    in_sync_with_schema(&ws, &db);
    let mut client = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    let state = |client: &mut postgres::Client| -> String {
        client
            .query_one(
                "SELECT evtenabled::text FROM pg_event_trigger WHERE evtname = 'note_drops'",
                &[],
            )
            .unwrap()
            .get(0)
    };
    assert_eq!(state(&mut client), "D");
    run(&ws, &db, &["down"]).success();
    assert_eq!(state(&mut client), "O");
    run(&ws, &db, &["down"]).success();
    let left: i64 = client
        .query_one("SELECT count(*) FROM pg_event_trigger", &[])
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
}

/// A publication as pg_dump prints it (the `publish` list written out,
/// `ALTER PUBLICATION … OWNER TO`) is the one the schema wrote; the tables
/// it is given (`ALTER PUBLICATION … ADD TABLE`, pg_dump's way) read back
/// too, and a schema without them is drift the next migration undoes.
#[test]
fn publications_and_their_tables_read_back_from_pg_dump() {
    let Some(db) = TestDb::new() else { return };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let to = std::fs::read_to_string(root.join("181_publications_pg/to.sql")).unwrap();
    let ws = Workspace::new("postgres", "");
    step(&ws, &db, &to, "publications");
    let dump = |db: &TestDb| {
        let out = std::process::Command::new("pg_dump")
            .args([
                "--schema-only",
                "--exclude-table",
                "public._migrate_history",
            ])
            .arg(&db.url)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let printed = dump(&db);
    assert!(
        printed.contains("CREATE PUBLICATION changes WITH (publish = 'insert, update');"),
        "{printed}"
    );
    ws.write("schema.sql", &printed);
    in_sync_with_schema(&ws, &db);
    run(&ws, &db, &["new", "again", "--no-interactive"])
        .success()
        .stderr_has("in sync");
    let mut client = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    client
        .batch_execute("ALTER PUBLICATION changes ADD TABLE orders")
        .unwrap();
    let printed = dump(&db);
    assert!(printed.contains("ALTER PUBLICATION changes ADD TABLE ONLY public.orders;"));
    ws.write("schema.sql", &printed);
    in_sync_with_schema(&ws, &db);
    ws.write("schema.sql", &to);
    let drift = run(
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
    );
    assert_eq!(drift.code(), 2, "{}", drift.stderr());
    assert!(
        drift
            .stdout()
            .contains("remove table `orders` from publication `changes`"),
        "{}",
        drift.stdout()
    );
    run(&ws, &db, &["down"]).success();
    let left: i64 = client
        .query_one("SELECT count(*) FROM pg_publication", &[])
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
}
