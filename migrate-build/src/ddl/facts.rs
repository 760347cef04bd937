//! Facts about an opaque object, computed once when the interpreter builds
//! it: the signature that tells overloads apart, and the objects its
//! definition names. The differ, the orderer and the renderers read these
//! from the model instead of reading the SQL again.

use super::Fallible;
use super::names;
use super::scan::{Tok, Tokens};
use super::types::canonical_type;
use crate::schema::{ObjectRef, OpaqueKind, QualifiedName, RefKind, Schema};

/// The argument list of a function, procedure or aggregate starting at
/// token `open` (a `(`): the input argument types as PostgreSQL identifies
/// the routine (`pg_proc.proargtypes`): IN, INOUT and VARIADIC arguments,
/// and OUT arguments of procedures only; names and defaults left out.
/// Returns the signature and the index of the token after the list.
pub(super) fn signature(
    schema: &Schema,
    text: &str,
    tokens: &Tokens,
    open: usize,
    kind: OpaqueKind,
) -> Fallible<(String, usize)> {
    let toks = &tokens.toks;
    if !toks.get(open).is_some_and(|t| t.is_sym("(")) {
        return Err(format!("{} without an argument list", kind.as_sql()));
    }
    let mut types = Vec::new();
    let mut depth = 0usize;
    let mut start = open + 1;
    let mut i = open;
    loop {
        let Some(t) = toks.get(i) else {
            return Err("unbalanced parentheses in the argument list".into());
        };
        if t.is_sym("(") || t.is_sym("[") {
            depth += 1;
        } else if t.is_sym(")") || t.is_sym("]") {
            depth = depth.saturating_sub(1);
        }
        let ends_arg = (depth == 1 && t.is_sym(","))
            || depth == 0
            // ordered-set aggregates: `(direct args ORDER BY aggregated args)`
            || (depth == 1 && kind == OpaqueKind::Aggregate && t.is_kw("ORDER")
                && toks.get(i + 1).is_some_and(|n| n.is_kw("BY")));
        if ends_arg && i > open {
            if let Some(ty) = argument(schema, text, tokens, start, i, kind)? {
                types.push(ty);
            }
            start = if t.is_kw("ORDER") { i + 2 } else { i + 1 };
            if t.is_kw("ORDER") {
                i += 1;
            }
        }
        if depth == 0 {
            return Ok((types.join(", "), i + 1));
        }
        i += 1;
    }
}

pub(super) const MODES: [&str; 4] = ["IN", "OUT", "INOUT", "VARIADIC"];

/// One argument, tokens `from..to`: its canonical type, or `None` when it
/// does not count in the signature (OUT of a function, `*`, empty list).
fn argument(
    schema: &Schema,
    text: &str,
    tokens: &Tokens,
    from: usize,
    to: usize,
    kind: OpaqueKind,
) -> Fallible<Option<String>> {
    let toks = &tokens.toks;
    let mut a = from;
    // The default is not part of the identity.
    let mut b = (from..to)
        .find(|&k| toks[k].is_kw("DEFAULT") || toks[k].is_sym("="))
        .unwrap_or(to);
    if a >= b || (b == a + 1 && toks[a].is_sym("*")) {
        return Ok(None);
    }
    let is_mode = |t: &Tok| MODES.iter().any(|m| t.is_kw(m));
    let mut mode = None;
    if is_mode(&toks[a]) && b > a + 1 {
        mode = Some(a);
        a += 1;
    }
    // `name type` or `name mode type`: a first word followed by another
    // word, unless the two make a builtin type (`double precision`).
    let whole = span(text, tokens, a, b);
    let builtin = canonical_type(whole, schema.dialect).is_some_and(|t| !t.user_defined);
    let named = b > a + 1
        && matches!(toks[a], Tok::Word { .. })
        && matches!(toks[a + 1], Tok::Word { .. })
        && !builtin;
    if named {
        a += 1;
        if mode.is_none() && is_mode(&toks[a]) && b > a + 1 {
            mode = Some(a);
            a += 1;
        }
    }
    if mode.is_some_and(|m| toks[m].is_kw("OUT")) && kind != OpaqueKind::Procedure {
        return Ok(None);
    }
    while b > a && toks[b - 1].is_sym(",") {
        b -= 1;
    }
    type_at(schema, text, tokens, a, b).map(Some)
}

