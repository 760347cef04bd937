//! SQLite's table rebuild: the one recipe for every change its ALTER TABLE
//! cannot make (types, nullability, defaults, keys, constraints).
//!
//! Create the next shape under a temporary name, copy the rows of the
//! columns both shapes have, drop the old table, rename the new one, recreate
//! its indexes (dropped with the old table). Foreign keys are deferred while
//! the tables are swapped; the runner runs `PRAGMA foreign_key_check` after
//! the migration, so rows left without their parent fail it there.
//!
//! `legacy_alter_table` is on for the rename: otherwise SQLite (3.26+)
//! re-checks every view and trigger while renaming, and a view over the
//! table fails with "no such table" because the old table is gone by then.

use super::render::{create_index, create_table};
use crate::dialect::Dialect;
use crate::dialect::quote::{ident, qualified, string};
use crate::dialect::render::RenderError;
use crate::plan::Destructive;
use crate::schema::{Index, QualifiedName, Table};

const SQLITE: Dialect = Dialect::Sqlite;

pub(super) fn statements(
    previous: &Table,
    next: &Table,
    indexes: &[Index],
) -> Result<Vec<String>, RenderError> {
    let temporary =
        QualifiedName::with_schema(next.name.schema.clone(), format!("new_{}", next.name.name));
    let mut out = vec![
        "PRAGMA defer_foreign_keys=ON".to_string(),
        "PRAGMA foreign_keys=OFF".to_string(),
        "PRAGMA legacy_alter_table=ON".to_string(),
        create_table(next, &temporary)?,
    ];
    // Rows keep the columns both shapes have. Generated columns are computed,
    // never inserted. A column that becomes NOT NULL is copied as it is, so
    // that a NULL makes the database refuse rather than the migration invent
    // a value (the step is marked destructive).
    let copied: Vec<(&str, &str)> = next
        .columns
        .iter()
        .filter(|c| c.generated.is_none())
        .filter_map(|c| {
            previous
                .column(&c.name, SQLITE)
                .map(|p| (p.name.as_str(), c.name.as_str()))
        })
        .collect();
    if !copied.is_empty() {
        let mut targets: Vec<String> = copied.iter().map(|(_, n)| ident(n, SQLITE)).collect();
        let mut sources: Vec<String> = copied.iter().map(|(p, _)| ident(p, SQLITE)).collect();
        // Implicit rowids would be renumbered by the copy: applications
        // (and FTS content tables) may hold them.
        if let Some(rowid) = rowid_to_copy(previous, next) {
            targets.insert(0, rowid.to_string());
            sources.insert(0, rowid.to_string());
        }
        out.push(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            qualified(&temporary, SQLITE),
            targets.join(", "),
            sources.join(", "),
            qualified(&previous.name, SQLITE)
        ));
    }
    if has_autoincrement(next) {
        out.extend(carry_sequence(&previous.name, &temporary));
    }
    out.push(format!("DROP TABLE {}", qualified(&previous.name, SQLITE)));
    out.push(format!(
        "ALTER TABLE {} RENAME TO {}",
        qualified(&temporary, SQLITE),
        ident(&next.name.name, SQLITE)
    ));
    for index in indexes {
        out.push(create_index(index)?);
    }
    out.extend(
        [
            "PRAGMA legacy_alter_table=OFF",
            "PRAGMA foreign_keys=ON",
            "PRAGMA defer_foreign_keys=OFF",
        ]
        .map(String::from),
    );
    Ok(out)
}

/// The rowid alias the copy must carry explicitly: `None` when the next
/// table has no implicit rowid (`WITHOUT ROWID`, or an `INTEGER PRIMARY
/// KEY` column, which is the rowid and is copied as a column), or when the
/// previous table had none to keep.
fn rowid_to_copy(previous: &Table, next: &Table) -> Option<&'static str> {
    if previous.without_rowid || next.without_rowid || rowid_alias(next).is_some() {
        return None;
    }
    // A column may be named like a rowid alias; SQLite then means the column.
    ["rowid", "_rowid_", "oid"].into_iter().find(|alias| {
        previous.column(alias, SQLITE).is_none() && next.column(alias, SQLITE).is_none()
    })
}

/// The `INTEGER PRIMARY KEY` column of a rowid table, which is its rowid.
fn rowid_alias(table: &Table) -> Option<&str> {
    let pk = table.primary_key.as_ref()?;
    let [column] = pk.columns.as_slice() else {
        return None;
    };
    let c = table.column(column, SQLITE)?;
    (c.ty.name.eq_ignore_ascii_case("INTEGER") && c.ty.modifiers.is_empty())
        .then_some(c.name.as_str())
}

