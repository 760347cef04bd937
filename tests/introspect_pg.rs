//! PostgreSQL introspection against a real server: each test creates objects
//! with SQL in a fresh database and checks the model field by field.

mod common;

use cargo_migrate::introspect::postgres::introspect;
use migrate_build::Dialect;
use migrate_build::schema::{
    CheckConstraint, Column, ColumnType, Deferrable, Enum, Expr, Extension, ForeignKey,
    ForeignKeyAction, Generated, Identity, Index, IndexColumn, IndexExpr, OpaqueKind, PrimaryKey,
    QualifiedName, Schema, Sequence, SequenceOptions, UniqueConstraint,
};

use common::pg::TestDb;

const PG: Dialect = Dialect::Postgres;

fn read(db: &mut TestDb) -> Schema {
    let mut schema = introspect(&mut db.client, &[], &[]).unwrap();
    schema.sort();
    schema
}

fn q(name: &str) -> QualifiedName {
    QualifiedName::new(name)
}

fn qs(schema: &str, name: &str) -> QualifiedName {
    QualifiedName::with_schema(Some(schema.to_string()), name)
}

fn expr(sql: &str) -> Expr {
    Expr::new(sql, PG)
}

fn ty(name: &str, modifiers: &[u32], array_dims: u8) -> ColumnType {
    ColumnType {
        name: name.to_string(),
        modifiers: modifiers.to_vec(),
        array_dims,
        user_defined: false,
    }
}

fn user_ty(name: &str) -> ColumnType {
    ColumnType {
        user_defined: true,
        ..ColumnType::simple(name)
    }
}

fn not_null(mut c: Column) -> Column {
    c.nullable = false;
    c
}

fn key_column(name: &str) -> IndexColumn {
    IndexColumn {
        expr: IndexExpr::Column(name.to_string()),
        descending: false,
        nulls_first: None,
        opclass: None,
        collation: None,
        statistics: None,
    }
}

fn index(name: &str, table: &str, columns: Vec<IndexColumn>) -> Index {
    Index {
        partition_copies: Vec::new(),
        comment: None,
        storage: Vec::new(),
        name: q(name),
        table: q(table),
        unique: false,
        columns,
        predicate: None,
        method: None,
        include: Vec::new(),
        nulls_not_distinct: false,
    }
}

#[test]
fn urls_are_rewritten_and_passwords_hidden() {
    use common::pg::{with_database, without_password};
    assert_eq!(
        with_database("postgres://u:p@h:5432/postgres?sslmode=disable", "x"),
        "postgres://u:p@h:5432/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
    assert_eq!(
        without_password("postgres://u:secret@h:5432/db"),
        "postgres://u:***@h:5432/db"
    );
    assert_eq!(without_password("postgres://u@h/db"), "postgres://u@h/db");
}

#[test]
fn empty_database_is_an_empty_schema() {
    let mut db = test_db!();
    let schema = read(&mut db);
    assert!(schema.is_empty(), "{schema:#?}");
}

#[test]
fn column_types_follow_format_type_and_display_round_trips() {
    let mut db = test_db!();
    db.exec(
        "CREATE TABLE t (
            a int, b int8, c smallint, d varchar(255), e varchar, f char(3), g numeric(10,2),
            h numeric, i timestamptz(3), j timestamp, k time(6), l text[], m int[][],
            n varchar(20)[], o double precision, p boolean, q jsonb, r uuid, s bytea,
            t interval day to second(3), u \"char\", v bit varying(5), w real, x date,
            y int2vector
        )",
    );
    let schema = read(&mut db);
    let table = &schema.tables[0];
    let expected = [
        ty("integer", &[], 0),
        ty("bigint", &[], 0),
        ty("smallint", &[], 0),
        ty("character varying", &[255], 0),
        ty("character varying", &[], 0),
        ty("character", &[3], 0),
        ty("numeric", &[10, 2], 0),
        ty("numeric", &[], 0),
        ty("timestamp with time zone", &[3], 0),
        ty("timestamp without time zone", &[], 0),
        ty("time without time zone", &[6], 0),
        ty("text", &[], 1),
        // Declared dimensions are not kept: `int[][]` is `integer[]`.
        ty("integer", &[], 1),
        ty("character varying", &[20], 1),
        ty("double precision", &[], 0),
        ty("boolean", &[], 0),
        ty("jsonb", &[], 0),
        ty("uuid", &[], 0),
        ty("bytea", &[], 0),
        ty("interval day to second", &[3], 0),
        ty("\"char\"", &[], 0),
        ty("bit varying", &[5], 0),
        ty("real", &[], 0),
        ty("date", &[], 0),
        ty("int2vector", &[], 0),
    ];
    let got: Vec<&ColumnType> = table.columns.iter().map(|c| &c.ty).collect();
    assert_eq!(got, expected.iter().collect::<Vec<_>>());

    // Display gives back what the server printed.
    let printed: Vec<String> = db
        .client
        .query(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
             WHERE attrelid = 't'::regclass AND attnum > 0 ORDER BY attnum",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for (column, printed) in table.columns.iter().zip(&printed) {
        let shown = column.ty.to_string();
        assert_eq!(shown, *printed, "column {}", column.name);
    }
}

