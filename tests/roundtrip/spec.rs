//! Logical schemas: what the generators produce and the edits change.
//!
//! A [`Spec`] names its columns' logical types ([`Ty`]), so that the same
//! spec gives the engine's model ([`Spec::model`]), the rows to insert
//! ([`super::data`]) and the type changes that keep values ([`Ty::changes`]).
//! Everything refers to columns and tables by name; [`Spec::sanitize`] drops
//! whatever an edit left dangling, so any sequence of edits gives a valid
//! schema.

use migrate_build::Dialect;
use migrate_build::ddl;
use migrate_build::dialect::quote::{ident, string};
use migrate_build::schema::{
    CheckConstraint, Column, ColumnType, Deferrable, Definition, Enum, Expr, ForeignKey,
    ForeignKeyAction, Generated, Identity, Index, IndexColumn, IndexExpr, PrimaryKey,
    QualifiedName, ReplicaIdentity, Schema, Sequence, SequenceOptions, StorageParam, Table,
    UniqueConstraint, View,
};

/// A logical column type; each dialect spells it its own way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    SmallInt,
    Int,
    BigInt,
    /// `numeric(p,2)`; `numeric` when `p` is 0.
    Numeric(u32),
    Real,
    Text,
    /// `varchar(n)`; `varchar` when `n` is 0.
    Varchar(u32),
    /// `char(8)`
    Char,
    /// `timestamp(3)`
    TimestampMs,
    Time,
    Interval,
    Bool,
    Timestamp,
    TimestampTz,
    Date,
    Uuid,
    Json,
    Jsonb,
    Bytes,
    IntArray,
    TextArray,
    /// A PostgreSQL enum type, by name.
    Enum(String),
}

/// How the rows of a column compare and what expressions fit it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Integer,
    Decimal,
    String,
    Other,
}

impl Ty {
    /// The types a generated column may have, per dialect (enums are added
    /// by the generator when the schema has some).
    pub fn all(dialect: Dialect) -> Vec<Ty> {
        let mut all = vec![
            Ty::SmallInt,
            Ty::Int,
            Ty::BigInt,
            Ty::Numeric(10),
            Ty::Real,
            Ty::Text,
            Ty::Varchar(16),
            Ty::Varchar(0),
            Ty::Numeric(0),
            Ty::Char,
            Ty::TimestampMs,
            Ty::Time,
            Ty::Interval,
            Ty::Bool,
            Ty::Timestamp,
            Ty::Date,
            Ty::Uuid,
            Ty::Json,
            Ty::Bytes,
        ];
        match dialect {
            Dialect::Postgres => {
                all.extend([Ty::TimestampTz, Ty::Jsonb, Ty::IntArray, Ty::TextArray])
            }
            Dialect::Sqlite => {}
        }
        all
    }

    pub fn sql(&self, dialect: Dialect) -> String {
        let pg = dialect == Dialect::Postgres;
        let s = match self {
            Ty::SmallInt => "smallint",
            Ty::Int => "integer",
            Ty::BigInt => "bigint",
            Ty::Numeric(0) => "numeric",
            Ty::Numeric(p) => return format!("numeric({p},2)"),
            Ty::Real => {
                if pg {
                    "double precision"
                } else {
                    "real"
                }
            }
            Ty::Text => "text",
            Ty::Varchar(0) => "varchar",
            Ty::Varchar(n) => return format!("varchar({n})"),
            Ty::Char => "char(8)",
            Ty::TimestampMs => "timestamp(3)",
            Ty::Time => "time",
            Ty::Interval => "interval",
            Ty::Bool => "boolean",
            Ty::Timestamp => "timestamp",
            Ty::TimestampTz => "timestamptz",
            Ty::Date => "date",
            Ty::Uuid => "uuid",
            Ty::Json => "json",
            Ty::Jsonb => "jsonb",
            Ty::Bytes => {
                if pg {
                    "bytea"
                } else {
                    "blob"
                }
            }
            Ty::IntArray => "integer[]",
            Ty::TextArray => "text[]",
            Ty::Enum(name) => return ident(name, dialect),
        };
        s.to_string()
    }

