//! What publications publish: members matched by publication and table
//! (or schema). A member whose column list or filter changed is dropped
//! and added again; a publication created (or created again) gets all its
//! members added after it, and one dropped takes its members along.

use super::Differ;
use super::table::TableChanges;
use crate::pair::Pair;
use crate::plan::Step;
use crate::schema::{OpaqueKind, OpaqueObject, PublicationTarget};

/// Two versions of a publication `ALTER PUBLICATION … SET (…)` goes
/// between: its options differ, `FOR ALL TABLES` does not.
pub(super) fn alterable(a: Option<&OpaqueObject>, b: Option<&OpaqueObject>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    if a.kind != OpaqueKind::Publication || b.kind != OpaqueKind::Publication {
        return false;
    }
    let options = |o: &OpaqueObject| crate::ddl::publication_options(o.definition.sql());
    match (options(a), options(b)) {
        (Some(x), Some(y)) => {
            x.all_tables == y.all_tables && x.other.is_empty() && y.other.is_empty()
        }
        _ => false,
    }
}

pub(super) fn push_publication_member_steps(differ: &mut Differ<'_>, tables: &TableChanges<'_>) {
    let Pair { previous, next } = differ.schemas;
    let d = differ.dialect;
    let (mut created, mut dropped) = (Vec::new(), Vec::new());
    for (_, planned) in &differ.steps {
        match &planned.step {
            Step::CreateOpaque(o) if o.kind == OpaqueKind::Publication => {
                created.push(o.name.name.clone())
            }
            Step::DropOpaque(o) if o.kind == OpaqueKind::Publication => {
                dropped.push(o.name.name.clone())
            }
            _ => {}
        }
    }
    let has = |list: &[String], p: &str| list.iter().any(|x| d.same_name(x, p));
    // The server refuses to retype a column a filter reads: such members
    // go before the tables change and come back after.
    let reshaped: Vec<_> = tables.reshaped().cloned().collect();
    let blocked = |m: &crate::schema::PublicationMember| match &m.target {
        PublicationTarget::Table {
            table,
            columns,
            row_filter,
        } => {
            (columns.is_some() || row_filter.is_some())
                && reshaped.iter().any(|t| t.same_as(table, d))
        }
        PublicationTarget::Schema(_) => false,
    };
    let mut steps = Vec::new();
    for old in previous
        .opaque
        .iter()
        .filter(|o| o.kind == OpaqueKind::Publication)
    {
        let Some(new) = next
            .opaque
            .iter()
            .find(|o| o.kind == OpaqueKind::Publication && o.name.same_as(&old.name, d))
        else {
            continue;
        };
        if old.definition != new.definition && alterable(Some(old), Some(new)) {
            steps.push(Step::AlterPublication {
                previous: old.clone(),
                next: new.clone(),
            });
        }
    }
    for m in &previous.publication_members {
        if has(&dropped, &m.publication) {
            continue;
        }
        if blocked(m) || !next.publication_members.contains(m) {
            steps.push(Step::DropPublicationMember(m.clone()));
        }
    }
    for m in &next.publication_members {
        if has(&created, &m.publication) || blocked(m) || !previous.publication_members.contains(m)
        {
            steps.push(Step::AddPublicationMember(m.clone()));
        }
    }
    for step in steps {
        differ.push(step);
    }
}
