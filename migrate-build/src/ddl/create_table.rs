//! `CREATE TABLE`, and the column and constraint building `ALTER TABLE` shares.

use sqlparser::ast::{
    self, ColumnDef, ColumnOption, GeneratedAs, GeneratedExpressionMode, ReferentialAction,
    TableConstraint,
};

use super::scan::{self, Tok};
use super::{Fallible, Outcome, like, names, partition, types};
use crate::dialect::Dialect;
use crate::schema::{
    CheckConstraint, Column, ColumnType, ConflictAction, Deferrable, Expr, ForeignKey,
    ForeignKeyAction, Generated, Identity, KeyIndex, PrimaryKey, QualifiedName, Schema, Sequence,
    SequenceOptions, StorageParam, Table, UniqueConstraint,
};

pub(super) fn apply(schema: &mut Schema, text: &str) -> Fallible<Outcome> {
    let d = schema.dialect;
    let (text, compression) = inline_compression(text, d)?;
    let text = text.as_ref();
    // Most tables copy nothing: tokenize only those that may.
    let may_copy = text
        .as_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"LIKE"));
    let tokens = if may_copy {
        scan::tokenize(text, d)?
    } else {
        scan::Tokens {
            toks: Vec::new(),
            offsets: Vec::new(),
        }
    };
    let mut cursor = scan::Cursor::new(&tokens, d);
    let (text, likes) = match like::extract(text, &tokens, &mut cursor)? {
        Some((rest, likes)) if d == Dialect::Postgres => (std::borrow::Cow::Owned(rest), likes),
        Some(_) => return Err("SQLite has no CREATE TABLE … (LIKE …)".into()),
        None => (std::borrow::Cow::Borrowed(text), Vec::new()),
    };
    let text = text.as_ref();
    let (text, key_storage) = key_storage_clauses(text, d)?;
    let text = text.as_ref();
    let mut storage = None;
    let mut identity_names = Vec::new();
    let (text, mut conflicts) = match d {
        Dialect::Sqlite => table_conflict_clauses(text)?,
        Dialect::Postgres => {
            let read = super::default_storage::without_defaults(
                text,
                super::default_storage::Statement::Table,
            )?;
            let tokens = scan::tokenize(&read.text, d)?;
            refuse_typed_table(&tokens)?;
            refuse_set_column_lists(&tokens)?;
            identity_names = super::pgdump::inline_identity_sequence_names(&tokens);
            let text = match identity_names.as_slice() {
                [] => read.text.clone(),
                named => {
                    let offset =
                        |i: usize| tokens.offsets.get(i).copied().unwrap_or(read.text.len());
                    let cuts = named
                        .iter()
                        .map(|(_, _, range)| (offset(range.start), offset(range.end)));
                    std::borrow::Cow::Owned(blank(&read.text, cuts))
                }
            };
            storage = Some(read);
            (text, Vec::new())
        }
    };
    let text = text.as_ref();
    let declared = match d {
        Dialect::Sqlite => sqlite_declared_types(text)?,
        Dialect::Postgres => std::borrow::Cow::Borrowed(text),
    };
    let parsed = scan::parse_statement(&declared, d)
        .map_err(|e| conflict_clause(&declared, d).unwrap_or(e))?;
    let ast::Statement::CreateTable(ct) = parsed else {
        return Err("expected a CREATE TABLE statement".into());
    };
    if let Some(read) = &storage {
        read.refuse_on_partitioned(ct.partition_by.is_some())?;
    }
    unmodelled_table_clauses(&ct)?;
    let name = names::object_name(&ct.name, d)?;
    for ((column, quoted), parts, _) in &identity_names {
        let column = names::fold(column, *quoted, d);
        super::alter_table::identity_sequence_named_by_default(schema, &name, &column, parts)?;
    }
    // A table's name is a relation name, and its row type a type name.
    let ns = name.schema.as_deref();
    let taken = d == Dialect::Postgres
        && (names::relation_taken(schema, ns, &name.name)
            || names::type_taken(schema, ns, &name.name));
    if schema.table(&name).is_some()
        || schema.view(&name).is_some()
        || schema.virtual_table(&name).is_some()
        || taken
    {
        return if ct.if_not_exists {
            Ok(Outcome::Applied)
        } else {
            Err(format!("table `{name}` already exists"))
        };
    }
    if ct.like.is_some() || ct.clone.is_some() {
        return Err("CREATE TABLE … LIKE/CLONE is not modelled".into());
    }
    let mut table = Table::new(name.clone());
    table.options.unlogged = ct.unlogged;
    table.options.storage = match &ct.table_options {
        ast::CreateTableOptions::None => Vec::new(),
        ast::CreateTableOptions::With(options) if d == Dialect::Postgres => {
            super::options::storage_params_ast(options)?
        }
        other => return Err(format!("table options `{other}` are not modelled")),
    };
    if ct.on_commit.is_some() && !ct.temporary {
        return Err("ON COMMIT is only for temporary tables".into());
    }
    if d == Dialect::Sqlite
        && (ct.inherits.is_some() || ct.partition_of.is_some() || ct.partition_by.is_some())
    {
        return Err("SQLite has no table inheritance or partitioning".into());
    }
    if let Some(by) = &ct.partition_by {
        table.partition_by = Some(Box::new(partition::partition_key(by, d)?));
    }
    if let Some(parent) = &ct.partition_of {
        table = partition::create_partition(schema, table, parent, ct.for_values.as_ref())?;
        for def in &ct.columns {
            partition_column_options(&mut table, def, d)?;
        }
    }
    if let Some(parents) = &ct.inherits {
        let (parents, columns) = partition::inherited_columns(schema, parents)?;
        table.inherits = parents;
        table.columns = columns;
    }
    for option in &ct.sqlite_table_options.options {
        match option {
            ast::SqliteTableOption::WithoutRowid => table.without_rowid = true,
            ast::SqliteTableOption::Strict => table.strict = true,
        }
    }
    let outcome = if ct.temporary {
        Outcome::Temporary(name.clone())
    } else {
        Outcome::Applied
    };
    if let Some(query) = &ct.query {
        table.columns = match super::query::table_columns(schema, query) {
            Ok(columns) => columns,
            // A temporary table is gone when the script's session ends, so
            // its shape never reaches a schema; only its name matters.
            Err(_) if ct.temporary => Vec::new(),
            Err(e) => return Err(e),
        };
        super::options::check_toast(&table)?;
        schema.tables.push(table);
        return Ok(outcome);
    }
    schema.tables.push(table);
    let mut pending = Vec::new();
    // A partition's column list only adds options to its parent's columns.
    let declared = if ct.partition_of.is_some() {
        &[][..]
    } else {
        &ct.columns[..]
    };
    for column in declared {
        let inherited = schema.table(&name).and_then(|t| {
            let col = names::ident(&column.name, d);
            t.columns.iter().position(|c| d.same_name(&c.name, &col))
        });
        match inherited {
            // A column declared again in an inheriting table merges into
            // the inherited one, which keeps its place.
            Some(at) => {
                let table = table_mut(schema, &name)?;
                let mut old = table.columns.remove(at);
                pending.extend(add_column(schema, &name, column)?);
                let table = table_mut(schema, &name)?;
                if let Some(declared) = table.columns.pop() {
                    partition::merge_column(&mut old, &declared, &name)?;
                }
                table.columns.insert(at, old);
            }
            None => pending.extend(add_column(schema, &name, column)?),
        }
    }
    for (column, method) in compression {
        let table = table_mut(schema, &name)?;
        let c = table
            .column_mut(&column, d)
            .ok_or_else(|| format!("column `{column}` of `{name}` does not exist"))?;
        c.compression = (method != "default").then_some(method);
    }
    if !likes.is_empty() {
        pending.extend(copy_likes(schema, &name, &likes)?);
    }
    for (column, primary, storage) in key_storage.columns {
        let key = pending.iter_mut().find(|p| match &p.kind {
            PendingKind::PrimaryKey(cols, _) => primary && cols.len() == 1 && cols[0] == column,
            PendingKind::Unique { columns, .. } => {
                !primary && columns.len() == 1 && columns[0] == column
            }
            _ => false,
        });
        match key {
            Some(p) if p.index.storage.is_empty() => p.index.storage = storage,
            _ => {
                return Err(format!(
                    "`WITH (…)` after a key of column `{column}` is not understood"
                ));
            }
        }
    }
    conflicts.resize(ct.constraints.len(), None);
    let mut key_storage = key_storage.constraints;
    key_storage.resize(ct.constraints.len(), None);
    for ((constraint, on_conflict), storage) in
        ct.constraints.iter().zip(conflicts).zip(key_storage)
    {
        let mut p = Pending::from_table_constraint(constraint, d)?;
        if let Some(storage) = storage {
            p.set_key_storage(storage)?;
        }
        if on_conflict.is_some() {
            match p.kind {
                PendingKind::PrimaryKey(..) | PendingKind::Unique { .. } => {
                    p.on_conflict = on_conflict
                }
                _ => {
                    return Err(
                        "`ON CONFLICT` belongs to a PRIMARY KEY or UNIQUE constraint".into(),
                    );
                }
            }
        }
        pending.push(p);
    }
    apply_constraints(schema, &name, pending)?;
    super::options::check_toast(table_ref(schema, &name)?)?;
    partition::merge_inherited_checks(schema, &name);
    if let Some(by) = schema.table(&name).and_then(|t| t.partition_by.as_ref()) {
        let created = table_ref(schema, &name)?;
        for key in &by.key {
            if let crate::schema::IndexExpr::Column(c) = key
                && created.column(c, d).is_none()
            {
                return Err(format!(
                    "partition key column `{c}` of `{name}` does not exist"
                ));
            }
        }
    }
    Ok(outcome)
}

