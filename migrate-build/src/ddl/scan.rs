//! Tokens and leading-keyword classification, and the sqlparser entry points.
//!
//! Statements sqlparser cannot parse (plpgsql bodies, `DO` blocks,
//! `ALTER SEQUENCE … OWNED BY`) are still recognised here by their leading
//! keywords, so that later statements (`DROP FUNCTION`) find what they name.

use sqlparser::ast;
use sqlparser::dialect::{Dialect as SqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use super::Fallible;
use super::names;
use crate::dialect::Dialect;
use crate::schema::QualifiedName;

static POSTGRES: PostgreSqlDialect = PostgreSqlDialect {};
static SQLITE: SQLiteDialect = SQLiteDialect {};

pub(crate) fn sql_dialect(dialect: Dialect) -> &'static dyn SqlDialect {
    match dialect {
        Dialect::Postgres => &POSTGRES,
        Dialect::Sqlite => &SQLITE,
    }
}

/// sqlparser's tokens of `text`, as `Parser::try_with_sql` reads them.
///
/// A statement is read by several passes (the leading-keyword scan, the
/// parser, the location of what the replay cannot see, annotations) and each
/// used to tokenize it again: unoptimised, as build scripts run, tokenizing
/// was a third of a replay. The last few texts tokenized on this thread are
/// kept with their tokens; the tokenizer is a function of the text and the
/// dialect alone, so a text found there has exactly the tokens kept.
pub(crate) fn raw_tokens(
    text: &str,
    dialect: Dialect,
) -> Result<Vec<TokenWithSpan>, sqlparser::tokenizer::TokenizerError> {
    /// Texts kept: a statement, the rewritten forms of it that the
    /// interpreter parses, and an expression of it.
    const KEPT: usize = 4;
    thread_local! {
        static RECENT: std::cell::RefCell<std::collections::VecDeque<(Dialect, String, Vec<TokenWithSpan>)>> =
            const { std::cell::RefCell::new(std::collections::VecDeque::new()) };
    }
    // A plain text is read again: that costs about what keeping a copy of
    // its tokens and cloning it back does.
    if let Some(tokens) = super::simple_tokens::tokens(text) {
        return Ok(tokens);
    }
    let hit = RECENT.with_borrow(|recent| {
        recent
            .iter()
            .find(|(d, t, _)| *d == dialect && t.len() == text.len() && t == text)
            .map(|(_, _, tokens)| tokens.clone())
    });
    if let Some(tokens) = hit {
        return Ok(tokens);
    }
    let tokens = Tokenizer::new(sql_dialect(dialect), text).tokenize_with_location()?;
    RECENT.with_borrow_mut(|recent| {
        if recent.len() == KEPT {
            recent.pop_back();
        }
        recent.push_front((dialect, text.to_string(), tokens.clone()));
    });
    Ok(tokens)
}

/// A parser over `text`, its tokens from [`raw_tokens`].
fn parser_for(text: &str, dialect: Dialect) -> Result<Parser<'static>, ParserError> {
    let tokens = match take_handed_over(text, dialect) {
        Some(tokens) => tokens,
        None => raw_tokens(text, dialect)?,
    };
    Ok(Parser::new(sql_dialect(dialect)).with_tokens_with_locations(tokens))
}

thread_local! {
    /// The raw tokens of the text [`tokenize`] read last on this thread,
    /// for the parser of the same statement (the interpreter reads a
    /// statement's leading keywords, then parses it): taken, not copied.
    static HANDED_OVER: std::cell::RefCell<Option<(Dialect, String, Vec<TokenWithSpan>)>> =
        const { std::cell::RefCell::new(None) };
}

/// The tokens handed over by [`tokenize`] when they are `text`'s (compared
/// whole: the tokens are a function of the text and the dialect alone).
fn take_handed_over(text: &str, dialect: Dialect) -> Option<Vec<TokenWithSpan>> {
    HANDED_OVER.with_borrow_mut(|slot| match slot {
        Some((d, t, _)) if *d == dialect && t.len() == text.len() && t == text => {
            slot.take().map(|(_, _, tokens)| tokens)
        }
        _ => None,
    })
}

