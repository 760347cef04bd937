//! Statements read by the token scanner: types, views, sequences, schemas,
//! extensions, comments, drops, and the objects kept opaque (functions,
//! triggers…), which sqlparser often cannot parse.

use std::collections::HashSet;

use super::alter_table;
use super::scan::{Cursor, Tok, Tokens, describe};
use super::{Fallible, Outcome, names};
use crate::dialect::Dialect;
use crate::schema::{
    Definition, Enum, Expr, Extension, OpaqueKind, OpaqueObject, QualifiedName, Schema, Sequence,
    View,
};

pub(super) fn apply(schema: &mut Schema, text: &str, tokens: &Tokens) -> Fallible<Outcome> {
    let mut c = Cursor::new(tokens, schema.dialect);
    if c.eat(&["CREATE"]) {
        create(schema, text, &mut c)
    } else if c.eat(&["DROP"]) {
        drop(schema, &mut c)
    } else if c.eat(&["ALTER"]) {
        alter(schema, &mut c)
    } else if c.eat(&["COMMENT", "ON"]) {
        comment(schema, &mut c)
    } else {
        Err(format!("statement {} is not understood", c.here()))
    }
}

fn opaque_kind(c: &mut Cursor<'_>) -> Option<OpaqueKind> {
    let kind = match c.peek()? {
        t if t.is_kw("FUNCTION") => OpaqueKind::Function,
        t if t.is_kw("PROCEDURE") => OpaqueKind::Procedure,
        t if t.is_kw("TRIGGER") => OpaqueKind::Trigger,
        t if t.is_kw("DOMAIN") => OpaqueKind::Domain,
        t if t.is_kw("STATISTICS") => OpaqueKind::Statistics,
        t if t.is_kw("POLICY") => OpaqueKind::Policy,
        t if t.is_kw("RULE") => OpaqueKind::Rule,
        t if t.is_kw("AGGREGATE") => OpaqueKind::Aggregate,
        t if t.is_kw("COLLATION") || t.is_kw("OPERATOR") || t.is_kw("CAST") => OpaqueKind::Other,
        _ => return None,
    };
    c.next();
    Some(kind)
}

