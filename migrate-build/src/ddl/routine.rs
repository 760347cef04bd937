//! `ALTER FUNCTION/PROCEDURE … <options>`: the server changes the options
//! `CREATE OR REPLACE` would write. The model holds a routine as its
//! `CREATE` text, so the options are written into that text: each altered
//! option replaces the clause of its kind (a `SET` the clause of its
//! parameter, `RESET` removes it), as the server's catalog row keeps one
//! value of each.

use super::Fallible;
use super::facts::ROUTINE_CLAUSES;
use super::scan::{Cursor, Tok, Tokens, tokenize};
use crate::dialect::Dialect;
use crate::schema::OpaqueKind;

/// What a clause of a routine sets.
#[derive(PartialEq, Eq)]
enum Class {
    Volatility,
    Strict,
    Leakproof,
    Security,
    Parallel,
    Cost,
    Rows,
    /// `SET parameter …`, by the parameter's folded name.
    Set(String),
    /// Language, body, `WINDOW`, `TRANSFORM`, `SUPPORT`: not altered here.
    Other,
}

fn is_clause(toks: &[Tok], k: usize) -> bool {
    let t = &toks[k];
    ROUTINE_CLAUSES.iter().any(|c| t.is_kw(c))
        || t.is_kw("RESET")
        || t.is_kw("RESTRICT")
        || (t.is_kw("RETURNS") && toks.get(k + 1).is_some_and(|n| n.is_kw("NULL")))
}

/// The end of the clause starting at `k`: the next clause word at depth 0
/// (`NOT LEAKPROOF` and `EXTERNAL SECURITY …` are one clause each).
fn clause_end(toks: &[Tok], k: usize) -> usize {
    let joined = (toks[k].is_kw("NOT") && toks.get(k + 1).is_some_and(|t| t.is_kw("LEAKPROOF")))
        || (toks[k].is_kw("EXTERNAL") && toks.get(k + 1).is_some_and(|t| t.is_kw("SECURITY")));
    let from = if joined { k + 2 } else { k + 1 };
    let mut depth = 0usize;
    for (e, t) in toks.iter().enumerate().skip(from) {
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && (is_clause(toks, e) || t.is_sym(";")) {
            return e;
        }
    }
    toks.len()
}

fn class_of(toks: &[Tok], k: usize) -> Class {
    let t = &toks[k];
    let word = |w: &str| t.is_kw(w);
    if word("IMMUTABLE") || word("STABLE") || word("VOLATILE") {
        Class::Volatility
    } else if word("STRICT") || word("CALLED") || word("RETURNS") {
        Class::Strict
    } else if word("LEAKPROOF") || word("NOT") {
        Class::Leakproof
    } else if word("SECURITY") || word("EXTERNAL") {
        Class::Security
    } else if word("PARALLEL") {
        Class::Parallel
    } else if word("COST") {
        Class::Cost
    } else if word("ROWS") {
        Class::Rows
    } else if word("SET") || word("RESET") {
        match toks.get(k + 1) {
            Some(Tok::Word { text, .. }) => Class::Set(text.to_ascii_lowercase()),
            _ => Class::Other,
        }
    } else {
        Class::Other
    }
}