#[test]
fn serial_keeps_its_default_and_sequence_identity_does_not() {
    let mut db = test_db!();
    db.exec(
        "CREATE TABLE s (id serial PRIMARY KEY, big bigserial);
         CREATE TABLE i (a int GENERATED ALWAYS AS IDENTITY, b bigint GENERATED BY DEFAULT AS IDENTITY);
         CREATE SEQUENCE standalone;",
    );
    let schema = read(&mut db);
    let s = schema.table(&q("s")).unwrap();
    let mut id = not_null(Column::new("id", ty("integer", &[], 0)));
    id.default = Some(expr("nextval('s_id_seq'::regclass)"));
    let mut big = not_null(Column::new("big", ty("bigint", &[], 0)));
    big.default = Some(expr("nextval('s_big_seq'::regclass)"));
    assert_eq!(s.columns, vec![id, big]);

    let i = schema.table(&q("i")).unwrap();
    let mut a = not_null(Column::new("a", ty("integer", &[], 0)));
    a.identity = Some(Identity::Always);
    a.identity_options = Some(SequenceOptions::defaults("integer", 1));
    let mut b = not_null(Column::new("b", ty("bigint", &[], 0)));
    b.identity = Some(Identity::ByDefault);
    b.identity_options = Some(SequenceOptions::defaults("bigint", 1));
    assert_eq!(i.columns, vec![a, b]);
    assert!(i.columns.iter().all(|c| c.default.is_none()));

    // The identity columns' implicit sequences are part of the columns.
    assert_eq!(
        schema.sequences,
        vec![
            Sequence {
                comment: None,
                options: migrate_build::schema::SequenceOptions::default(),
                unlogged: false,
                name: q("s_big_seq"),
                owned_by: Some((q("s"), "big".into())),
            },
            Sequence {
                comment: None,
                options: SequenceOptions::defaults("integer", 1),
                unlogged: false,
                name: q("s_id_seq"),
                owned_by: Some((q("s"), "id".into())),
            },
            Sequence {
                comment: None,
                options: migrate_build::schema::SequenceOptions::default(),
                unlogged: false,
                name: q("standalone"),
                owned_by: None,
            },
        ]
    );
}