/// (column, method) pairs of `COMPRESSION method` clauses.
type Compressions = Vec<(String, String)>;

/// `name type COMPRESSION method` in a PostgreSQL column definition, which
/// sqlparser does not read: the statement without it, and (column, method)
/// for each column that has it.
fn inline_compression(
    text: &str,
    d: Dialect,
) -> Fallible<(std::borrow::Cow<'_, str>, Compressions)> {
    let written = text
        .as_bytes()
        .windows(11)
        .any(|w| w.eq_ignore_ascii_case(b"COMPRESSION"));
    if d != Dialect::Postgres || !written {
        return Ok((std::borrow::Cow::Borrowed(text), Vec::new()));
    }
    let tokens = scan::tokenize(text, d)?;
    let toks = &tokens.toks;
    let offset = |i: usize| tokens.offsets.get(i).copied().unwrap_or(text.len());
    let Some(open) = toks.iter().position(|t| t.is_sym("(")) else {
        return Ok((std::borrow::Cow::Borrowed(text), Vec::new()));
    };
    let mut found = Vec::new();
    let mut cut = Vec::new();
    let mut depth = 0usize;
    let mut element = open + 1;
    for (i, t) in toks.iter().enumerate().skip(open) {
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            depth -= 1;
            if depth == 0 {
                break;
            }
        } else if t.is_sym(",") && depth == 1 {
            element = i + 1;
        } else if depth == 1 && i > element + 1 && t.is_kw("COMPRESSION") {
            let constraint = toks.get(element).is_some_and(|t| {
                [
                    "CONSTRAINT",
                    "PRIMARY",
                    "UNIQUE",
                    "CHECK",
                    "FOREIGN",
                    "EXCLUDE",
                    "LIKE",
                ]
                .iter()
                .any(|kw| t.is_kw(kw))
            });
            if constraint {
                continue;
            }
            let mut c = scan::Cursor::new(&tokens, d);
            c.pos = element;
            let column = c.ident()?;
            c.pos = i + 1;
            let method = c.ident()?.to_ascii_lowercase();
            found.push((column, method));
            cut.push(offset(i)..offset(i + 2));
        }
    }
    if cut.is_empty() {
        return Ok((std::borrow::Cow::Borrowed(text), Vec::new()));
    }
    let mut rest = String::with_capacity(text.len());
    let mut from = 0;
    for span in cut {
        rest.push_str(&text[from..span.start]);
        from = span.end;
    }
    rest.push_str(&text[from..]);
    Ok((std::borrow::Cow::Owned(rest), found))
}

/// Puts the columns of each `LIKE` element where it stood among the
/// declared columns, copies the checks (`INCLUDING CONSTRAINTS`, names
/// kept) and indexes (`INCLUDING INDEXES`, named as the server names them)
/// and returns the keys to add.
fn copy_likes(
    schema: &mut Schema,
    name: &QualifiedName,
    likes: &[like::Like],
) -> Fallible<Vec<Pending>> {
    let d = schema.dialect;
    let declared = table_mut(schema, name)?.columns.clone();
    let mut columns = Vec::new();
    let mut pending = Vec::new();
    let mut taken = 0;
    let mut copied_indexes = Vec::new();
    for l in likes {
        let upto = l.columns_before.min(declared.len());
        if upto > taken {
            columns.extend(declared[taken..upto].iter().cloned());
            taken = upto;
        }
        for c in like::columns(schema, l)? {
            if columns
                .iter()
                .chain(&declared)
                .any(|k: &Column| d.same_name(&k.name, &c.name))
            {
                return Err(format!("column `{}` specified more than once", c.name));
            }
            columns.push(c);
        }
        let source = schema
            .table(&l.source)
            .ok_or_else(|| format!("table `{}` does not exist", l.source))?
            .clone();
        if l.including.constraints {
            for check in &source.checks {
                pending.push(Pending {
                    name: check.name.clone(),
                    kind: PendingKind::Check {
                        expr: Box::new(scan::parse_expr(&check.expr.sql, d).ok_or_else(|| {
                            format!(
                                "check `{}` of `{}` cannot be copied",
                                check.expr.sql, source.name
                            )
                        })?),
                        no_inherit: check.no_inherit,
                    },
                    // The copy is a new constraint: the server checks it.
                    not_valid: false,
                    on_conflict: None,
                    index: KeyIndex::default(),
                });
            }
        }
        if l.including.indexes {
            if let Some(pk) = &source.primary_key {
                pending.push(Pending {
                    name: None,
                    kind: PendingKind::PrimaryKey(pk.columns.clone(), pk.deferrable),
                    not_valid: false,
                    on_conflict: None,
                    index: pk.index.clone(),
                });
            }
            for u in &source.uniques {
                pending.push(Pending {
                    name: None,
                    kind: PendingKind::Unique {
                        columns: u.columns.clone(),
                        nulls_not_distinct: u.nulls_not_distinct,
                        deferrable: u.deferrable,
                    },
                    not_valid: false,
                    on_conflict: None,
                    index: u.index.clone(),
                });
            }
            copied_indexes.extend(schema.indexes_on(&source.name).cloned());
        }
    }
    columns.extend(declared[taken..].iter().cloned());
    table_mut(schema, name)?.columns = columns;
    for mut index in copied_indexes {
        let parts: Vec<Option<String>> = index
            .columns
            .iter()
            .map(|c| match &c.expr {
                crate::schema::IndexExpr::Column(c) => Some(c.clone()),
                crate::schema::IndexExpr::Expression(e) => {
                    super::index::expression_colname(&e.sql, d)
                }
            })
            .chain(index.include.iter().cloned().map(Some))
            .collect();
        let addition = names::column_addition(&parts);
        let n = names::choose_name(
            schema,
            name.schema.as_deref(),
            &name.name,
            Some(&addition),
            "idx",
        );
        index.name = QualifiedName::with_schema(name.schema.clone(), n);
        index.table = name.clone();
        schema.indexes.push(index);
    }
    Ok(pending)
}

/// `PARTITION OF parent (col NOT NULL, col DEFAULT x, …)`: options on a
/// column the partition has from its parent. Constraints go in the
/// partition's table constraints (`PRIMARY KEY (…)`), as the server
/// accepts them there; column constraints are refused rather than guessed.
fn partition_column_options(table: &mut Table, def: &ColumnDef, d: Dialect) -> Fallible<()> {
    let name = names::ident(&def.name, d);
    if !matches!(def.data_type, ast::DataType::Unspecified) {
        return Err(format!(
            "column `{name}` of partition `{}` names a type: a partition has its parent's",
            table.name
        ));
    }
    let table_name = table.name.clone();
    let column = table
        .column_mut(&name, d)
        .ok_or_else(|| format!("column `{name}` of `{table_name}` does not exist"))?;
    for option in &def.options {
        match &option.option {
            ColumnOption::NotNull => column.nullable = false,
            ColumnOption::Default(e) => column.default = default_expr(e, d),
            other => {
                return Err(format!(
                    "column option `{other}` of `{name}` in PARTITION OF is not modelled: write it as a table constraint"
                ));
            }
        }
    }
    Ok(())
}

/// A constraint waiting to be added: foreign keys go last so that a
/// reference to the table's own primary key resolves.
pub(super) struct Pending {
    name: Option<String>,
    kind: PendingKind,
    /// `ADD CONSTRAINT … NOT VALID` (checks and foreign keys).
    pub(super) not_valid: bool,
    /// SQLite's `ON CONFLICT …` on a primary key or unique constraint.
    on_conflict: Option<ConflictAction>,
    /// PostgreSQL: `INCLUDE (…)` and `WITH (…)` of a key's index.
    pub(super) index: KeyIndex,
}

enum PendingKind {
    PrimaryKey(Vec<String>, Deferrable),
    Unique {
        columns: Vec<String>,
        nulls_not_distinct: bool,
        deferrable: Deferrable,
    },
    Check {
        expr: Box<ast::Expr>,
        no_inherit: bool,
    },
    /// `PRIMARY KEY USING INDEX i` / `UNIQUE USING INDEX i`: the unique index
    /// becomes the constraint's index (renamed to the constraint's name).
    UsingIndex {
        index: String,
        primary: bool,
        deferrable: Deferrable,
    },
    Exclusion {
        definition: String,
        /// The names its index's default name is made of.
        columns: Vec<Option<String>>,
        deferrable: Deferrable,
    },
    ForeignKey {
        columns: Vec<String>,
        table: QualifiedName,
        referenced: Vec<String>,
        on_delete: ForeignKeyAction,
        on_update: ForeignKeyAction,
        deferrable: Deferrable,
    },
}

impl PendingKind {
    /// Primary keys, uniques and exclusions name an index: their names are relation
    /// names too. (`USING INDEX` takes over its index's name.)
    fn is_index_backed(&self) -> bool {
        match self {
            PendingKind::PrimaryKey(..)
            | PendingKind::Unique { .. }
            | PendingKind::Exclusion { .. } => true,
            PendingKind::Check { .. }
            | PendingKind::UsingIndex { .. }
            | PendingKind::ForeignKey { .. } => false,
        }
    }
}

