//! The differ's output: an ordered list of steps, each a single change a
//! renderer turns into SQL. Steps carry the objects they touch (cloned from
//! the previous and next schema), so a renderer needs nothing else.

use crate::schema::{
    CheckConstraint, Column, Enum, ExclusionConstraint, Extension, ForeignKey, Index, OpaqueObject,
    PartitionOf, Policy, PrimaryKey, PublicationMember, QualifiedName, Sequence, StorageParam,
    Table, TableOptions, UniqueConstraint, View, VirtualTable,
};

/// One change to a database schema.
// A plan holds a few steps per changed object, built once and rendered
// once: boxing the large variants would only add indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    CreateNamespace(String),
    DropNamespace(String),
    CreateExtension(Extension),
    DropExtension(Extension),
    /// `ALTER EXTENSION … UPDATE TO 'version'` (the next schema names one).
    UpdateExtension(Extension),
    /// `DROP EXTENSION` then `CREATE EXTENSION … VERSION 'version'`: a
    /// downgrade, for which extensions ship no update path. The drop fails,
    /// and nothing changes, while objects of the schema depend on it.
    ReinstallExtension(Extension),

    CreateEnum(Enum),
    DropEnum(Enum),
    /// `ALTER TYPE … ADD VALUE 'v' [BEFORE|AFTER 'w']`.
    AddEnumValue {
        enum_name: QualifiedName,
        value: String,
        /// Where it goes: `Before("w")`/`After("w")`, or at the end.
        position: EnumValuePosition,
    },
    /// Values were removed or reordered: PostgreSQL cannot drop an enum value,
    /// so the type is recreated and every column using it converted.
    RecreateEnum {
        previous: Enum,
        next: Enum,
        /// Columns (table, column, column default) that use the type.
        usages: Vec<EnumUsage>,
    },

    /// Contract with the renderers: a column created in the same plan (in a
    /// `CreateTable` or an `AddColumn`) whose default is
    /// `nextval('<table>_<column>_seq'::regclass)` on an integer type, with
    /// that sequence created by the plan and owned by the column, is rendered
    /// `smallserial`/`serial`/`bigserial`, which creates the sequence
    /// (`DialectRules::implicit_sequence` says which; the differ lists them
    /// in [`Plan::implicit_sequences`]). So the differ emits `CreateSequence`
    /// for every other sequence. `owned_by` is rendered as `OWNED BY`: its column exists when
    /// the step runs (the differ places the step after a created owner).
    CreateSequence(Sequence),
    /// Emitted only for sequences that no column or table dropped in the same
    /// plan owns: the database drops an owned sequence with its owner.
    DropSequence(Sequence),
    /// `ALTER SEQUENCE … OWNED BY table.column`, for a sequence created
    /// before the column that owns it (a created column's default draws from
    /// it but is not rendered `serial`).
    SetSequenceOwner {
        sequence: QualifiedName,
        owned_by: (QualifiedName, String),
    },

    /// `ALTER SEQUENCE`: options, persistence and owner of a sequence both
    /// schemas have (or of one a serial column created with its defaults).
    AlterSequence {
        previous: Sequence,
        next: Sequence,
    },

    /// `SET [UN]LOGGED`, `SET (…)`/`RESET (…)`, row security, replica
    /// identity of an existing table. A created table is rendered with its
    /// persistence and storage parameters; the differ follows it with this
    /// step for the rest (`previous` is then the defaults plus those two).
    AlterTableOptions {
        table: QualifiedName,
        previous: TableOptions,
        next: TableOptions,
    },
    /// `ALTER INDEX … SET (…)/RESET (…)`.
    AlterIndexStorage {
        index: QualifiedName,
        previous: Vec<StorageParam>,
        next: Vec<StorageParam>,
    },
    /// `ALTER INDEX … ALTER COLUMN n SET STATISTICS k`: the statistics
    /// targets of a kept index's columns, one a column (`None` the default).
    AlterIndexStatistics {
        index: QualifiedName,
        previous: Vec<Option<i32>>,
        next: Vec<Option<i32>>,
    },
    /// `ALTER [MATERIALIZED] VIEW … SET (…)/RESET (…)`.
    AlterViewOptions {
        view: QualifiedName,
        materialized: bool,
        previous: Vec<StorageParam>,
        next: Vec<StorageParam>,
    },
    /// `ALTER TABLE … VALIDATE CONSTRAINT`: a `NOT VALID` check or foreign
    /// key becomes valid.
    ValidateConstraint {
        table: QualifiedName,
        name: String,
    },

    /// With its primary key, uniques and checks; with its foreign keys only
    /// when the dialect declares them inline (SQLite): otherwise the differ
    /// empties `foreign_keys` and emits `AddForeignKey` steps after every
    /// table exists. Comments are not part of it: `SetTableComment` and
    /// `SetColumnComment` steps follow (the same holds for `AddColumn`).
    CreateTable(Table),
    DropTable(Table),
    /// SQLite virtual table; a changed definition is a drop and a create
    /// (SQLite cannot alter one, and its module owns the data).
    CreateVirtualTable(VirtualTable),
    DropVirtualTable(VirtualTable),
    /// SQLite: the table cannot be altered in place; create the new shape,
    /// copy the rows of the columns both shapes have, drop, rename, recreate
    /// its indexes. `previous` and `next` are the whole tables.
    RebuildTable {
        previous: Table,
        next: Table,
        /// Indexes on the table in the next schema, recreated after the rename.
        /// The differ emits no other step for a rebuilt table: its previous
        /// indexes go with the old table, and triggers on it are dropped
        /// before and created again after (opaque steps).
        indexes: Vec<Index>,
    },
    RenameTable {
        previous: QualifiedName,
        next: QualifiedName,
    },
    /// A column, index, constraint, view, sequence, enum type or enum value
    /// keeps its rows and dependents under a new name (a
    /// `-- migrate:renamed-from` annotation). Tables are `RenameTable`.
    Rename(Rename),

    AddColumn {
        table: QualifiedName,
        column: Column,
    },
    DropColumn {
        table: QualifiedName,
        column: Column,
        /// PostgreSQL: tables inheriting from `table` keep their copy as a
        /// column of their own (`ALTER TABLE ONLY … DROP COLUMN`); otherwise
        /// the server drops the copies it made.
        children_keep: bool,
    },
    AlterColumn {
        table: QualifiedName,
        previous: Column,
        next: Column,
        changes: ColumnChanges,
    },

    AddPrimaryKey {
        table: QualifiedName,
        primary_key: PrimaryKey,
    },
    DropPrimaryKey {
        table: QualifiedName,
        primary_key: PrimaryKey,
    },
    AddUnique {
        table: QualifiedName,
        unique: UniqueConstraint,
    },
    DropUnique {
        table: QualifiedName,
        unique: UniqueConstraint,
    },
    AddCheck {
        table: QualifiedName,
        check: CheckConstraint,
    },
    DropCheck {
        table: QualifiedName,
        check: CheckConstraint,
    },
    AddExclusion {
        table: QualifiedName,
        exclusion: ExclusionConstraint,
    },
    DropExclusion {
        table: QualifiedName,
        exclusion: ExclusionConstraint,
    },
    AddForeignKey {
        table: QualifiedName,
        foreign_key: ForeignKey,
    },
    DropForeignKey {
        table: QualifiedName,
        foreign_key: ForeignKey,
    },

    CreateIndex(Index),
    DropIndex(Index),

    CreateView(View),
    DropView(View),

    /// `COMMENT ON TABLE`; `None` removes it.
    SetTableComment {
        table: QualifiedName,
        comment: Option<String>,
    },
    /// `COMMENT ON COLUMN`; `None` removes it.
    SetColumnComment {
        table: QualifiedName,
        column: String,
        comment: Option<String>,
    },

    CreateOpaque(OpaqueObject),
    DropOpaque(OpaqueObject),
    /// A text search configuration's mappings or a dictionary's options
    /// change in place (`ALTER TEXT SEARCH …`); parser and template stay.
    AlterTextSearch {
        previous: OpaqueObject,
        next: OpaqueObject,
    },
    /// A trigger's or event trigger's firing, a statistics object's target:
    /// changed in place (`ALTER TABLE … DISABLE TRIGGER`, `ALTER EVENT
    /// TRIGGER … ENABLE REPLICA`, `ALTER STATISTICS … SET STATISTICS`), the
    /// definition the same.
    AlterOpaqueState {
        previous: OpaqueObject,
        next: OpaqueObject,
    },

    /// `COMMENT ON <object> IS …`; `None` removes it. Tables and columns
    /// have their own steps.
    SetComment {
        target: CommentTarget,
        comment: Option<String>,
    },

    /// Row-level security policies (PostgreSQL). Created after their table
    /// and the functions they call; dropped before the columns they read.
    CreatePolicy(Policy),
    DropPolicy(Policy),
    /// `ALTER POLICY … TO … USING (…) WITH CHECK (…)`: same command and
    /// kind, no clause removed.
    AlterPolicy {
        previous: Policy,
        next: Policy,
    },

    /// `ALTER PUBLICATION p ADD TABLE ONLY t (a) WHERE (…)` / `ADD TABLES IN
    /// SCHEMA s` (PostgreSQL): after the publication, the table and its
    /// columns. A changed column list or filter is dropped and added again.
    AddPublicationMember(PublicationMember),
    /// `ALTER PUBLICATION p SET (publish = …, publish_via_partition_root =
    /// …)`: the options changed, `FOR ALL TABLES` did not.
    AlterPublication {
        previous: OpaqueObject,
        next: OpaqueObject,
    },
    /// Before the table, the columns it publishes, or the schema goes.
    DropPublicationMember(PublicationMember),

    /// `ALTER TABLE parent ATTACH PARTITION table FOR VALUES …`. The table
    /// exists with its parent's columns (a created partition is a
    /// `CreateTable` without `partition_of`, then this step); the server
    /// makes or attaches the partition's copies of the parent's keys,
    /// foreign keys and indexes.
    AttachPartition {
        table: QualifiedName,
        partition: PartitionOf,
    },
    /// `ALTER TABLE parent DETACH PARTITION table`.
    DetachPartition {
        table: QualifiedName,
        partition: PartitionOf,
    },
    /// A table becomes partitioned, stops being partitioned, or changes
    /// its partition key: PostgreSQL cannot do that in place, and the
    /// renderers refuse it (a new table and a copy of the rows is a
    /// decision for the user, not a migration to write silently).
    ChangePartitioning {
        table: QualifiedName,
    },
    /// `ALTER TABLE table INHERIT parent`.
    AddInherit {
        table: QualifiedName,
        parent: QualifiedName,
    },
    /// `ALTER TABLE table NO INHERIT parent`.
    DropInherit {
        table: QualifiedName,
        parent: QualifiedName,
    },
}

