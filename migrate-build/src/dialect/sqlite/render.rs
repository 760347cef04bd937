//! SQLite renderer. SQLite's ALTER TABLE can add, drop and rename columns
//! and rename tables; every other table change arrives as a `RebuildTable`
//! step (see `rebuild.rs`). Steps for objects SQLite lacks are errors.

use super::rebuild;
use crate::dialect::Dialect;
use crate::dialect::quote::{ident, qualified};
use crate::dialect::render::{
    RenderError, RenderedStep, alter_table, check_clause, column_list, constraint_prefix,
    foreign_key_clause, index_column, parenthesized, statement_text,
};
use crate::plan::{PlannedStep, Step};
use crate::schema::{Column, Deferrable, Expr, Index, OpaqueKind, QualifiedName, Table};

const SQLITE: Dialect = Dialect::Sqlite;

pub(crate) fn render_step(planned: &PlannedStep) -> Result<RenderedStep, RenderError> {
    let statements = statements(&planned.step)?;
    let destructive = planned.destructive.clone().or_else(|| match &planned.step {
        Step::RebuildTable { previous, next, .. } => rebuild::destructive(previous, next),
        _ => None,
    });
    Ok(RenderedStep {
        statements,
        destructive,
    })
}

fn statements(step: &Step) -> Result<Vec<String>, RenderError> {
    let one = |sql: String| Ok(vec![sql]);
    let no_object = |object: &'static str, name: String| {
        Err(RenderError::UnsupportedObject {
            dialect: SQLITE,
            object,
            name,
        })
    };
    let rebuild = |table: &QualifiedName, change: &'static str| {
        Err(RenderError::NeedsRebuild {
            dialect: SQLITE,
            table: table.clone(),
            change,
        })
    };
    let no_enums = |name: &QualifiedName| {
        Err(RenderError::NoEnumTypes {
            dialect: SQLITE,
            name: name.clone(),
        })
    };
    match step {
        Step::CreateNamespace(name) | Step::DropNamespace(name) => {
            no_object("schemas", name.clone())
        }
        Step::CreateExtension(ext)
        | Step::DropExtension(ext)
        | Step::UpdateExtension(ext)
        | Step::ReinstallExtension(ext) => no_object("extensions", ext.name.clone()),
        Step::CreateEnum(e) | Step::DropEnum(e) => no_enums(&e.name),
        Step::AddEnumValue { enum_name, .. } => no_enums(enum_name),
        Step::RecreateEnum { next, .. } => no_enums(&next.name),
        Step::CreateSequence(seq) | Step::DropSequence(seq) => {
            no_object("sequences", seq.name.to_string())
        }
        Step::SetSequenceOwner { sequence, .. } => no_object("sequences", sequence.to_string()),
        Step::AlterSequence { next, .. } => no_object("sequences", next.name.to_string()),
        Step::AlterTableOptions { table, .. } => Err(RenderError::UnsupportedFeature {
            dialect: SQLITE,
            feature: "persistence, storage parameters, row security and replica identity",
            object: table.to_string(),
        }),
        Step::AlterIndexStorage { index, .. } => Err(RenderError::UnsupportedFeature {
            dialect: SQLITE,
            feature: "index storage parameters",
            object: index.to_string(),
        }),
        Step::AlterIndexStatistics { index, .. } => Err(RenderError::UnsupportedFeature {
            dialect: SQLITE,
            feature: "index statistics targets",
            object: index.to_string(),
        }),
        Step::AlterViewOptions { view, .. } => Err(RenderError::UnsupportedFeature {
            dialect: SQLITE,
            feature: "view options",
            object: view.to_string(),
        }),
        Step::ValidateConstraint { table, .. } => rebuild(table, "validate a constraint"),
        Step::CreatePolicy(p) | Step::DropPolicy(p) | Step::AlterPolicy { next: p, .. } => {
            no_object(
                "row security policies",
                format!("{} on {}", p.name, p.table),
            )
        }
        Step::AddPublicationMember(m) | Step::DropPublicationMember(m) => {
            no_object("publications", m.publication.clone())
        }
        Step::AlterPublication { next, .. } => no_object("publications", next.name.to_string()),
        Step::AttachPartition { table, .. } | Step::DetachPartition { table, .. } => {
            no_object("partitions", table.to_string())
        }
        Step::ChangePartitioning { table } => no_object("partitions", table.to_string()),
        Step::AddInherit { table, .. } | Step::DropInherit { table, .. } => {
            no_object("table inheritance", table.to_string())
        }

        Step::CreateTable(table) => one(create_table(table, &table.name)?),
        Step::DropTable(table) => one(format!("DROP TABLE {}", qualified(&table.name, SQLITE))),
        Step::CreateVirtualTable(v) => one(format!(
            "CREATE VIRTUAL TABLE {} USING {}({})",
            qualified(&v.name, SQLITE),
            v.module,
            v.arguments.join(", ")
        )),
        // The module drops its shadow tables with it.
        Step::DropVirtualTable(v) => one(format!("DROP TABLE {}", qualified(&v.name, SQLITE))),
        Step::RebuildTable {
            previous,
            next,
            indexes,
        } => rebuild::statements(previous, next, indexes),
        Step::RenameTable { previous, next } => {
            if previous.schema != next.schema {
                return no_object("moves of tables between schemas", next.to_string());
            }
            one(format!(
                "{} RENAME TO {}",
                alter_table(previous, SQLITE),
                ident(&next.name, SQLITE)
            ))
        }

        Step::Rename(rename) => {
            use crate::plan::Rename;
            match rename {
                Rename::Column { table, from, to } => one(format!(
                    "{} RENAME COLUMN {} TO {}",
                    alter_table(table, SQLITE),
                    ident(from, SQLITE),
                    ident(to, SQLITE)
                )),
                // The differ drops and creates these (views, indexes) or
                // rebuilds the table (constraints): SQLite renames neither.
                Rename::Index { from, .. } => no_object("ALTER INDEX … RENAME", from.to_string()),
                Rename::View { from, .. } => no_object("ALTER VIEW … RENAME", from.to_string()),
                Rename::Constraint { table, from, .. } => {
                    no_object("RENAME CONSTRAINT", format!("{table}.{from}"))
                }
                Rename::Sequence { from, .. } => no_object("sequences", from.to_string()),
                Rename::Enum { from, .. }
                | Rename::EnumValue {
                    enum_name: from, ..
                } => no_enums(from),
            }
        }

        Step::AddColumn { table, column } => one(format!(
            "{} ADD COLUMN {}",
            alter_table(table, SQLITE),
            column_definition(table, column, None)?
        )),
        Step::DropColumn { table, column, .. } => one(format!(
            "{} DROP COLUMN {}",
            alter_table(table, SQLITE),
            ident(&column.name, SQLITE)
        )),
        Step::AlterColumn { table, .. } => rebuild(table, "alter a column"),
        Step::AddPrimaryKey { table, .. } => rebuild(table, "add a primary key"),
        Step::DropPrimaryKey { table, .. } => rebuild(table, "drop a primary key"),
        Step::AddUnique { table, .. } => rebuild(table, "add a unique constraint"),
        Step::DropUnique { table, .. } => rebuild(table, "drop a unique constraint"),
        Step::AddCheck { table, .. } => rebuild(table, "add a check constraint"),
        Step::DropCheck { table, .. } => rebuild(table, "drop a check constraint"),
        Step::AddExclusion { table, .. } | Step::DropExclusion { table, .. } => {
            Err(RenderError::UnsupportedFeature {
                dialect: SQLITE,
                feature: "EXCLUDE constraints",
                object: table.to_string(),
            })
        }
        Step::AddForeignKey { table, .. } => rebuild(table, "add a foreign key"),
        Step::DropForeignKey { table, .. } => rebuild(table, "drop a foreign key"),

        Step::CreateIndex(index) => one(create_index(index)?),
        Step::DropIndex(index) => one(format!("DROP INDEX {}", qualified(&index.name, SQLITE))),

        Step::CreateView(view) => {
            if view.materialized {
                return no_object("materialized views", view.name.to_string());
            }
            if !view.options.is_empty() {
                return Err(RenderError::UnsupportedFeature {
                    dialect: SQLITE,
                    feature: "view options",
                    object: view.name.to_string(),
                });
            }
            one(format!(
                "CREATE VIEW {} AS {}",
                qualified(&view.name, SQLITE),
                statement_text(view.definition.sql())
            ))
        }
        Step::DropView(view) => {
            if view.materialized {
                return no_object("materialized views", view.name.to_string());
            }
            one(format!("DROP VIEW {}", qualified(&view.name, SQLITE)))
        }

        // SQLite has no comments on objects; the schema keeps none either,
        // so there is nothing to do and nothing lost.
        Step::SetTableComment { .. } | Step::SetColumnComment { .. } | Step::SetComment { .. } => {
            Ok(Vec::new())
        }

        Step::CreateOpaque(object) => match object.kind {
            OpaqueKind::Trigger => one(statement_text(object.definition.sql())),
            kind => no_object(opaque_kind_name(kind), object.name.to_string()),
        },
        Step::AlterTextSearch { next, .. } => {
            no_object(opaque_kind_name(next.kind), next.name.to_string())
        }
        Step::AlterOpaqueState { next, .. } => no_object(
            "trigger states and statistics targets",
            next.name.to_string(),
        ),
        Step::DropOpaque(object) => match object.kind {
            // SQLite trigger names are schema-wide: no `ON table`.
            OpaqueKind::Trigger => one(format!("DROP TRIGGER {}", qualified(&object.name, SQLITE))),
            kind => no_object(opaque_kind_name(kind), object.name.to_string()),
        },
    }
}