impl Pending {
    pub(super) fn from_table_constraint(c: &TableConstraint, d: Dialect) -> Fallible<Self> {
        Ok(match c {
            TableConstraint::PrimaryKey(pk) => primary_key(pk, None, d)?,
            TableConstraint::Unique(u) => unique(u, None, d)?,
            TableConstraint::Check(ck) => check(ck, d)?,
            TableConstraint::ForeignKey(fk) => foreign_key(fk, None, d)?,
            TableConstraint::PrimaryKeyUsingIndex(u) | TableConstraint::UniqueUsingIndex(u) => {
                let ast::ConstraintUsingIndex {
                    name,
                    index_name,
                    characteristics,
                } = u;
                Pending {
                    name: name.as_ref().map(|n| names::ident(n, d)),
                    kind: PendingKind::UsingIndex {
                        index: names::ident(index_name, d),
                        primary: matches!(c, TableConstraint::PrimaryKeyUsingIndex(_)),
                        deferrable: constraint_characteristics(characteristics.as_ref(), d)?,
                    },
                    not_valid: false,
                    on_conflict: None,
                    index: KeyIndex::default(),
                }
            }
            TableConstraint::Exclude(x) => {
                // The definition is the constraint's text without its name and
                // characteristics, read apart.
                let ast::ExcludeConstraint {
                    name,
                    index_method: _,
                    elements,
                    include,
                    where_clause: _,
                    characteristics,
                } = x;
                let mut bare = x.clone();
                bare.name = None;
                bare.characteristics = None;
                if bare.index_method.is_none() {
                    bare.index_method = Some(ast::Ident::new("btree"));
                }
                let text = bare.to_string();
                let definition = text.strip_prefix("EXCLUDE ").unwrap_or(&text).to_string();
                // The index's default name lists the key's columns (an
                // expression as `expr`) and its INCLUDE columns.
                let columns = elements
                    .iter()
                    .map(|e| match &e.column.column.expr {
                        ast::Expr::Identifier(id) => Some(names::ident(id, d)),
                        other => super::index::figure_colname(other, d),
                    })
                    .chain(include.iter().map(|i| Some(names::ident(i, d))))
                    .collect();
                Pending {
                    name: name.as_ref().map(|n| names::ident(n, d)),
                    kind: PendingKind::Exclusion {
                        definition,
                        columns,
                        deferrable: constraint_characteristics(characteristics.as_ref(), d)?,
                    },
                    not_valid: false,
                    on_conflict: None,
                    index: KeyIndex::default(),
                }
            }
            other => return Err(format!("table constraint `{other}` is not modelled")),
        })
    }
}

impl Pending {
    /// A key's `WITH (…)`, read from tokens: only keys build an index.
    pub(super) fn set_key_storage(&mut self, storage: Vec<StorageParam>) -> Fallible<()> {
        match self.kind {
            PendingKind::PrimaryKey(..) | PendingKind::Unique { .. } => {}
            PendingKind::Exclusion { .. } => {
                return Err("`WITH (…)` on an EXCLUDE constraint is not modelled".into());
            }
            PendingKind::Check { .. }
            | PendingKind::UsingIndex { .. }
            | PendingKind::ForeignKey { .. } => {
                return Err("`WITH (…)` belongs to a PRIMARY KEY or UNIQUE constraint".into());
            }
        }
        super::options::no_toast(&storage, "a key's index")?;
        self.index.storage = storage;
        Ok(())
    }
}

/// The `WITH (…)` clauses of a PostgreSQL CREATE TABLE's keys.
#[derive(Default)]
struct KeyStorage {
    /// By table constraint, in order (`None`: no clause).
    constraints: Vec<Option<Vec<StorageParam>>>,
    /// (column, primary key rather than unique, parameters) of column keys.
    columns: Vec<(String, bool, Vec<StorageParam>)>,
}

/// `PRIMARY KEY (a) WITH (fillfactor = 70)` and the like in a PostgreSQL
/// CREATE TABLE, which sqlparser does not read: the statement with those
/// clauses blanked (later errors keep their line:col) and the parameters.
fn key_storage_clauses(
    text: &str,
    d: Dialect,
) -> Fallible<(std::borrow::Cow<'_, str>, KeyStorage)> {
    let mut found = KeyStorage::default();
    // `WITH (`: not the `with time zone` of most timestamp columns, which
    // would tokenize the statement once more for nothing.
    let bytes = text.as_bytes();
    let written = bytes.windows(4).enumerate().any(|(i, w)| {
        w.eq_ignore_ascii_case(b"WITH")
            && bytes[i + 4..]
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                .is_some_and(|&b| b == b'(')
    });
    if d != Dialect::Postgres || !written {
        return Ok((std::borrow::Cow::Borrowed(text), found));
    }
    let tokens = scan::tokenize(text, d)?;
    let toks = &tokens.toks;
    let offset = |i: usize| tokens.offsets.get(i).copied().unwrap_or(text.len());
    let Some(open) = toks.iter().position(|t| t.is_sym("(")) else {
        return Ok((std::borrow::Cow::Borrowed(text), found));
    };
    let mut cuts = Vec::new();
    let mut depth = 0usize;
    let mut element = open + 1;
    // The element's column (None: a table constraint) and the key it is in.
    let mut column: Option<String> = None;
    let mut key: Option<bool> = None;
    let mut exclusion = false;
    let mut i = open;
    while i < toks.len() {
        let t = &toks[i];
        if depth == 1 && i == element {
            key = None;
            exclusion = false;
            let constraint = [
                "CONSTRAINT",
                "PRIMARY",
                "UNIQUE",
                "CHECK",
                "FOREIGN",
                "EXCLUDE",
            ]
            .iter()
            .any(|kw| t.is_kw(kw));
            column = None;
            if constraint {
                found.constraints.push(None);
            } else {
                // Not a column when the parentheses are a partition bound's.
                let mut c = scan::Cursor::new(&tokens, d);
                c.pos = i;
                column = Some(c.ident().unwrap_or_default());
            }
        }
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                break;
            }
        } else if depth == 1 && t.is_sym(",") {
            element = i + 1;
        } else if depth == 1 && t.is_kw("PRIMARY") {
            key = Some(true);
        } else if depth == 1 && t.is_kw("UNIQUE") {
            key = Some(false);
        } else if depth == 1 && t.is_kw("EXCLUDE") {
            exclusion = true;
        } else if depth == 1
            && t.is_kw("WITH")
            && toks.get(i + 1).is_some_and(|t| t.is_sym("("))
            && (key.is_some() || exclusion)
        {
            let Some(primary) = key.filter(|_| !exclusion) else {
                return Err("`WITH (…)` on an EXCLUDE constraint is not modelled".into());
            };
            let mut c = scan::Cursor::new(&tokens, d);
            c.pos = i + 1;
            let params = super::options::storage_params(&mut c)?;
            cuts.push(offset(i)..offset(c.pos));
            match &column {
                Some(col) => found.columns.push((col.clone(), primary, params)),
                None => {
                    if let Some(last) = found.constraints.last_mut() {
                        *last = Some(params);
                    }
                }
            }
            i = c.pos;
            continue;
        }
        i += 1;
    }
    if cuts.is_empty() {
        return Ok((std::borrow::Cow::Borrowed(text), found));
    }
    Ok((
        std::borrow::Cow::Owned(blank(text, cuts.iter().map(|r| (r.start, r.end)))),
        found,
    ))
}

/// The `WITH (…)` of an `ALTER TABLE … ADD [CONSTRAINT n] PRIMARY KEY /
/// UNIQUE / EXCLUDE …` action (tokens `start..end`), as pg_dump writes a
/// key with storage parameters: the clause's token range and parameters.
pub(super) fn key_storage_in_action(
    tokens: &scan::Tokens,
    start: usize,
    end: usize,
) -> Fallible<Option<(std::ops::Range<usize>, Vec<StorageParam>)>> {
    let toks = &tokens.toks;
    if !toks.get(start).is_some_and(|t| t.is_kw("ADD")) {
        return Ok(None);
    }
    let mut depth = 0usize;
    let mut key = false;
    let mut exclusion = false;
    for i in start..end.min(toks.len()) {
        let t = &toks[i];
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && (t.is_kw("PRIMARY") || t.is_kw("UNIQUE")) {
            key = true;
        } else if depth == 0 && t.is_kw("EXCLUDE") {
            exclusion = true;
        } else if depth == 0
            && (key || exclusion)
            && t.is_kw("WITH")
            && toks.get(i + 1).is_some_and(|t| t.is_sym("("))
        {
            if exclusion {
                return Err("`WITH (…)` on an EXCLUDE constraint is not modelled".into());
            }
            let mut c = scan::Cursor::new(tokens, Dialect::Postgres);
            c.pos = i + 1;
            let params = super::options::storage_params(&mut c)?;
            super::options::no_toast(&params, "a key's index")?;
            return Ok(Some((i..c.pos, params)));
        }
    }
    Ok(None)
}

/// INCLUDE columns must exist.
fn check_included(
    table: &Table,
    index: &KeyIndex,
    table_name: &QualifiedName,
    d: Dialect,
) -> Fallible<()> {
    match index.include.iter().find(|c| table.column(c, d).is_none()) {
        Some(c) => Err(format!(
            "column `{c}` named in INCLUDE does not exist in `{table_name}`"
        )),
        None => Ok(()),
    }
}

