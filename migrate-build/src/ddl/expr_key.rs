//! The comparison key of a PostgreSQL expression, computed on sqlparser's
//! AST rather than on tokens.
//!
//! PostgreSQL stores a parsed expression and prints it back its own way
//! (`pg_get_expr`, `pg_get_constraintdef`, `pg_get_indexdef`): every operator
//! in parentheses, casts on literals, `IN (…)` as `= ANY (ARRAY[…])`,
//! `BETWEEN` as two comparisons, `LIKE` as `~~`, names it can find on the
//! search path without their schema. Parsing both texts resolves grouping
//! and precedence, so the key can print every operation fully parenthesised
//! and the spellings meet. The key is not SQL and is never rendered.

use sqlparser::ast::{
    self, BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, InTarget,
    ObjectName, ObjectNamePart, UnaryOperator, Value,
};

use super::normalize;
use super::scan;
use crate::dialect::Dialect;

/// The key of `sql`, or `None` when sqlparser cannot read it (the caller
/// falls back to the token key).
pub(crate) fn postgres_key(sql: &str) -> Option<String> {
    if let Some(e) = scan::parse_expr(sql, Dialect::Postgres) {
        return Some(key(&e));
    }
    let spread = spread_variadic_arrays(sql)?;
    scan::parse_expr(&spread, Dialect::Postgres).map(|e| key(&e))
}

/// `f(x, VARIADIC ARRAY[a, b])` as `f(x, a, b)`: the server prints a call to
/// a variadic function with its trailing arguments gathered that way
/// (`jsonb_extract_path_text(col, VARIADIC ARRAY['a'::text, 'b'::text])`),
/// and the two calls are the same. `None` when there is nothing to spread
/// (sqlparser reads no `VARIADIC` in a call, so the text is rewritten).
fn spread_variadic_arrays(sql: &str) -> Option<String> {
    let tokens = scan::tokenize(sql, Dialect::Postgres).ok()?;
    let toks = &tokens.toks;
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i + 2 < toks.len() {
        if toks[i].is_kw("VARIADIC") && toks[i + 1].is_kw("ARRAY") && toks[i + 2].is_sym("[") {
            let mut depth = 0usize;
            let close = (i + 2..toks.len()).find(|&k| {
                if toks[k].is_sym("[") {
                    depth += 1;
                } else if toks[k].is_sym("]") {
                    depth -= 1;
                }
                depth == 0
            })?;
            // Drop `VARIADIC ARRAY[` and its `]` (one byte).
            cuts.push((tokens.offsets[i], tokens.offsets[i + 2] + 1));
            cuts.push((tokens.offsets[close], tokens.offsets[close] + 1));
            i += 3;
        } else {
            i += 1;
        }
    }
    if cuts.is_empty() {
        return None;
    }
    cuts.sort_unstable();
    let mut out = String::with_capacity(sql.len());
    let mut at = 0;
    for (from, to) in cuts {
        out.push_str(sql.get(at..from)?);
        at = to;
    }
    out.push_str(sql.get(at..)?);
    Some(out)
}

/// The key of a parsed expression (a view's items and conditions).
pub(crate) fn of(e: &Expr) -> String {
    key(e)
}

