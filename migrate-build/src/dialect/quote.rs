//! The one place identifiers and string literals are quoted.

use super::Dialect;
use crate::schema::QualifiedName;

/// Quotes an identifier for `dialect` when it must be quoted: it is not a
/// plain lower-case (PostgreSQL) or ASCII (SQLite) word, or it is a reserved
/// word. Quoting only when needed keeps generated SQL readable.
pub fn ident(name: &str, dialect: Dialect) -> String {
    if needs_quotes(name, dialect) {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        name.to_string()
    }
}

/// `schema.name`, each part quoted as needed.
pub fn qualified(name: &QualifiedName, dialect: Dialect) -> String {
    match &name.schema {
        Some(schema) => format!("{}.{}", ident(schema, dialect), ident(&name.name, dialect)),
        None => ident(&name.name, dialect),
    }
}

/// A SQL string literal.
pub fn string(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

fn needs_quotes(name: &str, dialect: Dialect) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    let plain_start = first == '_'
        || first.is_ascii_lowercase()
        || (dialect == Dialect::Sqlite && first.is_ascii_uppercase());
    let plain_rest = name.chars().all(|c| {
        c == '_'
            || c.is_ascii_digit()
            || c.is_ascii_lowercase()
            || (dialect == Dialect::Sqlite && c.is_ascii_uppercase())
    });
    !(plain_start && plain_rest) || is_reserved(name)
}

/// Words that cannot be bare identifiers in either dialect (the union, so a
/// name renders the same way for both where possible).
fn is_reserved(name: &str) -> bool {
    const RESERVED: &[&str] = &[
        "abort",
        "action",
        "add",
        "after",
        "all",
        "alter",
        "analyse",
        "analyze",
        "and",
        "any",
        "array",
        "as",
        "asc",
        "asymmetric",
        "authorization",
        "autoincrement",
        "before",
        "begin",
        "between",
        "binary",
        "both",
        "by",
        "cascade",
        "case",
        "cast",
        "check",
        "collate",
        "collation",
        "column",
        "commit",
        "concurrently",
        "conflict",
        "constraint",
        "create",
        "cross",
        "current_catalog",
        "current_date",
        "current_role",
        "current_schema",
        "current_time",
        "current_timestamp",
        "current_user",
        "default",
        "deferrable",
        "deferred",
        "delete",
        "desc",
        "distinct",
        "do",
        "drop",
        "each",
        "else",
        "end",
        "escape",
        "except",
        "exclusive",
        "exists",
        "explain",
        "false",
        "fetch",
        "filter",
        "for",
        "foreign",
        "freeze",
        "from",
        "full",
        "glob",
        "grant",
        "group",
        "having",
        "if",
        "ilike",
        "immediate",
        "in",
        "index",
        "initially",
        "inner",
        "insert",
        "instead",
        "intersect",
        "into",
        "is",
        "isnull",
        "join",
        "key",
        "lateral",
        "leading",
        "left",
        "like",
        "limit",
        "localtime",
        "localtimestamp",
        "match",
        "natural",
        "no",
        "not",
        "notnull",
        "null",
        "of",
        "offset",
        "on",
        "only",
        "or",
        "order",
        "outer",
        "over",
        "overlaps",
        "placing",
        "plan",
        "pragma",
        "primary",
        "query",
        "raise",
        "recursive",
        "references",
        "regexp",
        "reindex",
        "release",
        "rename",
        "replace",
        "restrict",
        "returning",
        "right",
        "rollback",
        "row",
        "savepoint",
        "select",
        "session_user",
        "set",
        "similar",
        "some",
        "symmetric",
        "table",
        "tablesample",
        "temp",
        "temporary",
        "then",
        "to",
        "trailing",
        "transaction",
        "trigger",
        "true",
        "union",
        "unique",
        "update",
        "user",
        "using",
        "vacuum",
        "values",
        "variadic",
        "verbose",
        "view",
        "virtual",
        "when",
        "where",
        "window",
        "with",
        "without",
    ];
    RESERVED
        .binary_search(&name.to_ascii_lowercase().as_str())
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_list_is_sorted_for_binary_search() {
        // is_reserved relies on binary_search; an unsorted list silently misses words.
        assert!(is_reserved("user") && is_reserved("order") && is_reserved("with"));
        assert!(!is_reserved("users"));
    }

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(ident("users", Dialect::Postgres), "users");
        assert_eq!(ident("User", Dialect::Postgres), "\"User\"");
        assert_eq!(ident("Account", Dialect::Sqlite), "Account");
        assert_eq!(ident("User", Dialect::Sqlite), "\"User\"");
        assert_eq!(ident("order", Dialect::Sqlite), "\"order\"");
        assert_eq!(ident("a\"b", Dialect::Postgres), "\"a\"\"b\"");
        assert_eq!(ident("2fa", Dialect::Postgres), "\"2fa\"");
        assert_eq!(string("it's"), "'it''s'");
    }
}
