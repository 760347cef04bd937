//! What publications publish: the `FOR TABLE …, TABLES IN SCHEMA …` list of
//! `CREATE PUBLICATION` and `ALTER PUBLICATION … ADD/SET/DROP`, read into
//! [`PublicationMember`]s as the server keeps them (one row of
//! `pg_publication_rel` per table, the tables inheriting from a table named
//! without `ONLY` included; one of `pg_publication_namespace` per schema),
//! and `ALTER PUBLICATION … SET (…)`/`RENAME TO`, which change the
//! publication itself.

use super::Fallible;
use super::definition::{self, PublicationOptions};
use super::scan::{Cursor, tokenize};
use crate::dialect::Dialect;
use crate::schema::{
    Expr, OpaqueKind, PublicationMember, PublicationTarget, QualifiedName, Schema,
};

/// One element of a publication object list, as written.
enum Written {
    Table {
        table: QualifiedName,
        only: bool,
        columns: Option<Vec<String>>,
        row_filter: Option<Expr>,
    },
    Schema(Option<String>),
}

fn at_end(c: &Cursor<'_>) -> bool {
    c.at_end() || c.peek().is_some_and(|t| t.is_sym(";"))
}

/// `TABLE [ONLY] t [*] [(a, b)] [WHERE (…)], TABLES IN SCHEMA s, …` up to
/// `WITH` or the end; `drop` for `ALTER PUBLICATION … DROP`, which takes
/// no column list or filter.
fn object_list(
    schema: &Schema,
    text: &str,
    c: &mut Cursor<'_>,
    drop: bool,
) -> Fallible<Vec<Written>> {
    let d = schema.dialect;
    let mut out = Vec::new();
    let mut tables = None;
    loop {
        if c.eat(&["TABLES", "IN", "SCHEMA"]) {
            tables = Some(false);
        } else if c.eat(&["TABLE"]) {
            tables = Some(true);
        }
        match tables {
            None => {
                return Err(format!(
                    "expected `TABLE` or `TABLES IN SCHEMA` {}",
                    c.here()
                ));
            }
            Some(false) => {
                let name = if c.eat(&["CURRENT_SCHEMA"]) {
                    "public".to_string()
                } else {
                    c.ident()?
                };
                let name = Some(name).filter(|n| !d.same_name(n, "public"));
                if let Some(n) = &name
                    && !schema.namespaces.iter().any(|s| d.same_name(s, n))
                {
                    return Err(format!("schema `{n}` does not exist"));
                }
                out.push(Written::Schema(name));
            }
            Some(true) => {
                let only = c.eat(&["ONLY"]);
                if c.peek().is_some_and(|t| t.is_sym("(")) {
                    return Err(format!(
                        "a publication's table in parentheses {} is not modelled: write `TABLE ONLY t`",
                        c.here()
                    ));
                }
                let name = c.qualified()?;
                c.eat_sym("*");
                let Some(table) = schema.table(&name) else {
                    return Err(match schema.view(&name) {
                        Some(_) => format!("`{name}` is a view: a publication publishes tables"),
                        None => format!("table `{name}` does not exist"),
                    });
                };
                let table_name = table.name.clone();
                let mut columns = None;
                if c.eat_sym("(") {
                    let mut list = Vec::new();
                    loop {
                        let col = c.ident()?;
                        let Some(column) = table.column(&col, d) else {
                            return Err(format!("column `{col}` of `{name}` does not exist"));
                        };
                        if !list.contains(&column.name) {
                            list.push(column.name.clone());
                        }
                        if !c.eat_sym(",") {
                            break;
                        }
                    }
                    if !c.eat_sym(")") {
                        return Err(format!("expected `)` {}", c.here()));
                    }
                    list.sort_by(|a, b| d.name_key(a).cmp(&d.name_key(b)));
                    columns = Some(list);
                }
                let mut row_filter = None;
                if c.eat(&["WHERE"]) {
                    row_filter = Some(Expr::new(parenthesised(text, c)?, d));
                }
                if drop && (columns.is_some() || row_filter.is_some()) {
                    return Err(
                        "ALTER PUBLICATION … DROP TABLE takes no column list or WHERE".into(),
                    );
                }
                out.push(Written::Table {
                    table: table_name,
                    only,
                    columns,
                    row_filter,
                });
            }
        }
        if !c.eat_sym(",") {
            break;
        }
    }
    Ok(out)
}