fn key(e: &Expr) -> String {
    match e {
        Expr::Nested(inner) => key(inner),
        Expr::Identifier(id) => ident(id),
        Expr::CompoundIdentifier(parts) => qualified(parts.iter()),
        Expr::Value(v) => literal(&v.value),
        // A cast is how the server prints a literal's type and an implicit
        // coercion (`(x)::text` for a varchar column): without the column
        // types neither side can tell those from a cast the user wrote, so
        // casts never make two expressions differ.
        Expr::Cast {
            expr, data_type, ..
        } => match (&**expr, regclass(data_type)) {
            // `'"public"."x_seq"'::"regclass"` names the relation `x_seq`:
            // the string is a name, quoted as names are.
            (Expr::Value(v), true) => match &v.value {
                Value::SingleQuotedString(s) => string(&relation_name(s)),
                _ => key(expr),
            },
            _ => key(expr),
        },
        Expr::TypedString(ts) => literal(&ts.value.value),
        Expr::Interval(iv) => interval(iv).unwrap_or_else(|| fallback(e)),
        Expr::BinaryOp { left, op, right } => binary(left, op, right),
        Expr::UnaryOp { op, expr } => unary(op, expr),
        Expr::IsNull(x) => format!("({} is null)", key(x)),
        Expr::IsNotNull(x) => format!("({} is not null)", key(x)),
        Expr::IsTrue(x) => format!("({} is true)", key(x)),
        Expr::IsNotTrue(x) => format!("({} is not true)", key(x)),
        Expr::IsFalse(x) => format!("({} is false)", key(x)),
        Expr::IsNotFalse(x) => format!("({} is not false)", key(x)),
        Expr::IsUnknown(x) => format!("({} is unknown)", key(x)),
        Expr::IsNotUnknown(x) => format!("({} is not unknown)", key(x)),
        Expr::IsDistinctFrom(a, b) => distinct(a, b),
        // Printed back as `(NOT (a IS DISTINCT FROM b))`.
        Expr::IsNotDistinctFrom(a, b) => format!("(not {})", distinct(a, b)),
        Expr::In {
            expr,
            target: InTarget::List(list),
            negated,
            global: false,
        } => {
            // A one-item list is printed back as a comparison.
            let (op, quantifier) = if *negated {
                ("<>", "all")
            } else {
                ("=", "any")
            };
            match list.as_slice() {
                [item] => format!("({} {op} {})", key(expr), key(item)),
                _ => format!("({} {op} {quantifier} {})", key(expr), array(list)),
            }
        }
        Expr::AnyOp {
            left,
            compare_op,
            right,
            is_some: _,
        } => match (compare_op, unwrapped(right)) {
            (BinaryOperator::Eq, Expr::Subquery(q)) => format!("({} in ({}))", key(left), query(q)),
            _ => format!(
                "({} {} any {})",
                key(left),
                operator(compare_op),
                quantified(right)
            ),
        },
        Expr::AllOp {
            left,
            compare_op,
            right,
        } => format!(
            "({} {} all {})",
            key(left),
            operator(compare_op),
            quantified(right)
        ),
        // `a BETWEEN l AND h` is printed back as `((a >= l) AND (a <= h))`.
        Expr::Between {
            expr,
            negated,
            low,
            high,
        } => {
            let (x, low, high) = (key(expr), key(low), key(high));
            if *negated {
                format!("(({x} < {low}) or ({x} > {high}))")
            } else {
                format!("(({x} >= {low}) and ({x} <= {high}))")
            }
        }
        Expr::Like {
            negated,
            any: false,
            expr,
            pattern,
            escape_char: None,
        } => like(expr, pattern, if *negated { "!~~" } else { "~~" }),
        Expr::ILike {
            negated,
            any: false,
            expr,
            pattern,
            escape_char: None,
        } => like(expr, pattern, if *negated { "!~~*" } else { "~~*" }),
        // Printed back as `(x ~ similar_to_escape(p))`.
        Expr::SimilarTo {
            negated,
            expr,
            pattern,
            escape_char,
        } => {
            let op = if *negated { "!~" } else { "~" };
            let escape = escape_char
                .as_ref()
                .map(|e| format!(", {}", key(e)))
                .unwrap_or_default();
            format!(
                "({} {op} similar_to_escape({}{escape}))",
                key(expr),
                key(pattern)
            )
        }
        Expr::Function(f) => function(f).unwrap_or_else(|| fallback(e)),
        Expr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => {
            let mut out = String::from("(case");
            if let Some(operand) = operand {
                out.push(' ');
                out.push_str(&key(operand));
            }
            for when in conditions {
                out.push_str(&format!(
                    " when {} then {}",
                    key(&when.condition),
                    key(&when.result)
                ));
            }
            if let Some(else_result) = else_result {
                out.push_str(&format!(" else {}", key(else_result)));
            }
            out.push_str(" end)");
            out
        }
        Expr::Array(a) => array(&a.elem),
        Expr::Collate { expr, collation } => {
            format!("({} collate {})", key(expr), object_name(collation))
        }
        Expr::CompoundFieldAccess { root, access_chain } => {
            let mut out = key(root);
            for access in access_chain {
                match access {
                    ast::AccessExpr::Subscript(ast::Subscript::Index { index }) => {
                        out.push_str(&format!("[{}]", key(index)));
                    }
                    _ => return fallback(e),
                }
            }
            out
        }
        // The server prints a row constructor `ROW(a, b)`.
        Expr::Tuple(items) => format!("row({})", list(items)),
        Expr::AtTimeZone {
            timestamp,
            time_zone,
        } => format!("({} at time zone {})", key(timestamp), key(time_zone)),
        Expr::Position { expr, r#in } => format!("position({} in {})", key(expr), key(r#in)),
        // `substring(x, 1, 2)` is a plain call, printed `"substring"(x, 1, 2)`.
        Expr::Substring {
            expr,
            substring_from,
            substring_for,
            special: true,
            ..
        } => {
            let args: Vec<String> = std::iter::once(expr)
                .chain(substring_from)
                .chain(substring_for)
                .map(|e| key(e))
                .collect();
            format!("substring({})", args.join(", "))
        }
        Expr::Substring {
            expr,
            substring_from,
            substring_for,
            ..
        } => {
            let mut out = format!("substring({}", key(expr));
            if let Some(from) = substring_from {
                out.push_str(&format!(" from {}", key(from)));
            }
            if let Some(length) = substring_for {
                out.push_str(&format!(" for {}", key(length)));
            }
            out.push(')');
            out
        }
        // `trim(x)` is printed back as `TRIM(BOTH FROM x)`.
        Expr::Trim {
            trim_where,
            trim_what,
            expr,
            trim_characters: None,
        } => {
            let side = trim_where
                .as_ref()
                .map_or("both".to_string(), |w| w.to_string().to_ascii_lowercase());
            let what = trim_what
                .as_ref()
                .map(|w| format!(" {}", key(w)))
                .unwrap_or_default();
            format!("trim({side}{what} from {})", key(expr))
        }
        Expr::Overlay {
            expr,
            overlay_what,
            overlay_from,
            overlay_for,
        } => {
            let length = overlay_for
                .as_ref()
                .map(|l| format!(" for {}", key(l)))
                .unwrap_or_default();
            format!(
                "overlay({} placing {} from {}{length})",
                key(expr),
                key(overlay_what),
                key(overlay_from)
            )
        }
        Expr::Ceil {
            expr,
            field: ast::CeilFloorKind::DateTimeField(ast::DateTimeField::NoDateTime),
        } => format!("ceil({})", key(expr)),
        Expr::Floor {
            expr,
            field: ast::CeilFloorKind::DateTimeField(ast::DateTimeField::NoDateTime),
        } => format!("floor({})", key(expr)),
        Expr::Extract { field, expr, .. } => {
            let field = field.to_string().to_ascii_lowercase();
            format!("extract({} from {})", field.trim_matches('\''), key(expr))
        }
        // The server prints `x = ANY (SELECT …)` as `x IN (SELECT …)`, and
        // `NOT IN` / `NOT EXISTS` as `NOT (…)`.
        Expr::In {
            expr,
            target: InTarget::Subquery(subquery),
            negated,
            global: false,
        } => negate(
            format!("({} in ({}))", key(expr), query(subquery)),
            *negated,
        ),
        Expr::Exists { subquery, negated } => {
            negate(format!("exists({})", query(subquery)), *negated)
        }
        Expr::Subquery(q) => format!("({})", query(q)),
        _ => fallback(e),
    }
}

fn negate(key: String, negated: bool) -> String {
    if negated { format!("(not {key})") } else { key }
}

/// A subquery's key: its shape as the server prints it back (see
/// [`super::definition::query_shape`]), folded.
fn query(q: &ast::Query) -> String {
    let mut q = q.clone();
    super::definition::query_shape(&mut q);
    normalize::definition_key(&q.to_string())
}

/// What the AST walk does not canonicalise (a subquery, `EXISTS (…)`):
/// sqlparser's own print, folded, with the spellings that name the same
/// thing made one: names quoted that need no quotes (pg_dump
/// --quote-all-identifiers) unquoted, and the `public.` qualifier pg_dump
/// writes left out, as the server prints what it finds on its search path.
fn fallback(e: &Expr) -> String {
    let text = e.to_string();
    let Ok(tokens) = scan::tokenize(&text, Dialect::Postgres) else {
        return normalize::definition_key(&text);
    };
    let toks = &tokens.toks;
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < toks.len() {
        let public = matches!(&toks[i], scan::Tok::Word { text, .. } if text.eq_ignore_ascii_case("public"))
            && toks.get(i + 1).is_some_and(|t| t.is_sym("."))
            && toks
                .get(i + 2)
                .is_some_and(|t| matches!(t, scan::Tok::Word { .. }))
            && !(i > 0 && toks[i - 1].is_sym("."));
        if public {
            i += 2;
            continue;
        }
        match &toks[i] {
            scan::Tok::Word { text, quoted: true }
                if !(super::definition::needs_no_quotes(text) && text != "char") =>
            {
                out.push_str(&format!("\"{}\"", text.replace('"', "\"\"")));
            }
            scan::Tok::Word { text, .. } => out.push_str(&text.to_lowercase()),
            scan::Tok::Str(s) => out.push_str(&format!("'{}'", s.replace('\'', "''"))),
            scan::Tok::Num(n) | scan::Tok::Sym(n) => out.push_str(n),
        }
        out.push(' ');
        i += 1;
    }
    normalize::definition_key(&out)
}

fn list(items: &[Expr]) -> String {
    items.iter().map(key).collect::<Vec<_>>().join(", ")
}

fn array(items: &[Expr]) -> String {
    format!("array[{}]", list(items))
}

/// `e` without the parentheses around it.
fn unwrapped(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(inner) => unwrapped(inner),
        other => other,
    }
}

