//! What a data-dependent finding counts in a database, as one `SELECT
//! count(*)` the CLI runs on the developer's own database, and how the
//! number reads.

use crate::Dialect;
use crate::dialect::quote::{ident, qualified, string};
use crate::schema::{Expr, QualifiedName};

/// Rows that would make a statement fail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Probe {
    /// Every row of the table.
    Rows { table: QualifiedName },
    /// Rows with a NULL in one of the columns.
    Nulls {
        table: QualifiedName,
        columns: Vec<String>,
    },
    /// Values of the columns held by more than one row.
    Duplicates {
        table: QualifiedName,
        columns: Vec<String>,
    },
    /// Rows the check rejects (false, not NULL).
    FailingCheck { table: QualifiedName, check: Expr },
    /// Rows whose key matches no row of the referenced table.
    Orphans {
        table: QualifiedName,
        columns: Vec<String>,
        referenced_table: QualifiedName,
        referenced_columns: Vec<String>,
    },
    /// Rows with a value to convert.
    NonNull {
        table: QualifiedName,
        column: String,
    },
    /// Rows with a value longer than `max` characters.
    TooLong {
        table: QualifiedName,
        column: String,
        max: u32,
    },
    /// Rows holding one of the values.
    EnumValues {
        table: QualifiedName,
        column: String,
        values: Vec<String>,
    },
}

impl Probe {
    /// The query: one row, one integer column.
    pub fn sql(&self, dialect: Dialect) -> String {
        let q = |n: &QualifiedName| qualified(n, dialect);
        let i = |c: &str| ident(c, dialect);
        match self {
            Probe::Rows { table } => format!("SELECT count(*) FROM {}", q(table)),
            Probe::Nulls { table, columns } => format!(
                "SELECT count(*) FROM {} WHERE {}",
                q(table),
                columns
                    .iter()
                    .map(|c| format!("{} IS NULL", i(c)))
                    .collect::<Vec<_>>()
                    .join(" OR ")
            ),
            Probe::Duplicates { table, columns } => {
                let list = columns.iter().map(|c| i(c)).collect::<Vec<_>>();
                format!(
                    "SELECT count(*) FROM (SELECT 1 FROM {} WHERE {} GROUP BY {} HAVING count(*) > 1) AS duplicates",
                    q(table),
                    list.iter()
                        .map(|c| format!("{c} IS NOT NULL"))
                        .collect::<Vec<_>>()
                        .join(" AND "),
                    list.join(", ")
                )
            }
            Probe::FailingCheck { table, check } => {
                format!(
                    "SELECT count(*) FROM {} WHERE NOT ({})",
                    q(table),
                    check.sql
                )
            }
            Probe::Orphans {
                table,
                columns,
                referenced_table,
                referenced_columns,
            } => {
                let not_null = columns
                    .iter()
                    .map(|c| format!("child.{} IS NOT NULL", i(c)))
                    .collect::<Vec<_>>()
                    .join(" AND ");
                let matches = columns
                    .iter()
                    .zip(referenced_columns)
                    .map(|(c, r)| format!("parent.{} = child.{}", i(r), i(c)))
                    .collect::<Vec<_>>()
                    .join(" AND ");
                format!(
                    "SELECT count(*) FROM {} AS child WHERE {not_null} AND NOT EXISTS (SELECT 1 FROM {} AS parent WHERE {matches})",
                    q(table),
                    q(referenced_table)
                )
            }
            Probe::NonNull { table, column } => format!(
                "SELECT count(*) FROM {} WHERE {} IS NOT NULL",
                q(table),
                i(column)
            ),
            Probe::TooLong { table, column, max } => format!(
                "SELECT count(*) FROM {} WHERE length({}) > {max}",
                q(table),
                i(column)
            ),
            Probe::EnumValues {
                table,
                column,
                values,
            } => format!(
                "SELECT count(*) FROM {} WHERE CAST({} AS text) IN ({})",
                q(table),
                i(column),
                values
                    .iter()
                    .map(|v| string(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// The table the query reads (missing from the database: nothing to count).
    pub fn table(&self) -> &QualifiedName {
        match self {
            Probe::Rows { table }
            | Probe::Nulls { table, .. }
            | Probe::Duplicates { table, .. }
            | Probe::FailingCheck { table, .. }
            | Probe::Orphans { table, .. }
            | Probe::NonNull { table, .. }
            | Probe::TooLong { table, .. }
            | Probe::EnumValues { table, .. } => table,
        }
    }

    /// The count in words: what the database holds now.
    pub fn describe(&self, count: u64) -> String {
        let rows = |n: u64| {
            if n == 1 {
                "1 row".to_string()
            } else {
                format!("{n} rows")
            }
        };
        // The verb agrees with the count: "1 row holds", "2 rows hold".
        let s = if count == 1 { "s" } else { "" };
        match self {
            Probe::Rows { table } => format!("`{table}` has {} now", rows(count)),
            Probe::Nulls { table, columns } => format!(
                "{} of `{table}` hold{s} NULL in {}",
                rows(count),
                columns.join(", ")
            ),
            Probe::Duplicates { table, columns } => format!(
                "{count} value{} of ({}) occur{s} in more than one row of `{table}`",
                if count == 1 { "" } else { "s" },
                columns.join(", ")
            ),
            Probe::FailingCheck { table, .. } => {
                format!("{} of `{table}` fail{s} the check", rows(count))
            }
            Probe::Orphans {
                table,
                referenced_table,
                ..
            } => format!(
                "{} of `{table}` reference{s} no row of `{referenced_table}`",
                rows(count)
            ),
            Probe::NonNull { table, column } => {
                format!(
                    "{} of `{table}` hold a value in `{column}` to convert",
                    rows(count)
                )
            }
            Probe::TooLong { table, column, max } => format!(
                "{} of `{table}` hold{s} a `{column}` longer than {max} characters",
                rows(count)
            ),
            Probe::EnumValues {
                table,
                column,
                values,
            } => format!(
                "{} of `{table}` hold{s} {} in `{column}`",
                rows(count),
                values
                    .iter()
                    .map(|v| format!("'{v}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}