/// The text inside `( … )` at the cursor, which moves past the `)`.
fn parenthesised<'s>(text: &'s str, c: &mut Cursor<'_>) -> Fallible<&'s str> {
    if !c.eat_sym("(") {
        return Err(format!("expected `(` after WHERE {}", c.here()));
    }
    let open = c.pos;
    let mut depth = 1;
    while let Some(t) = c.next() {
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            depth -= 1;
            if depth == 0 {
                return Ok(super::facts::span(text, c.tokens, open, c.pos - 1));
            }
        }
    }
    Err("a WHERE ( … ) without its `)`".into())
}

/// The members a written list gives `publication`: a table named without
/// `ONLY` brings the tables inheriting from it (not partitions: a
/// partitioned table publishes its partitions through itself).
fn members(schema: &Schema, publication: &str, written: Vec<Written>) -> Vec<PublicationMember> {
    let d = schema.dialect;
    let mut out = Vec::new();
    for w in written {
        match w {
            Written::Schema(s) => out.push(PublicationMember {
                publication: publication.to_string(),
                target: PublicationTarget::Schema(s),
            }),
            Written::Table {
                table,
                only,
                columns,
                row_filter,
            } => {
                let mut tree = vec![table];
                let mut i = 0;
                while !only && i < tree.len() {
                    for child in super::partition::children(schema, &tree[i]) {
                        let inherits = schema
                            .table(&child)
                            .is_some_and(|t| t.partition_of.is_none());
                        if inherits && !tree.iter().any(|t| t.same_as(&child, d)) {
                            tree.push(child);
                        }
                    }
                    i += 1;
                }
                out.extend(tree.into_iter().map(|table| PublicationMember {
                    publication: publication.to_string(),
                    target: PublicationTarget::Table {
                        table,
                        columns: columns.clone(),
                        row_filter: row_filter.clone(),
                    },
                }));
            }
        }
    }
    out
}

/// Adds members as the server does: a table or schema already in the
/// publication is refused, and so is a column list beside a schema.
fn add(schema: &mut Schema, new: Vec<PublicationMember>) -> Fallible<()> {
    let d = schema.dialect;
    for m in new {
        let twin = schema
            .publication_members
            .iter()
            .chain(std::iter::once(&m))
            .filter(|x| x.same_member(&m, d))
            .count();
        if twin > 1 {
            return Err(match &m.target {
                PublicationTarget::Table { table, .. } => format!(
                    "table `{table}` is already a member of publication `{}`",
                    m.publication
                ),
                PublicationTarget::Schema(s) => format!(
                    "schema `{}` is already in publication `{}`",
                    s.as_deref().unwrap_or("public"),
                    m.publication
                ),
            });
        }
        schema.publication_members.push(m);
    }
    let members = &schema.publication_members;
    for m in members {
        let listed = matches!(
            &m.target,
            PublicationTarget::Table {
                columns: Some(_),
                ..
            }
        );
        let with_schema = members.iter().any(|x| {
            d.same_name(&x.publication, &m.publication)
                && matches!(x.target, PublicationTarget::Schema(_))
        });
        if listed && with_schema {
            return Err(format!(
                "publication `{}` has a column list and TABLES IN SCHEMA: the server refuses both together",
                m.publication
            ));
        }
    }
    Ok(())
}