/// The right side of `= ANY (…)`: an array constructor, possibly cast.
fn quantified(e: &Expr) -> String {
    match e {
        Expr::Nested(inner) | Expr::Cast { expr: inner, .. } => quantified(inner),
        other => key(other),
    }
}

fn distinct(a: &Expr, b: &Expr) -> String {
    format!("({} is distinct from {})", key(a), key(b))
}

fn like(expr: &Expr, pattern: &Expr, op: &str) -> String {
    format!("({} {op} {})", key(expr), key(pattern))
}

fn binary(left: &Expr, op: &BinaryOperator, right: &Expr) -> String {
    if matches!(op, BinaryOperator::And | BinaryOperator::Or) {
        // The server keeps `a AND b AND c` as one list; grouping inside a
        // run of the same operator does not change its meaning.
        let mut operands = Vec::new();
        flatten(left, op, &mut operands);
        flatten(right, op, &mut operands);
        let joiner = if *op == BinaryOperator::And {
            " and "
        } else {
            " or "
        };
        return format!(
            "({})",
            operands
                .iter()
                .map(|e| key(e))
                .collect::<Vec<_>>()
                .join(joiner)
        );
    }
    format!("({} {} {})", key(left), operator(op), key(right))
}

fn flatten<'e>(e: &'e Expr, op: &BinaryOperator, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::Nested(inner) => flatten(inner, op, out),
        Expr::BinaryOp {
            left,
            op: inner,
            right,
        } if inner == op => {
            flatten(left, op, out);
            flatten(right, op, out);
        }
        other => out.push(other),
    }
}

