use super::*;
use crate::schema::{
    ColumnStorage, Deferrable, ForeignKeyAction, Identity, IndexExpr, OpaqueKind, QualifiedName,
    StorageParam, Table,
};

fn pg(sql: &str) -> Schema {
    run(Dialect::Postgres, sql)
}

fn lite(sql: &str) -> Schema {
    run(Dialect::Sqlite, sql)
}

fn run(dialect: Dialect, sql: &str) -> Schema {
    let file = SourceFile {
        path: "schema.sql",
        sql,
    };
    match parse_schema(dialect, &[file]) {
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

fn table<'s>(s: &'s Schema, name: &str) -> &'s Table {
    s.table(&QualifiedName::new(name)).expect("table")
}

#[test]
fn create_table_with_inline_constraints_gets_server_names() {
    let s = pg("CREATE TABLE users (id SERIAL PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE, age int CHECK (age > 0));
                CREATE TABLE posts (id bigint PRIMARY KEY, user_id int REFERENCES users ON DELETE CASCADE, CHECK (id > 0 AND user_id > 0));");
    let users = table(&s, "users");
    assert_eq!(
        users.primary_key.as_ref().unwrap().name.as_deref(),
        Some("users_pkey")
    );
    assert_eq!(users.uniques[0].name.as_deref(), Some("users_email_key"));
    assert_eq!(users.checks[0].name.as_deref(), Some("users_age_check"));
    let id = users.column("id", Dialect::Postgres).unwrap();
    assert_eq!(id.ty.to_string(), "integer");
    assert!(!id.nullable);
    assert_eq!(
        id.default.as_ref().unwrap().sql,
        "nextval('users_id_seq'::regclass)"
    );
    let seq = s.sequence(&QualifiedName::new("users_id_seq")).unwrap();
    assert_eq!(
        seq.owned_by,
        Some((QualifiedName::new("users"), "id".to_string()))
    );
    let email = users.column("email", Dialect::Postgres).unwrap();
    assert_eq!(email.ty.to_string(), "character varying(255)");
    let posts = table(&s, "posts");
    let fk = &posts.foreign_keys[0];
    assert_eq!(fk.name.as_deref(), Some("posts_user_id_fkey"));
    assert_eq!(fk.referenced_columns, vec!["id"]);
    assert_eq!(fk.on_delete, ForeignKeyAction::Cascade);
    assert_eq!(posts.checks[0].name.as_deref(), Some("posts_check"));
}

#[test]
fn table_level_constraints_named_and_deferrable() {
    let s = pg("CREATE TABLE a (x int, y int, CONSTRAINT a_pk PRIMARY KEY (x, y), UNIQUE (y, x) DEFERRABLE INITIALLY DEFERRED);
                CREATE TABLE b (x int, y int, FOREIGN KEY (x, y) REFERENCES a (x, y) ON UPDATE SET NULL);");
    let a = table(&s, "a");
    assert_eq!(
        a.primary_key.as_ref().unwrap().name.as_deref(),
        Some("a_pk")
    );
    assert_eq!(a.uniques[0].name.as_deref(), Some("a_y_x_key"));
    assert_eq!(a.uniques[0].deferrable, Deferrable::InitiallyDeferred);
    let b = table(&s, "b");
    assert_eq!(b.foreign_keys[0].name.as_deref(), Some("b_x_y_fkey"));
    assert_eq!(b.foreign_keys[0].on_update, ForeignKeyAction::SetNull);
}

#[test]
fn duplicate_default_names_get_a_counter() {
    let s = pg("CREATE TABLE t (a int UNIQUE); ALTER TABLE t ADD UNIQUE (a);");
    let names: Vec<_> = table(&s, "t")
        .uniques
        .iter()
        .map(|u| u.name.clone().unwrap())
        .collect();
    assert_eq!(names, vec!["t_a_key", "t_a_key1"]);
}

#[test]
fn create_table_if_not_exists_is_a_no_op() {
    let s = pg("CREATE TABLE t (a int); CREATE TABLE IF NOT EXISTS t (b text);");
    assert_eq!(table(&s, "t").columns.len(), 1);
    let e = pg_err("CREATE TABLE t (a int);\nCREATE TABLE t (b text);");
    assert_eq!((e.line, e.column), (2, 1));
    assert!(e.message.contains("already exists"), "{e}");
}

#[test]
fn names_fold_in_postgres_and_not_in_sqlite() {
    let s = pg("CREATE TABLE public.Users (\"Id\" int, Name text);");
    let t = table(&s, "users");
    assert_eq!(t.columns[0].name, "Id");
    assert_eq!(t.columns[1].name, "name");
    let s = lite(
        "CREATE TABLE [Users] (`Id` INTEGER PRIMARY KEY AUTOINCREMENT, name nvarchar(40)); CREATE INDEX ix ON users (NAME);",
    );
    let t = table(&s, "USERS");
    assert_eq!(t.name.name, "Users");
    assert!(t.columns[0].autoincrement);
    assert_eq!(t.columns[1].ty.to_string(), "NVARCHAR(40)");
    assert_eq!(t.primary_key.as_ref().unwrap().name, None);
    assert_eq!(
        s.indexes[0].columns[0].expr,
        IndexExpr::Column("name".into())
    );
}

#[test]
fn alter_table_every_form() {
    let s = pg("CREATE TABLE t (a int, b text, c int);
        ALTER TABLE ONLY t ADD COLUMN d varchar(10) DEFAULT 'x' NOT NULL, DROP COLUMN c;
        ALTER TABLE t RENAME COLUMN b TO bb;
        ALTER TABLE t ALTER COLUMN a TYPE bigint USING a::bigint, ALTER COLUMN a SET NOT NULL;
        ALTER TABLE t ALTER COLUMN bb SET DEFAULT 'y', ALTER COLUMN d DROP DEFAULT, ALTER COLUMN d DROP NOT NULL;
        ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (a);
        ALTER TABLE t ADD CONSTRAINT chk CHECK (a > 0);
        ALTER TABLE t DROP CONSTRAINT IF EXISTS nope;
        ALTER TABLE t RENAME CONSTRAINT chk TO chk2;
        ALTER TABLE t ADD COLUMN e int GENERATED ALWAYS AS IDENTITY;
        ALTER TABLE t ADD COLUMN f int; ALTER TABLE t ALTER COLUMN f ADD GENERATED BY DEFAULT AS IDENTITY;
        ALTER TABLE t RENAME TO u;
        ALTER TABLE IF EXISTS missing ADD COLUMN z int;");
    let t = table(&s, "u");
    let names: Vec<_> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["a", "bb", "d", "e", "f"]);
    let a = &t.columns[0];
    assert_eq!((a.ty.name.as_str(), a.nullable), ("bigint", false));
    assert_eq!(
        t.columns[1].default.as_ref().unwrap().key,
        Expr::new("'y'", Dialect::Postgres).key
    );
    assert!(t.columns[2].default.is_none() && t.columns[2].nullable);
    assert_eq!(t.columns[3].identity, Some(Identity::Always));
    assert_eq!(t.columns[4].identity, Some(Identity::ByDefault));
    assert_eq!(t.checks[0].name.as_deref(), Some("chk2"));
    // Renaming a table keeps its constraint names.
    assert_eq!(
        t.primary_key.as_ref().unwrap().name.as_deref(),
        Some("t_pk")
    );
}

#[test]
fn renamed_columns_are_renamed_in_constraints_and_indexes() {
    let s = pg(
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int REFERENCES p, x int UNIQUE);
        CREATE INDEX ON c (x); ALTER TABLE c ADD CHECK (x > 0);
        CREATE INDEX c_low ON c (abs(x)) WHERE x IS NOT NULL;
        ALTER TABLE c RENAME x TO y; ALTER TABLE p RENAME COLUMN id TO pk;",
    );
    let c = table(&s, "c");
    assert_eq!(c.uniques[0].columns, vec!["y"]);
    assert_eq!(c.foreign_keys[0].referenced_columns, vec!["pk"]);
    assert_eq!(s.indexes[0].name.name, "c_x_idx");
    assert_eq!(s.indexes[0].columns[0].expr, IndexExpr::Column("y".into()));
    assert_eq!(c.checks[0].expr.sql, "y > 0");
    assert_eq!(c.checks[0].name.as_deref(), Some("c_x_check"));
    let low = s.index(&QualifiedName::new("c_low")).unwrap();
    assert_eq!(
        low.columns[0].expr,
        IndexExpr::Expression(Expr::new("abs(y)", Dialect::Postgres))
    );
    assert_eq!(low.predicate.as_ref().unwrap().sql, "y IS NOT NULL");
}

#[test]
fn drop_table_cascade_drops_dependents() {
    let e = pg_err(
        "CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (pid int REFERENCES p);\nDROP TABLE p;",
    );
    assert_eq!(e.line, 3);
    let s = pg(
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int REFERENCES p);
        CREATE VIEW v AS SELECT * FROM p; CREATE VIEW w AS SELECT * FROM v; DROP TABLE p CASCADE;",
    );
    assert!(table(&s, "c").foreign_keys.is_empty());
    assert!(s.views.is_empty());
    let s =
        pg("CREATE TABLE a (x serial); CREATE INDEX ai ON a (x); DROP TABLE IF EXISTS a, nothing;");
    assert!(s.is_empty(), "{s:?}");
}

