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
mod default_storage;
mod definition;
#[cfg(test)]
mod definition_tests;
mod domain;
mod error;
mod expr_key;
mod facts;
mod index;
mod like;
mod lint_facts;
mod names;
pub(crate) mod normalize;
mod objects;
#[cfg(test)]
mod objects_tests;
mod options;
mod partition;
mod pgdump;
mod policy;
mod publication;
#[cfg(test)]
mod publication_tests;
mod query;
mod redact;
mod renames;
mod resolve;
mod routine;
mod scan;
mod simple_tokens;
mod split;
mod stored;
mod text_search;
#[cfg(test)]
mod text_search_tests;
mod transaction;
mod types;
mod unseen;
mod virtual_table;

use crate::dialect::Dialect;
use crate::schema::{ColumnType, Expr, Schema, VirtualTable};

pub use error::DdlError;
pub use lint_facts::{
    LINT_IGNORE_DIRECTIVE, LintIgnore, StatementFacts, StatementKind, is_constant_default,
    is_not_null_check, lint_ignores, statement_facts, volatile_call,
};
pub use redact::{password_literals, redact_passwords};
pub use split::{
    SplitError, SplitErrorKind, Statement, copy_from_stdin, has_sql_standard_body, split_statements,
};
pub use stored::{Stored, read_stored};
pub use transaction::{TransactionControl, transaction_control};

/// One SQL source: a schema file or a migration.
#[derive(Clone, Copy, Debug)]
pub struct SourceFile<'a> {
    /// For messages only.
    pub path: &'a str,
    pub sql: &'a str,
}

/// Statements deliberately not modelled (data changes, session settings…),
/// and schema changes the interpreter cannot see.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyReport {
    pub skipped: Vec<Skipped>,
    /// DDL inside a `DO` block or a routine's body (run when it is called),
    /// each at its own file:line:col: the model does not hold what it does.
    pub unmodelled: Vec<Skipped>,
}