/// The `FOR …` list of `CREATE PUBLICATION name` at the cursor (not `FOR
/// ALL TABLES`): its members, and the byte range of the list, which the
/// kept `CREATE` leaves out (the members are created on their own, as
/// pg_dump does).
pub(super) fn create_list(
    schema: &Schema,
    text: &str,
    c: &mut Cursor<'_>,
    name: &str,
) -> Fallible<Option<(Vec<PublicationMember>, std::ops::Range<usize>)>> {
    if !c.peek().is_some_and(|t| t.is_kw("FOR")) || c.peek_at(1).is_some_and(|t| t.is_kw("ALL")) {
        return Ok(None);
    }
    if schema.dialect != Dialect::Postgres {
        return Err("publications are PostgreSQL's".into());
    }
    let from = c.tokens.offsets.get(c.pos).copied().unwrap_or(text.len());
    c.next();
    let written = object_list(schema, text, c, false)?;
    if !at_end(c) && !c.peek().is_some_and(|t| t.is_kw("WITH")) {
        return Err(format!(
            "CREATE PUBLICATION `{name}` {} is not modelled",
            c.here()
        ));
    }
    let to = c.tokens.offsets.get(c.pos).copied().unwrap_or(text.len());
    let mut found = members(schema, name, written);
    // `FOR TABLE t, t` names one member.
    let d = schema.dialect;
    let mut unique: Vec<PublicationMember> = Vec::new();
    for m in found.drain(..) {
        match unique.iter().find(|u| u.same_member(&m, d)) {
            Some(u) if *u == m => {}
            Some(_) => {
                return Err(format!(
                    "publication `{name}` names a table twice with different column lists or filters"
                ));
            }
            None => unique.push(m),
        }
    }
    Ok(Some((unique, from..to)))
}

/// After `CREATE PUBLICATION` made the publication: its members.
pub(super) fn add_members(schema: &mut Schema, members: Vec<PublicationMember>) -> Fallible<()> {
    add(schema, members)
}

/// Whether the kept `CREATE PUBLICATION` says `FOR ALL TABLES`.
fn all_tables(sql: &str, d: Dialect) -> bool {
    tokenize(sql, d)
        .map(|t| PublicationOptions::of_create(&t, 0).all_tables)
        .unwrap_or(false)
}

/// `ALTER PUBLICATION` from after its name (`pos` the publication's place
/// in `schema.opaque`): `ADD`/`SET`/`DROP` of tables and schemas, `SET
/// (…)`, `RENAME TO`. `OWNER TO` is the caller's (skipped).
pub(super) fn alter(
    schema: &mut Schema,
    text: &str,
    c: &mut Cursor<'_>,
    pos: usize,
) -> Fallible<()> {
    let d = schema.dialect;
    let name = schema.opaque[pos].name.name.clone();
    if c.eat(&["RENAME", "TO"]) {
        let new = c.ident()?;
        let taken = schema
            .opaque
            .iter()
            .any(|o| o.kind == OpaqueKind::Publication && d.same_name(&o.name.name, &new));
        if taken && !d.same_name(&new, &name) {
            return Err(format!("publication `{new}` already exists"));
        }
        let options = tokenize(schema.opaque[pos].definition.sql(), d)
            .map(|t| PublicationOptions::of_create(&t, 3.min(t.toks.len())))?;
        schema.opaque[pos].name.name = new.clone();
        schema.opaque[pos].definition = definition::publication(options.create_sql(&new), d);
        for m in &mut schema.publication_members {
            if d.same_name(&m.publication, &name) {
                m.publication = new.clone();
            }
        }
        return Ok(());
    }
    if c.peek().is_some_and(|t| t.is_kw("SET")) && c.peek_at(1).is_some_and(|t| t.is_sym("(")) {
        let sql = schema.opaque[pos].definition.sql().to_string();
        let tokens = tokenize(&sql, d)?;
        let mut options = PublicationOptions::of_create(&tokens, 3.min(tokens.toks.len()));
        options.set(c.tokens, c.pos + 2);
        schema.opaque[pos].definition = definition::publication(options.create_sql(&name), d);
        return Ok(());
    }
    let verb = match c.peek() {
        Some(t) if t.is_kw("ADD") => "ADD",
        Some(t) if t.is_kw("SET") => "SET",
        Some(t) if t.is_kw("DROP") => "DROP",
        _ => {
            return Err(format!("ALTER PUBLICATION {} is not modelled", c.here()));
        }
    };
    c.next();
    if all_tables(schema.opaque[pos].definition.sql(), d) {
        return Err(format!(
            "publication `{name}` is defined FOR ALL TABLES: tables cannot be added to or dropped from it"
        ));
    }
    let written = object_list(schema, text, c, verb == "DROP")?;
    if !at_end(c) {
        return Err(format!("ALTER PUBLICATION {} is not modelled", c.here()));
    }
    let listed = members(schema, &name, written);
    match verb {
        "ADD" => add(schema, listed),
        "SET" => {
            schema
                .publication_members
                .retain(|m| !d.same_name(&m.publication, &name));
            add(schema, listed)
        }
        _ => {
            for m in listed {
                let before = schema.publication_members.len();
                schema.publication_members.retain(|x| !x.same_member(&m, d));
                if before == schema.publication_members.len() {
                    return Err(match &m.target {
                        PublicationTarget::Table { table, .. } => {
                            format!("table `{table}` is not part of publication `{name}`")
                        }
                        PublicationTarget::Schema(s) => format!(
                            "schema `{}` is not part of publication `{name}`",
                            s.as_deref().unwrap_or("public")
                        ),
                    });
                }
            }
            Ok(())
        }
    }
}