fn create(schema: &mut Schema, text: &str, c: &mut Cursor<'_>) -> Fallible<Outcome> {
    let or_replace = c.eat(&["OR", "REPLACE"]);
    let _temp = c.eat(&["TEMP"]) || c.eat(&["TEMPORARY"]);
    let constraint = c.eat(&["CONSTRAINT"]);
    if c.eat(&["TYPE"]) {
        return create_type(schema, text, c);
    }
    let materialized = c.eat(&["MATERIALIZED"]);
    let _recursive = c.eat(&["RECURSIVE"]);
    if c.eat(&["VIEW"]) {
        return create_view(schema, text, c, or_replace, materialized);
    }
    if c.eat(&["SEQUENCE"]) {
        let if_not_exists = c.eat(&["IF", "NOT", "EXISTS"]);
        let name = c.qualified()?;
        if schema.sequence(&name).is_some()
            || names::name_taken(schema, name.schema.as_deref(), &name.name)
        {
            return if if_not_exists {
                Ok(Outcome::Applied)
            } else {
                Err(format!("relation `{name}` already exists"))
            };
        }
        let owned_by = sequence_owned_by(schema, c)?;
        schema.sequences.push(Sequence {
            name,
            owned_by: owned_by.flatten(),
        });
        return Ok(Outcome::Applied);
    }
    if c.eat(&["EXTENSION"]) {
        let if_not_exists = c.eat(&["IF", "NOT", "EXISTS"]);
        let name = c.ident()?;
        c.eat(&["WITH"]);
        let ext_schema = if c.eat(&["SCHEMA"]) {
            Some(c.ident()?).filter(|s| s != "public")
        } else {
            None
        };
        if schema.extensions.iter().any(|e| e.name == name) {
            return if if_not_exists {
                Ok(Outcome::Applied)
            } else {
                Err(format!("extension `{name}` already exists"))
            };
        }
        schema.extensions.push(Extension {
            name,
            schema: ext_schema,
        });
        return Ok(Outcome::Applied);
    }
    if c.eat(&["SCHEMA"]) {
        let if_not_exists = c.eat(&["IF", "NOT", "EXISTS"]);
        // `CREATE SCHEMA AUTHORIZATION role` names the schema after the role.
        c.eat(&["AUTHORIZATION"]);
        let name = c.ident()?;
        // `public` is the model's default schema (`None`): it always exists.
        let exists = schema.dialect.same_name(&name, "public")
            || schema
                .namespaces
                .iter()
                .any(|n| schema.dialect.same_name(n, &name));
        if exists {
            return if if_not_exists {
                Ok(Outcome::Applied)
            } else {
                Err(format!("schema `{name}` already exists"))
            };
        }
        schema.namespaces.push(name);
        return Ok(Outcome::Applied);
    }
    if c.eat(&["VIRTUAL", "TABLE"]) {
        return Err("CREATE VIRTUAL TABLE is not modelled".into());
    }
    let Some(kind) = opaque_kind(c) else {
        return Err(format!("CREATE statement {} is not modelled", c.here()));
    };
    let _ = constraint;
    let if_not_exists = c.eat(&["IF", "NOT", "EXISTS"]);
    let name = match kind {
        OpaqueKind::Other => QualifiedName::new(
            c.rest_of(text)
                .split(|ch: char| ch.is_whitespace() || ch == '(')
                .next()
                .unwrap_or_default()
                .to_string(),
        ),
        _ => c.qualified()?,
    };
    let on_table = match kind {
        OpaqueKind::Trigger | OpaqueKind::Policy | OpaqueKind::Rule => {
            let mut found = None;
            while let Some(t) = c.next() {
                if t.is_kw("ON") {
                    found = Some(c.qualified()?);
                    break;
                }
            }
            let table =
                found.ok_or_else(|| format!("{} `{name}` names no table", kind.as_sql()))?;
            let t = schema
                .table(&table)
                .map(|t| t.name.clone())
                .or_else(|| schema.view(&table).map(|v| v.name.clone()))
                .ok_or_else(|| format!("table `{table}` does not exist"))?;
            Some(t)
        }
        _ => None,
    };
    let existing = find_opaque(schema, kind, &name, on_table.as_ref());
    if let Some(i) = existing {
        if if_not_exists {
            return Ok(Outcome::Applied);
        }
        // Without OR REPLACE a second function of the same name is an
        // overload; the model keeps one object per name either way.
        schema.opaque.remove(i);
        let _ = or_replace;
    }
    schema.opaque.push(OpaqueObject {
        kind,
        name,
        on_table,
        definition: Definition::source(text),
    });
    Ok(Outcome::Applied)
}

fn find_opaque(
    schema: &Schema,
    kind: OpaqueKind,
    name: &QualifiedName,
    on_table: Option<&QualifiedName>,
) -> Option<usize> {
    let d = schema.dialect;
    schema.opaque.iter().position(|o| {
        o.kind == kind
            && o.name.same_as(name, d)
            && match (on_table, &o.on_table) {
                (Some(a), Some(b)) => a.same_as(b, d),
                _ => true,
            }
    })
}

fn create_type(schema: &mut Schema, text: &str, c: &mut Cursor<'_>) -> Fallible<Outcome> {
    let name = c.qualified()?;
    if schema.enum_type(&name).is_some()
        || find_opaque(schema, OpaqueKind::Type, &name, None).is_some()
    {
        return Err(format!("type `{name}` already exists"));
    }
    if c.eat(&["AS", "ENUM"]) {
        if !c.eat_sym("(") {
            return Err(format!("expected `(` {}", c.here()));
        }
        let mut values = Vec::new();
        while !c.eat_sym(")") {
            values.push(c.string()?);
            if !c.eat_sym(",") && !c.peek().is_some_and(|t| t.is_sym(")")) {
                return Err(format!("expected `,` {}", c.here()));
            }
        }
        schema.enums.push(Enum { name, values });
    } else {
        schema.opaque.push(OpaqueObject {
            kind: OpaqueKind::Type,
            name,
            on_table: None,
            definition: Definition::source(text),
        });
    }
    Ok(Outcome::Applied)
}