/// The type written in tokens `a..b`, as `format_type(oid, NULL)` prints it
/// (modifiers dropped: they are not part of a routine's identity).
pub(super) fn type_at(
    schema: &Schema,
    text: &str,
    tokens: &Tokens,
    a: usize,
    b: usize,
) -> Fallible<String> {
    let toks = &tokens.toks;
    let d = schema.dialect;
    // `table.column%TYPE`: the column's type, resolved now as the server does.
    if b >= a + 2 && toks[b - 1].is_kw("TYPE") && toks[b - 2].is_sym("%") {
        let mut parts = Vec::new();
        for t in &toks[a..b - 2] {
            if let Tok::Word { text, quoted } = t {
                parts.push(names::fold(text, *quoted, d));
            }
        }
        let column = parts.pop().unwrap_or_default();
        let table = names::qualify(parts, d);
        let ty = schema
            .table(&table)
            .and_then(|t| t.column(&column, d))
            .map(|c| c.ty.clone())
            .ok_or_else(|| format!("column `{table}.{column}` in %TYPE does not exist"))?;
        return Ok(bare(ty));
    }
    let written = span(text, tokens, a, b);
    let ty = canonical_type(written, d).ok_or_else(|| format!("`{written}` is not a type"))?;
    Ok(bare(ty))
}

fn bare(mut ty: crate::schema::ColumnType) -> String {
    ty.modifiers.clear();
    ty.to_string()
}

/// The text of tokens `a..b`.
pub(super) fn span<'s>(text: &'s str, tokens: &Tokens, a: usize, b: usize) -> &'s str {
    let start = tokens.offsets.get(a).copied().unwrap_or(text.len());
    let end = tokens.offsets.get(b).copied().unwrap_or(text.len());
    text.get(start..end.max(start)).unwrap_or_default().trim()
}

/// The objects of `schema` that tokens `from..` name: every dotted name is
/// resolved as the server would when it runs the statement, a name followed
/// by `(` as a function, one after `COLLATE` as a collation, any other as a
/// type or relation. String literals (and so dollar-quoted bodies, which
/// PostgreSQL does not read at creation) name nothing. The object itself
/// (`own`, in its namespace) is left out: a trigger may share its
/// function's name.
pub(super) fn references(
    schema: &Schema,
    tokens: &Tokens,
    from: usize,
    own: Option<(&QualifiedName, RefKind)>,
) -> Vec<ObjectRef> {
    let d = schema.dialect;
    let toks = &tokens.toks;
    let mut out: Vec<ObjectRef> = Vec::new();
    let mut i = from;
    while i < toks.len() {
        if let Some(r) = regconfig_literal(schema, toks, i)
            && !out.contains(&r)
        {
            out.push(r);
        }
        let Tok::Word { .. } = toks[i] else {
            i += 1;
            continue;
        };
        // The syntax of these statements, and the language a body is in
        // (`LANGUAGE sql` names no table `language`).
        if SYNTAX.iter().any(|w| toks[i].is_kw(w)) {
            i += if toks[i].is_kw("LANGUAGE") { 2 } else { 1 };
            continue;
        }
        let after_dot = i > 0 && toks[i - 1].is_sym(".");
        let mut parts = Vec::new();
        let mut j = i;
        while let Some(Tok::Word { text, quoted }) = toks.get(j) {
            parts.push(names::fold(text, *quoted, d));
            if toks.get(j + 1).is_some_and(|t| t.is_sym("."))
                && matches!(toks.get(j + 2), Some(Tok::Word { .. }))
            {
                j += 2;
            } else {
                break;
            }
        }
        let collate = i > 0 && toks[i - 1].is_kw("COLLATE");
        let call = toks.get(j + 1).is_some_and(|t| t.is_sym("("));
        i = j + 1;
        if after_dot || parts.len() > 3 {
            continue;
        }
        // `a.b` may be a qualified name or a column of a table `a`.
        let mut candidates = vec![names::qualify(parts.clone(), d)];
        if parts.len() == 2 {
            candidates.push(QualifiedName::new(parts[0].clone()));
        }
        for name in candidates {
            let found = if collate {
                has_opaque(schema, &name, &[OpaqueKind::Collation]).then_some(RefKind::Collation)
            } else if call {
                has_opaque(
                    schema,
                    &name,
                    &[
                        OpaqueKind::Function,
                        OpaqueKind::Procedure,
                        OpaqueKind::Aggregate,
                    ],
                )
                .then_some(RefKind::Function)
            } else {
                // `SFUNC = f`, `FUNCTION = f`: routines named without a call.
                resolve(schema, &name).or_else(|| {
                    has_opaque(
                        schema,
                        &name,
                        &[OpaqueKind::Function, OpaqueKind::Aggregate],
                    )
                    .then_some(RefKind::Function)
                })
            };
            if let Some(kind) = found {
                if own.is_some_and(|(o, k)| k == kind && o.same_as(&name, d)) {
                    break;
                }
                let r = ObjectRef { kind, name };
                if !out.contains(&r) {
                    out.push(r);
                }
                break;
            }
        }
    }
    out
}