/// Parses exactly one statement.
pub(crate) fn parse_statement(text: &str, dialect: Dialect) -> Fallible<ast::Statement> {
    let mut parser =
        parser_for(text, dialect).map_err(|e| format!("cannot parse statement: {e}"))?;
    let statement = parser
        .parse_statement()
        .map_err(|e| format!("cannot parse statement: {e}"))?;
    while parser.consume_token(&Token::SemiColon) {}
    match parser.peek_token().token {
        Token::EOF => Ok(statement),
        other => Err(format!(
            "cannot parse statement: unexpected `{other}` after its end"
        )),
    }
}

/// Parses a `SELECT …` (a view's definition).
pub(crate) fn parse_query(text: &str, dialect: Dialect) -> Fallible<Box<ast::Query>> {
    let mut parser = parser_for(text, dialect).map_err(|e| format!("cannot parse query: {e}"))?;
    parser
        .parse_query()
        .map_err(|e| format!("cannot parse query: {e}"))
}

pub(crate) fn parse_expr(text: &str, dialect: Dialect) -> Option<ast::Expr> {
    let mut parser = parser_for(text, dialect).ok()?;
    let expr = parser.parse_expr().ok()?;
    matches!(parser.peek_token().token, Token::EOF).then_some(expr)
}

/// A token, without white space and comments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Word { text: String, quoted: bool },
    Str(String),
    Num(String),
    Sym(String),
}

impl Tok {
    /// Whether this is the unquoted keyword `kw` (case-insensitive).
    pub(crate) fn is_kw(&self, kw: &str) -> bool {
        matches!(self, Tok::Word { text, quoted: false } if text.eq_ignore_ascii_case(kw))
    }

    pub(crate) fn is_sym(&self, sym: &str) -> bool {
        matches!(self, Tok::Sym(s) if s == sym)
    }
}

/// Tokens with their byte offsets in the statement text.
pub(crate) struct Tokens {
    pub toks: Vec<Tok>,
    pub offsets: Vec<usize>,
}

pub(crate) fn tokenize(text: &str, dialect: Dialect) -> Fallible<Tokens> {
    let raw = raw_tokens(text, dialect).map_err(|e| format!("cannot read statement: {e}"))?;
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    // Token locations come in order: walk forward once instead of counting
    // characters from each line's start (long one-line expressions).
    let mut at = (1u64, 1u64, 0usize);
    // In ASCII text a column is a byte count: no walk (unoptimised, the
    // walk cost a tenth of a statement's reading).
    let ascii = text.is_ascii();
    let mut offset_of = |line: u64, column: u64| -> usize {
        if ascii {
            let start = usize::try_from(line)
                .ok()
                .and_then(|l| l.checked_sub(1))
                .and_then(|l| line_starts.get(l).copied());
            let column = usize::try_from(column).ok().and_then(|c| c.checked_sub(1));
            if let (Some(start), Some(column)) = (start, column) {
                return (start + column).min(text.len());
            }
        }
        if line != at.0 || column < at.1 {
            let start = usize::try_from(line)
                .ok()
                .and_then(|l| l.checked_sub(1))
                .and_then(|l| line_starts.get(l).copied())
                .unwrap_or(text.len());
            at = (line, 1, start);
        }
        while at.1 < column {
            match text.get(at.2..).and_then(|rest| rest.chars().next()) {
                Some(c) if c != '\n' => {
                    at.1 += 1;
                    at.2 += c.len_utf8();
                }
                _ => break,
            }
        }
        at.2
    };
    let mut toks = Vec::new();
    let mut offsets = Vec::new();
    for t in &raw {
        let tok = match &t.token {
            Token::Whitespace(_) | Token::EOF => continue,
            Token::Word(w) => Tok::Word {
                text: w.value.clone(),
                quoted: w.quote_style.is_some(),
            },
            Token::SingleQuotedString(s)
            | Token::EscapedStringLiteral(s)
            | Token::NationalStringLiteral(s) => Tok::Str(s.clone()),
            Token::DollarQuotedString(s) => Tok::Str(s.value.clone()),
            Token::DoubleQuotedString(s) => Tok::Word {
                text: s.clone(),
                quoted: true,
            },
            Token::Number(n, _) => Tok::Num(n.clone()),
            // The commonest symbols spelled out: formatting a token is most
            // of this loop's cost unoptimised. Each is the token's `Display`.
            Token::LParen => Tok::Sym("(".into()),
            Token::RParen => Tok::Sym(")".into()),
            Token::Comma => Tok::Sym(",".into()),
            Token::SemiColon => Tok::Sym(";".into()),
            Token::Period => Tok::Sym(".".into()),
            Token::Eq => Tok::Sym("=".into()),
            other => Tok::Sym(other.to_string()),
        };
        toks.push(tok);
        offsets.push(offset_of(t.span.start.line, t.span.start.column));
    }
    HANDED_OVER.set(Some((dialect, text.to_string(), raw)));
    Ok(Tokens { toks, offsets })
}

