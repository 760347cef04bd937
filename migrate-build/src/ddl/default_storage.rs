//! Where a relation's rows are kept, written out as the defaults: `TABLESPACE
//! pg_default`, `USING INDEX TABLESPACE pg_default` and a table's `USING
//! heap` say what no clause says, and are read as no clause. Any other
//! tablespace or access method is refused: the model keeps no storage.

use std::borrow::Cow;

use super::Fallible;
use super::scan::{self, Tok};
use crate::dialect::Dialect;

/// The statement a storage clause is in, which says where one may stand.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Statement {
    /// `CREATE TABLE`: `USING method` and `TABLESPACE t` after the columns,
    /// `USING INDEX TABLESPACE t` on a key.
    Table,
    /// `CREATE INDEX`: `TABLESPACE t` before `WHERE`.
    Index,
    /// An `ALTER TABLE` action: `USING INDEX TABLESPACE t` on a key.
    AlterTable,
}

/// A statement read without its default storage clauses.
pub(super) struct Read<'a> {
    /// The text, the clauses blanked (line:col kept).
    pub text: Cow<'a, str>,
    /// Whether it named a tablespace, which the server refuses on a
    /// partitioned table or index.
    pub tablespace: bool,
    /// Whether it named a table access method (PostgreSQL 15 refuses one
    /// on a partitioned table).
    pub method: bool,
}

impl Read<'_> {
    /// The server's refusal of a storage clause on a partitioned relation.
    pub(super) fn refuse_on_partitioned(&self, partitioned: bool) -> Fallible<()> {
        if partitioned && self.tablespace {
            return Err("cannot specify default tablespace for partitioned relations".into());
        }
        if partitioned && self.method {
            return Err(
                "specifying a table access method is not supported on a partitioned table".into(),
            );
        }
        Ok(())
    }
}

/// `text` with its default storage clauses blanked, or the clause the
/// model cannot hold refused.
pub(super) fn without_defaults(text: &str, statement: Statement) -> Fallible<Read<'_>> {
    let tokens = scan::tokenize(text, Dialect::Postgres)?;
    let toks = &tokens.toks;
    let offset = |i: usize| tokens.offsets.get(i).copied().unwrap_or(text.len());
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let (mut tablespace_named, mut method) = (false, false);
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let at = |k: usize, kw: &str| toks.get(i + k).is_some_and(|t| t.is_kw(kw));
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            depth = depth.saturating_sub(1);
        } else if depth == 0
            && (t.is_kw("AS") || (statement == Statement::Index && t.is_kw("WHERE")))
        {
            // A query (`CREATE TABLE … AS`) or a predicate follows.
            break;
        } else if t.is_kw("USING") && at(1, "INDEX") && at(2, "TABLESPACE") {
            tablespace(toks.get(i + 3))?;
            tablespace_named = true;
            cuts.push((offset(i), offset(i + 4)));
            i += 4;
            continue;
        } else if depth == 0 && statement != Statement::AlterTable && t.is_kw("TABLESPACE") {
            tablespace(toks.get(i + 1))?;
            tablespace_named = true;
            cuts.push((offset(i), offset(i + 2)));
            i += 2;
            continue;
        } else if depth == 0 && statement == Statement::Table && t.is_kw("USING") {
            match toks.get(i + 1) {
                Some(method) if is_name(method, "heap") => {}
                Some(method) => {
                    return Err(format!(
                        "table access method `{}` is not modelled (only `heap`, the default)",
                        scan::describe(method)
                    ));
                }
                None => return Err("USING without an access method".into()),
            }
            method = true;
            cuts.push((offset(i), offset(i + 2)));
            i += 2;
            continue;
        }
        i += 1;
    }
    let read = |text| Read {
        text,
        tablespace: tablespace_named,
        method,
    };
    if cuts.is_empty() {
        return Ok(read(Cow::Borrowed(text)));
    }
    let out = super::create_table::blank(text, cuts);
    Ok(read(Cow::Owned(out)))
}

fn tablespace(name: Option<&Tok>) -> Fallible<()> {
    match name {
        Some(t) if is_name(t, "pg_default") => Ok(()),
        Some(t) => Err(format!(
            "TABLESPACE `{}` is not modelled (only `pg_default`, the default)",
            scan::describe(t)
        )),
        None => Err("TABLESPACE without a name".into()),
    }
}

/// Whether `t` is this (lower-case) name, folded as the server folds it.
fn is_name(t: &Tok, name: &str) -> bool {
    match t {
        Tok::Word { text, quoted: true } => text == name,
        Tok::Word {
            text,
            quoted: false,
        } => text.eq_ignore_ascii_case(name),
        _ => false,
    }
}
