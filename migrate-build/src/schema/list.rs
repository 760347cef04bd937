//! The lists a [`Schema`](super::Schema) holds its objects in, with an index
//! by name beside each.
//!
//! Looking a name up by scanning a list is quadratic in a replay: every
//! `CREATE TABLE` asks whether its name, its key's name and its foreign
//! keys' names are taken, so 8,000 tables cost 8,000 scans of up to 8,000
//! tables each. An [`ObjectList`] derefs to its `Vec`, so every reader and
//! writer of the lists is unchanged, and keeps a name index that stays right
//! whatever they do:
//!
//! - [`ObjectList::push`] (and `extend`) index the new objects as they come;
//! - [`ObjectList::get_mut_at`] re-reads one object's names on the next lookup;
//! - any other mutable access (`retain`, `remove`, `iter_mut`, `sort`,
//!   indexing) goes through `DerefMut`, which drops the whole index: it is
//!   rebuilt at the next lookup, a cost of the order of the mutation itself.
//!
//! The index only narrows a search: lookups test each candidate with the
//! same predicate the scan used, so a name found is a name the scan finds.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

use crate::dialect::Dialect;

use super::{Enum, Index, OpaqueObject, QualifiedName, Sequence, Table, View, VirtualTable};

/// What the index files a name under: a 64-bit hash of the name as
/// [`QualifiedName::same_as`] compares it (folded to lower case where the
/// dialect folds), computed without allocating. Two names the same under
/// the dialect have the same key; two different names almost never do, and
/// when they do, the candidates a lookup returns are tested with the
/// objects' own names (the index only narrows a search).
#[doc(hidden)]
pub type NameKey = u64;

pub(crate) fn name_key(d: Dialect, schema: Option<&str>, name: &str) -> NameKey {
    // FNV-1a: a few instructions a byte even unoptimised, where SipHash
    // over an allocated `(Option<String>, String)` was most of a lookup's
    // cost in a build script.
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let fold = d == Dialect::Sqlite;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            let b = if fold { b.to_ascii_lowercase() } else { b };
            h = (h ^ u64::from(b)).wrapping_mul(PRIME);
        }
    };
    // The schema's presence is part of the key; 0xff is no byte of UTF-8,
    // so `a` + `.b` and `a.` + `b` cannot meet.
    match schema {
        Some(s) => {
            eat(s.as_bytes());
            eat(&[0xff]);
        }
        None => eat(&[0xfe]),
    }
    eat(name.as_bytes());
    h
}

/// Whether `n` is `schema`.`name` under the dialect (what a key stands for).
fn is_named(d: Dialect, n: &QualifiedName, schema: Option<&str>, name: &str) -> bool {
    d.same_name(&n.name, name)
        && match (n.schema.as_deref(), schema) {
            (None, None) => true,
            (Some(a), Some(b)) => d.same_name(a, b),
            _ => false,
        }
}

/// The keys are hashes already: the map uses them as they are.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type KeyMap = HashMap<NameKey, Vec<usize>, BuildHasherDefault<KeyHasher>>;

/// A second kind of name an object answers to besides its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[doc(hidden)]
pub enum Alias {
    /// A table's primary key or unique constraint: it names an index, so it
    /// is a relation of the table's schema (`pg_class`).
    RelationConstraint,
    /// Any constraint of a table (key, unique, check, foreign key), by the
    /// table's schema and the constraint's name.
    Constraint,
    /// An index, by the table it is on.
    OnTable,
    /// An index, by the name of each of its copies on partitions, in the
    /// partition's schema: those names are relations too.
    PartitionCopy,
    /// A table, by the table it is a partition of and those it inherits
    /// from.
    ChildOf,
}

impl Alias {
    fn slot(self) -> usize {
        match self {
            Alias::RelationConstraint => 0,
            Alias::Constraint => 1,
            Alias::OnTable => 2,
            Alias::PartitionCopy => 3,
            Alias::ChildOf => 4,
        }
    }
}

/// An object kept in an [`ObjectList`]: its own name and any aliases.
pub trait Named {
    fn qualified_name(&self) -> &QualifiedName;

