//! Comparison keys of the definitions kept as text (functions, procedures,
//! triggers, composite types…), computed from the statement's parts so
//! that the same object compares equal however it was spelt: as a
//! migration wrote it or as pg_dump prints it. pg_dump empties
//! `search_path` (so it writes `public.f`, `public.t`), prints a routine's
//! options in its own order with the defaults left out, spells types as
//! `format_type` does (`character varying`, no modifiers in signatures)
//! and writes `EXECUTE FUNCTION` where a trigger said `EXECUTE PROCEDURE`.
//! A routine's body (the string after `AS`) is kept exactly: PostgreSQL
//! stores and prints it as written, so a changed body is a change.
//!
//! On SQLite the stored text is the statement as written: the plain
//! folded text is its key (see [`normalize::definition_key`]).

use super::facts;
use super::normalize;
use super::scan::{Tok, Tokens, tokenize};
use crate::dialect::Dialect;
use crate::schema::{Definition, Expr, OpaqueKind, Schema};

/// The definition `sql` of an opaque object created by `text` (which
/// `tokens` are of), `from` the token of its name.
pub(super) fn opaque(
    schema: &Schema,
    kind: OpaqueKind,
    text: &str,
    tokens: &Tokens,
    from: usize,
    sql: String,
) -> Definition {
    let key = match (schema.dialect, kind) {
        (Dialect::Sqlite, _) => None,
        (Dialect::Postgres, OpaqueKind::Function | OpaqueKind::Procedure) => {
            routine_key(schema, text, tokens, from)
        }
        (Dialect::Postgres, OpaqueKind::Trigger) => trigger_key(text, tokens, from),
        (Dialect::Postgres, OpaqueKind::EventTrigger) => Some(event_trigger_key(tokens, from)),
        (Dialect::Postgres, OpaqueKind::Publication) => Some(publication_key(tokens, from)),
        (Dialect::Postgres, OpaqueKind::Domain) => super::domain::key(text)
            .or_else(|| Some(format!("{kind:?}|{}", words(text, tokens, from, None)))),
        (Dialect::Postgres, _) => Some(format!("{kind:?}|{}", words(text, tokens, from, None))),
    };
    match key {
        Some(key) => Definition::source_keyed(sql, key),
        None => Definition::source(sql),
    }
}

/// An event trigger's key: the server keeps its tags upper-cased
/// (`'create table'` is `'CREATE TABLE'`), and `EXECUTE PROCEDURE` is
/// `EXECUTE FUNCTION`, as pg_dump prints them.
fn event_trigger_key(tokens: &Tokens, from: usize) -> String {
    let toks = &tokens.toks;
    let mut out = Vec::new();
    let mut i = from;
    while i < toks.len() {
        if public_at(toks, i) {
            i += 2;
            continue;
        }
        if toks[i].is_sym(";") && i + 1 == toks.len() {
            break;
        }
        out.push(match &toks[i] {
            Tok::Str(tag) => format!("'{}'", tag.to_ascii_uppercase().replace('\'', "''")),
            t if t.is_kw("PROCEDURE") && i > 0 && toks[i - 1].is_kw("EXECUTE") => {
                "function".to_string()
            }
            t => word(t),
        });
        i += 1;
    }
    format!("EventTrigger|{}", out.join(" "))
}

/// A publication's options as the server keeps them: every operation
/// published unless `publish` lists some (in any order), not through the
/// partition root unless said. pg_dump writes the `publish` list out in
/// full.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PublicationOptions {
    pub all_tables: bool,
    /// Sorted.
    pub publish: Vec<String>,
    pub via_root: bool,
    /// Options the server does not know (it refuses them): kept in the key.
    pub other: Vec<String>,
}

impl PublicationOptions {
    /// The options of the `CREATE PUBLICATION` whose name token is `from - 1`.
    pub(crate) fn of_create(tokens: &Tokens, from: usize) -> Self {
        let toks = &tokens.toks;
        let all_tables = toks
            .windows(3)
            .skip(from)
            .any(|w| w[0].is_kw("FOR") && w[1].is_kw("ALL") && w[2].is_kw("TABLES"));
        let mut options = PublicationOptions {
            all_tables,
            publish: ["delete", "insert", "truncate", "update"]
                .into_iter()
                .map(String::from)
                .collect(),
            via_root: false,
            other: Vec::new(),
        };
        if let Some(open) = (from..toks.len()).find(|&i| toks[i].is_kw("WITH")) {
            options.set(tokens, open + 1);
        }
        options
    }

