//! sqlparser's tokens for the plain statements most migrations are made of,
//! without sqlparser's tokenizer.
//!
//! Unoptimised, as build scripts run their dependencies, sqlparser's
//! tokenizer was a quarter of the build gate's time, half of it in its
//! keyword look-up (a binary search of 700 keywords, a closure call per
//! byte compared). A text made only of unquoted words, integers, simple
//! quoted strings and names, white space and a few punctuation marks is
//! tokenized here instead, into exactly the tokens and spans sqlparser gives
//! it; anything else (comments, operators, escapes, dollar quotes, numbers
//! with a fraction, a word glued to a quote, `COPY`…) returns `None` and the
//! caller asks sqlparser. The tests compare the two on generated texts and
//! on every statement of the corpora.

use std::sync::OnceLock;

use sqlparser::keywords::{ALL_KEYWORDS, ALL_KEYWORDS_INDEX, Keyword};
use sqlparser::tokenizer::{Location, Span, Token, TokenWithSpan, Whitespace, Word};

/// The tokens of `text` as `Tokenizer::tokenize_with_location` gives them
/// for PostgreSQL and SQLite, or `None` when the text holds anything this
/// does not read.
pub(super) fn tokens(text: &str) -> Option<Vec<TokenWithSpan>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 2);
    let (mut line, mut column) = (1u64, 1u64);
    let mut i = 0;
    let mut seen_word = false;
    while i < bytes.len() {
        let start = Location { line, column };
        let b = bytes[i];
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        // Bytes taken, all on this line unless the token says otherwise.
        let mut len = 1;
        let token = match b {
            b' ' => Token::Whitespace(Whitespace::Space),
            b'\t' => Token::Whitespace(Whitespace::Tab),
            b'\n' => Token::Whitespace(Whitespace::Newline),
            b'(' => Token::LParen,
            b')' => Token::RParen,
            b',' => Token::Comma,
            b';' => Token::SemiColon,
            b'*' => Token::Mul,
            b'+' => Token::Plus,
            b'=' if next != b'>' && next != b'=' => Token::Eq,
            b':' if next == b':' => {
                len = 2;
                Token::DoubleColon
            }
            // `._` and `.5` are read otherwise.
            b'.' if next.is_ascii_alphabetic() || next == b'"' => Token::Period,
            b'\'' | b'"' => {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b {
                    if bytes[j] == b'\\' {
                        return None;
                    }
                    j += 1;
                }
                // Unclosed, or a doubled quote (an escape).
                if j == bytes.len() || bytes.get(j + 1) == Some(&b) {
                    return None;
                }
                let inside = &text[i + 1..j];
                i = j + 1;
                column += 1;
                for c in inside.chars() {
                    if c == '\n' {
                        line += 1;
                        column = 1;
                    } else {
                        column += 1;
                    }
                }
                column += 1;
                let token = if b == b'\'' {
                    Token::SingleQuotedString(inside.to_string())
                } else {
                    Token::Word(Word {
                        value: inside.to_string(),
                        quote_style: Some('"'),
                        keyword: Keyword::NoKeyword,
                    })
                };
                out.push(TokenWithSpan {
                    token,
                    span: Span {
                        start,
                        end: Location { line, column },
                    },
                });
                continue;
            }
            b'0'..=b'9' => {
                while i + len < bytes.len() && bytes[i + len].is_ascii_digit() {
                    len += 1;
                }
                // `1.5`, `1e3`, `0x1f`, `1_000`, `1L`, `1a`: sqlparser's rules.
                if bytes.get(i + len).is_some_and(|&c| glued(c) || c == b'.') {
                    return None;
                }
                Token::Number(text[i..i + len].to_string(), false)
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while i + len < bytes.len()
                    && (bytes[i + len].is_ascii_alphanumeric() || bytes[i + len] == b'_')
                {
                    len += 1;
                }
                // `$`, non-ASCII letters, and prefixes (`E'…'`, `x'…'`, `U&'…'`).
                if bytes.get(i + len).is_some_and(|&c| glued(c)) {
                    return None;
                }
                let word = &text[i..i + len];
                // sqlparser reads the data after `COPY … FROM stdin;`.
                if !seen_word && word.eq_ignore_ascii_case("COPY") {
                    return None;
                }
                seen_word = true;
                Token::Word(Word {
                    value: word.to_string(),
                    quote_style: None,
                    keyword: keyword(word.as_bytes()),
                })
            }
            _ => return None,
        };
        i += len;
        if b == b'\n' {
            line += 1;
            column = 1;
        } else {
            column += len as u64;
        }
        out.push(TokenWithSpan {
            token,
            span: Span {
                start,
                end: Location { line, column },
            },
        });
    }
    Some(out)
}

/// Whether `c` right after a word or a number would make sqlparser read
/// them otherwise (or read on).
fn glued(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'\'' | b'"' | b'&') || !c.is_ascii()
}

/// The keyword `word` is (ASCII case-insensitively), as sqlparser's
/// `keyword_lookup` finds it; keywords are filed by length and first letter.
fn keyword(word: &[u8]) -> Keyword {
    static TABLE: OnceLock<Vec<Vec<usize>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = vec![Vec::new(); 32 * 64];
        for (i, kw) in ALL_KEYWORDS.iter().enumerate() {
            if let Some(&first) = kw.as_bytes().first() {
                table[bucket(kw.len(), first)].push(i);
            }
        }
        table
    });
    let Some(&first) = word.first() else {
        return Keyword::NoKeyword;
    };
    for &i in &table[bucket(word.len(), first)] {
        let kw = ALL_KEYWORDS[i].as_bytes();
        if kw.len() != word.len() {
            continue;
        }
        let mut k = 0;
        while k < kw.len() && kw[k] == word[k].to_ascii_uppercase() {
            k += 1;
        }
        if k == kw.len() {
            return ALL_KEYWORDS_INDEX[i];
        }
    }
    Keyword::NoKeyword
}

