//! Tables: which are created, dropped, altered in place or rebuilt, and the
//! steps for each.

use std::collections::HashMap;

use super::Differ;
use super::column::{alterable, column_changes, destructive_change, drop_loses_data};
use super::enums::{recreated_enums, uses_enum};
use super::index::{IndexChanges, index_changes};
use super::names::{NameKey, name_key};
use super::order::{self, Phase};
use crate::dialect::{Dialect, DialectRules};
use crate::pair::Pair;
use crate::plan::{ColumnChanges, Destructive, Step};
use crate::schema::{
    CheckConstraint, Column, ForeignKey, QualifiedName, Schema, Table, UniqueConstraint,
};

/// Constraints of one kind on a pair of tables.
pub(super) struct Changes<'a, T> {
    pub added: Vec<&'a T>,
    pub dropped: Vec<&'a T>,
    pub kept: Vec<Pair<&'a T>>,
}

impl<'a, T> Changes<'a, T> {
    /// Moves the kept pairs matching `affected` to dropped-and-added.
    fn replace_kept(&mut self, affected: impl Fn(&T) -> bool) {
        let (replaced, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.kept)
            .into_iter()
            .partition(|pair| affected(pair.previous));
        self.kept = kept;
        for pair in replaced {
            self.dropped.push(pair.previous);
            self.added.push(pair.next);
        }
    }
}

/// One table present in both schemas.
pub(super) struct TableDiff<'a> {
    pub tables: Pair<&'a Table>,
    pub added_columns: Vec<&'a Column>,
    pub dropped_columns: Vec<&'a Column>,
    /// Generation expression changed: dropped and added again.
    pub recreated_columns: Vec<Pair<&'a Column>>,
    pub altered_columns: Vec<(Pair<&'a Column>, ColumnChanges)>,
    /// Kept columns whose comment changed.
    pub commented_columns: Vec<&'a Column>,
    pub primary_key_changed: bool,
    pub uniques: Changes<'a, UniqueConstraint>,
    pub checks: Changes<'a, CheckConstraint>,
    pub foreign_keys: Changes<'a, ForeignKey>,
    pub exclusions: Changes<'a, crate::schema::ExclusionConstraint>,
    /// `WITHOUT ROWID` / `STRICT`, which only a rebuild changes.
    pub options_changed: bool,
    /// The dialect cannot make every change in place: one `RebuildTable`.
    pub rebuild: bool,
}

impl<'a> TableDiff<'a> {
    fn new(tables: Pair<&'a Table>, rules: &dyn DialectRules, dialect: Dialect) -> Self {
        let Pair { previous, next } = tables;
        let mut added_columns = Vec::new();
        let mut recreated_columns = Vec::new();
        let mut altered_columns = Vec::new();
        let mut commented_columns = Vec::new();
        for column in &next.columns {
            let Some(old) = previous.column(&column.name, dialect) else {
                added_columns.push(column);
                continue;
            };
            let pair = Pair::new(old, column);
            let changes = column_changes(pair, dialect);
            // A generated column becoming a plain one keeps its values where
            // the dialect can drop the expression in place; any other change
            // of the generation drops the column and adds it again.
            // (Not when the expression reads a column dropped here: that
            // drop runs first, and the server refuses it while the
            // expression stands.)
            let reads_dropped = old.generated.as_ref().is_some_and(|g| {
                previous
                    .columns
                    .iter()
                    .filter(|c| next.column(&c.name, dialect).is_none())
                    .any(|c| g.expr.mentions(&c.name))
            });
            let drops_expression = old.generated.is_some()
                && column.generated.is_none()
                && !reads_dropped
                && rules.can_drop_generation_expression();
            if changes.generated && !drops_expression {
                recreated_columns.push(pair);
                continue;
            }
            if changes.any() {
                altered_columns.push((pair, changes));
            }
            if old.comment != column.comment {
                commented_columns.push(column);
            }
        }
        let dropped_columns = previous
            .columns
            .iter()
            .filter(|c| next.column(&c.name, dialect).is_none())
            .collect::<Vec<_>>();

        let by_name = rules.constraints_matched_by_name();
        let primary_key_changed = match (&previous.primary_key, &next.primary_key) {
            (None, None) => false,
            (Some(a), Some(b)) => {
                !same_columns(&a.columns, &b.columns, dialect)
                    || !same_columns(&a.include, &b.include, dialect)
                    || (by_name && names_differ(a.name.as_deref(), b.name.as_deref(), dialect))
                    || a.deferrable != b.deferrable
                    || a.on_conflict != b.on_conflict
            }
            (Some(_), None) | (None, Some(_)) => true,
        };
        let uniques = match_constraints(
            Pair::new(&previous.uniques, &next.uniques),
            |u| u.name.as_deref(),
            |a, b| same_unique(a, b, dialect),
            by_name,
            dialect,
        );
        let checks = match_constraints(
            Pair::new(&previous.checks, &next.checks),
            |c| c.name.as_deref(),
            |a, b| {
                a.expr == b.expr
                    && a.no_inherit == b.no_inherit
                    && validates(a.not_valid, b.not_valid)
            },
            by_name,
            dialect,
        );
        let foreign_keys = match_constraints(
            Pair::new(&previous.foreign_keys, &next.foreign_keys),
            |f| f.name.as_deref(),
            |a, b| same_foreign_key(a, b, dialect),
            by_name,
            dialect,
        );
        let exclusions = match_constraints(
            Pair::new(&previous.exclusions, &next.exclusions),
            |x| x.name.as_deref(),
            |a, b| a.definition == b.definition && a.deferrable == b.deferrable,
            by_name,
            dialect,
        );
        let options_changed =
            previous.without_rowid != next.without_rowid || previous.strict != next.strict;

        let mut diff = TableDiff {
            tables,
            added_columns,
            dropped_columns,
            recreated_columns,
            altered_columns,
            commented_columns,
            primary_key_changed,
            uniques,
            checks,
            foreign_keys,
            exclusions,
            options_changed,
            rebuild: false,
        };
        diff.replace_constraints_on_recreated_columns(dialect);
        diff.rebuild = diff.needs_rebuild(rules);
        diff
    }

