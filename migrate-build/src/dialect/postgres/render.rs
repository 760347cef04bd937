//! PostgreSQL renderer: every step is an ALTER/CREATE/DROP in place.

use super::PostgresRules;
use crate::dialect::quote::{ident, qualified, string};
use crate::dialect::render::{
    RenderError, RenderedStep, alter_table, check_clause, column_list, constraint_prefix,
    deferrable_suffix, foreign_key_clause, index_column, statement_text,
};
use crate::dialect::{Dialect, DialectRules};
use crate::plan::{ColumnChanges, CommentTarget, EnumUsage, EnumValuePosition, PlannedStep, Step};
use crate::schema::{
    Column, ColumnStorage, ColumnType, Enum, ExclusionConstraint, Expr, Firing, Identity, Index,
    IndexExpr, KeyIndex, OpaqueKind, OpaqueObject, Policy, PolicyCommand, PrimaryKey,
    QualifiedName, ReplicaIdentity, Sequence, SequenceOptions, StorageParam, Table, TableOptions,
    UniqueConstraint, View,
};

const PG: Dialect = Dialect::Postgres;

/// PostgreSQL truncates identifiers longer than this many bytes.
const MAX_IDENTIFIER_BYTES: usize = 63;

/// `implicit` lists the sequences the plan leaves to `serial` columns
/// ([`crate::plan::Plan::implicit_sequences`]).
pub(crate) fn render_step(
    planned: &PlannedStep,
    implicit: &[QualifiedName],
) -> Result<RenderedStep, RenderError> {
    Ok(RenderedStep {
        statements: statements(&planned.step, implicit)?,
        destructive: planned.destructive.clone(),
    })
}

fn statements(step: &Step, implicit: &[QualifiedName]) -> Result<Vec<String>, RenderError> {
    let one = |sql: String| Ok(vec![sql]);
    match step {
        Step::CreateNamespace(name) => one(format!("CREATE SCHEMA {}", ident(name, PG))),
        Step::DropNamespace(name) => one(format!("DROP SCHEMA {}", ident(name, PG))),
        Step::CreateExtension(ext) => {
            let mut sql = format!("CREATE EXTENSION IF NOT EXISTS {}", ident(&ext.name, PG));
            if let Some(schema) = &ext.schema {
                sql.push_str(&format!(" SCHEMA {}", ident(schema, PG)));
            }
            if let Some(version) = &ext.version {
                sql.push_str(&format!(" VERSION {}", string(version)));
            }
            one(sql)
        }
        Step::UpdateExtension(ext) => one(match &ext.version {
            Some(version) => format!(
                "ALTER EXTENSION {} UPDATE TO {}",
                ident(&ext.name, PG),
                string(version)
            ),
            None => format!("ALTER EXTENSION {} UPDATE", ident(&ext.name, PG)),
        }),
        Step::DropExtension(ext) => one(format!("DROP EXTENSION {}", ident(&ext.name, PG))),
        Step::ReinstallExtension(ext) => {
            let mut create = format!("CREATE EXTENSION {}", ident(&ext.name, PG));
            if let Some(schema) = &ext.schema {
                create.push_str(&format!(" SCHEMA {}", ident(schema, PG)));
            }
            if let Some(version) = &ext.version {
                create.push_str(&format!(" VERSION {}", string(version)));
            }
            Ok(vec![
                format!("DROP EXTENSION {}", ident(&ext.name, PG)),
                create,
            ])
        }

        Step::CreateEnum(e) => one(create_enum(&e.name, e)),
        Step::DropEnum(e) => one(format!("DROP TYPE {}", qualified(&e.name, PG))),
        Step::AddEnumValue {
            enum_name,
            value,
            position,
        } => {
            let mut sql = format!(
                "ALTER TYPE {} ADD VALUE {}",
                qualified(enum_name, PG),
                string(value)
            );
            match position {
                EnumValuePosition::End => {}
                EnumValuePosition::Before(other) => {
                    sql.push_str(&format!(" BEFORE {}", string(other)))
                }
                EnumValuePosition::After(other) => {
                    sql.push_str(&format!(" AFTER {}", string(other)))
                }
            }
            one(sql)
        }
        Step::RecreateEnum {
            previous,
            next,
            usages,
        } => Ok(recreate_enum(previous, next, usages)),

        Step::CreateSequence(seq) => {
            let mut sql = format!(
                "CREATE {}SEQUENCE {}",
                if seq.unlogged { "UNLOGGED " } else { "" },
                qualified(&seq.name, PG)
            );
            sql.push_str(&written_options(&seq.options, true));
            if let Some((table, column)) = &seq.owned_by {
                sql.push_str(&format!(
                    " OWNED BY {}.{}",
                    qualified(table, PG),
                    ident(column, PG)
                ));
            }
            one(sql)
        }
        Step::DropSequence(seq) => one(format!("DROP SEQUENCE {}", qualified(&seq.name, PG))),
        Step::SetSequenceOwner {
            sequence,
            owned_by: (table, column),
        } => one(format!(
            "ALTER SEQUENCE {} OWNED BY {}.{}",
            qualified(sequence, PG),
            qualified(table, PG),
            ident(column, PG)
        )),

        Step::AlterSequence { previous, next } => Ok(alter_sequence(previous, next)),
        Step::AlterTableOptions {
            table,
            previous,
            next,
        } => Ok(alter_table_options(table, previous, next)),
        Step::AlterIndexStorage {
            index,
            previous,
            next,
        } => Ok(alter_storage(
            &format!("ALTER INDEX {}", qualified(index, PG)),
            previous,
            next,
        )),
        Step::AlterIndexStatistics {
            index,
            previous,
            next,
        } => Ok(previous
            .iter()
            .zip(next)
            .enumerate()
            .filter(|(_, (old, new))| old != new)
            .map(|(i, (_, new))| index_statistics(index, i, *new))
            .collect()),
        Step::AlterViewOptions {
            view,
            materialized,
            previous,
            next,
        } => Ok(alter_storage(
            &format!(
                "ALTER {}VIEW {}",
                if *materialized { "MATERIALIZED " } else { "" },
                qualified(view, PG)
            ),
            previous,
            next,
        )),
        Step::SetComment { target, comment } => one(format!(
            "COMMENT ON {} IS {}",
            comment_target(target)?,
            comment_literal(comment.as_deref())
        )),
        Step::CreatePolicy(p) => one(create_policy(p)),
        Step::DropPolicy(p) => one(format!(
            "DROP POLICY {} ON {}",
            ident(&p.name, PG),
            qualified(&p.table, PG)
        )),
        Step::AlterPolicy { previous, next } => one(alter_policy(previous, next)),
        Step::AddPublicationMember(m) => one(publication_member(m, "ADD")),
        Step::AlterPublication { next, .. } => {
            let options =
                crate::ddl::publication_options(next.definition.sql()).ok_or_else(|| {
                    RenderError::UnsupportedFeature {
                        dialect: PG,
                        feature: "a publication whose CREATE cannot be read",
                        object: next.name.to_string(),
                    }
                })?;
            one(format!(
                "ALTER PUBLICATION {} SET ({})",
                ident(&next.name.name, PG),
                options.set_list()
            ))
        }
        Step::DropPublicationMember(m) => one(publication_member(m, "DROP")),
        Step::ValidateConstraint { table, name } => one(format!(
            "{} VALIDATE CONSTRAINT {}",
            alter_table(table, PG),
            ident(name, PG)
        )),
        Step::CreateTable(table) => create_table(table, implicit),
        Step::AttachPartition { table, partition } => one(format!(
            "ALTER TABLE {} ATTACH PARTITION {} {}",
            qualified(&partition.parent, PG),
            qualified(table, PG),
            partition.bound
        )),
        Step::DetachPartition { table, partition } => one(format!(
            "ALTER TABLE {} DETACH PARTITION {}",
            qualified(&partition.parent, PG),
            qualified(table, PG)
        )),
        Step::ChangePartitioning { table } => Err(RenderError::UnsupportedFeature {
            dialect: PG,
            feature: "changing how an existing table is partitioned (create a new table and copy the rows)",
            object: table.to_string(),
        }),
        Step::AddInherit { table, parent } => one(format!(
            "ALTER TABLE {} INHERIT {}",
            qualified(table, PG),
            qualified(parent, PG)
        )),
        Step::DropInherit { table, parent } => one(format!(
            "ALTER TABLE {} NO INHERIT {}",
            qualified(table, PG),
            qualified(parent, PG)
        )),
        Step::DropTable(table) => one(format!("DROP TABLE {}", qualified(&table.name, PG))),
        Step::CreateVirtualTable(v) | Step::DropVirtualTable(v) => {
            Err(RenderError::UnsupportedObject {
                dialect: PG,
                object: "virtual tables",
                name: v.name.to_string(),
            })
        }
        Step::RebuildTable { next, .. } => Err(RenderError::RebuildUnsupported {
            dialect: PG,
            table: next.name.clone(),
        }),
        Step::RenameTable { previous, next } => Ok(rename_table(previous, next)),
        Step::Rename(rename) => one(rename_object(rename)),

        Step::AddColumn { table, column } => {
            // The differ follows with a SetColumnComment step for a comment.
            let mut out = vec![format!(
                "{} ADD COLUMN {}",
                alter_table(table, PG),
                column_definition(table, column, implicit)?
            )];
            out.extend(column_statistics(table, std::slice::from_ref(column)));
            Ok(out)
        }
        Step::DropColumn {
            table,
            column,
            children_keep,
        } => one(format!(
            "{} DROP COLUMN {}",
            if *children_keep {
                format!("ALTER TABLE ONLY {}", qualified(table, PG))
            } else {
                alter_table(table, PG)
            },
            ident(&column.name, PG)
        )),
        Step::AlterColumn {
            table,
            previous,
            next,
            changes,
        } => alter_column(table, previous, next, *changes),

        Step::AddPrimaryKey { table, primary_key } => one(format!(
            "{} ADD {}",
            alter_table(table, PG),
            primary_key_clause(primary_key)
        )),
        Step::DropPrimaryKey { table, primary_key } => {
            let name = match &primary_key.name {
                Some(name) => name.clone(),
                None => default_constraint_name(table, &[], "pkey", "primary key")?,
            };
            one(drop_constraint(table, &name))
        }
        Step::AddUnique { table, unique } => one(format!(
            "{} ADD {}",
            alter_table(table, PG),
            unique_clause(unique)
        )),
        Step::DropUnique { table, unique } => {
            let name = match &unique.name {
                Some(name) => name.clone(),
                None => default_constraint_name(table, &unique.columns, "key", "unique")?,
            };
            one(drop_constraint(table, &name))
        }
        Step::AddCheck { table, check } => one(format!(
            "{} ADD {}",
            alter_table(table, PG),
            check_clause(check, PG)
        )),
        Step::DropCheck { table, check } => match &check.name {
            Some(name) => one(drop_constraint(table, name)),
            // PostgreSQL names an unnamed check after the first column the
            // expression mentions, which only a parse of the expression knows.
            None => Err(RenderError::UnnamedConstraint {
                table: table.clone(),
                kind: "check",
            }),
        },
        Step::AddExclusion { table, exclusion } => one(format!(
            "{} ADD {}",
            alter_table(table, PG),
            exclusion_clause(exclusion)
        )),
        Step::DropExclusion { table, exclusion } => match &exclusion.name {
            Some(name) => one(drop_constraint(table, name)),
            None => Err(RenderError::UnnamedConstraint {
                table: table.clone(),
                kind: "exclusion",
            }),
        },
        Step::AddForeignKey { table, foreign_key } => one(format!(
            "{} ADD {}",
            alter_table(table, PG),
            foreign_key_clause(foreign_key, PG)
        )),
        Step::DropForeignKey { table, foreign_key } => {
            let name = match &foreign_key.name {
                Some(name) => name.clone(),
                None => {
                    default_constraint_name(table, &foreign_key.columns, "fkey", "foreign key")?
                }
            };
            one(drop_constraint(table, &name))
        }

        Step::CreateIndex(index) => Ok(create_partitioned_index(index)),
        Step::DropIndex(index) => one(format!("DROP INDEX {}", qualified(&index.name, PG))),

        Step::CreateView(view) => one(format!(
            "CREATE {}VIEW {}{} AS {}",
            materialized(view),
            qualified(&view.name, PG),
            with_storage(&view.options),
            statement_text(view.definition.sql())
        )),
        Step::DropView(view) => one(format!(
            "DROP {}VIEW {}",
            materialized(view),
            qualified(&view.name, PG)
        )),

        Step::SetTableComment { table, comment } => one(table_comment(table, comment.as_deref())),
        Step::SetColumnComment {
            table,
            column,
            comment,
        } => one(column_comment(table, column, comment.as_deref())),

        Step::CreateOpaque(object) => {
            let mut out = match &object.text_search {
                Some(ts) => super::text_search::create(&object.name, ts),
                None => vec![statement_text(object.definition.sql())],
            };
            out.extend(opaque_state(object, None)?);
            Ok(out)
        }
        Step::AlterTextSearch { previous, next } => {
            match (&previous.text_search, &next.text_search) {
                (Some(a), Some(b)) => Ok(super::text_search::alter(&next.name, a, b)),
                _ => Ok(Vec::new()),
            }
        }
        Step::AlterOpaqueState { previous, next } => opaque_state(next, Some(previous)),
        Step::DropOpaque(object) => one(drop_opaque(object)?),
    }
}

