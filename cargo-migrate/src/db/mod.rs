//! Database drivers behind one backend trait (the shape of sqlx's `Migrate`):
//! history table, run lock, apply and revert, each migration with its history
//! row in one transaction.

mod handle;
pub mod pg_session;
pub mod postgres;
pub mod sqlite;

pub use handle::Handle;

use std::path::{Path, PathBuf};
use std::time::Duration;

use migrate_build::Dialect;
use migrate_build::Schema;
use migrate_build::migrations::{Migration, MigrationFile};

use crate::url::{DatabaseUrl, Target};

/// One row of the history table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedRow {
    pub version: String,
    pub name: String,
    pub checksum: String,
    pub applied_at: String,
    pub execution_ms: i64,
    pub success: bool,
    /// The database error of a failed run.
    pub error: Option<String>,
}

/// What happened to a migration handed to [`Database::apply`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyOutcome {
    Applied {
        elapsed: Duration,
    },
    /// Another runner applied it between our listing and our lock.
    AlreadyApplied,
}

/// What happened to a migration handed to [`Database::revert`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevertOutcome {
    Reverted {
        elapsed: Duration,
    },
    /// Another runner reverted it (or it was never applied).
    NotApplied,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{path}:{line}:{column}: {message}\n  | {statement}")]
    Statement {
        path: String,
        line: usize,
        column: usize,
        statement: String,
        message: String,
    },
    #[error(
        "{path}: the migration left rows referencing missing rows (it was rolled back; violations that were in the database before it are not counted):\n{}",
        violations.iter().map(|v| format!("  - {v}")).collect::<Vec<_>>().join("\n")
    )]
    ForeignKeyViolations {
        path: String,
        violations: Vec<String>,
    },
    /// The connection failed while the migration's transaction committed.
    #[error("{context}: {message}")]
    CommitUnknown {
        context: &'static str,
        message: String,
    },
    #[error("migration {version} was recorded as failed by another run while this one waited")]
    FailedElsewhere { version: String },
    #[error("database {url}: {message}")]
    Connect { url: String, message: String },
    #[error("database file {} does not exist (run `cargo migrate apply` to create it)", path.display())]
    MissingFile { path: PathBuf },
    #[error("{context}: {message}")]
    Query {
        context: &'static str,
        message: String,
    },
    #[error("reading the live schema: {0}")]
    Introspect(String),
    #[error("{0}")]
    Unsupported(String),
    #[error(
        "{url}: another migration run holds the lock; waited {:.1} s: {holder}\nhelp: wait for it to finish, or set CARGO_MIGRATE_LOCK_TIMEOUT (seconds) to wait longer{}",
        waited.as_secs_f64(),
        hint.as_deref().map(|h| format!("\n{h}")).unwrap_or_default()
    )]
    Locked {
        url: String,
        waited: Duration,
        holder: String,
        /// What else the dialect knows about stale holders.
        hint: Option<String>,
    },
    #[error(
        "{table} is not a history table cargo-migrate can read:\n{}\nhelp: its columns must be {HISTORY_SHAPE}; \
         fix the table, or set `history_table` in the config to use another one",
        problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n")
    )]
    HistoryShape {
        table: String,
        problems: Vec<String>,
    },
    #[error("{0}")]
    Url(#[from] crate::url::UrlError),
}

/// The history table's columns, for messages.
pub const HISTORY_SHAPE: &str = "version text NOT NULL (primary key), name text NOT NULL, checksum text NOT NULL, \
     applied_at timestamp NOT NULL, execution_ms bigint NOT NULL, success boolean NOT NULL, error text";

