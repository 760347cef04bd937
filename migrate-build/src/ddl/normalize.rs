//! Canonical forms, so that spellings a database cannot tell apart compare equal.
//!
//! PostgreSQL prints expressions back (`pg_get_expr`) with casts on literals,
//! `= ANY (ARRAY[…])` for `IN`, and parentheses around every operator; the
//! key removes those differences so that a default or check read from a live
//! database compares equal to the one written in a source file.

use crate::dialect::Dialect;
use crate::schema::Literal;

/// The comparison key of an expression: what two spellings of the same
/// default or check share. Not valid SQL; never rendered.
pub fn expr_key(sql: &str, dialect: Dialect) -> String {
    // The same few expressions come back on column after column (`now()`,
    // `0`, `''`, `CURRENT_TIMESTAMP`): a key is a function of the text and
    // the dialect alone, so this thread keeps the keys of short texts it has
    // computed, and parses each text once (unoptimised, as build scripts
    // run, a parse is thousands of times the cost of the look-up).
    const SHORT: usize = 64;
    const KEPT: usize = 256;
    thread_local! {
        static KEYS: std::cell::RefCell<std::collections::HashMap<(Dialect, String), String>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if sql.len() > SHORT {
        return compute_key(sql, dialect);
    }
    let probe = (dialect, sql.to_string());
    if let Some(key) = KEYS.with_borrow(|keys| keys.get(&probe).cloned()) {
        return key;
    }
    let key = compute_key(sql, dialect);
    KEYS.with_borrow_mut(|keys| {
        if keys.len() >= KEPT {
            keys.clear();
        }
        keys.insert(probe, key.clone());
    });
    key
}

fn compute_key(sql: &str, dialect: Dialect) -> String {
    match dialect {
        Dialect::Sqlite => sqlite_key(sql),
        Dialect::Postgres => {
            crate::ddl::postgres_expr_key(sql).unwrap_or_else(|| postgres_key(sql))
        }
    }
}

/// SQLite stores the text of a `CREATE` statement as written, but without
/// the parentheses around a `DEFAULT (…)`, while the interpreter sees
/// sqlparser's reprint (`<>` for `!=`, `=` for `==`): the key ignores what
/// only differs in spelling. Identifiers are case-insensitive in SQLite,
/// quoted or not.
fn sqlite_key(sql: &str) -> String {
    let mut toks: Vec<T> = Vec::new();
    for t in lex(sql) {
        match t {
            T::Sym(s) if s == "=" && toks.last() == Some(&T::Sym("=".into())) => {}
            T::Word(w) if w.len() >= 2 && w.starts_with('"') && w.ends_with('"') => {
                let inner = w[1..w.len() - 1].replace("\"\"", "\"");
                toks.push(T::Word(inner.to_lowercase()));
            }
            t => toks.push(t),
        }
    }
    render(&drop_grouping_parens(fold_negative_numbers(toks)))
}

/// The comparison key of a view or function body from a SQL source.
pub fn definition_key(sql: &str) -> String {
    fold_outside_quotes(sql)
}

/// Lower-cases and drops white space outside quotes.
fn fold_outside_quotes(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c.is_whitespace() => {}
            None => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}

/// The words of a SQL text, lower-cased, for asking many times whether it
/// mentions a name (a view's dependencies, a column in an index
/// expression): words are runs of alphanumerics, `_` and non-ASCII
/// characters; a quoted name is also one word whatever it holds
/// (`"line items"`).
pub(crate) fn words(sql: &str) -> crate::schema::Words {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || !c.is_ascii();
    let mut words: Vec<String> = sql
        .split(|c: char| !is_word(c))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut rest = sql;
    while let Some(open) = rest.find('"') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('"') else { break };
        words.push(after[..close].to_ascii_lowercase());
        rest = &after[close + 1..];
    }
    crate::schema::Words::from_words(words)
}

/// The contents of an expression's string literals (`''` unescaped).
pub(crate) fn string_literals(sql: &str) -> Vec<String> {
    // Every string literal opens with a quote (`'…'`, `E'…'`): most
    // expressions have none, and lexing one unoptimised costs a default's
    // share of a replay.
    if !sql.contains('\'') {
        return Vec::new();
    }
    lex(sql)
        .into_iter()
        .filter_map(|t| match t {
            T::Str(s) => Some(s),
            _ => None,
        })
        .collect()
}

