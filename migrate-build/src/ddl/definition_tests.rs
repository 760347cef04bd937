//! Definitions kept as text compare as the server keeps them: a migration's
//! spelling and pg_dump's meet, a changed body or option does not.

use super::*;
use crate::schema::{OpaqueKind, OpaqueObject};

fn one(sql: &str, kind: OpaqueKind) -> OpaqueObject {
    let file = SourceFile {
        path: "schema.sql",
        sql,
    };
    let (s, _) = parse_schema(Dialect::Postgres, &[file]).unwrap_or_else(|e| panic!("{e}"));
    s.opaque
        .into_iter()
        .rev()
        .find(|o| o.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} in {sql}"))
}

const TABLE: &str = "CREATE TABLE versions (id int, crate_id int, updated_at timestamptz);\n";

fn same(kind: OpaqueKind, a: &str, b: &str) -> bool {
    one(&format!("{TABLE}{a}"), kind) == one(&format!("{TABLE}{b}"), kind)
}

const MIGRATION_FN: &str = "CREATE FUNCTION normalize(varchar, n int4 DEFAULT 2) RETURNS varchar AS $_$ SELECT lower($1) $_$ LANGUAGE SQL IMMUTABLE STRICT COST 100;";

#[test]
fn a_routine_as_pg_dump_prints_it_is_the_one_the_migration_wrote() {
    let dump = "CREATE FUNCTION public.normalize(character varying, n integer DEFAULT 2) RETURNS character varying\n    LANGUAGE sql IMMUTABLE STRICT\n    AS $_$ SELECT lower($1) $_$;";
    assert!(same(OpaqueKind::Function, MIGRATION_FN, dump));
    let plpgsql_old = "CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE 'plpgsql' VOLATILE CALLED ON NULL INPUT SECURITY INVOKER;";
    let plpgsql_dump = "CREATE FUNCTION public.touch() RETURNS trigger\n    LANGUAGE plpgsql\n    AS $$ BEGIN RETURN NEW; END $$;";
    assert!(same(OpaqueKind::Function, plpgsql_old, plpgsql_dump));
    let set = "CREATE FUNCTION s() RETURNS SETOF int LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp ROWS 1000 AS 'SELECT 1';";
    let set_dump = "CREATE FUNCTION public.s() RETURNS SETOF integer\n    LANGUAGE sql SECURITY DEFINER\n    SET search_path TO 'public', 'pg_temp'\n    AS $$SELECT 1$$;";
    assert!(same(OpaqueKind::Function, set, set_dump));
}

#[test]
fn a_routine_with_another_body_or_option_is_another_routine() {
    let changed = [
        MIGRATION_FN.replace("lower", "upper"),
        MIGRATION_FN.replace(" IMMUTABLE", " STABLE"),
        MIGRATION_FN.replace(" STRICT", ""),
        MIGRATION_FN.replace("COST 100", "COST 5"),
        MIGRATION_FN.replace("DEFAULT 2", "DEFAULT 3"),
        MIGRATION_FN.replace("n int4", "m int4"),
        MIGRATION_FN.replace("RETURNS varchar", "RETURNS text"),
        MIGRATION_FN.replace("LANGUAGE SQL", "LANGUAGE plpgsql"),
        MIGRATION_FN.replace("STRICT", "STRICT SECURITY DEFINER"),
        MIGRATION_FN.replace("STRICT", "STRICT PARALLEL SAFE"),
        MIGRATION_FN.replace("STRICT", "STRICT SET search_path = x"),
    ];
    for other in &changed {
        assert!(!same(OpaqueKind::Function, MIGRATION_FN, other), "{other}");
    }
}

const MIGRATION_TRIGGER: &str = "CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql;
CREATE TRIGGER touch_versions BEFORE UPDATE OR INSERT ON versions FOR EACH ROW WHEN (NEW.id > 0) EXECUTE PROCEDURE touch(crate, 3);";

#[test]
fn a_trigger_as_pg_dump_prints_it_is_the_one_the_migration_wrote() {
    let dump = "CREATE FUNCTION public.touch() RETURNS trigger\n    LANGUAGE plpgsql\n    AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER touch_versions BEFORE INSERT OR UPDATE ON public.versions FOR EACH ROW WHEN ((new.id > 0)) EXECUTE FUNCTION public.touch('crate', '3');";
    assert!(same(OpaqueKind::Trigger, MIGRATION_TRIGGER, dump));
    let changed = [
        MIGRATION_TRIGGER.replace("BEFORE", "AFTER"),
        MIGRATION_TRIGGER.replace("UPDATE OR ", "UPDATE OF updated_at OR "),
        MIGRATION_TRIGGER.replace("FOR EACH ROW ", ""),
        MIGRATION_TRIGGER.replace("> 0", "> 1"),
        MIGRATION_TRIGGER.replace("crate, 3", "crate"),
        MIGRATION_TRIGGER
            .replace("CREATE TRIGGER", "CREATE CONSTRAINT TRIGGER")
            .replace("BEFORE", "AFTER"),
    ];
    for other in &changed {
        assert!(
            !same(OpaqueKind::Trigger, MIGRATION_TRIGGER, other),
            "{other}"
        );
    }
}

