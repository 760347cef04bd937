//! Problems of `check` with where they are, and GitHub Actions workflow
//! commands for them (`::error file=…,line=…,col=…::message`), which the
//! runner shows on the pull request's files.

/// One problem found, with the file (and position) it is about when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Problem {
    /// A problem about `file`; a message that starts with
    /// `file:line:col:` (the tool's own error form) gives the position.
    pub fn in_file(file: impl Into<String>, message: impl Into<String>) -> Problem {
        let mut p = Problem::from(message.into());
        if p.file.is_none() {
            p.file = Some(file.into());
        }
        p
    }
}

impl From<String> for Problem {
    fn from(message: String) -> Problem {
        let (file, line, column) = match leading_location(&message) {
            Some((f, l, c)) => (Some(f.to_string()), Some(l), Some(c)),
            None => (None, None, None),
        };
        Problem {
            message,
            file,
            line,
            column,
        }
    }
}

/// `path:line:col: …` at the start of the first line.
fn leading_location(message: &str) -> Option<(&str, usize, usize)> {
    let first = message.lines().next()?;
    let mut parts = first.splitn(4, ':');
    let path = parts.next()?;
    let line = parts.next()?.parse().ok()?;
    let column = parts.next()?.parse().ok()?;
    parts.next()?;
    (!path.is_empty() && !path.contains(' ')).then_some((path, line, column))
}

/// One `::error` line for `problem`.
pub fn github(problem: &Problem, title: &str) -> String {
    let mut props = Vec::new();
    if let Some(f) = &problem.file {
        props.push(format!("file={}", property(f)));
    }
    if let Some(l) = problem.line {
        props.push(format!("line={l}"));
    }
    if let Some(c) = problem.column {
        props.push(format!("col={c}"));
    }
    props.push(format!("title={}", property(title)));
    format!("::error {}::{}", props.join(","), data(&problem.message))
}

/// Escaping of the message, as @actions/core does it.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_comes_from_the_message() {
        let p =
            Problem::from("migrations/1_a/up.sql:3:7: no such table: x\n  | SELECT".to_string());
        assert_eq!(p.file.as_deref(), Some("migrations/1_a/up.sql"));
        assert_eq!((p.line, p.column), (Some(3), Some(7)));
        assert_eq!(
            github(&p, "cargo migrate check"),
            "::error file=migrations/1_a/up.sql,line=3,col=7,title=cargo migrate check::\
             migrations/1_a/up.sql:3:7: no such table: x%0A  | SELECT"
        );
        let p = Problem::in_file("schema.sql", "behind: 100% sure, a:b".to_string());
        assert_eq!(
            github(&p, "t"),
            "::error file=schema.sql,title=t::behind: 100%25 sure, a:b"
        );
        assert_eq!(Problem::from("plain words: here".to_string()).file, None);
    }
}
