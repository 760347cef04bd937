//! What attaching and detaching a partition (and `INHERIT`/`NO INHERIT`)
//! does by itself, so that the plan neither does it twice nor leaves it
//! undone:
//! - `ATTACH PARTITION` and `INHERIT` need the parent's checks on the table
//!   (then held as the parent's): the plan adds the missing ones first, and
//!   does not drop those of the same name;
//! - `DETACH PARTITION` and `NO INHERIT` leave the table its own copies of
//!   what it had from its parent (checks; after a detach also foreign keys,
//!   keys and indexes, named as the server names them): the plan does not
//!   add them again, and drops those the next schema does not have.

use super::Differ;
use super::order::Phase;
use super::table::TableChanges;
use crate::pair::Pair;
use crate::plan::Step;
use crate::schema::{QualifiedName, Schema, Table};

pub(super) fn adjust(differ: &mut Differ<'_>, tables: &TableChanges<'_>) {
    let d = differ.dialect;
    let Pair { previous, next } = differ.schemas;
    let mut unwanted: Vec<Step> = Vec::new();
    let mut wanted: Vec<(Phase, Step)> = Vec::new();
    for diff in &tables.matched {
        let Pair {
            previous: was,
            next: is,
        } = diff.tables;
        let same_parent = match (&was.partition_of, &is.partition_of) {
            (Some(a), Some(b)) => a.parent.same_as(&b.parent, d),
            _ => false,
        };
        let mut joined: Vec<&QualifiedName> = Vec::new();
        let mut left: Vec<&QualifiedName> = Vec::new();
        if !same_parent {
            joined.extend(is.partition_of.as_ref().map(|p| &p.parent));
            left.extend(was.partition_of.as_ref().map(|p| &p.parent));
        }
        joined.extend(
            is.inherits
                .iter()
                .filter(|p| !was.inherits.iter().any(|q| q.same_as(p, d))),
        );
        left.extend(
            was.inherits
                .iter()
                .filter(|p| !is.inherits.iter().any(|q| q.same_as(p, d))),
        );
        for parent in left {
            let after = if was.partition_of.is_some() {
                crate::ddl::detached(previous, parent, &was.name)
            } else {
                crate::ddl::uninherited(previous, &was.name, parent)
            };
            if let Some(after) = after {
                copies_left(previous, &after, was, is, next, &mut unwanted, &mut wanted);
            }
        }
        for parent in joined.into_iter().filter_map(|p| next.table(p)) {
            for check in &parent.checks {
                match was.checks.iter().find(|c| c.name == check.name) {
                    Some(c) if c.expr == check.expr => unwanted.push(Step::DropCheck {
                        table: was.name.clone(),
                        check: c.clone(),
                    }),
                    // Before the attach, which runs in `AddConstraints`.
                    _ => wanted.push((
                        Phase::AddGeneratedColumns,
                        Step::AddCheck {
                            table: is.name.clone(),
                            check: check.clone(),
                        },
                    )),
                }
            }
        }
    }
    if !unwanted.is_empty() {
        differ
            .steps
            .retain(|(_, planned)| !unwanted.contains(&planned.step));
    }
    for (phase, step) in wanted {
        differ.push_at(phase, step, None);
    }
}