    /// The other names the object answers to, for the index.
    #[doc(hidden)]
    fn aliases(&self, _d: Dialect, _out: &mut Vec<(Alias, NameKey)>) {}
}

macro_rules! named {
    ($($t:ty),*) => {$(
        impl Named for $t {
            fn qualified_name(&self) -> &QualifiedName {
                &self.name
            }
        }
    )*};
}
named!(Enum, View, Sequence, VirtualTable, OpaqueObject);

impl Named for Table {
    fn qualified_name(&self) -> &QualifiedName {
        &self.name
    }

    fn aliases(&self, d: Dialect, out: &mut Vec<(Alias, NameKey)>) {
        let ns = self.name.schema.as_deref();
        let relation = self
            .primary_key
            .iter()
            .filter_map(|k| k.name.as_deref())
            .chain(self.uniques.iter().filter_map(|u| u.name.as_deref()));
        for n in relation.clone() {
            out.push((Alias::RelationConstraint, name_key(d, ns, n)));
        }
        let other = self
            .checks
            .iter()
            .filter_map(|c| c.name.as_deref())
            .chain(self.foreign_keys.iter().filter_map(|f| f.name.as_deref()));
        for n in relation.chain(other) {
            out.push((Alias::Constraint, name_key(d, ns, n)));
        }
        let parents = self.partition_of.iter().map(|p| &p.parent);
        for p in parents.chain(&self.inherits) {
            out.push((Alias::ChildOf, name_key(d, p.schema.as_deref(), &p.name)));
        }
    }
}

impl Named for Index {
    fn qualified_name(&self) -> &QualifiedName {
        &self.name
    }

    fn aliases(&self, d: Dialect, out: &mut Vec<(Alias, NameKey)>) {
        out.push((
            Alias::OnTable,
            name_key(d, self.table.schema.as_deref(), &self.table.name),
        ));
        for c in &self.partition_copies {
            out.push((
                Alias::PartitionCopy,
                name_key(d, c.table.schema.as_deref(), &c.name),
            ));
        }
    }
}

/// A `Vec` of schema objects with an index by name (see the module doc).
pub struct ObjectList<T> {
    items: Vec<T>,
    index: Mutex<ListIndex>,
}

/// Positions by key, each list ascending (declaration order, so the first
/// is the one a scan finds first).
#[derive(Default)]
struct ListIndex {
    /// `None`: to be rebuilt from scratch.
    dialect: Option<Dialect>,
    /// How many items are indexed (items pushed since are not yet).
    indexed: usize,
    /// Positions whose names may have changed since they were indexed.
    touched: Vec<usize>,
    names: KeyMap,
    /// One map per kind of alias, in [`Alias::slot`] order.
    aliases: [KeyMap; 5],
    /// What each position was indexed under, to take it out again.
    keys: Vec<(NameKey, Vec<(Alias, NameKey)>)>,
    /// Times the index was rebuilt whole (tests count work with it).
    rebuilds: usize,
}

fn insert_sorted(list: &mut Vec<usize>, pos: usize) {
    if let Err(at) = list.binary_search(&pos) {
        list.insert(at, pos);
    }
}

fn remove_from(list: &mut Vec<usize>, pos: usize) {
    if let Ok(at) = list.binary_search(&pos) {
        list.remove(at);
    }
}

impl ListIndex {
    fn invalidate(&mut self) {
        self.dialect = None;
    }

    fn keys_of<T: Named>(item: &T, d: Dialect) -> (NameKey, Vec<(Alias, NameKey)>) {
        let n = item.qualified_name();
        let mut aliases = Vec::new();
        item.aliases(d, &mut aliases);
        (name_key(d, n.schema.as_deref(), &n.name), aliases)
    }

    fn add(&mut self, pos: usize, keys: (NameKey, Vec<(Alias, NameKey)>)) {
        insert_sorted(self.names.entry(keys.0).or_default(), pos);
        for &(alias, key) in &keys.1 {
            insert_sorted(self.aliases[alias.slot()].entry(key).or_default(), pos);
        }
        if pos < self.keys.len() {
            self.keys[pos] = keys;
        } else {
            self.keys.push(keys);
        }
    }

