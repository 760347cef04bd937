//! SQLite introspection on real database files.

use cargo_migrate::introspect::sqlite::introspect;
use migrate_build::schema::{
    ColumnType, Deferrable, ForeignKeyAction, IndexExpr, OpaqueKind, QualifiedName, Schema, Table,
    VirtualTable,
};
use rusqlite::Connection;

/// A fresh database file in a temp dir, holding `sql`.
fn db(sql: &str) -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join("test.db")).unwrap();
    conn.execute_batch(sql).unwrap();
    (dir, conn)
}

fn table<'a>(schema: &'a Schema, name: &str) -> &'a Table {
    schema
        .table(&QualifiedName::new(name))
        .unwrap_or_else(|| panic!("no table {name}"))
}

#[test]
fn columns_types_defaults_and_nullability() {
    let (_d, conn) = db("CREATE TABLE things (
            id integer PRIMARY KEY,
            name varchar( 255 ) NOT NULL DEFAULT 'x',
            price decimal(10, 2) DEFAULT (0.0),
            created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
            loose,
            big  unsigned   big int
        );");
    let s = introspect(&conn, &[]).unwrap();
    let t = table(&s, "things");
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "name", "price", "created_at", "loose", "big"]);
    let ty = |i: usize| t.columns[i].ty.to_string();
    assert_eq!(
        (ty(0), ty(1), ty(2), ty(4), ty(5)),
        (
            "INTEGER".to_string(),
            "VARCHAR(255)".to_string(),
            "DECIMAL(10,2)".to_string(),
            String::new(),
            "UNSIGNED BIG INT".to_string()
        )
    );
    assert_eq!(t.columns[1].ty.name, "VARCHAR");
    assert_eq!(t.columns[1].ty.modifiers, [255]);
    assert!(!t.columns[1].nullable && t.columns[2].nullable);
    let default = |i: usize| t.columns[i].default.as_ref().map(|e| e.sql.clone());
    assert_eq!(default(1).as_deref(), Some("'x'"));
    assert_eq!(default(2).as_deref(), Some("0.0"));
    assert_eq!(default(3).as_deref(), Some("CURRENT_TIMESTAMP"));
    assert_eq!(default(4), None);
    assert_eq!(
        t.primary_key.as_ref().map(|pk| pk.columns.clone()),
        Some(vec!["id".to_string()])
    );
    assert!(!t.columns[0].autoincrement);
}

#[test]
fn composite_pk_autoincrement_without_rowid_strict() {
    let (_d, conn) = db(
        "CREATE TABLE seq (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
         CREATE TABLE link (b INT NOT NULL, a INT NOT NULL, CONSTRAINT link_pk PRIMARY KEY (a, b)) WITHOUT ROWID;
         CREATE TABLE typed (id INTEGER PRIMARY KEY, n TEXT) STRICT;
         INSERT INTO seq (v) VALUES ('creates sqlite_sequence');",
    );
    let s = introspect(&conn, &[]).unwrap();
    assert_eq!(s.tables.len(), 3, "sqlite_sequence is internal");
    assert!(table(&s, "seq").columns[0].autoincrement);
    let link = table(&s, "link");
    let pk = link.primary_key.as_ref().unwrap();
    assert_eq!(pk.columns, ["a", "b"]);
    assert_eq!(pk.name.as_deref(), Some("link_pk"));
    assert!(link.without_rowid && !link.strict);
    let typed = table(&s, "typed");
    assert!(typed.strict && !typed.without_rowid);
    assert_eq!(typed.primary_key.as_ref().unwrap().name, None);
}

