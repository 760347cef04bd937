//! `CREATE`/`ALTER TEXT SEARCH CONFIGURATION|DICTIONARY`: read into
//! [`TextSearch`] as the server stores it. `COPY = other` copies the other
//! configuration's parser and mappings (a built-in one's from the table in
//! the model); a mapping is the ordered list of dictionaries of one token
//! type. Parsers and templates are C functions: not modelled.

use std::collections::BTreeMap;

use super::scan::{Cursor, Tok};
use super::{Fallible, Outcome, names};
use crate::schema::{
    DEFAULT_PARSER_TOKENS, Definition, ObjectRef, OpaqueKind, OpaqueObject, PG_CATALOG,
    QualifiedName, RefKind, Schema, TextSearch, built_in_configuration, default_parser,
    is_built_in_dictionary,
};

/// The kind after `TEXT SEARCH`, the cursor on `TEXT`; `PARSER` and
/// `TEMPLATE` are refused.
pub(super) fn kind(c: &mut Cursor<'_>, verb: &str) -> Option<Fallible<OpaqueKind>> {
    if !(c.peek()?.is_kw("TEXT") && c.peek_at(1)?.is_kw("SEARCH")) {
        return None;
    }
    let kind = match c.peek_at(2) {
        Some(t) if t.is_kw("CONFIGURATION") => OpaqueKind::TextSearchConfiguration,
        Some(t) if t.is_kw("DICTIONARY") => OpaqueKind::TextSearchDictionary,
        Some(t) if t.is_kw("PARSER") || t.is_kw("TEMPLATE") => {
            let what = super::scan::describe(t).to_ascii_uppercase();
            return Some(Err(format!(
                "{verb} TEXT SEARCH {what} is not modelled: text search parsers and templates \
                 are C functions; install them with the extension that provides them"
            )));
        }
        _ => return None,
    };
    c.pos += 3;
    Some(Ok(kind))
}

/// `CREATE TEXT SEARCH CONFIGURATION|DICTIONARY name (…)`, the cursor on
/// the name.
pub(super) fn create(
    schema: &mut Schema,
    c: &mut Cursor<'_>,
    kind: OpaqueKind,
) -> Fallible<Outcome> {
    let d = schema.dialect;
    if d != crate::dialect::Dialect::Postgres {
        return Err(format!(
            "CREATE {} is PostgreSQL's: {d} has no text search objects",
            kind.as_sql()
        ));
    }
    let name = c.qualified()?;
    if schema
        .opaque
        .iter()
        .any(|o| o.kind == kind && o.name.same_as(&name, d))
    {
        return Err(format!(
            "{} `{name}` already exists",
            kind.as_sql().to_ascii_lowercase()
        ));
    }
    let options = definition_list(c)?;
    let ts = match kind {
        OpaqueKind::TextSearchConfiguration => configuration(schema, &name, options)?,
        _ => dictionary(&name, options)?,
    };
    let mut object = OpaqueObject::new(kind, name, None, Definition::source(""));
    set(&mut object, ts);
    schema.opaque.push(object);
    Ok(Outcome::Applied)
}