    fn take_out(&mut self, pos: usize) {
        let Some((name, aliases)) = self.keys.get_mut(pos).map(std::mem::take) else {
            return;
        };
        if let Some(list) = self.names.get_mut(&name) {
            remove_from(list, pos);
        }
        for (alias, key) in aliases {
            if let Some(list) = self.aliases[alias.slot()].get_mut(&key) {
                remove_from(list, pos);
            }
        }
    }

    /// Brings the index up to date with `items`.
    fn sync<T: Named>(&mut self, items: &[T], d: Dialect) {
        if self.dialect != Some(d) || self.indexed > items.len() {
            self.names.clear();
            self.aliases.iter_mut().for_each(KeyMap::clear);
            self.keys.clear();
            self.touched.clear();
            self.indexed = 0;
            self.dialect = Some(d);
            self.rebuilds += 1;
        }
        let mut touched = std::mem::take(&mut self.touched);
        touched.sort_unstable();
        touched.dedup();
        for &pos in &touched {
            if pos < self.indexed {
                // Most changes (a column added) leave the names as they were.
                let keys = Self::keys_of(&items[pos], d);
                if self.keys.get(pos) != Some(&keys) {
                    self.take_out(pos);
                    self.add(pos, keys);
                }
            }
        }
        touched.clear();
        self.touched = touched;
        for (pos, item) in items.iter().enumerate().skip(self.indexed) {
            self.add(pos, Self::keys_of(item, d));
        }
        self.indexed = items.len();
    }
}

impl<T> ObjectList<T> {
    pub fn new() -> Self {
        ObjectList {
            items: Vec::new(),
            index: Mutex::new(ListIndex::default()),
        }
    }

    fn index_mut(&mut self) -> &mut ListIndex {
        match self.index.get_mut() {
            Ok(index) => index,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Appends an object; the index takes it in at the next lookup.
    pub fn push(&mut self, item: T) {
        self.items.push(item);
    }

    /// The object at `pos`, to change: its names are read again at the next
    /// lookup, the rest of the index stays.
    pub fn get_mut_at(&mut self, pos: usize) -> Option<&mut T> {
        if pos < self.items.len() {
            self.index_mut().touched.push(pos);
        }
        self.items.get_mut(pos)
    }

    /// `Vec::retain`, keeping the index when nothing was removed (the
    /// common case of a statement that might drop dependent objects).
    pub fn retain(&mut self, f: impl FnMut(&T) -> bool) {
        let before = self.items.len();
        self.items.retain(f);
        if self.items.len() != before {
            self.index_mut().invalidate();
        }
    }

    /// Changes the objects `select` picks, keeping the index for the others
    /// (a statement that updates the few objects naming a column).
    pub fn update_where(&mut self, select: impl Fn(&T) -> bool, mut change: impl FnMut(&mut T)) {
        let picked: Vec<usize> = (0..self.items.len())
            .filter(|&i| select(&self.items[i]))
            .collect();
        for i in picked {
            if let Some(item) = self.get_mut_at(i) {
                change(item);
            }
        }
    }

    pub fn into_vec(self) -> Vec<T> {
        self.items
    }

    /// How many times the index was built from scratch (for tests that
    /// check that a replay does not rebuild it per statement).
    #[doc(hidden)]
    pub fn index_rebuilds(&self) -> usize {
        self.with_index(|i| i.rebuilds)
    }

    fn with_index<R>(&self, f: impl FnOnce(&mut ListIndex) -> R) -> R {
        let mut guard = match self.index.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard)
    }
}

impl<T: Named> ObjectList<T> {
    /// Positions of the objects named `name` (as `same_as` compares), in order.
    pub(crate) fn positions_named(
        &self,
        d: Dialect,
        schema: Option<&str>,
        name: &str,
    ) -> Vec<usize> {
        let key = name_key(d, schema, name);
        let mut found = self.with_index(|index| {
            index.sync(&self.items, d);
            index.names.get(&key).cloned().unwrap_or_default()
        });
        found.retain(|&i| is_named(d, self.items[i].qualified_name(), schema, name));
        found
    }

