//! What the linter needs to know of a statement's text beyond the schema
//! change it makes: how it was written (`CONCURRENTLY`, `NOT VALID`, `USING
//! INDEX`, a `RENAME`), session settings (`SET lock_timeout`), suppression
//! comments above it, and what a default or check expression calls. Read
//! here because this module is the only one that reads SQL text.

use std::collections::HashSet;

use super::scan::{self, Tok};
use crate::dialect::Dialect;
use crate::schema::Expr;

/// The comment that silences one lint rule for the statement below it.
pub const LINT_IGNORE_DIRECTIVE: &str = "-- migrate:lint-ignore";

/// How a statement is written, as far as the lint rules care.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatementFacts {
    pub kind: StatementKind,
    /// `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`,
    /// `REINDEX … CONCURRENTLY`, `DETACH PARTITION … CONCURRENTLY`.
    pub concurrently: bool,
    /// `… NOT VALID` anywhere in the statement.
    pub not_valid: bool,
    /// `ADD … PRIMARY KEY USING INDEX` / `UNIQUE USING INDEX`.
    pub using_index: bool,
    /// `ALTER … RENAME …`: a name disappearing and one appearing in the
    /// same statement are one object renamed.
    pub renames: bool,
    /// `SET [SESSION | LOCAL] lock_timeout …`.
    pub sets_lock_timeout: bool,
    /// Every word of the statement, lower-cased: the objects it can change
    /// are among them. `None` when it may change objects it does not name
    /// (`CASCADE`, text the tokenizer cannot read).
    pub words: Option<HashSet<String>>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatementKind {
    CreateIndex,
    AlterTable,
    CreateTable,
    Drop,
    /// `SET`, `RESET`, `PRAGMA`: session settings.
    Setting,
    /// Data statements and everything else.
    #[default]
    Other,
}

/// The facts of one statement (as [`super::split_statements`] returns it).
/// Text the tokenizer cannot read has no facts beyond the defaults.
pub fn statement_facts(text: &str, dialect: Dialect) -> StatementFacts {
    // Data statements change no object: not worth tokenizing (seed
    // scripts' INSERTs are most of their bytes). Settings are read.
    if let Some(kind) = scan::data_statement(text)
        && !matches!(kind.as_str(), "SET" | "RESET" | "PRAGMA")
    {
        return StatementFacts {
            words: Some(HashSet::new()),
            ..StatementFacts::default()
        };
    }
    let Ok(tokens) = scan::tokenize(text, dialect) else {
        return StatementFacts::default();
    };
    let toks = &tokens.toks;
    let kw = |i: usize, word: &str| toks.get(i).is_some_and(|t| t.is_kw(word));
    let kind = if kw(0, "CREATE") {
        let index_at = if kw(1, "UNIQUE") { 2 } else { 1 };
        if kw(index_at, "INDEX") {
            StatementKind::CreateIndex
        } else if (1..4).any(|i| kw(i, "TABLE")) && !(1..4).any(|i| kw(i, "VIRTUAL")) {
            StatementKind::CreateTable
        } else {
            StatementKind::Other
        }
    } else if kw(0, "ALTER") && kw(1, "TABLE") {
        StatementKind::AlterTable
    } else if kw(0, "DROP") {
        StatementKind::Drop
    } else if kw(0, "SET") || kw(0, "RESET") || kw(0, "PRAGMA") {
        StatementKind::Setting
    } else {
        StatementKind::Other
    };
    let pair = |a: &str, b: &str| toks.windows(2).any(|w| w[0].is_kw(a) && w[1].is_kw(b));
    let sets_lock_timeout = kw(0, "SET") && {
        let at = if kw(1, "SESSION") || kw(1, "LOCAL") {
            2
        } else {
            1
        };
        kw(at, "lock_timeout")
    };
    StatementFacts {
        kind,
        concurrently: toks.iter().any(|t| t.is_kw("CONCURRENTLY")),
        not_valid: pair("NOT", "VALID"),
        using_index: pair("USING", "INDEX"),
        renames: kw(0, "ALTER") && toks.iter().any(|t| t.is_kw("RENAME")),
        sets_lock_timeout,
        words: (!toks.iter().any(|t| t.is_kw("CASCADE"))).then(|| {
            toks.iter()
                .filter_map(|t| match t {
                    Tok::Word { text, .. } => Some(text.to_lowercase()),
                    _ => None,
                })
                .collect()
        }),
    }
}