/// Whether `sql` is one literal value, as SQLite's `DEFAULT` takes one
/// without parentheses: a keyword constant, a signed number, a string or a
/// blob. Anything else (an operation, a call, a comment) is none.
pub(crate) fn literal(sql: &str) -> Option<Literal> {
    let sql = sql.trim();
    const CLOCK: &[&str] = &["CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP"];
    if CLOCK.iter().any(|k| sql.eq_ignore_ascii_case(k)) {
        return Some(Literal::Clock);
    }
    if ["NULL", "TRUE", "FALSE"]
        .iter()
        .any(|k| sql.eq_ignore_ascii_case(k))
    {
        return Some(Literal::Constant);
    }
    let unsigned = sql.strip_prefix(['+', '-']).unwrap_or(sql);
    let number = !unsigned.is_empty()
        && unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '+' || c == '-');
    let string = sql
        .strip_prefix(['x', 'X'])
        .filter(|rest| rest.starts_with('\''))
        .unwrap_or(sql);
    if number || is_single_string(string) {
        return Some(Literal::Constant);
    }
    let quoted = sql
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .is_some_and(|inner| !inner.replace("\"\"", "").contains('"'));
    let bare = sql.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && sql
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    (quoted || bare).then_some(Literal::Name)
}

/// `'…'` with only doubled quotes inside: one string literal, not `'a' || 'b'`.
fn is_single_string(sql: &str) -> bool {
    let Some(inner) = sql
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''))
    else {
        return false;
    };
    inner.replace("''", "").chars().all(|c| c != '\'')
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum T {
    /// Lower-cased unquoted word, or quoted identifier as written.
    Word(String),
    /// String literal content (unescaped `''`).
    Str(String),
    Num(String),
    Sym(String),
}

