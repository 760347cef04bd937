//! The real databases: migrations run the way the runner runs them, rows
//! inserted and read back, the schema introspected.

use migrate_build::dialect::quote::ident;
use migrate_build::{Dialect, Schema};
use postgres::Client;

use super::spec::{Spec, Special};

pub enum Db {
    /// A fresh in-memory database per case, foreign keys enforced.
    Sqlite(rusqlite::Connection),
    /// One test database, its `public` schema recreated per case.
    Postgres(Client),
}

/// One table's rows: every value as text (`NULL` is `None`), sorted.
pub type Rows = Vec<Vec<Option<String>>>;

impl Db {
    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Postgres(_) => Dialect::Postgres,
        }
    }

    /// An empty database.
    pub fn reset(&mut self) -> Result<(), String> {
        match self {
            Db::Sqlite(conn) => {
                let fresh = rusqlite::Connection::open_in_memory().map_err(|e| e.to_string())?;
                fresh
                    .execute_batch("PRAGMA foreign_keys = ON")
                    .map_err(|e| e.to_string())?;
                *conn = fresh;
                Ok(())
            }
            Db::Postgres(client) => client
                .batch_execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
                .map_err(|e| e.to_string()),
        }
    }

    /// Runs a migration as `cargo migrate apply` does: in one transaction;
    /// on SQLite with foreign keys off during it and checked before commit.
    pub fn migrate(&mut self, sql: &str) -> Result<(), String> {
        match self {
            Db::Sqlite(conn) => {
                let run = |conn: &rusqlite::Connection| -> Result<(), String> {
                    conn.execute_batch("BEGIN IMMEDIATE")
                        .map_err(|e| e.to_string())?;
                    conn.execute_batch(sql).map_err(|e| e.to_string())?;
                    let violations = foreign_key_violations(conn)?;
                    if !violations.is_empty() {
                        return Err(format!("PRAGMA foreign_key_check: {violations:?}"));
                    }
                    conn.execute_batch("COMMIT").map_err(|e| e.to_string())
                };
                conn.execute_batch("PRAGMA foreign_keys = OFF")
                    .map_err(|e| e.to_string())?;
                let result = run(conn);
                if result.is_err() {
                    let _ = conn.execute_batch("ROLLBACK");
                }
                conn.execute_batch("PRAGMA foreign_keys = ON")
                    .map_err(|e| e.to_string())?;
                result
            }
            Db::Postgres(client) => {
                let mut tx = client.transaction().map_err(|e| e.to_string())?;
                tx.batch_execute(sql).map_err(pg_error)?;
                tx.commit().map_err(pg_error)
            }
        }
    }

    pub fn introspect(&mut self) -> Result<Schema, String> {
        match self {
            Db::Sqlite(conn) => {
                cargo_migrate::introspect::sqlite::introspect(conn, &[]).map_err(|e| e.to_string())
            }
            Db::Postgres(client) => {
                cargo_migrate::introspect::postgres::introspect(client, &[], &[])
                    .map_err(|e| e.to_string())
            }
        }
    }

    /// Inserts `spec.rows` rows in every table, with foreign keys unchecked
    /// while inserting (tables may reference each other in a cycle); the
    /// values satisfy every constraint by construction, which SQLite checks.
    /// Row 0 holds NULL in the `nulls` columns (table, column).
    pub fn insert_rows(&mut self, spec: &Spec, nulls: &[(String, String)]) -> Result<(), String> {
        let d = self.dialect();
        let mut statements = Vec::new();
        for t in &spec.tables {
            let columns: Vec<_> = t
                .columns
                .iter()
                .filter(|c| !matches!(c.special, Special::Generated { .. }))
                .collect();
            let overriding = columns
                .iter()
                .any(|c| matches!(c.special, Special::Identity(_)));
            for i in 0..spec.rows {
                let names: Vec<String> = columns.iter().map(|c| ident(&c.name, d)).collect();
                let values: Vec<String> = columns
                    .iter()
                    .map(|c| {
                        if i == 0 && nulls.contains(&(t.name.clone(), c.name.clone())) {
                            "NULL".to_string()
                        } else {
                            c.ty.value(i, d, spec)
                        }
                    })
                    .collect();
                statements.push(format!(
                    "INSERT INTO {} ({}){} VALUES ({})",
                    ident(&t.name, d),
                    names.join(", "),
                    if overriding {
                        " OVERRIDING SYSTEM VALUE"
                    } else {
                        ""
                    },
                    values.join(", ")
                ));
            }
        }
        let script = statements.join(";\n");
        match self {
            Db::Sqlite(conn) => {
                conn.execute_batch("PRAGMA foreign_keys = OFF")
                    .map_err(|e| e.to_string())?;
                let result = conn
                    .execute_batch(&script)
                    .map_err(|e| format!("{e}\n{script}"));
                let violations = foreign_key_violations(conn);
                conn.execute_batch("PRAGMA foreign_keys = ON")
                    .map_err(|e| e.to_string())?;
                result?;
                let violations = violations?;
                if violations.is_empty() {
                    Ok(())
                } else {
                    Err(format!(
                        "generated rows break foreign keys: {violations:?}\n{script}"
                    ))
                }
            }
            Db::Postgres(client) => {
                let wrapped = format!(
                    "SET session_replication_role = replica;\n{script};\nRESET session_replication_role"
                );
                let result = client.batch_execute(&wrapped).map_err(pg_error);
                if result.is_err() {
                    let _ = client.batch_execute("RESET session_replication_role");
                }
                result.map_err(|e| format!("{e}\n{script}"))
            }
        }
    }

    /// Deletes every row of every table (before `down.sql`, which may add
    /// back a NOT NULL column without a default).
    pub fn delete_rows(&mut self, schema: &Schema) -> Result<(), String> {
        let d = self.dialect();
        let script: Vec<String> = schema
            .tables
            .iter()
            .map(|t| format!("DELETE FROM {}", ident(&t.name.name, d)))
            .collect();
        let script = script.join(";\n");
        match self {
            Db::Sqlite(conn) => {
                conn.execute_batch("PRAGMA foreign_keys = OFF")
                    .map_err(|e| e.to_string())?;
                let result = conn.execute_batch(&script).map_err(|e| e.to_string());
                conn.execute_batch("PRAGMA foreign_keys = ON")
                    .map_err(|e| e.to_string())?;
                result
            }
            Db::Postgres(client) => {
                let wrapped = format!(
                    "SET session_replication_role = replica;\n{script};\nRESET session_replication_role"
                );
                client.batch_execute(&wrapped).map_err(pg_error)
            }
        }
    }

    /// `columns` of every row of `table`, as text, sorted.
    pub fn rows(&mut self, table: &str, columns: &[String]) -> Result<Rows, String> {
        let d = self.dialect();
        if columns.is_empty() {
            return Ok(Vec::new());
        }
        let select: Vec<String> = columns
            .iter()
            .map(|c| {
                let c = ident(c, d);
                match d {
                    Dialect::Sqlite => format!(
                        "CASE WHEN typeof({c}) = 'blob' THEN hex({c}) ELSE CAST({c} AS TEXT) END"
                    ),
                    Dialect::Postgres => format!("{c}::text"),
                }
            })
            .collect();
        let sql = format!("SELECT {} FROM {}", select.join(", "), ident(table, d));
        let mut rows: Rows = match self {
            Db::Sqlite(conn) => {
                let mut stmt = conn.prepare(&sql).map_err(|e| format!("{sql}: {e}"))?;
                let rows = stmt
                    .query_map([], |r| {
                        (0..columns.len())
                            .map(|i| r.get::<_, Option<String>>(i))
                            .collect::<Result<Vec<_>, _>>()
                    })
                    .map_err(|e| format!("{sql}: {e}"))?;
                rows.collect::<Result<_, _>>()
                    .map_err(|e| format!("{sql}: {e}"))?
            }
            Db::Postgres(client) => client
                .query(&sql, &[])
                .map_err(|e| format!("{sql}: {}", pg_error(e)))?
                .iter()
                .map(|r| (0..columns.len()).map(|i| r.get(i)).collect())
                .collect(),
        };
        rows.sort();
        Ok(rows)
    }
}

fn foreign_key_violations(conn: &rusqlite::Connection) -> Result<Vec<String>, String> {
    let mut stmt = conn
        .prepare("PRAGMA foreign_key_check")
        .map_err(|e| e.to_string())?;
    let rows = stmt
        .query_map([], |r| {
            Ok(format!(
                "{} row {:?} -> {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?
            ))
        })
        .map_err(|e| e.to_string())?;
    rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
}

/// The server's message with its detail, not just "db error".
fn pg_error(e: postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut s = format!("{}: {}", db.code().code(), db.message());
            if let Some(detail) = db.detail() {
                s.push_str(&format!(" ({detail})"));
            }
            s
        }
        None => e.to_string(),
    }
}
