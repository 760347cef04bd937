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
mod comments;
mod create_table;
mod definition;
#[cfg(test)]
mod definition_tests;
mod error;
mod expr_key;
mod facts;
mod index;
mod like;
mod lint_facts;
mod names;
mod objects;
#[cfg(test)]
mod objects_tests;
mod options;
mod partition;
mod pgdump;
mod policy;
mod query;
mod redact;
mod scan;
mod split;
mod transaction;
mod types;
mod virtual_table;

use crate::dialect::Dialect;
use crate::schema::{ColumnType, Expr, Schema, VirtualTable};

pub use error::DdlError;
pub use lint_facts::{
    LINT_IGNORE_DIRECTIVE, LintIgnore, StatementFacts, StatementKind, is_constant_default,
    is_not_null_check, lint_ignores, statement_facts, volatile_call,
};
pub use redact::{password_literals, redact_passwords};
pub use split::{SplitError, SplitErrorKind, Statement, has_sql_standard_body, split_statements};
pub use transaction::{TransactionControl, transaction_control};

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
    on_parser_stack(|| apply_here(schema, file))
}

/// The stack sqlparser needs: it recurses a few frames per nesting level,
/// and unoptimised (as build scripts run it) those frames are so large that
/// 16 nested subqueries overflow the 2 MiB of a `cargo test` thread, an abort
/// rather than an error. Its own recursion limit is reached well within this.
const PARSER_STACK: usize = 64 << 20;

thread_local! {
    static ON_PARSER_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` on a thread with [`PARSER_STACK`] (or here, when already on one,
/// or when no thread can be started).
pub(crate) fn on_parser_stack<T: Send>(
    f: impl FnOnce() -> Result<T, DdlError> + Send,
) -> Result<T, DdlError> {
    if ON_PARSER_STACK.get() {
        return f();
    }
    let mut f = Some(f);
    let ran = std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .stack_size(PARSER_STACK)
            .spawn_scoped(scope, || {
                ON_PARSER_STACK.set(true);
                f.take().map(|f| f())
            });
        match handle {
            Ok(handle) => match handle.join() {
                Ok(result) => result,
                // A panic in the interpreter stays a panic of the caller.
                Err(payload) => std::panic::resume_unwind(payload),
            },
            Err(_) => None,
        }
    });
    match (ran, f.take()) {
        (Some(result), _) => result,
        (None, Some(f)) => f(),
        (None, None) => Err(DdlError {
            path: String::new(),
            line: 0,
            column: 0,
            statement: String::new(),
            message: "the interpreter's thread ended without a result".to_string(),
        }),
    }
}

fn apply_here(schema: &mut Schema, file: SourceFile<'_>) -> Result<ApplyReport, DdlError> {
    let mut report = ApplyReport::default();
    let mut temporary = Vec::new();
    let statements =
        split_statements(file.sql).map_err(|e| DdlError::split(file.path, file.sql, &e))?;
    for statement in statements {
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
            Outcome::PartlySkipped(kinds) => {
                report.skipped.extend(kinds.into_iter().map(|kind| Skipped {
                    path: file.path.to_string(),
                    line: statement.line,
                    column: statement.column,
                    kind,
                }))
            }
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

/// [`apply`], calling `snapshot` before each statement and `visit` after
/// it with the snapshot and the schema after it (the linter's view: what
/// each statement changes; the snapshot is what the caller needs of the
/// schema before it). Stops at the first statement that cannot be
/// modelled; temporary tables end with the script as in [`apply`].
pub fn apply_each<S>(
    schema: &mut Schema,
    file: SourceFile<'_>,
    snapshot: &(dyn Fn(&Statement<'_>, &Schema) -> S + Sync),
    visit: &mut (dyn FnMut(&Statement<'_>, S, &Schema) + Send),
) -> Result<ApplyReport, DdlError> {
    on_parser_stack(|| {
        let mut report = ApplyReport::default();
        let mut temporary = Vec::new();
        let statements =
            split_statements(file.sql).map_err(|e| DdlError::split(file.path, file.sql, &e))?;
        for statement in statements {
            let before = snapshot(&statement, schema);
            let outcome = interpret(schema, statement.text)
                .map_err(|message| DdlError::at(file.path, &statement, message))?;
            match outcome {
                Outcome::Applied | Outcome::PartlySkipped(_) => {}
                Outcome::Temporary(name) => temporary.push(name),
                Outcome::Skipped(kind) => report.skipped.push(Skipped {
                    path: file.path.to_string(),
                    line: statement.line,
                    column: statement.column,
                    kind,
                }),
            }
            visit(&statement, before, schema);
        }
        let d = schema.dialect;
        schema
            .tables
            .retain(|t| !temporary.iter().any(|n| n.same_as(&t.name, d)));
        schema
            .indexes
            .retain(|i| !temporary.iter().any(|n| n.same_as(&i.table, d)));
        Ok(report)
    })
}

/// Builds a schema from `files` applied in order (a schema folder, or a
/// migration history).
pub fn parse_schema(
    dialect: Dialect,
    files: &[SourceFile<'_>],
) -> Result<(Schema, ApplyReport), DdlError> {
    on_parser_stack(|| {
        let mut schema = Schema::empty(dialect);
        let mut report = ApplyReport::default();
        for file in files {
            report.extend(apply_here(&mut schema, *file)?);
        }
        Ok((schema, report))
    })
}

/// Parses one expression (a default or check as a database prints it).
pub fn parse_expr(sql: &str, dialect: Dialect) -> Option<Expr> {
    let expr = scan::parse_expr(sql, dialect)?;
    Some(Expr::new(expr.to_string(), dialect))
}

/// The comparison key of a PostgreSQL expression (see [`expr_key`]);
/// `None` when sqlparser cannot read it.
pub(crate) fn postgres_expr_key(sql: &str) -> Option<String> {
    expr_key::postgres_key(sql)
}

/// Reads a stored SQLite `CREATE VIRTUAL TABLE` statement.
pub fn parse_virtual_table(sql: &str) -> Result<VirtualTable, String> {
    virtual_table::parse(sql)
}

/// Parses a type name as written or as a catalog prints it.
pub fn parse_column_type(sql: &str, dialect: Dialect) -> Option<ColumnType> {
    types::canonical_type(sql, dialect)
}

/// The objects of `schema` a statement names, as the interpreter records
/// them for an object it builds: for objects a database stores as SQL
/// text (SQLite triggers), so that their dependencies are known.
pub fn references(schema: &Schema, sql: &str) -> Vec<crate::schema::ObjectRef> {
    match scan::tokenize(sql, schema.dialect) {
        Ok(tokens) => facts::references(schema, &tokens, 0, None),
        Err(_) => Vec::new(),
    }
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
    /// Applied, but for the listed parts, which the model does not hold
    /// (an `ALTER TABLE` that also sets a tablespace).
    PartlySkipped(Vec<String>),
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