fn lex(sql: &str) -> Vec<T> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && next == Some('-') {
            // Comments are white space (SQLite keeps them in a default's text).
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c == '\'' || ((c == 'E' || c == 'e') && chars.get(i + 1) == Some(&'\'')) {
            let escaped = c != '\'';
            i += if escaped { 2 } else { 1 };
            let mut s = String::new();
            while i < chars.len() {
                if escaped && chars[i] == '\\' && i + 1 < chars.len() {
                    s.push(chars[i + 1]);
                    i += 2;
                } else if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        s.push('\'');
                        i += 2;
                    } else {
                        i += 1;
                        break;
                    }
                } else {
                    s.push(chars[i]);
                    i += 1;
                }
            }
            out.push(T::Str(s));
        } else if c == '"' {
            let mut s = String::from('"');
            i += 1;
            while i < chars.len() {
                s.push(chars[i]);
                i += 1;
                if chars[i - 1] == '"' {
                    if chars.get(i) == Some(&'"') {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
            // A quoted identifier that needs no quotes is the same name.
            let inner = s
                .strip_prefix('"')
                .and_then(|r| r.strip_suffix('"'))
                .unwrap_or_default();
            let plain = !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            out.push(T::Word(if plain { inner.to_string() } else { s }));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            let w: String = chars[start..i].iter().collect();
            out.push(T::Word(w.to_lowercase()));
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            out.push(T::Num(chars[start..i].iter().collect()));
        } else {
            let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let sym = match two.as_str() {
                "::" | "<>" | "!=" | ">=" | "<=" | "||" | "->" | "~~" | "@>" | "<@" | "&&" => two,
                _ => c.to_string(),
            };
            i += sym.chars().count();
            out.push(T::Sym(if sym == "!=" { "<>".into() } else { sym }));
        }
    }
    out
}

/// Type words that may follow `::` (several words for `character varying`,
/// `timestamp with time zone`, `double precision`).
fn skip_type(toks: &[T], mut i: usize) -> usize {
    let multi = ["varying", "precision", "with", "without", "time", "zone"];
    // Schema-qualified type: `public.foo`.
    if matches!(toks.get(i), Some(T::Word(_))) && toks.get(i + 1) == Some(&T::Sym(".".into())) {
        i += 2;
    }
    if matches!(toks.get(i), Some(T::Word(_))) {
        i += 1;
    }
    while let Some(T::Word(w)) = toks.get(i) {
        if multi.contains(&w.as_str()) {
            i += 1;
        } else {
            break;
        }
    }
    if toks.get(i) == Some(&T::Sym("(".into())) {
        while i < toks.len() && toks[i] != T::Sym(")".into()) {
            i += 1;
        }
        i += 1;
    }
    while toks.get(i) == Some(&T::Sym("[".into())) && toks.get(i + 1) == Some(&T::Sym("]".into())) {
        i += 2;
    }
    i
}

/// Words that, before a string literal, only say the literal's type.
const TYPED_LITERAL_PREFIXES: &[&str] = &[
    "interval",
    "date",
    "timestamp",
    "timestamptz",
    "time",
    "text",
    "uuid",
    "json",
    "jsonb",
    "boolean",
];

fn postgres_key(sql: &str) -> String {
    let toks = cast_calls_to_operator(lex(sql));
    // 1. Drop casts (`::type`) and typed-literal prefixes (`interval '1 day'`).
    let mut stripped = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            T::Sym(s) if s == "::" => {
                if toks.get(i + 1) == Some(&T::Word("interval".into()))
                    && let Some(T::Str(text)) = stripped.last_mut()
                {
                    *text = canonical_interval(text);
                }
                i = skip_type(&toks, i + 1)
            }
            // The server prints `public.f(x)` as `f(x)`: public is on every
            // search_path, and the model's default schema.
            T::Word(w)
                if (w == "public" || w == "\"public\"")
                    && matches!(toks.get(i + 1), Some(T::Sym(dot)) if dot == ".")
                    && matches!(toks.get(i + 2), Some(T::Word(_)))
                    && !matches!(stripped.last(), Some(T::Sym(dot)) if dot == ".") =>
            {
                i += 2
            }
            T::Word(w)
                if TYPED_LITERAL_PREFIXES.contains(&w.as_str())
                    && matches!(toks.get(i + 1), Some(T::Str(_))) =>
            {
                if let (true, Some(T::Str(text))) = (w == "interval", toks.get(i + 1)) {
                    stripped.push(T::Str(canonical_interval(text)));
                    i += 2;
                } else {
                    i += 1
                }
            }
            t => {
                stripped.push(t.clone());
                i += 1;
            }
        }
    }
    // 2. Literals: numeric and boolean strings are their values.
    let toks: Vec<T> = stripped
        .into_iter()
        .map(|t| match t {
            T::Str(s) if is_number(&s) => T::Num(s),
            T::Str(s) if matches!(s.as_str(), "t" | "true") => T::Word("true".into()),
            T::Str(s) if matches!(s.as_str(), "f" | "false") => T::Word("false".into()),
            T::Str(s) => T::Str(canonical_datetime(s)),
            T::Word(w) if w == "current_timestamp" => T::Word("now".into()),
            t => t,
        })
        .collect();
    // `now()` and CURRENT_TIMESTAMP are the same default.
    let toks = drop_empty_call_after(toks, "now");
    // 3. `= ANY (ARRAY[a, b])` is how `IN (a, b)` is printed back.
    let toks = any_array_to_in(toks);
    // 4. Negative literals: `- 1` → `-1` after a non-operand.
    let toks = fold_negative_numbers(toks);
    // 5. Parentheses that only group.
    let toks = drop_grouping_parens(toks);
    render(&toks)
}