/// After `publication` was dropped: its members go with it.
pub(super) fn dropped(schema: &mut Schema, publication: &str) {
    let d = schema.dialect;
    schema
        .publication_members
        .retain(|m| !d.same_name(&m.publication, publication));
}

/// After table `name` was dropped.
pub(super) fn table_dropped(schema: &mut Schema, name: &QualifiedName) {
    let d = schema.dialect;
    schema
        .publication_members
        .retain(|m| !m.table().is_some_and(|t| t.same_as(name, d)));
}

/// After schema `ns` was dropped (its tables with it, under CASCADE).
pub(super) fn namespace_dropped(schema: &mut Schema, ns: &str) {
    let d = schema.dialect;
    schema.publication_members.retain(|m| match &m.target {
        PublicationTarget::Table { table, .. } => {
            !table.schema.as_deref().is_some_and(|s| d.same_name(s, ns))
        }
        PublicationTarget::Schema(s) => !s.as_deref().is_some_and(|s| d.same_name(s, ns)),
    });
}

/// After table `old` became `new` (a rename or `SET SCHEMA`).
pub(super) fn table_renamed(schema: &mut Schema, old: &QualifiedName, new: &QualifiedName) {
    let d = schema.dialect;
    for m in &mut schema.publication_members {
        if let PublicationTarget::Table { table, .. } = &mut m.target
            && table.same_as(old, d)
        {
            *table = new.clone();
        }
    }
}

/// Column `col` of `table` goes: the server refuses while a member's column
/// list or filter uses it, and under CASCADE drops those members.
pub(super) fn column_dropped(
    schema: &mut Schema,
    name: &QualifiedName,
    col: &str,
    cascade: bool,
) -> Fallible<()> {
    let d = schema.dialect;
    let uses = |m: &PublicationMember| match &m.target {
        PublicationTarget::Table {
            table,
            columns,
            row_filter,
        } => {
            table.same_as(name, d)
                && (columns
                    .as_ref()
                    .is_some_and(|cs| cs.iter().any(|c| d.same_name(c, col)))
                    || row_filter
                        .as_ref()
                        .is_some_and(|e| super::alter_table::mentions(&e.sql, col, d)))
        }
        PublicationTarget::Schema(_) => false,
    };
    let user = schema
        .publication_members
        .iter()
        .find(|m| uses(m))
        .map(|m| m.publication.clone());
    match user {
        Some(p) if !cascade => Err(format!(
            "column `{col}` of `{name}` is used by publication `{p}` (use CASCADE)"
        )),
        _ => {
            schema.publication_members.retain(|m| !uses(m));
            Ok(())
        }
    }
}

/// Column `old` of `name` is now `new`: the server keeps column numbers,
/// so lists and filters follow.
pub(super) fn column_renamed(schema: &mut Schema, name: &QualifiedName, old: &str, new: &str) {
    let d = schema.dialect;
    for m in &mut schema.publication_members {
        let PublicationTarget::Table {
            table,
            columns,
            row_filter,
        } = &mut m.target
        else {
            continue;
        };
        if !table.same_as(name, d) {
            continue;
        }
        if let Some(cs) = columns {
            for c in cs.iter_mut() {
                if d.same_name(c, old) {
                    *c = new.to_string();
                }
            }
            cs.sort_by(|a, b| d.name_key(a).cmp(&d.name_key(b)));
        }
        if let Some(e) = row_filter {
            super::alter_table::rename_in_expr(e, old, new, d);
        }
    }
}
