//! Enum types (PostgreSQL): values appended or inserted are added in place;
//! values removed or reordered need the type recreated.

use super::Differ;
use crate::pair::Pair;
use crate::plan::{Destructive, EnumUsage, EnumValuePosition, Step};
use crate::schema::{ColumnType, Enum, QualifiedName};

pub(super) fn push_enum_steps(differ: &mut Differ<'_>) {
    if !differ.rules.has_enums() {
        return;
    }
    let Pair { previous, next } = differ.schemas;
    for new in &next.enums {
        match previous.enum_type(&new.name) {
            None => differ.push(Step::CreateEnum(new.clone())),
            Some(old) if old.values == new.values => {}
            Some(old)
                if is_subsequence(&old.values, &new.values) && !new_value_used(next, old, new) =>
            {
                push_added_values(differ, old, new)
            }
            Some(old) => push_recreate(differ, Pair::new(old, new)),
        }
    }
}

/// Removed enums, pushed after the opaque objects' drops: both go in the
/// same late phase, and a cast, domain, routine or composite type may use
/// an enum while no enum uses any of them.
pub(super) fn push_enum_drops(differ: &mut Differ<'_>) {
    if !differ.rules.has_enums() {
        return;
    }
    let Pair { previous, next } = differ.schemas;
    for old in &previous.enums {
        if next.enum_type(&old.name).is_none() {
            differ.push(Step::DropEnum(old.clone()));
        }
    }
}

/// Whether an expression of `next` (default, check, index predicate)
/// mentions a value `new` adds. PostgreSQL refuses to use a value added by
/// `ALTER TYPE … ADD VALUE` before the transaction commits ("unsafe use of
/// new value"), so such a plan recreates the type instead, which is safe
/// inside the migration's transaction.
fn new_value_used(next: &crate::Schema, old: &Enum, new: &Enum) -> bool {
    let added: Vec<&String> = new
        .values
        .iter()
        .filter(|v| !old.values.contains(v))
        .collect();
    let mentions = |e: &crate::schema::Expr| added.iter().any(|v| e.has_string(v));
    let tables = next.tables.iter().any(|t| {
        t.columns
            .iter()
            .any(|c| c.default.as_ref().is_some_and(mentions))
            || t.checks.iter().any(|k| mentions(&k.expr))
    });
    tables
        || next
            .indexes
            .iter()
            .any(|i| i.predicate.as_ref().is_some_and(mentions))
}

/// Whether every value of `old` is in `new`, in the same order.
fn is_subsequence(old: &[String], new: &[String]) -> bool {
    let mut rest = new.iter();
    old.iter().all(|value| rest.any(|v| v == value))
}

/// One `ADD VALUE` per new value, in declaration order. A value goes after
/// its predecessor unless nothing that already exists follows it (then at
/// the end), or it is first (then before the first existing value).
fn push_added_values(differ: &mut Differ<'_>, old: &Enum, new: &Enum) {
    for (i, value) in new.values.iter().enumerate() {
        if old.values.contains(value) {
            continue;
        }
        let existing_after = new.values[i + 1..].iter().find(|v| old.values.contains(v));
        let position = match (existing_after, i.checked_sub(1)) {
            (None, _) => EnumValuePosition::End,
            (Some(after), None) => EnumValuePosition::Before(after.clone()),
            (Some(_), Some(before)) => EnumValuePosition::After(new.values[before].clone()),
        };
        differ.push(Step::AddEnumValue {
            enum_name: new.name.clone(),
            value: value.clone(),
            position,
        });
    }
}

/// The columns converted are those holding the type before and after the
/// plan (columns created with the type are created after the recreation;
/// columns that change to it are altered after it).
fn push_recreate(differ: &mut Differ<'_>, enums: Pair<&Enum>) {
    let Pair { previous, next } = differ.schemas;
    let d = differ.dialect;
    let mut usages = Vec::new();
    for table in &next.tables {
        let Some(old_table) = previous.table(&table.name) else {
            continue;
        };
        for column in &table.columns {
            let held_before = old_table
                .column(&column.name, d)
                .is_some_and(|c| uses_enum(&c.ty, &enums.previous.name, d));
            if held_before && uses_enum(&column.ty, &enums.next.name, d) {
                usages.push(EnumUsage {
                    table: table.name.clone(),
                    column: column.name.clone(),
                    default: column.default.clone(),
                });
            }
        }
    }
    let removed = enums
        .previous
        .values
        .iter()
        .filter(|v| !enums.next.values.contains(v))
        .cloned()
        .collect::<Vec<_>>();
    let destructive = (!removed.is_empty()).then(|| Destructive::DropEnumValue {
        enum_name: enums.next.name.clone(),
        values: removed,
    });
    differ.push_destructive(
        Step::RecreateEnum {
            previous: enums.previous.clone(),
            next: enums.next.clone(),
            usages,
        },
        destructive,
    );
}

/// A user-defined column type names the enum as `name` or `schema.name`.
pub(super) fn uses_enum(ty: &ColumnType, name: &QualifiedName, d: crate::Dialect) -> bool {
    if !ty.user_defined {
        return false;
    }
    match (&name.schema, ty.name.split_once('.')) {
        (None, None) => d.same_name(&ty.name, &name.name),
        (Some(schema), Some((s, n))) => d.same_name(s, schema) && d.same_name(n, &name.name),
        (None, Some(_)) | (Some(_), None) => false,
    }
}

/// Enums the plan recreates (pushed before any table step).
pub(super) fn recreated_enums(differ: &Differ<'_>) -> Vec<QualifiedName> {
    differ
        .steps
        .iter()
        .filter_map(|(_, planned)| {
            if let Step::RecreateEnum { previous, .. } = &planned.step {
                Some(previous.name.clone())
            } else {
                None
            }
        })
        .collect()
}