    /// Dropping a column drops the keys and checks using it: those are
    /// added again after the column is.
    fn replace_constraints_on_recreated_columns(&mut self, dialect: Dialect) {
        if self.recreated_columns.is_empty() {
            return;
        }
        let recreated: Vec<&str> = self
            .recreated_columns
            .iter()
            .map(|p| p.previous.name.as_str())
            .collect();
        let uses = |columns: &[String]| {
            columns
                .iter()
                .any(|c| recreated.iter().any(|r| dialect.same_name(c, r)))
        };
        if let Some(pk) = &self.tables.previous.primary_key {
            self.primary_key_changed |= uses(&pk.columns);
        }
        self.uniques.replace_kept(|u| uses(&u.columns));
        self.foreign_keys.replace_kept(|fk| uses(&fk.columns));
        self.checks
            .replace_kept(|c| recreated.iter().any(|r| c.expr.mentions(r)));
        self.exclusions
            .replace_kept(|x| recreated.iter().any(|r| x.definition.mentions(r)));
    }

    /// Names of the columns dropped and added again (previous spelling).
    pub fn recreated_column_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.recreated_columns
            .iter()
            .map(|p| p.previous.name.as_str())
    }

    /// Whether every column of the previous table is dropped (some may be
    /// added again): `ALTER TABLE` drops them all before adding any.
    fn drops_every_column(&self) -> bool {
        let previous = self.tables.previous;
        let dropped = self.dropped_columns.len() + self.recreated_columns.len();
        !previous.columns.is_empty() && dropped == previous.columns.len()
    }

    fn needs_rebuild(&self, rules: &dyn DialectRules) -> bool {
        let Pair { previous, next } = self.tables;
        let constraints_added = !self.uniques.added.is_empty()
            || !self.checks.added.is_empty()
            || !self.foreign_keys.added.is_empty();
        let constraints_dropped = !self.uniques.dropped.is_empty()
            || !self.checks.dropped.is_empty()
            || !self.foreign_keys.dropped.is_empty();
        self.options_changed
            || self
                .altered_columns
                .iter()
                .any(|(_, changes)| !alterable(changes, rules))
            || self
                .added_columns
                .iter()
                .any(|c| !rules.can_add_column(c, next))
            || self
                .dropped_columns
                .iter()
                .any(|c| !rules.can_drop_column(c, previous))
            || self.recreated_columns.iter().any(|pair| {
                !rules.can_drop_column(pair.previous, previous)
                    || !rules.can_add_column(pair.next, next)
            })
            || (self.drops_every_column() && !rules.can_drop_every_column())
            || (self.primary_key_changed && !rules.can_alter_primary_key())
            || (constraints_added && !rules.can_add_constraint())
            || (constraints_dropped && !rules.can_drop_constraint())
    }

    /// Whether a view or trigger reading this table may stand in the way of
    /// the change: PostgreSQL refuses to drop or retype a column a view or
    /// policy uses, SQLite to drop a column a trigger uses, and the rename
    /// that ends a SQLite rebuild fails on any view or trigger it breaks.
    /// Defaults and nullability block nothing.
    fn reshapes(&self) -> bool {
        self.rebuild
            || !self.dropped_columns.is_empty()
            || !self.recreated_columns.is_empty()
            || self
                .altered_columns
                .iter()
                .any(|(_, changes)| changes.ty || changes.collation)
    }
}

/// Every table of both schemas, classified.
pub(super) struct TableChanges<'a> {
    dialect: Dialect,
    pub created: Vec<&'a Table>,
    /// In a safe drop order: referencing tables before the tables they reference.
    pub dropped: Vec<&'a Table>,
    /// Foreign keys between dropped tables that form a cycle: dropped first.
    pub cyclic_foreign_keys: Vec<(&'a Table, &'a ForeignKey)>,
    pub matched: Vec<TableDiff<'a>>,
    pub indexes: IndexChanges<'a>,
    /// Every table name of either schema, by key (a matched table has one).
    status: HashMap<NameKey, Status>,
}

#[derive(Clone, Copy)]
enum Status {
    Created,
    Dropped,
    /// Position in `matched`.
    Matched(usize),
}

