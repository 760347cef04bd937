// STUB: replaced at merge
//! SQLite introspection.
#![allow(unused_variables)]

use migrate_build::Schema;

#[derive(Debug, thiserror::Error)]
#[error("introspect stub")]
pub struct IntrospectError;

pub fn introspect(
    conn: &rusqlite::Connection,
    ignore_tables: &[&str],
) -> Result<Schema, IntrospectError> {
    todo!("stub")
}