/// The copies a detach (or `NO INHERIT`) leaves on `was`, as `after` has
/// them: the ones `is` has too are not added again, the others are dropped.
fn copies_left(
    previous: &Schema,
    after: &Schema,
    was: &Table,
    is: &Table,
    next: &Schema,
    unwanted: &mut Vec<Step>,
    wanted: &mut Vec<(Phase, Step)>,
) {
    let d = previous.dialect;
    let Some(detached) = after.table(&was.name) else {
        return;
    };
    let name = &is.name;
    for check in &detached.checks {
        if was.checks.iter().any(|c| c.name == check.name) {
            continue;
        }
        match is.checks.iter().find(|c| c.name == check.name) {
            Some(c) if c.expr == check.expr => unwanted.push(Step::AddCheck {
                table: name.clone(),
                check: c.clone(),
            }),
            _ => wanted.push((
                Phase::DropConstraints,
                Step::DropCheck {
                    table: was.name.clone(),
                    check: check.clone(),
                },
            )),
        }
    }
    for fk in &detached.foreign_keys {
        if was.foreign_keys.iter().any(|f| f.name == fk.name) {
            continue;
        }
        match is.foreign_keys.iter().find(|f| f.name == fk.name) {
            Some(f) if f == fk => unwanted.push(Step::AddForeignKey {
                table: name.clone(),
                foreign_key: f.clone(),
            }),
            _ => wanted.push((
                Phase::DropConstraints,
                Step::DropForeignKey {
                    table: was.name.clone(),
                    foreign_key: fk.clone(),
                },
            )),
        }
    }
    if was.primary_key.is_none()
        && let Some(pk) = &detached.primary_key
    {
        match &is.primary_key {
            Some(k) if k == pk => unwanted.push(Step::AddPrimaryKey {
                table: name.clone(),
                primary_key: k.clone(),
            }),
            _ => wanted.push((
                Phase::DropConstraints,
                Step::DropPrimaryKey {
                    table: was.name.clone(),
                    primary_key: pk.clone(),
                },
            )),
        }
    }
    for u in &detached.uniques {
        if was.uniques.iter().any(|k| k.name == u.name) {
            continue;
        }
        match is.uniques.iter().find(|k| k.name == u.name) {
            Some(k) if k == u => unwanted.push(Step::AddUnique {
                table: name.clone(),
                unique: k.clone(),
            }),
            _ => wanted.push((
                Phase::DropConstraints,
                Step::DropUnique {
                    table: was.name.clone(),
                    unique: u.clone(),
                },
            )),
        }
    }
    for index in after.indexes_on(&was.name) {
        if previous.index(&index.name).is_some() {
            continue;
        }
        match next.index(&index.name) {
            Some(i) if i == index && i.table.same_as(name, d) => {
                unwanted.push(Step::CreateIndex(i.clone()))
            }
            // Not wanted, or wanted in another shape (then created again).
            _ => wanted.push((Phase::DropIndexes, Step::DropIndex(index.clone()))),
        }
    }
}

/// The copies of a partitioned table's keys on its partitions, by the next
/// schema's names (a created partition has them in its `CREATE TABLE`):
/// - a key added to the parent is added on each partition it already had
///   first, by the copy's name, for the parent's to attach;
/// - a copy the server names itself (on a partition attached under a key)
///   or that has another name already is renamed.
pub(super) fn push_key_copies(differ: &mut Differ<'_>, tables: &TableChanges<'_>) {
    let d = differ.dialect;
    let next = differ.schemas.next;
    // (the parent's add step, the partitions' add steps before it)
    let mut before: Vec<(Step, Vec<Step>)> = Vec::new();
    let mut renames: Vec<(Phase, Step)> = Vec::new();
    for diff in &tables.matched {
        let Pair {
            previous: was,
            next: is,
        } = diff.tables;
        if is.constraint_copies.is_empty() {
            continue;
        }
        // The parent's keys in the next schema, each with its previous name
        // when it is kept, and the step adding it otherwise.
        let mut keys: Vec<(Option<String>, Step)> = Vec::new();
        if let Some(pk) = &is.primary_key {
            let kept = (!diff.primary_key_changed)
                .then(|| was.primary_key.as_ref().and_then(|k| k.name.clone()))
                .flatten();
            keys.push((
                kept,
                Step::AddPrimaryKey {
                    table: is.name.clone(),
                    primary_key: pk.clone(),
                },
            ));
        }
        for u in &is.uniques {
            let kept = diff
                .uniques
                .kept
                .iter()
                .find(|p| p.next.name == u.name)
                .and_then(|p| p.previous.name.clone());
            keys.push((
                kept,
                Step::AddUnique {
                    table: is.name.clone(),
                    unique: u.clone(),
                },
            ));
        }
        for (kept, add) in keys {
            let (name, columns) = match &add {
                Step::AddPrimaryKey { primary_key, .. } => (primary_key.name.as_deref(), None),
                Step::AddUnique { unique, .. } => (
                    unique.name.as_deref(),
                    Some(crate::ddl::index_columns(unique)),
                ),
                _ => continue,
            };
            let Some(name) = name else { continue };
            let mut children = Vec::new();
            for copy in is
                .constraint_copies
                .iter()
                .filter(|c| d.same_name(&c.constraint, name))
            {
                if tables.is_created(&copy.table) {
                    continue;
                }
                // The partition as it was, when it was one of this table's.
                let was_partition = tables
                    .matched
                    .iter()
                    .find(|m| m.tables.next.name.same_as(&copy.table, d))
                    .map(|m| m.tables.previous)
                    .filter(|t| {
                        t.partition_of
                            .as_ref()
                            .is_some_and(|p| p.parent.same_as(&was.name, d))
                    });
                let server_name = match (&kept, was_partition) {
                    (None, Some(_)) => {
                        children.push(key_copy_step(&add, &copy.table, &copy.name));
                        continue;
                    }
                    (Some(kept), Some(t)) => {
                        was.constraint_copy_on(kept, &t.name, d).map(str::to_string)
                    }
                    (_, None) => None,
                };
                let (server_name, phase) = match server_name {
                    Some(n) => (n, Phase::Renames),
                    // Attached under the key: the server names its copy.
                    None => {
                        let mut without = next.clone();
                        if let Some(t) = without.table_mut(&is.name) {
                            t.constraint_copies.retain(|c| {
                                !(c.table.same_as(&copy.table, d)
                                    && d.same_name(&c.constraint, name))
                            });
                        }
                        (
                            crate::ddl::server_key_copy_name(
                                &without,
                                &copy.table,
                                columns.as_deref(),
                            ),
                            Phase::CreateIndexes,
                        )
                    }
                };
                if !d.same_name(&server_name, &copy.name) {
                    renames.push((
                        phase,
                        Step::Rename(crate::plan::Rename::Index {
                            from: QualifiedName::with_schema(
                                copy.table.schema.clone(),
                                server_name,
                            ),
                            to: copy.name.clone(),
                        }),
                    ));
                }
            }
            if !children.is_empty() {
                before.push((add, children));
            }
        }
    }
    for (add, children) in before {
        let Some(pos) = differ.steps.iter().position(|(_, s)| s.step == add) else {
            continue;
        };
        let phase = differ.steps[pos].0;
        for (i, step) in children.into_iter().enumerate() {
            differ.steps.insert(
                pos + i,
                (
                    phase,
                    crate::plan::PlannedStep {
                        step,
                        destructive: None,
                    },
                ),
            );
        }
    }
    for (phase, step) in renames {
        differ.push_at(phase, step, None);
    }
}