    /// Applies the `(key = value, …)` list from token `from` on (`WITH (…)`,
    /// `ALTER PUBLICATION … SET (…)`).
    pub(super) fn set(&mut self, tokens: &Tokens, from: usize) {
        let toks = &tokens.toks;
        let mut i = from;
        while i < toks.len() {
            let (Some(Tok::Word { text: key, .. }), Some(eq)) = (toks.get(i), toks.get(i + 1))
            else {
                i += 1;
                continue;
            };
            let value = if eq.is_sym("=") {
                toks.get(i + 2)
            } else {
                None
            };
            match (key.to_ascii_lowercase().as_str(), value) {
                ("publish", Some(Tok::Str(list))) => {
                    self.publish = list
                        .split(',')
                        .map(|op| op.trim().to_ascii_lowercase())
                        .filter(|op| !op.is_empty())
                        .collect();
                    self.publish.sort();
                    self.publish.dedup();
                }
                ("publish_via_partition_root", Some(v)) => {
                    self.via_root = matches!(
                        word(v).trim_matches('\'').to_ascii_lowercase().as_str(),
                        "true" | "on" | "1" | "yes"
                    );
                }
                (_, Some(v)) => {
                    self.other
                        .push(format!("{}={}", key.to_ascii_lowercase(), word(v)))
                }
                (_, None) => {}
            }
            i += 3;
        }
    }

    /// The `CREATE PUBLICATION` that makes a publication of these options,
    /// as pg_dump prints it.
    pub(super) fn create_sql(&self, name: &str) -> String {
        let ops: Vec<&str> = ["insert", "update", "delete", "truncate"]
            .into_iter()
            .filter(|op| self.publish.iter().any(|p| p == op))
            .collect();
        let mut sql = format!(
            "CREATE PUBLICATION {}",
            crate::dialect::quote::ident(name, Dialect::Postgres)
        );
        if self.all_tables {
            sql.push_str(" FOR ALL TABLES");
        }
        sql.push_str(&format!(" WITH (publish = '{}'", ops.join(", ")));
        if self.via_root {
            sql.push_str(", publish_via_partition_root = true");
        }
        for other in &self.other {
            sql.push_str(&format!(", {}", other.replacen('=', " = ", 1)));
        }
        sql.push(')');
        sql
    }

    /// `publish = '…', publish_via_partition_root = …`: every option
    /// `ALTER PUBLICATION … SET (…)` can change, as pg_dump prints them.
    pub(crate) fn set_list(&self) -> String {
        let ops: Vec<&str> = ["insert", "update", "delete", "truncate"]
            .into_iter()
            .filter(|op| self.publish.iter().any(|p| p == op))
            .collect();
        format!(
            "publish = '{}', publish_via_partition_root = {}",
            ops.join(", "),
            self.via_root
        )
    }

    fn key(&self) -> String {
        format!(
            "Publication|all_tables={}|publish={}|via_root={}|{}",
            self.all_tables,
            self.publish.join(","),
            self.via_root,
            self.other.join(",")
        )
    }
}

fn publication_key(tokens: &Tokens, from: usize) -> String {
    PublicationOptions::of_create(tokens, from).key()
}

/// A publication's definition from its `CREATE PUBLICATION` text, `from`
/// the token after its name (after `ALTER PUBLICATION … SET (…)` changed it).
pub(super) fn publication(sql: String, d: Dialect) -> Definition {
    match tokenize(&sql, d) {
        Ok(tokens) => {
            let key = publication_key(&tokens, 3.min(tokens.toks.len()));
            Definition::source_keyed(sql, key)
        }
        Err(_) => Definition::source(sql),
    }
}

/// A trigger's definition from its whole text (after a rename).
pub(super) fn trigger(text: &str, d: Dialect) -> Definition {
    let key = match d {
        Dialect::Sqlite => None,
        Dialect::Postgres => tokenize(text, d).ok().and_then(|tokens| {
            let at = (0..tokens.toks.len()).find(|&i| tokens.toks[i].is_kw("TRIGGER"))?;
            trigger_key(text, &tokens, at + 1)
        }),
    };
    match key {
        Some(key) => Definition::source_keyed(text, key),
        None => Definition::source(text),
    }
}