fn opaque_kind_name(kind: OpaqueKind) -> &'static str {
    match kind {
        OpaqueKind::Function => "functions",
        OpaqueKind::Procedure => "procedures",
        OpaqueKind::Trigger => "triggers",
        OpaqueKind::Type => "user-defined types",
        OpaqueKind::Domain => "domains",
        OpaqueKind::Statistics => "extended statistics",
        OpaqueKind::Policy => "row security policies",
        OpaqueKind::Rule => "rules",
        OpaqueKind::Aggregate => "user-defined aggregates",
        OpaqueKind::Collation => "collations",
        OpaqueKind::Operator => "operators",
        OpaqueKind::Cast => "casts",
        OpaqueKind::EventTrigger => "event triggers",
        OpaqueKind::Publication => "publications",
        OpaqueKind::TextSearchConfiguration => "text search configurations",
        OpaqueKind::TextSearchDictionary => "text search dictionaries",
    }
}

/// `CREATE TABLE name (…)` for `table`'s shape; `name` differs from the
/// table's own during a rebuild. Foreign keys are declared inline: SQLite
/// cannot add them later.
pub(super) fn create_table(table: &Table, name: &QualifiedName) -> Result<String, RenderError> {
    if !table.exclusions.is_empty() {
        return Err(RenderError::UnsupportedFeature {
            dialect: SQLITE,
            feature: "EXCLUDE constraints",
            object: table.name.to_string(),
        });
    }
    if table.options != crate::schema::TableOptions::default() {
        return Err(RenderError::UnsupportedFeature {
            dialect: SQLITE,
            feature: "persistence, storage parameters, row security and replica identity",
            object: table.name.to_string(),
        });
    }
    let mut lines = Vec::new();
    for column in &table.columns {
        let key = table.primary_key.as_ref().and_then(|pk| pk.on_conflict);
        lines.push(column_definition(&table.name, column, key)?);
    }
    // An AUTOINCREMENT column declares the primary key inline.
    let inline_pk = table.columns.iter().any(|c| c.autoincrement);
    if let (Some(pk), false) = (&table.primary_key, inline_pk) {
        lines.push(format!(
            "{}PRIMARY KEY {}{}",
            constraint_prefix(pk.name.as_deref(), SQLITE),
            column_list(&pk.columns, SQLITE),
            on_conflict(pk.on_conflict)
        ));
    }
    for unique in &table.uniques {
        let unsupported = |feature| RenderError::UnsupportedFeature {
            dialect: SQLITE,
            feature,
            object: table.name.to_string(),
        };
        if unique.nulls_not_distinct {
            return Err(unsupported("UNIQUE NULLS NOT DISTINCT"));
        }
        match unique.deferrable {
            Deferrable::NotDeferrable => {}
            Deferrable::InitiallyImmediate | Deferrable::InitiallyDeferred => {
                return Err(unsupported("deferrable unique constraints"));
            }
        }
        lines.push(format!(
            "{}UNIQUE {}{}",
            constraint_prefix(unique.name.as_deref(), SQLITE),
            column_list(&unique.columns, SQLITE),
            on_conflict(unique.on_conflict)
        ));
    }
    lines.extend(table.checks.iter().map(|c| check_clause(c, SQLITE)));
    lines.extend(
        table
            .foreign_keys
            .iter()
            .map(|fk| foreign_key_clause(fk, SQLITE)),
    );
    let mut options = Vec::new();
    if table.without_rowid {
        options.push("WITHOUT ROWID");
    }
    if table.strict {
        options.push("STRICT");
    }
    let mut sql = format!(
        "CREATE TABLE {} (\n    {}\n)",
        qualified(name, SQLITE),
        lines.join(",\n    ")
    );
    if !options.is_empty() {
        sql.push(' ');
        sql.push_str(&options.join(", "));
    }
    Ok(sql)
}