fn create_enum(name: &QualifiedName, e: &Enum) -> String {
    let values: Vec<String> = e.values.iter().map(|v| string(v)).collect();
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        qualified(name, PG),
        values.join(", ")
    )
}

/// PostgreSQL cannot drop or reorder enum values: rename the old type away,
/// create the new one, convert every column through text, drop the old type.
fn recreate_enum(previous: &Enum, next: &Enum, usages: &[EnumUsage]) -> Vec<String> {
    let old = QualifiedName::with_schema(
        previous.name.schema.clone(),
        format!("{}_old", previous.name.name),
    );
    let new_type = qualified(&next.name, PG);
    let mut out = vec![
        format!(
            "ALTER TYPE {} RENAME TO {}",
            qualified(&previous.name, PG),
            ident(&old.name, PG)
        ),
        create_enum(&next.name, next),
    ];
    for usage in usages {
        let column = ident(&usage.column, PG);
        let mut actions = Vec::new();
        // A default of the old type blocks the conversion: drop it first and
        // set it again once the column has the new type. `usage.default` is
        // the default the column ends with; the one it has now may differ
        // (a default dropped by the same plan), so it is always dropped.
        actions.push("DROP DEFAULT".to_string());
        actions.push(format!("TYPE {new_type} USING {column}::text::{new_type}"));
        if let Some(default) = &usage.default {
            actions.push(format!("SET DEFAULT {}", default.sql));
        }
        out.push(alter_column_statement(&usage.table, &column, &actions));
    }
    out.push(format!("DROP TYPE {}", qualified(&old, PG)));
    out
}

fn rename_object(rename: &crate::plan::Rename) -> String {
    use crate::plan::Rename;
    match rename {
        Rename::Column { table, from, to } => format!(
            "{} RENAME COLUMN {} TO {}",
            alter_table(table, PG),
            ident(from, PG),
            ident(to, PG)
        ),
        Rename::Constraint { table, from, to } => format!(
            "{} RENAME CONSTRAINT {} TO {}",
            alter_table(table, PG),
            ident(from, PG),
            ident(to, PG)
        ),
        Rename::Index { from, to } => {
            format!(
                "ALTER INDEX {} RENAME TO {}",
                qualified(from, PG),
                ident(to, PG)
            )
        }
        Rename::View {
            from,
            to,
            materialized,
        } => format!(
            "ALTER {}VIEW {} RENAME TO {}",
            if *materialized { "MATERIALIZED " } else { "" },
            qualified(from, PG),
            ident(to, PG)
        ),
        Rename::Sequence { from, to } => format!(
            "ALTER SEQUENCE {} RENAME TO {}",
            qualified(from, PG),
            ident(to, PG)
        ),
        Rename::Enum { from, to } => {
            format!(
                "ALTER TYPE {} RENAME TO {}",
                qualified(from, PG),
                ident(to, PG)
            )
        }
        Rename::EnumValue {
            enum_name,
            from,
            to,
        } => format!(
            "ALTER TYPE {} RENAME VALUE {} TO {}",
            qualified(enum_name, PG),
            string(from),
            string(to)
        ),
    }
}

fn rename_table(previous: &QualifiedName, next: &QualifiedName) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = previous.clone();
    if previous.schema != next.schema {
        let schema = next.schema.as_deref().unwrap_or("public");
        out.push(format!(
            "{} SET SCHEMA {}",
            alter_table(previous, PG),
            ident(schema, PG)
        ));
        current.schema = next.schema.clone();
    }
    if previous.name != next.name {
        out.push(format!(
            "{} RENAME TO {}",
            alter_table(&current, PG),
            ident(&next.name, PG)
        ));
    }
    out
}

fn create_table(table: &Table, implicit: &[QualifiedName]) -> Result<Vec<String>, RenderError> {
    if table.without_rowid || table.strict {
        return Err(RenderError::UnsupportedFeature {
            dialect: PG,
            feature: "WITHOUT ROWID and STRICT tables",
            object: table.name.to_string(),
        });
    }
    let conflict_clause = table.primary_key.iter().any(|k| k.on_conflict.is_some())
        || table.uniques.iter().any(|u| u.on_conflict.is_some());
    if conflict_clause {
        return Err(RenderError::UnsupportedFeature {
            dialect: PG,
            feature: "SQLite's ON CONFLICT clause on a key",
            object: table.name.to_string(),
        });
    }
    let mut lines = Vec::new();
    // Columns only inherited come with INHERITS.
    for column in table.columns.iter().filter(|c| !c.inherited) {
        lines.push(column_definition(&table.name, column, implicit)?);
    }
    if let Some(pk) = &table.primary_key {
        lines.push(primary_key_clause(pk));
    }
    lines.extend(table.uniques.iter().map(unique_clause));
    lines.extend(table.checks.iter().map(|c| check_clause(c, PG)));
    lines.extend(table.exclusions.iter().map(exclusion_clause));
    // Foreign keys are separate AddForeignKey steps, run once every table
    // of the plan exists (cycles, forward references).
    // Comments are not part of the table: the differ follows with
    // SetTableComment/SetColumnComment steps (see `Step::CreateTable`).
    // Row security and replica identity follow as an AlterTableOptions step.
    let mut sql = format!(
        "CREATE {}TABLE {} (\n    {}\n)",
        if table.options.unlogged {
            "UNLOGGED "
        } else {
            ""
        },
        qualified(&table.name, PG),
        lines.join(",\n    ")
    );
    if !table.inherits.is_empty() {
        let parents: Vec<String> = table.inherits.iter().map(|p| qualified(p, PG)).collect();
        sql.push_str(&format!("\nINHERITS ({})", parents.join(", ")));
    }
    if let Some(by) = &table.partition_by {
        let key: Vec<String> = by.key.iter().map(partition_key_sql).collect();
        sql.push_str(&format!(
            "\nPARTITION BY {} ({})",
            by.strategy.as_sql(),
            key.join(", ")
        ));
    }
    sql.push_str(&with_storage(&table.options.storage));
    // A partition is created as a table of its own, then attached by the
    // `AttachPartition` step that follows (as pg_dump does).
    let mut out = vec![sql];
    out.extend(column_statistics(&table.name, &table.columns));
    Ok(out)
}

/// A key column by name, an expression in parentheses (the server's
/// grammar takes any expression so).
fn partition_key_sql(key: &IndexExpr) -> String {
    match key {
        IndexExpr::Column(c) => ident(c, PG),
        IndexExpr::Expression(e) => format!("({})", e.sql),
    }
}

