//! Renames: what `-- migrate:renamed-from` annotations (or renames the
//! user confirmed) make of a plan.
//!
//! The differ renames the objects of the previous schema first, with the
//! interpreter's own rename functions, and compares the result with the
//! next schema as usual: whatever else changed on a renamed object (a type,
//! a default, a key) comes out of the ordinary comparison, after the
//! rename. So a renamed column keeps its rows and a retyped one is altered
//! in place, and replaying the rendered SQL gives exactly the schema the
//! differ compared.
//!
//! Annotations live on the schema read from the schema files: on `next`
//! for `up.sql` (old name → new), on `previous` for `down.sql` (new → old).
//! An annotation is harmless once its rename is applied: the other side
//! already has the new name. One that names something neither side has is
//! an error with its file:line:col.

use crate::dialect::Dialect;
use crate::plan::{Rename, Step};
use crate::schema::{QualifiedName, Renamed, RenamedFrom, Schema, SourceLocation, Table};

/// An annotation the differ cannot follow.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", at.as_ref().map(|a| format!("{a}: ")).unwrap_or_default())]
pub struct RenameError {
    pub at: Option<SourceLocation>,
    pub message: String,
}

/// Every annotation the differ cannot follow, in the order written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct RenameErrors(pub Vec<RenameError>);

/// The previous schema with the renames applied, and the steps that do it.
pub(super) struct Resolved {
    pub previous: Option<Schema>,
    pub steps: Vec<Step>,
    pub errors: Vec<RenameError>,
}

/// Containers before objects: a column's annotation names its table by
/// its next name, which the previous schema has once the table is renamed.
fn rank(r: &Renamed) -> u8 {
    match r {
        Renamed::Table(_) | Renamed::Enum(_) => 0,
        Renamed::Sequence(_) | Renamed::View(_) | Renamed::Index(_) => 1,
        Renamed::Column { .. } | Renamed::Constraint { .. } | Renamed::EnumValue { .. } => 2,
    }
}

pub(super) fn resolve(previous: &Schema, next: &Schema) -> Resolved {
    let mut resolved = Resolved {
        previous: None,
        steps: Vec::new(),
        errors: Vec::new(),
    };
    let respelled = respelled_columns(previous, next);
    if previous.renames.0.is_empty() && next.renames.0.is_empty() && respelled.is_empty() {
        return resolved;
    }
    let mut work = previous.clone();
    let mut forward: Vec<&RenamedFrom> = next.renames.0.iter().collect();
    forward.sort_by_key(|r| rank(&r.object));
    let mut touched: Vec<QualifiedName> = Vec::new();
    for r in forward {
        match forward_rename(&work, next, r, previous.is_empty()) {
            Ok(Some(step)) => apply(&mut work, step, &mut resolved, &mut touched),
            Ok(None) => {}
            Err(message) => resolved.errors.push(RenameError {
                at: r.at.clone(),
                message,
            }),
        }
    }
    // down.sql: the previous schema is the annotated one; objects before
    // their containers, whose annotations name them by their previous names.
    let mut backward: Vec<&RenamedFrom> = previous.renames.0.iter().collect();
    backward.sort_by_key(|r| std::cmp::Reverse(rank(&r.object)));
    for r in backward {
        if let Some(step) = backward_rename(&work, next, previous, r) {
            apply(&mut work, step, &mut resolved, &mut touched);
        }
    }
    for step in respelled {
        apply(&mut work, step, &mut resolved, &mut touched);
    }
    follow_default_names(&mut work, next, &touched, &mut resolved);
    resolved.previous = Some(work);
    resolved
}

/// Columns whose names the dialect compares equal but that are spelled
/// differently (SQLite: `[Important Data]` and `"important data"` are one
/// column, which the catalog keeps as it was written and `SELECT *` names
/// as the catalog has it): renamed to the new spelling, not left as they are.
fn respelled_columns(previous: &Schema, next: &Schema) -> Vec<Step> {
    let d = next.dialect;
    let mut steps = Vec::new();
    for table in next.tables.iter() {
        let Some(was) = previous.table(&table.name) else {
            continue;
        };
        for column in &table.columns {
            let Some(old) = was
                .columns
                .iter()
                .find(|c| d.same_name(&c.name, &column.name))
            else {
                continue;
            };
            if old.name != column.name {
                steps.push(Step::Rename(Rename::Column {
                    table: was.name.clone(),
                    from: old.name.clone(),
                    to: column.name.clone(),
                }));
            }
        }
    }
    steps
}