fn on_conflict(action: Option<crate::schema::ConflictAction>) -> String {
    action
        .map(|a| format!(" ON CONFLICT {}", a.keyword()))
        .unwrap_or_default()
}

/// `key_conflict` is the primary key's clause, written inline when the
/// column declares the key (AUTOINCREMENT).
fn column_definition(
    table: &QualifiedName,
    column: &Column,
    key_conflict: Option<crate::schema::ConflictAction>,
) -> Result<String, RenderError> {
    if column.identity.is_some() {
        return Err(RenderError::UnsupportedFeature {
            dialect: SQLITE,
            feature: "identity columns (use INTEGER PRIMARY KEY AUTOINCREMENT)",
            object: format!("{table}.{}", column.name),
        });
    }
    let mut sql = ident(&column.name, SQLITE);
    let ty = column.ty.to_string();
    if !ty.is_empty() {
        sql.push(' ');
        sql.push_str(&ty);
    }
    if !column.nullable {
        sql.push_str(" NOT NULL");
        sql.push_str(&on_conflict(column.not_null_conflict));
    }
    if column.autoincrement {
        sql.push_str(" PRIMARY KEY");
        sql.push_str(&on_conflict(key_conflict));
        sql.push_str(" AUTOINCREMENT");
    }
    if let Some(default) = &column.default {
        sql.push_str(" DEFAULT ");
        sql.push_str(&default_sql(default));
    }
    if let Some(collation) = &column.collation {
        sql.push_str(" COLLATE ");
        sql.push_str(&ident(collation, SQLITE));
    }
    if let Some(generated) = &column.generated {
        sql.push_str(&format!(
            " GENERATED ALWAYS AS {} {}",
            parenthesized(&generated.expr.sql),
            if generated.stored {
                "STORED"
            } else {
                "VIRTUAL"
            }
        ));
    }
    Ok(sql)
}