#[test]
fn a_composite_type_qualified_by_pg_dump_is_the_same_type() {
    let a = "CREATE TYPE feature AS (name text, subfeatures text[]);";
    let b = "CREATE TYPE public.feature AS (\n\tname text,\n\tsubfeatures text[]\n);";
    assert!(same(OpaqueKind::Type, a, b));
    assert!(!same(
        OpaqueKind::Type,
        a,
        &a.replace("name text", "name varchar")
    ));
}

fn view_of(sql: &str) -> crate::schema::View {
    let file = SourceFile {
        path: "schema.sql",
        sql,
    };
    let (s, _) = parse_schema(Dialect::Postgres, &[file]).unwrap_or_else(|e| panic!("{e}"));
    s.views
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no view in {sql}"))
}

const DOWNLOADS: &str = "CREATE TABLE version_downloads (version_id int, downloads int, date date);
CREATE TABLE versions (id int, crate_id int);\n";

const MIGRATION_VIEW: &str = "CREATE MATERIALIZED VIEW recent (crate_id, downloads) AS
  SELECT crate_id, SUM(version_downloads.downloads) FROM version_downloads
    INNER JOIN versions ON version_downloads.version_id = versions.id
    WHERE version_downloads.date > date(CURRENT_TIMESTAMP - INTERVAL '90 days')
    GROUP BY crate_id;";

#[test]
fn a_view_as_pg_dump_prints_it_is_the_one_the_migration_wrote() {
    let dump = "CREATE MATERIALIZED VIEW public.recent AS
 SELECT versions.crate_id,
    sum(version_downloads.downloads) AS downloads
   FROM (public.version_downloads
     JOIN public.versions ON ((version_downloads.version_id = versions.id)))
  WHERE (version_downloads.date > date((CURRENT_TIMESTAMP - '90 days'::interval)))
  GROUP BY versions.crate_id
  WITH NO DATA;";
    let written = view_of(&format!("{DOWNLOADS}{MIGRATION_VIEW}"));
    assert_eq!(written, view_of(&format!("{DOWNLOADS}{dump}")));
    let changed = [
        MIGRATION_VIEW.replace("SUM(", "MAX("),
        MIGRATION_VIEW.replace("(crate_id, downloads)", "(crate_id, total)"),
        MIGRATION_VIEW.replace("90 days", "30 days"),
        MIGRATION_VIEW.replace("INNER JOIN", "LEFT JOIN"),
        MIGRATION_VIEW.replace("= versions.id", "= versions.crate_id"),
        MIGRATION_VIEW.replace("GROUP BY crate_id", "GROUP BY crate_id HAVING count(*) > 1"),
        MIGRATION_VIEW.replace(
            "version_downloads.version_id =",
            "version_downloads.downloads =",
        ),
    ];
    for other in &changed {
        assert_ne!(written, view_of(&format!("{DOWNLOADS}{other}")), "{other}");
    }
}

/// A qualifier goes only where its column is one only its relation has:
/// `a.x` and `b.x` are two views when both tables have an `x`.
#[test]
fn a_qualifier_that_tells_two_columns_apart_is_kept() {
    let tables = "CREATE TABLE a (id int, x int); CREATE TABLE b (id int, x int, y int);\n";
    let v = |select: &str| view_of(&format!("{tables}CREATE VIEW v AS {select};"));
    let a = v("SELECT a.x FROM a JOIN b ON a.id = b.id");
    assert_ne!(a, v("SELECT b.x FROM a JOIN b ON a.id = b.id"));
    assert_ne!(a, v("SELECT a.x FROM a JOIN b ON a.id = b.x"));
    assert_eq!(
        a,
        v("SELECT a.x FROM public.a JOIN public.b ON ((a.id = b.id))")
    );
    // `y` is only b's: written bare or qualified, it is the same column.
    assert_eq!(
        v("SELECT y FROM a JOIN b ON a.id = b.id"),
        v("SELECT b.y FROM (public.a JOIN public.b ON ((a.id = b.id)))")
    );
    // The name resolves when the view is made: a column added later to
    // the other table does not change which one the view reads (the
    // server, and pg_dump after it, print `b.y`).
    let later = view_of(&format!(
        "{tables}CREATE VIEW v AS SELECT y FROM a JOIN b ON a.id = b.id; ALTER TABLE a ADD COLUMN y int;"
    ));
    let dumped = view_of(&format!(
        "{}CREATE VIEW v AS SELECT b.y FROM (public.a JOIN public.b ON ((a.id = b.id)));",
        tables.replace("(id int, x int)", "(id int, x int, y int)")
    ));
    assert_eq!(later, dumped);
}