/// `ALTER TEXT SEARCH CONFIGURATION … ADD|ALTER|DROP MAPPING …` and
/// `ALTER TEXT SEARCH DICTIONARY … (option = value, …)` on `schema.opaque[pos]`;
/// `None` for the forms every object has (`RENAME TO`, `OWNER TO`, `SET SCHEMA`).
pub(super) fn alter(
    schema: &mut Schema,
    c: &mut Cursor<'_>,
    pos: usize,
) -> Option<Fallible<Outcome>> {
    let object = &schema.opaque[pos];
    let ts = object.text_search.clone()?;
    let next = match ts {
        TextSearch::Dictionary {
            template,
            mut options,
        } => {
            if !c.peek().is_some_and(|t| t.is_sym("(")) {
                return None;
            }
            let written = match definition_list(c) {
                Ok(w) => w,
                Err(e) => return Some(Err(e)),
            };
            for (key, value) in written {
                if key == "template" {
                    return Some(Err(
                        "a text search dictionary's template cannot be changed: drop it and \
                         create it again"
                            .into(),
                    ));
                }
                options.remove(&key);
                if let Some(value) = value {
                    options.insert(key, value);
                }
            }
            TextSearch::Dictionary { template, options }
        }
        TextSearch::Configuration { parser, mappings } => {
            if !(c
                .peek()
                .is_some_and(|t| t.is_kw("ADD") || t.is_kw("ALTER") || t.is_kw("DROP"))
                && c.peek_at(1).is_some_and(|t| t.is_kw("MAPPING")))
            {
                return None;
            }
            match mapping(schema, c, &parser, mappings) {
                Ok(mappings) => TextSearch::Configuration { parser, mappings },
                Err(e) => return Some(Err(e)),
            }
        }
    };
    set(&mut schema.opaque[pos], next);
    Some(Ok(Outcome::Applied))
}

/// Gives `object` what it holds, and the definition and references that
/// follow from it.
fn set(object: &mut OpaqueObject, ts: TextSearch) {
    let sql = crate::dialect::postgres::text_search::create(&object.name, &ts).join(";\n") + ";";
    object.definition = Definition::source_keyed(sql.clone(), sql);
    object.references = ts
        .dictionaries()
        .into_iter()
        .map(|name| ObjectRef {
            kind: RefKind::TextSearchDictionary,
            name: name.clone(),
        })
        .collect();
    object.text_search = Some(ts);
}

/// `( key = value, … )`: keys folded, values as the server prints them
/// (`None` for a key alone, which `ALTER … DICTIONARY` reads as a reset).
fn definition_list(c: &mut Cursor<'_>) -> Fallible<Vec<(String, Option<String>)>> {
    if !c.eat_sym("(") {
        return Err(format!("expected `(` {}", c.here()));
    }
    let mut out = Vec::new();
    loop {
        let key = c.ident()?;
        let value = if c.eat_sym("=") {
            Some(option_value(c)?)
        } else {
            None
        };
        out.push((key, value));
        if c.eat_sym(")") {
            break;
        }
        if !c.eat_sym(",") {
            return Err(format!("expected `,` or `)` {}", c.here()));
        }
    }
    if !(c.at_end() || c.peek().is_some_and(|t| t.is_sym(";"))) {
        return Err(format!("unexpected {}", c.here()));
    }
    Ok(out)
}

/// A value: a number stays a number, anything else is a string, as
/// `pg_ts_dict.dictinitoption` keeps it. A name is kept as SQL text too
/// (`PARSER = pg_catalog."default"`), for the caller to read again.
fn option_value(c: &mut Cursor<'_>) -> Fallible<String> {
    let negative = c.eat_sym("-");
    let sign = if negative { "-" } else { "" };
    match c.next() {
        Some(Tok::Num(n)) => Ok(format!("{sign}{n}")),
        Some(Tok::Str(s)) if !negative => Ok(crate::dialect::quote::string(s)),
        Some(Tok::Word { text, quoted }) if !negative => {
            let mut parts = vec![names::fold(text, *quoted, c.dialect)];
            while c.peek().is_some_and(|t| t.is_sym(".")) {
                c.next();
                parts.push(c.ident()?);
            }
            Ok(crate::dialect::quote::string(&parts.join(".")))
        }
        _ => {
            c.pos = c.pos.saturating_sub(1);
            Err(format!("expected a value {}", c.here()))
        }
    }
}

