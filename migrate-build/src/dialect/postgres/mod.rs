//! postgres: rules and renderer.

pub(crate) mod render;

use super::{Dialect, DialectRules};
use crate::schema::{Column, Table};

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
    fn can_add_column(&self, _column: &Column, _table: &Table) -> bool {
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
}