#[test]
fn indexes_every_form() {
    let s = pg("CREATE TABLE t (a int, b text, c int);
        CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_ab ON ONLY t USING btree (a DESC, b NULLS FIRST) INCLUDE (c) WHERE a > 0;
        CREATE INDEX ON t USING gin (b gin_trgm_ops);
        CREATE INDEX ON t (lower(b));
        CREATE INDEX ON t (a, c);
        CREATE INDEX ON t ((a + c), (b || 'x'));
        CREATE INDEX IF NOT EXISTS t_ab ON t (c);
        ALTER INDEX t_ab RENAME TO t_ab2;");
    let i = s.index(&QualifiedName::new("t_ab2")).unwrap();
    assert!(i.unique);
    assert_eq!(i.method, None);
    assert!(i.columns[0].descending && i.columns[0].nulls_first.is_none());
    assert_eq!(i.columns[1].nulls_first, Some(true));
    assert_eq!(i.include, vec!["c"]);
    assert!(i.predicate.is_some());
    let names: Vec<_> = s
        .indexes
        .iter()
        .take(4)
        .map(|i| i.name.name.as_str())
        .collect();
    assert_eq!(names, vec!["t_ab2", "t_b_idx", "t_lower_idx", "t_a_c_idx"]);
    assert_eq!(
        s.index(&QualifiedName::new("t_expr_expr1_idx"))
            .unwrap()
            .columns
            .len(),
        2
    );
    assert_eq!(s.indexes[1].method.as_deref(), Some("gin"));
    assert_eq!(
        s.indexes[1].columns[0].opclass.as_deref(),
        Some("gin_trgm_ops")
    );
    let s = pg(
        "CREATE TABLE t (a int); CREATE INDEX i ON t (a); DROP INDEX CONCURRENTLY IF EXISTS i; DROP INDEX IF EXISTS i;",
    );
    assert!(s.indexes.is_empty());
}

#[test]
fn enums_every_form() {
    let s = pg("CREATE TYPE mood AS ENUM ('sad', 'happy');
        ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';
        ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok';
        ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy';
        ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';
        CREATE TABLE p (m mood NOT NULL);
        ALTER TYPE mood RENAME TO feeling;");
    let e = s.enum_type(&QualifiedName::new("feeling")).unwrap();
    assert_eq!(e.values, vec!["blue", "ok", "happy", "ecstatic"]);
    let m = &table(&s, "p").columns[0].ty;
    assert!(m.user_defined);
    assert_eq!(m.name, "feeling");
    let s = pg("CREATE TYPE x AS ENUM ('a'); DROP TYPE IF EXISTS x, y;");
    assert!(s.enums.is_empty());
}

#[test]
fn views_sequences_extensions_schemas_comments() {
    let s = pg("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
        CREATE SCHEMA utils; CREATE TABLE utils.t (a int); COMMENT ON TABLE utils.t IS 'tee';
        COMMENT ON COLUMN utils.t.a IS 'ay';
        CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; COMMENT ON FUNCTION f() IS 'x';
        CREATE SEQUENCE s START 5; ALTER SEQUENCE s OWNED BY utils.t.a; ALTER SEQUENCE s RENAME TO s2;
        CREATE MATERIALIZED VIEW mv AS SELECT a FROM utils.t WITH NO DATA;
        CREATE OR REPLACE VIEW v AS SELECT 1; CREATE OR REPLACE VIEW v AS SELECT 2;");
    assert_eq!(s.extensions[0].name, "pg_trgm");
    assert_eq!(s.namespaces, vec!["utils"]);
    // pg_dump writes this; `public` is the default schema, not a new one.
    let public = pg("CREATE SCHEMA IF NOT EXISTS public; CREATE TABLE public.t (a int);");
    assert!(public.namespaces.is_empty());
    assert!(public.table(&QualifiedName::new("t")).is_some());
    let t = s
        .table(&QualifiedName::with_schema(Some("utils".into()), "t"))
        .unwrap();
    assert_eq!(t.comment.as_deref(), Some("tee"));
    assert_eq!(t.columns[0].comment.as_deref(), Some("ay"));
    let seq = s.sequence(&QualifiedName::new("s2")).unwrap();
    assert_eq!(seq.owned_by.as_ref().unwrap().1, "a");
    assert_eq!(seq.options.start, 5);
    assert_eq!(s.opaque[0].comment.as_deref(), Some("x"));
    let mv = s.view(&QualifiedName::new("mv")).unwrap();
    assert!(mv.materialized);
    assert_eq!(mv.definition.sql(), "SELECT a FROM utils.t");
    assert_eq!(
        s.view(&QualifiedName::new("v")).unwrap().definition.sql(),
        "SELECT 2"
    );
    let s = pg(
        "CREATE SCHEMA r; CREATE TABLE r.x (a int); DROP SCHEMA r CASCADE; DROP EXTENSION IF EXISTS foo;",
    );
    assert!(s.is_empty());
}

#[test]
fn opaque_objects_are_kept_by_name_and_dropped() {
    let sql = "CREATE TABLE t (a int);
        CREATE OR REPLACE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.a := 1; RETURN NEW; END; $$ LANGUAGE plpgsql;
        CREATE TRIGGER trg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();
        CREATE DOMAIN posint AS int CHECK (VALUE > 0);
        CREATE TYPE semver AS (major int, minor int);
        CREATE STATISTICS st ON a, a FROM t;";
    let s = pg(sql);
    let kinds: Vec<_> = s.opaque.iter().map(|o| o.kind).collect();
    assert_eq!(
        kinds,
        vec![
            OpaqueKind::Function,
            OpaqueKind::Trigger,
            OpaqueKind::Domain,
            OpaqueKind::Type,
            OpaqueKind::Statistics
        ]
    );
    assert_eq!(s.opaque[1].on_table, Some(QualifiedName::new("t")));
    let s = pg(&format!(
        "{sql} DROP TRIGGER IF EXISTS trg ON t; DROP FUNCTION IF EXISTS f(); DROP DOMAIN posint; DROP TYPE semver; DROP STATISTICS st;"
    ));
    assert!(s.opaque.is_empty(), "{:?}", s.opaque);
    let e = pg_err("DROP FUNCTION nope(int);");
    assert!(e.message.contains("does not exist"), "{e}");
}

#[test]
fn sqlite_triggers_and_table_options() {
    let s = lite(
        "CREATE TABLE t (a INTEGER PRIMARY KEY, b) WITHOUT ROWID;
        CREATE TRIGGER IF NOT EXISTS tr AFTER INSERT ON t BEGIN UPDATE t SET b = 1; END;
        DROP TRIGGER tr;",
    );
    let t = table(&s, "t");
    assert!(t.without_rowid);
    assert_eq!(t.columns[1].ty.name, "");
    assert!(s.opaque.is_empty());
}

#[test]
fn data_statements_are_skipped_and_reported() {
    let file = SourceFile {
        path: "m.sql",
        sql: "SET search_path = public;\nCREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nDO $$ BEGIN PERFORM 1; END $$;\n\\c db\nGRANT SELECT ON t TO x;",
    };
    let (_, report) = parse_schema(Dialect::Postgres, &[file]).unwrap();
    let kinds: Vec<_> = report.skipped.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(kinds, vec!["SET", "INSERT", "DO", "\\c", "GRANT"]);
    assert_eq!((report.skipped[1].line, report.skipped[1].column), (3, 1));
}

/// `sqlite3 .schema` prints the tables SQLite keeps itself; no statement
/// may create them, so they are listed as skipped, and `CREATE SCHEMA
/// public` (`pg_dump -n public`) names the schema every database has.
#[test]
fn what_a_dump_lists_of_the_databases_own_objects_is_skipped() {
    let file = SourceFile {
        path: "schema.sql",
        sql: "CREATE TABLE k (id INTEGER PRIMARY KEY AUTOINCREMENT, v NOT NULL);\nCREATE TABLE sqlite_sequence(name,seq);\nCREATE TABLE sqlite_stat1(tbl,idx,stat);",
    };
    let (s, report) = parse_schema(Dialect::Sqlite, &[file]).unwrap();
    assert_eq!(s.tables.len(), 1);
    let kinds: Vec<_> = report.skipped.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(
        kinds,
        vec![
            "CREATE TABLE sqlite_sequence (the database's own table)",
            "CREATE TABLE sqlite_stat1 (the database's own table)"
        ]
    );
    let s = pg(
        "CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog;\nCOMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';",
    );
    assert!(s.extensions.is_empty());
    assert!(
        pg_err("COMMENT ON EXTENSION plpgsql IS 'ours';")
            .message
            .contains("not modelled")
    );
    let s = pg(
        "CREATE SCHEMA public;\nCOMMENT ON SCHEMA public IS 'standard public schema';\nCREATE TABLE t (a int);",
    );
    assert!(s.namespaces.is_empty());
    assert!(s.namespace_comments.is_empty());
    assert_eq!(
        pg("COMMENT ON SCHEMA public IS 'ours';").namespace_comments,
        vec![("public".to_string(), "ours".to_string())]
    );
}

/// SQLite resolves `REFERENCES t` when rows are written: a table may name
/// one created further down (Fossil's `rcvfrom.uid REFERENCES user`), and
/// the reference is that table's primary key.
#[test]
fn sqlite_references_to_tables_created_later_name_their_primary_key() {
    let s = lite(
        "CREATE TABLE rcvfrom(rcvid INTEGER PRIMARY KEY, uid INTEGER REFERENCES user);
         CREATE TABLE user(uid INTEGER PRIMARY KEY, login TEXT);",
    );
    let fk = &table(&s, "rcvfrom").foreign_keys[0];
    assert_eq!(fk.referenced_table.name, "user");
    assert_eq!(fk.referenced_columns, vec!["uid".to_string()]);
    let file = SourceFile {
        path: "schema.sql",
        sql: "CREATE TABLE a(x INTEGER);\nCREATE TABLE b(y INTEGER REFERENCES nowhere);",
    };
    let err = parse_schema(Dialect::Sqlite, &[file]).unwrap_err();
    assert_eq!((err.line, err.column), (2, 1));
    assert!(err.message.contains("`nowhere` does not exist"), "{err}");
}

/// SQLite makes one index for a unique key that repeats the primary key
/// or another unique key (PRAGMA index_list lists one), except beside a
/// rowid alias, which is no index.
#[test]
fn sqlite_unique_keys_repeating_a_key_are_one_index() {
    let s = lite(
        "CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
         CREATE TABLE twice(a, b, UNIQUE(a), UNIQUE(a));
         CREATE TABLE reordered(a, b, UNIQUE(b, a), PRIMARY KEY(a, b));
         CREATE TABLE alias(a INTEGER PRIMARY KEY UNIQUE);",
    );
    assert!(table(&s, "meta").uniques.is_empty());
    assert!(table(&s, "meta").primary_key.is_some());
    assert_eq!(table(&s, "twice").uniques.len(), 1);
    assert_eq!(table(&s, "reordered").uniques.len(), 1);
    assert_eq!(table(&s, "alias").uniques.len(), 1);
}

#[test]
fn errors_name_file_line_and_column() {
    let e = pg_err(
        "CREATE TABLE t (a int);\n\n    ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES missing (id);",
    );
    assert_eq!((e.line, e.column), (3, 5));
    assert!(e.to_string().starts_with("schema.sql:3:5: "), "{e}");
    assert!(
        e.to_string().contains("\n  | ALTER TABLE t ADD CONSTRAINT"),
        "{e}"
    );
    let e = pg_err("CREATE TABLE t (a int);\nALTER TABLE t DROP COLUMN b;");
    assert!(e.message.contains("column `b`"), "{e}");
    let e = pg_err("CREATE TABLE x (a int);\nCREATE TABLE y (b int REFERENCES x);");
    assert!(e.message.contains("no primary key"), "{e}");
    let e = pg_err("CREATE TABLE p (a int);\nCREATE TABLE c PARTITION OF p DEFAULT;");
    assert!(e.message.contains("not partitioned"), "{e}");
    let e = pg_err("CREATE TABLE t (a int) garbage here;");
    assert!(e.message.contains("cannot parse"), "{e}");
}

#[test]
fn create_table_as_select_takes_known_columns() {
    let s = pg(
        "CREATE TABLE a (x int NOT NULL, y text); CREATE TABLE b AS SELECT * FROM a; CREATE TABLE c AS SELECT a.y AS z FROM a;",
    );
    let b = table(&s, "b");
    assert_eq!(b.columns.len(), 2);
    assert!(
        b.columns[0].nullable,
        "CREATE TABLE AS does not copy NOT NULL"
    );
    assert_eq!(table(&s, "c").columns[0].name, "z");
    let s = pg("CREATE TABLE a (x smallint, y text);
        CREATE VIEW v AS SELECT a.x, count(*) AS n, coalesce(sum(a.x), 0) AS total, (y)::varchar(5), max(y) FROM a GROUP BY a.x, y;
        CREATE TABLE b AS SELECT * FROM v;");
    let cols: Vec<String> = table(&s, "b")
        .columns
        .iter()
        .map(|c| format!("{} {}", c.name, c.ty))
        .collect();
    assert_eq!(
        cols,
        vec![
            "x smallint",
            "n bigint",
            "total bigint",
            "y character varying(5)",
            "max text"
        ]
    );
    let e = pg_err("CREATE TABLE a (x int); CREATE TABLE b AS SELECT mystery(x) FROM a;");
    assert!(e.message.contains("cannot work out the type"), "{e}");
}

#[test]
fn temporary_tables_end_with_their_script() {
    let s = pg("CREATE TABLE a (x int);
        CREATE TEMPORARY TABLE t AS WITH q AS (SELECT 1) SELECT * FROM q;
        CREATE TEMP TABLE u (y int); CREATE INDEX ON u (y);");
    assert_eq!(s.tables.len(), 1);
    assert!(s.indexes.is_empty());
}

#[test]
fn alter_constraint_deferrability() {
    let s = pg("CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (a int REFERENCES p, b int REFERENCES p);
        ALTER TABLE c ALTER CONSTRAINT c_a_fkey INITIALLY DEFERRED, ALTER CONSTRAINT c_b_fkey DEFERRABLE;");
    let c = table(&s, "c");
    assert_eq!(c.foreign_keys[0].deferrable, Deferrable::InitiallyDeferred);
    assert_eq!(c.foreign_keys[1].deferrable, Deferrable::InitiallyImmediate);
}

#[test]
fn parse_expr_and_column_type() {
    let e = parse_expr("(now() + '1 day'::interval)", Dialect::Postgres).unwrap();
    assert_eq!(e, Expr::new("now() + interval '1 day'", Dialect::Postgres));
    assert!(parse_expr("1 +", Dialect::Postgres).is_none());
    assert_eq!(
        parse_column_type("int4", Dialect::Postgres)
            .unwrap()
            .to_string(),
        "integer"
    );
    assert_eq!(
        parse_column_type("character varying(20)", Dialect::Postgres)
            .unwrap()
            .to_string(),
        "character varying(20)"
    );
}

#[test]
fn sqlite_types_keep_integer_arguments_as_modifiers() {
    // sqlparser reprints the type: the model must not depend on its spacing.
    let s = lite("CREATE TABLE t (a NVARCHAR(160), b NUMERIC(10, 2), c VARCHAR(MAX));");
    let t = table(&s, "t");
    assert_eq!(t.columns[0].ty.name, "NVARCHAR");
    assert_eq!(t.columns[0].ty.modifiers, [160]);
    assert_eq!(t.columns[1].ty.modifiers, [10, 2]);
    assert_eq!(t.columns[2].ty.to_string(), "VARCHAR(MAX)");
}

#[test]
fn index_collations_are_a_field_not_an_expression() {
    let s = lite(
        "CREATE TABLE t (a TEXT COLLATE NOCASE, b TEXT);
         CREATE INDEX i ON t (a COLLATE nocase, b COLLATE RTRIM DESC, lower(b) COLLATE BINARY);",
    );
    let cols = &s.indexes[0].columns;
    assert_eq!(cols[0].expr, IndexExpr::Column("a".into()));
    assert_eq!(cols[0].collation, None, "the column's own collation");
    assert_eq!(cols[1].expr, IndexExpr::Column("b".into()));
    assert_eq!(cols[1].collation.as_deref(), Some("RTRIM"));
    assert!(cols[1].descending);
    assert!(matches!(&cols[2].expr, IndexExpr::Expression(e) if e.sql == "lower(b)"));
    assert_eq!(cols[2].collation.as_deref(), Some("BINARY"));
    let s = pg("CREATE TABLE t (a text); CREATE INDEX i ON t (a COLLATE \"C\");");
    assert_eq!(s.indexes[0].columns[0].collation.as_deref(), Some("C"));
}

#[test]
fn random_token_soup_never_panics() {
    use proptest::prelude::*;
    const WORDS: &[&str] = &[
        "CREATE",
        "TABLE",
        "ALTER",
        "DROP",
        "INDEX",
        "ON",
        "t",
        "a",
        "(",
        ")",
        ",",
        ";",
        "int",
        "PRIMARY",
        "KEY",
        "REFERENCES",
        "TYPE",
        "AS",
        "ENUM",
        "'x'",
        "$$",
        "--",
        "/*",
        "*/",
        "\"",
        "'",
        "VIEW",
        "SELECT",
        "*",
        "FROM",
        "ADD",
        "COLUMN",
        "RENAME",
        "TO",
        "CONSTRAINT",
        "IF",
        "EXISTS",
        "NOT",
        "NULL",
        "DEFAULT",
        "TRIGGER",
        "BEGIN",
        "END",
        "FUNCTION",
        "COMMENT",
        "IS",
        "SEQUENCE",
        "OWNED",
        "BY",
        ".",
        "\\",
        "\n",
        "[",
        "]",
        "UNIQUE",
        "CHECK",
        "CASCADE",
        "é",
    ];
    let mut runner = proptest::test_runner::TestRunner::default();
    runner
        .run(
            &(
                proptest::collection::vec(0..WORDS.len(), 0..40),
                any::<bool>(),
            ),
            |(picks, sqlite)| {
                let sql = picks
                    .iter()
                    .map(|&i| WORDS[i])
                    .collect::<Vec<_>>()
                    .join(" ");
                let dialect = if sqlite {
                    Dialect::Sqlite
                } else {
                    Dialect::Postgres
                };
                let mut schema = Schema::empty(dialect);
                let _ = apply(
                    &mut schema,
                    SourceFile {
                        path: "p.sql",
                        sql: &sql,
                    },
                );
                Ok(())
            },
        )
        .unwrap();
}

/// Statements of real migrations cut at every few characters, and mixed
/// with multi-byte text: the interpreter answers with a value or an error,
/// never a panic.
#[test]
fn truncated_statements_never_panic() {
    let samples = [
        "CREATE TABLE \"é\" (a int PRIMARY KEY, b varchar(10) ARRAY DEFAULT '{}', CHECK (a > 0)) ;",
        "ALTER TABLE t ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES p (id) ON DELETE CASCADE, ALTER COLUMN b TYPE int USING b::int;",
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY t USING gin ((a || 'é') gin_trgm_ops) WHERE b IS NULL;",
        "CREATE MATERIALIZED VIEW v AS SELECT 'é' AS x WITH NO DATA; COMMENT ON COLUMN t.a IS 'é';",
        "CREATE TRIGGER tr BEFORE UPDATE ON t BEGIN SELECT CASE WHEN 1 THEN 'é' END; END;",
        "ALTER TYPE e ADD VALUE IF NOT EXISTS 'é' BEFORE 'a'; ALTER SEQUENCE s OWNED BY t.a;",
        "CREATE TABLE x AS SELECT count(*), coalesce(sum(a), 0) AS s FROM t JOIN (SELECT 1 AS y) q ON true;",
        "SELECT E'\\é'; DO $x$ BEGIN END $x$; /* é /* é */ */ -- é",
    ];
    for dialect in Dialect::ALL {
        for sample in samples {
            let chars: Vec<(usize, char)> = sample.char_indices().collect();
            for (at, _) in chars {
                let mut schema = Schema::empty(dialect);
                let setup = "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (a int, b text); CREATE TYPE e AS ENUM ('a'); CREATE SEQUENCE s;";
                let _ = apply(
                    &mut schema,
                    SourceFile {
                        path: "s.sql",
                        sql: setup,
                    },
                );
                let _ = apply(
                    &mut schema,
                    SourceFile {
                        path: "p.sql",
                        sql: &sample[..at],
                    },
                );
                let _ = apply(
                    &mut schema,
                    SourceFile {
                        path: "p.sql",
                        sql: &sample[at..],
                    },
                );
            }
        }
    }
}

#[test]
fn renames_reach_defaults_and_constraint_indexes() {
    let s = pg("CREATE TYPE mode AS ENUM ('open', 'closed');
        CREATE TABLE t (id serial, m mode DEFAULT 'open', CONSTRAINT t_pkey PRIMARY KEY (id));
        ALTER SEQUENCE t_id_seq RENAME TO t_seq;
        ALTER TYPE mode RENAME VALUE 'open' TO 'opened';
        ALTER INDEX t_pkey RENAME TO t_pk;");
    let t = table(&s, "t");
    let key = |sql: &str| Expr::new(sql, Dialect::Postgres);
    assert_eq!(
        t.columns[0].default,
        Some(key("nextval('t_seq'::regclass)"))
    );
    assert_eq!(t.columns[1].default, Some(key("'opened'::mode")));
    assert_eq!(
        t.primary_key.as_ref().unwrap().name.as_deref(),
        Some("t_pk")
    );
}

#[test]
fn dropping_a_column_drops_what_depends_on_it() {
    let s = pg("CREATE TABLE t (a int UNIQUE, b int CHECK (b > 0), c int);
        CREATE INDEX ON t (b); CREATE INDEX ON t (c) WHERE b IS NULL; CREATE INDEX ON t (a, c);
        ALTER TABLE t DROP COLUMN b;");
    let t = table(&s, "t");
    assert!(t.checks.is_empty());
    assert_eq!(t.uniques.len(), 1);
    let names: Vec<_> = s.indexes.iter().map(|i| i.name.name.as_str()).collect();
    assert_eq!(names, vec!["t_a_c_idx"]);
    let e = pg_err(
        "CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (p int REFERENCES p);\nALTER TABLE p DROP COLUMN id;",
    );
    assert!(e.message.contains("CASCADE"), "{e}");
}

#[test]
fn sqlite_references_may_point_forward() {
    let s = lite(
        "CREATE TABLE a (b_id INTEGER REFERENCES b (id)); CREATE TABLE b (id INTEGER PRIMARY KEY);",
    );
    let fk = &table(&s, "a").foreign_keys[0];
    assert_eq!(fk.referenced_table, QualifiedName::new("b"));
    assert_eq!(fk.referenced_columns, vec!["id"]);
    let e = run_err(
        Dialect::Sqlite,
        "CREATE TABLE a (b_id INTEGER REFERENCES b);",
    );
    assert!(e.message.contains("does not exist"), "{e}");
}

fn run_err(dialect: Dialect, sql: &str) -> DdlError {
    parse_schema(
        dialect,
        &[SourceFile {
            path: "schema.sql",
            sql,
        }],
    )
    .expect_err("expected an error")
}

#[test]
fn drop_function_cascade_drops_its_triggers() {
    let s = pg("CREATE TABLE t (a int);
        CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE FUNCTION g() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER tf BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();
        CREATE TRIGGER tg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION g();
        ALTER FUNCTION f() RENAME TO f2;
        DROP FUNCTION f2 CASCADE;");
    let names: Vec<_> = s.opaque.iter().map(|o| o.name.name.as_str()).collect();
    assert_eq!(names, vec!["g", "tg"]);
}

#[test]
fn alter_table_actions_read_by_tokens() {
    let s = pg("CREATE SCHEMA s; CREATE TABLE t (a int GENERATED ALWAYS AS IDENTITY, b int GENERATED ALWAYS AS (a * 2) STORED, c int);
        CREATE INDEX i ON t (c); ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0) NOT VALID;
        ALTER TABLE t VALIDATE CONSTRAINT k, ALTER COLUMN c SET STATISTICS 100, ALTER c SET STORAGE PLAIN;
        ALTER TABLE t ALTER COLUMN a DROP IDENTITY, ALTER COLUMN b DROP EXPRESSION, ALTER COLUMN c SET (n_distinct = 5);
        ALTER TABLE t SET (fillfactor = 70), CLUSTER ON i;
        ALTER TABLE t SET SCHEMA s;");
    let t = s
        .table(&QualifiedName::with_schema(Some("s".into()), "t"))
        .unwrap();
    assert_eq!(t.columns[0].identity, None);
    assert!(!t.columns[0].nullable, "DROP IDENTITY keeps NOT NULL");
    assert_eq!(t.columns[1].generated, None);
    assert_eq!(
        s.indexes[0].name,
        QualifiedName::with_schema(Some("s".into()), "i")
    );
    let e = pg_err("CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a DROP IDENTITY;");
    assert!(e.message.contains("not an identity"), "{e}");
    let e = pg_err("CREATE TABLE t (a int);\nALTER TABLE t VALIDATE CONSTRAINT nope;");
    assert!(e.message.contains("does not exist"), "{e}");
}

#[test]
fn identity_kind_and_collated_type_changes() {
    let s = pg("CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, title varchar(20) COLLATE \"C\", body text);
        ALTER TABLE t ALTER COLUMN id SET GENERATED BY DEFAULT;
        ALTER TABLE t ALTER COLUMN body TYPE varchar(50) COLLATE pg_catalog.\"POSIX\" USING body::varchar(50);
        ALTER TABLE t ALTER COLUMN title SET DATA TYPE text COLLATE \"de_DE\";");
    let t = table(&s, "t");
    assert_eq!(t.columns[0].identity, Some(Identity::ByDefault));
    assert_eq!(t.columns[1].ty.to_string(), "text");
    assert_eq!(
        t.columns[1].collation.as_deref(),
        Some("de_DE"),
        "stored unquoted, as the catalog names it"
    );
    assert_eq!(t.columns[2].ty.to_string(), "character varying(50)");
    assert_eq!(
        t.columns[2].collation.as_deref(),
        Some("POSIX"),
        "pg_catalog is implied"
    );
    let s = pg(
        "CREATE TABLE t (a text COLLATE \"C\"); ALTER TABLE t ALTER COLUMN a TYPE text COLLATE \"default\";",
    );
    assert_eq!(
        table(&s, "t").columns[0].collation,
        None,
        "\"default\" is no collation"
    );
    let e = pg_err("CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET GENERATED ALWAYS;");
    assert!(e.message.contains("not an identity"), "{e}");
}

#[test]
fn triggers_follow_their_function_through_renames_and_cascades() {
    let s = pg("CREATE TABLE person (id int);
        CREATE FUNCTION count_user() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER count_user AFTER INSERT ON person FOR EACH ROW EXECUTE PROCEDURE count_user();
        ALTER TRIGGER count_user ON person RENAME TO count_person;
        ALTER FUNCTION count_user() RENAME TO count_person;");
    let trigger = s
        .opaque
        .iter()
        .find(|o| o.kind == OpaqueKind::Trigger)
        .unwrap();
    assert_eq!(trigger.name.name, "count_person");
    assert!(
        trigger.definition.sql().contains("count_person"),
        "{}",
        trigger.definition.sql()
    );
    let s = pg("CREATE TABLE person (id int);
        CREATE FUNCTION count_user() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER tr AFTER INSERT ON person FOR EACH ROW EXECUTE FUNCTION public.count_user();
        ALTER FUNCTION count_user() RENAME TO count_person;
        DROP FUNCTION count_person CASCADE;");
    assert!(s.opaque.is_empty(), "{:?}", s.opaque);
}

#[test]
fn enum_label_rename_carries_column_defaults() {
    let s = pg("CREATE TYPE mode AS ENUM ('closed', 'open');
        CREATE TABLE site (m mode NOT NULL DEFAULT 'open', n mode DEFAULT 'closed'::mode);
        ALTER TYPE mode RENAME VALUE 'open' TO 'Open';
        ALTER TYPE mode RENAME VALUE 'closed' TO 'Closed';");
    let t = s.table(&QualifiedName::new("site")).unwrap();
    let default = |c: &str| {
        t.column(c, Dialect::Postgres)
            .unwrap()
            .default
            .clone()
            .unwrap()
    };
    assert_eq!(default("m"), Expr::new("'Open'::mode", Dialect::Postgres));
    assert_eq!(default("n"), Expr::new("'Closed'", Dialect::Postgres));
}

#[test]
fn sequence_rename_carries_nextval_defaults() {
    let s = pg("CREATE TABLE user_ (id serial PRIMARY KEY);
        ALTER TABLE user_ RENAME TO person;
        ALTER SEQUENCE user__id_seq RENAME TO person_id_seq;");
    let t = s.table(&QualifiedName::new("person")).unwrap();
    assert_eq!(
        t.column("id", Dialect::Postgres).unwrap().default,
        Some(Expr::new(
            "nextval('person_id_seq'::regclass)",
            Dialect::Postgres
        ))
    );
}

#[test]
fn view_column_names_become_aliases() {
    let s = pg("CREATE TABLE t (a int, b int);
        CREATE MATERIALIZED VIEW v (x, \"Total\") AS SELECT a, sum(b) AS s FROM t GROUP BY a UNION SELECT 1, 2;");
    let v = s.view(&QualifiedName::new("v")).unwrap();
    assert!(
        v.definition
            .sql()
            .starts_with("SELECT a AS x, sum(b) AS \"Total\" FROM t"),
        "{}",
        v.definition.sql()
    );
    let e = pg_err("CREATE TABLE t (a int);\nCREATE VIEW v (x, y) AS SELECT a FROM t;");
    assert!(e.message.contains("names 2 columns"), "{e}");
    let e = pg_err("CREATE TABLE t (a int);\nCREATE VIEW v (x) AS SELECT * FROM t;");
    assert!(e.message.contains("`*`"), "{e}");
}

#[test]
fn serial_defaults_quote_the_sequence_name_as_the_server_prints_it() {
    let s = pg(r#"CREATE TABLE "Line Items" ("Item Id" serial, n smallserial);"#);
    let t = table(&s, "Line Items");
    let default = |c: &str| {
        t.column(c, Dialect::Postgres)
            .unwrap()
            .default
            .as_ref()
            .unwrap()
            .sql
            .clone()
    };
    assert_eq!(
        default("Item Id"),
        r#"nextval('"Line Items_Item Id_seq"'::regclass)"#
    );
    assert_eq!(default("n"), r#"nextval('"Line Items_n_seq"'::regclass)"#);
}

#[test]
fn sqlite_expression_defaults_drop_their_required_parentheses() {
    let s = lite(
        "CREATE TABLE t (a TEXT DEFAULT (datetime('now')), b INTEGER DEFAULT (1 + 2), c TEXT DEFAULT 'x');",
    );
    let t = table(&s, "t");
    let default = |c: &str| {
        t.column(c, Dialect::Sqlite)
            .unwrap()
            .default
            .as_ref()
            .unwrap()
            .sql
            .clone()
    };
    assert_eq!(default("a"), "datetime('now')");
    assert_eq!(default("b"), "1 + 2");
    assert_eq!(default("c"), "'x'");
}

#[test]
fn begin_atomic_routines_are_one_object_each() {
    let s = pg("CREATE TABLE t (a int);
        CREATE FUNCTION inc(x int) RETURNS int LANGUAGE sql
        BEGIN ATOMIC
            SELECT CASE WHEN x > 0 THEN x + 1 ELSE 0 END;
        END;
        CREATE PROCEDURE ins(x int) LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (x); INSERT INTO t VALUES (x + 1); END;
        CREATE TABLE after_them (b int);");
    let kinds: Vec<_> = s.opaque.iter().map(|o| o.kind).collect();
    assert_eq!(kinds, vec![OpaqueKind::Function, OpaqueKind::Procedure]);
    assert_eq!(s.tables.len(), 2);
    let s = pg(
        "CREATE FUNCTION inc(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT x + 1; END;
        DROP FUNCTION inc(int);",
    );
    assert!(s.opaque.is_empty(), "{:?}", s.opaque);
}

#[test]
fn unreadable_scripts_are_errors_with_their_location() {
    for (sql, line, column, what) in [
        (
            "CREATE TABLE a (x int);\n/* never closed\nCREATE TABLE b (x int);",
            2,
            1,
            "unterminated /* comment",
        ),
        (
            "CREATE TABLE a (x int);\nINSERT INTO a VALUES ('x);\nCREATE TABLE b (x int);",
            2,
            23,
            "unterminated string",
        ),
        (
            "CREATE TABLE \"a (x int);",
            1,
            14,
            "unterminated quoted identifier",
        ),
        (
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1",
            1,
            36,
            "unterminated dollar quote",
        ),
        (
            "CREATE TABLE a (x int);\nCREATE TABLE b (\0x int);",
            2,
            17,
            "NUL byte",
        ),
    ] {
        for dialect in [Dialect::Postgres, Dialect::Sqlite] {
            let file = SourceFile {
                path: "m/up.sql",
                sql,
            };
            let e = parse_schema(dialect, &[file]).expect_err(sql);
            assert_eq!((e.line, e.column), (line, column), "{e}");
            assert!(e.message.starts_with(what), "{e}");
            assert!(
                e.to_string()
                    .starts_with(&format!("m/up.sql:{line}:{column}: ")),
                "{e}"
            );
        }
    }
}

#[test]
fn sequence_options_have_the_servers_defaults_filled_in() {
    use crate::schema::SequenceOptions;
    let s = pg("CREATE SEQUENCE a;
        CREATE SEQUENCE b START 10000000;
        CREATE SEQUENCE c AS integer INCREMENT BY -1;
        CREATE SEQUENCE d AS smallint MINVALUE 5 MAXVALUE 500 START WITH 7 CACHE 10 CYCLE;
        CREATE SEQUENCE e AS integer;
        ALTER SEQUENCE e AS bigint;
        CREATE SEQUENCE f MAXVALUE 100;
        ALTER SEQUENCE f AS integer NO MAXVALUE;");
    let seq = |n: &str| s.sequence(&QualifiedName::new(n)).unwrap().options.clone();
    assert_eq!(seq("a"), SequenceOptions::default());
    assert_eq!(seq("b").start, 10_000_000);
    assert_ne!(
        seq("a"),
        seq("b"),
        "a sequence starting elsewhere is another sequence"
    );
    let c = seq("c");
    assert_eq!((c.start, c.min, c.max), (-1, i64::from(i32::MIN), -1));
    let d = seq("d");
    assert_eq!(
        (
            d.data_type.as_str(),
            d.start,
            d.min,
            d.max,
            d.cache,
            d.cycle
        ),
        ("smallint", 7, 5, 500, 10, true)
    );
    // A bound at its type's limit follows a type change, a set one stays.
    assert_eq!(seq("e").max, i64::MAX);
    assert_eq!(seq("f").max, i64::from(i32::MAX));
    let err = pg_err("CREATE SEQUENCE g MINVALUE 10 START 1;");
    assert!(err.to_string().contains("START value (1)"), "{err}");
}

#[test]
fn index_statistics_targets_of_expression_columns() {
    let s = pg("CREATE TABLE t (a int, b text);
        CREATE INDEX i ON t ((a + 1), b, lower(b)) INCLUDE (a);
        ALTER INDEX i ALTER COLUMN 1 SET STATISTICS 100;
        ALTER INDEX IF EXISTS i ALTER 3 SET STATISTICS 20000;
        ALTER INDEX i ALTER COLUMN 1 SET STATISTICS -1;
        ALTER INDEX IF EXISTS nope ALTER COLUMN 1 SET STATISTICS 5;");
    let targets: Vec<Option<i32>> = s.indexes[0].columns.iter().map(|c| c.statistics).collect();
    // -1 is the default; the server lowers a target above 10000.
    assert_eq!(targets, [None, None, Some(10000)]);
    let base = "CREATE TABLE t (a int, b text);
        CREATE INDEX i ON t ((a + 1), b) INCLUDE (a);\n";
    for (alter, says) in [
        (
            "ALTER INDEX i ALTER COLUMN 2 SET STATISTICS 5;",
            "non-expression column 2",
        ),
        (
            "ALTER INDEX i ALTER COLUMN 3 SET STATISTICS 5;",
            "included column 3",
        ),
        (
            "ALTER INDEX i ALTER COLUMN 4 SET STATISTICS 5;",
            "column number 4",
        ),
        ("ALTER INDEX i ALTER COLUMN 1 SET STATISTICS -2;", "too low"),
        (
            "ALTER INDEX i ALTER COLUMN 1 SET (n_distinct = 1);",
            "not modelled",
        ),
        (
            "ALTER INDEX nope ALTER COLUMN 1 SET STATISTICS 5;",
            "does not exist",
        ),
    ] {
        let e = pg_err(&format!("{base}{alter}"));
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains(says), "{alter}: {e}");
    }
    let e = pg_err(
        "CREATE TABLE p (a int) PARTITION BY RANGE (a);
        CREATE INDEX pi ON p ((a * 2));
        ALTER INDEX pi ALTER COLUMN 1 SET STATISTICS 50;",
    );
    assert!(e.message.contains("partitioned table"), "{e}");
}

#[test]
fn table_options_and_row_security_are_kept() {
    let s = pg("CREATE UNLOGGED TABLE t (id int PRIMARY KEY, n serial) WITH (fillfactor = 070, autovacuum_enabled = FALSE);
        ALTER TABLE t ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
        ALTER TABLE t REPLICA IDENTITY USING INDEX t_pkey;
        ALTER TABLE t SET (parallel_workers = 2), RESET (autovacuum_enabled);
        ALTER TABLE t ALTER COLUMN n SET STATISTICS 200;
        CREATE POLICY p ON t AS RESTRICTIVE FOR UPDATE TO alice, bob USING (n > 0) WITH CHECK (n < 10);
        ALTER POLICY p ON t TO PUBLIC;");
    let t = s.table(&QualifiedName::new("t")).unwrap();
    let o = &t.options;
    assert!(o.unlogged && o.row_security && o.force_row_security);
    assert_eq!(
        o.replica_identity,
        crate::schema::ReplicaIdentity::Index("t_pkey".into())
    );
    let storage: Vec<String> = o
        .storage
        .iter()
        .map(|p| format!("{}={}", p.name, p.value))
        .collect();
    assert_eq!(storage, ["fillfactor=70", "parallel_workers=2"]);
    assert_eq!(t.columns[1].statistics, Some(200));
    // The serial's sequence of an unlogged table is unlogged too.
    assert!(s.sequence(&QualifiedName::new("t_n_seq")).unwrap().unlogged);
    let p = &s.policies[0];
    assert!(!p.permissive && p.roles.is_empty());
    assert_eq!(p.command, crate::schema::PolicyCommand::Update);
    assert!(p.using.is_some() && p.with_check.is_some());
    // Refused rather than dropped.
    for sql in [
        "CREATE TABLE x (a int) WITH (toast.autovacuum_enabled = false);",
        "CREATE TABLE x (a int); CREATE POLICY q ON x TO CURRENT_USER USING (true);",
        "CREATE TABLE x (a int); CREATE POLICY q ON x FOR SELECT WITH CHECK (true);",
        "CREATE EXTENSION pg_trgm CASCADE;",
        "CREATE SEQUENCE s; ALTER SEQUENCE s SET SCHEMA other;",
    ] {
        pg_err(sql);
    }
}

#[test]
fn inline_compression_of_a_column_definition() {
    let s = pg("CREATE TABLE t (
            id int PRIMARY KEY,
            body text COMPRESSION lz4 NOT NULL,
            \"compression\" text compression PGLZ DEFAULT 'x',
            c varchar(10) COMPRESSION default CHECK (c <> 'compression'),
            CONSTRAINT k CHECK (length(body) > 0)
        );");
    let t = table(&s, "t");
    let d = Dialect::Postgres;
    let method = |n: &str| t.column(n, d).expect("column").compression.clone();
    assert_eq!(method("body").as_deref(), Some("lz4"));
    assert_eq!(method("compression").as_deref(), Some("pglz"));
    assert_eq!(method("c"), None);
    assert!(!t.column("body", d).expect("body").nullable);
    assert_eq!(t.checks.len(), 2);
    let e = pg_err("CREATE TABLE t (body text COMPRESSION);");
    assert!(e.message.contains("expected a name"), "{e}");
}

#[test]
fn where_rows_are_kept_is_listed_and_column_storage_is_modelled() {
    let sql = "CREATE TABLE t (a text PRIMARY KEY, b int, c text);
        ALTER TABLE t CLUSTER ON t_pkey;
        ALTER TABLE t ALTER COLUMN b SET DEFAULT 1, ALTER COLUMN a SET STORAGE EXTERNAL;
        ALTER TABLE t SET TABLESPACE pg_default;
        ALTER TABLE t ALTER COLUMN c SET STORAGE extended, ALTER COLUMN c SET COMPRESSION lz4;
        ALTER TABLE t ALTER COLUMN b SET (n_distinct = -1, n_distinct_inherited = 5);
        ALTER TABLE t ALTER COLUMN b RESET (n_distinct_inherited);
        CREATE TABLE u (LIKE t INCLUDING STORAGE);";
    let file = SourceFile {
        path: "schema.sql",
        sql,
    };
    let (s, report) = parse_schema(Dialect::Postgres, &[file]).expect("parses");
    let kinds: Vec<(&str, usize)> = report
        .skipped
        .iter()
        .map(|k| (k.kind.as_str(), k.line))
        .collect();
    assert_eq!(kinds, [("ALTER TABLE … SET TABLESPACE", 4)]);
    let d = Dialect::Postgres;
    let t = table(&s, "t");
    assert_eq!(t.options.cluster_on.as_deref(), Some("t_pkey"));
    let column = |t: &'_ crate::schema::Table, n: &str| t.column(n, d).expect("column").clone();
    // The modelled action of a mixed statement still applies.
    let b = column(t, "b");
    assert_eq!(b.default.as_ref().map(|e| e.sql.as_str()), Some("1"));
    assert_eq!(
        b.attribute_options,
        [crate::schema::StorageParam::from_catalog("n_distinct=-1")]
    );
    assert_eq!(column(t, "a").storage, Some(ColumnStorage::External));
    // EXTENDED is text's own storage: the catalog cannot tell it was said.
    let c = column(t, "c");
    assert_eq!((c.storage, c.compression.as_deref()), (None, Some("lz4")));
    let u = table(&s, "u");
    assert_eq!(column(u, "a").storage, Some(ColumnStorage::External));
    assert_eq!(column(u, "c").compression, None);
    // Dropping the index behind the key ends the clustering.
    let (s, _) = parse_schema(
        d,
        &[SourceFile {
            path: "schema.sql",
            sql: "CREATE TABLE t (a text CONSTRAINT t_pkey PRIMARY KEY);
                  ALTER TABLE t CLUSTER ON t_pkey;
                  ALTER TABLE t DROP CONSTRAINT t_pkey;",
        }],
    )
    .expect("parses");
    assert_eq!(table(&s, "t").options.cluster_on, None);
    // A column or index that does not exist is still an error.
    pg_err("CREATE TABLE t (a text); ALTER TABLE t ALTER COLUMN z SET STORAGE PLAIN;");
    pg_err("CREATE TABLE t (a text); ALTER TABLE t CLUSTER ON nope;");
}

/// `LIKE … INCLUDING IDENTITY` copies the identity with its sequence's
/// options, as the server does.
#[test]
fn like_including_identity_copies_the_identity_options() {
    let s = pg("CREATE TABLE src (idn int GENERATED BY DEFAULT AS IDENTITY (START WITH 10 INCREMENT BY 5));
        CREATE TABLE copy (LIKE src INCLUDING IDENTITY);
        CREATE TABLE bare (LIKE src);");
    let column = |t: &str| {
        s.table(&QualifiedName::new(t))
            .and_then(|t| t.columns.first())
            .cloned()
            .unwrap_or_else(|| panic!("no table {t}"))
    };
    let src = column("src");
    let copy = column("copy");
    assert!(
        src.identity_options
            .as_ref()
            .is_some_and(|o| o.start == 10 && o.increment == 5)
    );
    assert_eq!(copy.identity, src.identity);
    let mut expected = src.identity_options.clone().unwrap();
    assert_eq!(expected.max, i64::from(i32::MAX));
    expected.data_type = "bigint".into();
    assert_eq!(copy.identity_options, Some(expected));
    let bare = column("bare");
    assert_eq!((bare.identity, bare.identity_options), (None, None));
}

#[test]
fn alter_table_of_one_action_reads_as_the_same_action_on_its_own() {
    // One action is parsed from the statement's own tokens, several each
    // as `ALTER TABLE name <action>`: both read the same.
    let one = pg("CREATE TABLE t (id int PRIMARY KEY);
                  ALTER TABLE IF EXISTS ONLY t ADD COLUMN a int NOT NULL DEFAULT 0;
                  ALTER TABLE t ADD COLUMN b text;
                  ALTER TABLE missing ADD COLUMN c int;"
        .replace("ALTER TABLE missing", "ALTER TABLE IF EXISTS missing")
        .as_str());
    let many = pg("CREATE TABLE t (id int PRIMARY KEY);
                   ALTER TABLE t ADD COLUMN a int NOT NULL DEFAULT 0, ADD COLUMN b text;");
    assert_eq!(one, many);
    let t = table(&one, "t");
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "a", "b"]);
    // A mistake in the one action is still reported.
    let err = pg_err("CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN;");
    assert_eq!(err.line, 2, "{err}");
}

#[test]
fn toast_storage_parameters_are_kept_with_the_tables_in_the_order_written() {
    let s = pg("CREATE TABLE docs (id int, body text)
            WITH (toast.autovacuum_enabled = false, fillfactor = 70, TOAST.vacuum_truncate = off);
        ALTER TABLE docs SET (toast.autovacuum_enabled = true, autovacuum_enabled = false);
        ALTER TABLE docs RESET (toast.vacuum_truncate);");
    let storage: Vec<String> = table(&s, "docs")
        .options
        .storage
        .iter()
        .map(|p| format!("{}={}", p.name, p.value))
        .collect();
    assert_eq!(
        storage,
        [
            "fillfactor=70",
            "toast.autovacuum_enabled=true",
            "autovacuum_enabled=false"
        ]
    );
    // The server drops them silently where there is no TOAST table: refused
    // where the model cannot tell one (a column dropped leaves the TOAST
    // table behind, which the model does not keep). The server refuses them
    // on an index, and a parameter given twice.
    for sql in [
        "CREATE TABLE x (a int, b varchar(20)) WITH (toast.autovacuum_enabled = false);",
        "CREATE TABLE x (a int, b text); ALTER TABLE x DROP COLUMN b;
         ALTER TABLE x SET (toast.autovacuum_enabled = false);",
        "CREATE TABLE x (a int, b text) PARTITION BY RANGE (a) WITH (toast.autovacuum_enabled = false);",
        "CREATE TABLE x (a int, b text); CREATE INDEX ON x (b) WITH (toast.autovacuum_enabled = false);",
        "CREATE VIEW v WITH (toast.autovacuum_enabled = false) AS SELECT 1 AS one;",
        "CREATE TABLE x (a text) WITH (fillfactor = 70, fillfactor = 80);",
        "CREATE TABLE x (a text); ALTER TABLE x SET (fillfactor = 70, fillfactor = 80);",
    ] {
        pg_err(sql);
    }
}

/// `PRIMARY KEY ASC` is a key's own order (an INTEGER key stays the rowid,
/// AUTOINCREMENT too); `DESC` is refused by name.
#[test]
fn sqlite_key_order() {
    let s = lite("CREATE TABLE t (id INTEGER PRIMARY KEY ASC AUTOINCREMENT, v TEXT);");
    let t = table(&s, "t");
    assert!(t.columns[0].autoincrement);
    assert_eq!(
        t.primary_key.as_ref().map(|pk| pk.columns.clone()),
        Some(vec!["id".to_string()])
    );
    let file = SourceFile {
        path: "schema.sql",
        sql: "CREATE TABLE t (id INTEGER PRIMARY KEY DESC);",
    };
    let e = parse_schema(Dialect::Sqlite, &[file]).expect_err("expected an error");
    assert!(e.message.contains("`DESC` is not modelled"), "{e}");
}

/// SQLite's conflict clause belongs to its key, on a column and on a table
/// constraint alike (sqlparser reads only the column's). On NOT NULL it is
/// not modelled, and PostgreSQL has none.
#[test]
fn sqlite_conflict_clauses() {
    use crate::schema::ConflictAction;
    let s = lite(
        "CREATE TABLE t (id INTEGER PRIMARY KEY ON CONFLICT IGNORE AUTOINCREMENT, \
         k TEXT UNIQUE ON CONFLICT ROLLBACK, a INT, b INT, \
         CONSTRAINT ab UNIQUE (a, b) ON CONFLICT REPLACE, CHECK (a > 0), UNIQUE (b));
         CREATE TABLE u (a INT, b INT, PRIMARY KEY (a, b) ON CONFLICT FAIL);",
    );
    let t = table(&s, "t");
    assert!(t.columns[0].autoincrement);
    assert_eq!(
        t.primary_key.as_ref().and_then(|k| k.on_conflict),
        Some(ConflictAction::Ignore)
    );
    let uniques: Vec<_> = t.uniques.iter().map(|u| u.on_conflict).collect();
    assert_eq!(
        uniques,
        [
            Some(ConflictAction::Rollback),
            Some(ConflictAction::Replace),
            None
        ]
    );
    assert_eq!(t.uniques[1].name.as_deref(), Some("ab"));
    assert_eq!(
        table(&s, "u")
            .primary_key
            .as_ref()
            .and_then(|k| k.on_conflict),
        Some(ConflictAction::Fail)
    );
    let refused = |d: Dialect, sql: &str| {
        let file = SourceFile {
            path: "schema.sql",
            sql,
        };
        parse_schema(d, &[file]).expect_err(sql).message
    };
    // One index for a unique repeating the key, as in SQLite: it takes the
    // clause written on either, and two different ones are an error.
    let merged = lite("CREATE TABLE k (key TEXT UNIQUE ON CONFLICT REPLACE PRIMARY KEY, v TEXT);");
    let k = table(&merged, "k");
    assert!(k.uniques.is_empty());
    assert_eq!(
        k.primary_key.as_ref().and_then(|k| k.on_conflict),
        Some(ConflictAction::Replace)
    );
    let twice = refused(
        Dialect::Sqlite,
        "CREATE TABLE k (key TEXT UNIQUE ON CONFLICT REPLACE PRIMARY KEY ON CONFLICT IGNORE);",
    );
    assert!(twice.contains("conflicting ON CONFLICT"), "{twice}");
    let not_null = lite("CREATE TABLE t (k TEXT NOT NULL ON CONFLICT IGNORE);");
    let k = &table(&not_null, "t").columns[0];
    assert!(!k.nullable);
    assert_eq!(k.not_null_conflict, Some(ConflictAction::Ignore));
    let after_check = refused(
        Dialect::Sqlite,
        "CREATE TABLE t (k TEXT CHECK (k <> '') ON CONFLICT IGNORE);",
    );
    assert!(after_check.contains("ON CONFLICT IGNORE"), "{after_check}");
    let pg = refused(
        Dialect::Postgres,
        "CREATE TABLE t (a INT, b INT, UNIQUE (a, b) ON CONFLICT REPLACE);",
    );
    assert!(pg.contains("`ON CONFLICT REPLACE`"), "{pg}");
    let pg_column = refused(
        Dialect::Postgres,
        "CREATE TABLE t (a INT UNIQUE ON CONFLICT REPLACE);",
    );
    assert!(pg_column.contains("ON CONFLICT"), "{pg_column}");
}

#[test]
fn index_and_view_parameters_are_kept_in_the_servers_order_and_compared_as_sets() {
    let sql = "CREATE TABLE t (a int, b text);
        CREATE INDEX t_a ON t (a) WITH (fillfactor = 70, deduplicate_items = off);
        ALTER INDEX t_a SET (fillfactor = 80);
        CREATE VIEW v WITH (security_invoker, security_barrier = true)
            AS SELECT a FROM t WITH LOCAL CHECK OPTION;
        ALTER VIEW v SET (security_invoker = false);";
    let s = pg(sql);
    let words = |list: &[crate::schema::StorageParam]| -> Vec<String> {
        list.iter()
            .map(|p| format!("{}={}", p.name, p.value))
            .collect()
    };
    let index = s.index(&QualifiedName::new("t_a")).expect("t_a");
    assert_eq!(
        words(&index.storage),
        ["deduplicate_items=off", "fillfactor=80"]
    );
    let view = s.views.iter().find(|v| v.name.name == "v").expect("v");
    assert_eq!(
        words(&view.options),
        [
            "security_barrier=true",
            "check_option=local",
            "security_invoker=false"
        ]
    );
    // The same parameters in another order are the same schema.
    let other = pg("CREATE TABLE t (a int, b text);
        CREATE INDEX t_a ON t (a) WITH (fillfactor = 80, deduplicate_items = off);
        CREATE VIEW v WITH (check_option = local, security_invoker = false, security_barrier)
            AS SELECT a FROM t;");
    assert_eq!(s, other);
}

#[test]
fn keys_keep_their_index_include_and_storage() {
    let s = pg(
        "CREATE TABLE t (a int PRIMARY KEY WITH (fillfactor = 70), b int, c int,\n\
                  UNIQUE (b) INCLUDE (c, a) WITH (fillfactor = '60', deduplicate_items = off) DEFERRABLE);\n\
                CREATE TABLE u (a int, b int);\n\
                ALTER TABLE ONLY u ADD CONSTRAINT u_pkey PRIMARY KEY (a) INCLUDE (b) WITH (fillfactor='80');",
    );
    let t = table(&s, "t");
    let pk = t.primary_key.as_ref().expect("primary key");
    assert_eq!(
        pk.index.storage,
        vec![StorageParam::new("fillfactor", Some("70"))]
    );
    let unique = &t.uniques[0];
    // The server names a key after its INCLUDE columns too.
    assert_eq!(unique.name.as_deref(), Some("t_b_c_a_key"));
    assert_eq!(unique.index.include, ["c", "a"]);
    assert_eq!(
        unique.index.storage,
        vec![
            StorageParam::new("fillfactor", Some("60")),
            StorageParam::new("deduplicate_items", Some("off")),
        ]
    );
    assert_eq!(unique.deferrable, Deferrable::InitiallyImmediate);
    let u = table(&s, "u").primary_key.as_ref().expect("primary key");
    assert_eq!(u.index.include, ["b"]);
    assert_eq!(
        u.index.storage,
        vec![StorageParam::new("fillfactor", Some("80"))]
    );
}

#[test]
fn a_unique_index_taken_over_by_a_key_keeps_what_it_carries() {
    let s = pg("CREATE TABLE t (a int, b int);\n\
                CREATE UNIQUE INDEX t_a ON t (a) INCLUDE (b) WITH (fillfactor = 50);\n\
                ALTER TABLE t ADD CONSTRAINT t_a UNIQUE USING INDEX t_a;");
    let unique = &table(&s, "t").uniques[0];
    assert_eq!(unique.index.include, ["b"]);
    assert_eq!(
        unique.index.storage,
        vec![StorageParam::new("fillfactor", Some("50"))]
    );
    assert!(s.indexes.is_empty());
}

#[test]
fn key_index_clauses_not_modelled_are_refused_where_written() {
    let e = pg_err(
        "CREATE TABLE t (r int4range);\nALTER TABLE t ADD EXCLUDE USING gist (r WITH &&) WITH (fillfactor = 80);",
    );
    assert_eq!((e.line, e.column), (2, 1));
    assert!(e.message.contains("EXCLUDE"), "{e}");
    let e = pg_err(
        "CREATE TABLE t (r int4range,\n  EXCLUDE USING gist (r WITH &&) WITH (fillfactor = 80));",
    );
    assert!(e.message.contains("EXCLUDE"), "{e}");
    let e = pg_err("CREATE TABLE t (a int, b int, UNIQUE (a) INCLUDE (nope));");
    assert!(e.message.contains("nope"), "{e}");
    let e = pg_err(
        "CREATE TABLE t (a int, CHECK (a > 0), UNIQUE (a) WITH (toast.autovacuum_enabled = false));",
    );
    assert!(e.message.contains("toast"), "{e}");
}

fn lite_err(sql: &str) -> DdlError {
    let file = SourceFile {
        path: "schema.sql",
        sql,
    };
    parse_schema(Dialect::Sqlite, &[file]).expect_err("expected an error")
}

#[test]
fn initially_deferred_alone_makes_a_constraint_deferrable() {
    // The server reads `INITIALLY DEFERRED` without `DEFERRABLE` as both.
    let s = pg("CREATE TABLE a (x int PRIMARY KEY INITIALLY DEFERRED, y int UNIQUE INITIALLY DEFERRED, z int);
                CREATE TABLE b (x int REFERENCES a INITIALLY DEFERRED, r int4range,
                  EXCLUDE USING gist (r WITH &&) INITIALLY DEFERRED);
                ALTER TABLE a ADD CONSTRAINT a_z UNIQUE (z) INITIALLY DEFERRED;
                ALTER TABLE a ADD CONSTRAINT a_y UNIQUE (y) INITIALLY IMMEDIATE;");
    let a = table(&s, "a");
    assert_eq!(
        a.primary_key.as_ref().unwrap().deferrable,
        Deferrable::InitiallyDeferred
    );
    let deferrable: Vec<_> = a.uniques.iter().map(|u| u.deferrable).collect();
    assert_eq!(
        deferrable,
        [
            Deferrable::InitiallyDeferred,
            Deferrable::InitiallyDeferred,
            Deferrable::NotDeferrable
        ]
    );
    let b = table(&s, "b");
    assert_eq!(b.foreign_keys[0].deferrable, Deferrable::InitiallyDeferred);
    assert_eq!(b.exclusions[0].deferrable, Deferrable::InitiallyDeferred);
    let e = pg_err(
        "CREATE TABLE a (x int);\nCREATE TABLE b (x int UNIQUE NOT DEFERRABLE INITIALLY DEFERRED);",
    );
    assert_eq!((e.line, e.column), (2, 1), "{e}");
    assert!(e.message.contains("must be DEFERRABLE"), "{e}");
    // SQLite takes it, as a constraint that is not deferrable.
    let s = lite(
        "CREATE TABLE a (x INTEGER PRIMARY KEY);
                  CREATE TABLE b (x INTEGER REFERENCES a NOT DEFERRABLE INITIALLY DEFERRED);",
    );
    assert_eq!(
        table(&s, "b").foreign_keys[0].deferrable,
        Deferrable::NotDeferrable
    );
}

#[test]
fn drop_constraint_cascade_drops_the_foreign_keys_on_the_key() {
    let s = pg("CREATE TABLE a (x int PRIMARY KEY, y int UNIQUE);
                CREATE TABLE b (x int REFERENCES a, y int REFERENCES a (y));
                ALTER TABLE a DROP CONSTRAINT a_pkey CASCADE;");
    let b = table(&s, "b");
    let left: Vec<_> = b.foreign_keys.iter().map(|f| f.name.as_deref()).collect();
    assert_eq!(left, [Some("b_y_fkey")]);
    assert!(table(&s, "a").primary_key.is_none());
    // Without CASCADE the server refuses.
    let e = pg_err(
        "CREATE TABLE a (x int PRIMARY KEY);\nCREATE TABLE b (x int REFERENCES a);\n  ALTER TABLE a DROP CONSTRAINT a_pkey;",
    );
    assert_eq!((e.line, e.column), (3, 3), "{e}");
    assert!(
        e.message.contains("b_x_fkey") && e.message.contains("CASCADE"),
        "{e}"
    );
    // Two keys on the same columns: which one the foreign key uses is not modelled.
    let e = pg_err(
        "CREATE TABLE a (x int CONSTRAINT a_x UNIQUE);\nCREATE UNIQUE INDEX a_xi ON a (x);\nCREATE TABLE b (x int REFERENCES a (x));\nALTER TABLE a DROP CONSTRAINT a_x CASCADE;",
    );
    assert_eq!((e.line, e.column), (4, 1), "{e}");
    assert!(e.message.contains("which key"), "{e}");
    // A key no foreign key uses drops alone.
    let s = pg("CREATE TABLE a (x int PRIMARY KEY, y int UNIQUE);
                CREATE TABLE b (x int REFERENCES a);
                ALTER TABLE a DROP CONSTRAINT a_y_key;");
    assert_eq!(table(&s, "b").foreign_keys.len(), 1);
}

#[test]
fn clauses_sqlparser_reads_and_the_model_does_not_hold_are_refused() {
    for (sql, line, what) in [
        (
            "CREATE TABLE t (a int);\nCREATE TABLE u (a int) ORDER BY a;",
            2,
            "ORDER BY",
        ),
        (
            "CREATE TABLE t (a int);\nCREATE OR REPLACE TABLE u (a int);",
            2,
            "OR REPLACE",
        ),
        (
            "CREATE TABLE t (a int);\nCREATE TABLE u (a int REFERENCES t (a) NOT ENFORCED);",
            2,
            "NOT ENFORCED",
        ),
    ] {
        let e = pg_err(sql);
        assert_eq!((e.line, e.column), (line, 1), "{sql}: {e}");
        assert!(e.message.contains(what), "{sql}: {e}");
    }
    // SQLite keeps a key column's order as its index's.
    for sql in [
        "CREATE TABLE t (a INTEGER);\nCREATE TABLE u (a INTEGER, PRIMARY KEY (a DESC));",
        "CREATE TABLE t (a INTEGER);\nCREATE TABLE u (a TEXT, UNIQUE (a DESC));",
    ] {
        let e = lite_err(sql);
        assert_eq!((e.line, e.column), (2, 1), "{sql}: {e}");
        assert!(e.message.contains("DESC"), "{sql}: {e}");
    }
    // What changes nothing the server stores is taken.
    let s = lite("CREATE TABLE u (a INTEGER, PRIMARY KEY (a ASC));");
    assert!(table(&s, "u").primary_key.is_some());
    let s = pg("CREATE TABLE u AS SELECT 1 AS a WITH NO DATA;
                CREATE GLOBAL TEMPORARY TABLE v (a int);
                CREATE INDEX CONCURRENTLY i ON u (a);");
    assert_eq!(table(&s, "u").columns.len(), 1);
}

#[test]
fn alter_constraint_sets_what_it_does_not_say_to_the_default() {
    // The server sets both bits from the clause, not from what the
    // constraint had.
    let s = pg("CREATE TABLE a (x int PRIMARY KEY);
                CREATE TABLE b (x int CONSTRAINT b_x REFERENCES a DEFERRABLE INITIALLY DEFERRED,
                  y int CONSTRAINT b_y REFERENCES a DEFERRABLE INITIALLY DEFERRED);
                ALTER TABLE b ALTER CONSTRAINT b_x DEFERRABLE;
                ALTER TABLE b ALTER CONSTRAINT b_y INITIALLY IMMEDIATE;");
    let b = table(&s, "b");
    let got: Vec<_> = b.foreign_keys.iter().map(|f| f.deferrable).collect();
    assert_eq!(
        got,
        [Deferrable::InitiallyImmediate, Deferrable::NotDeferrable]
    );
    let e = pg_err(
        "CREATE TABLE a (x int PRIMARY KEY);\nCREATE TABLE b (x int CONSTRAINT b_x REFERENCES a);\nALTER TABLE b ALTER CONSTRAINT b_x NOT ENFORCED;",
    );
    assert_eq!((e.line, e.column), (3, 1), "{e}");
    assert!(e.message.contains("NOT"), "{e}");
}