fn create_view(
    schema: &mut Schema,
    text: &str,
    c: &mut Cursor<'_>,
    or_replace: bool,
    materialized: bool,
) -> Fallible<Outcome> {
    let if_not_exists = c.eat(&["IF", "NOT", "EXISTS"]);
    let name = c.qualified()?;
    let mut column_names = Vec::new();
    if c.eat_sym("(") {
        loop {
            column_names.push(c.ident()?);
            if !c.eat_sym(",") {
                break;
            }
        }
        if !c.eat_sym(")") {
            return Err(format!(
                "expected `)` after the view's column names {}",
                c.here()
            ));
        }
    }
    // `WITH (options)` before AS.
    if c.eat(&["WITH"]) {
        c.skip_parens();
    }
    c.expect(&["AS"])?;
    let mut body = c.rest_of(text);
    for suffix in ["WITH NO DATA", "WITH DATA"] {
        let cut = body.len().saturating_sub(suffix.len());
        if let (Some(head), Some(tail)) = (body.get(..cut), body.get(cut..))
            && tail.eq_ignore_ascii_case(suffix)
        {
            body = head.trim_end();
        }
    }
    let d = schema.dialect;
    if let Some(existing) = schema.views.iter().position(|v| v.name.same_as(&name, d)) {
        if if_not_exists {
            return Ok(Outcome::Applied);
        }
        if !or_replace || schema.views[existing].materialized {
            return Err(format!("view `{name}` already exists"));
        }
        schema.views.remove(existing);
    } else if schema.table(&name).is_some() {
        return Err(format!("relation `{name}` already exists"));
    }
    let definition = if column_names.is_empty() {
        Definition::source(body)
    } else {
        Definition::source(super::query::with_column_names(body, &column_names, d)?)
    };
    schema.views.push(View {
        name,
        materialized,
        definition,
    });
    Ok(Outcome::Applied)
}

/// `OWNED BY t.c` / `OWNED BY NONE` anywhere in the rest of the statement:
/// `Some(None)` for NONE, `None` when absent.
fn sequence_owned_by(
    schema: &Schema,
    c: &mut Cursor<'_>,
) -> Fallible<Option<Option<(QualifiedName, String)>>> {
    while !c.at_end() {
        if c.eat(&["OWNED", "BY"]) {
            if c.eat(&["NONE"]) {
                return Ok(Some(None));
            }
            let mut parts = vec![c.ident()?];
            while c.eat_sym(".") {
                parts.push(c.ident()?);
            }
            let column = parts.pop().unwrap_or_default();
            let table = names::qualify(parts, schema.dialect);
            let t = schema
                .table(&table)
                .ok_or_else(|| format!("table `{table}` does not exist"))?;
            let col = t
                .column(&column, schema.dialect)
                .ok_or_else(|| format!("column `{column}` of `{table}` does not exist"))?;
            return Ok(Some(Some((t.name.clone(), col.name.clone()))));
        }
        c.next();
    }
    Ok(None)
}

/// Whether `CASCADE` ends the statement.
fn cascade(c: &Cursor<'_>) -> bool {
    c.tokens.toks.last().is_some_and(|t| t.is_kw("CASCADE"))
}

