//! SQLite through rusqlite (bundled). One runner at a time: the run lock is
//! an OS file lock on `<database>.migrate-lock` beside the database, held for
//! the whole run (SQLite's own write lock cannot be: it would block the
//! application's readers of a rollback journal). Each migration also runs
//! inside `BEGIN IMMEDIATE` and re-reads its history row there, for runners
//! of older versions that take no file lock.

use std::cell::RefCell;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use migrate_build::Dialect;
use migrate_build::Schema;
use migrate_build::dialect::quote;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::{
    AppliedRow, ApplyOutcome, Database, DbError, Handle, LOCK_POLL, Open, RevertOutcome, Script,
    StatementHook, first_line, lock_timeout,
};

/// How long a runner waits for another one's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Sqlite<'c> {
    conn: Handle<'c, Connection>,
    /// The run lock's file; `None` for an in-memory database.
    lock_path: Option<PathBuf>,
    /// Open while the run lock is held.
    lock_file: Option<File>,
    /// Foreign key violations as the last migration of this run left them;
    /// `None` when not known (first migration, or after one run outside a
    /// transaction).
    known_violations: RefCell<Option<Vec<Violation>>>,
    /// For the runner to print after each migration.
    warnings: RefCell<Vec<String>>,
    /// In a run's one transaction (`apply --single-transaction`): whether
    /// foreign keys were on before it, to restore them at its end.
    run: Option<bool>,
    display_url: String,
    /// As configured, for catalog lookups.
    history_name: String,
    /// Quoted, for SQL text.
    history_table: String,
}

fn query(context: &'static str) -> impl FnOnce(rusqlite::Error) -> DbError {
    move |e| DbError::Query {
        context,
        message: e.to_string(),
    }
}

impl<'c> Sqlite<'c> {
    pub fn open(
        path: &Path,
        display_url: String,
        history_table: &str,
        open: Open,
    ) -> Result<Sqlite<'c>, DbError> {
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        match open {
            Open::CreateIfMissing => flags |= OpenFlags::SQLITE_OPEN_CREATE,
            Open::MustExist if !path.exists() => {
                return Err(DbError::MissingFile {
                    path: path.to_path_buf(),
                });
            }
            Open::MustExist => {}
        }
        let connect_err = |e: rusqlite::Error| DbError::Connect {
            url: display_url.clone(),
            message: e.to_string(),
        };
        let conn = Connection::open_with_flags(path, flags).map_err(connect_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(connect_err)?;
        let memory = path.as_os_str() == ":memory:" || path.as_os_str().is_empty();
        Ok(Sqlite::new(
            Handle::Owned(conn),
            (!memory).then_some(path),
            display_url,
            history_table,
        ))
    }