/// First words of statements that change data or the session, not the schema.
const DATA_WORDS: &[&str] = &[
    "INSERT",
    "UPDATE",
    "DELETE",
    "SELECT",
    "WITH",
    "VALUES",
    "SET",
    "RESET",
    "GRANT",
    "REVOKE",
    "ANALYZE",
    "ANALYSE",
    "VACUUM",
    "BEGIN",
    "START",
    "COMMIT",
    "END",
    "ROLLBACK",
    "ABORT",
    "SAVEPOINT",
    "RELEASE",
    "PRAGMA",
    "DO",
    "LOCK",
    "REFRESH",
    "TRUNCATE",
    "COPY",
    "NOTIFY",
    "LISTEN",
    "UNLISTEN",
    "CLUSTER",
    "REINDEX",
    "EXPLAIN",
    "CALL",
    "CHECKPOINT",
    "DISCARD",
    "SHOW",
    "REPLACE",
    "UPSERT",
    "PREPARE",
    "EXECUTE",
    "DEALLOCATE",
    "SECURITY",
    "ATTACH",
    "DETACH",
    "USE",
];

/// The kind of a data statement from its first word alone, so that large
/// `INSERT`s (most of a seed script's bytes) are not tokenized.
pub(crate) fn data_statement(text: &str) -> Option<String> {
    let len = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = text.get(..len)?;
    DATA_WORDS
        .iter()
        .find(|w| w.eq_ignore_ascii_case(word))
        .map(|w| w.to_string())
}

/// What the interpreter does with a statement.
pub(crate) enum Kind {
    CreateTable,
    AlterTable,
    CreateIndex,
    /// Schema objects handled by the token scanner.
    Other,
    /// Not a schema change: reported, not applied.
    Skip(String),
}

pub(crate) fn classify(tokens: &Tokens) -> Kind {
    let words: Vec<String> = tokens
        .toks
        .iter()
        .take(6)
        .map(|t| match t {
            Tok::Word {
                text,
                quoted: false,
            } => text.to_ascii_uppercase(),
            _ => String::new(),
        })
        .collect();
    let w = |i: usize| words.get(i).map(String::as_str).unwrap_or_default();
    let Some(first) = words.first() else {
        return Kind::Skip("EMPTY".into());
    };
    match first.as_str() {
        "CREATE" => {
            let mut i = 1;
            if w(i) == "OR" && w(i + 1) == "REPLACE" {
                i += 2;
            }
            while matches!(w(i), "GLOBAL" | "LOCAL" | "TEMP" | "TEMPORARY" | "UNLOGGED") {
                i += 1;
            }
            match w(i) {
                // A foreign server's user mapping, not a role: refused
                // by the interpreter (see `objects::foreign_data`).
                "USER" if w(i + 1) == "MAPPING" => Kind::Other,
                "TABLE" => Kind::CreateTable,
                "INDEX" => Kind::CreateIndex,
                "UNIQUE" if w(i + 1) == "INDEX" => Kind::CreateIndex,
                "DATABASE" | "ROLE" | "USER" | "SUBSCRIPTION" | "TABLESPACE" => {
                    Kind::Skip(format!("CREATE {}", w(i)))
                }
                _ => Kind::Other,
            }
        }
        "ALTER" => match w(1) {
            "TABLE" => Kind::AlterTable,
            "USER" if w(2) == "MAPPING" => Kind::Other,
            "DATABASE" | "ROLE" | "USER" | "SYSTEM" | "SUBSCRIPTION" | "TABLESPACE" => {
                Kind::Skip(format!("ALTER {}", w(1)))
            }
            "DEFAULT" => Kind::Skip("ALTER DEFAULT PRIVILEGES".into()),
            _ => Kind::Other,
        },
        "DROP" => match w(1) {
            "USER" if w(2) == "MAPPING" => Kind::Other,
            "DATABASE" | "ROLE" | "USER" | "OWNED" | "SUBSCRIPTION" | "TABLESPACE" => {
                Kind::Skip(format!("DROP {}", w(1)))
            }
            _ => Kind::Other,
        },
        "COMMENT" => Kind::Other,
        word if DATA_WORDS.contains(&word) => Kind::Skip(first.clone()),
        _ => Kind::Other,
    }
}