fn bucket(len: usize, first: u8) -> usize {
    (len & 31) * 64 + usize::from(first.to_ascii_uppercase() & 63)
}

#[cfg(test)]
mod tests {
    use super::tokens;
    use crate::dialect::Dialect;
    use proptest::prelude::*;
    use sqlparser::tokenizer::Tokenizer;

    fn sqlparser(text: &str, d: Dialect) -> Option<Vec<sqlparser::tokenizer::TokenWithSpan>> {
        Tokenizer::new(super::super::scan::sql_dialect(d), text)
            .tokenize_with_location()
            .ok()
    }

    /// Where this reads a text, it reads it as sqlparser does, in both dialects.
    fn agrees(text: &str) -> bool {
        let Some(ours) = tokens(text) else {
            return false;
        };
        for d in [Dialect::Postgres, Dialect::Sqlite] {
            assert_eq!(Some(&ours), sqlparser(text, d).as_ref(), "{d:?}: {text:?}");
        }
        true
    }

    #[test]
    fn plain_statements_are_read_here() {
        for text in [
            "CREATE TABLE t1 (\n    id BIGSERIAL PRIMARY KEY,\n    name TEXT NOT NULL,\n    created_at TIMESTAMPTZ NOT NULL DEFAULT now()\n)",
            "ALTER TABLE public.t1 ADD COLUMN note VARCHAR(200)",
            "CREATE INDEX t1_name_idx ON t1 (name, created_at)",
            "ALTER TABLE t2 ADD COLUMN parent_id BIGINT REFERENCES t1 (id) ON DELETE CASCADE",
            "CREATE TABLE \"Odd name\" (\"é\" int DEFAULT 'it is', b text DEFAULT '')",
            "SELECT a.b, count(*) + 1 FROM s.\"T\" WHERE x = 'multi\nline' AND y::text = '0'",
            "_x\tselect\t12;",
            "",
        ] {
            assert!(agrees(text), "not read here: {text:?}");
        }
    }

    #[test]
    fn anything_else_is_left_to_sqlparser() {
        for text in [
            "SELECT 1.5",
            "SELECT .5",
            "SELECT 1e3",
            "SELECT 0x1f",
            "SELECT 1_000",
            "SELECT E'a\\nb'",
            "SELECT x'00'",
            "SELECT U&'x'",
            "SELECT 'it''s'",
            "SELECT \"a\"\"b\"",
            "SELECT a -- comment",
            "SELECT $1",
            "SELECT a$b",
            "SELECT café",
            "SELECT a->b",
            "SELECT a => b",
            "SELECT a == b",
            "SELECT a := b",
            "SELECT t._x",
            "COPY t FROM stdin;\n1\n\\.",
            "SELECT 'unclosed",
            "SELECT a\r\nFROM t",
        ] {
            assert!(tokens(text).is_none(), "read here: {text:?}");
        }
    }

    const PIECES: &[&str] = &[
        " ", "\n", "\t", "(", ")", ",", ";", ".", "=", "::", ":", "*", "+", "-", "'", "\"", "$",
        "_", "0", "1", "42", "e", "E", "x", "N", "b", "U", "&", "L", "a", "id", "ID", "select",
        "Create", "TABLE", "copy", "from", "stdin", "now", "nextval", "'s'", "''", "\"Q\"", "\"\"",
        "é", "\\", "[", "]", "`", "/", "--", "/*", "*/", "\r", "1.5", "'a\nb'", "from_", "_from",
        "t1", "varchar", "CASCADE", "z9_",
    ];

    /// Pieces this reads, so that most texts made of them are read here.
    const READ: &[&str] = &[
        " ", "\n", "(", ")", ",", ";", " = ", "::", "*", "+", "id", "ID", "select", "TABLE", "now",
        "'s'", "'é\nx'", "''", "\"Q\"", "\"\"", "t1", "1", "42", "varchar", ".a", ".\"b\"", "_x",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn reads_what_sqlparser_reads(pieces in proptest::collection::vec(0..PIECES.len(), 0..24)) {
            let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
            agrees(&text);
        }

        #[test]
        fn reads_plain_texts_as_sqlparser_does(pieces in proptest::collection::vec(0..READ.len(), 0..40)) {
            let text: String = pieces.iter().map(|&i| READ[i]).collect();
            agrees(&text);
        }
    }

    /// Every statement of the real migration sets: where this reads one, it
    /// reads it as sqlparser does; most of them are read here.
    #[test]
    fn corpora_statements_read_as_sqlparser_reads_them() {
        let dir =
            std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpora"));
        if !dir.is_dir() {
            eprintln!("note: {} missing, corpus check skipped", dir.display());
            return;
        }
        let (mut read, mut all) = (0, 0);
        for entry in walkdir::WalkDir::new(&dir) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "sql") {
                continue;
            }
            let Ok(sql) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let Ok(statements) = crate::ddl::split_statements(&sql) else {
                continue;
            };
            for s in statements {
                all += 1;
                if agrees(s.text) {
                    read += 1;
                }
            }
        }
        eprintln!("{read} of {all} corpus statements read without sqlparser's tokenizer");
        assert!(all == 0 || read * 3 > all, "{read} of {all}");
    }
}
