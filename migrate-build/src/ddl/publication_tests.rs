//! What publications publish, read as the server keeps it.

use super::*;
use crate::schema::{OpaqueKind, PublicationMember, PublicationTarget, QualifiedName};

const TABLES: &str = "CREATE TABLE t (a int, b int, c text);\nCREATE TABLE ch () INHERITS (t);\n\
    CREATE TABLE pt (a int) PARTITION BY RANGE (a);\n\
    CREATE TABLE pt1 PARTITION OF pt FOR VALUES FROM (0) TO (10);\nCREATE SCHEMA s;\n";

fn schema(sql: &str) -> Schema {
    let sql = format!("{TABLES}{sql}");
    let file = SourceFile {
        path: "schema.sql",
        sql: &sql,
    };
    let (mut s, _) = parse_schema(Dialect::Postgres, &[file]).unwrap_or_else(|e| panic!("{e}"));
    s.sort();
    s
}

fn error(sql: &str) -> String {
    let sql = format!("{TABLES}{sql}");
    let file = SourceFile {
        path: "schema.sql",
        sql: &sql,
    };
    parse_schema(Dialect::Postgres, &[file])
        .map(|_| String::new())
        .unwrap_or_else(|e| e.to_string())
}

/// (table, columns, filter key) of each table member of `p`.
fn tables_of(s: &Schema, p: &str) -> Vec<(String, Option<Vec<String>>, Option<String>)> {
    s.publication_members
        .iter()
        .filter(|m| m.publication == p)
        .filter_map(|m| match &m.target {
            PublicationTarget::Table {
                table,
                columns,
                row_filter,
            } => Some((
                table.to_string(),
                columns.clone(),
                row_filter.as_ref().map(|e| e.key.clone()),
            )),
            PublicationTarget::Schema(_) => None,
        })
        .collect()
}

fn publication_of(s: &Schema) -> &crate::schema::OpaqueObject {
    s.opaque
        .iter()
        .find(|o| o.kind == OpaqueKind::Publication)
        .expect("a publication")
}

#[test]
fn a_publications_tables_as_pg_dump_prints_them_are_the_ones_written() {
    let written = schema("CREATE PUBLICATION feed FOR TABLE t (c, a) WHERE (b > 0 AND c <> 'x');");
    let dump = schema(
        "CREATE PUBLICATION feed WITH (publish = 'insert, update, delete, truncate');\n\
         ALTER PUBLICATION feed ADD TABLE ONLY public.ch (a, c) WHERE (((b > 0) AND (c <> 'x'::text)));\n\
         ALTER PUBLICATION feed ADD TABLE ONLY public.t (a, c) WHERE (((b > 0) AND (c <> 'x'::text)));",
    );
    assert_eq!(written.publication_members, dump.publication_members);
    assert_eq!(publication_of(&written), publication_of(&dump));
    assert_eq!(tables_of(&written, "feed").len(), 2);
    // The kept CREATE leaves the tables to their own statements.
    assert!(
        !publication_of(&written).definition.sql().contains("TABLE"),
        "{}",
        publication_of(&written).definition.sql()
    );
    let other = schema("CREATE PUBLICATION feed FOR TABLE t (a) WHERE (b > 0 AND c <> 'x');");
    assert_ne!(written.publication_members, other.publication_members);
    let other = schema("CREATE PUBLICATION feed FOR TABLE t (a, c) WHERE (b > 1 AND c <> 'x');");
    assert_ne!(written.publication_members, other.publication_members);
}

/// Without `ONLY` a table brings the tables inheriting from it, not its
/// partitions; `DROP TABLE` without `ONLY` takes them out again.
#[test]
fn a_table_without_only_brings_its_inheritance_tree() {
    let names =
        |s: &Schema| -> Vec<String> { tables_of(s, "feed").into_iter().map(|(t, ..)| t).collect() };
    assert_eq!(
        names(&schema("CREATE PUBLICATION feed FOR TABLE t, pt;")),
        ["ch", "pt", "t"]
    );
    assert_eq!(
        names(&schema("CREATE PUBLICATION feed FOR TABLE ONLY t;")),
        ["t"]
    );
    assert_eq!(
        names(&schema(
            "CREATE PUBLICATION feed FOR TABLE t;\nALTER PUBLICATION feed DROP TABLE ONLY t;"
        )),
        ["ch"]
    );
    let s =
        schema("CREATE PUBLICATION feed FOR TABLE t, pt1;\nALTER PUBLICATION feed DROP TABLE t;");
    assert_eq!(names(&s), ["pt1"]);
}

