//! Text search configurations (`pg_ts_config`, `pg_ts_config_map`) and
//! dictionaries (`pg_ts_dict`), read into the data the interpreter builds
//! from their SQL. Those of an extension are the extension's.

use std::collections::BTreeMap;

use migrate_build::dialect::postgres::text_search;
use migrate_build::dialect::quote;
use migrate_build::schema::{
    Definition, ObjectRef, OpaqueKind, OpaqueObject, QualifiedName, RefKind, TextSearch,
};

use super::{Context, IntrospectError, get, not_in_extension, qualified};

pub(super) fn read(
    cx: &mut Context<'_>,
    out: &mut Vec<OpaqueObject>,
) -> Result<(), IntrospectError> {
    let what = "text search dictionaries";
    let sql = format!(
        "SELECT n.nspname::text, d.dictname::text, tn.nspname::text, t.tmplname::text,
                d.dictinitoption, obj_description(d.oid, 'pg_ts_dict')
         FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace
         JOIN pg_ts_template t ON t.oid = d.dicttemplate
         JOIN pg_namespace tn ON tn.oid = t.tmplnamespace
         WHERE d.dictnamespace = ANY($1) AND {}
         ORDER BY 1, 2",
        not_in_extension("pg_ts_dict", "d")
    );
    for row in cx.query(what, &sql)? {
        let name = qualified(
            &get::<String>(&row, 0, what)?,
            &get::<String>(&row, 1, what)?,
        );
        let template = qualified(
            &get::<String>(&row, 2, what)?,
            &get::<String>(&row, 3, what)?,
        );
        let options = init_options(&get::<Option<String>>(&row, 4, what)?.unwrap_or_default())
            .ok_or_else(|| IntrospectError::Unexpected {
                what: "text search dictionary options",
                value: name.to_string(),
            })?;
        let mut o = object(
            OpaqueKind::TextSearchDictionary,
            name,
            TextSearch::Dictionary { template, options },
        );
        o.comment = get(&row, 5, what)?;
        out.push(o);
    }
    let what = "text search configuration mappings";
    let sql = "SELECT m.mapcfg, t.alias::text, dn.nspname::text, d.dictname::text
         FROM pg_ts_config_map m JOIN pg_ts_config c ON c.oid = m.mapcfg
         JOIN LATERAL ts_token_type(c.cfgparser) t ON t.tokid = m.maptokentype
         JOIN pg_ts_dict d ON d.oid = m.mapdict
         JOIN pg_namespace dn ON dn.oid = d.dictnamespace
         WHERE c.cfgnamespace = ANY($1)
         ORDER BY 1, 2, m.mapseqno";
    let mut maps: BTreeMap<u32, BTreeMap<String, Vec<QualifiedName>>> = BTreeMap::new();
    for row in cx.query(what, sql)? {
        let dict = qualified(
            &get::<String>(&row, 2, what)?,
            &get::<String>(&row, 3, what)?,
        );
        maps.entry(get(&row, 0, what)?)
            .or_default()
            .entry(get(&row, 1, what)?)
            .or_default()
            .push(dict);
    }
    let what = "text search configurations";
    let sql = format!(
        "SELECT c.oid, n.nspname::text, c.cfgname::text, pn.nspname::text, p.prsname::text,
                obj_description(c.oid, 'pg_ts_config')
         FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
         JOIN pg_ts_parser p ON p.oid = c.cfgparser
         JOIN pg_namespace pn ON pn.oid = p.prsnamespace
         WHERE c.cfgnamespace = ANY($1) AND {}
         ORDER BY 2, 3",
        not_in_extension("pg_ts_config", "c")
    );
    for row in cx.query(what, &sql)? {
        let oid: u32 = get(&row, 0, what)?;
        let name = qualified(
            &get::<String>(&row, 1, what)?,
            &get::<String>(&row, 2, what)?,
        );
        let parser = qualified(
            &get::<String>(&row, 3, what)?,
            &get::<String>(&row, 4, what)?,
        );
        let mappings = maps.remove(&oid).unwrap_or_default();
        let mut o = object(
            OpaqueKind::TextSearchConfiguration,
            name,
            TextSearch::Configuration { parser, mappings },
        );
        o.comment = get(&row, 5, what)?;
        out.push(o);
    }
    Ok(())
}