fn apply(work: &mut Schema, step: Step, resolved: &mut Resolved, touched: &mut Vec<QualifiedName>) {
    let done = match &step {
        Step::RenameTable { previous, next } => {
            touched.push(next.clone());
            crate::ddl::rename_table(work, previous, next)
        }
        Step::Rename(rename) => {
            if let Rename::Column { table, .. } = rename {
                touched.push(table.clone());
            }
            crate::ddl::rename(work, rename)
        }
        _ => Ok(()),
    };
    match done {
        Ok(()) => resolved.steps.push(step),
        Err(message) => resolved.errors.push(RenameError { at: None, message }),
    }
}

/// Whether `schema` has the object `r` describes under the name `name`.
/// `None` when its container (table, enum) is not there either.
fn has(schema: &Schema, object: &Renamed, name: &str) -> Option<bool> {
    let d = schema.dialect;
    let same_schema = |n: &QualifiedName| QualifiedName::with_schema(n.schema.clone(), name);
    Some(match object {
        Renamed::Table(n) => schema.table(&same_schema(n)).is_some(),
        Renamed::View(n) => schema.view(&same_schema(n)).is_some(),
        Renamed::Enum(n) => schema.enum_type(&same_schema(n)).is_some(),
        Renamed::Sequence(n) => schema.sequence(&same_schema(n)).is_some(),
        Renamed::Index(n) => schema.index(&same_schema(n)).is_some(),
        Renamed::Column { table, .. } => schema.table(table)?.column(name, d).is_some(),
        Renamed::Constraint { table, .. } => has_constraint(schema.table(table)?, name, d),
        Renamed::EnumValue { enum_name, .. } => schema
            .enum_type(enum_name)?
            .values
            .iter()
            .any(|v| v == name),
    })
}

fn has_constraint(t: &Table, name: &str, d: Dialect) -> bool {
    t.constraint_names().any(|n| d.same_name(n, name))
}

/// Whether the dialect renames this kind of object in place; otherwise the
/// ordinary comparison drops and creates it (an index, a view) or rebuilds
/// its table (a constraint), which keeps every row.
fn can_rename(object: &Renamed, d: Dialect) -> bool {
    let rules = d.rules();
    match object {
        Renamed::Table(_) | Renamed::Column { .. } => true,
        Renamed::Index(_) => rules.can_rename_index(),
        Renamed::View(_) => rules.can_rename_view(),
        Renamed::Constraint { .. } => rules.can_rename_constraint(),
        Renamed::Enum(_) | Renamed::EnumValue { .. } => rules.has_enums(),
        Renamed::Sequence(_) => rules.has_sequences(),
    }
}

/// The step that renames `r.from` to `r`'s object: `Step::RenameTable` or
/// `Step::Rename`, named as `schema` names things.
fn step(schema: &Schema, object: &Renamed, from: &str, to: &str) -> Step {
    let q = |n: &QualifiedName, name: &str| QualifiedName::with_schema(n.schema.clone(), name);
    let rename = match object {
        Renamed::Table(n) => {
            return Step::RenameTable {
                previous: q(n, from),
                next: q(n, to),
            };
        }
        Renamed::Column { table, .. } => Rename::Column {
            table: table.clone(),
            from: from.to_string(),
            to: to.to_string(),
        },
        Renamed::Constraint { table, .. } => Rename::Constraint {
            table: table.clone(),
            from: from.to_string(),
            to: to.to_string(),
        },
        Renamed::Index(n) => Rename::Index {
            from: q(n, from),
            to: to.to_string(),
        },
        Renamed::View(n) => Rename::View {
            from: q(n, from),
            to: to.to_string(),
            materialized: schema.view(&q(n, from)).is_some_and(|v| v.materialized),
        },
        Renamed::Sequence(n) => Rename::Sequence {
            from: q(n, from),
            to: to.to_string(),
        },
        Renamed::Enum(n) => Rename::Enum {
            from: q(n, from),
            to: to.to_string(),
        },
        Renamed::EnumValue { enum_name, .. } => Rename::EnumValue {
            enum_name: enum_name.clone(),
            from: from.to_string(),
            to: to.to_string(),
        },
    };
    Step::Rename(rename)
}