/// An interval literal as the server prints it back (`IntervalStyle`
/// `postgres`): `'12 months'` is `'1 year'`, `'90 minutes'` is `'01:30:00'`.
/// Text it does not recognise is kept as written.
pub(crate) fn canonical_interval(text: &str) -> String {
    let (mut months, mut days, mut seconds) = (0i64, 0i64, 0i64);
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        if let Some((h, rest)) = word.split_once(':') {
            let mut parts = std::iter::once(h).chain(rest.split(':'));
            let (Some(Ok(h)), Some(Ok(m)), s) = (
                parts.next().map(str::parse::<i64>),
                parts.next().map(str::parse::<i64>),
                parts.next().map(str::parse::<i64>),
            ) else {
                return text.to_string();
            };
            let s = match s {
                Some(Ok(s)) => s,
                None => 0,
                Some(Err(_)) => return text.to_string(),
            };
            seconds += h * 3600 + m * 60 + s;
            i += 1;
            continue;
        }
        let (Ok(n), Some(unit)) = (word.parse::<i64>(), words.get(i + 1)) else {
            return text.to_string();
        };
        let unit = unit.to_ascii_lowercase();
        match unit.trim_end_matches('s') {
            "year" | "yr" => months += n * 12,
            "mon" | "month" => months += n,
            "week" => days += n * 7,
            "day" => days += n,
            "hour" | "hr" => seconds += n * 3600,
            "min" | "minute" => seconds += n * 60,
            "sec" | "second" => seconds += n,
            _ => return text.to_string(),
        }
        i += 2;
    }
    if months < 0 || days < 0 || seconds < 0 {
        return text.to_string();
    }
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if months / 12 > 0 {
        parts.push(plural(months / 12, "year"));
    }
    if months % 12 > 0 {
        parts.push(plural(months % 12, "mon"));
    }
    if days > 0 {
        parts.push(plural(days, "day"));
    }
    if seconds > 0 || parts.is_empty() {
        parts.push(format!(
            "{:02}:{:02}:{:02}",
            seconds / 3600,
            seconds % 3600 / 60,
            seconds % 60
        ));
    }
    parts.join(" ")
}

/// `CAST(x AS t)` as the server prints it back, `(x)::t`, so that step 1
/// drops it like any other cast.
fn cast_calls_to_operator(mut toks: Vec<T>) -> Vec<T> {
    let open = T::Sym("(".into());
    let close = T::Sym(")".into());
    let mut i = 0;
    while i < toks.len() {
        if toks[i] == T::Word("cast".into()) && toks.get(i + 1) == Some(&open) {
            let mut depth = 0usize;
            let mut as_at = None;
            let mut end = None;
            for (j, t) in toks.iter().enumerate().skip(i + 1) {
                if *t == open {
                    depth += 1;
                } else if *t == close {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = Some(j);
                        break;
                    }
                } else if depth == 1 && *t == T::Word("as".into()) {
                    as_at = Some(j);
                }
            }
            if let (Some(a), Some(e)) = (as_at, end) {
                let mut out = toks[..i].to_vec();
                out.push(open.clone());
                out.extend_from_slice(&toks[i + 2..a]);
                out.push(close.clone());
                out.push(T::Sym("::".into()));
                out.extend_from_slice(&toks[a + 1..e]);
                out.extend_from_slice(&toks[e + 1..]);
                toks = out;
            }
        }
        i += 1;
    }
    toks
}

/// Date/time literals as the server prints them back: `'epoch'` is stored
/// as its value, and a midnight time or a UTC offset of zero is implied.
pub(crate) fn canonical_datetime(s: String) -> String {
    let looks_like_date = s.len() >= 10
        && s.as_bytes()[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if s == "epoch" {
        return "1970-01-01".into();
    }
    if !looks_like_date {
        return s;
    }
    let mut t = s.as_str();
    for suffix in ["+00:00", "+00", "Z"] {
        t = t.strip_suffix(suffix).unwrap_or(t);
    }
    for suffix in [" 00:00:00", "T00:00:00"] {
        t = t.strip_suffix(suffix).unwrap_or(t);
    }
    t.to_string()
}

pub(crate) fn is_number(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_digit() || c == '.')
        && s.chars().filter(|c| *c == '.').count() <= 1
        && s.chars().any(|c| c.is_ascii_digit())
}

/// `now()` → `now` so it matches `current_timestamp` (mapped to `now`).
fn drop_empty_call_after(toks: Vec<T>, word: &str) -> Vec<T> {
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        out.push(toks[i].clone());
        if toks[i] == T::Word(word.into())
            && toks.get(i + 1) == Some(&T::Sym("(".into()))
            && toks.get(i + 2) == Some(&T::Sym(")".into()))
        {
            i += 3;
        } else {
            i += 1;
        }
    }
    out
}

