//! Destructive changes: what a migration drops or narrows is gone once it
//! ran (`down.sql` brings the shape back, not the data).

use crate::Dialect;
use crate::schema::{Column, ColumnType, Table};

use super::changes::Change;
use super::{Cx, Probe, Raw, Stmt};

const SUPPRESS: &str =
    "if that is the intent, say so above the statement: `-- migrate:lint-ignore <code> <why>`";

pub(super) fn check(change: &Change, _stmt: &Stmt, cx: &Cx<'_>, out: &mut Vec<Raw>) {
    match change {
        Change::DropTable(table) if cx.existing(&table.name) => out.push(Raw::new(
            "DS101",
            format!("drops table `{}` and all its rows", table.name),
            format!("copy the rows elsewhere first if they may be needed; {SUPPRESS}"),
        )),
        Change::DropColumn { table, column }
            if column.generated.is_none() && cx.existing_column(table, &column.name) =>
        {
            out.push(Raw::new(
                "DS102",
                format!("drops column `{table}.{}` and its values", column.name),
                format!("copy the values elsewhere first if they may be needed; {SUPPRESS}"),
            ))
        }
        Change::DropNamespace(name) => out.push(Raw::new(
            "DS103",
            format!("drops schema `{name}` and everything in it"),
            format!("drop its objects one by one, so each drop is visible; {SUPPRESS}"),
        )),
        Change::EnumValuesRemoved { name, values } => {
            let listed = values
                .iter()
                .map(|v| format!("'{v}'"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut raw = Raw::new(
                "DS104",
                format!(
                    "removes value(s) {listed} from enum `{name}`: the migration fails on rows holding them"
                ),
                "first UPDATE the rows holding them to a value that stays",
            );
            for (table, column) in enum_columns(cx, &name.name) {
                raw = raw.probe(Probe::EnumValues {
                    table,
                    column,
                    values: values.clone(),
                });
            }
            out.push(raw)
        }
        Change::AlterColumn {
            table,
            previous,
            next,
        } if cx.existing(&table.name) && applies(cx.dialect, table) => {
            if let Some(max) = narrowing(cx.dialect, &previous.ty, &next.ty) {
                let probe = match max {
                    Some(max) => Probe::TooLong {
                        table: table.name.clone(),
                        column: next.name.clone(),
                        max,
                    },
                    None => Probe::NonNull {
                        table: table.name.clone(),
                        column: next.name.clone(),
                    },
                };
                out.push(
                    Raw::new(
                        "DS105",
                        format!(
                            "narrows `{}.{}` from `{}` to `{}`: values that do not fit make the migration fail",
                            table.name, next.name, previous.ty, next.ty
                        ),
                        "check the longest or largest value first; shorten or move the values that do not fit before the change",
                    )
                    .probe(probe),
                )
            }
        }
        _ => {}
    }
}

/// SQLite converts nothing unless the table is STRICT: a type change there
/// keeps every value as it was.
pub(super) fn applies(dialect: Dialect, table: &Table) -> bool {
    match dialect {
        Dialect::Postgres => true,
        Dialect::Sqlite => table.strict,
    }
}

/// Columns of the migration's starting schema with the enum as their type.
fn enum_columns(cx: &Cx<'_>, name: &str) -> Vec<(crate::schema::QualifiedName, String)> {
    cx.before
        .tables
        .iter()
        .flat_map(|t| {
            t.columns
                .iter()
                .filter(|c: &&Column| c.ty.user_defined && cx.dialect.same_name(&c.ty.name, name))
                .map(|c| (t.name.clone(), c.name.clone()))
        })
        .collect()
}

/// The size class of a type whose values narrowing can cut: strings (with
/// their length limit), integers (with their rank), exact numbers.
enum Kind {
    Text(Option<u32>),
    Integer(u8),
    Numeric,
}

fn kind(dialect: Dialect, ty: &ColumnType) -> Option<Kind> {
    if ty.array_dims > 0 || ty.user_defined {
        return None;
    }
    let name = ty.name.to_ascii_lowercase();
    let limit = ty.modifiers.first().copied();
    match dialect {
        Dialect::Postgres => match name.as_str() {
            "text" => Some(Kind::Text(None)),
            "character varying" | "character" => Some(Kind::Text(limit)),
            "smallint" => Some(Kind::Integer(1)),
            "integer" => Some(Kind::Integer(2)),
            "bigint" => Some(Kind::Integer(3)),
            "numeric" => Some(Kind::Numeric),
            _ => None,
        },
        // STRICT tables know INTEGER, REAL, TEXT, BLOB, ANY: none narrows another.
        Dialect::Sqlite => None,
    }
}

/// `Some(limit)` when `from` → `to` narrows within one kind of values
/// (`Some(Some(n))`: to `n` characters), `None` otherwise (a widening, or
/// a change between kinds, which [`super::data`] reports).
pub(super) fn narrowing(
    dialect: Dialect,
    from: &ColumnType,
    to: &ColumnType,
) -> Option<Option<u32>> {
    if from == to || dialect.rules().is_widening(from, to) {
        return None;
    }
    match (kind(dialect, from)?, kind(dialect, to)?) {
        (Kind::Text(_), Kind::Text(Some(n))) => Some(Some(n)),
        (Kind::Text(_), Kind::Text(None)) => None,
        (Kind::Integer(a), Kind::Integer(b)) => (b < a).then_some(None),
        (Kind::Numeric, Kind::Numeric) => Some(None),
        _ => None,
    }
}

/// Whether every value of `from` converts to `to` (PostgreSQL): to
/// unbounded text, between points in time and dates, from integers to wider
/// numbers. Such a change cannot fail on a row.
pub(super) fn always_converts(dialect: Dialect, from: &ColumnType, to: &ColumnType) -> bool {
    if dialect != Dialect::Postgres || from.array_dims != to.array_dims || to.user_defined {
        return false;
    }
    let time = |n: &str| {
        matches!(
            n,
            "timestamp without time zone" | "timestamp with time zone" | "date"
        )
    };
    let (f, t) = (from.name.as_str(), to.name.as_str());
    let unbounded_text = to.modifiers.is_empty() && matches!(t, "text" | "character varying");
    unbounded_text
        || (time(f) && time(t))
        || (matches!(f, "smallint" | "integer" | "bigint")
            && matches!(t, "numeric" | "double precision")
            && to.modifiers.is_empty())
}

/// Whether `from` and `to` are the same kind of value, so that a change is
/// a widening or a narrowing, not a conversion.
pub(super) fn same_kind(dialect: Dialect, from: &ColumnType, to: &ColumnType) -> bool {
    matches!(
        (kind(dialect, from), kind(dialect, to)),
        (Some(Kind::Text(_)), Some(Kind::Text(_)))
            | (Some(Kind::Integer(_)), Some(Kind::Integer(_)))
            | (Some(Kind::Numeric), Some(Kind::Numeric))
    )
}