    /// Positions of the objects that may have this alias, in order: the
    /// caller tests each (an object's aliases are its own to compare).
    pub(crate) fn positions_aliased(
        &self,
        d: Dialect,
        alias: Alias,
        schema: Option<&str>,
        name: &str,
    ) -> Vec<usize> {
        let key = name_key(d, schema, name);
        self.with_index(|index| {
            index.sync(&self.items, d);
            index.aliases[alias.slot()]
                .get(&key)
                .cloned()
                .unwrap_or_default()
        })
    }

    /// The first object named `name`, as a scan with `same_as` finds it.
    pub fn find_named(&self, d: Dialect, name: &QualifiedName) -> Option<&T> {
        self.position_named(d, name).map(|i| &self.items[i])
    }

    pub fn position_named(&self, d: Dialect, name: &QualifiedName) -> Option<usize> {
        let key = name_key(d, name.schema.as_deref(), &name.name);
        self.with_index(|index| {
            index.sync(&self.items, d);
            index.names.get(&key).and_then(|found| {
                found
                    .iter()
                    .copied()
                    .find(|&i| self.items[i].qualified_name().same_as(name, d))
            })
        })
    }

    /// Mutable access to the first object named `name` (see [`Self::get_mut_at`]).
    pub fn find_named_mut(&mut self, d: Dialect, name: &QualifiedName) -> Option<&mut T> {
        let pos = self.position_named(d, name)?;
        self.get_mut_at(pos)
    }
}

impl<T> Default for ObjectList<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> std::ops::Deref for ObjectList<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.items
    }
}

/// Any change made through the `Vec` itself: the index is rebuilt.
impl<T> std::ops::DerefMut for ObjectList<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        self.index_mut().invalidate();
        &mut self.items
    }
}

impl<T: Clone> Clone for ObjectList<T> {
    fn clone(&self) -> Self {
        ObjectList::from(self.items.clone())
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for ObjectList<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.items.fmt(f)
    }
}

impl<T: PartialEq> PartialEq for ObjectList<T> {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}
impl<T: Eq> Eq for ObjectList<T> {}

impl<T: PartialEq> PartialEq<Vec<T>> for ObjectList<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        &self.items == other
    }
}

impl<T: PartialEq, const N: usize> PartialEq<[T; N]> for ObjectList<T> {
    fn eq(&self, other: &[T; N]) -> bool {
        self.items == other
    }
}

impl<T: PartialEq> PartialEq<[T]> for ObjectList<T> {
    fn eq(&self, other: &[T]) -> bool {
        self.items == other
    }
}

impl<T: PartialEq> PartialEq<&[T]> for ObjectList<T> {
    fn eq(&self, other: &&[T]) -> bool {
        self.items == *other
    }
}

impl<T: PartialEq> PartialEq<ObjectList<T>> for Vec<T> {
    fn eq(&self, other: &ObjectList<T>) -> bool {
        self == &other.items
    }
}

impl<T> From<Vec<T>> for ObjectList<T> {
    fn from(items: Vec<T>) -> Self {
        let mut list = ObjectList::new();
        list.items = items;
        list
    }
}

impl<T> FromIterator<T> for ObjectList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        ObjectList::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<T> Extend<T> for ObjectList<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        self.items.extend(iter);
    }
}

