//! Text search configurations and dictionaries as the interpreter reads
//! them: the data the server stores, and the forms it refuses.

use super::*;
use crate::schema::{OpaqueKind, QualifiedName, TextSearch};

fn pg(sql: &str) -> Result<Schema, DdlError> {
    let file = SourceFile {
        path: "schema.sql",
        sql,
    };
    parse_schema(Dialect::Postgres, &[file]).map(|(s, _)| s)
}

fn held(sql: &str, kind: OpaqueKind, name: &str) -> TextSearch {
    let s = pg(sql).unwrap_or_else(|e| panic!("{e}"));
    s.opaque
        .iter()
        .find(|o| o.kind == kind && o.name.name == name)
        .and_then(|o| o.text_search.clone())
        .unwrap_or_else(|| panic!("no {kind:?} {name} in {:?}", s.opaque))
}

fn mappings(sql: &str, name: &str) -> Vec<(String, Vec<String>)> {
    match held(sql, OpaqueKind::TextSearchConfiguration, name) {
        TextSearch::Configuration { mappings, .. } => mappings
            .into_iter()
            .map(|(t, d)| (t, d.iter().map(|n| n.to_string()).collect()))
            .collect(),
        other => panic!("{other:?}"),
    }
}

fn err(sql: &str) -> DdlError {
    match pg(sql) {
        Ok(s) => panic!("expected an error, got {:?}", s.opaque),
        Err(e) => e,
    }
}

fn m(token: &str, dicts: &[&str]) -> (String, Vec<String>) {
    (
        token.to_string(),
        dicts.iter().map(|d| d.to_string()).collect(),
    )
}

