//! Domains as the server keeps them: a base type and collation, a default,
//! `NOT NULL`, and named `CHECK` constraints, each validated or not. The
//! model holds a domain as SQL text; `ALTER DOMAIN` is applied by reading
//! that text into these parts, changing them, and writing the text again.
//! A constraint added `NOT VALID` cannot be written in `CREATE DOMAIN`: it
//! follows as the `ALTER DOMAIN … ADD CONSTRAINT … NOT VALID` pg_dump
//! writes, in the same text.

use super::Fallible;
use super::scan::{Cursor, Tok, Tokens, tokenize};
use super::{facts, names};
use crate::dialect::Dialect;
use crate::dialect::quote;
use crate::schema::{Expr, QualifiedName};

const PG: Dialect = Dialect::Postgres;

/// One `CHECK` constraint, named as the server names it.
#[derive(Clone)]
struct Check {
    name: String,
    /// The condition inside `CHECK (…)`, as written.
    condition: String,
    valid: bool,
}

/// A domain's parts, texts as written.
struct Domain {
    /// The base type, and the canonical spelling it is compared by.
    ty: (String, String),
    collation: Option<String>,
    default: Option<String>,
    not_null: bool,
    checks: Vec<Check>,
}

/// Whether token `k` (at depth 0, after the base type) starts a clause.
fn clause_at(toks: &[Tok], k: usize, first_of_default: bool) -> bool {
    let t = &toks[k];
    let after_is = k > 0 && toks[k - 1].is_kw("IS");
    let after_not = k > 0 && toks[k - 1].is_kw("NOT");
    t.is_kw("COLLATE")
        || t.is_kw("DEFAULT")
        || t.is_kw("CONSTRAINT")
        || t.is_kw("CHECK")
        || t.is_sym(";")
        || (t.is_kw("NOT")
            && !after_is
            && !first_of_default
            && toks.get(k + 1).is_some_and(|n| n.is_kw("NULL")))
        || (t.is_kw("NULL") && !after_is && !first_of_default && !after_not)
}

/// The end of the clause whose first token is `k`.
fn clause_end(toks: &[Tok], k: usize, default: bool) -> usize {
    let mut depth = 0usize;
    for (e, t) in toks.iter().enumerate().skip(k) {
        if t.is_sym("(") || t.is_sym("[") {
            depth += 1;
        } else if t.is_sym(")") || t.is_sym("]") {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && e > k && clause_at(toks, e, default && e == k + 1) {
            return e;
        }
    }
    toks.len()
}

/// The name the server gives an unnamed check of domain `domain`.
fn check_name(domain: &str, checks: &[Check]) -> String {
    let base = format!("{domain}_check");
    let taken = |n: &str| checks.iter().any(|c| c.name == n);
    if !taken(&base) {
        return base;
    }
    (1..)
        .map(|i| format!("{base}{i}"))
        .find(|n| !taken(n))
        .unwrap_or(base)
}

/// `CHECK (condition)` at `k`: the condition and the token after `)`.
fn check_at(text: &str, tokens: &Tokens, k: usize) -> Option<(String, usize)> {
    let toks = &tokens.toks;
    if !toks.get(k + 1)?.is_sym("(") {
        return None;
    }
    let mut depth = 0usize;
    for (e, t) in toks.iter().enumerate().skip(k + 1) {
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            depth -= 1;
            if depth == 0 {
                return Some((facts::span(text, tokens, k + 2, e).to_string(), e + 1));
            }
        }
    }
    None
}

