//! What changed in a column, and whether the change can lose data.

use crate::dialect::{Dialect, DialectRules};
use crate::pair::Pair;
use crate::plan::{ColumnChanges, Destructive};
use crate::schema::{Column, QualifiedName};

/// Every aspect in which two columns of the same name differ. The comment is
/// not an aspect: it never needs `ALTER COLUMN`.
pub(super) fn column_changes(columns: Pair<&Column>, dialect: Dialect) -> ColumnChanges {
    let Pair { previous, next } = columns;
    let collation = match (&previous.collation, &next.collation) {
        (None, None) => false,
        (Some(a), Some(b)) => !dialect.same_name(a, b),
        _ => true,
    };
    ColumnChanges {
        ty: previous.ty != next.ty,
        nullability: previous.nullable != next.nullable
            || previous.not_null_conflict != next.not_null_conflict,
        default: previous.default_value() != next.default_value(),
        identity: previous.identity != next.identity
            || previous.autoincrement != next.autoincrement,
        generated: previous.generated != next.generated,
        collation,
        statistics: previous.statistics != next.statistics,
        storage: previous.storage != next.storage,
        compression: previous.compression != next.compression,
        attribute_options: previous.attribute_options != next.attribute_options,
        // A new identity is created with its options; only a kept one alters them.
        identity_options: previous.identity.is_some()
            && next.identity.is_some()
            && previous.identity_options != next.identity_options,
    }
}

/// Whether the dialect can make these changes with `ALTER COLUMN`. A changed
/// generation expression is never altered in place (drop and add instead).
pub(super) fn alterable(changes: &ColumnChanges, rules: &dyn DialectRules) -> bool {
    (!(changes.ty || changes.collation) || rules.can_alter_column_type())
        && (!changes.nullability || rules.can_alter_nullability())
        && (!changes.default || rules.can_alter_default())
        && (!(changes.identity || changes.identity_options) || rules.can_alter_identity())
        && (!(changes.statistics
            || changes.storage
            || changes.compression
            || changes.attribute_options)
            || rules.can_alter_column_type())
}

/// The data an `ALTER COLUMN` (or a rebuild making the same change) can lose:
/// a type change that is not a known widening, then `SET NOT NULL`.
pub(super) fn destructive_change(
    table: &QualifiedName,
    columns: Pair<&Column>,
    changes: &ColumnChanges,
    rules: &dyn DialectRules,
) -> Option<Destructive> {
    let Pair { previous, next } = columns;
    if let Some(using) = changes
        .ty
        .then(|| rules.missing_cast(&previous.ty, &next.ty))
        .flatten()
    {
        return Some(Destructive::NoCast {
            table: table.clone(),
            column: next.name.clone(),
            from: previous.ty.to_string(),
            to: next.ty.to_string(),
            using,
        });
    }
    if changes.ty && !rules.is_widening(&previous.ty, &next.ty) {
        return Some(Destructive::TypeChange {
            table: table.clone(),
            column: next.name.clone(),
            from: previous.ty.to_string(),
            to: next.ty.to_string(),
        });
    }
    if let (true, Some(a), Some(b)) = (
        changes.identity_options,
        &previous.identity_options,
        &next.identity_options,
    ) && a.narrows_to(b)
    {
        return Some(Destructive::RestartIdentity {
            table: table.clone(),
            column: next.name.clone(),
        });
    }
    if changes.nullability && !next.nullable {
        return Some(Destructive::SetNotNull {
            table: table.clone(),
            column: next.name.clone(),
        });
    }
    None
}

/// Dropping a generated column loses nothing the database cannot compute again.
pub(super) fn drop_loses_data(column: &Column) -> bool {
    column.generated.is_none()
}
