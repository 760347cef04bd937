//! SQLite `CREATE VIRTUAL TABLE name USING module(arguments)`.
//!
//! SQLite does not parse a virtual table's arguments: it splits them at
//! top-level commas and hands each one to the module as text. The model
//! does the same, so the arguments compare as the module sees them.

use super::scan::{self, Cursor, Tok, Tokens};
use super::{Fallible, Outcome};
use crate::dialect::Dialect;
use crate::schema::{Schema, VirtualTable};

/// Reads the statement (the cursor is after `CREATE VIRTUAL TABLE`) and adds
/// the table to `schema`.
pub(super) fn create(schema: &mut Schema, text: &str, c: &mut Cursor<'_>) -> Fallible<Outcome> {
    if schema.dialect != Dialect::Sqlite {
        return Err("CREATE VIRTUAL TABLE is SQLite's; it is not modelled here".into());
    }
    let if_not_exists = c.eat(&["IF", "NOT", "EXISTS"]);
    let table = read(text, c)?;
    let taken = schema.table(&table.name).is_some()
        || schema.view(&table.name).is_some()
        || schema.virtual_table(&table.name).is_some();
    if taken {
        return if if_not_exists {
            Ok(Outcome::Applied)
        } else {
            Err(format!("table `{}` already exists", table.name))
        };
    }
    schema.virtual_tables.push(table);
    Ok(Outcome::Applied)
}

/// `Some("CREATE TABLE docs_content (a shadow table of virtual table docs)")`
/// when the statement creates a shadow table of a virtual table `schema`
/// already has: `sqlite3 .schema` prints them after their virtual table (as
/// `CREATE TABLE IF NOT EXISTS 'docs_content'(…)`), and the module makes
/// them itself. Skipped and listed, as the tables SQLite keeps are.
pub(super) fn shadow_table(schema: &Schema, tokens: &Tokens) -> Option<String> {
    let toks = &tokens.toks;
    if !(toks.first()?.is_kw("CREATE") && toks.get(1)?.is_kw("TABLE")) {
        return None;
    }
    let mut at = 2;
    if toks.get(at).is_some_and(|t| t.is_kw("IF")) {
        at += 3;
    }
    if toks.get(at + 1).is_some_and(|t| t.is_sym(".")) {
        at += 2;
    }
    // SQLite takes a string where a name is expected, and `.schema` writes one.
    let name = match toks.get(at)? {
        Tok::Word { text, .. } | Tok::Str(text) => text,
        Tok::Num(_) | Tok::Sym(_) => return None,
    };
    let rules = schema.dialect.rules();
    schema.virtual_tables.iter().find_map(|v| {
        let owner = &v.name.name;
        let suffix = name
            .get(..owner.len())
            .filter(|p| p.eq_ignore_ascii_case(owner))
            .and_then(|_| name.get(owner.len()..))?
            .strip_prefix('_')?;
        rules
            .shadow_table_suffixes(&v.module)
            .iter()
            .any(|s| s.eq_ignore_ascii_case(suffix))
            .then(|| format!("CREATE TABLE {name} (a shadow table of virtual table {owner})"))
    })
}

/// A stored `CREATE VIRTUAL TABLE` statement (SQLite's `sqlite_schema.sql`).
pub(crate) fn parse(sql: &str) -> Fallible<VirtualTable> {
    let tokens = scan::tokenize(sql, Dialect::Sqlite)?;
    let mut c = Cursor::new(&tokens, Dialect::Sqlite);
    c.expect(&["CREATE", "VIRTUAL", "TABLE"])?;
    c.eat(&["IF", "NOT", "EXISTS"]);
    read(sql, &mut c)
}

fn read(text: &str, c: &mut Cursor<'_>) -> Fallible<VirtualTable> {
    let name = c.qualified()?;
    c.expect(&["USING"])?;
    let module = c.ident()?.to_ascii_lowercase();
    let mut arguments = Vec::new();
    if c.eat_sym("(") {
        let offsets = &c.tokens.offsets;
        let mut start = offsets.get(c.pos - 1).map_or(text.len(), |o| o + 1);
        let mut depth = 0usize;
        loop {
            let at = offsets.get(c.pos).copied().unwrap_or(text.len());
            match c.next() {
                None => return Err(format!("virtual table `{name}`: unclosed `(`")),
                Some(Tok::Sym(s)) if s == "(" => depth += 1,
                Some(Tok::Sym(s)) if s == ")" && depth > 0 => depth -= 1,
                Some(Tok::Sym(s)) if (s == ")" || s == ",") && depth == 0 => {
                    let argument = collapse(text.get(start..at).unwrap_or_default());
                    let last = s == ")";
                    if !(last && argument.is_empty() && arguments.is_empty()) {
                        arguments.push(argument);
                    }
                    if last {
                        break;
                    }
                    start = at + 1;
                }
                Some(_) => {}
            }
        }
    }
    while c.eat_sym(";") {}
    if !c.at_end() {
        return Err(format!(
            "virtual table `{name}`: unexpected {} after its arguments",
            c.here()
        ));
    }
    Ok(VirtualTable {
        name,
        module,
        arguments,
    })
}