/// A key's `INCLUDE (…)`; MySQL's index names, types and options on a key
/// are refused (PostgreSQL's `WITH (…)` is read from tokens before parsing:
/// [`key_storage_clauses`]).
fn key_index(
    index_name: &Option<ast::Ident>,
    index_type: &Option<ast::IndexType>,
    index_options: &[ast::IndexOption],
    include: &[ast::Ident],
    d: Dialect,
) -> Fallible<KeyIndex> {
    if let Some(n) = index_name {
        return Err(format!("an index name `{n}` on a key is not modelled"));
    }
    if let Some(t) = index_type {
        return Err(format!(
            "an index type `USING {t}` on a key is not modelled"
        ));
    }
    if let Some(o) = index_options.first() {
        return Err(format!("index option `{o}` on a key is not modelled"));
    }
    if !include.is_empty() && d != Dialect::Postgres {
        return Err("INCLUDE (…) on a key is PostgreSQL's".into());
    }
    Ok(KeyIndex {
        include: include.iter().map(|i| names::ident(i, d)).collect(),
        storage: Vec::new(),
    })
}

fn action(a: Option<ReferentialAction>) -> ForeignKeyAction {
    match a {
        None | Some(ReferentialAction::NoAction) => ForeignKeyAction::NoAction,
        Some(ReferentialAction::Restrict) => ForeignKeyAction::Restrict,
        Some(ReferentialAction::Cascade) => ForeignKeyAction::Cascade,
        Some(ReferentialAction::SetNull) => ForeignKeyAction::SetNull,
        Some(ReferentialAction::SetDefault) => ForeignKeyAction::SetDefault,
    }
}

/// `[NOT] DEFERRABLE`, `INITIALLY …` and `[NOT] ENFORCED` of a constraint.
/// `INITIALLY DEFERRED` alone makes a constraint deferrable, as PostgreSQL
/// reads it; after `NOT DEFERRABLE` PostgreSQL refuses it and SQLite
/// ignores it.
fn constraint_characteristics(
    c: Option<&ast::ConstraintCharacteristics>,
    d: Dialect,
) -> Fallible<Deferrable> {
    use ast::DeferrableInitial::{Deferred, Immediate};
    let Some(ast::ConstraintCharacteristics {
        deferrable,
        initially,
        enforced,
    }) = c
    else {
        return Ok(Deferrable::NotDeferrable);
    };
    if *enforced == Some(false) {
        return Err("NOT ENFORCED is not modelled".into());
    }
    Ok(match (deferrable, initially) {
        (Some(false), Some(Deferred)) => match d {
            Dialect::Postgres => {
                return Err("a constraint declared INITIALLY DEFERRED must be DEFERRABLE".into());
            }
            Dialect::Sqlite => Deferrable::NotDeferrable,
        },
        (Some(true) | None, Some(Deferred)) => Deferrable::InitiallyDeferred,
        (Some(true), Some(Immediate) | None) => Deferrable::InitiallyImmediate,
        (Some(false) | None, Some(Immediate) | None) => Deferrable::NotDeferrable,
    })
}

/// The columns of a key, or the one column a column constraint is written
/// on. A column's order, operator class or fill belongs to the key's index
/// (SQLite keeps `PRIMARY KEY (a DESC)` as its index's order) and is not
/// modelled.
fn key_columns(
    columns: &[ast::IndexColumn],
    column: Option<&str>,
    d: Dialect,
) -> Fallible<Vec<String>> {
    if let Some(c) = column {
        return match columns.first() {
            None => Ok(vec![c.to_string()]),
            Some(other) => Err(format!(
                "the constraint on column `{c}` names column `{other}`"
            )),
        };
    }
    columns
        .iter()
        .map(|c| {
            let ast::IndexColumn {
                column:
                    ast::OrderByExpr {
                        expr,
                        options: ast::OrderByOptions { sort, nulls_first },
                        with_fill,
                    },
                operator_class,
            } = c;
            let ast::Expr::Identifier(id) = expr else {
                return Err(format!("constraint on expression `{expr}` is not modelled"));
            };
            let ordered = !matches!(sort, None | Some(ast::OrderBySort::Asc))
                || nulls_first.is_some()
                || with_fill.is_some();
            if ordered || operator_class.is_some() {
                return Err(format!(
                    "key column `{c}`: an order or operator class on a key's column is not modelled"
                ));
            }
            Ok(names::ident(id, d))
        })
        .collect()
}

/// A `PRIMARY KEY`, on its listed columns or on `column`.
fn primary_key(
    pk: &ast::PrimaryKeyConstraint,
    column: Option<&str>,
    d: Dialect,
) -> Fallible<Pending> {
    let ast::PrimaryKeyConstraint {
        name,
        index_name,
        index_type,
        columns,
        include,
        index_options,
        characteristics,
    } = pk;
    Ok(Pending {
        index: key_index(index_name, index_type, index_options, include, d)?,
        name: name.as_ref().map(|n| names::ident(n, d)),
        kind: PendingKind::PrimaryKey(
            key_columns(columns, column, d)?,
            constraint_characteristics(characteristics.as_ref(), d)?,
        ),
        not_valid: false,
        on_conflict: None,
    })
}

/// A `UNIQUE` constraint, on its listed columns or on `column`.
fn unique(u: &ast::UniqueConstraint, column: Option<&str>, d: Dialect) -> Fallible<Pending> {
    let ast::UniqueConstraint {
        name,
        index_name,
        index_type_display,
        index_type,
        columns,
        include,
        index_options,
        characteristics,
        nulls_distinct,
    } = u;
    match index_type_display {
        ast::KeyOrIndexDisplay::None => {}
        ast::KeyOrIndexDisplay::Key | ast::KeyOrIndexDisplay::Index => {
            return Err(format!(
                "`UNIQUE {}` is MySQL's: write UNIQUE (…)",
                index_type_display
            ));
        }
    }
    Ok(Pending {
        index: key_index(index_name, index_type, index_options, include, d)?,
        name: name.as_ref().map(|n| names::ident(n, d)),
        kind: PendingKind::Unique {
            columns: key_columns(columns, column, d)?,
            nulls_not_distinct: match nulls_distinct {
                ast::NullsDistinctOption::NotDistinct => true,
                ast::NullsDistinctOption::None | ast::NullsDistinctOption::Distinct => false,
            },
            deferrable: constraint_characteristics(characteristics.as_ref(), d)?,
        },
        not_valid: false,
        on_conflict: None,
    })
}

/// A `FOREIGN KEY` / `REFERENCES`, from its listed columns or from `column`.
fn foreign_key(
    fk: &ast::ForeignKeyConstraint,
    column: Option<&str>,
    d: Dialect,
) -> Fallible<Pending> {
    let ast::ForeignKeyConstraint {
        name,
        index_name,
        columns,
        foreign_table,
        referred_columns,
        on_delete,
        on_update,
        match_kind,
        characteristics,
    } = fk;
    if let Some(n) = index_name {
        return Err(format!(
            "an index name `{n}` on a foreign key is not modelled"
        ));
    }
    match match_kind {
        None | Some(ast::ConstraintReferenceMatchKind::Simple) => {}
        Some(
            ast::ConstraintReferenceMatchKind::Full | ast::ConstraintReferenceMatchKind::Partial,
        ) => {
            return Err(format!(
                "foreign key `{fk}`: MATCH FULL/PARTIAL is not modelled"
            ));
        }
    }
    let idents = |ids: &[ast::Ident]| ids.iter().map(|i| names::ident(i, d)).collect();
    let columns = match (column, columns.first()) {
        (Some(c), None) => vec![c.to_string()],
        (Some(c), Some(other)) => {
            return Err(format!(
                "the foreign key on column `{c}` names column `{other}`"
            ));
        }
        (None, _) => idents(columns),
    };
    Ok(Pending {
        name: name.as_ref().map(|n| names::ident(n, d)),
        kind: PendingKind::ForeignKey {
            columns,
            table: names::object_name(foreign_table, d)?,
            referenced: idents(referred_columns),
            on_delete: action(*on_delete),
            on_update: action(*on_update),
            deferrable: constraint_characteristics(characteristics.as_ref(), d)?,
        },
        not_valid: false,
        on_conflict: None,
        index: KeyIndex::default(),
    })
}

fn check(ck: &ast::CheckConstraint, d: Dialect) -> Fallible<Pending> {
    let ast::CheckConstraint {
        name,
        expr,
        no_inherit,
        enforced,
    } = ck;
    if *enforced == Some(false) {
        return Err("CHECK … NOT ENFORCED is not modelled".into());
    }
    Ok(Pending {
        name: name.as_ref().map(|n| names::ident(n, d)),
        kind: PendingKind::Check {
            expr: expr.clone(),
            no_inherit: *no_inherit,
        },
        not_valid: false,
        on_conflict: None,
        index: KeyIndex::default(),
    })
}

