//! `diff(previous, next)`: the steps that turn one schema into the other.
//!
//! The shape follows prisma-engines' `sql_schema_differ`: objects of the two
//! schemas are matched by name (with the dialect's folding rules), a series
//! of `push_*_steps` functions records what changed, and one stable sort by
//! [`order::Phase`] puts the steps into a safe order. Renames are not
//! detected: a renamed object is dropped and created.
//!
//! Dialect differences are answered by [`DialectRules`]; nothing here asks
//! which database it is.

mod column;
mod describe;
mod enums;
mod index;
mod names;
mod objects;
mod order;
mod partition;
#[cfg(test)]
mod simulate;
mod table;
#[cfg(test)]
mod tests;

pub use describe::describe;

use crate::dialect::{Dialect, DialectRules};
use crate::pair::Pair;
use crate::plan::{Destructive, Plan, PlannedStep, Step};
use crate::schema::Schema;
use order::Phase;

/// The plan that turns `previous` into `next`. Both schemas must be of the
/// same dialect (the rules of `next`'s dialect are used). `down.sql` is
/// `diff(next, previous)`.
pub fn diff(previous: &Schema, next: &Schema) -> Plan {
    let mut differ = Differ::new(Pair::new(previous, next));
    differ.push_namespace_steps();
    differ.push_extension_steps();
    enums::push_enum_steps(&mut differ);
    let tables = table::TableChanges::new(&differ);
    table::push_table_steps(&mut differ, &tables);
    index::push_index_steps(&mut differ, &tables);
    push_sequence_steps(&mut differ, &tables);
    objects::push_object_steps(&mut differ, &tables);
    partition::adjust(&mut differ, &tables);
    differ.into_plan()
}

/// Steps as they are found, each with the phase it runs in.
pub(crate) struct Differ<'a> {
    schemas: Pair<&'a Schema>,
    names: Pair<names::Names<'a>>,
    rules: &'static dyn DialectRules,
    dialect: Dialect,
    steps: Vec<(Phase, PlannedStep)>,
}

impl<'a> Differ<'a> {
    fn new(schemas: Pair<&'a Schema>) -> Self {
        let dialect = schemas.next.dialect;
        Differ {
            schemas,
            names: Pair::new(
                names::Names::new(schemas.previous),
                names::Names::new(schemas.next),
            ),
            rules: dialect.rules(),
            dialect,
            steps: Vec::new(),
        }
    }

    fn push(&mut self, step: Step) {
        self.push_destructive(step, None);
    }

    fn push_destructive(&mut self, step: Step, destructive: Option<Destructive>) {
        let phase = order::phase(&step);
        self.push_at(phase, step, destructive);
    }

    fn push_at(&mut self, phase: Phase, step: Step, destructive: Option<Destructive>) {
        self.steps.push((phase, PlannedStep { step, destructive }));
    }

    fn into_plan(mut self) -> Plan {
        self.steps.sort_by_key(|(phase, _)| *phase);
        Plan {
            steps: self.steps.into_iter().map(|(_, step)| step).collect(),
        }
    }

    fn push_namespace_steps(&mut self) {
        let Pair { previous, next } = self.schemas;
        for ns in &next.namespaces {
            if !previous
                .namespaces
                .iter()
                .any(|p| self.dialect.same_name(p, ns))
            {
                self.push(Step::CreateNamespace(ns.clone()));
            }
        }
        for ns in &previous.namespaces {
            if !next
                .namespaces
                .iter()
                .any(|n| self.dialect.same_name(n, ns))
            {
                self.push(Step::DropNamespace(ns.clone()));
            }
        }
    }

    fn push_extension_steps(&mut self) {
        if !self.rules.has_extensions() {
            return;
        }
        let Pair { previous, next } = self.schemas;
        // Matched by name only: moving an extension to another schema is not
        // something a migration should do by dropping it.
        for ext in &next.extensions {
            if !previous.extensions.iter().any(|p| p.name == ext.name) {
                self.push(Step::CreateExtension(ext.clone()));
            }
        }
        for ext in &previous.extensions {
            if !next.extensions.iter().any(|n| n.name == ext.name) {
                self.push(Step::DropExtension(ext.clone()));
            }
        }
    }
}

