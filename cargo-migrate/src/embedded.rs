//! Migrations inside the application: written into `OUT_DIR` by the build
//! script (`migrate_build::Check::new().embed_migrations()`), included with
//! [`embed_migrations!`](crate::embed_migrations), and applied at start-up by
//! the same runner and drivers as `cargo migrate apply`: same history table,
//! checksums, run lock, transactions, failure rows and refusals, so
//! `cargo migrate status` and the application see each other's work.
//!
//! ```text
//! static MIGRATIONS: cargo_migrate::embedded::Migrations = cargo_migrate::embed_migrations!();
//! let mut conn = rusqlite::Connection::open("app.db")?;
//! MIGRATIONS.run(&mut conn)?;
//! ```
//!
//! Nothing is read from disk at run time: the SQL is in the binary.

use std::path::PathBuf;

use migrate_build::migrations::{Migration, MigrationFile};

use crate::db::pg_session::PgSession;
use crate::db::postgres::Postgres;
use crate::db::sqlite::Sqlite;
use crate::db::{Database, DbError, Open};
use crate::output::Output;
use crate::runner::{self, RunnerError};
use crate::url::{UrlError, UrlSource};

pub use crate::runner::{ApplySummary, Entry, Report, State};
pub use migrate_build::Dialect;
/// The drivers' own versions, so that an application's connection is of the
/// type [`Connection`] is implemented for.
pub use postgres;
pub use rusqlite;

/// Includes the migrations the build script wrote into `OUT_DIR`, as a
/// [`Migrations`] value (a constant expression). With a folder name, those
/// written with `.out_dir(OUT_DIR/<folder>)` (a second set, for another
/// dialect).
#[macro_export]
macro_rules! embed_migrations {
    () => {
        include!(concat!(env!("OUT_DIR"), "/migrations.rs"))
    };
    ($folder:literal) => {
        include!(concat!(env!("OUT_DIR"), "/", $folder, "/migrations.rs"))
    };
}

/// One migration as the build script embedded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedMigration {
    pub version: &'static str,
    pub name: &'static str,
    /// Where `up.sql` was, relative to the directory of the manifest that
    /// holds the migrate configuration: for messages, as the CLI names it.
    pub up_path: &'static str,
    pub up: &'static str,
    pub down_path: Option<&'static str>,
    pub down: Option<&'static str>,
    /// Of `up`, as the history table records it.
    pub checksum: &'static str,
    pub no_transaction: bool,
}

/// Every migration of a workspace, embedded in version order, with the
/// history table the configuration names.
#[derive(Debug, Clone, Copy)]
pub struct Migrations {
    dialect: Dialect,
    history_table: &'static str,
    pg_schema: Option<&'static str>,
    migrations: &'static [EmbeddedMigration],
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Refusals, failed migrations and lock timeouts: the CLI's messages.
    #[error(transparent)]
    Runner(Box<RunnerError>),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Url(#[from] UrlError),
    #[error("the embedded migrations are for {expected}, but the connection is {found}")]
    WrongDialect { expected: Dialect, found: Dialect },
    #[error(
        "the embedded migrations run on a tokio_postgres::Client only inside the multi-threaded tokio runtime \
         (`#[tokio::main]`, or `flavor = \"multi_thread\"`): the connection's task must run while they do"
    )]
    Runtime,
    #[error(
        "embedded migration {version}_{name}: its checksum does not match its SQL (the generated file was edited); rebuild the application"
    )]
    Corrupt { version: String, name: String },
}

impl From<RunnerError> for Error {
    fn from(e: RunnerError) -> Self {
        Error::Runner(Box::new(e))
    }
}

/// A connection the embedded migrations can run on: `rusqlite::Connection`
/// and `postgres::Client`.
pub trait Connection {
    /// The connection as a migration target, with the configured history table.
    #[doc(hidden)]
    fn target<'c>(&'c mut self, m: &Migrations) -> Result<Box<dyn Database + 'c>, Error>;
}

impl Connection for rusqlite::Connection {
    fn target<'c>(&'c mut self, m: &Migrations) -> Result<Box<dyn Database + 'c>, Error> {
        let shown = match self.path() {
            Some(p) if !p.is_empty() => format!("sqlite:{p}"),
            _ => "sqlite::memory:".to_string(),
        };
        Ok(Box::new(Sqlite::on_connection(
            self,
            shown,
            m.history_table,
        )))
    }
}

impl Connection for postgres::Client {
    fn target<'c>(&'c mut self, m: &Migrations) -> Result<Box<dyn Database + 'c>, Error> {
        let shown = postgres_shown(self);
        Ok(Box::new(Postgres::on_client(
            self,
            shown,
            m.history_table,
            m.pg_schema,
        )?))
    }
}

