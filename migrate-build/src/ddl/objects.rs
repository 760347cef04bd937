//! Statements read by the token scanner: types, views, sequences, schemas,
//! extensions, comments, drops, and the objects kept opaque (functions,
//! triggers…), which sqlparser often cannot parse.

use std::collections::HashSet;

use super::alter_table;
use super::scan::{Cursor, Tok, Tokens};
use super::{Fallible, Outcome, definition, facts, names, options};
use crate::dialect::Dialect;
use crate::schema::{
    Enum, Extension, Firing, ObjectRef, OpaqueKind, OpaqueObject, QualifiedName, RefKind, Schema,
    Sequence, View,
};

/// The extension every PostgreSQL database has from its template.
pub(super) const BUILT_IN_EXTENSION: &str = "plpgsql";

/// The comment it comes with (pg_dump writes it after `CREATE EXTENSION IF
/// NOT EXISTS plpgsql`).
pub(super) const BUILT_IN_EXTENSION_COMMENT: &str = "PL/pgSQL procedural language";

pub(super) fn apply(schema: &mut Schema, text: &str, tokens: &Tokens) -> Fallible<Outcome> {
    if super::policy::is_policy(tokens) {
        return super::policy::apply(schema, text);
    }
    let mut c = Cursor::new(tokens, schema.dialect);
    if let Some(refused) = foreign_data(&c) {
        return Err(refused);
    }
    if c.eat(&["CREATE"]) {
        create(schema, text, &mut c)
    } else if c.eat(&["DROP"]) {
        drop(schema, text, &mut c)
    } else if c.eat(&["ALTER"]) {
        alter(schema, text, &mut c)
    } else if c.eat(&["COMMENT", "ON"]) {
        comment(schema, text, &mut c)
    } else {
        Err(format!("statement {} is not understood", c.here()))
    }
}

/// Foreign data is not modelled: `CREATE/ALTER/DROP FOREIGN DATA WRAPPER`,
/// `SERVER`, `USER MAPPING`, `FOREIGN TABLE` and `IMPORT FOREIGN SCHEMA`
/// are refused, named, at their statement (a user mapping is no role:
/// skipping it as one would leave it out of the model unsaid).
fn foreign_data(c: &Cursor<'_>) -> Option<String> {
    let kw = |i: usize, k: &str| c.peek_at(i).is_some_and(|t| t.is_kw(k));
    let verb = ["CREATE", "ALTER", "DROP", "IMPORT"]
        .into_iter()
        .find(|v| kw(0, v))?;
    let construct = if verb == "IMPORT" {
        kw(1, "FOREIGN").then_some("FOREIGN SCHEMA")?
    } else if kw(1, "FOREIGN") && kw(2, "DATA") && kw(3, "WRAPPER") {
        "FOREIGN DATA WRAPPER"
    } else if kw(1, "FOREIGN") && kw(2, "TABLE") {
        "FOREIGN TABLE"
    } else if kw(1, "SERVER") {
        "SERVER"
    } else if kw(1, "USER") && kw(2, "MAPPING") {
        "USER MAPPING"
    } else {
        return None;
    };
    Some(format!(
        "{verb} {construct} is not modelled: foreign data wrappers, servers, user mappings \
         and foreign tables are not part of the model"
    ))
}

fn opaque_kind(c: &mut Cursor<'_>, verb: &str) -> Fallible<Option<OpaqueKind>> {
    if let Some(kind) = super::text_search::kind(c, verb) {
        return kind.map(Some);
    }
    let Some(next) = c.peek() else {
        return Ok(None);
    };
    let kind = match next {
        t if t.is_kw("FUNCTION") => OpaqueKind::Function,
        t if t.is_kw("PROCEDURE") => OpaqueKind::Procedure,
        t if t.is_kw("TRIGGER") => OpaqueKind::Trigger,
        t if t.is_kw("DOMAIN") => OpaqueKind::Domain,
        t if t.is_kw("STATISTICS") => OpaqueKind::Statistics,
        t if t.is_kw("POLICY") => OpaqueKind::Policy,
        t if t.is_kw("RULE") => OpaqueKind::Rule,
        t if t.is_kw("AGGREGATE") => OpaqueKind::Aggregate,
        t if t.is_kw("COLLATION") => OpaqueKind::Collation,
        t if t.is_kw("OPERATOR") => OpaqueKind::Operator,
        t if t.is_kw("CAST") => OpaqueKind::Cast,
        t if t.is_kw("EVENT") && c.peek_at(1).is_some_and(|t| t.is_kw("TRIGGER")) => {
            c.next();
            OpaqueKind::EventTrigger
        }
        t if t.is_kw("PUBLICATION") => OpaqueKind::Publication,
        _ => return Ok(None),
    };
    c.next();
    Ok(Some(kind))
}