#[test]
fn uniques_and_checks() {
    let (_d, conn) = db("CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            org INT, handle TEXT,
            age INT CHECK (age >= 0),
            CONSTRAINT users_org_handle UNIQUE (org, handle),
            CONSTRAINT adult CHECK (age IS NULL OR age < 200)
        );");
    let s = introspect(&conn, &[]).unwrap();
    let t = table(&s, "users");
    let uniques: Vec<(Option<&str>, Vec<&str>)> = t
        .uniques
        .iter()
        .map(|u| {
            (
                u.name.as_deref(),
                u.columns.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        uniques,
        vec![
            (None, vec!["email"]),
            (Some("users_org_handle"), vec!["org", "handle"])
        ]
    );
    assert!(
        s.indexes.is_empty(),
        "constraint indexes are not indexes: {:?}",
        s.indexes
    );
    let checks: Vec<(Option<&str>, &str)> = t
        .checks
        .iter()
        .map(|c| (c.name.as_deref(), c.expr.sql.as_str()))
        .collect();
    assert_eq!(
        checks,
        vec![
            (None, "age >= 0"),
            (Some("adult"), "age IS NULL OR age < 200")
        ]
    );
}

#[test]
fn foreign_keys_with_actions() {
    let (_d, conn) = db("CREATE TABLE parent (a INT, b INT, PRIMARY KEY (a, b));
         CREATE TABLE owner (id INTEGER PRIMARY KEY);
         CREATE TABLE child (
            id INTEGER PRIMARY KEY,
            owner_id INT REFERENCES owner ON DELETE CASCADE,
            pa INT, pb INT,
            CONSTRAINT child_parent FOREIGN KEY (pa, pb) REFERENCES parent (a, b)
                ON DELETE SET NULL ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED
         );");
    let s = introspect(&conn, &[]).unwrap();
    let fks = &table(&s, "child").foreign_keys;
    assert_eq!(fks.len(), 2);
    let to_owner = fks.iter().find(|f| f.columns == ["owner_id"]).unwrap();
    assert_eq!(to_owner.referenced_table, QualifiedName::new("owner"));
    assert_eq!(
        to_owner.referenced_columns,
        ["id"],
        "implicit parent key resolved"
    );
    assert_eq!(to_owner.on_delete, ForeignKeyAction::Cascade);
    assert_eq!(to_owner.on_update, ForeignKeyAction::NoAction);
    assert_eq!(to_owner.deferrable, Deferrable::NotDeferrable);
    assert_eq!(to_owner.name, None);
    let to_parent = fks.iter().find(|f| f.columns == ["pa", "pb"]).unwrap();
    assert_eq!(to_parent.name.as_deref(), Some("child_parent"));
    assert_eq!(to_parent.referenced_columns, ["a", "b"]);
    assert_eq!(to_parent.on_delete, ForeignKeyAction::SetNull);
    assert_eq!(to_parent.on_update, ForeignKeyAction::Restrict);
    assert_eq!(to_parent.deferrable, Deferrable::InitiallyDeferred);
}

#[test]
fn partial_expression_and_desc_indexes() {
    let (_d, conn) = db(
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT, score INT, deleted_at INT);
         CREATE INDEX posts_live ON posts (score DESC, id) WHERE deleted_at IS NULL;
         CREATE UNIQUE INDEX posts_title_ci ON posts (lower(title), title COLLATE NOCASE);",
    );
    let s = introspect(&conn, &[]).unwrap();
    assert_eq!(s.indexes.len(), 2);
    let live = s.index(&QualifiedName::new("posts_live")).unwrap();
    assert_eq!(live.table, QualifiedName::new("posts"));
    assert!(!live.unique);
    assert_eq!(
        live.predicate.as_ref().map(|p| p.sql.as_str()),
        Some("deleted_at IS NULL")
    );
    assert_eq!(live.columns[0].expr, IndexExpr::Column("score".to_string()));
    assert!(live.columns[0].descending && !live.columns[1].descending);
    let ci = s.index(&QualifiedName::new("posts_title_ci")).unwrap();
    assert!(ci.unique && ci.predicate.is_none());
    match &ci.columns[0].expr {
        IndexExpr::Expression(e) => assert_eq!(e.sql, "lower(title)"),
        other => panic!("expected an expression, got {other:?}"),
    }
    assert_eq!(ci.columns[1].collation.as_deref(), Some("NOCASE"));
    assert_eq!(ci.columns[0].collation, None);
}

#[test]
fn views_triggers_and_ignored_tables() {
    let (_d, conn) = db("CREATE TABLE items (id INTEGER PRIMARY KEY, n INT);
         CREATE TABLE _migrate_history (version TEXT PRIMARY KEY);
         CREATE INDEX history_idx ON _migrate_history (version);
         CREATE VIEW big_items AS SELECT id, n FROM items WHERE n > 10;
         CREATE TRIGGER items_touch AFTER UPDATE ON items BEGIN SELECT 1; END;");
    let s = introspect(&conn, &["_MIGRATE_HISTORY"]).unwrap();
    assert_eq!(s.tables.len(), 1);
    assert!(s.indexes.is_empty());
    assert_eq!(s.views.len(), 1);
    assert_eq!(
        s.views[0].definition.sql(),
        "SELECT id, n FROM items WHERE n > 10"
    );
    assert!(!s.views[0].materialized);
    assert_eq!(s.opaque.len(), 1);
    assert_eq!(s.opaque[0].kind, OpaqueKind::Trigger);
    assert_eq!(s.opaque[0].on_table, Some(QualifiedName::new("items")));
}

#[test]
fn generated_columns() {
    let (_d, conn) = db("CREATE TABLE boxes (
            w REAL, h REAL,
            area REAL GENERATED ALWAYS AS (w * h) STORED,
            half REAL AS (w / 2),
            label TEXT COLLATE NOCASE
        );");
    let s = introspect(&conn, &[]).unwrap();
    let t = table(&s, "boxes");
    let area = t.column("area", s.dialect).unwrap();
    let g = area.generated.as_ref().unwrap();
    assert!(g.stored);
    assert_eq!(g.expr.sql, "w * h");
    let half = t
        .column("half", s.dialect)
        .unwrap()
        .generated
        .as_ref()
        .unwrap();
    assert!(!half.stored);
    assert_eq!(half.expr.sql, "w / 2");
    assert_eq!(
        t.column("label", s.dialect).unwrap().collation.as_deref(),
        Some("NOCASE")
    );
    assert!(t.column("w", s.dialect).unwrap().generated.is_none());
    assert_eq!(t.columns.len(), 5, "generated columns are in table order");
}

#[test]
fn mixed_case_and_quoted_names() {
    let (_d, conn) = db(
        r#"CREATE TABLE "Customer" ("CustomerId" INTEGER PRIMARY KEY, [First Name] NVARCHAR(40) NOT NULL);
           CREATE TABLE "Invoice" (InvoiceId INTEGER PRIMARY KEY,
               CustomerId INTEGER NOT NULL REFERENCES "Customer" ("CustomerId"));
           CREATE INDEX "IFK_InvoiceCustomerId" ON "Invoice" ("CustomerId");"#,
    );
    let s = introspect(&conn, &[]).unwrap();
    let names: Vec<&str> = s.tables.iter().map(|t| t.name.name.as_str()).collect();
    assert_eq!(names, ["Customer", "Invoice"]);
    let customer = table(&s, "customer");
    assert_eq!(customer.columns[1].name, "First Name");
    assert_eq!(customer.columns[1].ty, {
        let mut t = ColumnType::simple("NVARCHAR");
        t.modifiers = vec![40];
        t
    });
    let fk = &table(&s, "Invoice").foreign_keys[0];
    assert_eq!(fk.referenced_table.name, "Customer");
    assert_eq!(fk.referenced_columns, ["CustomerId"]);
    let idx = s
        .index(&QualifiedName::new("IFK_InvoiceCustomerId"))
        .unwrap();
    assert_eq!(
        idx.columns[0].expr,
        IndexExpr::Column("CustomerId".to_string())
    );
    assert_eq!(idx.table.name, "Invoice");
}

#[test]
fn virtual_tables_are_read_and_shadow_tables_skipped() {
    let (_d, conn) = db("CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT);
         CREATE VIRTUAL TABLE docs_fts USING fts5(body);");
    let s = introspect(&conn, &[]).unwrap();
    let names: Vec<&str> = s.tables.iter().map(|t| t.name.name.as_str()).collect();
    assert_eq!(names, ["docs"]);
    assert!(s.opaque.is_empty());
    assert_eq!(
        *s.virtual_tables,
        [VirtualTable {
            name: QualifiedName::new("docs_fts"),
            module: "fts5".into(),
            arguments: vec!["body".into()],
        }]
    );
}

#[test]
fn empty_database_is_an_empty_schema() {
    let (_d, conn) = db("");
    assert!(introspect(&conn, &[]).unwrap().is_empty());
}

/// Chinook's SQLite script (bracketed names, NVARCHAR, 11 tables, 11 FKs,
/// 11 FK indexes): the corpus README's counts.
#[test]
fn chinook_corpus() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora/chinook/DataSources/Chinook_Sqlite_AutoIncrementPKs.sql");
    if !path.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} missing",
            path.display()
        );
        eprintln!("note: {} missing, test skipped", path.display());
        return;
    }
    let sql = std::fs::read_to_string(&path).unwrap();
    let sql = sql.strip_prefix('\u{feff}').unwrap_or(&sql);
    let (_d, conn) = db(sql);
    let s = introspect(&conn, &[]).unwrap();
    assert_eq!(s.tables.len(), 11);
    assert_eq!(
        s.tables.iter().map(|t| t.foreign_keys.len()).sum::<usize>(),
        11
    );
    assert_eq!(s.indexes.len(), 11);
    // 10 of the 11 tables (not the playlist-track link table) use AUTOINCREMENT.
    assert_eq!(
        s.tables
            .iter()
            .filter(|t| t.columns.iter().any(|c| c.autoincrement))
            .count(),
        10
    );
    let track = table(&s, "Track");
    assert_eq!(track.column("Name", s.dialect).unwrap().ty.name, "NVARCHAR");
}