impl ApplyReport {
    fn extend(&mut self, other: ApplyReport) {
        self.skipped.extend(other.skipped);
        self.unmodelled.extend(other.unmodelled);
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
    on_parser_stack(|| {
        let mut invalid = Vec::new();
        let report = apply_here(schema, file, Annotations::Ignore, &mut invalid)?;
        refuse_invalid_indexes(schema, &invalid)?;
        Ok(report)
    })
}

/// Partitioned indexes and keys left without a partition's copy (see
/// `partition::missing_copies`), each with the error blaming the statement
/// that left it so.
type MissingCopies = Vec<((String, crate::schema::QualifiedName), DdlError)>;

/// An index or key made with ONLY is complete once each partition's copy
/// is attached, which pg_dump does further down (and a migration history
/// may do in a later migration): checked once everything is read.
fn refuse_invalid_indexes(schema: &Schema, invalid: &MissingCopies) -> Result<(), DdlError> {
    let missing = partition::missing_copies(schema);
    match invalid.iter().find(|(m, _)| missing.contains(m)) {
        Some((_, e)) => Err(e.clone()),
        None => Ok(()),
    }
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

/// Whether `-- migrate:renamed-from` comments are read: in schema files
/// they tell the differ about renames; a migration says what it does, and
/// they mean nothing there.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Annotations {
    Read,
    Ignore,
}

fn apply_here(
    schema: &mut Schema,
    file: SourceFile<'_>,
    annotations: Annotations,
    invalid: &mut MissingCopies,
) -> Result<ApplyReport, DdlError> {
    let mut report = ApplyReport::default();
    let mut temporary = Vec::new();
    let statements =
        split_statements(file.sql).map_err(|e| DdlError::split(file.path, file.sql, &e))?;
    let annotation_error = |e: renames::AnnotationError, statement: &Statement<'_>| {
        let mut error = DdlError::at(file.path, statement, e.message);
        error.line = e.line;
        error.column = e.column;
        error
    };
    let mut gap_start = 0;
    let mut forward: Vec<((crate::schema::QualifiedName, usize), &Statement<'_>)> = Vec::new();
    let read = annotations == Annotations::Read;
    for statement in &statements {
        let start = offset_in(file.sql, statement.text);
        let gap = file.sql.get(gap_start..start).unwrap_or_default();
        let above = if read {
            renames::above(file, gap_start, gap, true, schema.dialect)
                .map_err(|e| annotation_error(e, statement))?
        } else {
            renames::Above::none()
        };
        gap_start = start + statement.text.len();
        let before = above.snapshot(schema);
        let outcome = interpret_in(schema, file, statement, &mut report)?;
        if read {
            above
                .record(schema, before)
                .map_err(|e| annotation_error(e, statement))?;
            renames::inside(schema, file, statement).map_err(|e| annotation_error(e, statement))?;
        }
        record(&mut report, &mut temporary, file, statement, outcome);
        for m in partition::missing_copies(schema) {
            if !invalid.iter().any(|(x, _)| *x == m) {
                let e = DdlError::at(file.path, statement, partition::invalid_index(&m.0, &m.1));
                invalid.push((m, e));
            }
        }
        for r in unresolved_references(schema) {
            if !forward.iter().any(|(f, _)| *f == r) {
                forward.push((r, statement));
            }
        }
    }
    resolve_forward_references(schema, file, &forward)?;
    if let Some(last) = statements.last().filter(|_| read) {
        renames::above(
            file,
            gap_start,
            file.sql.get(gap_start..).unwrap_or_default(),
            false,
            schema.dialect,
        )
        .map_err(|e| annotation_error(e, last))?;
    }
    end_session(schema, &temporary);
    Ok(report)
}

/// One statement of `file` applied to `schema`: what the replay cannot see
/// inside it noted in `report`, and a statement on another tool's history
/// table (which no migration created) skipped.
fn interpret_in(
    schema: &mut Schema,
    file: SourceFile<'_>,
    statement: &Statement<'_>,
    report: &mut ApplyReport,
) -> Result<Outcome, DdlError> {
    for unseen in unseen::find(statement.text, schema.dialect) {
        let (line, column) = crate::migrations::line_col(statement.text, unseen.offset);
        report.unmodelled.push(Skipped {
            path: file.path.to_string(),
            line: statement.line + line - 1,
            column: if line == 1 {
                statement.column + column - 1
            } else {
                column
            },
            kind: unseen.kind,
        });
    }
    match interpret(schema, statement.text) {
        Ok(outcome) => Ok(outcome),
        Err(message) => match foreign_history_table(schema, statement.text) {
            // The previous tool made its table; no migration did.
            Some(table) => Ok(Outcome::Skipped(format!(
                "statement on {table} (another tool's history table)"
            ))),
            None => Err(DdlError::at(file.path, statement, message)),
        },
    }
}

/// SQLite foreign keys written `REFERENCES t` (no columns) naming a table
/// not created yet: (table, index of the foreign key).
fn unresolved_references(schema: &Schema) -> Vec<(crate::schema::QualifiedName, usize)> {
    if schema.dialect != crate::Dialect::Sqlite {
        return Vec::new();
    }
    schema
        .tables
        .iter()
        .flat_map(|t| {
            t.foreign_keys
                .iter()
                .enumerate()
                .filter(|(_, fk)| fk.referenced_columns.is_empty())
                .map(|(i, _)| (t.name.clone(), i))
        })
        .collect()
}

/// At the end of a file, each such reference names its table's primary
/// key, as SQLite resolves it when rows are written; a table that is still
/// missing, or has no primary key, is an error at the statement that made
/// the reference.
fn resolve_forward_references(
    schema: &mut Schema,
    file: SourceFile<'_>,
    forward: &[((crate::schema::QualifiedName, usize), &Statement<'_>)],
) -> Result<(), DdlError> {
    for ((table, i), statement) in forward {
        let Some(fk) = schema.table(table).and_then(|t| t.foreign_keys.get(*i)) else {
            continue;
        };
        if !fk.referenced_columns.is_empty() {
            continue;
        }
        let target = fk.referenced_table.clone();
        let width = fk.columns.len();
        let key = match schema.table(&target) {
            None => Err(format!("referenced table `{target}` does not exist")),
            Some(t) => match &t.primary_key {
                None => Err(format!("referenced table `{target}` has no primary key")),
                Some(pk) if pk.columns.len() != width => Err(format!(
                    "foreign key has {width} columns but references {}",
                    pk.columns.len()
                )),
                Some(pk) => Ok((t.name.clone(), pk.columns.clone())),
            },
        };
        let (name, columns) = key.map_err(|m| DdlError::at(file.path, statement, m))?;
        if let Some(fk) = schema
            .table_mut(table)
            .and_then(|t| t.foreign_keys.get_mut(*i))
        {
            fk.referenced_table = name;
            fk.referenced_columns = columns;
        }
    }
    Ok(())
}

/// Each script runs in its own session: its temporary tables end with it.
fn end_session(schema: &mut Schema, temporary: &[crate::schema::QualifiedName]) {
    if temporary.is_empty() {
        // (A `retain` would drop the name indexes for nothing.)
        return;
    }
    let d = schema.dialect;
    schema
        .tables
        .retain(|t| !temporary.iter().any(|n| n.same_as(&t.name, d)));
    schema
        .indexes
        .retain(|i| !temporary.iter().any(|n| n.same_as(&i.table, d)));
}

/// Applies a planned rename to the model, as `ALTER … RENAME` does: what
/// names the object (keys, indexes, defaults, references) follows it.
pub(crate) fn rename(schema: &mut Schema, rename: &crate::plan::Rename) -> Fallible<()> {
    renames::apply(schema, rename)
}

/// A publication's options from its kept `CREATE PUBLICATION` (as the
/// interpreter keeps it or introspection prints it).
pub(crate) fn publication_options(sql: &str) -> Option<definition::PublicationOptions> {
    let tokens = scan::tokenize(sql, Dialect::Postgres).ok()?;
    Some(definition::PublicationOptions::of_create(
        &tokens,
        3.min(tokens.toks.len()),
    ))
}

/// A publication's definition as a live database prints it, keyed as the
/// interpreter keys one: the server's options are compared, not its text.
pub fn publication_definition(sql: String) -> crate::schema::Definition {
    definition::publication(sql, Dialect::Postgres)
}

/// Applies `ALTER TABLE … RENAME TO` to the model.
pub(crate) fn rename_table(
    schema: &mut Schema,
    from: &crate::schema::QualifiedName,
    to: &crate::schema::QualifiedName,
) -> Fallible<()> {
    alter_table::rename_table(schema, from, to)
}

/// What one statement's outcome adds to a script's report.
fn record(
    report: &mut ApplyReport,
    temporary: &mut Vec<crate::schema::QualifiedName>,
    file: SourceFile<'_>,
    statement: &Statement<'_>,
    outcome: Outcome,
) {
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

/// Byte offset of `part` (a slice of `whole`) in `whole`.
fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .checked_sub(whole.as_ptr() as usize)
        .filter(|o| *o <= whole.len())
        .unwrap_or(whole.len())
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
            let outcome = interpret_in(schema, file, &statement, &mut report)?;
            record(&mut report, &mut temporary, file, &statement, outcome);
            visit(&statement, before, schema);
        }
        end_session(schema, &temporary);
        Ok(report)
    })
}

