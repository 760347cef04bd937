//! What the PostgreSQL driver asks of its connection, so that one driver
//! runs on a blocking `postgres::Client` (the CLI's, or an application's)
//! and on an application's async `tokio_postgres::Client`.

use std::ops::{Deref, DerefMut};

use postgres::types::ToSql;
use postgres::{Client, Error, Row, SimpleQueryMessage};

pub type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// The calls the driver makes, with `postgres::Client`'s signatures.
pub trait PgSession {
    fn query(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>, Error>;
    fn query_one(&mut self, sql: &str, params: Params<'_>) -> Result<Row, Error>;
    fn query_opt(&mut self, sql: &str, params: Params<'_>) -> Result<Option<Row>, Error>;
    fn execute(&mut self, sql: &str, params: Params<'_>) -> Result<u64, Error>;
    fn batch_execute(&mut self, sql: &str) -> Result<(), Error>;
    fn simple_query(&mut self, sql: &str) -> Result<Vec<SimpleQueryMessage>, Error>;
    /// `COPY … FROM stdin` with its data (pg_dump's text format); `None`
    /// where the connection cannot stream it (an async client).
    fn copy_in(&mut self, command: &str, data: &[u8]) -> Option<Result<u64, Error>>;
    /// The blocking client, for what only the CLI does (introspection,
    /// `reset`); `None` on an async client.
    fn blocking(&mut self) -> Option<&mut Client>;
}

impl PgSession for Client {
    fn query(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>, Error> {
        Client::query(self, sql, params)
    }
    fn query_one(&mut self, sql: &str, params: Params<'_>) -> Result<Row, Error> {
        Client::query_one(self, sql, params)
    }
    fn query_opt(&mut self, sql: &str, params: Params<'_>) -> Result<Option<Row>, Error> {
        Client::query_opt(self, sql, params)
    }
    fn execute(&mut self, sql: &str, params: Params<'_>) -> Result<u64, Error> {
        Client::execute(self, sql, params)
    }
    fn batch_execute(&mut self, sql: &str) -> Result<(), Error> {
        Client::batch_execute(self, sql)
    }
    fn simple_query(&mut self, sql: &str) -> Result<Vec<SimpleQueryMessage>, Error> {
        Client::simple_query(self, sql)
    }
    fn copy_in(&mut self, command: &str, data: &[u8]) -> Option<Result<u64, Error>> {
        use std::io::Write;
        Some(Client::copy_in(self, command).and_then(|mut writer| {
            // A failed write is the connection's failure: `finish` reports it.
            let _ = writer.write_all(data);
            writer.finish()
        }))
    }
    fn blocking(&mut self) -> Option<&mut Client> {
        Some(self)
    }
}

/// The driver's connection: its own, or one the application lent it.
pub enum Session<'c> {
    Owned(Box<Client>),
    Borrowed(&'c mut Client),
    #[cfg(feature = "tokio-postgres")]
    Tokio(Tokio<'c>),
}

impl<'c> Deref for Session<'c> {
    type Target = dyn PgSession + 'c;

    fn deref(&self) -> &Self::Target {
        match self {
            Session::Owned(c) => c.as_ref(),
            Session::Borrowed(c) => *c,
            #[cfg(feature = "tokio-postgres")]
            Session::Tokio(t) => t,
        }
    }
}

impl DerefMut for Session<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match self {
            Session::Owned(c) => c.as_mut(),
            Session::Borrowed(c) => *c,
            #[cfg(feature = "tokio-postgres")]
            Session::Tokio(t) => t,
        }
    }
}

/// An async client driven from blocking code: each call waits for its
/// future on the application's runtime. Only inside
/// `tokio::task::block_in_place` on a multi-threaded runtime, where the
/// connection's task goes on running on the other workers.
#[cfg(feature = "tokio-postgres")]
pub struct Tokio<'c> {
    pub client: &'c tokio_postgres::Client,
    pub runtime: tokio::runtime::Handle,
}

#[cfg(feature = "tokio-postgres")]
impl PgSession for Tokio<'_> {
    fn query(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>, Error> {
        self.runtime.block_on(self.client.query(sql, params))
    }
    fn query_one(&mut self, sql: &str, params: Params<'_>) -> Result<Row, Error> {
        self.runtime.block_on(self.client.query_one(sql, params))
    }
    fn query_opt(&mut self, sql: &str, params: Params<'_>) -> Result<Option<Row>, Error> {
        self.runtime.block_on(self.client.query_opt(sql, params))
    }
    fn execute(&mut self, sql: &str, params: Params<'_>) -> Result<u64, Error> {
        self.runtime.block_on(self.client.execute(sql, params))
    }
    fn batch_execute(&mut self, sql: &str) -> Result<(), Error> {
        self.runtime.block_on(self.client.batch_execute(sql))
    }
    fn simple_query(&mut self, sql: &str) -> Result<Vec<SimpleQueryMessage>, Error> {
        self.runtime.block_on(self.client.simple_query(sql))
    }
    fn copy_in(&mut self, _command: &str, _data: &[u8]) -> Option<Result<u64, Error>> {
        None
    }
    fn blocking(&mut self) -> Option<&mut Client> {
        None
    }
}
