//! `migrate-build`: the schema-migration engine of cargo-migrate, and the
//! build-script check that makes `cargo build` fail when a workspace's
//! migrations no longer produce its `schema.sql`.
//!
//! Data flows one way: SQL sources → [`schema::Schema`] (the [`ddl`]
//! interpreter) → [`diff`] → [`plan::Plan`] → SQL ([`dialect`] renderers).
//!
//! # The build gate
//!
//! ```no_run
//! // In `fn main()` of build.rs:
//! migrate_build::check();
//! ```
//!
//! [`check`] fails the build (with `cargo::error=` lines, Cargo 1.84 or
//! newer) when the schema files declare changes that no migration makes, or
//! when `migrate.lock` does not match the migrations. [`Check`] is the same
//! check with inputs of one's own, returning a [`Report`].
//! `MIGRATE_BUILD_CHECK=warn` turns failures into warnings, `=off` skips the
//! check; the build output says so.

pub mod codegen;
pub mod config;
pub mod ddl;
pub mod dialect;
pub mod diff;
mod error;
mod gate;
pub mod lint;
pub mod migrations;
pub mod pair;
pub mod plan;
pub mod schema;

pub use dialect::Dialect;
pub use schema::Schema;

pub use error::Error;
pub use gate::{Check, Drift, MODE_VAR, Mode, Outcome, Report};

/// The build gate, for `build.rs`: finds the migrate configuration from
/// `CARGO_MANIFEST_DIR`, checks the lock file, replays the migrations and
/// diffs them with the schema files. On a problem it prints `cargo::error=`
/// lines and returns; cargo then fails the build with those messages (no
/// panic, no backtrace). Every input is announced with
/// `cargo::rerun-if-changed`, so a build with no change does not rerun it.
pub fn check() {
    gate::check_stdout();
}