#[test]
fn defaults_generated_columns_collations_and_comments() {
    let mut db = test_db!();
    db.exec(
        "CREATE TABLE t (
            price numeric NOT NULL DEFAULT 0,
            status text DEFAULT 'active',
            created timestamptz DEFAULT now(),
            doubled numeric GENERATED ALWAYS AS (price * 2) STORED,
            code text COLLATE \"C\"
         );
         COMMENT ON TABLE t IS 'the table';
         COMMENT ON COLUMN t.code IS 'a code';",
    );
    let schema = read(&mut db);
    let t = schema.table(&q("t")).unwrap();
    assert_eq!(t.comment.as_deref(), Some("the table"));
    let col = |name| t.column(name, PG).unwrap();
    assert_eq!(col("price").default, Some(expr("0")));
    assert!(!col("price").nullable);
    assert_eq!(col("status").default, Some(expr("'active'::text")));
    assert_eq!(col("created").default, Some(expr("now()")));
    assert_eq!(col("doubled").default, None);
    assert_eq!(
        col("doubled").generated,
        Some(Generated {
            expr: expr("(price * (2)::numeric)"),
            stored: true,
        })
    );
    assert_eq!(col("code").collation.as_deref(), Some("C"));
    assert_eq!(col("code").comment.as_deref(), Some("a code"));
    assert_eq!(col("status").collation, None);
    assert_eq!(col("status").comment, None);
}

#[test]
fn quoted_mixed_case_and_reserved_names_are_kept_apart() {
    let mut db = test_db!();
    db.exec(
        "CREATE TABLE \"User\" (\"Id\" int PRIMARY KEY);
         CREATE TABLE \"user\" (id int PRIMARY KEY, \"select\" text, \"order\" int);
         CREATE TABLE \"order\" (\"user\" int REFERENCES \"User\" (\"Id\"));",
    );
    let schema = read(&mut db);
    let names: Vec<&str> = schema.tables.iter().map(|t| t.name.name.as_str()).collect();
    assert_eq!(names, ["User", "order", "user"]);
    let upper = schema.table(&q("User")).unwrap();
    assert_eq!(
        upper.primary_key,
        Some(PrimaryKey {
            name: Some("User_pkey".into()),
            columns: vec!["Id".into()],
            ..Default::default()
        })
    );
    let lower = schema.table(&q("user")).unwrap();
    let cols: Vec<&str> = lower.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["id", "select", "order"]);
    let order = schema.table(&q("order")).unwrap();
    assert_eq!(order.foreign_keys[0].referenced_table, q("User"));
    assert_eq!(order.foreign_keys[0].referenced_columns, ["Id"]);
}

