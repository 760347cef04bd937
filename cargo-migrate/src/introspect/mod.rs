//! Live database → [`migrate_build::Schema`].

pub mod postgres;
pub mod sqlite;
