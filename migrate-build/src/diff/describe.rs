//! One line in words per step, for the CLI and the build gate.

use crate::plan::{EnumValuePosition, Step};
use crate::schema::{ColumnType, ForeignKey, OpaqueKind};

/// `create table `users``, `add column `users.email``, …
pub fn describe(step: &Step) -> String {
    match step {
        Step::CreateNamespace(name) => format!("create schema `{name}`"),
        Step::DropNamespace(name) => format!("drop schema `{name}`"),
        Step::CreateExtension(ext) => format!("create extension `{}`", ext.name),
        Step::DropExtension(ext) => format!("drop extension `{}`", ext.name),
        Step::CreateEnum(e) => format!(
            "create enum `{}` ({})",
            e.name,
            e.values
                .iter()
                .map(|v| format!("'{v}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Step::DropEnum(e) => format!("drop enum `{}`", e.name),
        Step::AddEnumValue {
            enum_name,
            value,
            position,
        } => {
            let place = match position {
                EnumValuePosition::End => String::new(),
                EnumValuePosition::Before(v) => format!(" before '{v}'"),
                EnumValuePosition::After(v) => format!(" after '{v}'"),
            };
            format!("add value '{value}' to enum `{enum_name}`{place}")
        }
        Step::RecreateEnum { next, usages, .. } => format!(
            "recreate enum `{}` with values ({}), converting {} column(s)",
            next.name,
            next.values
                .iter()
                .map(|v| format!("'{v}'"))
                .collect::<Vec<_>>()
                .join(", "),
            usages.len()
        ),
        Step::CreateSequence(s) => format!("create sequence `{}`", s.name),
        Step::DropSequence(s) => format!("drop sequence `{}`", s.name),
        Step::CreateTable(t) => format!("create table `{}`", t.name),
        Step::DropTable(t) => format!("drop table `{}`", t.name),
        Step::RebuildTable { next, .. } => format!("rebuild table `{}`", next.name),
        Step::RenameTable { previous, next } => {
            format!("rename table `{previous}` to `{next}`")
        }
        Step::AddColumn { table, column } => format!(
            "add column `{table}.{}` {}",
            column.name,
            type_words(&column.ty)
        ),
        Step::DropColumn { table, column } => format!("drop column `{table}.{}`", column.name),
        Step::AlterColumn {
            table,
            previous,
            next,
            changes,
        } => {
            let mut what = Vec::new();
            if changes.ty {
                what.push(format!(
                    "type {} → {}",
                    type_words(&previous.ty),
                    type_words(&next.ty)
                ));
            }
            if changes.nullability {
                what.push(
                    if next.nullable {
                        "drop not null"
                    } else {
                        "set not null"
                    }
                    .into(),
                );
            }
            if changes.default {
                what.push(match &next.default {
                    Some(expr) => format!("default {}", expr.sql),
                    None => "drop default".into(),
                });
            }
            if changes.identity {
                what.push("identity".into());
            }
            if changes.generated {
                what.push("generated expression".into());
            }
            if changes.collation {
                what.push("collation".into());
            }
            format!("alter column `{table}.{}` ({})", next.name, what.join(", "))
        }
        Step::AddPrimaryKey { table, primary_key } => format!(
            "add primary key on `{table}` ({})",
            primary_key.columns.join(", ")
        ),
        Step::DropPrimaryKey { table, .. } => format!("drop primary key of `{table}`"),
        Step::AddUnique { table, unique } => format!(
            "add unique constraint{} on `{table}` ({})",
            named(unique.name.as_deref()),
            unique.columns.join(", ")
        ),
        Step::DropUnique { table, unique } => format!(
            "drop unique constraint{} on `{table}` ({})",
            named(unique.name.as_deref()),
            unique.columns.join(", ")
        ),
        Step::AddCheck { table, check } => format!(
            "add check constraint{} on `{table}`",
            named(check.name.as_deref())
        ),
        Step::DropCheck { table, check } => format!(
            "drop check constraint{} on `{table}`",
            named(check.name.as_deref())
        ),
        Step::AddForeignKey { table, foreign_key } => {
            format!("add foreign key{}", foreign_key_words(table, foreign_key))
        }
        Step::DropForeignKey { table, foreign_key } => {
            format!("drop foreign key{}", foreign_key_words(table, foreign_key))
        }
        Step::CreateIndex(i) => format!(
            "create {}index `{}` on `{}`",
            if i.unique { "unique " } else { "" },
            i.name,
            i.table
        ),
        Step::DropIndex(i) => format!("drop index `{}` on `{}`", i.name, i.table),
        Step::CreateView(v) => format!("create {}view `{}`", materialized(v.materialized), v.name),
        Step::DropView(v) => format!("drop {}view `{}`", materialized(v.materialized), v.name),
        Step::SetTableComment { table, comment } => match comment {
            Some(_) => format!("set comment on table `{table}`"),
            None => format!("remove comment on table `{table}`"),
        },
        Step::SetColumnComment {
            table,
            column,
            comment,
        } => match comment {
            Some(_) => format!("set comment on column `{table}.{column}`"),
            None => format!("remove comment on column `{table}.{column}`"),
        },
        Step::CreateOpaque(o) => format!("create {} `{}`", kind_words(o.kind), o.name),
        Step::DropOpaque(o) => format!("drop {} `{}`", kind_words(o.kind), o.name),
    }
}

fn named(name: Option<&str>) -> String {
    name.map(|n| format!(" `{n}`")).unwrap_or_default()
}

fn materialized(yes: bool) -> &'static str {
    if yes { "materialized " } else { "" }
}

fn type_words(ty: &ColumnType) -> String {
    let text = ty.to_string();
    if text.is_empty() {
        "(no type)".into()
    } else {
        text
    }
}

fn foreign_key_words(table: &crate::schema::QualifiedName, fk: &ForeignKey) -> String {
    format!(
        "{} on `{table}` ({}) → `{}` ({})",
        named(fk.name.as_deref()),
        fk.columns.join(", "),
        fk.referenced_table,
        fk.referenced_columns.join(", ")
    )
}

fn kind_words(kind: OpaqueKind) -> String {
    match kind {
        OpaqueKind::Other => "object".into(),
        OpaqueKind::Function
        | OpaqueKind::Procedure
        | OpaqueKind::Trigger
        | OpaqueKind::Type
        | OpaqueKind::Domain
        | OpaqueKind::Statistics
        | OpaqueKind::Policy
        | OpaqueKind::Rule
        | OpaqueKind::Aggregate => kind.as_sql().to_ascii_lowercase(),
    }
}