fn operator(op: &BinaryOperator) -> String {
    match op {
        // `OPERATOR(pg_catalog.~)` is how pg_dump spells `~` with an empty
        // search_path; `OPERATOR(public.~)` an operator of an extension in
        // the default schema (citext's `~`), which the server prints bare.
        BinaryOperator::PGCustomBinaryOperator(parts) => match parts.as_slice() {
            [schema, op] if on_search_path(schema) => op.clone(),
            [op] => op.clone(),
            _ => op.to_string(),
        },
        other => other.to_string(),
    }
}

/// `pg_catalog`, `public` (any case), `"pg_catalog"`, `"public"`.
fn on_search_path(schema: &str) -> bool {
    match schema.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(quoted) => quoted == "pg_catalog" || quoted == "public",
        None => schema.eq_ignore_ascii_case("pg_catalog") || schema.eq_ignore_ascii_case("public"),
    }
}

fn unary(op: &UnaryOperator, expr: &Expr) -> String {
    match (op, expr) {
        (UnaryOperator::Minus, Expr::Value(v)) if matches!(v.value, Value::Number(..)) => {
            number(&format!("-{}", v.value))
        }
        (UnaryOperator::Plus, _) => key(expr),
        (UnaryOperator::Minus, _) => format!("(-{})", key(expr)),
        (UnaryOperator::Not, _) => format!("(not {})", key(expr)),
        (other, _) => format!("({other}{})", key(expr)),
    }
}

