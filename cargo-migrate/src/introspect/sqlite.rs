//! SQLite introspection: a live database → [`Schema`].
//!
//! The PRAGMAs give what SQLite resolved (column types, nullability,
//! defaults, primary key order, foreign-key actions, index columns and
//! direction). What they leave out — constraint names, CHECK expressions,
//! generated-column expressions, AUTOINCREMENT, collations, DEFERRABLE,
//! partial-index predicates, index expressions — SQLite keeps in the
//! `CREATE` text of `sqlite_schema`, which a small scanner below reads.
//! SQLite parsed that text when it stored it, so the scanner can be simple:
//! it splits tokens and parentheses, it does not validate.
//!
//! Names keep the spelling of the `CREATE` statements, as the DDL interpreter
//! keeps them, so that a database and the SQL that built it give equal models.

use std::ops::Range;

use migrate_build::Dialect;
use migrate_build::schema::Definition;
use migrate_build::schema::{
    CheckConstraint, Column, ColumnType, Deferrable, Expr, ForeignKey, ForeignKeyAction, Generated,
    Index, IndexColumn, IndexExpr, OpaqueKind, OpaqueObject, PrimaryKey, QualifiedName, Schema,
    Table, UniqueConstraint, View,
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
                comment: None,
                kind: OpaqueKind::Trigger,
                name: QualifiedName::new(&obj.name),
                on_table: Some(QualifiedName::new(&obj.tbl_name)),
                definition: Definition::source(obj.sql.as_deref().unwrap_or_default()),
                signature: None,
                references: Vec::new(),
                head: None,
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
    let text = parse_create_table(sql).map_err(|m| stored_sql_error("table", &obj.name, m))?;
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
            column.generated = c.generated.as_ref().map(|g| Generated {
                expr: Expr::new(g.as_str(), D),
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
        let (name, columns) = match &text.primary_key {
            Some((name, cols)) if same_columns(cols, &pk_columns) => (name.clone(), cols.clone()),
            _ => (None, pk_columns),
        };
        table.primary_key = Some(PrimaryKey {
            name,
            columns,
            ..Default::default()
        });
    }

    table.uniques = read_uniques(conn, &obj.name, &text)?;
    table.checks = text
        .checks
        .iter()
        .map(|(name, expr)| CheckConstraint {
            name: name.clone(),
            expr: Expr::new(expr.as_str(), D),
            no_inherit: false,
            not_valid: false,
        })
        .collect();
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
    text: &TableText,
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
            .find(|(i, (_, cols))| !used[*i] && same_columns(cols, &columns));
        let (name, columns) = match found {
            Some((i, (name, cols))) => {
                used[i] = true;
                (name.clone(), cols.clone())
            }
            None => (None, columns),
        };
        uniques.push(UniqueConstraint {
            name,
            columns,
            nulls_not_distinct: false,
            deferrable: Deferrable::NotDeferrable,
        });
    }
    Ok(uniques)
}

fn read_foreign_keys(
    conn: &Connection,
    table: &str,
    text: &TableText,
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
                && t.table.eq_ignore_ascii_case(&fk.referenced_table.name)
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
    let declared = &table.columns;
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
        let text = parse_create_index(sql).map_err(|m| stored_sql_error("index", &info.name, m))?;
        let keys = index_key_columns(conn, &info.name)?;
        if keys.len() != text.columns.len() {
            return Err(stored_sql_error(
                "index",
                &info.name,
                format!(
                    "{} key columns in PRAGMA index_xinfo, {} in the CREATE INDEX text",
                    keys.len(),
                    text.columns.len()
                ),
            ));
        }
        let columns = keys
            .into_iter()
            .zip(text.columns)
            .map(|((_, descending), item)| {
                // A collation the column has anyway is no collation, as
                // PostgreSQL reports it and the interpreter models it.
                let own = item.column.as_deref().and_then(|name| {
                    let column = declared
                        .iter()
                        .find(|c| c.name.eq_ignore_ascii_case(name))?;
                    column.collation.as_deref()
                });
                let collation = item
                    .collation
                    .filter(|c| !own.is_some_and(|own| own.eq_ignore_ascii_case(c)));
                IndexColumn {
                    expr: match item.column {
                        Some(name) => IndexExpr::Column(name),
                        None => IndexExpr::Expression(Expr::new(item.expr, D)),
                    },
                    descending,
                    nulls_first: None,
                    opclass: None,
                    collation,
                }
            })
            .collect();
        if info.partial != text.predicate.is_some() {
            return Err(stored_sql_error(
                "index",
                &info.name,
                "cannot find the WHERE clause",
            ));
        }
        indexes.push(Index {
            partition_copies: Vec::new(),
            comment: None,
            name: QualifiedName::new(&info.name),
            table: QualifiedName::new(text.table),
            unique: info.unique,
            columns,
            predicate: text.predicate.map(|p| Expr::new(p, D)),
            method: None,
            include: Vec::new(),
            nulls_not_distinct: false,
            storage: Vec::new(),
        });
    }
    Ok(indexes)
}

