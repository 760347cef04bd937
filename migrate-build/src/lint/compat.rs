//! Backward compatibility: during a deploy the previous version of the
//! application keeps running against the migrated database. A table or
//! column it knows (one that existed before the migrations being linted)
//! that is renamed or dropped breaks its queries until it is replaced.

use super::changes::Change;
use super::{Cx, Raw};

const EXPAND: &str = "expand, then contract: ";

pub(super) fn check(change: &Change, cx: &Cx<'_>, out: &mut Vec<Raw>) {
    match change {
        Change::RenameTable { from, to } if cx.in_baseline(&from.name, None) => out.push(Raw::new(
            "BC101",
            format!(
                "renames table `{}` to `{}`: the running version of the application still queries `{}`",
                from.name, to.name, from.name
            ),
            format!("{EXPAND}create the new table (or a view under the old name), move the application to it, and drop the old name in a later release"),
        )),
        Change::RenameColumn { table, from, to } if cx.in_baseline(table, Some(from)) => out.push(Raw::new(
            "BC102",
            format!(
                "renames column `{table}.{from}` to `{to}`: the running version of the application still reads and writes `{from}`"
            ),
            format!("{EXPAND}add the new column, write both and fill it, move the application to it, and drop the old one in a later release"),
        )),
        Change::DropTable(table) if cx.in_baseline(&table.name, None) => out.push(Raw::new(
            "BC103",
            format!(
                "drops table `{}`, which the running version of the application may still use",
                table.name
            ),
            "release the application without its uses of the table first, and drop it in a later migration",
        )),
        Change::DropColumn { table, column } if cx.in_baseline(table, Some(&column.name)) => out.push(Raw::new(
            "BC103",
            format!(
                "drops column `{table}.{}`, which the running version of the application may still read or write",
                column.name
            ),
            "release the application without its uses of the column first, and drop it in a later migration",
        )),
        _ => {}
    }
}