impl<'a> TableChanges<'a> {
    pub fn new(differ: &Differ<'a>) -> Self {
        let Pair { previous, next } = differ.schemas;
        let dialect = differ.dialect;
        let mut created = Vec::new();
        let mut matched = Vec::new();
        let mut status = HashMap::new();
        for table in &next.tables {
            match differ.names.previous.table(&table.name) {
                Some(old) => {
                    status.insert(name_key(dialect, &old.name), Status::Matched(matched.len()));
                    matched.push(TableDiff::new(Pair::new(old, table), differ.rules, dialect));
                }
                None => {
                    status.insert(name_key(dialect, &table.name), Status::Created);
                    created.push(table);
                }
            }
        }
        let dropped = previous
            .tables
            .iter()
            .filter(|t| differ.names.next.table(&t.name).is_none())
            .collect::<Vec<_>>();
        for table in &dropped {
            status.insert(name_key(dialect, &table.name), Status::Dropped);
        }
        let (dropped, cyclic_foreign_keys) = drop_order(&dropped, dialect);
        let mut changes = TableChanges {
            dialect,
            created,
            dropped,
            cyclic_foreign_keys,
            matched,
            indexes: IndexChanges::default(),
            status,
        };
        changes.indexes = index_changes(differ, &changes);
        changes
    }

    fn status(&self, name: &QualifiedName) -> Option<Status> {
        self.status.get(&name_key(self.dialect, name)).copied()
    }

    fn diff_of(&self, name: &QualifiedName) -> Option<&TableDiff<'a>> {
        match self.status(name)? {
            Status::Matched(i) => self.matched.get(i),
            Status::Created | Status::Dropped => None,
        }
    }

    pub fn is_created(&self, name: &QualifiedName) -> bool {
        matches!(self.status(name), Some(Status::Created))
    }

    pub fn is_dropped(&self, name: &QualifiedName) -> bool {
        matches!(self.status(name), Some(Status::Dropped))
    }

    pub fn is_rebuilt(&self, name: &QualifiedName) -> bool {
        self.diff_of(name).is_some_and(|d| d.rebuild)
    }

    /// Whether the plan creates this column (with its table, or added, or
    /// dropped and added again).
    pub fn column_created(&self, table: &QualifiedName, column: &str) -> bool {
        let d = self.dialect;
        self.is_created(table)
            || self.diff_of(table).is_some_and(|diff| {
                diff.added_columns
                    .iter()
                    .any(|c| d.same_name(&c.name, column))
                    || diff
                        .recreated_columns
                        .iter()
                        .any(|p| d.same_name(&p.next.name, column))
            })
    }

    /// Whether the plan drops this column (with its table, or dropped, or
    /// dropped to be added again).
    pub fn column_dropped(&self, table: &QualifiedName, column: &str) -> bool {
        let d = self.dialect;
        self.is_dropped(table)
            || self.diff_of(table).is_some_and(|diff| {
                diff.dropped_columns
                    .iter()
                    .any(|c| d.same_name(&c.name, column))
                    || diff
                        .recreated_columns
                        .iter()
                        .any(|p| d.same_name(&p.previous.name, column))
            })
    }

    /// Tables (previous names) whose change a view reading them may block.
    pub fn reshaped(&self) -> impl Iterator<Item = &'a QualifiedName> + '_ {
        self.dropped.iter().map(|t| &t.name).chain(
            self.matched
                .iter()
                .filter(|d| d.reshapes())
                .map(|d| &d.tables.previous.name),
        )
    }

    /// Columns of a table that the plan drops and adds again.
    /// Kept columns of a kept table that `ALTER … TYPE` changes (a type or
    /// a collation).
    pub fn retyped_columns_of(&self, table: &QualifiedName) -> Vec<&'a str> {
        self.diff_of(table)
            .filter(|d| !d.rebuild)
            .map(|d| {
                d.altered_columns
                    .iter()
                    .filter(|(_, c)| c.ty || c.collation)
                    .map(|(p, _)| p.previous.name.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn recreated_columns_of(&self, table: &QualifiedName) -> Vec<&'a str> {
        self.diff_of(table)
            .filter(|d| !d.rebuild)
            .map(|d| d.recreated_column_names().collect())
            .unwrap_or_default()
    }
}

/// Orders dropped tables so that a table goes before the tables it
/// references. Foreign keys that close a cycle cannot be honoured by any
/// order: they are returned to be dropped first.
fn drop_order<'a>(
    dropped: &[&'a Table],
    dialect: Dialect,
) -> (Vec<&'a Table>, Vec<(&'a Table, &'a ForeignKey)>) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Visiting,
        Done,
    }
    struct Walk<'a, 'b> {
        tables: &'b [&'a Table],
        state: Vec<State>,
        order: Vec<&'a Table>,
        cyclic: Vec<(&'a Table, &'a ForeignKey)>,
        dialect: Dialect,
    }
    impl<'a> Walk<'a, '_> {
        // Visits the tables referencing `i` first, so they are dropped before it.
        fn visit(&mut self, i: usize) {
            self.state[i] = State::Visiting;
            let target = &self.tables[i].name;
            for (j, table) in self.tables.iter().enumerate() {
                if j == i {
                    continue;
                }
                // Partitions and inheriting tables go before their parent
                // (which would take its partitions along, and refuses to
                // go while tables inherit from it).
                if table.is_child_of(target, self.dialect) && self.state[j] == State::New {
                    self.visit(j);
                }
                for fk in &table.foreign_keys {
                    if !fk.referenced_table.same_as(target, self.dialect) {
                        continue;
                    }
                    match self.state[j] {
                        State::New => self.visit(j),
                        State::Visiting => self.cyclic.push((*table, fk)),
                        State::Done => {}
                    }
                }
            }
            self.state[i] = State::Done;
            self.order.push(self.tables[i]);
        }
    }
    let mut walk = Walk {
        tables: dropped,
        state: vec![State::New; dropped.len()],
        order: Vec::with_capacity(dropped.len()),
        cyclic: Vec::new(),
        dialect,
    };
    for i in 0..dropped.len() {
        if walk.state[i] == State::New {
            walk.visit(i);
        }
    }
    (walk.order, walk.cyclic)
}