/// `'name'::regconfig` at `i` naming a configuration of the schema: the
/// server records the dependency of a default or body on it.
fn regconfig_literal(schema: &Schema, toks: &[Tok], i: usize) -> Option<ObjectRef> {
    let Tok::Str(text) = &toks[i] else {
        return None;
    };
    if !toks.get(i + 1)?.is_sym("::") {
        return None;
    }
    let cast = match (toks.get(i + 2)?, toks.get(i + 3), toks.get(i + 4)) {
        (t, Some(dot), Some(ty)) if t.is_kw("pg_catalog") && dot.is_sym(".") => ty,
        (t, _, _) => t,
    };
    if !cast.is_kw("regconfig") {
        return None;
    }
    let d = schema.dialect;
    let parts: Vec<String> = text
        .split('.')
        .map(
            |p| match p.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
                Some(quoted) => quoted.to_string(),
                None => names::fold(p, false, d),
            },
        )
        .collect();
    let name = names::qualify(parts, d);
    schema
        .opaque
        .iter()
        .find(|o| o.kind == OpaqueKind::TextSearchConfiguration && o.name.same_as(&name, d))
        .map(|o| ObjectRef {
            kind: RefKind::TextSearchConfiguration,
            name: o.name.clone(),
        })
}

/// Unquoted words that are syntax in the statements references are read
/// from (CREATE FUNCTION, TRIGGER, DOMAIN, TYPE, AGGREGATE, OPERATOR,
/// COLLATION, CAST, RULE, STATISTICS), not names.
const SYNTAX: &[&str] = &[
    "LANGUAGE",
    "RETURNS",
    "SETOF",
    "TABLE",
    "IN",
    "OUT",
    "INOUT",
    "VARIADIC",
    "DEFAULT",
    "IMMUTABLE",
    "STABLE",
    "VOLATILE",
    "STRICT",
    "CALLED",
    "NULL",
    "INPUT",
    "SECURITY",
    "DEFINER",
    "INVOKER",
    "PARALLEL",
    "SAFE",
    "UNSAFE",
    "RESTRICTED",
    "COST",
    "ROWS",
    "SET",
    "LEAKPROOF",
    "WINDOW",
    "SUPPORT",
    "TRANSFORM",
    "EXTERNAL",
    "AS",
    "BEFORE",
    "AFTER",
    "INSTEAD",
    "OF",
    "INSERT",
    "UPDATE",
    "DELETE",
    "TRUNCATE",
    "ON",
    "FOR",
    "EACH",
    "ROW",
    "STATEMENT",
    "EXECUTE",
    "FUNCTION",
    "PROCEDURE",
    "WHEN",
    "REFERENCING",
    "NEW",
    "OLD",
    "CHECK",
    "CONSTRAINT",
    "NOT",
    "COLLATE",
    "VALUE",
    "SFUNC",
    "STYPE",
    "SSPACE",
    "FINALFUNC",
    "FINALFUNC_EXTRA",
    "COMBINEFUNC",
    "SERIALFUNC",
    "DESERIALFUNC",
    "INITCOND",
    "MSFUNC",
    "MINVFUNC",
    "MSTYPE",
    "MFINALFUNC",
    "MINITCOND",
    "SORTOP",
    "LEFTARG",
    "RIGHTARG",
    "COMMUTATOR",
    "NEGATOR",
    "RESTRICT",
    "JOIN",
    "HASHES",
    "MERGES",
    "PROVIDER",
    "LOCALE",
    "LC_COLLATE",
    "LC_CTYPE",
    "DETERMINISTIC",
    "FROM",
    "WITH",
    "WITHOUT",
    "INOUT",
    "IMPLICIT",
    "ASSIGNMENT",
    "SUBTYPE",
    "SUBTYPE_OPCLASS",
    "CANONICAL",
    "SUBTYPE_DIFF",
    "MULTIRANGE_TYPE_NAME",
    "RULE",
    "DO",
    "ALSO",
    "NOTHING",
    "TO",
    "WHERE",
    "SELECT",
    "AND",
    "OR",
    "IS",
    "TRUE",
    "FALSE",
    "DEFERRABLE",
    "INITIALLY",
    "DEFERRED",
    "IMMEDIATE",
    "BEGIN",
    "ATOMIC",
    "END",
    "RETURN",
    "TRIGGER",
];