#[test]
fn mappings_are_token_types_to_ordered_dictionaries() {
    let sql = "CREATE EXTENSION unaccent;
        CREATE TEXT SEARCH CONFIGURATION public.u ( PARSER = pg_catalog.\"default\" );
        ALTER TEXT SEARCH CONFIGURATION public.u ADD MAPPING FOR asciiword, word WITH public.unaccent, simple;
        ALTER TEXT SEARCH CONFIGURATION u ADD MAPPING FOR email WITH pg_catalog.simple;
        ALTER TEXT SEARCH CONFIGURATION u ALTER MAPPING FOR word WITH english_stem;
        ALTER TEXT SEARCH CONFIGURATION u ALTER MAPPING FOR \"int\" WITH simple;
        ALTER TEXT SEARCH CONFIGURATION u DROP MAPPING FOR email;
        ALTER TEXT SEARCH CONFIGURATION u DROP MAPPING IF EXISTS FOR tag;";
    assert_eq!(
        mappings(sql, "u"),
        vec![
            m("asciiword", &["unaccent", "pg_catalog.simple"]),
            m("int", &["pg_catalog.simple"]),
            m("word", &["pg_catalog.english_stem"]),
        ]
    );
}

#[test]
fn copy_takes_the_copied_configurations_mappings() {
    let sql = "CREATE TEXT SEARCH DICTIONARY nostop (TEMPLATE = snowball, language = english);
        CREATE TEXT SEARCH CONFIGURATION a (COPY = pg_catalog.english);
        ALTER TEXT SEARCH CONFIGURATION a ALTER MAPPING REPLACE english_stem WITH nostop;
        CREATE TEXT SEARCH CONFIGURATION b (COPY = public.a);
        CREATE TEXT SEARCH CONFIGURATION r (COPY = russian);";
    let a = mappings(sql, "a");
    assert_eq!(a.len(), 19);
    assert!(a.contains(&m("hword", &["nostop"])));
    assert!(a.contains(&m("uint", &["pg_catalog.simple"])));
    assert!(!a.iter().any(|(t, _)| t == "blank" || t == "tag"));
    assert_eq!(mappings(sql, "b"), a);
    let r = mappings(sql, "r");
    assert!(r.contains(&m("asciiword", &["pg_catalog.english_stem"])));
    assert!(r.contains(&m("word", &["pg_catalog.russian_stem"])));
}

#[test]
fn dictionary_options_are_kept_as_the_server_prints_them() {
    let sql = "CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = snowball, Language = english, StopWords = 'english', n = -2);
        ALTER TEXT SEARCH DICTIONARY d (stopwords, x = 1.5);";
    let TextSearch::Dictionary { template, options } =
        held(sql, OpaqueKind::TextSearchDictionary, "d")
    else {
        panic!("not a dictionary");
    };
    assert_eq!(
        template,
        QualifiedName::with_schema(Some("pg_catalog".into()), "snowball")
    );
    let options: Vec<(String, String)> = options.into_iter().collect();
    assert_eq!(
        options,
        vec![
            ("language".into(), "'english'".into()),
            ("n".into(), "-2".into()),
            ("x".into(), "1.5".into()),
        ]
    );
}

#[test]
fn a_renamed_dictionary_is_followed_by_the_mappings() {
    let sql = "CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = simple);
        CREATE TEXT SEARCH CONFIGURATION c (PARSER = default);
        ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR word WITH d;
        ALTER TEXT SEARCH DICTIONARY d RENAME TO e;
        ALTER TEXT SEARCH CONFIGURATION c OWNER TO someone;";
    assert_eq!(mappings(sql, "c"), vec![m("word", &["e"])]);
    let e = err(&format!("{sql}\nDROP TEXT SEARCH DICTIONARY e;"));
    assert!(e.message.contains("depend"), "{}", e.message);
    let s = pg(&format!("{sql}\nDROP TEXT SEARCH DICTIONARY e CASCADE;")).unwrap();
    assert!(s.opaque.is_empty(), "{:?}", s.opaque);
}

#[test]
fn what_the_server_refuses_or_the_model_does_not_hold_is_refused() {
    let parser = err(
        "CREATE TABLE t (a int);\n  CREATE TEXT SEARCH PARSER p (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, LEXTYPES = prsd_lextype);",
    );
    assert_eq!((parser.line, parser.column), (2, 3));
    assert!(
        parser
            .message
            .contains("TEXT SEARCH PARSER is not modelled"),
        "{}",
        parser.message
    );
    let template = err("CREATE TEXT SEARCH TEMPLATE t (LEXIZE = dsimple_lexize);");
    assert!(
        template
            .message
            .contains("TEXT SEARCH TEMPLATE is not modelled")
    );
    for (sql, said) in [
        (
            "CREATE TEXT SEARCH CONFIGURATION c (PARSER = default); ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR nosuch WITH simple;",
            "token type `nosuch` does not exist",
        ),
        (
            "CREATE TEXT SEARCH CONFIGURATION c (PARSER = default); ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR word WITH simple; ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR word WITH simple;",
            "already exists",
        ),
        (
            "CREATE TEXT SEARCH CONFIGURATION c (PARSER = default); ALTER TEXT SEARCH CONFIGURATION c DROP MAPPING FOR word;",
            "does not exist",
        ),
        (
            "CREATE TEXT SEARCH CONFIGURATION c (COPY = nosuch);",
            "`nosuch` does not exist",
        ),
        (
            "CREATE TEXT SEARCH CONFIGURATION c (PARSER = other.p);",
            "is not modelled",
        ),
        (
            "CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = simple); ALTER TEXT SEARCH DICTIONARY d (template = snowball);",
            "template cannot be changed",
        ),
        (
            "CREATE TEXT SEARCH DICTIONARY d (language = english);",
            "names no TEMPLATE",
        ),
    ] {
        let e = err(sql);
        assert!(e.message.contains(said), "{sql}: {}", e.message);
    }
}

#[test]
fn a_regconfig_literal_is_a_reference_to_the_configuration() {
    let s = pg("CREATE TEXT SEARCH CONFIGURATION docs (COPY = simple);
        CREATE FUNCTION f(q text, cfg regconfig DEFAULT 'public.docs'::regconfig) RETURNS tsquery
            LANGUAGE sql AS $$ SELECT to_tsquery(cfg, q) $$;
        CREATE FUNCTION g(q text) RETURNS tsquery
            LANGUAGE sql RETURN to_tsquery('english'::pg_catalog.regconfig, q);")
    .unwrap_or_else(|e| panic!("{e}"));
    let refs = |name: &str| {
        s.opaque
            .iter()
            .find(|o| o.kind == OpaqueKind::Function && o.name.name == name)
            .map(|o| o.references.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        refs("f"),
        vec![crate::schema::ObjectRef {
            kind: crate::schema::RefKind::TextSearchConfiguration,
            name: QualifiedName::new("docs"),
        }]
    );
    // A built-in configuration is no object of the schema.
    assert!(refs("g").is_empty(), "{:?}", refs("g"));
}

#[test]
fn sqlite_has_no_text_search_objects() {
    let file = SourceFile {
        path: "schema.sql",
        sql: "CREATE TEXT SEARCH CONFIGURATION c (COPY = simple);",
    };
    let e = parse_schema(Dialect::Sqlite, &[file])
        .map(|_| ())
        .unwrap_err();
    assert!(e.message.contains("PostgreSQL's"), "{}", e.message);
}
