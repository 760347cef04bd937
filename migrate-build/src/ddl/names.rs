//! Identifier folding, qualified names, and the names PostgreSQL gives
//! constraints, indexes and sequences the source left unnamed.

use sqlparser::ast::{Ident, ObjectName, ObjectNamePart};

use super::Fallible;
use crate::dialect::Dialect;
use crate::schema::{QualifiedName, Schema};

/// PostgreSQL folds unquoted identifiers to lower case (ASCII, as the server
/// does in UTF-8 databases); SQLite keeps the spelling.
/// PostgreSQL also truncates every identifier to 63 bytes.
pub(crate) fn fold(text: &str, quoted: bool, dialect: Dialect) -> String {
    match dialect {
        Dialect::Postgres => {
            let folded = if quoted {
                text.to_string()
            } else {
                text.to_ascii_lowercase()
            };
            truncate(folded)
        }
        Dialect::Sqlite => text.to_string(),
    }
}

fn truncate(mut name: String) -> String {
    if name.len() > MAX_NAME_BYTES {
        let mut cut = MAX_NAME_BYTES;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
    }
    name
}

pub(crate) fn ident(id: &Ident, dialect: Dialect) -> String {
    fold(&id.value, id.quote_style.is_some(), dialect)
}

/// Parts of a dotted name (`[catalog.]schema.name`) → a qualified name, the
/// default schema (`public`, `main`) written as none.
pub(crate) fn qualify(mut parts: Vec<String>, dialect: Dialect) -> QualifiedName {
    let name = parts.pop().unwrap_or_default();
    let schema = parts.pop().filter(|s| !is_default_schema(s, dialect));
    QualifiedName { schema, name }
}

fn is_default_schema(schema: &str, dialect: Dialect) -> bool {
    match dialect {
        Dialect::Postgres => schema == "public",
        Dialect::Sqlite => schema.eq_ignore_ascii_case("main"),
    }
}

pub(crate) fn object_name(name: &ObjectName, dialect: Dialect) -> Fallible<QualifiedName> {
    let parts = name
        .0
        .iter()
        .map(|part| match part {
            ObjectNamePart::Identifier(id) => Ok(ident(id, dialect)),
            ObjectNamePart::Function(_) => Err(format!("`{name}` is not a plain name")),
        })
        .collect::<Fallible<Vec<_>>>()?;
    Ok(qualify(parts, dialect))
}

/// A collation as the catalogs name it: unquoted, without the `pg_catalog`
/// (or default) schema that builtin collations live in; `None` for
/// `"default"`, which is the same as no COLLATE clause.
pub(crate) fn collation(name: &ObjectName, dialect: Dialect) -> Fallible<Option<String>> {
    Ok(collation_of(object_name(name, dialect)?))
}

pub(crate) fn collation_of(mut name: QualifiedName) -> Option<String> {
    if name.schema.as_deref() == Some("pg_catalog") {
        name.schema = None;
    }
    (!(name.schema.is_none() && name.name == "default")).then(|| name.to_string())
}

/// PostgreSQL's identifier limit (NAMEDATALEN - 1).
const MAX_NAME_BYTES: usize = 63;

/// `makeObjectName`: `name1_name2_label`, shortening the longer of name1 and
/// name2 until the whole fits in 63 bytes (never splitting a character).
pub(crate) fn make_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let n2 = name2.unwrap_or_default();
    let avail = MAX_NAME_BYTES.saturating_sub(label.len() + 1 + usize::from(name2.is_some()));
    let mut len1 = name1.len();
    let mut len2 = n2.len();
    while len1 + len2 > avail {
        if len1 > len2 {
            len1 -= 1;
        } else {
            len2 -= 1;
        }
    }
    let clip = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_string()
    };
    let mut out = clip(name1, len1);
    if name2.is_some() {
        out.push('_');
        out.push_str(&clip(n2, len2));
    }
    out.push('_');
    out.push_str(label);
    out
}

/// `ChooseRelationName`/`ChooseConstraintName`: the first of `t_c_key`,
/// `t_c_key1`, `t_c_key2`… not yet taken. What counts as taken depends on
/// what is named (the label says): an index or sequence avoids relation
/// names; a primary key, unique or exclusion constraint (an index too)
/// also avoids every constraint name of the schema; a check or foreign key
/// only avoids constraint names (`ConstraintNameExists` looks through the
/// whole schema, though the name need only be unique per table).
pub(crate) fn choose_name(
    schema: &Schema,
    namespace: Option<&str>,
    name1: &str,
    name2: Option<&str>,
    label: &str,
) -> String {
    let (relation, constraint) = match label {
        "idx" | "seq" => (true, false),
        "check" | "fkey" | "not_null" => (false, true),
        _ => (true, true),
    };
    let mut pass = 0u32;
    loop {
        let label = if pass == 0 {
            label.to_string()
        } else {
            format!("{label}{pass}")
        };
        let candidate = make_object_name(name1, name2, &label);
        let taken = (relation && relation_taken(schema, namespace, &candidate))
            || (constraint && constraint_in_namespace(schema, namespace, &candidate));
        if !taken {
            return candidate;
        }
        pass += 1;
    }
}

