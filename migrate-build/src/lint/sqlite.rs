//! SQLite's traps: what it cannot alter in place (the table is rebuilt),
//! and the `ADD COLUMN` forms it refuses however few rows there are.

use crate::ddl::{self, StatementKind};

use super::changes::Change;
use super::{Cx, Raw, Stmt};

pub(super) fn check(change: &Change, stmt: &Stmt, cx: &Cx<'_>, out: &mut Vec<Raw>) {
    match change {
        Change::Rebuild { previous, .. } => out.push(Raw::new(
            "SL101",
            format!(
                "rebuilds table `{}`: every row is copied into a new table and its indexes and triggers are made again, with foreign keys off, while the database takes no other writes",
                previous.name
            ),
            "fine on small tables; on a large one, time it on a copy of the data and run it when writes can wait",
        )),
        Change::AddColumn { table, column }
            if stmt.facts.kind == StatementKind::AlterTable && cx.existing(&table.name) =>
        {
            let default = column.default.as_ref().filter(|d| !d.is_null());
            if !column.nullable && default.is_none() && column.generated.is_none() {
                out.push(Raw::new(
                    "SL102",
                    format!(
                        "adds NOT NULL column `{}.{}` without a default: SQLite refuses this ALTER TABLE, even on an empty table",
                        table.name, column.name
                    ),
                    "give it a DEFAULT, or add it nullable",
                ));
            }
            if let Some(default) = default
                && !ddl::is_constant_default(default, cx.dialect)
            {
                out.push(Raw::new(
                    "SL103",
                    format!(
                        "adds `{}.{}` with the non-constant default `{}`: SQLite refuses this ALTER TABLE",
                        table.name, column.name, default.sql
                    ),
                    "add the column with a constant default (or none) and fill it with UPDATE; a default like CURRENT_TIMESTAMP needs a table rebuild",
                ));
            }
        }
        _ => {}
    }
}