/// Trims and collapses white space outside quotes to one space; comments
/// count as white space (the text is rendered on one line).
fn collapse(argument: &str) -> String {
    let mut out = String::with_capacity(argument.len());
    let mut quote: Option<char> = None;
    let mut space = false;
    let mut chars = argument.trim().chars().peekable();
    while let Some(ch) = chars.next() {
        if quote.is_none() && ch == '-' && chars.peek() == Some(&'-') {
            for c in chars.by_ref() {
                if c == '\n' {
                    break;
                }
            }
            space = true;
            continue;
        }
        if quote.is_none() && ch == '/' && chars.peek() == Some(&'*') {
            chars.next();
            let mut last = ' ';
            for c in chars.by_ref() {
                if last == '*' && c == '/' {
                    break;
                }
                last = c;
            }
            space = true;
            continue;
        }
        match quote {
            Some(q) => {
                out.push(ch);
                if ch == q {
                    quote = None;
                }
            }
            None if ch.is_whitespace() => space = true,
            None => {
                if space && !out.is_empty() {
                    out.push(' ');
                    space = false;
                }
                quote = match ch {
                    '\'' | '"' | '`' => Some(ch),
                    '[' => Some(']'),
                    _ => None,
                };
                out.push(ch);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::ddl::{SourceFile, parse_schema};
    use crate::dialect::Dialect;

    fn model(dialect: Dialect, sql: &str) -> Result<crate::schema::Schema, String> {
        parse_schema(
            dialect,
            &[SourceFile {
                path: "schema.sql",
                sql,
            }],
        )
        .map(|(s, _)| s)
        .map_err(|e| e.to_string())
    }

    #[test]
    fn created_dropped_and_names_taken() {
        let s = model(
            Dialect::Sqlite,
            "CREATE VIRTUAL TABLE v USING fts5(a);\n\
             CREATE VIRTUAL TABLE IF NOT EXISTS v USING fts5(b);",
        )
        .unwrap();
        assert_eq!(s.virtual_tables.len(), 1);
        assert_eq!(s.virtual_tables[0].arguments, ["a"]);
        assert!(s.tables.is_empty());
        let dropped = model(
            Dialect::Sqlite,
            "CREATE VIRTUAL TABLE v USING fts5(a); DROP TABLE v; DROP TABLE IF EXISTS v;",
        )
        .unwrap();
        assert!(dropped.virtual_tables.is_empty());
        let taken = model(
            Dialect::Sqlite,
            "CREATE VIRTUAL TABLE v USING fts5(a);\nCREATE TABLE v (x);",
        )
        .unwrap_err();
        assert!(taken.contains("schema.sql:2:1"), "{taken}");
        assert!(
            model(
                Dialect::Sqlite,
                "CREATE TABLE v (x); CREATE VIRTUAL TABLE v USING fts5(a);"
            )
            .is_err()
        );
        let pg = model(Dialect::Postgres, "CREATE VIRTUAL TABLE v USING fts5(a);").unwrap_err();
        assert!(pg.contains("VIRTUAL TABLE"), "{pg}");
    }

    #[test]
    fn arguments_are_split_at_top_level_commas() {
        let v = parse(
            "CREATE VIRTUAL TABLE IF NOT EXISTS \"Docs\" USING FTS5(title,  body , content='a, b', tokenize = 'porter  unicode61', prefix='2 3')",
        )
        .unwrap();
        assert_eq!(v.name.name, "Docs");
        assert_eq!(v.module, "fts5");
        assert_eq!(
            v.arguments,
            [
                "title",
                "body",
                "content='a, b'",
                "tokenize = 'porter  unicode61'",
                "prefix='2 3'"
            ]
        );
        let r = parse("CREATE VIRTUAL TABLE r USING rtree(id, f(a, b), c)").unwrap();
        let commented = parse(
            "CREATE VIRTUAL TABLE c USING fts5(a, -- the title\n b /* body, text */, c '--')",
        )
        .unwrap();
        assert_eq!(commented.arguments, ["a", "b", "c '--'"]);
        assert_eq!(r.arguments, ["id", "f(a, b)", "c"]);
        assert!(
            parse("CREATE VIRTUAL TABLE e USING m")
                .unwrap()
                .arguments
                .is_empty()
        );
        assert!(
            parse("CREATE VIRTUAL TABLE e USING m()")
                .unwrap()
                .arguments
                .is_empty()
        );
        assert!(parse("CREATE VIRTUAL TABLE e USING m(a").is_err());
        assert!(parse("CREATE VIRTUAL TABLE e USING m(a) x").is_err());
    }
}