/// One token as a key word: unquoted words lower-cased, quoted ones kept
/// unless they need no quotes (`"plpgsql"`, `"trigger"`, `"touch"`: pg_dump
/// --quote-all-identifiers quotes every name), strings by their content.
/// `"char"` keeps its quotes: it is another type than `char`.
fn word(t: &Tok) -> String {
    match t {
        Tok::Word {
            text,
            quoted: false,
        } => text.to_ascii_lowercase(),
        Tok::Word { text, quoted: true } if needs_no_quotes(text) && text != "char" => text.clone(),
        Tok::Word { text, quoted: true } => format!("\"{text}\""),
        Tok::Str(s) => format!("'{}'", s.replace('\'', "''")),
        Tok::Num(n) | Tok::Sym(n) => n.clone(),
    }
}

/// A name the server would print unquoted: lower case letters, digits and
/// `_`, not starting with a digit.
pub(super) fn needs_no_quotes(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Whether tokens `i`, `i + 1` are the `public.` qualifier pg_dump adds
/// (`"public".` with --quote-all-identifiers).
fn public_at(toks: &[Tok], i: usize) -> bool {
    (toks[i].is_kw("public")
        || matches!(&toks[i], Tok::Word { text, quoted: true } if text == "public"))
        && toks.get(i + 1).is_some_and(|t| t.is_sym("."))
        && toks
            .get(i + 2)
            .is_some_and(|t| matches!(t, Tok::Word { .. }))
        && !(i > 0 && toks[i - 1].is_sym("."))
}

/// Tokens `from..to` as key words, one space apart, the `public.`
/// qualifier left out (the model's default schema).
fn words(_text: &str, tokens: &Tokens, from: usize, to: Option<usize>) -> String {
    let toks = &tokens.toks;
    let to = to.unwrap_or(toks.len()).min(toks.len());
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        if public_at(toks, i) {
            i += 2;
            continue;
        }
        if toks[i].is_sym(";") && i + 1 == toks.len() {
            break;
        }
        out.push(word(&toks[i]));
        i += 1;
    }
    out.join(" ")
}

/// The index after a dotted name starting at `at`.
fn skip_name(toks: &[Tok], at: usize) -> usize {
    let mut i = at + 1;
    while toks.get(i).is_some_and(|t| t.is_sym(".")) && i + 1 < toks.len() {
        i += 2;
    }
    i
}

/// The index of the `)` closing the `(` at `open`.
fn close_of(toks: &[Tok], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, t) in toks.iter().enumerate().skip(open) {
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(k);
            }
        }
    }
    None
}

/// Top-level comma-separated ranges of `a..b`.
fn split_commas(toks: &[Tok], a: usize, b: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = a;
    for (k, t) in toks.iter().enumerate().take(b).skip(a) {
        if t.is_sym("(") || t.is_sym("[") {
            depth += 1;
        } else if t.is_sym(")") || t.is_sym("]") {
            depth = depth.saturating_sub(1);
        } else if t.is_sym(",") && depth == 0 {
            out.push((start, k));
            start = k + 1;
        }
    }
    if start < b {
        out.push((start, b));
    }
    out
}

/// Words that begin a type of more than one word: never an argument's name.
const TYPE_STARTS: &[&str] = &[
    "double",
    "character",
    "char",
    "national",
    "nchar",
    "bit",
    "time",
    "timestamp",
    "interval",
    "varchar",
];

/// One argument (or `RETURNS TABLE` column): mode, name, canonical type,
/// default key.
fn argument(schema: &Schema, text: &str, tokens: &Tokens, a: usize, b: usize) -> Option<String> {
    let toks = &tokens.toks;
    let mut i = a;
    let mut mode = "in".to_string();
    if toks
        .get(i)
        .is_some_and(|t| super::facts::MODES.iter().any(|m| t.is_kw(m)))
        && i + 1 < b
    {
        mode = word(&toks[i]);
        i += 1;
    }
    let default_at = (i..b).find(|&k| toks[k].is_kw("DEFAULT") || toks[k].is_sym("="));
    let type_end = default_at.unwrap_or(b);
    let mut name = String::new();
    if let Some(Tok::Word { text: w, quoted }) = toks.get(i)
        && i + 1 < type_end
        && (*quoted || !TYPE_STARTS.iter().any(|s| w.eq_ignore_ascii_case(s)))
        && !toks[i + 1].is_sym(".")
        && !toks[i + 1].is_sym("(")
        && !toks[i + 1].is_sym("[")
        && !toks[i + 1].is_sym("%")
    {
        name = word(&toks[i]);
        i += 1;
    }
    let ty = facts::type_at(schema, text, tokens, i, type_end).ok()?;
    let default = match default_at {
        Some(d) => Expr::new(facts::span(text, tokens, d + 1, b), schema.dialect).key,
        None => String::new(),
    };
    Some(format!("{mode} {name} {ty} {default}"))
}