fn interval(iv: &ast::Interval) -> Option<String> {
    let Expr::Value(v) = iv.value.as_ref() else {
        return None;
    };
    let text = string_value(&v.value)?;
    let text = match (&iv.leading_field, &iv.last_field) {
        (None, None) => text.to_string(),
        (Some(field), None) => format!("{text} {field}"),
        (Some(_), Some(_)) | (None, Some(_)) => return None,
    };
    Some(string(&text))
}

fn string_value(v: &Value) -> Option<&str> {
    match v {
        Value::SingleQuotedString(s)
        | Value::EscapedStringLiteral(s)
        | Value::NationalStringLiteral(s)
        | Value::UnicodeStringLiteral(s) => Some(s),
        Value::DollarQuotedString(d) => Some(&d.value),
        _ => None,
    }
}

fn literal(v: &Value) -> String {
    match v {
        Value::Number(n, _) => number(n),
        Value::Boolean(b) => b.to_string(),
        Value::Null => "null".into(),
        other => match string_value(other) {
            Some(s) => string(s),
            None => other.to_string(),
        },
    }
}

/// A string literal's key. Which type the literal has is not known here (a
/// cast may be on one side only), so each rule applies whatever the type:
/// it must map the server's print of a value and the user's spelling of it
/// to the same text, and it does so on both sides alike.
fn string(s: &str) -> String {
    if normalize::is_number(s) {
        return number(s);
    }
    match s {
        "t" | "true" => return "true".into(),
        "f" | "false" => return "false".into(),
        _ => {}
    }
    // `nextval('public.x_seq')`: a regclass in the default schema is
    // printed without it.
    let s = s.strip_prefix("public.").unwrap_or(s);
    let s = if s.trim().is_empty() {
        s.to_string()
    } else {
        normalize::canonical_datetime(normalize::canonical_interval(s))
    };
    format!("'{}'", s.replace('\'', "''"))
}

/// `regclass`, `pg_catalog.regclass`, `"regclass"`.
fn regclass(ty: &ast::DataType) -> bool {
    let ast::DataType::Custom(name, modifiers) = ty else {
        return false;
    };
    let last = name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .map(|id| id.value.as_str());
    modifiers.is_empty()
        && last.is_some_and(|n| n.eq_ignore_ascii_case("regclass"))
        && (name.0.len() == 1
            || name.0[0]
                .as_ident()
                .is_some_and(|id| id.value.eq_ignore_ascii_case("pg_catalog")))
}

/// The text of a regclass literal as the server prints it for the same
/// relation: each dotted part unquoted when it needs no quotes, unquoted
/// parts folded to lower case (`"public"."X_seq"` → `public."X_seq"`).
/// `None`-free: text that is no dotted name is kept.
fn relation_name(s: &str) -> String {
    let mut parts = Vec::new();
    let mut chars = s.trim().chars().peekable();
    loop {
        let mut part = String::new();
        let quoted = chars.peek() == Some(&'"');
        if quoted {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    Some('"') => break,
                    Some(c) => part.push(c),
                    None => return s.to_string(),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                part.push(c.to_ascii_lowercase());
                chars.next();
            }
        }
        parts.push(ident(&Ident::with_quote('"', part)));
        match chars.next() {
            Some('.') => continue,
            None => break,
            Some(_) => return s.to_string(),
        }
    }
    parts.join(".")
}

/// Numbers as values: `1.5e3` and `1500` are one double, but `1.0` and `1`
/// are two numerics (the scale is kept), so only exponents are expanded.
fn number(n: &str) -> String {
    let n = n.strip_prefix('+').unwrap_or(n);
    if n.contains(['e', 'E'])
        && let Ok(v) = n.parse::<f64>()
    {
        return format!("{v}");
    }
    n.to_string()
}

