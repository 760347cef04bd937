//! Splitting a script into statements before any parsing, so that each
//! statement keeps the line and column it starts at and one bad statement
//! does not hide the location of the others.

/// One statement of a script, without its terminating `;`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement<'a> {
    pub text: &'a str,
    /// 1-based line of the statement's first character.
    pub line: usize,
    /// 1-based column (in characters) of the statement's first character.
    pub column: usize,
}

/// Text that no database would read as the script it looks like: a NUL byte
/// (SQLite stops reading at it, PostgreSQL refuses it), or a quote, comment or
/// dollar quote that is never closed (everything after it would vanish into it).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct SplitError {
    /// 1-based line of the offending byte, or of the opening quote or comment.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    pub kind: SplitErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SplitErrorKind {
    #[error(
        "NUL byte in SQL text (SQLite would silently stop reading the script here, PostgreSQL refuses it)"
    )]
    Nul,
    #[error("unterminated /* comment: no `*/` closes it before the end of the file")]
    Comment,
    #[error("unterminated string literal: no `'` closes it before the end of the file")]
    String,
    #[error("unterminated quoted identifier: no `{0}` closes it before the end of the file")]
    QuotedIdentifier(char),
    #[error("unterminated dollar quote: no `{0}` closes it before the end of the file")]
    DollarQuote(String),
    #[error("COPY … FROM stdin: no `\\.` line ends its data before the end of the file")]
    CopyData,
}

/// `COPY … FROM stdin` (pg_dump's data sections): its rows follow the
/// statement in the script.
fn copies_from_stdin(text: &str) -> bool {
    let mut words = text.split_ascii_whitespace();
    words.next().is_some_and(|w| w.eq_ignore_ascii_case("COPY")) && {
        let rest: Vec<&str> = words.collect();
        rest.windows(2).any(|w| {
            w[0].eq_ignore_ascii_case("FROM")
                && w[1].trim_end_matches(';').eq_ignore_ascii_case("STDIN")
        })
    }
}

/// Splits `sql` on `;` outside quotes, comments, dollar quotes, SQLite
/// trigger bodies and SQL-standard routine bodies (`BEGIN ATOMIC … END`).
/// Leading comments are not part of a statement; statements made only of
/// comments are dropped. A psql meta-command (a line starting with `\`) is a
/// statement of its own, ending at the end of its line.
///
/// A NUL byte or anything left open at the end of the text is an error with
/// its location: the statements a database would run are not the ones the
/// text shows.
pub fn split_statements(sql: &str) -> Result<Vec<Statement<'_>>, SplitError> {
    if let Some(at) = sql.find('\0') {
        let (line, column) = line_col(sql, at);
        return Err(SplitError {
            line,
            column,
            kind: SplitErrorKind::Nul,
        });
    }
    Splitter::new(sql).run()
}

/// Whether the first statement of `sql` creates a function or procedure with
/// a SQL-standard body (`BEGIN ATOMIC … END`, `RETURN expr`). PostgreSQL
/// parses such a body when the routine is created, so the tables it reads
/// must exist by then (`check_function_bodies` does not apply to it).
pub fn has_sql_standard_body(sql: &str) -> bool {
    let mut splitter = Splitter::new(sql);
    let mut words = WordTracker::default();
    splitter.skip_gap().is_ok() && splitter.statement_end_with(&mut words).is_ok() && {
        words.body == BodyKind::Routine && words.standard_body
    }
}

