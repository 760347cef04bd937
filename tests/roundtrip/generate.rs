//! proptest strategies: schema A as a list of small numbers that pick names,
//! types and columns ([`RawSchema`]), and the edits that derive B from A
//! ([`RawEdit`]). Numbers shrink towards 0, the first name and type of each
//! pool, so a failure shrinks to a small readable schema.

use migrate_build::Dialect;
use migrate_build::schema::{Deferrable, ForeignKeyAction, Identity};
use proptest::collection::vec;
use proptest::prelude::*;

use super::spec::{
    CheckSpec, ColSpec, EnumSpec, FkSpec, IndexSpec, KeySpec, Part, Spec, Special, TableSpec, Ty,
    ViewSpec,
};

/// Plain, mixed-case, reserved and spaced names: every one is quoted by the
/// engine's quoting function and must survive every database round trip.
const TABLES: &[&str] = &[
    "users",
    "Orders",
    "order",
    "line items",
    "group",
    "t",
    "Audit_Log",
    "select",
];
const COLUMNS: &[&str] = &[
    "id",
    "name",
    "Amount",
    "from",
    "created at",
    "value",
    "user",
    "Status",
    "note",
    "x",
];
const ENUMS: &[&str] = &["mood", "Color", "type"];
const VIEWS: &[&str] = &["report", "Summary", "view"];
const ENUM_VALUES: &[&str] = &["new", "it's", "Done", "z z", "a", "b", "c"];

#[derive(Clone, Debug)]
pub struct RawColumn {
    name: u8,
    ty: u8,
    nullable: bool,
    default: u8,
    special: u8,
}

#[derive(Clone, Debug)]
pub struct RawFk {
    target: u8,
    /// Which key of the target: its primary key, then its uniques.
    key: u8,
    nullable: bool,
    on_delete: u8,
    on_update: u8,
    deferrable: u8,
    named: bool,
}

#[derive(Clone, Debug)]
pub struct RawIndex {
    parts: Vec<(u8, bool, bool)>,
    unique: bool,
    predicate: Option<u8>,
    include: Option<u8>,
}

#[derive(Clone, Debug)]
pub struct RawTable {
    name: u8,
    pg_options: u16,
    comment: bool,
    column_comments: Vec<u8>,
    /// Bit 0: NULLS NOT DISTINCT, bit 1: DEFERRABLE (uniques, PostgreSQL).
    unique_flags: u8,
    columns: Vec<RawColumn>,
    primary_key: Vec<u8>,
    named: bool,
    uniques: Vec<Vec<u8>>,
    checks: Vec<u8>,
    foreign_keys: Vec<RawFk>,
    indexes: Vec<RawIndex>,
}

#[derive(Clone, Debug)]
pub struct RawSchema {
    enums: Vec<Vec<u8>>,
    views: Vec<(u8, Vec<u8>)>,
    tables: Vec<RawTable>,
    rows: usize,
}

#[derive(Clone, Debug)]
pub enum RawEdit {
    AddTable(RawTable),
    DropTable(u8),
    AddColumn(u8, RawColumn),
    DropColumn(u8, u8),
    ChangeType(u8, u8, u8),
    ToggleNullable(u8, u8),
    SetDefault(u8, u8, u8),
    AddCheck(u8, u8),
    DropCheck(u8, u8),
    AddUnique(u8, Vec<u8>),
    DropUnique(u8, u8),
    SetPrimaryKey(u8, Vec<u8>),
    AddForeignKey(u8, RawFk),
    DropForeignKey(u8, u8),
    ForeignKeyActions(u8, u8, u8, u8),
    AddIndex(u8, RawIndex),
    DropIndex(u8, u8),
    AddEnumValue(u8, u8, u8),
    RemoveEnumValue(u8, u8),
    /// Swaps two values after the first (the type is recreated).
    ReorderEnum(u8),
    /// Toggles `DEFERRABLE INITIALLY DEFERRED` on a foreign key.
    ToggleDeferrable(u8, u8),
    AddEnum(Vec<u8>),
    DropEnum(u8),
    AddView(u8, Vec<u8>),
    DropView(u8),
    ToggleComment(u8, Option<u8>),
    /// Flips one PostgreSQL table option (see `TableSpec::pg_options`).
    ToggleTableOption(u8, u8),
}

