//! PostgreSQL through the `postgres` crate, TLS through rustls (ring).
//!
//! One runner at a time: a session-level advisory lock keyed by the database
//! and the history table, taken by polling `pg_try_advisory_lock` so that a
//! runner that waits too long can say which backend holds it. Each migration
//! runs statement by statement (as `psql -f` does) inside one transaction
//! with its history row, so an error points at the statement that failed.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use migrate_build::Dialect;
use migrate_build::Schema;
use migrate_build::dialect::quote;
use postgres::error::ErrorPosition;
use postgres::{Client, SimpleQueryMessage, SimpleQueryRow, Transaction};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::pg_session::{PgSession, Session};
use super::{
    AppliedRow, ApplyOutcome, Database, DbError, LOCK_POLL, Located, RevertOutcome, Script,
    StatementHook, first_line, lock_timeout,
};
use crate::url::{PgOptions, SslMode};

pub struct Postgres<'c> {
    client: Session<'c>,
    display_url: String,
    /// Where the history table lives (created when missing).
    schema_name: String,
    table_name: String,
    /// `"schema"."table"`, for SQL text.
    history_table: String,
    lock_key: Option<i64>,
    /// `current_database()`, read at connect with the server's version.
    database: Option<String>,
    /// The history table as read with the run lock (in the lock's round
    /// trip): what `ensure_history_table` and `list_applied` would look up
    /// next. Forgotten by anything that may change it.
    facts: Option<HistoryFacts>,
    /// In a run's one transaction (`apply --single-transaction`): the
    /// history rows of the migrations run so far, written in one statement
    /// before the run commits.
    run: Option<Vec<String>>,
}

fn query(context: &'static str) -> impl FnOnce(postgres::Error) -> DbError {
    move |e| DbError::Query {
        context,
        message: server_message(&e),
    }
}

/// The server's words (severity, message, detail, hint), or the client's
/// error with its cause. Never contains the connection string.
fn server_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut out = format!(
                "{}: {} (SQLSTATE {})",
                db.severity(),
                db.message(),
                db.code().code()
            );
            if let Some(detail) = db.detail() {
                out.push_str(&format!("\nDETAIL: {detail}"));
            }
            if let Some(hint) = db.hint() {
                out.push_str(&format!("\nHINT: {hint}"));
            }
            out
        }
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

