//! The storage a column gets from its type (`pg_type.typstorage`): `SET
//! STORAGE` to it is the same as no `SET STORAGE`, and the catalog keeps
//! only the column's value.

use crate::schema::{ColumnStorage, ColumnType};

/// The type's own storage, for the built-in types and enums; `None` when
/// the type is not known here (an extension's type, a domain), and the
/// written storage is then kept as written.
pub(crate) fn default_for(ty: &ColumnType, is_enum: bool) -> Option<ColumnStorage> {
    if ty.array_dims > 0 {
        return Some(ColumnStorage::Extended);
    }
    if ty.user_defined {
        return is_enum.then_some(ColumnStorage::Plain);
    }
    Some(match ty.name.as_str() {
        "numeric" | "inet" | "cidr" => ColumnStorage::Main,
        "boolean"
        | "smallint"
        | "integer"
        | "bigint"
        | "real"
        | "double precision"
        | "date"
        | "time without time zone"
        | "time with time zone"
        | "timestamp without time zone"
        | "timestamp with time zone"
        | "interval"
        | "uuid"
        | "money"
        | "oid"
        | "\"char\""
        | "name"
        | "point"
        | "box"
        | "line"
        | "lseg"
        | "circle"
        | "macaddr"
        | "macaddr8"
        | "tsquery"
        | "xid"
        | "xid8"
        | "cid"
        | "tid"
        | "regclass"
        | "regtype"
        | "regproc"
        | "regprocedure"
        | "regoper"
        | "regoperator"
        | "regconfig"
        | "regdictionary"
        | "regnamespace"
        | "regrole"
        | "regcollation" => ColumnStorage::Plain,
        "text" | "character varying" | "character" | "bytea" | "json" | "jsonb" | "jsonpath"
        | "xml" | "tsvector" | "bit" | "bit varying" | "path" | "polygon" | "int4range"
        | "int8range" | "numrange" | "tsrange" | "tstzrange" | "daterange" | "int4multirange"
        | "int8multirange" | "nummultirange" | "tsmultirange" | "tstzmultirange"
        | "datemultirange" | "txid_snapshot" | "refcursor" => ColumnStorage::Extended,
        _ => return None,
    })
}