/// up.sql: `r` is on the next schema; `work` is the previous one as renamed so far.
fn forward_rename(
    work: &Schema,
    next: &Schema,
    r: &RenamedFrom,
    previous_empty: bool,
) -> Result<Option<Step>, String> {
    let new = r.object.name();
    let what = r.object.describe();
    let from = &r.from;
    let (Some(had_old), Some(had_new)) = (has(work, &r.object, from), has(work, &r.object, new))
    else {
        // Its table or enum is created by this plan: the annotation cannot
        // be followed unless the container is renamed too.
        if previous_empty {
            return Ok(None);
        }
        let container = match &r.object {
            Renamed::Column { table, .. } | Renamed::Constraint { table, .. } => {
                format!("table `{table}`")
            }
            Renamed::EnumValue { enum_name, .. } => format!("enum type `{enum_name}`"),
            _ => return Ok(None),
        };
        return Err(format!(
            "{what} is annotated `-- migrate:renamed-from {}`, but the migrations have no {container}: if it was renamed, annotate it too (`-- migrate:renamed-from <old name>` above its CREATE)",
            shown(&r.object, from)
        ));
    };
    if had_new {
        // Applied already (or never needed): harmless.
        return Ok(None);
    }
    if !had_old {
        if previous_empty {
            return Ok(None);
        }
        return Err(format!(
            "{what} is annotated `-- migrate:renamed-from {}`, but the migrations have neither `{from}` nor `{new}`: correct the old name, or remove the annotation",
            shown(&r.object, from)
        ));
    }
    if has(next, &r.object, from) == Some(true) {
        return Err(format!(
            "{what} is annotated as renamed from `{from}`, but the schema still has `{from}`: one of them must go, or the annotation"
        ));
    }
    if !can_rename(&r.object, work.dialect) {
        return Ok(None);
    }
    Ok(Some(step(work, &r.object, from, new)))
}

fn shown(object: &Renamed, from: &str) -> String {
    match object {
        Renamed::EnumValue { .. } => crate::dialect::quote::string(from),
        _ => from.to_string(),
    }
}

/// down.sql: `r` is on the previous schema (`original`); the rename goes
/// back when the next schema has the old name and not the new one.
fn backward_rename(
    work: &Schema,
    next: &Schema,
    original: &Schema,
    r: &RenamedFrom,
) -> Option<Step> {
    let d = work.dialect;
    let new = r.object.name();
    // The container as the next schema names it: renamed back already
    // when its own annotation was followed (objects go first, so not yet).
    let in_next = match &r.object {
        Renamed::Column { table, column } => Renamed::Column {
            table: old_table_name(original, table).unwrap_or_else(|| table.clone()),
            column: column.clone(),
        },
        Renamed::Constraint { table, name } => Renamed::Constraint {
            table: old_table_name(original, table).unwrap_or_else(|| table.clone()),
            name: name.clone(),
        },
        Renamed::EnumValue { enum_name, value } => Renamed::EnumValue {
            enum_name: old_enum_name(original, enum_name).unwrap_or_else(|| enum_name.clone()),
            value: value.clone(),
        },
        other => other.clone(),
    };
    let next_has_old = has(next, &in_next, &r.from)? && !has(next, &in_next, new)?;
    let work_has_new = has(work, &r.object, new)? && !has(work, &r.object, &r.from)?;
    (next_has_old && work_has_new && can_rename(&r.object, d))
        .then(|| step(work, &r.object, new, &r.from))
}

fn old_table_name(annotated: &Schema, table: &QualifiedName) -> Option<QualifiedName> {
    let d = annotated.dialect;
    annotated.renames.0.iter().find_map(|r| match &r.object {
        Renamed::Table(n) if n.same_as(table, d) => {
            Some(QualifiedName::with_schema(n.schema.clone(), r.from.clone()))
        }
        _ => None,
    })
}

fn old_enum_name(annotated: &Schema, name: &QualifiedName) -> Option<QualifiedName> {
    let d = annotated.dialect;
    annotated.renames.0.iter().find_map(|r| match &r.object {
        Renamed::Enum(n) if n.same_as(name, d) => {
            Some(QualifiedName::with_schema(n.schema.clone(), r.from.clone()))
        }
        _ => None,
    })
}

