//! `format_type()` output → [`ColumnType`].
//!
//! Builtin types keep the server's spelling (that is the model's canonical
//! form). User types are named from `pg_type` instead: `format_type` only
//! qualifies a name that is not visible on the session's `search_path`, so
//! its output would depend on the connection.

use migrate_build::schema::{ColumnType, QualifiedName};

/// What the catalog says about a column's type.
pub(super) struct TypeRef<'a> {
    /// `format_type(atttypid, atttypmod)`.
    pub formatted: &'a str,
    /// Namespace and name of the type, or of the element type for arrays.
    pub schema: &'a str,
    pub name: &'a str,
    /// One dimension whatever the column was declared with (`attndims`):
    /// the server prints one `[]`, enforces no dimensions, and pg_dump does
    /// not keep them, so they are not part of the type.
    pub is_array: bool,
}

pub(super) fn column_type(t: &TypeRef<'_>) -> ColumnType {
    let (base, _) = strip_array_suffix(t.formatted);
    let array_dims = u8::from(t.is_array);
    let user_defined = t.schema != "pg_catalog";
    let (name, modifiers) = if user_defined {
        // Unquoted, as the interpreter names it (`app.Mood`): the renderer
        // quotes each part, and the differ matches it to its enum by name.
        let qualified = QualifiedName::with_schema(super::schema_of(t.schema), t.name).to_string();
        match trailing_modifiers(base) {
            None => (qualified, Vec::new()),
            Some(text) => match parse_modifiers(text) {
                Some(mods) => (qualified, mods),
                // PostGIS `geometry(Point,4326)`: not numbers, kept in the name.
                None => (format!("{qualified}({text})"), Vec::new()),
            },
        }
    } else {
        split_builtin(base)
    };
    ColumnType {
        name,
        modifiers,
        array_dims,
        user_defined,
    }
}

/// `text[]` → (`text`, 1).
fn strip_array_suffix(mut s: &str) -> (&str, u8) {
    let mut dims = 0u8;
    while let Some(rest) = s.strip_suffix("[]") {
        s = rest;
        dims = dims.saturating_add(1);
    }
    (s, dims)
}

/// The text inside a final `( … )`, for user types that take modifiers.
fn trailing_modifiers(s: &str) -> Option<&str> {
    let inner = s.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    Some(&inner[open + 1..])
}

fn parse_modifiers(text: &str) -> Option<Vec<u32>> {
    text.split(',').map(|p| p.trim().parse().ok()).collect()
}

/// `timestamp(3) with time zone` → (`timestamp with time zone`, [3]);
/// `numeric(10,2)` → (`numeric`, [10, 2]). Builtin names never contain a
/// parenthesis, so the first `(` starts the modifiers.
fn split_builtin(s: &str) -> (String, Vec<u32>) {
    let Some(open) = s.find('(') else {
        return (s.to_string(), Vec::new());
    };
    let Some(close) = s[open..].find(')').map(|i| open + i) else {
        return (s.to_string(), Vec::new());
    };
    match parse_modifiers(&s[open + 1..close]) {
        Some(mods) => (format!("{}{}", s[..open].trim_end(), &s[close + 1..]), mods),
        None => (s.to_string(), Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin(formatted: &str, is_array: bool) -> ColumnType {
        column_type(&TypeRef {
            formatted,
            schema: "pg_catalog",
            name: "ignored for builtins",
            is_array,
        })
    }

    #[test]
    fn builtin_spellings_split_and_display_back() {
        let cases: &[(&str, &str, &[u32], u8)] = &[
            ("integer", "integer", &[], 0),
            ("character varying(255)", "character varying", &[255], 0),
            ("character varying", "character varying", &[], 0),
            ("numeric(10,2)", "numeric", &[10, 2], 0),
            (
                "timestamp(3) with time zone",
                "timestamp with time zone",
                &[3],
                0,
            ),
            (
                "time(6) without time zone",
                "time without time zone",
                &[6],
                0,
            ),
            (
                "interval day to second(3)",
                "interval day to second",
                &[3],
                0,
            ),
            ("\"char\"", "\"char\"", &[], 0),
            ("text[]", "text", &[], 1),
            ("character varying(20)[]", "character varying", &[20], 1),
        ];
        for &(formatted, name, mods, dims) in cases {
            let ty = builtin(formatted, dims > 0);
            assert_eq!(ty.name, name, "{formatted}");
            assert_eq!(ty.modifiers, mods, "{formatted}");
            assert_eq!(ty.array_dims, dims, "{formatted}");
            assert!(!ty.user_defined);
            assert_eq!(ty.to_string(), formatted);
        }
    }

    #[test]
    fn declared_array_dimensions_are_not_part_of_the_type() {
        assert_eq!(builtin("integer[]", true).array_dims, 1);
        assert_eq!(builtin("integer", false).array_dims, 0);
    }

    #[test]
    fn user_types_are_named_from_the_catalog_and_qualified_outside_public() {
        let t = |formatted, schema, name| {
            column_type(&TypeRef {
                formatted,
                schema,
                name,
                is_array: false,
            })
        };
        let public = t("mood", "public", "mood");
        assert_eq!((public.name.as_str(), public.user_defined), ("mood", true));
        // Not on the search path: the server qualified it, the model does too.
        assert_eq!(t("app.mood", "app", "mood").name, "app.mood");
        // On the search path: the server did not qualify it, the model still does.
        assert_eq!(t("mood", "app", "mood").name, "app.mood");
        assert_eq!(t("\"Mood\"", "public", "Mood").name, "Mood");
        assert_eq!(t("app.\"Mood\"", "app", "Mood").name, "app.Mood");
        let geo = t("geometry(Point,4326)", "public", "geometry");
        assert_eq!(
            (geo.name.as_str(), geo.modifiers.len()),
            ("geometry(Point,4326)", 0)
        );
    }
}
