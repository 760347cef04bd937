//! Comments on everything but tables and columns (those are pushed with
//! their tables): an object the plan creates (or drops and creates again)
//! gets its comment after it exists; a kept one gets a changed comment.
//! All run in [`super::order::Phase::Comments`], after every object exists.

use super::Differ;
use crate::pair::Pair;
use crate::plan::{CommentTarget, Step};
use crate::schema::QualifiedName;

pub(super) fn push_comment_steps(differ: &mut Differ<'_>) {
    if !differ.rules.has_comments() {
        return;
    }
    let Pair { previous, next } = differ.schemas;
    let d = differ.dialect;
    // What the plan creates: such an object starts without a comment.
    let created = |differ: &Differ<'_>, f: &dyn Fn(&Step) -> bool| {
        differ.steps.iter().any(|(_, planned)| f(&planned.step))
    };
    let mut out: Vec<(CommentTarget, Option<String>)> = Vec::new();

    let same = |a: &QualifiedName, b: &QualifiedName| a.same_as(b, d);
    for index in &next.indexes {
        let old = previous.index(&index.name).map(|i| &i.comment);
        let fresh = || {
            created(
                differ,
                &|s| matches!(s, Step::CreateIndex(i) if same(&i.name, &index.name)),
            ) || created(
                differ,
                &|s| matches!(s, Step::RebuildTable { next, .. } if same(&next.name, &index.table)),
            )
        };
        consider(
            &mut out,
            old,
            &index.comment,
            fresh,
            CommentTarget::Index(index.name.clone()),
        );
    }
    for view in &next.views {
        let old_view = previous.view(&view.name);
        let fresh = || {
            created(
                differ,
                &|s| matches!(s, Step::CreateView(v) if same(&v.name, &view.name)),
            )
        };
        consider(
            &mut out,
            old_view.map(|v| &v.comment),
            &view.comment,
            fresh,
            CommentTarget::View {
                name: view.name.clone(),
                materialized: view.materialized,
            },
        );
        let columns = view.column_comments.iter().map(|(c, _)| c).chain(
            old_view
                .iter()
                .flat_map(|v| v.column_comments.iter().map(|(c, _)| c)),
        );
        let mut seen: Vec<&String> = Vec::new();
        for column in columns {
            if seen.contains(&column) {
                continue;
            }
            seen.push(column);
            let find = |list: &[(String, String)]| {
                list.iter()
                    .find(|(c, _)| c == column)
                    .map(|(_, t)| t.clone())
            };
            let old = old_view.map(|v| find(&v.column_comments));
            consider(
                &mut out,
                old.as_ref(),
                &find(&view.column_comments),
                fresh,
                CommentTarget::ViewColumn {
                    view: view.name.clone(),
                    column: column.clone(),
                },
            );
        }
    }
    for seq in &next.sequences {
        let old = previous.sequence(&seq.name).map(|s| &s.comment);
        consider(
            &mut out,
            old,
            &seq.comment,
            || old.is_none(),
            CommentTarget::Sequence(seq.name.clone()),
        );
    }
    for e in &next.enums {
        let old = previous.enum_type(&e.name).map(|e| &e.comment);
        let fresh = || {
            created(
                differ,
                &|s| matches!(s, Step::RecreateEnum { next, .. } if same(&next.name, &e.name)),
            )
        };
        consider(
            &mut out,
            old,
            &e.comment,
            || fresh() || old.is_none(),
            CommentTarget::Type(e.name.clone()),
        );
    }
    for ext in &next.extensions {
        // Compared only when both sides say one (see `Extension`): the
        // server gives every extension the comment of its control file.
        let old = previous.extensions.iter().find(|p| p.name == ext.name);
        let created = old.is_none();
        let old = old.map(|e| &e.comment).filter(|c| c.is_some());
        if ext.comment.is_none() || (old.is_none() && !created) {
            continue;
        }
        consider(
            &mut out,
            old,
            &ext.comment,
            || false,
            CommentTarget::Extension(ext.name.clone()),
        );
    }
    for (ns, text) in &next.namespace_comments {
        let old = previous
            .namespace_comments
            .iter()
            .find(|(n, _)| d.same_name(n, ns))
            .map(|(_, t)| Some(t.clone()));
        let old = old.unwrap_or(None);
        consider(
            &mut out,
            Some(&old),
            &Some(text.clone()),
            || false,
            CommentTarget::Schema(ns.clone()),
        );
    }
    for (ns, _) in &previous.namespace_comments {
        let kept = next
            .namespace_comments
            .iter()
            .any(|(n, _)| d.same_name(n, ns));
        let exists =
            d.same_name(ns, "public") || next.namespaces.iter().any(|n| d.same_name(n, ns));
        if !kept && exists {
            out.push((CommentTarget::Schema(ns.clone()), None));
        }
    }
    for policy in &next.policies {
        let old = previous
            .policies
            .iter()
            .find(|p| same(&p.table, &policy.table) && d.same_name(&p.name, &policy.name))
            .map(|p| &p.comment);
        let fresh = || {
            created(
                differ,
                &|s| matches!(s, Step::CreatePolicy(p) if same(&p.table, &policy.table) && p.name == policy.name),
            )
        };
        consider(
            &mut out,
            old,
            &policy.comment,
            fresh,
            CommentTarget::Policy {
                name: policy.name.clone(),
                table: policy.table.clone(),
            },
        );
    }
    for object in &next.opaque {
        let old = previous
            .opaque_named(object.name.schema.as_deref(), &object.name.name)
            .find(|o| {
                o.kind == object.kind
                    && same(&o.name, &object.name)
                    && o.signature == object.signature
                    && match (&o.on_table, &object.on_table) {
                        (Some(a), Some(b)) => same(a, b),
                        (None, None) => true,
                        _ => false,
                    }
            })
            .map(|o| &o.comment);
        let fresh = || {
            created(
                differ,
                &|s| matches!(s, Step::CreateOpaque(o) if o == object),
            )
        };
        consider(
            &mut out,
            old,
            &object.comment,
            fresh,
            CommentTarget::Opaque(object.clone()),
        );
    }
    for table in &next.tables {
        let old_table = previous.table(&table.name);
        let rebuilt = || {
            created(
                differ,
                &|s| matches!(s, Step::RebuildTable { next, .. } if same(&next.name, &table.name)),
            )
        };
        for (name, text) in &table.constraint_comments {
            let fresh = || {
                old_table.is_none()
                    || rebuilt()
                    || created(differ, &|s| constraint_added(s, &table.name, name, d))
            };
            let old = old_table.map(|t| {
                t.constraint_comments
                    .iter()
                    .find(|(n, _)| d.same_name(n, name))
                    .map(|(_, t)| t.clone())
            });
            consider(
                &mut out,
                old.as_ref(),
                &Some(text.clone()),
                fresh,
                CommentTarget::Constraint {
                    name: name.clone(),
                    table: table.name.clone(),
                },
            );
        }
        if let Some(old_table) = old_table {
            for (name, _) in &old_table.constraint_comments {
                let kept = table
                    .constraint_comments
                    .iter()
                    .any(|(n, _)| d.same_name(n, name));
                let exists = table.constraint_names().any(|n| d.same_name(n, name));
                let readded = || created(differ, &|s| constraint_added(s, &table.name, name, d));
                if !kept && exists && !readded() && !rebuilt() {
                    out.push((
                        CommentTarget::Constraint {
                            name: name.clone(),
                            table: table.name.clone(),
                        },
                        None,
                    ));
                }
            }
        }
    }
    for (target, comment) in out {
        differ.push(Step::SetComment { target, comment });
    }
}