fn function(f: &ast::Function) -> Option<String> {
    let ast::Function {
        name,
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args,
        filter: None,
        null_treatment: None,
        over: None,
        within_group,
    } = f
    else {
        return None;
    };
    if !within_group.is_empty() {
        return None;
    }
    let name = object_name(name);
    match args {
        // `CURRENT_TIMESTAMP`, `CURRENT_DATE`, `CURRENT_USER`.
        FunctionArguments::None => Some(name),
        FunctionArguments::List(ast::FunctionArgumentList {
            duplicate_treatment: None,
            args,
            clauses,
        }) if clauses.is_empty() => {
            let mut keys = Vec::with_capacity(args.len());
            for arg in args {
                match arg {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => keys.push(key(e)),
                    _ => return None,
                }
            }
            Some(format!("{name}({})", keys.join(", ")))
        }
        _ => None,
    }
}

fn object_name(name: &ObjectName) -> String {
    let mut idents = Vec::with_capacity(name.0.len());
    for part in &name.0 {
        match part {
            ObjectNamePart::Identifier(id) => idents.push(id),
            ObjectNamePart::Function(_) => return normalize::definition_key(&name.to_string()),
        }
    }
    qualified(idents.into_iter())
}

/// A dotted name without `public.` or `pg_catalog.`: the server omits the
/// schemas on its search path, pg_dump writes them.
fn qualified<'i>(parts: impl Iterator<Item = &'i Ident>) -> String {
    let mut parts: Vec<String> = parts.map(ident).collect();
    if parts.len() > 1 && (parts[0] == "public" || parts[0] == "pg_catalog") {
        parts.remove(0);
    }
    parts.join(".")
}

/// A name's key (see [`ident`]).
pub(super) fn name(id: &Ident) -> String {
    ident(id)
}

/// Unquoted names fold to lower case; a quoted name that needs no quotes
/// is the same name.
fn ident(id: &Ident) -> String {
    let plain = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    match id.quote_style {
        None => id.value.to_lowercase(),
        Some(_) if plain(&id.value) => id.value.clone(),
        Some(_) => format!("\"{}\"", id.value.replace('"', "\"\"")),
    }
}

#[cfg(test)]
mod tests {
    use super::postgres_key;

    #[track_caller]
    fn same(a: &str, b: &str) {
        let (ka, kb) = (postgres_key(a), postgres_key(b));
        assert!(ka.is_some(), "{a:?} does not parse");
        assert_eq!(ka, kb, "{a:?} vs {b:?}");
    }

    #[track_caller]
    fn differ(a: &str, b: &str) {
        assert_ne!(postgres_key(a), postgres_key(b), "{a:?} vs {b:?}");
    }

    #[test]
    fn grouping_is_resolved_by_parsing() {
        same("x % 2 = 0", "((x % 2) = 0)");
        same("x + 1 * 2 > 0", "((x + (1 * 2)) > 0)");
        differ("(x + 1) * 2 > 0", "x + 1 * 2 > 0");
        same(
            "x > 0 AND x < 10 OR x = 100",
            "(((x > 0) AND (x < 10)) OR (x = 100))",
        );
        same(
            "x > 0 AND (x < 10 AND x > 1)",
            "((x > 0) AND (x < 10) AND (x > 1))",
        );
        differ(
            "x > 0 AND (x < 10 OR x = 100)",
            "x > 0 AND x < 10 OR x = 100",
        );
    }

    #[test]
    fn row_constructors_meet() {
        same("(a, b) > (0, 0)", "(ROW(a, b) > ROW(0, 0))");
        differ("(a, b) > (0, 0)", "(ROW(a, b) > ROW(0, 1))");
    }