pub(super) fn push_table_steps(differ: &mut Differ<'_>, tables: &TableChanges<'_>) {
    let rules = differ.rules;
    for table in parents_first(&tables.created, differ.dialect) {
        let mut created = (*table).clone();
        if !rules.foreign_keys_inline() {
            created.foreign_keys.clear();
        }
        // PostgreSQL validates a check declared in CREATE TABLE even when it
        // says NOT VALID: such a check is added afterwards.
        let (not_valid, checks): (Vec<_>, Vec<_>) =
            created.checks.drain(..).partition(|c| c.not_valid);
        created.checks = checks;
        // CREATE TABLE says persistence and storage; the rest is ALTER TABLE.
        let created_options = crate::schema::TableOptions {
            unlogged: table.options.unlogged,
            storage: table.options.storage.clone(),
            ..Default::default()
        };
        if let Some(partition) = created.partition_of.take() {
            // ATTACH PARTITION wants the parent's checks on the table.
            if let Some(parent) = differ.schemas.next.table(&partition.parent) {
                // The copies of the parent's keys, by their names: the
                // attach takes them for the parent's.
                let copy = |constraint: &Option<String>| {
                    constraint
                        .as_deref()
                        .and_then(|c| parent.constraint_copy_on(c, &table.name, differ.dialect))
                        .map(str::to_string)
                };
                if let Some(pk) = &parent.primary_key
                    && let Some(name) = copy(&pk.name)
                {
                    created.primary_key = Some(crate::schema::PrimaryKey {
                        name: Some(name),
                        ..pk.clone()
                    });
                }
                for u in &parent.uniques {
                    if let Some(name) = copy(&u.name) {
                        created.uniques.push(UniqueConstraint {
                            name: Some(name),
                            ..u.clone()
                        });
                    }
                }
                for check in &parent.checks {
                    if !created.checks.iter().any(|c| c.name == check.name) {
                        // A new table has no rows to leave unchecked, and
                        // CREATE TABLE has no NOT VALID.
                        let mut check = check.clone();
                        check.not_valid = false;
                        created.checks.push(check);
                    }
                }
            }
            differ.push(Step::AttachPartition {
                table: table.name.clone(),
                partition: *partition,
            });
        }
        // A table inheriting from one that gains columns is created after
        // them: it gets them in the parent's order, as `INHERITS` would.
        let parent_grows = table.inherits.iter().any(|p| {
            tables
                .diff_of(p)
                .is_some_and(|d| !d.added_columns.is_empty())
        });
        if parent_grows {
            differ.push_at(Phase::AddGeneratedColumns, Step::CreateTable(created), None);
        } else {
            differ.push(Step::CreateTable(created));
        }
        for check in not_valid {
            differ.push(Step::AddCheck {
                table: table.name.clone(),
                check,
            });
        }
        if created_options != table.options {
            differ.push(Step::AlterTableOptions {
                table: table.name.clone(),
                previous: created_options,
                next: table.options.clone(),
            });
        }
        if !rules.foreign_keys_inline() {
            for fk in &table.foreign_keys {
                differ.push(Step::AddForeignKey {
                    table: table.name.clone(),
                    foreign_key: fk.clone(),
                });
            }
        }
        if rules.has_comments() {
            if table.comment.is_some() {
                differ.push(Step::SetTableComment {
                    table: table.name.clone(),
                    comment: table.comment.clone(),
                });
            }
            push_column_comments(differ, &table.name, table.columns.iter());
        }
    }

    if rules.can_drop_constraint() {
        for (table, fk) in &tables.cyclic_foreign_keys {
            differ.push(Step::DropForeignKey {
                table: table.name.clone(),
                foreign_key: (*fk).clone(),
            });
        }
    }
    for table in &tables.dropped {
        // The server refuses to drop a partition of a table foreign keys
        // reference (they hold on to each partition): detached, it goes.
        if let Some(partition) = &table.partition_of
            && referenced(differ.schemas.previous, &partition.parent, differ.dialect)
        {
            differ.push(Step::DetachPartition {
                table: table.name.clone(),
                partition: (**partition).clone(),
            });
        }
        differ.push_destructive(
            Step::DropTable((*table).clone()),
            Some(Destructive::DropTable(table.name.clone())),
        );
    }

    for diff in &tables.matched {
        if diff.rebuild {
            push_rebuild(differ, diff);
        } else {
            push_altered_table(differ, diff, tables);
        }
    }
    push_foreign_keys_of_dropped_keys(differ, tables);
    drop_steps_the_parent_makes(differ, tables);
    super::partition::push_key_copies(differ, tables);
}

