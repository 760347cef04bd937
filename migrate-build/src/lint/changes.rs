//! What one statement changed: the schema before and after it, compared
//! object by object (by name, with the dialect's folding). Not the differ:
//! the differ plans what a renderer can do, this says what happened,
//! including renames (a statement that renames makes one name disappear
//! and one appear).

use std::collections::{HashMap, HashSet};

use crate::Dialect;
use crate::ddl::StatementFacts;
use crate::schema::{
    CheckConstraint, Column, ForeignKey, Index, PrimaryKey, QualifiedName, Schema, Table,
};

use super::Stmt;

// A statement makes a handful of changes: boxing the tables would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub(crate) enum Change {
    CreateTable(Table),
    DropTable(Table),
    RenameTable {
        from: Table,
        to: Table,
    },
    /// A table dropped and another renamed to its name in one migration
    /// (SQLite's rebuild): `previous` as the migration found it.
    Rebuild {
        previous: Table,
        next: Table,
    },
    AddColumn {
        table: Table,
        column: Column,
    },
    DropColumn {
        table: QualifiedName,
        column: Column,
    },
    RenameColumn {
        table: QualifiedName,
        from: String,
        to: String,
    },
    AlterColumn {
        /// The table before the statement.
        table: Table,
        previous: Column,
        next: Column,
    },
    AddPrimaryKey {
        table: QualifiedName,
        key: PrimaryKey,
    },
    /// A unique constraint, or a unique index when `index`.
    AddUnique {
        table: QualifiedName,
        columns: Vec<String>,
        index: bool,
    },
    /// A new check, or one made valid (`validated`).
    AddCheck {
        table: QualifiedName,
        check: CheckConstraint,
        validated: bool,
    },
    AddForeignKey {
        table: QualifiedName,
        key: ForeignKey,
        validated: bool,
    },
    CreateIndex(Index),
    DropNamespace(String),
    EnumValuesRemoved {
        name: QualifiedName,
        values: Vec<String>,
    },
}

/// Whether the statement can have changed `name` (see
/// [`StatementFacts::words`]).
fn in_scope(facts: &StatementFacts, name: &QualifiedName) -> bool {
    facts
        .words
        .as_ref()
        .is_none_or(|words| words.contains(&name.name.to_lowercase()))
}

/// What [`between`] needs of the schema before a statement: the tables and
/// indexes it can change (all when it may change what it does not name),
/// enums and schemas. Copying the whole schema for every statement of a
/// large first migration would be quadratic.
pub(crate) fn snapshot(schema: &Schema, facts: &StatementFacts) -> Schema {
    let mut out = Schema::empty(schema.dialect);
    out.tables = schema
        .tables
        .iter()
        .filter(|t| in_scope(facts, &t.name))
        .cloned()
        .collect();
    out.indexes = schema
        .indexes
        .iter()
        .filter(|i| in_scope(facts, &i.name) || in_scope(facts, &i.table))
        .cloned()
        .collect();
    out.enums = schema.enums.clone();
    out.namespaces = schema.namespaces.clone();
    out
}

/// A name as the dialect compares it.
type Key = (Option<String>, String);

fn key(name: &QualifiedName, d: Dialect) -> Key {
    (
        name.schema.as_deref().map(|s| d.name_key(s).into_owned()),
        d.name_key(&name.name).into_owned(),
    )
}

fn find<'s>(tables: &'s [Table], name: &QualifiedName, d: Dialect) -> Option<&'s Table> {
    tables.iter().find(|t| t.name.same_as(name, d))
}

