//! One line in words per step, for the CLI and the build gate.

use crate::plan::{ColumnChanges, CommentTarget, EnumValuePosition, Step};
use crate::schema::{
    CheckConstraint, Column, ColumnType, ForeignKey, OpaqueKind, PrimaryKey, Table,
    UniqueConstraint,
};

/// `create table `users``, `add column `users.email``, …
pub fn describe(step: &Step) -> String {
    match step {
        Step::CreateNamespace(name) => format!("create schema `{name}`"),
        Step::DropNamespace(name) => format!("drop schema `{name}`"),
        Step::CreateExtension(ext) => format!("create extension `{}`", ext.name),
        Step::DropExtension(ext) => format!("drop extension `{}`", ext.name),
        Step::ReinstallExtension(ext) => format!(
            "drop extension `{}` and create it at version {}",
            ext.name,
            ext.version.as_deref().unwrap_or("(default)")
        ),
        Step::UpdateExtension(ext) => format!(
            "update extension `{}` to version {}",
            ext.name,
            ext.version.as_deref().unwrap_or("(default)")
        ),
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
        Step::SetSequenceOwner {
            sequence,
            owned_by: (table, column),
        } => format!("make `{table}.{column}` own sequence `{sequence}`"),
        Step::DropSequence(s) => format!("drop sequence `{}`", s.name),
        Step::AlterSequence { previous, next } => {
            format!(
                "alter sequence `{}` ({})",
                next.name,
                sequence_words(previous, next)
            )
        }
        Step::AlterTableOptions {
            table,
            previous,
            next,
        } => format!(
            "alter table `{table}` ({})",
            table_option_words(previous, next)
        ),
        Step::AlterIndexStorage { index, next, .. } => format!(
            "set storage parameters of index `{index}` to ({})",
            storage_words(next)
        ),
        Step::AlterIndexStatistics {
            index,
            previous,
            next,
        } => {
            let changed: Vec<String> = previous
                .iter()
                .zip(next)
                .enumerate()
                .filter(|(_, (old, new))| old != new)
                .map(|(i, (_, new))| match new {
                    Some(n) => format!("column {} statistics {n}", i + 1),
                    None => format!("column {} default statistics", i + 1),
                })
                .collect();
            format!("alter index `{index}` ({})", changed.join(", "))
        }
        Step::AlterViewOptions {
            view,
            materialized: m,
            next,
            ..
        } => format!(
            "set options of {}view `{view}` to ({})",
            materialized(*m),
            storage_words(next)
        ),
        Step::SetComment { target, comment } => {
            let what = match target {
                CommentTarget::Index(n) => format!("index `{n}`"),
                CommentTarget::View {
                    name,
                    materialized: m,
                } => {
                    format!("{}view `{name}`", materialized(*m))
                }
                CommentTarget::ViewColumn { view, column } => format!("column `{view}.{column}`"),
                CommentTarget::Sequence(n) => format!("sequence `{n}`"),
                CommentTarget::Type(n) => format!("type `{n}`"),
                CommentTarget::Schema(n) => format!("schema `{n}`"),
                CommentTarget::Extension(n) => format!("extension `{n}`"),
                CommentTarget::Constraint { name, table } => {
                    format!("constraint `{name}` on `{table}`")
                }
                CommentTarget::Policy { name, table } => format!("policy `{name}` on `{table}`"),
                CommentTarget::Opaque(o) => format!("{} `{}`", kind_words(o.kind), o.name),
            };
            match comment {
                Some(_) => format!("set comment on {what}"),
                None => format!("remove comment on {what}"),
            }
        }
        Step::CreatePolicy(p) => format!("create policy `{}` on `{}`", p.name, p.table),
        Step::DropPolicy(p) => format!("drop policy `{}` on `{}`", p.name, p.table),
        Step::AlterPolicy { next, .. } => {
            format!("alter policy `{}` on `{}`", next.name, next.table)
        }
        Step::AddPublicationMember(m) => {
            format!(
                "add {} to publication `{}`",
                publication_member(m),
                m.publication
            )
        }
        Step::AlterPublication { next, .. } => format!("alter publication `{}`", next.name),
        Step::DropPublicationMember(m) => format!(
            "remove {} from publication `{}`",
            publication_member(m),
            m.publication
        ),
        Step::ValidateConstraint { table, name } => {
            format!("validate constraint `{name}` on `{table}`")
        }
        Step::CreateTable(t) => format!("create table `{}`", t.name),
        Step::DropTable(t) => format!("drop table `{}`", t.name),
        Step::RebuildTable { previous, next, .. } => {
            let changes = rebuild_changes(previous, next);
            if changes.is_empty() {
                format!("rebuild table `{}`", next.name)
            } else {
                format!("rebuild table `{}` ({})", next.name, changes.join("; "))
            }
        }
        Step::RenameTable { previous, next } => {
            format!("rename table `{previous}` to `{next}`")
        }
        Step::Rename(rename) => {
            use crate::plan::Rename;
            match rename {
                Rename::Column { table, from, to } => {
                    format!("rename column `{table}.{from}` to `{table}.{to}`")
                }
                Rename::Index { from, to } => format!("rename index `{from}` to `{to}`"),
                Rename::Constraint { table, from, to } => {
                    format!("rename constraint `{from}` of `{table}` to `{to}`")
                }
                Rename::View { from, to, .. } => format!("rename view `{from}` to `{to}`"),
                Rename::Sequence { from, to } => format!("rename sequence `{from}` to `{to}`"),
                Rename::Enum { from, to } => format!("rename enum type `{from}` to `{to}`"),
                Rename::EnumValue {
                    enum_name,
                    from,
                    to,
                } => format!("rename value '{from}' of enum `{enum_name}` to '{to}'"),
            }
        }
        Step::AddColumn { table, column } => format!(
            "add column `{table}.{}` {}",
            column.name,
            type_words(&column.ty)
        ),
        Step::DropColumn { table, column, .. } => {
            format!("drop column `{table}.{}`", column.name)
        }
        Step::AlterColumn {
            table,
            previous,
            next,
            changes,
        } => format!(
            "alter column `{table}.{}` ({})",
            next.name,
            column_change_words(previous, next, changes)
        ),
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
        Step::AddExclusion { table, exclusion } => format!(
            "add exclusion constraint{} on `{table}`",
            named(exclusion.name.as_deref())
        ),
        Step::DropExclusion { table, exclusion } => format!(
            "drop exclusion constraint{} on `{table}`",
            named(exclusion.name.as_deref())
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
        Step::CreateVirtualTable(v) => format!("create virtual table `{}`", v.name),
        Step::DropVirtualTable(v) => format!("drop virtual table `{}`", v.name),
        Step::CreateOpaque(o) => format!("create {} `{}`", kind_words(o.kind), opaque_name(o)),
        Step::DropOpaque(o) => format!("drop {} `{}`", kind_words(o.kind), opaque_name(o)),
        Step::AlterTextSearch { next, .. } => {
            format!("alter {} `{}`", kind_words(next.kind), next.name)
        }
        Step::AlterOpaqueState { previous, next } => {
            let mut changes = Vec::new();
            if previous.firing != next.firing {
                changes.push(next.firing.as_sql().to_lowercase());
            }
            if previous.statistics_target != next.statistics_target {
                changes.push(match next.statistics_target {
                    Some(n) => format!("statistics target {n}"),
                    None => "default statistics target".to_string(),
                });
            }
            format!(
                "alter {} `{}`: {}",
                kind_words(next.kind),
                opaque_name(next),
                changes.join(", ")
            )
        }
        Step::AttachPartition { table, partition } => format!(
            "attach `{table}` to `{}` ({})",
            partition.parent, partition.bound
        ),
        Step::DetachPartition { table, partition } => {
            format!("detach `{table}` from `{}`", partition.parent)
        }
        Step::ChangePartitioning { table } => format!("change the partitioning of `{table}`"),
        Step::AddInherit { table, parent } => format!("make `{table}` inherit from `{parent}`"),
        Step::DropInherit { table, parent } => {
            format!("make `{table}` no longer inherit from `{parent}`")
        }
    }
}

/// What changes in a column, in words: `type TEXT → INTEGER, set not null`.
fn column_change_words(previous: &Column, next: &Column, changes: &ColumnChanges) -> String {
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
    if changes.statistics {
        what.push(match next.statistics {
            Some(n) => format!("statistics {n}"),
            None => "default statistics".into(),
        });
    }
    if changes.storage {
        what.push(match next.storage {
            Some(s) => format!("storage {}", s.as_sql().to_ascii_lowercase()),
            None => "the type's storage".into(),
        });
    }
    if changes.compression {
        what.push(match &next.compression {
            Some(c) => format!("compression {c}"),
            None => "default compression".into(),
        });
    }
    if changes.attribute_options {
        what.push("attribute options".into());
    }
    if changes.identity_options {
        what.push("identity options".into());
    }
    what.join(", ")
}

fn storage_words(params: &[crate::schema::StorageParam]) -> String {
    params
        .iter()
        .map(|p| format!("{}={}", p.name, p.value))
        .collect::<Vec<_>>()
        .join(", ")
}

fn sequence_words(previous: &crate::schema::Sequence, next: &crate::schema::Sequence) -> String {
    let (a, b) = (&previous.options, &next.options);
    let mut what = Vec::new();
    if a.data_type != b.data_type {
        what.push(format!("as {}", b.data_type));
    }
    let numbers = [
        ("start", a.start, b.start),
        ("increment", a.increment, b.increment),
        ("minvalue", a.min, b.min),
        ("maxvalue", a.max, b.max),
        ("cache", a.cache, b.cache),
    ];
    for (word, x, y) in numbers {
        if x != y {
            what.push(format!("{word} {y}"));
        }
    }
    if a.cycle != b.cycle {
        what.push(if b.cycle { "cycle" } else { "no cycle" }.into());
    }
    if previous.unlogged != next.unlogged {
        what.push(if next.unlogged { "unlogged" } else { "logged" }.into());
    }
    if previous.owned_by != next.owned_by {
        what.push(match &next.owned_by {
            Some((t, c)) => format!("owned by `{t}.{c}`"),
            None => "owned by none".into(),
        });
    }
    what.join(", ")
}

fn table_option_words(
    previous: &crate::schema::TableOptions,
    next: &crate::schema::TableOptions,
) -> String {
    let mut what = Vec::new();
    if previous.unlogged != next.unlogged {
        what.push(if next.unlogged { "unlogged" } else { "logged" }.to_string());
    }
    if !crate::schema::same_storage(&previous.storage, &next.storage) {
        what.push(format!(
            "storage parameters ({})",
            storage_words(&next.storage)
        ));
    }
    if previous.row_security != next.row_security {
        what.push(
            if next.row_security {
                "enable row level security"
            } else {
                "disable row level security"
            }
            .into(),
        );
    }
    if previous.force_row_security != next.force_row_security {
        what.push(
            if next.force_row_security {
                "force row level security"
            } else {
                "no force row level security"
            }
            .into(),
        );
    }
    if previous.replica_identity != next.replica_identity {
        what.push(match &next.replica_identity {
            crate::schema::ReplicaIdentity::Default => "replica identity default".into(),
            crate::schema::ReplicaIdentity::Full => "replica identity full".into(),
            crate::schema::ReplicaIdentity::Nothing => "replica identity nothing".into(),
            crate::schema::ReplicaIdentity::Index(i) => format!("replica identity using `{i}`"),
        });
    }
    if previous.cluster_on != next.cluster_on {
        what.push(match &next.cluster_on {
            Some(i) => format!("cluster on `{i}`"),
            None => "set without cluster".into(),
        });
    }
    what.join(", ")
}

/// Names as a rebuild compares them. The step carries no dialect, and only
/// a dialect whose names compare case-insensitively (SQLite) rebuilds
/// tables; the exact spelling is tried first so that distinct `A` and `a`
/// elsewhere are never paired.
fn find_column<'a>(table: &'a Table, name: &str) -> Option<&'a Column> {
    table.columns.iter().find(|c| c.name == name).or_else(|| {
        table
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    })
}