/// The client does not know the URL it was made from: the server says
/// where it is, for messages (never a password).
fn postgres_shown(client: &mut dyn PgSession) -> String {
    client
            .query_one(
                "SELECT current_user::text, current_database()::text, \
                 coalesce(host(inet_server_addr()), 'localhost'), coalesce(inet_server_port(), 5432)",
                &[],
            )
            .map(|r| {
                format!(
                    "postgres://{}@{}:{}/{}",
                    r.get::<_, String>(0),
                    r.get::<_, String>(2),
                    r.get::<_, i32>(3),
                    r.get::<_, String>(1)
                )
            })
            .unwrap_or_else(|_| "postgres".to_string())
}

impl Migrations {
    /// Called by the code the build script generates.
    #[doc(hidden)]
    pub const fn new(
        dialect: Dialect,
        history_table: &'static str,
        pg_schema: Option<&'static str>,
        migrations: &'static [EmbeddedMigration],
    ) -> Migrations {
        Migrations {
            dialect,
            history_table,
            pg_schema,
            migrations,
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn migrations(&self) -> &'static [EmbeddedMigration] {
        self.migrations
    }

    /// Applies every pending migration on the application's connection,
    /// holding the run lock, as `cargo migrate apply` does. Refuses, with
    /// the CLI's message, when an applied migration differs from the
    /// embedded one, failed before, or is not embedded.
    pub fn run(&self, conn: &mut impl Connection) -> Result<ApplySummary, Error> {
        let mut db = conn.target(self)?;
        self.apply(db.as_mut())
    }

    /// [`Migrations::run`] on a database URL (`sqlite:path`, `postgres://…`),
    /// connected as the CLI connects (TLS by `sslmode`); messages show the
    /// URL as the CLI does, without its password. A SQLite file is created
    /// when missing; a relative path is relative to the current directory.
    pub fn run_url(&self, url: &str) -> Result<ApplySummary, Error> {
        let base = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let url = crate::url::parse(url, UrlSource::Application, &base, self.dialect)?;
        let mut db = crate::db::connect(
            &url,
            self.history_table,
            self.pg_schema,
            Open::CreateIfMissing,
        )?;
        self.apply(db.as_mut())
    }

    /// [`Migrations::run`] for an async application, on its
    /// `tokio_postgres::Client` (feature `tokio-postgres`). The runner is
    /// the blocking one: it runs in `tokio::task::block_in_place`, so the
    /// runtime must be the multi-threaded one (`#[tokio::main]`'s default),
    /// where the connection's task goes on running meanwhile.
    #[cfg(feature = "tokio-postgres")]
    pub async fn run_async(&self, client: &tokio_postgres::Client) -> Result<ApplySummary, Error> {
        use crate::db::pg_session::{Session, Tokio};
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| Error::Runtime)?;
        if runtime.runtime_flavor() != tokio::runtime::RuntimeFlavor::MultiThread {
            return Err(Error::Runtime);
        }
        tokio::task::block_in_place(|| {
            let mut session = Tokio { client, runtime };
            let shown = postgres_shown(&mut session);
            let mut db = Postgres::on_session(
                Session::Tokio(session),
                shown,
                self.history_table,
                self.pg_schema,
            )?;
            self.apply(&mut db)
        })
    }

    /// The embedded migrations against the history table, as
    /// `cargo migrate status` lists them (without the live-schema check).
    pub fn status(&self, conn: &mut impl Connection) -> Result<Report, Error> {
        let mut db = conn.target(self)?;
        self.same_dialect(db.as_mut())?;
        let local = self.runner_migrations()?;
        Ok(Report::compare(&local, &db.list_applied()?))
    }

    fn same_dialect(&self, db: &mut dyn Database) -> Result<(), Error> {
        if db.dialect() != self.dialect {
            return Err(Error::WrongDialect {
                expected: self.dialect,
                found: db.dialect(),
            });
        }
        Ok(())
    }

    fn apply(&self, db: &mut dyn Database) -> Result<ApplySummary, Error> {
        self.same_dialect(db)?;
        let local = self.runner_migrations()?;
        // Quiet: an application logs the summary as it likes. Warnings about
        // data still go to stderr, as the CLI prints them.
        let out = Output::plain(true, false);
        Ok(runner::apply(db, &local, None, false, &out)?)
    }

    /// The runner's own type, checked against the embedded checksums.
    fn runner_migrations(&self) -> Result<Vec<Migration>, Error> {
        self.migrations
            .iter()
            .map(|e| {
                let m = Migration {
                    version: e.version.to_string(),
                    name: e.name.to_string(),
                    up: MigrationFile {
                        path: PathBuf::from(e.up_path),
                        sql: e.up.to_string(),
                    },
                    down: match (e.down_path, e.down) {
                        (Some(path), Some(sql)) => Some(MigrationFile {
                            path: PathBuf::from(path),
                            sql: sql.to_string(),
                        }),
                        _ => None,
                    },
                    no_transaction: e.no_transaction,
                };
                if m.checksum() != e.checksum {
                    return Err(Error::Corrupt {
                        version: m.version,
                        name: m.name,
                    });
                }
                Ok(m)
            })
            .collect()
    }
}