#[test]
fn non_public_schemas_are_qualified_and_listed() {
    let mut db = test_db!();
    db.exec(
        "CREATE SCHEMA app;
         CREATE TYPE app.mood AS ENUM ('sad', 'happy');
         CREATE TYPE \"Color\" AS ENUM ('red');
         CREATE TABLE app.accounts (id int PRIMARY KEY, mood app.mood, moods app.mood[], c \"Color\");
         CREATE TABLE owners (account int REFERENCES app.accounts);",
    );
    let schema = read(&mut db);
    assert_eq!(schema.namespaces, ["app"]);
    let accounts = schema.table(&qs("app", "accounts")).unwrap();
    assert_eq!(accounts.column("mood", PG).unwrap().ty, user_ty("app.mood"));
    assert_eq!(
        accounts.column("moods", PG).unwrap().ty,
        ColumnType {
            array_dims: 1,
            ..user_ty("app.mood")
        }
    );
    assert_eq!(accounts.column("c", PG).unwrap().ty, user_ty("Color"));
    assert_eq!(
        schema.enums,
        vec![
            Enum {
                comment: None,
                name: q("Color"),
                values: vec!["red".into()],
            },
            Enum {
                comment: None,
                name: qs("app", "mood"),
                values: vec!["sad".into(), "happy".into()],
            },
        ]
    );
    let owners = schema.table(&q("owners")).unwrap();
    assert_eq!(
        owners.foreign_keys[0].referenced_table,
        qs("app", "accounts")
    );
    assert_eq!(owners.foreign_keys[0].referenced_columns, ["id"]);

    // Restricting to one namespace leaves the others out.
    let only_app = introspect(&mut db.client, &["app"], &[]).unwrap();
    assert_eq!(only_app.namespaces, ["app"]);
    let names: Vec<String> = only_app.tables.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(names, ["app.accounts"]);
    assert_eq!(only_app.enums.len(), 1);
}

#[test]
fn primary_unique_check_and_foreign_key_constraints() {
    let mut db = test_db!();
    db.exec(
        "CREATE TABLE parent (a int, b int, c text, PRIMARY KEY (a, b),
            CONSTRAINT parent_c_key UNIQUE NULLS NOT DISTINCT (c),
            CONSTRAINT parent_ba_key UNIQUE (b, a) DEFERRABLE);
         CREATE TABLE child (
            id int PRIMARY KEY,
            pa int, pb int, qty int,
            CONSTRAINT child_parent_fk FOREIGN KEY (pb, pa) REFERENCES parent (b, a)
                ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,
            CONSTRAINT child_id_fk FOREIGN KEY (id) REFERENCES child (id) ON DELETE RESTRICT,
            CONSTRAINT qty_positive CHECK (qty > 0)
         );
         ALTER TABLE child ADD CONSTRAINT qty_small CHECK (qty < 1000) NOT VALID;",
    );
    let schema = read(&mut db);
    let parent = schema.table(&q("parent")).unwrap();
    assert_eq!(
        parent.primary_key,
        Some(PrimaryKey {
            name: Some("parent_pkey".into()),
            columns: vec!["a".into(), "b".into()],
            ..Default::default()
        })
    );
    assert_eq!(
        parent.uniques,
        vec![
            UniqueConstraint {
                include: Vec::new(),
                on_conflict: None,
                name: Some("parent_ba_key".into()),
                columns: vec!["b".into(), "a".into()],
                nulls_not_distinct: false,
                deferrable: Deferrable::InitiallyImmediate,
            },
            UniqueConstraint {
                include: Vec::new(),
                on_conflict: None,
                name: Some("parent_c_key".into()),
                columns: vec!["c".into()],
                nulls_not_distinct: true,
                deferrable: Deferrable::NotDeferrable,
            },
        ]
    );
    let child = schema.table(&q("child")).unwrap();
    assert_eq!(
        child.checks,
        vec![
            CheckConstraint {
                no_inherit: false,
                not_valid: false,
                name: Some("qty_positive".into()),
                expr: expr("(qty > 0)"),
            },
            CheckConstraint {
                no_inherit: false,
                // Added NOT VALID: existing rows were not checked.
                not_valid: true,
                name: Some("qty_small".into()),
                expr: expr("(qty < 1000)"),
            },
        ]
    );
    assert_eq!(
        child.foreign_keys,
        vec![
            ForeignKey {
                not_valid: false,
                name: Some("child_id_fk".into()),
                columns: vec!["id".into()],
                referenced_table: q("child"),
                referenced_columns: vec!["id".into()],
                on_delete: ForeignKeyAction::Restrict,
                on_update: ForeignKeyAction::NoAction,
                deferrable: Deferrable::NotDeferrable,
            },
            ForeignKey {
                not_valid: false,
                name: Some("child_parent_fk".into()),
                columns: vec!["pb".into(), "pa".into()],
                referenced_table: q("parent"),
                referenced_columns: vec!["b".into(), "a".into()],
                on_delete: ForeignKeyAction::Cascade,
                on_update: ForeignKeyAction::SetNull,
                deferrable: Deferrable::InitiallyDeferred,
            },
        ]
    );
    // The indexes behind PRIMARY KEY and UNIQUE belong to the constraints.
    assert!(schema.indexes.is_empty(), "{:#?}", schema.indexes);
}

#[test]
fn enum_order_follows_add_value_before_and_after() {
    let mut db = test_db!();
    db.exec(
        "CREATE TYPE status AS ENUM ('draft', 'published');
         ALTER TYPE status ADD VALUE 'review' BEFORE 'published';
         ALTER TYPE status ADD VALUE 'archived';
         ALTER TYPE status ADD VALUE 'new' BEFORE 'draft';",
    );
    let schema = read(&mut db);
    assert_eq!(
        schema.enums,
        vec![Enum {
            comment: None,
            name: q("status"),
            values: ["new", "draft", "review", "published", "archived"]
                .map(String::from)
                .to_vec(),
        }]
    );
}