fn has_autoincrement(table: &Table) -> bool {
    table.columns.iter().any(|c| c.autoincrement)
}

/// Gives the new table the old one's `AUTOINCREMENT` counter before the old
/// one is dropped (and its `sqlite_sequence` row with it): ids handed out
/// and deleted are never handed out again. The copy may have made a row
/// for the new table already; the larger counter wins.
fn carry_sequence(previous: &QualifiedName, temporary: &QualifiedName) -> Vec<String> {
    let sequence = match &previous.schema {
        Some(schema) => format!("{}.sqlite_sequence", ident(schema, SQLITE)),
        None => "sqlite_sequence".to_string(),
    };
    let old = string(&previous.name);
    let new = string(&temporary.name);
    vec![
        format!(
            "UPDATE {sequence} SET seq = (SELECT max(seq) FROM {sequence} WHERE name IN ({old}, {new})) WHERE name = {new}"
        ),
        format!(
            "INSERT INTO {sequence} (name, seq) SELECT {new}, seq FROM {sequence} WHERE name = {old} \
             AND NOT EXISTS (SELECT 1 FROM {sequence} WHERE name = {new})"
        ),
    ]
}

/// What a rebuild can lose when the plan did not say: columns the next shape
/// drops, or a column that becomes NOT NULL (a NULL row makes the copy fail).
pub(super) fn destructive(previous: &Table, next: &Table) -> Option<Destructive> {
    let dropped: Vec<String> = previous
        .columns
        .iter()
        .filter(|p| next.column(&p.name, SQLITE).is_none())
        .map(|p| p.name.clone())
        .collect();
    if !dropped.is_empty() {
        return Some(Destructive::RebuildDropsColumns {
            table: next.name.clone(),
            columns: dropped,
        });
    }
    next.columns
        .iter()
        .filter(|c| !c.nullable && c.generated.is_none())
        .find(|c| previous.column(&c.name, SQLITE).is_some_and(|p| p.nullable))
        .map(|c| Destructive::SetNotNull {
            table: next.name.clone(),
            column: c.name.clone(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::render::test_support::*;
    use crate::dialect::{render, render_script};
    use crate::plan::Step;
    use crate::schema::{
        Expr, ForeignKey, ForeignKeyAction, Generated, IndexColumn, IndexExpr, PrimaryKey,
    };

    fn people() -> Table {
        let mut t = table(
            "people",
            vec![
                not_null(col("id", "INTEGER")),
                col("Name", "TEXT"),
                col("age", "TEXT"),
                col("nickname", "TEXT"),
            ],
        );
        t.primary_key = Some(PrimaryKey {
            name: None,
            columns: vec!["id".into()],
            ..Default::default()
        });
        t
    }

    fn name_index() -> Index {
        Index {
            partition_copies: Vec::new(),
            comment: None,
            storage: Vec::new(),
            name: name("people_name_idx"),
            table: name("people"),
            unique: false,
            columns: vec![IndexColumn {
                expr: IndexExpr::Column("name".into()),
                descending: false,
                nulls_first: None,
                opclass: None,
                collation: None,
                statistics: None,
            }],
            predicate: None,
            method: None,
            include: vec![],
            nulls_not_distinct: false,
        }
    }

    /// Several changes at once: a type change, a new NOT NULL column with a
    /// default, a dropped column, a generated column, a self-reference.
    fn next_people() -> Table {
        let mut next = people();
        next.columns[1].name = "name".into(); // same column: SQLite ignores case
        next.columns[2].ty = crate::schema::ColumnType::simple("INTEGER");
        next.columns.remove(3);
        next.columns.push(with_default(
            not_null(col("active", "INTEGER")),
            "1",
            SQLITE,
        ));
        let mut label = col("label", "TEXT");
        label.generated = Some(Generated {
            expr: Expr::new("name || ' (' || age || ')'", SQLITE),
            stored: false,
        });
        next.columns.push(label);
        next.columns.push(col("parent_id", "INTEGER"));
        next.foreign_keys.push(ForeignKey {
            not_valid: false,
            name: None,
            columns: vec!["parent_id".into()],
            referenced_table: name("people"),
            referenced_columns: vec!["id".into()],
            on_delete: ForeignKeyAction::Cascade,
            on_update: ForeignKeyAction::NoAction,
            deferrable: Default::default(),
        });
        next
    }

    #[test]
    fn rebuild_follows_the_fixed_recipe() {
        let step = Step::RebuildTable {
            previous: people(),
            next: next_people(),
            indexes: vec![name_index()],
        };
        assert_eq!(
            sql(step, SQLITE),
            vec![
                "PRAGMA defer_foreign_keys=ON",
                "PRAGMA foreign_keys=OFF",
                "PRAGMA legacy_alter_table=ON",
                "CREATE TABLE new_people (\n    id INTEGER NOT NULL,\n    name TEXT,\n    age INTEGER,\n    \
                 active INTEGER NOT NULL DEFAULT 1,\n    \
                 label TEXT GENERATED ALWAYS AS (name || ' (' || age || ')') VIRTUAL,\n    \
                 parent_id INTEGER,\n    PRIMARY KEY (id),\n    \
                 FOREIGN KEY (parent_id) REFERENCES people (id) ON DELETE CASCADE\n)",
                "INSERT INTO new_people (id, name, age) SELECT id, Name, age FROM people",
                "DROP TABLE people",
                "ALTER TABLE new_people RENAME TO people",
                "CREATE INDEX people_name_idx ON people (name)",
                "PRAGMA legacy_alter_table=OFF",
                "PRAGMA foreign_keys=ON",
                "PRAGMA defer_foreign_keys=OFF",
            ]
        );
    }

    #[test]
    fn rebuild_quotes_names_that_need_it() {
        let mut previous = table("User", vec![col("order", "TEXT")]);
        previous.name.schema = Some("main".into());
        let mut next = previous.clone();
        next.columns[0] = not_null(col("order", "TEXT"));
        let statements = sql(
            Step::RebuildTable {
                previous,
                next,
                indexes: vec![],
            },
            SQLITE,
        );
        assert_eq!(
            statements[3..7],
            [
                "CREATE TABLE main.new_User (\n    \"order\" TEXT NOT NULL\n)",
                "INSERT INTO main.new_User (rowid, \"order\") SELECT rowid, \"order\" FROM main.\"User\"",
                "DROP TABLE main.\"User\"",
                "ALTER TABLE main.new_User RENAME TO \"User\"",
            ]
        );
    }

    #[test]
    fn rebuild_without_common_columns_copies_nothing() {
        let previous = table("t", vec![col("a", "TEXT")]);
        let next = table("t", vec![col("b", "TEXT")]);
        let statements = sql(
            Step::RebuildTable {
                previous,
                next,
                indexes: vec![],
            },
            SQLITE,
        );
        assert!(!statements.iter().any(|s| s.starts_with("INSERT")));
        assert_eq!(statements[4], "DROP TABLE t");
    }

    #[test]
    fn rebuild_marks_dropped_columns_and_new_not_null_as_destructive() {
        let plan_of = |previous: Table, next: Table| {
            plan(vec![Step::RebuildTable {
                previous,
                next,
                indexes: vec![],
            }])
        };
        let rendered = render(&plan_of(people(), next_people()), SQLITE).unwrap();
        assert_eq!(
            rendered[0].destructive,
            Some(Destructive::RebuildDropsColumns {
                table: name("people"),
                columns: vec!["nickname".into()]
            })
        );
        let mut required = people();
        required.columns[3] = not_null(col("nickname", "TEXT"));
        let p = plan_of(people(), required);
        assert_eq!(
            render(&p, SQLITE).unwrap()[0].destructive,
            Some(Destructive::SetNotNull {
                table: name("people"),
                column: "nickname".into()
            })
        );
        let script = render_script(&p, SQLITE).unwrap();
        assert!(script.starts_with(
            "-- WARNING: makes `people.nickname` NOT NULL; existing NULLs make it fail\n\
             PRAGMA defer_foreign_keys=ON;\n"
        ));
        // A rebuild that only widens what the table accepts loses nothing.
        let mut relaxed = people();
        relaxed.columns[0].nullable = true;
        assert_eq!(
            render(&plan_of(people(), relaxed), SQLITE).unwrap()[0].destructive,
            None
        );
    }

    #[test]
    fn plan_destructive_mark_wins_over_the_renderer() {
        let mut p = plan(vec![Step::RebuildTable {
            previous: people(),
            next: next_people(),
            indexes: vec![],
        }]);
        let mark = Destructive::TypeChange {
            table: name("people"),
            column: "age".into(),
            from: "TEXT".into(),
            to: "INTEGER".into(),
        };
        p.steps[0].destructive = Some(mark.clone());
        assert_eq!(render(&p, SQLITE).unwrap()[0].destructive, Some(mark));
    }
}