fn policy_roles(p: &Policy) -> String {
    if p.roles.is_empty() {
        "PUBLIC".into()
    } else {
        p.roles
            .iter()
            .map(|r| ident(r, PG))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `ALTER PUBLICATION p ADD TABLE ONLY t (a, b) WHERE (…)`, as pg_dump
/// prints a member: `ONLY`, since the model holds each table of an
/// inheritance tree as its own member. `DROP` takes no list or filter.
fn publication_member(m: &crate::schema::PublicationMember, verb: &str) -> String {
    use crate::schema::PublicationTarget;
    let what = match &m.target {
        PublicationTarget::Table {
            table,
            columns,
            row_filter,
        } => {
            let mut sql = format!("TABLE ONLY {}", qualified(table, PG));
            if verb == "ADD" {
                if let Some(columns) = columns {
                    let list: Vec<String> = columns.iter().map(|c| ident(c, PG)).collect();
                    sql.push_str(&format!(" ({})", list.join(", ")));
                }
                if let Some(filter) = row_filter {
                    sql.push_str(&format!(" WHERE ({})", filter.sql));
                }
            }
            sql
        }
        PublicationTarget::Schema(s) => format!(
            "TABLES IN SCHEMA {}",
            ident(s.as_deref().unwrap_or("public"), PG)
        ),
    };
    format!(
        "ALTER PUBLICATION {} {verb} {what}",
        ident(&m.publication, PG)
    )
}

fn create_policy(p: &Policy) -> String {
    let mut sql = format!(
        "CREATE POLICY {} ON {}",
        ident(&p.name, PG),
        qualified(&p.table, PG)
    );
    if !p.permissive {
        sql.push_str(" AS RESTRICTIVE");
    }
    if p.command != PolicyCommand::All {
        sql.push_str(&format!(" FOR {}", p.command.as_sql()));
    }
    if !p.roles.is_empty() {
        sql.push_str(&format!(" TO {}", policy_roles(p)));
    }
    if let Some(using) = &p.using {
        sql.push_str(&format!(
            " USING {}",
            crate::dialect::render::parenthesized(&using.sql)
        ));
    }
    if let Some(check) = &p.with_check {
        sql.push_str(&format!(
            " WITH CHECK {}",
            crate::dialect::render::parenthesized(&check.sql)
        ));
    }
    sql
}

fn alter_policy(previous: &Policy, next: &Policy) -> String {
    let mut sql = format!(
        "ALTER POLICY {} ON {}",
        ident(&next.name, PG),
        qualified(&next.table, PG)
    );
    if previous.roles != next.roles {
        sql.push_str(&format!(" TO {}", policy_roles(next)));
    }
    if let Some(using) = next
        .using
        .as_ref()
        .filter(|u| previous.using.as_ref() != Some(*u))
    {
        sql.push_str(&format!(
            " USING {}",
            crate::dialect::render::parenthesized(&using.sql)
        ));
    }
    if let Some(check) = next
        .with_check
        .as_ref()
        .filter(|c| previous.with_check.as_ref() != Some(*c))
    {
        sql.push_str(&format!(
            " WITH CHECK {}",
            crate::dialect::render::parenthesized(&check.sql)
        ));
    }
    sql
}

/// ` WITH (a=1, b=x)`, or nothing for no parameters.
fn with_storage(params: &[StorageParam]) -> String {
    if params.is_empty() {
        String::new()
    } else {
        format!(" WITH {}", storage_list(params))
    }
}

/// `(a=1, b=x)`: names are plain words, values go quoted unless they are
/// a number or a word (the server keeps the text either way).
fn storage_list(params: &[StorageParam]) -> String {
    let items: Vec<String> = params
        .iter()
        .map(|p| format!("{}={}", p.name, storage_value(&p.value)))
        .collect();
    format!("({})", items.join(", "))
}

fn storage_value(value: &str) -> String {
    let plain = !value.is_empty()
        && (value.parse::<f64>().is_ok()
            || value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && value.starts_with(|c: char| c.is_ascii_lowercase()));
    if plain {
        value.to_string()
    } else {
        string(value)
    }
}

/// `ALTER … SET (…)` for added or changed parameters, `ALTER … RESET (…)`
/// for removed ones.
fn alter_storage(head: &str, previous: &[StorageParam], next: &[StorageParam]) -> Vec<String> {
    let mut out = Vec::new();
    let removed: Vec<&str> = previous
        .iter()
        .filter(|p| !next.iter().any(|n| n.name == p.name))
        .map(|p| p.name.as_str())
        .collect();
    if !removed.is_empty() {
        out.push(format!("{head} RESET ({})", removed.join(", ")));
    }
    let set: Vec<StorageParam> = next
        .iter()
        .filter(|n| !previous.contains(n))
        .cloned()
        .collect();
    if !set.is_empty() {
        out.push(format!("{head} SET {}", storage_list(&set)));
    }
    out
}

fn alter_table_options(
    table: &QualifiedName,
    previous: &TableOptions,
    next: &TableOptions,
) -> Vec<String> {
    let mut actions = Vec::new();
    if previous.unlogged != next.unlogged {
        actions.push(
            if next.unlogged {
                "SET UNLOGGED"
            } else {
                "SET LOGGED"
            }
            .to_string(),
        );
    }
    let head = alter_table(table, PG);
    let storage = alter_storage("", &previous.storage, &next.storage);
    actions.extend(storage.into_iter().map(|s| s.trim().to_string()));
    if previous.row_security != next.row_security {
        actions.push(
            if next.row_security {
                "ENABLE ROW LEVEL SECURITY"
            } else {
                "DISABLE ROW LEVEL SECURITY"
            }
            .into(),
        );
    }
    if previous.force_row_security != next.force_row_security {
        actions.push(
            if next.force_row_security {
                "FORCE ROW LEVEL SECURITY"
            } else {
                "NO FORCE ROW LEVEL SECURITY"
            }
            .into(),
        );
    }
    if previous.replica_identity != next.replica_identity {
        actions.push(match &next.replica_identity {
            ReplicaIdentity::Default => "REPLICA IDENTITY DEFAULT".into(),
            ReplicaIdentity::Full => "REPLICA IDENTITY FULL".into(),
            ReplicaIdentity::Nothing => "REPLICA IDENTITY NOTHING".into(),
            ReplicaIdentity::Index(i) => format!("REPLICA IDENTITY USING INDEX {}", ident(i, PG)),
        });
    }
    if previous.cluster_on != next.cluster_on {
        actions.push(match &next.cluster_on {
            Some(i) => format!("CLUSTER ON {}", ident(i, PG)),
            None => "SET WITHOUT CLUSTER".into(),
        });
    }
    match actions.as_slice() {
        [] => Vec::new(),
        [one] => vec![format!("{head} {one}")],
        many => vec![format!("{head}\n    {}", many.join(",\n    "))],
    }
}

/// `SET INCREMENT BY 5`, `SET START WITH 10`… for an identity column: one
/// `SET` per option that changed.
fn identity_actions(previous: &SequenceOptions, next: &SequenceOptions) -> Vec<String> {
    let mut out = Vec::new();
    if next.increment != previous.increment {
        out.push(format!("SET INCREMENT BY {}", next.increment));
    }
    if next.min != previous.min {
        out.push(format!("SET MINVALUE {}", next.min));
    }
    if next.max != previous.max {
        out.push(format!("SET MAXVALUE {}", next.max));
    }
    if next.start != previous.start {
        out.push(format!("SET START WITH {}", next.start));
    }
    if next.cache != previous.cache {
        out.push(format!("SET CACHE {}", next.cache));
    }
    if next.cycle != previous.cycle {
        out.push(
            if next.cycle {
                "SET CYCLE"
            } else {
                "SET NO CYCLE"
            }
            .into(),
        );
    }
    if previous.narrows_to(next) {
        out.push("RESTART".into());
    }
    // One `ALTER COLUMN` for all of them: each subcommand is checked on its
    // own, so `SET MINVALUE -100` alone fails while START is still -200.
    if out.is_empty() {
        return out;
    }
    vec![out.join(" ")]
}

/// What a column has besides its definition, as pg_dump writes it after
/// `CREATE TABLE`: `SET STATISTICS n`, `SET STORAGE`, `SET COMPRESSION`,
/// `SET (…)`.
fn column_statistics(table: &QualifiedName, columns: &[Column]) -> Vec<String> {
    columns
        .iter()
        .filter_map(|c| {
            let mut actions = Vec::new();
            if let Some(n) = c.statistics {
                actions.push(format!("SET STATISTICS {n}"));
            }
            if let Some(storage) = c.storage {
                actions.push(format!("SET STORAGE {}", storage.as_sql()));
            }
            if let Some(method) = &c.compression {
                actions.push(format!("SET COMPRESSION {method}"));
            }
            if !c.attribute_options.is_empty() {
                actions.push(format!("SET {}", storage_list(&c.attribute_options)));
            }
            (!actions.is_empty())
                .then(|| alter_column_statement(table, &ident(&c.name, PG), &actions))
        })
        .collect()
}

/// The options of `next` that differ from `base`, as `CREATE SEQUENCE`
/// (and an identity's `( … )`) write them: ` AS integer INCREMENT BY 2 …`.
fn sequence_clauses(base: &SequenceOptions, next: &SequenceOptions) -> String {
    let mut sql = String::new();
    if next.data_type != base.data_type {
        sql.push_str(&format!(" AS {}", next.data_type));
    }
    if next.increment != base.increment {
        sql.push_str(&format!(" INCREMENT BY {}", next.increment));
    }
    // A bound that moves with the type is written whenever the type changes.
    let type_changed = next.data_type != base.data_type;
    if next.min != base.min || type_changed {
        sql.push_str(&format!(" MINVALUE {}", next.min));
    }
    if next.max != base.max || type_changed {
        sql.push_str(&format!(" MAXVALUE {}", next.max));
    }
    if next.start != base.start {
        sql.push_str(&format!(" START WITH {}", next.start));
    }
    if next.cache != base.cache {
        sql.push_str(&format!(" CACHE {}", next.cache));
    }
    if next.cycle != base.cycle {
        sql.push_str(if next.cycle { " CYCLE" } else { " NO CYCLE" });
    }
    sql
}

fn alter_sequence(previous: &Sequence, next: &Sequence) -> Vec<String> {
    let name = qualified(&next.name, PG);
    let mut out = Vec::new();
    let mut clauses = sequence_clauses(&previous.options, &next.options);
    if previous.options.narrows_to(&next.options) {
        clauses.push_str(" RESTART");
    }
    if previous.owned_by != next.owned_by {
        clauses.push_str(&match &next.owned_by {
            Some((table, column)) => {
                format!(" OWNED BY {}.{}", qualified(table, PG), ident(column, PG))
            }
            None => " OWNED BY NONE".to_string(),
        });
    }
    if !clauses.is_empty() {
        out.push(format!("ALTER SEQUENCE {name}{clauses}"));
    }
    if previous.unlogged != next.unlogged {
        out.push(format!(
            "ALTER SEQUENCE {name} SET {}",
            if next.unlogged { "UNLOGGED" } else { "LOGGED" }
        ));
    }
    out
}

/// The options that are not the server's defaults for their type and
/// direction, as `CREATE SEQUENCE` writes them; `AS` only when `with_type`
/// (an identity's sequence has its column's type).
fn written_options(options: &SequenceOptions, with_type: bool) -> String {
    let base = SequenceOptions::defaults(&options.data_type, options.increment);
    let mut clauses = sequence_clauses(&base, options);
    if options.increment != 1 {
        clauses = format!(" INCREMENT BY {}{clauses}", options.increment);
    }
    if with_type && options.data_type != "bigint" {
        clauses = format!(" AS {}{clauses}", options.data_type);
    }
    clauses
}

/// ` (START WITH 10 …)` after `AS IDENTITY` for options that are not the
/// defaults of the column's type.
fn identity_clauses(column: &Column) -> String {
    let Some(options) = &column.identity_options else {
        return String::new();
    };
    let clauses = written_options(options, false);
    if clauses.is_empty() {
        String::new()
    } else {
        format!(" ({})", clauses.trim())
    }
}

fn column_definition(
    table: &QualifiedName,
    column: &Column,
    implicit: &[QualifiedName],
) -> Result<String, RenderError> {
    let object = || format!("{table}.{}", column.name);
    if column.autoincrement {
        return Err(RenderError::UnsupportedFeature {
            dialect: PG,
            feature: "AUTOINCREMENT (use an identity column)",
            object: object(),
        });
    }
    // Only a sequence the plan leaves to `serial` may be made by it.
    let serial = serial_type(table, column).filter(|_| {
        serial_sequence(table, column).is_some_and(|s| implicit.iter().any(|i| i.same_as(&s, PG)))
    });
    let mut sql = format!(
        "{} {}",
        ident(&column.name, PG),
        serial.map_or_else(|| type_sql(&column.ty), str::to_string)
    );
    if let Some(collation) = &column.collation {
        sql.push_str(&format!(" COLLATE {}", ident(collation, PG)));
    }
    if let Some(identity) = column.identity {
        sql.push_str(&format!(
            " GENERATED {} AS IDENTITY{}",
            identity_kind(identity),
            identity_clauses(column)
        ));
    }
    if let Some(generated) = &column.generated {
        if !generated.stored {
            return Err(RenderError::UnsupportedFeature {
                dialect: PG,
                feature: "virtual generated columns",
                object: object(),
            });
        }
        sql.push_str(&format!(
            " GENERATED ALWAYS AS {} STORED",
            crate::dialect::render::parenthesized(&generated.expr.sql)
        ));
    }
    if !column.nullable {
        sql.push_str(" NOT NULL");
    }
    if let (None, Some(default)) = (serial, &column.default) {
        sql.push_str(&format!(" DEFAULT {}", default.sql));
    }
    Ok(sql)
}

/// The serial pseudo-type standing for `column`, when its default is the
/// `nextval` of the sequence a serial column of that name would own. The
/// differ relies on this: it emits no `CreateSequence` for a sequence owned by
/// a column it creates, so the column must create it.
pub(super) fn serial_type(table: &QualifiedName, column: &Column) -> Option<&'static str> {
    let serial = match (column.ty.name.as_str(), column.ty.user_defined) {
        ("smallint", false) => "SMALLSERIAL",
        ("integer", false) => "SERIAL",
        ("bigint", false) => "BIGSERIAL",
        _ => return None,
    };
    if !column.ty.modifiers.is_empty() || column.ty.array_dims != 0 || column.identity.is_some() {
        return None;
    }
    serial_sequence(table, column).map(|_| serial)
}

/// The sequence a serial column `table.column` owns, when the column's
/// default is its `nextval`.
pub(super) fn serial_sequence(table: &QualifiedName, column: &Column) -> Option<QualifiedName> {
    let default = column.default.as_ref()?;
    let sequence = QualifiedName::with_schema(
        table.schema.clone(),
        format!("{}_{}_seq", table.name, column.name),
    );
    let literal = string(&qualified(&sequence, PG));
    // Compared through the expression key, so the spelling of the source
    // (case, spacing, with or without the regclass cast) does not matter.
    let matches = [
        format!("nextval({literal}::regclass)"),
        format!("nextval({literal})"),
    ]
    .into_iter()
    .any(|candidate| Expr::new(candidate, PG).key == default.key);
    matches.then_some(sequence)
}

/// The SQL of a column type. User-defined types are names and are quoted like
/// names (`"Mood"`); builtin types print in their canonical spelling.
fn type_sql(ty: &ColumnType) -> String {
    if !ty.user_defined || ty.name.contains('"') {
        return ty.to_string();
    }
    let mut quoted = ty.clone();
    quoted.name = match ty.name.split_once('.') {
        Some((schema, name)) => format!("{}.{}", ident(schema, PG), ident(name, PG)),
        None => ident(&ty.name, PG),
    };
    quoted.to_string()
}

fn identity_kind(identity: Identity) -> &'static str {
    match identity {
        Identity::Always => "ALWAYS",
        Identity::ByDefault => "BY DEFAULT",
    }
}

