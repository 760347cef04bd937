//! Views and opaque objects (functions, triggers, types the engine does not
//! model): matched by kind and name, compared by [`Definition`]; a changed
//! one is dropped and created again. Objects that may stand in the way of a
//! change (a view or trigger reading or sitting on a table whose columns
//! change shape, anything mentioning an object being recreated) are dropped
//! first and created again last. Indexes of materialized views follow their
//! view.

use std::collections::HashMap;

use super::Differ;
use super::enums::uses_enum;
use super::index::same_index;
use super::names::{NameKey, name_key};
use super::order::{ObjectClass, Phase, object_class};
use super::table::TableChanges;
use crate::dialect::Dialect;
use crate::plan::{ColumnChanges, Destructive, Step};
use crate::schema::Words;
use crate::schema::{
    Column, Definition, ObjectRef, OpaqueKind, OpaqueObject, QualifiedName, RefKind, View,
};

/// Kind, name, table, and signature (overloads are distinct objects).
type ObjectKey = (Option<OpaqueKind>, NameKey, Option<NameKey>, Option<String>);

#[derive(Clone, Copy)]
enum Object<'a> {
    View(&'a View),
    Opaque(&'a OpaqueObject),
}

impl<'a> Object<'a> {
    fn all(views: &'a [View], opaque: &'a [OpaqueObject]) -> Vec<Object<'a>> {
        views
            .iter()
            .map(Object::View)
            .chain(opaque.iter().map(Object::Opaque))
            .collect()
    }

    fn name(&self) -> &'a QualifiedName {
        match self {
            Object::View(v) => &v.name,
            Object::Opaque(o) => &o.name,
        }
    }

    fn opaque(&self) -> Option<&'a OpaqueObject> {
        match self {
            Object::View(_) => None,
            Object::Opaque(o) => Some(o),
        }
    }

    fn definition(&self) -> &'a Definition {
        match self {
            Object::View(v) => &v.definition,
            Object::Opaque(o) => &o.definition,
        }
    }

    /// A view's query is SQL the model does not analyse: the names it
    /// mentions stand for its dependencies. Opaque objects carry theirs.
    fn words(&self) -> &'a Words {
        static NONE: std::sync::LazyLock<Words> = std::sync::LazyLock::new(Words::default);
        match self {
            Object::View(v) => v.definition.words(),
            Object::Opaque(_) => &NONE,
        }
    }

    /// Two objects are the same object (not: have the same definition)
    /// when their keys are equal: views by name, others by kind, name and
    /// the table they are on.
    fn key(&self, d: Dialect) -> ObjectKey {
        match self {
            Object::View(v) => (None, name_key(d, &v.name), None, None),
            Object::Opaque(o) => (
                Some(o.kind),
                name_key(d, &o.name),
                o.on_table.as_ref().map(|t| name_key(d, t)),
                o.signature.clone(),
            ),
        }
    }

    fn same_definition(&self, other: &Object<'_>) -> bool {
        let materialized = match (self, other) {
            (Object::View(a), Object::View(b)) => a.materialized == b.materialized,
            (Object::Opaque(_), _) | (_, Object::Opaque(_)) => true,
        };
        let held = match (self, other) {
            (Object::Opaque(a), Object::Opaque(b)) => a.text_search == b.text_search,
            (Object::View(_), _) | (_, Object::View(_)) => true,
        };
        materialized && held && self.definition() == other.definition()
    }

    /// Whether `next` is this text search object altered in place: same
    /// parser or template, other mappings or options.
    fn alters_to(&self, next: &Object<'_>) -> bool {
        match (self, next) {
            (Object::Opaque(a), Object::Opaque(b)) => match (&a.text_search, &b.text_search) {
                (Some(x), Some(y)) => x.alterable_to(y),
                _ => false,
            },
            (Object::View(_), _) | (_, Object::View(_)) => false,
        }
    }

    fn class(&self) -> ObjectClass {
        match self {
            Object::View(_) => ObjectClass::Dependent,
            Object::Opaque(o) => object_class(o.kind),
        }
    }

    fn create(&self) -> Step {
        match self {
            Object::View(v) => Step::CreateView((*v).clone()),
            Object::Opaque(o) => Step::CreateOpaque((*o).clone()),
        }
    }

    fn drop(&self) -> Step {
        match self {
            Object::View(v) => Step::DropView((*v).clone()),
            Object::Opaque(o) => Step::DropOpaque((*o).clone()),
        }
    }
}

