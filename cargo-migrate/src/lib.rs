//! The `cargo migrate` command: drivers, runner, introspection and the CLI.
//! `main.rs` is a thin shell over this library so that tests can call it.

pub mod introspect;