/// One `ALTER TABLE` with an `ALTER COLUMN` action per change, written in the
/// order PostgreSQL runs them anyway (drops, type, constraints, defaults), so
/// the text reads as it executes.
fn alter_column(
    table: &QualifiedName,
    previous: &Column,
    next: &Column,
    changes: ColumnChanges,
) -> Result<Vec<String>, RenderError> {
    let column = ident(&next.name, PG);
    let mut actions: Vec<String> = Vec::new();

    if changes.generated {
        match (&previous.generated, &next.generated) {
            (Some(_), None) => actions.push("DROP EXPRESSION".into()),
            (None, None) => {}
            (None, Some(_)) => {
                return Err(RenderError::CannotAlterGenerated {
                    table: table.clone(),
                    column: next.name.clone(),
                    change: "add",
                });
            }
            (Some(_), Some(_)) => {
                return Err(RenderError::CannotAlterGenerated {
                    table: table.clone(),
                    column: next.name.clone(),
                    change: "change",
                });
            }
        }
    }
    let (drop_identity, add_identity, set_identity) = if changes.identity {
        match (previous.identity, next.identity) {
            (Some(_), None) => (true, None, None),
            (None, Some(kind)) => (false, Some(kind), None),
            (Some(a), Some(b)) if a != b => (false, None, Some(b)),
            (Some(_), Some(_)) | (None, None) => (false, None, None),
        }
    } else {
        (false, None, None)
    };
    if drop_identity {
        actions.push("DROP IDENTITY".into());
    }

    // A default of the old type may not convert to the new one, and an
    // identity cannot be added to a column with a default: drop it and set
    // the next one (if any) afterwards.
    let reset_default = previous.default.is_some() && (changes.ty || add_identity.is_some());
    let drop_default = previous.default.is_some()
        && (reset_default || (changes.default && next.default.is_none()));
    let set_default = next
        .default
        .as_ref()
        .filter(|_| changes.default || reset_default);
    if drop_default {
        actions.push("DROP DEFAULT".into());
    }
    if changes.nullability && next.nullable {
        actions.push("DROP NOT NULL".into());
    }
    if changes.ty || changes.collation {
        let new_type = type_sql(&next.ty);
        let mut action = format!("TYPE {new_type}");
        // TYPE resets the collation to the type's default: always restate it.
        match (&next.collation, changes.collation) {
            (Some(collation), _) => action.push_str(&format!(" COLLATE {}", ident(collation, PG))),
            (None, true) => action.push_str(&format!(" COLLATE {}", ident("default", PG))),
            (None, false) => {}
        }
        if changes.ty {
            let using = super::casts::using(&column, &previous.ty, &next.ty, &new_type);
            action.push_str(&format!(" USING {using}"));
        }
        actions.push(action);
    }
    if changes.nullability && !next.nullable {
        actions.push("SET NOT NULL".into());
    }
    if let Some(kind) = set_identity {
        actions.push(format!("SET GENERATED {}", identity_kind(kind)));
    }
    if let Some(default) = set_default {
        actions.push(format!("SET DEFAULT {}", default.sql));
    }
    if changes.statistics {
        actions.push(format!("SET STATISTICS {}", next.statistics.unwrap_or(-1)));
    }
    // `TYPE` gives the column its new type's storage and the default
    // compression: a column's own is said again.
    // `TYPE` gives the column the new type's own storage and the default
    // compression: after it only a method of the column's own is said (the
    // new type may take no other storage than PLAIN).
    let said = |changed: bool, own: bool| if changes.ty { own } else { changed };
    if said(changes.storage, next.storage.is_some()) {
        // A type whose storage is not known here is a variable-length one
        // (a fixed-length type takes only PLAIN, its default): EXTENDED.
        let storage = next.storage.unwrap_or_else(|| {
            PostgresRules
                .default_storage(&next.ty, false)
                .unwrap_or(ColumnStorage::Extended)
        });
        actions.push(format!("SET STORAGE {}", storage.as_sql()));
    }
    if said(changes.compression, next.compression.is_some()) {
        let method = next.compression.as_deref().unwrap_or("DEFAULT");
        actions.push(format!("SET COMPRESSION {method}"));
    }
    if changes.attribute_options {
        actions.extend(
            alter_storage("", &previous.attribute_options, &next.attribute_options)
                .into_iter()
                .map(|a| a.trim().to_string()),
        );
    }
    if changes.identity_options
        && let (Some(a), Some(b)) = (&previous.identity_options, &next.identity_options)
    {
        // `SET option` one by one; a type change is the column's own.
        let same_type = SequenceOptions {
            data_type: a.data_type.clone(),
            ..b.clone()
        };
        actions.extend(identity_actions(a, &same_type));
    }
    // identity → serial: the identity's sequence (same name) goes with DROP
    // IDENTITY, then the serial's sequence is made and moved past the values
    // already there. The differ emits no CreateSequence for it.
    if drop_identity && let Some(sequence) = serial_sequence(table, next) {
        let default = set_default.map(|d| format!("SET DEFAULT {}", d.sql));
        let rest: Vec<String> = actions
            .iter()
            .filter(|a| Some(*a) != default.as_ref())
            .cloned()
            .collect();
        let seq = qualified(&sequence, PG);
        let mut out = vec![alter_column_statement(table, &column, &rest)];
        out.push(format!(
            "CREATE SEQUENCE {seq} AS {} OWNED BY {}.{column}",
            type_sql(&next.ty),
            qualified(table, PG)
        ));
        if let Some(default) = default {
            out.push(alter_column_statement(table, &column, &[default]));
        }
        out.push(format!(
            "SELECT setval({}, COALESCE(MAX({column}), 0) + 1, false) FROM {}",
            string(&seq),
            qualified(table, PG)
        ));
        return Ok(out);
    }
    if actions.is_empty() && add_identity.is_none() {
        return Ok(Vec::new());
    }
    let Some(kind) = add_identity else {
        return Ok(vec![alter_column_statement(table, &column, &actions)]);
    };
    let mut out = Vec::new();
    let identity = vec![format!(
        "ADD GENERATED {} AS IDENTITY{}",
        identity_kind(kind),
        identity_clauses(next)
    )];
    match serial_sequence(table, previous) {
        // serial → identity, PostgreSQL's documented recipe: the serial's
        // sequence goes before the identity comes (the differ emits no
        // DropSequence for it), else both are owned by the column and
        // pg_get_serial_sequence below may pick the old one.
        Some(sequence) => {
            if !actions.is_empty() {
                out.push(alter_column_statement(table, &column, &actions));
            }
            out.push(format!("DROP SEQUENCE {}", qualified(&sequence, PG)));
            out.push(alter_column_statement(table, &column, &identity));
        }
        None => {
            actions.extend(identity);
            out.push(alter_column_statement(table, &column, &actions));
        }
    }
    // A new identity starts at 1 whatever the column holds: move it past
    // the values already there.
    out.push(format!(
        "SELECT setval(pg_get_serial_sequence({}, {}), COALESCE(MAX({column}), 0) + 1, false) FROM {}",
        string(&qualified(table, PG)),
        string(&next.name),
        qualified(table, PG)
    ));
    Ok(out)
}

/// `ALTER TABLE t ALTER COLUMN c a1` on one line, or one action a line.
fn alter_column_statement(table: &QualifiedName, column: &str, actions: &[String]) -> String {
    let clauses: Vec<String> = actions
        .iter()
        .map(|a| format!("ALTER COLUMN {column} {a}"))
        .collect();
    match clauses.as_slice() {
        [single] => format!("{} {single}", alter_table(table, PG)),
        _ => format!(
            "{}\n    {}",
            alter_table(table, PG),
            clauses.join(",\n    ")
        ),
    }
}

fn primary_key_clause(pk: &PrimaryKey) -> String {
    format!(
        "{}PRIMARY KEY {}{}{}",
        constraint_prefix(pk.name.as_deref(), PG),
        column_list(&pk.columns, PG),
        key_index_clause(&pk.index),
        deferrable_suffix(pk.deferrable)
    )
}

fn unique_clause(unique: &UniqueConstraint) -> String {
    format!(
        "{}UNIQUE{} {}{}{}",
        constraint_prefix(unique.name.as_deref(), PG),
        if unique.nulls_not_distinct {
            " NULLS NOT DISTINCT"
        } else {
            ""
        },
        column_list(&unique.columns, PG),
        key_index_clause(&unique.index),
        deferrable_suffix(unique.deferrable)
    )
}

/// ` INCLUDE (…) WITH (…)` of a key's index, in the grammar's order.
fn key_index_clause(index: &KeyIndex) -> String {
    format!(
        "{}{}",
        include_clause(&index.include),
        with_storage(&index.storage)
    )
}

/// ` INCLUDE (…)`, or nothing.
fn include_clause(include: &[String]) -> String {
    if include.is_empty() {
        String::new()
    } else {
        format!(" INCLUDE {}", column_list(include, PG))
    }
}

fn exclusion_clause(x: &ExclusionConstraint) -> String {
    format!(
        "{}EXCLUDE {}{}",
        constraint_prefix(x.name.as_deref(), PG),
        x.definition.sql,
        deferrable_suffix(x.deferrable)
    )
}

fn drop_constraint(table: &QualifiedName, name: &str) -> String {
    format!(
        "{} DROP CONSTRAINT {}",
        alter_table(table, PG),
        ident(name, PG)
    )
}

