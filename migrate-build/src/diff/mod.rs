//! `diff(previous, next)`: the steps that turn one schema into the other.
//!
//! The shape follows prisma-engines' `sql_schema_differ`: objects of the two
//! schemas are matched by name (with the dialect's folding rules), a series
//! of `push_*_steps` functions records what changed, and one stable sort by
//! [`order::Phase`] puts the steps into a safe order. Renames are never
//! guessed: a renamed object is dropped and created unless the schema
//! files say it was renamed (see [`renames`]).
//!
//! Dialect differences are answered by [`DialectRules`]; nothing here asks
//! which database it is.

mod column;
mod comments;
mod describe;
mod enums;
mod index;
mod names;
mod objects;
mod order;
mod partition;
mod policies;
mod publications;
mod renames;
#[cfg(test)]
mod simulate;
mod table;
#[cfg(test)]
mod tests;

pub use describe::describe;
pub use renames::{RenameCandidate, RenameError, RenameErrors, rename_candidates};

use crate::dialect::{Dialect, DialectRules};
use crate::pair::Pair;
use crate::plan::{Destructive, Plan, PlannedStep, Step};
use crate::schema::Schema;
use order::Phase;

/// The plan that turns `previous` into `next`. Both schemas must be of the
/// same dialect (the rules of `next`'s dialect are used). `down.sql` is
/// `diff(next, previous)`.
///
/// Renames the schemas' annotations ask for are planned; an annotation that
/// cannot be followed is left out (see [`try_diff`], which reports it).
pub fn diff(previous: &Schema, next: &Schema) -> Plan {
    plan(previous, next).0
}

/// [`diff`], or every `-- migrate:renamed-from` annotation that names
/// something neither schema has, with its file:line:col.
pub fn try_diff(previous: &Schema, next: &Schema) -> Result<Plan, RenameErrors> {
    let (plan, errors) = plan(previous, next);
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(RenameErrors(errors))
    }
}

fn plan(previous: &Schema, next: &Schema) -> (Plan, Vec<RenameError>) {
    let resolved = renames::resolve(previous, next);
    let renamed = resolved.previous.as_ref().unwrap_or(previous);
    let mut differ = Differ::new(Pair::new(renamed, next));
    for step in resolved.steps {
        differ.push_at(Phase::Renames, step, None);
    }
    differ.push_namespace_steps();
    differ.push_extension_steps();
    enums::push_enum_steps(&mut differ);
    let tables = table::TableChanges::new(&differ);
    table::push_table_steps(&mut differ, &tables);
    index::push_index_steps(&mut differ, &tables);
    push_sequence_steps(&mut differ, &tables);
    objects::push_object_steps(&mut differ, &tables);
    enums::push_enum_drops(&mut differ);
    differ.push_virtual_table_steps();
    push_view_option_steps(&mut differ);
    policies::push_policy_steps(&mut differ, &tables);
    publications::push_publication_member_steps(&mut differ, &tables);
    comments::push_comment_steps(&mut differ);
    partition::adjust(&mut differ, &tables);
    (differ.into_plan(), resolved.errors)
}

/// Steps as they are found, each with the phase it runs in.
pub(crate) struct Differ<'a> {
    schemas: Pair<&'a Schema>,
    names: Pair<names::Names<'a>>,
    rules: &'static dyn DialectRules,
    dialect: Dialect,
    steps: Vec<(Phase, PlannedStep)>,
    implicit_sequences: Vec<crate::schema::QualifiedName>,
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
            implicit_sequences: Vec::new(),
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
            implicit_sequences: self.implicit_sequences,
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

    /// Matched by name; a changed module or argument list recreates it.
    fn push_virtual_table_steps(&mut self) {
        let Pair { previous, next } = self.schemas;
        for v in &previous.virtual_tables {
            if next.virtual_table(&v.name) != Some(v) {
                // Its rows go with it: the module keeps them in shadow tables.
                self.push_destructive(
                    Step::DropVirtualTable(v.clone()),
                    Some(Destructive::DropTable(v.name.clone())),
                );
            }
        }
        for v in &next.virtual_tables {
            if previous.virtual_table(&v.name) != Some(v) {
                self.push(Step::CreateVirtualTable(v.clone()));
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
            match next.extensions.iter().find(|n| n.name == ext.name) {
                None => self.push(Step::DropExtension(ext.clone())),
                // Compared only when both sides name a version: a database
                // always says one, replayed migrations that wrote none do not.
                Some(n)
                    if n.version.is_some() && ext.version.is_some() && n.version != ext.version =>
                {
                    // Only the server knows its update paths: say that this
                    // one needs one. A downgrade has none (extensions ship
                    // upgrade scripts): it reinstalls at the older version.
                    let from = ext.version.clone().unwrap_or_default();
                    let to = n.version.clone().unwrap_or_default();
                    let downgrade = crate::plan::is_downgrade(&from, &to);
                    let warning = Destructive::UpdateExtension {
                        name: n.name.clone(),
                        from,
                        to,
                    };
                    let step = if downgrade {
                        Step::ReinstallExtension(n.clone())
                    } else {
                        Step::UpdateExtension(n.clone())
                    };
                    self.push_destructive(step, Some(warning))
                }
                Some(_) => {}
            }
        }
    }
}