fn object(kind: OpaqueKind, name: QualifiedName, ts: TextSearch) -> OpaqueObject {
    let sql = text_search::create(&name, &ts).join(";\n") + ";";
    let mut o = OpaqueObject::new(kind, name, None, Definition::database(sql));
    o.references = ts
        .dictionaries()
        .into_iter()
        .map(|name| ObjectRef {
            kind: RefKind::TextSearchDictionary,
            name: name.clone(),
        })
        .collect();
    o.text_search = Some(ts);
    o
}

/// `dictinitoption` as the server writes it: `name = 'value', name = 1.5`,
/// a name quoted as an identifier where needed, a string value with `''`
/// (or `E'…'` with `\\`). Values come back in the interpreter's spelling.
fn init_options(text: &str) -> Option<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while chars.get(*i).is_some_and(|c| c.is_whitespace()) {
            *i += 1;
        }
    };
    loop {
        skip_space(&mut i);
        if i >= chars.len() {
            return Some(out);
        }
        let mut name = String::new();
        if chars[i] == '"' {
            i += 1;
            loop {
                match (chars.get(i), chars.get(i + 1)) {
                    (Some('"'), Some('"')) => {
                        name.push('"');
                        i += 2;
                    }
                    (Some('"'), _) => {
                        i += 1;
                        break;
                    }
                    (Some(c), _) => {
                        name.push(*c);
                        i += 1;
                    }
                    (None, _) => return None,
                }
            }
        } else {
            while chars
                .get(i)
                .is_some_and(|c| !c.is_whitespace() && *c != '=')
            {
                name.push(chars[i]);
                i += 1;
            }
        }
        skip_space(&mut i);
        if chars.get(i) != Some(&'=') {
            return None;
        }
        i += 1;
        skip_space(&mut i);
        let escaped = chars.get(i) == Some(&'E') && chars.get(i + 1) == Some(&'\'');
        if escaped {
            i += 1;
        }
        let value = if chars.get(i) == Some(&'\'') {
            i += 1;
            let mut s = String::new();
            loop {
                match (chars.get(i), chars.get(i + 1)) {
                    (Some('\''), Some('\'')) => {
                        s.push('\'');
                        i += 2;
                    }
                    (Some('\''), _) => {
                        i += 1;
                        break;
                    }
                    (Some('\\'), Some(c)) if escaped => {
                        s.push(*c);
                        i += 2;
                    }
                    (Some(c), _) => {
                        s.push(*c);
                        i += 1;
                    }
                    (None, _) => return None,
                }
            }
            quote::string(&s)
        } else {
            let mut n = String::new();
            while chars
                .get(i)
                .is_some_and(|c| *c != ',' && !c.is_whitespace())
            {
                n.push(chars[i]);
                i += 1;
            }
            n
        };
        out.insert(name, value);
        skip_space(&mut i);
        match chars.get(i) {
            Some(',') => i += 1,
            None => return Some(out),
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::init_options;

    #[test]
    fn options_read_as_the_server_writes_them() {
        let o = init_options("language = 'english', \"Odd\" = 'it''s', n = -1.5").unwrap();
        assert_eq!(o["language"], "'english'");
        assert_eq!(o["Odd"], "'it''s'");
        assert_eq!(o["n"], "-1.5");
        assert_eq!(init_options("x = E'a\\\\b'").unwrap()["x"], "'a\\b'");
        assert!(init_options("").unwrap().is_empty());
        assert!(init_options("x 'y'").is_none());
    }
}
