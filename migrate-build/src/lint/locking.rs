//! PostgreSQL locks: statements that hold a lock on a table the running
//! application uses for as long as they scan, rewrite or index it. Each
//! has a form that does not (or a shorter one).

use crate::ddl::{self, StatementKind};
use crate::schema::ColumnType;

use super::changes::Change;
use super::{Cx, Raw, Stmt};

pub(super) fn check(change: &Change, stmt: &Stmt, cx: &Cx<'_>, out: &mut Vec<Raw>) {
    match change {
        Change::CreateIndex(index) if cx.existing(&index.table) && !stmt.facts.concurrently => out.push(Raw::new(
            "PG101",
            format!(
                "creates index `{}` on existing table `{}` without CONCURRENTLY: writes to the table wait until it is built",
                index.name, index.table
            ),
            "use CREATE INDEX CONCURRENTLY, in a migration of its own whose first line is `-- migrate:no-transaction`",
        )),
        Change::AddCheck {
            table,
            check,
            validated: false,
        } if cx.existing(table) && !check.not_valid => out.push(Raw::new(
            "PG103",
            format!(
                "adds check `{}` to `{table}` without NOT VALID: reads and writes wait while every row is checked",
                check.name.as_deref().unwrap_or(&check.expr.sql)
            ),
            "add it with NOT VALID, then VALIDATE CONSTRAINT in a later migration (that waits for no one)",
        )),
        Change::AddForeignKey {
            table,
            key,
            validated: false,
        } if cx.existing(table) && !key.not_valid => out.push(Raw::new(
            "PG103",
            format!(
                "adds foreign key ({}) of `{table}` without NOT VALID: writes to `{table}` and `{}` wait while every row is checked",
                key.columns.join(", "),
                key.referenced_table
            ),
            "add it with NOT VALID, then VALIDATE CONSTRAINT in a later migration (that waits for no one)",
        )),
        Change::AlterColumn {
            table,
            previous,
            next,
        } if cx.existing(&table.name) => {
            let proven = table.checks.iter().any(|c| {
                !c.not_valid && ddl::is_not_null_check(&c.expr, &next.name, cx.dialect)
            });
            if previous.nullable && !next.nullable && !proven {
                out.push(Raw::new(
                    "PG104",
                    format!(
                        "SET NOT NULL on `{}.{}` scans the whole table while reads and writes wait",
                        table.name, next.name
                    ),
                    format!(
                        "first ADD CONSTRAINT … CHECK ({} IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT, then SET NOT NULL (which uses the check and does not scan) and drop the check",
                        next.name
                    ),
                ));
            }
            if previous.ty != next.ty && rewrites(&previous.ty, &next.ty) {
                out.push(Raw::new(
                    "PG105",
                    format!(
                        "changing the type of `{}.{}` from `{}` to `{}` rewrites the table and its indexes while reads and writes wait",
                        table.name, next.name, previous.ty, next.ty
                    ),
                    "add a new column, fill it in batches, switch the application to it, then drop the old one",
                ));
            }
        }
        Change::AddColumn { table, column } if cx.existing(&table.name) => {
            if let Some(function) = column
                .default
                .as_ref()
                .and_then(|d| ddl::volatile_call(d, cx.dialect))
            {
                out.push(Raw::new(
                    "PG106",
                    format!(
                        "adds `{}.{}` with a default calling {function}(): every row is rewritten while reads and writes wait",
                        table.name, column.name
                    ),
                    "add the column without a default (or with a constant one), set the default, and fill existing rows in batches",
                ));
            }
        }
        Change::AddPrimaryKey { table, .. } if cx.existing(table) && !stmt.facts.using_index => {
            out.push(Raw::new(
                "PG107",
                format!("adds a primary key to `{table}`, building its index while reads and writes wait"),
                "CREATE UNIQUE INDEX CONCURRENTLY first (its own migration), then ADD CONSTRAINT … PRIMARY KEY USING INDEX",
            ))
        }
        Change::AddUnique {
            table,
            columns,
            index: false,
        } if cx.existing(table) && !stmt.facts.using_index => out.push(Raw::new(
            "PG107",
            format!(
                "adds unique constraint ({}) to `{table}`, building its index while writes wait",
                columns.join(", ")
            ),
            "CREATE UNIQUE INDEX CONCURRENTLY first (its own migration), then ADD CONSTRAINT … UNIQUE USING INDEX",
        )),
        _ => {}
    }
}

/// Findings about the statement as written, whatever it changes.
pub(super) fn check_statement(stmt: &Stmt, cx: &Cx<'_>, out: &mut Vec<Raw>) {
    if stmt.facts.concurrently && !cx.no_transaction {
        out.push(Raw::new(
            "PG102",
            "CONCURRENTLY cannot run inside a transaction block, and this migration runs in one: it fails".to_string(),
            "put the statement in a migration of its own whose first line is `-- migrate:no-transaction`",
        ));
    }
}

/// The first statement that locks an existing table, when no `SET
/// lock_timeout` came before it: waiting for its lock queues every other
/// query of the table behind it.
pub(super) fn lock_timeout(stmt: &Stmt, cx: &Cx<'_>) -> Option<Raw> {
    let table = stmt.changes.iter().find_map(|c| match c {
        Change::DropTable(t) => Some(&t.name),
        Change::RenameTable { from, .. } => Some(&from.name),
        Change::AddColumn { table, .. } | Change::AlterColumn { table, .. } => Some(&table.name),
        Change::DropColumn { table, .. }
        | Change::RenameColumn { table, .. }
        | Change::AddPrimaryKey { table, .. }
        | Change::AddUnique { table, .. }
        | Change::AddCheck { table, .. }
        | Change::AddForeignKey { table, .. } => Some(table),
        Change::CreateIndex(i) if !stmt.facts.concurrently => Some(&i.table),
        _ => None,
    })?;
    let locks = matches!(
        stmt.facts.kind,
        StatementKind::AlterTable | StatementKind::CreateIndex | StatementKind::Drop
    );
    (locks && cx.existing(table)).then(|| {
        Raw::new(
            "PG108",
            format!("locks `{table}` with no lock_timeout set: while it waits for the lock, every query of the table waits behind it"),
            "start the migration with `SET lock_timeout = '2s';` (and retry when it times out)",
        )
    })
}

/// Whether `ALTER COLUMN TYPE` from `from` to `to` rewrites the table:
/// everything but the binary-compatible changes PostgreSQL does in place.
fn rewrites(from: &ColumnType, to: &ColumnType) -> bool {
    if from.array_dims != to.array_dims {
        return true;
    }
    let grows = |a: &[u32], b: &[u32]| match (a.first(), b.first()) {
        (_, None) => true,
        (Some(x), Some(y)) => y >= x,
        (None, Some(_)) => false,
    };
    match (from.name.as_str(), to.name.as_str()) {
        ("character varying", "text") | ("text", "character varying") => !to.modifiers.is_empty(),
        ("character varying", "character varying") => !grows(&from.modifiers, &to.modifiers),
        ("numeric", "numeric") => match (from.modifiers.as_slice(), to.modifiers.as_slice()) {
            (_, []) => false,
            ([p1, s1], [p2, s2]) => !(s1 == s2 && p2 >= p1),
            ([p1], [p2]) => p2 < p1,
            _ => true,
        },
        ("bit varying", "bit varying") => !grows(&from.modifiers, &to.modifiers),
        ("cidr", "inet") => false,
        ("timestamp without time zone", "timestamp with time zone")
        | ("timestamp with time zone", "timestamp without time zone") => true,
        _ => true,
    }
}
