//! `new`'s question when a column is dropped and another of the same type
//! added to the same table: "did you rename …?". A yes is recorded on the
//! declared schema as if `schema.sql` carried the annotation, so the plan
//! (and `down.sql`) rename instead of dropping the column and its data.
//! Without a terminal, or with `--no-interactive`, nothing is asked: the
//! migration drops and adds, and the warning names the annotation that
//! makes it a rename.

use std::io::{BufRead, IsTerminal, Write};

use migrate_build::Schema;
use migrate_build::diff::{RenameCandidate, rename_candidates};
use migrate_build::plan::Plan;
use migrate_build::schema::{Renamed, RenamedFrom};

use crate::output::Output;

/// Where the question goes and its answer comes from.
pub enum Asker {
    /// stdin and stderr are a terminal and `--no-interactive` is not given.
    Terminal,
    /// Nobody to ask.
    Nobody,
}

impl Asker {
    pub fn new(no_interactive: bool) -> Asker {
        if !no_interactive && std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
            Asker::Terminal
        } else {
            Asker::Nobody
        }
    }

    fn confirm(&self, question: &str) -> bool {
        match self {
            Asker::Nobody => false,
            Asker::Terminal => {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "{question} [y/N] ");
                let _ = err.flush();
                drop(err);
                let mut answer = String::new();
                // End of input or an unreadable answer is a no: the
                // default writes what the schema says, a drop and an add.
                match std::io::stdin().lock().read_line(&mut answer) {
                    Ok(_) => matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"),
                    Err(_) => false,
                }
            }
        }
    }
}

/// Asks about each drop-and-add of `plan` that looks like a rename; records
/// each yes on `declared`. Returns whether anything was confirmed (the plan
/// must then be made again).
pub fn confirm(plan: &Plan, declared: &mut Schema, asker: &Asker) -> bool {
    let mut confirmed = false;
    for c in rename_candidates(plan, declared.dialect) {
        let question = format!(
            "did you rename `{table}.{from}` to `{table}.{to}`?",
            table = c.table,
            from = c.from,
            to = c.to
        );
        if asker.confirm(&question) {
            declared.renames.0.push(RenamedFrom {
                object: Renamed::Column {
                    table: c.table.clone(),
                    column: c.to.clone(),
                },
                from: c.from.clone(),
                at: None,
            });
            confirmed = true;
        }
    }
    confirmed
}

/// What is left to say about drops and adds that may be renames: one
/// warning each, naming the annotation.
pub fn hints(plan: &Plan, declared: &Schema) -> Vec<String> {
    rename_candidates(plan, declared.dialect)
        .iter()
        .map(hint)
        .collect()
}

fn hint(c: &RenameCandidate) -> String {
    format!(
        "`{table}.{from}` is dropped and `{table}.{to}` added, with its data lost; if `{to}` is `{from}` renamed, \
         end its line in the schema with `-- migrate:renamed-from {from}` and write the migration again",
        table = c.table,
        from = c.from,
        to = c.to
    )
}

/// `-- WARNING` lines at the top of up.sql for the hints.
pub fn annotate(up_sql: &str, hints: &[String]) -> String {
    let mut out = String::new();
    for h in hints {
        out.push_str("-- WARNING: ");
        out.push_str(h);
        out.push('\n');
    }
    out.push_str(up_sql);
    out
}

/// Prints the hints as warnings.
pub fn warn(out: &Output, hints: &[String]) {
    for h in hints {
        out.warn(h);
    }
}