    pub fn model(&self, dialect: Dialect) -> ColumnType {
        match self {
            Ty::Enum(name) => ColumnType {
                user_defined: true,
                ..ColumnType::simple(name.clone())
            },
            _ => {
                let sql = self.sql(dialect);
                ddl::parse_column_type(&sql, dialect)
                    .unwrap_or_else(|| panic!("the interpreter does not know type `{sql}`"))
            }
        }
    }

    pub fn family(&self) -> Family {
        match self {
            Ty::SmallInt | Ty::Int | Ty::BigInt => Family::Integer,
            Ty::Numeric(_) | Ty::Real => Family::Decimal,
            Ty::Text | Ty::Varchar(_) | Ty::Char => Family::String,
            Ty::TimestampMs
            | Ty::Time
            | Ty::Interval
            | Ty::Bool
            | Ty::Timestamp
            | Ty::TimestampTz
            | Ty::Date
            | Ty::Uuid
            | Ty::Json
            | Ty::Jsonb
            | Ty::Bytes
            | Ty::IntArray
            | Ty::TextArray
            | Ty::Enum(_) => Family::Other,
        }
    }

    /// Whether row values are distinct (row `i` gets a value of its own) and
    /// the type has a btree equality: it may be part of a key or an index.
    pub fn keyable(&self) -> bool {
        match self {
            Ty::SmallInt
            | Ty::Int
            | Ty::BigInt
            | Ty::Numeric(_)
            | Ty::Text
            | Ty::Varchar(_)
            | Ty::Char
            | Ty::TimestampMs
            | Ty::Time
            | Ty::Interval
            | Ty::Timestamp
            | Ty::TimestampTz
            | Ty::Date
            | Ty::Uuid => true,
            Ty::Real
            | Ty::Bool
            | Ty::Json
            | Ty::Jsonb
            | Ty::Bytes
            | Ty::IntArray
            | Ty::TextArray
            | Ty::Enum(_) => false,
        }
    }

    /// Type changes that keep every generated value, printed the same way.
    pub fn changes(&self, dialect: Dialect) -> Vec<Ty> {
        let mut out = match self {
            Ty::SmallInt => vec![Ty::Int, Ty::BigInt, Ty::Text],
            Ty::Int => vec![Ty::SmallInt, Ty::BigInt, Ty::Text, Ty::Varchar(16)],
            Ty::BigInt => vec![Ty::Int, Ty::Text],
            Ty::Numeric(0) => vec![],
            Ty::Numeric(p) => vec![Ty::Numeric(if *p == 10 { 12 } else { 10 }), Ty::Numeric(0)],
            Ty::Real => vec![],
            Ty::Text => vec![Ty::Varchar(40), Ty::Varchar(16)],
            Ty::Varchar(0) => vec![Ty::Text, Ty::Varchar(40)],
            Ty::Varchar(n) => vec![
                Ty::Text,
                Ty::Varchar(if *n == 16 { 40 } else { 16 }),
                Ty::Varchar(0),
            ],
            Ty::Char => vec![Ty::Text, Ty::Varchar(16)],
            Ty::TimestampMs | Ty::Time | Ty::Interval => vec![],
            Ty::Bool => vec![],
            Ty::Timestamp => vec![],
            Ty::TimestampTz => vec![],
            Ty::Date => vec![],
            Ty::Uuid => vec![Ty::Text],
            Ty::Json => vec![Ty::Jsonb, Ty::Text],
            Ty::Jsonb => vec![Ty::Json],
            Ty::Bytes => vec![],
            Ty::IntArray => vec![],
            Ty::TextArray => vec![],
            Ty::Enum(_) => vec![Ty::Text],
        };
        out.retain(|t| {
            Ty::all(dialect).contains(t) || matches!(t, Ty::Varchar(_) | Ty::Numeric(_))
        });
        out
    }

