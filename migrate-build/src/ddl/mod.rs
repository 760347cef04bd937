//! The DDL interpreter: applies SQL scripts to a [`crate::schema::Schema`].
//! The only module that imports sqlparser.
//!
//! Scripts are split into statements first ([`split_statements`]), so that
//! every statement keeps its file:line:column. Each statement is classified by
//! its leading keywords (a small scanner over sqlparser's tokens, which also
//! recognises what sqlparser cannot parse: plpgsql bodies, `DO` blocks), then
//! tables, indexes and their changes are parsed with sqlparser and applied.
//!
//! `CREATE TABLE … AS SELECT` is modelled when its columns can be known without
//! running the query (see [`query`]): names follow PostgreSQL's rules and types
//! come from source columns, casts and a few typing rules; a column whose type
//! cannot be known is an error, since a guessed table would be wrong.

mod alter_table;
mod create_table;
mod error;
mod index;
mod like;
mod names;
mod objects;
mod partition;
mod pgdump;
mod query;
mod scan;
mod split;
mod types;

use crate::dialect::Dialect;
use crate::schema::{ColumnType, Expr, Schema};

pub use error::DdlError;
pub use split::{Statement, split_statements};

/// One SQL source: a schema file or a migration.
#[derive(Clone, Copy, Debug)]
pub struct SourceFile<'a> {
    /// For messages only.
    pub path: &'a str,
    pub sql: &'a str,
}

/// Statements deliberately not modelled (data changes, session settings…).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyReport {
    pub skipped: Vec<Skipped>,
}

impl ApplyReport {
    fn extend(&mut self, other: ApplyReport) {
        self.skipped.extend(other.skipped);
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// The statement kind: `INSERT`, `SET`, `COMMENT ON FUNCTION`, `\c`…
    pub kind: String,
}

/// Applies every statement of `file` to `schema`, in order, stopping at the
/// first statement that cannot be modelled.
pub fn apply(schema: &mut Schema, file: SourceFile<'_>) -> Result<ApplyReport, DdlError> {
    let mut report = ApplyReport::default();
    let mut temporary = Vec::new();
    for statement in split_statements(file.sql) {
        let outcome = interpret(schema, statement.text)
            .map_err(|message| DdlError::at(file.path, &statement, message))?;
        match outcome {
            Outcome::Applied => {}
            Outcome::Temporary(name) => temporary.push(name),
            Outcome::Skipped(kind) => report.skipped.push(Skipped {
                path: file.path.to_string(),
                line: statement.line,
                column: statement.column,
                kind,
            }),
        }
    }
    // Each script runs in its own session: its temporary tables end with it.
    let d = schema.dialect;
    schema
        .tables
        .retain(|t| !temporary.iter().any(|n| n.same_as(&t.name, d)));
    schema
        .indexes
        .retain(|i| !temporary.iter().any(|n| n.same_as(&i.table, d)));
    Ok(report)
}

/// Builds a schema from `files` applied in order (a schema folder, or a
/// migration history).
pub fn parse_schema(
    dialect: Dialect,
    files: &[SourceFile<'_>],
) -> Result<(Schema, ApplyReport), DdlError> {
    let mut schema = Schema::empty(dialect);
    let mut report = ApplyReport::default();
    for file in files {
        report.extend(apply(&mut schema, *file)?);
    }
    Ok((schema, report))
}

/// Parses one expression (a default or check as a database prints it).
pub fn parse_expr(sql: &str, dialect: Dialect) -> Option<Expr> {
    let expr = scan::parse_expr(sql, dialect)?;
    Some(Expr::new(expr.to_string(), dialect))
}

/// Parses a type name as written or as a catalog prints it.
pub fn parse_column_type(sql: &str, dialect: Dialect) -> Option<ColumnType> {
    types::canonical_type(sql, dialect)
}

/// Parses a partition bound as `pg_get_expr(relpartbound)` prints it.
pub fn parse_partition_bound(sql: &str, dialect: Dialect) -> Option<crate::schema::PartitionBound> {
    partition::parse_bound(sql, dialect)
}

/// Parses a partition key as `pg_get_partkeydef` prints it.
pub fn parse_partition_key(sql: &str, dialect: Dialect) -> Option<crate::schema::PartitionBy> {
    partition::parse_key(sql, dialect)
}

pub(crate) use partition::{detached, uninherited};

/// What one statement did.
pub(crate) enum Outcome {
    Applied,
    /// A `CREATE TEMPORARY TABLE`: dropped again at the end of the script.
    Temporary(crate::schema::QualifiedName),
    Skipped(String),
}

/// Errors inside the interpreter are plain messages; [`apply`] adds the location.
pub(crate) type Fallible<T> = Result<T, String>;

fn interpret(schema: &mut Schema, text: &str) -> Fallible<Outcome> {
    if let Some(meta) = text.strip_prefix('\\') {
        let command = meta.split_whitespace().next().unwrap_or_default();
        return Ok(Outcome::Skipped(format!("\\{command}")));
    }
    if let Some(kind) = scan::data_statement(text) {
        return Ok(Outcome::Skipped(kind));
    }
    let tokens = scan::tokenize(text, schema.dialect)?;
    if let Some(kind) = pgdump::ownership(&tokens) {
        return Ok(Outcome::Skipped(kind));
    }
    match scan::classify(&tokens) {
        scan::Kind::CreateTable => create_table::apply(schema, text),
        scan::Kind::AlterTable => alter_table::apply(schema, text, &tokens),
        scan::Kind::CreateIndex => index::create(schema, text, &tokens),
        scan::Kind::Other => objects::apply(schema, text, &tokens),
        scan::Kind::Skip(kind) => Ok(Outcome::Skipped(kind)),
    }
}

#[cfg(test)]
mod tests;