fn any_array_to_in(toks: Vec<T>) -> Vec<T> {
    let sym = |s: &str| T::Sym(s.into());
    let word = |s: &str| T::Word(s.into());
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let negated = toks[i] == sym("<>") && toks.get(i + 1) == Some(&word("all"));
        let positive = toks[i] == sym("=") && toks.get(i + 1) == Some(&word("any"));
        if (negated || positive)
            && toks.get(i + 2) == Some(&sym("("))
            && toks.get(i + 3) == Some(&word("array"))
            && toks.get(i + 4) == Some(&sym("["))
        {
            // Find the matching `]` and the `)` after it.
            let mut j = i + 5;
            let mut depth = 1;
            while j < toks.len() && depth > 0 {
                if toks[j] == sym("[") {
                    depth += 1;
                } else if toks[j] == sym("]") {
                    depth -= 1;
                }
                j += 1;
            }
            if depth == 0 && toks.get(j) == Some(&sym(")")) {
                if negated {
                    out.push(word("not"));
                }
                out.push(word("in"));
                out.push(sym("("));
                out.extend_from_slice(&toks[i + 5..j - 1]);
                out.push(sym(")"));
                i = j + 1;
                continue;
            }
        }
        out.push(toks[i].clone());
        i += 1;
    }
    out
}

fn is_operand_end(t: Option<&T>) -> bool {
    match t {
        Some(T::Word(w)) => !is_keyword_operator(w),
        Some(T::Str(_) | T::Num(_)) => true,
        Some(T::Sym(s)) => s == ")" || s == "]",
        None => false,
    }
}

fn is_keyword_operator(w: &str) -> bool {
    matches!(
        w,
        "and"
            | "or"
            | "not"
            | "in"
            | "is"
            | "like"
            | "ilike"
            | "between"
            | "when"
            | "then"
            | "else"
            | "case"
            | "select"
            | "where"
    )
}

fn fold_negative_numbers(toks: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        if toks[i] == T::Sym("-".into())
            && !is_operand_end(out.last())
            && let Some(T::Num(n)) = toks.get(i + 1)
        {
            out.push(T::Num(format!("-{n}")));
            i += 2;
            continue;
        }
        out.push(toks[i].clone());
        i += 1;
    }
    out
}

/// Removes parentheses that do not change meaning: around the whole
/// expression, around a single operand, doubled ones, and around a
/// comparison that stands between AND/OR (comparisons bind tighter).
fn drop_grouping_parens(mut toks: Vec<T>) -> Vec<T> {
    loop {
        let Some((open, close)) = find_removable(&toks) else {
            return toks;
        };
        toks.remove(close);
        toks.remove(open);
    }
}

fn find_removable(toks: &[T]) -> Option<(usize, usize)> {
    let open_sym = T::Sym("(".into());
    let close_sym = T::Sym(")".into());
    let mut stack = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if *t == open_sym {
            stack.push(i);
        } else if *t == close_sym {
            let open = stack.pop()?;
            let is_call = open > 0
                && (matches!(&toks[open - 1], T::Word(w) if !is_keyword_operator(w))
                    || toks[open - 1] == T::Sym("]".into()));
            if is_call {
                continue;
            }
            let inner = &toks[open + 1..i];
            if inner.is_empty() {
                continue;
            }
            let before = open.checked_sub(1).map(|p| &toks[p]);
            let after = toks.get(i + 1);
            let whole = open == 0 && i == toks.len() - 1;
            let doubled = before == Some(&open_sym) && after == Some(&close_sym);
            let single = inner.len() == 1 || is_single_call(inner);
            let boundary = |t: Option<&T>, bracket: &str| match t {
                None => true,
                Some(T::Word(w)) => {
                    matches!(w.as_str(), "and" | "or" | "not" | "when" | "then" | "else")
                }
                Some(T::Sym(s)) => s == bracket || s == ",",
                _ => false,
            };
            let comparison_in_logic =
                !has_top_level_logic(inner) && boundary(before, "(") && boundary(after, ")");
            if whole || doubled || single || comparison_in_logic {
                return Some((open, i));
            }
        }
    }
    None
}