impl<'c> Postgres<'c> {
    /// Connects; `history_table` goes in `pg_schema` (default `public`).
    pub fn connect(
        options: &PgOptions,
        display_url: String,
        history_table: &str,
        pg_schema: Option<&str>,
    ) -> Result<Postgres<'c>, DbError> {
        let connect_err = |message: String| DbError::Connect {
            url: display_url.clone(),
            message,
        };
        let tls = tls_connector(options).map_err(&connect_err)?;
        let client = options
            .config
            .connect(tls)
            .map_err(|e| connect_err(server_message(&e)))?;
        let mut client = Session::Owned(Box::new(client));
        // History rows are written with quoted literals (one round trip
        // fewer than parameters): they need standard strings. The database's
        // name keys the run lock. A runner killed mid-statement would keep
        // the run lock until its statement ends; PostgreSQL 14+ can notice
        // the lost client sooner. All in one round trip.
        let first = client.simple_query(
            "SET standard_conforming_strings = on; \
             SELECT current_setting('server_version_num'), current_database(); \
             SELECT set_config('client_connection_check_interval', '1s', false) \
             WHERE current_setting('server_version_num')::int >= 140000",
        );
        let database = match first {
            Ok(messages) => results(messages)
                .get(1)
                .and_then(|rows| rows.first())
                .and_then(|r| r.get(1).map(str::to_string)),
            // Some platforms refuse the check interval, which undid the
            // whole query: the settings one by one, the interval's refusal
            // ignored (the lock then lasts longer, as before).
            Err(_) => {
                let messages = client
                    .simple_query(
                        "SET standard_conforming_strings = on; \
                         SELECT current_setting('server_version_num'), current_database()",
                    )
                    .map_err(|e| connect_err(server_message(&e)))?;
                let rows = results(messages);
                let row = rows.get(1).and_then(|rows| rows.first());
                let version = row
                    .and_then(|r| r.get(0))
                    .and_then(|v| v.parse::<u32>().ok())
                    .unwrap_or(0);
                if version >= 140_000 {
                    let _ = client.batch_execute("SET client_connection_check_interval = '1s'");
                }
                row.and_then(|r| r.get(1).map(str::to_string))
            }
        };
        let mut pg = Postgres::new(client, display_url, history_table, pg_schema);
        pg.database = database;
        Ok(pg)
    }

    /// The application's own connection (an application applying its
    /// embedded migrations). History rows are written with quoted literals,
    /// so `standard_conforming_strings` is set on, as at connect (the
    /// default since PostgreSQL 9.1).
    pub fn on_client(
        client: &'c mut Client,
        display_url: String,
        history_table: &str,
        pg_schema: Option<&str>,
    ) -> Result<Postgres<'c>, DbError> {
        client
            .batch_execute("SET standard_conforming_strings = on")
            .map_err(|e| DbError::Connect {
                url: display_url.clone(),
                message: server_message(&e),
            })?;
        Ok(Postgres::new(
            Session::Borrowed(client),
            display_url,
            history_table,
            pg_schema,
        ))
    }

    /// The driver on an application's connection of another kind (an
    /// async client); see [`Postgres::on_client`].
    pub fn on_session(
        mut client: Session<'c>,
        display_url: String,
        history_table: &str,
        pg_schema: Option<&str>,
    ) -> Result<Postgres<'c>, DbError> {
        client
            .batch_execute("SET standard_conforming_strings = on")
            .map_err(|e| DbError::Connect {
                url: display_url.clone(),
                message: server_message(&e),
            })?;
        Ok(Postgres::new(client, display_url, history_table, pg_schema))
    }

    fn new(
        client: Session<'c>,
        display_url: String,
        history_table: &str,
        pg_schema: Option<&str>,
    ) -> Postgres<'c> {
        let schema_name = pg_schema.unwrap_or("public").to_string();
        let history = format!(
            "{}.{}",
            quote::ident(&schema_name, Dialect::Postgres),
            quote::ident(history_table, Dialect::Postgres)
        );
        Postgres {
            client,
            display_url,
            schema_name,
            table_name: history_table.to_string(),
            history_table: history,
            lock_key: None,
            database: None,
            facts: None,
            run: None,
        }
    }

    /// The blocking connection, for tests; `None` on an async client.
    pub fn client(&mut self) -> Option<&mut Client> {
        self.client.blocking()
    }

    /// The session, blocking or not, for the queries every client runs.
    pub fn session(&mut self) -> &mut (dyn PgSession + 'c) {
        &mut *self.client
    }

    /// What only a blocking client does.
    fn blocking(&mut self, what: &str) -> Result<&mut Client, DbError> {
        self.client.blocking().ok_or_else(|| {
            DbError::Unsupported(format!("{what} needs a blocking postgres::Client"))
        })
    }

    /// Looks the history table up in the catalog: its schema, whether it
    /// exists, its columns. One query of [`Self::facts_sql`]'s two statements.
    fn facts_sql(&self) -> String {
        let schema = quote::string(&self.schema_name);
        let table = quote::string(&self.table_name);
        format!(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = {schema}), \
             EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = {schema} AND c.relname = {table} AND c.relkind IN ('r', 'p')); \
             SELECT a.attname::text, format_type(a.atttypid, NULL) \
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = {schema} AND c.relname = {table} AND a.attnum > 0 AND NOT a.attisdropped"
        )
    }

    /// The history table's catalog facts, from the cache the run lock
    /// filled, else from the server.
    fn take_facts(&mut self) -> Result<HistoryFacts, DbError> {
        if let Some(facts) = self.facts.take() {
            return Ok(facts);
        }
        let sql = self.facts_sql();
        let messages = self
            .client
            .simple_query(&sql)
            .map_err(query("looking for the history table"))?;
        Ok(HistoryFacts::read(&results(messages)))
    }

    /// A stable key per database and history table: two workspaces with
    /// separate history tables in one database do not wait for each other.
    fn compute_lock_key(&mut self) -> Result<i64, DbError> {
        let database = match &self.database {
            Some(d) => d.clone(),
            None => {
                let messages = self
                    .client
                    .simple_query("SELECT current_database()")
                    .map_err(query("reading the database name"))?;
                let name = results(messages)
                    .first()
                    .and_then(|rows| rows.first())
                    .and_then(|r| r.get(0).map(str::to_string))
                    .ok_or_else(|| DbError::Query {
                        context: "reading the database name",
                        message: "the server returned no row".to_string(),
                    })?;
                self.database = Some(name.clone());
                name
            }
        };
        let digest = migrate_build::migrations::checksum(
            format!("cargo-migrate\0{database}\0{}", self.history_table).as_bytes(),
        );
        let hex = digest.get(..16).unwrap_or("0");
        let bits = u64::from_str_radix(hex, 16).unwrap_or(0);
        Ok(i64::from_ne_bytes(bits.to_ne_bytes()))
    }

    /// Who holds the advisory lock `key`, for the timeout message.
    fn lock_holder(&mut self, key: i64) -> String {
        let bits = u64::from_ne_bytes(key.to_ne_bytes());
        let classid = i64::try_from(bits >> 32).unwrap_or(0);
        let objid = i64::try_from(bits & 0xffff_ffff).unwrap_or(0);
        let row = self.client.query_opt(
            "SELECT l.pid, coalesce(a.application_name, ''), coalesce(a.client_addr::text, 'local'), \
                    coalesce(to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"'), '?') \
             FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
               AND l.classid::bigint = $1 AND l.objid::bigint = $2 \
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
             LIMIT 1",
            &[&classid, &objid],
        );
        match row {
            Ok(Some(r)) => {
                let pid: i32 = r.get(0);
                let app: String = r.get(1);
                let addr: String = r.get(2);
                let since: String = r.get(3);
                let app = if app.is_empty() {
                    String::new()
                } else {
                    format!("{app}, ")
                };
                format!("backend pid {pid} ({app}client {addr}, connected since {since}) holds it")
            }
            Ok(None) => "it was released just now; try again".to_string(),
            Err(e) => format!("could not read pg_locks: {}", server_message(&e)),
        }
    }

    /// `BEGIN` and the history row's state, in one simple query. Versions
    /// come from file names; `quote::string` makes them literals under
    /// `standard_conforming_strings`, which is checked at connect.
    fn begin_and_check(&mut self, version: &str) -> Result<Option<bool>, DbError> {
        let sql = format!(
            "BEGIN; SELECT success FROM {} WHERE version = {}",
            self.history_table,
            quote::string(version)
        );
        let messages = match self.client.simple_query(&sql) {
            Ok(m) => m,
            Err(e) => {
                self.rollback();
                return Err(query("reading the history table")(e));
            }
        };
        for m in messages {
            if let postgres::SimpleQueryMessage::Row(row) = m {
                return Ok(Some(matches!(row.get(0), Some("t"))));
            }
        }
        Ok(None)
    }

    /// Ends a transaction that failed or has nothing to do. A broken
    /// connection fails the next call anyway: nothing to add here.
    /// Sends the history change and its COMMIT in one round trip. The
    /// server's own error aborted the transaction; a broken connection may
    /// have come before or after the COMMIT, which is then not known.
    fn commit_with_history(&mut self, finish: &str) -> Result<(), DbError> {
        let Err(e) = self.client.batch_execute(finish) else {
            return Ok(());
        };
        let known = e.as_db_error().is_some();
        self.rollback();
        Err(if known {
            query("writing the history table")(e)
        } else {
            DbError::CommitUnknown {
                context: "writing the history table and committing",
                message: server_message(&e),
            }
        })
    }

    fn rollback(&mut self) {
        let _ = self.client.batch_execute("ROLLBACK");
    }

    fn row_success(
        tx: &mut dyn PgSession,
        history: &str,
        version: &str,
    ) -> Result<Option<bool>, DbError> {
        tx.query_opt(
            &format!("SELECT success FROM {history} WHERE version = $1"),
            &[&version],
        )
        .map(|r| r.map(|r| r.get(0)))
        .map_err(query("reading the history table"))
    }

    /// The history row with COMMIT, ending a migration's transaction.
    fn finish_apply(
        &mut self,
        up: &Script<'_>,
        elapsed: Duration,
    ) -> Result<ApplyOutcome, DbError> {
        let history = &self.history_table;
        let ms = i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX);
        let finish = format!(
            "INSERT INTO {history} (version, name, checksum, applied_at, execution_ms, success) \
             VALUES ({}, {}, {}, now(), {ms}, true); COMMIT",
            quote::string(up.version),
            quote::string(up.name),
            quote::string(&up.checksum),
        );
        self.commit_with_history(&finish)?;
        Ok(ApplyOutcome::Applied { elapsed })
    }

    fn insert_history(
        tx: &mut dyn PgSession,
        history: &str,
        script: &Script<'_>,
        success: bool,
        elapsed: Duration,
        error: Option<&str>,
    ) -> Result<(), DbError> {
        let ms = i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX);
        tx.execute(
            &format!(
                "INSERT INTO {history} (version, name, checksum, applied_at, execution_ms, success, error) \
                 VALUES ($1, $2, $3, now(), $4, $5, $6)"
            ),
            &[&script.version, &script.name, &script.checksum, &ms, &success, &error],
        )
        .map(|_| ())
        .map_err(query("writing the history table"))
    }
}