fn drop(schema: &mut Schema, c: &mut Cursor<'_>) -> Fallible<Outcome> {
    let d = schema.dialect;
    let cascade = cascade(c);
    if c.eat(&["TABLE"]) {
        let if_exists = c.eat(&["IF", "EXISTS"]);
        for name in c.qualified_list()? {
            match schema.table(&name).map(|t| t.name.clone()) {
                Some(name) => drop_table(schema, &name, cascade)?,
                None if if_exists => {}
                None => return Err(format!("table `{name}` does not exist")),
            }
        }
        return Ok(Outcome::Applied);
    }
    if c.eat(&["INDEX"]) {
        c.eat(&["CONCURRENTLY"]);
        let if_exists = c.eat(&["IF", "EXISTS"]);
        for name in c.qualified_list()? {
            let before = schema.indexes.len();
            schema.indexes.retain(|i| !i.name.same_as(&name, d));
            if before == schema.indexes.len() && !if_exists {
                return Err(format!("index `{name}` does not exist"));
            }
        }
        return Ok(Outcome::Applied);
    }
    let materialized = c.eat(&["MATERIALIZED"]);
    if c.eat(&["VIEW"]) {
        let if_exists = c.eat(&["IF", "EXISTS"]);
        // All names are resolved before anything is dropped, as the server does.
        let mut dropped = Vec::new();
        for name in c.qualified_list()? {
            let found = schema
                .views
                .iter()
                .find(|v| v.name.same_as(&name, d) && v.materialized == materialized);
            match found {
                Some(v) => dropped.push(v.name.clone()),
                None if if_exists => {}
                None => return Err(format!("view `{name}` does not exist")),
            }
        }
        schema
            .views
            .retain(|v| !dropped.iter().any(|n| n.same_as(&v.name, d)));
        schema
            .indexes
            .retain(|i| !dropped.iter().any(|n| n.same_as(&i.table, d)));
        if cascade {
            let names: Vec<String> = dropped.into_iter().map(|n| n.name).collect();
            drop_dependent_views(schema, &names);
        }
        return Ok(Outcome::Applied);
    }
    if c.eat(&["TYPE"]) {
        let if_exists = c.eat(&["IF", "EXISTS"]);
        for name in c.qualified_list()? {
            let before = schema.enums.len() + schema.opaque.len();
            schema.enums.retain(|e| !e.name.same_as(&name, d));
            schema
                .opaque
                .retain(|o| !(o.kind == OpaqueKind::Type && o.name.same_as(&name, d)));
            if before == schema.enums.len() + schema.opaque.len() && !if_exists {
                return Err(format!("type `{name}` does not exist"));
            }
            if cascade {
                for t in &mut schema.tables {
                    t.columns.retain(|col| {
                        !(col.ty.user_defined && d.same_name(&col.ty.name, &name.to_string()))
                    });
                }
            }
        }
        return Ok(Outcome::Applied);
    }
    if c.eat(&["SEQUENCE"]) {
        let if_exists = c.eat(&["IF", "EXISTS"]);
        for name in c.qualified_list()? {
            let before = schema.sequences.len();
            schema.sequences.retain(|s| !s.name.same_as(&name, d));
            if before == schema.sequences.len() && !if_exists {
                return Err(format!("sequence `{name}` does not exist"));
            }
        }
        return Ok(Outcome::Applied);
    }
    if c.eat(&["EXTENSION"]) {
        let if_exists = c.eat(&["IF", "EXISTS"]);
        loop {
            let name = c.ident()?;
            let before = schema.extensions.len();
            schema.extensions.retain(|e| e.name != name);
            if before == schema.extensions.len() && !if_exists {
                return Err(format!("extension `{name}` does not exist"));
            }
            if !c.eat_sym(",") {
                break;
            }
        }
        return Ok(Outcome::Applied);
    }
    if c.eat(&["SCHEMA"]) {
        let if_exists = c.eat(&["IF", "EXISTS"]);
        loop {
            let name = c.ident()?;
            let before = schema.namespaces.len();
            schema.namespaces.retain(|n| !d.same_name(n, &name));
            if before == schema.namespaces.len() && !if_exists {
                return Err(format!("schema `{name}` does not exist"));
            }
            if cascade {
                drop_namespace_contents(schema, &name);
            }
            if !c.eat_sym(",") {
                break;
            }
        }
        return Ok(Outcome::Applied);
    }
    let Some(kind) = opaque_kind(c) else {
        return Err(format!("DROP statement {} is not modelled", c.here()));
    };
    let if_exists = c.eat(&["IF", "EXISTS"]);
    loop {
        let name = c.qualified()?;
        // Argument lists select an overload; the model keeps one per name.
        c.skip_parens();
        let on_table = if c.eat(&["ON"]) {
            Some(c.qualified()?)
        } else {
            None
        };
        match find_opaque(schema, kind, &name, on_table.as_ref()) {
            Some(i) => {
                schema.opaque.remove(i);
                if cascade && kind == OpaqueKind::Function {
                    let fname = name.name.clone();
                    schema.opaque.retain(|o| {
                        !(o.kind == OpaqueKind::Trigger
                            && (alter_table::mentions(o.definition.sql(), &fname, d)
                                || trigger_function(o.definition.sql(), d)
                                    .is_some_and(|(f, _)| d.same_name(&f, &fname))))
                    });
                }
            }
            None if if_exists => {}
            None => {
                return Err(format!(
                    "{} `{name}` does not exist",
                    kind.as_sql().to_lowercase()
                ));
            }
        }
        if !c.eat_sym(",") {
            break;
        }
    }
    Ok(Outcome::Applied)
}