/// A cursor over tokens for the hand-written statement forms.
pub(crate) struct Cursor<'t> {
    pub tokens: &'t Tokens,
    pub pos: usize,
    pub dialect: Dialect,
}

impl<'t> Cursor<'t> {
    pub(crate) fn new(tokens: &'t Tokens, dialect: Dialect) -> Self {
        Cursor {
            tokens,
            pos: 0,
            dialect,
        }
    }

    pub(crate) fn peek(&self) -> Option<&'t Tok> {
        self.tokens.toks.get(self.pos)
    }

    pub(crate) fn peek_at(&self, ahead: usize) -> Option<&'t Tok> {
        self.tokens.toks.get(self.pos + ahead)
    }

    pub(crate) fn next(&mut self) -> Option<&'t Tok> {
        let tok = self.tokens.toks.get(self.pos);
        self.pos += 1;
        tok
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.tokens.toks.len()
    }

    /// Consumes the keywords `kws` if they all follow, in order.
    pub(crate) fn eat(&mut self, kws: &[&str]) -> bool {
        let all = kws
            .iter()
            .enumerate()
            .all(|(i, kw)| self.peek_at(i).is_some_and(|t| t.is_kw(kw)));
        if all {
            self.pos += kws.len();
        }
        all
    }

    pub(crate) fn eat_sym(&mut self, sym: &str) -> bool {
        let found = self.peek().is_some_and(|t| t.is_sym(sym));
        if found {
            self.pos += 1;
        }
        found
    }

    pub(crate) fn expect(&mut self, kws: &[&str]) -> Fallible<()> {
        if self.eat(kws) {
            Ok(())
        } else {
            Err(format!("expected `{}` {}", kws.join(" "), self.here()))
        }
    }

    /// "near `x`", for messages.
    pub(crate) fn here(&self) -> String {
        match self.peek() {
            Some(t) => format!("near `{}`", describe(t)),
            None => "at the end of the statement".into(),
        }
    }

    /// One identifier, folded as the dialect folds it.
    pub(crate) fn ident(&mut self) -> Fallible<String> {
        match self.peek() {
            Some(Tok::Word { text, quoted }) => {
                self.pos += 1;
                Ok(names::fold(text, *quoted, self.dialect))
            }
            Some(Tok::Str(s)) if self.dialect == Dialect::Sqlite => {
                self.pos += 1;
                Ok(s.clone())
            }
            _ => Err(format!("expected a name {}", self.here())),
        }
    }

    /// `[schema.]name`, with the default schema normalised away.
    pub(crate) fn qualified(&mut self) -> Fallible<QualifiedName> {
        let mut parts = vec![self.ident()?];
        while self.peek().is_some_and(|t| t.is_sym(".")) {
            self.pos += 1;
            parts.push(self.ident()?);
        }
        Ok(names::qualify(parts, self.dialect))
    }

    /// A comma-separated list of qualified names.
    pub(crate) fn qualified_list(&mut self) -> Fallible<Vec<QualifiedName>> {
        let mut names = vec![self.qualified()?];
        while self.eat_sym(",") {
            names.push(self.qualified()?);
        }
        Ok(names)
    }

    /// The statement text from the current token to the end.
    pub(crate) fn rest_of<'s>(&self, text: &'s str) -> &'s str {
        let start = self
            .tokens
            .offsets
            .get(self.pos)
            .copied()
            .unwrap_or(text.len());
        text.get(start..).unwrap_or_default().trim()
    }

    pub(crate) fn string(&mut self) -> Fallible<String> {
        match self.peek() {
            Some(Tok::Str(s)) => {
                self.pos += 1;
                Ok(s.clone())
            }
            _ => Err(format!("expected a string literal {}", self.here())),
        }
    }
}

