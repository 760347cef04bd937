//! Changes that fail on some of the rows a table may hold: the migration
//! passes on an empty development database and fails in production.
//! `cargo migrate new` writes these into the migration, with the counts
//! from the developer's database when it can reach it.

use crate::Dialect;
use crate::ddl::StatementKind;

use super::changes::Change;
use super::destructive::{always_converts, applies, narrowing, same_kind};
use super::{Cx, Probe, Raw, Stmt};

pub(super) fn check(change: &Change, stmt: &Stmt, cx: &Cx<'_>, out: &mut Vec<Raw>) {
    match change {
        Change::AddColumn { table, column }
            if cx.existing(&table.name)
                && !column.nullable
                && column.default.as_ref().is_none_or(|d| d.is_null())
                && column.identity.is_none()
                && column.generated.is_none()
                && !column.autoincrement
                // SQLite refuses this ALTER TABLE whatever the rows (SL102).
                && !(cx.dialect == Dialect::Sqlite && stmt.facts.kind == StatementKind::AlterTable) =>
        {
            out.push(
                Raw::new(
                    "MF101",
                    format!(
                        "adds NOT NULL column `{}.{}` without a default: the migration fails if `{}` has rows",
                        table.name, column.name, table.name
                    ),
                    "give it a DEFAULT, or add it nullable, fill it (UPDATE), then SET NOT NULL in a later migration",
                )
                .probe(Probe::Rows {
                    table: table.name.clone(),
                }),
            )
        }
        Change::AlterColumn {
            table,
            previous,
            next,
        } if cx.existing(&table.name) => {
            if previous.nullable && !next.nullable {
                out.push(
                    Raw::new(
                        "MF102",
                        format!(
                            "makes `{}.{}` NOT NULL: the migration fails if a row holds NULL there",
                            table.name, next.name
                        ),
                        format!(
                            "fill the NULLs first (UPDATE {} SET {} = … WHERE {} IS NULL), in this migration or one before",
                            table.name, next.name, next.name
                        ),
                    )
                    .probe(Probe::Nulls {
                        table: table.name.clone(),
                        columns: vec![next.name.clone()],
                    }),
                );
            }
            let converts = previous.ty != next.ty
                && applies(cx.dialect, table)
                && !cx.dialect.rules().is_widening(&previous.ty, &next.ty)
                && narrowing(cx.dialect, &previous.ty, &next.ty).is_none()
                && !same_kind(cx.dialect, &previous.ty, &next.ty)
                && !always_converts(cx.dialect, &previous.ty, &next.ty)
                // An enum recreated to drop values is DS104's.
                && !(previous.ty.user_defined && next.ty.user_defined);
            if converts {
                out.push(
                    Raw::new(
                        "MF107",
                        format!(
                            "converts `{}.{}` from `{}` to `{}`: a value that does not convert makes the migration fail",
                            table.name, next.name, previous.ty, next.ty
                        ),
                        "find the values that do not convert and fix them first, or write the conversion (USING …) yourself",
                    )
                    .probe(Probe::NonNull {
                        table: table.name.clone(),
                        column: next.name.clone(),
                    }),
                );
            }
        }
        Change::AddPrimaryKey { table, key } if cx.existing(table) => out.push(
            Raw::new(
                "MF104",
                format!(
                    "adds primary key ({}) to `{table}`: the migration fails on duplicate or NULL values",
                    key.columns.join(", ")
                ),
                "remove duplicates and fill NULLs first (SELECT … GROUP BY … HAVING count(*) > 1 finds the duplicates)",
            )
            .probe(Probe::Duplicates {
                table: table.clone(),
                columns: key.columns.clone(),
            })
            .probe(Probe::Nulls {
                table: table.clone(),
                columns: key.columns.clone(),
            }),
        ),
        Change::AddUnique {
            table,
            columns,
            index,
        } if cx.existing(table) => out.push(
            Raw::new(
                "MF103",
                format!(
                    "adds a unique {} on `{table}` ({}): the migration fails on duplicate values",
                    if *index { "index" } else { "constraint" },
                    columns.join(", ")
                ),
                "remove duplicates first (SELECT … GROUP BY … HAVING count(*) > 1 finds them)",
            )
            .probe(Probe::Duplicates {
                table: table.clone(),
                columns: columns.clone(),
            }),
        ),
        Change::AddCheck {
            table,
            check,
            validated,
        } if cx.existing(table) && !check.not_valid => out.push(
            Raw::new(
                "MF105",
                format!(
                    "{} check `{}` on `{table}`: the migration fails if a row breaks it",
                    if *validated { "validates" } else { "adds" },
                    check.name.as_deref().unwrap_or(&check.expr.sql)
                ),
                "fix the rows that break it first (SELECT … WHERE NOT (check) finds them)",
            )
            .probe(Probe::FailingCheck {
                table: table.clone(),
                check: check.expr.clone(),
            }),
        ),
        Change::AddForeignKey {
            table,
            key,
            validated,
        } if cx.existing(table) && !key.not_valid => out.push(
            Raw::new(
                "MF106",
                format!(
                    "{} foreign key ({}) of `{table}` to `{}`: the migration fails if a row references nothing",
                    if *validated { "validates" } else { "adds" },
                    key.columns.join(", "),
                    key.referenced_table
                ),
                "delete or fix the rows referencing missing rows first (or set them NULL)",
            )
            .probe(Probe::Orphans {
                table: table.clone(),
                columns: key.columns.clone(),
                referenced_table: key.referenced_table.clone(),
                referenced_columns: key.referenced_columns.clone(),
            }),
        ),
        _ => {}
    }
}
