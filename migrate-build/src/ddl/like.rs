//! `CREATE TABLE t (… LIKE source [INCLUDING … | EXCLUDING …] …)`, which
//! sqlparser reads only alone and with `DEFAULTS`: the `LIKE` elements are
//! taken out of the statement here, the rest is parsed as usual, and the
//! copied columns are put where the elements stood.

use super::Fallible;
use super::scan::{Cursor, Tokens};
use crate::schema::{Column, QualifiedName, Schema};

/// What `INCLUDING` adds to the columns (names, types, NOT NULL and
/// collations, which are always copied).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Including {
    pub comments: bool,
    pub constraints: bool,
    pub defaults: bool,
    pub generated: bool,
    pub identity: bool,
    pub indexes: bool,
    pub statistics: bool,
    pub storage: bool,
    pub compression: bool,
}

/// One `LIKE` element.
pub(super) struct Like {
    pub source: QualifiedName,
    pub including: Including,
    /// How many column definitions come before it in the list.
    pub columns_before: usize,
}

/// The statement without its `LIKE` elements, and the elements; `None`
/// when it has none.
pub(super) fn extract(
    text: &str,
    tokens: &Tokens,
    c: &mut Cursor<'_>,
) -> Fallible<Option<(String, Vec<Like>)>> {
    let toks = &tokens.toks;
    let Some(open) = toks.iter().position(|t| t.is_sym("(")) else {
        return Ok(None);
    };
    // Elements of the list: token ranges between top-level commas.
    let mut elements = Vec::new();
    let mut depth = 0usize;
    let mut start = open + 1;
    let mut close = None;
    for (i, t) in toks.iter().enumerate().skip(open) {
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            depth -= 1;
            if depth == 0 {
                elements.push(start..i);
                close = Some(i);
                break;
            }
        } else if t.is_sym(",") && depth == 1 {
            elements.push(start..i);
            start = i + 1;
        }
    }
    let Some(close) = close else {
        return Ok(None);
    };
    if !elements
        .iter()
        .any(|e| toks.get(e.start).is_some_and(|t| t.is_kw("LIKE")))
    {
        return Ok(None);
    }
    let offset = |i: usize| tokens.offsets.get(i).copied().unwrap_or(text.len());
    let mut likes = Vec::new();
    let mut kept: Vec<&str> = Vec::new();
    let mut columns_before = 0;
    for e in &elements {
        let first = toks.get(e.start);
        if first.is_some_and(|t| t.is_kw("LIKE")) {
            c.pos = e.start + 1;
            let source = c.qualified()?;
            let mut including = Including::default();
            while c.pos < e.end {
                let on = if c.eat(&["INCLUDING"]) {
                    true
                } else if c.eat(&["EXCLUDING"]) {
                    false
                } else {
                    return Err(format!("LIKE option {} is not understood", c.here()));
                };
                let what = c.ident()?;
                match what.to_ascii_uppercase().as_str() {
                    "COMMENTS" => including.comments = on,
                    "CONSTRAINTS" => including.constraints = on,
                    "DEFAULTS" => including.defaults = on,
                    "GENERATED" => including.generated = on,
                    "IDENTITY" => including.identity = on,
                    "INDEXES" => including.indexes = on,
                    "STATISTICS" => including.statistics = on,
                    "STORAGE" => including.storage = on,
                    "COMPRESSION" => including.compression = on,
                    "ALL" => {
                        including = Including {
                            comments: on,
                            constraints: on,
                            defaults: on,
                            generated: on,
                            identity: on,
                            indexes: on,
                            statistics: on,
                            storage: on,
                            compression: on,
                        }
                    }
                    other => return Err(format!("LIKE option `{other}` is not understood")),
                }
            }
            likes.push(Like {
                source,
                including,
                columns_before,
            });
            continue;
        }
        let is_constraint = first.is_some_and(|t| {
            [
                "CONSTRAINT",
                "PRIMARY",
                "UNIQUE",
                "CHECK",
                "FOREIGN",
                "EXCLUDE",
            ]
            .iter()
            .any(|k| t.is_kw(k))
        });
        if !is_constraint {
            columns_before += 1;
        }
        kept.push(text[offset(e.start)..offset(e.end)].trim());
    }
    let rest = format!(
        "{}{}{}",
        &text[..offset(open) + 1],
        kept.join(", "),
        &text[offset(close)..]
    );
    Ok(Some((rest, likes)))
}

/// The columns `like` copies from its source, as the server copies them.
pub(super) fn columns(schema: &Schema, like: &Like) -> Fallible<Vec<Column>> {
    let d = schema.dialect;
    let source = schema
        .table(&like.source)
        .ok_or_else(|| format!("table `{}` does not exist", like.source))?;
    let has_statistics = schema.opaque.iter().any(|o| {
        o.kind == crate::schema::OpaqueKind::Statistics
            && o.on_table
                .as_ref()
                .is_some_and(|t| t.same_as(&source.name, d))
    });
    if like.including.statistics && has_statistics {
        return Err("LIKE … INCLUDING STATISTICS of extended statistics is not modelled".into());
    }
    Ok(source
        .columns
        .iter()
        .map(|c| {
            let mut copy = Column::new(c.name.clone(), c.ty.clone());
            copy.nullable = c.nullable;
            copy.collation = c.collation.clone();
            if like.including.defaults {
                copy.default = c.default.clone();
            }
            if like.including.generated {
                copy.generated = c.generated.clone();
            }
            // The server copies the identity with its sequence's options,
            // bounds included, but makes the new sequence `bigint` (seen on
            // PostgreSQL 15: `pg_sequence.seqtypid` of the copy).
            if like.including.identity {
                copy.identity = c.identity;
                copy.identity_options = c.identity_options.clone().map(|mut o| {
                    o.data_type = "bigint".into();
                    o
                });
            }
            if like.including.comments {
                copy.comment = c.comment.clone();
            }
            if like.including.storage {
                copy.storage = c.storage;
            }
            if like.including.compression {
                copy.compression = c.compression.clone();
            }
            copy
        })
        .collect())
}
