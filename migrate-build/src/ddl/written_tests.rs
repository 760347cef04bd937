//! Statements as real applications and old pg_dump versions write them:
//! each is read into the model as the server stores it, or refused at its
//! line and column.

use super::*;
use crate::schema::QualifiedName;

fn pg(sql: &str) -> Schema {
    let file = SourceFile {
        path: "schema.sql",
        sql,
    };
    match parse_schema(Dialect::Postgres, &[file]) {
        Ok((schema, _)) => schema,
        Err(e) => panic!("{e}"),
    }
}

fn pg_err(sql: &str) -> DdlError {
    let file = SourceFile {
        path: "schema.sql",
        sql,
    };
    parse_schema(Dialect::Postgres, &[file]).expect_err("expected an error")
}

fn refused(sql: &str, line: usize, column: usize, message: &str) {
    let e = pg_err(sql);
    assert_eq!((e.line, e.column), (line, column), "{e}");
    assert!(e.message.contains(message), "{e}");
}

#[test]
fn a_shell_type_is_refused() {
    refused(
        "CREATE TABLE t (a int);\nCREATE TYPE public.shell;",
        2,
        1,
        "CREATE TYPE `shell` without a definition (a shell type) is not modelled",
    );
    let s = pg("CREATE TYPE pair AS (a int, b int);");
    assert_eq!(s.opaque.len(), 1);
    assert!(s.table(&QualifiedName::new("pair")).is_none());
}

#[test]
fn default_key_names_count_include_columns() {
    let s = pg(
        "CREATE TABLE t (a int, b int, c int, PRIMARY KEY (c) INCLUDE (a),
                    UNIQUE NULLS NOT DISTINCT (a, b) INCLUDE (a));
                CREATE INDEX ON t (a) INCLUDE (b, a);
                CREATE INDEX ON t (((a + 1)::bigint), (b::text), lower(c::text));",
    );
    let t = s.table(&QualifiedName::new("t")).expect("table");
    assert_eq!(t.primary_key.as_ref().unwrap().include, ["a"]);
    assert_eq!(t.uniques[0].name.as_deref(), Some("t_a_b_a1_key"));
    assert_eq!(t.uniques[0].include, ["a"]);
    let names: Vec<&str> = s.indexes.iter().map(|i| i.name.name.as_str()).collect();
    assert_eq!(names, ["t_a_b_a1_idx", "t_int8_b_lower_idx"]);
}