/// Whether `a` cannot exist without `b`: an opaque object names it in its
/// definition or signature (facts of the model) or sits on it; a view's
/// query mentions its name.
fn depends(a: &Object<'_>, words: &Words, b: &Object<'_>, d: Dialect) -> bool {
    match a {
        Object::View(_) => words.mention(&b.name().name),
        Object::Opaque(o) => {
            o.references.iter().any(|r| refers_to(r, b, d))
                || matches!(b, Object::View(v) if o.on_table.as_ref().is_some_and(|t| t.same_as(&v.name, d)))
        }
    }
}

/// Two versions of a function or procedure whose argument lists and
/// results are written alike.
fn same_head(a: &Object<'_>, b: &Object<'_>) -> bool {
    match (a, b) {
        (Object::Opaque(x), Object::Opaque(y)) => {
            matches!(x.kind, OpaqueKind::Function | OpaqueKind::Procedure)
                && x.head.is_some()
                && x.head == y.head
        }
        (Object::View(_), _) | (_, Object::View(_)) => false,
    }
}

/// Whether reference `r` names object `b`.
fn refers_to(r: &ObjectRef, b: &Object<'_>, d: Dialect) -> bool {
    let kind = match b {
        Object::View(_) => RefKind::Relation,
        Object::Opaque(o) => match ref_kind(o.kind) {
            Some(kind) => kind,
            None => return false,
        },
    };
    r.kind == kind && r.name.same_as(b.name(), d)
}

/// The namespace other objects name an opaque object in.
fn ref_kind(kind: OpaqueKind) -> Option<RefKind> {
    match kind {
        OpaqueKind::Function | OpaqueKind::Procedure | OpaqueKind::Aggregate => {
            Some(RefKind::Function)
        }
        OpaqueKind::Type | OpaqueKind::Domain => Some(RefKind::Type),
        OpaqueKind::Collation => Some(RefKind::Collation),
        OpaqueKind::TextSearchConfiguration => Some(RefKind::TextSearchConfiguration),
        OpaqueKind::TextSearchDictionary => Some(RefKind::TextSearchDictionary),
        OpaqueKind::Trigger
        | OpaqueKind::Statistics
        | OpaqueKind::Policy
        | OpaqueKind::Rule
        | OpaqueKind::Operator
        | OpaqueKind::Cast
        | OpaqueKind::EventTrigger
        | OpaqueKind::Publication => None,
    }
}

/// Whether `o` names the relation or type `name` (a table, or an enum).
fn names_table_or_type(o: &Object<'_>, words: &Words, name: &QualifiedName, d: Dialect) -> bool {
    match o {
        Object::View(_) => words.mention(&name.name),
        Object::Opaque(x) => {
            x.on_table.as_ref().is_some_and(|t| t.same_as(name, d))
                || x.references.iter().any(|r| {
                    matches!(r.kind, RefKind::Relation | RefKind::Type) && r.name.same_as(name, d)
                })
        }
    }
}

