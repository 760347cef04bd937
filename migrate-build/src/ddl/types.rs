//! Column types in the dialect's canonical spelling (see [`ColumnType`]).

use crate::dialect::Dialect;
use crate::schema::ColumnType;

/// What a PostgreSQL `serial` family type stands for.
pub(crate) fn serial_base(type_sql: &str) -> Option<&'static str> {
    match type_sql.trim().to_ascii_lowercase().as_str() {
        "serial" | "serial4" => Some("integer"),
        "bigserial" | "serial8" => Some("bigint"),
        "smallserial" | "serial2" => Some("smallint"),
        _ => None,
    }
}

/// Canonicalises a type as written (`int4`, `character varying(20)`,
/// `text[]`, `"MyEnum"`). `None` when the text is not a type.
pub fn canonical_type(sql: &str, dialect: Dialect) -> Option<ColumnType> {
    match dialect {
        Dialect::Sqlite => Some(sqlite_type(sql)),
        Dialect::Postgres => postgres_type(sql),
    }
}

/// SQLite keeps the declared type verbatim (a quoted type name without its
/// quotes): upper-cased, white space collapsed, none around parentheses and
/// commas, and integer arguments as modifiers (`varchar( 255 )` is `VARCHAR`
/// with `[255]`), as PostgreSQL types are kept, so that the differ sees the
/// length. Other arguments stay in the name (`DECIMAL(10,-2)`).
fn sqlite_type(sql: &str) -> ColumnType {
    let trimmed = sql.trim();
    let quoted = [('"', '"'), ('`', '`'), ('[', ']'), ('\'', '\'')]
        .iter()
        .find_map(|(open, close)| trimmed.strip_prefix(*open)?.strip_suffix(*close));
    let words = quoted
        .unwrap_or(trimmed)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut collapsed = String::with_capacity(words.len());
    let mut chars = words.chars().peekable();
    while let Some(c) = chars.next() {
        let tight_before = collapsed.ends_with(['(', ',']);
        let tight_after = chars.peek().is_some_and(|n| matches!(n, '(' | ')' | ','));
        if c == ' ' && (tight_before || tight_after) {
            continue;
        }
        collapsed.push(c.to_ascii_uppercase());
    }
    if let Some((base, args)) = collapsed.split_once('(')
        && let Some(args) = args.strip_suffix(')')
        && let Ok(modifiers) = args
            .split(',')
            .map(|a| a.parse::<u32>())
            .collect::<Result<Vec<u32>, _>>()
    {
        let mut ty = ColumnType::simple(base);
        ty.modifiers = modifiers;
        return ty;
    }
    ColumnType::simple(collapsed)
}

fn postgres_type(sql: &str) -> Option<ColumnType> {
    let mut text = sql.trim();
    let mut array_dims = 0u8;
    // `ARRAY` suffix and `[]`/`[n]` suffixes are all one dimension each.
    loop {
        if let Some(rest) = text.strip_suffix(']') {
            let open = rest.rfind('[')?;
            text = rest[..open].trim_end();
            array_dims = array_dims.saturating_add(1);
        } else if let Some(head) = text.len().checked_sub(5).and_then(|at| {
            text.get(at..)
                .filter(|t| t.eq_ignore_ascii_case("array"))
                .and(text.get(..at))
        }) {
            // `text ARRAY`, not a type whose name ends in "array".
            let trimmed = head.trim_end();
            if trimmed.len() == head.len() || trimmed.is_empty() {
                break;
            }
            text = trimmed;
            array_dims = array_dims.saturating_add(1);
        } else {
            break;
        }
    }
    if text.is_empty() {
        return None;
    }
    // Type modifiers: `(n)` or `(p,s)`; for time types they sit before `with`.
    let mut modifiers = Vec::new();
    let mut words = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let close = rest[open..].find(')')? + open;
        words.push_str(&rest[..open]);
        words.push(' ');
        for part in rest[open + 1..close].split(',') {
            modifiers.push(part.trim().parse::<u32>().ok()?);
        }
        rest = &rest[close + 1..];
    }
    words.push_str(rest);
    let quoted = words.contains('"');
    let name = if quoted {
        user_type_name(words.trim())
    } else {
        words
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (name, array_from_underscore) = match name.strip_prefix('_') {
        Some(inner) if !quoted && builtin(inner).is_some() => (inner.to_string(), true),
        _ => (name, false),
    };
    if array_from_underscore {
        array_dims = array_dims.saturating_add(1);
    }
    // `int[][]` and `int[3]` are `integer[]`: PostgreSQL keeps no dimensions
    // in the type (format_type and pg_dump print one `[]`).
    let array_dims = array_dims.min(1);
    let (canonical, user_defined) = match (quoted, builtin(&name)) {
        (false, Some(canonical)) => (canonical.to_string(), false),
        (false, None) if !name.contains(' ') || name.contains('.') => {
            (strip_public(&name).to_string(), true)
        }
        (false, None) => return None,
        // The one-byte `"char"` of pg_catalog, not `char` (`character(1)`).
        (true, _) if words.trim() == "\"char\"" => ("\"char\"".to_string(), false),
        (true, _) => match catalog_type(&name) {
            // `"text"`, `"pg_catalog"."int4"` (pg_dump --quote-all-identifiers).
            Some(canonical) => (canonical.to_string(), false),
            None => (strip_public(&name).to_string(), true),
        },
    };
    // `character` without a length is `character(1)`, and `numeric(p)` is
    // `numeric(p,0)`, as format_type prints them.
    if canonical == "character" && modifiers.is_empty() {
        modifiers.push(1);
    }
    if canonical == "numeric" && modifiers.len() == 1 {
        modifiers.push(0);
    }
    Some(ColumnType {
        name: canonical,
        modifiers,
        array_dims,
        user_defined,
    })
}

