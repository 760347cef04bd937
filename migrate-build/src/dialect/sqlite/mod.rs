//! sqlite: rules and renderer.

mod rebuild;
pub(crate) mod render;

use super::{Dialect, DialectRules, QueryColumnSource};
use crate::schema::{Column, ColumnType, Literal, QualifiedName, Table};

pub struct SqliteRules;

impl DialectRules for SqliteRules {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
    /// `sqlite_sequence` (AUTOINCREMENT's counters) and the `sqlite_stat*`
    /// tables of ANALYZE: SQLite refuses every other `sqlite_` name too
    /// ("object name reserved for internal use").
    fn is_internal_table(&self, name: &str) -> bool {
        let lower = name.to_ascii_lowercase();
        lower == "sqlite_sequence"
            || lower
                .strip_prefix("sqlite_stat")
                .is_some_and(|n| matches!(n, "1" | "2" | "3" | "4"))
    }
    /// Each module's `xShadowName` (SQLite's ext/fts3, ext/fts5, ext/rtree).
    fn shadow_table_suffixes(&self, module: &str) -> &'static [&'static str] {
        match module {
            "fts3" | "fts4" => &["content", "segments", "segdir", "docsize", "stat"],
            "fts5" => &["data", "idx", "content", "docsize", "config"],
            "rtree" | "rtree_i32" | "geopoly" => &["node", "rowid", "parent"],
            _ => &[],
        }
    }
    fn can_alter_column_type(&self) -> bool {
        false
    }
    fn can_alter_nullability(&self) -> bool {
        false
    }
    fn can_alter_default(&self) -> bool {
        false
    }
    fn can_add_constraint(&self) -> bool {
        false
    }
    fn can_drop_constraint(&self) -> bool {
        false
    }
    fn can_alter_primary_key(&self) -> bool {
        false
    }
    fn implicit_sequence(&self, _table: &QualifiedName, _column: &Column) -> Option<QualifiedName> {
        None
    }
    fn can_alter_identity(&self) -> bool {
        false
    }
    fn is_widening(&self, from: &ColumnType, to: &ColumnType) -> bool {
        // SQLite stores values by affinity, not by declared type: a change
        // within one affinity (VARCHAR(10) → TEXT, SMALLINT → BIGINT) keeps
        // every value; so does a change to no affinity, or INTEGER → NUMERIC.
        match (affinity(&from.name), affinity(&to.name)) {
            (a, b) if a == b => true,
            (_, Affinity::Blob) => true,
            (Affinity::Integer, Affinity::Numeric) => true,
            _ => false,
        }
    }
    fn can_add_column(&self, column: &Column, table: &Table) -> bool {
        let in_pk = table.primary_key.as_ref().is_some_and(|pk| {
            pk.columns
                .iter()
                .any(|c| c.eq_ignore_ascii_case(&column.name))
        });
        let in_unique = table.uniques.iter().any(|u| {
            u.columns
                .iter()
                .any(|c| c.eq_ignore_ascii_case(&column.name))
        });
        let stored = column.generated.as_ref().is_some_and(|g| g.stored);
        let null_default = column.default.as_ref().is_none_or(|d| d.key == "null");
        let not_null_without_default =
            !column.nullable && null_default && column.generated.is_none();
        // ALTER TABLE ADD COLUMN refuses CURRENT_TIME/DATE/TIMESTAMP and
        // parenthesised expressions as defaults (SQLite's lang_altertable);
        // the model keeps an expression without its parentheses, so anything
        // but a constant literal counts.
        let non_constant_default = column
            .default
            .as_ref()
            .is_some_and(|d| !matches!(d.literal(), Some(Literal::Constant | Literal::Name)));
        let in_fk = table.foreign_keys.iter().any(|fk| {
            fk.columns
                .iter()
                .any(|c| c.eq_ignore_ascii_case(&column.name))
        });
        !(in_pk
            || in_unique
            || stored
            || not_null_without_default
            || non_constant_default
            || in_fk
            || column.autoincrement)
    }
    fn can_drop_every_column(&self) -> bool {
        false
    }
    fn can_drop_column(&self, column: &Column, table: &Table) -> bool {
        // SQLite 3.35+ drops a column unless something references it.
        let name = &column.name;
        let used = table
            .primary_key
            .as_ref()
            .is_some_and(|pk| pk.columns.iter().any(|c| c.eq_ignore_ascii_case(name)))
            || table
                .uniques
                .iter()
                .any(|u| u.columns.iter().any(|c| c.eq_ignore_ascii_case(name)))
            || table
                .foreign_keys
                .iter()
                .any(|fk| fk.columns.iter().any(|c| c.eq_ignore_ascii_case(name)))
            || !table.checks.is_empty()
            || table.columns.iter().any(|c| c.generated.is_some());
        !used
    }
    fn foreign_keys_inline(&self) -> bool {
        true
    }
    fn constraints_matched_by_name(&self) -> bool {
        false
    }
    fn has_enums(&self) -> bool {
        false
    }
    fn has_comments(&self) -> bool {
        false
    }
    fn has_sequences(&self) -> bool {
        false
    }
    fn has_extensions(&self) -> bool {
        false
    }
    fn bodies_run_ddl(&self) -> bool {
        false
    }
    fn can_rename_index(&self) -> bool {
        false
    }
    fn can_rename_view(&self) -> bool {
        false
    }
    fn can_rename_constraint(&self) -> bool {
        false
    }
    fn type_created_as_select(
        &self,
        ty: Result<ColumnType, String>,
        source: QueryColumnSource,
    ) -> Result<ColumnType, String> {
        // sqlite3AffinityType's names, as `CREATE TABLE t AS SELECT` stores
        // them; an expression without affinity declares no type.
        let name = match source {
            QueryColumnSource::Expression => "",
            QueryColumnSource::Column | QueryColumnSource::Cast => {
                match affinity(&ty?.to_string()) {
                    Affinity::Integer => "INT",
                    Affinity::Text => "TEXT",
                    Affinity::Real => "REAL",
                    Affinity::Numeric => "NUM",
                    Affinity::Blob => "",
                }
            }
        };
        Ok(ColumnType::simple(name))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Affinity {
    Integer,
    Text,
    Blob,
    Real,
    Numeric,
}

/// The column affinity rules of SQLite's documentation (section 3.1 of
/// "Datatypes In SQLite"), applied in the same order.
fn affinity(declared: &str) -> Affinity {
    let upper = declared.to_ascii_uppercase();
    if upper.contains("INT") {
        Affinity::Integer
    } else if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") {
        Affinity::Text
    } else if upper.contains("BLOB") || upper.is_empty() {
        Affinity::Blob
    } else if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") {
        Affinity::Real
    } else {
        Affinity::Numeric
    }
}