/// SQLite's DEFAULT takes a literal, a signed number, or an expression in
/// parentheses: anything but a literal is wrapped.
fn default_sql(default: &Expr) -> String {
    let sql = default.sql.trim();
    if default.literal().is_some() {
        sql.to_string()
    } else {
        parenthesized(sql)
    }
}

pub(super) fn create_index(index: &Index) -> Result<String, RenderError> {
    let unsupported = |feature| RenderError::UnsupportedFeature {
        dialect: SQLITE,
        feature,
        object: index.name.to_string(),
    };
    if index.method.is_some() {
        return Err(unsupported("index methods (USING)"));
    }
    if !index.include.is_empty() {
        return Err(unsupported("INCLUDE columns"));
    }
    if index.nulls_not_distinct {
        return Err(unsupported("NULLS NOT DISTINCT"));
    }
    if !index.storage.is_empty() {
        return Err(unsupported("index storage parameters"));
    }
    if index.columns.iter().any(|c| c.opclass.is_some()) {
        return Err(unsupported("operator classes"));
    }
    if index.columns.iter().any(|c| c.nulls_first.is_some()) {
        return Err(unsupported("NULLS FIRST/LAST in indexes"));
    }
    let columns: Vec<String> = index
        .columns
        .iter()
        .map(|c| index_column(c, SQLITE))
        .collect();
    // The index name carries the schema; the table name must not.
    let mut sql = format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        qualified(&index.name, SQLITE),
        ident(&index.table.name, SQLITE),
        columns.join(", ")
    );
    if let Some(predicate) = &index.predicate {
        sql.push_str(&format!(" WHERE {}", predicate.sql));
    }
    Ok(sql)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::render;
    use crate::dialect::render::test_support::*;
    use crate::plan::{ColumnChanges, EnumUsage, EnumValuePosition};
    use crate::schema::{
        CheckConstraint, Definition, Enum, Expr, Extension, ForeignKey, ForeignKeyAction,
        Generated, Identity, IndexColumn, IndexExpr, OpaqueObject, PrimaryKey, Sequence,
        UniqueConstraint, View,
    };

    fn lite(step: Step) -> Vec<String> {
        sql(step, SQLITE)
    }

    fn lite_err(step: Step) -> RenderError {
        match render(&plan(vec![step]), SQLITE) {
            Ok(rendered) => panic!("expected an error, got {rendered:?}"),
            Err(e) => e,
        }
    }

    fn index(n: &str, t: &str, columns: Vec<IndexColumn>) -> Index {
        Index {
            partition_copies: Vec::new(),
            comment: None,
            storage: Vec::new(),
            name: name(n),
            table: name(t),
            unique: false,
            columns,
            predicate: None,
            method: None,
            include: vec![],
            nulls_not_distinct: false,
        }
    }

    fn by(expr: IndexExpr) -> IndexColumn {
        IndexColumn {
            expr,
            descending: false,
            nulls_first: None,
            opclass: None,
            collation: None,
            statistics: None,
        }
    }

    #[test]
    fn create_table_declares_everything_inline() {
        let mut id = not_null(col("id", "INTEGER"));
        id.autoincrement = true;
        let mut name_col = not_null(col("name", "TEXT"));
        name_col.collation = Some("NOCASE".into());
        let mut t = table(
            "posts",
            vec![
                id,
                name_col,
                with_default(col("created_at", "TEXT"), "CURRENT_TIMESTAMP", SQLITE),
                with_default(col("slug", "TEXT"), "lower(hex(randomblob(4)))", SQLITE),
                col("author_id", "INTEGER"),
                col("untyped", ""),
            ],
        );
        t.primary_key = Some(PrimaryKey {
            name: None,
            columns: vec!["id".into()],
            ..Default::default()
        });
        t.uniques.push(UniqueConstraint {
            index: Default::default(),
            on_conflict: None,
            name: None,
            columns: vec!["name".into(), "author_id".into()],
            nulls_not_distinct: false,
            deferrable: Deferrable::NotDeferrable,
        });
        t.checks.push(CheckConstraint {
            no_inherit: false,
            not_valid: false,
            name: Some("name_not_empty".into()),
            expr: Expr::new("name <> ''", SQLITE),
        });
        t.foreign_keys.push(ForeignKey {
            not_valid: false,
            name: None,
            columns: vec!["author_id".into()],
            referenced_table: name("User"),
            referenced_columns: vec!["id".into()],
            on_delete: ForeignKeyAction::SetNull,
            on_update: ForeignKeyAction::NoAction,
            deferrable: Deferrable::InitiallyDeferred,
        });
        t.comment = Some("ignored".into());
        assert_eq!(
            lite(Step::CreateTable(t)),
            vec![
                "CREATE TABLE posts (\n    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    \
                 name TEXT NOT NULL COLLATE NOCASE,\n    created_at TEXT DEFAULT CURRENT_TIMESTAMP,\n    \
                 slug TEXT DEFAULT (lower(hex(randomblob(4)))),\n    author_id INTEGER,\n    untyped,\n    \
                 UNIQUE (name, author_id),\n    CONSTRAINT name_not_empty CHECK (name <> ''),\n    \
                 FOREIGN KEY (author_id) REFERENCES \"User\" (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED\n)"
            ]
        );
    }

    #[test]
    fn table_options_generated_columns_and_composite_keys() {
        let mut area = col("area", "REAL");
        area.generated = Some(Generated {
            expr: Expr::new("w * h", SQLITE),
            stored: false,
        });
        let mut perimeter = col("perimeter", "REAL");
        perimeter.generated = Some(Generated {
            expr: Expr::new("(2 * (w + h))", SQLITE),
            stored: true,
        });
        let mut t = table(
            "Shape",
            vec![
                not_null(col("w", "REAL")),
                not_null(col("h", "REAL")),
                area,
                perimeter,
            ],
        );
        t.primary_key = Some(PrimaryKey {
            name: Some("shape_pk".into()),
            columns: vec!["w".into(), "h".into()],
            ..Default::default()
        });
        t.without_rowid = true;
        t.strict = true;
        assert_eq!(
            lite(Step::CreateTable(t)),
            vec![
                "CREATE TABLE Shape (\n    w REAL NOT NULL,\n    h REAL NOT NULL,\n    \
                 area REAL GENERATED ALWAYS AS (w * h) VIRTUAL,\n    \
                 perimeter REAL GENERATED ALWAYS AS (2 * (w + h)) STORED,\n    \
                 CONSTRAINT shape_pk PRIMARY KEY (w, h)\n) WITHOUT ROWID, STRICT"
            ]
        );
    }

    #[test]
    fn defaults_keep_literals_and_wrap_expressions() {
        for (default, rendered) in [
            ("0", "0"),
            ("-1.5", "-1.5"),
            ("1e10", "1e10"),
            ("0x1F", "0x1F"),
            ("'it''s'", "'it''s'"),
            ("X'00FF'", "X'00FF'"),
            ("null", "null"),
            ("current_date", "current_date"),
            ("'a' || 'b'", "('a' || 'b')"),
            ("(1 + 1)", "(1 + 1)"),
            ("datetime('now')", "(datetime('now'))"),
        ] {
            assert_eq!(
                default_sql(&Expr::new(default, SQLITE)),
                rendered,
                "default {default}"
            );
        }
    }

    #[test]
    fn quotes_mixed_case_and_reserved_names() {
        let t = table(
            "order",
            vec![
                col("User", "TEXT"),
                col("select", "INTEGER"),
                col("Total", "REAL"),
            ],
        );
        assert_eq!(
            lite(Step::CreateTable(t)),
            vec![
                "CREATE TABLE \"order\" (\n    \"User\" TEXT,\n    \"select\" INTEGER,\n    Total REAL\n)"
            ]
        );
        assert_eq!(
            lite(Step::DropTable(table("order", vec![]))),
            vec!["DROP TABLE \"order\""]
        );
    }

    #[test]
    fn add_drop_column_and_rename_table() {
        let c = with_default(not_null(col("score", "INTEGER")), "0", SQLITE);
        assert_eq!(
            lite(Step::AddColumn {
                table: name("User"),
                column: c.clone()
            }),
            vec!["ALTER TABLE \"User\" ADD COLUMN score INTEGER NOT NULL DEFAULT 0"]
        );
        assert_eq!(
            lite(Step::DropColumn {
                table: name("User"),
                column: c,
                children_keep: false,
            }),
            vec!["ALTER TABLE \"User\" DROP COLUMN score"]
        );
        assert_eq!(
            lite(Step::RenameTable {
                previous: name("people"),
                next: name("Person"),
            }),
            vec!["ALTER TABLE people RENAME TO Person"]
        );
    }

    #[test]
    fn indexes_partial_expression_descending() {
        let mut unique = index(
            "users_email_idx",
            "users",
            vec![by(IndexExpr::Column("email".into()))],
        );
        unique.unique = true;
        unique.predicate = Some(Expr::new("deleted_at IS NULL", SQLITE));
        assert_eq!(
            lite(Step::CreateIndex(unique.clone())),
            vec!["CREATE UNIQUE INDEX users_email_idx ON users (email) WHERE deleted_at IS NULL"]
        );
        let mut desc = by(IndexExpr::Column("created_at".into()));
        desc.descending = true;
        let mut nocase = by(IndexExpr::Expression(Expr::new("lower(name)", SQLITE)));
        nocase.collation = Some("NOCASE".into());
        let mut idx = index("recent", "order", vec![desc, nocase]);
        idx.name.schema = Some("main".into());
        assert_eq!(
            lite(Step::CreateIndex(idx)),
            vec![
                "CREATE INDEX main.recent ON \"order\" (created_at DESC, (lower(name)) COLLATE NOCASE)"
            ]
        );
        assert_eq!(
            lite(Step::DropIndex(unique)),
            vec!["DROP INDEX users_email_idx"]
        );
    }

    #[test]
    fn postgres_only_index_features_are_errors() {
        let base = index("i", "t", vec![by(IndexExpr::Column("a".into()))]);
        let mut gin = base.clone();
        gin.method = Some("gin".into());
        let mut include = base.clone();
        include.include = vec!["b".into()];
        let mut nnd = base.clone();
        nnd.nulls_not_distinct = true;
        let mut opclass = base.clone();
        opclass.columns[0].opclass = Some("text_pattern_ops".into());
        let mut nulls = base.clone();
        nulls.columns[0].nulls_first = Some(true);
        for (idx, feature) in [
            (gin, "index methods (USING)"),
            (include, "INCLUDE columns"),
            (nnd, "NULLS NOT DISTINCT"),
            (opclass, "operator classes"),
            (nulls, "NULLS FIRST/LAST in indexes"),
        ] {
            assert_eq!(
                lite_err(Step::CreateIndex(idx)),
                RenderError::UnsupportedFeature {
                    dialect: SQLITE,
                    feature,
                    object: "i".into()
                }
            );
        }
    }

    #[test]
    fn views_and_triggers() {
        let view = View {
            column_comments: Vec::new(),
            comment: None,
            options: Vec::new(),
            name: name("Active"),
            materialized: false,
            definition: Definition::source("SELECT * FROM users WHERE active = 1;"),
        };
        assert_eq!(
            lite(Step::CreateView(view.clone())),
            vec!["CREATE VIEW Active AS SELECT * FROM users WHERE active = 1"]
        );
        assert_eq!(lite(Step::DropView(view.clone())), vec!["DROP VIEW Active"]);
        let mut mat = view;
        mat.materialized = true;
        assert!(matches!(
            lite_err(Step::CreateView(mat)),
            RenderError::UnsupportedObject {
                object: "materialized views",
                ..
            }
        ));
        let trigger = OpaqueObject {
            firing: Default::default(),
            statistics_target: None,
            comment: None,
            kind: OpaqueKind::Trigger,
            name: name("touch"),
            on_table: Some(name("users")),
            definition: Definition::source(
                "CREATE TRIGGER touch AFTER UPDATE ON users BEGIN UPDATE users SET n = n + 1; END;",
            ),
            signature: None,
            references: Vec::new(),
            head: None,
            text_search: None,
        };
        assert_eq!(
            lite(Step::CreateOpaque(trigger.clone())),
            vec![
                "CREATE TRIGGER touch AFTER UPDATE ON users BEGIN UPDATE users SET n = n + 1; END"
            ]
        );
        assert_eq!(
            lite(Step::DropOpaque(trigger.clone())),
            vec!["DROP TRIGGER touch"]
        );
        let mut function = trigger;
        function.kind = OpaqueKind::Function;
        for step in [
            Step::CreateOpaque(function.clone()),
            Step::DropOpaque(function),
        ] {
            assert!(matches!(
                lite_err(step),
                RenderError::UnsupportedObject {
                    object: "functions",
                    ..
                }
            ));
        }
    }

    #[test]
    fn comments_render_nothing() {
        assert!(
            lite(Step::SetTableComment {
                table: name("t"),
                comment: Some("x".into())
            })
            .is_empty()
        );
        assert!(
            lite(Step::SetColumnComment {
                table: name("t"),
                column: "c".into(),
                comment: None
            })
            .is_empty()
        );
    }

    #[test]
    fn enum_steps_are_errors() {
        let mood = Enum {
            comment: None,
            name: name("mood"),
            values: vec!["sad".into()],
        };
        let expected = RenderError::NoEnumTypes {
            dialect: SQLITE,
            name: name("mood"),
        };
        for step in [
            Step::CreateEnum(mood.clone()),
            Step::DropEnum(mood.clone()),
            Step::AddEnumValue {
                enum_name: name("mood"),
                value: "ok".into(),
                position: EnumValuePosition::End,
            },
            Step::RecreateEnum {
                previous: mood.clone(),
                next: mood,
                usages: vec![EnumUsage {
                    table: name("t"),
                    column: "m".into(),
                    default: None,
                }],
            },
        ] {
            assert_eq!(lite_err(step), expected);
        }
    }

    #[test]
    fn alter_table_changes_need_a_rebuild() {
        let t = name("users");
        let c = col("a", "TEXT");
        let pk = PrimaryKey {
            name: None,
            columns: vec!["a".into()],
            ..Default::default()
        };
        let unique = UniqueConstraint {
            index: Default::default(),
            on_conflict: None,
            name: None,
            columns: vec!["a".into()],
            nulls_not_distinct: false,
            deferrable: Deferrable::NotDeferrable,
        };
        let check = CheckConstraint {
            no_inherit: false,
            not_valid: false,
            name: None,
            expr: Expr::new("a <> ''", SQLITE),
        };
        let fk = ForeignKey {
            not_valid: false,
            name: None,
            columns: vec!["a".into()],
            referenced_table: name("other"),
            referenced_columns: vec!["id".into()],
            on_delete: ForeignKeyAction::NoAction,
            on_update: ForeignKeyAction::NoAction,
            deferrable: Deferrable::NotDeferrable,
        };
        let cases = [
            (
                Step::AlterColumn {
                    table: t.clone(),
                    previous: c.clone(),
                    next: not_null(c),
                    changes: ColumnChanges {
                        nullability: true,
                        ..ColumnChanges::default()
                    },
                },
                "alter a column",
            ),
            (
                Step::AddPrimaryKey {
                    table: t.clone(),
                    primary_key: pk.clone(),
                },
                "add a primary key",
            ),
            (
                Step::DropPrimaryKey {
                    table: t.clone(),
                    primary_key: pk,
                },
                "drop a primary key",
            ),
            (
                Step::AddUnique {
                    table: t.clone(),
                    unique: unique.clone(),
                },
                "add a unique constraint",
            ),
            (
                Step::DropUnique {
                    table: t.clone(),
                    unique,
                },
                "drop a unique constraint",
            ),
            (
                Step::AddCheck {
                    table: t.clone(),
                    check: check.clone(),
                },
                "add a check constraint",
            ),
            (
                Step::DropCheck {
                    table: t.clone(),
                    check,
                },
                "drop a check constraint",
            ),
            (
                Step::AddForeignKey {
                    table: t.clone(),
                    foreign_key: fk.clone(),
                },
                "add a foreign key",
            ),
            (
                Step::DropForeignKey {
                    table: t.clone(),
                    foreign_key: fk,
                },
                "drop a foreign key",
            ),
        ];
        for (step, change) in cases {
            assert_eq!(
                lite_err(step),
                RenderError::NeedsRebuild {
                    dialect: SQLITE,
                    table: t.clone(),
                    change
                }
            );
        }
    }

    #[test]
    fn errors_name_the_table_and_the_change() {
        let error = lite_err(Step::AddForeignKey {
            table: name("order"),
            foreign_key: ForeignKey {
                not_valid: false,
                name: None,
                columns: vec!["a".into()],
                referenced_table: name("other"),
                referenced_columns: vec!["id".into()],
                on_delete: ForeignKeyAction::NoAction,
                on_update: ForeignKeyAction::NoAction,
                deferrable: Deferrable::NotDeferrable,
            },
        });
        assert_eq!(
            error.to_string(),
            "sqlite cannot add a foreign key on the existing table `order` with ALTER TABLE: \
             the table must be rebuilt"
        );
    }

    #[test]
    fn postgres_only_objects_are_errors() {
        let cases = [
            (Step::CreateNamespace("s".into()), "schemas"),
            (Step::DropNamespace("s".into()), "schemas"),
            (
                Step::CreateExtension(Extension {
                    comment: None,
                    version: None,
                    name: "pgcrypto".into(),
                    schema: None,
                }),
                "extensions",
            ),
            (
                Step::DropExtension(Extension {
                    comment: None,
                    version: None,
                    name: "pgcrypto".into(),
                    schema: None,
                }),
                "extensions",
            ),
            (
                Step::CreateSequence(Sequence {
                    comment: None,
                    options: crate::schema::SequenceOptions::default(),
                    unlogged: false,
                    name: name("s"),
                    owned_by: None,
                }),
                "sequences",
            ),
            (
                Step::DropSequence(Sequence {
                    comment: None,
                    options: crate::schema::SequenceOptions::default(),
                    unlogged: false,
                    name: name("s"),
                    owned_by: None,
                }),
                "sequences",
            ),
            (
                Step::RenameTable {
                    previous: name("t"),
                    next: QualifiedName::with_schema(Some("aux".into()), "t"),
                },
                "moves of tables between schemas",
            ),
        ];
        for (step, object) in cases {
            match lite_err(step) {
                RenderError::UnsupportedObject {
                    dialect: SQLITE,
                    object: got,
                    ..
                } => assert_eq!(got, object),
                other => panic!("unexpected error {other:?}"),
            }
        }
    }

    #[test]
    fn postgres_only_column_and_constraint_features_are_errors() {
        let mut id = not_null(col("id", "INTEGER"));
        id.identity = Some(Identity::Always);
        assert!(matches!(
            lite_err(Step::AddColumn {
                table: name("t"),
                column: id
            }),
            RenderError::UnsupportedFeature { .. }
        ));
        let mut t = table("t", vec![col("a", "TEXT")]);
        t.uniques.push(UniqueConstraint {
            index: Default::default(),
            on_conflict: None,
            name: None,
            columns: vec!["a".into()],
            nulls_not_distinct: true,
            deferrable: Deferrable::NotDeferrable,
        });
        assert!(matches!(
            lite_err(Step::CreateTable(t.clone())),
            RenderError::UnsupportedFeature {
                feature: "UNIQUE NULLS NOT DISTINCT",
                ..
            }
        ));
        t.uniques[0].nulls_not_distinct = false;
        t.uniques[0].deferrable = Deferrable::InitiallyDeferred;
        assert!(matches!(
            lite_err(Step::CreateTable(t)),
            RenderError::UnsupportedFeature {
                feature: "deferrable unique constraints",
                ..
            }
        ));
    }
}