    /// The application's own connection (an application applying its
    /// embedded migrations). Its settings stay as they are.
    pub fn on_connection(
        conn: &'c mut Connection,
        display_url: String,
        history_table: &str,
    ) -> Sqlite<'c> {
        // An in-memory or temporary database has no path (or an empty one).
        let path = conn.path().filter(|p| !p.is_empty()).map(PathBuf::from);
        Sqlite::new(
            Handle::Borrowed(conn),
            path.as_deref(),
            display_url,
            history_table,
        )
    }

    fn new(
        conn: Handle<'c, Connection>,
        file: Option<&Path>,
        display_url: String,
        history_table: &str,
    ) -> Sqlite<'c> {
        let lock_path = file.map(|path| {
            let mut name = path.as_os_str().to_os_string();
            name.push(".migrate-lock");
            PathBuf::from(name)
        });
        Sqlite {
            conn,
            lock_path,
            lock_file: None,
            known_violations: RefCell::new(None),
            warnings: RefCell::new(Vec::new()),
            run: None,
            display_url,
            history_name: history_table.to_string(),
            history_table: quote::ident(history_table, Dialect::Sqlite),
        }
    }

    /// The connection, for tests and introspection.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn history_exists(&self) -> Result<bool, DbError> {
        self.conn
            .query_row(
                "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                [&self.history_name],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
            .map_err(query("reading sqlite_schema"))
    }

    fn row_success(&self, version: &str) -> Result<Option<bool>, DbError> {
        self.conn
            .query_row(
                &format!(
                    "SELECT success FROM {} WHERE version = ?1",
                    self.history_table
                ),
                [version],
                |r| r.get::<_, bool>(0),
            )
            .optional()
            .map_err(query("reading the history table"))
    }

    fn run_script(&self, script: &Script<'_>, hook: StatementHook<'_>) -> Result<(), DbError> {
        let total = script.statements.len();
        for (i, st) in script.statements.iter().enumerate() {
            hook(st.text);
            self.conn.execute_batch(st.text).map_err(|e| {
                let mut message = e.to_string();
                if script.no_transaction && i > 0 {
                    message.push_str(&format!(
                        "\n(statement {} of {total}; the {i} before it ran outside a transaction and stay applied)",
                        i + 1
                    ));
                }
                DbError::Statement {
                    path: script.path.clone(),
                    line: st.line,
                    column: st.column,
                    statement: first_line(st.text),
                    message,
                }
            })?;
        }
        Ok(())
    }

    /// `PRAGMA foreign_key_check` over the whole database: rows that point
    /// nowhere (a rebuild with foreign keys off can leave them).
    fn violations(&self) -> Result<Vec<Violation>, DbError> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA foreign_key_check")
            .map_err(query("PRAGMA foreign_key_check"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Violation {
                    table: r.get(0)?,
                    rowid: r.get(1)?,
                    parent: r.get(2)?,
                    fkid: r.get(3)?,
                })
            })
            .map_err(query("PRAGMA foreign_key_check"))?
            .collect::<Result<_, _>>()
            .map_err(query("PRAGMA foreign_key_check"))?;
        Ok(rows)
    }

    /// The violations the migration made (the ones the database had before
    /// it are not its fault): an error that rolls it back. The ones that were
    /// there before and remain become a warning.
    fn foreign_key_check(
        &self,
        script: &Script<'_>,
        before: &[Violation],
    ) -> Result<Vec<Violation>, DbError> {
        let after = self.violations()?;
        let mut old: Vec<&Violation> = before.iter().collect();
        let mut made = Vec::new();
        for v in &after {
            match old.iter().position(|o| *o == v) {
                Some(i) => {
                    old.swap_remove(i);
                }
                None => made.push(v.to_string()),
            }
        }
        if made.is_empty() {
            Ok(after)
        } else {
            Err(DbError::ForeignKeyViolations {
                path: script.path.clone(),
                violations: made,
            })
        }
    }

    fn foreign_keys_enabled(&self) -> Result<bool, DbError> {
        self.conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .map_err(query("PRAGMA foreign_keys"))
    }

    fn set_foreign_keys(&self, on: bool) -> Result<(), DbError> {
        let sql = if on {
            "PRAGMA foreign_keys = ON"
        } else {
            "PRAGMA foreign_keys = OFF"
        };
        self.conn
            .execute_batch(sql)
            .map_err(query("PRAGMA foreign_keys"))
    }

    /// Runs `body` in `BEGIN IMMEDIATE … COMMIT` with foreign keys off (a
    /// table rebuild must not fire ON DELETE CASCADE elsewhere; the pragma is
    /// a no-op inside a transaction, so it is switched before), checking
    /// foreign keys before the commit and restoring the pragma after.
    fn in_write_transaction<T>(
        &self,
        script: &Script<'_>,
        body: impl FnOnce(&Self) -> Result<Tx<T>, DbError>,
    ) -> Result<T, DbError> {
        if self.run.is_some() {
            // The run switched foreign keys off and holds the transaction.
            return self.write_transaction(script, body);
        }
        let fk_was_on = self.foreign_keys_enabled()?;
        if fk_was_on {
            self.set_foreign_keys(false)?;
        }
        let result = self.write_transaction(script, body);
        if fk_was_on {
            // Restoring must not hide the migration's own error.
            let restored = self.set_foreign_keys(true);
            let value = result?;
            restored?;
            Ok(value)
        } else {
            result
        }
    }

    fn write_transaction<T>(
        &self,
        script: &Script<'_>,
        body: impl FnOnce(&Self) -> Result<Tx<T>, DbError>,
    ) -> Result<T, DbError> {
        // Inside a run's transaction, each migration is a savepoint: its
        // foreign key check and its rollback stay its own.
        let (begin, commit) = match self.run {
            Some(_) => ("SAVEPOINT cargo_migrate", "RELEASE cargo_migrate"),
            None => ("BEGIN IMMEDIATE", "COMMIT"),
        };
        self.conn.execute_batch(begin).map_err(query("BEGIN"))?;
        // Known from the previous migration of this run (checked after it,
        // under the run lock), else one scan here.
        let before = match self.known_violations.take() {
            Some(v) => Ok(v),
            None => self.violations(),
        };
        let outcome = before.and_then(|before| {
            body(self).and_then(|tx| match tx {
                Tx::Commit(v) => self
                    .foreign_key_check(script, &before)
                    .map(|after| (Tx::Commit(v), after)),
                Tx::Rollback(v) => Ok((Tx::Rollback(v), before)),
            })
        });
        match outcome {
            Ok((Tx::Commit(v), after)) => {
                // A COMMIT that fails (busy readers, I/O) leaves the
                // transaction open or rolls it back itself: end it either way.
                if let Err(e) = self.conn.execute_batch(commit) {
                    self.rollback();
                    return Err(query("COMMIT")(e));
                }
                if !after.is_empty() {
                    let shown: Vec<String> =
                        after.iter().take(5).map(|v| format!("  - {v}")).collect();
                    self.warnings.borrow_mut().push(format!(
                        "{} foreign key violation(s) were in the database before {} and remain \
                         (`PRAGMA foreign_key_check` lists them):\n{}{}",
                        after.len(),
                        script.path,
                        shown.join("\n"),
                        if after.len() > shown.len() {
                            "\n  - …"
                        } else {
                            ""
                        }
                    ));
                }
                self.known_violations.replace(Some(after));
                Ok(v)
            }
            Ok((Tx::Rollback(v), before)) => {
                self.known_violations.replace(Some(before));
                self.rollback();
                Ok(v)
            }
            Err(e) => {
                self.rollback();
                Err(e)
            }
        }
    }

    fn rollback(&self) {
        // A failed statement may already have ended the transaction (SQLite
        // rolls back on some errors); a second ROLLBACK error says nothing new.
        if self.conn.is_autocommit() {
            return;
        }
        let sql = match self.run {
            // Back to before the migration; the run's transaction stays
            // open for the runner to end.
            Some(_) => "ROLLBACK TO cargo_migrate; RELEASE cargo_migrate",
            None => "ROLLBACK",
        };
        let _ = self.conn.execute_batch(sql);
    }

    fn insert_history(
        &self,
        script: &Script<'_>,
        success: bool,
        elapsed: Duration,
        error: Option<&str>,
    ) -> Result<(), DbError> {
        self.conn
            .execute(
                &format!(
                    "INSERT INTO {} (version, name, checksum, applied_at, execution_ms, success, error) \
                     VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?4, ?5, ?6)",
                    self.history_table
                ),
                params![
                    script.version,
                    script.name,
                    script.checksum,
                    i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX),
                    success,
                    error,
                ],
            )
            .map(|_| ())
            .map_err(query("writing the history table"))
    }
}