fn clause_at(toks: &[Tok], k: usize) -> bool {
    // The head's end, or `RETURNS`, which starts a clause of its own here.
    toks[k].is_kw("RETURNS")
        || super::facts::ROUTINE_CLAUSES
            .iter()
            .any(|c| toks[k].is_kw(c))
}

/// The end of the clause starting at `k`: the next clause word at depth 0.
fn clause_end(toks: &[Tok], k: usize) -> usize {
    let mut depth = 0usize;
    for (e, t) in toks.iter().enumerate().skip(k + 1) {
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && (clause_at(toks, e) || t.is_sym(";")) {
            return e;
        }
    }
    toks.len()
}

/// A function's or procedure's key: arguments, result, language, each
/// option as PostgreSQL keeps it (defaults dropped, order free) and the
/// body as written. `None` for a form it does not know: the folded text is
/// then the key.
fn routine_key(schema: &Schema, text: &str, tokens: &Tokens, from: usize) -> Option<String> {
    let toks = &tokens.toks;
    let open = skip_name(toks, from);
    if !toks.get(open)?.is_sym("(") {
        return None;
    }
    let close = close_of(toks, open)?;
    let mut args = Vec::new();
    for (a, b) in split_commas(toks, open + 1, close) {
        args.push(argument(schema, text, tokens, a, b)?);
    }
    let mut returns = String::new();
    let mut language = String::new();
    let mut volatility = "volatile".to_string();
    let mut strict = false;
    let mut definer = false;
    let mut parallel = "unsafe".to_string();
    let mut leakproof = false;
    let mut cost: Option<String> = None;
    let mut rows: Option<String> = None;
    let mut other: Vec<String> = Vec::new();
    let mut body: Vec<String> = Vec::new();
    let mut k = close + 1;
    while k < toks.len() {
        let t = &toks[k];
        if t.is_sym(";") {
            k += 1;
            continue;
        }
        if !clause_at(toks, k) {
            return None;
        }
        let end = clause_end(toks, k);
        let kw = word(t);
        match kw.as_str() {
            "returns" if toks.get(k + 1).is_some_and(|n| n.is_kw("NULL")) => strict = true,
            "returns" => {
                let setof = toks.get(k + 1).is_some_and(|n| n.is_kw("SETOF"));
                let ty_from = if setof { k + 2 } else { k + 1 };
                returns = if toks.get(ty_from).is_some_and(|n| n.is_kw("TABLE")) {
                    let o = ty_from + 1;
                    let c = close_of(toks, o)?;
                    let mut cols = Vec::new();
                    for (a, b) in split_commas(toks, o + 1, c) {
                        cols.push(argument(schema, text, tokens, a, b)?);
                    }
                    format!("table({})", cols.join(","))
                } else {
                    let ty = facts::type_at(schema, text, tokens, ty_from, end).ok()?;
                    if setof { format!("setof {ty}") } else { ty }
                };
            }
            "language" => language = words(text, tokens, k + 1, Some(end)).replace('\'', ""),
            "immutable" | "stable" | "volatile" => volatility = kw,
            "strict" => strict = true,
            "called" => strict = false,
            "security" | "external" => {
                definer = (k..end).any(|i| toks[i].is_kw("DEFINER"));
            }
            "parallel" => parallel = words(text, tokens, k + 1, Some(end)),
            "leakproof" => leakproof = true,
            "not" if toks.get(k + 1).is_some_and(|n| n.is_kw("LEAKPROOF")) => {
                leakproof = false;
                // `LEAKPROOF` is a clause word of its own: not read again.
                k = end + 1;
                continue;
            }
            "cost" => cost = Some(words(text, tokens, k + 1, Some(end))),
            "rows" => rows = Some(words(text, tokens, k + 1, Some(end))),
            "set" => {
                // `SET x = v`, `SET x TO v`, `SET x TO 'a', 'b'`: the values
                // by their text, as `proconfig` keeps them.
                let name = toks.get(k + 1).map(word)?;
                let values: Vec<String> = toks[(k + 2).min(end)..end]
                    .iter()
                    .filter(|t| !(t.is_kw("TO") || t.is_sym("=") || t.is_sym(",")))
                    .map(|t| match t {
                        Tok::Str(s) => s.clone(),
                        other => word(other),
                    })
                    .collect();
                other.push(format!("set {name}={}", values.join(",")));
            }
            "as" => {
                for (a, b) in split_commas(toks, k + 1, end) {
                    match &toks[a..b] {
                        [Tok::Str(s)] => body.push(s.clone()),
                        _ => return None,
                    }
                }
            }
            // SQL-standard bodies are printed by the server in its own
            // words: compared as written, folded.
            "return" | "begin" => {
                body.push(normalize::definition_key(facts::span(
                    text,
                    tokens,
                    k,
                    toks.len(),
                )));
                break;
            }
            _ => other.push(words(text, tokens, k, Some(end))),
        }
        k = end;
    }
    let c_like = matches!(language.as_str(), "c" | "internal");
    let default_cost = if c_like { "1" } else { "100" };
    if cost.as_deref() == Some(default_cost) {
        cost = None;
    }
    if rows.as_deref() == Some("1000")
        || !(returns.starts_with("setof") || returns.starts_with("table"))
    {
        rows = None;
    }
    other.sort();
    Some(format!(
        "routine|({})|{returns}|{language}|{volatility}|strict={strict}|definer={definer}|\
         parallel={parallel}|leakproof={leakproof}|cost={}|rows={}|{}|{}",
        args.join(","),
        cost.unwrap_or_default(),
        rows.unwrap_or_default(),
        other.join(";"),
        body.join("\u{0}")
    ))
}