fn raw_column() -> impl Strategy<Value = RawColumn> {
    (any::<u8>(), any::<u8>(), any::<bool>(), 0u8..3, 0u8..12).prop_map(
        |(name, ty, nullable, default, special)| RawColumn {
            name,
            ty,
            nullable,
            default,
            special,
        },
    )
}

fn raw_fk() -> impl Strategy<Value = RawFk> {
    (
        any::<u8>(),
        0u8..3,
        any::<bool>(),
        0u8..5,
        0u8..5,
        0u8..3,
        any::<bool>(),
    )
        .prop_map(
            |(target, key, nullable, on_delete, on_update, deferrable, named)| RawFk {
                target,
                key,
                nullable,
                on_delete,
                on_update,
                deferrable,
                named,
            },
        )
}

fn raw_index() -> impl Strategy<Value = RawIndex> {
    (
        vec((any::<u8>(), any::<bool>(), any::<bool>()), 1..3),
        any::<bool>(),
        proptest::option::weighted(0.25, any::<u8>()),
        proptest::option::weighted(0.25, any::<u8>()),
    )
        .prop_map(|(parts, unique, predicate, include)| RawIndex {
            parts,
            unique,
            predicate,
            include,
        })
}

fn raw_table() -> impl Strategy<Value = RawTable> {
    (
        any::<u8>(),
        vec(raw_column(), 1..6),
        vec(any::<u8>(), 0..3),
        any::<bool>(),
        vec(vec(any::<u8>(), 1..3), 0..2),
        vec(any::<u8>(), 0..2),
        vec(raw_fk(), 0..3),
        vec(raw_index(), 0..3),
        (
            any::<bool>(),
            vec(any::<u8>(), 0..2),
            any::<u8>(),
            prop_oneof![3 => Just(0u16), 1 => any::<u16>()],
        ),
    )
        .prop_map(
            |(
                name,
                columns,
                primary_key,
                named,
                uniques,
                checks,
                foreign_keys,
                indexes,
                (comment, column_comments, unique_flags, pg_options),
            )| {
                RawTable {
                    name,
                    pg_options,
                    comment,
                    column_comments,
                    unique_flags,
                    columns,
                    primary_key,
                    named,
                    uniques,
                    checks,
                    foreign_keys,
                    indexes,
                }
            },
        )
}

pub fn raw_schema() -> impl Strategy<Value = RawSchema> {
    (
        vec(vec(any::<u8>(), 1..4), 0..3),
        vec(raw_table(), 1..4),
        0usize..4,
        vec((any::<u8>(), vec(any::<u8>(), 1..3)), 0..2),
    )
        .prop_map(|(enums, tables, rows, views)| RawSchema {
            enums,
            views,
            tables,
            rows,
        })
}

