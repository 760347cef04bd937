use super::*;
use crate::ddl::{SourceFile, parse_schema};
use crate::schema::{Expr, Schema};

fn pg(sql: &str) -> Schema {
    let file = SourceFile {
        path: "schema.sql",
        sql,
    };
    match parse_schema(Dialect::Postgres, &[file]) {
        Ok((mut schema, _)) => {
            schema.sort();
            schema
        }
        Err(e) => panic!("{e}"),
    }
}

fn pg_err(sql: &str) -> String {
    let file = SourceFile {
        path: "schema.sql",
        sql,
    };
    match parse_schema(Dialect::Postgres, &[file]) {
        Ok(_) => panic!("expected an error for {sql}"),
        Err(e) => e.message,
    }
}

fn t<'s>(s: &'s Schema, name: &str) -> &'s Table {
    s.table(&QualifiedName::new(name)).expect("table")
}

fn value(v: &str) -> BoundDatum {
    BoundDatum::Value(v.to_string())
}

const PARENT: &str = "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE audit_log (
    id bigint NOT NULL,
    tenant_id bigint NOT NULL REFERENCES tenants,
    at timestamptz NOT NULL DEFAULT now(),
    kind text CHECK (kind <> ''),
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE INDEX ON audit_log (tenant_id, at);\n";

#[test]
fn a_partition_has_its_parents_columns_and_a_bound_as_the_server_prints_it() {
    let s = pg(&format!(
        "{PARENT}CREATE TABLE audit_log_2024_01 PARTITION OF audit_log FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
         CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT;"
    ));
    let parent = t(&s, "audit_log");
    let by = parent.partition_by.as_ref().unwrap();
    assert_eq!(by.strategy, PartitionStrategy::Range);
    assert_eq!(by.key, vec![IndexExpr::Column("at".into())]);
    let child = t(&s, "audit_log_2024_01");
    assert_eq!(child.columns, parent.columns);
    let of = child.partition_of.as_ref().unwrap();
    assert_eq!(of.parent, QualifiedName::new("audit_log"));
    assert_eq!(
        of.bound.to_string(),
        "FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-02-01 00:00:00+00')"
    );
    // What the child has because its parent has it is the parent's.
    assert!(child.checks.is_empty() && child.primary_key.is_none());
    assert!(child.foreign_keys.is_empty());
    assert_eq!(s.indexes.len(), 1);
    assert_eq!(
        t(&s, "audit_log_default")
            .partition_of
            .as_ref()
            .unwrap()
            .bound,
        PartitionBound::Default
    );
}

#[test]
fn pg_dumps_create_attach_and_index_attach_give_the_same_model() {
    let declared = pg(&format!(
        "{PARENT}CREATE TABLE audit_log_2024_01 PARTITION OF audit_log FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');"
    ));
    // As pg_dump writes the same database (keys and indexes after the tables).
    let dumped = pg("CREATE TABLE public.tenants (id bigint NOT NULL);
        CREATE TABLE public.audit_log (
            id bigint NOT NULL, tenant_id bigint NOT NULL,
            at timestamp with time zone DEFAULT now() NOT NULL, kind text,
            CONSTRAINT audit_log_kind_check CHECK ((kind <> ''::text))
        ) PARTITION BY RANGE (at);
        CREATE TABLE public.audit_log_2024_01 (
            id bigint NOT NULL, tenant_id bigint NOT NULL,
            at timestamp with time zone DEFAULT now() NOT NULL, kind text,
            CONSTRAINT audit_log_kind_check CHECK ((kind <> ''::text))
        );
        ALTER TABLE ONLY public.audit_log ATTACH PARTITION public.audit_log_2024_01 FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-02-01 00:00:00+00');
        ALTER TABLE ONLY public.tenants ADD CONSTRAINT tenants_pkey PRIMARY KEY (id);
        ALTER TABLE ONLY public.audit_log ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id, at);
        ALTER TABLE ONLY public.audit_log_2024_01 ADD CONSTRAINT audit_log_2024_01_pkey PRIMARY KEY (id, at);
        CREATE INDEX audit_log_tenant_id_at_idx ON ONLY public.audit_log USING btree (tenant_id, at);
        CREATE INDEX audit_log_2024_01_tenant_id_at_idx ON public.audit_log_2024_01 USING btree (tenant_id, at);
        ALTER INDEX public.audit_log_pkey ATTACH PARTITION public.audit_log_2024_01_pkey;
        ALTER INDEX public.audit_log_tenant_id_at_idx ATTACH PARTITION public.audit_log_2024_01_tenant_id_at_idx;
        ALTER TABLE public.audit_log ADD CONSTRAINT audit_log_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id);");
    assert_eq!(declared, dumped);
}