fn same_names(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
}

/// Everything a table rebuild changes, one phrase each, in table order:
/// columns, then keys and constraints, then table options.
fn rebuild_changes(previous: &Table, next: &Table) -> Vec<String> {
    let mut out = Vec::new();
    for column in &next.columns {
        let Some(old) = find_column(previous, &column.name) else {
            out.push(format!(
                "add column `{}` {}",
                column.name,
                type_words(&column.ty)
            ));
            continue;
        };
        let changes = ColumnChanges {
            ty: old.ty != column.ty,
            nullability: old.nullable != column.nullable,
            default: old.default_value() != column.default_value(),
            identity: old.identity != column.identity || old.autoincrement != column.autoincrement,
            generated: old.generated != column.generated,
            collation: match (&old.collation, &column.collation) {
                (Some(a), Some(b)) => !a.eq_ignore_ascii_case(b),
                (a, b) => a.is_some() != b.is_some(),
            },
            statistics: old.statistics != column.statistics,
            storage: old.storage != column.storage,
            compression: old.compression != column.compression,
            attribute_options: old.attribute_options != column.attribute_options,
            identity_options: old.identity_options != column.identity_options,
        };
        if changes.any() {
            out.push(format!(
                "alter column `{}`: {}",
                column.name,
                column_change_words(old, column, &changes)
            ));
        }
    }
    for column in &previous.columns {
        if find_column(next, &column.name).is_none() {
            out.push(format!("drop column `{}`", column.name));
        }
    }
    let kept: Vec<&str> = previous
        .columns
        .iter()
        .filter_map(|c| find_column(next, &c.name).map(|n| n.name.as_str()))
        .collect();
    let order: Vec<&str> = next
        .columns
        .iter()
        .filter(|c| find_column(previous, &c.name).is_some())
        .map(|c| c.name.as_str())
        .collect();
    if kept != order {
        out.push("reorder columns".into());
    }
    let pk_columns = |pk: &PrimaryKey| {
        let include = match pk.index.include.as_slice() {
            [] => String::new(),
            include => format!(" INCLUDE ({})", include.join(", ")),
        };
        format!("({}){include}", pk.columns.join(", "))
    };
    match (&previous.primary_key, &next.primary_key) {
        (Some(a), Some(b))
            if !same_names(&a.columns, &b.columns)
                || !same_names(&a.index.include, &b.index.include) =>
        {
            out.push(format!("primary key {} → {}", pk_columns(a), pk_columns(b)))
        }
        (None, Some(b)) => out.push(format!("add primary key {}", pk_columns(b))),
        (Some(a), None) => out.push(format!("drop primary key {}", pk_columns(a))),
        (Some(_), Some(_)) | (None, None) => {}
    }
    let same_unique = |a: &UniqueConstraint, b: &UniqueConstraint| {
        same_names(&a.columns, &b.columns)
            && same_names(&a.index.include, &b.index.include)
            && a.nulls_not_distinct == b.nulls_not_distinct
            && a.deferrable == b.deferrable
    };
    let unique_words = |verb: &str, u: &UniqueConstraint| {
        format!(
            "{verb} unique{} ({})",
            named(u.name.as_deref()),
            u.columns.join(", ")
        )
    };
    changed(
        &previous.uniques,
        &next.uniques,
        same_unique,
        |u| unique_words("drop", u),
        |u| unique_words("add", u),
        &mut out,
    );
    let check_words = |verb: &str, c: &CheckConstraint| {
        format!("{verb} check{} ({})", named(c.name.as_deref()), c.expr.sql)
    };
    changed(
        &previous.checks,
        &next.checks,
        |a, b| a.expr == b.expr,
        |c| check_words("drop", c),
        |c| check_words("add", c),
        &mut out,
    );
    let same_fk = |a: &ForeignKey, b: &ForeignKey| {
        same_names(&a.columns, &b.columns)
            && a.referenced_table.schema == b.referenced_table.schema
            && a.referenced_table
                .name
                .eq_ignore_ascii_case(&b.referenced_table.name)
            && same_names(&a.referenced_columns, &b.referenced_columns)
            && a.on_delete == b.on_delete
            && a.on_update == b.on_update
            && a.deferrable == b.deferrable
    };
    changed(
        &previous.foreign_keys,
        &next.foreign_keys,
        same_fk,
        |fk| format!("drop foreign key{}", fk_words(fk)),
        |fk| format!("add foreign key{}", fk_words(fk)),
        &mut out,
    );
    for (option, was, is) in [
        ("STRICT", previous.strict, next.strict),
        ("WITHOUT ROWID", previous.without_rowid, next.without_rowid),
    ] {
        match (was, is) {
            (false, true) => out.push(format!("set {option}")),
            (true, false) => out.push(format!("drop {option}")),
            (true, true) | (false, false) => {}
        }
    }
    out
}