fn default_mentions(
    schema: &Schema,
    table: &crate::schema::QualifiedName,
    column: &str,
    name: &str,
) -> bool {
    schema
        .table(table)
        .and_then(|t| t.column(column, schema.dialect))
        .and_then(|c| c.default.as_ref())
        .is_some_and(|d| order::mentions(&d.sql, name))
}

/// Sequences a column created (or dropped) in the same plan owns are left to
/// the renderer's `serial` and to the database (see [`Step::CreateSequence`]).
fn push_sequence_steps(differ: &mut Differ<'_>, tables: &table::TableChanges<'_>) {
    if !differ.rules.has_sequences() {
        return;
    }
    let Pair { previous, next } = differ.schemas;
    for seq in &next.sequences {
        if previous.sequence(&seq.name).is_some() {
            continue;
        }
        // Only a created column whose default draws from the sequence is
        // rendered `serial`; any other owner needs the sequence created.
        let Some((table, column)) = &seq.owned_by else {
            differ.push(Step::CreateSequence(seq.clone()));
            continue;
        };
        let draws = next.table(table).is_some_and(|t| {
            t.column(column, differ.dialect).is_some_and(|c| {
                differ
                    .rules
                    .implicit_sequence(&t.name, c)
                    .is_some_and(|s| s.same_as(&seq.name, differ.dialect))
            })
        });
        // identity → serial: the AlterColumn step makes the sequence once the
        // identity (whose sequence has the same name) is gone.
        let owner_was_identity = previous
            .table(table)
            .and_then(|t| t.column(column, differ.dialect))
            .is_some_and(|c| c.identity.is_some());
        if draws && owner_was_identity {
            continue;
        }
        match (tables.column_created(table, column), draws) {
            (true, true) => {}
            // `OWNED BY` needs its column: nothing draws from this sequence
            // yet, so it can wait until every column exists.
            // `OWNED BY` needs its column: nothing draws from this sequence
            // yet, so it can wait until every column exists.
            (true, false) if !default_mentions(next, table, column, &seq.name.name) => differ
                .push_at(
                    Phase::AddForeignKeys,
                    Step::CreateSequence(seq.clone()),
                    None,
                ),
            // A created column not rendered `serial` (its sequence has
            // another name) draws from it: create it first, and hand it to
            // the column once that exists.
            (true, false) => {
                differ.push(Step::CreateSequence(crate::schema::Sequence {
                    name: seq.name.clone(),
                    owned_by: None,
                }));
                differ.push_at(
                    Phase::AddForeignKeys,
                    Step::SetSequenceOwner {
                        sequence: seq.name.clone(),
                        owned_by: (table.clone(), column.clone()),
                    },
                    None,
                );
            }
            (false, _) => differ.push(Step::CreateSequence(seq.clone())),
        }
    }
    for seq in &previous.sequences {
        if next.sequence(&seq.name).is_some() {
            continue;
        }
        let owner_dropped = seq
            .owned_by
            .as_ref()
            .is_some_and(|(table, column)| tables.column_dropped(table, column));
        // serial → identity: the AlterColumn step drops the serial's sequence
        // itself, before the identity sequence exists (see the renderer).
        let owner_becomes_identity = seq.owned_by.as_ref().is_some_and(|(table, column)| {
            let was = previous.table(table).and_then(|t| t.column(column, differ.dialect));
            let is = next.table(table).and_then(|t| t.column(column, differ.dialect));
            matches!((was, is), (Some(was), Some(is)) if was.identity.is_none() && is.identity.is_some())
        });
        if !owner_dropped && !owner_becomes_identity {
            differ.push(Step::DropSequence(seq.clone()));
        }
    }
}
