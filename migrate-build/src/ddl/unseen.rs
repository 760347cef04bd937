//! Schema changes the replay cannot see: DDL inside a `DO` block, and DDL a
//! routine's body runs when it is called (written out, or built as text and
//! run with `EXECUTE`). The statement holding it is applied (or skipped) as
//! usual; each DDL statement inside is listed with its file:line:col, so
//! that `new`, `check` and the build gate can say what the model lacks, and
//! `check` can name them as the likely cause when the database differs.

use super::scan::{self, Tok};
use crate::dialect::Dialect;

/// One statement inside a body: what it is, and its byte offset in the
/// outer statement's text.
pub(crate) struct Unseen {
    pub kind: String,
    pub offset: usize,
}

/// The leading words of a statement whose body may run DDL: `DO`, or
/// `CREATE [OR REPLACE] FUNCTION|PROCEDURE` (the routine's name after it).
fn holder(text: &str) -> Option<&'static str> {
    let mut words = text
        .split(|c: char| c.is_whitespace() || c == '(')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase);
    match words.next()?.as_str() {
        "DO" => Some("a DO block"),
        "CREATE" => {
            let mut w = words.next()?;
            if w == "OR" {
                words.next()?; // REPLACE
                w = words.next()?;
            }
            match w.as_str() {
                "FUNCTION" => Some("the body of a function (it runs when the function is called)"),
                "PROCEDURE" => {
                    Some("the body of a procedure (it runs when the procedure is called)")
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Statement-leading words that change the schema.
const DDL: &[&str] = &["CREATE", "ALTER", "DROP", "COMMENT", "TRUNCATE"];

/// Each DDL statement inside `text`'s body, when `text` is a `DO` block or
/// routine definition; empty otherwise (and for statements the tokenizer
/// cannot read: those are reported by the interpreter itself).
pub(crate) fn find(text: &str, dialect: Dialect) -> Vec<Unseen> {
    if !dialect.rules().bodies_run_ddl() {
        return Vec::new();
    }
    let Some(place) = holder(text) else {
        return Vec::new();
    };
    let Ok(outer) = scan::tokenize(text, dialect) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (tok, &offset) in outer.toks.iter().zip(&outer.offsets) {
        let Tok::Str(body) = tok else { continue };
        // The body as written starts after its opening quote; found in the
        // text when it is there verbatim (dollar quotes), else the string's start.
        let body_start = text
            .get(offset..)
            .and_then(|rest| rest.find(body.as_str()))
            .map_or(offset, |i| offset + i);
        // Only a word below is ever reported, and a word is text of the
        // body: a body without any of them (most of them, unoptimised the
        // bulk of this function's cost) needs no tokens.
        let upper = body.to_ascii_uppercase();
        if !DDL.iter().chain(&["EXECUTE"]).any(|w| upper.contains(w)) {
            continue;
        }
        let Ok(inner) = scan::tokenize(body, dialect) else {
            continue;
        };
        let mut statement_start = true;
        for (i, t) in inner.toks.iter().enumerate() {
            let starts = statement_start;
            statement_start = t.is_sym(";")
                || t.is_kw("BEGIN")
                || t.is_kw("THEN")
                || t.is_kw("ELSE")
                || t.is_kw("LOOP")
                || t.is_kw("$$");
            let at = body_start + inner.offsets.get(i).copied().unwrap_or(0);
            let word = |k: usize| match inner.toks.get(k) {
                Some(Tok::Word {
                    text,
                    quoted: false,
                }) => text.to_ascii_uppercase(),
                _ => String::new(),
            };
            if t.is_kw("EXECUTE") {
                found.push(Unseen {
                    kind: format!("EXECUTE (SQL built at run time) in {place}"),
                    offset: at,
                });
            } else if starts && DDL.iter().any(|k| t.is_kw(k)) {
                let mut what = word(i);
                let next = word(i + 1);
                if !next.is_empty() {
                    what = format!("{what} {next}");
                }
                found.push(Unseen {
                    kind: format!("{what} in {place}"),
                    offset: at,
                });
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(sql: &str) -> Vec<(String, String)> {
        find(sql, Dialect::Postgres)
            .into_iter()
            .map(|u| (u.kind, sql[u.offset..].chars().take(12).collect()))
            .collect()
    }

    #[test]
    fn ddl_in_do_blocks_and_routines() {
        let got = kinds(
            "DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1) THEN\n    CREATE TABLE t (a int);\n  END IF;\n  ALTER TABLE t ADD b int;\nEND\n$$",
        );
        assert_eq!(
            got,
            vec![
                (
                    "CREATE TABLE in a DO block".to_string(),
                    "CREATE TABLE".to_string()
                ),
                (
                    "ALTER TABLE in a DO block".to_string(),
                    "ALTER TABLE ".to_string()
                ),
            ]
        );
        let got = kinds(
            "CREATE OR REPLACE FUNCTION mk(n text) RETURNS void LANGUAGE plpgsql AS $f$\nBEGIN\n  EXECUTE format('CREATE TABLE %I (a int)', n);\nEND $f$",
        );
        assert_eq!(got.len(), 1);
        assert!(
            got[0]
                .0
                .starts_with("EXECUTE (SQL built at run time) in the body of a function")
        );
        assert_eq!(got[0].1, "EXECUTE form");
        // Words are found whatever their case.
        assert_eq!(
            kinds("DO $$ begin create table t (a int); end $$"),
            vec![(
                "CREATE TABLE in a DO block".to_string(),
                "create table".to_string()
            )]
        );
        // Data and plain logic are not DDL.
        assert!(kinds("DO $$ BEGIN UPDATE t SET a = 1; PERFORM 1; END $$").is_empty());
        assert!(kinds("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'").is_empty());
        assert!(kinds("CREATE TABLE t (a text DEFAULT 'DROP TABLE x')").is_empty());
        assert!(
            find(
                "DO $$ BEGIN CREATE TABLE t (a int); END $$",
                Dialect::Sqlite
            )
            .is_empty()
        );
    }

    #[test]
    fn statements_on_another_tools_history_table_are_skipped() {
        let file = crate::ddl::SourceFile {
            path: "m.sql",
            sql: "CREATE TABLE a (x int);\nALTER TABLE schema_migrations ADD COLUMN note text;\nDROP TABLE goose_db_version;\n",
        };
        let (schema, report) = crate::ddl::parse_schema(Dialect::Postgres, &[file]).unwrap();
        assert_eq!(schema.tables.len(), 1);
        let kinds: Vec<_> = report
            .skipped
            .iter()
            .map(|s| (s.line, s.kind.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (
                    2,
                    "statement on schema_migrations (another tool's history table)"
                ),
                (
                    3,
                    "statement on goose_db_version (another tool's history table)"
                ),
            ]
        );
        // Any other missing table is still an error.
        let file = crate::ddl::SourceFile {
            path: "m.sql",
            sql: "ALTER TABLE nope ADD COLUMN b int;",
        };
        assert!(crate::ddl::parse_schema(Dialect::Postgres, &[file]).is_err());
    }

    #[test]
    fn listed_at_their_own_line_and_column() {
        let file = crate::ddl::SourceFile {
            path: "m.sql",
            sql: "CREATE TABLE a (x int);
  DO $$ BEGIN
    DROP TABLE a;
  END $$;
DO $$ BEGIN CREATE INDEX i ON a (x); END $$;
",
        };
        let (schema, report) = crate::ddl::parse_schema(Dialect::Postgres, &[file]).unwrap();
        assert_eq!(schema.tables.len(), 1, "the replay still holds the table");
        let got: Vec<_> = report
            .unmodelled
            .iter()
            .map(|u| (u.line, u.column, u.kind.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (3, 5, "DROP TABLE in a DO block"),
                (5, 13, "CREATE INDEX in a DO block"),
            ]
        );
    }
}