fn has_opaque(schema: &Schema, name: &QualifiedName, kinds: &[OpaqueKind]) -> bool {
    schema
        .opaque
        .iter()
        .any(|o| kinds.contains(&o.kind) && o.name.same_as(name, schema.dialect))
}

/// A type or relation of that name.
fn resolve(schema: &Schema, name: &QualifiedName) -> Option<RefKind> {
    if schema.enum_type(name).is_some()
        || has_opaque(schema, name, &[OpaqueKind::Type, OpaqueKind::Domain])
    {
        Some(RefKind::Type)
    } else if schema.table(name).is_some()
        || schema.view(name).is_some()
        || schema.sequence(name).is_some()
    {
        Some(RefKind::Relation)
    } else {
        None
    }
}

/// Words that end a routine's head (arguments and `RETURNS …`).
pub(super) const ROUTINE_CLAUSES: [&str; 20] = [
    "LANGUAGE",
    "AS",
    "IMMUTABLE",
    "STABLE",
    "VOLATILE",
    "STRICT",
    "CALLED",
    "SECURITY",
    "EXTERNAL",
    "PARALLEL",
    "COST",
    "ROWS",
    "SUPPORT",
    "SET",
    "WINDOW",
    "LEAKPROOF",
    "NOT",
    "RETURN",
    "BEGIN",
    "TRANSFORM",
];

/// A function's or procedure's head, tokens from `from` (its name): the
/// argument list and `RETURNS` clause, one space between tokens, unquoted
/// words lower-cased.
pub(super) fn routine_head(tokens: &Tokens, from: usize) -> String {
    let toks = &tokens.toks;
    let Some(open) = (from..toks.len()).find(|&k| toks[k].is_sym("(")) else {
        return String::new();
    };
    let mut depth = 0usize;
    let mut words = Vec::new();
    for (k, t) in toks.iter().enumerate().skip(open) {
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            depth = depth.saturating_sub(1);
        }
        let clause = depth == 0
            && (ROUTINE_CLAUSES.iter().any(|c| t.is_kw(c))
                || (t.is_kw("RETURNS") && toks.get(k + 1).is_some_and(|n| n.is_kw("NULL"))));
        if clause {
            break;
        }
        words.push(match t {
            Tok::Word {
                text,
                quoted: false,
            } => text.to_ascii_lowercase(),
            other => super::scan::describe(other),
        });
    }
    words.join(" ")
}