/// Refuses what sqlparser reads in a CREATE TABLE that the model does not
/// hold: every field is named, so a clause sqlparser learns later fails to
/// compile here instead of being dropped. The fields `apply` reads are
/// bound to `_`.
fn unmodelled_table_clauses(ct: &ast::CreateTable) -> Fallible<()> {
    let ast::CreateTable {
        or_replace,
        temporary,
        unlogged: _,
        external,
        dynamic,
        global,
        if_not_exists: _,
        transient,
        volatile,
        iceberg,
        snapshot,
        name: _,
        columns,
        constraints,
        hive_distribution,
        hive_formats,
        table_options: _,
        file_format,
        location,
        query,
        sqlite_table_options: _,
        like: _,
        clone: _,
        version,
        comment,
        on_commit: _,
        on_cluster,
        primary_key,
        order_by,
        partition_by: _,
        cluster_by,
        clustered_by,
        inherits: _,
        partition_of: _,
        for_values: _,
        copy_grants,
        enable_schema_evolution,
        change_tracking,
        data_retention_time_in_days,
        max_data_extension_time_in_days,
        default_ddl_collation,
        with_aggregation_policy,
        with_row_access_policy,
        with_storage_lifecycle_policy,
        with_tags,
        external_volume,
        with_connection,
        base_location,
        catalog,
        catalog_sync,
        storage_serialization_policy,
        target_lag,
        warehouse,
        refresh_mode,
        initialize,
        require_user,
        diststyle,
        distkey,
        sortkey,
        backup,
        multiset,
        fallback,
        with_data,
    } = ct;
    let clauses = [
        ("OR REPLACE", *or_replace),
        ("EXTERNAL", *external),
        ("DYNAMIC", *dynamic),
        // `GLOBAL`/`LOCAL TEMPORARY` is a temporary table to PostgreSQL.
        ("GLOBAL/LOCAL", global.is_some() && !temporary),
        ("TRANSIENT", *transient),
        ("VOLATILE", *volatile),
        ("ICEBERG", *iceberg),
        ("SNAPSHOT", *snapshot),
        (
            "PARTITIONED BY/SKEWED BY",
            !matches!(hive_distribution, ast::HiveDistributionStyle::NONE),
        ),
        (
            "ROW FORMAT/STORED AS/LOCATION/USING",
            hive_formats.is_some() || file_format.is_some() || location.is_some(),
        ),
        ("a version", version.is_some()),
        ("COMMENT", comment.is_some()),
        ("ON CLUSTER", on_cluster.is_some()),
        ("PRIMARY KEY after the columns", primary_key.is_some()),
        ("ORDER BY", order_by.is_some()),
        ("CLUSTER BY", cluster_by.is_some()),
        ("CLUSTERED BY", clustered_by.is_some()),
        ("COPY GRANTS", *copy_grants),
        (
            "Snowflake table options",
            enable_schema_evolution.is_some()
                || change_tracking.is_some()
                || data_retention_time_in_days.is_some()
                || max_data_extension_time_in_days.is_some()
                || default_ddl_collation.is_some()
                || with_aggregation_policy.is_some()
                || with_row_access_policy.is_some()
                || with_storage_lifecycle_policy.is_some()
                || with_tags.is_some()
                || external_volume.is_some()
                || with_connection.is_some()
                || base_location.is_some()
                || catalog.is_some()
                || catalog_sync.is_some()
                || storage_serialization_policy.is_some()
                || target_lag.is_some()
                || warehouse.is_some()
                || refresh_mode.is_some()
                || initialize.is_some()
                || *require_user,
        ),
        (
            "DISTSTYLE/DISTKEY/SORTKEY/BACKUP",
            diststyle.is_some() || distkey.is_some() || sortkey.is_some() || backup.is_some(),
        ),
        (
            "MULTISET/FALLBACK",
            multiset.is_some() || fallback.is_some(),
        ),
        (
            "a column list with AS",
            query.is_some() && (!columns.is_empty() || !constraints.is_empty()),
        ),
        // `AS … WITH [NO] DATA` fills the table or not: its shape is the same.
        (
            "WITH DATA without AS",
            with_data.is_some() && query.is_none(),
        ),
    ];
    match clauses.iter().find(|(_, written)| *written) {
        Some((clause, _)) => Err(format!("CREATE TABLE … {clause} is not modelled")),
        None => Ok(()),
    }
}

/// Adds a column (as `CREATE TABLE` or `ALTER TABLE ADD COLUMN` does) and
/// returns its inline constraints, to be added with [`apply_constraints`].
pub(super) fn add_column(
    schema: &mut Schema,
    table_name: &QualifiedName,
    def: &ColumnDef,
) -> Fallible<Vec<Pending>> {
    let d = schema.dialect;
    let col_name = names::ident(&def.name, d);
    let type_sql = match def.data_type {
        ast::DataType::Unspecified => String::new(),
        ref t => t.to_string(),
    };
    let serial = match d {
        Dialect::Postgres => types::serial_base(&type_sql),
        Dialect::Sqlite => None,
    };
    let ty = match serial {
        Some(base) => ColumnType::simple(base),
        None => types::canonical_type(&type_sql, d)
            .ok_or_else(|| format!("unknown type `{type_sql}` for column `{col_name}`"))?,
    };
    let mut column = Column::new(col_name.clone(), ty);
    let mut pending: Vec<Pending> = Vec::new();
    let mut previous: Option<&ColumnOption> = None;
    for option in &def.options {
        let cname = option.name.as_ref().map(|n| names::ident(n, d));
        let before = previous.replace(&option.option);
        match &option.option {
            // SQLite's conflict clause follows the constraint it resolves.
            ColumnOption::OnConflict(keyword)
                if d == Dialect::Sqlite
                    && matches!(
                    before,
                    Some(ColumnOption::PrimaryKey(_) | ColumnOption::Unique(_))
                ) =>
            {
                let action = ConflictAction::from_keyword(&keyword.to_string())
                    .ok_or_else(|| format!("`ON CONFLICT {keyword}` is not modelled"))?;
                if let Some(last) = pending.last_mut() {
                    last.on_conflict = Some(action);
                }
            }
            ColumnOption::OnConflict(keyword)
                if d == Dialect::Sqlite && matches!(before, Some(ColumnOption::NotNull)) =>
            {
                let action = ConflictAction::from_keyword(&keyword.to_string())
                    .ok_or_else(|| format!("`ON CONFLICT {keyword}` is not modelled"))?;
                column.not_null_conflict = Some(action);
            }
            ColumnOption::Null => {
                column.nullable = true;
                column.not_null_conflict = None;
            }
            ColumnOption::NotNull => column.nullable = false,
            ColumnOption::Default(e) => column.default = default_expr(e, d),
            ColumnOption::PrimaryKey(pk) => {
                let mut p = primary_key(pk, Some(&col_name), d)?;
                p.name = cname.or(p.name);
                pending.push(p);
            }
            ColumnOption::Unique(u) => {
                let mut p = unique(u, Some(&col_name), d)?;
                p.name = cname.or(p.name);
                pending.push(p);
            }
            ColumnOption::ForeignKey(fk) => {
                let mut p = foreign_key(fk, Some(&col_name), d)?;
                p.name = cname.or(p.name);
                pending.push(p);
            }
            ColumnOption::Check(ck) => {
                let mut p = check(ck, d)?;
                p.name = cname.or(p.name);
                pending.push(p);
            }
            ColumnOption::Collation(c) => column.collation = names::collation(c, d)?,
            ColumnOption::Comment(c) => column.comment = Some(c.clone()),
            ColumnOption::Generated {
                generated_as,
                sequence_options,
                generation_expr,
                generation_expr_mode,
                generated_keyword: _,
            } => match (generation_expr, generated_as) {
                (Some(_), _) if sequence_options.is_some() => {
                    return Err(format!(
                        "generated column `{col_name}` has sequence options"
                    ));
                }
                (Some(_), GeneratedAs::ByDefault) => {
                    return Err(format!(
                        "generated column `{col_name}`: GENERATED BY DEFAULT AS (…) is not a generated column (write GENERATED ALWAYS)"
                    ));
                }
                (Some(expr), _) => {
                    column.generated = Some(Generated {
                        expr: Expr::new(expr.to_string(), d),
                        stored: match (generation_expr_mode, d) {
                            (Some(GeneratedExpressionMode::Stored), _) | (None, Dialect::Postgres) => {
                                true
                            }
                            (Some(GeneratedExpressionMode::Virtual), _) | (None, Dialect::Sqlite) => {
                                false
                            }
                        },
                    })
                }
                (None, GeneratedAs::Always | GeneratedAs::ByDefault) => {
                    column.identity = Some(match generated_as {
                        GeneratedAs::ByDefault => Identity::ByDefault,
                        GeneratedAs::Always | GeneratedAs::ExpStored => Identity::Always,
                    });
                    let written = match sequence_options {
                        Some(options) => super::options::sequence_options_ast(options, d)?,
                        None => Default::default(),
                    };
                    column.identity_options = Some(identity_options(&column, written)?);
                }
                (None, GeneratedAs::ExpStored) => {
                    return Err(format!("generated column `{col_name}` has no expression"));
                }
            },
            ColumnOption::DialectSpecific(tokens)
                if tokens
                    .iter()
                    .any(|t| matches!(t, sqlparser::tokenizer::Token::Word(w) if w.value.eq_ignore_ascii_case("AUTOINCREMENT"))) =>
            {
                column.autoincrement = true
            }
            // `PRIMARY KEY ASC` is the order a key has anyway (an INTEGER one
            // stays the rowid); `DESC` makes it no rowid and stays refused.
            ColumnOption::DialectSpecific(tokens)
                if matches!(tokens.as_slice(), [sqlparser::tokenizer::Token::Word(w)] if w.value.eq_ignore_ascii_case("ASC")) => {}
            other => return Err(format!("column option `{other}` is not modelled")),
        }
    }
    if column.identity.is_some() {
        column.nullable = false;
    }
    if serial.is_some() && column.identity.is_some() {
        return Err(format!(
            "column `{col_name}` is both serial and an identity"
        ));
    }
    if let Some(base) = serial {
        column.ty = ColumnType::simple(base);
        column.nullable = false;
        let seq = names::choose_name(
            schema,
            table_name.schema.as_deref(),
            &table_name.name,
            Some(&col_name),
            "seq",
        );
        let seq_name = QualifiedName::with_schema(table_name.schema.clone(), seq);
        // As the server prints it: the name quoted where it needs quotes.
        let regclass =
            crate::dialect::quote::string(&crate::dialect::quote::qualified(&seq_name, d));
        column.default = Some(Expr::new(format!("nextval({regclass}::regclass)"), d));
        let mut sequence = Sequence::new(seq_name, Some((table_name.clone(), col_name.clone())));
        sequence.options = SequenceOptions::defaults(base, 1);
        // An unlogged table's serial makes an unlogged sequence (PostgreSQL 15).
        sequence.unlogged = schema.table(table_name).is_some_and(|t| t.options.unlogged);
        schema.sequences.push(sequence);
    }
    let table = schema
        .table_mut(table_name)
        .ok_or_else(|| format!("table `{table_name}` does not exist"))?;
    if table.column(&col_name, d).is_some() {
        return Err(format!(
            "column `{col_name}` of `{table_name}` already exists"
        ));
    }
    table.columns.push(column);
    Ok(pending)
}