/// A `-- migrate:lint-ignore <code> <why>` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LintIgnore {
    /// As written: a rule's code or name.
    pub rule: String,
    /// Empty when none was written.
    pub reason: String,
    /// 1-based line of the comment.
    pub line: usize,
}

/// The `-- migrate:lint-ignore` comments in the block of comment lines
/// directly above `line` (1-based) of `sql`: the comments that belong to
/// the statement starting there. A blank line ends the block.
pub fn lint_ignores(sql: &str, line: usize) -> Vec<LintIgnore> {
    let lines: Vec<&str> = sql.lines().take(line.saturating_sub(1)).collect();
    let mut out = Vec::new();
    for (i, text) in lines.iter().enumerate().rev() {
        let text = text.trim();
        if !text.starts_with("--") {
            break;
        }
        if let Some(rest) = text.strip_prefix(LINT_IGNORE_DIRECTIVE) {
            // `-- migrate:lint-ignored` is not the directive.
            if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
                continue;
            }
            let rest = rest.trim();
            let (rule, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            out.push(LintIgnore {
                rule: rule.to_string(),
                reason: reason.trim().to_string(),
                line: i + 1,
            });
        }
    }
    out.reverse();
    out
}

/// Functions whose result differs row by row: as a column default they make
/// `ADD COLUMN` write every row (PostgreSQL stores a constant default in the
/// catalog instead).
const VOLATILE: &[&str] = &[
    "random",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "uuidv4",
    "uuidv7",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "txid_current",
    "pg_current_xact_id",
    "setseed",
];

/// The first volatile function `expr` calls, lower-cased.
pub fn volatile_call(expr: &Expr, dialect: Dialect) -> Option<String> {
    let tokens = scan::tokenize(&expr.sql, dialect).ok()?;
    tokens.toks.windows(2).find_map(|w| match (&w[0], &w[1]) {
        (Tok::Word { text, .. }, next) if next.is_sym("(") => {
            let name = text.to_ascii_lowercase();
            VOLATILE.contains(&name.as_str()).then_some(name)
        }
        _ => None,
    })
}

/// Whether SQLite accepts `expr` as the default of `ALTER TABLE … ADD
/// COLUMN`: a literal, a signed number, NULL, TRUE or FALSE. Not
/// `CURRENT_TIMESTAMP` and friends, nor an expression in parentheses.
pub fn is_constant_default(expr: &Expr, dialect: Dialect) -> bool {
    let Ok(tokens) = scan::tokenize(&expr.sql, dialect) else {
        return false;
    };
    match tokens.toks.as_slice() {
        [Tok::Str(_)] | [Tok::Num(_)] => true,
        [sign, Tok::Num(_)] => sign.is_sym("-") || sign.is_sym("+"),
        [word] => word.is_kw("NULL") || word.is_kw("TRUE") || word.is_kw("FALSE"),
        // A blob literal: X'0A'.
        [x, Tok::Str(_)] => x.is_kw("X"),
        _ => false,
    }
}

