//! The operator class PostgreSQL picks for an index column when none is
//! written: writing it is the same as leaving it out, and the catalog
//! does not say which of the two the user did.

use crate::schema::ColumnType;

/// The default operator class of the built-in `ty` under access `method`,
/// `None` when the type is not one of those listed (the written class is
/// then kept, and compared as written).
pub(crate) fn default_for(method: &str, ty: &ColumnType) -> Option<&'static str> {
    if ty.user_defined {
        return None;
    }
    if ty.array_dims > 0 {
        return matches!(method, "btree" | "hash" | "gin").then_some("array_ops");
    }
    let name = ty.name.as_str();
    if matches!(method, "btree" | "hash") {
        // `character varying` has no class of its own: `text_ops` takes it.
        let class = match name {
            "text" | "character varying" => "text_ops",
            "smallint" => "int2_ops",
            "integer" => "int4_ops",
            "bigint" => "int8_ops",
            "boolean" => "bool_ops",
            "numeric" => "numeric_ops",
            "real" => "float4_ops",
            "double precision" => "float8_ops",
            "date" => "date_ops",
            "time without time zone" => "time_ops",
            "time with time zone" => "timetz_ops",
            "timestamp without time zone" => "timestamp_ops",
            "timestamp with time zone" => "timestamptz_ops",
            "interval" => "interval_ops",
            "uuid" => "uuid_ops",
            "bytea" => "bytea_ops",
            "character" => "bpchar_ops",
            "jsonb" => "jsonb_ops",
            "inet" => "inet_ops",
            "macaddr" => "macaddr_ops",
            "name" => "name_ops",
            "oid" => "oid_ops",
            "\"char\"" => "char_ops",
            "pg_lsn" => "pg_lsn_ops",
            "money" if method == "btree" => "money_ops",
            "bit" if method == "btree" => "bit_ops",
            "bit varying" if method == "btree" => "varbit_ops",
            "tsvector" if method == "btree" => "tsvector_ops",
            "tsquery" if method == "btree" => "tsquery_ops",
            _ => return range(name).then_some("range_ops"),
        };
        return Some(class);
    }
    match (method, name) {
        ("gin", "jsonb") => Some("jsonb_ops"),
        ("gin" | "gist", "tsvector") => Some("tsvector_ops"),
        ("gist", "tsquery") => Some("tsquery_ops"),
        ("gist" | "spgist", "box") => Some("box_ops"),
        ("gist", "point") => Some("point_ops"),
        ("spgist", "point") => Some("quad_point_ops"),
        ("gist", "circle") => Some("circle_ops"),
        ("gist" | "spgist", "polygon") => Some("poly_ops"),
        ("spgist", "text") => Some("text_ops"),
        ("spgist", "inet") => Some("inet_ops"),
        ("gist" | "spgist", _) if range(name) => Some("range_ops"),
        _ => None,
    }
}

fn range(name: &str) -> bool {
    matches!(
        name,
        "int4range" | "int8range" | "numrange" | "tsrange" | "tstzrange" | "daterange"
    )
}