/// Adds constraints, naming them as PostgreSQL would when unnamed.
pub(super) fn apply_constraints(
    schema: &mut Schema,
    table_name: &QualifiedName,
    pending: Vec<Pending>,
) -> Fallible<Outcome> {
    let d = schema.dialect;
    let (fks, others): (Vec<_>, Vec<_>) = pending
        .into_iter()
        .partition(|p| matches!(p.kind, PendingKind::ForeignKey { .. }));
    // SQLite leaves out a unique key that repeats the primary key or another
    // unique (same columns, same order) as PostgreSQL does (PRAGMA
    // index_list shows one index: Chromium's `key … UNIQUE PRIMARY KEY`),
    // unless the primary key is the rowid, which has no index.
    let others = match d {
        Dialect::Postgres => without_redundant_keys(others, d)?,
        Dialect::Sqlite if rowid_key(schema, table_name, &others) => {
            let (primary, rest): (Vec<_>, Vec<_>) = others
                .into_iter()
                .partition(|p| matches!(p.kind, PendingKind::PrimaryKey(..)));
            primary
                .into_iter()
                .chain(without_redundant_keys(rest, d)?)
                .collect()
        }
        Dialect::Sqlite => without_redundant_keys(others, d)?,
    };
    for p in others.into_iter().chain(fks) {
        add_constraint(schema, table_name, p)?;
    }
    Ok(Outcome::Applied)
}

/// Whether the primary key among `pending` is a SQLite rowid table's
/// `INTEGER PRIMARY KEY`: the rowid itself, no index.
fn rowid_key(schema: &Schema, table: &QualifiedName, pending: &[Pending]) -> bool {
    let Some(t) = schema.table(table).filter(|t| !t.without_rowid) else {
        return false;
    };
    pending.iter().any(|p| match &p.kind {
        PendingKind::PrimaryKey(columns, ..) => match columns.as_slice() {
            [only] => t.column(only, Dialect::Sqlite).is_some_and(|c| {
                c.ty.name.eq_ignore_ascii_case("INTEGER") && c.ty.modifiers.is_empty()
            }),
            _ => false,
        },
        _ => false,
    })
}

/// What PostgreSQL does with the keys of one statement (`transformIndexConstraints`):
/// the primary key first, then each unique in order is left out when a kept
/// key has the same columns (in order), `NULLS NOT DISTINCT` and deferrability
/// (`id int PRIMARY KEY UNIQUE` makes one index). A kept key written without
/// a name takes the name of the one left out, and its conflict clause
/// (SQLite's `sqlite3CreateIndex`, which refuses two different ones).
fn without_redundant_keys(pending: Vec<Pending>, d: Dialect) -> Fallible<Vec<Pending>> {
    let (keys, rest): (Vec<_>, Vec<_>) = pending.into_iter().partition(|p| {
        matches!(
            p.kind,
            PendingKind::PrimaryKey(..) | PendingKind::Unique { .. }
        )
    });
    let (primary, uniques): (Vec<_>, Vec<_>) = keys
        .into_iter()
        .partition(|p| matches!(p.kind, PendingKind::PrimaryKey(..)));
    type Shape<'a> = (&'a [String], &'a [String], bool, Deferrable);
    fn shape(p: &Pending) -> Option<Shape<'_>> {
        match &p.kind {
            PendingKind::PrimaryKey(columns, deferrable) => {
                Some((columns, &p.index.include, false, *deferrable))
            }
            PendingKind::Unique {
                columns,
                nulls_not_distinct,
                deferrable,
            } => Some((columns, &p.index.include, *nulls_not_distinct, *deferrable)),
            PendingKind::Check { .. }
            | PendingKind::Exclusion { .. }
            | PendingKind::UsingIndex { .. }
            | PendingKind::ForeignKey { .. } => None,
        }
    }
    let same_list = |a: &[String], b: &[String]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| d.same_name(x, y))
    };
    let same = |a: &Shape<'_>, b: &Shape<'_>| {
        same_list(a.0, b.0) && same_list(a.1, b.1) && a.2 == b.2 && a.3 == b.3
    };
    let mut kept: Vec<Pending> = primary;
    for u in uniques {
        let Some(this) = shape(&u) else {
            kept.push(u);
            continue;
        };
        match kept
            .iter_mut()
            .find(|k| k.index == u.index && shape(k).is_some_and(|s| same(&s, &this)))
        {
            Some(prior) => {
                if prior.name.is_none() {
                    prior.name = u.name;
                }
                match (prior.on_conflict, u.on_conflict) {
                    (Some(a), Some(b)) if a != b => {
                        return Err("conflicting ON CONFLICT clauses on one key".into());
                    }
                    (None, Some(b)) => prior.on_conflict = Some(b),
                    _ => {}
                }
            }
            None => kept.push(u),
        }
    }
    kept.extend(rest);
    Ok(kept)
}