/// The changes from `prev` to `next`, one statement's worth.
/// `start` is the schema the migration started from: an enum created under
/// a name it had (PostgreSQL's way to remove values: rename the type away,
/// create it again, convert the columns) is compared with that one.
pub(crate) fn between(
    prev: &Schema,
    next: &Schema,
    facts: &StatementFacts,
    start: &Schema,
) -> Vec<Change> {
    let d = prev.dialect;
    let mut out = Vec::new();
    // Keyed once: a statement changes one table of hundreds.
    let prev_by: HashMap<Key, &Table> = prev.tables.iter().map(|t| (key(&t.name, d), t)).collect();
    // `prev` holds what the statement can change (see [`snapshot`]): so
    // does the side compared with it.
    let next_tables: Vec<&Table> = next
        .tables
        .iter()
        .filter(|t| in_scope(facts, &t.name))
        .collect();
    let next_by: HashMap<Key, &Table> = next_tables.iter().map(|t| (key(&t.name, d), *t)).collect();
    let gone: Vec<&Table> = prev
        .tables
        .iter()
        .filter(|t| !next_by.contains_key(&key(&t.name, d)))
        .collect();
    let new: Vec<&Table> = next_tables
        .iter()
        .copied()
        .filter(|t| !prev_by.contains_key(&key(&t.name, d)))
        .collect();
    if facts.renames && gone.len() == 1 && new.len() == 1 {
        out.push(Change::RenameTable {
            from: gone[0].clone(),
            to: new[0].clone(),
        });
    } else {
        out.extend(gone.iter().map(|t| Change::DropTable((*t).clone())));
        out.extend(new.iter().map(|t| Change::CreateTable((*t).clone())));
    }
    for table in &prev.tables {
        if let Some(after) = next_by.get(&key(&table.name, d))
            && *after != table
        {
            table_changes(table, after, facts.renames, d, &mut out);
        }
    }
    let prev_indexes: HashSet<Key> = prev.indexes.iter().map(|i| key(&i.name, d)).collect();
    for index in next
        .indexes
        .iter()
        .filter(|i| in_scope(facts, &i.name) || in_scope(facts, &i.table))
    {
        let existed = prev_indexes.contains(&key(&index.name, d));
        let table_existed = prev_by.contains_key(&key(&index.table, d));
        if !existed && table_existed {
            out.push(Change::CreateIndex(index.clone()));
            if index.unique {
                out.push(Change::AddUnique {
                    table: index.table.clone(),
                    columns: index_columns(index),
                    index: true,
                });
            }
        }
    }
    for ns in &prev.namespaces {
        if !next.namespaces.iter().any(|n| d.same_name(n, ns)) {
            out.push(Change::DropNamespace(ns.clone()));
        }
    }
    if !facts.renames {
        for after in &next.enums {
            let in_prev = prev.enums.iter().find(|e| e.name.same_as(&after.name, d));
            let earlier =
                in_prev.or_else(|| start.enums.iter().find(|e| e.name.same_as(&after.name, d)));
            if let Some(e) = earlier {
                let removed: Vec<String> = e
                    .values
                    .iter()
                    .filter(|v| !after.values.contains(v))
                    .cloned()
                    .collect();
                if !removed.is_empty() {
                    out.push(Change::EnumValuesRemoved {
                        name: e.name.clone(),
                        values: removed,
                    });
                }
            }
        }
    }
    out
}

fn index_columns(index: &Index) -> Vec<String> {
    index
        .columns
        .iter()
        .map(|c| match &c.expr {
            crate::schema::IndexExpr::Column(name) => name.clone(),
            crate::schema::IndexExpr::Expression(e) => e.sql.clone(),
        })
        .collect()
}

fn same_columns(a: &[String], b: &[String], d: Dialect) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| d.same_name(x, y))
}