/// What a [`Step::Rename`] renames; `from` is the whole old name, `to` the
/// new name in the same schema (and table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rename {
    Column {
        table: QualifiedName,
        from: String,
        to: String,
    },
    Index {
        from: QualifiedName,
        to: String,
    },
    Constraint {
        table: QualifiedName,
        from: String,
        to: String,
    },
    View {
        from: QualifiedName,
        to: String,
        materialized: bool,
    },
    Sequence {
        from: QualifiedName,
        to: String,
    },
    Enum {
        from: QualifiedName,
        to: String,
    },
    EnumValue {
        enum_name: QualifiedName,
        from: String,
        to: String,
    },
}

/// What a `SetComment` step comments on.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommentTarget {
    Index(QualifiedName),
    View {
        name: QualifiedName,
        materialized: bool,
    },
    ViewColumn {
        view: QualifiedName,
        column: String,
    },
    Sequence(QualifiedName),
    /// An enum or a composite type.
    Type(QualifiedName),
    Schema(String),
    Extension(String),
    Constraint {
        name: String,
        table: QualifiedName,
    },
    Policy {
        name: String,
        table: QualifiedName,
    },
    /// A function, procedure, aggregate, trigger, domain, rule, statistics
    /// or composite type kept as text: the renderer reads its signature.
    Opaque(OpaqueObject),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnumValuePosition {
    End,
    Before(String),
    After(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumUsage {
    pub table: QualifiedName,
    pub column: String,
    /// The column's default, which must be dropped and set again around the
    /// type change (a default of the old type blocks `ALTER COLUMN TYPE`).
    pub default: Option<crate::schema::Expr>,
}

/// What changed in a column; more than one may be set. A collation change
/// is rendered with the type (`TYPE t COLLATE c`); `identity` covers SQLite's
/// `AUTOINCREMENT` too. A changed generation expression is never an
/// `AlterColumn`: the column is dropped and added again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ColumnChanges {
    pub ty: bool,
    pub nullability: bool,
    pub default: bool,
    pub identity: bool,
    pub generated: bool,
    pub collation: bool,
    /// `SET STATISTICS`.
    pub statistics: bool,
    /// `SET STORAGE`, `SET COMPRESSION`, `SET (…)`/`RESET (…)`.
    pub storage: bool,
    pub compression: bool,
    pub attribute_options: bool,
    /// An identity column's sequence options (`SET INCREMENT BY …`).
    pub identity_options: bool,
}

impl ColumnChanges {
    pub fn any(&self) -> bool {
        self.ty
            || self.nullability
            || self.default
            || self.identity
            || self.generated
            || self.collation
            || self.statistics
            || self.storage
            || self.compression
            || self.attribute_options
            || self.identity_options
    }
}

/// Why a step can lose data, or not do all the schema says, for `-- WARNING`
/// comments and CLI warnings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destructive {
    DropTable(QualifiedName),
    DropColumn {
        table: QualifiedName,
        column: String,
    },
    /// A type change that may not keep every value (narrowing, or a cast that can fail).
    TypeChange {
        table: QualifiedName,
        column: String,
        from: String,
        to: String,
    },
    /// A type change the database has no cast for (`bigint` → `timestamp`).
    NoCast {
        table: QualifiedName,
        column: String,
        from: String,
        to: String,
        using: NoCast,
    },
    /// `ALTER EXTENSION … UPDATE TO`: fails unless the extension ships a
    /// script from one version to the other (downgrades rarely have one).
    UpdateExtension {
        name: String,
        from: String,
        to: String,
    },
    /// `NOT NULL` on a column that may hold NULLs.
    SetNotNull {
        table: QualifiedName,
        column: String,
    },
    DropEnumValue {
        enum_name: QualifiedName,
        values: Vec<String>,
    },
    /// SQLite rebuild that drops columns.
    RebuildDropsColumns {
        table: QualifiedName,
        columns: Vec<String>,
    },
    DropView(QualifiedName),
    /// A sequence's bounds narrow: it restarts at its START value, which it
    /// may already have given out.
    RestartSequence(QualifiedName),
    /// The same for an identity column's sequence.
    RestartIdentity {
        table: QualifiedName,
        column: String,
    },
    /// `ADD COLUMN` puts the column last, where the schema declares it
    /// before `before`: column order is not part of the model (README).
    ColumnAddedLast {
        table: QualifiedName,
        column: String,
        before: String,
    },
}

