//! Row-level security policies: matched by table and name. A changed one
//! is altered in place where `ALTER POLICY` can say the change (roles, and
//! `USING`/`WITH CHECK` replaced), else dropped and created again. Policies
//! of tables whose columns change shape are dropped first and created
//! again last: the server refuses to drop or retype a column a policy uses.

use super::Differ;
use super::table::TableChanges;
use crate::pair::Pair;
use crate::plan::Step;
use crate::schema::Policy;

pub(super) fn push_policy_steps(differ: &mut Differ<'_>, tables: &TableChanges<'_>) {
    let Pair { previous, next } = differ.schemas;
    let d = differ.dialect;
    let reshaped: Vec<_> = tables.reshaped().cloned().collect();
    let find = |list: &'_ [Policy], p: &Policy| -> Option<usize> {
        list.iter()
            .position(|q| q.table.same_as(&p.table, d) && d.same_name(&q.name, &p.name))
    };
    for policy in &next.policies {
        let Some(old) = find(&previous.policies, policy).map(|i| &previous.policies[i]) else {
            differ.push(Step::CreatePolicy(policy.clone()));
            continue;
        };
        let blocked = reshaped.iter().any(|t| t.same_as(&old.table, d));
        // Comments are set by their own steps (see `comments`).
        let uncommented = |p: &Policy| Policy {
            comment: None,
            ..p.clone()
        };
        if uncommented(old) == uncommented(policy) && !blocked {
            continue;
        }
        // ALTER POLICY replaces clauses; it cannot remove one or change
        // the command or the kind.
        let alterable = old.permissive == policy.permissive
            && old.command == policy.command
            && (old.using.is_none() || policy.using.is_some())
            && (old.with_check.is_none() || policy.with_check.is_some());
        if alterable && !blocked {
            differ.push(Step::AlterPolicy {
                previous: old.clone(),
                next: policy.clone(),
            });
        } else {
            differ.push(Step::DropPolicy(old.clone()));
            differ.push(Step::CreatePolicy(policy.clone()));
        }
    }
    // A dropped table would take its policies along, but a policy naming
    // another table (`USING (EXISTS (SELECT … FROM other …))`) keeps that
    // one from being dropped first: every policy that goes is dropped on
    // its own, before the tables.
    for policy in &previous.policies {
        if find(&next.policies, policy).is_none() {
            differ.push(Step::DropPolicy(policy.clone()));
        }
    }
}
