//! SQLite introspection: a live database → [`Schema`].
//!
//! The PRAGMAs give what SQLite resolved (column types, nullability,
//! defaults, primary key order, foreign-key actions, index columns and
//! direction). What they leave out — constraint names, CHECK expressions,
//! generated-column expressions, AUTOINCREMENT, collations, DEFERRABLE,
//! partial-index predicates, index expressions — SQLite keeps in the
//! `CREATE` text of `sqlite_schema`, which the DDL interpreter reads
//! ([`migrate_build::ddl::read_stored`]), as it reads a migration.
//!
//! Names keep the spelling of the `CREATE` statements, as the DDL interpreter
//! keeps them, so that a database and the SQL that built it give equal models.

use migrate_build::Dialect;
use migrate_build::ddl::{Stored, read_stored};
use migrate_build::schema::Definition;
use migrate_build::schema::{
    Column, ColumnType, Deferrable, Expr, ForeignKey, ForeignKeyAction, Generated, Index,
    IndexColumn, OpaqueKind, OpaqueObject, PrimaryKey, QualifiedName, Schema, Table,
    UniqueConstraint, View,
};
use rusqlite::Connection;

const D: Dialect = Dialect::Sqlite;

#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    #[error("reading the SQLite schema: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The stored `CREATE` text did not have the expected shape.
    #[error("{kind} `{name}`: cannot read its stored SQL: {message}")]
    StoredSql {
        kind: &'static str,
        name: String,
        message: String,
    },
}

/// Reads the `main` schema of `conn`. Internal `sqlite_*` tables, virtual
/// tables' shadow tables and the tables named in `ignore_tables` (compared
/// case-insensitively, like SQLite names) are left out, with their indexes
/// and triggers.
pub fn introspect(conn: &Connection, ignore_tables: &[&str]) -> Result<Schema, IntrospectError> {
    let ignored = |name: &str| {
        name.get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("sqlite_"))
            || ignore_tables.iter().any(|t| t.eq_ignore_ascii_case(name))
    };
    let mut schema = Schema::empty(D);
    let objects = stored_objects(conn)?;
    let kinds = table_kinds(conn, &objects)?;
    for obj in &objects {
        if ignored(&obj.name) || ignored(&obj.tbl_name) {
            continue;
        }
        match obj.kind.as_str() {
            "table" => match kinds.get(&obj.name).map_or("table", String::as_str) {
                "shadow" => {}
                "virtual" => schema.virtual_tables.push(
                    migrate_build::ddl::parse_virtual_table(obj.sql.as_deref().unwrap_or_default())
                        .map_err(|m| stored_sql_error("virtual table", &obj.name, m))?,
                ),
                _ => {
                    let table = read_table(conn, obj)?;
                    schema.tables.push(table);
                }
            },
            "view" => schema.views.push(read_view(obj)?),
            "trigger" => schema.opaque.push(OpaqueObject {
                firing: Default::default(),
                statistics_target: None,
                comment: None,
                kind: OpaqueKind::Trigger,
                name: QualifiedName::new(&obj.name),
                on_table: Some(QualifiedName::new(&obj.tbl_name)),
                definition: Definition::source(obj.sql.as_deref().unwrap_or_default()),
                signature: None,
                references: Vec::new(),
                head: None,
                text_search: None,
            }),
            // Indexes are read per table, from index_list, below.
            _ => {}
        }
    }
    for table in &schema.tables {
        let indexes = read_indexes(conn, table, &objects)?;
        schema.indexes.extend(indexes);
    }
    // A trigger's body names tables the catalog keeps no dependency on.
    let facts: Vec<_> = schema
        .opaque
        .iter()
        .map(|o| migrate_build::ddl::references(&schema, o.definition.sql()))
        .collect();
    for (o, references) in schema.opaque.iter_mut().zip(facts) {
        o.references = references;
    }
    schema.sort();
    Ok(schema)
}

struct StoredObject {
    kind: String,
    name: String,
    tbl_name: String,
    sql: Option<String>,
}