fn read_view(obj: &StoredObject) -> Result<View, IntrospectError> {
    let sql = obj.sql.as_deref().unwrap_or_default();
    // The interpreter reads the stored statement as it reads a migration, so
    // both turn `CREATE VIEW v (a, b) AS SELECT …` into the same body.
    let mut scratch = migrate_build::Schema::empty(D);
    let stored = migrate_build::ddl::SourceFile {
        path: "sqlite_schema",
        sql,
    };
    if migrate_build::ddl::apply(&mut scratch, stored).is_ok()
        && let Some(view) = scratch.views.pop()
    {
        return Ok(View {
            column_comments: Vec::new(),
            comment: None,
            name: QualifiedName::new(&obj.name),
            materialized: false,
            definition: view.definition,
            options: Vec::new(),
        });
    }
    let select =
        view_select(sql).ok_or_else(|| stored_sql_error("view", &obj.name, "no AS SELECT"))?;
    Ok(View {
        column_comments: Vec::new(),
        comment: None,
        name: QualifiedName::new(&obj.name),
        materialized: false,
        definition: Definition::source(select),
        options: Vec::new(),
    })
}

// ----------------------------------------------------------------- scanner

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Unquoted word: keyword or identifier.
    Word,
    /// `"x"`, `[x]` or `` `x` ``.
    Quoted,
    /// `'x'`
    Str,
    Number,
    Punct(u8),
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    span: (usize, usize),
}

fn tokenize(sql: &str) -> Vec<Token> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // Finds the end of a quoted run opened at `i` and closed by `close`,
    // where a doubled closer is an escaped one.
    let quoted_end = |i: usize, close: u8, doubles: bool| {
        let mut j = i + 1;
        while j < b.len() {
            if b[j] == close {
                if doubles && b.get(j + 1) == Some(&close) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j += 1;
        }
        b.len()
    };
    while i < b.len() {
        let c = b[i];
        let start = i;
        let kind = match c {
            _ if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                i = b[i..]
                    .iter()
                    .position(|&x| x == b'\n')
                    .map_or(b.len(), |p| i + p + 1);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = sql[i + 2..].find("*/").map_or(b.len(), |p| i + 2 + p + 2);
                continue;
            }
            b'\'' => {
                i = quoted_end(i, b'\'', true);
                Kind::Str
            }
            b'"' | b'`' => {
                i = quoted_end(i, c, true);
                Kind::Quoted
            }
            b'[' => {
                i = quoted_end(i, b']', false);
                Kind::Quoted
            }
            _ if c.is_ascii_digit()
                || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) =>
            {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                    let exp =
                        matches!(b[i], b'e' | b'E') && matches!(b.get(i + 1), Some(b'+' | b'-'));
                    i += if exp { 2 } else { 1 };
                }
                Kind::Number
            }
            _ if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric()
                        || b[i] == b'_'
                        || b[i] == b'$'
                        || b[i] >= 0x80)
                {
                    i += 1;
                }
                Kind::Word
            }
            _ => {
                i += 1;
                Kind::Punct(c)
            }
        };
        out.push(Token {
            kind,
            span: (start, i),
        });
    }
    out
}

/// A token stream over one statement's text.
struct Cursor<'s> {
    sql: &'s str,
    toks: Vec<Token>,
}

impl<'s> Cursor<'s> {
    fn new(sql: &'s str) -> Self {
        Cursor {
            sql,
            toks: tokenize(sql),
        }
    }

