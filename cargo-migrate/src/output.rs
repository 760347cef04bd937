//! Messages for people go to stderr, in cargo's style; machine output (SQL,
//! JSON, reports) goes to stdout through [`Output::stdout`].

#[cfg(feature = "cli")]
use std::io::IsTerminal;
use std::io::Write;

#[cfg(feature = "cli")]
use crate::cli::ColorChoice;

#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub quiet: bool,
    pub verbose: bool,
    color: bool,
}

/// One line to stderr. A closed stderr (`cargo migrate apply 2>&1 | head -1`)
/// must not stop a run halfway: messages for people are dropped, the work
/// goes on, and the exit code still tells what happened.
fn err_line(args: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.write_all(b"\n"));
}

const GREEN_BOLD: &str = "\x1b[1;32m";
const YELLOW_BOLD: &str = "\x1b[1;33m";
const RED_BOLD: &str = "\x1b[1;31m";
const CYAN_BOLD: &str = "\x1b[1;36m";
const RESET: &str = "\x1b[0m";

impl Output {
    /// Plain text (no colour), for a caller that is not the CLI.
    pub fn plain(quiet: bool, verbose: bool) -> Output {
        Output {
            quiet,
            verbose,
            color: false,
        }
    }

    #[cfg(feature = "cli")]
    pub fn new(quiet: bool, verbose: bool, color: ColorChoice) -> Output {
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Output {
            quiet,
            verbose,
            color,
        }
    }

    fn paint(&self, style: &str, text: &str) -> String {
        if self.color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    pub fn paint_error(&self, text: &str) -> String {
        self.paint(RED_BOLD, text)
    }

    /// `   Applying 20260101000000_init` — a right-aligned verb, as cargo prints.
    pub fn status(&self, verb: &str, message: impl std::fmt::Display) {
        #[cfg(feature = "cli")]
        if self.quiet {
            // A many-database run shows each target's current step.
            crate::fleet::observe(verb, &message.to_string());
        }
        if !self.quiet {
            let verb = self.paint(GREEN_BOLD, &format!("{verb:>12}"));
            err_line(format_args!("{verb} {message}"));
        }
    }

    /// Warnings show even with `-q`: they are about data.
    pub fn warn(&self, message: impl std::fmt::Display) {
        err_line(format_args!(
            "{} {message}",
            self.paint(YELLOW_BOLD, "warning:")
        ));
    }

    pub fn note(&self, message: impl std::fmt::Display) {
        if !self.quiet {
            err_line(format_args!("{} {message}", self.paint(CYAN_BOLD, "note:")));
        }
    }

    /// A plain line for people (stderr), unless `-q`.
    pub fn line(&self, message: impl std::fmt::Display) {
        if !self.quiet {
            err_line(format_args!("{message}"));
        }
    }

    /// Each statement as it runs, with `-v`.
    pub fn statement(&self, sql: &str) {
        if self.verbose {
            for line in sql.trim().lines() {
                err_line(format_args!("  {} {line}", self.paint(CYAN_BOLD, "|")));
            }
        }
    }

    /// The command's result, for pipes: SQL, JSON, reports.
    pub fn stdout(&self, text: &str) -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        if !text.ends_with('\n') && !text.is_empty() {
            out.write_all(b"\n")?;
        }
        out.flush()
    }
}