/// A migration another runner recorded while this one waited: applied, or
/// failed there.
fn already(up: &Script<'_>, success: bool) -> Result<ApplyOutcome, DbError> {
    if success {
        Ok(ApplyOutcome::AlreadyApplied)
    } else {
        Err(DbError::FailedElsewhere {
            version: up.version.to_string(),
        })
    }
}

/// The history table as the catalog shows it.
#[derive(Debug, Clone)]
struct HistoryFacts {
    schema_exists: bool,
    /// Its columns and their types; `None` when there is no such table.
    columns: Option<Vec<(String, String)>>,
}

impl HistoryFacts {
    /// From the results of [`Postgres::facts_sql`]'s two statements.
    fn read(sets: &[Vec<SimpleQueryRow>]) -> HistoryFacts {
        let flags = sets.first().and_then(|rows| rows.first());
        let flag = |i: usize| flags.and_then(|r| r.get(i)) == Some("t");
        let columns = sets.get(1).map(|rows| {
            rows.iter()
                .map(|r| {
                    (
                        r.get(0).unwrap_or_default().to_string(),
                        r.get(1).unwrap_or_default().to_string(),
                    )
                })
                .collect()
        });
        HistoryFacts {
            schema_exists: flag(0),
            columns: if flag(1) { columns } else { None },
        }
    }
}

