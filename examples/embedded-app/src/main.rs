//! Applies its embedded migrations to the database named by its only
//! argument (`sqlite:app.db` or `postgres://…`), inserts a customer and
//! reads it back with a sea-query query over the typed schema.

use std::hash::{BuildHasher, RandomState};
use std::process::ExitCode;

use cargo_migrate::embedded::{ApplySummary, Migrations, postgres, rusqlite};
use sea_query::{Expr, ExprTrait, PostgresQueryBuilder, Query, SqliteQueryBuilder};

/// `Customers`, `Customers::Email`…: generated from schema.sql by build.rs.
mod schema {
    include!(concat!(env!("OUT_DIR"), "/schema.rs"));
}
use schema::Customers;

static SQLITE: Migrations = cargo_migrate::embed_migrations!();
static POSTGRES: Migrations = cargo_migrate::embed_migrations!("postgres");

type Error = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(url), None) = (args.next(), args.next()) else {
        eprintln!("usage: embedded-app <sqlite:PATH | postgres://…>");
        return ExitCode::from(2);
    };
    match run(&url) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(url: &str) -> Result<(), Error> {
    // A random key: several copies of the application may insert at once.
    let id = (RandomState::new().hash_one(std::process::id()) >> 1) as i64;
    let email = format!("ada+{id}@example.com");
    let insert = Query::insert()
        .into_table(Customers::Table)
        .columns([Customers::Id, Customers::Email, Customers::Name])
        .values_panic([id.into(), email.clone().into(), "Ada Lovelace".into()])
        .to_owned();
    let select = Query::select()
        .columns([Customers::Id, Customers::Email, Customers::Name])
        .from(Customers::Table)
        .and_where(Expr::col(Customers::Email).eq(email))
        .to_owned();

    let (summary, row) = if let Some(path) = url.strip_prefix("sqlite:") {
        let mut conn = rusqlite::Connection::open(path)?;
        let summary = SQLITE.run(&mut conn)?;
        conn.execute(&insert.to_string(SqliteQueryBuilder), [])?;
        let row = conn.query_row(&select.to_string(SqliteQueryBuilder), [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        (summary, row)
    } else {
        let mut client = postgres::Client::connect(url, postgres::NoTls)?;
        let summary = POSTGRES.run(&mut client)?;
        client.execute(&insert.to_string(PostgresQueryBuilder), &[])?;
        let r = client.query_one(&select.to_string(PostgresQueryBuilder), &[])?;
        (summary, (r.get(0), r.get(1), r.get(2)))
    };
    report(&summary);
    let (id, email, name): (i64, String, String) = row;
    println!("customer {id}: {name} <{email}>");
    Ok(())
}

fn report(summary: &ApplySummary) {
    for id in &summary.applied {
        println!("applied {id}");
    }
    for id in &summary.skipped_by_other_runner {
        println!("applied by another process meanwhile: {id}");
    }
}