/// Reads a domain's text: `CREATE DOMAIN name [AS] type …`, then the
/// `ALTER DOMAIN name ADD CONSTRAINT n CHECK (…) NOT VALID` statements the
/// model appends. `None` for a form it does not read.
fn read(text: &str) -> Option<Domain> {
    let tokens = tokenize(text, PG).ok()?;
    let toks = &tokens.toks;
    let mut c = Cursor::new(&tokens, PG);
    if !c.eat(&["CREATE", "DOMAIN"]) {
        return None;
    }
    let name = c.qualified().ok()?;
    c.eat(&["AS"]);
    let ty_from = c.pos;
    let mut k = ty_from;
    let mut depth = 0usize;
    while k < toks.len() {
        let t = &toks[k];
        if t.is_sym("(") || t.is_sym("[") {
            depth += 1;
        } else if t.is_sym(")") || t.is_sym("]") {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && k > ty_from && clause_at(toks, k, false) {
            break;
        }
        k += 1;
    }
    let ty_text = facts::span(text, &tokens, ty_from, k).to_string();
    let canonical = super::types::canonical_type(&ty_text, PG)?.to_string();
    let mut domain = Domain {
        ty: (ty_text, canonical),
        collation: None,
        default: None,
        not_null: false,
        checks: Vec::new(),
    };
    let mut constraint_name: Option<String> = None;
    while k < toks.len() {
        let t = &toks[k];
        if t.is_sym(";") {
            k += 1;
            break;
        }
        if t.is_kw("CONSTRAINT") {
            let Some(Tok::Word { text: n, quoted }) = toks.get(k + 1) else {
                return None;
            };
            constraint_name = Some(names::fold(n, *quoted, PG));
            k += 2;
            continue;
        }
        if t.is_kw("CHECK") {
            let (condition, next) = check_at(text, &tokens, k)?;
            let name = constraint_name
                .take()
                .unwrap_or_else(|| check_name(&name.name, &domain.checks));
            domain.checks.push(Check {
                name,
                condition,
                valid: true,
            });
            k = next;
            continue;
        }
        let default = t.is_kw("DEFAULT");
        let end = clause_end(toks, k, default);
        if t.is_kw("COLLATE") {
            domain.collation = Some(facts::span(text, &tokens, k + 1, end).to_string());
        } else if default {
            domain.default = Some(facts::span(text, &tokens, k + 1, end).to_string());
        } else if t.is_kw("NOT") {
            domain.not_null = true;
        } else if t.is_kw("NULL") {
            domain.not_null = false;
        } else {
            return None;
        }
        // A name given to NOT NULL is not kept by the server.
        constraint_name = None;
        k = end;
    }
    // The constraints added NOT VALID.
    while k < toks.len() {
        let mut c = Cursor::new(&tokens, PG);
        c.pos = k;
        if !c.eat(&["ALTER", "DOMAIN"]) {
            return None;
        }
        c.qualified().ok()?;
        if !c.eat(&["ADD", "CONSTRAINT"]) {
            return None;
        }
        let name = c.ident().ok()?;
        let (condition, next) = check_at(text, &tokens, c.pos)?;
        c.pos = next;
        if !c.eat(&["NOT", "VALID"]) {
            return None;
        }
        c.eat_sym(";");
        domain.checks.push(Check {
            name,
            condition,
            valid: false,
        });
        k = c.pos;
    }
    Some(domain)
}

impl Domain {
    /// The comparison key: the parts as the server keeps them, the checks
    /// by name.
    fn key(&self) -> String {
        let expr = |e: &str| Expr::new(e, PG).key;
        let mut checks: Vec<String> = self
            .checks
            .iter()
            .map(|c| format!("{}:{}:{}", c.name, expr(&c.condition), c.valid))
            .collect();
        checks.sort();
        format!(
            "Domain|{}|collate={}|default={}|not_null={}|{}",
            self.ty.1,
            self.collation
                .as_deref()
                .map(|c| c.to_lowercase().replace("pg_catalog.", ""))
                .unwrap_or_default(),
            self.default.as_deref().map(expr).unwrap_or_default(),
            self.not_null,
            checks.join(";")
        )
    }

    /// The text that creates it: `CREATE DOMAIN`, then an `ALTER DOMAIN`
    /// for each constraint not validated.
    fn sql(&self, name: &QualifiedName) -> String {
        let name = quote::qualified(name, PG);
        let mut sql = format!("CREATE DOMAIN {name} AS {}", self.ty.0);
        if let Some(c) = &self.collation {
            sql.push_str(&format!(" COLLATE {c}"));
        }
        if let Some(d) = &self.default {
            sql.push_str(&format!(" DEFAULT {d}"));
        }
        if self.not_null {
            sql.push_str(" NOT NULL");
        }
        for check in self.checks.iter().filter(|c| c.valid) {
            sql.push_str(&format!(
                " CONSTRAINT {} CHECK ({})",
                quote::ident(&check.name, PG),
                check.condition
            ));
        }
        for check in self.checks.iter().filter(|c| !c.valid) {
            sql.push_str(&format!(
                ";\nALTER DOMAIN {name} ADD CONSTRAINT {} CHECK ({}) NOT VALID",
                quote::ident(&check.name, PG),
                check.condition
            ));
        }
        sql
    }

    fn check_mut(&mut self, name: &str, domain: &QualifiedName) -> Fallible<&mut Check> {
        self.checks
            .iter_mut()
            .find(|c| c.name == name)
            .ok_or_else(|| format!("constraint `{name}` of domain `{domain}` does not exist"))
    }
}

/// A domain's comparison key from its text; `None` for a form not read.
pub(super) fn key(text: &str) -> Option<String> {
    read(text).map(|d| d.key())
}

/// Applies `ALTER DOMAIN name <action>` (the cursor at the action) to the
/// domain's text `sql`: the new text.
pub(super) fn alter(
    name: &QualifiedName,
    sql: &str,
    c: &mut Cursor<'_>,
    text: &str,
) -> Fallible<String> {
    let mut domain = read(sql).ok_or_else(|| {
        format!(
            "ALTER DOMAIN {} is not modelled for a domain written in this form",
            c.here()
        )
    })?;
    let unmodelled = |c: &Cursor<'_>| format!("ALTER DOMAIN {} is not modelled", c.here());
    if c.eat(&["ADD"]) {
        let given = if c.eat(&["CONSTRAINT"]) {
            Some(c.ident()?)
        } else {
            None
        };
        if c.peek().is_some_and(|t| t.is_kw("NOT") || t.is_kw("NULL")) {
            return Err(format!(
                "ALTER DOMAIN … ADD {} is not supported by PostgreSQL: use ALTER DOMAIN … SET NOT NULL",
                c.here()
            ));
        }
        if !c.peek().is_some_and(|t| t.is_kw("CHECK")) {
            return Err(unmodelled(c));
        }
        let (condition, next) = check_at(text, c.tokens, c.pos)
            .ok_or_else(|| format!("expected `CHECK (…)` {}", c.here()))?;
        c.pos = next;
        let valid = !c.eat(&["NOT", "VALID"]);
        let check_name = given.unwrap_or_else(|| check_name(&name.name, &domain.checks));
        if domain.checks.iter().any(|k| k.name == check_name) {
            return Err(format!(
                "constraint `{check_name}` for domain `{name}` already exists"
            ));
        }
        domain.checks.push(Check {
            name: check_name,
            condition,
            valid,
        });
    } else if c.eat(&["DROP", "CONSTRAINT"]) {
        let if_exists = c.eat(&["IF", "EXISTS"]);
        let check = c.ident()?;
        let _ = c.eat(&["RESTRICT"]) || c.eat(&["CASCADE"]);
        let before = domain.checks.len();
        domain.checks.retain(|k| k.name != check);
        if domain.checks.len() == before && !if_exists {
            return Err(format!(
                "constraint `{check}` of domain `{name}` does not exist"
            ));
        }
    } else if c.eat(&["VALIDATE", "CONSTRAINT"]) {
        let check = c.ident()?;
        domain.check_mut(&check, name)?.valid = true;
    } else if c.eat(&["RENAME", "CONSTRAINT"]) {
        let old = c.ident()?;
        c.expect(&["TO"])?;
        let new = c.ident()?;
        if domain.checks.iter().any(|k| k.name == new) {
            return Err(format!(
                "constraint `{new}` for domain `{name}` already exists"
            ));
        }
        domain.check_mut(&old, name)?.name = new;
    } else if c.eat(&["SET", "DEFAULT"]) {
        let rest = c.rest_of(text).trim_end_matches(';').trim();
        if rest.is_empty() {
            return Err(format!("expected a default {}", c.here()));
        }
        domain.default = Some(rest.to_string());
        c.pos = c.tokens.toks.len();
    } else if c.eat(&["DROP", "DEFAULT"]) {
        domain.default = None;
    } else if c.eat(&["SET", "NOT", "NULL"]) {
        domain.not_null = true;
    } else if c.eat(&["DROP", "NOT", "NULL"]) {
        domain.not_null = false;
    } else {
        return Err(unmodelled(c));
    }
    c.eat_sym(";");
    if !c.at_end() {
        return Err(unmodelled(c));
    }
    Ok(domain.sql(name))
}

/// The domain's text `sql` naming it `name` (after a rename or a move).
pub(super) fn renamed(sql: &str, name: &QualifiedName) -> Option<String> {
    read(sql).map(|d| d.sql(name))
}
