//! Every error the CLI reports, its exit code, and how it is printed.

use std::io::Write;
use std::path::PathBuf;

use migrate_build::config::ConfigError;
use migrate_build::ddl::DdlError;
use migrate_build::dialect::RenderError;
use migrate_build::migrations::MigrationsError;
use migrate_build::migrations::lock::{LockMismatch, LockProblem};

use crate::db::{DbError, Script};
use crate::output::Output;
use crate::runner::RunnerError;
use crate::url::UrlError;
#[cfg(feature = "cli")]
use crate::workspace::WorkspaceError;

/// Exit codes, documented in `--help`.
pub mod exit_codes {
    /// Success; for `diff --exit-code`, `status` and `check`: nothing to report.
    pub const OK: i32 = 0;
    /// An error: nothing or only part of the work was done.
    pub const ERROR: i32 = 1;
    /// `diff --exit-code` found differences; `status`/`check` found problems.
    pub const DIFFERENCES: i32 = 2;
    /// Stopped by Ctrl-C: what ran before it is applied, the rest did not start.
    pub const INTERRUPTED: i32 = 130;
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[cfg(feature = "cli")]
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Migrations(#[from] MigrationsError),
    #[error("{}", with_hash_help(.0))]
    Lock(#[from] LockMismatch),
    #[error(transparent)]
    Ddl(#[from] DdlError),
    #[error(transparent)]
    Renames(#[from] migrate_build::diff::RenameErrors),
    #[error("rendering SQL: {0}")]
    Render(#[from] RenderError),
    #[error(transparent)]
    Url(#[from] UrlError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Runner(Box<RunnerError>),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    #[cfg(feature = "cli")]
    Seed(#[from] crate::commands::seed::SeedError),
    #[error("writing output: {0}")]
    Output(std::io::Error),
}

/// `hash` is the fix for deliberate edits, never for a half-written migration.
pub(crate) fn with_hash_help(mismatch: &LockMismatch) -> String {
    if mismatch
        .problems
        .iter()
        .all(|p| matches!(p, LockProblem::HalfWritten { .. }))
    {
        mismatch.to_string()
    } else {
        format!(
            "{mismatch}\nhelp: if the migration files were changed on purpose, run `cargo migrate hash` to rewrite migrations/migrate.lock"
        )
    }
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            #[cfg(feature = "cli")]
            CliError::Workspace(_) => exit_codes::ERROR,
            CliError::Config(_)
            | CliError::Migrations(_)
            | CliError::Lock(_)
            | CliError::Ddl(_)
            | CliError::Renames(_)
            | CliError::Render(_)
            | CliError::Url(_)
            | CliError::Db(_)
            | CliError::Runner(_)
            | CliError::Io { .. }
            | CliError::Refused(_)
            | CliError::Output(_) => exit_codes::ERROR,
            #[cfg(feature = "cli")]
            CliError::Seed(_) => exit_codes::ERROR,
        }
    }

    /// Prints the error once, to stderr, as `error: …` (cargo's form).
    pub fn display_to_stderr(&self, out: &Output) {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{} {self}", out.paint_error("error:"));
    }
}

impl From<RunnerError> for CliError {
    fn from(e: RunnerError) -> Self {
        CliError::Runner(Box::new(e))
    }
}

/// What a command that succeeded found, mapped to an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// Differences (`diff --exit-code`) or problems (`status`, `check`).
    Differences,
    /// Ctrl-C stopped the run between two migrations.
    Interrupted,
}

impl Outcome {
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Ok => exit_codes::OK,
            Outcome::Differences => exit_codes::DIFFERENCES,
            Outcome::Interrupted => exit_codes::INTERRUPTED,
        }
    }
}

/// A failing statement's error with its password literals (`CREATE ROLE …
/// PASSWORD '…'`) hidden, in the excerpt and wherever the database's message
/// quotes them: the error is printed and stored in the history table.
pub fn redact_statement_error(error: DbError, script: &Script<'_>) -> DbError {
    let DbError::Statement {
        path,
        line,
        column,
        statement,
        mut message,
    } = error
    else {
        return error;
    };
    let literals = script
        .statements
        .iter()
        .flat_map(|s| migrate_build::ddl::password_literals(s.text))
        .chain(migrate_build::ddl::password_literals(&statement));
    for literal in literals {
        message = message.replace(literal, "'***'");
        let inner = literal_content(literal);
        // Short ones would blank out ordinary words of the message.
        if inner.chars().count() >= 4 {
            message = message.replace(inner, "***");
        }
    }
    DbError::Statement {
        path,
        line,
        column,
        statement: migrate_build::ddl::redact_passwords(&statement),
        message,
    }
}

/// `'pw'`, `E'pw'`, `U&'pw'`, `$x$pw$x$` → `pw` (escapes left as written).
fn literal_content(literal: &str) -> &str {
    if let Some(rest) = literal.strip_prefix('$')
        && let Some(tag_end) = rest.find('$')
    {
        let delimiter_len = tag_end + 2;
        return literal
            .get(delimiter_len..literal.len().saturating_sub(delimiter_len))
            .unwrap_or_default();
    }
    let start = literal.find('\'').map_or(0, |i| i + 1);
    let end = if literal.len() > start && literal.ends_with('\'') {
        literal.len() - 1
    } else {
        literal.len()
    };
    literal.get(start..end).unwrap_or_default()
}