    #[test]
    fn rewritten_forms_meet() {
        same("x IN ('a', 'b')", "(x = ANY (ARRAY['a'::text, 'b'::text]))");
        same(
            "x NOT IN ('a', 'b')",
            "((x)::text <> ALL ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
        );
        same("x = SOME (ARRAY['a'])", "(x = ANY (ARRAY['a'::text]))");
        same("x BETWEEN 1 AND 10", "((x >= 1) AND (x <= 10))");
        same("x NOT BETWEEN 1 AND 10", "((x < 1) OR (x > 10))");
        same("x LIKE 'a%'", "(x ~~ 'a%'::text)");
        same("x NOT ILIKE 'a%'", "(x !~~* 'a%'::text)");
        same("x IS NOT DISTINCT FROM 1", "(NOT (x IS DISTINCT FROM 1))");
        same("x OPERATOR(pg_catalog.~) '^a'", "(x ~ '^a'::text)");
        same(
            "(username OPERATOR(public.~) '^\\w'::public.citext)",
            "(username ~ '^\\w'::citext)",
        );
        same(
            "(\"username\" OPERATOR(\"public\".~) 'a'::\"public\".\"citext\")",
            "(username ~ 'a'::citext)",
        );
        differ("x OPERATOR(app.~) 'a'", "x ~ 'a'");
        same("x != 0", "(x <> 0)");
        same("trim(x)", "TRIM(BOTH FROM x)");
        same("substring(x, 1, 2)", "\"substring\"(x, 1, 2)");
        same("substring(x from 1 for 2)", "SUBSTRING(x FROM 1 FOR 2)");
        same("trim(leading 'a' from x)", "TRIM(LEADING 'a'::text FROM x)");
        differ("trim(leading 'a' from x)", "trim(trailing 'a' from x)");
        same("x IN ('a')", "(x = 'a'::text)");
        same("x NOT IN (1)", "(x <> 1)");
        differ("x = 0", "x <> 0");
    }

    #[test]
    fn a_variadic_array_is_the_arguments_it_gathers() {
        same(
            "jsonb_extract_path_text(col, 'foo', 'bar')",
            "jsonb_extract_path_text(col, VARIADIC ARRAY['foo'::text, 'bar'::text])",
        );
        same(
            "(f(VARIADIC ARRAY[g(ARRAY[1], 2)]) > 0)",
            "f(g(ARRAY[1], 2)) > 0",
        );
        differ(
            "jsonb_extract_path_text(col, 'foo')",
            "jsonb_extract_path_text(col, VARIADIC ARRAY['foo'::text, 'bar'::text])",
        );
    }

    #[test]
    fn names_on_the_search_path_lose_their_schema() {
        same(
            "nextval('public.x_seq'::regclass)",
            "nextval('x_seq'::regclass)",
        );
        same(
            "\"nextval\"('\"public\".\"x_seq\"'::\"regclass\")",
            "nextval('x_seq'::regclass)",
        );
        same(
            "nextval('\"app\".\"Mixed_seq\"'::pg_catalog.regclass)",
            "nextval('app.\"Mixed_seq\"'::regclass)",
        );
        differ(
            "nextval('\"Mixed_seq\"'::regclass)",
            "nextval('mixed_seq'::regclass)",
        );
        // Only a regclass's text is a name: other strings keep their quotes.
        differ("x <> '\"a\"'::text", "x <> 'a'::text");
        // A subquery is keyed by its folded text: pg_dump's quoting and
        // `public.` and the server's print meet there too.
        same(
            "(EXISTS ( SELECT 1 FROM \"public\".\"setlists\" WHERE ((\"setlists\".\"id\" = \"setlist_songs\".\"setlist_id\") AND (\"setlists\".\"owner\" = 'uid'::\"text\"))))",
            "(EXISTS ( SELECT 1 FROM setlists WHERE ((setlists.id = setlist_songs.setlist_id) AND (setlists.owner = 'uid'::text))))",
        );
        differ(
            "EXISTS (SELECT 1 FROM \"Setlists\")",
            "EXISTS (SELECT 1 FROM setlists)",
        );
        differ(
            "EXISTS (SELECT 1 FROM app.setlists)",
            "EXISTS (SELECT 1 FROM setlists)",
        );
        same("public.twice(x)", "twice(x)");
        same("pg_catalog.lower(x)", "lower(x)");
        differ("app.twice(x)", "twice(x)");
    }

    #[test]
    fn literals_and_their_types() {
        same("INT '1'", "1");
        same("-1", "'-1'::integer");
        same("interval '1' day", "'1 day'::interval");
        same("DATE '2020-01-01'", "'2020-01-01'::date");
        same("1.5e3", "'1500'::double precision");
        differ("1.0", "1");
        differ("now()", "CURRENT_TIMESTAMP");
        same("true", "'t'::boolean");
        same("''", "''::text");
        differ("''", "' '");
    }
}
