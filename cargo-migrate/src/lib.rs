//! The `cargo migrate` command: drivers, runner, introspection and the CLI.
//! `main.rs` is a thin shell over this library so that tests can call it.
//!
//! Without the default `cli` feature, this crate is the runtime an
//! application uses to apply its embedded migrations at start-up: see
//! [`embedded`].

#[cfg(feature = "cli")]
pub mod adopt;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
pub mod commands;
pub mod db;
pub mod embedded;
pub mod error;
#[cfg(feature = "cli")]
pub mod fleet;
pub mod introspect;
pub mod output;
pub mod runner;
pub mod url;
#[cfg(feature = "cli")]
pub mod workspace;

#[cfg(feature = "cli")]
use std::ffi::OsString;

#[cfg(feature = "cli")]
use clap::Parser;

#[cfg(feature = "cli")]
use crate::cli::Cargo;
#[cfg(feature = "cli")]
use crate::error::{CliError, exit_codes};
#[cfg(feature = "cli")]
use crate::output::Output;

/// Parses `args`, runs the command, prints any error once, and returns the
/// process exit code (see [`error::exit_codes`]).
#[cfg(feature = "cli")]
pub fn main_with_args<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let Cargo::Migrate(args) = match Cargo::try_parse_from(args) {
        Ok(parsed) => parsed,
        Err(e) => {
            // clap prints help/version to stdout and usage errors to stderr itself.
            let _ = e.print();
            return if e.use_stderr() {
                exit_codes::ERROR
            } else {
                exit_codes::OK
            };
        }
    };
    let out = Output::new(args.global.quiet, args.global.verbose, args.global.color);
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => {
            let err = CliError::Refused(format!("cannot read the current directory: {e}"));
            err.display_to_stderr(&out);
            return err.exit_code();
        }
    };
    let ctx = commands::Ctx {
        global: args.global,
        out,
        cwd,
    };
    match commands::run(args.command, &ctx) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            e.display_to_stderr(&ctx.out);
            e.exit_code()
        }
    }
}
