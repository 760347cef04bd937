//! The migration linter: rules over what each statement of a migration
//! changes, knowing the schema before it from the replay of the migrations
//! before. `cargo migrate new` runs it on the migration it writes (the
//! `-- WARNING` lines and the row counts), `cargo migrate lint` and `check`
//! on migrations in the folder, and the build gate on the newest one.
//!
//! A migration is replayed statement by statement ([`crate::ddl::apply_each`]);
//! the difference between the schema before and after each statement is a
//! list of [`changes`], and each rule family (one module each) turns the
//! changes it cares about into findings. Drops followed by a rename back to
//! the dropped name (SQLite's table rebuild, PostgreSQL's enum recreation)
//! are compared with the table or type as the migration found it.

mod changes;
mod compat;
mod data;
mod destructive;
mod locking;
mod probe;
mod sqlite;

use std::fmt;

use crate::Dialect;
use crate::ddl::{self, DdlError, SourceFile, StatementFacts};
use crate::migrations::Migration;
use crate::schema::Schema;

pub use probe::Probe;

use changes::Change;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// What a rule is about; the README has a section per family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Loses data.
    Destructive,
    /// Fails on some rows the table may hold.
    Data,
    /// PostgreSQL: locks or rewrites a table the application is using.
    Locking,
    /// Breaks the version of the application that is running.
    Compatibility,
    /// SQLite's own traps.
    Sqlite,
}

/// A lint rule: a stable code (used in configuration, suppressions and
/// output) and a name (accepted in their place).
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    /// Whether `cargo migrate new` writes this rule's findings into the
    /// migration as `-- WARNING` lines: the rules about rows that make a
    /// migration fail or lose data.
    pub at_generation: bool,
    pub summary: &'static str,
}

const fn rule(
    code: &'static str,
    name: &'static str,
    family: Family,
    severity: Severity,
    at_generation: bool,
    summary: &'static str,
) -> Rule {
    Rule {
        code,
        name,
        family,
        severity,
        at_generation,
        summary,
    }
}

use Family::{Compatibility, Data, Destructive, Locking, Sqlite};
use Severity::{Error as E, Warning as W};

/// Every rule, in code order.
pub static RULES: &[Rule] = &[
    rule(
        "BC101",
        "rename-table",
        Compatibility,
        W,
        false,
        "renames a table the running application uses",
    ),
    rule(
        "BC102",
        "rename-column",
        Compatibility,
        W,
        false,
        "renames a column the running application uses",
    ),
    rule(
        "BC103",
        "drop-in-use",
        Compatibility,
        W,
        false,
        "drops a table or column the running application uses",
    ),
    rule(
        "DS101",
        "drop-table",
        Destructive,
        W,
        false,
        "drops a table and its rows",
    ),
    rule(
        "DS102",
        "drop-column",
        Destructive,
        W,
        false,
        "drops a column and its values",
    ),
    rule(
        "DS103",
        "drop-schema",
        Destructive,
        W,
        false,
        "drops a schema and what it holds",
    ),
    rule(
        "DS104",
        "drop-enum-value",
        Destructive,
        W,
        true,
        "removes enum values rows may hold",
    ),
    rule(
        "DS105",
        "type-narrowing",
        Destructive,
        W,
        true,
        "narrows a column's type",
    ),
    rule(
        "MF101",
        "add-not-null-column",
        Data,
        W,
        true,
        "adds a NOT NULL column without a default to a table with rows",
    ),
    rule(
        "MF102",
        "set-not-null",
        Data,
        W,
        true,
        "makes an existing column NOT NULL",
    ),
    rule(
        "MF103",
        "add-unique",
        Data,
        W,
        true,
        "adds a unique constraint or index on existing columns",
    ),
    rule(
        "MF104",
        "add-primary-key",
        Data,
        W,
        true,
        "adds a primary key on existing columns",
    ),
    rule(
        "MF105",
        "add-check",
        Data,
        W,
        true,
        "adds (or validates) a check on existing rows",
    ),
    rule(
        "MF106",
        "add-foreign-key",
        Data,
        W,
        true,
        "adds (or validates) a foreign key on existing rows",
    ),
    rule(
        "MF107",
        "type-change-can-fail",
        Data,
        W,
        true,
        "changes a column's type with a cast that can fail",
    ),
    rule(
        "PG101",
        "create-index-locks",
        Locking,
        W,
        false,
        "CREATE INDEX without CONCURRENTLY on an existing table",
    ),
    rule(
        "PG102",
        "concurrently-in-transaction",
        Locking,
        E,
        false,
        "CONCURRENTLY in a migration that runs in a transaction",
    ),
    rule(
        "PG103",
        "constraint-without-not-valid",
        Locking,
        W,
        false,
        "ADD FOREIGN KEY or CHECK without NOT VALID",
    ),
    rule(
        "PG104",
        "set-not-null-scans",
        Locking,
        W,
        false,
        "SET NOT NULL scans the table under an exclusive lock",
    ),
    rule(
        "PG105",
        "type-change-rewrites",
        Locking,
        W,
        false,
        "ALTER COLUMN TYPE rewrites the table",
    ),
    rule(
        "PG106",
        "volatile-default-rewrites",
        Locking,
        W,
        false,
        "ADD COLUMN with a volatile default rewrites the table",
    ),
    rule(
        "PG107",
        "constraint-builds-index",
        Locking,
        W,
        false,
        "ADD PRIMARY KEY or UNIQUE without USING INDEX",
    ),
    rule(
        "PG108",
        "missing-lock-timeout",
        Locking,
        W,
        false,
        "locks a table with no lock_timeout set",
    ),
    rule(
        "SL101",
        "table-rebuild",
        Sqlite,
        W,
        false,
        "rebuilds a table (copies every row)",
    ),
    rule(
        "SL102",
        "add-not-null-column-sqlite",
        Sqlite,
        E,
        false,
        "ADD COLUMN NOT NULL without a default (SQLite refuses it)",
    ),
    rule(
        "SL103",
        "add-column-non-constant-default",
        Sqlite,
        E,
        false,
        "ADD COLUMN with a non-constant default (SQLite refuses it)",
    ),
];