/// How long a runner waits for another one's run lock:
/// `CARGO_MIGRATE_LOCK_TIMEOUT` seconds, else 60 s.
pub fn lock_timeout() -> Duration {
    const DEFAULT: Duration = Duration::from_secs(60);
    std::env::var("CARGO_MIGRATE_LOCK_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(DEFAULT, Duration::from_secs_f64)
}

/// How often a waiting runner tries the lock again.
pub const LOCK_POLL: Duration = Duration::from_millis(50);

/// Called with each statement before it runs (`-v`).
pub type StatementHook<'a> = &'a mut dyn FnMut(&str);

/// A migration target. Synchronous: the CLI runs one thing at a time.
pub trait Database {
    fn dialect(&self) -> Dialect;
    /// The URL, without its password, for messages.
    fn display_url(&self) -> String;
    /// Keeps other runners out until [`Database::unlock`]. Use through
    /// [`crate::runner::RunLock`], which always unlocks.
    fn lock(&mut self) -> Result<(), DbError>;
    fn unlock(&mut self) -> Result<(), DbError>;
    fn ensure_history_table(&mut self) -> Result<(), DbError>;
    /// Rows in version order; empty when the history table does not exist.
    fn list_applied(&mut self) -> Result<Vec<AppliedRow>, DbError>;
    /// Runs `up` and writes the history row in one transaction (or statement
    /// by statement for `-- migrate:no-transaction`), checking first that no
    /// other runner applied it meanwhile. On failure nothing is recorded:
    /// the caller records the failure with [`Database::record_failure`].
    fn apply(&mut self, up: &Script<'_>, hook: StatementHook<'_>) -> Result<ApplyOutcome, DbError>;
    /// Runs `down` and deletes the history row in one transaction.
    fn revert(
        &mut self,
        down: &Script<'_>,
        hook: StatementHook<'_>,
    ) -> Result<RevertOutcome, DbError>;
    fn record_failure(&mut self, up: &Script<'_>, error: &str) -> Result<(), DbError>;
    /// `apply --single-transaction`: opens one transaction that every
    /// [`Database::apply`] until [`Database::end_run`] runs in, history rows
    /// included. The runner refuses `-- migrate:no-transaction` migrations
    /// before calling it.
    fn begin_run(&mut self) -> Result<(), DbError> {
        Err(DbError::Unsupported(
            "this database cannot run migrations in one transaction".to_string(),
        ))
    }
    /// Commits (`commit`) or rolls back the run's transaction. A failed
    /// commit is [`DbError::CommitUnknown`] when the connection broke, so
    /// that nobody is told it was rolled back when it may not have been.
    fn end_run(&mut self, _commit: bool) -> Result<(), DbError> {
        Ok(())
    }
    /// What the last [`Database::apply`] or [`Database::revert`] found that
    /// the user should know, without failing it.
    fn take_warnings(&mut self) -> Vec<String> {
        Vec::new()
    }
    /// Marks a failed row as applied with `checksum`. False when there is no failed row.
    fn resolve_applied(&mut self, version: &str, checksum: &str) -> Result<bool, DbError>;
    /// Deletes a failed row. False when there is no failed row.
    fn resolve_rolled_back(&mut self, version: &str) -> Result<bool, DbError>;
    /// Drops every table, view, index and trigger, the history table included.
    fn drop_everything(&mut self) -> Result<(), DbError>;
    /// The live schema, without the history table.
    fn introspect(&mut self) -> Result<Schema, DbError>;
    /// Runs a `SELECT count(*) …` of the linter's (read only) and returns
    /// the count.
    fn count(&mut self, query: &str) -> Result<u64, DbError>;
    /// Runs `scripts` in one transaction that records nothing in the history
    /// table (seed data); on failure the whole transaction is rolled back.
    fn run_unrecorded(
        &mut self,
        scripts: &[Script<'_>],
        hook: StatementHook<'_>,
    ) -> Result<(), DbError>;
    /// Every row of `table`, the `columns` of each as one text, sorted: two
    /// calls agree exactly when the rows are the same.
    fn table_rows(
        &mut self,
        table: &migrate_build::schema::QualifiedName,
        columns: &[String],
    ) -> Result<Vec<String>, DbError>;
    /// Whether a table (optionally `schema.table` on PostgreSQL) exists: for
    /// finding another tool's history table.
    fn table_exists(&mut self, table: &str) -> Result<bool, DbError>;
    /// Runs a read-only `SELECT` and returns every value as text: integers
    /// and text as written, booleans as `1`/`0`, bytes as lowercase hex,
    /// NULL as `None`. For reading another tool's history table.
    fn select_text(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, DbError>;
}

/// The first line of a statement, for an error that quotes it.
pub(crate) fn first_line(sql: &str) -> String {
    let trimmed = sql.trim();
    match trimmed.split_once('\n') {
        Some((first, _)) => format!("{first} …"),
        None => trimmed.to_string(),
    }
}

/// Lowercase hex of bytes read from another tool's table.
pub(crate) fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether to create a missing SQLite file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    CreateIfMissing,
    MustExist,
}

pub fn connect(
    url: &DatabaseUrl,
    history_table: &str,
    pg_schema: Option<&str>,
    open: Open,
) -> Result<Box<dyn Database>, DbError> {
    match &url.target {
        Target::Sqlite { path } => Ok(Box::new(sqlite::Sqlite::open(
            path,
            url.redacted(),
            history_table,
            open,
        )?)),
        // The server creates nothing on connect: `open` is SQLite's concern.
        Target::Postgres { url: raw } => Ok(Box::new(postgres::Postgres::connect(
            &crate::url::postgres_options(raw)?,
            url.redacted(),
            history_table,
            pg_schema,
        )?)),
    }
}

/// One direction of a migration, ready to run: its statements located in
/// their file, and what its history row records. Built by the runner, so
/// drivers need nothing from the engine.
#[derive(Debug, Clone)]
pub struct Script<'a> {
    pub version: &'a str,
    pub name: &'a str,
    pub checksum: String,
    pub no_transaction: bool,
    /// The file, for messages.
    pub path: String,
    pub statements: Vec<Located<'a>>,
}

/// A statement with its position in its file.
#[derive(Debug, Clone, Copy)]
pub struct Located<'a> {
    pub text: &'a str,
    pub line: usize,
    pub column: usize,
}

impl<'a> Script<'a> {
    pub fn up(migration: &'a Migration) -> Result<Script<'a>, DbError> {
        Script::new(migration, &migration.up)
    }

    pub fn down(migration: &'a Migration, down: &'a MigrationFile) -> Result<Script<'a>, DbError> {
        Script::new(migration, down)
    }

    /// Split with the interpreter's splitter, so that a database error
    /// points at the `file:line:col` of the statement that failed, and a
    /// file the database would read differently (a NUL byte, an unclosed
    /// quote or comment) runs nothing.
    fn new(migration: &'a Migration, file: &'a MigrationFile) -> Result<Script<'a>, DbError> {
        let mut script = Script::standalone(file)?;
        script.version = &migration.version;
        script.name = &migration.name;
        script.checksum = migration.checksum();
        script.no_transaction = migration.no_transaction;
        Ok(script)
    }

    /// A SQL file that is no migration (seed data): no version, no history row.
    pub fn standalone(file: &'a MigrationFile) -> Result<Script<'a>, DbError> {
        let path = display_path(&file.path);
        let statements = migrate_build::ddl::split_statements(&file.sql).map_err(|e| {
            let line = file.sql.lines().nth(e.line.saturating_sub(1));
            DbError::Statement {
                path: path.clone(),
                line: e.line,
                column: e.column,
                statement: migrate_build::ddl::redact_passwords(line.unwrap_or_default())
                    .replace('\0', "")
                    .trim()
                    .to_string(),
                message: e.kind.to_string(),
            }
        })?;
        Ok(Script {
            version: "",
            name: "",
            checksum: String::new(),
            no_transaction: false,
            path,
            statements: statements
                .into_iter()
                .map(|s| Located {
                    text: s.text,
                    line: s.line,
                    column: s.column,
                })
                .collect(),
        })
    }
}

/// Paths in messages: relative to the current directory when under it.
pub fn display_path(path: &Path) -> String {
    match std::env::current_dir() {
        Ok(cwd) => path
            .strip_prefix(&cwd)
            .unwrap_or(path)
            .display()
            .to_string(),
        Err(_) => path.display().to_string(),
    }
}