#[test]
fn detach_leaves_the_partition_its_own_copies() {
    let s = pg(&format!(
        "{PARENT}CREATE TABLE audit_log_2024_01 PARTITION OF audit_log FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
         ALTER TABLE audit_log DETACH PARTITION audit_log_2024_01;"
    ));
    let child = t(&s, "audit_log_2024_01");
    assert!(child.partition_of.is_none());
    assert_eq!(
        child.primary_key.as_ref().unwrap().name.as_deref(),
        Some("audit_log_2024_01_pkey")
    );
    assert_eq!(
        child.checks[0].name.as_deref(),
        Some("audit_log_kind_check")
    );
    assert_eq!(
        child.foreign_keys[0].name.as_deref(),
        Some("audit_log_tenant_id_fkey")
    );
    let names: Vec<String> = s.indexes.iter().map(|i| i.name.to_string()).collect();
    assert_eq!(
        names,
        vec![
            "audit_log_2024_01_tenant_id_at_idx",
            "audit_log_tenant_id_at_idx"
        ]
    );
    // Attached again, they are the parent's once more.
    let again = pg(&format!(
        "{PARENT}CREATE TABLE audit_log_2024_01 PARTITION OF audit_log FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
         ALTER TABLE audit_log DETACH PARTITION audit_log_2024_01;
         ALTER TABLE audit_log ATTACH PARTITION audit_log_2024_01 FOR VALUES FROM ('2024-01-01') TO ('2024-03-01');"
    ));
    let child = t(&again, "audit_log_2024_01");
    assert!(child.checks.is_empty() && child.primary_key.is_none());
    assert!(child.foreign_keys.is_empty());
    assert_eq!(again.indexes.len(), 1);
}

#[test]
fn bounds_take_the_spelling_of_the_key_type() {
    let s = pg("CREATE TABLE r (a int, b date, c timestamp, k text) PARTITION BY RANGE (a, b, c);
        CREATE TABLE r1 PARTITION OF r FOR VALUES FROM (MINVALUE, '2020-01-05', '2020-01-01T10:30') TO (+20, DATE '2021-01-01', MAXVALUE);
        CREATE TABLE l (k text, n int) PARTITION BY LIST (lower(k));
        CREATE TABLE l1 PARTITION OF l FOR VALUES IN ('a', 'B', NULL);
        CREATE TABLE n (n int, k text) PARTITION BY LIST (k);
        CREATE TABLE n1 PARTITION OF n FOR VALUES IN (1, 'x');
        CREATE TABLE h (id int) PARTITION BY HASH (id);
        CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (MODULUS 4, REMAINDER 3);");
    let bound = |name: &str| t(&s, name).partition_of.as_ref().unwrap().bound.clone();
    assert_eq!(
        bound("r1"),
        PartitionBound::Range {
            from: vec![
                BoundDatum::MinValue,
                value("'2020-01-05'"),
                value("'2020-01-01 10:30:00'")
            ],
            to: vec![value("20"), value("'2021-01-01'"), BoundDatum::MaxValue],
        }
    );
    assert_eq!(bound("l1").to_string(), "FOR VALUES IN ('a', 'B', NULL)");
    assert_eq!(bound("n1").to_string(), "FOR VALUES IN ('1', 'x')");
    assert_eq!(
        bound("h0").to_string(),
        "FOR VALUES WITH (modulus 4, remainder 3)"
    );
    let l = t(&s, "l").partition_by.as_ref().unwrap();
    assert_eq!(
        l.key,
        vec![IndexExpr::Expression(Expr::new(
            "lower(k)",
            Dialect::Postgres
        ))]
    );
}

#[test]
fn server_spellings_read_back_as_the_same_bound() {
    let s = pg("CREATE TABLE r (a int, at timestamptz) PARTITION BY RANGE (a, at);
        CREATE TABLE r1 PARTITION OF r FOR VALUES FROM (1, '2024-01-01') TO (10, '2024-02-01 00:00:00+00:00');");
    let printed = "FOR VALUES FROM (1, '2024-01-01 00:00:00+00') TO (10, '2024-02-01 00:00:00+00')";
    let read = parse_bound(printed, Dialect::Postgres).unwrap();
    assert_eq!(t(&s, "r1").partition_of.as_ref().unwrap().bound, read);
    assert_eq!(read.to_string(), printed);
    assert_eq!(
        parse_bound("DEFAULT", Dialect::Postgres),
        Some(PartitionBound::Default)
    );
    assert_eq!(
        parse_key("LIST (lower(k))", Dialect::Postgres),
        parse_key("list (LOWER(k))", Dialect::Postgres)
    );
}

#[test]
fn column_changes_recurse_into_partitions_and_children_unless_only() {
    let s = pg("CREATE TABLE p (a int) PARTITION BY LIST (a);
        CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);
        CREATE TABLE base (id int);
        CREATE TABLE kid (x int) INHERITS (base);
        ALTER TABLE p ADD COLUMN b text NOT NULL DEFAULT 'x' CHECK (b <> '');
        ALTER TABLE ONLY p ALTER COLUMN b SET DEFAULT 'y';
        ALTER TABLE base ADD COLUMN note text;
        ALTER TABLE base RENAME COLUMN id TO ident;");
    let p1 = t(&s, "p1");
    let b = p1.column("b", Dialect::Postgres).unwrap();
    assert!(!b.nullable);
    assert_eq!(b.default.as_ref().unwrap().sql, "'x'");
    assert!(p1.checks.is_empty(), "the check is the parent's");
    let p = t(&s, "p");
    assert_eq!(
        p.column("b", Dialect::Postgres)
            .unwrap()
            .default
            .as_ref()
            .unwrap()
            .sql,
        "'y'"
    );
    let kid = t(&s, "kid");
    let names: Vec<(&str, bool)> = kid
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.inherited))
        .collect();
    assert_eq!(names, vec![("ident", true), ("x", false), ("note", true)]);
}