fn raw_edit() -> impl Strategy<Value = RawEdit> {
    let b = any::<u8>;
    prop_oneof![
        1 => raw_table().prop_map(RawEdit::AddTable),
        1 => b().prop_map(RawEdit::DropTable),
        1 => (b(), raw_column()).prop_map(|(t, c)| RawEdit::AddColumn(t, c)),
        1 => (b(), b()).prop_map(|(t, c)| RawEdit::DropColumn(t, c)),
        3 => (b(), b(), b()).prop_map(|(t, c, k)| RawEdit::ChangeType(t, c, k)),
        2 => (b(), b()).prop_map(|(t, c)| RawEdit::ToggleNullable(t, c)),
        1 => (b(), b(), 0u8..3).prop_map(|(t, c, d)| RawEdit::SetDefault(t, c, d)),
        1 => (b(), b()).prop_map(|(t, c)| RawEdit::AddCheck(t, c)),
        1 => (b(), b()).prop_map(|(t, c)| RawEdit::DropCheck(t, c)),
        1 => (b(), vec(b(), 1..3)).prop_map(|(t, c)| RawEdit::AddUnique(t, c)),
        1 => (b(), b()).prop_map(|(t, c)| RawEdit::DropUnique(t, c)),
        1 => (b(), vec(b(), 0..3)).prop_map(|(t, c)| RawEdit::SetPrimaryKey(t, c)),
        1 => (b(), raw_fk()).prop_map(|(t, f)| RawEdit::AddForeignKey(t, f)),
        1 => (b(), b()).prop_map(|(t, c)| RawEdit::DropForeignKey(t, c)),
        1 => (b(), b(), 0u8..5, 0u8..5).prop_map(|(t, f, d, u)| RawEdit::ForeignKeyActions(t, f, d, u)),
        1 => (b(), raw_index()).prop_map(|(t, i)| RawEdit::AddIndex(t, i)),
        1 => (b(), b()).prop_map(|(t, i)| RawEdit::DropIndex(t, i)),
        1 => (b(), b(), b()).prop_map(|(e, v, p)| RawEdit::AddEnumValue(e, v, p)),
        1 => (b(), b()).prop_map(|(e, v)| RawEdit::RemoveEnumValue(e, v)),
        1 => vec(b(), 1..3).prop_map(RawEdit::AddEnum),
        1 => b().prop_map(RawEdit::ReorderEnum),
        1 => (b(), b()).prop_map(|(t, f)| RawEdit::ToggleDeferrable(t, f)),
        1 => b().prop_map(RawEdit::DropEnum),
        1 => (b(), vec(b(), 1..3)).prop_map(|(t, c)| RawEdit::AddView(t, c)),
        1 => b().prop_map(RawEdit::DropView),
        1 => (b(), proptest::option::of(b())).prop_map(|(t, c)| RawEdit::ToggleComment(t, c)),
        2 => (b(), 0u8..super::spec::PG_OPTION_COUNT).prop_map(|(t, o)| RawEdit::ToggleTableOption(t, o)),
    ]
}

pub fn raw_edits() -> impl Strategy<Value = Vec<RawEdit>> {
    vec(raw_edit(), 1..5)
}

fn pick<T>(items: &[T], n: u8) -> Option<&T> {
    if items.is_empty() {
        None
    } else {
        items.get(usize::from(n) % items.len())
    }
}

fn action(n: u8) -> ForeignKeyAction {
    match n % 5 {
        0 => ForeignKeyAction::NoAction,
        1 => ForeignKeyAction::Cascade,
        2 => ForeignKeyAction::Restrict,
        3 => ForeignKeyAction::SetNull,
        _ => ForeignKeyAction::SetDefault,
    }
}

/// Builds specs from raw numbers, naming things so that names never clash.
pub struct Builder {
    pub dialect: Dialect,
    /// For constraint, index and foreign key column names.
    counter: usize,
}

impl Builder {
    pub fn new(dialect: Dialect) -> Self {
        Builder {
            dialect,
            counter: 0,
        }
    }

    fn next(&mut self) -> usize {
        self.counter += 1;
        self.counter
    }

    fn types(&self, spec: &Spec) -> Vec<Ty> {
        let mut all = Ty::all(self.dialect);
        if self.dialect == Dialect::Postgres {
            all.extend(spec.enums.iter().map(|e| Ty::Enum(e.name.clone())));
        }
        all
    }

    pub fn schema(&mut self, raw: &RawSchema) -> Spec {
        let mut spec = Spec {
            rows: raw.rows,
            ..Spec::default()
        };
        if self.dialect == Dialect::Postgres {
            for values in &raw.enums {
                self.add_enum(&mut spec, values);
            }
        }
        let names: Vec<Option<String>> = raw
            .tables
            .iter()
            .map(|t| self.add_table(&mut spec, t))
            .collect();
        // Foreign keys once every table exists, so they can point forward
        // (cycles) and at their own table.
        for (t, name) in raw.tables.iter().zip(names) {
            let Some(name) = name else {
                continue;
            };
            for fk in &t.foreign_keys {
                self.add_fk(&mut spec, &name, fk);
            }
        }
        for (t, columns) in &raw.views {
            self.add_view(&mut spec, *t, columns);
        }
        spec.sanitize(self.dialect);
        spec
    }