#[test]
fn indexes_partial_expression_gin_include_desc_collation() {
    let mut db = test_db!();
    db.exec(
        "CREATE TABLE t (id int PRIMARY KEY, email text, doc jsonb, a int, b int, name text);
         CREATE UNIQUE INDEX t_email_lower ON t (lower(email));
         CREATE INDEX t_partial ON t (a) WHERE b > 10;
         CREATE INDEX t_doc_gin ON t USING gin (doc jsonb_path_ops);
         CREATE INDEX t_doc_default_gin ON t USING gin (doc);
         CREATE INDEX t_include ON t (a) INCLUDE (b, name);
         CREATE INDEX t_order ON t (a DESC, b NULLS FIRST, id DESC NULLS LAST, email ASC NULLS LAST);
         CREATE INDEX t_pattern ON t (name COLLATE \"C\" text_pattern_ops);
         CREATE UNIQUE INDEX t_nnd ON t (name) NULLS NOT DISTINCT;",
    );
    let schema = read(&mut db);
    let mut email_lower = index(
        "t_email_lower",
        "t",
        vec![IndexColumn {
            expr: IndexExpr::Expression(expr("lower(email)")),
            ..key_column("")
        }],
    );
    email_lower.unique = true;
    let mut partial = index("t_partial", "t", vec![key_column("a")]);
    partial.predicate = Some(expr("(b > 10)"));
    let mut gin = index(
        "t_doc_gin",
        "t",
        vec![IndexColumn {
            opclass: Some("jsonb_path_ops".into()),
            ..key_column("doc")
        }],
    );
    gin.method = Some("gin".into());
    let mut gin_default = index("t_doc_default_gin", "t", vec![key_column("doc")]);
    gin_default.method = Some("gin".into());
    let mut include = index("t_include", "t", vec![key_column("a")]);
    include.include = vec!["b".into(), "name".into()];
    let order = index(
        "t_order",
        "t",
        vec![
            IndexColumn {
                descending: true,
                ..key_column("a")
            },
            IndexColumn {
                nulls_first: Some(true),
                ..key_column("b")
            },
            IndexColumn {
                descending: true,
                nulls_first: Some(false),
                ..key_column("id")
            },
            key_column("email"),
        ],
    );
    let pattern = index(
        "t_pattern",
        "t",
        vec![IndexColumn {
            opclass: Some("text_pattern_ops".into()),
            collation: Some("C".into()),
            ..key_column("name")
        }],
    );
    let mut nnd = index("t_nnd", "t", vec![key_column("name")]);
    nnd.unique = true;
    nnd.nulls_not_distinct = true;
    let expected = vec![
        gin_default,
        gin,
        email_lower,
        include,
        nnd,
        order,
        partial,
        pattern,
    ];
    assert_eq!(schema.indexes, expected);
}

#[test]
fn views_and_materialized_views() {
    let mut db = test_db!();
    db.exec(
        "CREATE TABLE t (id int, name text);
         CREATE VIEW v AS SELECT id FROM t WHERE id > 1;
         CREATE MATERIALIZED VIEW mv AS SELECT name FROM t;
         CREATE INDEX mv_name ON mv (name);",
    );
    let schema = read(&mut db);
    let summary: Vec<(String, bool)> = schema
        .views
        .iter()
        .map(|v| (v.name.to_string(), v.materialized))
        .collect();
    assert_eq!(
        summary,
        [("mv".to_string(), true), ("v".to_string(), false)]
    );
    let v = schema.view(&q("v")).unwrap();
    assert!(
        v.definition.sql().contains("WHERE (t.id > 1)"),
        "{}",
        v.definition.sql()
    );
    assert_eq!(
        schema.indexes,
        vec![index("mv_name", "mv", vec![key_column("name")])]
    );
    // Views are not tables, and their _RETURN rules are not listed.
    assert_eq!(schema.tables.len(), 1);
    assert!(schema.opaque.is_empty(), "{:#?}", schema.opaque);
}

#[test]
fn extension_objects_are_left_out() {
    let mut db = test_db!();
    db.exec(
        "CREATE SCHEMA ext;
         CREATE EXTENSION citext;
         CREATE EXTENSION pg_trgm SCHEMA ext;
         CREATE TABLE t (email citext, name text);
         CREATE INDEX t_name_trgm ON t USING gin (name ext.gin_trgm_ops);",
    );
    let schema = read(&mut db);
    assert_eq!(
        schema.extensions,
        vec![
            Extension {
                comment: None,
                version: None,
                name: "citext".into(),
                schema: None,
            },
            Extension {
                comment: None,
                version: None,
                name: "pg_trgm".into(),
                schema: Some("ext".into()),
            },
        ]
    );
    // citext's and pg_trgm's functions, operators and types are theirs, not ours.
    assert!(schema.opaque.is_empty(), "{:#?}", schema.opaque);
    assert_eq!(schema.namespaces, ["ext"]);
    let t = schema.table(&q("t")).unwrap();
    assert_eq!(t.column("email", PG).unwrap().ty, user_ty("citext"));
    assert_eq!(
        schema.indexes[0].columns[0].opclass.as_deref(),
        Some("ext.gin_trgm_ops")
    );
}

#[test]
fn functions_triggers_types_and_other_opaque_objects() {
    let mut db = test_db!();
    db.exec(
        "CREATE TABLE t (id int, n int, range_a int, range_b int);
         CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b';
         CREATE FUNCTION add(a text, b text) RETURNS text LANGUAGE sql AS 'SELECT a || b';
         CREATE PROCEDURE cleanup() LANGUAGE sql AS 'DELETE FROM t';
         CREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int, INITCOND = '0');
         CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
         CREATE TYPE pair AS (x int, y text);
         CREATE DOMAIN positive AS int NOT NULL DEFAULT 1 CONSTRAINT positive_check CHECK (VALUE > 0);
         CREATE TYPE floatrange AS RANGE (SUBTYPE = float8);
         CREATE STATISTICS t_stats (dependencies) ON id, n FROM t;
         ALTER TABLE t ENABLE ROW LEVEL SECURITY;
         CREATE POLICY t_own ON t FOR SELECT TO PUBLIC USING (id > 0);
         CREATE RULE t_no_delete AS ON DELETE TO t DO INSTEAD NOTHING;
         CREATE EXTENSION btree_gist;
         ALTER TABLE t ADD CONSTRAINT t_no_overlap EXCLUDE USING gist (id WITH =, n WITH <>);",
    );
    let schema = read(&mut db);
    let summary: Vec<(OpaqueKind, String, Option<String>)> = schema
        .opaque
        .iter()
        .map(|o| {
            (
                o.kind,
                o.name.to_string(),
                o.on_table.as_ref().map(|t| t.to_string()),
            )
        })
        .collect();
    let on_t = Some("t".to_string());
    assert_eq!(
        summary,
        vec![
            (OpaqueKind::Function, "add".into(), None),
            (OpaqueKind::Function, "add".into(), None),
            (OpaqueKind::Function, "touch".into(), None),
            (OpaqueKind::Procedure, "cleanup".into(), None),
            (OpaqueKind::Trigger, "t_touch".into(), on_t.clone()),
            (OpaqueKind::Type, "floatrange".into(), None),
            (OpaqueKind::Type, "pair".into(), None),
            (OpaqueKind::Domain, "positive".into(), None),
            (OpaqueKind::Statistics, "t_stats".into(), on_t.clone()),
            (OpaqueKind::Rule, "t_no_delete".into(), on_t.clone()),
            (OpaqueKind::Aggregate, "total".into(), None),
        ]
    );
    let sql = |kind: OpaqueKind, name: &str| {
        schema
            .opaque
            .iter()
            .find(|o| o.kind == kind && o.name.name == name)
            .map(|o| o.definition.sql().to_string())
            .unwrap()
    };
    assert!(
        sql(OpaqueKind::Function, "touch").starts_with("CREATE OR REPLACE FUNCTION public.touch()")
    );
    assert!(
        sql(OpaqueKind::Trigger, "t_touch")
            .starts_with("CREATE TRIGGER t_touch BEFORE UPDATE ON public.t")
    );
    assert_eq!(
        sql(OpaqueKind::Type, "pair"),
        "CREATE TYPE pair AS (x integer, y text)"
    );
    assert_eq!(
        sql(OpaqueKind::Domain, "positive"),
        "CREATE DOMAIN positive AS integer DEFAULT 1 NOT NULL CONSTRAINT positive_check CHECK ((VALUE > 0))"
    );
    assert_eq!(
        sql(OpaqueKind::Type, "floatrange"),
        "CREATE TYPE floatrange AS RANGE (SUBTYPE = double precision)"
    );
    assert_eq!(
        sql(OpaqueKind::Aggregate, "total"),
        "CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0')"
    );
    // Policies are modelled, not carried as text.
    assert_eq!(
        schema.policies,
        vec![migrate_build::schema::Policy {
            comment: None,
            name: "t_own".into(),
            table: q("t"),
            permissive: true,
            command: migrate_build::schema::PolicyCommand::Select,
            roles: Vec::new(),
            using: Some(expr("(id > 0)")),
            with_check: None,
        }]
    );
    assert!(schema.table(&q("t")).unwrap().options.row_security);
    assert!(sql(OpaqueKind::Rule, "t_no_delete").starts_with("CREATE RULE t_no_delete AS"));
    assert!(sql(OpaqueKind::Statistics, "t_stats").starts_with("CREATE STATISTICS public.t_stats"));
    // Exclusion constraints are the table's.
    let t = schema.table(&q("t")).unwrap();
    assert_eq!(t.exclusions.len(), 1);
    assert_eq!(t.exclusions[0].name.as_deref(), Some("t_no_overlap"));
    assert_eq!(
        t.exclusions[0].definition.sql,
        "USING gist (id WITH =, n WITH <>)"
    );
    // The exclusion constraint's index belongs to it.
    assert!(schema.indexes.is_empty(), "{:#?}", schema.indexes);
}