/// Whether `expr` is `column IS NOT NULL` (in parentheses or not): a valid
/// check of that form lets PostgreSQL 12 and newer `SET NOT NULL` without
/// scanning the table.
pub fn is_not_null_check(expr: &Expr, column: &str, dialect: Dialect) -> bool {
    let Ok(tokens) = scan::tokenize(&expr.sql, dialect) else {
        return false;
    };
    let mut toks = tokens.toks.as_slice();
    while let [open, inner @ .., close] = toks
        && open.is_sym("(")
        && close.is_sym(")")
    {
        toks = inner;
    }
    match toks {
        [Tok::Word { text, .. }, is, not, null] => {
            dialect.same_name(text, column)
                && is.is_kw("IS")
                && not.is_kw("NOT")
                && null.is_kw("NULL")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PG: Dialect = Dialect::Postgres;

    #[test]
    fn facts_of_statements() {
        let f = statement_facts("CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)", PG);
        assert_eq!(f.kind, StatementKind::CreateIndex);
        assert!(f.concurrently);
        let f = statement_facts("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID", PG);
        assert_eq!(f.kind, StatementKind::AlterTable);
        assert!(f.not_valid && !f.concurrently && !f.renames);
        let f = statement_facts(
            "ALTER TABLE t ADD CONSTRAINT p PRIMARY KEY USING INDEX i",
            PG,
        );
        assert!(f.using_index);
        assert!(statement_facts("ALTER TABLE t RENAME COLUMN a TO b", PG).renames);
        assert!(statement_facts("SET lock_timeout = '2s'", PG).sets_lock_timeout);
        assert!(statement_facts("SET LOCAL lock_timeout TO '2s'", PG).sets_lock_timeout);
        assert!(!statement_facts("SET statement_timeout = 0", PG).sets_lock_timeout);
        let words = statement_facts("ALTER TABLE app.\"Users\" ADD x int", PG)
            .words
            .unwrap();
        assert!(words.contains("users") && words.contains("app"));
        assert_eq!(statement_facts("DROP TYPE t CASCADE", PG).words, None);
        assert_eq!(
            statement_facts("INSERT INTO t VALUES (1)", PG).words,
            Some(HashSet::new())
        );
        // A quoted word is a name, not a keyword.
        assert!(!statement_facts("CREATE INDEX \"concurrently\" ON t (a)", PG).concurrently);
    }

    #[test]
    fn ignores_are_the_comment_block_above() {
        let sql = "-- migrate:lint-ignore DS101 unused since 2024\n\
                   -- other note\n\
                   -- migrate:lint-ignore drop-column\n\
                   DROP TABLE t;\n\
                   -- migrate:lint-ignore PG101 far away\n\
                   \n\
                   DROP TABLE u;\n";
        let found = lint_ignores(sql, 4);
        assert_eq!(
            found,
            vec![
                LintIgnore {
                    rule: "DS101".into(),
                    reason: "unused since 2024".into(),
                    line: 1
                },
                LintIgnore {
                    rule: "drop-column".into(),
                    reason: String::new(),
                    line: 3
                }
            ]
        );
        assert!(lint_ignores(sql, 7).is_empty());
        assert!(lint_ignores("-- migrate:lint-ignoredx A\nDROP TABLE t", 2).is_empty());
    }

    #[test]
    fn expressions() {
        let e = |s: &str| Expr::new(s.to_string(), PG);
        assert_eq!(
            volatile_call(&e("gen_random_uuid()"), PG).as_deref(),
            Some("gen_random_uuid")
        );
        assert_eq!(volatile_call(&e("now()"), PG), None);
        assert_eq!(volatile_call(&e("'random'"), PG), None);
        let s = Dialect::Sqlite;
        assert!(is_constant_default(&e("'x'"), s));
        assert!(is_constant_default(&e("-1"), s));
        assert!(is_constant_default(&e("NULL"), s));
        assert!(!is_constant_default(&e("CURRENT_TIMESTAMP"), s));
        assert!(!is_constant_default(&e("(1)"), s));
        assert!(is_not_null_check(&e("(email IS NOT NULL)"), "email", PG));
        assert!(!is_not_null_check(&e("email IS NULL"), "email", PG));
        assert!(!is_not_null_check(&e("name IS NOT NULL"), "email", PG));
    }
}
