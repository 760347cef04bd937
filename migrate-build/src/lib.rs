//! `migrate-build`: the schema-migration engine of cargo-migrate, and the
//! build-script check that makes `cargo build` fail when a workspace's
//! migrations no longer produce its `schema.sql`.
//!
//! Data flows one way: SQL sources → [`schema::Schema`] (the [`ddl`]
//! interpreter) → [`diff`] → [`plan::Plan`] → SQL ([`dialect`] renderers).

pub mod config;
pub mod ddl;
pub mod dialect;
pub mod diff;
pub mod migrations;
pub mod plan;
pub mod schema;

pub use dialect::Dialect;
pub use schema::Schema;
