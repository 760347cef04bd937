//! The one sort: every step gets a phase, and steps run phase by phase.
//! Within a phase the differ's push order is kept (the sort is stable), and
//! the differ pushes in a deterministic order (schema list order, or a
//! dependency order where one matters: dropped tables, views).

use crate::plan::Step;
use crate::schema::OpaqueKind;

/// Phases in execution order. The order is the safety argument:
/// - objects that may depend on tables (views, triggers) go first and come
///   back last, so no table change is blocked by them;
/// - foreign keys go before the tables, columns and keys they point to,
///   then tables (a dropped table takes its indexes and foreign keys along);
/// - types and sequences exist before the tables that use them;
/// - columns change type before columns are added: PostgreSQL cannot change
///   the type of a column a generated column reads;
/// - generated columns are dropped before, and added after, the columns
///   they read;
/// - foreign keys are added after every table, key and unique index exists;
/// - types, sequences and functions nothing uses any more go after the
///   columns that used them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Phase {
    /// Renames first: every other step names objects by their next names.
    Renames,
    DropDependents,
    DropForeignKeys,
    DropTables,
    DropIndexes,
    DropConstraints,
    DropGeneratedColumns,
    DropColumns,
    CreateNamespaces,
    CreateExtensions,
    CreateTypes,
    CreateFunctions,
    CreateSequences,
    CreateTables,
    AlterColumns,
    AddColumns,
    AddGeneratedColumns,
    RebuildTables,
    AddConstraints,
    CreateIndexes,
    AddForeignKeys,
    DropLeftovers,
    DropExtensions,
    DropNamespaces,
    CreateDependents,
    Comments,
}

/// The phase a step runs in unless the differ says otherwise (a removed
/// function or type is dropped late, in [`Phase::DropLeftovers`]).
pub(super) fn phase(step: &Step) -> Phase {
    match step {
        Step::CreateNamespace(_) => Phase::CreateNamespaces,
        Step::DropNamespace(_) => Phase::DropNamespaces,
        Step::CreateExtension(_) | Step::UpdateExtension(_) | Step::ReinstallExtension(_) => {
            Phase::CreateExtensions
        }
        Step::DropExtension(_) => Phase::DropExtensions,
        Step::CreateEnum(_) | Step::AddEnumValue { .. } | Step::RecreateEnum { .. } => {
            Phase::CreateTypes
        }
        Step::DropEnum(_) | Step::DropSequence(_) => Phase::DropLeftovers,
        Step::CreateSequence(_) => Phase::CreateSequences,
        Step::CreateTable(_) | Step::RenameTable { .. } | Step::CreateVirtualTable(_) => {
            Phase::CreateTables
        }
        Step::DropTable(_) | Step::DropVirtualTable(_) => Phase::DropTables,
        Step::Rename(_) => Phase::Renames,
        Step::RebuildTable { .. } => Phase::RebuildTables,
        Step::AddColumn { column, .. } if column.generated.is_some() => Phase::AddGeneratedColumns,
        Step::AddColumn { .. } => Phase::AddColumns,
        Step::DropColumn { column, .. } if column.generated.is_some() => {
            Phase::DropGeneratedColumns
        }
        Step::DropColumn { .. } => Phase::DropColumns,
        Step::AlterColumn { .. } => Phase::AlterColumns,
        Step::AddPrimaryKey { .. }
        | Step::AddUnique { .. }
        | Step::AddCheck { .. }
        | Step::AddExclusion { .. } => Phase::AddConstraints,
        Step::DropPrimaryKey { .. }
        | Step::DropUnique { .. }
        | Step::DropCheck { .. }
        | Step::DropExclusion { .. } => Phase::DropConstraints,
        Step::AddForeignKey { .. }
        | Step::SetSequenceOwner { .. }
        | Step::AlterSequence { .. }
        | Step::AlterTableOptions { .. }
        | Step::ValidateConstraint { .. } => Phase::AddForeignKeys,
        Step::AlterIndexStorage { .. } | Step::AlterIndexStatistics { .. } => Phase::CreateIndexes,
        Step::CreatePolicy(_) | Step::AlterPolicy { .. } => Phase::CreateDependents,
        Step::DropPolicy(_) => Phase::DropDependents,
        Step::AddPublicationMember(_) | Step::AlterPublication { .. } => Phase::CreateDependents,
        Step::DropPublicationMember(_) => Phase::DropDependents,
        Step::AlterViewOptions { .. } => Phase::CreateDependents,
        Step::DropForeignKey { .. } => Phase::DropForeignKeys,
        Step::CreateIndex(_) => Phase::CreateIndexes,
        Step::DropIndex(_) => Phase::DropIndexes,
        Step::CreateView(_) => Phase::CreateDependents,
        Step::DropView(_) | Step::DropOpaque(_) => Phase::DropDependents,
        Step::SetTableComment { .. } | Step::SetColumnComment { .. } | Step::SetComment { .. } => {
            Phase::Comments
        }
        // Before tables are dropped: dropping a parent drops its partitions.
        Step::DetachPartition { .. } | Step::DropInherit { .. } => Phase::DropForeignKeys,
        // Once both tables have their next columns.
        Step::AttachPartition { .. } | Step::AddInherit { .. } => Phase::AddConstraints,
        Step::ChangePartitioning { .. } => Phase::CreateTables,
        // The differ creates the dictionaries the mappings name in this
        // phase, and pushes the alteration after them.
        Step::AlterTextSearch { .. } => Phase::CreateFunctions,
        Step::AlterOpaqueState { .. } => Phase::CreateDependents,
        Step::CreateOpaque(object) => match object_class(object.kind) {
            ObjectClass::TypeLike => Phase::CreateTypes,
            ObjectClass::FunctionLike => Phase::CreateFunctions,
            ObjectClass::Dependent => Phase::CreateDependents,
        },
    }
}

/// When an opaque object must exist: types before the tables whose columns
/// use them, functions before the defaults and checks that call them, and
/// everything else (triggers, policies, rules, statistics) after its table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ObjectClass {
    TypeLike,
    FunctionLike,
    Dependent,
}

pub(super) fn object_class(kind: OpaqueKind) -> ObjectClass {
    match kind {
        OpaqueKind::Type
        | OpaqueKind::Domain
        | OpaqueKind::Collation
        | OpaqueKind::TextSearchConfiguration
        | OpaqueKind::TextSearchDictionary => ObjectClass::TypeLike,
        OpaqueKind::Function
        | OpaqueKind::Procedure
        | OpaqueKind::Aggregate
        | OpaqueKind::Operator
        | OpaqueKind::Cast => ObjectClass::FunctionLike,
        OpaqueKind::Trigger
        | OpaqueKind::Statistics
        | OpaqueKind::Policy
        | OpaqueKind::Rule
        | OpaqueKind::EventTrigger
        | OpaqueKind::Publication => ObjectClass::Dependent,
    }
}