/// One row of `PRAGMA foreign_key_check`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Violation {
    table: String,
    /// `None` for a `WITHOUT ROWID` table.
    rowid: Option<i64>,
    parent: String,
    fkid: i64,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.rowid {
            Some(id) => write!(
                f,
                "{} row {id} references a missing row of {}",
                self.table, self.parent
            ),
            None => write!(
                f,
                "a row of {} references a missing row of {}",
                self.table, self.parent
            ),
        }
    }
}

enum Tx<T> {
    Commit(T),
    Rollback(T),
}

impl Database for Sqlite<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn table_exists(&mut self, table: &str) -> Result<bool, DbError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(query("looking for a table"))
    }

    fn select_text(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, DbError> {
        use rusqlite::types::ValueRef;
        let mut stmt = self.conn.prepare(sql).map_err(query("reading a table"))?;
        let width = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..width)
                    .map(|i| {
                        Ok(match r.get_ref(i)? {
                            ValueRef::Null => None,
                            ValueRef::Integer(n) => Some(n.to_string()),
                            ValueRef::Real(x) => Some(x.to_string()),
                            ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                            ValueRef::Blob(b) => Some(super::hex_lower(b)),
                        })
                    })
                    .collect::<Result<Vec<_>, rusqlite::Error>>()
            })
            .map_err(query("reading a table"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(query("reading a table"))?;
        Ok(rows)
    }

    fn display_url(&self) -> String {
        self.display_url.clone()
    }

    fn lock(&mut self) -> Result<(), DbError> {
        let Some(path) = &self.lock_path else {
            return Ok(());
        };
        let io = |e: std::io::Error| DbError::Query {
            context: "taking the run lock",
            message: format!("{}: {e}", path.display()),
        };
        // Never deleted: a runner that removed it could let a second one
        // lock a new file while a third still holds the old one.
        let mut file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(io)?;
        let timeout = lock_timeout();
        let start = Instant::now();
        loop {
            match fs4::FileExt::try_lock(&file) {
                Ok(()) => break,
                Err(fs4::TryLockError::WouldBlock) => {}
                Err(fs4::TryLockError::Error(e)) => return Err(io(e)),
            }
            if start.elapsed() >= timeout {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = match holder.trim() {
                    "" => format!("{} is locked", path.display()),
                    h => format!("{h} holds {}", path.display()),
                };
                return Err(DbError::Locked {
                    url: self.display_url.clone(),
                    waited: timeout,
                    holder,
                    hint: None,
                });
            }
            std::thread::sleep(LOCK_POLL);
        }
        // Who holds it, for the message of a runner that gives up waiting.
        let since = migrate_build::migrations::new_version(SystemTime::now());
        let stamp = format!(
            "pid {} (since {}-{}-{} {}:{}:{} UTC)",
            std::process::id(),
            &since[0..4],
            &since[4..6],
            &since[6..8],
            &since[8..10],
            &since[10..12],
            &since[12..14]
        );
        let written = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(stamp.as_bytes()));
        written.map_err(io)?;
        self.lock_file = Some(file);
        Ok(())
    }

    fn unlock(&mut self) -> Result<(), DbError> {
        if let Some(file) = self.lock_file.take() {
            let _ = file.set_len(0);
            // Closing the file releases the lock too; unlock says so sooner.
            fs4::FileExt::unlock(&file).map_err(|e| DbError::Query {
                context: "releasing the run lock",
                message: e.to_string(),
            })?;
        }
        Ok(())
    }

    fn ensure_history_table(&mut self) -> Result<(), DbError> {
        self.conn
            .execute_batch(&format!(
                "CREATE TABLE IF NOT EXISTS {} (
                    version TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    checksum TEXT NOT NULL,
                    applied_at TEXT NOT NULL,
                    execution_ms INTEGER NOT NULL,
                    success INTEGER NOT NULL,
                    error TEXT
                )",
                self.history_table
            ))
            .map_err(query("creating the history table"))
    }

    fn list_applied(&mut self) -> Result<Vec<AppliedRow>, DbError> {
        if !self.history_exists()? {
            return Ok(Vec::new());
        }
        let shape = |e: rusqlite::Error| DbError::HistoryShape {
            table: self.history_table.clone(),
            problems: vec![match e {
                rusqlite::Error::InvalidColumnType(_, name, ty) => {
                    format!("column `{name}` holds a value of type {ty}")
                }
                other => other.to_string(),
            }],
        };
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT version, name, checksum, applied_at, execution_ms, success, error \
                 FROM {} ORDER BY version",
                self.history_table
            ))
            .map_err(shape)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(AppliedRow {
                    version: r.get(0)?,
                    name: r.get(1)?,
                    checksum: r.get(2)?,
                    applied_at: r.get(3)?,
                    execution_ms: r.get(4)?,
                    success: r.get(5)?,
                    error: r.get(6)?,
                })
            })
            .map_err(query("reading the history table"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(shape)?;
        Ok(rows)
    }

    fn apply(&mut self, up: &Script<'_>, hook: StatementHook<'_>) -> Result<ApplyOutcome, DbError> {
        if up.no_transaction {
            if self.row_success(up.version)?.is_some() {
                return Ok(ApplyOutcome::AlreadyApplied);
            }
            self.known_violations.replace(None);
            let start = Instant::now();
            self.run_script(up, hook)?;
            let elapsed = start.elapsed();
            self.insert_history(up, true, elapsed, None)?;
            return Ok(ApplyOutcome::Applied { elapsed });
        }
        self.in_write_transaction(up, |db| {
            match db.row_success(up.version)? {
                Some(true) => return Ok(Tx::Rollback(ApplyOutcome::AlreadyApplied)),
                Some(false) => {
                    return Err(DbError::FailedElsewhere {
                        version: up.version.to_string(),
                    });
                }
                None => {}
            }
            let start = Instant::now();
            db.run_script(up, hook)?;
            let elapsed = start.elapsed();
            db.insert_history(up, true, elapsed, None)?;
            Ok(Tx::Commit(ApplyOutcome::Applied { elapsed }))
        })
    }

    fn revert(
        &mut self,
        down: &Script<'_>,
        hook: StatementHook<'_>,
    ) -> Result<RevertOutcome, DbError> {
        let delete = format!("DELETE FROM {} WHERE version = ?1", self.history_table);
        if down.no_transaction {
            if self.row_success(down.version)? != Some(true) {
                return Ok(RevertOutcome::NotApplied);
            }
            self.known_violations.replace(None);
            let start = Instant::now();
            self.run_script(down, hook)?;
            self.conn
                .execute(&delete, [down.version])
                .map_err(query("writing the history table"))?;
            return Ok(RevertOutcome::Reverted {
                elapsed: start.elapsed(),
            });
        }
        self.in_write_transaction(down, |db| {
            if db.row_success(down.version)? != Some(true) {
                return Ok(Tx::Rollback(RevertOutcome::NotApplied));
            }
            let start = Instant::now();
            db.run_script(down, hook)?;
            db.conn
                .execute(&delete, [down.version])
                .map_err(query("writing the history table"))?;
            Ok(Tx::Commit(RevertOutcome::Reverted {
                elapsed: start.elapsed(),
            }))
        })
    }

    fn record_failure(&mut self, up: &Script<'_>, error: &str) -> Result<(), DbError> {
        self.insert_history(up, false, Duration::ZERO, Some(error))
    }

    fn take_warnings(&mut self) -> Vec<String> {
        self.warnings.take()
    }

    fn begin_run(&mut self) -> Result<(), DbError> {
        let fk_was_on = self.foreign_keys_enabled()?;
        if fk_was_on {
            self.set_foreign_keys(false)?;
        }
        if let Err(e) = self.conn.execute_batch("BEGIN IMMEDIATE") {
            if fk_was_on {
                let _ = self.set_foreign_keys(true);
            }
            return Err(query("BEGIN IMMEDIATE")(e));
        }
        self.run = Some(fk_was_on);
        Ok(())
    }

    fn end_run(&mut self, commit: bool) -> Result<(), DbError> {
        let Some(fk_was_on) = self.run.take() else {
            return Ok(());
        };
        let ended = if commit {
            self.conn.execute_batch("COMMIT").map_err(query("COMMIT"))
        } else {
            Ok(())
        };
        // A failed COMMIT leaves the transaction open or rolled back: end it.
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        if ended.is_err() || !commit {
            // What this run checked is gone with it.
            self.known_violations.replace(None);
        }
        let restored = if fk_was_on {
            self.set_foreign_keys(true)
        } else {
            Ok(())
        };
        ended?;
        restored
    }

    fn resolve_applied(&mut self, version: &str, checksum: &str) -> Result<bool, DbError> {
        let n = self
            .conn
            .execute(
                &format!(
                    "UPDATE {} SET success = 1, error = NULL, checksum = ?2, \
                     applied_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
                     WHERE version = ?1 AND success = 0",
                    self.history_table
                ),
                params![version, checksum],
            )
            .map_err(query("writing the history table"))?;
        Ok(n > 0)
    }

    fn resolve_rolled_back(&mut self, version: &str) -> Result<bool, DbError> {
        let n = self
            .conn
            .execute(
                &format!(
                    "DELETE FROM {} WHERE version = ?1 AND success = 0",
                    self.history_table
                ),
                [version],
            )
            .map_err(query("writing the history table"))?;
        Ok(n > 0)
    }

    fn drop_everything(&mut self) -> Result<(), DbError> {
        self.known_violations.replace(None);
        let fk_was_on = self.foreign_keys_enabled()?;
        self.set_foreign_keys(false)?;
        let result = (|| {
            self.conn
                .execute_batch("BEGIN IMMEDIATE")
                .map_err(query("BEGIN IMMEDIATE"))?;
            let objects: Vec<(String, String)> = {
                let mut stmt = self
                    .conn
                    .prepare(
                        "SELECT type, name FROM sqlite_schema \
                         WHERE type IN ('view', 'trigger', 'table') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
                         ORDER BY CASE type WHEN 'view' THEN 0 WHEN 'trigger' THEN 1 ELSE 2 END",
                    )
                    .map_err(query("reading sqlite_schema"))?;
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                    .map_err(query("reading sqlite_schema"))?
                    .collect::<Result<_, _>>()
                    .map_err(query("reading sqlite_schema"))?
            };
            for (kind, name) in objects {
                let sql = format!(
                    "DROP {} IF EXISTS {}",
                    kind.to_ascii_uppercase(),
                    quote::ident(&name, Dialect::Sqlite)
                );
                self.conn
                    .execute_batch(&sql)
                    .map_err(query("dropping objects"))?;
            }
            let has_sequence = self
                .conn
                .query_row(
                    "SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'",
                    [],
                    |_| Ok(()),
                )
                .optional()
                .map_err(query("reading sqlite_schema"))?
                .is_some();
            if has_sequence {
                self.conn
                    .execute_batch("DELETE FROM sqlite_sequence")
                    .map_err(query("resetting sqlite_sequence"))?;
            }
            self.conn.execute_batch("COMMIT").map_err(query("COMMIT"))
        })();
        if result.is_err() {
            self.rollback();
        }
        let restored = self.set_foreign_keys(fk_was_on);
        result?;
        restored
    }

    fn introspect(&mut self) -> Result<Schema, DbError> {
        crate::introspect::sqlite::introspect(&self.conn, &[self.history_name.as_str()])
            .map_err(|e| DbError::Introspect(e.to_string()))
    }

    fn count(&mut self, query: &str) -> Result<u64, DbError> {
        let err = |e: rusqlite::Error| DbError::Query {
            context: "counting rows",
            message: e.to_string(),
        };
        // A prepared statement that writes is refused: the query comes with
        // expressions of the user's migrations.
        let mut statement = self.conn.prepare(query).map_err(err)?;
        if !statement.readonly() {
            return Err(DbError::Unsupported(format!(
                "not a read-only query: {query}"
            )));
        }
        let n: i64 = statement.query_row([], |row| row.get(0)).map_err(err)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn run_unrecorded(
        &mut self,
        scripts: &[Script<'_>],
        hook: StatementHook<'_>,
    ) -> Result<(), DbError> {
        // Data changes what the previous migration's check found.
        self.known_violations.replace(None);
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(query("BEGIN IMMEDIATE"))?;
        let result = (|| {
            let mut before = self.violations()?;
            for script in scripts {
                self.run_script(script, &mut *hook)?;
                before = self.foreign_key_check(script, &before)?;
            }
            Ok(())
        })();
        match result {
            Ok(()) => {
                if let Err(e) = self.conn.execute_batch("COMMIT") {
                    self.rollback();
                    return Err(query("COMMIT")(e));
                }
                Ok(())
            }
            Err(e) => {
                self.rollback();
                Err(e)
            }
        }
    }

    fn table_rows(
        &mut self,
        table: &migrate_build::schema::QualifiedName,
        columns: &[String],
    ) -> Result<Vec<String>, DbError> {
        // quote() is each value as an SQL literal: the type shows, so 1 and '1' differ.
        let row = columns
            .iter()
            .map(|c| format!("quote({})", quote::ident(c, Dialect::Sqlite)))
            .collect::<Vec<_>>()
            .join(" || ', ' || ");
        let row = if row.is_empty() {
            "''".to_string()
        } else {
            row
        };
        let sql = format!(
            "SELECT {row} FROM {}",
            quote::ident(&table.name, Dialect::Sqlite)
        );
        let mut stmt = self
            .conn
            .prepare(&sql)
            .map_err(query("reading table rows"))?;
        let mut rows: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(query("reading table rows"))?
            .collect::<Result<_, _>>()
            .map_err(query("reading table rows"))?;
        rows.sort();
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Located;

    /// One statement per line: enough for these hand-written scripts, and
    /// independent of the engine's splitter.
    fn script<'a>(version: &'a str, sql: &'a str) -> Script<'a> {
        let mut statements = Vec::new();
        let mut offset = 0;
        for (i, line) in sql.lines().enumerate() {
            let start = offset;
            offset += line.len() + 1;
            if !line.trim().is_empty() {
                statements.push(Located {
                    text: &sql[start..start + line.len()],
                    line: i + 1,
                    column: line.len() - line.trim_start().len() + 1,
                });
            }
        }
        Script {
            version,
            name: "test",
            checksum: format!("sum-{version}"),
            no_transaction: false,
            path: format!("migrations/{version}_test/up.sql"),
            statements,
        }
    }

    fn open(path: &Path) -> Sqlite<'static> {
        let mut db = Sqlite::open(
            path,
            "sqlite:test.db".into(),
            "_migrate_history",
            Open::CreateIfMissing,
        )
        .unwrap();
        db.ensure_history_table().unwrap();
        db
    }

    fn count(db: &Sqlite<'_>, sql: &str) -> i64 {
        db.connection().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn noop(_: &str) {}

    #[test]
    fn history_rows_are_written_with_the_migration() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = open(&dir.path().join("a.db"));
        db.ensure_history_table().unwrap();
        assert!(db.list_applied().unwrap().is_empty());
        let up = script(
            "1",
            "CREATE TABLE t (id INTEGER PRIMARY KEY);\nINSERT INTO t VALUES (1);",
        );
        let outcome = db.apply(&up, &mut noop).unwrap();
        assert!(matches!(outcome, ApplyOutcome::Applied { .. }));
        let rows = db.list_applied().unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].version, "1");
        assert_eq!(rows[0].checksum, "sum-1");
        assert!(rows[0].success);
        assert!(rows[0].applied_at.ends_with('Z'), "{}", rows[0].applied_at);
        assert_eq!(count(&db, "SELECT count(*) FROM t"), 1);
        // A second apply of the same version is noticed inside the lock.
        assert_eq!(
            db.apply(&up, &mut noop).unwrap(),
            ApplyOutcome::AlreadyApplied
        );
    }

    #[test]
    fn failing_statement_rolls_back_and_names_its_location() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = open(&dir.path().join("a.db"));
        let up = script(
            "1",
            "CREATE TABLE t (id INTEGER PRIMARY KEY);\n\n  INSERT INTO missing VALUES (1);",
        );
        let err = db.apply(&up, &mut noop).unwrap_err();
        match &err {
            DbError::Statement {
                path, line, column, ..
            } => {
                assert_eq!(path, "migrations/1_test/up.sql");
                assert_eq!((*line, *column), (3, 3));
            }
            other => panic!("unexpected error {other:?}"),
        }
        assert!(err.to_string().contains("no such table: missing"), "{err}");
        assert_eq!(
            count(&db, "SELECT count(*) FROM sqlite_schema WHERE name = 't'"),
            0
        );
        assert!(db.list_applied().unwrap().is_empty());
        db.record_failure(&up, &err.to_string()).unwrap();
        let rows = db.list_applied().unwrap();
        assert!(!rows[0].success);
        assert!(rows[0].error.as_deref().unwrap().contains("up.sql:3:3"));
    }

    #[test]
    fn foreign_key_violations_roll_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = open(&dir.path().join("a.db"));
        let up = script(
            "1",
            "CREATE TABLE p (id INTEGER PRIMARY KEY);\n\
             CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id));\n\
             INSERT INTO c VALUES (1, 42);",
        );
        let err = db.apply(&up, &mut noop).unwrap_err();
        assert!(
            matches!(&err, DbError::ForeignKeyViolations { violations, .. } if violations.len() == 1),
            "{err:?}"
        );
        assert_eq!(
            count(
                &db,
                "SELECT count(*) FROM sqlite_schema WHERE name IN ('p', 'c')"
            ),
            0
        );
    }

    #[test]
    fn table_rebuild_keeps_rows_and_fires_no_cascade() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = open(&dir.path().join("a.db"));
        db.connection()
            .execute_batch(
                "PRAGMA foreign_keys = ON;
                 CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT);
                 CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id) ON DELETE CASCADE);
                 INSERT INTO p VALUES (1, 'a'), (2, 'b');
                 INSERT INTO c VALUES (10, 1), (11, 2), (12, 2);",
            )
            .unwrap();
        let rebuild = script(
            "1",
            "CREATE TABLE new_p (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n\
             INSERT INTO new_p (id, name) SELECT id, name FROM p;\n\
             DROP TABLE p;\n\
             ALTER TABLE new_p RENAME TO p;",
        );
        db.apply(&rebuild, &mut noop).unwrap();
        assert_eq!(count(&db, "SELECT count(*) FROM p"), 2);
        assert_eq!(count(&db, "SELECT count(*) FROM c"), 3);
        assert_eq!(count(&db, "PRAGMA foreign_keys"), 1, "pragma restored");
    }

    #[test]
    fn concurrent_runners_apply_a_migration_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        open(&path);
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let path = path.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    let mut db = open(&path);
                    // Slow enough that the runs overlap.
                    let sql = "CREATE TABLE t (id INTEGER PRIMARY KEY);\n\
                               WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) INSERT INTO t SELECT i FROM n;";
                    let up = script("1", sql);
                    barrier.wait();
                    db.apply(&up, &mut noop).unwrap()
                })
            })
            .collect();
        let outcomes: Vec<ApplyOutcome> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let applied = outcomes
            .iter()
            .filter(|o| matches!(o, ApplyOutcome::Applied { .. }))
            .count();
        assert_eq!(applied, 1, "{outcomes:?}");
        assert!(outcomes.contains(&ApplyOutcome::AlreadyApplied));
        let mut db = open(&path);
        assert_eq!(db.list_applied().unwrap().len(), 1);
        assert_eq!(count(&db, "SELECT count(*) FROM t"), 200000);
    }

    #[test]
    fn resolve_settles_only_failed_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = open(&dir.path().join("a.db"));
        db.apply(&script("1", "CREATE TABLE t (id INTEGER);"), &mut noop)
            .unwrap();
        assert!(!db.resolve_applied("1", "x").unwrap());
        assert!(!db.resolve_rolled_back("1").unwrap());
        db.record_failure(&script("2", "bogus;"), "boom").unwrap();
        assert!(db.resolve_applied("2", "new-sum").unwrap());
        let rows = db.list_applied().unwrap();
        assert!(rows[1].success && rows[1].checksum == "new-sum" && rows[1].error.is_none());

        db.record_failure(&script("3", "bogus;"), "boom").unwrap();
        assert!(db.resolve_rolled_back("3").unwrap());
        assert_eq!(db.list_applied().unwrap().len(), 2);
    }

    #[test]
    fn no_transaction_keeps_statements_before_the_failure() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = open(&dir.path().join("a.db"));
        let mut up = script(
            "1",
            "CREATE TABLE t (id INTEGER);\nINSERT INTO nope VALUES (1);",
        );
        up.no_transaction = true;
        assert!(db.apply(&up, &mut noop).is_err());
        assert_eq!(
            count(&db, "SELECT count(*) FROM sqlite_schema WHERE name = 't'"),
            1
        );
    }

    #[test]
    fn revert_removes_the_history_row_with_the_objects() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = open(&dir.path().join("a.db"));
        db.apply(&script("1", "CREATE TABLE t (id INTEGER);"), &mut noop)
            .unwrap();
        let mut seen = Vec::new();
        let outcome = db
            .revert(&script("1", "DROP TABLE t;"), &mut |s: &str| {
                seen.push(s.to_string())
            })
            .unwrap();
        assert!(matches!(outcome, RevertOutcome::Reverted { .. }));
        assert_eq!(seen, vec!["DROP TABLE t;"]);
        assert!(db.list_applied().unwrap().is_empty());
        assert_eq!(
            db.revert(&script("1", "DROP TABLE t;"), &mut noop).unwrap(),
            RevertOutcome::NotApplied
        );
        // A failing down leaves the migration applied.
        db.apply(&script("2", "CREATE TABLE u (id INTEGER);"), &mut noop)
            .unwrap();
        assert!(
            db.revert(&script("2", "DROP TABLE nope;"), &mut noop)
                .is_err()
        );
        assert_eq!(db.list_applied().unwrap().len(), 1);
    }

    #[test]
    fn drop_everything_leaves_an_empty_database() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = open(&dir.path().join("a.db"));
        db.connection()
            .execute_batch(
                "CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT);
                 CREATE TABLE b (id INTEGER REFERENCES a(id));
                 CREATE INDEX b_id ON b(id);
                 CREATE VIEW v AS SELECT * FROM a;
                 CREATE TRIGGER tr AFTER INSERT ON a BEGIN SELECT 1; END;
                 INSERT INTO a DEFAULT VALUES;",
            )
            .unwrap();
        db.drop_everything().unwrap();
        assert_eq!(
            count(
                &db,
                "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'"
            ),
            0
        );
        assert!(db.list_applied().unwrap().is_empty());
    }

    #[test]
    fn must_exist_does_not_create_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing.db");
        let err = Sqlite::open(&path, "sqlite:missing.db".into(), "h", Open::MustExist)
            .err()
            .unwrap();
        assert!(matches!(err, DbError::MissingFile { .. }));
        assert!(!path.exists());
    }
}
