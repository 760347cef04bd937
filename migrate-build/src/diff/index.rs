//! Indexes: matched by name; a changed index is dropped and created again.
//! Indexes of created tables are created after them; those of dropped tables
//! go with the table; those of rebuilt tables are part of the rebuild.

use super::Differ;
use super::order::Phase;
use super::table::TableChanges;
use crate::dialect::Dialect;
use crate::pair::Pair;
use crate::plan::Step;
use crate::schema::{Index, IndexColumn, IndexExpr, QualifiedName};

#[derive(Default)]
pub(super) struct IndexChanges<'a> {
    pub created: Vec<&'a Index>,
    pub dropped: Vec<&'a Index>,
    /// Kept indexes of kept tables whose storage parameters or statistics
    /// targets change.
    pub restored: Vec<Pair<&'a Index>>,
}

pub(super) fn index_changes<'a>(
    differ: &Differ<'a>,
    tables: &TableChanges<'a>,
) -> IndexChanges<'a> {
    let Pair { previous, next } = differ.schemas;
    let names = &differ.names;
    let d = differ.dialect;
    // An index reading a column dropped and added again goes with the
    // column, so it must be created again too.
    let unchanged = |old: &Index, new: &Index| {
        same_index(old, new, d) && !uses_any(old, &tables.recreated_columns_of(&old.table))
    };
    // Indexes on materialized views follow their view (see `objects`); a
    // dropped table takes its indexes along, and a rebuilt one recreates
    // them.
    let dropped = previous
        .indexes
        .iter()
        .filter(|old| names.previous.view(&old.table).is_none())
        .filter(|old| !tables.is_dropped(&old.table) && !tables.is_rebuilt(&old.table))
        .filter(|old| {
            !names
                .next
                .index(&old.name)
                .is_some_and(|new| unchanged(old, new))
        })
        .collect();
    let created = next
        .indexes
        .iter()
        .filter(|new| names.next.view(&new.table).is_none() && !tables.is_rebuilt(&new.table))
        .filter(|new| {
            tables.is_created(&new.table)
                || !names
                    .previous
                    .index(&new.name)
                    .is_some_and(|old| unchanged(old, new))
        })
        .collect();
    let restored = next
        .indexes
        .iter()
        .filter(|new| names.next.view(&new.table).is_none() && !tables.is_rebuilt(&new.table))
        .filter(|new| !tables.is_created(&new.table))
        .filter_map(|new| {
            let old = names.previous.index(&new.name)?;
            (unchanged(old, new)
                && (!crate::schema::same_storage(&old.storage, &new.storage)
                    || statistics_after(old, tables) != statistics(new)))
            .then(|| Pair::new(old, new))
        })
        .collect();
    IndexChanges {
        created,
        dropped,
        restored,
    }
}

pub(super) fn push_index_steps(differ: &mut Differ<'_>, tables: &TableChanges<'_>) {
    for index in &tables.indexes.dropped {
        differ.push(Step::DropIndex((*index).clone()));
    }
    for index in &tables.indexes.created {
        differ.push(Step::CreateIndex((*index).clone()));
    }
    push_copy_renames(differ, tables);
    for pair in &tables.indexes.restored {
        if pair.previous.storage != pair.next.storage {
            differ.push(Step::AlterIndexStorage {
                index: pair.next.name.clone(),
                previous: pair.previous.storage.clone(),
                next: pair.next.storage.clone(),
            });
        }
        let previous = statistics_after(pair.previous, tables);
        if previous != statistics(pair.next) {
            differ.push(Step::AlterIndexStatistics {
                index: pair.next.name.clone(),
                previous,
                next: statistics(pair.next),
            });
        }
    }
}

/// The statistics targets a kept index has once its table's columns are
/// altered: none when one it reads changes type (the server builds it again).
fn statistics_after(index: &Index, tables: &TableChanges<'_>) -> Vec<Option<i32>> {
    if uses_any(index, &tables.retyped_columns_of(&index.table)) {
        vec![None; index.columns.len()]
    } else {
        statistics(index)
    }
}

/// The statistics targets of an index's columns (not part of what makes it
/// the same index: the server changes them in place).
pub(crate) fn statistics(index: &Index) -> Vec<Option<i32>> {
    index.columns.iter().map(|c| c.statistics).collect()
}