/// The name PostgreSQL gives an unnamed constraint: `<table>_pkey`,
/// `<table>_<col>_<col>_key`, `<table>_<col>_fkey`. PostgreSQL shortens
/// longer names and adds digits on clashes, which cannot be predicted here:
/// those are refused rather than guessed.
fn default_constraint_name(
    table: &QualifiedName,
    columns: &[String],
    suffix: &str,
    kind: &'static str,
) -> Result<String, RenderError> {
    let mut parts = vec![table.name.as_str()];
    parts.extend(columns.iter().map(String::as_str));
    parts.push(suffix);
    let name = parts.join("_");
    if name.len() > MAX_IDENTIFIER_BYTES {
        return Err(RenderError::UnnamedConstraint {
            table: table.clone(),
            kind,
        });
    }
    Ok(name)
}

/// An index, and when it is on a partitioned table its partitions' copies
/// by the model's names, as pg_dump writes them: the parent `ON ONLY`, each
/// copy on its partition, then `ATTACH PARTITION` (the server would name
/// copies it makes itself).
///
/// On a sub-partitioned tree, a copy on a partitioned partition is made
/// `ON ONLY` too, and the copies on its partitions (copies of a copy) are
/// attached to it, each level after the one above.
fn create_partitioned_index(index: &Index) -> Vec<String> {
    if index.partition_copies.is_empty() {
        let mut out = vec![create_index(index)];
        out.extend(index.columns.iter().enumerate().filter_map(|(i, c)| {
            c.statistics
                .map(|n| index_statistics(&index.name, i, Some(n)))
        }));
        return out;
    }
    let d = crate::dialect::Dialect::Postgres;
    let depth = |copy: &crate::schema::IndexCopy| {
        let mut copy = copy;
        let mut n = 0;
        while let Some(up) = copy.under.as_ref().and_then(|u| {
            index
                .partition_copies
                .iter()
                .find(|c| c.table.same_as(u, d))
        }) {
            n += 1;
            copy = up;
            if n > index.partition_copies.len() {
                break;
            }
        }
        n
    };
    let mut copies: Vec<&crate::schema::IndexCopy> = index.partition_copies.iter().collect();
    copies.sort_by_key(|c| depth(c));
    let mut out = vec![create_index_on(index, "ONLY ")];
    for copy in copies {
        // A copy under a partition holding none is no model the reader
        // makes: the server refuses the attachment, loudly.
        let parent = index
            .copy_parent(copy.under.as_ref(), d)
            .unwrap_or_else(|| index.name.clone());
        let mut on_partition = index.clone();
        on_partition.name = QualifiedName::with_schema(copy.table.schema.clone(), &copy.name);
        on_partition.table = copy.table.clone();
        on_partition.partition_copies.clear();
        let partitioned = index
            .partition_copies
            .iter()
            .any(|c| c.under.as_ref().is_some_and(|u| u.same_as(&copy.table, d)));
        out.push(create_index_on(
            &on_partition,
            if partitioned { "ONLY " } else { "" },
        ));
        out.push(format!(
            "ALTER INDEX {} ATTACH PARTITION {}",
            qualified(&parent, PG),
            qualified(&on_partition.name, PG)
        ));
    }
    out
}

/// The statistics target of the index's column at `position` (from 0), as
/// pg_dump writes it after the index (-1 is the default).
fn index_statistics(index: &QualifiedName, position: usize, target: Option<i32>) -> String {
    format!(
        "ALTER INDEX {} ALTER COLUMN {} SET STATISTICS {}",
        qualified(index, PG),
        position + 1,
        target.unwrap_or(-1)
    )
}

fn create_index(index: &Index) -> String {
    create_index_on(index, "")
}

fn create_index_on(index: &Index, only: &str) -> String {
    // The index lives in its table's schema: CREATE INDEX takes a bare name.
    let mut sql = format!(
        "CREATE {}INDEX {} ON {only}{}",
        if index.unique { "UNIQUE " } else { "" },
        ident(&index.name.name, PG),
        qualified(&index.table, PG)
    );
    if let Some(method) = &index.method {
        sql.push_str(&format!(" USING {}", ident(method, PG)));
    }
    let columns: Vec<String> = index.columns.iter().map(|c| index_column(c, PG)).collect();
    sql.push_str(&format!(" ({})", columns.join(", ")));
    sql.push_str(&include_clause(&index.include));
    if index.nulls_not_distinct {
        sql.push_str(" NULLS NOT DISTINCT");
    }
    sql.push_str(&with_storage(&index.storage));
    if let Some(predicate) = &index.predicate {
        sql.push_str(&format!(" WHERE {}", predicate.sql));
    }
    sql
}

fn materialized(view: &View) -> &'static str {
    if view.materialized {
        "MATERIALIZED "
    } else {
        ""
    }
}

/// `INDEX i`, `FUNCTION f(integer, text)`, `TRIGGER t ON tbl`…
fn comment_target(target: &CommentTarget) -> Result<String, RenderError> {
    Ok(match target {
        CommentTarget::Index(n) => format!("INDEX {}", qualified(n, PG)),
        CommentTarget::View { name, materialized } => format!(
            "{}VIEW {}",
            if *materialized { "MATERIALIZED " } else { "" },
            qualified(name, PG)
        ),
        CommentTarget::ViewColumn { view, column } => {
            format!("COLUMN {}.{}", qualified(view, PG), ident(column, PG))
        }
        CommentTarget::Sequence(n) => format!("SEQUENCE {}", qualified(n, PG)),
        CommentTarget::Type(n) => format!("TYPE {}", qualified(n, PG)),
        CommentTarget::Schema(n) => format!("SCHEMA {}", ident(n, PG)),
        CommentTarget::Extension(n) => format!("EXTENSION {}", ident(n, PG)),
        CommentTarget::Constraint { name, table } => {
            format!("CONSTRAINT {} ON {}", ident(name, PG), qualified(table, PG))
        }
        CommentTarget::Policy { name, table } => {
            format!("POLICY {} ON {}", ident(name, PG), qualified(table, PG))
        }
        CommentTarget::Opaque(o) => {
            let name = qualified(&o.name, PG);
            let kind = o.kind.as_sql();
            match o.kind {
                OpaqueKind::Function | OpaqueKind::Procedure | OpaqueKind::Aggregate => {
                    match o.signature.as_deref() {
                        Some("") if o.kind == OpaqueKind::Aggregate => {
                            format!("{kind} {name}(*)")
                        }
                        Some(args) => format!("{kind} {name}({args})"),
                        None if o.kind != OpaqueKind::Aggregate => format!("{kind} {name}"),
                        None => {
                            return Err(RenderError::UnsupportedFeature {
                                dialect: PG,
                                feature: "comments on an aggregate without its argument list",
                                object: o.name.to_string(),
                            });
                        }
                    }
                }
                OpaqueKind::Trigger | OpaqueKind::Rule | OpaqueKind::Policy => match &o.on_table {
                    Some(t) => {
                        format!("{kind} {} ON {}", ident(&o.name.name, PG), qualified(t, PG))
                    }
                    None => {
                        return Err(RenderError::UnsupportedFeature {
                            dialect: PG,
                            feature: "comments on an object whose table is unknown",
                            object: o.name.to_string(),
                        });
                    }
                },
                OpaqueKind::Type
                | OpaqueKind::Domain
                | OpaqueKind::Statistics
                | OpaqueKind::Collation
                | OpaqueKind::EventTrigger
                | OpaqueKind::Publication
                | OpaqueKind::TextSearchConfiguration
                | OpaqueKind::TextSearchDictionary => format!("{kind} {name}"),
                // Named `source AS target`.
                OpaqueKind::Cast => format!("{kind} ({})", o.name.name),
                // An operator's name is made of symbols: never quoted.
                OpaqueKind::Operator => match &o.signature {
                    Some(operands) => format!(
                        "{kind} {}{} ({operands})",
                        o.name
                            .schema
                            .as_ref()
                            .map(|s| format!("{}.", ident(s, PG)))
                            .unwrap_or_default(),
                        o.name.name
                    ),
                    None => {
                        return Err(RenderError::UnsupportedFeature {
                            dialect: PG,
                            feature: "comments on an operator whose operand types are unknown",
                            object: o.name.to_string(),
                        });
                    }
                },
            }
        }
    })
}

fn comment_literal(comment: Option<&str>) -> String {
    comment.map_or_else(|| "NULL".to_string(), string)
}

fn table_comment(table: &QualifiedName, comment: Option<&str>) -> String {
    format!(
        "COMMENT ON TABLE {} IS {}",
        qualified(table, PG),
        comment_literal(comment)
    )
}

fn column_comment(table: &QualifiedName, column: &str, comment: Option<&str>) -> String {
    format!(
        "COMMENT ON COLUMN {}.{} IS {}",
        qualified(table, PG),
        ident(column, PG),
        comment_literal(comment)
    )
}

/// The ALTERs that give `object` its firing and statistics target, from
/// `previous`'s (a created object's: the defaults).
fn opaque_state(
    object: &OpaqueObject,
    previous: Option<&OpaqueObject>,
) -> Result<Vec<String>, RenderError> {
    let (firing, target) =
        previous.map_or((Firing::Origin, None), |p| (p.firing, p.statistics_target));
    let mut out = Vec::new();
    if object.firing != firing {
        let words = object.firing.as_sql();
        out.push(match (object.kind, &object.on_table) {
            (OpaqueKind::Trigger, Some(table)) => format!(
                "ALTER TABLE {} {words} TRIGGER {}",
                qualified(table, PG),
                ident(&object.name.name, PG)
            ),
            (OpaqueKind::EventTrigger, _) => format!(
                "ALTER EVENT TRIGGER {} {words}",
                ident(&object.name.name, PG)
            ),
            _ => {
                return Err(RenderError::UnsupportedFeature {
                    dialect: PG,
                    feature: "enabling or disabling this object",
                    object: object.name.to_string(),
                });
            }
        });
    }
    if object.statistics_target != target {
        out.push(format!(
            "ALTER STATISTICS {} SET STATISTICS {}",
            qualified(&object.name, PG),
            object.statistics_target.unwrap_or(-1)
        ));
    }
    Ok(out)
}

fn drop_opaque(object: &OpaqueObject) -> Result<String, RenderError> {
    let name = qualified(&object.name, PG);
    let kind = object.kind.as_sql();
    let cannot = |reason| RenderError::CannotDropOpaque {
        kind: object.kind,
        name: object.name.clone(),
        reason,
    };
    match object.kind {
        // The argument types pick one overload. Without them `DROP FUNCTION
        // name` is used, which PostgreSQL accepts as long as the name is not
        // overloaded.
        OpaqueKind::Function | OpaqueKind::Procedure => Ok(match &object.signature {
            Some(args) => format!("DROP {kind} {name}({args})"),
            None => format!("DROP {kind} {name}"),
        }),
        // DROP AGGREGATE has no form without the signature.
        OpaqueKind::Aggregate => match object.signature.as_deref() {
            Some("") => Ok(format!("DROP {kind} {name}(*)")),
            Some(args) => Ok(format!("DROP {kind} {name}({args})")),
            None => Err(cannot("its argument types are unknown")),
        },
        // An operator's name is made of symbols: never quoted.
        OpaqueKind::Operator => match &object.signature {
            Some(operands) => Ok(format!(
                "DROP {kind} {}{} ({operands})",
                object
                    .name
                    .schema
                    .as_ref()
                    .map(|s| format!("{}.", ident(s, PG)))
                    .unwrap_or_default(),
                object.name.name
            )),
            None => Err(cannot("its operand types are unknown")),
        },
        // Named `source AS target`.
        OpaqueKind::Cast => Ok(format!("DROP {kind} ({})", object.name.name)),
        // These belong to a table and are named within it.
        OpaqueKind::Trigger | OpaqueKind::Policy | OpaqueKind::Rule => match &object.on_table {
            Some(table) => Ok(format!(
                "DROP {kind} {} ON {}",
                ident(&object.name.name, PG),
                qualified(table, PG)
            )),
            None => Err(cannot("the table it belongs to is unknown")),
        },
        OpaqueKind::Type
        | OpaqueKind::Domain
        | OpaqueKind::Statistics
        | OpaqueKind::Collation
        | OpaqueKind::EventTrigger
        | OpaqueKind::Publication
        | OpaqueKind::TextSearchConfiguration
        | OpaqueKind::TextSearchDictionary => Ok(format!("DROP {kind} {name}")),
    }
}

