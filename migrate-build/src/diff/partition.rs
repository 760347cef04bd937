//! What attaching and detaching a partition does by itself, so the plan
//! does not do it twice: `ATTACH PARTITION` needs the parent's checks on
//! the table and then holds them as the parent's; `DETACH PARTITION`
//! leaves the table with its own copies of the parent's checks, foreign
//! keys, keys and indexes.

use super::Differ;
use super::order::Phase;
use super::table::TableChanges;
use crate::pair::Pair;
use crate::plan::Step;
use crate::schema::{QualifiedName, Table};

pub(super) fn adjust(differ: &mut Differ<'_>, tables: &TableChanges<'_>) {
    let d = differ.dialect;
    let Pair { previous, next } = differ.schemas;
    let mut unwanted: Vec<Step> = Vec::new();
    let mut wanted: Vec<Step> = Vec::new();
    for diff in &tables.matched {
        let Pair {
            previous: was,
            next: is,
        } = diff.tables;
        let same_parent = match (&was.partition_of, &is.partition_of) {
            (Some(a), Some(b)) => a.parent.same_as(&b.parent, d),
            _ => false,
        };
        if same_parent {
            continue;
        }
        if let Some(parent) = is.partition_of.as_ref().and_then(|p| next.table(&p.parent)) {
            for check in &parent.checks {
                let had = was.checks.iter().find(|c| c.name == check.name);
                match had {
                    Some(c) if c.expr == check.expr => unwanted.push(Step::DropCheck {
                        table: was.name.clone(),
                        check: c.clone(),
                    }),
                    _ => wanted.push(Step::AddCheck {
                        table: is.name.clone(),
                        check: check.clone(),
                    }),
                }
            }
        }
        if let Some(parent) = was
            .partition_of
            .as_ref()
            .and_then(|p| previous.table(&p.parent))
        {
            detached_copies(differ, parent, is, &mut unwanted);
        }
    }
    if !unwanted.is_empty() {
        differ
            .steps
            .retain(|(_, planned)| !unwanted.contains(&planned.step));
    }
    // Before the attach, which is in `AddConstraints`.
    for step in wanted {
        differ.push_at(Phase::AddGeneratedColumns, step, None);
    }
}

/// Steps adding to a detached partition what the detach gave it already.
fn detached_copies(differ: &Differ<'_>, parent: &Table, child: &Table, out: &mut Vec<Step>) {
    let d = differ.dialect;
    let name: &QualifiedName = &child.name;
    let same_cols = |a: &[String], b: &[String]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| d.same_name(x, y))
    };
    for check in &child.checks {
        if parent
            .checks
            .iter()
            .any(|p| p.name == check.name && p.expr == check.expr)
        {
            out.push(Step::AddCheck {
                table: name.clone(),
                check: check.clone(),
            });
        }
    }
    for fk in &child.foreign_keys {
        if parent.foreign_keys.iter().any(|p| {
            p.name == fk.name
                && same_cols(&p.columns, &fk.columns)
                && same_cols(&p.referenced_columns, &fk.referenced_columns)
        }) {
            out.push(Step::AddForeignKey {
                table: name.clone(),
                foreign_key: fk.clone(),
            });
        }
    }
    if let (Some(pk), Some(ppk)) = (&child.primary_key, &parent.primary_key)
        && same_cols(&pk.columns, &ppk.columns)
    {
        out.push(Step::AddPrimaryKey {
            table: name.clone(),
            primary_key: pk.clone(),
        });
    }
    for u in &child.uniques {
        if parent
            .uniques
            .iter()
            .any(|p| same_cols(&p.columns, &u.columns))
        {
            out.push(Step::AddUnique {
                table: name.clone(),
                unique: u.clone(),
            });
        }
    }
    let parent_indexes: Vec<_> = differ.schemas.previous.indexes_on(&parent.name).collect();
    for index in differ.schemas.next.indexes_on(name) {
        let copied = parent_indexes.iter().any(|p| {
            p.unique == index.unique
                && p.columns == index.columns
                && p.predicate == index.predicate
                && p.method == index.method
                && p.include == index.include
        });
        if copied {
            out.push(Step::CreateIndex(index.clone()));
        }
    }
}
