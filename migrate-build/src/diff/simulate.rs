//! A model of what a database does with each step, for tests: applies a plan
//! to a schema, refusing steps a database would refuse at that point (an
//! object that does not exist yet or any more, a key still referenced, a type
//! still used, a view still reading a column being changed). Applying
//! `diff(a, b)` to `a` must give `b`, with no step refused: that checks the
//! steps and their order together.

use super::describe;
use super::enums::uses_enum;
use crate::dialect::Dialect;
use crate::plan::{EnumValuePosition, Plan, Step};
use crate::schema::{Column, Index, IndexExpr, QualifiedName, Schema, Sequence, Table};

pub(super) fn apply(schema: &Schema, plan: &Plan) -> Result<Schema, String> {
    let mut s = schema.clone();
    for planned in &plan.steps {
        apply_step(&mut s, &planned.step, &plan.implicit_sequences)
            .map_err(|e| format!("{}: {e}", describe(&planned.step)))?;
    }
    Ok(s)
}

/// Both schemas with lists sorted and column order ignored (PostgreSQL
/// appends a column added again; no database diff sees the order).
pub(super) fn canonical(schema: &Schema) -> Schema {
    let mut s = schema.clone();
    s.sort();
    let d = s.dialect;
    for t in &mut s.tables {
        t.columns
            .sort_by(|a, b| d.name_key(&a.name).cmp(&d.name_key(&b.name)));
    }
    s
}

fn check(ok: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(message()) }
}

fn table<'a>(s: &'a mut Schema, name: &QualifiedName) -> Result<&'a mut Table, String> {
    s.table_mut(name).ok_or_else(|| format!("no table {name}"))
}

fn index_mut<'a>(s: &'a mut Schema, name: &QualifiedName) -> Result<&'a mut Index, String> {
    let d = s.dialect;
    s.indexes
        .iter_mut()
        .find(|i| i.name.same_as(name, d))
        .ok_or_else(|| format!("no index {name}"))
}

fn type_exists(s: &Schema, column: &Column) -> bool {
    !column.ty.user_defined
        || s.enums
            .iter()
            .any(|e| uses_enum(&column.ty, &e.name, s.dialect))
}

/// The sequence a `serial` column owns, which the renderer's `serial` creates.
/// The sequence a database makes for a column rendered `serial`.
fn owned_sequence(
    table: &QualifiedName,
    column: &Column,
    d: crate::Dialect,
    implicit: &[QualifiedName],
    unlogged: bool,
) -> Option<Sequence> {
    let name = d.rules().implicit_sequence(table, column)?;
    if !implicit.iter().any(|i| i.same_as(&name, d)) {
        return None;
    }
    let mut sequence = Sequence::new(name, Some((table.clone(), column.name.clone())));
    sequence.options = crate::schema::SequenceOptions::defaults(&column.ty.name, 1);
    sequence.unlogged = unlogged;
    Some(sequence)
}

fn referenced_elsewhere(s: &Schema, target: &QualifiedName, columns: &[String]) -> bool {
    let d = s.dialect;
    s.tables.iter().any(|t| {
        t.foreign_keys.iter().any(|fk| {
            fk.referenced_table.same_as(target, d)
                && fk
                    .referenced_columns
                    .iter()
                    .any(|c| columns.iter().any(|x| d.same_name(c, x)))
        })
    })
}

fn read_by_view(s: &Schema, table: &QualifiedName) -> bool {
    s.views.iter().any(|v| v.definition.mentions(&table.name))
}