    /// The value of row `i` as a SQL literal. Values depend on the type and
    /// the row only, so a foreign key column holds, in row `i`, the value of
    /// its referenced column in row `i` of the other table.
    pub fn value(&self, i: usize, dialect: Dialect, spec: &Spec) -> String {
        let pg = dialect == Dialect::Postgres;
        let n = i + 1;
        match self {
            Ty::SmallInt | Ty::Int | Ty::BigInt => n.to_string(),
            Ty::Numeric(_) => format!("{n}.25"),
            Ty::Real => format!("{n}.5"),
            Ty::Text => string(&format!("t'{i}")),
            Ty::Varchar(_) => string(&format!("v {i}")),
            Ty::Char => string(&format!("c{i}")),
            Ty::TimestampMs => format!("'2024-01-0{n} 10:00:00.125'"),
            Ty::Time => format!("'10:0{i}:30'"),
            Ty::Interval => format!("'{n} days'"),
            Ty::Bool => (if i.is_multiple_of(2) { "TRUE" } else { "FALSE" }).to_string(),
            Ty::Timestamp => format!("'2024-01-0{n} 10:00:00'"),
            Ty::TimestampTz => format!("'2024-01-0{n} 10:00:00+00'"),
            Ty::Date => format!("'2024-01-0{n}'"),
            Ty::Uuid => format!("'00000000-0000-0000-0000-00000000000{i}'"),
            Ty::Json | Ty::Jsonb => format!("'{{\"k\": {i}}}'"),
            Ty::Bytes => {
                if pg {
                    format!("'\\x4{i}42'")
                } else {
                    format!("X'4{i}42'")
                }
            }
            Ty::IntArray => format!("'{{{n},2}}'"),
            Ty::TextArray => format!("'{{a,b{i}}}'"),
            Ty::Enum(name) => match spec.enums.iter().find(|e| &e.name == name) {
                Some(e) => string(&e.values[0]),
                None => "NULL".to_string(),
            },
        }
    }

