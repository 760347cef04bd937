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

/// Splits `sql` on `;` outside quotes, comments, dollar quotes and SQLite
/// trigger bodies. Leading comments are not part of a statement; statements
/// made only of comments are dropped. A psql meta-command (a line starting
/// with `\`) is a statement of its own, ending at the end of its line.
pub fn split_statements(sql: &str) -> Vec<Statement<'_>> {
    Splitter::new(sql).run()
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
        Splitter {
            sql,
            bytes: sql.as_bytes(),
            pos: 0,
            line: 1,
            line_start: 0,
            out: Vec::new(),
        }
    }

    fn column_of(&self, offset: usize) -> usize {
        self.sql[self.line_start..offset].chars().count() + 1
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
    fn skip_gap(&mut self) {
        loop {
            match (self.peek(0), self.peek(1)) {
                (Some(b), _) if b.is_ascii_whitespace() => self.advance(),
                (Some(b';'), _) => self.advance(),
                (Some(b'-'), Some(b'-')) => self.skip_line_comment(),
                (Some(b'/'), Some(b'*')) => self.skip_block_comment(),
                _ => return,
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
    fn skip_block_comment(&mut self) {
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
                    return;
                }
            } else {
                self.advance();
            }
        }
    }

    /// Skips a quoted run starting at the opening quote. `''` (or `""`) is an
    /// escaped quote; `backslash` also lets `\'` escape (E'' strings).
    fn skip_quoted(&mut self, quote: u8, backslash: bool) {
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
                    return;
                }
            }
        }
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

    fn run(mut self) -> Vec<Statement<'a>> {
        loop {
            self.skip_gap();
            if self.pos >= self.bytes.len() {
                return self.out;
            }
            let start = self.pos;
            let line = self.line;
            let column = self.column_of(start);
            let end = if self.peek(0) == Some(b'\\') {
                self.skip_line_comment();
                self.pos
            } else {
                self.statement_end()
            };
            let text = self.sql[start..end].trim_end();
            if !text.is_empty() {
                self.out.push(Statement { text, line, column });
            }
        }
    }

    /// Advances to the `;` ending the statement starting here (or the end of
    /// input) and returns its offset.
    fn statement_end(&mut self) -> usize {
        let mut words = WordTracker::default();
        while let Some(b) = self.peek(0) {
            match b {
                b';' if !words.in_trigger_body() => return self.pos,
                b'\'' => {
                    let escaped = self.pos > 0
                        && matches!(self.bytes[self.pos - 1], b'E' | b'e')
                        && !self
                            .pos
                            .checked_sub(2)
                            .is_some_and(|p| is_word_byte(self.bytes[p]));
                    self.skip_quoted(b'\'', escaped);
                    words.other();
                }
                b'"' | b'`' => {
                    self.skip_quoted(b, false);
                    words.other();
                }
                b'[' if words.brackets_are_identifiers() => {
                    while let Some(c) = self.peek(0) {
                        self.advance();
                        if c == b']' {
                            break;
                        }
                    }
                    words.other();
                }
                b'-' if self.peek(1) == Some(b'-') => self.skip_line_comment(),
                b'/' if self.peek(1) == Some(b'*') => self.skip_block_comment(),
                b'$' => match self.dollar_tag() {
                    Some(tag) => {
                        let body_start = self.pos + tag.len();
                        let close = self.sql[body_start..]
                            .find(tag)
                            .map_or(self.bytes.len(), |i| body_start + i + tag.len());
                        self.advance_to(close);
                        words.other();
                    }
                    None => self.advance(),
                },
                b if is_word_byte(b) => {
                    let start = self.pos;
                    while self.peek(0).is_some_and(is_word_byte) {
                        self.advance();
                    }
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
        self.pos
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Follows the leading words of a statement to find SQLite trigger bodies
/// (`CREATE TRIGGER … BEGIN …; …; END`), whose `;` do not end the statement.
#[derive(Default)]
struct WordTracker {
    /// Leading words seen, up to the object kind.
    leading: u8,
    is_trigger: bool,
    decided: bool,
    /// BEGIN/CASE nesting inside a trigger body.
    depth: usize,
    /// Whether the statement is something where `[x]` is an identifier
    /// rather than an array subscript: not known before the first word, so
    /// only PostgreSQL array syntax after an expression matters.
    seen_word: bool,
}

impl WordTracker {
    fn word(&mut self, word: &str) {
        self.seen_word = true;
        if !self.decided {
            self.leading += 1;
            let upper = word.to_ascii_uppercase();
            match (self.leading, upper.as_str()) {
                (1, "CREATE") => {}
                (2.., "TEMP" | "TEMPORARY") => {}
                (2.., "TRIGGER") => {
                    self.is_trigger = true;
                    self.decided = true;
                }
                _ => self.decided = true,
            }
            return;
        }
        if !self.is_trigger {
            return;
        }
        if word.eq_ignore_ascii_case("BEGIN") || word.eq_ignore_ascii_case("CASE") {
            self.depth += 1;
        } else if word.eq_ignore_ascii_case("END") {
            self.depth = self.depth.saturating_sub(1);
        }
    }

    fn other(&mut self) {
        self.decided = self.decided || self.leading > 0;
    }

    fn in_trigger_body(&self) -> bool {
        self.is_trigger && self.depth > 0
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
        split_statements(sql).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn splits_on_semicolons_and_tracks_positions() {
        let stmts = split_statements("CREATE TABLE a (x int);\n\n  DROP TABLE a;\nSELECT 1");
        assert_eq!(stmts.len(), 3);
        assert_eq!((stmts[0].line, stmts[0].column), (1, 1));
        assert_eq!(stmts[1].text, "DROP TABLE a");
        assert_eq!((stmts[1].line, stmts[1].column), (3, 3));
        assert_eq!((stmts[2].text, stmts[2].line), ("SELECT 1", 4));
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
        let stmts = split_statements(sql);
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
        let stmts = split_statements("CREATE DATABASE x;\n\\c x\nCREATE TABLE a (b int);");
        assert_eq!(stmts.len(), 3);
        assert_eq!(stmts[1].text, "\\c x");
        assert_eq!(stmts[2].line, 3);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let stmts = split_statements("SELECT 'é'; SELECT 2;");
        assert_eq!(stmts[1].column, 13);
    }

    #[test]
    fn sqlite_bracket_identifiers_hide_semicolons() {
        assert_eq!(texts("CREATE TABLE [a;b] (x); SELECT 1").len(), 2);
    }
}