/// A trigger's key: timing, events (in any order), table, the row or
/// statement level, `WHEN`, the function and its arguments (as strings,
/// which is how the server passes them).
fn trigger_key(text: &str, tokens: &Tokens, from: usize) -> Option<String> {
    let toks = &tokens.toks;
    let mut k = skip_name(toks, from);
    let timing_end = (k..toks.len()).find(|&i| {
        !(toks[i].is_kw("BEFORE")
            || toks[i].is_kw("AFTER")
            || toks[i].is_kw("INSTEAD")
            || toks[i].is_kw("OF"))
    })?;
    let timing = words(text, tokens, k, Some(timing_end));
    k = timing_end;
    let on = (k..toks.len()).find(|&i| toks[i].is_kw("ON"))?;
    let mut events: Vec<String> = Vec::new();
    let mut current = Vec::new();
    for t in &toks[k..on] {
        if t.is_kw("OR") {
            events.push(std::mem::take(&mut current).join(" "));
        } else if !t.is_sym(",") {
            current.push(word(t));
        } else {
            current.push(",".into());
        }
    }
    events.push(current.join(" "));
    events.sort();
    let execute = (on..toks.len()).find(|&i| {
        toks[i].is_kw("EXECUTE")
            && toks
                .get(i + 1)
                .is_some_and(|t| t.is_kw("FUNCTION") || t.is_kw("PROCEDURE"))
    })?;
    // Between the table and EXECUTE: FROM, DEFERRABLE…, REFERENCING, FOR
    // [EACH] ROW|STATEMENT, WHEN (…).
    let mut level = "statement".to_string();
    let mut when = String::new();
    let mut middle = Vec::new();
    let mut i = skip_name(toks, on + 1);
    while i < execute {
        let t = &toks[i];
        if t.is_kw("FOR") {
            let mut j = i + 1;
            if toks.get(j).is_some_and(|t| t.is_kw("EACH")) {
                j += 1;
            }
            level = word(toks.get(j)?);
            i = j + 1;
        } else if t.is_kw("WHEN") {
            let open = i + 1;
            let close = close_of(toks, open)?;
            when = Expr::new(
                facts::span(text, tokens, open + 1, close),
                Dialect::Postgres,
            )
            .key;
            i = close + 1;
        } else {
            middle.push(word(t));
            i += 1;
        }
    }
    let table = words(text, tokens, on + 1, Some(skip_name(toks, on + 1)));
    let f_end = skip_name(toks, execute + 2);
    let function = words(text, tokens, execute + 2, Some(f_end));
    let open = f_end;
    let close = close_of(toks, open)?;
    let args: Vec<String> = split_commas(toks, open + 1, close)
        .into_iter()
        .map(|(a, b)| match &toks[a..b] {
            [Tok::Str(s)] | [Tok::Num(s)] | [Tok::Word { text: s, .. }] => s.clone(),
            _ => words(text, tokens, a, Some(b)),
        })
        .collect();
    if toks[close + 1..].iter().any(|t| !t.is_sym(";")) {
        return None;
    }
    // `CREATE CONSTRAINT TRIGGER`: a kind of its own.
    let constraint = toks[..from].iter().any(|t| t.is_kw("CONSTRAINT"));
    Some(format!(
        "trigger|{constraint}|{timing}|{}|{table}|{}|{level}|{when}|{function}({})",
        events.join(" or "),
        middle.join(" "),
        args.join(",")
    ))
}