#[test]
fn ignored_tables_take_their_sequences_indexes_and_triggers_along() {
    let mut db = test_db!();
    db.exec(
        "CREATE TABLE _migrate_history (id serial PRIMARY KEY, version text);
         CREATE INDEX history_version ON _migrate_history (version);
         CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         CREATE TRIGGER history_touch BEFORE INSERT ON _migrate_history
             FOR EACH ROW EXECUTE FUNCTION f();
         CREATE SCHEMA app;
         CREATE TABLE app._migrate_history (id int);
         CREATE TABLE kept (id serial);",
    );
    let mut schema = introspect(&mut db.client, &[], &["public._migrate_history"]).unwrap();
    schema.sort();
    let tables: Vec<String> = schema.tables.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(tables, ["kept", "app._migrate_history"]);
    let sequences: Vec<String> = schema
        .sequences
        .iter()
        .map(|s| s.name.to_string())
        .collect();
    assert_eq!(sequences, ["kept_id_seq"]);
    assert!(schema.indexes.is_empty());
    let opaque: Vec<String> = schema.opaque.iter().map(|o| o.name.to_string()).collect();
    assert_eq!(opaque, ["f"]);

    // Without a schema the name matches in every schema.
    let schema = introspect(&mut db.client, &[], &["_migrate_history"]).unwrap();
    let tables: Vec<String> = schema.tables.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(tables, ["kept"]);
}