/// Whether `pg_class` already has this name in `namespace`: a table,
/// index (index-backed constraints included), sequence, view or composite
/// type. Checks and foreign keys are not relations.
pub(crate) fn relation_taken(schema: &Schema, namespace: Option<&str>, name: &str) -> bool {
    use crate::schema::Alias;
    let d = schema.dialect;
    let in_ns = |q: &QualifiedName| d.same_name(&q.name, name) && q.schema.as_deref() == namespace;
    let same = |n: &Option<String>| n.as_deref().is_some_and(|n| d.same_name(n, name));
    // The lists' indexes give the candidates; each is tested as a scan would.
    let table = |i: usize| {
        let t = &schema.tables[i];
        t.name.schema.as_deref() == namespace
            && (d.same_name(&t.name.name, name)
                || t.primary_key.as_ref().is_some_and(|pk| same(&pk.name))
                || t.uniques.iter().any(|u| same(&u.name)))
    };
    schema
        .tables
        .positions_named(d, namespace, name)
        .into_iter()
        .chain(
            schema
                .tables
                .positions_aliased(d, Alias::RelationConstraint, namespace, name),
        )
        .any(table)
        || named_in(&schema.indexes, d, namespace, name).any(|i| in_ns(&i.name))
        || schema
            .indexes
            .positions_aliased(d, Alias::PartitionCopy, namespace, name)
            .into_iter()
            .any(|i| {
                schema.indexes[i]
                    .partition_copies
                    .iter()
                    .any(|c| c.table.schema.as_deref() == namespace && d.same_name(&c.name, name))
            })
        || copy_of_key_named(schema, namespace, name)
        || named_in(&schema.views, d, namespace, name).any(|v| in_ns(&v.name))
        || named_in(&schema.sequences, d, namespace, name).any(|s| in_ns(&s.name))
        || schema
            .opaque_named(namespace, name)
            .any(|o| o.kind == crate::schema::OpaqueKind::Type && in_ns(&o.name))
}

/// The objects of `list` whose name has `name`'s key (candidates, to test).
fn named_in<'a, T: crate::schema::Named>(
    list: &'a crate::schema::ObjectList<T>,
    d: Dialect,
    namespace: Option<&str>,
    name: &str,
) -> impl Iterator<Item = &'a T> {
    list.positions_named(d, namespace, name)
        .into_iter()
        .map(move |i| &list[i])
}

/// Whether `pg_type` already has this name in `namespace`: an enum,
/// composite type, domain, or the row type of a table or view.
pub(crate) fn type_taken(schema: &Schema, namespace: Option<&str>, name: &str) -> bool {
    use crate::schema::OpaqueKind;
    let d = schema.dialect;
    let in_ns = |q: &QualifiedName| d.same_name(&q.name, name) && q.schema.as_deref() == namespace;
    named_in(&schema.tables, d, namespace, name).any(|t| in_ns(&t.name))
        || named_in(&schema.views, d, namespace, name).any(|v| in_ns(&v.name))
        || named_in(&schema.enums, d, namespace, name).any(|e| in_ns(&e.name))
        || schema
            .opaque_named(namespace, name)
            .any(|o| matches!(o.kind, OpaqueKind::Type | OpaqueKind::Domain) && in_ns(&o.name))
}

/// Whether a partition of `namespace` has a copy of its parent's key of
/// this name (a constraint, and its index).
fn copy_of_key_named(schema: &Schema, namespace: Option<&str>, name: &str) -> bool {
    let d = schema.dialect;
    schema.tables.iter().any(|t| {
        t.constraint_copies
            .iter()
            .any(|c| c.table.schema.as_deref() == namespace && d.same_name(&c.name, name))
    })
}

/// Whether a table of `namespace` has a constraint of this name.
fn constraint_in_namespace(schema: &Schema, namespace: Option<&str>, name: &str) -> bool {
    copy_of_key_named(schema, namespace, name)
        || schema
            .tables
            .positions_aliased(
                schema.dialect,
                crate::schema::Alias::Constraint,
                namespace,
                name,
            )
            .into_iter()
            .map(|i| &schema.tables[i])
            .filter(|t| t.name.schema.as_deref() == namespace)
            .any(|t| table_has_constraint(t, name, schema.dialect))
}