/// The other tool's history table a failing statement names, when the
/// schema does not have it (see [`crate::migrations::FOREIGN_HISTORY_TABLES`]).
fn foreign_history_table(schema: &Schema, text: &str) -> Option<&'static str> {
    let tokens = scan::tokenize(text, schema.dialect).ok()?;
    crate::migrations::FOREIGN_HISTORY_TABLES
        .iter()
        .copied()
        .find(|table| {
            tokens.toks.iter().any(
                |t| matches!(t, scan::Tok::Word { text, .. } if text.eq_ignore_ascii_case(table)),
            ) && !schema
                .tables
                .iter()
                .any(|t| t.name.name.eq_ignore_ascii_case(table))
        })
}

/// The schema a migration history gives: `files` applied in order, with
/// `-- migrate:renamed-from` comments left as comments.
pub fn replay_migrations(
    dialect: Dialect,
    files: &[SourceFile<'_>],
) -> Result<(Schema, ApplyReport), DdlError> {
    apply_files(dialect, files, Annotations::Ignore)
}

/// Builds a schema from `files` applied in order (a schema folder), with
/// their `-- migrate:renamed-from` annotations.
pub fn parse_schema(
    dialect: Dialect,
    files: &[SourceFile<'_>],
) -> Result<(Schema, ApplyReport), DdlError> {
    apply_files(dialect, files, Annotations::Read)
}

/// `files` applied in order to an empty schema.
fn apply_files(
    dialect: Dialect,
    files: &[SourceFile<'_>],
    annotations: Annotations,
) -> Result<(Schema, ApplyReport), DdlError> {
    on_parser_stack(|| {
        let mut schema = Schema::empty(dialect);
        let mut report = ApplyReport::default();
        let mut invalid = Vec::new();
        for file in files {
            report.extend(apply_here(&mut schema, *file, annotations, &mut invalid)?);
        }
        refuse_invalid_indexes(&schema, &invalid)?;
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

pub(crate) use partition::{
    detached, index_columns, server_copy_name, server_key_copy_name, uninherited,
};

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
/// The columns `view` returns, names and types, worked out from its
/// definition as `CREATE TABLE … AS SELECT` works them out; the error says
/// what could not be.
pub fn view_columns(
    schema: &Schema,
    view: &crate::schema::View,
) -> Result<Vec<crate::schema::Column>, String> {
    let query = scan::parse_query(view.definition.sql(), schema.dialect)?;
    query::columns(schema, &query)
}

pub(crate) type Fallible<T> = Result<T, String>;

fn interpret(schema: &mut Schema, text: &str) -> Fallible<Outcome> {
    if let Some(meta) = text.strip_prefix('\\') {
        let command = meta.split_whitespace().next().unwrap_or_default();
        return Ok(Outcome::Skipped(format!("\\{command}")));
    }
    if let Some(kind) = scan::data_statement(text) {
        let sets_path = match kind.as_str() {
            "SET" => true,
            "SELECT" => text.to_ascii_lowercase().contains("search_path"),
            _ => false,
        };
        if sets_path
            && schema.dialect == crate::Dialect::Postgres
            && let Ok(tokens) = scan::tokenize(text, schema.dialect)
        {
            pgdump::search_path(&tokens)?;
        }
        return Ok(Outcome::Skipped(kind));
    }
    let tokens = scan::tokenize(text, schema.dialect)?;
    if let Some(kind) = pgdump::ownership(&tokens) {
        return Ok(Outcome::Skipped(kind));
    }
    if let Some(kind) = pgdump::internal_table(&tokens, schema.dialect) {
        return Ok(Outcome::Skipped(kind));
    }
    if let Some(kind) = virtual_table::shadow_table(schema, &tokens) {
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
#[cfg(test)]
mod written_tests;