fn push_rebuild(differ: &mut Differ<'_>, diff: &TableDiff<'_>) {
    let Pair { previous, next } = diff.tables;
    let lost = diff
        .dropped_columns
        .iter()
        .copied()
        .chain(diff.recreated_columns.iter().map(|p| p.previous))
        .filter(|c| drop_loses_data(c))
        .map(|c| c.name.clone())
        .collect::<Vec<_>>();
    let destructive = if lost.is_empty() {
        diff.altered_columns.iter().find_map(|(pair, changes)| {
            destructive_change(&next.name, *pair, changes, differ.rules)
        })
    } else {
        Some(Destructive::RebuildDropsColumns {
            table: previous.name.clone(),
            columns: lost,
        })
    };
    let indexes = differ
        .schemas
        .next
        .indexes_on(&next.name)
        .cloned()
        .collect();
    differ.push_destructive(
        Step::RebuildTable {
            previous: previous.clone(),
            next: next.clone(),
            indexes,
        },
        destructive,
    );
}

/// Tables in an order where a table comes after those it inherits from
/// (`CREATE TABLE … INHERITS` needs them) and a partition after its
/// parent (its defaults may draw on the parent's sequences).
fn parents_first<'a>(tables: &[&'a Table], dialect: Dialect) -> Vec<&'a Table> {
    let mut out: Vec<&'a Table> = Vec::with_capacity(tables.len());
    let mut left: Vec<&'a Table> = tables.to_vec();
    while !left.is_empty() {
        let ready: Vec<bool> = left
            .iter()
            .map(|t| {
                // A partition's columns may draw on its parent's sequences.
                let partition_of = t.partition_of.as_ref().map(|p| &p.parent);
                !t.inherits.iter().chain(partition_of).any(|p| {
                    left.iter().any(|o| o.name.same_as(p, dialect))
                        && !out.iter().any(|o| o.name.same_as(p, dialect))
                })
            })
            .collect();
        // An inheritance cycle cannot be created by anyone: keep the rest as is.
        if !ready.contains(&true) {
            out.append(&mut left);
            break;
        }
        let mut i = 0;
        left.retain(|t| {
            let keep = !ready[i];
            i += 1;
            if !keep {
                out.push(t);
            }
            keep
        });
    }
    out
}

/// Partition and inheritance changes of a table both schemas have: a
/// changed bound is a detach and an attach.
fn push_partition_steps(differ: &mut Differ<'_>, diff: &TableDiff<'_>) {
    let d = differ.dialect;
    let Pair { previous, next } = diff.tables;
    if previous.partition_by != next.partition_by {
        differ.push(Step::ChangePartitioning {
            table: next.name.clone(),
        });
    }
    if previous.partition_of != next.partition_of {
        if let Some(partition) = &previous.partition_of {
            differ.push(Step::DetachPartition {
                table: previous.name.clone(),
                partition: (**partition).clone(),
            });
        }
        if let Some(partition) = &next.partition_of {
            differ.push(Step::AttachPartition {
                table: next.name.clone(),
                partition: (**partition).clone(),
            });
        }
    }
    for parent in &previous.inherits {
        if !next.inherits.iter().any(|p| p.same_as(parent, d)) {
            differ.push(Step::DropInherit {
                table: previous.name.clone(),
                parent: parent.clone(),
            });
        }
    }
    for parent in &next.inherits {
        if !previous.inherits.iter().any(|p| p.same_as(parent, d)) {
            differ.push(Step::AddInherit {
                table: next.name.clone(),
                parent: parent.clone(),
            });
        }
    }
}

/// The tables a table's columns follow in both schemas (its parent, the
/// tables it inherits from): a column change made on one of them is made
/// on the table by the server too.
fn column_parents<'t>(
    diff: &TableDiff<'_>,
    tables: &'t TableChanges<'_>,
    d: Dialect,
) -> Vec<&'t TableDiff<'t>> {
    let Pair { previous, next } = diff.tables;
    let mut parents: Vec<&QualifiedName> = Vec::new();
    if let (Some(a), Some(b)) = (&previous.partition_of, &next.partition_of)
        && a.parent.same_as(&b.parent, d)
    {
        parents.push(&b.parent);
    }
    parents.extend(
        next.inherits
            .iter()
            .filter(|p| previous.inherits.iter().any(|q| q.same_as(p, d))),
    );
    parents
        .into_iter()
        .filter_map(|p| tables.diff_of(p))
        .collect()
}

/// Removes the column steps of partitions and inheritance children that
/// the same step on their parent makes (PostgreSQL recurses into them).
fn drop_steps_the_parent_makes(differ: &mut Differ<'_>, tables: &TableChanges<'_>) {
    let d = differ.dialect;
    let mut covered: Vec<(QualifiedName, Step)> = Vec::new();
    for diff in &tables.matched {
        let parents = column_parents(diff, tables, d);
        if parents.is_empty() {
            continue;
        }
        let table = &diff.tables.next.name;
        for c in &diff.added_columns {
            if parents
                .iter()
                .any(|p| p.added_columns.iter().any(|a| same_column(a, c)))
            {
                covered.push((
                    table.clone(),
                    Step::AddColumn {
                        table: table.clone(),
                        column: (*c).clone(),
                    },
                ));
            }
        }
        for c in &diff.dropped_columns {
            if parents.iter().any(|p| {
                p.dropped_columns
                    .iter()
                    .any(|a| d.same_name(&a.name, &c.name))
            }) {
                covered.push((
                    diff.tables.previous.name.clone(),
                    Step::DropColumn {
                        table: diff.tables.previous.name.clone(),
                        column: (*c).clone(),
                        children_keep: children_keep(differ, &diff.tables.previous.name, c),
                    },
                ));
            }
        }
        for (pair, changes) in &diff.altered_columns {
            let same = parents.iter().any(|p| {
                p.altered_columns.iter().any(|(q, k)| {
                    k == changes
                        && same_column(q.next, pair.next)
                        && same_column(q.previous, pair.previous)
                })
            });
            if same {
                covered.push((
                    table.clone(),
                    Step::AlterColumn {
                        table: table.clone(),
                        previous: pair.previous.clone(),
                        next: pair.next.clone(),
                        changes: *changes,
                    },
                ));
            }
        }
    }
    if covered.is_empty() {
        return;
    }
    differ
        .steps
        .retain(|(_, planned)| !covered.iter().any(|(_, step)| *step == planned.step));
}

