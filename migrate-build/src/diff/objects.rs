//! Views and opaque objects (functions, triggers, types the engine does not
//! model): matched by kind and name, compared by [`Definition`]; a changed
//! one is dropped and created again. Objects that may stand in the way of a
//! change (a view or trigger reading or sitting on a table whose columns
//! change shape, anything mentioning an object being recreated) are dropped
//! first and created again last. Indexes of materialized views follow their
//! view.

use std::collections::HashMap;

use super::Differ;
use super::index::same_index;
use super::names::{NameKey, name_key};
use super::order::{ObjectClass, Phase, Words, mentions, object_class};
use super::table::TableChanges;
use crate::dialect::Dialect;
use crate::plan::{Destructive, Step};
use crate::schema::{Definition, OpaqueKind, OpaqueObject, QualifiedName, View};

type ObjectKey = (Option<OpaqueKind>, NameKey, Option<NameKey>);

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

    fn definition(&self) -> &'a Definition {
        match self {
            Object::View(v) => &v.definition,
            Object::Opaque(o) => &o.definition,
        }
    }

    fn sql(&self) -> &'a str {
        self.definition().sql()
    }

    /// Two objects are the same object (not: have the same definition)
    /// when their keys are equal: views by name, others by kind, name and
    /// the table they are on.
    fn key(&self, d: Dialect) -> ObjectKey {
        match self {
            Object::View(v) => (None, name_key(d, &v.name), None),
            Object::Opaque(o) => (
                Some(o.kind),
                name_key(d, &o.name),
                o.on_table.as_ref().map(|t| name_key(d, t)),
            ),
        }
    }

    fn same_definition(&self, other: &Object<'_>) -> bool {
        let materialized = match (self, other) {
            (Object::View(a), Object::View(b)) => a.materialized == b.materialized,
            (Object::Opaque(_), _) | (_, Object::Opaque(_)) => true,
        };
        materialized && self.definition() == other.definition()
    }

    fn on_table(&self) -> Option<&'a QualifiedName> {
        match self {
            Object::View(_) => None,
            Object::Opaque(o) => o.on_table.as_ref(),
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

pub(super) fn push_object_steps(differ: &mut Differ<'_>, tables: &TableChanges<'_>) {
    let d = differ.dialect;
    let previous = Object::all(
        &differ.schemas.previous.views,
        &differ.schemas.previous.opaque,
    );
    let next = Object::all(&differ.schemas.next.views, &differ.schemas.next.opaque);
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

    // Names whose change blocks a dependent object: tables whose columns
    // change shape, enums recreated and the tables whose columns they convert.
    let mut blocking: Vec<&str> = tables.reshaped().map(|t| t.name.as_str()).collect();
    for (_, planned) in &differ.steps {
        if let Step::RecreateEnum {
            previous, usages, ..
        } = &planned.step
        {
            blocking.push(previous.name.name.as_str());
            blocking.extend(usages.iter().map(|u| u.table.name.as_str()));
        }
    }

    let mut gone: Vec<bool> = previous
        .iter()
        .zip(&matched)
        .map(|(old, m)| match m {
            None => true,
            Some(j) => {
                let blocked = old.class() == ObjectClass::Dependent
                    && blocking.iter().any(|name| {
                        mentions(old.sql(), name)
                            || old
                                .on_table()
                                .is_some_and(|t| t.name.eq_ignore_ascii_case(name))
                    });
                blocked || !old.same_definition(&next[*j])
            }
        })
        .collect();
    let previous_words: Vec<Words> = previous.iter().map(|o| Words::of(o.sql())).collect();
    let next_words: Vec<Words> = next.iter().map(|o| Words::of(o.sql())).collect();
    // Whatever mentions an object that goes must go too (and come back).
    loop {
        let mut grew = false;
        for i in 0..previous.len() {
            if gone[i] {
                continue;
            }
            let words = &previous_words[i];
            let hit = (0..previous.len())
                .any(|k| k != i && gone[k] && words.mention(&previous[k].name().name));
            if hit {
                gone[i] = true;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }

    let drops: Vec<usize> = (0..previous.len()).filter(|i| gone[*i]).collect();
    let drop_depths = depths(&previous, &previous_words, &drops);
    let mut drop_order = drops.clone();
    drop_order.sort_by_key(|i| std::cmp::Reverse(drop_depths[*i]));
    for i in drop_order {
        let old = previous[i];
        let removed = matched[i].is_none();
        let destructive = match old {
            Object::View(v) if removed => Some(Destructive::DropView(v.name.clone())),
            Object::View(_) | Object::Opaque(_) => None,
        };
        // Types and functions nothing replaces may still be used by columns
        // and defaults the plan drops or alters: they go after those.
        let phase = match old.class() {
            ObjectClass::TypeLike | ObjectClass::FunctionLike if removed => Phase::DropLeftovers,
            ObjectClass::TypeLike | ObjectClass::FunctionLike | ObjectClass::Dependent => {
                Phase::DropDependents
            }
        };
        differ.push_at(phase, old.drop(), destructive);
    }

    let creates: Vec<usize> = (0..next.len())
        .filter(|j| match matched_from[*j] {
            None => true,
            Some(i) => gone[i],
        })
        .collect();
    let create_depths = depths(&next, &next_words, &creates);
    let mut create_order = creates.clone();
    create_order.sort_by_key(|j| create_depths[*j]);
    for &j in &create_order {
        // PostgreSQL binds a SQL-standard body (`BEGIN ATOMIC`, `RETURN`)
        // when the routine is created: one that reads a table comes after
        // the tables, like a view; others stay before the checks and
        // defaults that may call them.
        let reads_tables = matches!(next[j], Object::Opaque(o)
            if crate::ddl::has_sql_standard_body(o.definition.sql())
                && differ.schemas.next.tables.iter().any(|t| next_words[j].mention(&t.name.name)));
        if reads_tables {
            differ.push_at(Phase::CreateDependents, next[j].create(), None);
        } else {
            differ.push(next[j].create());
        }
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
/// `set` it mentions (0: it mentions none). Creating in increasing depth and
/// dropping in decreasing depth respects those dependencies; a cycle is cut
/// where it is found.
fn depths(objects: &[Object<'_>], words: &[Words], set: &[usize]) -> Vec<usize> {
    fn visit(
        i: usize,
        objects: &[Object<'_>],
        words: &[Words],
        set: &[usize],
        depth: &mut Vec<Option<usize>>,
        visiting: &mut Vec<bool>,
    ) -> usize {
        if let Some(known) = depth[i] {
            return known;
        }
        if visiting[i] {
            return 0;
        }
        visiting[i] = true;
        let mut deepest = 0;
        for &k in set {
            if k != i && words[i].mention(&objects[k].name().name) {
                deepest = deepest.max(visit(k, objects, words, set, depth, visiting) + 1);
            }
        }
        visiting[i] = false;
        depth[i] = Some(deepest);
        deepest
    }
    let mut depth = vec![None; objects.len()];
    let mut visiting = vec![false; objects.len()];
    for &i in set {
        visit(i, objects, words, set, &mut depth, &mut visiting);
    }
    depth.into_iter().map(|d| d.unwrap_or(0)).collect()
}