fn drop_table(schema: &mut Schema, name: &QualifiedName, cascade: bool) -> Fallible<()> {
    let d = schema.dialect;
    // Partitions go with their parent; inheriting tables only with CASCADE.
    for child in super::partition::children(schema, name) {
        let is_partition = schema
            .table(&child)
            .is_some_and(|t| t.partition_of.is_some());
        if !is_partition && !cascade {
            return Err(format!(
                "table `{child}` inherits from `{name}` (use CASCADE)"
            ));
        }
        drop_table(schema, &child, cascade)?;
    }
    let referencing: Vec<String> = schema
        .tables
        .iter()
        .filter(|t| !t.name.same_as(name, d))
        .filter(|t| {
            t.foreign_keys
                .iter()
                .any(|f| f.referenced_table.same_as(name, d))
        })
        .map(|t| t.name.to_string())
        .collect();
    match d {
        Dialect::Postgres if !referencing.is_empty() && !cascade => {
            return Err(format!(
                "table `{name}` is referenced by foreign keys of {} (use CASCADE)",
                referencing.join(", ")
            ));
        }
        Dialect::Postgres => {
            for t in &mut schema.tables {
                t.foreign_keys
                    .retain(|f| !f.referenced_table.same_as(name, d));
            }
        }
        // SQLite keeps dangling references; they fail only when used.
        Dialect::Sqlite => {}
    }
    schema.tables.retain(|t| !t.name.same_as(name, d));
    schema.indexes.retain(|i| !i.table.same_as(name, d));
    schema
        .sequences
        .retain(|s| !s.owned_by.as_ref().is_some_and(|(t, _)| t.same_as(name, d)));
    schema
        .opaque
        .retain(|o| !o.on_table.as_ref().is_some_and(|t| t.same_as(name, d)));
    if cascade {
        drop_dependent_views(schema, std::slice::from_ref(&name.name));
    }
    Ok(())
}

/// Views whose definition mentions `relation`, transitively (CASCADE).
fn drop_dependent_views(schema: &mut Schema, relations: &[String]) {
    let d = schema.dialect;
    // Each definition is read once: the names it mentions, by name key.
    let mut views: Vec<(View, HashSet<String>)> = std::mem::take(&mut schema.views)
        .into_iter()
        .map(|v| {
            let words = alter_table::identifiers(v.definition.sql(), d);
            (v, words)
        })
        .collect();
    let mut pending: Vec<String> = relations
        .iter()
        .map(|r| d.name_key(r).into_owned())
        .collect();
    while let Some(rel) = pending.pop() {
        let (dropped, kept): (Vec<_>, Vec<_>) = views
            .into_iter()
            .partition(|(_, words)| words.contains(&rel));
        views = kept;
        for (v, _) in dropped {
            schema
                .opaque
                .retain(|o| !o.on_table.as_ref().is_some_and(|t| t.same_as(&v.name, d)));
            schema.indexes.retain(|i| !i.table.same_as(&v.name, d));
            pending.push(d.name_key(&v.name.name).into_owned());
        }
    }
    schema.views = views.into_iter().map(|(v, _)| v).collect();
}

fn drop_namespace_contents(schema: &mut Schema, ns: &str) {
    let d = schema.dialect;
    let inside = |q: &QualifiedName| q.schema.as_deref().is_some_and(|s| d.same_name(s, ns));
    schema.tables.retain(|t| !inside(&t.name));
    schema.indexes.retain(|i| !inside(&i.name));
    schema.views.retain(|v| !inside(&v.name));
    schema.enums.retain(|e| !inside(&e.name));
    schema.sequences.retain(|s| !inside(&s.name));
    schema.opaque.retain(|o| !inside(&o.name));
}