fn corpus(rel: &str) -> Option<std::path::PathBuf> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora")
        .join(rel);
    if path.exists() {
        Some(path)
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} missing",
            path.display()
        );
        eprintln!("note: {} missing, test skipped", path.display());
        None
    }
}

/// Applies a real SQLite migration set as its tool would, then checks that
/// introspection accounts for every object the database holds.
fn apply_and_introspect(rel: &str) -> Option<(Connection, Schema)> {
    let dir = corpus(rel)?;
    let migrations = migrate_build::migrations::load(&dir, migrate_build::Dialect::Sqlite).unwrap();
    assert!(!migrations.is_empty());
    let conn = Connection::open_in_memory().unwrap();
    for m in &migrations {
        let sql = if m.no_transaction {
            m.up.sql.clone()
        } else {
            format!("BEGIN;\n{}\n;COMMIT;", m.up.sql)
        };
        conn.execute_batch(&sql)
            .unwrap_or_else(|e| panic!("{}: {e}", m.up.path.display()));
    }
    let schema = introspect(&conn, &[]).unwrap();
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap() as usize;
    assert_eq!(
        schema.tables.len(),
        count(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        ),
        "{rel}: tables"
    );
    assert_eq!(
        schema.indexes.len(),
        count("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL"),
        "{rel}: indexes"
    );
    assert_eq!(
        schema
            .tables
            .iter()
            .map(|t| t.foreign_keys.len())
            .sum::<usize>(),
        count(
            "SELECT count(DISTINCT t.name || '.' || f.id) FROM sqlite_schema t, pragma_foreign_key_list(t.name) f WHERE t.type = 'table'"
        ),
        "{rel}: foreign keys"
    );
    assert_eq!(
        schema.tables.iter().map(|t| t.uniques.len()).sum::<usize>(),
        count(
            "SELECT count(*) FROM sqlite_schema t, pragma_index_list(t.name) i WHERE t.type = 'table' AND i.origin = 'u'"
        ),
        "{rel}: unique constraints"
    );
    assert_eq!(
        schema
            .indexes
            .iter()
            .filter(|i| i.predicate.is_some())
            .count(),
        count(
            "SELECT count(*) FROM sqlite_schema t, pragma_index_list(t.name) i WHERE t.type = 'table' AND i.origin = 'c' AND i.partial = 1"
        ),
        "{rel}: partial indexes"
    );
    Some((conn, schema))
}

#[test]
fn ory_kratos_sqlite_corpus() {
    let Some((_conn, s)) = apply_and_introspect("ory-kratos/migrations/sql") else {
        return;
    };
    let identities = table(&s, "identities");
    assert_eq!(
        identities.primary_key.as_ref().map(|pk| pk.columns.clone()),
        Some(vec!["id".to_string()])
    );
    assert!(s.tables.len() > 20, "{} tables", s.tables.len());
}

#[test]
fn atuin_sqlite_corpora() {
    for rel in [
        "atuin/atuin-server-sqlite/migrations",
        "atuin/atuin-client/migrations",
        "atuin/atuin-client/record-migrations",
        "atuin/atuin-client/meta-migrations",
        "atuin/atuin-kv/migrations",
        "atuin/atuin-scripts/migrations",
        "atuin/atuin-ai/migrations",
    ] {
        let Some((_conn, s)) = apply_and_introspect(rel) else {
            return;
        };
        assert!(!s.tables.is_empty(), "{rel}");
    }
}