/// A view's definition from its `SELECT` (column names already made the
/// items' aliases). The server keeps the parsed query and prints it back
/// its own way (`pg_get_viewdef`): every column qualified by its relation,
/// every relation by its schema in pg_dump, joins and conditions in
/// parentheses, each item named. The key reads the query, leaves out the
/// qualifiers that name the query's own relations and the `public` schema,
/// names each item as the server does, and keys expressions as column
/// expressions are keyed. What it does not read (a form sqlparser does not
/// parse) is compared by its folded text: a change is never missed, a
/// server's rewriting may then show as a change.
pub(super) fn view(schema: &Schema, body: &str) -> Definition {
    match schema.dialect {
        Dialect::Sqlite => Definition::source(body),
        Dialect::Postgres => match view_key(schema, body) {
            Some(key) => Definition::source_keyed(body, key),
            None => Definition::source(body),
        },
    }
}

/// A relation of a view's query: the names that qualify its columns and
/// its columns, when it is a table the schema knows.
struct Relation {
    names: Vec<String>,
    columns: Option<Vec<String>>,
}

fn view_key(schema: &Schema, body: &str) -> Option<String> {
    use sqlparser::ast;
    let d = Dialect::Postgres;
    let query = super::scan::parse_query(body, d).ok()?;
    let fold = |id: &ast::Ident| super::names::fold(&id.value, id.quote_style.is_some(), d);
    let mut rels: Vec<Relation> = Vec::new();
    fn relations(
        schema: &Schema,
        f: &ast::TableFactor,
        fold: &dyn Fn(&ast::Ident) -> String,
        rels: &mut Vec<Relation>,
    ) {
        match f {
            ast::TableFactor::Table { name, alias, .. } => {
                let parts: Vec<String> = name
                    .0
                    .iter()
                    .filter_map(|p| p.as_ident())
                    .map(fold)
                    .collect();
                let table = super::names::qualify(parts.clone(), schema.dialect);
                // A view's columns are worked out from its query, as the
                // server knows them when it qualifies a bare column.
                let columns = match (schema.table(&table), schema.view(&table)) {
                    (Some(t), _) => Some(t.columns.iter().map(|c| c.name.clone()).collect()),
                    (None, Some(v)) => super::view_columns(schema, v)
                        .ok()
                        .map(|cols| cols.into_iter().map(|c| c.name).collect()),
                    (None, None) => None,
                };
                let names = match alias {
                    Some(a) => vec![fold(&a.name)],
                    None => parts.last().cloned().into_iter().collect(),
                };
                rels.push(Relation { names, columns });
            }
            ast::TableFactor::NestedJoin {
                table_with_joins,
                alias,
            } => {
                relations(schema, &table_with_joins.relation, fold, rels);
                for j in &table_with_joins.joins {
                    relations(schema, &j.relation, fold, rels);
                }
                if let Some(a) = alias {
                    rels.push(Relation {
                        names: vec![fold(&a.name)],
                        columns: None,
                    });
                }
            }
            ast::TableFactor::Derived { alias, .. } => rels.push(Relation {
                names: alias.iter().map(|a| fold(&a.name)).collect(),
                columns: None,
            }),
            _ => rels.push(Relation {
                names: Vec::new(),
                columns: None,
            }),
        }
    }
    fn walk_set(
        schema: &Schema,
        set: &ast::SetExpr,
        fold: &dyn Fn(&ast::Ident) -> String,
        rels: &mut Vec<Relation>,
    ) {
        match set {
            ast::SetExpr::Select(s) => {
                for t in &s.from {
                    relations(schema, &t.relation, fold, rels);
                    for j in &t.joins {
                        relations(schema, &j.relation, fold, rels);
                    }
                }
            }
            ast::SetExpr::SetOperation { left, right, .. } => {
                walk_set(schema, left, fold, rels);
                walk_set(schema, right, fold, rels);
            }
            ast::SetExpr::Query(q) => walk_set(schema, &q.body, fold, rels),
            _ => {}
        }
    }
    walk_set(schema, &query.body, &fold, &mut rels);
    // The server resolves every column when it creates the view and
    // prints each one qualified by its relation: a bare name written in the
    // migration is qualified here by the one relation that has that column
    // (the server accepted the query, so there is one). Where a relation's
    // columns are unknown (a view, a subquery, a function) names stay as
    // written.
    let known = rels.iter().all(|r| r.columns.is_some());
    let qualifier_of = |column: &Tok| -> Option<String> {
        let Tok::Word { text, quoted } = column else {
            return None;
        };
        if !known {
            return None;
        }
        let c = super::names::fold(text, *quoted, d);
        if rels.iter().any(|r| r.names.contains(&c)) {
            return None;
        }
        let mut having = rels.iter().filter(|r| {
            r.columns
                .as_ref()
                .is_some_and(|cols| cols.iter().any(|n| d.same_name(n, &c)))
        });
        match (having.next(), having.next()) {
            (Some(r), None) => r.names.first().cloned(),
            _ => None,
        }
    };
    let tokens = tokenize(body, d).ok()?;
    let toks = &tokens.toks;
    let mut text = String::new();
    let mut i = 0;
    while i < toks.len() {
        let schema_qualifier = toks[i].is_kw("public")
            && toks.get(i + 1).is_some_and(|t| t.is_sym("."))
            && toks
                .get(i + 2)
                .is_some_and(|t| matches!(t, Tok::Word { .. }))
            && !(i > 0 && toks[i - 1].is_sym("."));
        if schema_qualifier {
            i += 2;
            continue;
        }
        let before = i.checked_sub(1).map(|k| &toks[k]);
        let after = toks.get(i + 1);
        let bare_column = !before.is_some_and(|t| {
            t.is_sym(".") || t.is_sym("::") || t.is_kw("AS") || matches!(t, Tok::Str(_))
        }) && !after
            .is_some_and(|t| t.is_sym(".") || t.is_sym("(") || matches!(t, Tok::Str(_)));
        if bare_column && let Some(q) = qualifier_of(&toks[i]) {
            text.push_str(&crate::dialect::quote::ident(&q, d));
            text.push('.');
        }
        let end = tokens.offsets.get(i + 1).copied().unwrap_or(body.len());
        text.push_str(body.get(tokens.offsets[i]..end).unwrap_or_default());
        if !text.ends_with(char::is_whitespace) {
            text.push(' ');
        }
        i += 1;
    }
    let mut query = super::scan::parse_query(&text, d).ok()?;
    query_shape(&mut query);
    Some(format!(
        "view|{}",
        normalize::definition_key(&query.to_string())
    ))
}