/// The names of partitions' copies of a kept partitioned index: a copy the
/// server already has under another name is renamed; a partition created
/// or attached under the index gets a copy the server names itself, renamed
/// after it when the next schema names it otherwise. (A created index
/// creates its copies by their names.)
fn push_copy_renames(differ: &mut Differ<'_>, tables: &TableChanges<'_>) {
    let Pair { previous, next } = differ.schemas;
    let d = differ.dialect;
    let created = &tables.indexes.created;
    let mut steps = Vec::new();
    for index in next.indexes.iter() {
        if index.partition_copies.is_empty()
            || created.iter().any(|c| c.name.same_as(&index.name, d))
        {
            continue;
        }
        let Some(old) = previous.index(&index.name) else {
            continue;
        };
        for copy in &index.partition_copies {
            // A partition of the same table then (the index's, or the
            // partitioned partition's whose copy this one is a copy of).
            let level = copy.under.as_ref().unwrap_or(&index.table);
            let was_partition = previous.table(&copy.table).is_some_and(|t| {
                t.partition_of
                    .as_ref()
                    .is_some_and(|p| p.parent.same_as(level, d))
            }) && !tables.is_created(&copy.table);
            let server_name = match old.copy_on(&copy.table, d) {
                Some(name) if was_partition => name.to_string(),
                _ => {
                    let mut without = next.clone();
                    if let Some(i) = without
                        .indexes
                        .iter_mut()
                        .find(|i| i.name.same_as(&index.name, d))
                    {
                        i.partition_copies
                            .retain(|c| !c.table.same_as(&copy.table, d));
                    }
                    crate::ddl::server_copy_name(&without, index, &copy.table)
                }
            };
            if !d.same_name(&server_name, &copy.name) {
                let step = Step::Rename(crate::plan::Rename::Index {
                    from: QualifiedName::with_schema(copy.table.schema.clone(), server_name),
                    to: copy.name.clone(),
                });
                let phase = if was_partition {
                    Phase::Renames
                } else {
                    Phase::CreateIndexes
                };
                steps.push((phase, step));
            }
        }
    }
    for (phase, step) in steps {
        differ.push_at(phase, step, None);
    }
}

/// Two indexes of the same name are the same index when a database could
/// not tell them apart.
pub(super) fn same_index(a: &Index, b: &Index, d: Dialect) -> bool {
    a.table.same_as(&b.table, d)
        && a.unique == b.unique
        && a.columns.len() == b.columns.len()
        && a.columns
            .iter()
            .zip(&b.columns)
            .all(|(x, y)| same_index_column(x, y, d))
        && a.predicate == b.predicate
        && same_optional_name(a.method.as_deref(), b.method.as_deref(), d)
        && a.include.len() == b.include.len()
        && a.include
            .iter()
            .zip(&b.include)
            .all(|(x, y)| d.same_name(x, y))
        && a.nulls_not_distinct == b.nulls_not_distinct
}

fn same_index_column(a: &IndexColumn, b: &IndexColumn, d: Dialect) -> bool {
    let expr = match (&a.expr, &b.expr) {
        (IndexExpr::Column(x), IndexExpr::Column(y)) => d.same_name(x, y),
        (IndexExpr::Expression(x), IndexExpr::Expression(y)) => x == y,
        (IndexExpr::Column(_), IndexExpr::Expression(_))
        | (IndexExpr::Expression(_), IndexExpr::Column(_)) => false,
    };
    expr && a.descending == b.descending
        && a.nulls_first == b.nulls_first
        && same_optional_name(a.opclass.as_deref(), b.opclass.as_deref(), d)
        && same_optional_name(a.collation.as_deref(), b.collation.as_deref(), d)
}

fn same_optional_name(a: Option<&str>, b: Option<&str>, d: Dialect) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => d.same_name(x, y),
        (Some(_), None) | (None, Some(_)) => false,
    }
}

/// Whether an index reads any of `columns` (by name, in an expression, in
/// its predicate or its INCLUDE list): dropping one of them drops the index.
fn uses_any(index: &Index, columns: &[&str]) -> bool {
    columns.iter().any(|column| index.reads(column))
}
