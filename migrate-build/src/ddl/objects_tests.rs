//! Opaque objects as the interpreter builds them: identity (overloads),
//! the references it records, and the drops PostgreSQL refuses.

use super::*;
use crate::schema::{Firing, ObjectRef, OpaqueKind, OpaqueObject, QualifiedName, RefKind};

fn pg(sql: &str) -> Result<Schema, DdlError> {
    let file = SourceFile {
        path: "schema.sql",
        sql,
    };
    parse_schema(Dialect::Postgres, &[file]).map(|(s, _)| s)
}

fn ok(sql: &str) -> Schema {
    pg(sql).unwrap_or_else(|e| panic!("{e}"))
}

fn err(sql: &str) -> String {
    match pg(sql) {
        Ok(s) => panic!("expected an error, got {:?}", s.opaque),
        Err(e) => e.message,
    }
}

fn object<'s>(s: &'s Schema, kind: OpaqueKind, name: &str) -> &'s OpaqueObject {
    s.opaque
        .iter()
        .find(|o| o.kind == kind && o.name.name == name)
        .unwrap_or_else(|| panic!("no {kind:?} {name} in {:?}", s.opaque))
}

fn r(kind: RefKind, name: &str) -> ObjectRef {
    ObjectRef {
        kind,
        name: QualifiedName::new(name),
    }
}

const ADD: &str =
    "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql AS $$ SELECT a + b $$;
    CREATE FUNCTION add(a text, b text) RETURNS text LANGUAGE sql AS $$ SELECT a || b $$;";

#[test]
fn overloads_are_two_objects_found_by_their_argument_types() {
    let s = ok(ADD);
    let signatures: Vec<_> = s.opaque.iter().map(|o| o.signature.as_deref()).collect();
    assert_eq!(signatures, [Some("integer, integer"), Some("text, text")]);
    let s = ok(&format!("{ADD} DROP FUNCTION add(integer, int4);"));
    assert_eq!(s.opaque.len(), 1);
    assert_eq!(s.opaque[0].signature.as_deref(), Some("text, text"));
    // Names and defaults do not identify; OUT arguments do not either.
    let s = ok(&format!(
        "{ADD} CREATE OR REPLACE FUNCTION add(x int, y int = 0, OUT z int) LANGUAGE sql AS $$ SELECT x $$;"
    ));
    assert_eq!(s.opaque.len(), 2);
    assert!(err(&format!("{ADD} DROP FUNCTION add;")).contains("not unique"));
    assert!(err(&format!("{ADD} DROP FUNCTION add(bigint, bigint);")).contains("does not exist"));
    assert!(
        err(&format!(
            "{ADD} CREATE FUNCTION add(int, int) RETURNS int LANGUAGE sql AS 'SELECT 1';"
        ))
        .contains("already exists")
    );
    let s = ok(&format!(
        "{ADD} ALTER FUNCTION add(text, text) RENAME TO concat2;"
    ));
    let names: Vec<_> = s.opaque.iter().map(|o| o.name.name.as_str()).collect();
    assert_eq!(names, ["add", "concat2"]);
}