/// Whether `table` has a constraint of this name (of any kind).
pub(crate) fn table_has_constraint(table: &crate::schema::Table, name: &str, d: Dialect) -> bool {
    let same = |n: &Option<String>| n.as_deref().is_some_and(|n| d.same_name(n, name));
    table.primary_key.as_ref().is_some_and(|pk| same(&pk.name))
        || table.uniques.iter().any(|u| same(&u.name))
        || table.checks.iter().any(|c| same(&c.name))
        || table.foreign_keys.iter().any(|f| same(&f.name))
}

/// Whether a constraint given this name on `table` collides: every
/// constraint name is unique per table; a primary key, unique or exclusion
/// constraint also names an index, so it collides with any relation.
pub(crate) fn constraint_name_taken(
    schema: &Schema,
    table: &QualifiedName,
    name: &str,
    index_backed: bool,
) -> bool {
    let d = schema.dialect;
    schema
        .table(table)
        .is_some_and(|t| table_has_constraint(t, name, d))
        || schema.tables.iter().any(|t| {
            t.constraint_copies
                .iter()
                .any(|c| c.table.same_as(table, d) && d.same_name(&c.name, name))
        })
        || (index_backed && relation_taken(schema, table.schema.as_deref(), name))
}

/// Whether a relation created with this name collides (`CREATE TABLE`,
/// `VIEW`, `SEQUENCE`, `INDEX`): with a relation, and for those that have
/// a row type (tables, views, composite types) with a type.
pub(crate) fn name_taken(schema: &Schema, namespace: Option<&str>, name: &str) -> bool {
    relation_taken(schema, namespace, name)
}

/// `ChooseIndexColumnNames` + `ChooseIndexNameAddition`: the names of an
/// index's columns, key and INCLUDE (an expression's [`figure_colname`] or
/// `expr`), made unique within the list, joined with `_`.
///
/// [`figure_colname`]: super::index::figure_colname
pub(crate) fn column_addition(columns: &[Option<String>]) -> String {
    let mut used: Vec<String> = Vec::new();
    for col in columns {
        let base = col.clone().unwrap_or_else(|| "expr".to_string());
        let mut name = base.clone();
        let mut n = 0;
        while used.contains(&name) {
            n += 1;
            // The server clips a 63-byte name for its counter; a name that
            // long has filled the addition already, so it never shows.
            name = format!("{base}{n}");
        }
        used.push(name);
    }
    let mut out = String::new();
    for name in used {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&name);
        // The server stops adding names once the buffer is full.
        if out.len() >= MAX_NAME_BYTES {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_names_fit_in_63_bytes() {
        assert_eq!(
            make_object_name("users", Some("email"), "key"),
            "users_email_key"
        );
        assert_eq!(make_object_name("users", None, "pkey"), "users_pkey");
        let long = "a".repeat(70);
        let name = make_object_name(&long, Some("col"), "fkey");
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_col_fkey"));
        let name = make_object_name(&"t".repeat(40), Some(&"c".repeat(40)), "key");
        assert_eq!(name.len(), 63);
        assert_eq!(name, format!("{}_{}_key", "t".repeat(29), "c".repeat(29)));
    }

    #[test]
    fn choose_name_adds_a_counter_on_conflict() {
        let mut schema = Schema::empty(Dialect::Postgres);
        assert_eq!(choose_name(&schema, None, "t", Some("a"), "key"), "t_a_key");
        schema
            .tables
            .push(crate::schema::Table::new(QualifiedName::new("t_a_key")));
        assert_eq!(
            choose_name(&schema, None, "t", Some("a"), "key"),
            "t_a_key1"
        );
        assert_eq!(
            choose_name(&schema, Some("other"), "t", Some("a"), "key"),
            "t_a_key"
        );
    }

    #[test]
    fn expression_columns_are_numbered() {
        assert_eq!(
            column_addition(&[Some("a".into()), Some("b".into())]),
            "a_b"
        );
        assert_eq!(column_addition(&[None, None]), "expr_expr1");
        let repeated = column_addition(&[Some("a".into()), Some("a".into()), Some("a".into())]);
        assert_eq!(repeated, "a_a1_a2");
    }

    #[test]
    fn folding_follows_the_dialect() {
        assert_eq!(fold("Users", false, Dialect::Postgres), "users");
        assert_eq!(fold("Users", true, Dialect::Postgres), "Users");
        assert_eq!(fold("Users", false, Dialect::Sqlite), "Users");
        assert_eq!(fold(&"x".repeat(70), true, Dialect::Postgres).len(), 63);
        assert_eq!(fold(&"é".repeat(40), false, Dialect::Postgres).len(), 62);
        let q = qualify(vec!["public".into(), "t".into()], Dialect::Postgres);
        assert_eq!(q, QualifiedName::new("t"));
        let q = qualify(vec!["main".into(), "t".into()], Dialect::Sqlite);
        assert_eq!(q, QualifiedName::new("t"));
    }
}