/// Names the server gave a renamed table's keys, indexes and serial
/// sequences (`customers_pkey`, `customers_name_key`, `customers_id_seq`)
/// stay when the table or column is renamed; the next schema has the names
/// it would give them now. A key, index or owned sequence of a renamed
/// table that the next schema has under another name, otherwise the same,
/// is renamed too, instead of dropped and created.
fn follow_default_names(
    work: &mut Schema,
    next: &Schema,
    touched: &[QualifiedName],
    resolved: &mut Resolved,
) {
    let d = work.dialect;
    let rules = d.rules();
    let mut steps = Vec::new();
    let mut seen: Vec<&QualifiedName> = Vec::new();
    for table in touched {
        if seen.iter().any(|t| t.same_as(table, d)) {
            continue;
        }
        seen.push(table);
        let (Some(was), Some(is)) = (work.table(table), next.table(table)) else {
            continue;
        };
        if rules.can_rename_constraint() {
            for (from, to) in renamed_constraints(was, is, d) {
                steps.push(Step::Rename(Rename::Constraint {
                    table: table.clone(),
                    from,
                    to,
                }));
            }
        }
        if rules.can_rename_index() {
            for i in work.indexes_on(table) {
                if next.index(&i.name).is_some() {
                    continue;
                }
                let twin = next.indexes_on(table).find(|n| {
                    work.index(&n.name).is_none()
                        && crate::schema::Index {
                            name: n.name.clone(),
                            ..i.clone()
                        } == **n
                });
                if let Some(n) = twin {
                    steps.push(Step::Rename(Rename::Index {
                        from: i.name.clone(),
                        to: n.name.name.clone(),
                    }));
                }
            }
        }
        if rules.has_sequences() {
            for s in &work.sequences {
                let Some((owner, column)) = &s.owned_by else {
                    continue;
                };
                if !owner.same_as(table, d) || next.sequence(&s.name).is_some() {
                    continue;
                }
                let twin = next.sequences.iter().find(|n| {
                    work.sequence(&n.name).is_none()
                        && n.name.schema == s.name.schema
                        && n.owned_by
                            .as_ref()
                            .is_some_and(|(t, c)| t.same_as(owner, d) && d.same_name(c, column))
                });
                if let Some(n) = twin {
                    steps.push(Step::Rename(Rename::Sequence {
                        from: s.name.clone(),
                        to: n.name.name.clone(),
                    }));
                }
            }
        }
    }
    for step in steps {
        apply(work, step, resolved, &mut Vec::new());
    }
}

/// Constraints of `was` that `is` has under another name, otherwise equal.
fn renamed_constraints(was: &Table, is: &Table, d: Dialect) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut pair = |old: &Option<String>, new: &Option<String>| {
        if let (Some(old), Some(new)) = (old, new)
            && !d.same_name(old, new)
            && !has_constraint(is, old, d)
            && !has_constraint(was, new, d)
        {
            out.push((old.clone(), new.clone()));
        }
    };
    if let (Some(a), Some(b)) = (&was.primary_key, &is.primary_key)
        && (crate::schema::PrimaryKey {
            name: b.name.clone(),
            ..a.clone()
        }) == *b
    {
        pair(&a.name, &b.name);
    }
    macro_rules! twins {
        ($list:ident) => {
            for a in &was.$list {
                if a.name.as_deref().is_some_and(|n| has_constraint(is, n, d)) {
                    continue;
                }
                let mut unnamed = a.clone();
                let twin = is.$list.iter().find(|b| {
                    unnamed.name = b.name.clone();
                    unnamed == **b
                });
                if let Some(b) = twin {
                    pair(&a.name, &b.name);
                }
            }
        };
    }
    twins!(uniques);
    twins!(checks);
    twins!(foreign_keys);
    twins!(exclusions);
    out
}

/// A drop and an add that may be a rename: one column of a table dropped
/// and one added, of the same type. The CLI asks; the differ never guesses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameCandidate {
    pub table: QualifiedName,
    pub from: String,
    pub to: String,
}