impl std::fmt::Display for Destructive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Destructive::DropTable(t) => write!(f, "drops table `{t}` and all its rows"),
            Destructive::DropColumn { table, column } => {
                write!(f, "drops column `{table}.{column}` and its data")
            }
            Destructive::TypeChange {
                table,
                column,
                from,
                to,
            } => write!(
                f,
                "changes the type of `{table}.{column}` from `{from}` to `{to}`; values that do not fit make it fail"
            ),
            Destructive::NoCast {
                table,
                column,
                from,
                to,
                using: NoCast::ByHand,
            } => write!(
                f,
                "PostgreSQL has no cast from `{from}` to `{to}`: write the USING of the type change of `{table}.{column}` by hand, or the migration fails"
            ),
            Destructive::NoCast {
                table,
                column,
                from,
                to,
                using: NoCast::EpochSeconds,
            } => write!(
                f,
                "PostgreSQL has no cast from `{from}` to `{to}`: the USING of the type change of `{table}.{column}` reads the values as seconds since 1970-01-01 UTC; rewrite it if they mean something else"
            ),
            Destructive::UpdateExtension { name, from, to } if is_downgrade(from, to) => write!(
                f,
                "downgrades extension `{name}` from version {from} to {to}: extensions ship no path back, so it is dropped and created at version {to}; objects that depend on it make the drop fail"
            ),
            Destructive::UpdateExtension { name, from, to } => write!(
                f,
                "updates extension `{name}` from version {from} to {to}: the server needs version {to} installed and an update path to it"
            ),
            Destructive::SetNotNull { table, column } => write!(
                f,
                "makes `{table}.{column}` NOT NULL; existing NULLs make it fail"
            ),
            Destructive::DropEnumValue { enum_name, values } => write!(
                f,
                "removes value(s) {} from enum `{enum_name}`; rows holding them make it fail",
                values
                    .iter()
                    .map(|v| format!("'{v}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Destructive::RebuildDropsColumns { table, columns } => write!(
                f,
                "rebuilds `{table}` without column(s) {}; their data is lost",
                columns.join(", ")
            ),
            Destructive::DropView(v) => write!(f, "drops view `{v}`"),
            Destructive::RestartIdentity { table, column } => write!(
                f,
                "narrows the bounds of the identity of `{table}.{column}` and restarts it at its START value; values it gave out before may come again"
            ),
            Destructive::ColumnAddedLast {
                table,
                column,
                before,
            } => write!(
                f,
                "adds `{table}.{column}` as the last column, not before `{before}` as declared: ADD COLUMN cannot place a column, and column order is not compared, so nothing reports it after this"
            ),
            Destructive::RestartSequence(s) => write!(
                f,
                "narrows the bounds of sequence `{s}` and restarts it at its START value; values it gave out before may come again"
            ),
        }
    }
}