/// Whether a foreign key of any table references `table`.
fn referenced(schema: &Schema, table: &QualifiedName, d: Dialect) -> bool {
    schema
        .tables
        .iter()
        .flat_map(|t| &t.foreign_keys)
        .any(|fk| fk.referenced_table.same_as(table, d))
}

/// Whether a table inheriting from `table` still has `column` once it is
/// dropped from `table` (declared by the child in the next schema): the
/// server would drop the child's inherited copy along with the parent's.
fn children_keep(differ: &Differ<'_>, table: &QualifiedName, column: &Column) -> bool {
    let d = differ.dialect;
    differ.schemas.next.tables.iter().any(|t| {
        t.inherits.iter().any(|p| p.same_as(table, d)) && t.column(&column.name, d).is_some()
    })
}

/// Columns equal but for what a child's copy does not take: the comment,
/// the identity, and whether the child declares it too.
fn same_column(a: &Column, b: &Column) -> bool {
    let mut a = a.clone();
    a.comment = b.comment.clone();
    a.inherited = b.inherited;
    if b.identity.is_none() {
        a.identity = None;
    }
    a == *b
}

/// The first column `next` declares after `column` that the table has
/// before it once `column` is appended: one it keeps, or one appended
/// earlier (`ADD COLUMN` puts a column after every one the table has). The
/// table's order then differs from the schema's, which nothing compares.
fn placed_before<'a>(
    next: &'a Table,
    column: &Column,
    added: &[&Column],
    appended_earlier: &[&Column],
    d: Dialect,
) -> Option<&'a str> {
    let has = |list: &[&Column], c: &Column| list.iter().any(|a| d.same_name(&a.name, &c.name));
    let at = next
        .columns
        .iter()
        .position(|c| d.same_name(&c.name, &column.name))?;
    next.columns[at + 1..]
        .iter()
        .find(|c| !has(added, c) || has(appended_earlier, c))
        .map(|c| c.name.as_str())
}