/// A simple query's rows, statement by statement.
fn results(messages: Vec<SimpleQueryMessage>) -> Vec<Vec<SimpleQueryRow>> {
    let mut out = Vec::new();
    let mut rows = Vec::new();
    for m in messages {
        match m {
            SimpleQueryMessage::Row(r) => rows.push(r),
            SimpleQueryMessage::CommandComplete(_) => out.push(std::mem::take(&mut rows)),
            _ => {}
        }
    }
    out
}

/// The history table's columns against what the runner reads and writes:
/// every problem, each naming the column and what it should be.
fn check_history_shape(table: &str, columns: &[(String, String)]) -> Result<(), DbError> {
    const TEXT: &[&str] = &["text", "character varying"];
    let expected: [(&str, &[&str], &str); 7] = [
        ("version", TEXT, "text"),
        ("name", TEXT, "text"),
        ("checksum", TEXT, "text"),
        (
            "applied_at",
            &["timestamp with time zone", "timestamp without time zone"],
            "timestamptz",
        ),
        ("execution_ms", &["bigint"], "bigint"),
        ("success", &["boolean"], "boolean"),
        ("error", TEXT, "text"),
    ];
    let mut problems = Vec::new();
    for (name, accepted, want) in expected {
        match columns.iter().find(|(c, _)| c == name) {
            None => problems.push(format!("there is no column `{name}` (it should be {want})")),
            Some((_, ty)) if !accepted.contains(&ty.as_str()) => {
                problems.push(format!("column `{name}` is {ty}; it should be {want}"))
            }
            Some(_) => {}
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(DbError::HistoryShape {
            table: table.to_string(),
            problems,
        })
    }
}

/// Runs each statement as one simple query, as `psql -f` does; a failure
/// names the file, and the line and column of the server's error position
/// inside the statement (else of the statement's start).
fn run_script(
    client: &mut dyn PgSession,
    script: &Script<'_>,
    hook: StatementHook<'_>,
) -> Result<(), DbError> {
    run_statements(client, script, 0, hook)
}

/// [`run_script`] from statement `from` on.
fn run_statements(
    client: &mut dyn PgSession,
    script: &Script<'_>,
    from: usize,
    hook: StatementHook<'_>,
) -> Result<(), DbError> {
    for (i, st) in script.statements.iter().enumerate().skip(from) {
        hook(st.text);
        let result = match migrate_build::ddl::copy_from_stdin(st.text) {
            Some((command, data)) => match client.copy_in(command, data.as_bytes()) {
                Some(done) => done.map(|_| ()),
                None => {
                    return Err(DbError::Statement {
                        path: script.path.clone(),
                        line: st.line,
                        column: st.column,
                        statement: first_line(st.text),
                        message: "COPY … FROM stdin needs a blocking connection: apply this migration with `cargo migrate apply` or a `postgres::Client`".to_string(),
                    });
                }
            },
            None => client.batch_execute(st.text),
        };
        if let Err(e) = result {
            return Err(statement_error(script, i, st, &e, 0));
        }
    }
    Ok(())
}

/// The error of statement `i` of `script`, sent after `offset` characters
/// of other statements in the same query.
fn statement_error(
    script: &Script<'_>,
    i: usize,
    st: &Located<'_>,
    e: &postgres::Error,
    offset: usize,
) -> DbError {
    let total = script.statements.len();
    let (line, column) = error_location(st, e, offset);
    let mut message = server_message(e);
    if script.no_transaction && i > 0 {
        message.push_str(&format!(
            "\n(statement {} of {total}; the {i} before it ran outside a transaction and stay applied)",
            i + 1
        ));
    }
    DbError::Statement {
        path: script.path.clone(),
        line,
        column,
        statement: first_line(st.text),
        message,
    }
}

/// PostgreSQL's position is 1-based, in characters of the query sent; the
/// statement starts after `offset` characters of it.
fn error_location(st: &Located<'_>, e: &postgres::Error, offset: usize) -> (usize, usize) {
    let position = match error_position(e) {
        Some(p) if p > offset => p - offset,
        _ => return (st.line, st.column),
    };
    let (mut line, mut column) = (st.line, st.column);
    for c in st.text.chars().take(position.saturating_sub(1)) {
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

fn error_position(e: &postgres::Error) -> Option<usize> {
    match e.as_db_error().and_then(|d| d.position()) {
        Some(ErrorPosition::Original(p)) => Some(*p as usize),
        Some(ErrorPosition::Internal { .. }) | None => None,
    }
}

impl Database for Postgres<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn table_exists(&mut self, table: &str) -> Result<bool, DbError> {
        self.client
            .query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])
            .map(|r| r.get::<_, bool>(0))
            .map_err(query("looking for a table"))
    }

    fn select_text(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, DbError> {
        use postgres::types::Type;
        let rows = self
            .client
            .query(sql, &[])
            .map_err(query("reading a table"))?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let mut values = Vec::with_capacity(r.len());
            for (i, column) in r.columns().iter().enumerate() {
                let bad = |e: postgres::Error| DbError::Query {
                    context: "reading a table",
                    message: e.to_string(),
                };
                let ty = column.type_();
                let value = if *ty == Type::BOOL {
                    r.try_get::<_, Option<bool>>(i)
                        .map_err(bad)?
                        .map(|b| if b { "1" } else { "0" }.to_string())
                } else if *ty == Type::INT8 {
                    r.try_get::<_, Option<i64>>(i)
                        .map_err(bad)?
                        .map(|n| n.to_string())
                } else if *ty == Type::INT4 {
                    r.try_get::<_, Option<i32>>(i)
                        .map_err(bad)?
                        .map(|n| n.to_string())
                } else if *ty == Type::INT2 {
                    r.try_get::<_, Option<i16>>(i)
                        .map_err(bad)?
                        .map(|n| n.to_string())
                } else if *ty == Type::BYTEA {
                    r.try_get::<_, Option<Vec<u8>>>(i)
                        .map_err(bad)?
                        .map(|b| super::hex_lower(&b))
                } else {
                    r.try_get::<_, Option<String>>(i).map_err(bad)?
                };
                values.push(value);
            }
            out.push(values);
        }
        Ok(out)
    }

    fn display_url(&self) -> String {
        self.display_url.clone()
    }

    fn lock(&mut self) -> Result<(), DbError> {
        let key = self.compute_lock_key()?;
        let timeout = lock_timeout();
        let start = Instant::now();
        // The history table is looked up in the same round trip, after the
        // lock in the same snapshot: what a runner reads next, once it holds
        // the lock. Read for nothing while another runner holds it.
        let sql = format!("SELECT pg_try_advisory_lock({key}); {}", self.facts_sql());
        loop {
            self.facts = None;
            let sets = results(
                self.client
                    .simple_query(&sql)
                    .map_err(query("taking the migration lock"))?,
            );
            let taken = sets
                .first()
                .and_then(|rows| rows.first())
                .and_then(|r| r.get(0));
            if taken == Some("t") {
                self.lock_key = Some(key);
                self.facts = Some(HistoryFacts::read(&sets[1..]));
                return Ok(());
            }
            if start.elapsed() >= timeout {
                let holder = self.lock_holder(key);
                return Err(DbError::Locked {
                    url: self.display_url.clone(),
                    waited: timeout,
                    holder,
                    hint: Some(
                        "the holder may be a client that died: its backend keeps the lock until the server \
                         notices the lost connection (client_connection_check_interval, PostgreSQL 14+) or its \
                         statement ends; `SELECT pg_terminate_backend(<pid>)` releases it now"
                            .to_string(),
                    ),
                });
            }
            std::thread::sleep(LOCK_POLL);
        }
    }

    fn unlock(&mut self) -> Result<(), DbError> {
        self.facts = None;
        if let Some(key) = self.lock_key.take() {
            self.client
                .batch_execute(&format!("SELECT pg_advisory_unlock({key})"))
                .map_err(query("releasing the migration lock"))?;
        }
        Ok(())
    }

    fn ensure_history_table(&mut self) -> Result<(), DbError> {
        let facts = self.take_facts()?;
        if facts.columns.is_some() {
            self.facts = Some(facts);
            return Ok(());
        }
        // CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege even when
        // the schema exists: only when it does not.
        if !facts.schema_exists {
            self.client
                .batch_execute(&format!(
                    "CREATE SCHEMA IF NOT EXISTS {}",
                    quote::ident(&self.schema_name, Dialect::Postgres)
                ))
                .map_err(query("creating the history table's schema"))?;
        }
        // Looked up again in the same round trip: IF NOT EXISTS skips a
        // relation of that name of any kind.
        let sql = format!(
            "CREATE TABLE IF NOT EXISTS {} (
                    version text PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    execution_ms bigint NOT NULL,
                    success boolean NOT NULL,
                    error text
                ); {}",
            self.history_table,
            self.facts_sql()
        );
        let sets = results(
            self.client
                .simple_query(&sql)
                .map_err(query("creating the history table"))?,
        );
        self.facts = Some(HistoryFacts::read(sets.get(1..).unwrap_or_default()));
        Ok(())
    }

    fn list_applied(&mut self) -> Result<Vec<AppliedRow>, DbError> {
        let Some(columns) = self.take_facts()?.columns else {
            return Ok(Vec::new());
        };
        check_history_shape(&self.history_table, &columns)?;
        let messages = self
            .client
            .simple_query(&format!(
                "SELECT version, name, checksum, \
                 to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), \
                 execution_ms, success, error FROM {} ORDER BY version",
                self.history_table
            ))
            .map_err(query("reading the history table"))?;
        let shape = |problem: String| DbError::HistoryShape {
            table: self.history_table.clone(),
            problems: vec![problem],
        };
        let rows = results(messages).into_iter().next().unwrap_or_default();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            // A column the shape check let through may still hold NULLs.
            let Some(version) = r.get(0).map(str::to_string) else {
                return Err(shape("a row has a NULL `version`".to_string()));
            };
            let text = |i: usize, column: &str| -> Result<String, DbError> {
                match r.get(i) {
                    Some(v) => Ok(v.to_string()),
                    None => Err(shape(format!("row {version}: `{column}` is NULL"))),
                }
            };
            let name = text(1, "name")?;
            let checksum = text(2, "checksum")?;
            let applied_at = text(3, "applied_at")?;
            let execution_ms = text(4, "execution_ms")?
                .parse::<i64>()
                .map_err(|e| shape(format!("row {version}: `execution_ms`: {e}")))?;
            // Booleans in the text format.
            let success = match text(5, "success")?.as_str() {
                "t" => true,
                "f" => false,
                other => {
                    return Err(shape(format!(
                        "row {version}: `success` is `{other}`, not a boolean"
                    )));
                }
            };
            let error = r.get(6).map(str::to_string);
            out.push(AppliedRow {
                version,
                name,
                checksum,
                applied_at,
                execution_ms,
                success,
                error,
            });
        }
        Ok(out)
    }

    fn apply(&mut self, up: &Script<'_>, hook: StatementHook<'_>) -> Result<ApplyOutcome, DbError> {
        self.facts = None;
        let history = self.history_table.clone();
        if up.no_transaction {
            if Self::row_success(&mut *self.client, &history, up.version)?.is_some() {
                return Ok(ApplyOutcome::AlreadyApplied);
            }
            let start = Instant::now();
            run_script(&mut *self.client, up, hook)?;
            let elapsed = start.elapsed();
            Self::insert_history(&mut *self.client, &history, up, true, elapsed, None)?;
            return Ok(ApplyOutcome::Applied { elapsed });
        }
        if self.run.is_some() {
            // Under the run lock, read after the lock was taken: no other
            // runner can have applied it. One round trip per statement, as
            // `psql -1`; the history rows go in with the commit.
            let start = Instant::now();
            run_script(&mut *self.client, up, hook)?;
            let elapsed = start.elapsed();
            let ms = i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX);
            let row = format!(
                "({}, {}, {}, now(), {ms}, true)",
                quote::string(up.version),
                quote::string(up.name),
                quote::string(&up.checksum),
            );
            if let Some(rows) = self.run.as_mut() {
                rows.push(row);
            }
            return Ok(ApplyOutcome::Applied { elapsed });
        }
        // Two round trips for a one-statement migration (psql -f needs one):
        // BEGIN with the history check and the first statement, then the
        // row with COMMIT. A COPY streams its data: it goes on its own.
        let start = Instant::now();
        let first = up
            .statements
            .first()
            .filter(|st| migrate_build::ddl::copy_from_stdin(st.text).is_none());
        let Some(first) = first else {
            if let Some(success) = self.begin_and_check(up.version)? {
                self.rollback();
                return already(up, success);
            }
            if let Err(e) = run_script(&mut *self.client, up, hook) {
                self.rollback();
                return Err(e);
            }
            return self.finish_apply(up, start.elapsed());
        };
        let prefix = format!(
            "BEGIN; SELECT success FROM {history} WHERE version = {}; ",
            quote::string(up.version)
        );
        hook(first.text);
        match self.client.simple_query(&format!("{prefix}{}", first.text)) {
            Ok(messages) => {
                // Another runner's row: the statement ran in a transaction
                // that goes back, as if it had not been started.
                let row = results(messages)
                    .get(1)
                    .and_then(|rows| rows.first().map(|r| r.get(0) == Some("t")));
                if let Some(success) = row {
                    self.rollback();
                    return already(up, success);
                }
            }
            Err(e) => {
                self.rollback();
                // The statement may have failed for being applied already:
                // the check's answer, as it would have come first.
                if let Ok(Some(success)) =
                    Self::row_success(&mut *self.client, &history, up.version)
                {
                    return already(up, success);
                }
                let offset = prefix.chars().count();
                if error_position(&e).is_some_and(|p| p <= offset) {
                    return Err(query("reading the history table")(e));
                }
                return Err(statement_error(up, 0, first, &e, offset));
            }
        }
        if let Err(e) = run_statements(&mut *self.client, up, 1, hook) {
            self.rollback();
            return Err(e);
        }
        self.finish_apply(up, start.elapsed())
    }

    fn revert(
        &mut self,
        down: &Script<'_>,
        hook: StatementHook<'_>,
    ) -> Result<RevertOutcome, DbError> {
        self.facts = None;
        let history = self.history_table.clone();
        let delete = format!("DELETE FROM {history} WHERE version = $1");
        if down.no_transaction {
            if Self::row_success(&mut *self.client, &history, down.version)? != Some(true) {
                return Ok(RevertOutcome::NotApplied);
            }
            let start = Instant::now();
            run_script(&mut *self.client, down, hook)?;
            self.client
                .execute(&delete, &[&down.version])
                .map_err(query("writing the history table"))?;
            return Ok(RevertOutcome::Reverted {
                elapsed: start.elapsed(),
            });
        }
        if self.begin_and_check(down.version)? != Some(true) {
            self.rollback();
            return Ok(RevertOutcome::NotApplied);
        }
        let start = Instant::now();
        if let Err(e) = run_script(&mut *self.client, down, hook) {
            self.rollback();
            return Err(e);
        }
        let finish = format!(
            "DELETE FROM {history} WHERE version = {}; COMMIT",
            quote::string(down.version)
        );
        self.commit_with_history(&finish)?;
        Ok(RevertOutcome::Reverted {
            elapsed: start.elapsed(),
        })
    }

    fn begin_run(&mut self) -> Result<(), DbError> {
        self.facts = None;
        self.client.batch_execute("BEGIN").map_err(query("BEGIN"))?;
        self.run = Some(Vec::new());
        Ok(())
    }

    fn end_run(&mut self, commit: bool) -> Result<(), DbError> {
        let Some(rows) = self.run.take() else {
            return Ok(());
        };
        if !commit {
            self.rollback();
            return Ok(());
        }
        let mut finish = String::new();
        if !rows.is_empty() {
            finish = format!(
                "INSERT INTO {} (version, name, checksum, applied_at, execution_ms, success) VALUES {}; ",
                self.history_table,
                rows.join(", ")
            );
        }
        finish.push_str("COMMIT");
        self.commit_with_history(&finish)?;
        Ok(())
    }

    fn record_failure(&mut self, up: &Script<'_>, error: &str) -> Result<(), DbError> {
        self.facts = None;
        let history = self.history_table.clone();
        // `text` cannot hold NUL, and the error quotes the statement.
        let error = error.replace('\0', "\\0");
        Self::insert_history(
            &mut *self.client,
            &history,
            up,
            false,
            Duration::ZERO,
            Some(&error),
        )
    }

    fn resolve_applied(&mut self, version: &str, checksum: &str) -> Result<bool, DbError> {
        self.facts = None;
        let n = self
            .client
            .execute(
                &format!(
                    "UPDATE {} SET success = true, error = NULL, checksum = $2, applied_at = now() \
                     WHERE version = $1 AND NOT success",
                    self.history_table
                ),
                &[&version, &checksum],
            )
            .map_err(query("writing the history table"))?;
        Ok(n > 0)
    }

    fn resolve_rolled_back(&mut self, version: &str) -> Result<bool, DbError> {
        self.facts = None;
        let n = self
            .client
            .execute(
                &format!(
                    "DELETE FROM {} WHERE version = $1 AND NOT success",
                    self.history_table
                ),
                &[&version],
            )
            .map_err(query("writing the history table"))?;
        Ok(n > 0)
    }

    /// Drops every extension and every schema but the system ones (the
    /// history table's too), then recreates `public` as PostgreSQL makes it.
    fn drop_everything(&mut self) -> Result<(), DbError> {
        self.facts = None;
        let mut tx = self
            .blocking("dropping everything")?
            .transaction()
            .map_err(query("BEGIN"))?;
        let extensions: Vec<String> = tx
            .query(
                "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'",
                &[],
            )
            .map_err(query("listing extensions"))?
            .into_iter()
            .map(|r| r.get(0))
            .collect();
        let schemas: Vec<String> = tx
            .query(
                "SELECT nspname FROM pg_namespace \
                 WHERE nspname NOT IN ('pg_catalog', 'information_schema') \
                   AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%'",
                &[],
            )
            .map_err(query("listing schemas"))?
            .into_iter()
            .map(|r| r.get(0))
            .collect();
        let mut sql = String::new();
        for e in &extensions {
            sql.push_str(&format!(
                "DROP EXTENSION IF EXISTS {} CASCADE;\n",
                quote::ident(e, Dialect::Postgres)
            ));
        }
        for s in &schemas {
            sql.push_str(&format!(
                "DROP SCHEMA IF EXISTS {} CASCADE;\n",
                quote::ident(s, Dialect::Postgres)
            ));
        }
        // PostgreSQL 15's default: owned by the database owner, usable by everyone.
        sql.push_str(
            "CREATE SCHEMA public AUTHORIZATION pg_database_owner;\n\
             GRANT USAGE ON SCHEMA public TO PUBLIC;\n\
             COMMENT ON SCHEMA public IS 'standard public schema';",
        );
        tx.batch_execute(&sql)
            .map_err(query("dropping every schema"))?;
        commit(tx)
    }

    fn introspect(&mut self) -> Result<Schema, DbError> {
        let ignore = format!("{}.{}", self.schema_name, self.table_name);
        let mut schema = crate::introspect::postgres::introspect(
            self.blocking("introspection")?,
            &[],
            &[ignore.as_str()],
        )
        .map_err(|e| DbError::Introspect(e.to_string()))?;
        // The history table's own schema is ours, not the user's, unless
        // something of theirs lives in it.
        if self.schema_name != "public" && !holds_objects(&schema, &self.schema_name) {
            schema.namespaces.retain(|n| n != &self.schema_name);
        }
        Ok(schema)
    }

    fn count(&mut self, query: &str) -> Result<u64, DbError> {
        let err = |e: postgres::Error| DbError::Query {
            context: "counting rows",
            message: e.to_string(),
        };
        // Read only, and rolled back: the query comes with expressions of
        // the user's migrations.
        let mut tx = self
            .blocking("counting rows")?
            .build_transaction()
            .read_only(true)
            .start()
            .map_err(err)?;
        let row = tx.query_one(query, &[]).map_err(err)?;
        let n: i64 = row.try_get(0).map_err(err)?;
        tx.rollback().map_err(err)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn run_unrecorded(
        &mut self,
        scripts: &[Script<'_>],
        hook: StatementHook<'_>,
    ) -> Result<(), DbError> {
        self.facts = None;
        self.client.batch_execute("BEGIN").map_err(query("BEGIN"))?;
        for script in scripts {
            if let Err(e) = run_script(&mut *self.client, script, &mut *hook) {
                self.rollback();
                return Err(e);
            }
        }
        if let Err(e) = self.client.batch_execute("COMMIT") {
            self.rollback();
            return Err(query("COMMIT")(e));
        }
        Ok(())
    }

    fn table_rows(
        &mut self,
        table: &migrate_build::schema::QualifiedName,
        columns: &[String],
    ) -> Result<Vec<String>, DbError> {
        let name = match &table.schema {
            Some(schema) => format!(
                "{}.{}",
                quote::ident(schema, Dialect::Postgres),
                quote::ident(&table.name, Dialect::Postgres)
            ),
            None => quote::ident(&table.name, Dialect::Postgres),
        };
        let row = columns
            .iter()
            .map(|c| quote::ident(c, Dialect::Postgres))
            .collect::<Vec<_>>()
            .join(", ");
        // The row's text form: every type has one, and equal rows give equal text.
        let sql = format!("SELECT CAST(ROW({row}) AS text) FROM {name}");
        let mut rows: Vec<String> = self
            .client
            .simple_query(&sql)
            .map_err(query("reading table rows"))?
            .into_iter()
            .filter_map(|m| match m {
                postgres::SimpleQueryMessage::Row(r) => {
                    Some(r.get(0).unwrap_or("NULL").to_string())
                }
                _ => None,
            })
            .collect();
        rows.sort();
        Ok(rows)
    }
}

fn holds_objects(schema: &Schema, namespace: &str) -> bool {
    let is = |s: &Option<String>| s.as_deref() == Some(namespace);
    schema.tables.iter().any(|t| is(&t.name.schema))
        || schema.views.iter().any(|v| is(&v.name.schema))
        || schema.enums.iter().any(|e| is(&e.name.schema))
        || schema.sequences.iter().any(|s| is(&s.name.schema))
        || schema.indexes.iter().any(|i| is(&i.name.schema))
        || schema.opaque.iter().any(|o| is(&o.name.schema))
}

fn commit(tx: Transaction<'_>) -> Result<(), DbError> {
    tx.commit().map_err(query("COMMIT"))
}

// ------------------------------------------------------------------- TLS

/// libpq's sslmode on rustls: `require` and weaker encrypt without checking
/// the certificate (as libpq does without a root certificate), `verify-ca`
/// checks the chain, `verify-full` the chain and the host name.
fn tls_connector(options: &PgOptions) -> Result<MakeRustlsConnect, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?;
    let config = match options.ssl_mode {
        SslMode::Disable | SslMode::Allow | SslMode::Prefer | SslMode::Require => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoCertificateCheck(provider)))
            .with_no_client_auth(),
        SslMode::VerifyCa | SslMode::VerifyFull => {
            let roots = root_store(options.root_cert.as_deref())?;
            let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| format!("TLS setup: {e}"))?;
            if options.ssl_mode == SslMode::VerifyFull {
                builder.with_webpki_verifier(webpki).with_no_client_auth()
            } else {
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(ChainOnly(webpki)))
                    .with_no_client_auth()
            }
        }
    };
    Ok(MakeRustlsConnect::new(config))
}

fn root_store(root_cert: Option<&Path>) -> Result<RootCertStore, String> {
    use rustls::pki_types::pem::PemObject;
    let mut roots = RootCertStore::empty();
    match root_cert {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path)
                .map_err(|e| format!("sslrootcert {}: {e}", path.display()))?;
            for cert in certs {
                let cert = cert.map_err(|e| format!("sslrootcert {}: {e}", path.display()))?;
                roots
                    .add(cert)
                    .map_err(|e| format!("sslrootcert {}: {e}", path.display()))?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    Ok(roots)
}

#[derive(Debug)]
struct NoCertificateCheck(Arc<CryptoProvider>);

impl ServerCertVerifier for NoCertificateCheck {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must be trusted; the name in it is not compared.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}