fn apply_step(s: &mut Schema, step: &Step, implicit: &[QualifiedName]) -> Result<(), String> {
    let d = s.dialect;
    let pg = d == Dialect::Postgres;
    match step {
        Step::CreateNamespace(n) => {
            check(!s.namespaces.contains(n), || "exists".into())?;
            s.namespaces.push(n.clone());
        }
        Step::DropNamespace(n) => {
            check(s.namespaces.contains(n), || "missing".into())?;
            s.namespaces.retain(|x| x != n);
        }
        Step::CreateExtension(e) => s.extensions.push(e.clone()),
        Step::DropExtension(e) => s.extensions.retain(|x| x.name != e.name),
        Step::UpdateExtension(e) | Step::ReinstallExtension(e) => {
            let x = s
                .extensions
                .iter_mut()
                .find(|x| x.name == e.name)
                .ok_or("missing")?;
            x.version = e.version.clone();
        }
        Step::CreateEnum(e) => {
            check(s.enum_type(&e.name).is_none(), || "exists".into())?;
            s.enums.push(e.clone());
        }
        Step::DropEnum(e) => {
            let used = s
                .tables
                .iter()
                .flat_map(|t| &t.columns)
                .any(|c| uses_enum(&c.ty, &e.name, d));
            check(!used, || "a column still uses it".into())?;
            s.enums.retain(|x| !x.name.same_as(&e.name, d));
        }
        Step::AddEnumValue {
            enum_name,
            value,
            position,
        } => {
            let e = s
                .enums
                .iter_mut()
                .find(|x| x.name.same_as(enum_name, d))
                .ok_or("no such enum")?;
            check(!e.values.contains(value), || "value exists".into())?;
            let at = match position {
                EnumValuePosition::End => e.values.len(),
                EnumValuePosition::Before(v) => {
                    e.values.iter().position(|x| x == v).ok_or("no anchor")?
                }
                EnumValuePosition::After(v) => {
                    e.values.iter().position(|x| x == v).ok_or("no anchor")? + 1
                }
            };
            e.values.insert(at, value.clone());
        }
        Step::RecreateEnum {
            previous,
            next,
            usages,
        } => {
            for t in &s.tables {
                for c in t
                    .columns
                    .iter()
                    .filter(|c| uses_enum(&c.ty, &previous.name, d))
                {
                    let listed = usages
                        .iter()
                        .any(|u| u.table.same_as(&t.name, d) && d.same_name(&u.column, &c.name));
                    check(listed, || format!("{}.{} is not converted", t.name, c.name))?;
                }
            }
            let e = s
                .enums
                .iter_mut()
                .find(|x| x.name.same_as(&previous.name, d))
                .ok_or("no such enum")?;
            e.values = next.values.clone();
            // Each converted column gets its next default back.
            for u in usages {
                if let Some(c) = s
                    .table_mut(&u.table)
                    .and_then(|t| t.column_mut(&u.column, d))
                {
                    c.default = u.default.clone();
                }
            }
        }
        Step::CreateSequence(q) => {
            check(s.sequence(&q.name).is_none(), || "exists".into())?;
            if let Some((t, c)) = &q.owned_by {
                let owner = s.table(t).and_then(|t| t.column(c, d));
                check(owner.is_some(), || "no owner column".into())?;
            }
            s.sequences.push(q.clone());
        }
        Step::SetSequenceOwner { sequence, owned_by } => {
            let owner = s.table(&owned_by.0).and_then(|t| t.column(&owned_by.1, d));
            check(owner.is_some(), || "no owner column".into())?;
            let q = s
                .sequences
                .iter_mut()
                .find(|x| x.name.same_as(sequence, d))
                .ok_or("missing")?;
            q.owned_by = Some(owned_by.clone());
        }
        Step::AlterSequence { previous, next } => {
            let q = s
                .sequences
                .iter_mut()
                .find(|x| x.name.same_as(&next.name, d))
                .ok_or("missing")?;
            check(q == previous, || format!("is {q:?}, not {previous:?}"))?;
            *q = next.clone();
        }
        Step::AlterTableOptions {
            table: name,
            previous,
            next,
        } => {
            if let crate::schema::ReplicaIdentity::Index(i) = &next.replica_identity {
                let index = QualifiedName::with_schema(name.schema.clone(), i.clone());
                let t = s.table(name).ok_or("missing")?;
                let key = t.primary_key.iter().any(|k| k.name.as_deref() == Some(i))
                    || t.uniques.iter().any(|u| u.name.as_deref() == Some(i));
                check(key || s.index(&index).is_some(), || format!("no index {i}"))?;
            }
            let t = table(s, name)?;
            check(t.options == *previous, || "options differ".into())?;
            t.options = next.clone();
            if previous.unlogged != next.unlogged {
                for q in &mut s.sequences {
                    if q.owned_by.as_ref().is_some_and(|(o, _)| o.same_as(name, d)) {
                        q.unlogged = next.unlogged;
                    }
                }
            }
        }
        Step::AlterIndexStorage {
            index,
            previous,
            next,
        } => {
            let i = index_mut(s, index)?;
            check(crate::schema::same_storage(&i.storage, previous), || {
                "storage differs".into()
            })?;
            i.storage = next.clone();
        }
        Step::AlterIndexStatistics {
            index,
            previous,
            next,
        } => {
            let i = index_mut(s, index)?;
            check(super::index::statistics(i) == *previous, || {
                "statistics differ".into()
            })?;
            check(i.columns.len() == next.len(), || "columns differ".into())?;
            for (column, target) in i.columns.iter_mut().zip(next) {
                column.statistics = *target;
            }
        }
        Step::AlterViewOptions {
            view,
            previous,
            next,
            ..
        } => {
            let v = s
                .views
                .iter_mut()
                .find(|v| v.name.same_as(view, d))
                .ok_or("missing")?;
            check(crate::schema::same_storage(&v.options, previous), || {
                "options differ".into()
            })?;
            v.options = next.clone();
        }
        // Comments change nothing a later step depends on; the differ's
        // tests compare the schema it reaches.
        Step::SetComment { target, comment } => set_comment(s, target, comment.clone())?,
        Step::AddExclusion {
            table: name,
            exclusion,
        } => table(s, name)?.exclusions.push(exclusion.clone()),
        Step::DropExclusion {
            table: name,
            exclusion,
        } => {
            let t = table(s, name)?;
            let before = t.exclusions.len();
            t.exclusions.retain(|x| x.name != exclusion.name);
            check(t.exclusions.len() < before, || "missing".into())?;
        }
        Step::CreatePolicy(p) => {
            check(s.table(&p.table).is_some(), || "no table".into())?;
            let exists = s
                .policies
                .iter()
                .any(|q| q.table.same_as(&p.table, d) && q.name == p.name);
            check(!exists, || "exists".into())?;
            s.policies.push(p.clone());
        }
        Step::DropPolicy(p) => {
            let before = s.policies.len();
            s.policies
                .retain(|q| !(q.table.same_as(&p.table, d) && q.name == p.name));
            check(s.policies.len() < before, || "missing".into())?;
        }
        Step::AlterPolicy { previous, next } => {
            let q = s
                .policies
                .iter_mut()
                .find(|q| q.table.same_as(&next.table, d) && q.name == next.name)
                .ok_or("missing")?;
            check(q == previous, || "differs".into())?;
            *q = next.clone();
        }
        Step::ValidateConstraint {
            table: name,
            name: c,
        } => {
            let t = table(s, name)?;
            let mut found = false;
            for k in t.checks.iter_mut().filter(|k| k.name.as_deref() == Some(c)) {
                k.not_valid = false;
                found = true;
            }
            for f in t
                .foreign_keys
                .iter_mut()
                .filter(|f| f.name.as_deref() == Some(c))
            {
                f.not_valid = false;
                found = true;
            }
            check(found, || "missing".into())?;
        }
        Step::DropSequence(q) => {
            check(s.sequence(&q.name).is_some(), || "missing".into())?;
            s.sequences.retain(|x| !x.name.same_as(&q.name, d));
        }
        Step::CreateTable(t) => {
            check(s.table(&t.name).is_none(), || "exists".into())?;
            for c in &t.columns {
                check(type_exists(s, c), || format!("no type {}", c.ty))?;
                s.sequences
                    .extend(owned_sequence(&t.name, c, d, implicit, t.options.unlogged));
            }
            s.tables.push(t.clone());
        }
        Step::DropTable(t) => {
            let name = &t.name;
            if pg {
                let others = s.tables.iter().filter(|x| !x.name.same_as(name, d));
                let referenced = others
                    .flat_map(|x| &x.foreign_keys)
                    .any(|fk| fk.referenced_table.same_as(name, d));
                check(!referenced, || "still referenced".into())?;
                check(!read_by_view(s, name), || "a view reads it".into())?;
                let attached_to_referenced = s
                    .table(name)
                    .and_then(|x| x.partition_of.as_ref())
                    .is_some_and(|p| {
                        s.tables
                            .iter()
                            .flat_map(|x| &x.foreign_keys)
                            .any(|fk| fk.referenced_table.same_as(&p.parent, d))
                    });
                check(!attached_to_referenced, || {
                    "a partition of a referenced table".into()
                })?;
            }
            check(s.table(name).is_some(), || "missing".into())?;
            s.tables.retain(|x| !x.name.same_as(name, d));
            s.policies.retain(|p| !p.table.same_as(name, d));
            s.publication_members
                .retain(|m| !m.table().is_some_and(|t| t.same_as(name, d)));
            s.indexes.retain(|i| !i.table.same_as(name, d));
            s.sequences
                .retain(|q| !q.owned_by.as_ref().is_some_and(|(o, _)| o.same_as(name, d)));
        }
        Step::RebuildTable {
            previous,
            next,
            indexes,
        } => {
            check(!read_by_view(s, &previous.name), || {
                "a view reads it".into()
            })?;
            let triggered = s.opaque.iter().any(|o| {
                o.on_table
                    .as_ref()
                    .is_some_and(|t| t.same_as(&previous.name, d))
            });
            check(!triggered, || "a trigger is on it".into())?;
            *table(s, &previous.name)? = next.clone();
            s.indexes.retain(|i| !i.table.same_as(&previous.name, d));
            for i in indexes {
                check(s.index(&i.name).is_none(), || {
                    format!("index {} exists", i.name)
                })?;
                s.indexes.push(i.clone());
            }
        }
        Step::RenameTable { previous, next } => {
            table(s, previous)?.name = next.clone();
        }
        Step::Rename(rename) => crate::ddl::rename(s, rename)?,
        Step::AddColumn {
            table: name,
            column,
        } => {
            check(type_exists(s, column), || format!("no type {}", column.ty))?;
            let unlogged = s.table(name).is_some_and(|t| t.options.unlogged);
            let owned = owned_sequence(name, column, d, implicit, unlogged);
            let t = table(s, name)?;
            check(t.column(&column.name, d).is_none(), || "exists".into())?;
            t.columns.push(column.clone());
            s.sequences.extend(owned);
        }
        Step::DropColumn {
            table: name,
            column,
            ..
        } => {
            let c = &column.name;
            let indexed = s.indexes_on(name).any(|i| {
                i.columns
                    .iter()
                    .any(|ic| matches!(&ic.expr, IndexExpr::Column(x) if d.same_name(x, c)))
            });
            check(!indexed, || "an index uses it".into())?;
            check(
                !referenced_elsewhere(s, name, std::slice::from_ref(c)),
                || "referenced".into(),
            )?;
            let published = s.publication_members.iter().any(|m| match &m.target {
                crate::schema::PublicationTarget::Table {
                    table,
                    columns,
                    row_filter,
                } => {
                    table.same_as(name, d)
                        && (columns
                            .as_ref()
                            .is_some_and(|cs| cs.iter().any(|x| d.same_name(x, c)))
                            || row_filter.as_ref().is_some_and(|e| e.mentions(c)))
                }
                crate::schema::PublicationTarget::Schema(_) => false,
            });
            check(!published, || "a publication uses it".into())?;
            if pg {
                check(!read_by_view(s, name), || "a view reads the table".into())?;
            }
            let t = table(s, name)?;
            let in_key = t
                .primary_key
                .iter()
                .map(|pk| &pk.columns)
                .chain(t.uniques.iter().map(|u| &u.columns))
                .any(|cols| cols.iter().any(|x| d.same_name(x, c)));
            check(!in_key, || "a key uses it".into())?;
            check(t.column(c, d).is_some(), || "missing".into())?;
            t.columns.retain(|x| !d.same_name(&x.name, c));
            s.sequences.retain(|q| {
                !q.owned_by
                    .as_ref()
                    .is_some_and(|(o, oc)| o.same_as(name, d) && d.same_name(oc, c))
            });
        }
        Step::AlterColumn {
            table: name,
            next,
            changes,
            ..
        } => {
            check(type_exists(s, next), || format!("no type {}", next.ty))?;
            if changes.ty && pg {
                check(!read_by_view(s, name), || "a view reads the table".into())?;
            }
            let t = table(s, name)?;
            let c = t.column_mut(&next.name, d).ok_or("missing column")?;
            *c = Column {
                comment: c.comment.clone(),
                ..next.clone()
            };
            if pg && (changes.ty || changes.collation) {
                for i in s.indexes.iter_mut() {
                    if i.table.same_as(name, d) && i.reads(&next.name) {
                        i.forget_statistics();
                    }
                }
            }
        }
        Step::AddPrimaryKey {
            table: name,
            primary_key,
        } => {
            let t = table(s, name)?;
            check(t.primary_key.is_none(), || "has one".into())?;
            t.primary_key = Some(primary_key.clone());
        }
        Step::DropPrimaryKey {
            table: name,
            primary_key,
        } => {
            check(!referenced_elsewhere(s, name, &primary_key.columns), || {
                "referenced".into()
            })?;
            let t = table(s, name)?;
            check(t.primary_key.is_some(), || "none".into())?;
            t.primary_key = None;
        }
        Step::AddUnique {
            table: name,
            unique,
        } => table(s, name)?.uniques.push(unique.clone()),
        Step::DropUnique {
            table: name,
            unique,
        } => {
            check(!referenced_elsewhere(s, name, &unique.columns), || {
                "referenced".into()
            })?;
            let t = table(s, name)?;
            let at = t
                .uniques
                .iter()
                .position(|u| u == unique)
                .ok_or("missing")?;
            t.uniques.remove(at);
        }
        Step::AddCheck {
            table: name,
            check: c,
        } => table(s, name)?.checks.push(c.clone()),
        Step::DropCheck {
            table: name,
            check: c,
        } => {
            let t = table(s, name)?;
            let at = t.checks.iter().position(|x| x == c).ok_or("missing")?;
            t.checks.remove(at);
        }
        Step::AddForeignKey {
            table: name,
            foreign_key,
        } => {
            let target = s
                .table(&foreign_key.referenced_table)
                .ok_or("referenced table missing")?;
            let cols = &foreign_key.referenced_columns;
            let same = |x: &[String]| {
                x.len() == cols.len() && x.iter().zip(cols).all(|(a, b)| d.same_name(a, b))
            };
            let unique_index = s
                .indexes_on(&foreign_key.referenced_table)
                .any(|i| i.unique && i.predicate.is_none() && same(&index_columns(i)));
            let keyed = target
                .primary_key
                .as_ref()
                .is_some_and(|pk| same(&pk.columns))
                || target.uniques.iter().any(|u| same(&u.columns))
                || unique_index;
            check(keyed, || "no key on the referenced columns".into())?;
            table(s, name)?.foreign_keys.push(foreign_key.clone());
        }
        Step::DropForeignKey {
            table: name,
            foreign_key,
        } => {
            let t = table(s, name)?;
            let at = t
                .foreign_keys
                .iter()
                .position(|x| x == foreign_key)
                .ok_or("missing")?;
            t.foreign_keys.remove(at);
        }
        Step::CreateIndex(i) => {
            check(s.index(&i.name).is_none(), || "name taken".into())?;
            check(
                s.table(&i.table).is_some() || s.view(&i.table).is_some(),
                || "no table".into(),
            )?;
            s.indexes.push(i.clone());
        }
        Step::DropIndex(i) => {
            check(s.index(&i.name).is_some(), || "missing".into())?;
            // SQLite checks foreign keys against keys only when rows change.
            if i.unique && pg {
                check(
                    !referenced_elsewhere(s, &i.table, &index_columns(i)),
                    || "a foreign key uses it".into(),
                )?;
            }
            s.indexes.retain(|x| !x.name.same_as(&i.name, d));
        }
        Step::CreateView(v) => {
            check(s.view(&v.name).is_none(), || "exists".into())?;
            s.views.push(v.clone());
        }
        Step::DropView(v) => {
            let read = s
                .views
                .iter()
                .any(|o| !o.name.same_as(&v.name, d) && o.definition.mentions(&v.name.name));
            check(!read, || "another view reads it".into())?;
            check(s.view(&v.name).is_some(), || "missing".into())?;
            s.views.retain(|x| !x.name.same_as(&v.name, d));
            s.indexes.retain(|i| !i.table.same_as(&v.name, d));
        }
        Step::SetTableComment {
            table: name,
            comment,
        } => table(s, name)?.comment = comment.clone(),
        Step::SetColumnComment {
            table: name,
            column,
            comment,
        } => {
            table(s, name)?
                .column_mut(column, d)
                .ok_or("missing column")?
                .comment = comment.clone();
        }
        Step::CreateVirtualTable(v) => {
            check(s.virtual_table(&v.name).is_none(), || "exists".into())?;
            s.virtual_tables.push(v.clone());
        }
        Step::DropVirtualTable(v) => {
            check(s.virtual_table(&v.name).is_some(), || "missing".into())?;
            s.virtual_tables.retain(|x| !x.name.same_as(&v.name, d));
        }
        Step::CreateOpaque(o) => {
            let exists = s
                .opaque
                .iter()
                .any(|x| x.kind == o.kind && x.name.same_as(&o.name, d));
            check(!exists, || "exists".into())?;
            s.opaque.push(o.clone());
        }
        Step::AlterTextSearch { previous, next } => {
            let x = s
                .opaque
                .iter_mut()
                .find(|x| x.kind == next.kind && x.name.same_as(&next.name, d))
                .ok_or("missing")?;
            check(x.text_search == previous.text_search, || "differs".into())?;
            x.text_search = next.text_search.clone();
            x.definition = next.definition.clone();
        }
        Step::DropOpaque(o) => {
            let used = s.opaque.iter().any(|x| {
                !(x.kind == o.kind && x.name.same_as(&o.name, d))
                    && x.definition.mentions(&o.name.name)
            });
            check(!used, || "another object uses it".into())?;
            let before = s.opaque.len();
            s.opaque
                .retain(|x| !(x.kind == o.kind && x.name.same_as(&o.name, d)));
            check(s.opaque.len() < before, || "missing".into())?;
            if o.kind == crate::schema::OpaqueKind::Publication {
                s.publication_members
                    .retain(|m| !d.same_name(&m.publication, &o.name.name));
            }
        }
        Step::AlterOpaqueState { previous, next } => {
            let x = s
                .opaque
                .iter_mut()
                .find(|x| x.kind == next.kind && x.name.same_as(&next.name, d))
                .ok_or("missing")?;
            check(x.same_but_state(previous), || "differs".into())?;
            x.firing = next.firing;
            x.statistics_target = next.statistics_target;
        }
        Step::AttachPartition {
            table: t,
            partition,
        } => {
            let parent = s.table(&partition.parent).cloned().ok_or("no parent")?;
            check(parent.partition_by.is_some(), || {
                "parent not partitioned".into()
            })?;
            let child = table(s, t)?;
            check(child.partition_of.is_none(), || {
                "already a partition".into()
            })?;
            let same = parent.columns.len() == child.columns.len()
                && parent
                    .columns
                    .iter()
                    .all(|p| child.column(&p.name, d).is_some_and(|c| c.ty == p.ty));
            check(same, || "columns differ from the parent's".into())?;
            let missing = parent
                .checks
                .iter()
                .any(|p| !child.checks.iter().any(|c| c.name == p.name));
            check(!missing, || "a check of the parent is missing".into())?;
            // The server holds them as the parent's from now on.
            child
                .checks
                .retain(|c| !parent.checks.iter().any(|p| p.name == c.name));
            child.partition_of = Some(Box::new(partition.clone()));
        }
        Step::DetachPartition {
            table: t,
            partition,
        } => {
            let parent = s.table(&partition.parent).cloned().ok_or("no parent")?;
            let child = table(s, t)?;
            check(child.partition_of.as_deref() == Some(partition), || {
                "not this partition".into()
            })?;
            child.partition_of = None;
            child.checks.extend(parent.checks.iter().cloned());
        }
        Step::ChangePartitioning { .. } => return Err("not renderable".into()),
        Step::AddPublicationMember(m) => {
            let publication = s.opaque.iter().any(|o| {
                o.kind == crate::schema::OpaqueKind::Publication
                    && d.same_name(&o.name.name, &m.publication)
            });
            check(publication, || "no publication".into())?;
            if let Some(t) = m.table() {
                let found = s.table(t).ok_or("no table")?;
                if let crate::schema::PublicationTarget::Table {
                    columns: Some(columns),
                    ..
                } = &m.target
                {
                    let all = columns.iter().all(|c| found.column(c, d).is_some());
                    check(all, || "a listed column is missing".into())?;
                }
            }
            let exists = s.publication_members.iter().any(|x| x.same_member(m, d));
            check(!exists, || "already a member".into())?;
            s.publication_members.push(m.clone());
        }
        Step::AlterPublication { previous, next } => {
            let o = s
                .opaque
                .iter_mut()
                .find(|o| o.kind == previous.kind && o.name.same_as(&previous.name, d))
                .ok_or("missing")?;
            check(*o == *previous, || "differs".into())?;
            *o = next.clone();
        }
        Step::DropPublicationMember(m) => {
            let before = s.publication_members.len();
            s.publication_members.retain(|x| !x.same_member(m, d));
            check(s.publication_members.len() < before, || "missing".into())?;
        }
        Step::AddInherit { table: t, parent } => {
            check(s.table(parent).is_some(), || "no parent".into())?;
            let child = table(s, t)?;
            child.inherits.push(parent.clone());
        }
        Step::DropInherit { table: t, parent } => {
            let child = table(s, t)?;
            let before = child.inherits.len();
            child.inherits.retain(|p| !p.same_as(parent, d));
            check(child.inherits.len() < before, || "does not inherit".into())?;
        }
    }
    Ok(())
}