/// The step adding the copy `name` on `table` of the key `add` adds.
fn key_copy_step(add: &Step, table: &QualifiedName, name: &str) -> Step {
    match add {
        Step::AddPrimaryKey { primary_key, .. } => Step::AddPrimaryKey {
            table: table.clone(),
            primary_key: crate::schema::PrimaryKey {
                name: Some(name.to_string()),
                ..primary_key.clone()
            },
        },
        Step::AddUnique { unique, .. } => Step::AddUnique {
            table: table.clone(),
            unique: crate::schema::UniqueConstraint {
                name: Some(name.to_string()),
                ..unique.clone()
            },
        },
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use crate::ddl::{SourceFile, parse_schema};
    use crate::dialect::{Dialect, render_script};
    use crate::diff::diff;
    use crate::schema::Schema;

    fn pg(sql: &str) -> Schema {
        let file = SourceFile {
            path: "schema.sql",
            sql,
        };
        parse_schema(Dialect::Postgres, &[file])
            .unwrap_or_else(|e| panic!("{e}"))
            .0
    }

    #[test]
    fn a_changed_partition_key_is_refused_not_dropped() {
        let a = pg("CREATE TABLE t (a int, b int) PARTITION BY RANGE (a);");
        for b in [
            "CREATE TABLE t (a int, b int) PARTITION BY RANGE (b);",
            "CREATE TABLE t (a int, b int) PARTITION BY LIST (a);",
            "CREATE TABLE t (a int, b int);",
        ] {
            let plan = diff(&a, &pg(b));
            let e = render_script(&plan, Dialect::Postgres).expect_err(b);
            assert!(e.to_string().contains("partitioned"), "{e}");
        }
    }

    #[test]
    fn a_kept_partition_is_detached_before_its_parent_is_dropped() {
        let a = pg("CREATE TABLE p (a int) PARTITION BY LIST (a);
                    CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);");
        let b = pg("CREATE TABLE p1 (a int);");
        let script = render_script(&diff(&a, &b), Dialect::Postgres).unwrap();
        let detach = script.find("DETACH PARTITION p1").expect(&script);
        let drop = script.find("DROP TABLE p").expect(&script);
        assert!(detach < drop, "{script}");
        // And the other way: the parent is created before the attach, the
        // partitions dropped before their parent.
        let script = render_script(&diff(&b, &a), Dialect::Postgres).unwrap();
        assert!(
            script
                .trim_end()
                .ends_with("ALTER TABLE p ATTACH PARTITION p1 FOR VALUES IN (1);"),
            "{script}"
        );
    }
}
