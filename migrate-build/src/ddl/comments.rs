//! `COMMENT ON <kind> … IS '…' | NULL` for every object the model holds
//! besides tables and columns (those are in [`super::objects`]): the comment
//! is kept on the object.

use super::scan::{Cursor, Tok, describe};
use super::{Fallible, Outcome};
use crate::schema::{OpaqueKind, QualifiedName, Schema};

/// The text after `IS`: a string, or `NULL` to remove the comment.
pub(super) fn comment_text(c: &mut Cursor<'_>) -> Fallible<Option<String>> {
    c.expect(&["IS"])?;
    if c.eat(&["NULL"]) {
        Ok(None)
    } else {
        Ok(Some(c.string()?))
    }
}

/// Sets `(name, comment)` in a sorted list of per-name comments.
fn set_named(list: &mut Vec<(String, String)>, name: &str, text: Option<String>) {
    list.retain(|(n, _)| n != name);
    if let Some(text) = text {
        list.push((name.to_string(), text));
        list.sort();
    }
}

/// `COMMENT ON` a kind other than TABLE and COLUMN; the cursor is on the kind.
pub(super) fn apply(schema: &mut Schema, sql: &str, c: &mut Cursor<'_>) -> Fallible<Outcome> {
    let d = schema.dialect;
    let opaque = |c: &mut Cursor<'_>| -> Option<OpaqueKind> {
        let kind = match c.peek()? {
            t if t.is_kw("FUNCTION") => OpaqueKind::Function,
            t if t.is_kw("PROCEDURE") => OpaqueKind::Procedure,
            t if t.is_kw("AGGREGATE") => OpaqueKind::Aggregate,
            t if t.is_kw("DOMAIN") => OpaqueKind::Domain,
            t if t.is_kw("TRIGGER") => OpaqueKind::Trigger,
            t if t.is_kw("RULE") => OpaqueKind::Rule,
            t if t.is_kw("STATISTICS") => OpaqueKind::Statistics,
            t if t.is_kw("EVENT") && c.peek_at(1).is_some_and(|t| t.is_kw("TRIGGER")) => {
                c.next();
                OpaqueKind::EventTrigger
            }
            t if t.is_kw("PUBLICATION") => OpaqueKind::Publication,
            _ => return None,
        };
        c.next();
        Some(kind)
    };
    if c.eat(&["INDEX"]) {
        let name = c.qualified()?;
        let text = comment_text(c)?;
        if let Some(i) = schema.indexes.iter_mut().find(|i| i.name.same_as(&name, d)) {
            i.comment = text;
            return Ok(Outcome::Applied);
        }
        return Err(format!(
            "index `{name}` does not exist (comments on a constraint's index are not modelled: comment on the constraint)"
        ));
    }
    let materialized = c.eat(&["MATERIALIZED"]);
    if c.eat(&["VIEW"]) {
        let name = c.qualified()?;
        let text = comment_text(c)?;
        let v = schema
            .views
            .iter_mut()
            .find(|v| v.name.same_as(&name, d) && v.materialized == materialized)
            .ok_or_else(|| format!("view `{name}` does not exist"))?;
        v.comment = text;
        return Ok(Outcome::Applied);
    }
    if materialized {
        return Err(format!("expected VIEW {}", c.here()));
    }
    if c.eat(&["SEQUENCE"]) {
        let name = c.qualified()?;
        let text = comment_text(c)?;
        let s = schema
            .sequences
            .iter_mut()
            .find(|s| s.name.same_as(&name, d))
            .ok_or_else(|| format!("sequence `{name}` does not exist"))?;
        s.comment = text;
        return Ok(Outcome::Applied);
    }
    if c.eat(&["TYPE"]) {
        let name = c.qualified()?;
        let text = comment_text(c)?;
        if let Some(e) = schema.enums.iter_mut().find(|e| e.name.same_as(&name, d)) {
            e.comment = text;
            return Ok(Outcome::Applied);
        }
        let o = schema
            .opaque
            .iter_mut()
            .find(|o| o.kind == OpaqueKind::Type && o.name.same_as(&name, d))
            .ok_or_else(|| format!("type `{name}` does not exist"))?;
        o.comment = text;
        return Ok(Outcome::Applied);
    }
    if c.eat(&["SCHEMA"]) {
        let name = c.ident()?;
        let text = comment_text(c)?;
        let exists =
            d.same_name(&name, "public") || schema.namespaces.iter().any(|n| d.same_name(n, &name));
        if !exists {
            return Err(format!("schema `{name}` does not exist"));
        }
        let text = text.filter(|t| {
            !(d.same_name(&name, "public") && t == crate::dialect::postgres::PUBLIC_SCHEMA_COMMENT)
        });
        set_named(&mut schema.namespace_comments, &name, text);
        return Ok(Outcome::Applied);
    }
    if c.eat(&["EXTENSION"]) {
        let name = c.ident()?;
        let text = comment_text(c)?;
        // plpgsql is built in and not modelled: its own comment is the state
        // of every database; another one the model could not hold.
        if name == super::objects::BUILT_IN_EXTENSION {
            return if text.as_deref() == Some(super::objects::BUILT_IN_EXTENSION_COMMENT) {
                Ok(Outcome::Applied)
            } else {
                Err(format!(
                    "a comment on the built-in extension `{name}` other than its own is not modelled"
                ))
            };
        }
        let e = schema
            .extensions
            .iter_mut()
            .find(|e| e.name == name)
            .ok_or_else(|| format!("extension `{name}` does not exist"))?;
        e.comment = text;
        return Ok(Outcome::Applied);
    }
    if c.eat(&["CONSTRAINT"]) {
        let name = c.ident()?;
        c.expect(&["ON"])?;
        if c.peek().is_some_and(|t| t.is_kw("DOMAIN")) {
            return Ok(Outcome::Skipped("COMMENT ON CONSTRAINT … ON DOMAIN".into()));
        }
        let table = c.qualified()?;
        let text = comment_text(c)?;
        let t = schema
            .table_mut(&table)
            .ok_or_else(|| format!("table `{table}` does not exist"))?;
        let named = |n: &Option<String>| n.as_deref().is_some_and(|n| d.same_name(n, &name));
        let exists = t.primary_key.as_ref().is_some_and(|k| named(&k.name))
            || t.uniques.iter().any(|u| named(&u.name))
            || t.checks.iter().any(|k| named(&k.name))
            || t.foreign_keys.iter().any(|f| named(&f.name))
            || t.exclusions.iter().any(|x| named(&x.name));
        if !exists {
            return Err(format!("constraint `{name}` of `{table}` does not exist"));
        }
        set_named(&mut t.constraint_comments, &name, text);
        return Ok(Outcome::Applied);
    }
    if c.eat(&["POLICY"]) {
        let name = c.ident()?;
        c.expect(&["ON"])?;
        let table = c.qualified()?;
        let text = comment_text(c)?;
        let p = schema
            .policies
            .iter_mut()
            .find(|p| p.table.same_as(&table, d) && d.same_name(&p.name, &name))
            .ok_or_else(|| format!("policy `{name}` of `{table}` does not exist"))?;
        p.comment = text;
        return Ok(Outcome::Applied);
    }
    let text_search = match super::text_search::kind(c, "COMMENT ON") {
        Some(kind) => Some(kind?),
        None => None,
    };
    if let Some(kind) = text_search.or_else(|| opaque(c)) {
        // An argument list picks an overload by its signature, as `DROP`
        // does; a name alone must be unambiguous.
        let (name, signature) = super::objects::drop_identity(schema, sql, c, kind)?;
        let on_table = if c.eat(&["ON"]) {
            Some(c.qualified()?)
        } else {
            None
        };
        let text = comment_text(c)?;
        let matches = |o: &crate::schema::OpaqueObject| {
            o.kind == kind
                && o.name.same_as(&name, d)
                && (signature.is_none() || o.signature == signature)
                && match (&on_table, &o.on_table) {
                    (Some(a), Some(b)) => a.same_as(b, d),
                    (None, _) => true,
                    (Some(_), None) => false,
                }
        };
        let found: Vec<usize> = (0..schema.opaque.len())
            .filter(|&i| matches(&schema.opaque[i]))
            .collect();
        return match found.as_slice() {
            [i] => {
                schema.opaque[*i].comment = text;
                Ok(Outcome::Applied)
            }
            [] => Err(format!(
                "{} `{name}{}` does not exist",
                kind.as_sql().to_lowercase(),
                signature.map(|s| format!("({s})")).unwrap_or_default()
            )),
            _ => Err(format!(
                "COMMENT ON {} `{name}`: the name has overloads; give the argument types of the one meant",
                kind.as_sql()
            )),
        };
    }
    let kind: Vec<String> = c
        .tokens
        .toks
        .iter()
        .skip(2)
        .take_while(|t| matches!(t, Tok::Word { quoted: false, .. }))
        .take(1)
        .map(describe)
        .map(|s| s.to_ascii_uppercase())
        .collect();
    Ok(Outcome::Skipped(format!(
        "COMMENT ON {}",
        kind.first().cloned().unwrap_or_default()
    )))
}

/// `COMMENT ON COLUMN v.c` of a view or materialized view.
pub(super) fn view_column(
    schema: &mut Schema,
    view: &QualifiedName,
    column: &str,
    text: Option<String>,
) -> Fallible<Outcome> {
    let d = schema.dialect;
    let v = schema
        .views
        .iter_mut()
        .find(|v| v.name.same_as(view, d))
        .ok_or_else(|| format!("view `{view}` does not exist"))?;
    set_named(&mut v.column_comments, column, text);
    Ok(Outcome::Applied)
}
