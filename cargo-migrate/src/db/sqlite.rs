//! SQLite through rusqlite (bundled). Two runners never interleave: each
//! migration runs inside `BEGIN IMMEDIATE`, which takes SQLite's write lock,
//! and re-reads the history table once it holds it.

use std::path::Path;
use std::time::{Duration, Instant};

use migrate_build::Dialect;
use migrate_build::Schema;
use migrate_build::dialect::quote;
use migrate_build::migrations::{Migration, MigrationFile};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::{
    AppliedRow, ApplyOutcome, Database, DbError, Open, RevertOutcome, StatementHook, display_path,
    statements,
};

/// How long a runner waits for another one's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Sqlite {
    conn: Connection,
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

impl Sqlite {
    pub fn open(
        path: &Path,
        display_url: String,
        history_table: &str,
        open: Open,
    ) -> Result<Sqlite, DbError> {
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
        Ok(Sqlite {
            conn,
            display_url,
            history_name: history_table.to_string(),
            history_table: quote::ident(history_table, Dialect::Sqlite),
        })
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

    fn run_file(&self, file: &MigrationFile, hook: StatementHook<'_>) -> Result<(), DbError> {
        for st in statements(file) {
            hook(st.text);
            self.conn
                .execute_batch(st.text)
                .map_err(|e| DbError::Statement {
                    path: st.path.clone(),
                    line: st.line,
                    column: st.column,
                    statement: first_line(st.text),
                    message: e.to_string(),
                })?;
        }
        Ok(())
    }

    /// `PRAGMA foreign_key_check` over the whole database: rows that a
    /// rebuild with foreign keys off left pointing nowhere.
    fn foreign_key_check(&self, file: &MigrationFile) -> Result<(), DbError> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA foreign_key_check")
            .map_err(query("PRAGMA foreign_key_check"))?;
        let violations: Vec<String> = stmt
            .query_map([], |r| {
                let table: String = r.get(0)?;
                let rowid: Option<i64> = r.get(1)?;
                let parent: String = r.get(2)?;
                Ok(match rowid {
                    Some(id) => format!("{table} row {id} references a missing row of {parent}"),
                    None => format!("a row of {table} references a missing row of {parent}"),
                })
            })
            .map_err(query("PRAGMA foreign_key_check"))?
            .collect::<Result<_, _>>()
            .map_err(query("PRAGMA foreign_key_check"))?;
        if violations.is_empty() {
            Ok(())
        } else {
            Err(DbError::ForeignKeyViolations {
                path: display_path(&file.path),
                violations,
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
        file: &MigrationFile,
        body: impl FnOnce(&Self) -> Result<Tx<T>, DbError>,
    ) -> Result<T, DbError> {
        let fk_was_on = self.foreign_keys_enabled()?;
        if fk_was_on {
            self.set_foreign_keys(false)?;
        }
        let result = self.write_transaction(file, body);
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
        file: &MigrationFile,
        body: impl FnOnce(&Self) -> Result<Tx<T>, DbError>,
    ) -> Result<T, DbError> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(query("BEGIN IMMEDIATE"))?;
        let outcome = body(self).and_then(|tx| match tx {
            Tx::Commit(v) => self.foreign_key_check(file).map(|()| Tx::Commit(v)),
            Tx::Rollback(v) => Ok(Tx::Rollback(v)),
        });
        match outcome {
            Ok(Tx::Commit(v)) => {
                self.conn.execute_batch("COMMIT").map_err(query("COMMIT"))?;
                Ok(v)
            }
            Ok(Tx::Rollback(v)) => {
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
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    fn insert_history(
        &self,
        migration: &Migration,
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
                    migration.version,
                    migration.name,
                    migration.checksum(),
                    i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX),
                    success,
                    error,
                ],
            )
            .map(|_| ())
            .map_err(query("writing the history table"))
    }
}

enum Tx<T> {
    Commit(T),
    Rollback(T),
}

fn first_line(sql: &str) -> String {
    let trimmed = sql.trim();
    match trimmed.split_once('\n') {
        Some((first, _)) => format!("{first} …"),
        None => trimmed.to_string(),
    }
}

impl Database for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn display_url(&self) -> String {
        self.display_url.clone()
    }

    fn lock(&mut self) -> Result<(), DbError> {
        // Each migration takes the write lock itself (BEGIN IMMEDIATE); holding
        // it across migrations would block readers of a rollback journal.
        Ok(())
    }

    fn unlock(&mut self) -> Result<(), DbError> {
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
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT version, name, checksum, applied_at, execution_ms, success, error \
                 FROM {} ORDER BY version",
                self.history_table
            ))
            .map_err(query("reading the history table"))?;
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
            .map_err(query("reading the history table"))?;
        Ok(rows)
    }

    fn apply(
        &mut self,
        migration: &Migration,
        hook: StatementHook<'_>,
    ) -> Result<ApplyOutcome, DbError> {
        if migration.no_transaction {
            if self.row_success(&migration.version)?.is_some() {
                return Ok(ApplyOutcome::AlreadyApplied);
            }
            let start = Instant::now();
            self.run_file(&migration.up, hook)?;
            let elapsed = start.elapsed();
            self.insert_history(migration, true, elapsed, None)?;
            return Ok(ApplyOutcome::Applied { elapsed });
        }
        self.in_write_transaction(&migration.up, |db| {
            match db.row_success(&migration.version)? {
                Some(true) => return Ok(Tx::Rollback(ApplyOutcome::AlreadyApplied)),
                Some(false) => {
                    return Err(DbError::FailedElsewhere {
                        version: migration.version.clone(),
                    });
                }
                None => {}
            }
            let start = Instant::now();
            db.run_file(&migration.up, hook)?;
            let elapsed = start.elapsed();
            db.insert_history(migration, true, elapsed, None)?;
            Ok(Tx::Commit(ApplyOutcome::Applied { elapsed }))
        })
    }

    fn revert(
        &mut self,
        migration: &Migration,
        down: &MigrationFile,
        hook: StatementHook<'_>,
    ) -> Result<RevertOutcome, DbError> {
        let delete = format!("DELETE FROM {} WHERE version = ?1", self.history_table);
        if migration.no_transaction {
            if self.row_success(&migration.version)? != Some(true) {
                return Ok(RevertOutcome::NotApplied);
            }
            let start = Instant::now();
            self.run_file(down, hook)?;
            self.conn
                .execute(&delete, [&migration.version])
                .map_err(query("writing the history table"))?;
            return Ok(RevertOutcome::Reverted {
                elapsed: start.elapsed(),
            });
        }
        self.in_write_transaction(down, |db| {
            if db.row_success(&migration.version)? != Some(true) {
                return Ok(Tx::Rollback(RevertOutcome::NotApplied));
            }
            let start = Instant::now();
            db.run_file(down, hook)?;
            db.conn
                .execute(&delete, [&migration.version])
                .map_err(query("writing the history table"))?;
            Ok(Tx::Commit(RevertOutcome::Reverted {
                elapsed: start.elapsed(),
            }))
        })
    }

    fn record_failure(&mut self, migration: &Migration, error: &str) -> Result<(), DbError> {
        self.insert_history(migration, false, Duration::ZERO, Some(error))
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
}