/// What changed inside a table both sides have.
pub(crate) fn table_changes(
    prev: &Table,
    next: &Table,
    renames: bool,
    d: Dialect,
    out: &mut Vec<Change>,
) {
    let has = |t: &Table, name: &str| t.columns.iter().any(|c| d.same_name(&c.name, name));
    let dropped: Vec<&Column> = prev
        .columns
        .iter()
        .filter(|c| !has(next, &c.name))
        .collect();
    let added: Vec<&Column> = next
        .columns
        .iter()
        .filter(|c| !has(prev, &c.name))
        .collect();
    if renames && dropped.len() == 1 && added.len() == 1 {
        out.push(Change::RenameColumn {
            table: next.name.clone(),
            from: dropped[0].name.clone(),
            to: added[0].name.clone(),
        });
    } else {
        out.extend(dropped.iter().map(|c| Change::DropColumn {
            table: next.name.clone(),
            column: (*c).clone(),
        }));
        out.extend(added.iter().map(|c| Change::AddColumn {
            table: next.clone(),
            column: (*c).clone(),
        }));
    }
    // A rename changes no column: a type renamed is still the same type.
    for column in prev.columns.iter().filter(|_| !renames) {
        if let Some(after) = next
            .columns
            .iter()
            .find(|c| d.same_name(&c.name, &column.name))
            && (column.ty != after.ty || column.nullable != after.nullable)
        {
            out.push(Change::AlterColumn {
                table: prev.clone(),
                previous: column.clone(),
                next: after.clone(),
            });
        }
    }
    if let Some(key) = &next.primary_key {
        let kept = prev
            .primary_key
            .as_ref()
            .is_some_and(|p| same_columns(&p.columns, &key.columns, d));
        if !kept {
            out.push(Change::AddPrimaryKey {
                table: next.name.clone(),
                key: key.clone(),
            });
        }
    }
    for unique in &next.uniques {
        if !prev
            .uniques
            .iter()
            .any(|u| same_columns(&u.columns, &unique.columns, d))
        {
            out.push(Change::AddUnique {
                table: next.name.clone(),
                columns: unique.columns.clone(),
                index: false,
            });
        }
    }
    for check in &next.checks {
        let before = prev.checks.iter().find(|c| c.expr == check.expr);
        let validated = before.is_some_and(|b| b.not_valid && !check.not_valid);
        if before.is_none() || validated {
            out.push(Change::AddCheck {
                table: next.name.clone(),
                check: check.clone(),
                validated,
            });
        }
    }
    for key in &next.foreign_keys {
        let before = prev.foreign_keys.iter().find(|k| {
            same_columns(&k.columns, &key.columns, d)
                && k.referenced_table.same_as(&key.referenced_table, d)
                && same_columns(&k.referenced_columns, &key.referenced_columns, d)
        });
        let validated = before.is_some_and(|b| b.not_valid && !key.not_valid);
        if before.is_none() || validated {
            out.push(Change::AddForeignKey {
                table: next.name.clone(),
                key: key.clone(),
                validated,
            });
        }
    }
}

/// Turns "drop X … rename Y to X" into a rebuild of X compared with X as
/// the migration found it (the drop and the creation of Y are not changes
/// of their own), and an enum created again under a name the migration
/// started with into the values it lost.
pub(crate) fn resolve_recreations(statements: &mut [Stmt], before: &Schema) {
    let d = before.dialect;
    let mut rebuilt: Vec<(QualifiedName, QualifiedName)> = Vec::new();
    for stmt in statements.iter_mut() {
        for change in &mut stmt.changes {
            if let Change::RenameTable { from, to } = change
                && let Some(original) = find(&before.tables, &to.name, d)
            {
                let mut next = to.clone();
                next.name = original.name.clone();
                rebuilt.push((from.name.clone(), original.name.clone()));
                *change = Change::Rebuild {
                    previous: original.clone(),
                    next,
                };
            }
        }
    }
    // The renamed table's creation is where the new shape is written: the
    // rebuild's findings go there, and the drop of the original is no drop.
    let mut moved: Vec<(usize, Change)> = Vec::new();
    for (from, original) in &rebuilt {
        let created_at = statements.iter().position(|s| {
            s.changes
                .iter()
                .any(|c| matches!(c, Change::CreateTable(t) if t.name.same_as(from, d)))
        });
        let rebuild_at = statements.iter().position(|s| {
            s.changes.iter().any(
                |c| matches!(c, Change::Rebuild { next, .. } if next.name.same_as(original, d)),
            )
        });
        for stmt in statements.iter_mut() {
            stmt.changes.retain(|c| match c {
                Change::DropTable(t) => !t.name.same_as(original, d),
                Change::CreateTable(t) => !t.name.same_as(from, d),
                _ => true,
            });
        }
        if let (Some(created), Some(at)) = (created_at, rebuild_at) {
            let Some(pos) = statements[at].changes.iter().position(
                |c| matches!(c, Change::Rebuild { next, .. } if next.name.same_as(original, d)),
            ) else {
                continue;
            };
            let change = statements[at].changes.remove(pos);
            moved.push((created, change));
        }
    }
    for (at, change) in moved {
        statements[at].changes.push(change);
    }
    // The rebuild's table-level changes, as one statement's.
    for stmt in statements.iter_mut() {
        let mut extra = Vec::new();
        for change in &stmt.changes {
            if let Change::Rebuild { previous, next } = change {
                table_changes(previous, next, false, d, &mut extra);
            }
        }
        stmt.changes.extend(extra);
    }
}