    fn add_view(&mut self, spec: &mut Spec, table: u8, columns: &[u8]) {
        let Some(name) = VIEWS
            .iter()
            .find(|n| !spec.views.iter().any(|v| v.name.eq_ignore_ascii_case(n)))
        else {
            return;
        };
        let Some(t) = pick(&spec.tables, table) else {
            return;
        };
        let names: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
        let mut picked: Vec<String> = Vec::new();
        for c in columns {
            if let Some(c) = pick(&names, *c)
                && !picked.contains(c)
            {
                picked.push(c.clone());
            }
        }
        spec.views.push(ViewSpec {
            name: name.to_string(),
            table: t.name.clone(),
            columns: picked,
        });
    }

    fn add_enum(&mut self, spec: &mut Spec, values: &[u8]) {
        let Some(name) = ENUMS
            .iter()
            .find(|n| !spec.enums.iter().any(|e| e.name == **n))
        else {
            return;
        };
        let mut vals: Vec<String> = Vec::new();
        for v in values {
            if let Some(v) = pick(ENUM_VALUES, *v)
                && !vals.iter().any(|x| x == v)
            {
                vals.push(v.to_string());
            }
        }
        spec.enums.push(EnumSpec {
            name: name.to_string(),
            values: vals,
        });
    }

    fn free_table_name(&self, spec: &Spec, n: u8) -> Option<String> {
        let start = usize::from(n) % TABLES.len();
        (0..TABLES.len())
            .map(|k| TABLES[(start + k) % TABLES.len()])
            .find(|n| !spec.tables.iter().any(|t| t.name.eq_ignore_ascii_case(n)))
            .map(str::to_string)
    }

    fn column(&mut self, spec: &Spec, table: &TableSpec, raw: &RawColumn) -> Option<ColSpec> {
        let start = usize::from(raw.name) % COLUMNS.len();
        let name = (0..COLUMNS.len())
            .map(|k| COLUMNS[(start + k) % COLUMNS.len()])
            .find(|n| !table.columns.iter().any(|c| c.name.eq_ignore_ascii_case(n)))?;
        let ty = pick(&self.types(spec), raw.ty)?.clone();
        let special = match raw.special {
            0 => Special::Identity(Identity::Always),
            1 => Special::Identity(Identity::ByDefault),
            2 => Special::Autoincrement,
            4 => Special::Serial,
            3 => match table
                .columns
                .iter()
                .find(|c| c.ty == Ty::Int || c.ty == Ty::BigInt)
            {
                Some(source) => Special::Generated {
                    source: source.name.clone(),
                    stored: raw.nullable,
                },
                None => Special::None,
            },
            _ => Special::None,
        };
        let ty = match special {
            Special::Generated { .. } => Ty::BigInt,
            _ => ty,
        };
        Some(ColSpec {
            name: name.to_string(),
            ty,
            nullable: raw.nullable,
            default: raw.default,
            special,
            shared_values: false,
        })
    }

    fn constraint_name(&mut self, named: bool, table: &str, kind: &str) -> Option<String> {
        named.then(|| format!("{table}_{kind}{}", self.next()))
    }

    fn add_table(&mut self, spec: &mut Spec, raw: &RawTable) -> Option<String> {
        let name = self.free_table_name(spec, raw.name)?;
        let mut table = TableSpec {
            name: name.clone(),
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
            comment: raw.comment.then(|| format!("the {name} table")),
            column_comments: Vec::new(),
            without_rowid: raw.unique_flags & 0x80 != 0,
            pg_options: raw.pg_options & super::spec::PG_OPTIONS,
        };
        for c in &raw.columns {
            if let Some(column) = self.column(spec, &table, c) {
                table.columns.push(column);
            }
        }
        let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        let picks = |ns: &[u8]| -> Vec<String> {
            ns.iter()
                .filter_map(|n| pick(&names, *n).cloned())
                .collect()
        };
        table.column_comments = picks(&raw.column_comments);
        if !raw.primary_key.is_empty() {
            table.primary_key = Some(KeySpec {
                name: self.constraint_name(raw.named, &name, "pk"),
                columns: picks(&raw.primary_key),
                nulls_not_distinct: false,
                deferrable: false,
            });
        }
        for (k, u) in raw.uniques.iter().enumerate() {
            let name = self.constraint_name(raw.named, &name, "uq");
            let flags = raw.unique_flags >> (2 * k);
            table.uniques.push(KeySpec {
                name,
                columns: picks(u),
                nulls_not_distinct: flags & 1 == 1,
                deferrable: flags & 2 == 2,
            });
        }
        for c in &raw.checks {
            if let Some(column) = pick(&names, *c) {
                let name = self.constraint_name(raw.named, &name, "ck");
                table.checks.push(CheckSpec {
                    name,
                    column: column.clone(),
                });
            }
        }
        for i in &raw.indexes {
            let index = self.index(&table, i);
            table.indexes.push(index);
        }
        spec.tables.push(table);
        Some(name)
    }

