//! Which statements end or start a transaction, so that the runner can
//! refuse them in a migration it wraps in its own transaction: a `COMMIT` in
//! the middle would commit the runner's transaction partway, and the
//! migration's history row would no longer go with its changes.
//!
//! `SAVEPOINT`, `RELEASE [SAVEPOINT]` and `ROLLBACK TO [SAVEPOINT]` nest
//! inside the runner's transaction on both databases and are allowed.

use std::fmt;

/// A statement that starts, ends or hands over a transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransactionControl {
    /// `BEGIN`, `START TRANSACTION`.
    Begin,
    /// `COMMIT`, `END` (both dialects), PostgreSQL's `COMMIT PREPARED` and
    /// `PREPARE TRANSACTION`.
    Commit,
    /// `ROLLBACK` (not `ROLLBACK TO`), PostgreSQL's `ABORT` and
    /// `ROLLBACK PREPARED`.
    Rollback,
}

impl fmt::Display for TransactionControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransactionControl::Begin => "BEGIN",
            TransactionControl::Commit => "COMMIT",
            TransactionControl::Rollback => "ROLLBACK",
        })
    }
}

/// The transaction control `statement` is, from its leading keywords; `None`
/// for everything else. `statement` is one statement as
/// [`super::split_statements`] returns it (leading comments removed).
pub fn transaction_control(statement: &str) -> Option<TransactionControl> {
    let mut words = Words { rest: statement };
    let first = words.next()?;
    let second = words.next().unwrap_or_default();
    match first.as_str() {
        "BEGIN" => Some(TransactionControl::Begin),
        "START" if second == "TRANSACTION" => Some(TransactionControl::Begin),
        "COMMIT" | "END" => Some(TransactionControl::Commit),
        "PREPARE" if second == "TRANSACTION" => Some(TransactionControl::Commit),
        "ABORT" => Some(TransactionControl::Rollback),
        "ROLLBACK" => {
            // `ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT] x` only undoes to a savepoint.
            let third = words.next().unwrap_or_default();
            let to = second == "TO"
                || (matches!(second.as_str(), "WORK" | "TRANSACTION") && third == "TO");
            (!to).then_some(TransactionControl::Rollback)
        }
        _ => None,
    }
}

/// Upper-cased unquoted words, skipping whitespace and comments; stops at the
/// first character that is neither.
struct Words<'a> {
    rest: &'a str,
}

impl Iterator for Words<'_> {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        loop {
            let trimmed = self.rest.trim_start();
            if let Some(after) = trimmed.strip_prefix("--") {
                self.rest = after.split_once('\n').map_or("", |(_, r)| r);
            } else if let Some(after) = trimmed.strip_prefix("/*") {
                self.rest = after.split_once("*/").map_or("", |(_, r)| r);
            } else {
                self.rest = trimmed;
                break;
            }
        }
        let len = self
            .rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(self.rest.len());
        if len == 0 {
            return None;
        }
        let (word, rest) = self.rest.split_at(len);
        self.rest = rest;
        Some(word.to_ascii_uppercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TransactionControl::*;

    #[test]
    fn transaction_control_statements() {
        for (sql, want) in [
            ("BEGIN", Some(Begin)),
            ("begin transaction", Some(Begin)),
            ("BEGIN IMMEDIATE", Some(Begin)),
            ("Begin Work", Some(Begin)),
            (
                "START TRANSACTION ISOLATION LEVEL SERIALIZABLE",
                Some(Begin),
            ),
            ("COMMIT", Some(Commit)),
            ("commit work", Some(Commit)),
            ("END", Some(Commit)),
            ("END TRANSACTION", Some(Commit)),
            ("COMMIT PREPARED 'x'", Some(Commit)),
            ("PREPARE TRANSACTION 'x'", Some(Commit)),
            ("ROLLBACK", Some(Rollback)),
            ("rollback transaction", Some(Rollback)),
            ("ABORT", Some(Rollback)),
            ("ROLLBACK PREPARED 'x'", Some(Rollback)),
            ("ROLLBACK /* c */ TO SAVEPOINT a", None),
            ("ROLLBACK TO a", None),
            ("ROLLBACK TRANSACTION TO SAVEPOINT a", None),
            ("SAVEPOINT a", None),
            ("RELEASE SAVEPOINT a", None),
            ("START", None),
            ("PREPARE q AS SELECT 1", None),
            ("CREATE TABLE begin (id int)", None),
            ("DO $$ BEGIN PERFORM 1; END $$", None),
            ("\"begin\"", None),
            ("", None),
            ("  -- x\n/* y */ commit", Some(Commit)),
        ] {
            assert_eq!(transaction_control(sql), want, "{sql:?}");
        }
    }
}