/// `pg_catalog.x`, `public.x` or `x` as a name; `x` is looked up in
/// `pg_catalog` first when `built_in` says it is there, as the server does.
fn name_of(value: &str, built_in: impl Fn(&str) -> bool) -> QualifiedName {
    let text = value
        .strip_prefix('\'')
        .and_then(|v| v.strip_suffix('\''))
        .unwrap_or(value)
        .replace("''", "'");
    let parts: Vec<String> = text.split('.').map(str::to_string).collect();
    let name = names::qualify(parts, crate::dialect::Dialect::Postgres);
    match name.schema {
        None if built_in(&name.name) => {
            QualifiedName::with_schema(Some(PG_CATALOG.to_string()), name.name)
        }
        _ => name,
    }
}

fn configuration(
    schema: &Schema,
    name: &QualifiedName,
    options: Vec<(String, Option<String>)>,
) -> Fallible<TextSearch> {
    match options.as_slice() {
        [(key, Some(value))] if key == "parser" => {
            let parser = name_of(value, |n| n == "default");
            if parser != default_parser() {
                return Err(format!(
                    "text search configuration `{name}`: parser `{parser}` is not modelled \
                     (only pg_catalog.default, whose token types are known)"
                ));
            }
            Ok(TextSearch::Configuration {
                parser,
                mappings: BTreeMap::new(),
            })
        }
        [(key, Some(value))] if key == "copy" => {
            let source = name_of(value, |n| built_in_configuration(n).is_some());
            if source.schema.as_deref() == Some(PG_CATALOG) {
                return built_in_configuration(&source.name)
                    .ok_or_else(|| format!("text search configuration `{source}` does not exist"));
            }
            schema
                .opaque
                .iter()
                .find(|o| {
                    o.kind == OpaqueKind::TextSearchConfiguration
                        && o.name.same_as(&source, schema.dialect)
                })
                .and_then(|o| o.text_search.clone())
                .ok_or_else(|| format!("text search configuration `{source}` does not exist"))
        }
        _ => Err(format!(
            "CREATE TEXT SEARCH CONFIGURATION `{name}` takes one of PARSER = … or COPY = …"
        )),
    }
}

fn dictionary(
    name: &QualifiedName,
    options: Vec<(String, Option<String>)>,
) -> Fallible<TextSearch> {
    let mut template = None;
    let mut rest = BTreeMap::new();
    for (key, value) in options {
        let Some(value) = value else {
            return Err(format!(
                "text search dictionary `{name}`: option `{key}` has no value"
            ));
        };
        if key == "template" {
            template = Some(name_of(&value, |n| {
                crate::schema::BUILT_IN_TEMPLATES.contains(&n)
            }));
        } else {
            rest.insert(key, value);
        }
    }
    let template =
        template.ok_or_else(|| format!("text search dictionary `{name}` names no TEMPLATE"))?;
    Ok(TextSearch::Dictionary {
        template,
        options: rest,
    })
}