/// The text of tokens `a..b` of `text`.
fn span(text: &str, tokens: &Tokens, a: usize, b: usize) -> String {
    let start = tokens.offsets.get(a).copied().unwrap_or(text.len());
    let end = tokens.offsets.get(b).copied().unwrap_or(text.len());
    text.get(start..end.max(start))
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// One action of the `ALTER`: what it sets and the clause that says it
/// (`None`: back to the default).
struct Action {
    class: Class,
    /// `RESET ALL`.
    all_settings: bool,
    clause: Option<String>,
}

fn actions(kind: OpaqueKind, c: &mut Cursor<'_>, text: &str) -> Fallible<Vec<Action>> {
    let verb = kind.as_sql();
    let toks = &c.tokens.toks;
    let mut out = Vec::new();
    while !c.at_end() {
        let k = c.pos;
        let t = &toks[k];
        if t.is_sym(";") {
            c.pos += 1;
            continue;
        }
        if t.is_kw("RESTRICT") {
            c.pos += 1;
            continue;
        }
        let not_modelled = || format!("ALTER {verb} {} is not modelled", c.here());
        if !is_clause(toks, k)
            || [
                "LANGUAGE",
                "AS",
                "WINDOW",
                "RETURN",
                "BEGIN",
                "TRANSFORM",
                "SUPPORT",
            ]
            .iter()
            .any(|w| t.is_kw(w))
            || (t.is_kw("NOT") && !toks.get(k + 1).is_some_and(|n| n.is_kw("LEAKPROOF")))
        {
            return Err(not_modelled());
        }
        let end = clause_end(toks, k);
        let class = class_of(toks, k);
        if kind == OpaqueKind::Procedure && !matches!(class, Class::Security | Class::Set(_)) {
            return Err(format!(
                "ALTER PROCEDURE {}: a procedure takes only SECURITY and SET/RESET",
                c.here()
            ));
        }
        let written = span(text, c.tokens, k, end);
        let action = if t.is_kw("RESET") {
            Action {
                all_settings: toks.get(k + 1).is_some_and(|n| n.is_kw("ALL")),
                class,
                clause: None,
            }
        } else if t.is_kw("SET") {
            let value = toks.get(k + 2);
            if value.is_some_and(|v| v.is_kw("FROM")) {
                // The session's value when the ALTER runs: only the server knows it.
                return Err(format!(
                    "ALTER {verb} … SET … FROM CURRENT {} is not modelled: write the value",
                    c.here()
                ));
            }
            let default = end == k + 4 && toks[k + 3].is_kw("DEFAULT");
            if !value.is_some_and(|v| v.is_kw("TO") || v.is_sym("=")) || end <= k + 3 {
                return Err(format!("expected `SET parameter TO value` {}", c.here()));
            }
            Action {
                class,
                all_settings: false,
                clause: (!default).then_some(written),
            }
        } else {
            let numeric = t.is_kw("COST") || t.is_kw("ROWS");
            if numeric && !matches!(toks.get(k + 1), Some(Tok::Num(_))) {
                return Err(format!("expected a number {}", c.here()));
            }
            if t.is_kw("PARALLEL")
                && !toks
                    .get(k + 1)
                    .is_some_and(|n| n.is_kw("SAFE") || n.is_kw("RESTRICTED") || n.is_kw("UNSAFE"))
            {
                return Err(format!("expected SAFE, RESTRICTED or UNSAFE {}", c.here()));
            }
            Action {
                class,
                all_settings: false,
                clause: Some(written),
            }
        };
        out.push(action);
        c.pos = end;
    }
    if out.is_empty() {
        return Err(format!("ALTER {verb} {} is not modelled", c.here()));
    }
    Ok(out)
}

/// The routine's text `sql` with the actions of `ALTER … <actions>` (the
/// cursor at the first) written into it.
pub(super) fn alter(
    kind: OpaqueKind,
    sql: &str,
    c: &mut Cursor<'_>,
    text: &str,
) -> Fallible<String> {
    let actions = actions(kind, c, text)?;
    let d = Dialect::Postgres;
    let tokens = tokenize(sql, d)?;
    let toks = &tokens.toks;
    let unread = || {
        format!(
            "ALTER {} of a routine written in this form is not modelled",
            kind.as_sql()
        )
    };
    let open = (0..toks.len())
        .find(|&k| toks[k].is_sym("("))
        .ok_or_else(unread)?;
    // The head ends at the first clause after the argument list (a
    // `RETURNS type` belongs to it).
    let mut depth = 0usize;
    let mut head_end = toks.len();
    for (k, t) in toks.iter().enumerate().skip(open) {
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && (is_clause(toks, k) || t.is_sym(";")) {
            head_end = k;
            break;
        }
    }
    // The clauses: byte ranges and what each sets. A SQL-standard body
    // comes last and is left as it is.
    let mut clauses: Vec<(usize, usize, Class)> = Vec::new();
    let mut k = head_end;
    while k < toks.len() {
        if toks[k].is_sym(";") || toks[k].is_kw("RETURN") || toks[k].is_kw("BEGIN") {
            break;
        }
        if !is_clause(toks, k) {
            return Err(unread());
        }
        let end = clause_end(toks, k);
        let from = tokens.offsets[k];
        let to = tokens.offsets.get(end).copied().unwrap_or(sql.len());
        clauses.push((from, to, class_of(toks, k)));
        k = end;
    }
    let mut removed: Vec<bool> = vec![false; clauses.len()];
    let mut added: Vec<String> = Vec::new();
    for action in &actions {
        for (i, (_, _, class)) in clauses.iter().enumerate() {
            let hit = if action.all_settings {
                matches!(class, Class::Set(_))
            } else {
                *class == action.class
            };
            if hit {
                removed[i] = true;
            }
        }
        added.retain(|a| {
            let Ok(t) = tokenize(a, d) else { return true };
            let class = class_of(&t.toks, 0);
            if action.all_settings {
                !matches!(class, Class::Set(_))
            } else {
                class != action.class
            }
        });
        if let Some(clause) = &action.clause {
            added.push(clause.clone());
        }
    }
    let insert_at = tokens.offsets.get(head_end).copied().unwrap_or(sql.len());
    let mut out = String::new();
    let mut at = 0;
    let mut inserted = false;
    let insert = |out: &mut String| {
        for a in &added {
            out.push_str(a);
            out.push(' ');
        }
    };
    if insert_at == sql.len() {
        out.push_str(sql.trim_end());
        out.push(' ');
        insert(&mut out);
        return Ok(out.trim_end().to_string());
    }
    for (i, (from, to, _)) in clauses.iter().enumerate() {
        if !inserted && *from >= insert_at {
            out.push_str(&sql[at..insert_at]);
            insert(&mut out);
            at = insert_at;
            inserted = true;
        }
        if removed[i] {
            out.push_str(&sql[at..*from]);
            at = *to;
        }
    }
    if !inserted {
        out.push_str(&sql[at..insert_at]);
        insert(&mut out);
        at = insert_at;
    }
    out.push_str(&sql[at..]);
    Ok(out)
}