fn add_constraint(schema: &mut Schema, table_name: &QualifiedName, p: Pending) -> Fallible<()> {
    let d = schema.dialect;
    let table = schema
        .table(table_name)
        .ok_or_else(|| format!("table `{table_name}` does not exist"))?;
    let tname = table.name.name.clone();
    let ns = table.name.schema.clone();
    let check_columns = |cols: &[String]| -> Fallible<Vec<String>> {
        cols.iter()
            .map(|c| {
                table
                    .column(c, d)
                    .map(|col| col.name.clone())
                    .ok_or_else(|| format!("column `{c}` of `{table_name}` does not exist"))
            })
            .collect()
    };
    if let Some(name) = &p.name
        && d == Dialect::Postgres
        && names::constraint_name_taken(schema, table_name, name, p.kind.is_index_backed())
    {
        return Err(format!("constraint `{name}` already exists"));
    }
    let choose = |name2: Option<&str>, label: &str| -> Option<String> {
        match d {
            Dialect::Postgres => Some(names::choose_name(
                schema,
                ns.as_deref(),
                &tname,
                name2,
                label,
            )),
            Dialect::Sqlite => None,
        }
    };
    match p.kind {
        PendingKind::PrimaryKey(cols, deferrable) => {
            let cols = check_columns(&cols)?;
            if table.primary_key.is_some() {
                return Err(format!("table `{table_name}` already has a primary key"));
            }
            let name = p.name.or_else(|| choose(None, "pkey"));
            let table = table_mut(schema, table_name)?;
            // PostgreSQL makes key columns NOT NULL, and so does SQLite in a
            // WITHOUT ROWID table (PRAGMA table_info says so).
            if d == Dialect::Postgres || table.without_rowid {
                for c in &mut table.columns {
                    if cols.iter().any(|k| k == &c.name) {
                        c.nullable = false;
                    }
                }
            }
            check_included(table, &p.index, table_name, d)?;
            table.primary_key = Some(PrimaryKey {
                name,
                columns: cols,
                deferrable,
                on_conflict: p.on_conflict,
                index: p.index,
            });
        }
        PendingKind::Unique {
            columns,
            nulls_not_distinct,
            deferrable,
        } => {
            let cols = check_columns(&columns)?;
            check_included(table, &p.index, table_name, d)?;
            // The server names a key after all its index's columns,
            // INCLUDE ones too (ChooseIndexColumnNames).
            let addition = names::column_addition(
                &cols
                    .iter()
                    .chain(&p.index.include)
                    .cloned()
                    .map(Some)
                    .collect::<Vec<_>>(),
            );
            let name = p.name.or_else(|| choose(Some(&addition), "key"));
            table_mut(schema, table_name)?
                .uniques
                .push(UniqueConstraint {
                    name,
                    columns: cols,
                    nulls_not_distinct,
                    deferrable,
                    on_conflict: p.on_conflict,
                    index: p.index,
                });
        }
        PendingKind::UsingIndex {
            index,
            primary,
            deferrable,
        } => {
            let index_name = QualifiedName::with_schema(ns.clone(), index);
            let pos = schema
                .indexes
                .iter()
                .position(|i| i.name.same_as(&index_name, d) && i.table.same_as(table_name, d))
                .ok_or_else(|| format!("index `{index_name}` of `{table_name}` does not exist"))?;
            let idx = &schema.indexes[pos];
            let columns = idx
                .columns
                .iter()
                .map(|c| match &c.expr {
                    crate::schema::IndexExpr::Column(c) => Ok(c.clone()),
                    crate::schema::IndexExpr::Expression(_) => {
                        Err(format!("index `{index_name}` is on expressions"))
                    }
                })
                .collect::<Fallible<Vec<_>>>()?;
            if !idx.unique || idx.predicate.is_some() || idx.method.is_some() {
                return Err(format!("index `{index_name}` is not a plain unique index"));
            }
            if primary && idx.nulls_not_distinct {
                return Err(format!(
                    "index `{index_name}` is NULLS NOT DISTINCT: a primary key cannot use it"
                ));
            }
            // The constraint takes over the index as it is.
            let index = KeyIndex {
                include: idx.include.clone(),
                storage: idx.storage.clone(),
            };
            let nulls_not_distinct = idx.nulls_not_distinct;
            let name = Some(p.name.unwrap_or_else(|| index_name.name.clone()));
            schema.indexes.remove(pos);
            let table = table_mut(schema, table_name)?;
            if primary {
                if table.primary_key.is_some() {
                    return Err(format!("table `{table_name}` already has a primary key"));
                }
                for c in &mut table.columns {
                    if columns.contains(&c.name) {
                        c.nullable = false;
                    }
                }
                table.primary_key = Some(PrimaryKey {
                    name,
                    columns,
                    deferrable,
                    on_conflict: None,
                    index,
                });
            } else {
                table.uniques.push(UniqueConstraint {
                    name,
                    columns,
                    nulls_not_distinct,
                    deferrable,
                    on_conflict: None,
                    index,
                });
            }
        }
        PendingKind::Exclusion {
            definition,
            columns,
            deferrable,
        } => {
            if d != Dialect::Postgres {
                return Err("EXCLUDE constraints are PostgreSQL's".into());
            }
            // PostgreSQL 15 refuses them (17 copies them onto partitions,
            // which the model does not).
            if schema
                .table(table_name)
                .is_some_and(|t| t.partition_by.is_some())
            {
                return Err(format!(
                    "an EXCLUDE constraint on the partitioned table `{table_name}` is not modelled"
                ));
            }
            let addition = names::column_addition(&columns);
            let name = p.name.or_else(|| choose(Some(&addition), "excl"));
            table_mut(schema, table_name)?
                .exclusions
                .push(crate::schema::ExclusionConstraint {
                    name,
                    definition: Expr::new(definition, d),
                    deferrable,
                });
        }
        PendingKind::Check { expr, no_inherit } => {
            let sql = expr.to_string();
            let referenced = referenced_columns(&sql, table, d);
            let name2 = match referenced.as_slice() {
                [only] => Some(only.as_str()),
                _ => None,
            };
            let name = p.name.or_else(|| choose(name2, "check"));
            table_mut(schema, table_name)?.checks.push(CheckConstraint {
                name,
                expr: Expr::new(sql, d),
                no_inherit,
                not_valid: p.not_valid,
            });
        }
        PendingKind::ForeignKey {
            columns,
            table: referenced_table,
            referenced,
            on_delete,
            on_update,
            deferrable,
        } => {
            let cols = check_columns(&columns)?;
            let (referenced_table, referenced_columns) = match schema.table(&referenced_table) {
                Some(target) => {
                    let columns = if referenced.is_empty() {
                        target
                            .primary_key
                            .as_ref()
                            .map(|pk| pk.columns.clone())
                            .ok_or_else(|| {
                                format!("referenced table `{referenced_table}` has no primary key")
                            })?
                    } else {
                        referenced
                            .iter()
                            .map(|c| match target.column(c, d) {
                                Some(col) => Ok(col.name.clone()),
                                // SQLite checks references when rows are written:
                                // a table rebuild creates the next shape, naming
                                // columns the old table does not have yet.
                                None if d == Dialect::Sqlite => Ok(c.clone()),
                                None => Err(format!(
                                    "referenced column `{c}` of `{referenced_table}` does not exist"
                                )),
                            })
                            .collect::<Fallible<Vec<_>>>()?
                    };
                    (target.name.clone(), columns)
                }
                // SQLite checks references when rows are written, so a table
                // may name one created later in the script. Without columns
                // it names that table's primary key, which the file's end
                // fills in (see `resolve_forward_references`).
                None if d == Dialect::Sqlite => (referenced_table, referenced),
                None => {
                    return Err(format!(
                        "referenced table `{referenced_table}` does not exist"
                    ));
                }
            };
            if !referenced_columns.is_empty() && referenced_columns.len() != cols.len() {
                return Err(format!(
                    "foreign key has {} columns but references {}",
                    cols.len(),
                    referenced_columns.len()
                ));
            }
            let name = p.name.or_else(|| choose(Some(&cols.join("_")), "fkey"));
            table_mut(schema, table_name)?
                .foreign_keys
                .push(ForeignKey {
                    name,
                    columns: cols,
                    referenced_table,
                    referenced_columns,
                    on_delete,
                    on_update,
                    deferrable,
                    not_valid: p.not_valid,
                });
        }
    }
    Ok(())
}

fn table_ref<'s>(schema: &'s Schema, name: &QualifiedName) -> Fallible<&'s Table> {
    schema
        .table(name)
        .ok_or_else(|| format!("table `{name}` does not exist"))
}

fn table_mut<'s>(schema: &'s mut Schema, name: &QualifiedName) -> Fallible<&'s mut Table> {
    schema
        .table_mut(name)
        .ok_or_else(|| format!("table `{name}` does not exist"))
}

/// Distinct columns of `table` an expression mentions, in order of appearance
/// (PostgreSQL names a check after its column when there is exactly one).
fn referenced_columns(sql: &str, table: &Table, d: Dialect) -> Vec<String> {
    let Ok(tokens) = scan::tokenize(sql, d) else {
        return Vec::new();
    };
    let mut found: Vec<String> = Vec::new();
    for (i, tok) in tokens.toks.iter().enumerate() {
        if let Tok::Word { text, quoted } = tok {
            let is_call = tokens.toks.get(i + 1).is_some_and(|t| t.is_sym("("));
            let name = names::fold(text, *quoted, d);
            if let Some(col) = table.column(&name, d).filter(|_| !is_call)
                && !found.contains(&col.name)
            {
                found.push(col.name.clone());
            }
        }
    }
    found
}

/// Words that end a SQLite column's type and start its constraints.
const SQLITE_COLUMN_CONSTRAINTS: &[&str] = &[
    "CONSTRAINT",
    "PRIMARY",
    "NOT",
    "NULL",
    "UNIQUE",
    "CHECK",
    "DEFAULT",
    "COLLATE",
    "REFERENCES",
    "GENERATED",
    "AS",
];

/// The refusal of SQLite's conflict clause on a table constraint where
/// it is not SQLite's (`UNIQUE (a, b) ON CONFLICT REPLACE` on PostgreSQL),
/// named rather than the parser's "expected `,`".
fn conflict_clause(text: &str, d: Dialect) -> Option<String> {
    if d == Dialect::Sqlite {
        return None;
    }
    let tokens = scan::tokenize(text, d).ok()?;
    let at = tokens
        .toks
        .windows(3)
        .position(|w| w[0].is_kw("ON") && w[1].is_kw("CONFLICT"))?;
    let action = match tokens.toks.get(at + 2)? {
        scan::Tok::Word { text, .. } => text.to_ascii_uppercase(),
        _ => String::new(),
    };
    Some(format!(
        "`ON CONFLICT {action}` on a table constraint is SQLite's: PostgreSQL has no conflict clause"
    ))
}

/// SQLite's conflict clause on a table constraint (`UNIQUE (a, b) ON
/// CONFLICT REPLACE`), which sqlparser does not read: cut from the text,
/// and returned per table constraint, in order (`None` for one without).
/// Column items keep theirs: sqlparser reads a column's clause.
fn table_conflict_clauses(
    text: &str,
) -> Fallible<(std::borrow::Cow<'_, str>, Vec<Option<ConflictAction>>)> {
    let tokens = scan::tokenize(text, Dialect::Sqlite)?;
    let toks = &tokens.toks;
    let offset = |i: usize| tokens.offsets.get(i).copied().unwrap_or(text.len());
    let mut actions = Vec::new();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let Some(open) = toks.iter().position(|t| t.is_sym("(") || t.is_kw("AS")) else {
        return Ok((std::borrow::Cow::Borrowed(text), actions));
    };
    if !toks[open].is_sym("(") {
        return Ok((std::borrow::Cow::Borrowed(text), actions));
    }
    let mut depth = 0usize;
    let mut constraint = false;
    let mut item_start = true;
    let mut i = open + 1;
    while i < toks.len() {
        let t = &toks[i];
        if depth == 0 && item_start {
            item_start = false;
            constraint = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
                .iter()
                .any(|kw| t.is_kw(kw));
            if constraint {
                actions.push(None);
            }
        }
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            if depth == 0 {
                break;
            }
            depth -= 1;
        } else if t.is_sym(",") && depth == 0 {
            item_start = true;
        } else if depth == 0
            && constraint
            && t.is_kw("ON")
            && toks.get(i + 1).is_some_and(|t| t.is_kw("CONFLICT"))
        {
            let action = match toks.get(i + 2) {
                Some(Tok::Word {
                    text,
                    quoted: false,
                }) => ConflictAction::from_keyword(text),
                _ => None,
            }
            .ok_or("`ON CONFLICT` wants ROLLBACK, ABORT, FAIL, IGNORE or REPLACE")?;
            if let Some(last) = actions.last_mut() {
                *last = Some(action);
            }
            cuts.push((offset(i), offset(i + 3)));
            i += 3;
            continue;
        }
        i += 1;
    }
    if cuts.is_empty() {
        return Ok((std::borrow::Cow::Borrowed(text), actions));
    }
    Ok((std::borrow::Cow::Owned(blank(text, cuts)), actions))
}