fn push_altered_table(differ: &mut Differ<'_>, diff: &TableDiff<'_>, tables: &TableChanges<'_>) {
    push_partition_steps(differ, diff);
    let Pair { previous, next } = diff.tables;
    let (old_name, new_name) = (&previous.name, &next.name);
    for fk in &diff.foreign_keys.dropped {
        differ.push(Step::DropForeignKey {
            table: old_name.clone(),
            foreign_key: (*fk).clone(),
        });
    }
    if let Some(pk) = previous
        .primary_key
        .as_ref()
        .filter(|_| diff.primary_key_changed)
    {
        differ.push(Step::DropPrimaryKey {
            table: old_name.clone(),
            primary_key: pk.clone(),
        });
    }
    for unique in &diff.uniques.dropped {
        differ.push(Step::DropUnique {
            table: old_name.clone(),
            unique: (*unique).clone(),
        });
    }
    for check in &diff.checks.dropped {
        differ.push(Step::DropCheck {
            table: old_name.clone(),
            check: (*check).clone(),
        });
    }
    for exclusion in &diff.exclusions.dropped {
        differ.push(Step::DropExclusion {
            table: old_name.clone(),
            exclusion: (*exclusion).clone(),
        });
    }
    let dropped = diff
        .dropped_columns
        .iter()
        .copied()
        .chain(diff.recreated_columns.iter().map(|p| p.previous));
    for column in dropped {
        let destructive = drop_loses_data(column).then(|| Destructive::DropColumn {
            table: old_name.clone(),
            column: column.name.clone(),
        });
        let children_keep = children_keep(differ, old_name, column);
        differ.push_destructive(
            Step::DropColumn {
                table: old_name.clone(),
                column: column.clone(),
                children_keep,
            },
            destructive,
        );
    }
    // Appended in the schema's order (generated columns after the others,
    // as their phase runs them), so that added columns keep their order
    // among themselves.
    let position = |c: &Column| {
        next.columns
            .iter()
            .position(|n| differ.dialect.same_name(&n.name, &c.name))
    };
    let mut added: Vec<&Column> = diff
        .recreated_columns
        .iter()
        .map(|p| p.next)
        .chain(diff.added_columns.iter().copied())
        .collect();
    added.sort_by_key(|c| (c.generated.is_some(), position(c)));
    for (at, column) in added.iter().enumerate() {
        let before = placed_before(next, column, &added, &added[..at], differ.dialect);
        differ.push_destructive(
            Step::AddColumn {
                table: new_name.clone(),
                column: (*column).clone(),
            },
            before.map(|before| Destructive::ColumnAddedLast {
                table: new_name.clone(),
                column: column.name.clone(),
                before: before.to_string(),
            }),
        );
    }
    let recreated = recreated_enums(differ);
    for (pair, changes) in &diff.altered_columns {
        // Recreating an enum sets the next default of every column that keeps
        // the type (see `Step::RecreateEnum`): a default change alone is done.
        let keeps_recreated = recreated.iter().any(|e| {
            uses_enum(&pair.previous.ty, e, differ.dialect)
                && uses_enum(&pair.next.ty, e, differ.dialect)
        });
        let only_default = ColumnChanges {
            default: true,
            ..ColumnChanges::default()
        };
        if keeps_recreated && *changes == only_default {
            continue;
        }
        let destructive = destructive_change(new_name, *pair, changes, differ.rules);
        let step = Step::AlterColumn {
            table: new_name.clone(),
            previous: pair.previous.clone(),
            next: pair.next.clone(),
            changes: *changes,
        };
        // A column leaving an enum that is recreated must leave it before:
        // the recreation converts only the columns that keep the type.
        let leaves_recreated = changes.ty
            && !pair.next.ty.user_defined
            && recreated
                .iter()
                .any(|e| uses_enum(&pair.previous.ty, e, differ.dialect));
        let phase = if leaves_recreated {
            Phase::DropColumns
        } else {
            order::phase(&step)
        };
        differ.push_at(phase, step, destructive);
    }
    if let Some(pk) = next
        .primary_key
        .as_ref()
        .filter(|_| diff.primary_key_changed)
    {
        differ.push(Step::AddPrimaryKey {
            table: new_name.clone(),
            primary_key: pk.clone(),
        });
    }
    for unique in &diff.uniques.added {
        differ.push(Step::AddUnique {
            table: new_name.clone(),
            unique: (*unique).clone(),
        });
    }
    for check in &diff.checks.added {
        differ.push(Step::AddCheck {
            table: new_name.clone(),
            check: (*check).clone(),
        });
    }
    for exclusion in &diff.exclusions.added {
        differ.push(Step::AddExclusion {
            table: new_name.clone(),
            exclusion: (*exclusion).clone(),
        });
    }
    for fk in &diff.foreign_keys.added {
        differ.push(Step::AddForeignKey {
            table: new_name.clone(),
            foreign_key: (*fk).clone(),
        });
    }
    let validated = diff
        .checks
        .kept
        .iter()
        .filter(|p| p.previous.not_valid && !p.next.not_valid)
        .map(|p| p.next.name.clone())
        .chain(
            diff.foreign_keys
                .kept
                .iter()
                .filter(|p| p.previous.not_valid && !p.next.not_valid)
                .map(|p| p.next.name.clone()),
        );
    for name in validated.flatten() {
        differ.push(Step::ValidateConstraint {
            table: new_name.clone(),
            name,
        });
    }
    // An index created again is no longer the one rows are clustered on.
    let cluster_index_created = next.options.cluster_on.as_deref().is_some_and(|i| {
        tables.indexes.created.iter().any(|x| {
            x.table.same_as(new_name, differ.dialect) && differ.dialect.same_name(&x.name.name, i)
        })
    });
    if previous.options != next.options || cluster_index_created {
        // Persistence changes before foreign keys are added and after they
        // are dropped (a permanent table may reference only permanent
        // ones); a replica identity or cluster index exists only once
        // indexes do. TOAST parameters (`toast.…`) wait for the columns: a
        // table gets its TOAST table with its first column stored out of
        // line, and the server drops parameters set before it silently.
        let toast = |p: &&crate::schema::StorageParam| p.name.starts_with("toast.");
        let storage = next
            .options
            .storage
            .iter()
            .filter(|p| !toast(p))
            .chain(previous.options.storage.iter().filter(toast))
            .cloned()
            .collect();
        let first = crate::schema::TableOptions {
            storage,
            replica_identity: previous.options.replica_identity.clone(),
            cluster_on: if cluster_index_created {
                None
            } else {
                previous.options.cluster_on.clone()
            },
            ..next.options.clone()
        };
        if first != previous.options {
            differ.push_at(
                Phase::AlterColumns,
                Step::AlterTableOptions {
                    table: new_name.clone(),
                    previous: previous.options.clone(),
                    next: first.clone(),
                },
                None,
            );
        }
        if first != next.options {
            differ.push(Step::AlterTableOptions {
                table: new_name.clone(),
                previous: first,
                next: next.options.clone(),
            });
        }
    }
    if differ.rules.has_comments() {
        if previous.comment != next.comment {
            differ.push(Step::SetTableComment {
                table: new_name.clone(),
                comment: next.comment.clone(),
            });
        }
        for column in &diff.commented_columns {
            differ.push(Step::SetColumnComment {
                table: new_name.clone(),
                column: column.name.clone(),
                comment: column.comment.clone(),
            });
        }
        push_column_comments(differ, new_name, added.into_iter());
    }
}

/// Comments of columns the plan creates: `CreateTable`/`AddColumn` do not
/// carry them.
fn push_column_comments<'c>(
    differ: &mut Differ<'_>,
    table: &QualifiedName,
    columns: impl Iterator<Item = &'c Column>,
) {
    for column in columns {
        if column.comment.is_some() {
            differ.push(Step::SetColumnComment {
                table: table.clone(),
                column: column.name.clone(),
                comment: column.comment.clone(),
            });
        }
    }
}