    /// Two defaults per type (variant 1 and 2), as SQL.
    pub fn default(&self, variant: u8, dialect: Dialect, spec: &Spec) -> String {
        let pg = dialect == Dialect::Postgres;
        let second = variant == 2;
        match self {
            Ty::SmallInt | Ty::Int | Ty::BigInt => (if second { "7" } else { "0" }).to_string(),
            Ty::Numeric(_) | Ty::Real => (if second { "1.5" } else { "0" }).to_string(),
            Ty::Text | Ty::Varchar(_) | Ty::Char => {
                (if second { "'it''s'" } else { "'d'" }).to_string()
            }
            Ty::TimestampMs => match (second, pg) {
                (true, _) => "'2000-01-01 00:00:00.5'".to_string(),
                (false, true) => "now()".to_string(),
                (false, false) => "strftime('%Y-%m-%d %H:%M:%f', 'now')".to_string(),
            },
            Ty::Time => (if second { "'12:00:00'" } else { "CURRENT_TIME" }).to_string(),
            Ty::Interval => (if second { "'1 day'" } else { "'00:30:00'" }).to_string(),
            Ty::Bool => (if second { "TRUE" } else { "FALSE" }).to_string(),
            Ty::Timestamp | Ty::TimestampTz => {
                if second {
                    "'2000-01-01 00:00:00'".to_string()
                } else {
                    "CURRENT_TIMESTAMP".to_string()
                }
            }
            Ty::Date => (if second {
                "'2000-01-01'"
            } else {
                "CURRENT_DATE"
            })
            .to_string(),
            Ty::Uuid => {
                if pg && !second {
                    "gen_random_uuid()".to_string()
                } else {
                    "'00000000-0000-0000-0000-000000000000'".to_string()
                }
            }
            Ty::Json => "'{}'".to_string(),
            Ty::Jsonb => (if second { "'[]'::jsonb" } else { "'{}'" }).to_string(),
            Ty::Bytes => (if pg { "'\\x41'" } else { "X'41'" }).to_string(),
            Ty::IntArray | Ty::TextArray => "'{}'".to_string(),
            Ty::Enum(_) => self.value(0, dialect, spec),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumSpec {
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Special {
    None,
    Identity(Identity),
    /// SQLite `INTEGER PRIMARY KEY AUTOINCREMENT` (the table's key is this column).
    Autoincrement,
    /// PostgreSQL `serial`: a default drawing from a sequence the column owns.
    Serial,
    /// `GENERATED ALWAYS AS (source * 2)`, stored or virtual.
    Generated {
        source: String,
        stored: bool,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColSpec {
    pub name: String,
    pub ty: Ty,
    pub nullable: bool,
    /// 0: none; 1 or 2: one of [`Ty::default`]'s variants.
    pub default: u8,
    pub special: Special,
    /// Rows hold repeated values (the column had a type whose rows share
    /// values, then changed to one that could be a key): never a key.
    pub shared_values: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySpec {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// PostgreSQL: `NULLS NOT DISTINCT` and `DEFERRABLE` (uniques only).
    pub nulls_not_distinct: bool,
    pub deferrable: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckSpec {
    pub name: Option<String>,
    pub column: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FkSpec {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub target: String,
    pub target_columns: Vec<String>,
    pub on_delete: ForeignKeyAction,
    pub on_update: ForeignKeyAction,
    pub deferrable: Deferrable,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Column(String),
    /// `lower(column)` on a string column.
    Lower(String),
}

impl Part {
    pub fn column(&self) -> &str {
        match self {
            Part::Column(c) | Part::Lower(c) => c,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexSpec {
    pub name: String,
    pub parts: Vec<(Part, bool)>,
    pub unique: bool,
    /// Partial index `WHERE column IS NOT NULL`.
    pub predicate: Option<String>,
    /// PostgreSQL `INCLUDE (…)`.
    pub include: Vec<String>,
}

/// How many bits of `TableSpec::pg_options` there are, and their mask.
pub const PG_OPTION_COUNT: u8 = 13;
pub const PG_OPTIONS: u16 = (1 << PG_OPTION_COUNT) - 1;

/// Types whose columns the server may store out of line (a TOAST table;
/// storage and compression other than PLAIN), as the model tells them.
fn stored_out_of_line(ty: &Ty) -> bool {
    matches!(
        ty,
        Ty::Text | Ty::Bytes | Ty::Json | Ty::Jsonb | Ty::IntArray | Ty::TextArray | Ty::Varchar(0)
    )
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableSpec {
    pub name: String,
    pub columns: Vec<ColSpec>,
    pub primary_key: Option<KeySpec>,
    pub uniques: Vec<KeySpec>,
    pub checks: Vec<CheckSpec>,
    pub foreign_keys: Vec<FkSpec>,
    pub indexes: Vec<IndexSpec>,
    /// PostgreSQL `COMMENT ON TABLE` / `COMMENT ON COLUMN`.
    pub comment: Option<String>,
    pub column_comments: Vec<String>,
    /// SQLite `WITHOUT ROWID` (needs a primary key).
    pub without_rowid: bool,
    /// PostgreSQL table options, one bit each: `UNLOGGED`, `fillfactor=70`,
    /// `ENABLE ROW LEVEL SECURITY`, `FORCE ROW LEVEL SECURITY`, `REPLICA
    /// IDENTITY FULL`, `autovacuum_enabled=false`, the storage parameters in
    /// the other order, `toast.autovacuum_enabled=false`, `CLUSTER ON` an
    /// index, `SET STORAGE EXTERNAL` and `COMPRESSION lz4` of a column
    /// stored out of line, `n_distinct` of a column, a statistics target of
    /// an expression index column. Those that do not fit the table (no such
    /// column or index) are left out when it is built.
    pub pg_options: u16,
}

/// `CREATE VIEW name AS SELECT columns FROM table`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewSpec {
    pub name: String,
    pub table: String,
    pub columns: Vec<String>,
}

impl TableSpec {
    pub fn column(&self, name: &str) -> Option<&ColSpec> {
        self.columns.iter().find(|c| c.name == name)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spec {
    pub enums: Vec<EnumSpec>,
    pub tables: Vec<TableSpec>,
    pub views: Vec<ViewSpec>,
    /// Rows inserted in every table.
    pub rows: usize,
}

fn q(name: &str) -> QualifiedName {
    QualifiedName::new(name)
}

impl Spec {
    pub fn table(&self, name: &str) -> Option<&TableSpec> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// Whether `columns` of `table` are exactly its primary key or one of its uniques.
    fn is_key(&self, table: &str, columns: &[String]) -> bool {
        self.table(table).is_some_and(|t| {
            t.primary_key.as_ref().is_some_and(|k| k.columns == columns)
                || t.uniques
                    .iter()
                    .any(|u| u.columns == columns && !u.deferrable)
        })
    }

    /// Drops what refers to columns, tables or enums that are gone, and
    /// whatever else would make the schema invalid on `dialect`.
    pub fn sanitize(&mut self, dialect: Dialect) {
        let enums: Vec<String> = self.enums.iter().map(|e| e.name.clone()).collect();
        for e in &mut self.enums {
            e.values.dedup();
        }
        self.enums.retain(|e| !e.values.is_empty());
        for t in &mut self.tables {
            for c in &mut t.columns {
                if let Ty::Enum(name) = &c.ty
                    && !enums.contains(name)
                {
                    c.ty = Ty::Text;
                }
            }
        }
        // Fixed point: dropping one thing can orphan another.
        loop {
            let before = self.clone();
            self.sanitize_once(dialect);
            if *self == before {
                break;
            }
        }
    }

    fn sanitize_once(&mut self, dialect: Dialect) {
        let snapshot = self.clone();
        let keyable = |t: &TableSpec, c: &str| {
            t.column(c).is_some_and(|c| {
                c.ty.keyable()
                    && !c.shared_values
                    && matches!(
                        c.special,
                        Special::None
                            | Special::Identity(_)
                            | Special::Autoincrement
                            | Special::Serial
                    )
            })
        };
        self.tables.retain(|t| !t.columns.is_empty());
        for t in &mut self.tables {
            let copy = t.clone();
            let has = |c: &str| copy.column(c).is_some();
            // Generated columns need an integer source that is itself plain.
            let plain_integer = |c: &str| {
                copy.column(c)
                    .is_some_and(|c| c.ty.family() == Family::Integer && c.special == Special::None)
            };
            for c in &mut t.columns {
                match &c.special {
                    Special::Generated { source, .. } if !plain_integer(source) => {
                        c.special = Special::None
                    }
                    Special::Identity(_)
                        if dialect != Dialect::Postgres || c.ty.family() != Family::Integer =>
                    {
                        c.special = Special::None
                    }
                    Special::Autoincrement
                        if dialect != Dialect::Sqlite
                            || c.ty != Ty::Int
                            || copy
                                .primary_key
                                .as_ref()
                                .is_none_or(|k| k.columns != [c.name.clone()]) =>
                    {
                        c.special = Special::None
                    }
                    Special::Serial
                        if dialect != Dialect::Postgres || c.ty.family() != Family::Integer =>
                    {
                        c.special = Special::None
                    }
                    Special::None
                    | Special::Identity(_)
                    | Special::Autoincrement
                    | Special::Serial
                    | Special::Generated { .. } => {}
                }
                if matches!(
                    c.special,
                    Special::Generated { .. } | Special::Identity(_) | Special::Serial
                ) {
                    c.default = 0;
                }
                // Its source may be NULL (a column added to rows that exist).
                if matches!(c.special, Special::Generated { .. }) {
                    c.nullable = true;
                }
                if matches!(c.special, Special::Identity(_) | Special::Serial) {
                    c.nullable = false;
                }
            }
            if let Some(pk) = &mut t.primary_key {
                pk.columns.retain(|c| keyable(&copy, c));
                dedup_names(&mut pk.columns);
                if pk.columns.is_empty() {
                    t.primary_key = None;
                }
            }
            if let Some(pk) = &t.primary_key {
                for c in &mut t.columns {
                    if pk.columns.contains(&c.name) {
                        c.nullable = false;
                    }
                }
            }
            for u in &mut t.uniques {
                u.columns.retain(|c| keyable(&copy, c));
                dedup_names(&mut u.columns);
            }
            t.uniques.retain(|u| !u.columns.is_empty());
            let pk_columns = t.primary_key.as_ref().map(|k| k.columns.clone());
            let mut seen: Vec<Vec<String>> = pk_columns.into_iter().collect();
            t.uniques.retain(|u| {
                if seen.contains(&u.columns) {
                    false
                } else {
                    seen.push(u.columns.clone());
                    true
                }
            });
            if dialect != Dialect::Postgres {
                for u in &mut t.uniques {
                    u.nulls_not_distinct = false;
                    u.deferrable = false;
                }
                t.comment = None;
                t.column_comments.clear();
                t.pg_options = 0;
            }
            t.column_comments.retain(|c| has(c));
            if dialect != Dialect::Sqlite
                || t.primary_key.is_none()
                || t.columns
                    .iter()
                    .any(|c| c.special == Special::Autoincrement)
            {
                t.without_rowid = false;
            }
            dedup_names(&mut t.column_comments);
            t.checks.retain(|c| {
                copy.column(&c.column)
                    .is_some_and(|c| !matches!(c.special, Special::Generated { .. }))
            });
            for i in &mut t.indexes {
                i.parts.retain(|(p, _)| match p {
                    Part::Column(c) => keyable(&copy, c),
                    Part::Lower(c) => copy.column(c).is_some_and(|c| {
                        c.ty.family() == Family::String
                            && c.special == Special::None
                            && !c.shared_values
                    }),
                });
                if i.predicate.as_deref().is_some_and(|c| !has(c)) {
                    i.predicate = None;
                }
                let key_columns: Vec<String> = i
                    .parts
                    .iter()
                    .filter_map(|(p, _)| match p {
                        Part::Column(c) => Some(c.clone()),
                        Part::Lower(_) => None,
                    })
                    .collect();
                i.include
                    .retain(|c| dialect == Dialect::Postgres && has(c) && !key_columns.contains(c));
            }
            t.indexes.retain(|i| !i.parts.is_empty());
        }
        self.views.retain(|v| {
            snapshot.table(&v.table).is_some_and(|t| {
                !v.columns.is_empty() && v.columns.iter().all(|c| t.column(c).is_some())
            })
        });
        // Foreign keys: their columns exist with the referenced columns'
        // types, and the referenced columns are a key of their table.
        for t in &mut self.tables {
            let copy = t.clone();
            t.foreign_keys.retain(|fk| {
                let Some(target) = snapshot.table(&fk.target) else {
                    return false;
                };
                let target = if fk.target == copy.name {
                    &copy
                } else {
                    target
                };
                fk.columns.len() == fk.target_columns.len()
                    && !fk.columns.is_empty()
                    && fk.columns.iter().zip(&fk.target_columns).all(|(c, r)| {
                        match (copy.column(c), target.column(r)) {
                            (Some(c), Some(r)) => {
                                c.ty == r.ty
                                    && c.special == Special::None
                                    && keyable(target, &r.name)
                            }
                            _ => false,
                        }
                    })
                    && snapshot.is_key(&fk.target, &fk.target_columns)
            });
            for fk in &mut t.foreign_keys {
                let nullable = fk
                    .columns
                    .iter()
                    .all(|c| copy.column(c).is_some_and(|c| c.nullable));
                // SET NULL on a NOT NULL column is accepted by the DDL and
                // fails only when a row is deleted: keep the schema sensible.
                for action in [&mut fk.on_delete, &mut fk.on_update] {
                    if !nullable && *action == ForeignKeyAction::SetNull {
                        *action = ForeignKeyAction::Cascade;
                    }
                }
            }
        }
    }

    /// The engine's model of this spec.
    pub fn model(&self, dialect: Dialect) -> Schema {
        let mut schema = Schema::empty(dialect);
        if dialect == Dialect::Postgres {
            schema.enums = self
                .enums
                .iter()
                .map(|e| Enum {
                    comment: None,
                    name: q(&e.name),
                    values: e.values.clone(),
                })
                .collect();
        }
        for t in &self.tables {
            let mut table = Table::new(q(&t.name));
            let related = !t.foreign_keys.is_empty()
                || self
                    .tables
                    .iter()
                    .any(|o| o.foreign_keys.iter().any(|f| f.target == t.name));
            // PostgreSQL refuses a foreign key from a permanent table to an
            // unlogged one; the engine does not order persistence changes
            // around foreign keys, so tables in one stay logged.
            let unlogged = t.pg_options & 1 != 0 && !related && dialect == Dialect::Postgres;
            for c in &t.columns {
                let mut column = Column::new(c.name.clone(), c.ty.model(dialect));
                column.nullable = c.nullable;
                if c.default != 0 {
                    column.default = Some(expr(&c.ty.default(c.default, dialect, self), dialect));
                }
                match &c.special {
                    Special::None => {}
                    Special::Identity(kind) => {
                        column.identity = Some(*kind);
                        column.identity_options =
                            Some(SequenceOptions::defaults(&column.ty.name, 1));
                    }
                    Special::Autoincrement => column.autoincrement = true,
                    Special::Serial => {
                        let sequence = format!("{}_{}_seq", t.name, c.name);
                        let literal = string(&ident(&sequence, dialect));
                        column.default =
                            Some(expr(&format!("nextval({literal}::regclass)"), dialect));
                        let mut owned =
                            Sequence::new(q(&sequence), Some((q(&t.name), c.name.clone())));
                        owned.options = SequenceOptions::defaults(&column.ty.name, 1);
                        // An unlogged table's owned sequences are unlogged (PostgreSQL 15).
                        owned.unlogged = unlogged;
                        schema.sequences.push(owned);
                    }
                    Special::Generated { source, stored } => {
                        column.generated = Some(Generated {
                            expr: expr(&format!("{} * 2", ident(source, dialect)), dialect),
                            stored: *stored || dialect == Dialect::Postgres,
                        })
                    }
                }
                table.columns.push(column);
            }
            table.primary_key = t.primary_key.as_ref().map(|k| PrimaryKey {
                name: k.name.clone(),
                columns: k.columns.clone(),
                ..Default::default()
            });
            table.uniques = t
                .uniques
                .iter()
                .map(|k| UniqueConstraint {
                    include: Vec::new(),
                    on_conflict: None,
                    name: k.name.clone(),
                    columns: k.columns.clone(),
                    nulls_not_distinct: k.nulls_not_distinct,
                    deferrable: if k.deferrable {
                        Deferrable::InitiallyImmediate
                    } else {
                        Deferrable::NotDeferrable
                    },
                })
                .collect();
            table.comment = t.comment.clone();
            let bit = |n: u8| t.pg_options & (1 << n) != 0;
            table.options.unlogged = unlogged;
            if bit(1) {
                table.options.storage = vec![StorageParam::new("fillfactor", Some("70"))];
            }
            table.options.row_security = bit(2);
            table.options.force_row_security = bit(3);
            if bit(4) {
                table.options.replica_identity = ReplicaIdentity::Full;
            }
            if dialect == Dialect::Postgres {
                self.pg_column_options(t, &mut table, bit);
            }
            table.without_rowid = t.without_rowid;
            for c in &mut table.columns {
                if t.column_comments.contains(&c.name) {
                    c.comment = Some(format!("about {}", c.name));
                }
            }
            table.checks = t
                .checks
                .iter()
                .filter_map(|c| {
                    let column = t.column(&c.column)?;
                    let name = ident(&column.name, dialect);
                    let sql = match column.ty.family() {
                        Family::Integer | Family::Decimal => format!("{name} >= 0"),
                        Family::String => format!("length({name}) > 0"),
                        // NULL passes a check: columns added to rows are NULL.
                        Family::Other => format!("length(CAST({name} AS text)) > 0"),
                    };
                    Some(CheckConstraint {
                        no_inherit: false,
                        not_valid: false,
                        name: c.name.clone(),
                        expr: expr(&sql, dialect),
                    })
                })
                .collect();
            table.foreign_keys = t
                .foreign_keys
                .iter()
                .map(|fk| ForeignKey {
                    not_valid: false,
                    name: fk.name.clone(),
                    columns: fk.columns.clone(),
                    referenced_table: q(&fk.target),
                    referenced_columns: fk.target_columns.clone(),
                    on_delete: fk.on_delete,
                    on_update: fk.on_update,
                    deferrable: fk.deferrable,
                })
                .collect();
            schema.tables.push(table);
            for i in &t.indexes {
                schema.indexes.push(Index {
                    partition_copies: Vec::new(),
                    comment: None,
                    storage: Vec::new(),
                    name: q(&i.name),
                    table: q(&t.name),
                    unique: i.unique,
                    columns: i
                        .parts
                        .iter()
                        .map(|(p, descending)| IndexColumn {
                            expr: match p {
                                Part::Column(c) => IndexExpr::Column(c.clone()),
                                Part::Lower(c) => IndexExpr::Expression(expr(
                                    &format!("lower({})", ident(c, dialect)),
                                    dialect,
                                )),
                            },
                            descending: *descending,
                            nulls_first: None,
                            opclass: None,
                            collation: None,
                            statistics: (matches!(p, Part::Lower(_)) && bit(12)).then_some(100),
                        })
                        .collect(),
                    predicate: i
                        .predicate
                        .as_ref()
                        .map(|c| expr(&format!("{} IS NOT NULL", ident(c, dialect)), dialect)),
                    method: None,
                    include: i.include.clone(),
                    nulls_not_distinct: false,
                });
            }
        }
        for v in &self.views {
            let columns: Vec<String> = v.columns.iter().map(|c| ident(c, dialect)).collect();
            schema.views.push(View {
                column_comments: Vec::new(),
                comment: None,
                options: Vec::new(),
                name: q(&v.name),
                materialized: false,
                definition: Definition::source(format!(
                    "SELECT {} FROM {}",
                    columns.join(", "),
                    ident(&v.table, dialect)
                )),
            });
        }
        schema
    }
}

impl Spec {
    /// The options of `pg_options` bits 5 and up: storage parameters in
    /// either order, TOAST parameters, clustering, column storage,
    /// compression and attribute options.
    fn pg_column_options(&self, t: &TableSpec, table: &mut Table, bit: impl Fn(u8) -> bool) {
        let out_of_line: Vec<usize> = t
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| stored_out_of_line(&c.ty) && c.special == Special::None)
            .map(|(i, _)| i)
            .collect();
        if bit(5) {
            table
                .options
                .storage
                .push(StorageParam::new("autovacuum_enabled", Some("false")));
        }
        if bit(7) && !out_of_line.is_empty() {
            table
                .options
                .storage
                .push(StorageParam::new("toast.autovacuum_enabled", Some("false")));
        }
        if bit(6) {
            table.options.storage.reverse();
        }
        if bit(8)
            && let Some(i) = t.indexes.iter().find(|i| i.predicate.is_none())
        {
            table.options.cluster_on = Some(i.name.clone());
        }
        if bit(9)
            && let Some(&c) = out_of_line.first()
        {
            table.columns[c].storage = Some(migrate_build::schema::ColumnStorage::External);
        }
        if bit(10)
            && let Some(&c) = out_of_line.last()
        {
            table.columns[c].compression = Some("lz4".into());
        }
        if bit(11)
            && let Some(c) = table.columns.first_mut()
        {
            c.attribute_options = vec![StorageParam::from_catalog("n_distinct=-1")];
        }
    }
}

fn dedup_names(names: &mut Vec<String>) {
    let mut seen = Vec::new();
    names.retain(|n| {
        if seen.contains(n) {
            false
        } else {
            seen.push(n.clone());
            true
        }
    });
}

fn expr(sql: &str, dialect: Dialect) -> Expr {
    ddl::parse_expr(sql, dialect).unwrap_or_else(|| Expr::new(sql, dialect))
}