/// What a script must say before its steps. The differ creates functions
/// before tables (defaults, checks and indexes may call them), but the body
/// of a `LANGUAGE sql` function is checked against the tables and sequences
/// it reads when it is created: skip that check for this transaction, as
/// pg_dump does.
pub(crate) fn prelude(plan: &crate::plan::Plan) -> Option<&'static str> {
    plan.steps
        .iter()
        .any(|p| {
            matches!(&p.step, Step::CreateOpaque(o)
                if matches!(o.kind, OpaqueKind::Function | OpaqueKind::Procedure))
        })
        .then_some("SET LOCAL check_function_bodies = off")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::render::test_support::*;
    use crate::dialect::{render, render_script};
    use crate::plan::Destructive;
    use crate::schema::{
        CheckConstraint, Deferrable, Definition, Extension, ForeignKey, ForeignKeyAction,
        Generated, IndexColumn, IndexExpr, PrimaryKey, Sequence,
    };

    fn pg(step: Step) -> Vec<String> {
        sql(step, PG)
    }

    fn pg_err(step: Step) -> RenderError {
        match render(&plan(vec![step]), PG) {
            Ok(rendered) => panic!("expected an error, got {rendered:?}"),
            Err(e) => e,
        }
    }

    fn users() -> Table {
        let mut t = table(
            "users",
            vec![
                not_null(col("id", "bigint")),
                not_null(col("email", "text")),
                with_default(col("active", "boolean"), "true", PG),
            ],
        );
        t.primary_key = Some(PrimaryKey {
            name: Some("users_pkey".into()),
            columns: vec!["id".into()],
            ..Default::default()
        });
        t
    }

    fn enum_mood(values: &[&str]) -> Enum {
        Enum {
            comment: None,
            name: name("mood"),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn fk() -> ForeignKey {
        ForeignKey {
            not_valid: false,
            name: Some("posts_author_id_fkey".into()),
            columns: vec!["author_id".into()],
            referenced_table: name("users"),
            referenced_columns: vec!["id".into()],
            on_delete: ForeignKeyAction::Cascade,
            on_update: ForeignKeyAction::NoAction,
            deferrable: Deferrable::NotDeferrable,
        }
    }

    fn changes() -> ColumnChanges {
        ColumnChanges::default()
    }

    #[test]
    fn create_table_with_constraints_and_comments() {
        let mut t = users();
        t.uniques.push(UniqueConstraint {
            index: Default::default(),
            on_conflict: None,
            name: Some("users_email_key".into()),
            columns: vec!["email".into()],
            nulls_not_distinct: true,
            deferrable: Deferrable::InitiallyDeferred,
        });
        t.checks.push(CheckConstraint {
            no_inherit: false,
            not_valid: false,
            name: Some("users_email_check".into()),
            expr: Expr::new("email <> ''", PG),
        });
        t.foreign_keys.push(fk());
        t.comment = Some("people who log in".into());
        t.columns[1].comment = Some("it's unique".into());
        assert_eq!(
            pg(Step::CreateTable(t)),
            vec![
                "CREATE TABLE users (\n    id bigint NOT NULL,\n    email text NOT NULL,\n    \
                 active boolean DEFAULT true,\n    CONSTRAINT users_pkey PRIMARY KEY (id),\n    \
                 CONSTRAINT users_email_key UNIQUE NULLS NOT DISTINCT (email) DEFERRABLE INITIALLY DEFERRED,\n    \
                 CONSTRAINT users_email_check CHECK (email <> '')\n)",
            ],
            "comments are separate steps, not part of CREATE TABLE"
        );
    }

    #[test]
    fn column_features_identity_generated_collation() {
        let mut id = not_null(col("id", "integer"));
        id.identity = Some(Identity::Always);
        let mut by_default = not_null(col("n", "bigint"));
        by_default.identity = Some(Identity::ByDefault);
        let mut total = col("total", "numeric");
        total.generated = Some(Generated {
            expr: Expr::new("price * qty", PG),
            stored: true,
        });
        let mut title = col("title", "text");
        title.collation = Some("C".into());
        let t = table("items", vec![id, by_default, total, title]);
        assert_eq!(
            pg(Step::CreateTable(t)),
            vec![
                "CREATE TABLE items (\n    id integer GENERATED ALWAYS AS IDENTITY NOT NULL,\n    \
                 n bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n    \
                 total numeric GENERATED ALWAYS AS (price * qty) STORED,\n    \
                 title text COLLATE \"C\"\n)"
            ]
        );
    }

    #[test]
    fn serial_columns_render_as_serial_without_default() {
        let cases = [
            ("smallint", "SMALLSERIAL"),
            ("integer", "SERIAL"),
            ("bigint", "BIGSERIAL"),
        ];
        for (ty, serial) in cases {
            let id = with_default(
                not_null(col("id", ty)),
                "nextval('orders_id_seq'::regclass)",
                PG,
            );
            let t = table("orders", vec![id]);
            assert_eq!(
                pg(Step::CreateTable(t)),
                vec![format!(
                    "CREATE TABLE orders (\n    id {serial} NOT NULL\n)"
                )]
            );
        }
        // Case and spacing of the source do not matter; the sequence name does.
        let mixed = with_default(col("Id", "integer"), "NEXTVAL( '\"User_Id_seq\"' )", PG);
        assert_eq!(
            pg(Step::AddColumn {
                table: name("User"),
                column: mixed
            }),
            vec!["ALTER TABLE \"User\" ADD COLUMN \"Id\" SERIAL"]
        );
        let other = with_default(col("id", "integer"), "nextval('shared_seq'::regclass)", PG);
        assert_eq!(
            pg(Step::AddColumn {
                table: name("orders"),
                column: other
            }),
            vec![
                "ALTER TABLE orders ADD COLUMN id integer DEFAULT nextval('shared_seq'::regclass)"
            ]
        );
        let schema_qualified = with_default(
            col("id", "bigint"),
            "nextval('shop.orders_id_seq'::regclass)",
            PG,
        );
        assert_eq!(
            pg(Step::AddColumn {
                table: QualifiedName::with_schema(Some("shop".into()), "orders"),
                column: schema_qualified
            }),
            vec!["ALTER TABLE shop.orders ADD COLUMN id BIGSERIAL"]
        );
    }

    #[test]
    fn quotes_mixed_case_and_reserved_names() {
        let mut t = table(
            "User",
            vec![not_null(col("order", "integer")), col("firstName", "text")],
        );
        t.primary_key = Some(PrimaryKey {
            name: Some("User_pkey".into()),
            columns: vec!["order".into()],
            ..Default::default()
        });
        assert_eq!(
            pg(Step::CreateTable(t)),
            vec![
                "CREATE TABLE \"User\" (\n    \"order\" integer NOT NULL,\n    \"firstName\" text,\n    \
                 CONSTRAINT \"User_pkey\" PRIMARY KEY (\"order\")\n)"
            ]
        );
        let mut mood = col("feeling", "Mood");
        mood.ty.user_defined = true;
        mood.ty.array_dims = 1;
        assert_eq!(
            pg(Step::AddColumn {
                table: QualifiedName::with_schema(Some("App".into()), "user"),
                column: mood
            }),
            vec!["ALTER TABLE \"App\".\"user\" ADD COLUMN feeling \"Mood\"[]"]
        );
    }

    #[test]
    fn drop_table_add_drop_column_rename() {
        assert_eq!(pg(Step::DropTable(users())), vec!["DROP TABLE users"]);
        let mut c = with_default(not_null(col("score", "integer")), "0", PG);
        c.comment = Some("points".into());
        assert_eq!(
            pg(Step::AddColumn {
                table: name("users"),
                column: c.clone()
            }),
            vec!["ALTER TABLE users ADD COLUMN score integer NOT NULL DEFAULT 0"],
            "the comment is a separate step"
        );
        assert_eq!(
            pg(Step::DropColumn {
                table: name("users"),
                column: c,
                children_keep: false,
            }),
            vec!["ALTER TABLE users DROP COLUMN score"]
        );
        assert_eq!(
            pg(Step::RenameTable {
                previous: name("people"),
                next: name("User"),
            }),
            vec!["ALTER TABLE people RENAME TO \"User\""]
        );
        assert_eq!(
            pg(Step::RenameTable {
                previous: name("people"),
                next: QualifiedName::with_schema(Some("crm".into()), "people"),
            }),
            vec!["ALTER TABLE people SET SCHEMA crm"]
        );
    }

    #[test]
    fn alter_column_type_uses_a_cast_and_keeps_the_collation() {
        let previous = col("age", "integer");
        let mut next = col("age", "bigint");
        next.collation = None;
        assert_eq!(
            pg(Step::AlterColumn {
                table: name("users"),
                previous: previous.clone(),
                next,
                changes: ColumnChanges {
                    ty: true,
                    ..changes()
                },
            }),
            vec!["ALTER TABLE users ALTER COLUMN age TYPE bigint USING age::bigint"]
        );
        let mut text = col("Name", "text");
        text.collation = Some("C".into());
        let mut varchar = text.clone();
        varchar.ty = ColumnType {
            name: "character varying".into(),
            modifiers: vec![100],
            array_dims: 0,
            user_defined: false,
        };
        assert_eq!(
            pg(Step::AlterColumn {
                table: name("users"),
                previous: text.clone(),
                next: varchar,
                changes: ColumnChanges {
                    ty: true,
                    ..changes()
                },
            }),
            vec![
                "ALTER TABLE users ALTER COLUMN \"Name\" TYPE character varying(100) COLLATE \"C\" \
                 USING \"Name\"::character varying(100)"
            ]
        );
        let mut plain = text.clone();
        plain.collation = None;
        assert_eq!(
            pg(Step::AlterColumn {
                table: name("users"),
                previous: text,
                next: plain,
                changes: ColumnChanges {
                    collation: true,
                    ..changes()
                },
            }),
            vec!["ALTER TABLE users ALTER COLUMN \"Name\" TYPE text COLLATE \"default\""]
        );
    }

    #[test]
    fn alter_column_type_with_default_drops_and_sets_it_around_the_type() {
        let previous = with_default(col("level", "integer"), "1", PG);
        let next = with_default(col("level", "text"), "'one'", PG);
        assert_eq!(
            pg(Step::AlterColumn {
                table: name("users"),
                previous,
                next,
                changes: ColumnChanges {
                    ty: true,
                    default: true,
                    ..changes()
                },
            }),
            vec![
                "ALTER TABLE users\n    ALTER COLUMN level DROP DEFAULT,\n    \
                 ALTER COLUMN level TYPE text USING level::text,\n    \
                 ALTER COLUMN level SET DEFAULT 'one'"
            ]
        );
    }

    #[test]
    fn alter_column_nullability_and_default() {
        let nullable = col("email", "text");
        let required = not_null(col("email", "text"));
        let nullability = ColumnChanges {
            nullability: true,
            ..changes()
        };
        assert_eq!(
            pg(Step::AlterColumn {
                table: name("users"),
                previous: nullable.clone(),
                next: required.clone(),
                changes: nullability,
            }),
            vec!["ALTER TABLE users ALTER COLUMN email SET NOT NULL"]
        );
        assert_eq!(
            pg(Step::AlterColumn {
                table: name("users"),
                previous: required,
                next: nullable.clone(),
                changes: nullability,
            }),
            vec!["ALTER TABLE users ALTER COLUMN email DROP NOT NULL"]
        );
        let defaulted = with_default(nullable.clone(), "'x'", PG);
        let default = ColumnChanges {
            default: true,
            ..changes()
        };
        assert_eq!(
            pg(Step::AlterColumn {
                table: name("users"),
                previous: nullable.clone(),
                next: defaulted.clone(),
                changes: default,
            }),
            vec!["ALTER TABLE users ALTER COLUMN email SET DEFAULT 'x'"]
        );
        assert_eq!(
            pg(Step::AlterColumn {
                table: name("users"),
                previous: defaulted,
                next: nullable,
                changes: default,
            }),
            vec!["ALTER TABLE users ALTER COLUMN email DROP DEFAULT"]
        );
    }

    #[test]
    fn alter_column_identity_add_drop_change() {
        let plain = not_null(col("id", "integer"));
        let mut always = plain.clone();
        always.identity = Some(Identity::Always);
        let mut by_default = plain.clone();
        by_default.identity = Some(Identity::ByDefault);
        let identity = ColumnChanges {
            identity: true,
            ..changes()
        };
        let alter = |previous: &Column, next: &Column, changes| {
            pg(Step::AlterColumn {
                table: name("t"),
                previous: previous.clone(),
                next: next.clone(),
                changes,
            })
        };
        assert_eq!(
            alter(&plain, &always, identity),
            vec![
                "ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY",
                "SELECT setval(pg_get_serial_sequence('t', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM t",
            ]
        );
        assert_eq!(
            alter(&always, &plain, identity),
            vec!["ALTER TABLE t ALTER COLUMN id DROP IDENTITY"]
        );
        assert_eq!(
            alter(&always, &by_default, identity),
            vec!["ALTER TABLE t ALTER COLUMN id SET GENERATED BY DEFAULT"]
        );
        // serial → identity: default and sequence go first.
        let serial = with_default(plain.clone(), "nextval('t_id_seq'::regclass)", PG);
        assert_eq!(
            alter(
                &serial,
                &by_default,
                ColumnChanges {
                    identity: true,
                    default: true,
                    ..changes()
                }
            ),
            vec![
                "ALTER TABLE t ALTER COLUMN id DROP DEFAULT",
                "DROP SEQUENCE t_id_seq",
                "ALTER TABLE t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY",
                "SELECT setval(pg_get_serial_sequence('t', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM t",
            ]
        );
        // Any other default is dropped in the same statement.
        let other = with_default(plain.clone(), "42", PG);
        assert_eq!(
            alter(
                &other,
                &by_default,
                ColumnChanges {
                    identity: true,
                    default: true,
                    ..changes()
                }
            )[0],
            "ALTER TABLE t\n    ALTER COLUMN id DROP DEFAULT,\n    \
             ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY"
        );
        // A nullable column gains NOT NULL before its identity.
        let nullable = col("Id", "integer");
        let mut always_mixed = always.clone();
        always_mixed.name = "Id".into();
        assert_eq!(
            pg(Step::AlterColumn {
                table: name("User"),
                previous: nullable,
                next: always_mixed,
                changes: ColumnChanges {
                    identity: true,
                    nullability: true,
                    ..changes()
                },
            }),
            vec![
                "ALTER TABLE \"User\"\n    ALTER COLUMN \"Id\" SET NOT NULL,\n    \
                 ALTER COLUMN \"Id\" ADD GENERATED ALWAYS AS IDENTITY",
                "SELECT setval(pg_get_serial_sequence('\"User\"', 'Id'), \
                 COALESCE(MAX(\"Id\"), 0) + 1, false) FROM \"User\"",
            ]
        );
        assert!(alter(&plain, &plain, changes()).is_empty());
    }

    #[test]
    fn alter_column_generated_drop_is_rendered_add_and_change_are_errors() {
        let plain = col("total", "numeric");
        let mut generated = plain.clone();
        generated.generated = Some(Generated {
            expr: Expr::new("a + b", PG),
            stored: true,
        });
        let mut other = plain.clone();
        other.generated = Some(Generated {
            expr: Expr::new("a * b", PG),
            stored: true,
        });
        let flag = ColumnChanges {
            generated: true,
            ..changes()
        };
        let step = |previous: &Column, next: &Column| Step::AlterColumn {
            table: name("t"),
            previous: previous.clone(),
            next: next.clone(),
            changes: flag,
        };
        assert_eq!(
            pg(step(&generated, &plain)),
            vec!["ALTER TABLE t ALTER COLUMN total DROP EXPRESSION"]
        );
        for (previous, next, change) in
            [(&plain, &generated, "add"), (&generated, &other, "change")]
        {
            assert_eq!(
                pg_err(step(previous, next)),
                RenderError::CannotAlterGenerated {
                    table: name("t"),
                    column: "total".into(),
                    change
                }
            );
        }
    }

    #[test]
    fn alter_column_from_enum_casts_through_text() {
        let mut previous = col("status", "status");
        previous.ty.user_defined = true;
        assert_eq!(
            pg(Step::AlterColumn {
                table: name("t"),
                previous,
                next: col("status", "text"),
                changes: ColumnChanges {
                    ty: true,
                    ..changes()
                },
            }),
            vec!["ALTER TABLE t ALTER COLUMN status TYPE text USING status::text::text"]
        );
    }

    #[test]
    fn constraints_add_and_drop() {
        let t = name("users");
        let pk = PrimaryKey {
            name: None,
            columns: vec!["id".into(), "org".into()],
            ..Default::default()
        };
        assert_eq!(
            pg(Step::AddPrimaryKey {
                table: t.clone(),
                primary_key: pk.clone()
            }),
            vec!["ALTER TABLE users ADD PRIMARY KEY (id, org)"]
        );
        assert_eq!(
            pg(Step::DropPrimaryKey {
                table: t.clone(),
                primary_key: pk
            }),
            vec!["ALTER TABLE users DROP CONSTRAINT users_pkey"]
        );
        let unique = UniqueConstraint {
            index: Default::default(),
            on_conflict: None,
            name: None,
            columns: vec!["org".into(), "email".into()],
            nulls_not_distinct: false,
            deferrable: Deferrable::InitiallyImmediate,
        };
        assert_eq!(
            pg(Step::AddUnique {
                table: t.clone(),
                unique: unique.clone()
            }),
            vec!["ALTER TABLE users ADD UNIQUE (org, email) DEFERRABLE"]
        );
        assert_eq!(
            pg(Step::DropUnique {
                table: t.clone(),
                unique
            }),
            vec!["ALTER TABLE users DROP CONSTRAINT users_org_email_key"]
        );
        let check = CheckConstraint {
            no_inherit: false,
            not_valid: false,
            name: Some("age_positive".into()),
            expr: Expr::new("age > 0", PG),
        };
        assert_eq!(
            pg(Step::AddCheck {
                table: t.clone(),
                check: check.clone()
            }),
            vec!["ALTER TABLE users ADD CONSTRAINT age_positive CHECK (age > 0)"]
        );
        assert_eq!(
            pg(Step::DropCheck {
                table: t.clone(),
                check
            }),
            vec!["ALTER TABLE users DROP CONSTRAINT age_positive"]
        );
        let mut deferred = fk();
        deferred.deferrable = Deferrable::InitiallyDeferred;
        deferred.on_update = ForeignKeyAction::Restrict;
        assert_eq!(
            pg(Step::AddForeignKey {
                table: name("posts"),
                foreign_key: deferred
            }),
            vec![
                "ALTER TABLE posts ADD CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) \
                 REFERENCES users (id) ON DELETE CASCADE ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED"
            ]
        );
        let mut unnamed = fk();
        unnamed.name = None;
        assert_eq!(
            pg(Step::DropForeignKey {
                table: name("posts"),
                foreign_key: unnamed
            }),
            vec!["ALTER TABLE posts DROP CONSTRAINT posts_author_id_fkey"]
        );
    }

    #[test]
    fn unnamed_check_and_overlong_default_names_cannot_be_dropped() {
        let check = CheckConstraint {
            no_inherit: false,
            not_valid: false,
            name: None,
            expr: Expr::new("a > 0", PG),
        };
        assert_eq!(
            pg_err(Step::DropCheck {
                table: name("t"),
                check
            }),
            RenderError::UnnamedConstraint {
                table: name("t"),
                kind: "check"
            }
        );
        let long = "x".repeat(60);
        let unique = UniqueConstraint {
            index: Default::default(),
            on_conflict: None,
            name: None,
            columns: vec![long],
            nulls_not_distinct: false,
            deferrable: Deferrable::NotDeferrable,
        };
        assert_eq!(
            pg_err(Step::DropUnique {
                table: name("t"),
                unique
            }),
            RenderError::UnnamedConstraint {
                table: name("t"),
                kind: "unique"
            }
        );
    }

    #[test]
    fn indexes() {
        let index = Index {
            partition_copies: Vec::new(),
            comment: None,
            storage: Vec::new(),
            name: QualifiedName::with_schema(Some("shop".into()), "orders_lookup"),
            table: QualifiedName::with_schema(Some("shop".into()), "orders"),
            unique: true,
            columns: vec![
                IndexColumn {
                    expr: IndexExpr::Column("customer_id".into()),
                    descending: true,
                    nulls_first: Some(false),
                    opclass: None,
                    collation: None,
                    statistics: None,
                },
                IndexColumn {
                    expr: IndexExpr::Expression(Expr::new("lower(email)", PG)),
                    descending: false,
                    nulls_first: None,
                    opclass: Some("text_pattern_ops".into()),
                    collation: Some("C".into()),
                    statistics: None,
                },
            ],
            predicate: Some(Expr::new("deleted_at IS NULL", PG)),
            method: Some("btree".into()),
            include: vec!["total".into()],
            nulls_not_distinct: true,
        };
        assert_eq!(
            pg(Step::CreateIndex(index.clone())),
            vec![
                "CREATE UNIQUE INDEX orders_lookup ON shop.orders USING btree \
                 (customer_id DESC NULLS LAST, (lower(email)) COLLATE \"C\" text_pattern_ops) \
                 INCLUDE (total) NULLS NOT DISTINCT WHERE deleted_at IS NULL"
            ]
        );
        assert_eq!(
            pg(Step::DropIndex(index)),
            vec!["DROP INDEX shop.orders_lookup"]
        );
        let gin = Index {
            partition_copies: Vec::new(),
            comment: None,
            storage: Vec::new(),
            name: name("docs_tags_idx"),
            table: name("docs"),
            unique: false,
            columns: vec![IndexColumn {
                expr: IndexExpr::Column("tags".into()),
                descending: false,
                nulls_first: None,
                opclass: None,
                collation: None,
                statistics: None,
            }],
            predicate: None,
            method: Some("gin".into()),
            include: vec![],
            nulls_not_distinct: false,
        };
        assert_eq!(
            pg(Step::CreateIndex(gin)),
            vec!["CREATE INDEX docs_tags_idx ON docs USING gin (tags)"]
        );
    }

    #[test]
    fn enums_create_drop_add_value() {
        assert_eq!(
            pg(Step::CreateEnum(enum_mood(&["sad", "it's ok"]))),
            vec!["CREATE TYPE mood AS ENUM ('sad', 'it''s ok')"]
        );
        assert_eq!(
            pg(Step::DropEnum(enum_mood(&["sad"]))),
            vec!["DROP TYPE mood"]
        );
        let add = |position| {
            pg(Step::AddEnumValue {
                enum_name: name("Mood"),
                value: "happy".into(),
                position,
            })
        };
        assert_eq!(
            add(EnumValuePosition::End),
            vec!["ALTER TYPE \"Mood\" ADD VALUE 'happy'"]
        );
        assert_eq!(
            add(EnumValuePosition::Before("sad".into())),
            vec!["ALTER TYPE \"Mood\" ADD VALUE 'happy' BEFORE 'sad'"]
        );
        assert_eq!(
            add(EnumValuePosition::After("sad".into())),
            vec!["ALTER TYPE \"Mood\" ADD VALUE 'happy' AFTER 'sad'"]
        );
    }

    #[test]
    fn recreate_enum_converts_each_usage_through_text() {
        let step = Step::RecreateEnum {
            previous: enum_mood(&["sad", "ok", "happy"]),
            next: enum_mood(&["sad", "happy"]),
            usages: vec![
                EnumUsage {
                    table: name("people"),
                    column: "mood".into(),
                    default: Some(Expr::new("'sad'::mood", PG)),
                },
                EnumUsage {
                    table: name("User"),
                    column: "current".into(),
                    default: None,
                },
            ],
        };
        assert_eq!(
            pg(step),
            vec![
                "ALTER TYPE mood RENAME TO mood_old",
                "CREATE TYPE mood AS ENUM ('sad', 'happy')",
                "ALTER TABLE people\n    ALTER COLUMN mood DROP DEFAULT,\n    \
                 ALTER COLUMN mood TYPE mood USING mood::text::mood,\n    \
                 ALTER COLUMN mood SET DEFAULT 'sad'::mood",
                "ALTER TABLE \"User\"\n    ALTER COLUMN current DROP DEFAULT,\n    \
                 ALTER COLUMN current TYPE mood USING current::text::mood",
                "DROP TYPE mood_old",
            ]
        );
    }

    #[test]
    fn namespaces_extensions_sequences() {
        assert_eq!(
            pg(Step::CreateNamespace("Billing".into())),
            vec!["CREATE SCHEMA \"Billing\""]
        );
        assert_eq!(
            pg(Step::DropNamespace("billing".into())),
            vec!["DROP SCHEMA billing"]
        );
        let ext = Extension {
            comment: None,
            version: None,
            name: "uuid-ossp".into(),
            schema: Some("extensions".into()),
        };
        assert_eq!(
            pg(Step::CreateExtension(ext.clone())),
            vec!["CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\" SCHEMA extensions"]
        );
        assert_eq!(
            pg(Step::DropExtension(ext)),
            vec!["DROP EXTENSION \"uuid-ossp\""]
        );
        let seq = Sequence {
            comment: None,
            options: crate::schema::SequenceOptions::default(),
            unlogged: false,
            name: name("invoice_numbers"),
            owned_by: Some((name("invoices"), "number".into())),
        };
        assert_eq!(
            pg(Step::CreateSequence(seq.clone())),
            vec!["CREATE SEQUENCE invoice_numbers OWNED BY invoices.number"]
        );
        assert_eq!(
            pg(Step::DropSequence(seq)),
            vec!["DROP SEQUENCE invoice_numbers"]
        );
    }

    #[test]
    fn views_and_materialized_views() {
        let view = View {
            column_comments: Vec::new(),
            comment: None,
            options: Vec::new(),
            name: name("active_users"),
            materialized: false,
            definition: Definition::source("SELECT * FROM users WHERE active;"),
        };
        assert_eq!(
            pg(Step::CreateView(view.clone())),
            vec!["CREATE VIEW active_users AS SELECT * FROM users WHERE active"]
        );
        assert_eq!(pg(Step::DropView(view)), vec!["DROP VIEW active_users"]);
        let mat = View {
            column_comments: Vec::new(),
            comment: None,
            options: Vec::new(),
            name: name("Totals"),
            materialized: true,
            definition: Definition::database(" SELECT count(*) AS n\n   FROM users"),
        };
        assert_eq!(
            pg(Step::CreateView(mat.clone())),
            vec!["CREATE MATERIALIZED VIEW \"Totals\" AS SELECT count(*) AS n\n   FROM users"]
        );
        assert_eq!(
            pg(Step::DropView(mat)),
            vec!["DROP MATERIALIZED VIEW \"Totals\""]
        );
    }

    #[test]
    fn comments_set_and_remove() {
        assert_eq!(
            pg(Step::SetTableComment {
                table: name("order"),
                comment: None
            }),
            vec!["COMMENT ON TABLE \"order\" IS NULL"]
        );
        assert_eq!(
            pg(Step::SetColumnComment {
                table: name("users"),
                column: "Email".into(),
                comment: Some("login".into())
            }),
            vec!["COMMENT ON COLUMN users.\"Email\" IS 'login'"]
        );
    }

    fn opaque(kind: OpaqueKind, n: &str, on: Option<&str>, sql: &str) -> OpaqueObject {
        OpaqueObject {
            firing: Default::default(),
            statistics_target: None,
            comment: None,
            kind,
            name: name(n),
            on_table: on.map(name),
            definition: Definition::source(sql),
            signature: None,
            references: Vec::new(),
            head: None,
            text_search: None,
        }
    }

    #[test]
    fn opaque_objects_create_with_their_text_and_drop_by_kind() {
        let function = opaque(
            OpaqueKind::Function,
            "add",
            None,
            "CREATE OR REPLACE FUNCTION add(a integer, b integer DEFAULT 1, OUT c integer)\n\
             LANGUAGE sql AS $$ SELECT a + b $$;",
        );
        assert_eq!(
            pg(Step::CreateOpaque(function.clone())),
            vec![
                "CREATE OR REPLACE FUNCTION add(a integer, b integer DEFAULT 1, OUT c integer)\n\
                 LANGUAGE sql AS $$ SELECT a + b $$"
            ]
        );
        // The signature the interpreter computed picks the overload.
        let mut function = function;
        function.signature = Some("integer, integer".into());
        assert_eq!(
            pg(Step::DropOpaque(function)),
            vec!["DROP FUNCTION \"add\"(integer, integer)"]
        );
        let mut operator = opaque(OpaqueKind::Operator, "===", None, "CREATE OPERATOR === (…)");
        operator.signature = Some("NONE, integer".into());
        assert_eq!(
            pg(Step::DropOpaque(operator)),
            vec!["DROP OPERATOR === (NONE, integer)"]
        );
        let cast = opaque(OpaqueKind::Cast, "text AS money", None, "CREATE CAST …");
        assert_eq!(
            pg(Step::DropOpaque(cast)),
            vec!["DROP CAST (text AS money)"]
        );
        let mut count = opaque(OpaqueKind::Aggregate, "n", None, "CREATE AGGREGATE n(*) …");
        count.signature = Some(String::new());
        assert_eq!(pg(Step::DropOpaque(count)), vec!["DROP AGGREGATE n(*)"]);
        let no_args = opaque(OpaqueKind::Procedure, "tidy", None, "garbled");
        assert_eq!(pg(Step::DropOpaque(no_args)), vec!["DROP PROCEDURE tidy"]);
        let trigger = opaque(
            OpaqueKind::Trigger,
            "touch",
            Some("User"),
            "CREATE TRIGGER touch BEFORE UPDATE ON \"User\" FOR EACH ROW EXECUTE FUNCTION touch()",
        );
        assert_eq!(
            pg(Step::DropOpaque(trigger)),
            vec!["DROP TRIGGER touch ON \"User\""]
        );
        let policy = opaque(
            OpaqueKind::Policy,
            "own_rows",
            Some("docs"),
            "CREATE POLICY …",
        );
        assert_eq!(
            pg(Step::DropOpaque(policy)),
            vec!["DROP POLICY own_rows ON docs"]
        );
        let domain = opaque(
            OpaqueKind::Domain,
            "email",
            None,
            "CREATE DOMAIN email AS text",
        );
        assert_eq!(pg(Step::DropOpaque(domain)), vec!["DROP DOMAIN email"]);
    }

    #[test]
    fn opaque_objects_that_cannot_be_dropped_are_errors() {
        let aggregate = opaque(OpaqueKind::Aggregate, "total", None, "junk");
        assert!(matches!(
            pg_err(Step::DropOpaque(aggregate)),
            RenderError::CannotDropOpaque {
                kind: OpaqueKind::Aggregate,
                ..
            }
        ));
        let orphan = opaque(OpaqueKind::Trigger, "t", None, "CREATE TRIGGER t …");
        assert!(matches!(
            pg_err(Step::DropOpaque(orphan)),
            RenderError::CannotDropOpaque {
                kind: OpaqueKind::Trigger,
                ..
            }
        ));
    }

    #[test]
    fn rebuild_and_sqlite_only_features_are_errors() {
        let t = users();
        assert_eq!(
            pg_err(Step::RebuildTable {
                previous: t.clone(),
                next: t.clone(),
                indexes: vec![]
            }),
            RenderError::RebuildUnsupported {
                dialect: PG,
                table: name("users")
            }
        );
        let mut strict = t.clone();
        strict.strict = true;
        assert!(matches!(
            pg_err(Step::CreateTable(strict)),
            RenderError::UnsupportedFeature { .. }
        ));
        let mut auto = not_null(col("id", "integer"));
        auto.autoincrement = true;
        assert!(matches!(
            pg_err(Step::AddColumn {
                table: name("users"),
                column: auto
            }),
            RenderError::UnsupportedFeature { .. }
        ));
        let mut virtual_col = col("v", "integer");
        virtual_col.generated = Some(Generated {
            expr: Expr::new("1", PG),
            stored: false,
        });
        assert!(matches!(
            pg_err(Step::AddColumn {
                table: name("users"),
                column: virtual_col
            }),
            RenderError::UnsupportedFeature {
                feature: "virtual generated columns",
                ..
            }
        ));
    }

    #[test]
    fn script_marks_destructive_steps() {
        let p = destructive_plan(
            Step::DropColumn {
                table: name("users"),
                column: col("email", "text"),
                children_keep: false,
            },
            Destructive::DropColumn {
                table: name("users"),
                column: "email".into(),
            },
        );
        assert_eq!(
            render_script(&p, PG).unwrap(),
            "-- WARNING: drops column `users.email` and its data\n\
             ALTER TABLE users DROP COLUMN email;\n"
        );
    }
}