/// A key (primary key, unique constraint or unique index) cannot be dropped
/// while a foreign key depends on it: a kept foreign key pointing at a key
/// the plan drops and adds again is dropped first and added again after.
fn push_foreign_keys_of_dropped_keys(differ: &mut Differ<'_>, tables: &TableChanges<'_>) {
    let rules = differ.rules;
    if !rules.can_drop_constraint() || !rules.can_add_constraint() {
        return;
    }
    let d = differ.dialect;
    let mut dropped_keys: Vec<(&QualifiedName, &[String])> = Vec::new();
    for diff in tables.matched.iter().filter(|diff| !diff.rebuild) {
        let name = &diff.tables.previous.name;
        let old_key = diff.tables.previous.primary_key.as_ref();
        if let Some(pk) = old_key.filter(|_| diff.primary_key_changed) {
            dropped_keys.push((name, &pk.columns));
        }
        for unique in &diff.uniques.dropped {
            dropped_keys.push((name, &unique.columns));
        }
    }
    let index_keys = tables
        .indexes
        .dropped
        .iter()
        .filter(|i| i.unique && i.predicate.is_none())
        .filter_map(|i| {
            let columns = i
                .columns
                .iter()
                .map(|c| match &c.expr {
                    crate::schema::IndexExpr::Column(name) => Some(name.clone()),
                    crate::schema::IndexExpr::Expression(_) => None,
                })
                .collect::<Option<Vec<_>>>()?;
            Some((&i.table, columns))
        })
        .collect::<Vec<_>>();
    for (table, columns) in &index_keys {
        dropped_keys.push((table, columns));
    }
    for diff in tables.matched.iter().filter(|diff| !diff.rebuild) {
        for fk in &diff.foreign_keys.kept {
            let depends = dropped_keys.iter().any(|(table, columns)| {
                fk.previous.referenced_table.same_as(table, d)
                    && same_column_set(&fk.previous.referenced_columns, columns, d)
            });
            if depends {
                differ.push(Step::DropForeignKey {
                    table: diff.tables.previous.name.clone(),
                    foreign_key: fk.previous.clone(),
                });
                differ.push(Step::AddForeignKey {
                    table: diff.tables.next.name.clone(),
                    foreign_key: fk.next.clone(),
                });
            }
        }
    }
}

/// Pairs constraints: by name where the dialect names them and both have a
/// name, by definition otherwise. A same-named constraint whose definition
/// changed is dropped and added again.
fn match_constraints<'a, T>(
    lists: Pair<&'a Vec<T>>,
    name: impl Fn(&T) -> Option<&str>,
    same_definition: impl Fn(&T, &T) -> bool,
    by_name: bool,
    dialect: Dialect,
) -> Changes<'a, T> {
    let mut used = vec![false; lists.previous.len()];
    let mut changes = Changes {
        added: Vec::new(),
        dropped: Vec::new(),
        kept: Vec::new(),
    };
    let mut replaced = Vec::new();
    for new in lists.next {
        let found = lists.previous.iter().enumerate().find(|(i, old)| {
            if used[*i] {
                return false;
            }
            match (by_name, name(old), name(new)) {
                (true, Some(a), Some(b)) => dialect.same_name(a, b),
                _ => same_definition(old, new),
            }
        });
        match found {
            Some((i, old)) => {
                used[i] = true;
                if same_definition(old, new) {
                    changes.kept.push(Pair::new(old, new));
                } else {
                    replaced.push(i);
                    changes.added.push(new);
                }
            }
            None => changes.added.push(new),
        }
    }
    for (i, old) in lists.previous.iter().enumerate() {
        if !used[i] || replaced.contains(&i) {
            changes.dropped.push(old);
        }
    }
    changes
}

fn same_columns(a: &[String], b: &[String], dialect: Dialect) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| dialect.same_name(x, y))
}

fn same_column_set(a: &[String], b: &[String], dialect: Dialect) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| dialect.same_name(x, y)))
}

fn names_differ(a: Option<&str>, b: Option<&str>, dialect: Dialect) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => !dialect.same_name(a, b),
        // An unnamed key gets the server's name: nothing to compare.
        _ => false,
    }
}

fn same_unique(a: &UniqueConstraint, b: &UniqueConstraint, dialect: Dialect) -> bool {
    same_columns(&a.columns, &b.columns, dialect)
        && same_columns(&a.include, &b.include, dialect)
        && a.nulls_not_distinct == b.nulls_not_distinct
        && a.deferrable == b.deferrable
        && a.on_conflict == b.on_conflict
}

fn same_foreign_key(a: &ForeignKey, b: &ForeignKey, dialect: Dialect) -> bool {
    same_columns(&a.columns, &b.columns, dialect)
        && a.referenced_table.same_as(&b.referenced_table, dialect)
        && same_columns(&a.referenced_columns, &b.referenced_columns, dialect)
        && a.on_delete == b.on_delete
        && a.on_update == b.on_update
        && a.deferrable == b.deferrable
        && validates(a.not_valid, b.not_valid)
}

/// Whether a constraint's validity can go from `previous` to `next` in
/// place: `VALIDATE CONSTRAINT` makes a NOT VALID one valid; nothing makes
/// a valid one NOT VALID again but dropping and adding it.
fn validates(previous_not_valid: bool, next_not_valid: bool) -> bool {
    previous_not_valid || !next_not_valid
}