#[cfg(test)]
mod tests {
    use super::SqliteRules;
    use crate::dialect::{Dialect, DialectRules};
    use crate::schema::{Column, ColumnType, Expr, QualifiedName, Table};

    #[test]
    fn widening_follows_affinity() {
        let r = SqliteRules;
        let t = ColumnType::simple;
        assert!(r.is_widening(&t("SMALLINT"), &t("BIGINT")));
        assert!(r.is_widening(&t("VARCHAR"), &t("TEXT")));
        assert!(r.is_widening(&t("INTEGER"), &t("NUMERIC")));
        assert!(r.is_widening(&t("REAL"), &t("BLOB")));
        assert!(!r.is_widening(&t("TEXT"), &t("INTEGER")));
        assert!(!r.is_widening(&t("REAL"), &t("INTEGER")));
    }

    #[test]
    fn add_column_refuses_what_alter_table_refuses() {
        let r = SqliteRules;
        let table = Table::new(QualifiedName::new("t"));
        let column = |default: Option<&str>, nullable: bool| {
            let mut c = Column::new("c", ColumnType::simple("TEXT"));
            c.nullable = nullable;
            c.default = default.map(|sql| Expr::new(sql, Dialect::Sqlite));
            c
        };
        assert!(r.can_add_column(&column(None, true), &table));
        assert!(r.can_add_column(&column(Some("'x'"), false), &table));
        assert!(!r.can_add_column(&column(None, false), &table));
        assert!(!r.can_add_column(&column(Some("NULL"), false), &table));
        assert!(!r.can_add_column(&column(Some("CURRENT_TIMESTAMP"), true), &table));
        assert!(!r.can_add_column(&column(Some("(1 + 1)"), true), &table));
        // As the interpreter keeps `DEFAULT (datetime('now'))`.
        assert!(!r.can_add_column(&column(Some("datetime('now')"), true), &table));
        assert!(!r.can_add_column(&column(Some("'a' || 'b'"), true), &table));
        // Words the clock keywords start with, inside a string, are text.
        for literal in [
            "-1.5",
            "0",
            "'it''s'",
            "X'41'",
            "TRUE",
            "'current_time'",
            "'CURRENT_DATE'",
        ] {
            assert!(
                r.can_add_column(&column(Some(literal), true), &table),
                "{literal}"
            );
        }
    }
}