/// Records a comment step when the comment the object will have differs
/// from the one it has (`None` for an object the plan creates).
fn consider(
    out: &mut Vec<(CommentTarget, Option<String>)>,
    old: Option<&Option<String>>,
    new: &Option<String>,
    fresh: impl FnOnce() -> bool,
    target: CommentTarget,
) {
    // Most objects have no comment on either side: whether the plan
    // creates them (a search of its steps) is not asked then.
    if new.is_none() && old.is_none_or(|o| o.is_none()) {
        return;
    }
    let before = if fresh() {
        None
    } else {
        old.cloned().flatten()
    };
    if before != *new {
        out.push((target, new.clone()));
    }
}

/// Whether `step` adds the constraint `name` to `table`.
fn constraint_added(step: &Step, table: &QualifiedName, name: &str, d: crate::Dialect) -> bool {
    let named = |n: &Option<String>| n.as_deref().is_some_and(|n| d.same_name(n, name));
    match step {
        Step::AddPrimaryKey {
            table: t,
            primary_key,
        } => t.same_as(table, d) && named(&primary_key.name),
        Step::AddUnique { table: t, unique } => t.same_as(table, d) && named(&unique.name),
        Step::AddCheck { table: t, check } => t.same_as(table, d) && named(&check.name),
        Step::AddExclusion {
            table: t,
            exclusion,
        } => t.same_as(table, d) && named(&exclusion.name),
        Step::AddForeignKey {
            table: t,
            foreign_key,
        } => t.same_as(table, d) && named(&foreign_key.name),
        _ => false,
    }
}