    fn text(&self, i: usize) -> &'s str {
        self.toks
            .get(i)
            .and_then(|t| self.sql.get(t.span.0..t.span.1))
            .unwrap_or("")
    }

    fn is_kw(&self, i: usize, kw: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Word)
            && self.text(i).eq_ignore_ascii_case(kw)
    }

    fn is_punct(&self, i: usize, p: u8) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Punct(p))
    }

    /// The identifier at `i`, unquoted.
    fn ident(&self, i: usize) -> Option<String> {
        let t = self.toks.get(i)?;
        let text = self.text(i);
        match t.kind {
            Kind::Word => Some(text.to_string()),
            Kind::Quoted | Kind::Str => {
                let inner = text.get(1..text.len().saturating_sub(1))?;
                Some(match text.as_bytes().first() {
                    Some(b'"') => inner.replace("\"\"", "\""),
                    Some(b'`') => inner.replace("``", "`"),
                    Some(b'\'') => inner.replace("''", "'"),
                    _ => inner.to_string(),
                })
            }
            Kind::Number | Kind::Punct(_) => None,
        }
    }

    /// The index of the `)` matching the `(` at `open`.
    fn close_of(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for i in open..self.toks.len() {
            if self.is_punct(i, b'(') {
                depth += 1;
            } else if self.is_punct(i, b')') {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
        }
        None
    }

    /// The source text of tokens `range`, comments inside kept.
    fn slice(&self, range: Range<usize>) -> String {
        match (
            self.toks.get(range.start),
            range.end.checked_sub(1).and_then(|e| self.toks.get(e)),
        ) {
            (Some(a), Some(b)) if range.start < range.end => self
                .sql
                .get(a.span.0..b.span.1)
                .unwrap_or("")
                .trim()
                .to_string(),
            _ => String::new(),
        }
    }

    /// Ranges of the comma-separated items between `open` and `close`.
    fn items(&self, open: usize, close: usize) -> Vec<Range<usize>> {
        let mut items = Vec::new();
        let mut depth = 0usize;
        let mut start = open + 1;
        for i in open + 1..close {
            if self.is_punct(i, b'(') {
                depth += 1;
            } else if self.is_punct(i, b')') {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && self.is_punct(i, b',') {
                items.push(start..i);
                start = i + 1;
            }
        }
        if start < close {
            items.push(start..close);
        }
        items
    }

    /// The first identifier of each item of the list opened at `open`
    /// (`(a COLLATE nocase, b DESC)` → `[a, b]`).
    fn name_list(&self, open: usize) -> Option<(Vec<String>, usize)> {
        let close = self.close_of(open)?;
        let names = self
            .items(open, close)
            .into_iter()
            .map(|r| self.ident(r.start))
            .collect::<Option<Vec<_>>>()?;
        Some((names, close))
    }

    /// The first `(` at or after `from` at parenthesis depth 0.
    fn first_paren(&self, from: usize) -> Option<usize> {
        (from..self.toks.len()).find(|&i| self.is_punct(i, b'('))
    }
}

#[derive(Default)]
struct TableText {
    columns: Vec<ColumnText>,
    primary_key: Option<(Option<String>, Vec<String>)>,
    uniques: Vec<(Option<String>, Vec<String>)>,
    checks: Vec<(Option<String>, String)>,
    foreign_keys: Vec<ForeignKeyText>,
    without_rowid: bool,
    strict: bool,
}

struct ColumnText {
    name: String,
    collation: Option<String>,
    generated: Option<String>,
    autoincrement: bool,
}

struct ForeignKeyText {
    name: Option<String>,
    columns: Vec<String>,
    table: String,
    deferrable: Deferrable,
}

const COLUMN_CONSTRAINT_START: &[&str] = &[
    "CONSTRAINT",
    "PRIMARY",
    "NOT",
    "NULL",
    "UNIQUE",
    "CHECK",
    "DEFAULT",
    "COLLATE",
    "REFERENCES",
    "GENERATED",
    "AS",
];

fn parse_create_table(sql: &str) -> Result<TableText, String> {
    let c = Cursor::new(sql);
    let open = c.first_paren(0).ok_or("no column list")?;
    let close = c.close_of(open).ok_or("unbalanced parentheses")?;
    let mut text = TableText::default();
    for item in c.items(open, close) {
        let first = item.start;
        let is_constraint = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
            .iter()
            .any(|kw| c.is_kw(first, kw));
        if is_constraint {
            table_constraint(&c, item, &mut text)?;
        } else {
            column_def(&c, item, &mut text)?;
        }
    }
    // The table options, comma-separated after the column list.
    let mut i = close + 1;
    while i < c.toks.len() {
        if c.is_kw(i, "WITHOUT") && c.is_kw(i + 1, "ROWID") {
            text.without_rowid = true;
            i += 2;
        } else if c.is_kw(i, "STRICT") {
            text.strict = true;
            i += 1;
        } else if c.is_punct(i, b',') || c.is_punct(i, b';') {
            i += 1;
        } else {
            return Err(format!("unknown table option `{}`", c.text(i)));
        }
    }
    Ok(text)
}

fn column_def(c: &Cursor<'_>, item: Range<usize>, text: &mut TableText) -> Result<(), String> {
    let name = c.ident(item.start).ok_or("column without a name")?;
    let mut col = ColumnText {
        name: name.clone(),
        collation: None,
        generated: None,
        autoincrement: false,
    };
    // Skip the type, which may hold parentheses: `DECIMAL(10, 2)`.
    let mut i = item.start + 1;
    while i < item.end && !COLUMN_CONSTRAINT_START.iter().any(|kw| c.is_kw(i, kw)) {
        i = if c.is_punct(i, b'(') {
            c.close_of(i).ok_or("unbalanced type")? + 1
        } else {
            i + 1
        };
    }
    let mut pending_name: Option<String> = None;
    while i < item.end {
        if c.is_kw(i, "CONSTRAINT") {
            pending_name = c.ident(i + 1);
            i += 2;
            continue;
        }
        if c.is_kw(i, "PRIMARY") {
            text.primary_key = Some((pending_name.take(), vec![name.clone()]));
            i += 2;
            while i < item.end && !COLUMN_CONSTRAINT_START.iter().any(|kw| c.is_kw(i, kw)) {
                if c.is_kw(i, "AUTOINCREMENT") {
                    col.autoincrement = true;
                }
                i += 1;
            }
        } else if c.is_kw(i, "UNIQUE") {
            text.uniques.push((pending_name.take(), vec![name.clone()]));
            i += 1;
        } else if c.is_kw(i, "CHECK") {
            let close = c.close_of(i + 1).ok_or("unbalanced CHECK")?;
            text.checks
                .push((pending_name.take(), c.slice(i + 2..close)));
            i = close + 1;
        } else if c.is_kw(i, "DEFAULT") {
            pending_name = None;
            i += 1;
            if c.is_punct(i, b'(') {
                i = c.close_of(i).ok_or("unbalanced DEFAULT")? + 1;
            } else {
                if c.is_punct(i, b'+') || c.is_punct(i, b'-') {
                    i += 1;
                }
                i += 1;
            }
        } else if c.is_kw(i, "COLLATE") {
            pending_name = None;
            col.collation = c.ident(i + 1);
            i += 2;
        } else if c.is_kw(i, "REFERENCES") {
            let (fk, next) = references(c, i, pending_name.take(), vec![name.clone()])?;
            text.foreign_keys.push(fk);
            i = next;
        } else if c.is_kw(i, "GENERATED") || c.is_kw(i, "AS") {
            let open = c.first_paren(i).ok_or("generated column without (…)")?;
            let close = c.close_of(open).ok_or("unbalanced AS (…)")?;
            col.generated = Some(c.slice(open + 1..close));
            pending_name = None;
            i = close + 1;
        } else {
            // NOT NULL, NULL, ON CONFLICT …, STORED, VIRTUAL: nothing to keep.
            i += 1;
        }
    }
    text.columns.push(col);
    Ok(())
}

/// `REFERENCES t [(cols)] [ON DELETE|UPDATE action | MATCH x]* [[NOT] DEFERRABLE [INITIALLY …]]`
/// starting at `i`; returns the foreign key and the index after it.
fn references(
    c: &Cursor<'_>,
    i: usize,
    name: Option<String>,
    columns: Vec<String>,
) -> Result<(ForeignKeyText, usize), String> {
    let table = c.ident(i + 1).ok_or("REFERENCES without a table")?;
    let mut i = i + 2;
    if c.is_punct(i, b'(') {
        i = c.close_of(i).ok_or("unbalanced REFERENCES")? + 1;
    }
    let mut deferrable = Deferrable::NotDeferrable;
    loop {
        if c.is_kw(i, "ON") {
            i += if c.is_kw(i + 2, "SET") || c.is_kw(i + 2, "NO") {
                4
            } else {
                3
            };
        } else if c.is_kw(i, "MATCH") {
            i += 2;
        } else if c.is_kw(i, "NOT") && c.is_kw(i + 1, "DEFERRABLE") {
            deferrable = Deferrable::NotDeferrable;
            i += 2;
            if c.is_kw(i, "INITIALLY") {
                i += 2;
            }
        } else if c.is_kw(i, "DEFERRABLE") {
            deferrable = if c.is_kw(i + 1, "INITIALLY") && c.is_kw(i + 2, "DEFERRED") {
                Deferrable::InitiallyDeferred
            } else {
                Deferrable::InitiallyImmediate
            };
            i += if c.is_kw(i + 1, "INITIALLY") { 3 } else { 1 };
        } else {
            break;
        }
    }
    Ok((
        ForeignKeyText {
            name,
            columns,
            table,
            deferrable,
        },
        i,
    ))
}

fn table_constraint(
    c: &Cursor<'_>,
    item: Range<usize>,
    text: &mut TableText,
) -> Result<(), String> {
    let mut i = item.start;
    let mut name = None;
    if c.is_kw(i, "CONSTRAINT") {
        name = c.ident(i + 1);
        i += 2;
    }
    if c.is_kw(i, "PRIMARY") || c.is_kw(i, "UNIQUE") {
        let open = c.first_paren(i).ok_or("key without columns")?;
        let (cols, _) = c.name_list(open).ok_or("unreadable key columns")?;
        if c.is_kw(i, "PRIMARY") {
            text.primary_key = Some((name, cols));
        } else {
            text.uniques.push((name, cols));
        }
    } else if c.is_kw(i, "CHECK") {
        let close = c.close_of(i + 1).ok_or("unbalanced CHECK")?;
        text.checks.push((name, c.slice(i + 2..close)));
    } else if c.is_kw(i, "FOREIGN") {
        let open = c.first_paren(i).ok_or("FOREIGN KEY without columns")?;
        let (cols, close) = c.name_list(open).ok_or("unreadable FOREIGN KEY columns")?;
        if !c.is_kw(close + 1, "REFERENCES") {
            return Err("FOREIGN KEY without REFERENCES".to_string());
        }
        let (fk, _) = references(c, close + 1, name, cols)?;
        text.foreign_keys.push(fk);
    }
    Ok(())
}

struct IndexText {
    table: String,
    columns: Vec<IndexItemText>,
    predicate: Option<String>,
}

struct IndexItemText {
    /// Set when the item is a bare column name.
    column: Option<String>,
    expr: String,
    collation: Option<String>,
}

/// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (items) [WHERE expr]`
fn parse_create_index(sql: &str) -> Result<IndexText, String> {
    let c = Cursor::new(sql);
    let on = (0..c.toks.len())
        .find(|&i| c.is_kw(i, "ON"))
        .ok_or("no ON")?;
    let table = c.ident(on + 1).ok_or("no table after ON")?;
    let open = c.first_paren(on).ok_or("no column list")?;
    let close = c.close_of(open).ok_or("unbalanced parentheses")?;
    let mut columns = Vec::new();
    for item in c.items(open, close) {
        let mut end = item.end;
        if c.is_kw(end - 1, "ASC") || c.is_kw(end - 1, "DESC") {
            end -= 1;
        }
        let mut collation = None;
        if end >= item.start + 3 && c.is_kw(end - 2, "COLLATE") {
            collation = c.ident(end - 1);
            end -= 2;
        }
        let single = end == item.start + 1
            && c.toks
                .get(item.start)
                .is_some_and(|t| matches!(t.kind, Kind::Word | Kind::Quoted));
        columns.push(IndexItemText {
            column: if single { c.ident(item.start) } else { None },
            expr: c.slice(item.start..end),
            collation,
        });
    }
    let predicate = if c.is_kw(close + 1, "WHERE") {
        let mut end = c.toks.len();
        while end > close + 2 && c.is_punct(end - 1, b';') {
            end -= 1;
        }
        Some(c.slice(close + 2..end))
    } else {
        None
    };
    Ok(IndexText {
        table,
        columns,
        predicate,
    })
}

/// The `SELECT …` of `CREATE VIEW name [(cols)] AS SELECT …`.
fn view_select(sql: &str) -> Option<String> {
    let c = Cursor::new(sql);
    let mut i = 0;
    while i < c.toks.len() {
        if c.is_punct(i, b'(') {
            i = c.close_of(i)? + 1;
            continue;
        }
        if c.is_kw(i, "AS") {
            let mut end = c.toks.len();
            while end > i + 1 && c.is_punct(end - 1, b';') {
                end -= 1;
            }
            return Some(c.slice(i + 1..end));
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_reads_constraints() {
        let t = parse_create_table(
            r#"CREATE TABLE "Order" (
                id INTEGER CONSTRAINT pk PRIMARY KEY AUTOINCREMENT, -- a comment, with a comma
                [Total] decimal(10, 2) NOT NULL DEFAULT (0) CHECK ("Total" >= 0),
                note TEXT COLLATE NOCASE UNIQUE,
                cust INT REFERENCES customer ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
                twice INT GENERATED ALWAYS AS (cust * 2) STORED,
                CONSTRAINT uq UNIQUE (note, "Total"),
                CONSTRAINT fk FOREIGN KEY (cust, twice) REFERENCES other (a, b) ON UPDATE CASCADE,
                CHECK (twice > 0)
            ) STRICT"#,
        )
        .unwrap();
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "Total", "note", "cust", "twice"]);
        assert!(t.columns[0].autoincrement);
        assert_eq!(t.columns[2].collation.as_deref(), Some("NOCASE"));
        assert_eq!(t.columns[4].generated.as_deref(), Some("cust * 2"));
        assert_eq!(
            t.primary_key,
            Some((Some("pk".to_string()), vec!["id".to_string()]))
        );
        assert_eq!(t.uniques.len(), 2);
        assert_eq!(
            t.uniques[1],
            (
                Some("uq".to_string()),
                vec!["note".to_string(), "Total".to_string()]
            )
        );
        let checks: Vec<&str> = t.checks.iter().map(|(_, e)| e.as_str()).collect();
        assert_eq!(checks, ["\"Total\" >= 0", "twice > 0"]);
        assert_eq!(t.foreign_keys.len(), 2);
        assert_eq!(t.foreign_keys[0].deferrable, Deferrable::InitiallyDeferred);
        assert_eq!(t.foreign_keys[1].name.as_deref(), Some("fk"));
        assert_eq!(t.foreign_keys[1].columns, ["cust", "twice"]);
    }

    #[test]
    fn table_options_read_from_the_text_are_those_sqlite_lists() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE plain (a INTEGER PRIMARY KEY);
             CREATE TABLE wr (a INTEGER PRIMARY KEY) WITHOUT ROWID;
             CREATE TABLE st (a INTEGER PRIMARY KEY) STRICT;
             CREATE TABLE both1 (a INTEGER PRIMARY KEY) without   rowid , strict;
             CREATE TABLE both2 (a INTEGER PRIMARY KEY) STRICT,/* c */WITHOUT -- c
               ROWID;
             CREATE TABLE \"odd(\" (\"a)\" TEXT PRIMARY KEY, b TEXT CHECK (b <> ')')) WITHOUT ROWID;",
        )
        .unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT s.sql, l.wr, l.strict FROM sqlite_schema s \
                 JOIN pragma_table_list l ON l.name = s.name AND l.schema = 'main' \
                 WHERE s.type = 'table' AND s.name NOT LIKE 'sqlite_%'",
            )
            .unwrap();
        let rows: Vec<(String, bool, bool)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows.len(), 6);
        for (sql, wr, strict) in rows {
            let text = parse_create_table(&sql).unwrap();
            assert_eq!((text.without_rowid, text.strict), (wr, strict), "{sql}");
        }
    }

    #[test]
    fn scanner_reads_indexes_and_views() {
        let i = parse_create_index(
            "CREATE UNIQUE INDEX IF NOT EXISTS ix ON \"T\" (lower(name) DESC, b COLLATE nocase ASC, [c d]) WHERE deleted_at IS NULL AND (x > 1);",
        )
        .unwrap();
        assert_eq!(i.table, "T");
        assert_eq!(i.columns.len(), 3);
        assert_eq!(
            (i.columns[0].column.as_deref(), i.columns[0].expr.as_str()),
            (None, "lower(name)")
        );
        assert_eq!(i.columns[1].column.as_deref(), Some("b"));
        assert_eq!(i.columns[1].collation.as_deref(), Some("nocase"));
        assert_eq!(i.columns[2].column.as_deref(), Some("c d"));
        assert_eq!(
            i.predicate.as_deref(),
            Some("deleted_at IS NULL AND (x > 1)")
        );
        assert_eq!(
            view_select("CREATE VIEW v (a, b) AS SELECT 1 AS a, 2 AS b;").as_deref(),
            Some("SELECT 1 AS a, 2 AS b")
        );
    }
}