#[test]
fn references_are_what_the_definition_names_and_exists() {
    let s = ok("CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
        CREATE TYPE state AS ENUM ('a', 'b');
        CREATE TYPE amount AS (currency text COLLATE ci, cents bigint, s state);
        CREATE TABLE accounts (id int PRIMARY KEY);
        CREATE FUNCTION is_slug(s text) RETURNS boolean LANGUAGE sql AS $$ SELECT s ~ 'accounts' $$;
        CREATE DOMAIN slug AS text CHECK (is_slug(VALUE));
        CREATE FUNCTION rich(a amount, s slug) RETURNS SETOF accounts LANGUAGE sql AS $$ SELECT * FROM accounts $$;
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch();
        CREATE FUNCTION cents(acc bigint, a amount) RETURNS bigint LANGUAGE sql AS $$ SELECT acc $$;
        CREATE AGGREGATE total(amount) (SFUNC = cents, STYPE = bigint);
        CREATE OPERATOR === (LEFTARG = amount, RIGHTARG = amount, FUNCTION = cents);");
    let refs = |kind, name| object(&s, kind, name).references.clone();
    assert_eq!(
        refs(OpaqueKind::Type, "amount"),
        [r(RefKind::Collation, "ci"), r(RefKind::Type, "state")]
    );
    assert_eq!(
        refs(OpaqueKind::Domain, "slug"),
        [r(RefKind::Function, "is_slug")]
    );
    // The dollar-quoted body is not read (PostgreSQL does not either).
    assert_eq!(refs(OpaqueKind::Function, "is_slug"), []);
    // Syntax is no reference, even when a table has its name.
    let s2 = ok("CREATE TABLE language (id int);
        CREATE FUNCTION f() RETURNS int LANGUAGE sql STABLE AS $$ SELECT 1 $$;");
    assert_eq!(object(&s2, OpaqueKind::Function, "f").references, []);
    assert_eq!(
        refs(OpaqueKind::Function, "rich"),
        [
            r(RefKind::Type, "amount"),
            r(RefKind::Type, "slug"),
            r(RefKind::Relation, "accounts")
        ]
    );
    // A trigger may have its function's name.
    assert_eq!(
        refs(OpaqueKind::Trigger, "touch"),
        [
            r(RefKind::Relation, "accounts"),
            r(RefKind::Function, "touch")
        ]
    );
    assert_eq!(
        refs(OpaqueKind::Aggregate, "total"),
        [r(RefKind::Type, "amount"), r(RefKind::Function, "cents")]
    );
    let op = object(&s, OpaqueKind::Operator, "===");
    assert_eq!(op.signature.as_deref(), Some("amount, amount"));
    assert_eq!(
        op.references,
        [r(RefKind::Type, "amount"), r(RefKind::Function, "cents")]
    );
}

#[test]
fn drops_of_what_others_depend_on_are_refused_or_cascade() {
    let base = "CREATE TYPE amount AS (cents bigint);
        CREATE FUNCTION f(a amount) RETURNS bigint LANGUAGE sql AS $$ SELECT a.cents $$;
        CREATE FUNCTION g() RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
        CREATE DOMAIN d AS int CHECK (g());";
    assert!(err(&format!("{base} DROP TYPE amount;")).contains("depend"));
    assert!(err(&format!("{base} DROP FUNCTION g();")).contains("depend"));
    let s = ok(&format!(
        "{base} DROP TYPE amount CASCADE; DROP FUNCTION g CASCADE;"
    ));
    assert!(s.opaque.is_empty(), "{:?}", s.opaque);
    // Renames are followed: the domain still names the function.
    let s = ok(&format!("{base} ALTER FUNCTION g() RENAME TO h;"));
    assert_eq!(
        object(&s, OpaqueKind::Domain, "d").references,
        [r(RefKind::Function, "h")]
    );
    // A function returning a table's rows holds the table.
    let rows = "CREATE TABLE t (a int); CREATE FUNCTION rows() RETURNS SETOF t LANGUAGE sql AS 'SELECT * FROM t';";
    assert!(err(&format!("{rows} DROP TABLE t;")).contains("depend"));
    assert!(
        ok(&format!("{rows} DROP TABLE t CASCADE;"))
            .opaque
            .is_empty()
    );
}

#[test]
fn operators_casts_and_aggregates_have_their_own_identity() {
    let s = ok("CREATE DOMAIN money2 AS numeric;
        CREATE FUNCTION to_m(t text) RETURNS money2 LANGUAGE sql AS $$ SELECT t::numeric $$;
        CREATE CAST (text AS money2) WITH FUNCTION to_m(text);
        CREATE FUNCTION neg(m money2) RETURNS money2 LANGUAGE sql AS $$ SELECT -m $$;
        CREATE OPERATOR public.~~~ (RIGHTARG = money2, FUNCTION = neg);
        CREATE AGGREGATE n(*) (SFUNC = int8inc, STYPE = bigint);");
    assert_eq!(
        object(&s, OpaqueKind::Cast, "text AS money2").signature,
        None
    );
    assert_eq!(
        object(&s, OpaqueKind::Operator, "~~~").signature.as_deref(),
        Some("NONE, money2")
    );
    assert_eq!(
        object(&s, OpaqueKind::Aggregate, "n").signature.as_deref(),
        Some("")
    );
    let s = ok("CREATE DOMAIN money2 AS numeric;
        CREATE FUNCTION neg(m money2) RETURNS money2 LANGUAGE sql AS $$ SELECT -m $$;
        CREATE OPERATOR ~~~ (RIGHTARG = money2, FUNCTION = neg);
        DROP OPERATOR ~~~ (NONE, money2);
        CREATE CAST (int AS money2) WITHOUT FUNCTION;
        DROP CAST (integer AS money2);");
    assert_eq!(s.opaque.len(), 2);
    assert!(
        err("CREATE AGGREGATE old (BASETYPE = int, SFUNC = int4pl, STYPE = int);")
            .contains("old form")
    );
}

/// The definitions of `a` and `b`'s objects, in order, compare equal.
fn same_objects(a: &str, b: &str) {
    let (x, y) = (ok(a), ok(b));
    assert_eq!(x.opaque.len(), y.opaque.len(), "{a}\n{b}");
    for (o, p) in x.opaque.iter().zip(y.opaque.iter()) {
        assert_eq!(o, p, "{a}\n{b}\n{:?}\n{:?}", o.definition, p.definition);
    }
}

#[test]
fn domain_alters_change_the_domain_as_the_server_does() {
    same_objects(
        "CREATE DOMAIN d AS int; ALTER DOMAIN d ADD CONSTRAINT pos CHECK (VALUE > 0);
         ALTER DOMAIN d SET DEFAULT 1; ALTER DOMAIN d SET NOT NULL;",
        "CREATE DOMAIN d AS integer NOT NULL DEFAULT 1 CONSTRAINT pos CHECK ((VALUE > 0));",
    );
    // An unnamed check is named as the server names it.
    same_objects(
        "CREATE DOMAIN d AS int CHECK (VALUE > 0); ALTER DOMAIN d ADD CHECK (VALUE < 9);
         ALTER DOMAIN d RENAME CONSTRAINT d_check TO low;",
        "CREATE DOMAIN d AS int CONSTRAINT low CHECK (VALUE > 0) CONSTRAINT d_check1 CHECK (VALUE < 9);",
    );
    same_objects(
        "CREATE DOMAIN d AS int NOT NULL DEFAULT 2 CONSTRAINT c CHECK (VALUE > 0);
         ALTER DOMAIN d DROP NOT NULL; ALTER DOMAIN d DROP DEFAULT; ALTER DOMAIN d DROP CONSTRAINT c;
         ALTER DOMAIN d DROP CONSTRAINT IF EXISTS c;",
        "CREATE DOMAIN d AS int;",
    );
    // NOT VALID is kept, as pg_dump writes it, until validated.
    let not_valid =
        "CREATE DOMAIN d AS int; ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID;";
    same_objects(
        not_valid,
        "CREATE DOMAIN public.d AS integer;\nALTER DOMAIN public.d\n    ADD CONSTRAINT c CHECK ((VALUE > 0)) NOT VALID;",
    );
    let x = ok(not_valid);
    let y = ok("CREATE DOMAIN d AS int CONSTRAINT c CHECK (VALUE > 0);");
    assert_ne!(x.opaque[0], y.opaque[0]);
    same_objects(
        &format!("{not_valid} ALTER DOMAIN d VALIDATE CONSTRAINT c;"),
        "CREATE DOMAIN d AS int CONSTRAINT c CHECK (VALUE > 0);",
    );
    for (sql, said) in [
        (
            "ALTER DOMAIN d DROP CONSTRAINT k;",
            "constraint `k` of domain `d` does not exist",
        ),
        ("ALTER DOMAIN d VALIDATE CONSTRAINT k;", "does not exist"),
        (
            "ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE < 0);",
            "already exists",
        ),
        ("ALTER DOMAIN d ADD CONSTRAINT n NOT NULL;", "SET NOT NULL"),
        (
            "ALTER DOMAIN d ALTER COLUMN x;",
            "ALTER DOMAIN near `ALTER`",
        ),
    ] {
        let e = err(&format!(
            "CREATE DOMAIN d AS int CONSTRAINT c CHECK (VALUE > 0); {sql}"
        ));
        assert!(e.contains(said), "{sql}: {e}");
    }
    let s = ok(
        "CREATE DOMAIN d AS int; ALTER DOMAIN d RENAME TO e; ALTER DOMAIN e OWNER TO CURRENT_USER;",
    );
    assert_eq!(s.opaque[0].name.name, "e");
    // Moving an object moves what names it along.
    let s = ok(
        "CREATE SCHEMA app; CREATE FUNCTION g() RETURNS boolean LANGUAGE sql AS 'SELECT true';
        CREATE DOMAIN d AS int CHECK (g()); ALTER FUNCTION g() SET SCHEMA app;",
    );
    let g = object(&s, OpaqueKind::Function, "g");
    assert_eq!(g.name.schema.as_deref(), Some("app"));
    assert_eq!(
        object(&s, OpaqueKind::Domain, "d").references[0].name,
        QualifiedName::with_schema(Some("app".into()), "g")
    );
}

#[test]
fn alters_of_routines_change_their_options() {
    let f = "CREATE FUNCTION f() RETURNS SETOF int LANGUAGE sql IMMUTABLE SET work_mem = '1MB' AS 'SELECT 1';\n";
    same_objects(
        &format!(
            "{f}ALTER FUNCTION f() SET search_path = public STABLE COST 5 LEAKPROOF SECURITY DEFINER
             PARALLEL SAFE STRICT ROWS 7; ALTER FUNCTION f RESET work_mem;"
        ),
        "CREATE FUNCTION public.f() RETURNS SETOF integer LANGUAGE sql STABLE STRICT SECURITY DEFINER
         LEAKPROOF COST 5 ROWS 7 PARALLEL SAFE SET search_path TO 'public' AS 'SELECT 1';",
    );
    same_objects(
        &format!(
            "{f}ALTER FUNCTION f() VOLATILE NOT LEAKPROOF CALLED ON NULL INPUT RESET ALL;
             ALTER FUNCTION f() SET work_mem TO DEFAULT;"
        ),
        "CREATE FUNCTION f() RETURNS SETOF int LANGUAGE sql AS 'SELECT 1';",
    );
    let x = ok(&format!("{f}ALTER FUNCTION f() SET work_mem = '2MB';"));
    assert_ne!(x.opaque[0], ok(f).opaque[0]);
    same_objects(
        "CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';
         ALTER PROCEDURE p() SECURITY DEFINER SET work_mem = '1MB';",
        "CREATE PROCEDURE p() LANGUAGE sql SECURITY DEFINER SET work_mem TO '1MB' AS 'SELECT 1';",
    );
    for (alter, said) in [
        (
            "ALTER FUNCTION f() SET work_mem FROM CURRENT;",
            "ALTER FUNCTION … SET … FROM CURRENT near `SET`",
        ),
        (
            "ALTER FUNCTION f() DEPENDS ON EXTENSION plpgsql;",
            "ALTER FUNCTION near `DEPENDS`",
        ),
        (
            "ALTER FUNCTION f() SUPPORT g;",
            "ALTER FUNCTION near `SUPPORT`",
        ),
    ] {
        let e = pg(&format!("{f}{alter}"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("schema.sql:2:1") && e.contains(said),
            "{alter}: {e}"
        );
    }
    let e = err("CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1'; ALTER PROCEDURE p() STABLE;");
    assert!(e.contains("ALTER PROCEDURE"), "{e}");
    let e = err("CREATE TABLE t (id int);
        CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'begin return new; end';
        CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
        ALTER TRIGGER tr ON t DEPENDS ON EXTENSION plpgsql;");
    assert!(e.contains("ALTER TRIGGER"), "{e}");
    // Renames and moves are modelled; ownership is skipped and listed.
    let (s, report) = parse_schema(
        Dialect::Postgres,
        &[SourceFile {
            path: "schema.sql",
            sql: &format!(
                "{f}ALTER FUNCTION f() OWNER TO CURRENT_USER;\nALTER FUNCTION f() RENAME TO g;"
            ),
        }],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(object(&s, OpaqueKind::Function, "g").name.name, "g");
    assert_eq!(
        report
            .skipped
            .iter()
            .map(|k| (k.line, k.kind.as_str()))
            .collect::<Vec<_>>(),
        [(2, "OWNER TO")]
    );
}

#[test]
fn a_comment_on_an_overload_lands_on_that_overload() {
    let s = ok(&format!(
        "{ADD} COMMENT ON FUNCTION add(integer, int4) IS 'sum'; COMMENT ON FUNCTION public.add(a text, text) IS 'concat';"
    ));
    let comments: Vec<_> = s
        .opaque
        .iter()
        .map(|o| (o.signature.as_deref(), o.comment.as_deref()))
        .collect();
    assert_eq!(
        comments,
        [
            (Some("integer, integer"), Some("sum")),
            (Some("text, text"), Some("concat"))
        ]
    );
    assert!(err(&format!("{ADD} COMMENT ON FUNCTION add IS 'x';")).contains("overloads"));
    assert!(
        err(&format!(
            "{ADD} COMMENT ON FUNCTION add(bigint, bigint) IS 'x';"
        ))
        .contains("does not exist")
    );
}

/// Every opaque object's kind is one the model names (and so can drop and
/// comment on): a `CREATE` of another kind is refused where it is written.
#[test]
fn objects_of_kinds_the_model_does_not_name_are_refused_where_written() {
    let sql = "CREATE TABLE t (id int);\n\
               CREATE CONVERSION latin_to_utf8 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;";
    let e = pg(sql).map(|s| s.opaque).unwrap_err();
    assert_eq!((e.line, e.column), (2, 1));
    assert!(e.message.contains("CONVERSION"), "{}", e.message);
}

#[test]
fn trigger_firing_follows_alter_table() {
    let base = "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (id int REFERENCES p);
        CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'begin return new; end';
        CREATE TRIGGER a BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
        CREATE TRIGGER b BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION tf();\n";
    let firing = |sql: &str| -> Vec<Firing> {
        let s = ok(&format!("{base}{sql}"));
        ["a", "b"]
            .iter()
            .map(|n| object(&s, OpaqueKind::Trigger, n).firing)
            .collect()
    };
    assert_eq!(
        firing("ALTER TABLE t DISABLE TRIGGER a, ENABLE REPLICA TRIGGER b;"),
        [Firing::Disabled, Firing::Replica]
    );
    assert_eq!(
        firing("ALTER TABLE t DISABLE TRIGGER USER; ALTER TABLE t ENABLE ALWAYS TRIGGER \"b\";"),
        [Firing::Disabled, Firing::Always]
    );
    assert_eq!(
        firing("ALTER TABLE t DISABLE TRIGGER ALL; ALTER TABLE t ENABLE TRIGGER ALL;"),
        [Firing::Origin, Firing::Origin]
    );
    // ALL also disables the foreign key's internal triggers: listed.
    let file = SourceFile {
        path: "schema.sql",
        sql: &format!("{base}ALTER TABLE t DISABLE TRIGGER ALL;"),
    };
    let (s, report) = parse_schema(Dialect::Postgres, &[file]).unwrap();
    assert_eq!(
        object(&s, OpaqueKind::Trigger, "a").firing,
        Firing::Disabled
    );
    assert!(
        report
            .skipped
            .iter()
            .any(|k| k.line == 5 && k.kind.contains("DISABLE TRIGGER ALL")),
        "{report:?}"
    );
    let e = err(&format!("{base}ALTER TABLE t DISABLE TRIGGER c;"));
    assert!(
        e.contains("trigger `c` for table `t` does not exist"),
        "{e}"
    );
    let e = err(&format!("{base}ALTER TABLE t DISABLE RULE r;"));
    assert!(e.contains("not modelled"), "{e}");
    // Statistics targets and event triggers.
    let s = ok(
        "CREATE TABLE t (a int, b int); CREATE STATISTICS s ON a, b FROM t;
        ALTER STATISTICS s SET STATISTICS 20000;",
    );
    assert_eq!(
        object(&s, OpaqueKind::Statistics, "s").statistics_target,
        Some(10000)
    );
    let s = ok(
        "CREATE TABLE t (a int, b int); CREATE STATISTICS s ON a, b FROM t;
        ALTER STATISTICS s SET STATISTICS 5; ALTER STATISTICS s SET STATISTICS -1;",
    );
    assert_eq!(
        object(&s, OpaqueKind::Statistics, "s").statistics_target,
        None
    );
    let s = ok(
        "CREATE FUNCTION ef() RETURNS event_trigger LANGUAGE plpgsql AS 'begin end';
        CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION ef();
        ALTER EVENT TRIGGER e ENABLE ALWAYS;",
    );
    assert_eq!(
        object(&s, OpaqueKind::EventTrigger, "e").firing,
        Firing::Always
    );
}

/// A renamed or moved object is created under its new name: the text that
/// creates it names it so.
#[test]
fn renamed_objects_are_created_by_their_new_name() {
    let s = ok("CREATE SCHEMA app;
        CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; ALTER FUNCTION f() RENAME TO g;
        CREATE DOMAIN d AS int; ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID;
        ALTER DOMAIN d RENAME TO e; ALTER DOMAIN e SET SCHEMA app;
        CREATE TABLE t (a int, b int); CREATE STATISTICS s ON a, b FROM t;
        ALTER STATISTICS s RENAME TO s2;");
    let sql = |kind, name| object(&s, kind, name).definition.sql().to_string();
    assert!(sql(OpaqueKind::Function, "g").starts_with("CREATE OR REPLACE FUNCTION g()"));
    let domain = sql(OpaqueKind::Domain, "e");
    assert!(
        domain.starts_with("CREATE DOMAIN app.e AS int")
            && domain.contains("ALTER DOMAIN app.e ADD CONSTRAINT c"),
        "{domain}"
    );
    assert!(sql(OpaqueKind::Statistics, "s2").starts_with("CREATE STATISTICS s2 ON"));
}