fn index_columns(index: &crate::schema::Index) -> Vec<String> {
    index
        .columns
        .iter()
        .filter_map(|c| match &c.expr {
            IndexExpr::Column(name) => Some(name.clone()),
            IndexExpr::Expression(_) => None,
        })
        .collect()
}

fn set_comment(
    s: &mut Schema,
    target: &crate::plan::CommentTarget,
    text: Option<String>,
) -> Result<(), String> {
    use crate::plan::CommentTarget as T;
    let d = s.dialect;
    let named = |list: &mut Vec<(String, String)>, name: &str, text: Option<String>| {
        list.retain(|(n, _)| n != name);
        if let Some(t) = text {
            list.push((name.to_string(), t));
            list.sort();
        }
    };
    match target {
        T::Index(n) => {
            s.indexes
                .iter_mut()
                .find(|i| i.name.same_as(n, d))
                .ok_or("missing")?
                .comment = text
        }
        T::View { name, .. } => {
            s.views
                .iter_mut()
                .find(|v| v.name.same_as(name, d))
                .ok_or("missing")?
                .comment = text
        }
        T::ViewColumn { view, column } => {
            let v = s
                .views
                .iter_mut()
                .find(|v| v.name.same_as(view, d))
                .ok_or("missing")?;
            named(&mut v.column_comments, column, text);
        }
        T::Sequence(n) => {
            s.sequences
                .iter_mut()
                .find(|q| q.name.same_as(n, d))
                .ok_or("missing")?
                .comment = text
        }
        T::Type(n) => {
            s.enums
                .iter_mut()
                .find(|e| e.name.same_as(n, d))
                .ok_or("missing")?
                .comment = text
        }
        T::Schema(n) => named(&mut s.namespace_comments, n, text),
        T::Extension(n) => {
            s.extensions
                .iter_mut()
                .find(|e| &e.name == n)
                .ok_or("missing")?
                .comment = text
        }
        T::Constraint { name, table: t } => {
            named(&mut table(s, t)?.constraint_comments, name, text)
        }
        T::Policy { name, table: t } => {
            s.policies
                .iter_mut()
                .find(|p| p.table.same_as(t, d) && &p.name == name)
                .ok_or("missing")?
                .comment = text
        }
        T::Opaque(o) => {
            s.opaque
                .iter_mut()
                .find(|x| {
                    x.kind == o.kind
                        && x.name.same_as(&o.name, d)
                        && x.on_table == o.on_table
                        && x.signature == o.signature
                })
                .ok_or("missing")?
                .comment = text
        }
    }
    Ok(())
}