fn stored_objects(conn: &Connection) -> Result<Vec<StoredObject>, IntrospectError> {
    let mut stmt =
        conn.prepare("SELECT type, name, tbl_name, sql FROM main.sqlite_schema ORDER BY rowid")?;
    let rows = stmt.query_map([], |r| {
        Ok(StoredObject {
            kind: r.get(0)?,
            name: r.get(1)?,
            tbl_name: r.get(2)?,
            sql: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// `virtual` or `shadow` (PRAGMA table_list, SQLite 3.37+) for the tables
/// that are; the others are plain tables.
///
/// `pragma_table_list` first works out the columns of every view, each view
/// through the views it reads, whatever table is asked for: 3,000 views each
/// reading the one before took seconds a query. Only a schema with a virtual
/// table can hold a virtual or shadow table (SQLite stores a virtual table's
/// statement as `CREATE VIRTUAL TABLE`), and the list is then read once.
fn table_kinds(
    conn: &Connection,
    objects: &[StoredObject],
) -> Result<std::collections::HashMap<String, String>, IntrospectError> {
    let virtual_table = |o: &StoredObject| {
        o.kind == "table"
            && o.sql
                .as_deref()
                .and_then(|s| s.get(..20))
                .is_some_and(|p| p.eq_ignore_ascii_case("CREATE VIRTUAL TABLE"))
    };
    let mut kinds = std::collections::HashMap::new();
    if !objects.iter().any(virtual_table) {
        return Ok(kinds);
    }
    let mut stmt = conn.prepare(
        "SELECT name, type FROM pragma_table_list WHERE schema = 'main' AND type IN ('virtual', 'shadow')",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (name, kind) = row?;
        kinds.insert(name, kind);
    }
    Ok(kinds)
}

fn stored_sql_error(kind: &'static str, name: &str, message: impl Into<String>) -> IntrospectError {
    IntrospectError::StoredSql {
        kind,
        name: name.to_string(),
        message: message.into(),
    }
}

// ------------------------------------------------------------------ tables

fn read_table(conn: &Connection, obj: &StoredObject) -> Result<Table, IntrospectError> {
    let sql = obj.sql.as_deref().unwrap_or_default();
    let text = match read_stored(D, sql, None) {
        Ok(Stored::Table(table)) => table,
        Ok(_) => return Err(stored_sql_error("table", &obj.name, "not a CREATE TABLE")),
        Err(m) => return Err(stored_sql_error("table", &obj.name, m)),
    };
    let mut table = Table::new(QualifiedName::new(&obj.name));

    // From the stored text, which SQLite parsed to set them, rather than
    // `pragma_table_list` (see [`table_kinds`]); a test compares the two.
    table.without_rowid = text.without_rowid;
    table.strict = text.strict;

    // (pk position, name) of primary-key columns.
    let mut pk: Vec<(i64, String)> = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?1)",
    )?;
    let rows = stmt.query_map([&obj.name], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, bool>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    for row in rows {
        let (name, declared, notnull, default, pk_pos, hidden) = row?;
        // hidden: 0 plain, 1 virtual-table hidden column, 2 VIRTUAL, 3 STORED generated.
        if hidden == 1 {
            continue;
        }
        let col_text = text
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&name));
        let mut column = Column::new(&name, column_type(declared.as_deref().unwrap_or("")));
        column.nullable = !notnull;
        column.default = default.map(|d| Expr::new(d, D));
        if let Some(c) = col_text {
            column.collation = c.collation.clone();
            column.autoincrement = c.autoincrement;
            // PRAGMA shows no conflict clause: the stored text has it.
            column.not_null_conflict = c.not_null_conflict.filter(|_| notnull);
            column.generated = c.generated.as_ref().map(|g| Generated {
                expr: g.expr.clone(),
                stored: hidden == 3,
            });
        }
        if hidden >= 2 && column.generated.is_none() {
            return Err(stored_sql_error(
                "table",
                &obj.name,
                format!("generated column `{name}` has no AS (…) expression"),
            ));
        }
        if pk_pos > 0 {
            pk.push((pk_pos, name.clone()));
        }
        table.columns.push(column);
    }
    pk.sort();
    if !pk.is_empty() {
        let pk_columns: Vec<String> = pk.into_iter().map(|(_, n)| n).collect();
        // PRAGMA shows no conflict clause: the stored text has it.
        let (name, columns, on_conflict) = match &text.primary_key {
            Some(written) if same_columns(&written.columns, &pk_columns) => (
                written.name.clone(),
                written.columns.clone(),
                written.on_conflict,
            ),
            _ => (None, pk_columns, None),
        };
        table.primary_key = Some(PrimaryKey {
            name,
            columns,
            on_conflict,
            ..Default::default()
        });
    }

    table.uniques = read_uniques(conn, &obj.name, &text)?;
    table.checks = text.checks.clone();
    table.foreign_keys = read_foreign_keys(conn, &obj.name, &text)?;
    Ok(table)
}

/// The declared type in the model's spelling: the interpreter's function,
/// so that a database and the SQL that built it agree.
fn column_type(declared: &str) -> ColumnType {
    migrate_build::ddl::parse_column_type(declared, D)
        .unwrap_or_else(|| ColumnType::simple(declared.to_ascii_uppercase()))
}

fn same_columns(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
}

struct IndexInfo {
    name: String,
    unique: bool,
    origin: String,
    partial: bool,
}

fn index_list(conn: &Connection, table: &str) -> Result<Vec<IndexInfo>, IntrospectError> {
    let mut stmt = conn.prepare(
        "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) ORDER BY seq DESC",
    )?;
    let rows = stmt.query_map([table], |r| {
        Ok(IndexInfo {
            name: r.get(0)?,
            unique: r.get(1)?,
            origin: r.get(2)?,
            partial: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Key columns of an index: (column name or `None` for an expression, descending).
fn index_key_columns(
    conn: &Connection,
    index: &str,
) -> Result<Vec<(Option<String>, bool)>, IntrospectError> {
    let mut stmt = conn.prepare(
        "SELECT name, \"desc\" FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno",
    )?;
    let rows = stmt.query_map([index], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn read_uniques(
    conn: &Connection,
    table: &str,
    text: &Table,
) -> Result<Vec<UniqueConstraint>, IntrospectError> {
    let mut uniques = Vec::new();
    let mut used = vec![false; text.uniques.len()];
    for info in index_list(conn, table)? {
        if info.origin != "u" {
            continue;
        }
        let columns: Vec<String> = index_key_columns(conn, &info.name)?
            .into_iter()
            .map(|(name, _)| name.unwrap_or_default())
            .collect();
        let found = text
            .uniques
            .iter()
            .enumerate()
            .find(|(i, u)| !used[*i] && same_columns(&u.columns, &columns));
        let (name, columns, on_conflict) = match found {
            Some((i, u)) => {
                used[i] = true;
                (u.name.clone(), u.columns.clone(), u.on_conflict)
            }
            None => (None, columns, None),
        };
        uniques.push(UniqueConstraint {
            index: Default::default(),
            name,
            columns,
            nulls_not_distinct: false,
            deferrable: Deferrable::NotDeferrable,
            on_conflict,
        });
    }
    Ok(uniques)
}

fn read_foreign_keys(
    conn: &Connection,
    table: &str,
    text: &Table,
) -> Result<Vec<ForeignKey>, IntrospectError> {
    // id, seq, table, from, to, on_update, on_delete
    type Row = (i64, String, String, Option<String>, String, String);
    let mut stmt = conn.prepare(
        "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete \
         FROM pragma_foreign_key_list(?1) ORDER BY id DESC, seq",
    )?;
    let rows: Vec<Row> = stmt
        .query_map([table], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    let mut fks: Vec<ForeignKey> = Vec::new();
    let mut to_columns: Vec<Vec<Option<String>>> = Vec::new();
    let mut last_id = None;
    for (id, parent, from, to, on_update, on_delete) in rows {
        if last_id != Some(id) {
            last_id = Some(id);
            fks.push(ForeignKey {
                name: None,
                columns: Vec::new(),
                referenced_table: QualifiedName::new(parent),
                referenced_columns: Vec::new(),
                on_delete: action(&on_delete),
                on_update: action(&on_update),
                deferrable: Deferrable::NotDeferrable,
                not_valid: false,
            });
            to_columns.push(Vec::new());
        }
        if let (Some(fk), Some(to_cols)) = (fks.last_mut(), to_columns.last_mut()) {
            fk.columns.push(from);
            to_cols.push(to);
        }
    }
    let mut used = vec![false; text.foreign_keys.len()];
    for (fk, to_cols) in fks.iter_mut().zip(to_columns) {
        fk.referenced_columns = if to_cols.iter().all(Option::is_some) {
            to_cols.into_iter().flatten().collect()
        } else {
            // `REFERENCES parent` without columns: the parent's primary key.
            primary_key_of(conn, &fk.referenced_table.name)?
        };
        let found = text.foreign_keys.iter().enumerate().find(|(i, t)| {
            !used[*i]
                && same_columns(&t.columns, &fk.columns)
                && t.referenced_table
                    .name
                    .eq_ignore_ascii_case(&fk.referenced_table.name)
        });
        if let Some((i, t)) = found {
            used[i] = true;
            fk.name = t.name.clone();
            fk.deferrable = t.deferrable;
        }
    }
    Ok(fks)
}

fn primary_key_of(conn: &Connection, table: &str) -> Result<Vec<String>, IntrospectError> {
    let mut stmt =
        conn.prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")?;
    let rows = stmt.query_map([table], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn action(s: &str) -> ForeignKeyAction {
    match s.to_ascii_uppercase().as_str() {
        "RESTRICT" => ForeignKeyAction::Restrict,
        "CASCADE" => ForeignKeyAction::Cascade,
        "SET NULL" => ForeignKeyAction::SetNull,
        "SET DEFAULT" => ForeignKeyAction::SetDefault,
        // "NO ACTION", the default.
        _ => ForeignKeyAction::NoAction,
    }
}

// ----------------------------------------------------------------- indexes

fn read_indexes(
    conn: &Connection,
    table: &Table,
    objects: &[StoredObject],
) -> Result<Vec<Index>, IntrospectError> {
    let mut indexes = Vec::new();
    for info in index_list(conn, &table.name.name)? {
        // `pk` and `u` indexes are the primary key and UNIQUE constraints.
        if info.origin != "c" {
            continue;
        }
        let sql = objects
            .iter()
            .find(|o| o.kind == "index" && o.name == info.name)
            .and_then(|o| o.sql.as_deref())
            .unwrap_or_default();
        let stored = match read_stored(D, sql, Some(table)) {
            Ok(Stored::Index(index)) => index,
            Ok(_) => return Err(stored_sql_error("index", &info.name, "not a CREATE INDEX")),
            Err(m) => return Err(stored_sql_error("index", &info.name, m)),
        };
        let keys = index_key_columns(conn, &info.name)?;
        if keys.len() != stored.columns.len() {
            return Err(stored_sql_error(
                "index",
                &info.name,
                format!(
                    "{} key columns in PRAGMA index_xinfo, {} in the CREATE INDEX text",
                    keys.len(),
                    stored.columns.len()
                ),
            ));
        }
        if info.partial != stored.predicate.is_some() {
            return Err(stored_sql_error(
                "index",
                &info.name,
                "cannot find the WHERE clause",
            ));
        }
        let columns = keys
            .into_iter()
            .zip(stored.columns.iter().cloned())
            .map(|((_, descending), item)| IndexColumn { descending, ..item })
            .collect();
        indexes.push(Index {
            name: QualifiedName::new(&info.name),
            unique: info.unique,
            columns,
            ..stored
        });
    }
    Ok(indexes)
}

/// The interpreter reads the stored statement as it reads a migration, so
/// both turn `CREATE VIEW v (a, b) AS SELECT …` into the same body.
fn read_view(obj: &StoredObject) -> Result<View, IntrospectError> {
    let sql = obj.sql.as_deref().unwrap_or_default();
    let view = match read_stored(D, sql, None) {
        Ok(Stored::View(view)) => view,
        Ok(_) => return Err(stored_sql_error("view", &obj.name, "not a CREATE VIEW")),
        Err(m) => return Err(stored_sql_error("view", &obj.name, m)),
    };
    Ok(View {
        column_comments: Vec::new(),
        comment: None,
        name: QualifiedName::new(&obj.name),
        materialized: false,
        definition: view.definition,
        options: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use migrate_build::schema::ConflictAction;

    fn read(sql: &str) -> Schema {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(sql).unwrap();
        introspect(&conn, &[]).unwrap()
    }

    #[test]
    fn stored_text_gives_what_the_pragmas_leave_out() {
        let s = read(
            r#"CREATE TABLE customer (id INTEGER PRIMARY KEY);
            CREATE TABLE other (a INT, b INT, PRIMARY KEY (a, b));
            CREATE TABLE "Order" (
                id INTEGER CONSTRAINT pk PRIMARY KEY AUTOINCREMENT, -- a comment, with a comma
                [Total] decimal(10, 2) NOT NULL DEFAULT (0) CHECK ("Total" >= 0),
                note TEXT COLLATE NOCASE UNIQUE,
                cust INT REFERENCES customer ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
                twice INT GENERATED ALWAYS AS (cust * 2) STORED,
                CONSTRAINT uq UNIQUE (note, "Total"),
                CONSTRAINT fk FOREIGN KEY (cust, twice) REFERENCES other (a, b) ON UPDATE CASCADE,
                CHECK (twice > 0)
            );
            CREATE UNIQUE INDEX IF NOT EXISTS ix ON "Order" (lower(note) DESC, note COLLATE binary ASC, [Total]) WHERE cust IS NULL AND (twice > 1);
            CREATE VIEW v (a, b) AS SELECT 1 AS a, 2 AS b;"#,
        );
        let t = s.table(&QualifiedName::new("Order")).unwrap();
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "Total", "note", "cust", "twice"]);
        assert!(t.columns[0].autoincrement);
        assert_eq!(t.columns[2].collation.as_deref(), Some("NOCASE"));
        let twice = t.columns[4].generated.as_ref().unwrap();
        assert!(twice.stored);
        assert_eq!(twice.expr, Expr::new("cust * 2", D));
        assert_eq!(t.primary_key.as_ref().unwrap().name.as_deref(), Some("pk"));
        let uniques: Vec<_> = t.uniques.iter().map(|u| u.name.as_deref()).collect();
        assert_eq!(uniques.len(), 2);
        assert!(uniques.contains(&Some("uq")));
        let mut checks: Vec<_> = t.checks.iter().map(|c| c.expr.key.clone()).collect();
        checks.sort();
        let mut written = [
            Expr::new("\"Total\" >= 0", D).key,
            Expr::new("twice > 0", D).key,
        ];
        written.sort();
        assert_eq!(checks, written);
        let fk = |name: &str| {
            t.foreign_keys
                .iter()
                .find(|f| f.referenced_table.name == name)
                .unwrap()
        };
        assert_eq!(fk("customer").deferrable, Deferrable::InitiallyDeferred);
        assert_eq!(fk("customer").on_delete, ForeignKeyAction::SetNull);
        assert_eq!(fk("other").name.as_deref(), Some("fk"));
        assert_eq!(fk("other").columns, ["cust", "twice"]);
        let ix = &s.indexes[0];
        assert_eq!(ix.table.name, "Order");
        assert!(ix.unique);
        let directions: Vec<bool> = ix.columns.iter().map(|c| c.descending).collect();
        assert_eq!(directions, [true, false, false]);
        assert_eq!(ix.columns[1].collation.as_deref(), Some("binary"));
        assert_eq!(
            ix.predicate,
            Some(Expr::new("cust IS NULL AND (twice > 1)", D))
        );
        assert_eq!(s.views[0].definition.sql(), "SELECT 1 AS a, 2 AS b");
    }

    #[test]
    fn quotes_and_comments_in_stored_text_mean_what_sqlite_read() {
        let s = read(
            "CREATE TABLE \"a)b\" (\n\
               \"c)d\" TEXT CONSTRAINT \"k)\" CHECK (\"c)d\" <> '-- not a comment, )'), -- a ) comment\n\
               e INT CONSTRAINT nn NOT NULL CHECK (e > 0) /* , ) */ COLLATE NOCASE\n\
             );\n\
             CREATE INDEX \"i)x\" ON \"a)b\" (\"c)d\") WHERE \"c)d\" <> ')';",
        );
        let t = s.table(&QualifiedName::new("a)b")).unwrap();
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["c)d", "e"]);
        assert_eq!(t.columns[1].collation.as_deref(), Some("NOCASE"));
        let check =
            |name: Option<&str>| t.checks.iter().find(|c| c.name.as_deref() == name).unwrap();
        assert!(check(Some("k)")).expr.has_string("-- not a comment, )"));
        // `CONSTRAINT nn` names the NOT NULL, not the CHECK after it.
        assert_eq!(check(None).expr, Expr::new("e > 0", D));
        assert_eq!(t.checks.len(), 2);
        assert_eq!(s.indexes[0].name.name, "i)x");
        assert!(
            s.indexes[0]
                .predicate
                .as_ref()
                .is_some_and(|p| p.has_string(")"))
        );
    }

    /// PRAGMA shows no conflict clause; the stored text does, and a model
    /// without it would render a table that behaves otherwise.
    #[test]
    fn conflict_clauses_are_read_from_the_stored_text() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (a INTEGER PRIMARY KEY ON CONFLICT REPLACE, \
             b TEXT UNIQUE ON CONFLICT IGNORE, c INT, d INT, UNIQUE (c, d) ON CONFLICT FAIL);",
        )
        .unwrap();
        let s = introspect(&conn, &[]).unwrap();
        let t = &s.tables[0];
        let key = t.primary_key.as_ref().and_then(|k| k.on_conflict);
        assert_eq!(key, Some(ConflictAction::Replace));
        let uniques: Vec<_> = t.uniques.iter().map(|u| u.on_conflict).collect();
        assert!(
            uniques.contains(&Some(ConflictAction::Ignore)),
            "{uniques:?}"
        );
        assert!(uniques.contains(&Some(ConflictAction::Fail)), "{uniques:?}");
        // On NOT NULL it belongs to the column.
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE n (a TEXT NOT NULL ON CONFLICT IGNORE, b TEXT NOT NULL);")
            .unwrap();
        let s = introspect(&conn, &[]).unwrap();
        let conflicts: Vec<_> = s.tables[0]
            .columns
            .iter()
            .map(|c| c.not_null_conflict)
            .collect();
        assert_eq!(conflicts, [Some(ConflictAction::Ignore), None]);
    }
}