#[test]
fn errors_name_what_was_read_and_not_the_url() {
    let mut db = test_db!();
    // In an aborted transaction every catalog query fails.
    assert!(db.client.batch_execute("BEGIN; SELECT 1/0;").is_err());
    let err = introspect(&mut db.client, &[], &[])
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("could not read the server version"),
        "{err}"
    );
    assert!(
        !err.contains(&db.url) && !err.contains("postgres://"),
        "{err}"
    );
}

/// The crates.io migrations (285, 2014–2026) applied as diesel applies them,
/// then introspected. The expected counts are those of the corpus README
/// (which counts diesel's history table, left out here).
#[test]
fn crates_io_corpus_introspects_consistently() {
    let corpus = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpora/crates-io/migrations"
    ));
    if !corpus.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "corpus missing: {}",
            corpus.display()
        );
        eprintln!("note: skipping: corpus missing: {}", corpus.display());
        return;
    }
    let mut db = test_db!();
    db.exec(
        "CREATE TABLE __diesel_schema_migrations (version varchar(50) PRIMARY KEY,
            run_on timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP)",
    );
    // diesel's order: the version before the first `_`, without dashes.
    let mut dirs: Vec<(String, std::path::PathBuf)> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("up.sql").is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let version = name.split('_').next().unwrap().replace('-', "");
            (version, p)
        })
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 285);
    for (version, dir) in &dirs {
        let sql = std::fs::read_to_string(dir.join("up.sql")).unwrap();
        let no_transaction = std::fs::read_to_string(dir.join("metadata.toml"))
            .is_ok_and(|m| m.contains("run_in_transaction = false"));
        let record =
            format!("INSERT INTO __diesel_schema_migrations (version) VALUES ('{version}')");
        if no_transaction {
            db.exec(&sql);
            db.exec(&record);
        } else {
            let mut tx = db.client.transaction().unwrap();
            tx.batch_execute(&sql)
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            tx.batch_execute(&record).unwrap();
            tx.commit().unwrap();
        }
    }

    let started = std::time::Instant::now();
    let mut schema = introspect(&mut db.client, &[], &["__diesel_schema_migrations"]).unwrap();
    eprintln!("introspected crates.io in {:?}", started.elapsed());
    schema.sort();

    assert_eq!(schema.tables.len(), 35);
    assert!(schema.table(&q("__diesel_schema_migrations")).is_none());
    let views: Vec<(String, bool)> = schema
        .views
        .iter()
        .map(|v| (v.name.to_string(), v.materialized))
        .collect();
    assert_eq!(views, [("recent_crate_downloads".to_string(), true)]);
    let extensions: Vec<&str> = schema.extensions.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(extensions, ["ltree", "pg_trgm", "pgcrypto"]);
    let count = |kind| schema.opaque.iter().filter(|o| o.kind == kind).count();
    assert_eq!(count(OpaqueKind::Function), 31);
    assert_eq!(count(OpaqueKind::Trigger), 25);
    assert_eq!(count(OpaqueKind::Type), 1);
    assert_eq!(schema.sequences.len(), 17);
    let foreign_keys: usize = schema.tables.iter().map(|t| t.foreign_keys.len()).sum();
    assert_eq!(foreign_keys, 35);
    let constraint_indexes: usize = schema
        .tables
        .iter()
        .map(|t| usize::from(t.primary_key.is_some()) + t.uniques.len())
        .sum();
    assert_eq!(schema.indexes.len() + constraint_indexes, 84);

    // Every reference inside the model points at something the model holds.
    for table in &schema.tables {
        for fk in &table.foreign_keys {
            let target = schema.table(&fk.referenced_table).unwrap();
            for column in fk.columns.iter() {
                assert!(
                    table.column(column, PG).is_some(),
                    "{}.{column}",
                    table.name
                );
            }
            for column in &fk.referenced_columns {
                assert!(
                    target.column(column, PG).is_some(),
                    "{}.{column}",
                    target.name
                );
            }
        }
    }
    for sequence in &schema.sequences {
        let (table, column) = sequence.owned_by.as_ref().unwrap();
        let default = schema
            .table(table)
            .unwrap()
            .column(column, PG)
            .unwrap()
            .default
            .as_ref();
        assert!(
            default
                .unwrap()
                .sql
                .contains(&format!("'{}'", sequence.name.name)),
            "{}",
            sequence.name
        );
    }
    for index in &schema.indexes {
        let table = schema.table(&index.table);
        let view = schema.view(&index.table);
        assert!(table.is_some() || view.is_some(), "{}", index.name);
        for column in &index.columns {
            if let (IndexExpr::Column(name), Some(table)) = (&column.expr, table) {
                assert!(table.column(name, PG).is_some(), "{}: {name}", index.name);
            }
        }
    }
}