#[test]
fn alter_publication_adds_sets_drops_renames_and_sets_options() {
    let s = schema(
        "CREATE PUBLICATION supabase_realtime;\n\
         ALTER PUBLICATION supabase_realtime ADD TABLE ONLY public.t, TABLES IN SCHEMA s;\n\
         ALTER PUBLICATION supabase_realtime OWNER TO postgres;",
    );
    assert_eq!(s.publication_members.len(), 2);
    assert!(s.publication_members.contains(&PublicationMember {
        publication: "supabase_realtime".into(),
        target: PublicationTarget::Schema(Some("s".into())),
    }));
    let s = schema(
        "CREATE PUBLICATION feed FOR TABLE ONLY t;\nALTER PUBLICATION feed SET TABLE ONLY ch WHERE (a > 1);",
    );
    assert_eq!(tables_of(&s, "feed").len(), 1);
    assert_eq!(tables_of(&s, "feed")[0].0, "ch");
    let s =
        schema("CREATE PUBLICATION feed FOR TABLE ONLY t;\nALTER PUBLICATION feed RENAME TO news;");
    assert_eq!(publication_of(&s).name, QualifiedName::new("news"));
    assert_eq!(tables_of(&s, "news").len(), 1);
    assert!(tables_of(&s, "feed").is_empty());
    let set = schema("CREATE PUBLICATION feed;\nALTER PUBLICATION feed SET (publish = 'insert');");
    let written = schema("CREATE PUBLICATION feed WITH (publish = 'insert');");
    assert_eq!(publication_of(&set), publication_of(&written));
    assert_ne!(
        publication_of(&set),
        publication_of(&schema("CREATE PUBLICATION feed;"))
    );
    let s = schema("CREATE PUBLICATION feed FOR TABLE t;\nDROP PUBLICATION feed;");
    assert!(s.publication_members.is_empty());
}

/// Members follow their tables and columns, as the server's follow oids
/// and column numbers; a column a member uses is not dropped without
/// CASCADE, which drops the member.
#[test]
fn members_follow_their_tables_and_columns() {
    let s = schema(
        "CREATE PUBLICATION feed FOR TABLE ONLY t (a, b) WHERE (a > 0);\n\
         ALTER TABLE t RENAME COLUMN a TO id;\nALTER TABLE t RENAME TO items;",
    );
    let members = tables_of(&s, "feed");
    assert_eq!(members[0].0, "items");
    assert_eq!(members[0].1, Some(vec!["b".to_string(), "id".to_string()]));
    assert!(
        members[0].2.as_deref().is_some_and(|k| k.contains("id")),
        "{members:?}"
    );
    let e = error("CREATE PUBLICATION feed FOR TABLE ONLY t (a);\nALTER TABLE t DROP COLUMN a;");
    assert!(
        e.contains("schema.sql:7:1") && e.contains("publication `feed`"),
        "{e}"
    );
    let s = schema(
        "CREATE PUBLICATION feed FOR TABLE ONLY t (a);\nALTER TABLE t DROP COLUMN a CASCADE;",
    );
    assert!(s.publication_members.is_empty());
    let s = schema("CREATE PUBLICATION feed FOR TABLE ONLY t (a);\nALTER TABLE t DROP COLUMN c;");
    assert_eq!(s.publication_members.len(), 1);
    let s = schema(
        "CREATE PUBLICATION feed FOR TABLE t;\nDROP TABLE ch;\nCREATE TABLE s.x (id int);\n\
        ALTER PUBLICATION feed ADD TABLES IN SCHEMA s;\nDROP SCHEMA s CASCADE;",
    );
    assert_eq!(tables_of(&s, "feed").len(), 1);
    assert_eq!(s.publication_members.len(), 1);
}

/// What the server refuses is refused where it is written.
#[test]
fn what_the_server_refuses_is_refused() {
    for (sql, needle) in [
        (
            "CREATE PUBLICATION feed FOR TABLE nope;",
            "table `nope` does not exist",
        ),
        (
            "CREATE VIEW v AS SELECT 1;\nCREATE PUBLICATION feed FOR TABLE v;",
            "is a view",
        ),
        (
            "CREATE PUBLICATION feed FOR TABLE t (nope);",
            "column `nope` of `t` does not exist",
        ),
        (
            "CREATE PUBLICATION feed FOR TABLES IN SCHEMA nope;",
            "schema `nope` does not exist",
        ),
        (
            "CREATE PUBLICATION feed FOR TABLE t;\nALTER PUBLICATION feed ADD TABLE ONLY ch;",
            "schema.sql:7:1: table `ch` is already a member of publication `feed`",
        ),
        (
            "CREATE PUBLICATION feed;\nALTER PUBLICATION feed DROP TABLE t;",
            "is not part of publication `feed`",
        ),
        (
            "CREATE PUBLICATION feed FOR ALL TABLES;\nALTER PUBLICATION feed ADD TABLE t;",
            "FOR ALL TABLES",
        ),
        (
            "CREATE PUBLICATION feed FOR TABLE t (a), TABLES IN SCHEMA s;",
            "column list and TABLES IN SCHEMA",
        ),
        (
            "CREATE PUBLICATION feed FOR TABLE ONLY t;\nALTER PUBLICATION feed DROP TABLE t WHERE (a > 1);",
            "takes no column list or WHERE",
        ),
        (
            "CREATE PUBLICATION feed FOR TABLE t (a), t (b);",
            "names a table twice",
        ),
        (
            "CREATE PUBLICATION feed;\nALTER PUBLICATION feed ENABLE;",
            "schema.sql:7:1: ALTER PUBLICATION near `ENABLE` is not modelled",
        ),
    ] {
        let e = error(sql);
        assert!(e.contains(needle), "{sql}: {e}");
    }
}