impl<T> IntoIterator for ObjectList<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a ObjectList<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut ObjectList<T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.index_mut().invalidate();
        self.items.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{CheckConstraint, Expr};

    fn table(name: &str) -> Table {
        Table::new(QualifiedName::new(name))
    }

    #[test]
    fn pushes_are_indexed_without_a_rebuild() {
        let d = Dialect::Postgres;
        let mut list = ObjectList::new();
        for i in 0..1000 {
            list.push(table(&format!("t{i}")));
            assert!(
                list.find_named(d, &QualifiedName::new(format!("t{i}")))
                    .is_some()
            );
        }
        assert_eq!(list.index_rebuilds(), 1);
        assert!(list.find_named(d, &QualifiedName::new("t1000")).is_none());
    }

    #[test]
    fn changes_through_the_vec_are_seen() {
        let d = Dialect::Sqlite;
        let mut list: ObjectList<Table> = vec![table("a"), table("b")].into();
        assert!(list.find_named(d, &QualifiedName::new("A")).is_some());
        list.retain(|t| t.name.name != "a");
        assert!(list.find_named(d, &QualifiedName::new("a")).is_none());
        list[0].name.name = "c".into();
        assert!(list.find_named(d, &QualifiedName::new("b")).is_none());
        assert!(list.find_named(d, &QualifiedName::new("C")).is_some());
        for t in &mut list {
            t.name.name = "d".into();
        }
        assert_eq!(list.position_named(d, &QualifiedName::new("d")), Some(0));
    }

    #[test]
    fn a_touched_object_is_read_again() {
        let d = Dialect::Postgres;
        let mut list: ObjectList<Table> = vec![table("a"), table("b")].into();
        assert_eq!(list.position_named(d, &QualifiedName::new("b")), Some(1));
        let t = list.find_named_mut(d, &QualifiedName::new("a")).unwrap();
        t.name.name = "z".into();
        t.checks.push(CheckConstraint {
            name: Some("z_check".into()),
            expr: Expr::new("x > 0", d),
            no_inherit: false,
            not_valid: false,
        });
        assert!(list.find_named(d, &QualifiedName::new("a")).is_none());
        assert_eq!(list.position_named(d, &QualifiedName::new("z")), Some(0));
        assert_eq!(
            list.positions_aliased(d, Alias::Constraint, None, "z_check"),
            vec![0]
        );
        assert_eq!(list.index_rebuilds(), 1);
        list.retain(|_| true);
        assert!(list.find_named(d, &QualifiedName::new("z")).is_some());
        assert_eq!(list.index_rebuilds(), 1);
        list.retain(|t| t.name.name != "z");
        assert_eq!(list.position_named(d, &QualifiedName::new("b")), Some(0));
        assert_eq!(list.index_rebuilds(), 2);
    }

    #[test]
    fn keys_tell_qualified_names_apart_and_fold_as_the_dialect_does() {
        let q = |schema: Option<&str>, name: &str| QualifiedName {
            schema: schema.map(str::to_string),
            name: name.to_string(),
        };
        let names = [
            q(Some("a"), "b.c"),
            q(Some("a.b"), "c"),
            q(None, "a.b.c"),
            q(Some(""), "abc"),
            q(None, "abc"),
        ];
        let pg = Dialect::Postgres;
        let list: ObjectList<Table> = names.iter().cloned().map(Table::new).collect();
        for (i, n) in names.iter().enumerate() {
            assert_eq!(list.position_named(pg, n), Some(i), "{n:?}");
            assert_eq!(
                list.positions_named(pg, n.schema.as_deref(), &n.name),
                vec![i]
            );
        }
        // PostgreSQL names are compared as stored, SQLite's without case.
        assert_eq!(list.position_named(pg, &q(None, "ABC")), None);
        let sqlite: ObjectList<Table> = vec![Table::new(q(None, "Users"))].into();
        assert_eq!(
            sqlite.position_named(Dialect::Sqlite, &q(None, "uSERS")),
            Some(0)
        );
        assert_eq!(
            sqlite.position_named(Dialect::Sqlite, &q(Some("main"), "users")),
            None
        );
    }

    #[test]
    fn the_first_of_two_objects_of_a_name_is_found() {
        let d = Dialect::Postgres;
        let mut first = table("a");
        first.comment = Some("first".into());
        let list: ObjectList<Table> = vec![first, table("a")].into();
        let found = list.find_named(d, &QualifiedName::new("a")).unwrap();
        assert_eq!(found.comment.as_deref(), Some("first"));
    }
}
