//! Text search configurations and dictionaries as SQL: a configuration is
//! created with its parser and then given its mappings, one `ADD MAPPING`
//! per set of token types sharing their dictionaries; a changed one gets
//! `ADD`/`ALTER`/`DROP MAPPING` in place (columns and indexes that name it
//! keep it).

use std::collections::BTreeMap;

use crate::dialect::Dialect;
use crate::dialect::quote::{ident, qualified};
use crate::schema::{QualifiedName, TextSearch};

const PG: Dialect = Dialect::Postgres;

/// The statements that create `name` as `ts` says.
pub fn create(name: &QualifiedName, ts: &TextSearch) -> Vec<String> {
    let target = qualified(name, PG);
    match ts {
        TextSearch::Configuration { parser, mappings } => {
            let mut out = vec![format!(
                "CREATE TEXT SEARCH CONFIGURATION {target} (PARSER = {})",
                qualified(parser, PG)
            )];
            out.extend(grouped(mappings.iter().map(|(t, d)| (t, d.as_slice()))).map(
                |(tokens, dicts)| {
                    format!(
                        "ALTER TEXT SEARCH CONFIGURATION {target} ADD MAPPING FOR {tokens} WITH {dicts}"
                    )
                },
            ));
            out
        }
        TextSearch::Dictionary { template, options } => {
            let mut parts = vec![format!("TEMPLATE = {}", qualified(template, PG))];
            parts.extend(
                options
                    .iter()
                    .map(|(k, v)| format!("{} = {v}", ident(k, PG))),
            );
            vec![format!(
                "CREATE TEXT SEARCH DICTIONARY {target} ({})",
                parts.join(", ")
            )]
        }
    }
}

/// The statements that turn `previous` into `next` in place; the differ
/// asks only when [`TextSearch::alterable_to`] holds.
pub(crate) fn alter(name: &QualifiedName, previous: &TextSearch, next: &TextSearch) -> Vec<String> {
    let target = qualified(name, PG);
    match (previous, next) {
        (
            TextSearch::Configuration { mappings: old, .. },
            TextSearch::Configuration { mappings: new, .. },
        ) => {
            let dropped: Vec<&String> = old.keys().filter(|t| !new.contains_key(*t)).collect();
            let mut out = Vec::new();
            if !dropped.is_empty() {
                let tokens: Vec<String> = dropped.iter().map(|t| ident(t, PG)).collect();
                out.push(format!(
                    "ALTER TEXT SEARCH CONFIGURATION {target} DROP MAPPING FOR {}",
                    tokens.join(", ")
                ));
            }
            let added = new
                .iter()
                .filter(|(t, _)| !old.contains_key(*t))
                .map(|(t, d)| (t, d.as_slice()));
            out.extend(grouped(added).map(|(tokens, dicts)| {
                format!(
                    "ALTER TEXT SEARCH CONFIGURATION {target} ADD MAPPING FOR {tokens} WITH {dicts}"
                )
            }));
            let changed = new
                .iter()
                .filter(|(t, d)| old.get(*t).is_some_and(|o| o != *d))
                .map(|(t, d)| (t, d.as_slice()));
            out.extend(grouped(changed).map(|(tokens, dicts)| {
                format!(
                    "ALTER TEXT SEARCH CONFIGURATION {target} ALTER MAPPING FOR {tokens} WITH {dicts}"
                )
            }));
            out
        }
        (
            TextSearch::Dictionary { options: old, .. },
            TextSearch::Dictionary { options: new, .. },
        ) => {
            let mut parts: Vec<String> = old
                .keys()
                .filter(|k| !new.contains_key(*k))
                .map(|k| ident(k, PG))
                .collect();
            parts.extend(
                new.iter()
                    .filter(|(k, v)| old.get(*k) != Some(*v))
                    .map(|(k, v)| format!("{} = {v}", ident(k, PG))),
            );
            if parts.is_empty() {
                Vec::new()
            } else {
                vec![format!(
                    "ALTER TEXT SEARCH DICTIONARY {target} ({})",
                    parts.join(", ")
                )]
            }
        }
        // Not alterable: the differ drops and creates such an object.
        (TextSearch::Configuration { .. }, TextSearch::Dictionary { .. })
        | (TextSearch::Dictionary { .. }, TextSearch::Configuration { .. }) => Vec::new(),
    }
}

/// Token types with the same dictionaries, together: (`a, b`, `d1, d2`),
/// in the order of their first token type.
fn grouped<'a>(
    mappings: impl Iterator<Item = (&'a String, &'a [QualifiedName])>,
) -> impl Iterator<Item = (String, String)> {
    let mut groups: Vec<(Vec<&'a String>, &'a [QualifiedName])> = Vec::new();
    let mut by_dicts: BTreeMap<&'a [QualifiedName], usize> = BTreeMap::new();
    for (token, dicts) in mappings {
        match by_dicts.get(dicts) {
            Some(&i) => groups[i].0.push(token),
            None => {
                by_dicts.insert(dicts, groups.len());
                groups.push((vec![token], dicts));
            }
        }
    }
    groups.into_iter().map(|(tokens, dicts)| {
        let tokens: Vec<String> = tokens.iter().map(|t| ident(t, PG)).collect();
        let dicts: Vec<String> = dicts.iter().map(|d| qualified(d, PG)).collect();
        (tokens.join(", "), dicts.join(", "))
    })
}