pub(crate) fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Word { text, quoted: true } => format!("\"{text}\""),
        Tok::Word { text, .. } | Tok::Num(text) | Tok::Sym(text) => text.clone(),
        Tok::Str(s) => format!("'{s}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_are_spelled_as_sqlparser_prints_them() {
        // `[ ]` is an array subscript in PostgreSQL, a quoted name in SQLite.
        for (d, text) in [
            (Dialect::Postgres, "( ) , ; . = :: * [ ] <= ||"),
            (Dialect::Sqlite, "( ) , ; . = :: * <= ||"),
        ] {
            let ours: Vec<Tok> = tokenize(text, d).unwrap().toks;
            let printed: Vec<Tok> = Tokenizer::new(sql_dialect(d), text)
                .tokenize()
                .unwrap()
                .into_iter()
                .filter(|t| !matches!(t, Token::Whitespace(_)))
                .map(|t| Tok::Sym(t.to_string()))
                .collect();
            assert_eq!(ours, printed);
        }
    }

    #[test]
    fn a_text_tokenized_again_has_the_same_tokens() {
        // Kept texts are compared whole: a text that only starts like a
        // kept one, or the same text in the other dialect, is tokenized.
        let a = tokenize("SELECT a FROM t", Dialect::Postgres).unwrap().toks;
        let longer = tokenize("SELECT a FROM t2", Dialect::Postgres)
            .unwrap()
            .toks;
        assert_ne!(a, longer);
        let again = tokenize("SELECT a FROM t", Dialect::Postgres).unwrap().toks;
        assert_eq!(a, again);
        // `"x"` is a quoted name in both; `[x]` is one only in SQLite.
        let pg = tokenize("[x]", Dialect::Postgres).unwrap().toks;
        let sqlite = tokenize("[x]", Dialect::Sqlite).unwrap().toks;
        assert_ne!(pg, sqlite);
        for _ in 0..10 {
            tokenize(&format!("SELECT {}", "x".repeat(3)), Dialect::Postgres).unwrap();
        }
        assert_eq!(tokenize("[x]", Dialect::Postgres).unwrap().toks, pg);
    }

    #[test]
    fn handed_over_tokens_are_only_those_of_the_same_text() {
        let fresh =
            |text: &str, d: Dialect| Parser::parse_sql(sql_dialect(d), text).unwrap().remove(0);
        let d = Dialect::Postgres;
        tokenize("CREATE TABLE a (x int)", d).unwrap();
        // The same length, another text: parsed from its own tokens.
        let other = "CREATE TABLE b (y int)";
        assert_eq!(parse_statement(other, d).unwrap(), fresh(other, d));
        let same = "CREATE TABLE a (x int)";
        tokenize(same, d).unwrap();
        assert_eq!(parse_statement(same, d).unwrap(), fresh(same, d));
        // Taken once: the next parse reads the text again.
        assert_eq!(parse_statement(same, d).unwrap(), fresh(same, d));
        // `[x]` is a quoted name in SQLite only: the other dialect's tokens
        // are not taken.
        let text = "SELECT [x] FROM t";
        tokenize(text, Dialect::Sqlite).unwrap();
        assert_eq!(
            parse_query(text, Dialect::Postgres)
                .ok()
                .map(|q| q.to_string()),
            Parser::new(sql_dialect(Dialect::Postgres))
                .try_with_sql(text)
                .unwrap()
                .parse_query()
                .ok()
                .map(|q| q.to_string())
        );
    }

    #[test]
    fn token_offsets_point_at_token_starts() {
        let text = "SELECT 'é', \"Ä\"\n  ,  x  -- c\n FROM t.u";
        let tokens = tokenize(text, Dialect::Postgres).unwrap();
        let starts: Vec<&str> = tokens
            .offsets
            .iter()
            .map(|&o| &text[o..o + text[o..].chars().next().unwrap().len_utf8()])
            .collect();
        assert_eq!(
            starts,
            vec!["S", "'", ",", "\"", ",", "x", "F", "t", ".", "u"]
        );
        // ASCII text, its columns read as byte counts.
        let text = "SELECT a,\r\n\tbb -- c\n  FROM t.\"u v\";";
        let tokens = tokenize(text, Dialect::Postgres).unwrap();
        let starts: Vec<&str> = tokens.offsets.iter().map(|&o| &text[o..o + 1]).collect();
        assert_eq!(starts, vec!["S", "a", ",", "b", "F", "t", ".", "\"", ";"]);
    }

    #[test]
    fn data_statements_are_known_by_their_first_word() {
        assert_eq!(
            data_statement("insert into t values (1)").as_deref(),
            Some("INSERT")
        );
        assert_eq!(data_statement("CREATE TABLE t (a int)"), None);
        assert_eq!(data_statement("Setting"), None);
    }
}