/// `CREATE OPERATOR name (LEFTARG = a, RIGHTARG = b, …)`, the cursor at the
/// name: the operator's name (schema-qualified when written so) and its
/// operand types, `NONE` for a missing left operand.
pub(super) fn operator(
    schema: &Schema,
    text: &str,
    tokens: &Tokens,
    at: usize,
) -> Fallible<(QualifiedName, String, usize)> {
    let toks = &tokens.toks;
    let open = (at..toks.len())
        .find(|&k| toks[k].is_sym("("))
        .ok_or("CREATE OPERATOR without its `(…)` options")?;
    let (schema_name, name_from) = match (toks.get(at), toks.get(at + 1)) {
        (Some(Tok::Word { text, quoted }), Some(dot)) if dot.is_sym(".") && at + 2 < open => {
            (Some(names::fold(text, *quoted, schema.dialect)), at + 2)
        }
        _ => (None, at),
    };
    let op = span(text, tokens, name_from, open)
        .split_whitespace()
        .collect::<String>();
    if op.is_empty() {
        return Err("CREATE OPERATOR without a name".into());
    }
    let name = names::qualify(
        schema_name.into_iter().chain([op]).collect(),
        schema.dialect,
    );
    let option = |key: &str| -> Fallible<Option<String>> {
        let mut depth = 0usize;
        for k in open..toks.len() {
            let t = &toks[k];
            if t.is_sym("(") {
                depth += 1;
            } else if t.is_sym(")") {
                depth = depth.saturating_sub(1);
            } else if depth == 1 && t.is_kw(key) && toks.get(k + 1).is_some_and(|n| n.is_sym("=")) {
                let end = (k + 2..toks.len())
                    .find(|&e| toks[e].is_sym(",") || toks[e].is_sym(")"))
                    .unwrap_or(toks.len());
                return type_at(schema, text, tokens, k + 2, end).map(Some);
            }
        }
        Ok(None)
    };
    let left = option("LEFTARG")?.unwrap_or_else(|| "NONE".into());
    let right = option("RIGHTARG")?.ok_or("CREATE OPERATOR without RIGHTARG")?;
    Ok((name, format!("{left}, {right}"), open))
}

/// `(source AS target)` starting at token `open`: the cast's name, `source
/// AS target` in canonical type names.
pub(super) fn cast(
    schema: &Schema,
    text: &str,
    tokens: &Tokens,
    open: usize,
) -> Fallible<(QualifiedName, usize)> {
    let toks = &tokens.toks;
    if !toks.get(open).is_some_and(|t| t.is_sym("(")) {
        return Err("expected `(source AS target)` after CAST".into());
    }
    let as_at = (open..toks.len())
        .find(|&k| toks[k].is_kw("AS"))
        .ok_or("expected `AS` in the cast")?;
    let close = (as_at..toks.len())
        .find(|&k| toks[k].is_sym(")"))
        .ok_or("expected `)` after the cast's types")?;
    let source = type_at(schema, text, tokens, open + 1, as_at)?;
    let target = type_at(schema, text, tokens, as_at + 1, close)?;
    Ok((
        QualifiedName::new(format!("{source} AS {target}")),
        close + 1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::scan::tokenize;
    use crate::dialect::Dialect;

    fn sig(args: &str, kind: OpaqueKind) -> String {
        let schema = Schema::empty(Dialect::Postgres);
        let tokens = tokenize(args, Dialect::Postgres).unwrap();
        signature(&schema, args, &tokens, 0, kind).unwrap().0
    }

    #[test]
    fn signatures_are_input_types_in_catalog_spelling() {
        let f = OpaqueKind::Function;
        assert_eq!(sig("(int, int)", f), "integer, integer");
        assert_eq!(sig("(a int4, b INTEGER DEFAULT 1)", f), "integer, integer");
        assert_eq!(
            sig("(a text, OUT b int, INOUT c varchar(10))", f),
            "text, character varying"
        );
        assert_eq!(sig("(VARIADIC xs text[])", f), "text[]");
        assert_eq!(
            sig("(x double precision, timestamp with time zone)", f),
            "double precision, timestamp with time zone"
        );
        assert_eq!(
            sig("(s public.\"Kind\", numeric(10, 2) = 0)", f),
            "Kind, numeric"
        );
        assert_eq!(sig("()", f), "");
        assert_eq!(
            sig("(a IN int, OUT b int)", OpaqueKind::Procedure),
            "integer, integer"
        );
        assert_eq!(sig("(*)", OpaqueKind::Aggregate), "");
        assert_eq!(
            sig("(float8 ORDER BY int)", OpaqueKind::Aggregate),
            "double precision, integer"
        );
    }
}