/// A `COPY … FROM stdin` statement as [`split_statements`] returns it, cut
/// into the command (without its `;`) and the data lines that follow it
/// (each ending in a newline, the closing `\.` left out); `None` for any
/// other statement.
pub fn copy_from_stdin(statement: &str) -> Option<(&str, &str)> {
    if !copies_from_stdin(statement) || !statement.ends_with("\\.") {
        return None;
    }
    let command_end = Splitter::new(statement).statement_end().ok()?;
    let command = statement.get(..command_end)?.trim_end();
    let data_start = statement[command_end..].find('\n')? + command_end + 1;
    let data = statement.get(data_start..statement.len() - 2)?;
    Some((command, data))
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_col(sql: &str, offset: usize) -> (usize, usize) {
    let before = sql.get(..offset).unwrap_or(sql);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

struct Splitter<'a> {
    sql: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    /// Byte offset of the current line's start, for columns.
    line_start: usize,
    out: Vec<Statement<'a>>,
}

impl<'a> Splitter<'a> {
    fn new(sql: &'a str) -> Self {
        // A byte-order mark is not text: columns count from after it.
        let start = if sql.starts_with('\u{feff}') { 3 } else { 0 };
        Splitter {
            sql,
            bytes: sql.as_bytes(),
            pos: start,
            line: 1,
            line_start: start,
            out: Vec::new(),
        }
    }

    fn column_of(&self, offset: usize) -> usize {
        // Counting bytes that are not UTF-8 continuations counts characters
        // even when an escape left `offset` inside one.
        self.bytes[self.line_start..offset.min(self.bytes.len())]
            .iter()
            .filter(|b| (**b & 0xC0) != 0x80)
            .count()
            + 1
    }

    fn error_here(&self, kind: SplitErrorKind) -> SplitError {
        SplitError {
            line: self.line,
            column: self.column_of(self.pos),
            kind,
        }
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn advance(&mut self) {
        if let Some(b) = self.peek(0) {
            self.pos += 1;
            if b == b'\n' {
                self.line += 1;
                self.line_start = self.pos;
            }
        }
    }

    fn advance_to(&mut self, end: usize) {
        while self.pos < end.min(self.bytes.len()) {
            self.advance();
        }
    }

    /// Skips white space and comments between statements.
    fn skip_gap(&mut self) -> Result<(), SplitError> {
        loop {
            match (self.peek(0), self.peek(1)) {
                (Some(b), _) if b.is_ascii_whitespace() => self.advance(),
                (Some(b';'), _) => self.advance(),
                (Some(b'-'), Some(b'-')) => self.skip_line_comment(),
                (Some(b'/'), Some(b'*')) => self.skip_block_comment()?,
                _ => return Ok(()),
            }
        }
    }

    fn skip_line_comment(&mut self) {
        while let Some(b) = self.peek(0) {
            if b == b'\n' {
                return;
            }
            self.advance();
        }
    }

    /// Block comments nest in PostgreSQL; SQLite does not nest them, but a
    /// nested opener inside a SQLite comment is vanishingly rare.
    fn skip_block_comment(&mut self) -> Result<(), SplitError> {
        let opened = self.error_here(SplitErrorKind::Comment);
        let mut depth = 0usize;
        while let Some(b) = self.peek(0) {
            if b == b'/' && self.peek(1) == Some(b'*') {
                depth += 1;
                self.advance();
                self.advance();
            } else if b == b'*' && self.peek(1) == Some(b'/') {
                self.advance();
                self.advance();
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok(());
                }
            } else {
                self.advance();
            }
        }
        Err(opened)
    }

    /// Skips a quoted run starting at the opening quote. `''` (or `""`) is an
    /// escaped quote; `backslash` also lets `\'` escape (E'' strings).
    fn skip_quoted(&mut self, quote: u8, backslash: bool) -> Result<(), SplitError> {
        let opened = self.error_here(match quote {
            b'\'' => SplitErrorKind::String,
            other => SplitErrorKind::QuotedIdentifier(char::from(other)),
        });
        self.advance();
        while let Some(b) = self.peek(0) {
            if backslash && b == b'\\' {
                self.advance();
                self.advance();
                continue;
            }
            self.advance();
            if b == quote {
                if self.peek(0) == Some(quote) {
                    self.advance();
                } else {
                    return Ok(());
                }
            }
        }
        Err(opened)
    }

    /// `$tag$` at the current position, if it opens a dollar quote.
    fn dollar_tag(&self) -> Option<&'a str> {
        let rest = &self.sql[self.pos..];
        let after = rest.get(1..)?;
        let end = after.find('$')?;
        let tag = &after[..end];
        let valid = tag.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !tag.starts_with(|c: char| c.is_ascii_digit());
        valid.then(|| &rest[..end + 2])
    }

    fn run(mut self) -> Result<Vec<Statement<'a>>, SplitError> {
        loop {
            self.skip_gap()?;
            if self.pos >= self.bytes.len() {
                return Ok(self.out);
            }
            let start = self.pos;
            let line = self.line;
            let column = self.column_of(start);
            let end = if self.peek(0) == Some(b'\\') {
                self.skip_line_comment();
                self.pos
            } else {
                self.statement_end()?
            };
            let mut text = self.sql.get(start..end).unwrap_or_default().trim_end();
            if copies_from_stdin(text) {
                // pg_dump's data follows on the next lines, up to `\.`: it
                // belongs to the statement, not to the script around it.
                let end = self.copy_data_end(line, column)?;
                text = self.sql.get(start..end).unwrap_or_default().trim_end();
            }
            if !text.is_empty() {
                self.out.push(Statement { text, line, column });
            }
        }
    }

    /// After `COPY … FROM stdin;`: advances past the data lines and the `\.`
    /// line that ends them, and returns the offset after `\.`.
    fn copy_data_end(&mut self, line: usize, column: usize) -> Result<usize, SplitError> {
        // The data starts on the line after the statement's `;`.
        self.skip_line_comment();
        while self.pos < self.bytes.len() {
            self.advance();
            let rest = &self.sql[self.pos..];
            let this_line = rest.split('\n').next().unwrap_or_default();
            if this_line.trim_end_matches('\r') == "\\." {
                let end = self.pos + 2;
                self.advance_to(end);
                return Ok(end);
            }
            self.skip_line_comment();
        }
        Err(SplitError {
            line,
            column,
            kind: SplitErrorKind::CopyData,
        })
    }

    /// Advances to the `;` ending the statement starting here (or the end of
    /// input) and returns its offset.
    fn statement_end(&mut self) -> Result<usize, SplitError> {
        self.statement_end_with(&mut WordTracker::default())
    }

    fn statement_end_with(&mut self, words: &mut WordTracker) -> Result<usize, SplitError> {
        while let Some(b) = self.peek(0) {
            match b {
                b';' if !words.in_body() => return Ok(self.pos),
                b'\'' => {
                    let escaped = self.pos > 0
                        && matches!(self.bytes[self.pos - 1], b'E' | b'e')
                        && !self
                            .pos
                            .checked_sub(2)
                            .is_some_and(|p| is_word_byte(self.bytes[p]));
                    self.skip_quoted(b'\'', escaped)?;
                    words.other();
                }
                b'"' | b'`' => {
                    self.skip_quoted(b, false)?;
                    words.other();
                }
                b'[' if words.brackets_are_identifiers() => {
                    // An unclosed `[` is PostgreSQL array syntax gone wrong
                    // (a syntax error the database reports), not a quote.
                    if self.bytes[self.pos..].contains(&b']') {
                        while let Some(c) = self.peek(0) {
                            self.advance();
                            if c == b']' {
                                break;
                            }
                        }
                    } else {
                        self.advance();
                    }
                    words.other();
                }
                b'-' if self.peek(1) == Some(b'-') => self.skip_line_comment(),
                b'/' if self.peek(1) == Some(b'*') => self.skip_block_comment()?,
                b'$' => match self.dollar_tag() {
                    Some(tag) => {
                        let body_start = self.pos + tag.len();
                        let Some(close) = self
                            .sql
                            .get(body_start..)
                            .and_then(|rest| rest.find(tag))
                            .map(|i| body_start + i + tag.len())
                        else {
                            return Err(
                                self.error_here(SplitErrorKind::DollarQuote(tag.to_string()))
                            );
                        };
                        self.advance_to(close);
                        words.other();
                    }
                    None => self.advance(),
                },
                b if is_word_byte(b) => {
                    let start = self.pos;
                    // `$` inside a name is part of it (`a$b$c`), not a dollar quote.
                    // A word holds no newline: the line stays, and the bytes
                    // are skipped without `advance` (most of a script's
                    // bytes, unoptimised a call or three each).
                    let mut end = start;
                    while end < self.bytes.len()
                        && (is_word_byte(self.bytes[end]) || self.bytes[end] == b'$')
                    {
                        end += 1;
                    }
                    self.pos = end;
                    words.word(&self.sql[start..self.pos]);
                }
                _ => {
                    self.advance();
                    if !b.is_ascii_whitespace() {
                        words.other();
                    }
                }
            }
        }
        Ok(self.pos)
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Follows the leading words of a statement to find bodies whose `;` do not
/// end it: SQLite trigger bodies (`CREATE TRIGGER … BEGIN …; …; END`) and
/// SQL-standard routine bodies (`CREATE FUNCTION … BEGIN ATOMIC …; END`,
/// PostgreSQL's rule: up to the `END` matching `BEGIN`, `CASE … END` nesting).
#[derive(Default)]
struct WordTracker {
    /// Leading words seen, up to the object kind.
    leading: u8,
    body: BodyKind,
    decided: bool,
    /// BEGIN/CASE nesting inside a body.
    depth: usize,
    /// The previous token was the word `BEGIN` (a routine body starts at `BEGIN ATOMIC`).
    after_begin: bool,
    /// A routine whose body is SQL-standard (`BEGIN ATOMIC … END` or `RETURN expr`).
    standard_body: bool,
    /// Whether the statement is something where `[x]` is an identifier
    /// rather than an array subscript: not known before the first word, so
    /// only PostgreSQL array syntax after an expression matters.
    seen_word: bool,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum BodyKind {
    #[default]
    None,
    Trigger,
    Routine,
}

impl WordTracker {
    fn word(&mut self, word: &str) {
        self.seen_word = true;
        let after_begin = std::mem::take(&mut self.after_begin);
        if !self.decided {
            self.leading += 1;
            let upper = word.to_ascii_uppercase();
            match (self.leading, upper.as_str()) {
                (1, "CREATE") => {}
                (2.., "TEMP" | "TEMPORARY" | "OR" | "REPLACE" | "CONSTRAINT") => {}
                (2.., "TRIGGER") => {
                    self.body = BodyKind::Trigger;
                    self.decided = true;
                }
                (2.., "FUNCTION" | "PROCEDURE") => {
                    self.body = BodyKind::Routine;
                    self.decided = true;
                }
                _ => self.decided = true,
            }
            return;
        }
        let is = |kw: &str| word.eq_ignore_ascii_case(kw);
        match self.body {
            BodyKind::None => {}
            BodyKind::Trigger => {
                if is("BEGIN") || is("CASE") {
                    self.depth += 1;
                } else if is("END") {
                    self.depth = self.depth.saturating_sub(1);
                }
            }
            BodyKind::Routine => {
                if self.depth == 0 {
                    if after_begin && is("ATOMIC") {
                        self.depth = 1;
                        self.standard_body = true;
                    }
                    self.standard_body |= is("RETURN");
                    self.after_begin = is("BEGIN");
                } else if is("CASE") {
                    self.depth += 1;
                } else if is("END") {
                    self.depth -= 1;
                }
            }
        }
    }

    fn other(&mut self) {
        self.decided = self.decided || self.leading > 0;
        self.after_begin = false;
    }

    fn in_body(&self) -> bool {
        self.body != BodyKind::None && self.depth > 0
    }

    /// `[name]` quoting (SQLite) only appears where a name is expected; in
    /// PostgreSQL `[` follows an expression (`a[1]`, `text[]`) and holds no
    /// `;`, so treating it as a quoted run is harmless either way — except for
    /// an unclosed `[`, which the first-word rule keeps out of statement heads.
    fn brackets_are_identifiers(&self) -> bool {
        self.seen_word
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<&str> {
        split(sql).into_iter().map(|s| s.text).collect()
    }

    fn split(sql: &str) -> Vec<Statement<'_>> {
        split_statements(sql).unwrap()
    }

    fn error(sql: &str) -> (usize, usize, SplitErrorKind) {
        let e = split_statements(sql).unwrap_err();
        (e.line, e.column, e.kind)
    }

    #[test]
    fn splits_on_semicolons_and_tracks_positions() {
        let stmts = split("CREATE TABLE a (x int);\n\n  DROP TABLE a;\nSELECT 1");
        assert_eq!(stmts.len(), 3);
        assert_eq!((stmts[0].line, stmts[0].column), (1, 1));
        assert_eq!(stmts[1].text, "DROP TABLE a");
        assert_eq!((stmts[1].line, stmts[1].column), (3, 3));
        assert_eq!((stmts[2].text, stmts[2].line), ("SELECT 1", 4));
    }

    #[test]
    fn copy_from_stdin_keeps_its_data_lines() {
        let sql =
            "CREATE TABLE t (a text);\nCOPY public.t (a) FROM stdin;\nx;y\n'open\n\\.\nSELECT 1;\n";
        let stmts = split(sql);
        assert_eq!(stmts.len(), 3, "{stmts:?}");
        assert_eq!(
            stmts[1].text,
            "COPY public.t (a) FROM stdin;\nx;y\n'open\n\\."
        );
        assert_eq!(
            copy_from_stdin(stmts[1].text),
            Some(("COPY public.t (a) FROM stdin", "x;y\n'open\n"))
        );
        assert_eq!(copy_from_stdin(stmts[0].text), None);
        assert_eq!((stmts[2].text, stmts[2].line), ("SELECT 1", 6));
        // Another COPY is a statement like any other.
        assert_eq!(split("COPY t TO stdout; SELECT 1").len(), 2);
        assert_eq!(
            error("SELECT 1;\ncopy t from STDIN with (format csv);\na,b\n"),
            (2, 1, SplitErrorKind::CopyData)
        );
    }

    #[test]
    fn quotes_and_escapes_hide_semicolons() {
        assert_eq!(
            texts("INSERT INTO t VALUES ('a;''b'); SELECT E'x\\';y'; SELECT \"a;b\" FROM t"),
            vec![
                "INSERT INTO t VALUES ('a;''b')",
                "SELECT E'x\\';y'",
                "SELECT \"a;b\" FROM t"
            ]
        );
    }

    #[test]
    fn dollar_quotes_hide_semicolons() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;\nCREATE FUNCTION g() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;";
        let stmts = texts(sql);
        assert_eq!(stmts.len(), 2);
        assert!(stmts[0].ends_with("LANGUAGE plpgsql"));
        assert!(stmts[1].starts_with("CREATE FUNCTION g()"));
    }

    #[test]
    fn comments_are_skipped_and_nest() {
        let sql = "-- lead; comment\n/* outer /* inner; */ still; */ CREATE TABLE a (x int); -- trailing;\n/* only a comment */";
        let stmts = split(sql);
        assert_eq!(stmts.len(), 1);
        assert_eq!(stmts[0].text, "CREATE TABLE a (x int)");
        assert_eq!((stmts[0].line, stmts[0].column), (2, 33));
    }

    #[test]
    fn sqlite_trigger_bodies_keep_their_semicolons() {
        let sql = "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = CASE WHEN 1 THEN 2 END; DELETE FROM c; END;\nCREATE TABLE d (x);";
        let stmts = texts(sql);
        assert_eq!(stmts.len(), 2);
        assert!(stmts[0].ends_with("DELETE FROM c; END"));
        assert_eq!(stmts[1], "CREATE TABLE d (x)");
    }

    #[test]
    fn postgres_trigger_without_body_ends_at_semicolon() {
        let stmts = texts(
            "CREATE TRIGGER t BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION f(); SELECT 1;",
        );
        assert_eq!(stmts.len(), 2);
    }

    #[test]
    fn psql_meta_commands_are_their_own_statements() {
        let stmts = split("CREATE DATABASE x;\n\\c x\nCREATE TABLE a (b int);");
        assert_eq!(stmts.len(), 3);
        assert_eq!(stmts[1].text, "\\c x");
        assert_eq!(stmts[2].line, 3);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let stmts = split("SELECT 'é'; SELECT 2;");
        assert_eq!(stmts[1].column, 13);
    }

    #[test]
    fn sqlite_bracket_identifiers_hide_semicolons() {
        assert_eq!(texts("CREATE TABLE [a;b] (x); SELECT 1").len(), 2);
    }

    #[test]
    fn unterminated_runs_are_errors_at_their_opening() {
        use SplitErrorKind::*;
        assert_eq!(
            error("SELECT 1;\n  /* open\nCREATE TABLE a (x int);"),
            (2, 3, Comment)
        );
        assert_eq!(
            error("/* a /* nested */ CREATE TABLE b (x int);"),
            (1, 1, Comment)
        );
        assert_eq!(
            error("SELECT 1; SELECT 'abc;\nDROP TABLE t;"),
            (1, 18, String)
        );
        assert_eq!(error("SELECT E'a\\';"), (1, 9, String));
        assert_eq!(
            error("CREATE TABLE \"a (x int);"),
            (1, 14, QuotedIdentifier('"'))
        );
        assert_eq!(
            error("CREATE TABLE `a (x int);"),
            (1, 14, QuotedIdentifier('`'))
        );
        assert_eq!(
            error("CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $$ LANGUAGE sql;"),
            (1, 36, DollarQuote("$body$".to_string()))
        );
        // What is closed is fine, at the very end too.
        assert_eq!(texts("SELECT 'a' /* c */").len(), 1);
    }

    #[test]
    fn nul_bytes_are_errors_wherever_they_are() {
        assert_eq!(
            error("SELECT 1;\nSELECT 'a\0b';"),
            (2, 10, SplitErrorKind::Nul)
        );
        assert_eq!(error("-- \0\n"), (1, 4, SplitErrorKind::Nul));
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_statement() {
        let stmts = split("\u{feff}CREATE TABLE a (x int); SELECT 1");
        assert_eq!(stmts[0].text, "CREATE TABLE a (x int)");
        assert_eq!((stmts[0].line, stmts[0].column), (1, 1));
        assert_eq!(stmts[1].column, 25);
    }

    #[test]
    fn dollar_signs_inside_names_are_not_quotes() {
        assert_eq!(
            texts("CREATE TABLE a$b$c (x int); SELECT $1; DROP TABLE a$b$c"),
            vec![
                "CREATE TABLE a$b$c (x int)",
                "SELECT $1",
                "DROP TABLE a$b$c"
            ]
        );
    }

    #[test]
    fn begin_atomic_bodies_are_one_statement() {
        let sql = "CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  SELECT a;\nEND;\nCREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;\nSELECT 1;";
        let stmts = split(sql);
        assert_eq!(stmts.len(), 3, "{stmts:?}");
        assert!(
            stmts[0].text.ends_with("SELECT a;\nEND"),
            "{}",
            stmts[0].text
        );
        assert!(stmts[1].text.starts_with("CREATE PROCEDURE p()"));
        assert!(stmts[1].text.ends_with("VALUES (1); END"));
        assert_eq!((stmts[2].text, stmts[2].line), ("SELECT 1", 7));
        // A routine without a standard body, or a parameter named begin, ends at `;`.
        assert_eq!(
            texts("CREATE FUNCTION g(begin int) RETURNS int AS 'select 1' LANGUAGE sql; SELECT 2;")
                .len(),
            2
        );
    }

    #[test]
    fn sql_standard_bodies_are_recognised() {
        assert!(has_sql_standard_body(
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END"
        ));
        assert!(has_sql_standard_body(
            "create or replace function f(a int) returns int language sql immutable return a + 1"
        ));
        assert!(!has_sql_standard_body(
            "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql"
        ));
        assert!(!has_sql_standard_body(
            "CREATE FUNCTION f() RETURNS int AS 'select 1' LANGUAGE sql"
        ));
        assert!(!has_sql_standard_body(
            "CREATE TRIGGER t BEFORE INSERT ON a BEGIN SELECT 1; END"
        ));
    }
}