const EVENT_FN: &str =
    "CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;\n";

fn same_event_trigger(a: &str, b: &str) -> bool {
    one(&format!("{EVENT_FN}{a}"), OpaqueKind::EventTrigger)
        == one(&format!("{EVENT_FN}{b}"), OpaqueKind::EventTrigger)
}

/// The server keeps the tags upper-cased and prints `EXECUTE FUNCTION`
/// with the function's schema.
#[test]
fn an_event_trigger_as_pg_dump_prints_it_is_the_one_written() {
    let written = "create event trigger audit on ddl_command_end when tag in ('create table', 'alter table') execute procedure log_ddl();";
    let dump = "CREATE EVENT TRIGGER audit ON ddl_command_end\n         WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')\n   EXECUTE FUNCTION public.log_ddl();";
    assert!(same_event_trigger(written, dump));
    for other in [
        dump.replace("ddl_command_end", "ddl_command_start"),
        dump.replace(", 'ALTER TABLE'", ""),
        "CREATE EVENT TRIGGER audit ON ddl_command_end EXECUTE FUNCTION log_ddl();".to_string(),
    ] {
        assert!(!same_event_trigger(written, &other), "{other}");
    }
    let o = one(&format!("{EVENT_FN}{written}"), OpaqueKind::EventTrigger);
    assert_eq!(o.name.schema, None);
    assert!(
        o.references.iter().any(|r| r.name.name == "log_ddl"),
        "{:?}",
        o.references
    );
}

fn publication(sql: &str) -> OpaqueObject {
    one(sql, OpaqueKind::Publication)
}

/// pg_dump writes the `publish` list out in full; the server keeps the
/// operations as flags, in no order.
#[test]
fn a_publication_as_pg_dump_prints_it_is_the_one_written() {
    let dump =
        publication("CREATE PUBLICATION feed WITH (publish = 'insert, update, delete, truncate');");
    assert_eq!(publication("CREATE PUBLICATION feed;"), dump);
    assert_eq!(
        publication("CREATE PUBLICATION feed WITH (publish = 'update,insert')"),
        publication("CREATE PUBLICATION feed WITH (publish = 'insert, update')")
    );
    for other in [
        "CREATE PUBLICATION feed WITH (publish = 'insert')",
        "CREATE PUBLICATION feed FOR ALL TABLES",
        "CREATE PUBLICATION feed WITH (publish_via_partition_root = true)",
    ] {
        assert_ne!(publication(other), dump, "{other}");
    }
}

/// A publication's owner is not modelled: skipped and reported.
#[test]
fn a_publications_owner_is_skipped() {
    let file = SourceFile {
        path: "schema.sql",
        sql: "CREATE PUBLICATION feed;\nALTER PUBLICATION feed OWNER TO postgres;\nDROP PUBLICATION feed;",
    };
    let (s, report) = parse_schema(Dialect::Postgres, &[file]).unwrap();
    assert!(s.opaque.is_empty());
    assert_eq!(report.skipped.len(), 1);
}

/// pg_dump qualifies a bare column read from a view by the view, as from a
/// table: the column is found among the view's own columns.
#[test]
fn bare_columns_read_from_a_view_are_qualified_by_it() {
    let key = |sql: &str| {
        let file = crate::ddl::SourceFile {
            path: "schema.sql",
            sql,
        };
        let (s, _) = crate::ddl::parse_schema(crate::Dialect::Postgres, &[file]).expect("schema");
        let v = s
            .view(&crate::schema::QualifiedName::new("v1"))
            .expect("view")
            .definition
            .clone();
        v
    };
    let written = key(
        "CREATE TABLE t (a int);\nCREATE VIEW v0 AS SELECT a FROM t;\nCREATE VIEW v1 AS SELECT a FROM v0 WHERE a > 0;",
    );
    let dumped = key(
        "CREATE TABLE public.t (a integer);\nCREATE VIEW public.v0 AS\n SELECT t.a\n   FROM public.t;\nCREATE VIEW public.v1 AS\n SELECT v0.a\n   FROM public.v0\n  WHERE (v0.a > 0);",
    );
    assert_eq!(written, dumped);
    let other = key(
        "CREATE TABLE t (a int);\nCREATE VIEW v0 AS SELECT a FROM t;\nCREATE VIEW v1 AS SELECT a FROM v0 WHERE a > 1;",
    );
    assert_ne!(written, other);
}