    fn index(&mut self, table: &TableSpec, raw: &RawIndex) -> IndexSpec {
        let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        IndexSpec {
            name: format!("{}_ix{}", table.name, self.next()),
            parts: raw
                .parts
                .iter()
                .filter_map(|(c, desc, lower)| {
                    let c = pick(&names, *c)?.clone();
                    Some((
                        if *lower {
                            Part::Lower(c)
                        } else {
                            Part::Column(c)
                        },
                        *desc,
                    ))
                })
                .collect(),
            unique: raw.unique,
            predicate: raw.predicate.and_then(|p| pick(&names, p).cloned()),
            include: raw
                .include
                .and_then(|p| pick(&names, p).cloned())
                .into_iter()
                .collect(),
        }
    }

    /// Adds new columns to `table` referencing a key of the target.
    fn add_fk(&mut self, spec: &mut Spec, table: &str, raw: &RawFk) {
        let targets: Vec<String> = spec.tables.iter().map(|t| t.name.clone()).collect();
        let Some(target_name) = pick(&targets, raw.target).cloned() else {
            return;
        };
        let Some(target) = spec.table(&target_name) else {
            return;
        };
        let keys: Vec<Vec<String>> = target
            .primary_key
            .iter()
            .chain(&target.uniques)
            .map(|k| k.columns.clone())
            .collect();
        let Some(key) = pick(&keys, raw.key).cloned() else {
            return;
        };
        let types: Option<Vec<Ty>> = key
            .iter()
            .map(|c| target.column(c).map(|c| c.ty.clone()))
            .collect();
        let Some(types) = types else {
            return;
        };
        let n = self.next();
        let name = self.constraint_name(raw.named, table, "fk");
        let Some(t) = spec.tables.iter_mut().find(|t| t.name == table) else {
            return;
        };
        let mut columns = Vec::new();
        for (k, ty) in types.into_iter().enumerate() {
            let column = format!("ref{n}_{k}");
            t.columns.push(ColSpec {
                name: column.clone(),
                ty,
                nullable: raw.nullable,
                default: 0,
                special: Special::None,
                shared_values: false,
            });
            columns.push(column);
        }
        t.foreign_keys.push(FkSpec {
            name,
            columns,
            target: target_name,
            target_columns: key,
            on_delete: action(raw.on_delete),
            on_update: action(raw.on_update),
            deferrable: match raw.deferrable {
                0 => Deferrable::NotDeferrable,
                1 => Deferrable::InitiallyImmediate,
                _ => Deferrable::InitiallyDeferred,
            },
        });
    }