#[test]
fn inherits_merges_columns_as_the_server_does() {
    let s = pg("CREATE TABLE a (id int NOT NULL, note text DEFAULT 'a');
        CREATE TABLE b (id int, extra int);
        CREATE TABLE c (note text DEFAULT 'c', own int) INHERITS (a, b);");
    let c = t(&s, "c");
    let cols: Vec<(&str, bool, Option<&str>, bool)> = c
        .columns
        .iter()
        .map(|k| {
            (
                k.name.as_str(),
                k.nullable,
                k.default.as_ref().map(|e| e.sql.as_str()),
                k.inherited,
            )
        })
        .collect();
    assert_eq!(
        cols,
        vec![
            ("id", false, None, true),
            ("note", true, Some("'c'"), false),
            ("extra", true, None, true),
            ("own", true, None, false),
        ]
    );
    assert_eq!(
        c.inherits,
        vec![QualifiedName::new("a"), QualifiedName::new("b")]
    );
    let e = pg_err("CREATE TABLE a (id int); CREATE TABLE c (id text) INHERITS (a);");
    assert!(e.contains("type"), "{e}");
}

#[test]
fn what_the_server_refuses_is_refused() {
    let cases = [
        (
            "CREATE TABLE h (id int) PARTITION BY HASH (id); CREATE TABLE h1 PARTITION OF h FOR VALUES IN (1);",
            "does not fit",
        ),
        (
            "CREATE TABLE l (id int) PARTITION BY LIST (id); CREATE TABLE a PARTITION OF l DEFAULT; CREATE TABLE b PARTITION OF l DEFAULT;",
            "overlap",
        ),
        (
            "CREATE TABLE l (id int NOT NULL) PARTITION BY LIST (id); CREATE TABLE a (id int); ALTER TABLE l ATTACH PARTITION a FOR VALUES IN (1);",
            "NOT NULL",
        ),
        (
            "CREATE TABLE l (id int) PARTITION BY LIST (id); CREATE TABLE a (id int, x int); ALTER TABLE l ATTACH PARTITION a FOR VALUES IN (1);",
            "exactly the columns",
        ),
        (
            "CREATE TABLE l (id int) PARTITION BY LIST (nope);",
            "partition key column `nope`",
        ),
        (
            "CREATE TABLE l (k text) PARTITION BY RANGE (k COLLATE \"C\");",
            "with a collation is not modelled",
        ),
        (
            "CREATE TABLE l (id int) PARTITION BY LIST (id); CREATE TABLE a PARTITION OF l FOR VALUES IN (now());",
            "partition bound value",
        ),
        (
            "CREATE TABLE l (id int) PARTITION BY LIST (id); CREATE TABLE a (id int); ALTER TABLE l DETACH PARTITION a;",
            "not a partition",
        ),
        (
            "CREATE TABLE l (id int) PARTITION BY LIST (id); CREATE TABLE a PARTITION OF l DEFAULT; ALTER TABLE ONLY l ADD COLUMN x int;",
            "on its partitions or inheriting tables too",
        ),
        (
            "CREATE TABLE b (id int, x int); CREATE TABLE k () INHERITS (b); ALTER TABLE ONLY b RENAME COLUMN x TO y;",
            "on its partitions or inheriting tables too",
        ),
    ];
    for (sql, expected) in cases {
        let e = pg_err(sql);
        assert!(e.contains(expected), "{sql}: {e}");
    }
}

#[test]
fn dropping_a_parent_takes_its_partitions_and_needs_cascade_for_children() {
    let s = pg("CREATE TABLE p (a int) PARTITION BY LIST (a);
        CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1) PARTITION BY LIST (a);
        CREATE TABLE p11 PARTITION OF p1 FOR VALUES IN (1);
        CREATE INDEX ON p1 (a);
        CREATE TABLE keep (a int);
        DROP TABLE p;");
    let names: Vec<&str> = s.tables.iter().map(|t| t.name.name.as_str()).collect();
    assert_eq!(names, ["keep"]);
    assert!(s.indexes.is_empty());
    let e =
        pg_err("CREATE TABLE base (a int); CREATE TABLE kid () INHERITS (base); DROP TABLE base;");
    assert!(e.contains("CASCADE"), "{e}");
    let s = pg(
        "CREATE TABLE base (a int); CREATE TABLE kid () INHERITS (base); DROP TABLE base CASCADE;",
    );
    assert!(s.tables.is_empty());
}

#[test]
fn a_partitions_column_list_adds_options_and_constraints_of_its_own() {
    let s = pg(
        "CREATE TABLE p (id int, foo text, bar text) PARTITION BY LIST (foo);
        CREATE TABLE p1 PARTITION OF p (foo NOT NULL, bar DEFAULT 'x', PRIMARY KEY (foo, id))
            FOR VALUES IN ('a');",
    );
    let p1 = t(&s, "p1");
    let names: Vec<&str> = p1.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "foo", "bar"]);
    assert!(!p1.columns[1].nullable);
    assert_eq!(
        p1.columns[2].default.as_ref().map(|e| e.sql.as_str()),
        Some("'x'")
    );
    let pk = p1.primary_key.as_ref().expect("the partition's own key");
    assert_eq!(pk.columns, ["foo", "id"]);
    // The parent is untouched.
    assert!(t(&s, "p").columns.iter().all(|c| c.nullable));
    assert!(
        pg_err(
            "CREATE TABLE p (id int, foo text) PARTITION BY LIST (foo);
         CREATE TABLE p1 PARTITION OF p (nope NOT NULL) FOR VALUES IN ('a');"
        )
        .contains("does not exist")
    );
    assert!(
        pg_err(
            "CREATE TABLE p (id int, foo text) PARTITION BY LIST (foo);
         CREATE TABLE p1 PARTITION OF p (id UNIQUE) FOR VALUES IN ('a');"
        )
        .contains("not modelled")
    );
}