/// `1.10` after `1.9`: versions compared part by part, numbers as numbers.
pub(crate) fn is_downgrade(from: &str, to: &str) -> bool {
    let parts = |v: &str| -> Vec<(u64, String)> {
        v.split(['.', '-'])
            .map(|p| (p.parse().unwrap_or(0), p.to_string()))
            .collect()
    };
    parts(to) < parts(from)
}

/// How the `USING` of a type change without a cast is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoCast {
    /// A plain cast is written; it fails until the user rewrites it.
    ByHand,
    /// Integers and points in time convert as Unix epoch seconds.
    EpochSeconds,
}

/// A step, with the data it can lose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedStep {
    pub step: Step,
    pub destructive: Option<Destructive>,
}

/// The ordered steps that turn one schema into another.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub steps: Vec<PlannedStep>,
    /// Sequences the rendered SQL creates implicitly: those of created
    /// columns rendered `serial` (see [`Step::CreateSequence`]). A column
    /// whose default calls a sequence not listed here is rendered with its
    /// type and default as they are, even when the sequence has the name a
    /// serial's would have: `serial` would create a second one (`x_seq1`).
    pub implicit_sequences: Vec<QualifiedName>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    pub fn destructive(&self) -> impl Iterator<Item = &Destructive> {
        self.steps.iter().filter_map(|s| s.destructive.as_ref())
    }
}