/// The rule with this code or name (case-insensitive).
pub fn find_rule(code_or_name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}

fn by_code(code: &str) -> &'static Rule {
    // Codes passed here are the literals of the rule modules, each in RULES
    // (a unit test checks every one).
    RULES.iter().find(|r| r.code == code).unwrap_or(&RULES[0])
}

/// A rule's level as configured: its default severity unless set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    Warning,
    Error,
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "off" | "allow" => Ok(Level::Off),
            "warning" | "warn" => Ok(Level::Warning),
            "error" | "deny" => Ok(Level::Error),
            _ => Err(format!(
                "unknown level `{s}` (expected \"off\", \"warning\" or \"error\")"
            )),
        }
    }
}

/// `[workspace.metadata.migrate.lint]`: a level per rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LintConfig {
    pub levels: Vec<(&'static str, Level)>,
}

impl LintConfig {
    /// The severity of `rule`'s findings; `None` when it is off.
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        let level = self
            .levels
            .iter()
            .rev()
            .find(|(code, _)| *code == rule.code)
            .map(|(_, level)| *level);
        match level {
            None => Some(rule.severity),
            Some(Level::Off) => None,
            Some(Level::Warning) => Some(Severity::Warning),
            Some(Level::Error) => Some(Severity::Error),
        }
    }
}

/// One thing a rule found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub path: String,
    /// Of the statement (1-based).
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// What to do instead.
    pub help: String,
    /// What to count in a database to know whether it fails, and how many
    /// rows it concerns.
    pub probes: Vec<Probe>,
}

/// A migration to lint.
#[derive(Clone, Copy, Debug)]
pub struct Script<'a> {
    /// For findings.
    pub path: &'a str,
    pub sql: &'a str,
    /// Runs outside a transaction (`-- migrate:no-transaction`).
    pub no_transaction: bool,
}

/// What the rules are given for one migration.
pub(crate) struct Cx<'a> {
    pub dialect: Dialect,
    /// The schema the migration starts from.
    pub before: &'a Schema,
    /// The schema the running application knows: before the first of the
    /// migrations being linted (the previous release).
    pub baseline: &'a Schema,
    pub no_transaction: bool,
}

impl Cx<'_> {
    /// Whether the table existed before the migration (a table created in
    /// it has no rows and nobody reading it).
    pub fn existing(&self, table: &crate::schema::QualifiedName) -> bool {
        self.before
            .tables
            .iter()
            .any(|t| t.name.same_as(table, self.dialect))
    }

    pub fn existing_column(&self, table: &crate::schema::QualifiedName, column: &str) -> bool {
        self.before.tables.iter().any(|t| {
            t.name.same_as(table, self.dialect)
                && t.columns
                    .iter()
                    .any(|c| self.dialect.same_name(&c.name, column))
        })
    }

    pub fn in_baseline(&self, table: &crate::schema::QualifiedName, column: Option<&str>) -> bool {
        self.baseline.tables.iter().any(|t| {
            t.name.same_as(table, self.dialect)
                && column.is_none_or(|column| {
                    t.columns
                        .iter()
                        .any(|c| self.dialect.same_name(&c.name, column))
                })
        })
    }
}

/// A finding before its location and severity are known.
pub(crate) struct Raw {
    pub code: &'static str,
    pub message: String,
    pub help: String,
    pub probes: Vec<Probe>,
}