/// A query in the shape the server prints it back: each item named as the
/// server names it, joins and conditions keyed as expressions are, nested
/// joins unwrapped. Its print is compared, never rendered.
pub(super) fn query_shape(query: &mut sqlparser::ast::Query) {
    use sqlparser::ast;
    fn keyed(e: &mut ast::Expr) {
        let k = super::expr_key::of(e);
        *e = ast::Expr::Identifier(ast::Ident::new(format!("<{k}>")));
    }
    /// The name PostgreSQL gives an unnamed item (`FigureColname`).
    fn column_name(e: &ast::Expr) -> Option<String> {
        match e {
            ast::Expr::Identifier(id) => Some(super::names::fold(
                &id.value,
                id.quote_style.is_some(),
                Dialect::Postgres,
            )),
            ast::Expr::CompoundIdentifier(parts) => parts.last().map(|id| {
                super::names::fold(&id.value, id.quote_style.is_some(), Dialect::Postgres)
            }),
            ast::Expr::Function(f) => f.name.0.last().and_then(|p| p.as_ident()).map(|id| {
                super::names::fold(&id.value, id.quote_style.is_some(), Dialect::Postgres)
            }),
            ast::Expr::Cast { expr, .. } | ast::Expr::Nested(expr) => column_name(expr),
            _ => None,
        }
    }
    fn factor(f: &mut ast::TableFactor) {
        if let ast::TableFactor::NestedJoin {
            table_with_joins,
            alias: None,
        } = f
            && table_with_joins.joins.is_empty()
        {
            let inner = std::mem::replace(
                &mut table_with_joins.relation,
                ast::TableFactor::Table {
                    name: ast::ObjectName(Vec::new()),
                    alias: None,
                    args: None,
                    with_hints: Vec::new(),
                    version: None,
                    with_ordinality: false,
                    partitions: Vec::new(),
                    json_path: None,
                    sample: None,
                    index_directives: Vec::new(),
                    inheritance: None,
                },
            );
            *f = inner;
            factor(f);
            return;
        }
        match f {
            // Names as the server prints them: folded, and without the
            // `public.` pg_dump writes.
            ast::TableFactor::Table { name, alias, .. } => {
                let mut parts: Vec<String> = name
                    .0
                    .iter()
                    .filter_map(|p| p.as_ident())
                    .map(super::expr_key::name)
                    .collect();
                if parts.len() > 1 && (parts[0] == "public" || parts[0] == "pg_catalog") {
                    parts.remove(0);
                }
                if parts.len() == name.0.len() || parts.len() + 1 == name.0.len() {
                    name.0 = parts
                        .into_iter()
                        .map(|p| ast::ObjectNamePart::Identifier(ast::Ident::new(p)))
                        .collect();
                }
                if let Some(a) = alias {
                    a.name = ast::Ident::new(super::expr_key::name(&a.name));
                    a.explicit = false;
                }
            }
            ast::TableFactor::Derived { subquery, .. } => query_shape(subquery),
            _ => {}
        }
    }
    fn joins(t: &mut ast::TableWithJoins) {
        factor(&mut t.relation);
        // `(a JOIN b ON …)` alone in its FROM item is `a JOIN b ON …`.
        if t.joins.is_empty()
            && let ast::TableFactor::NestedJoin {
                table_with_joins,
                alias: None,
            } = &mut t.relation
        {
            let inner = std::mem::replace(
                table_with_joins.as_mut(),
                ast::TableWithJoins {
                    relation: ast::TableFactor::Table {
                        name: ast::ObjectName(Vec::new()),
                        alias: None,
                        args: None,
                        with_hints: Vec::new(),
                        version: None,
                        with_ordinality: false,
                        partitions: Vec::new(),
                        json_path: None,
                        sample: None,
                        index_directives: Vec::new(),
                        inheritance: None,
                    },
                    joins: Vec::new(),
                },
            );
            *t = inner;
            joins(t);
            return;
        }
        for j in &mut t.joins {
            factor(&mut j.relation);
            let constraint = match &mut j.join_operator {
                ast::JoinOperator::Inner(c) => {
                    let c = std::mem::replace(c, ast::JoinConstraint::None);
                    j.join_operator = ast::JoinOperator::Join(c);
                    match &mut j.join_operator {
                        ast::JoinOperator::Join(c) => Some(c),
                        _ => None,
                    }
                }
                ast::JoinOperator::LeftOuter(c) => {
                    let c = std::mem::replace(c, ast::JoinConstraint::None);
                    j.join_operator = ast::JoinOperator::Left(c);
                    match &mut j.join_operator {
                        ast::JoinOperator::Left(c) => Some(c),
                        _ => None,
                    }
                }
                ast::JoinOperator::RightOuter(c) => {
                    let c = std::mem::replace(c, ast::JoinConstraint::None);
                    j.join_operator = ast::JoinOperator::Right(c);
                    match &mut j.join_operator {
                        ast::JoinOperator::Right(c) => Some(c),
                        _ => None,
                    }
                }
                ast::JoinOperator::Join(c)
                | ast::JoinOperator::Left(c)
                | ast::JoinOperator::Right(c)
                | ast::JoinOperator::FullOuter(c) => Some(c),
                _ => None,
            };
            if let Some(ast::JoinConstraint::On(e)) = constraint {
                keyed(e);
            }
        }
    }
    fn select(s: &mut ast::Select) {
        for item in &mut s.projection {
            let named = match std::mem::replace(item, ast::SelectItem::Wildcard(Default::default()))
            {
                ast::SelectItem::UnnamedExpr(expr) => match column_name(&expr) {
                    Some(name) => ast::SelectItem::ExprWithAlias {
                        expr,
                        alias: ast::Ident::new(name),
                    },
                    None => ast::SelectItem::UnnamedExpr(expr),
                },
                ast::SelectItem::ExprWithAlias { expr, alias } => ast::SelectItem::ExprWithAlias {
                    expr,
                    alias: ast::Ident::new(super::names::fold(
                        &alias.value,
                        alias.quote_style.is_some(),
                        Dialect::Postgres,
                    )),
                },
                other => other,
            };
            *item = named;
            match item {
                ast::SelectItem::UnnamedExpr(e)
                | ast::SelectItem::ExprWithAlias { expr: e, .. } => keyed(e),
                _ => {}
            }
        }
        for t in &mut s.from {
            joins(t);
        }
        if let Some(e) = &mut s.selection {
            keyed(e);
        }
        if let Some(e) = &mut s.having {
            keyed(e);
        }
        if let ast::GroupByExpr::Expressions(exprs, _) = &mut s.group_by {
            for e in exprs {
                keyed(e);
            }
        }
    }
    fn set(s: &mut ast::SetExpr) {
        match s {
            ast::SetExpr::Select(sel) => select(sel),
            ast::SetExpr::SetOperation { left, right, .. } => {
                set(left);
                set(right);
            }
            ast::SetExpr::Query(q) => set(&mut q.body),
            _ => {}
        }
    }
    set(&mut query.body);
}