/// Whether any column's default mentions `name` (draws from the sequence).
fn default_mentions(schema: &Schema, name: &str) -> bool {
    schema
        .tables
        .iter()
        .flat_map(|t| &t.columns)
        .filter_map(|c| c.default.as_ref())
        .any(|d| d.mentions(name))
}

/// Options of views both schemas have with the same body: `ALTER VIEW …
/// SET/RESET`. A view the plan drops and creates again gets its options
/// with its `CREATE`.
fn push_view_option_steps(differ: &mut Differ<'_>) {
    let Pair { previous, next } = differ.schemas;
    let d = differ.dialect;
    for view in &next.views {
        let Some(old) = previous.view(&view.name) else {
            continue;
        };
        let recreated = differ.steps.iter().any(|(_, s)| {
            matches!(&s.step, Step::DropView(v) | Step::CreateView(v) if v.name.same_as(&view.name, d))
        });
        if !crate::schema::same_storage(&old.options, &view.options) && !recreated {
            differ.push(Step::AlterViewOptions {
                view: view.name.clone(),
                materialized: view.materialized,
                previous: old.options.clone(),
                next: view.options.clone(),
            });
        }
    }
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
        // The sequence `serial` (or an identity's removal) makes has the
        // defaults of its column's type: other options are set afterwards.
        let implicit_options = |differ: &mut Differ<'_>| {
            let ty = next
                .table(table)
                .and_then(|t| t.column(column, differ.dialect))
                .map(|c| c.ty.name.clone())
                .unwrap_or_default();
            let unlogged = next.table(table).is_some_and(|t| t.options.unlogged);
            let made = crate::schema::Sequence {
                options: crate::schema::SequenceOptions::defaults(&ty, 1),
                unlogged,
                ..seq.clone()
            };
            if made.options != seq.options || made.unlogged != seq.unlogged {
                differ.push(Step::AlterSequence {
                    previous: made,
                    next: seq.clone(),
                });
            }
        };
        if draws && owner_was_identity {
            implicit_options(differ);
            continue;
        }
        match (tables.column_created(table, column), draws) {
            (true, true) => {
                differ.implicit_sequences.push(seq.name.clone());
                implicit_options(differ);
            }
            // `OWNED BY` needs its column: nothing draws from this sequence
            // yet, so it can wait until every column exists.
            // `OWNED BY` needs its column: nothing draws from this sequence
            // yet, so it can wait until every column exists.
            (true, false) if !default_mentions(next, &seq.name.name) => differ.push_at(
                Phase::AddForeignKeys,
                Step::CreateSequence(seq.clone()),
                None,
            ),
            // A created column not rendered `serial` (its sequence has
            // another name) draws from it: create it first, and hand it to
            // the column once that exists.
            (true, false) => {
                differ.push(Step::CreateSequence(crate::schema::Sequence {
                    owned_by: None,
                    ..seq.clone()
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
        if let Some(kept) = next.sequence(&seq.name) {
            // Comments are set by their own steps (see `comments`).
            let uncommented = |s: &crate::schema::Sequence| crate::schema::Sequence {
                comment: None,
                ..s.clone()
            };
            // A sequence that outlives the column owning it is let go before
            // the column (or its table) is dropped: the server drops an owned
            // sequence with its owner.
            let owner_dropped = seq
                .owned_by
                .as_ref()
                .is_some_and(|(table, column)| tables.column_dropped(table, column));
            let mut seq = seq.clone();
            if owner_dropped && kept.owned_by != seq.owned_by {
                let released = crate::schema::Sequence {
                    owned_by: None,
                    ..seq.clone()
                };
                differ.push_at(
                    Phase::DropDependents,
                    Step::AlterSequence {
                        previous: seq.clone(),
                        next: released.clone(),
                    },
                    None,
                );
                seq = released;
            }
            let seq = &seq;
            if uncommented(kept) != uncommented(seq) {
                let restart = seq
                    .options
                    .narrows_to(&kept.options)
                    .then(|| Destructive::RestartSequence(kept.name.clone()));
                differ.push_destructive(
                    Step::AlterSequence {
                        previous: seq.clone(),
                        next: kept.clone(),
                    },
                    restart,
                );
            }
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