fn is_single_call(inner: &[T]) -> bool {
    matches!(inner.first(), Some(T::Word(_)))
        && inner.get(1) == Some(&T::Sym("(".into()))
        && inner.last() == Some(&T::Sym(")".into()))
        && {
            let mut depth = 0i32;
            inner[1..].iter().enumerate().all(|(k, t)| {
                if *t == T::Sym("(".into()) {
                    depth += 1;
                } else if *t == T::Sym(")".into()) {
                    depth -= 1;
                }
                depth > 0 || k == inner.len() - 2
            })
        }
}

fn has_top_level_logic(inner: &[T]) -> bool {
    let mut depth = 0i32;
    inner.iter().any(|t| match t {
        T::Sym(s) if s == "(" => {
            depth += 1;
            false
        }
        T::Sym(s) if s == ")" => {
            depth -= 1;
            false
        }
        T::Word(w) => depth == 0 && matches!(w.as_str(), "and" | "or"),
        _ => false,
    })
}

fn render(toks: &[T]) -> String {
    let mut out = String::new();
    for t in toks {
        if !out.is_empty() {
            out.push(' ');
        }
        match t {
            T::Word(w) | T::Num(w) | T::Sym(w) => out.push_str(w),
            T::Str(s) => {
                out.push('\'');
                out.push_str(&s.replace('\'', "''"));
                out.push('\'');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_whole_words() {
        let w = |sql: &str, name: &str| words(sql).mention(name);
        assert!(w("SELECT * FROM users u", "users"));
        assert!(w("select * from \"Users\"", "users"));
        assert!(w("select * from public.users", "users"));
        assert!(!w("select * from users_archive", "users"));
        assert!(!w("select * from my_users", "users"));
        assert!(!w("select 1", ""));
        assert!(w("SELECT café_id FROM t", "café_id"));
        assert!(!w("SELECT café_id FROM t", "caf"));
    }

    #[test]
    fn quoted_names_are_one_word() {
        let found = words("SELECT id FROM \"line items\" li");
        assert!(found.mention("line items"));
        assert!(found.mention("li"));
        assert!(!found.mention("line items2"));
    }

    #[test]
    fn string_literals_are_their_contents() {
        assert_eq!(
            string_literals("status = 'it''s' OR status = E'a\\'b' -- 'no'"),
            ["it's", "a'b"]
        );
    }

    fn same(a: &str, b: &str) {
        assert_eq!(
            expr_key(a, Dialect::Postgres),
            expr_key(b, Dialect::Postgres),
            "{a:?} vs {b:?}"
        );
    }

    fn differ(a: &str, b: &str) {
        assert_ne!(
            expr_key(a, Dialect::Postgres),
            expr_key(b, Dialect::Postgres),
            "{a:?} vs {b:?}"
        );
    }

    #[test]
    fn casts_on_literals_are_ignored() {
        same("'x'::text", "'x'");
        same("'x'::character varying", "'x'");
        same("'{}'::text[]", "'{}'");
        same("'-1'::integer", "-1");
        same("nextval('s'::regclass)", "nextval('s')");
        same(
            "'2020-01-01 00:00:00'::timestamp without time zone",
            "'2020-01-01 00:00:00'",
        );
    }

    #[test]
    fn cast_calls_are_casts() {
        same("length(CAST(id AS TEXT)) > 0", "(length((id)::text) > 0)");
        same(
            "CAST(CAST(a AS integer) + 1 AS character varying(20))",
            "(((a)::integer + 1))::character varying(20)",
        );
        differ("CAST(a AS text)", "CAST(b AS text)");
    }

    #[test]
    fn function_and_keyword_spellings() {
        same("now()", "NOW()");
        same("CURRENT_TIMESTAMP", "current_timestamp");
        // The server keeps and prints each as written: two defaults.
        differ("CURRENT_TIMESTAMP", "now()");
        same("(now() + '1 day'::interval)", "now() + interval '1 day'");
        same(
            "public.reverse_timestamp_sort(published)",
            "reverse_timestamp_sort(published)",
        );
        same("\"public\".f(x)", "f(x)");
        differ("utils.f(x)", "f(x)");
        differ("s.public.f(x)", "s.f(x)");
    }

    #[test]
    fn date_literals_as_printed_back() {
        same(
            "'epoch'",
            "'1970-01-01 00:00:00+00'::timestamp with time zone",
        );
        same(
            "'1970-01-01'",
            "'1970-01-01 00:00:00'::timestamp without time zone",
        );
        differ("'1970-01-01'", "'1970-01-02'");
    }

    #[test]
    fn interval_literals_as_printed_back() {
        same(
            "now() - (random() * interval '12 months')",
            "(now() - (random() * '1 year'::interval))",
        );
        same("interval '1 day 2 hours'", "'1 day 02:00:00'::interval");
        same("'90 minutes'::interval", "'01:30:00'::interval");
        differ("interval '1 day'", "interval '2 days'");
    }

    #[test]
    fn booleans() {
        same("true", "'t'");
        same("false", "'f'::boolean");
        differ("true", "false");
    }

    #[test]
    fn redundant_parentheses() {
        same("((price > 0))", "price > 0");
        same("((a > 0) AND (b < 1))", "a > 0 AND b < 1");
        same("(lower(name))", "lower(name)");
        differ("(a + b) * c", "a + b * c");
        differ("(a OR b) AND c", "a OR b AND c");
        same("(a AND (b = 0))", "a AND b = 0");
        same("((k = 'x') OR (k = 'y'))", "k = 'x' OR k = 'y'");
        same("NOT (d OR (v = 'P'))", "NOT (d OR v = 'P')");
        differ("NOT (d OR v = 'P')", "NOT d OR v = 'P'");
    }

    #[test]
    fn in_lists_match_any_array() {
        same("x IN ('a','b')", "(x = ANY (ARRAY['a'::text, 'b'::text]))");
        same(
            "x NOT IN ('a', 'b')",
            "(x <> ALL (ARRAY['a'::character varying, 'b'::character varying]))",
        );
        differ("x IN ('a')", "x IN ('b')");
    }

    #[test]
    fn literals_keep_their_content() {
        differ("'abc'", "'ABC'");
        same("'it''s'", "E'it\\'s'");
        same("\"name\"", "name");
        differ("\"Name\"", "name");
    }

    #[test]
    fn sqlite_keys_ignore_what_sqlite_does_not_keep() {
        let key = |sql| expr_key(sql, Dialect::Sqlite);
        // PRAGMA table_info prints `DEFAULT (x)` without its parentheses.
        assert_eq!(key("(strftime('%s','now'))"), key("strftime('%s','now')"));
        assert_eq!(key("external_id <> ''"), key("external_id != ''"));
        assert_eq!(key("a == 1"), key("a = 1"));
        assert_eq!(key("\"Total\" >= 0"), key("total >= 0"));
        assert_eq!(key("((a > 0) AND (b < 1))"), key("a > 0 AND b < 1"));
        assert_ne!(key("(a + b) * c"), key("a + b * c"));
        assert_ne!(key("'x' = 'X'"), key("'x' = 'x'"));
        assert_ne!(key("-1"), key("1"));
    }

    #[test]
    fn comments_are_white_space() {
        let key = |sql| expr_key(sql, Dialect::Sqlite);
        assert_eq!(key("1 /* one */ + 1"), key("1 + 1"));
        assert_eq!(key("n > 0 -- positive\n"), key("n > 0"));
        assert_ne!(key("'a--b'"), key("'a'"));
        assert_ne!(key("'/*x*/'"), key("''"));
    }

    #[test]
    fn sqlite_keys_fold_case_and_space() {
        assert_eq!(
            expr_key("(strftime('%s', 'now'))", Dialect::Sqlite),
            expr_key("( STRFTIME('%s','now') )", Dialect::Sqlite)
        );
        assert_eq!(
            expr_key("(datetime('now', 'localtime'))", Dialect::Sqlite),
            expr_key("datetime('now','localtime')", Dialect::Sqlite)
        );
        assert_ne!(
            expr_key("(a) + (b)", Dialect::Sqlite),
            expr_key("a) + (b", Dialect::Sqlite)
        );
        assert_ne!(
            expr_key("'A'", Dialect::Sqlite),
            expr_key("'a'", Dialect::Sqlite)
        );
    }
}