pub(super) fn push_object_steps(differ: &mut Differ<'_>, tables: &TableChanges<'_>) {
    let d = differ.dialect;
    let schemas = differ.schemas;
    let previous = Object::all(&schemas.previous.views, &schemas.previous.opaque);
    let next = Object::all(&schemas.next.views, &schemas.next.opaque);
    let mut by_key: HashMap<ObjectKey, usize> = HashMap::new();
    for (j, new) in next.iter().enumerate() {
        by_key.entry(new.key(d)).or_insert(j);
    }
    let matched: Vec<Option<usize>> = previous
        .iter()
        .map(|old| by_key.get(&old.key(d)).copied())
        .collect();
    let mut matched_from: Vec<Option<usize>> = vec![None; next.len()];
    for (i, m) in matched.iter().enumerate() {
        if let Some(j) = m {
            matched_from[*j] = Some(i);
        }
    }

    // Tables whose columns change shape block the objects that read them
    // or sit on them; an enum recreated blocks everything that names it,
    // and so do the tables whose columns it converts.
    let reshaped: Vec<&QualifiedName> = tables.reshaped().collect();
    let mut recreated: Vec<QualifiedName> = Vec::new();
    for (_, planned) in &differ.steps {
        if let Step::RecreateEnum {
            previous, usages, ..
        } = &planned.step
        {
            recreated.push(previous.name.clone());
            recreated.extend(usages.iter().map(|u| u.table.clone()));
        }
    }
    let previous_words: Vec<&Words> = previous.iter().map(Object::words).collect();
    let next_words: Vec<&Words> = next.iter().map(Object::words).collect();

    // A routine whose body alone changed is replaced in place
    // (`CREATE OR REPLACE`): what uses it stays.
    let mut replaced = vec![false; previous.len()];
    // A text search object whose mappings or options alone changed is
    // altered in place: the columns and indexes naming it keep it.
    let mut altered = vec![false; previous.len()];
    let mut gone: Vec<bool> = (0..previous.len())
        .map(|i| match matched[i] {
            None => true,
            Some(j) => {
                let old = &previous[i];
                let words = &previous_words[i];
                let blocked = (old.class() == ObjectClass::Dependent
                    && reshaped
                        .iter()
                        .any(|t| names_table_or_type(old, words, t, d)))
                    || recreated
                        .iter()
                        .any(|t| names_table_or_type(old, words, t, d));
                let changed = !old.same_definition(&next[j]);
                if changed && super::publications::alterable(old.opaque(), next[j].opaque()) {
                    return false;
                }
                if changed && !blocked && same_head(old, &next[j]) {
                    replaced[i] = true;
                    return false;
                }
                if changed && !blocked && old.alters_to(&next[j]) {
                    altered[i] = true;
                    return false;
                }
                blocked || changed
            }
        })
        .collect();
    // Whatever depends on an object that goes must go too (and come back).
    loop {
        let mut grew = false;
        for i in 0..previous.len() {
            if gone[i] {
                continue;
            }
            let hit = (0..previous.len()).any(|k| {
                k != i
                    && gone[k]
                    && depends(&previous[i], previous_words[i], &previous[k], d)
                    // An altered configuration lets go of a removed
                    // dictionary before it is dropped.
                    && !(altered[i]
                        && matched[k].is_none()
                        && matched[i].is_some_and(|j| {
                            !depends(&next[j], next_words[j], &previous[k], d)
                        }))
            });
            if hit {
                gone[i] = true;
                altered[i] = false;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }

    // Columns of kept tables typed with a domain or composite type that is
    // recreated: converted to text before the drop and back after the
    // create, as an enum's columns are. Columns using a recreated
    // collation go to the default collation and back.
    let mut conversions: Vec<(QualifiedName, Column, Column)> = Vec::new();
    let mut recollations: Vec<(QualifiedName, Column, Column)> = Vec::new();
    for i in (0..previous.len()).filter(|&i| gone[i] && matched[i].is_some()) {
        let Object::Opaque(o) = previous[i] else {
            continue;
        };
        if o.kind == OpaqueKind::Collation {
            let name = o.name.to_string();
            let uses = |c: &Column| {
                c.collation
                    .as_deref()
                    .is_some_and(|x| d.same_name(x, &name))
            };
            for table in &schemas.previous.tables {
                let Some(new_table) = schemas.next.table(&table.name) else {
                    continue;
                };
                for column in table.columns.iter().filter(|c| uses(c)) {
                    if let Some(new_column) = new_table.column(&column.name, d).filter(|c| uses(c))
                    {
                        recollations.push((table.name.clone(), column.clone(), new_column.clone()));
                    }
                }
            }
            continue;
        }
        if !matches!(o.kind, OpaqueKind::Domain | OpaqueKind::Type) {
            continue;
        }
        for table in &schemas.previous.tables {
            let Some(new_table) = schemas.next.table(&table.name) else {
                continue;
            };
            for column in &table.columns {
                let Some(new_column) = new_table.column(&column.name, d) else {
                    continue;
                };
                if uses_enum(&column.ty, &o.name, d) && uses_enum(&new_column.ty, &o.name, d) {
                    conversions.push((table.name.clone(), column.clone(), new_column.clone()));
                }
            }
        }
    }
    let collation_change = ColumnChanges {
        collation: true,
        ..ColumnChanges::default()
    };
    for (table, column, _) in &recollations {
        let mut plain = column.clone();
        plain.collation = None;
        differ.push_at(
            Phase::DropDependents,
            Step::AlterColumn {
                table: table.clone(),
                previous: column.clone(),
                next: plain,
                changes: collation_change,
            },
            None,
        );
    }
    for (table, column, _) in &conversions {
        let mut text = column.clone();
        text.ty = crate::schema::ColumnType::simple("text");
        text.default = None;
        differ.push_at(
            Phase::DropDependents,
            Step::AlterColumn {
                table: table.clone(),
                previous: column.clone(),
                next: text,
                changes: ColumnChanges {
                    ty: true,
                    ..ColumnChanges::default()
                },
            },
            None,
        );
    }

    // A removed type or function is dropped late, after the columns and
    // defaults that use it, unless it depends on a relation the plan drops
    // early (a function returning a dropped table's rows): then it, and
    // whatever depends on it, goes first.
    let relation_dropped = |r: &ObjectRef| {
        r.kind == RefKind::Relation
            && schemas.previous.table(&r.name).is_some()
            && schemas.next.table(&r.name).is_none()
    };
    // Dropped first anyway: views, triggers and the like, and objects that
    // change (they come back).
    let mut early: Vec<bool> = (0..previous.len())
        .map(|i| {
            gone[i]
                && (matched[i].is_some()
                    || previous[i].class() == ObjectClass::Dependent
                    || matches!(previous[i], Object::Opaque(o) if o.references.iter().any(relation_dropped)))
        })
        .collect();
    loop {
        let mut grew = false;
        for i in 0..previous.len() {
            if early[i] || !gone[i] {
                continue;
            }
            let hit = (0..previous.len()).any(|k| {
                early[k] && k != i && depends(&previous[i], previous_words[i], &previous[k], d)
            });
            if hit {
                early[i] = true;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }

    let drops: Vec<usize> = (0..previous.len()).filter(|i| gone[*i]).collect();
    let drop_depths = depths(&previous, &previous_words, &drops, d);
    let mut drop_order = drops.clone();
    drop_order.sort_by_key(|i| std::cmp::Reverse(drop_depths[*i]));
    for i in drop_order {
        let old = previous[i];
        let removed = matched[i].is_none();
        let destructive = match old {
            Object::View(v) if removed => Some(Destructive::DropView(v.name.clone())),
            Object::View(_) | Object::Opaque(_) => None,
        };
        let phase = match old.class() {
            ObjectClass::TypeLike | ObjectClass::FunctionLike if removed && !early[i] => {
                Phase::DropLeftovers
            }
            ObjectClass::TypeLike | ObjectClass::FunctionLike | ObjectClass::Dependent => {
                Phase::DropDependents
            }
        };
        differ.push_at(phase, old.drop(), destructive);
    }

    let creates: Vec<usize> = (0..next.len())
        .filter(|j| match matched_from[*j] {
            None => true,
            Some(i) => gone[i] || replaced[i],
        })
        .collect();
    // Types and functions come before the tables whose columns, defaults and
    // checks use them, in dependency order among themselves; one that
    // depends on a relation the plan creates (a table's row type in its
    // signature, `SETOF` a new table) comes after the tables, and so does
    // whatever depends on it.
    // A table that changes shape counts too: a standard SQL body may read
    // a column the plan adds.
    let relation_created = |r: &ObjectRef| {
        r.kind == RefKind::Relation
            && schemas.next.table(&r.name).is_some()
            && (schemas.previous.table(&r.name).is_none()
                || reshaped.iter().any(|t| t.same_as(&r.name, d)))
    };
    let mut late: Vec<bool> = (0..next.len())
        .map(|j| match next[j] {
            Object::Opaque(o) => o.references.iter().any(relation_created),
            Object::View(_) => true,
        })
        .collect();
    loop {
        let mut grew = false;
        for &j in &creates {
            if late[j] {
                continue;
            }
            let hit = creates
                .iter()
                .any(|&k| late[k] && k != j && depends(&next[j], next_words[j], &next[k], d));
            if hit {
                late[j] = true;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    let create_depths = depths(&next, &next_words, &creates, d);
    let mut create_order = creates.clone();
    create_order.sort_by_key(|j| create_depths[*j]);
    for &j in &create_order {
        let phase = match next[j].class() {
            ObjectClass::TypeLike | ObjectClass::FunctionLike if !late[j] => Phase::CreateFunctions,
            ObjectClass::TypeLike | ObjectClass::FunctionLike | ObjectClass::Dependent => {
                Phase::CreateDependents
            }
        };
        differ.push_at(phase, next[j].create(), None);
        // A materialized view's indexes come back right after it.
        if let Object::View(view) = next[j] {
            for index in differ.schemas.next.indexes_on(&view.name) {
                differ.push_at(
                    Phase::CreateDependents,
                    Step::CreateIndex(index.clone()),
                    None,
                );
            }
        }
    }
    for i in (0..previous.len()).filter(|&i| altered[i]) {
        if let (Object::Opaque(old), Some(j)) = (previous[i], matched[i])
            && let Object::Opaque(new) = next[j]
        {
            // After the dictionaries its mappings name are created (the
            // differ creates types and functions in this phase), before
            // those it no longer names are dropped.
            differ.push_at(
                Phase::CreateFunctions,
                Step::AlterTextSearch {
                    previous: old.clone(),
                    next: new.clone(),
                },
                None,
            );
        }
    }
    for (table, column, new_column) in conversions {
        let mut text = column.clone();
        text.ty = crate::schema::ColumnType::simple("text");
        text.default = None;
        let default = new_column.default_value().is_some();
        differ.push_at(
            Phase::AlterColumns,
            Step::AlterColumn {
                table,
                previous: text,
                next: new_column,
                changes: ColumnChanges {
                    ty: true,
                    default,
                    ..ColumnChanges::default()
                },
            },
            None,
        );
    }

    for (table, column, new_column) in recollations {
        let mut plain = column.clone();
        plain.collation = None;
        differ.push_at(
            Phase::AlterColumns,
            Step::AlterColumn {
                table,
                previous: plain,
                next: new_column,
                changes: collation_change,
            },
            None,
        );
    }

    // Kept objects whose firing or statistics target changed: an ALTER
    // in place.
    for (i, m) in matched.iter().enumerate() {
        let (Some(j), false) = (m, gone[i]) else {
            continue;
        };
        if let (Object::Opaque(old), Object::Opaque(new)) = (previous[i], next[*j])
            && (old.firing != new.firing || old.statistics_target != new.statistics_target)
        {
            differ.push_at(
                Phase::CreateDependents,
                Step::AlterOpaqueState {
                    previous: old.clone(),
                    next: new.clone(),
                },
                None,
            );
        }
    }

    push_kept_view_index_steps(differ, &previous, &gone, &next, &create_order);
}

/// Indexes on materialized views that stay: a dropped view takes its
/// indexes along, and a created one gets them right after it.
fn push_kept_view_index_steps(
    differ: &mut Differ<'_>,
    previous: &[Object<'_>],
    gone: &[bool],
    next: &[Object<'_>],
    created: &[usize],
) {
    let d = differ.dialect;
    let schemas = differ.schemas;
    let mut steps = Vec::new();
    let view_gone = |name: &QualifiedName| {
        previous
            .iter()
            .zip(gone)
            .any(|(o, g)| *g && matches!(o, Object::View(v) if v.name.same_as(name, d)))
    };
    let view_created = |name: &QualifiedName| {
        created
            .iter()
            .any(|j| matches!(next[*j], Object::View(v) if v.name.same_as(name, d)))
    };
    for old in &schemas.previous.indexes {
        if differ.names.previous.view(&old.table).is_none() || view_gone(&old.table) {
            continue;
        }
        let kept = differ
            .names
            .next
            .index(&old.name)
            .is_some_and(|new| same_index(old, new, d));
        if !kept {
            steps.push(Step::DropIndex(old.clone()));
        }
    }
    for new in &schemas.next.indexes {
        if differ.names.next.view(&new.table).is_none() || view_created(&new.table) {
            continue;
        }
        let kept = differ
            .names
            .previous
            .index(&new.name)
            .is_some_and(|old| same_index(old, new, d));
        if !kept {
            steps.push(Step::CreateIndex(new.clone()));
        }
    }
    for step in steps {
        differ.push(step);
    }
}

/// For each object in `set`, the length of the longest chain of objects of
/// `set` it depends on (0: none). Creating in increasing depth and dropping
/// in decreasing depth respects those dependencies; a cycle is cut where it
/// is found.
fn depths(objects: &[Object<'_>], words: &[&Words], set: &[usize], d: Dialect) -> Vec<usize> {
    struct Walk<'w, 'o> {
        objects: &'w [Object<'o>],
        words: &'w [&'w Words],
        set: &'w [usize],
        d: Dialect,
        depth: Vec<Option<usize>>,
        visiting: Vec<bool>,
    }
    fn visit(w: &mut Walk<'_, '_>, i: usize) -> usize {
        if let Some(known) = w.depth[i] {
            return known;
        }
        if w.visiting[i] {
            return 0;
        }
        w.visiting[i] = true;
        let mut deepest = 0;
        for n in 0..w.set.len() {
            let k = w.set[n];
            if k != i && depends(&w.objects[i], w.words[i], &w.objects[k], w.d) {
                deepest = deepest.max(visit(w, k) + 1);
            }
        }
        w.visiting[i] = false;
        w.depth[i] = Some(deepest);
        deepest
    }
    let mut walk = Walk {
        objects,
        words,
        set,
        d,
        depth: vec![None; objects.len()],
        visiting: vec![false; objects.len()],
    };
    for &i in set {
        visit(&mut walk, i);
    }
    walk.depth.into_iter().map(|d| d.unwrap_or(0)).collect()
}