fn create(schema: &mut Schema, text: &str, c: &mut Cursor<'_>) -> Fallible<Outcome> {
    let or_replace = c.eat(&["OR", "REPLACE"]);
    let _temp = c.eat(&["TEMP"]) || c.eat(&["TEMPORARY"]);
    let constraint = c.eat(&["CONSTRAINT"]);
    if c.eat(&["TYPE"]) {
        return create_type(schema, text, c);
    }
    let trusted = c.eat(&["TRUSTED"]);
    let procedural = c.eat(&["PROCEDURAL"]);
    if c.eat(&["LANGUAGE"]) {
        return create_language(c, or_replace);
    }
    if trusted || procedural {
        return Err(format!("expected LANGUAGE {}", c.here()));
    }
    let materialized = c.eat(&["MATERIALIZED"]);
    let recursive = c.eat(&["RECURSIVE"]);
    if c.eat(&["VIEW"]) {
        return create_view(schema, text, c, or_replace, materialized, recursive);
    }
    if recursive {
        return Err(format!("expected VIEW {}", c.here()));
    }
    let unlogged = c.eat(&["UNLOGGED"]);
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
        let written = options::sequence_options(c, usize::MAX, schema.dialect)?;
        if written.unlogged.is_some() || written.sequence_name.is_some() {
            return Err("SET [UN]LOGGED / SEQUENCE NAME belong to ALTER SEQUENCE".into());
        }
        let owned_by = match &written.owned_by {
            Some(Some(parts)) => Some(owner_column(schema, parts.clone())?),
            Some(None) | None => None,
        };
        let mut sequence = Sequence::new(name, owned_by);
        sequence.options = written.resolve(None)?;
        sequence.unlogged = unlogged;
        schema.sequences.push(sequence);
        return Ok(Outcome::Applied);
    }
    if unlogged {
        return Err(format!("CREATE UNLOGGED {} is not modelled", c.here()));
    }
    if c.eat(&["EXTENSION"]) {
        let if_not_exists = c.eat(&["IF", "NOT", "EXISTS"]);
        let name = c.ident()?;
        c.eat(&["WITH"]);
        let mut ext_schema = None;
        let mut version = None;
        while !c.at_end() {
            if c.eat(&["SCHEMA"]) {
                ext_schema = Some(c.ident()?).filter(|s| s != "public");
            } else if c.eat(&["VERSION"]) {
                version = Some(extension_version(c)?);
            } else if c.eat(&["CASCADE"]) {
                return Err("CREATE EXTENSION … CASCADE creates extensions the schema does not name: create each one".into());
            } else {
                return Err(format!(
                    "CREATE EXTENSION option {} is not modelled",
                    c.here()
                ));
            }
        }
        // plpgsql is built in: every database has it, none creates it.
        if name == BUILT_IN_EXTENSION {
            return Ok(Outcome::Applied);
        }
        if schema.extensions.iter().any(|e| e.name == name) {
            return if if_not_exists {
                Ok(Outcome::Applied)
            } else {
                Err(format!("extension `{name}` already exists"))
            };
        }
        schema.extensions.push(Extension {
            comment: None,
            name,
            schema: ext_schema,
            version,
        });
        return Ok(Outcome::Applied);
    }
    if c.eat(&["SCHEMA"]) {
        let if_not_exists = c.eat(&["IF", "NOT", "EXISTS"]);
        // `CREATE SCHEMA AUTHORIZATION role` names the schema after the role.
        c.eat(&["AUTHORIZATION"]);
        let name = c.ident()?;
        // `public` is the model's default schema (`None`): it always exists.
        // `pg_dump -n public` writes `CREATE SCHEMA public;` for it (and a
        // restore into a new database reports it as existing and goes on):
        // it says the schema is there, which it is.
        if schema.dialect.same_name(&name, "public") {
            return Ok(Outcome::Applied);
        }
        let exists = schema
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
        return super::virtual_table::create(schema, text, c);
    }
    let Some(kind) = opaque_kind(c, "CREATE")? else {
        return Err(format!("CREATE statement {} is not modelled", c.here()));
    };
    if matches!(
        kind,
        OpaqueKind::TextSearchConfiguration | OpaqueKind::TextSearchDictionary
    ) {
        return super::text_search::create(schema, c, kind);
    }
    let _ = constraint;
    let if_not_exists_from = c.tokens.offsets.get(c.pos).copied();
    let if_not_exists = c.eat(&["IF", "NOT", "EXISTS"]);
    let if_not_exists_at = if_not_exists_from
        .zip(c.tokens.offsets.get(c.pos).copied())
        .filter(|_| if_not_exists);
    let after_kind = c.pos;
    let (name, signature) = object_identity(schema, text, c, kind)?;
    let published = match kind {
        OpaqueKind::Publication => super::publication::create_list(schema, text, c, &name.name)?,
        _ => None,
    };
    // A routine's signature names types; other objects' names are no reference.
    let refs_from = match kind {
        OpaqueKind::Function
        | OpaqueKind::Procedure
        | OpaqueKind::Aggregate
        | OpaqueKind::Operator
        | OpaqueKind::Cast => after_kind,
        OpaqueKind::Trigger
        | OpaqueKind::Type
        | OpaqueKind::Domain
        | OpaqueKind::Statistics
        | OpaqueKind::Policy
        | OpaqueKind::Rule
        | OpaqueKind::Collation
        | OpaqueKind::EventTrigger
        | OpaqueKind::Publication
        | OpaqueKind::TextSearchConfiguration
        | OpaqueKind::TextSearchDictionary => c.pos,
    };
    let on_table = match kind {
        OpaqueKind::Trigger | OpaqueKind::Policy | OpaqueKind::Rule | OpaqueKind::Statistics => {
            // `CREATE RULE r AS ON DELETE TO t`: its `ON` names the event.
            let keyword = match kind {
                OpaqueKind::Statistics => "FROM",
                OpaqueKind::Rule => "TO",
                _ => "ON",
            };
            let mut found = None;
            while let Some(t) = c.next() {
                if t.is_kw(keyword) {
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
    if kind == OpaqueKind::Domain && names::type_taken(schema, name.schema.as_deref(), &name.name) {
        return Err(format!("type `{name}` already exists"));
    }
    let own = ref_kind_of(kind).map(|k| (&name, k));
    let references = facts::references(schema, c.tokens, refs_from, own);
    let routine = matches!(kind, OpaqueKind::Function | OpaqueKind::Procedure);
    let head = routine.then(|| facts::routine_head(c.tokens, after_kind));
    // Kept in the form that replaces a changed body in place (see `head`):
    // `CREATE FUNCTION` and `CREATE OR REPLACE FUNCTION` are the same object.
    let create_end = c.tokens.offsets.first().map(|o| o + "CREATE".len());
    let original = text;
    // SQLite stores `CREATE TRIGGER IF NOT EXISTS t …` as `CREATE TRIGGER t …`.
    let text = match if_not_exists_at {
        Some((from, to)) => format!(
            "{}{}",
            text.get(..from).unwrap_or_default(),
            text.get(to..).unwrap_or_default()
        ),
        None => text.to_string(),
    };
    let sql = match create_end {
        Some(end) if routine && !or_replace && text.is_char_boundary(end) => {
            format!("{} OR REPLACE{}", &text[..end], &text[end..])
        }
        _ => text.clone(),
    };
    // The members are created on their own: the kept CREATE leaves them out.
    let sql = match &published {
        Some((_, cut)) => format!(
            "{} {}",
            text.get(..cut.start).unwrap_or_default().trim_end(),
            text.get(cut.end..).unwrap_or_default()
        )
        .trim_end()
        .to_string(),
        None => sql,
    };
    let definition = definition::opaque(schema, kind, original, c.tokens, after_kind, sql);
    let object = OpaqueObject {
        firing: Default::default(),
        statistics_target: None,
        comment: None,
        kind,
        name,
        on_table,
        definition,
        signature,
        references,
        head,
        text_search: None,
    };
    match find_opaque(schema, &object) {
        Some(_) if if_not_exists => {}
        // The server keeps the object's oid: whatever depends on it stays.
        Some(i) if or_replace => schema.opaque[i] = object,
        Some(_) => return Err(format!("{} already exists", describe_object(&object))),
        None => schema.opaque.push(object),
    }
    if let Some((members, _)) = published {
        super::publication::add_members(schema, members)?;
    }
    Ok(Outcome::Applied)
}

/// The name (and signature) a `CREATE` or `DROP` gives, the cursor right
/// after the object's kind.
fn object_identity(
    schema: &Schema,
    text: &str,
    c: &mut Cursor<'_>,
    kind: OpaqueKind,
) -> Fallible<(QualifiedName, Option<String>)> {
    match kind {
        OpaqueKind::Operator => {
            let (name, signature, next) = facts::operator(schema, text, c.tokens, c.pos)?;
            c.pos = next;
            Ok((name, Some(signature)))
        }
        OpaqueKind::Cast => {
            let (name, next) = facts::cast(schema, text, c.tokens, c.pos)?;
            c.pos = next;
            Ok((name, None))
        }
        OpaqueKind::Function | OpaqueKind::Procedure | OpaqueKind::Aggregate => {
            let name = c.qualified()?;
            let old_style = c.peek_at(2).is_some_and(|t| t.is_sym("="));
            if kind == OpaqueKind::Aggregate && old_style {
                return Err(format!(
                    "CREATE AGGREGATE `{name}` in the old form (BASETYPE = …) is not modelled: \
                     write `CREATE AGGREGATE {name}(type) (…)`"
                ));
            }
            let (signature, next) = facts::signature(schema, text, c.tokens, c.pos, kind)?;
            c.pos = next;
            Ok((name, Some(signature)))
        }
        OpaqueKind::Trigger
        | OpaqueKind::Type
        | OpaqueKind::Domain
        | OpaqueKind::Statistics
        | OpaqueKind::Policy
        | OpaqueKind::Rule
        | OpaqueKind::Collation
        | OpaqueKind::EventTrigger
        | OpaqueKind::Publication
        | OpaqueKind::TextSearchConfiguration
        | OpaqueKind::TextSearchDictionary => Ok((c.qualified()?, None)),
    }
}

/// `function `add(integer, integer)``, for messages.
fn describe_object(o: &OpaqueObject) -> String {
    let kind = o.kind.as_sql().to_lowercase();
    match (&o.signature, &o.on_table) {
        (Some(signature), _) if o.kind == OpaqueKind::Operator => {
            format!("{kind} `{}` ({signature})", o.name)
        }
        (Some(signature), _) => format!("{kind} `{}({signature})`", o.name),
        (None, Some(table)) => format!("{kind} `{}` on `{table}`", o.name),
        (None, None) => format!("{kind} `{}`", o.name),
    }
}

/// The object of `probe`'s kind, name, table and signature.
fn find_opaque(schema: &Schema, probe: &OpaqueObject) -> Option<usize> {
    let d = schema.dialect;
    schema.opaque.iter().position(|o| {
        o.kind == probe.kind
            && o.name.same_as(&probe.name, d)
            && o.signature == probe.signature
            && match (&probe.on_table, &o.on_table) {
                (Some(a), Some(b)) => a.same_as(b, d),
                _ => true,
            }
    })
}

/// An object of this kind and name on this table, whatever its signature.
fn find_named(
    schema: &Schema,
    kind: OpaqueKind,
    name: &QualifiedName,
    on_table: Option<&QualifiedName>,
) -> Vec<usize> {
    let d = schema.dialect;
    schema
        .opaque
        .iter()
        .enumerate()
        .filter(|(_, o)| {
            o.kind == kind
                && o.name.same_as(name, d)
                && match (on_table, &o.on_table) {
                    (Some(a), Some(b)) => a.same_as(b, d),
                    _ => true,
                }
        })
        .map(|(i, _)| i)
        .collect()
}

/// What `o` is to the objects that name it.
fn as_reference(o: &OpaqueObject) -> Option<ObjectRef> {
    Some(ObjectRef {
        kind: ref_kind_of(o.kind)?,
        name: o.name.clone(),
    })
}

/// The namespace objects of this kind are named in by others.
fn ref_kind_of(kind: OpaqueKind) -> Option<RefKind> {
    let kind = match kind {
        OpaqueKind::Function | OpaqueKind::Procedure | OpaqueKind::Aggregate => RefKind::Function,
        OpaqueKind::Type | OpaqueKind::Domain => RefKind::Type,
        OpaqueKind::Collation => RefKind::Collation,
        OpaqueKind::TextSearchConfiguration => RefKind::TextSearchConfiguration,
        OpaqueKind::TextSearchDictionary => RefKind::TextSearchDictionary,
        OpaqueKind::Trigger
        | OpaqueKind::Statistics
        | OpaqueKind::Policy
        | OpaqueKind::Rule
        | OpaqueKind::Operator
        | OpaqueKind::Cast
        | OpaqueKind::EventTrigger
        | OpaqueKind::Publication => return None,
    };
    Some(kind)
}

/// After `gone` left the schema: the objects that still name it are refused
/// (without CASCADE) or dropped with it, transitively, as the server does.
/// A function name still carried by another overload is not gone.
fn drop_dependents(schema: &mut Schema, mut gone: Vec<ObjectRef>, cascade: bool) -> Fallible<()> {
    let d = schema.dialect;
    if d != Dialect::Postgres {
        return Ok(());
    }
    while let Some(r) = gone.pop() {
        let still_there = match r.kind {
            RefKind::Function => schema
                .opaque
                .iter()
                .any(|o| as_reference(o).as_ref() == Some(&r)),
            RefKind::Relation
            | RefKind::Type
            | RefKind::Collation
            | RefKind::TextSearchConfiguration
            | RefKind::TextSearchDictionary => false,
        };
        if still_there {
            continue;
        }
        let names_it = |o: &OpaqueObject| {
            o.references
                .iter()
                .any(|x| x.kind == r.kind && x.name.same_as(&r.name, d))
        };
        let dependents: Vec<usize> = (0..schema.opaque.len())
            .filter(|&i| names_it(&schema.opaque[i]))
            .collect();
        if dependents.is_empty() {
            continue;
        }
        if !cascade {
            let list: Vec<String> = dependents
                .iter()
                .map(|&i| describe_object(&schema.opaque[i]))
                .collect();
            return Err(format!(
                "cannot drop `{}`: {} depend(s) on it (use CASCADE)",
                r.name,
                list.join(", ")
            ));
        }
        for &i in dependents.iter().rev() {
            let o = schema.opaque.remove(i);
            gone.extend(as_reference(&o));
        }
    }
    Ok(())
}

/// `CREATE [OR REPLACE] [TRUSTED] [PROCEDURAL] LANGUAGE plpgsql` (old
/// pg_dump versions write it): the server makes it `CREATE EXTENSION
/// [IF NOT EXISTS] plpgsql`, and plpgsql is built in. Other languages are
/// extensions of their own (`CREATE EXTENSION plperl`), or handlers the
/// model does not hold.
fn create_language(c: &mut Cursor<'_>, or_replace: bool) -> Fallible<Outcome> {
    let name = c.ident()?;
    if name != BUILT_IN_EXTENSION {
        return Err(format!(
            "CREATE LANGUAGE `{name}` is not modelled: create the extension that brings it (`CREATE EXTENSION {name}`)"
        ));
    }
    if !c.at_end() {
        return Err(format!(
            "CREATE LANGUAGE option {} is not modelled",
            c.here()
        ));
    }
    if or_replace {
        Ok(Outcome::Applied)
    } else {
        Err(format!("extension `{name}` already exists"))
    }
}

fn create_type(schema: &mut Schema, text: &str, c: &mut Cursor<'_>) -> Fallible<Outcome> {
    let name_at = c.pos;
    let name = c.qualified()?;
    // A shell type is a placeholder for a base type whose I/O functions are
    // still to be created (pg_dump writes one before them); base types are
    // not modelled, nor the placeholder, which `pg_type` holds apart.
    if c.peek().is_none_or(|t| t.is_sym(";")) {
        return Err(format!(
            "CREATE TYPE `{name}` without a definition (a shell type) is not modelled"
        ));
    }
    let ns = name.schema.as_deref();
    if names::type_taken(schema, ns, &name.name) {
        return Err(format!("type `{name}` already exists"));
    }
    // A composite type is also a relation (`pg_class`); an enum is not.
    let composite = !c
        .peek_at(1)
        .is_some_and(|t| t.is_kw("ENUM") || t.is_kw("RANGE"));
    if composite && names::relation_taken(schema, ns, &name.name) {
        return Err(format!("relation `{name}` already exists"));
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
        schema.enums.push(Enum {
            comment: None,
            name,
            values,
        });
    } else {
        let references = facts::references(schema, c.tokens, c.pos, Some((&name, RefKind::Type)));
        schema.opaque.push(OpaqueObject {
            firing: Default::default(),
            statistics_target: None,
            comment: None,
            kind: OpaqueKind::Type,
            name,
            on_table: None,
            definition: definition::opaque(
                schema,
                OpaqueKind::Type,
                text,
                c.tokens,
                name_at,
                text.to_string(),
            ),
            signature: None,
            references,
            head: None,
            text_search: None,
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
    recursive: bool,
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
    let mut options = if c.eat(&["WITH"]) {
        options::storage_params(c)?
    } else {
        Vec::new()
    };
    options::no_toast(&options, "a view")?;
    c.expect(&["AS"])?;
    let body_start = c.pos;
    // `WITH [LOCAL|CASCADED] CHECK OPTION` ends the body; the server keeps
    // it as the option `check_option`.
    let toks = &c.tokens.toks;
    let n = toks.len();
    let tail = |words: &[&str]| {
        n >= body_start + words.len()
            && toks[n - words.len()..]
                .iter()
                .zip(words)
                .all(|(t, w)| t.is_kw(w))
    };
    let check_option = if tail(&["WITH", "LOCAL", "CHECK", "OPTION"]) {
        Some(("local", 4))
    } else if tail(&["WITH", "CASCADED", "CHECK", "OPTION"]) {
        Some(("cascaded", 4))
    } else if tail(&["WITH", "CHECK", "OPTION"]) {
        Some(("cascaded", 3))
    } else {
        None
    };
    let mut body = c.rest_of(text);
    if let Some((kind, words)) = check_option {
        let cut = c
            .tokens
            .offsets
            .get(n - words)
            .copied()
            .unwrap_or(text.len());
        let start = c.tokens.offsets.get(body_start).copied().unwrap_or(0);
        body = text.get(start..cut).unwrap_or_default().trim();
        crate::schema::set_storage_in_order(
            &mut options,
            vec![crate::schema::StorageParam::new("check_option", Some(kind))],
        );
    }
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
    } else if schema.table(&name).is_some()
        || d == Dialect::Postgres
            && (names::relation_taken(schema, name.schema.as_deref(), &name.name)
                || names::type_taken(schema, name.schema.as_deref(), &name.name))
    {
        return Err(format!("relation `{name}` already exists"));
    }
    let recursive_body;
    if recursive {
        if column_names.is_empty() {
            return Err("CREATE RECURSIVE VIEW needs its column names".into());
        }
        // The server's own rewrite (`makeRecursiveViewSelect`): the body
        // becomes a recursive query named after the view, read whole.
        use crate::dialect::quote::ident;
        let cte = ident(&name.name, d);
        let columns: Vec<String> = column_names.iter().map(|c| ident(c, d)).collect();
        let columns = columns.join(", ");
        recursive_body =
            format!("WITH RECURSIVE {cte}({columns}) AS ({body}) SELECT {columns} FROM {cte}");
        body = &recursive_body;
        column_names.clear();
    }
    let definition = if column_names.is_empty() {
        definition::view(schema, body)
    } else {
        definition::view(
            schema,
            &super::query::with_column_names(body, &column_names, d)?,
        )
    };
    schema.views.push(View {
        column_comments: Vec::new(),
        comment: None,
        name,
        materialized,
        definition,
        options,
    });
    Ok(Outcome::Applied)
}

/// `'1.1'` or `"1.1"` or `1.1` after `VERSION` / `UPDATE TO`.
fn extension_version(c: &mut Cursor<'_>) -> Fallible<String> {
    match c.next() {
        Some(Tok::Str(s)) | Some(Tok::Num(s)) => Ok(s.clone()),
        Some(Tok::Word { text, .. }) => Ok(text.clone()),
        _ => Err(format!("expected a version {}", c.here())),
    }
}

/// The `table.column` of `OWNED BY`, as the schema spells them.
fn owner_column(schema: &Schema, mut parts: Vec<String>) -> Fallible<(QualifiedName, String)> {
    let column = parts.pop().unwrap_or_default();
    if parts.is_empty() {
        return Err(format!("OWNED BY `{column}` names no table"));
    }
    let table = names::qualify(parts, schema.dialect);
    let t = schema
        .table(&table)
        .ok_or_else(|| format!("table `{table}` does not exist"))?;
    let col = t
        .column(&column, schema.dialect)
        .ok_or_else(|| format!("column `{column}` of `{table}` does not exist"))?;
    Ok((t.name.clone(), col.name.clone()))
}

/// Whether `CASCADE` ends the statement.
fn cascade(c: &Cursor<'_>) -> bool {
    c.tokens.toks.last().is_some_and(|t| t.is_kw("CASCADE"))
}

fn drop(schema: &mut Schema, text: &str, c: &mut Cursor<'_>) -> Fallible<Outcome> {
    let d = schema.dialect;
    let cascade = cascade(c);
    if c.eat(&["TABLE"]) {
        let if_exists = c.eat(&["IF", "EXISTS"]);
        for name in c.qualified_list()? {
            match schema.table(&name).map(|t| t.name.clone()) {
                Some(name) => drop_table(schema, &name, cascade)?,
                None if schema.virtual_table(&name).is_some() => {
                    schema.virtual_tables.retain(|v| !v.name.same_as(&name, d));
                }
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
            let table = schema.index(&name).map(|i| i.table.clone());
            schema.indexes.retain(|i| !i.name.same_as(&name, d));
            if before == schema.indexes.len() && !if_exists {
                return Err(format!("index `{name}` does not exist"));
            }
            if let Some(t) =
                table.and_then(|t| schema.tables.iter_mut().find(|x| x.name.same_as(&t, d)))
            {
                t.index_dropped(&name.name, d);
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
            let gone = vec![ObjectRef {
                kind: RefKind::Type,
                name: name.clone(),
            }];
            drop_dependents(schema, gone, cascade)?;
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
            if before == schema.extensions.len() && !if_exists && name != BUILT_IN_EXTENSION {
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
            super::publication::namespace_dropped(schema, &name);
            if !c.eat_sym(",") {
                break;
            }
        }
        return Ok(Outcome::Applied);
    }
    let Some(kind) = opaque_kind(c, "DROP")? else {
        return Err(format!("DROP statement {} is not modelled", c.here()));
    };
    let if_exists = c.eat(&["IF", "EXISTS"]);
    let mut gone = Vec::new();
    loop {
        let (name, signature) = drop_identity(schema, text, c, kind)?;
        let on_table = if c.eat(&["ON"]) {
            Some(c.qualified()?)
        } else {
            None
        };
        let found = find_named(schema, kind, &name, on_table.as_ref());
        let found: Vec<usize> = match &signature {
            Some(signature) => found
                .into_iter()
                .filter(|&i| schema.opaque[i].signature.as_ref() == Some(signature))
                .collect(),
            None => found,
        };
        match found.as_slice() {
            [i] => {
                let o = schema.opaque.remove(*i);
                if o.kind == OpaqueKind::Publication {
                    super::publication::dropped(schema, &o.name.name);
                }
                gone.extend(as_reference(&o));
            }
            [] if if_exists => {}
            [] => {
                let what = match &signature {
                    Some(s) => format!("{name}({s})"),
                    None => name.to_string(),
                };
                return Err(format!(
                    "{} `{what}` does not exist",
                    kind.as_sql().to_lowercase()
                ));
            }
            _ => {
                return Err(format!(
                    "{} name `{name}` is not unique: give its argument types",
                    kind.as_sql().to_lowercase()
                ));
            }
        }
        if !c.eat_sym(",") {
            break;
        }
    }
    drop_dependents(schema, gone, cascade)?;
    Ok(Outcome::Applied)
}

/// The name of the object a `DROP` names and, when it gives one, the
/// signature that picks an overload.
pub(super) fn drop_identity(
    schema: &Schema,
    text: &str,
    c: &mut Cursor<'_>,
    kind: OpaqueKind,
) -> Fallible<(QualifiedName, Option<String>)> {
    let d = schema.dialect;
    match kind {
        OpaqueKind::Function | OpaqueKind::Procedure | OpaqueKind::Aggregate => {
            let name = c.qualified()?;
            if !c.peek().is_some_and(|t| t.is_sym("(")) {
                return Ok((name, None));
            }
            let (signature, next) = facts::signature(schema, text, c.tokens, c.pos, kind)?;
            c.pos = next;
            Ok((name, Some(signature)))
        }
        OpaqueKind::Operator => {
            let open = (c.pos..c.tokens.toks.len())
                .find(|&k| c.tokens.toks[k].is_sym("("))
                .ok_or("DROP OPERATOR needs its operand types: `DROP OPERATOR op (left, right)`")?;
            let (schema_name, from) = match (c.peek(), c.peek_at(1)) {
                (Some(Tok::Word { text, quoted }), Some(dot)) if dot.is_sym(".") => {
                    (Some(names::fold(text, *quoted, d)), c.pos + 2)
                }
                _ => (None, c.pos),
            };
            let op: String = facts::span(text, c.tokens, from, open)
                .split_whitespace()
                .collect();
            let comma = (open..c.tokens.toks.len())
                .find(|&k| c.tokens.toks[k].is_sym(","))
                .ok_or("DROP OPERATOR needs both operand types")?;
            let close = (comma..c.tokens.toks.len())
                .find(|&k| c.tokens.toks[k].is_sym(")"))
                .ok_or("expected `)` after the operand types")?;
            let left = if c.tokens.toks.get(open + 1).is_some_and(|t| t.is_kw("NONE")) {
                "NONE".to_string()
            } else {
                facts::type_at(schema, text, c.tokens, open + 1, comma)?
            };
            let right = facts::type_at(schema, text, c.tokens, comma + 1, close)?;
            c.pos = close + 1;
            let name = names::qualify(schema_name.into_iter().chain([op]).collect(), d);
            Ok((name, Some(format!("{left}, {right}"))))
        }
        OpaqueKind::Cast => {
            let (name, next) = facts::cast(schema, text, c.tokens, c.pos)?;
            c.pos = next;
            Ok((name, None))
        }
        OpaqueKind::Trigger
        | OpaqueKind::Type
        | OpaqueKind::Domain
        | OpaqueKind::Statistics
        | OpaqueKind::Policy
        | OpaqueKind::Rule
        | OpaqueKind::Collation
        | OpaqueKind::EventTrigger
        | OpaqueKind::Publication
        | OpaqueKind::TextSearchConfiguration
        | OpaqueKind::TextSearchDictionary => Ok((c.qualified()?, None)),
    }
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
    for i in schema.indexes.iter_mut() {
        i.partition_copies.retain(|c| !c.table.same_as(name, d));
    }
    for t in schema.tables.iter_mut() {
        if !t.constraint_copies.is_empty() {
            t.constraint_copies.retain(|c| !c.table.same_as(name, d));
        }
    }
    schema
        .sequences
        .retain(|s| !s.owned_by.as_ref().is_some_and(|(t, _)| t.same_as(name, d)));
    schema
        .opaque
        .retain(|o| !o.on_table.as_ref().is_some_and(|t| t.same_as(name, d)));
    // Functions returning its rows or taking them as an argument.
    let gone = vec![ObjectRef {
        kind: RefKind::Relation,
        name: name.clone(),
    }];
    drop_dependents(schema, gone, cascade)?;
    schema.policies.retain(|p| !p.table.same_as(name, d));
    super::publication::table_dropped(schema, name);
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
    schema.policies.retain(|p| !inside(&p.table));
    schema.indexes.retain(|i| !inside(&i.name));
    schema.views.retain(|v| !inside(&v.name));
    schema.enums.retain(|e| !inside(&e.name));
    schema.sequences.retain(|s| !inside(&s.name));
    schema.opaque.retain(|o| !inside(&o.name));
}

fn alter(schema: &mut Schema, text: &str, c: &mut Cursor<'_>) -> Fallible<Outcome> {
    let d = schema.dialect;
    if c.eat(&["INDEX"]) {
        let if_exists = c.eat(&["IF", "EXISTS"]);
        let name = c.qualified()?;
        let set = c.peek().is_some_and(|t| t.is_kw("SET"));
        if (set || c.peek().is_some_and(|t| t.is_kw("RESET")))
            && c.peek_at(1).is_some_and(|t| t.is_sym("("))
        {
            c.next();
            let params = options::storage_params(c)?;
            options::no_toast(&params, "an index")?;
            let Some(i) = schema.indexes.iter_mut().find(|i| i.name.same_as(&name, d)) else {
                return if if_exists {
                    Ok(Outcome::Applied)
                } else {
                    Err(format!(
                        "index `{name}` does not exist (storage parameters of a constraint's index are not modelled)"
                    ))
                };
            };
            if set {
                crate::schema::set_storage_in_order(&mut i.storage, params);
            } else {
                i.storage
                    .retain(|p| !params.iter().any(|q| q.name == p.name));
            }
            return Ok(Outcome::Applied);
        }
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
        if c.peek().is_some_and(|t| t.is_kw("ALTER")) {
            c.next();
            c.eat(&["COLUMN"]);
            return alter_index_statistics(schema, &name, if_exists, c);
        }
        if !c.eat(&["RENAME", "TO"]) {
            // SET TABLESPACE, DEPENDS ON EXTENSION: not modelled.
            return Err(format!("ALTER INDEX {} is not modelled", c.here()));
        }
        let new = c.ident()?;
        return if super::renames::rename_index_found(schema, &name, &new) || if_exists {
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
            let name = schema.sequences[pos].name.clone();
            super::renames::rename_sequence(schema, &name, &c.ident()?)?;
            return Ok(Outcome::Applied);
        }
        if c.eat(&["OWNER", "TO"]) {
            return Ok(Outcome::Applied);
        }
        let written = options::sequence_options(c, usize::MAX, d)?;
        if written.sequence_name.is_some() {
            return Err("SEQUENCE NAME is not an ALTER SEQUENCE option".into());
        }
        let owner = match &written.owned_by {
            Some(Some(parts)) => Some(Some(owner_column(schema, parts.clone())?)),
            Some(None) => Some(None),
            None => None,
        };
        let seq = &mut schema.sequences[pos];
        if !written.is_empty() {
            seq.options = written.resolve(Some(&seq.options))?;
        }
        if let Some(owner) = owner {
            seq.owned_by = owner;
        }
        if let Some(unlogged) = written.unlogged {
            seq.unlogged = unlogged;
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
            let name = schema.views[pos].name.clone();
            super::renames::rename_view(schema, &name, &c.ident()?)?;
        } else if c.eat(&["OWNER"]) {
            // Ownership is not modelled.
        } else if c.peek().is_some_and(|t| t.is_kw("SET"))
            && c.peek_at(1).is_some_and(|t| t.is_sym("("))
        {
            c.next();
            let params = options::storage_params(c)?;
            options::no_toast(&params, "a view")?;
            crate::schema::set_storage_in_order(&mut schema.views[pos].options, params);
        } else if c.peek().is_some_and(|t| t.is_kw("RESET"))
            && c.peek_at(1).is_some_and(|t| t.is_sym("("))
        {
            c.next();
            let names = options::storage_names(c)?;
            schema.views[pos]
                .options
                .retain(|p| !names.contains(&p.name));
        } else {
            return Err(format!("ALTER VIEW {} is not modelled", c.here()));
        }
        return Ok(Outcome::Applied);
    }
    if c.peek().is_some_and(|t| t.is_kw("EXTENSION"))
        && c.peek_at(2).is_some_and(|t| t.is_kw("UPDATE"))
    {
        c.next();
        let name = c.ident()?;
        c.expect(&["UPDATE"])?;
        let version = if c.eat(&["TO"]) {
            Some(extension_version(c)?)
        } else {
            None
        };
        let ext = schema
            .extensions
            .iter_mut()
            .find(|e| e.name == name)
            .ok_or_else(|| format!("extension `{name}` does not exist"))?;
        // `UPDATE` alone goes to the default version, which only the server knows.
        ext.version = version;
        return Ok(Outcome::Applied);
    }
    if c.eat(&["EXTENSION"]) || c.eat(&["SCHEMA"]) && c.peek_at(1).is_some_and(|t| t.is_kw("OWNER"))
    {
        return Ok(Outcome::Skipped("ALTER EXTENSION".into()));
    }
    let Some(kind) = opaque_kind(c, "ALTER")? else {
        return Err(format!("ALTER statement {} is not modelled", c.here()));
    };
    let (name, signature) = drop_identity(schema, text, c, kind)?;
    let on_table = if c.eat(&["ON"]) {
        Some(c.qualified()?)
    } else {
        None
    };
    let found: Vec<usize> = find_named(schema, kind, &name, on_table.as_ref())
        .into_iter()
        .filter(|&i| signature.is_none() || schema.opaque[i].signature == signature)
        .collect();
    let pos = match found.as_slice() {
        [i] => *i,
        [] => {
            return Err(format!(
                "{} `{name}` does not exist",
                kind.as_sql().to_lowercase()
            ));
        }
        _ => {
            return Err(format!(
                "{} name `{name}` is not unique: give its argument types",
                kind.as_sql().to_lowercase()
            ));
        }
    };
    if let Some(done) = super::text_search::alter(schema, c, pos) {
        return done;
    }
    let allowed = c.peek_at(1).is_some_and(|t| t.is_kw("TO"))
        && c.peek()
            .is_some_and(|t| t.is_kw("RENAME") || t.is_kw("OWNER"))
        || c.peek().is_some_and(|t| t.is_kw("SET"))
            && c.peek_at(1).is_some_and(|t| t.is_kw("SCHEMA"));
    if !allowed && matches!(kind, OpaqueKind::Domain if d == Dialect::Postgres) {
        let name = schema.opaque[pos].name.clone();
        let sql = super::domain::alter(&name, schema.opaque[pos].definition.sql(), c, text)?;
        redefine(schema, pos, sql)?;
        return Ok(Outcome::Applied);
    }
    if !allowed
        && matches!(kind, OpaqueKind::Function | OpaqueKind::Procedure)
        && d == Dialect::Postgres
    {
        let sql = super::routine::alter(kind, schema.opaque[pos].definition.sql(), c, text)?;
        redefine(schema, pos, sql)?;
        return Ok(Outcome::Applied);
    }
    // Ownership is deliberately not modelled (README): skipped and listed.
    if c.eat(&["OWNER", "TO"]) {
        return Ok(Outcome::Skipped("OWNER TO".into()));
    }
    if kind == OpaqueKind::Publication {
        super::publication::alter(schema, text, c, pos)?;
        return Ok(Outcome::Applied);
    }
    if kind == OpaqueKind::EventTrigger {
        if let Some(firing) = firing(c) {
            c.eat_sym(";");
            if !c.at_end() {
                return Err(format!("ALTER EVENT TRIGGER {} is not modelled", c.here()));
            }
            schema.opaque[pos].firing = firing;
            return Ok(Outcome::Applied);
        }
        return Err(format!(
            "ALTER EVENT TRIGGER {} is not modelled: the model holds no event trigger's \
             old name; drop it and create it as wanted",
            c.here()
        ));
    }
    if kind == OpaqueKind::Statistics && c.eat(&["SET", "STATISTICS"]) {
        let target = if c.eat(&["DEFAULT"]) {
            -1
        } else {
            let negative = c.eat_sym("-");
            match c.next() {
                Some(Tok::Num(n)) => n
                    .parse::<i32>()
                    .ok()
                    .map(|n| if negative { -n } else { n })
                    .ok_or_else(|| format!("statistics target `{n}` is not a number"))?,
                _ => {
                    return Err(format!(
                        "expected a number after SET STATISTICS {}",
                        c.here()
                    ));
                }
            }
        };
        c.eat_sym(";");
        if !c.at_end() {
            return Err(format!("ALTER STATISTICS {} is not modelled", c.here()));
        }
        if target < -1 {
            return Err(format!("statistics target {target} is too low"));
        }
        // The server lowers a target above 10000 to 10000.
        schema.opaque[pos].statistics_target = (target != -1).then_some(target.min(10000));
        return Ok(Outcome::Applied);
    }
    let renames = c.peek().is_some_and(|t| t.is_kw("RENAME"))
        && c.peek_at(1).is_some_and(|t| t.is_kw("TO"))
        || c.peek().is_some_and(|t| t.is_kw("SET"))
            && c.peek_at(1).is_some_and(|t| t.is_kw("SCHEMA"));
    if !renames {
        // `SET search_path`, `SECURITY DEFINER`, volatility, `DEPENDS ON
        // EXTENSION`…: the kept definition would not say them.
        let verb = kind.as_sql();
        return Err(format!(
            "ALTER {verb} {} is not modelled: write it in the {verb}'s CREATE statement instead",
            c.here()
        ));
    }
    if c.eat(&["SET", "SCHEMA"]) {
        let target = c.ident()?;
        let moved = names::qualify(vec![target, name.name.clone()], d);
        let before = as_reference(&schema.opaque[pos]);
        let old_name = schema.opaque[pos].name.clone();
        schema.opaque[pos].name.schema = moved.schema.clone();
        super::text_search::renamed(schema, pos, &old_name);
        if let Some(before) = before {
            for o in &mut schema.opaque {
                for r in &mut o.references {
                    if r.kind == before.kind && r.name.same_as(&before.name, d) {
                        r.name = moved.clone();
                    }
                }
            }
        }
        named_in_text(schema, pos)?;
        return Ok(Outcome::Applied);
    }
    if c.eat(&["RENAME", "TO"]) {
        let new = c.ident()?;
        let old_name = schema.opaque[pos].name.clone();
        let old = std::mem::replace(&mut schema.opaque[pos].name.name, new.clone());
        super::text_search::renamed(schema, pos, &old_name);
        named_in_text(schema, pos)?;
        if let Some(before) = as_reference(&schema.opaque[pos]) {
            let old_name = QualifiedName::with_schema(before.name.schema.clone(), old.clone());
            rename_references(schema, before.kind, &old_name, &new);
        }
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
                    o.definition = definition::trigger(&renamed, d);
                }
            }
        }
    }
    Ok(Outcome::Applied)
}

/// The object at `pos` defined again by `sql`, its `CREATE` text with an
/// `ALTER` applied: its definition and what it names read from the new text.
fn redefine(schema: &mut Schema, pos: usize, sql: String) -> Fallible<()> {
    let d = schema.dialect;
    let tokens = super::scan::tokenize(&sql, d)?;
    let mut c = Cursor::new(&tokens, d);
    c.eat(&["CREATE"]);
    c.eat(&["OR", "REPLACE"]);
    let kind = opaque_kind(&mut c, "CREATE")?.ok_or_else(|| {
        format!(
            "the definition of `{}` is not understood",
            schema.opaque[pos].name
        )
    })?;
    let after_kind = c.pos;
    let refs_from = match kind {
        OpaqueKind::Function | OpaqueKind::Procedure => after_kind,
        _ => {
            c.qualified()?;
            c.pos
        }
    };
    let name = schema.opaque[pos].name.clone();
    let own = ref_kind_of(kind).map(|k| (&name, k));
    let references = facts::references(schema, &tokens, refs_from, own);
    let definition = definition::opaque(schema, kind, &sql, &tokens, after_kind, sql.clone());
    let object = &mut schema.opaque[pos];
    object.references = references;
    object.definition = definition;
    Ok(())
}

/// The object's `CREATE` text names it by its name in the model again,
/// after `RENAME TO` or `SET SCHEMA`: the text is what creates it.
fn named_in_text(schema: &mut Schema, pos: usize) -> Fallible<()> {
    let d = schema.dialect;
    let object = &schema.opaque[pos];
    if d != Dialect::Postgres || matches!(object.kind, OpaqueKind::Operator | OpaqueKind::Cast) {
        return Ok(());
    }
    let sql = object.definition.sql().to_string();
    if object.kind == OpaqueKind::Domain
        && let Some(renamed) = super::domain::renamed(&sql, &object.name)
    {
        return redefine(schema, pos, renamed);
    }
    let tokens = super::scan::tokenize(&sql, d)?;
    let mut c = Cursor::new(&tokens, d);
    c.eat(&["CREATE"]);
    c.eat(&["OR", "REPLACE"]);
    c.eat(&["CONSTRAINT"]);
    if opaque_kind(&mut c, "CREATE").ok().flatten() != Some(object.kind) {
        return Ok(());
    }
    c.eat(&["IF", "NOT", "EXISTS"]);
    let from = tokens.offsets.get(c.pos).copied().unwrap_or(sql.len());
    c.qualified()?;
    let to = tokens.offsets.get(c.pos).copied().unwrap_or(sql.len());
    let written = sql.get(from..to).unwrap_or_default();
    let gap = &written[written.trim_end().len()..];
    let name = crate::dialect::quote::qualified(&object.name, d);
    let renamed = format!("{}{name}{gap}{}", &sql[..from], &sql[to..]);
    redefine(schema, pos, renamed)
}

/// `ENABLE [REPLICA | ALWAYS]` or `DISABLE`, consumed.
pub(super) fn firing(c: &mut Cursor<'_>) -> Option<Firing> {
    if c.eat(&["DISABLE"]) {
        Some(Firing::Disabled)
    } else if c.eat(&["ENABLE", "REPLICA"]) {
        Some(Firing::Replica)
    } else if c.eat(&["ENABLE", "ALWAYS"]) {
        Some(Firing::Always)
    } else if c.eat(&["ENABLE"]) {
        Some(Firing::Origin)
    } else {
        None
    }
}

/// References follow a renamed object, as the server's follow its oid.
pub(super) fn rename_references(
    schema: &mut Schema,
    kind: RefKind,
    old: &QualifiedName,
    new: &str,
) {
    let d = schema.dialect;
    for o in &mut schema.opaque {
        for r in &mut o.references {
            if r.kind == kind && r.name.same_as(old, d) {
                r.name.name = new.to_string();
            }
        }
    }
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

/// `ALTER INDEX i ALTER [COLUMN] n SET STATISTICS k`, as pg_dump writes it
/// after an expression index: the server takes it on expression columns
/// only, and lowers a target above 10000 to 10000.
fn alter_index_statistics(
    schema: &mut Schema,
    name: &QualifiedName,
    if_exists: bool,
    c: &mut Cursor<'_>,
) -> Fallible<Outcome> {
    let number = |c: &mut Cursor<'_>| {
        let negative = c.eat_sym("-");
        match c.next() {
            Some(Tok::Num(n)) => n.parse::<i32>().ok().map(|n| if negative { -n } else { n }),
            _ => None,
        }
    };
    let position = number(c)
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("expected a column number after ALTER COLUMN {}", c.here()))?;
    if !c.eat(&["SET", "STATISTICS"]) {
        return Err(format!(
            "ALTER INDEX … ALTER COLUMN {} is not modelled",
            c.here()
        ));
    }
    let target =
        number(c).ok_or_else(|| format!("expected a number after SET STATISTICS {}", c.here()))?;
    if target < -1 {
        return Err(format!("statistics target {target} is too low"));
    }
    if !c.at_end() {
        return Err(format!(
            "ALTER INDEX … SET STATISTICS {} is not modelled",
            c.here()
        ));
    }
    let d = schema.dialect;
    let Some(index) = schema.indexes.iter_mut().find(|i| i.name.same_as(name, d)) else {
        return if if_exists {
            Ok(Outcome::Applied)
        } else {
            Err(format!(
                "index `{name}` does not exist (statistics of a constraint's index are not modelled)"
            ))
        };
    };
    let partitioned = schema
        .tables
        .iter()
        .any(|t| t.name.same_as(&index.table, d) && t.partition_by.is_some());
    if partitioned {
        // The server sets it on the partitions' copies that exist then, not
        // on those made later: the copies would need a target of their own.
        return Err(format!(
            "statistics of index `{name}` on a partitioned table are not modelled"
        ));
    }
    let slot = usize::try_from(position - 1).unwrap_or(usize::MAX);
    let key_columns = index.columns.len();
    let Some(column) = index.columns.get_mut(slot) else {
        return Err(if slot < key_columns + index.include.len() {
            format!("cannot alter statistics on included column {position} of index `{name}`")
        } else {
            format!("column number {position} of index `{name}` does not exist")
        });
    };
    if matches!(column.expr, crate::schema::IndexExpr::Column(_)) {
        return Err(format!(
            "cannot alter statistics on non-expression column {position} of index `{name}`: \
             alter statistics on the table column instead"
        ));
    }
    column.statistics = (target != -1).then_some(target.min(10000));
    Ok(Outcome::Applied)
}

fn alter_type(schema: &mut Schema, c: &mut Cursor<'_>, name: &QualifiedName) -> Fallible<Outcome> {
    let d = schema.dialect;
    if c.eat(&["OWNER"]) {
        return Ok(Outcome::Applied);
    }
    if c.eat(&["RENAME", "TO"]) {
        super::renames::rename_type(schema, name, &c.ident()?)?;
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
        let name = e.name.clone();
        super::renames::rename_enum_value(schema, &name, &old, &new)?;
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

fn comment(schema: &mut Schema, text: &str, c: &mut Cursor<'_>) -> Fallible<Outcome> {
    let d = schema.dialect;
    let target = if c.eat(&["TABLE"]) {
        Target::Table
    } else if c.eat(&["COLUMN"]) {
        Target::Column
    } else {
        return super::comments::apply(schema, text, c);
    };
    let mut parts = vec![c.ident()?];
    while c.eat_sym(".") {
        parts.push(c.ident()?);
    }
    let text = super::comments::comment_text(c)?;
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
            if schema.table(&name).is_none() && schema.view(&name).is_some() {
                return super::comments::view_column(schema, &name, &column, text);
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
