use super::Statement;
use super::split::SplitError;

/// A statement that cannot be applied to the model, with its location.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}\n  | {statement}")]
pub struct DdlError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// The first line of the statement, trimmed (for the excerpt).
    pub statement: String,
    pub message: String,
}

impl DdlError {
    pub(crate) fn at(path: &str, statement: &Statement<'_>, message: String) -> Self {
        let first = super::redact_passwords(statement.text.lines().next().unwrap_or_default());
        let first = first.trim();
        let excerpt = if first.chars().count() > 120 {
            let cut: String = first.chars().take(117).collect();
            format!("{cut}...")
        } else if statement.text.contains('\n') {
            format!("{first} ...")
        } else {
            first.to_string()
        };
        DdlError {
            path: path.to_string(),
            line: statement.line,
            column: statement.column,
            statement: excerpt,
            message,
        }
    }

    /// A script that cannot be split into statements (see [`SplitError`]).
    pub(crate) fn split(path: &str, sql: &str, e: &SplitError) -> Self {
        let line = sql
            .lines()
            .nth(e.line.saturating_sub(1))
            .unwrap_or_default();
        let from: String = super::redact_passwords(line)
            .chars()
            .skip(e.column.saturating_sub(1))
            .filter(|c| *c != '\0')
            .collect();
        let excerpt = if from.chars().count() > 120 {
            let cut: String = from.chars().take(117).collect();
            format!("{cut}...")
        } else {
            from.trim_end().to_string()
        };
        DdlError {
            path: path.to_string(),
            line: e.line,
            column: e.column,
            statement: excerpt,
            message: e.kind.to_string(),
        }
    }
}