/// Constraints of `previous` with no match in `next` (dropped), then those
/// of `next` with none in `previous` (added).
fn changed<T>(
    previous: &[T],
    next: &[T],
    same: impl Fn(&T, &T) -> bool,
    dropped: impl Fn(&T) -> String,
    added: impl Fn(&T) -> String,
    out: &mut Vec<String>,
) {
    for old in previous {
        if !next.iter().any(|new| same(old, new)) {
            out.push(dropped(old));
        }
    }
    for new in next {
        if !previous.iter().any(|old| same(old, new)) {
            out.push(added(new));
        }
    }
}

fn fk_words(fk: &ForeignKey) -> String {
    let mut words = format!(
        "{} ({}) → `{}` ({})",
        named(fk.name.as_deref()),
        fk.columns.join(", "),
        fk.referenced_table,
        fk.referenced_columns.join(", ")
    );
    for (event, action) in [("delete", fk.on_delete), ("update", fk.on_update)] {
        if action != crate::schema::ForeignKeyAction::NoAction {
            words.push_str(&format!(
                " on {event} {}",
                action.as_sql().to_ascii_lowercase()
            ));
        }
    }
    words
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

/// Overloads are told apart by their argument types.
fn opaque_name(o: &crate::schema::OpaqueObject) -> String {
    match &o.signature {
        Some(signature) => format!("{}({signature})", o.name),
        None => o.name.to_string(),
    }
}

fn kind_words(kind: OpaqueKind) -> String {
    match kind {
        OpaqueKind::EventTrigger => "event trigger".into(),
        OpaqueKind::Publication => "publication".into(),
        OpaqueKind::TextSearchConfiguration => "text search configuration".into(),
        OpaqueKind::TextSearchDictionary => "text search dictionary".into(),
        OpaqueKind::Function
        | OpaqueKind::Procedure
        | OpaqueKind::Collation
        | OpaqueKind::Operator
        | OpaqueKind::Cast
        | OpaqueKind::Trigger
        | OpaqueKind::Type
        | OpaqueKind::Domain
        | OpaqueKind::Statistics
        | OpaqueKind::Policy
        | OpaqueKind::Rule
        | OpaqueKind::Aggregate => kind.as_sql().to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::describe;
    use crate::dialect::Dialect;
    use crate::plan::Step;
    use crate::schema::{
        Column, ColumnType, Expr, ForeignKey, ForeignKeyAction, PrimaryKey, QualifiedName, Table,
    };

    fn table(columns: &[(&str, &str)]) -> Table {
        let mut t = Table::new(QualifiedName::new("users"));
        t.columns = columns
            .iter()
            .map(|(name, ty)| Column::new(*name, ColumnType::simple(*ty)))
            .collect();
        t.primary_key = Some(PrimaryKey {
            name: None,
            columns: vec!["id".into()],
            ..Default::default()
        });
        t
    }

    fn rebuild(previous: &Table, next: &Table) -> String {
        describe(&Step::RebuildTable {
            previous: previous.clone(),
            next: next.clone(),
            indexes: Vec::new(),
        })
    }

    #[test]
    fn a_rebuild_says_what_it_changes() {
        let previous = table(&[("id", "INTEGER"), ("email", "TEXT"), ("old", "TEXT")]);
        let mut next = table(&[("id", "INTEGER"), ("email", "TEXT"), ("age", "INTEGER")]);
        next.columns[1].nullable = false;
        next.columns[1].default = Some(Expr::new("''", Dialect::Sqlite));
        next.strict = true;
        next.foreign_keys.push(ForeignKey {
            not_valid: false,
            name: None,
            columns: vec!["age".into()],
            referenced_table: QualifiedName::new("ages"),
            referenced_columns: vec!["id".into()],
            on_delete: ForeignKeyAction::Cascade,
            on_update: ForeignKeyAction::NoAction,
            deferrable: Default::default(),
        });
        assert_eq!(
            rebuild(&previous, &next),
            "rebuild table `users` (alter column `email`: set not null, default ''; \
             add column `age` INTEGER; drop column `old`; \
             add foreign key (age) → `ages` (id) on delete cascade; set STRICT)"
        );
    }

    #[test]
    fn a_rebuild_pairs_columns_as_sqlite_names_compare() {
        let previous = table(&[("id", "INTEGER"), ("Email", "TEXT"), ("b", "TEXT")]);
        let next = table(&[("id", "INTEGER"), ("b", "TEXT"), ("email", "TEXT")]);
        assert_eq!(
            rebuild(&previous, &next),
            "rebuild table `users` (reorder columns)"
        );
        // Nothing it can name: the bare step, never an empty list.
        assert_eq!(rebuild(&previous, &previous), "rebuild table `users`");
    }
}

/// `table `t``, `tables in schema `s``, for messages.
fn publication_member(m: &crate::schema::PublicationMember) -> String {
    use crate::schema::PublicationTarget;
    match &m.target {
        PublicationTarget::Table { table, .. } => format!("table `{table}`"),
        PublicationTarget::Schema(s) => format!(
            "the tables in schema `{}`",
            s.as_deref().unwrap_or("public")
        ),
    }
}