    /// B: `a` with `edits` applied, in order, each on a valid schema.
    pub fn edit(&mut self, a: &Spec, edits: &[RawEdit]) -> Spec {
        let mut spec = a.clone();
        for edit in edits {
            self.apply(&mut spec, edit);
            spec.sanitize(self.dialect);
        }
        // Columns added to tables that have rows: NOT NULL needs a default,
        // and a foreign key column starts out NULL.
        for t in &mut spec.tables {
            let Some(old) = a.table(&t.name) else {
                continue;
            };
            let fk_columns: Vec<String> = t
                .foreign_keys
                .iter()
                .flat_map(|fk| fk.columns.clone())
                .collect();
            let new: Vec<String> = t
                .columns
                .iter()
                .filter(|c| old.column(&c.name).is_none())
                .map(|c| c.name.clone())
                .collect();
            // Every row gets the same default: a new column in a key stays NULL.
            let mut keyed: Vec<String> = t
                .uniques
                .iter()
                .flat_map(|u| u.columns.clone())
                .chain(
                    t.indexes
                        .iter()
                        .filter(|i| i.unique)
                        .flat_map(|i| i.parts.iter().map(|(p, _)| p.column().to_string())),
                )
                .collect();
            if t.primary_key
                .as_ref()
                .is_some_and(|k| k.columns.iter().any(|c| new.contains(c)))
            {
                t.primary_key = None;
            }
            keyed.retain(|c| new.contains(c));
            // Those rows are all NULL: NULLS NOT DISTINCT would make them equal.
            for u in &mut t.uniques {
                if u.columns.iter().any(|c| new.contains(c)) {
                    u.nulls_not_distinct = false;
                }
            }
            for c in &mut t.columns {
                // Dropped and added again with another type: the differ
                // sees a type change, which only works between types with a
                // cast (a known limit): keep the old type.
                if let Some(before) = old.column(&c.name)
                    && before.ty != c.ty
                    && !before.ty.changes(self.dialect).contains(&c.ty)
                {
                    c.ty = before.ty.clone();
                    c.shared_values = before.shared_values;
                    if matches!(c.special, Special::Generated { .. }) {
                        c.special = Special::None;
                    }
                }
                if old.column(&c.name).is_some() || c.special != Special::None {
                    continue;
                }
                // A default would be one value in every row: neither unique
                // nor, in general, a referenced key.
                if keyed.contains(&c.name) || fk_columns.contains(&c.name) {
                    c.nullable = true;
                    c.default = 0;
                } else if !c.nullable && c.default == 0 {
                    c.default = 1;
                }
            }
        }
        spec.sanitize(self.dialect);
        spec
    }