fn alter(schema: &mut Schema, c: &mut Cursor<'_>) -> Fallible<Outcome> {
    let d = schema.dialect;
    if c.eat(&["INDEX"]) {
        let if_exists = c.eat(&["IF", "EXISTS"]);
        let name = c.qualified()?;
        if c.eat(&["ATTACH", "PARTITION"]) {
            let child = c.qualified()?;
            if !c.at_end() {
                return Err(format!(
                    "ALTER INDEX … ATTACH PARTITION {} is not modelled",
                    c.here()
                ));
            }
            // Indexes live in their table's schema: an unqualified name is
            // looked up in the parent index's.
            super::partition::attach_index(schema, &name, &child)?;
            return Ok(Outcome::Applied);
        }
        if !c.eat(&["RENAME", "TO"]) {
            // SET (storage parameters), SET TABLESPACE, ATTACH PARTITION: not modelled.
            return Err(format!("ALTER INDEX {} is not modelled", c.here()));
        }
        let new = c.ident()?;
        if let Some(i) = schema.indexes.iter_mut().find(|i| i.name.same_as(&name, d)) {
            i.name.name = new;
            return Ok(Outcome::Applied);
        }
        // The index behind a primary key or unique constraint: renaming it
        // renames the constraint.
        for t in &mut schema.tables {
            if t.name.schema == name.schema
                && alter_table::rename_constraint(t, &name.name, &new, d)
            {
                return Ok(Outcome::Applied);
            }
        }
        return if if_exists {
            Ok(Outcome::Applied)
        } else {
            Err(format!("index `{name}` does not exist"))
        };
    }
    if c.eat(&["TYPE"]) {
        let name = c.qualified()?;
        return alter_type(schema, c, &name);
    }
    if c.eat(&["SEQUENCE"]) {
        let if_exists = c.eat(&["IF", "EXISTS"]);
        let name = c.qualified()?;
        let Some(pos) = schema
            .sequences
            .iter()
            .position(|s| s.name.same_as(&name, d))
        else {
            return if if_exists {
                Ok(Outcome::Applied)
            } else {
                Err(format!("sequence `{name}` does not exist"))
            };
        };
        if c.eat(&["RENAME", "TO"]) {
            let old = schema.sequences[pos].name.clone();
            schema.sequences[pos].name.name = c.ident()?;
            let new = schema.sequences[pos].name.clone();
            // `nextval('s'::regclass)` holds the sequence's oid: the server
            // prints the new name.
            let call = |n: &QualifiedName| {
                let text = crate::dialect::quote::qualified(n, d);
                Expr::new(
                    format!(
                        "nextval({}::regclass)",
                        crate::dialect::quote::string(&text)
                    ),
                    d,
                )
            };
            let (old_call, new_call) = (call(&old), call(&new));
            for t in &mut schema.tables {
                for col in &mut t.columns {
                    if col.default.as_ref() == Some(&old_call) {
                        col.default = Some(new_call.clone());
                    }
                }
            }
            return Ok(Outcome::Applied);
        }
        // Start, increment, cache… are not modelled; ownership is.
        if let Some(owner) = sequence_owned_by(schema, c)? {
            schema.sequences[pos].owned_by = owner;
        }
        return Ok(Outcome::Applied);
    }
    let materialized = c.eat(&["MATERIALIZED"]);
    if c.eat(&["VIEW"]) {
        let if_exists = c.eat(&["IF", "EXISTS"]);
        let name = c.qualified()?;
        let Some(pos) = schema
            .views
            .iter()
            .position(|v| v.name.same_as(&name, d) && v.materialized == materialized)
        else {
            return if if_exists {
                Ok(Outcome::Applied)
            } else {
                Err(format!("view `{name}` does not exist"))
            };
        };
        if c.eat(&["RENAME", "TO"]) {
            schema.views[pos].name.name = c.ident()?;
        } else if c.eat(&["OWNER"]) || c.eat(&["SET"]) || c.eat(&["ALTER"]) {
            // Owner, options, column defaults of a view: not modelled.
        } else {
            return Err(format!("ALTER VIEW {} is not modelled", c.here()));
        }
        return Ok(Outcome::Applied);
    }
    if c.eat(&["EXTENSION"]) || c.eat(&["SCHEMA"]) && c.peek_at(1).is_some_and(|t| t.is_kw("OWNER"))
    {
        return Ok(Outcome::Skipped("ALTER EXTENSION".into()));
    }
    let Some(kind) = opaque_kind(c) else {
        return Err(format!("ALTER statement {} is not modelled", c.here()));
    };
    let name = c.qualified()?;
    c.skip_parens();
    let on_table = if c.eat(&["ON"]) {
        Some(c.qualified()?)
    } else {
        None
    };
    let pos = find_opaque(schema, kind, &name, on_table.as_ref())
        .ok_or_else(|| format!("{} `{name}` does not exist", kind.as_sql().to_lowercase()))?;
    if c.eat(&["RENAME", "TO"]) {
        let new = c.ident()?;
        let old = std::mem::replace(&mut schema.opaque[pos].name.name, new.clone());
        // A trigger executes its function by name: it follows the rename,
        // as the server's trigger follows the function's oid.
        if kind == OpaqueKind::Function {
            for o in schema
                .opaque
                .iter_mut()
                .filter(|o| o.kind == OpaqueKind::Trigger)
            {
                let sql = o.definition.sql();
                if let Some((f, range)) = trigger_function(sql, d)
                    && d.same_name(&f, &old)
                {
                    let quoted = crate::dialect::quote::ident(&new, d);
                    let renamed = format!("{}{quoted}{}", &sql[..range.start], &sql[range.end..]);
                    o.definition = Definition::source(renamed);
                }
            }
        }
    }
    // Owner, search_path, volatility…: the body is unchanged, nothing modelled moves.
    Ok(Outcome::Applied)
}