/// `ON DELETE SET NULL (a)` / `SET DEFAULT (a)` (PostgreSQL 15): which of
/// a foreign key's columns the action sets (`confdelsetcols`) is not in the
/// model, nor read by sqlparser.
pub(super) fn refuse_set_column_lists(tokens: &scan::Tokens) -> Fallible<()> {
    let set_columns = tokens.toks.windows(5).any(|w| {
        w[0].is_kw("ON")
            && w[1].is_kw("DELETE")
            && w[2].is_kw("SET")
            && (w[3].is_kw("NULL") || w[3].is_kw("DEFAULT"))
            && w[4].is_sym("(")
    });
    if set_columns {
        return Err("a column list on a foreign key's `ON DELETE SET NULL (…)`/`SET DEFAULT (…)` is not modelled: the action sets every column of the key without one".into());
    }
    Ok(())
}

/// `CREATE TABLE name OF type`: a typed table's columns are its composite
/// type's (`pg_class.reloftype`), which the model does not hold.
fn refuse_typed_table(tokens: &scan::Tokens) -> Fallible<()> {
    let toks = &tokens.toks;
    let Some(table) = toks.iter().position(|t| t.is_kw("TABLE")) else {
        return Ok(());
    };
    let mut i = table + 1;
    if toks.get(i).is_some_and(|t| t.is_kw("IF")) {
        i += 3;
    }
    while matches!(toks.get(i), Some(Tok::Word { .. })) {
        i += 1;
        if toks.get(i).is_some_and(|t| t.is_sym(".")) {
            i += 1;
        } else {
            break;
        }
    }
    if toks.get(i).is_some_and(|t| t.is_kw("OF")) {
        return Err(
            "a typed table (`CREATE TABLE … OF type`) is not modelled: write its columns".into(),
        );
    }
    Ok(())
}

/// `text` with the byte ranges `cuts` (in order) blanked rather than
/// removed: later errors keep their line:col.
pub(super) fn blank(text: &str, cuts: impl IntoIterator<Item = (usize, usize)>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in cuts {
        out.push_str(text.get(at..start).unwrap_or_default());
        let cut = text.get(start..end).unwrap_or_default();
        out.extend(cut.chars().map(|c| if c == '\n' { c } else { ' ' }));
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// SQLite takes any run of names, with an optional `(n)` or `(n, m)`, as a
/// column's type (`BLOB SUB_TYPE TEXT`, `varchar[10]`, `UNSIGNED BIG INT`)
/// and keeps that text as the declared type; sqlparser reads only the types
/// it knows. A type of more than one word (or with a `[…]` part) is handed
/// to sqlparser as one quoted name, which [`types`] reads back as the
/// declared text, as `PRAGMA table_info` prints it. Reads the column list of
/// a `CREATE TABLE` and the column of an `ALTER TABLE … ADD [COLUMN]`.
pub(super) fn sqlite_declared_types(text: &str) -> Fallible<std::borrow::Cow<'_, str>> {
    let tokens = scan::tokenize(text, Dialect::Sqlite)?;
    let toks = &tokens.toks;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    if toks.first().is_some_and(|t| t.is_kw("ALTER")) {
        if let Some(add) = toks.iter().position(|t| t.is_kw("ADD")) {
            let name = add + 1 + usize::from(toks.get(add + 1).is_some_and(|t| t.is_kw("COLUMN")));
            spans.extend(column_type_span(text, &tokens, name).0);
        }
        return Ok(quote_spans(text, spans));
    }
    // The column list: the first `(` after the table name (none for AS SELECT).
    let Some(open) = toks.iter().position(|t| t.is_sym("(") || t.is_kw("AS")) else {
        return Ok(std::borrow::Cow::Borrowed(text));
    };
    if !toks[open].is_sym("(") {
        return Ok(std::borrow::Cow::Borrowed(text));
    }
    let mut i = open + 1;
    let mut item_start = true;
    let mut depth = 0usize;
    while i < toks.len() {
        let t = &toks[i];
        if depth == 0 && item_start {
            item_start = false;
            let (span, next) = column_type_span(text, &tokens, i);
            spans.extend(span);
            if next > i {
                i = next;
                continue;
            }
        }
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            if depth == 0 {
                break;
            }
            depth -= 1;
        } else if t.is_sym(",") && depth == 0 {
            item_start = true;
        }
        i += 1;
    }
    Ok(quote_spans(text, spans))
}

/// For the column definition whose name is token `name`: the byte span of
/// its type when sqlparser needs it quoted, and the token after the type.
/// A table constraint is no column: `(None, name)`.
fn column_type_span(
    text: &str,
    tokens: &scan::Tokens,
    name: usize,
) -> (Option<(usize, usize)>, usize) {
    let toks = &tokens.toks;
    let offset = |i: usize| tokens.offsets.get(i).copied().unwrap_or(text.len());
    let table_constraint = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
        .iter()
        .any(|kw| toks.get(name).is_some_and(|t| t.is_kw(kw)));
    if table_constraint || !matches!(toks.get(name), Some(Tok::Word { .. })) {
        return (None, name);
    }
    let first = name + 1;
    let mut j = first;
    let mut words = 0;
    let mut bracket = false;
    while let Some(Tok::Word { quoted, .. }) = toks.get(j) {
        let is_bracket = *quoted && text.get(offset(j)..).is_some_and(|r| r.starts_with('['));
        if (*quoted && !is_bracket) || SQLITE_COLUMN_CONSTRAINTS.iter().any(|kw| toks[j].is_kw(kw))
        {
            break;
        }
        bracket |= is_bracket;
        words += 1;
        j += 1;
    }
    if words > 0 && toks.get(j).is_some_and(|t| t.is_sym("(")) {
        while j < toks.len() && !toks[j].is_sym(")") {
            j += 1;
        }
        j += 1;
    }
    let span = (words > 1 || bracket).then(|| (offset(first), offset(j)));
    (span, j)
}

fn quote_spans(text: &str, spans: Vec<(usize, usize)>) -> std::borrow::Cow<'_, str> {
    if spans.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 2 * spans.len());
    let mut at = 0;
    for (start, end) in spans {
        let declared = text.get(start..end).unwrap_or_default().trim_end();
        out.push_str(text.get(at..start).unwrap_or_default());
        out.push('"');
        out.push_str(&declared.replace('"', "\"\""));
        out.push('"');
        at = start + declared.len();
    }
    out.push_str(text.get(at..).unwrap_or_default());
    std::borrow::Cow::Owned(out)
}

/// A column default as written. `DEFAULT NULL` is kept: PostgreSQL stores
/// it when the null is coerced (`NULL::character varying` for a
/// `varchar(n)`), and it compares equal to no default
/// ([`crate::schema::Column::default_value`]).
pub(super) fn default_expr(e: &ast::Expr, d: Dialect) -> Option<Expr> {
    match (d, e) {
        (Dialect::Postgres, _) => Some(Expr::new(e.to_string(), d)),
        // SQLite's grammar wants an expression default in parentheses; they
        // are not part of it (`PRAGMA table_info` shows `datetime('now')`).
        (Dialect::Sqlite, ast::Expr::Nested(inner)) => Some(Expr::new(inner.to_string(), d)),
        (Dialect::Sqlite, _) => Some(Expr::new(e.to_string(), d)),
    }
}

/// An identity column's sequence options: the sequence has the column's
/// type unless `AS` says otherwise, and the server's defaults for it.
pub(super) fn identity_options(
    column: &Column,
    mut written: super::options::SequenceChanges,
) -> Fallible<SequenceOptions> {
    if written.data_type.is_none() {
        let ty = &column.ty;
        match ty.name.as_str() {
            "smallint" | "integer" | "bigint" if ty.array_dims == 0 && !ty.user_defined => {
                written.data_type = Some(ty.name.clone())
            }
            _ => {
                return Err(format!(
                    "identity column `{}` must be smallint, integer or bigint",
                    column.name
                ));
            }
        }
    }
    if written.owned_by.is_some() || written.sequence_name.is_some() {
        return Err(format!(
            "OWNED BY / SEQUENCE NAME of identity column `{}` is not modelled",
            column.name
        ));
    }
    written.resolve(None)
}

#[cfg(test)]
mod sqlite_type_tests {
    use super::sqlite_declared_types;

    #[test]
    fn multi_word_types_become_one_quoted_name() {
        let rewrite = |sql: &str| sqlite_declared_types(sql).unwrap().into_owned();
        assert_eq!(
            rewrite(
                "CREATE TABLE t (a BLOB SUB_TYPE TEXT NOT NULL, b varchar[10], c NATIVE  CHARACTER(70) DEFAULT 'x', d INTEGER PRIMARY KEY, CHECK (a IN ('x y')))"
            ),
            "CREATE TABLE t (a \"BLOB SUB_TYPE TEXT\" NOT NULL, b \"varchar[10]\", c \"NATIVE  CHARACTER(70)\" DEFAULT 'x', d INTEGER PRIMARY KEY, CHECK (a IN ('x y')))"
        );
        let untouched = "CREATE TABLE t (a INT, b \"My Type\", c, d TEXT AS (a || 'b c'), CONSTRAINT k UNIQUE (a, b))";
        assert_eq!(rewrite(untouched), untouched);
        let select = "CREATE TABLE t AS SELECT (1) AS a";
        assert_eq!(rewrite(select), select);
        assert_eq!(
            rewrite("ALTER TABLE t ADD COLUMN b UNSIGNED BIG INT NOT NULL DEFAULT 0"),
            "ALTER TABLE t ADD COLUMN b \"UNSIGNED BIG INT\" NOT NULL DEFAULT 0"
        );
        assert_eq!(
            rewrite("ALTER TABLE t ADD c varchar[10]"),
            "ALTER TABLE t ADD c \"varchar[10]\""
        );
    }
}