/// The plan's drop-and-add pairs that look like a column rename.
pub fn rename_candidates(plan: &crate::plan::Plan, d: Dialect) -> Vec<RenameCandidate> {
    let mut out = Vec::new();
    let mut tables: Vec<&QualifiedName> = Vec::new();
    // A SQLite rebuild (a column SQLite cannot add in place) is a drop
    // and an add of its own.
    for s in &plan.steps {
        if let Step::RebuildTable { previous, next, .. } = &s.step {
            let dropped: Vec<_> = previous
                .columns
                .iter()
                .filter(|c| next.column(&c.name, d).is_none())
                .collect();
            let added: Vec<_> = next
                .columns
                .iter()
                .filter(|c| previous.column(&c.name, d).is_none())
                .collect();
            if let ([old], [new]) = (dropped.as_slice(), added.as_slice())
                && old.ty == new.ty
            {
                out.push(RenameCandidate {
                    table: next.name.clone(),
                    from: old.name.clone(),
                    to: new.name.clone(),
                });
            }
        }
    }
    for s in &plan.steps {
        if let Step::DropColumn { table, .. } | Step::AddColumn { table, .. } = &s.step
            && !tables.contains(&table)
        {
            tables.push(table);
        }
    }
    for table in tables {
        let dropped: Vec<_> = plan
            .steps
            .iter()
            .filter_map(|s| match &s.step {
                Step::DropColumn {
                    table: t, column, ..
                } if t == table => Some(column),
                _ => None,
            })
            .collect();
        let added: Vec<_> = plan
            .steps
            .iter()
            .filter_map(|s| match &s.step {
                Step::AddColumn { table: t, column } if t == table => Some(column),
                _ => None,
            })
            .collect();
        if let ([old], [new]) = (dropped.as_slice(), added.as_slice())
            && old.ty == new.ty
        {
            out.push(RenameCandidate {
                table: table.clone(),
                from: old.name.clone(),
                to: new.name.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::rename_candidates;
    use crate::ddl::{SourceFile, parse_schema};
    use crate::dialect::Dialect;
    use crate::diff::{describe, diff, try_diff};
    use crate::schema::Schema;

    fn read(d: Dialect, sql: &str) -> Schema {
        parse_schema(
            d,
            &[SourceFile {
                path: "schema.sql",
                sql,
            }],
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .0
    }

    fn steps(previous: &Schema, next: &Schema) -> Vec<String> {
        diff(previous, next)
            .steps
            .iter()
            .map(|s| describe(&s.step))
            .collect()
    }

    const ANNOTATED: &str = "CREATE TABLE t (\n  id int PRIMARY KEY,\n  full_name text -- migrate:renamed-from name\n);";

    #[test]
    fn an_annotation_renames_up_and_back_down() {
        for d in [Dialect::Postgres, Dialect::Sqlite] {
            let before = read(d, "CREATE TABLE t (id int PRIMARY KEY, name text);");
            let after = read(d, ANNOTATED);
            assert_eq!(
                steps(&before, &after),
                ["rename column `t.name` to `t.full_name`"]
            );
            assert_eq!(
                steps(&after, &before),
                ["rename column `t.full_name` to `t.name`"]
            );
        }
    }

    #[test]
    fn an_applied_annotation_is_harmless() {
        let applied = read(
            Dialect::Postgres,
            "CREATE TABLE t (id int PRIMARY KEY, full_name text);",
        );
        let after = read(Dialect::Postgres, ANNOTATED);
        assert!(try_diff(&applied, &after).unwrap().is_empty());
        assert!(try_diff(&after, &applied).unwrap().is_empty());
        // A database built from nothing has no history to rename from.
        let empty = Schema::empty(Dialect::Postgres);
        assert_eq!(try_diff(&empty, &after).unwrap().steps.len(), 1);
    }

    #[test]
    fn an_annotation_naming_nothing_is_an_error() {
        let other = read(
            Dialect::Postgres,
            "CREATE TABLE t (id int PRIMARY KEY, nom text);",
        );
        let after = read(Dialect::Postgres, ANNOTATED);
        let e = try_diff(&other, &after).unwrap_err().to_string();
        assert_eq!(
            e,
            "schema.sql:3:18: column `t.full_name` is annotated `-- migrate:renamed-from name`, but the migrations have neither `name` nor `full_name`: correct the old name, or remove the annotation"
        );
        let still = read(
            Dialect::Postgres,
            "CREATE TABLE t (\n  name text,\n  full_name text -- migrate:renamed-from name\n);",
        );
        let before = read(Dialect::Postgres, "CREATE TABLE t (name text);");
        let e = try_diff(&before, &still).unwrap_err().to_string();
        assert!(e.contains("the schema still has `name`"), "{e}");
        // The table is new: renamed without saying so, or a stray annotation.
        let elsewhere = read(Dialect::Postgres, "CREATE TABLE u (name text);");
        let e = try_diff(&elsewhere, &after).unwrap_err().to_string();
        assert!(
            e.contains("the migrations have no table `t`: if it was renamed, annotate it too"),
            "{e}"
        );
    }

    #[test]
    fn drop_and_add_of_one_column_of_the_same_type_is_a_candidate() {
        for d in [Dialect::Postgres, Dialect::Sqlite] {
            let before = read(
                d,
                "CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL);",
            );
            let after = read(
                d,
                "CREATE TABLE t (id int PRIMARY KEY, full_name text NOT NULL);",
            );
            let found = rename_candidates(&diff(&before, &after), d);
            assert_eq!(found.len(), 1, "{d}");
            assert_eq!(
                (found[0].from.as_str(), found[0].to.as_str()),
                ("name", "full_name")
            );
            let retyped = read(
                d,
                "CREATE TABLE t (id int PRIMARY KEY, full_name int NOT NULL);",
            );
            assert!(rename_candidates(&diff(&before, &retyped), d).is_empty());
            let two = read(
                d,
                "CREATE TABLE t (id int PRIMARY KEY, a text NOT NULL, b text);",
            );
            assert!(rename_candidates(&diff(&before, &two), d).is_empty());
        }
    }
}