/// The function a trigger executes (`EXECUTE FUNCTION|PROCEDURE [schema.]f(…)`),
/// folded, with the byte range of its unqualified name in `sql`.
fn trigger_function(sql: &str, d: Dialect) -> Option<(String, std::ops::Range<usize>)> {
    let Tokens { toks, offsets } = super::scan::tokenize(sql, d).ok()?;
    let start = (0..toks.len()).find(|&i| {
        toks[i].is_kw("EXECUTE")
            && toks
                .get(i + 1)
                .is_some_and(|t| t.is_kw("FUNCTION") || t.is_kw("PROCEDURE"))
    })?;
    let mut j = start + 2;
    while toks.get(j + 1).is_some_and(|t| t.is_sym(".")) {
        j += 2;
    }
    let Tok::Word { text, quoted } = toks.get(j)? else {
        return None;
    };
    let begin = *offsets.get(j)?;
    let end = offsets.get(j + 1).copied().unwrap_or(sql.len());
    let end = begin + sql.get(begin..end)?.trim_end().len();
    Some((names::fold(text, *quoted, d), begin..end))
}

fn alter_type(schema: &mut Schema, c: &mut Cursor<'_>, name: &QualifiedName) -> Fallible<Outcome> {
    let d = schema.dialect;
    if c.eat(&["OWNER"]) {
        return Ok(Outcome::Applied);
    }
    if c.eat(&["RENAME", "TO"]) {
        let new = c.ident()?;
        let old_full = name.to_string();
        let mut found = false;
        if let Some(e) = schema.enums.iter_mut().find(|e| e.name.same_as(name, d)) {
            e.name.name = new.clone();
            found = true;
        } else if let Some(o) = schema
            .opaque
            .iter_mut()
            .find(|o| o.kind == OpaqueKind::Type && o.name.same_as(name, d))
        {
            o.name.name = new.clone();
            found = true;
        }
        if !found {
            return Err(format!("type `{name}` does not exist"));
        }
        let new_full = QualifiedName::with_schema(name.schema.clone(), new).to_string();
        for t in &mut schema.tables {
            for col in &mut t.columns {
                if col.ty.user_defined && d.same_name(&col.ty.name, &old_full) {
                    col.ty.name = new_full.clone();
                }
            }
        }
        return Ok(Outcome::Applied);
    }
    let e = schema
        .enums
        .iter_mut()
        .find(|e| e.name.same_as(name, d))
        .ok_or_else(|| format!("enum type `{name}` does not exist"))?;
    if c.eat(&["ADD", "VALUE"]) {
        let if_not_exists = c.eat(&["IF", "NOT", "EXISTS"]);
        let value = c.string()?;
        if e.values.contains(&value) {
            return if if_not_exists {
                Ok(Outcome::Applied)
            } else {
                Err(format!("enum label `{value}` already exists"))
            };
        }
        let position = if c.eat(&["BEFORE"]) {
            let anchor = c.string()?;
            Some(index_of(&e.values, &anchor)?)
        } else if c.eat(&["AFTER"]) {
            let anchor = c.string()?;
            Some(index_of(&e.values, &anchor)? + 1)
        } else {
            None
        };
        match position {
            Some(i) => e.values.insert(i, value),
            None => e.values.push(value),
        }
        return Ok(Outcome::Applied);
    }
    if c.eat(&["RENAME", "VALUE"]) {
        let old = c.string()?;
        c.expect(&["TO"])?;
        let new = c.string()?;
        let i = index_of(&e.values, &old)?;
        e.values[i] = new.clone();
        // A default stores the label's oid: the server prints the new label.
        let type_name = e.name.to_string();
        let literal = |v: &str| Expr::new(crate::dialect::quote::string(v), d);
        let (old_default, new_default) = (literal(&old), literal(&new));
        for t in &mut schema.tables {
            for col in &mut t.columns {
                if col.ty.user_defined
                    && d.same_name(&col.ty.name, &type_name)
                    && col.default.as_ref() == Some(&old_default)
                {
                    col.default = Some(new_default.clone());
                }
            }
        }
        return Ok(Outcome::Applied);
    }
    Err(format!("ALTER TYPE {} is not modelled", c.here()))
}

