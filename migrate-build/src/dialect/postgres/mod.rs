//! postgres: rules and renderer.

mod casts;
mod opclass;
pub(crate) mod render;
mod storage;
pub mod text_search;

use super::{Dialect, DialectRules};
use crate::schema::{Column, ColumnStorage, ColumnType, QualifiedName, Table};

/// The comment every PostgreSQL 15 database's `public` schema comes with
/// (pg_dump writes it with `-n public`): the state of a new database, not
/// one the schema sets.
pub const PUBLIC_SCHEMA_COMMENT: &str = "standard public schema";

pub struct PostgresRules;

impl DialectRules for PostgresRules {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
    fn can_alter_column_type(&self) -> bool {
        true
    }
    fn can_alter_nullability(&self) -> bool {
        true
    }
    fn can_alter_default(&self) -> bool {
        true
    }
    fn can_add_constraint(&self) -> bool {
        true
    }
    fn can_drop_constraint(&self) -> bool {
        true
    }
    fn can_alter_primary_key(&self) -> bool {
        true
    }
    fn implicit_sequence(&self, table: &QualifiedName, column: &Column) -> Option<QualifiedName> {
        render::serial_type(table, column)?;
        render::serial_sequence(table, column)
    }
    fn can_alter_identity(&self) -> bool {
        true
    }
    fn is_widening(&self, from: &ColumnType, to: &ColumnType) -> bool {
        if from == to {
            return true;
        }
        if from.array_dims != to.array_dims || from.user_defined || to.user_defined {
            return false;
        }
        let (f, t) = (from.name.as_str(), to.name.as_str());
        match (integer_rank(f), integer_rank(t)) {
            (Some(a), Some(b)) => return a <= b,
            (Some(_), None) | (None, Some(_)) => return false,
            (None, None) => {}
        }
        match (f, t) {
            ("character varying", "text") => true,
            ("character varying", "character varying") => {
                modifier_grows(&from.modifiers, &to.modifiers)
            }
            ("numeric", "numeric") => match (from.modifiers.as_slice(), to.modifiers.as_slice()) {
                (_, []) => true,
                // Digits before the point must not shrink, nor digits after it
                // (PostgreSQL 15 allows a scale above the precision: signed).
                ([p1], [p2]) => p2 >= p1,
                ([p1], [p2, s2]) => i64::from(*p2) - i64::from(*s2) >= i64::from(*p1),
                ([p1, s1], [p2, s2]) => {
                    s2 >= s1 && i64::from(*p2) - i64::from(*s2) >= i64::from(*p1) - i64::from(*s1)
                }
                _ => false,
            },
            ("real", "double precision") => true,
            _ => false,
        }
    }
    fn can_add_column(&self, _column: &Column, _table: &Table) -> bool {
        true
    }
    fn default_opclass(&self, method: &str, ty: &ColumnType) -> Option<&'static str> {
        opclass::default_for(method, ty)
    }
    fn default_storage(&self, ty: &ColumnType, is_enum: bool) -> Option<ColumnStorage> {
        storage::default_for(ty, is_enum)
    }
    fn can_drop_generation_expression(&self) -> bool {
        true
    }
    fn can_drop_every_column(&self) -> bool {
        true
    }
    fn can_drop_column(&self, _column: &Column, _table: &Table) -> bool {
        true
    }
    fn foreign_keys_inline(&self) -> bool {
        false
    }
    fn constraints_matched_by_name(&self) -> bool {
        true
    }
    fn has_enums(&self) -> bool {
        true
    }
    fn has_comments(&self) -> bool {
        true
    }
    fn has_sequences(&self) -> bool {
        true
    }
    fn has_extensions(&self) -> bool {
        true
    }
    fn bodies_run_ddl(&self) -> bool {
        true
    }
    fn can_rename_index(&self) -> bool {
        true
    }
    fn can_rename_view(&self) -> bool {
        true
    }
    fn can_rename_constraint(&self) -> bool {
        true
    }
    fn missing_cast(&self, from: &ColumnType, to: &ColumnType) -> Option<crate::plan::NoCast> {
        casts::missing_cast(from, to)
    }
}

/// Integer types by width: a wider one holds every value of a narrower one.
fn integer_rank(name: &str) -> Option<u8> {
    match name {
        "smallint" => Some(1),
        "integer" => Some(2),
        "bigint" => Some(3),
        _ => None,
    }
}

/// `varchar(n)` → `varchar(m)` with `m >= n`, or to unbounded `varchar`.
fn modifier_grows(from: &[u32], to: &[u32]) -> bool {
    match (from, to) {
        (_, []) => true,
        ([n], [m]) => m >= n,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::PostgresRules;
    use crate::dialect::DialectRules;
    use crate::schema::ColumnType;

    fn ty(name: &str, modifiers: &[u32]) -> ColumnType {
        ColumnType {
            modifiers: modifiers.to_vec(),
            ..ColumnType::simple(name)
        }
    }

    #[test]
    fn widenings_are_safe_and_narrowings_are_not() {
        let r = PostgresRules;
        assert!(r.is_widening(&ty("smallint", &[]), &ty("bigint", &[])));
        assert!(r.is_widening(&ty("integer", &[]), &ty("bigint", &[])));
        assert!(!r.is_widening(&ty("bigint", &[]), &ty("integer", &[])));
        assert!(r.is_widening(
            &ty("character varying", &[10]),
            &ty("character varying", &[20])
        ));
        assert!(!r.is_widening(
            &ty("character varying", &[20]),
            &ty("character varying", &[10])
        ));
        assert!(r.is_widening(&ty("character varying", &[20]), &ty("text", &[])));
        assert!(!r.is_widening(&ty("text", &[]), &ty("character varying", &[20])));
        assert!(r.is_widening(&ty("numeric", &[10, 2]), &ty("numeric", &[12, 2])));
        assert!(!r.is_widening(&ty("numeric", &[10, 2]), &ty("numeric", &[10, 3])));
        assert!(r.is_widening(&ty("numeric", &[10, 2]), &ty("numeric", &[])));
        assert!(r.is_widening(&ty("real", &[]), &ty("double precision", &[])));
        assert!(!r.is_widening(&ty("double precision", &[]), &ty("real", &[])));
        assert!(!r.is_widening(&ty("integer", &[]), &ty("text", &[])));
    }
}