/// `"My Type"` → `My Type`; `s."T"` → `s.T`.
fn user_type_name(text: &str) -> String {
    text.split('.')
        .map(|part| {
            let part = part.trim();
            match part.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
                Some(inner) => inner.replace("\"\"", "\""),
                None => part.to_ascii_lowercase(),
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn strip_public(name: &str) -> &str {
    name.strip_prefix("public.")
        .or_else(|| name.strip_prefix("pg_catalog."))
        .unwrap_or(name)
}

/// A quoted name that is a pg_catalog type's own name (`"text"`, `"int4"`,
/// `"timestamptz"`) is that type; the grammar's aliases are no type names
/// (`"integer"` and `"double precision"` name no type), so they stay
/// user-defined names.
fn catalog_type(name: &str) -> Option<&'static str> {
    let bare = name.strip_prefix("pg_catalog.").unwrap_or(name);
    let alias_only = matches!(
        bare,
        "int"
            | "integer"
            | "bigint"
            | "smallint"
            | "boolean"
            | "float"
            | "real"
            | "decimal"
            | "char"
            | "character"
            | "char varying"
    );
    // `"public"."text"` is a type of the user's named `text`.
    if alias_only || bare.contains([' ', '.']) {
        return None;
    }
    builtin(bare)
}

/// `format_type()` spelling of a builtin type, from any of its aliases.
fn builtin(name: &str) -> Option<&'static str> {
    let name = strip_public(name);
    Some(match name {
        "int" | "int4" | "integer" => "integer",
        "int8" | "bigint" => "bigint",
        "int2" | "smallint" => "smallint",
        "bool" | "boolean" => "boolean",
        "float8" | "double precision" | "float" => "double precision",
        "float4" | "real" => "real",
        "decimal" | "numeric" => "numeric",
        "varchar" | "character varying" | "char varying" => "character varying",
        "char" | "character" | "bpchar" => "character",
        "text" => "text",
        "timestamp" | "timestamp without time zone" => "timestamp without time zone",
        "timestamptz" | "timestamp with time zone" => "timestamp with time zone",
        "time" | "time without time zone" => "time without time zone",
        "timetz" | "time with time zone" => "time with time zone",
        "date" => "date",
        "interval" => "interval",
        "uuid" => "uuid",
        "json" => "json",
        "jsonb" => "jsonb",
        "bytea" => "bytea",
        "inet" => "inet",
        "cidr" => "cidr",
        "macaddr" => "macaddr",
        "money" => "money",
        "bit" => "bit",
        "varbit" | "bit varying" => "bit varying",
        "tsvector" => "tsvector",
        "tsquery" => "tsquery",
        "xml" => "xml",
        "oid" => "oid",
        "regclass" => "regclass",
        "point" => "point",
        "int4range" => "int4range",
        "int8range" => "int8range",
        "tstzrange" => "tstzrange",
        "tsrange" => "tsrange",
        "daterange" => "daterange",
        "numrange" => "numrange",
        "\"char\"" => "\"char\"",
        // pg_catalog types format_type prints as they are written.
        "name" => "name",
        "macaddr8" => "macaddr8",
        "pg_lsn" => "pg_lsn",
        "jsonpath" => "jsonpath",
        "line" => "line",
        "lseg" => "lseg",
        "box" => "box",
        "path" => "path",
        "polygon" => "polygon",
        "circle" => "circle",
        "regtype" => "regtype",
        "regproc" => "regproc",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(sql: &str) -> String {
        canonical_type(sql, Dialect::Postgres)
            .map(|t| t.to_string())
            .unwrap_or_else(|| "<none>".into())
    }

    #[test]
    fn postgres_aliases_take_format_type_spelling() {
        assert_eq!(pg("int4"), "integer");
        assert_eq!(pg("INT"), "integer");
        assert_eq!(pg("int8"), "bigint");
        assert_eq!(pg("int2"), "smallint");
        assert_eq!(pg("bool"), "boolean");
        assert_eq!(pg("float8"), "double precision");
        assert_eq!(pg("DOUBLE PRECISION"), "double precision");
        assert_eq!(pg("float4"), "real");
        assert_eq!(pg("decimal(10, 2)"), "numeric(10,2)");
        assert_eq!(pg("numeric(10)"), "numeric(10,0)");
        assert_eq!(pg("VARCHAR(255)"), "character varying(255)");
        assert_eq!(pg("character varying(20)"), "character varying(20)");
        assert_eq!(pg("varchar"), "character varying");
        assert_eq!(pg("char"), "character(1)");
        assert_eq!(pg("char(3)"), "character(3)");
        assert_eq!(pg("timestamp"), "timestamp without time zone");
        assert_eq!(pg("timestamptz"), "timestamp with time zone");
        assert_eq!(
            pg("TIMESTAMP(3) WITH TIME ZONE"),
            "timestamp(3) with time zone"
        );
        assert_eq!(pg("timetz"), "time with time zone");
    }

    /// pg_dump --quote-all-identifiers (and `supabase db dump`) quote the
    /// catalog's type names: the same types.
    #[test]
    fn quoted_catalog_type_names_are_the_catalog_types() {
        for (quoted, plain) in [
            ("\"text\"", "text"),
            ("\"uuid\"[]", "uuid[]"),
            ("\"jsonb\"", "jsonb"),
            ("\"pg_catalog\".\"int4\"", "integer"),
            ("\"varchar\"(20)", "character varying(20)"),
            ("\"timestamptz\"", "timestamp with time zone"),
        ] {
            let t = canonical_type(quoted, Dialect::Postgres).unwrap();
            assert!(!t.user_defined, "{quoted}");
            assert_eq!(t.to_string(), plain);
        }
        // Grammar aliases are no type names, and a schema other than
        // pg_catalog holds the user's own types.
        for user in ["\"integer\"", "\"public\".\"text\"", "\"Text\""] {
            assert!(
                canonical_type(user, Dialect::Postgres)
                    .unwrap()
                    .user_defined,
                "{user}"
            );
        }
    }

    #[test]
    fn postgres_arrays_and_user_types() {
        assert_eq!(pg("text[]"), "text[]");
        assert_eq!(pg("_text"), "text[]");
        assert_eq!(pg("int[][]"), "integer[]");
        assert_eq!(pg("int[3][3]"), "integer[]");
        assert_eq!(pg("varchar(10)[]"), "character varying(10)[]");
        assert_eq!(pg("TEXT ARRAY"), "text[]");
        let t = canonical_type("build_status", Dialect::Postgres).unwrap();
        assert!(t.user_defined);
        assert_eq!(t.name, "build_status");
        let t = canonical_type("public.\"Kind\"[]", Dialect::Postgres).unwrap();
        assert_eq!(
            (t.name.as_str(), t.array_dims, t.user_defined),
            ("Kind", 1, true)
        );
        // Extension types live in the schema the extension was created in:
        // the catalog reports them as user types, not as pg_catalog ones.
        for ext in ["ltree", "citext", "LTREE"] {
            let t = canonical_type(ext, Dialect::Postgres).unwrap();
            assert!(t.user_defined, "{ext}");
            assert_eq!(t.name, ext.to_ascii_lowercase());
        }
    }

    #[test]
    fn sqlite_keeps_declared_type_uppercased() {
        let t = canonical_type("varchar( 255 )", Dialect::Sqlite).unwrap();
        assert_eq!(
            (t.name.as_str(), t.modifiers.as_slice()),
            ("VARCHAR", &[255][..])
        );
        let t = canonical_type("decimal( 10 , 2 )", Dialect::Sqlite).unwrap();
        assert_eq!(t.to_string(), "DECIMAL(10,2)");
        assert_eq!(
            canonical_type("varchar(max)", Dialect::Sqlite).unwrap(),
            ColumnType::simple("VARCHAR(MAX)")
        );
        // As PRAGMA table_info prints these, and as sqlparser reprints them.
        let same = |a: &str, b: &str| {
            assert_eq!(
                canonical_type(a, Dialect::Sqlite),
                canonical_type(b, Dialect::Sqlite),
                "{a} / {b}"
            )
        };
        same("DECIMAL( 10 , -2 )", "DECIMAL(10, -2)");
        same("VARCHAR ( 20 )", "varchar(20)");
        same("My Type", "\"My Type\"");
        same("br Type", "[br Type]");
        same("DOUBLE\tPRECISION", "double precision");
        assert_eq!(
            canonical_type("unsigned   big int", Dialect::Sqlite)
                .unwrap()
                .name,
            "UNSIGNED BIG INT"
        );
        assert_eq!(canonical_type("", Dialect::Sqlite).unwrap().name, "");
    }

    #[test]
    fn serial_types_map_to_integers() {
        assert_eq!(serial_base("SERIAL"), Some("integer"));
        assert_eq!(serial_base("bigserial"), Some("bigint"));
        assert_eq!(serial_base("serial2"), Some("smallint"));
        assert_eq!(serial_base("integer"), None);
    }
}