fn index_of(values: &[String], value: &str) -> Fallible<usize> {
    values
        .iter()
        .position(|v| v == value)
        .ok_or_else(|| format!("enum label `{value}` does not exist"))
}

fn comment(schema: &mut Schema, c: &mut Cursor<'_>) -> Fallible<Outcome> {
    let d = schema.dialect;
    let target = if c.eat(&["TABLE"]) {
        Target::Table
    } else if c.eat(&["COLUMN"]) {
        Target::Column
    } else {
        let kind: Vec<String> = c
            .tokens
            .toks
            .iter()
            .skip(2)
            .take_while(|t| matches!(t, Tok::Word { quoted: false, .. }))
            .take(2)
            .map(describe)
            .map(|s| s.to_ascii_uppercase())
            .collect();
        let kind = kind.first().cloned().unwrap_or_default();
        return Ok(Outcome::Skipped(format!("COMMENT ON {kind}")));
    };
    let mut parts = vec![c.ident()?];
    while c.eat_sym(".") {
        parts.push(c.ident()?);
    }
    c.expect(&["IS"])?;
    let text = if c.eat(&["NULL"]) {
        None
    } else {
        Some(c.string()?)
    };
    match target {
        Target::Table => {
            let name = names::qualify(parts, d);
            let t = schema
                .table_mut(&name)
                .ok_or_else(|| format!("table `{name}` does not exist"))?;
            t.comment = text;
        }
        Target::Column => {
            let column = parts.pop().unwrap_or_default();
            let name = names::qualify(parts, d);
            // Columns of views are not modelled, nor their comments.
            if schema.table(&name).is_none() && schema.view(&name).is_some() {
                return Ok(Outcome::Skipped("COMMENT ON COLUMN".into()));
            }
            let t = schema
                .table_mut(&name)
                .ok_or_else(|| format!("table `{name}` does not exist"))?;
            let col = t
                .column_mut(&column, d)
                .ok_or_else(|| format!("column `{column}` of `{name}` does not exist"))?;
            col.comment = text;
        }
    }
    Ok(Outcome::Applied)
}

enum Target {
    Table,
    Column,
}