/// `ADD MAPPING FOR t, … WITH d, …`, `ALTER MAPPING FOR t, … WITH d, …`,
/// `ALTER MAPPING [FOR t, …] REPLACE old WITH new`, `DROP MAPPING [IF
/// EXISTS] FOR t, …`, the cursor on `ADD`/`ALTER`/`DROP`.
fn mapping(
    schema: &Schema,
    c: &mut Cursor<'_>,
    parser: &QualifiedName,
    mut mappings: BTreeMap<String, Vec<QualifiedName>>,
) -> Fallible<BTreeMap<String, Vec<QualifiedName>>> {
    let verb = c.next().map(super::scan::describe).unwrap_or_default();
    let verb = verb.to_ascii_uppercase();
    c.expect(&["MAPPING"])?;
    let if_exists = verb == "DROP" && c.eat(&["IF", "EXISTS"]);
    let tokens = if c.eat(&["FOR"]) {
        let mut tokens = vec![token(c, parser)?];
        while c.eat_sym(",") {
            tokens.push(token(c, parser)?);
        }
        Some(tokens)
    } else {
        None
    };
    match (verb.as_str(), tokens) {
        ("DROP", Some(tokens)) => {
            for t in tokens {
                if mappings.remove(&t).is_none() && !if_exists {
                    return Err(format!("mapping for token type `{t}` does not exist"));
                }
            }
        }
        ("ALTER", tokens) if c.eat(&["REPLACE"]) => {
            let old = dictionary_name(schema, c)?;
            c.expect(&["WITH"])?;
            let new = dictionary_name(schema, c)?;
            for (t, dicts) in mappings.iter_mut() {
                if tokens.as_ref().is_some_and(|ts| !ts.contains(t)) {
                    continue;
                }
                for x in dicts.iter_mut().filter(|x| **x == old) {
                    *x = new.clone();
                }
            }
        }
        (verb @ ("ADD" | "ALTER"), Some(tokens)) => {
            c.expect(&["WITH"])?;
            let mut dicts = vec![dictionary_name(schema, c)?];
            while c.eat_sym(",") {
                dicts.push(dictionary_name(schema, c)?);
            }
            for t in tokens {
                if verb == "ADD" && mappings.contains_key(&t) {
                    return Err(format!("mapping for token type `{t}` already exists"));
                }
                mappings.insert(t, dicts.clone());
            }
        }
        _ => return Err(format!("expected `FOR` {}", c.here())),
    }
    if !(c.at_end() || c.peek().is_some_and(|t| t.is_sym(";"))) {
        return Err(format!(
            "ALTER TEXT SEARCH CONFIGURATION {} is not modelled",
            c.here()
        ));
    }
    Ok(mappings)
}

/// A token type of `parser`.
fn token(c: &mut Cursor<'_>, parser: &QualifiedName) -> Fallible<String> {
    let t = c.ident()?;
    if *parser == default_parser() && !DEFAULT_PARSER_TOKENS.contains(&t.as_str()) {
        return Err(format!("token type `{t}` does not exist"));
    }
    Ok(t)
}

/// A dictionary as the model names it: a built-in one in `pg_catalog`,
/// one of the schema as it was created; another (an extension's, such as
/// `unaccent`) as written.
fn dictionary_name(schema: &Schema, c: &mut Cursor<'_>) -> Fallible<QualifiedName> {
    let name = c.qualified()?;
    if name.schema.is_none() && is_built_in_dictionary(&name.name) {
        return Ok(QualifiedName::with_schema(
            Some(PG_CATALOG.to_string()),
            name.name,
        ));
    }
    if name.schema.as_deref() == Some(PG_CATALOG) && !is_built_in_dictionary(&name.name) {
        return Err(format!("text search dictionary `{name}` does not exist"));
    }
    Ok(schema
        .opaque
        .iter()
        .find(|o| {
            o.kind == OpaqueKind::TextSearchDictionary && o.name.same_as(&name, schema.dialect)
        })
        .map(|o| o.name.clone())
        .unwrap_or(name))
}

/// After `schema.opaque[pos]` was renamed from `old` (or moved): its
/// definition says its new name, and the configurations mapping a renamed
/// dictionary follow it, as the server's follow its oid.
pub(super) fn renamed(schema: &mut Schema, pos: usize, old: &QualifiedName) {
    let Some(ts) = schema.opaque[pos].text_search.clone() else {
        return;
    };
    set(&mut schema.opaque[pos], ts);
    if schema.opaque[pos].kind != OpaqueKind::TextSearchDictionary {
        return;
    }
    let new = schema.opaque[pos].name.clone();
    let d = schema.dialect;
    for o in &mut schema.opaque {
        let Some(TextSearch::Configuration { parser, mappings }) = o.text_search.clone() else {
            continue;
        };
        let mappings = mappings
            .into_iter()
            .map(|(t, dicts)| {
                let dicts = dicts
                    .into_iter()
                    .map(|x| if x.same_as(old, d) { new.clone() } else { x })
                    .collect();
                (t, dicts)
            })
            .collect();
        set(o, TextSearch::Configuration { parser, mappings });
    }
}