    fn apply(&mut self, spec: &mut Spec, edit: &RawEdit) {
        let d = self.dialect;
        let table_count = spec.tables.len();
        let ti = |n: u8| {
            if table_count == 0 {
                None
            } else {
                Some(usize::from(n) % table_count)
            }
        };
        match edit {
            RawEdit::AddTable(raw) => {
                if let Some(t) = self.add_table(spec, raw) {
                    for fk in &raw.foreign_keys {
                        self.add_fk(spec, &t, fk);
                    }
                }
            }
            RawEdit::DropTable(t) => {
                if let Some(t) = ti(*t) {
                    spec.tables.remove(t);
                }
            }
            RawEdit::AddColumn(t, raw) => {
                if let Some(t) = ti(*t) {
                    let table = spec.tables[t].clone();
                    if let Some(mut c) = self.column(spec, &table, raw) {
                        // Rows exist: a NOT NULL column needs a default.
                        if !c.nullable && c.default == 0 {
                            c.default = 1;
                        }
                        // A generated or identity column added to a table with
                        // rows is computed by the database: fine on both sides.
                        spec.tables[t].columns.push(c);
                    }
                }
            }
            RawEdit::DropColumn(t, c) => {
                if let Some(t) = ti(*t) {
                    let table = &mut spec.tables[t];
                    if table.columns.len() > 1 {
                        let c = usize::from(*c) % table.columns.len();
                        table.columns.remove(c);
                    }
                }
            }
            RawEdit::ChangeType(t, c, k) => {
                if let Some(t) = ti(*t) {
                    let referenced = referenced_columns(spec);
                    let table = &mut spec.tables[t];
                    let c = usize::from(*c) % table.columns.len();
                    let in_fk = table
                        .foreign_keys
                        .iter()
                        .any(|fk| fk.columns.contains(&table.columns[c].name))
                        || referenced
                            .contains(&(table.name.clone(), table.columns[c].name.clone()));
                    let generated_source = table.columns.iter().any(|x| {
                        matches!(&x.special, Special::Generated { source, .. } if *source == table.columns[c].name)
                    });
                    let column = &mut table.columns[c];
                    if !in_fk && !generated_source && column.special == Special::None {
                        let changes = column.ty.changes(d);
                        if let Some(ty) = pick(&changes, *k) {
                            let family_changed = ty.family() != column.ty.family();
                            column.shared_values |= !column.ty.keyable();
                            column.ty = ty.clone();
                            let name = column.name.clone();
                            if family_changed {
                                // Checks and expression indexes are written for
                                // the old type's family.
                                table.checks.retain(|x| x.column != name);
                                table.indexes.retain(|i| {
                                    !i.parts
                                        .iter()
                                        .any(|(p, _)| matches!(p, Part::Lower(x) if *x == name))
                                });
                            }
                        }
                    }
                }
            }
            RawEdit::ToggleNullable(t, c) => {
                if let Some(t) = ti(*t) {
                    let table = &mut spec.tables[t];
                    let c = usize::from(*c) % table.columns.len();
                    table.columns[c].nullable = !table.columns[c].nullable;
                }
            }
            RawEdit::SetDefault(t, c, v) => {
                if let Some(t) = ti(*t) {
                    let table = &mut spec.tables[t];
                    let c = usize::from(*c) % table.columns.len();
                    table.columns[c].default = *v;
                }
            }
            RawEdit::AddCheck(t, c) => {
                if let Some(t) = ti(*t) {
                    let name = spec.tables[t].name.clone();
                    let cname = self.constraint_name(true, &name, "ck");
                    let table = &mut spec.tables[t];
                    if let Some(column) = pick(&table.columns, *c).map(|c| c.name.clone()) {
                        table.checks.push(CheckSpec {
                            name: cname,
                            column,
                        });
                    }
                }
            }
            RawEdit::DropCheck(t, c) => {
                if let Some(t) = ti(*t) {
                    let table = &mut spec.tables[t];
                    if !table.checks.is_empty() {
                        let c = usize::from(*c) % table.checks.len();
                        table.checks.remove(c);
                    }
                }
            }
            RawEdit::AddUnique(t, cs) => {
                if let Some(t) = ti(*t) {
                    let name = spec.tables[t].name.clone();
                    let uname = self.constraint_name(true, &name, "uq");
                    let table = &mut spec.tables[t];
                    let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
                    table.uniques.push(KeySpec {
                        name: uname,
                        columns: cs
                            .iter()
                            .filter_map(|c| pick(&names, *c).cloned())
                            .collect(),
                        nulls_not_distinct: false,
                        deferrable: false,
                    });
                }
            }
            RawEdit::DropUnique(t, u) => {
                if let Some(t) = ti(*t) {
                    let table = &mut spec.tables[t];
                    if !table.uniques.is_empty() {
                        let u = usize::from(*u) % table.uniques.len();
                        table.uniques.remove(u);
                    }
                }
            }
            RawEdit::SetPrimaryKey(t, cs) => {
                if let Some(t) = ti(*t) {
                    let name = spec.tables[t].name.clone();
                    let pname = self.constraint_name(true, &name, "pk");
                    let table = &mut spec.tables[t];
                    let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
                    table.primary_key = (!cs.is_empty()).then(|| KeySpec {
                        name: pname,
                        columns: cs
                            .iter()
                            .filter_map(|c| pick(&names, *c).cloned())
                            .collect(),
                        nulls_not_distinct: false,
                        deferrable: false,
                    });
                }
            }
            RawEdit::AddForeignKey(t, raw) => {
                if let Some(t) = ti(*t) {
                    let name = spec.tables[t].name.clone();
                    let mut raw = raw.clone();
                    // New columns on a table with rows: nullable, filled with NULL.
                    raw.nullable = true;
                    self.add_fk(spec, &name, &raw);
                }
            }
            RawEdit::DropForeignKey(t, f) => {
                if let Some(t) = ti(*t) {
                    let table = &mut spec.tables[t];
                    if !table.foreign_keys.is_empty() {
                        let f = usize::from(*f) % table.foreign_keys.len();
                        table.foreign_keys.remove(f);
                    }
                }
            }
            RawEdit::ForeignKeyActions(t, f, del, upd) => {
                if let Some(t) = ti(*t) {
                    let table = &mut spec.tables[t];
                    if !table.foreign_keys.is_empty() {
                        let f = usize::from(*f) % table.foreign_keys.len();
                        table.foreign_keys[f].on_delete = action(*del);
                        table.foreign_keys[f].on_update = action(*upd);
                    }
                }
            }
            RawEdit::AddIndex(t, raw) => {
                if let Some(t) = ti(*t) {
                    let table = spec.tables[t].clone();
                    let index = self.index(&table, raw);
                    spec.tables[t].indexes.push(index);
                }
            }
            RawEdit::DropIndex(t, i) => {
                if let Some(t) = ti(*t) {
                    let table = &mut spec.tables[t];
                    if !table.indexes.is_empty() {
                        let i = usize::from(*i) % table.indexes.len();
                        table.indexes.remove(i);
                    }
                }
            }
            RawEdit::AddEnumValue(e, v, p) => {
                let count = spec.enums.len();
                if count > 0 {
                    let e = &mut spec.enums[usize::from(*e) % count];
                    if let Some(v) = pick(ENUM_VALUES, *v)
                        && !e.values.iter().any(|x| x == v)
                    {
                        let at = usize::from(*p) % (e.values.len() + 1);
                        e.values.insert(at.max(1), v.to_string());
                    }
                }
            }
            RawEdit::RemoveEnumValue(e, v) => {
                let count = spec.enums.len();
                if count > 0 {
                    let e = &mut spec.enums[usize::from(*e) % count];
                    // Rows hold the first value: it stays.
                    if e.values.len() > 1 {
                        let at = 1 + usize::from(*v) % (e.values.len() - 1);
                        e.values.remove(at);
                    }
                }
            }
            RawEdit::ReorderEnum(e) => {
                let count = spec.enums.len();
                if count > 0 {
                    let e = &mut spec.enums[usize::from(*e) % count];
                    if e.values.len() > 2 {
                        e.values.swap(1, 2);
                    }
                }
            }
            RawEdit::ToggleDeferrable(t, f) => {
                if let Some(t) = ti(*t) {
                    let table = &mut spec.tables[t];
                    if !table.foreign_keys.is_empty() {
                        let f = usize::from(*f) % table.foreign_keys.len();
                        let fk = &mut table.foreign_keys[f];
                        fk.deferrable = match fk.deferrable {
                            Deferrable::NotDeferrable => Deferrable::InitiallyDeferred,
                            Deferrable::InitiallyImmediate | Deferrable::InitiallyDeferred => {
                                Deferrable::NotDeferrable
                            }
                        };
                    }
                }
            }
            RawEdit::AddEnum(values) => {
                if d == Dialect::Postgres {
                    self.add_enum(spec, values);
                }
            }
            RawEdit::AddView(t, columns) => self.add_view(spec, *t, columns),
            RawEdit::DropView(v) => {
                if !spec.views.is_empty() {
                    let v = usize::from(*v) % spec.views.len();
                    spec.views.remove(v);
                }
            }
            RawEdit::ToggleTableOption(t, option) => {
                if let Some(t) = ti(*t) {
                    spec.tables[t].pg_options ^= 1 << option;
                }
            }
            RawEdit::ToggleComment(t, column) => {
                if let Some(t) = ti(*t) {
                    let table = &mut spec.tables[t];
                    match column
                        .and_then(|c| pick(&table.columns, c))
                        .map(|c| c.name.clone())
                    {
                        Some(c) if table.column_comments.contains(&c) => {
                            table.column_comments.retain(|x| *x != c)
                        }
                        Some(c) => table.column_comments.push(c),
                        None => {
                            table.comment = match table.comment {
                                Some(_) => None,
                                None => Some(format!("now about {}", table.name)),
                            }
                        }
                    }
                }
            }
            RawEdit::DropEnum(e) => {
                let count = spec.enums.len();
                if count > 0 {
                    let name = spec.enums[usize::from(*e) % count].name.clone();
                    let used = spec
                        .tables
                        .iter()
                        .any(|t| t.columns.iter().any(|c| c.ty == Ty::Enum(name.clone())));
                    if !used {
                        spec.enums.retain(|x| x.name != name);
                    }
                }
            }
        }
    }
}

/// (table, column) pairs some foreign key references.
fn referenced_columns(spec: &Spec) -> Vec<(String, String)> {
    spec.tables
        .iter()
        .flat_map(|t| &t.foreign_keys)
        .flat_map(|fk| {
            fk.target_columns
                .iter()
                .map(|c| (fk.target.clone(), c.clone()))
        })
        .collect()
}