impl Raw {
    pub fn new(code: &'static str, message: String, help: impl Into<String>) -> Raw {
        Raw {
            code,
            message,
            help: help.into(),
            probes: Vec::new(),
        }
    }

    pub fn probe(mut self, probe: Probe) -> Raw {
        self.probes.push(probe);
        self
    }
}

/// One statement of the migration, with what it changed.
pub(crate) struct Stmt {
    pub line: usize,
    pub column: usize,
    pub facts: StatementFacts,
    pub changes: Vec<Change>,
}

/// Lints one migration applied to `before`; returns the findings, in
/// statement order, and the schema after it. `baseline` is the schema the
/// running application knows (see [`Cx::baseline`]); for a single new
/// migration, `before`.
pub fn lint_script(
    before: &Schema,
    baseline: &Schema,
    script: Script<'_>,
    config: &LintConfig,
) -> Result<(Vec<Finding>, Schema), DdlError> {
    let dialect = before.dialect;
    let mut after = before.clone();
    let mut statements: Vec<Stmt> = Vec::new();
    ddl::apply_each(
        &mut after,
        SourceFile {
            path: script.path,
            sql: script.sql,
        },
        &|statement, schema| {
            let facts = ddl::statement_facts(statement.text, dialect);
            let prev = changes::snapshot(schema, &facts);
            (facts, prev)
        },
        &mut |statement, (facts, prev), next| {
            let changes = changes::between(&prev, next, &facts, before);
            statements.push(Stmt {
                line: statement.line,
                column: statement.column,
                facts,
                changes,
            });
        },
    )?;
    changes::resolve_recreations(&mut statements, before);
    let cx = Cx {
        dialect,
        before,
        baseline,
        no_transaction: script.no_transaction,
    };
    let mut findings = Vec::new();
    let mut push = |stmt: &Stmt, raw: Raw| {
        let rule = by_code(raw.code);
        let Some(severity) = config.severity(rule) else {
            return;
        };
        let ignored = ddl::lint_ignores(script.sql, stmt.line)
            .iter()
            .any(|i| find_rule(&i.rule).is_some_and(|r| r.code == rule.code));
        if ignored {
            return;
        }
        findings.push(Finding {
            rule,
            severity,
            path: script.path.to_string(),
            line: stmt.line,
            column: stmt.column,
            message: raw.message,
            help: raw.help,
            probes: raw.probes,
        });
    };
    let mut lock_timeout_set = false;
    let mut lock_timeout_reported = false;
    for stmt in &statements {
        let mut raws = Vec::new();
        for change in &stmt.changes {
            destructive::check(change, stmt, &cx, &mut raws);
            data::check(change, stmt, &cx, &mut raws);
            compat::check(change, &cx, &mut raws);
            match dialect {
                Dialect::Postgres => locking::check(change, stmt, &cx, &mut raws),
                Dialect::Sqlite => sqlite::check(change, stmt, &cx, &mut raws),
            }
        }
        if dialect == Dialect::Postgres {
            locking::check_statement(stmt, &cx, &mut raws);
            lock_timeout_set |= stmt.facts.sets_lock_timeout;
            if !lock_timeout_set
                && !lock_timeout_reported
                && let Some(raw) = locking::lock_timeout(stmt, &cx)
            {
                lock_timeout_reported = true;
                raws.push(raw);
            }
        }
        for raw in raws {
            push(stmt, raw);
        }
    }
    Ok((findings, after))
}

/// Lints the migrations `selected` says, each with the schema the ones
/// before it produce; the running application is taken to know the schema
/// before the first selected one. `display` names files in findings.
pub fn lint_migrations(
    dialect: Dialect,
    migrations: &[Migration],
    selected: impl Fn(usize, &Migration) -> bool,
    config: &LintConfig,
    display: impl Fn(&std::path::Path) -> String,
) -> Result<Vec<Finding>, DdlError> {
    let mut schema = Schema::empty(dialect);
    let mut baseline: Option<Schema> = None;
    let mut findings = Vec::new();
    for (i, migration) in migrations.iter().enumerate() {
        let path = display(&migration.up.path);
        if !selected(i, migration) {
            ddl::apply(
                &mut schema,
                SourceFile {
                    path: &path,
                    sql: &migration.up.sql,
                },
            )?;
            continue;
        }
        let base = baseline.get_or_insert_with(|| schema.clone());
        let (found, after) = lint_script(
            &schema,
            base,
            Script {
                path: &path,
                sql: &migration.up.sql,
                no_transaction: migration.no_transaction,
            },
            config,
        )?;
        findings.extend(found);
        schema = after;
    }
    Ok(findings)
}

#[cfg(test)]
mod tests;