/// pg_dump writes bounds in the dumping session's zone (`+01`): the server
/// keeps the instant, and prints it back in UTC.
#[test]
fn bounds_with_an_offset_are_the_instant_in_utc() {
    let s = pg("CREATE TABLE p (at timestamptz) PARTITION BY RANGE (at);
        CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2022-03-01 00:00:00+00') TO ('2022-04-01 01:00:00+01');
        CREATE TABLE p2 PARTITION OF p FOR VALUES FROM ('2022-04-01 01:00:00+01') TO ('2023-01-01 04:30:00.5+05:30');
        CREATE TABLE p3 PARTITION OF p FOR VALUES FROM ('2023-01-01 00:00:00.5+01') TO ('2024-03-01 01:00:00-23');");
    for (table, printed) in [
        (
            "p1",
            "FOR VALUES FROM ('2022-03-01 00:00:00+00') TO ('2022-04-01 00:00:00+00')",
        ),
        (
            "p2",
            "FOR VALUES FROM ('2022-04-01 00:00:00+00') TO ('2022-12-31 23:00:00.5+00')",
        ),
        (
            "p3",
            "FOR VALUES FROM ('2022-12-31 23:00:00.5+00') TO ('2024-03-02 00:00:00+00')",
        ),
    ] {
        let read = parse_bound(printed, Dialect::Postgres).unwrap();
        assert_eq!(
            t(&s, table).partition_of.as_ref().unwrap().bound,
            read,
            "{table}"
        );
    }
}

fn copies(s: &Schema, index: &str) -> Vec<(String, String)> {
    s.index(&QualifiedName::new(index))
        .expect("index")
        .partition_copies
        .iter()
        .map(|c| (c.table.to_string(), c.name.clone()))
        .collect()
}

fn pair(table: &str, name: &str) -> (String, String) {
    (table.to_string(), name.to_string())
}

const AUDIT: &str =
    "CREATE TABLE audit (id bigint NOT NULL, at timestamptz NOT NULL) PARTITION BY RANGE (at);\n";

#[test]
fn an_attached_index_keeps_its_name_as_the_parents_copy() {
    let s = pg(&format!(
        "{AUDIT}CREATE TABLE audit_2026_01 PARTITION OF audit FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
         CREATE INDEX audit_at ON ONLY audit USING btree (at);
         CREATE INDEX audit_2026_01_at ON audit_2026_01 USING btree (at);
         ALTER INDEX audit_at ATTACH PARTITION audit_2026_01_at;"
    ));
    assert_eq!(s.indexes.len(), 1);
    assert_eq!(
        copies(&s, "audit_at"),
        vec![pair("audit_2026_01", "audit_2026_01_at")]
    );
    // Declared the short way, the server names the copy itself.
    let declared = pg(&format!(
        "{AUDIT}CREATE TABLE audit_2026_01 PARTITION OF audit FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
         CREATE INDEX audit_at ON audit (at);"
    ));
    assert_eq!(
        copies(&declared, "audit_at"),
        vec![pair("audit_2026_01", "audit_2026_01_at_idx")]
    );
    assert_ne!(s, declared);
}

#[test]
fn copies_are_named_as_the_server_names_them() {
    // A partition created under the index, one made before it, one with a
    // matching index of its own (attached, not copied) and one attached
    // later, whose index of another shape stays its own.
    let s = pg(&format!(
        "{AUDIT}CREATE TABLE audit_2026_01 PARTITION OF audit FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
         CREATE TABLE audit_2026_02 PARTITION OF audit FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
         CREATE INDEX feb_at ON audit_2026_02 (at);
         CREATE INDEX ON audit (at);
         CREATE TABLE audit_2026_03 PARTITION OF audit FOR VALUES FROM ('2026-03-01') TO ('2026-04-01');
         CREATE TABLE audit_2026_04 (id bigint NOT NULL, at timestamptz NOT NULL);
         CREATE INDEX apr_id ON audit_2026_04 (id);
         CREATE TABLE audit_2026_04_at_idx (x int);
         ALTER TABLE audit ATTACH PARTITION audit_2026_04 FOR VALUES FROM ('2026-04-01') TO ('2026-05-01');"
    ));
    assert_eq!(
        copies(&s, "audit_at_idx"),
        vec![
            pair("audit_2026_01", "audit_2026_01_at_idx"),
            pair("audit_2026_02", "feb_at"),
            pair("audit_2026_03", "audit_2026_03_at_idx"),
            pair("audit_2026_04", "audit_2026_04_at_idx1"),
        ]
    );
    let names: Vec<String> = s.indexes.iter().map(|i| i.name.to_string()).collect();
    assert_eq!(names, vec!["apr_id", "audit_at_idx"]);
}

#[test]
fn a_copy_renamed_detached_or_dropped_follows_the_statement() {
    let base = format!(
        "{AUDIT}CREATE INDEX audit_at ON audit (at);
         CREATE TABLE audit_2026_01 PARTITION OF audit FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');\n"
    );
    let renamed = pg(&format!(
        "{base}ALTER INDEX audit_2026_01_at_idx RENAME TO audit_2026_01_at;"
    ));
    assert_eq!(
        copies(&renamed, "audit_at"),
        vec![pair("audit_2026_01", "audit_2026_01_at")]
    );
    // Detached, the copy is the table's own index by the name it had.
    let detached = pg(&format!(
        "{base}ALTER INDEX audit_2026_01_at_idx RENAME TO jan_at;
         ALTER TABLE audit DETACH PARTITION audit_2026_01;"
    ));
    assert!(copies(&detached, "audit_at").is_empty());
    let names: Vec<String> = detached
        .indexes
        .iter()
        .map(|i| i.name.to_string())
        .collect();
    assert_eq!(names, vec!["audit_at", "jan_at"]);
    let dropped = pg(&format!("{base}DROP TABLE audit_2026_01;"));
    assert!(copies(&dropped, "audit_at").is_empty());
    // The copy's name is taken: another relation may not have it.
    assert!(
        pg_err(&format!("{base}CREATE TABLE audit_2026_01_at_idx (x int);"))
            .contains("audit_2026_01_at_idx")
    );
}

/// Constants as the server prints them in a bound (PostgreSQL 15's
/// `pg_get_expr`): bare only a non-negative integer and a numeric with a
/// point, everything else quoted.
#[test]
fn numeric_bounds_take_the_servers_quoting() {
    let s = pg("CREATE TABLE a (k bigint) PARTITION BY LIST (k);
        CREATE TABLE a1 PARTITION OF a FOR VALUES IN (1, -2);
        CREATE TABLE b (k smallint) PARTITION BY LIST (k);
        CREATE TABLE b1 PARTITION OF b FOR VALUES IN ('1');
        CREATE TABLE c (k int) PARTITION BY RANGE (k);
        CREATE TABLE c1 PARTITION OF c FOR VALUES FROM (-5) TO (+10);
        CREATE TABLE d (k numeric) PARTITION BY RANGE (k);
        CREATE TABLE d1 PARTITION OF d FOR VALUES FROM (-1.50) TO (1e3);
        CREATE TABLE d2 PARTITION OF d FOR VALUES FROM (1e3) TO (1000.5);
        CREATE TABLE f (k double precision) PARTITION BY RANGE (k);
        CREATE TABLE f1 PARTITION OF f FOR VALUES FROM (-1.5) TO (10);");
    for (table, printed) in [
        ("a1", "FOR VALUES IN ('1', '-2')"),
        ("b1", "FOR VALUES IN ('1')"),
        ("c1", "FOR VALUES FROM ('-5') TO (10)"),
        ("d1", "FOR VALUES FROM ('-1.50') TO ('1000')"),
        ("d2", "FOR VALUES FROM ('1000') TO (1000.5)"),
        ("f1", "FOR VALUES FROM ('-1.5') TO ('10')"),
    ] {
        let bound = &t(&s, table).partition_of.as_ref().unwrap().bound;
        assert_eq!(bound.to_string(), printed, "{table}");
        assert_eq!(
            Some(bound.clone()),
            parse_bound(printed, Dialect::Postgres),
            "{table}"
        );
    }
}

/// pg_dump keeps the names partitions' index copies have, as the model
/// does: one named as the server would, or otherwise (GitLab's `…_00`).
#[test]
fn attached_index_copies_keep_their_names() {
    let base = "CREATE TABLE logs (id bigint NOT NULL, at timestamp NOT NULL) PARTITION BY RANGE (at);
        CREATE TABLE logs_2025 (id bigint NOT NULL, at timestamp NOT NULL);
        ALTER TABLE ONLY logs ATTACH PARTITION logs_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
        CREATE INDEX logs_at ON ONLY logs USING btree (at);";
    for copy in ["logs_2025_at_idx", "logs_at_2025"] {
        let s = pg(&format!(
            "{base}
            CREATE INDEX {copy} ON logs_2025 USING btree (at);
            ALTER INDEX logs_at ATTACH PARTITION {copy};"
        ));
        assert_eq!(s.indexes.len(), 1);
        assert_eq!(copies(&s, "logs_at"), vec![pair("logs_2025", copy)]);
    }
}

fn key_copies(s: &Schema, table: &str) -> Vec<(String, String, String)> {
    t(s, table)
        .constraint_copies
        .iter()
        .map(|c| (c.constraint.clone(), c.table.to_string(), c.name.clone()))
        .collect()
}

fn key_copy(constraint: &str, table: &str, name: &str) -> (String, String, String) {
    (constraint.into(), table.into(), name.into())
}

const ORDERS: &str = "CREATE TABLE orders (id bigint NOT NULL, placed date NOT NULL, code text,
    PRIMARY KEY (id, placed), UNIQUE (code, placed)) PARTITION BY RANGE (placed);\n";

#[test]
fn key_copies_are_named_as_the_server_names_them() {
    // Created under the keys, attached with a matching key of its own,
    // attached without one (its name taken: the counter), and keys added
    // to the parent afterwards.
    let s = pg(&format!(
        "{ORDERS}CREATE TABLE orders_1 PARTITION OF orders FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
         CREATE TABLE orders_2 (id bigint NOT NULL, placed date NOT NULL, code text,
             CONSTRAINT mine PRIMARY KEY (id, placed));
         ALTER TABLE orders ATTACH PARTITION orders_2 FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
         CREATE TABLE orders_3_pkey (x int);
         CREATE TABLE orders_3 (id bigint NOT NULL, placed date NOT NULL, code text);
         ALTER TABLE orders ATTACH PARTITION orders_3 FOR VALUES FROM ('2026-03-01') TO ('2026-04-01');
         ALTER TABLE orders_2 ADD CONSTRAINT two_id UNIQUE (id, placed);
         ALTER TABLE orders ADD UNIQUE (id, placed);"
    ));
    assert_eq!(
        key_copies(&s, "orders"),
        vec![
            key_copy(
                "orders_code_placed_key",
                "orders_1",
                "orders_1_code_placed_key"
            ),
            key_copy(
                "orders_code_placed_key",
                "orders_2",
                "orders_2_code_placed_key"
            ),
            key_copy(
                "orders_code_placed_key",
                "orders_3",
                "orders_3_code_placed_key"
            ),
            key_copy("orders_id_placed_key", "orders_1", "orders_1_id_placed_key"),
            key_copy("orders_id_placed_key", "orders_2", "two_id"),
            key_copy("orders_id_placed_key", "orders_3", "orders_3_id_placed_key"),
            key_copy("orders_pkey", "orders_1", "orders_1_pkey"),
            key_copy("orders_pkey", "orders_2", "mine"),
            key_copy("orders_pkey", "orders_3", "orders_3_pkey1"),
        ]
    );
    // What the partitions have because their parent has it is the parent's.
    for p in ["orders_1", "orders_2", "orders_3"] {
        assert!(
            t(&s, p).primary_key.is_none() && t(&s, p).uniques.is_empty(),
            "{p}"
        );
    }
}

/// pg_dump's way: each partition's key added `ONLY` by its name, then
/// attached to the parent's.
#[test]
fn attached_key_copies_keep_their_names_through_rename_detach_and_drop() {
    let s = pg(&format!(
        "{ORDERS}CREATE TABLE orders_1 PARTITION OF orders FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');"
    ));
    let dumped = pg("CREATE TABLE orders (id bigint NOT NULL, placed date NOT NULL, code text)
             PARTITION BY RANGE (placed);
         CREATE TABLE orders_1 (id bigint NOT NULL, placed date NOT NULL, code text);
         ALTER TABLE ONLY orders ATTACH PARTITION orders_1 FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
         ALTER TABLE ONLY orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id, placed);
         ALTER TABLE ONLY orders_1 ADD CONSTRAINT orders_1_pk PRIMARY KEY (id, placed);
         ALTER TABLE ONLY orders ADD CONSTRAINT orders_code_placed_key UNIQUE (code, placed);
         ALTER TABLE ONLY orders_1 ADD CONSTRAINT orders_1_code_placed_key UNIQUE (code, placed);
         ALTER INDEX orders_pkey ATTACH PARTITION orders_1_pk;
         ALTER INDEX orders_code_placed_key ATTACH PARTITION orders_1_code_placed_key;");
    assert_eq!(
        key_copies(&dumped, "orders"),
        vec![
            key_copy(
                "orders_code_placed_key",
                "orders_1",
                "orders_1_code_placed_key"
            ),
            key_copy("orders_pkey", "orders_1", "orders_1_pk"),
        ]
    );
    assert_ne!(s, dumped);
    let mut renamed = s.clone();
    crate::ddl::apply(
        &mut renamed,
        SourceFile {
            path: "m.sql",
            sql: "ALTER INDEX orders_1_pkey RENAME TO orders_1_pk;",
        },
    )
    .unwrap();
    assert_eq!(renamed, dumped);
    // Renamed as a constraint, it is the same copy; the parent's key
    // renamed keeps its copies.
    let mut again = s.clone();
    crate::ddl::apply(
        &mut again,
        SourceFile {
            path: "m.sql",
            sql: "ALTER TABLE orders_1 RENAME CONSTRAINT orders_1_pkey TO orders_1_pk;
                  ALTER TABLE orders RENAME CONSTRAINT orders_pkey TO orders_key;",
        },
    )
    .unwrap();
    assert_eq!(
        key_copies(&again, "orders")[1],
        key_copy("orders_key", "orders_1", "orders_1_pk")
    );
    // Detached, the partition keeps its copies as its own, by their names.
    let mut detached = dumped.clone();
    crate::ddl::apply(
        &mut detached,
        SourceFile {
            path: "m.sql",
            sql: "ALTER TABLE orders DETACH PARTITION orders_1;",
        },
    )
    .unwrap();
    assert!(key_copies(&detached, "orders").is_empty());
    let own = t(&detached, "orders_1");
    assert_eq!(
        own.primary_key.as_ref().and_then(|k| k.name.as_deref()),
        Some("orders_1_pk")
    );
    // A dropped key takes its copies along.
    let mut dropped = dumped.clone();
    crate::ddl::apply(
        &mut dropped,
        SourceFile {
            path: "m.sql",
            sql: "ALTER TABLE orders DROP CONSTRAINT orders_pkey;",
        },
    )
    .unwrap();
    assert_eq!(key_copies(&dropped, "orders").len(), 1);
}

#[test]
fn a_key_copy_attached_to_another_kind_of_index_is_refused() {
    let e = pg_err(&format!(
        "{ORDERS}CREATE TABLE orders_1 (id bigint NOT NULL, placed date NOT NULL, code text);
         ALTER TABLE ONLY orders ATTACH PARTITION orders_1 FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
         CREATE INDEX orders_1_id ON orders_1 (id, placed);
         ALTER INDEX orders_pkey ATTACH PARTITION orders_1_id;"
    ));
    assert!(e.contains("is not modelled"), "{e}");
}

/// PostgreSQL 15 has no exclusion constraints on partitioned tables.
#[test]
fn an_exclusion_constraint_on_a_partitioned_table_is_refused() {
    for sql in [
        "CREATE TABLE r (during tstzrange, at date NOT NULL, EXCLUDE USING gist (during WITH &&)) PARTITION BY RANGE (at);",
        "CREATE TABLE r (during tstzrange, at date NOT NULL) PARTITION BY RANGE (at);
         ALTER TABLE r ADD CONSTRAINT r_excl EXCLUDE USING gist (during WITH &&);",
    ] {
        let e = pg_err(sql);
        assert!(e.contains("partitioned"), "{e}");
    }
}

const TREE: &str = "CREATE TABLE r (id int NOT NULL, at date NOT NULL, k text NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE r1 PARTITION OF r FOR VALUES FROM ('2026-01-01') TO ('2026-02-01') PARTITION BY LIST (k);
CREATE TABLE r1a PARTITION OF r1 FOR VALUES IN ('a');\n";

fn copies_under(s: &Schema, index: &str) -> Vec<(String, String, Option<String>)> {
    s.index(&QualifiedName::new(index))
        .expect("index")
        .partition_copies
        .iter()
        .map(|c| {
            (
                c.table.to_string(),
                c.name.clone(),
                c.under.as_ref().map(|u| u.to_string()),
            )
        })
        .collect()
}

/// An index of the table at the top is copied onto each level: the copy
/// on a partitioned partition, and the copies of that copy on its
/// partitions, attached to it; every way of writing it gives one model.
#[test]
fn copies_of_a_copy_of_an_index_belong_to_the_index_at_the_top() {
    let under =
        |t: &str, n: &str, u: Option<&str>| (t.to_string(), n.to_string(), u.map(str::to_string));
    let expected = vec![
        under("r1", "r1_k_idx", None),
        under("r1a", "r1a_k_idx", Some("r1")),
    ];
    for sql in [
        format!("{TREE}CREATE INDEX r_k_idx ON r (k);"),
        "CREATE TABLE r (id int NOT NULL, at date NOT NULL, k text NOT NULL) PARTITION BY RANGE (at);
         CREATE INDEX r_k_idx ON r (k);
         CREATE TABLE r1 PARTITION OF r FOR VALUES FROM ('2026-01-01') TO ('2026-02-01') PARTITION BY LIST (k);
         CREATE TABLE r1a PARTITION OF r1 FOR VALUES IN ('a');"
            .to_string(),
        // pg_dump's order: the copy on r1 attached, then r1a's to it.
        "CREATE TABLE r (id int NOT NULL, at date NOT NULL, k text NOT NULL) PARTITION BY RANGE (at);
         CREATE TABLE r1 (id int NOT NULL, at date NOT NULL, k text NOT NULL) PARTITION BY LIST (k);
         CREATE TABLE r1a (id int NOT NULL, at date NOT NULL, k text NOT NULL);
         ALTER TABLE ONLY r ATTACH PARTITION r1 FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
         ALTER TABLE ONLY r1 ATTACH PARTITION r1a FOR VALUES IN ('a');
         CREATE INDEX r_k_idx ON ONLY r USING btree (k);
         CREATE INDEX r1_k_idx ON ONLY r1 USING btree (k);
         CREATE INDEX r1a_k_idx ON r1a USING btree (k);
         ALTER INDEX r_k_idx ATTACH PARTITION r1_k_idx;
         ALTER INDEX r1_k_idx ATTACH PARTITION r1a_k_idx;"
            .to_string(),
        // The other order: r1's index has its copy when it is attached.
        "CREATE TABLE r (id int NOT NULL, at date NOT NULL, k text NOT NULL) PARTITION BY RANGE (at);
         CREATE TABLE r1 (id int NOT NULL, at date NOT NULL, k text NOT NULL) PARTITION BY LIST (k);
         CREATE TABLE r1a (id int NOT NULL, at date NOT NULL, k text NOT NULL);
         ALTER TABLE ONLY r ATTACH PARTITION r1 FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
         ALTER TABLE ONLY r1 ATTACH PARTITION r1a FOR VALUES IN ('a');
         CREATE INDEX r_k_idx ON ONLY r USING btree (k);
         CREATE INDEX r1_k_idx ON ONLY r1 USING btree (k);
         CREATE INDEX r1a_k_idx ON r1a USING btree (k);
         ALTER INDEX r1_k_idx ATTACH PARTITION r1a_k_idx;
         ALTER INDEX r_k_idx ATTACH PARTITION r1_k_idx;"
            .to_string(),
        // A partitioned table with partitions attached under an index.
        "CREATE TABLE r (id int NOT NULL, at date NOT NULL, k text NOT NULL) PARTITION BY RANGE (at);
         CREATE INDEX r_k_idx ON r (k);
         CREATE TABLE r1 (id int NOT NULL, at date NOT NULL, k text NOT NULL) PARTITION BY LIST (k);
         CREATE TABLE r1a PARTITION OF r1 FOR VALUES IN ('a');
         ALTER TABLE r ATTACH PARTITION r1 FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');"
            .to_string(),
        // r1's own index of the same shape, with its copy, is attached.
        format!("{TREE}CREATE INDEX r1_k_idx ON r1 (k); CREATE INDEX r_k_idx ON r (k);"),
    ] {
        let s = pg(&sql);
        assert_eq!(copies_under(&s, "r_k_idx"), expected, "{sql}");
        assert_eq!(s.indexes.len(), 1, "{sql}");
    }
    // Detached, the partitioned partition keeps its copy as its own index,
    // with the copies below it.
    let s = pg(&format!(
        "{TREE}CREATE INDEX r_k_idx ON r (k); ALTER TABLE r DETACH PARTITION r1;"
    ));
    assert!(copies_under(&s, "r_k_idx").is_empty());
    assert_eq!(
        copies_under(&s, "r1_k_idx"),
        vec![under("r1a", "r1a_k_idx", None)]
    );
    // Detached from the sub-partitioned partition, a leaf keeps its copy.
    let s = pg(&format!(
        "{TREE}CREATE INDEX r_k_idx ON r (k); ALTER TABLE r1 DETACH PARTITION r1a;"
    ));
    assert_eq!(
        copies_under(&s, "r_k_idx"),
        vec![under("r1", "r1_k_idx", None)]
    );
    assert!(copies_under(&s, "r1a_k_idx").is_empty());
}

/// Keys of the table at the top would be copied onto the sub-partitions as
/// copies of a copy of a key, which are not modelled: refused, not left out.
#[test]
fn copies_of_a_copy_of_a_key_are_refused() {
    for sql in [
        format!("{TREE}ALTER TABLE r ADD PRIMARY KEY (id, at, k);"),
        format!("{TREE}ALTER TABLE r ADD UNIQUE (id, at, k);"),
        "CREATE TABLE r (id int NOT NULL, at date NOT NULL, k text NOT NULL, PRIMARY KEY (id, at, k))
             PARTITION BY RANGE (at);
         CREATE TABLE r1 PARTITION OF r FOR VALUES FROM ('2026-01-01') TO ('2026-02-01') PARTITION BY LIST (k);
         CREATE TABLE r1a (id int NOT NULL, at date NOT NULL, k text NOT NULL);
         ALTER TABLE r1 ATTACH PARTITION r1a FOR VALUES IN ('a');"
            .to_string(),
        "CREATE TABLE r (id int NOT NULL, at date NOT NULL, k text NOT NULL, PRIMARY KEY (id, at, k))
             PARTITION BY RANGE (at);
         CREATE TABLE r1 (id int NOT NULL, at date NOT NULL, k text NOT NULL) PARTITION BY LIST (k);
         CREATE TABLE r1a PARTITION OF r1 FOR VALUES IN ('a');
         ALTER TABLE r ATTACH PARTITION r1 FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');"
            .to_string(),
    ] {
        let e = pg_err(&sql);
        assert!(e.contains("copies of a copy of a key"), "{sql}\n{e}");
    }
}

/// An index or key made with ONLY is complete once every partition's copy
/// is attached; one left without is an invalid index the server keeps,
/// refused at the statement that left it so.
#[test]
fn an_index_or_key_left_without_a_partitions_copy_is_refused() {
    let two = "CREATE TABLE p (id int NOT NULL, a int NOT NULL) PARTITION BY LIST (a);
        CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);
        CREATE TABLE p2 PARTITION OF p FOR VALUES IN (2);\n";
    // Complete: every copy attached further down, as pg_dump writes it.
    pg(&format!(
        "{two}CREATE INDEX p_a ON ONLY p (a);
         CREATE INDEX p1_a ON p1 (a);
         CREATE INDEX p2_a ON p2 (a);
         ALTER INDEX p_a ATTACH PARTITION p1_a;
         ALTER INDEX p_a ATTACH PARTITION p2_a;
         ALTER TABLE ONLY p ADD CONSTRAINT p_pkey PRIMARY KEY (id, a);
         ALTER TABLE ONLY p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (id, a);
         ALTER TABLE ONLY p2 ADD CONSTRAINT p2_pkey PRIMARY KEY (id, a);
         ALTER INDEX p_pkey ATTACH PARTITION p1_pkey;
         ALTER INDEX p_pkey ATTACH PARTITION p2_pkey;"
    ));
    // A migration history may attach them in a later migration (after
    // `CREATE INDEX CONCURRENTLY` on each partition).
    let first = format!("{two}CREATE INDEX p_a ON ONLY p (a);");
    let later = "CREATE INDEX p1_a ON p1 (a);
        CREATE INDEX p2_a ON p2 (a);
        ALTER INDEX p_a ATTACH PARTITION p1_a;
        ALTER INDEX p_a ATTACH PARTITION p2_a;";
    let files = [
        SourceFile {
            path: "1/up.sql",
            sql: &first,
        },
        SourceFile {
            path: "2/up.sql",
            sql: later,
        },
    ];
    crate::ddl::replay_migrations(Dialect::Postgres, &files).expect("attached later");
    let e =
        crate::ddl::replay_migrations(Dialect::Postgres, &files[..1]).expect_err("never attached");
    assert_eq!((e.path.as_str(), e.line), ("1/up.sql", 4), "{e}");
    for (sql, line) in [
        (
            format!(
                "{two}CREATE INDEX p_a ON ONLY p (a);
                 CREATE INDEX p1_a ON p1 (a);
                 ALTER INDEX p_a ATTACH PARTITION p1_a;"
            ),
            4,
        ),
        (
            format!(
                "{two}ALTER TABLE ONLY p ADD CONSTRAINT p_pkey PRIMARY KEY (id, a);
                 ALTER TABLE ONLY p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (id, a);
                 ALTER INDEX p_pkey ATTACH PARTITION p1_pkey;"
            ),
            4,
        ),
    ] {
        let file = SourceFile {
            path: "schema.sql",
            sql: &sql,
        };
        let e = parse_schema(Dialect::Postgres, &[file]).expect_err("an invalid index is read");
        assert_eq!(e.line, line, "{sql}\n{e}");
        assert!(
            e.message.contains("p2`") && e.message.contains("invalid"),
            "{e}"
        );
    }
}
