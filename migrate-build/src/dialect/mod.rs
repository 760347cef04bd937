//! SQL dialects: naming rules, what each can ALTER, and its renderer.
//!
//! Everything that differs between databases lives under this module, behind
//! [`Dialect`] and the [`DialectRules`] trait, so the differ never asks
//! "which database is this?".

pub mod postgres;
pub mod quote;
pub mod render;
pub mod sqlite;

pub use render::{RenderError, RenderedStep, render, render_script};

use std::borrow::Cow;

/// The databases the engine speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    pub const ALL: [Dialect; 2] = [Dialect::Sqlite, Dialect::Postgres];

    /// The name used in config files, the lock file and snapshot names.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }

    /// Whether two stored identifiers name the same object. SQLite compares
    /// identifiers case-insensitively (ASCII only, as SQLite does); PostgreSQL
    /// has already folded unquoted names, so it compares exactly.
    pub fn same_name(self, a: &str, b: &str) -> bool {
        match self {
            Dialect::Sqlite => a.eq_ignore_ascii_case(b),
            Dialect::Postgres => a == b,
        }
    }

    /// A key such that `same_name(a, b)` iff `name_key(a) == name_key(b)`.
    pub fn name_key(self, name: &str) -> Cow<'_, str> {
        match self {
            Dialect::Sqlite if name.bytes().any(|b| b.is_ascii_uppercase()) => {
                Cow::Owned(name.to_ascii_lowercase())
            }
            _ => Cow::Borrowed(name),
        }
    }

    /// The rules the differ consults.
    pub fn rules(self) -> &'static dyn DialectRules {
        match self {
            Dialect::Sqlite => &sqlite::SqliteRules,
            Dialect::Postgres => &postgres::PostgresRules,
        }
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Dialect {
    type Err = UnknownDialect;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "sqlite" | "sqlite3" => Ok(Dialect::Sqlite),
            "postgres" | "postgresql" | "pg" => Ok(Dialect::Postgres),
            _ => Err(UnknownDialect(s.to_string())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown dialect `{0}` (expected `sqlite` or `postgres`)")]
pub struct UnknownDialect(pub String);

/// Yes/no questions the differ asks about a dialect. Each dialect answers
/// them in its own module; the differ has no `if dialect == …`.
/// What a query's output column is, as far as its declared type goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryColumnSource {
    /// A column of a table, view or subquery (`a`, `t.a`, `*`).
    Column,
    /// `CAST(x AS type)`.
    Cast,
    /// Any other expression: a literal, an operator, a function call.
    Expression,
}

pub trait DialectRules: Sync {
    fn dialect(&self) -> Dialect;
    /// Whether `ALTER TABLE` can change this aspect of an existing table, or
    /// the table must be rebuilt (SQLite's create-copy-drop-rename).
    fn can_alter_column_type(&self) -> bool;
    fn can_alter_nullability(&self) -> bool;
    fn can_alter_default(&self) -> bool;
    fn can_add_constraint(&self) -> bool;
    fn can_drop_constraint(&self) -> bool;
    fn can_alter_primary_key(&self) -> bool;
    /// Whether identity (PostgreSQL `GENERATED … AS IDENTITY`, SQLite
    /// `AUTOINCREMENT`) can be added, changed or removed in place.
    fn can_alter_identity(&self) -> bool;
    /// `ALTER COLUMN … DROP EXPRESSION`: a generated column becomes a plain
    /// one and keeps its values.
    fn can_drop_generation_expression(&self) -> bool {
        false
    }
    /// The sequence that creating `column` in `table` makes implicitly
    /// (PostgreSQL renders such a column `serial`), so the differ neither
    /// creates it nor leaves it out. `None` when the column is rendered as
    /// written.
    fn implicit_sequence(
        &self,
        table: &crate::schema::QualifiedName,
        column: &crate::schema::Column,
    ) -> Option<crate::schema::QualifiedName>;
    /// A type change the database has no cast for: its `USING` is a guess
    /// or must be written by hand, and the user is told so.
    fn missing_cast(
        &self,
        _from: &crate::schema::ColumnType,
        _to: &crate::schema::ColumnType,
    ) -> Option<crate::plan::NoCast> {
        None
    }
    /// The type `CREATE TABLE … AS SELECT` declares for an output column
    /// that the query types `ty`: PostgreSQL keeps the query's type; SQLite
    /// declares the name of the expression's affinity (`TEXT`, `INT`,
    /// `NUM`, `REAL`), which only a column or a `CAST` has, so it needs no
    /// type of any other expression (`ty` is the query's type, or why it
    /// cannot be worked out).
    fn type_created_as_select(
        &self,
        ty: Result<crate::schema::ColumnType, String>,
        _source: QueryColumnSource,
    ) -> Result<crate::schema::ColumnType, String> {
        ty
    }
    /// Whether changing a column from `from` to `to` keeps every value (a
    /// known widening such as `integer` → `bigint`). Other type changes are
    /// reported as destructive.
    fn is_widening(&self, from: &crate::schema::ColumnType, to: &crate::schema::ColumnType)
    -> bool;
    /// SQLite's `ALTER TABLE ADD COLUMN` refuses some columns (primary key,
    /// unique, non-constant default, NOT NULL without default, stored generated).
    fn can_add_column(&self, column: &crate::schema::Column, table: &crate::schema::Table) -> bool;
    fn can_drop_column(&self, column: &crate::schema::Column, table: &crate::schema::Table)
    -> bool;
    /// Whether a table may lose every column before it gains its new ones
    /// (SQLite refuses to drop a table's last column).
    fn can_drop_every_column(&self) -> bool;
    /// Foreign keys are separate `ALTER TABLE … ADD CONSTRAINT` steps after
    /// every table exists (PostgreSQL), or inline in `CREATE TABLE` (SQLite).
    fn foreign_keys_inline(&self) -> bool;
    /// Constraints are matched by name (PostgreSQL names every constraint) or
    /// by definition (SQLite's catalog does not keep constraint names).
    fn constraints_matched_by_name(&self) -> bool;
    fn has_enums(&self) -> bool;
    fn has_comments(&self) -> bool;
    fn has_sequences(&self) -> bool;
    fn has_extensions(&self) -> bool;
    /// Whether `DO` blocks and routine bodies can run DDL the replay does
    /// not see (PostgreSQL's PL/pgSQL; SQLite has neither).
    fn bodies_run_ddl(&self) -> bool;
    /// `ALTER INDEX … RENAME TO`; without it a renamed index is dropped and
    /// created under its new name.
    fn can_rename_index(&self) -> bool;
    /// `ALTER VIEW … RENAME TO`; without it a renamed view is dropped and
    /// created.
    fn can_rename_view(&self) -> bool;
    /// `ALTER TABLE … RENAME CONSTRAINT`; without it the table is rebuilt
    /// (where constraint names are compared at all).
    fn can_rename_constraint(&self) -> bool;
    /// A table the database makes and keeps itself, which a schema dump
    /// lists (`sqlite3 .schema` prints `CREATE TABLE sqlite_sequence(name,seq)`
    /// and `sqlite_stat1`) but no statement may create: the statement is
    /// skipped and listed, not modelled.
    fn is_internal_table(&self, _name: &str) -> bool {
        false
    }
    /// The storage a column of type `ty` has without `SET STORAGE`, when
    /// known (`is_enum`: `ty` names an enum of the schema).
    fn default_storage(
        &self,
        _ty: &crate::schema::ColumnType,
        _is_enum: bool,
    ) -> Option<crate::schema::ColumnStorage> {
        None
    }
    /// The suffixes of the shadow tables a virtual table's `module` keeps
    /// (`<name>_content` …): the module creates them with the virtual
    /// table, and a schema dump lists them after it.
    fn shadow_table_suffixes(&self, _module: &str) -> &'static [&'static str] {
        &[]
    }
    /// The operator class an index column of type `ty` gets under access
    /// `method` when none is written (writing it changes nothing).
    fn default_opclass(
        &self,
        _method: &str,
        _ty: &crate::schema::ColumnType,
    ) -> Option<&'static str> {
        None
    }
}
