//! `CREATE TABLE`, and the column and constraint building `ALTER TABLE` shares.

use sqlparser::ast::{
    self, ColumnDef, ColumnOption, GeneratedAs, GeneratedExpressionMode, ReferentialAction,
    TableConstraint,
};

use super::scan::{self, Tok};
use super::{Fallible, Outcome, like, names, partition, types};
use crate::dialect::Dialect;
use crate::schema::{
    CheckConstraint, Column, ColumnType, Deferrable, Expr, ForeignKey, ForeignKeyAction, Generated,
    Identity, PrimaryKey, QualifiedName, Schema, Sequence, Table, UniqueConstraint,
};

pub(super) fn apply(schema: &mut Schema, text: &str) -> Fallible<Outcome> {
    let d = schema.dialect;
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
    let ast::Statement::CreateTable(ct) = scan::parse_statement(text, d)? else {
        return Err("expected a CREATE TABLE statement".into());
    };
    let name = names::object_name(&ct.name, d)?;
    if schema.table(&name).is_some() || schema.view(&name).is_some() {
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
    if d == Dialect::Sqlite
        && (ct.inherits.is_some() || ct.partition_of.is_some() || ct.partition_by.is_some())
    {
        return Err("SQLite has no table inheritance or partitioning".into());
    }
    if let Some(by) = &ct.partition_by {
        table.partition_by = Some(Box::new(partition::partition_key(by, d)?));
    }
    if let Some(parent) = &ct.partition_of {
        if !ct.columns.is_empty() {
            return Err("column options in PARTITION OF are not modelled".into());
        }
        table = partition::create_partition(schema, table, parent, ct.for_values.as_ref())?;
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
        table.columns = match super::query::columns(schema, query) {
            Ok(columns) => columns,
            // A temporary table is gone when the script's session ends, so
            // its shape never reaches a schema; only its name matters.
            Err(_) if ct.temporary => Vec::new(),
            Err(e) => return Err(e),
        };
        schema.tables.push(table);
        return Ok(outcome);
    }
    schema.tables.push(table);
    let mut pending = Vec::new();
    for column in &ct.columns {
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
    if !likes.is_empty() {
        pending.extend(copy_likes(schema, &name, &likes)?);
    }
    for constraint in &ct.constraints {
        pending.push(Pending::from_table_constraint(constraint, d)?);
    }
    apply_constraints(schema, &name, pending)?;
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
                    kind: PendingKind::Check(Box::new(
                        scan::parse_expr(&check.expr.sql, d).ok_or_else(|| {
                            format!(
                                "check `{}` of `{}` cannot be copied",
                                check.expr.sql, source.name
                            )
                        })?,
                    )),
                });
            }
        }
        if l.including.indexes {
            if let Some(pk) = &source.primary_key {
                pending.push(Pending {
                    name: None,
                    kind: PendingKind::PrimaryKey(pk.columns.clone()),
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

/// A constraint waiting to be added: foreign keys go last so that a
/// reference to the table's own primary key resolves.
pub(super) struct Pending {
    name: Option<String>,
    kind: PendingKind,
}

enum PendingKind {
    PrimaryKey(Vec<String>),
    Unique {
        columns: Vec<String>,
        nulls_not_distinct: bool,
        deferrable: Deferrable,
    },
    Check(Box<ast::Expr>),
    /// `PRIMARY KEY USING INDEX i` / `UNIQUE USING INDEX i`: the unique index
    /// becomes the constraint's index (renamed to the constraint's name).
    UsingIndex {
        index: String,
        primary: bool,
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

impl Pending {
    pub(super) fn from_table_constraint(c: &TableConstraint, d: Dialect) -> Fallible<Self> {
        let idents = |ids: &[ast::Ident]| ids.iter().map(|i| names::ident(i, d)).collect();
        let index_columns = |cols: &[ast::IndexColumn]| -> Fallible<Vec<String>> {
            cols.iter()
                .map(|c| match &c.column.expr {
                    ast::Expr::Identifier(id) => Ok(names::ident(id, d)),
                    other => Err(format!(
                        "constraint on expression `{other}` is not modelled"
                    )),
                })
                .collect()
        };
        Ok(match c {
            TableConstraint::PrimaryKey(pk) => Pending {
                name: pk.name.as_ref().map(|n| names::ident(n, d)),
                kind: PendingKind::PrimaryKey(index_columns(&pk.columns)?),
            },
            TableConstraint::Unique(u) => Pending {
                name: u.name.as_ref().map(|n| names::ident(n, d)),
                kind: PendingKind::Unique {
                    columns: index_columns(&u.columns)?,
                    nulls_not_distinct: matches!(
                        u.nulls_distinct,
                        ast::NullsDistinctOption::NotDistinct
                    ),
                    deferrable: deferrable(u.characteristics.as_ref()),
                },
            },
            TableConstraint::Check(ck) => Pending {
                name: ck.name.as_ref().map(|n| names::ident(n, d)),
                kind: PendingKind::Check(ck.expr.clone()),
            },
            TableConstraint::ForeignKey(fk) => Pending {
                name: fk.name.as_ref().map(|n| names::ident(n, d)),
                kind: PendingKind::ForeignKey {
                    columns: idents(&fk.columns),
                    table: names::object_name(&fk.foreign_table, d)?,
                    referenced: idents(&fk.referred_columns),
                    on_delete: action(fk.on_delete),
                    on_update: action(fk.on_update),
                    deferrable: deferrable(fk.characteristics.as_ref()),
                },
            },
            TableConstraint::PrimaryKeyUsingIndex(u) | TableConstraint::UniqueUsingIndex(u) => {
                Pending {
                    name: u.name.as_ref().map(|n| names::ident(n, d)),
                    kind: PendingKind::UsingIndex {
                        index: names::ident(&u.index_name, d),
                        primary: matches!(c, TableConstraint::PrimaryKeyUsingIndex(_)),
                        deferrable: deferrable(u.characteristics.as_ref()),
                    },
                }
            }
            other => return Err(format!("table constraint `{other}` is not modelled")),
        })
    }
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

fn deferrable(c: Option<&ast::ConstraintCharacteristics>) -> Deferrable {
    match c {
        Some(c) if c.deferrable == Some(true) => match c.initially {
            Some(ast::DeferrableInitial::Deferred) => Deferrable::InitiallyDeferred,
            Some(ast::DeferrableInitial::Immediate) | None => Deferrable::InitiallyImmediate,
        },
        _ => Deferrable::NotDeferrable,
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
    let mut pending = Vec::new();
    for option in &def.options {
        let cname = option.name.as_ref().map(|n| names::ident(n, d));
        match &option.option {
            ColumnOption::Null => column.nullable = true,
            ColumnOption::NotNull => column.nullable = false,
            ColumnOption::Default(e) => column.default = default_expr(e, d),
            ColumnOption::PrimaryKey(pk) => {
                pending.push(Pending {
                    name: cname.or_else(|| pk.name.as_ref().map(|n| names::ident(n, d))),
                    kind: PendingKind::PrimaryKey(vec![col_name.clone()]),
                });
            }
            ColumnOption::Unique(u) => pending.push(Pending {
                name: cname.or_else(|| u.name.as_ref().map(|n| names::ident(n, d))),
                kind: PendingKind::Unique {
                    columns: vec![col_name.clone()],
                    nulls_not_distinct: matches!(
                        u.nulls_distinct,
                        ast::NullsDistinctOption::NotDistinct
                    ),
                    deferrable: deferrable(u.characteristics.as_ref()),
                },
            }),
            ColumnOption::ForeignKey(fk) => pending.push(Pending {
                name: cname.or_else(|| fk.name.as_ref().map(|n| names::ident(n, d))),
                kind: PendingKind::ForeignKey {
                    columns: vec![col_name.clone()],
                    table: names::object_name(&fk.foreign_table, d)?,
                    referenced: fk.referred_columns.iter().map(|i| names::ident(i, d)).collect(),
                    on_delete: action(fk.on_delete),
                    on_update: action(fk.on_update),
                    deferrable: deferrable(fk.characteristics.as_ref()),
                },
            }),
            ColumnOption::Check(ck) => pending.push(Pending {
                name: cname.or_else(|| ck.name.as_ref().map(|n| names::ident(n, d))),
                kind: PendingKind::Check(ck.expr.clone()),
            }),
            ColumnOption::Collation(c) => column.collation = names::collation(c, d)?,
            ColumnOption::Comment(c) => column.comment = Some(c.clone()),
            ColumnOption::Generated {
                generated_as,
                generation_expr,
                generation_expr_mode,
                ..
            } => match (generation_expr, generated_as) {
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
                (None, GeneratedAs::Always) => column.identity = Some(Identity::Always),
                (None, GeneratedAs::ByDefault) => column.identity = Some(Identity::ByDefault),
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
            other => return Err(format!("column option `{other}` is not modelled")),
        }
    }
    if column.identity.is_some() {
        column.nullable = false;
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
        schema.sequences.push(Sequence {
            name: seq_name,
            owned_by: Some((table_name.clone(), col_name.clone())),
        });
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
    let (fks, others): (Vec<_>, Vec<_>) = pending
        .into_iter()
        .partition(|p| matches!(p.kind, PendingKind::ForeignKey { .. }));
    for p in others.into_iter().chain(fks) {
        add_constraint(schema, table_name, p)?;
    }
    Ok(Outcome::Applied)
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
    // Checks and foreign keys are named per table (a partition's copy of
    // its parent's check has the parent's name); index-backed constraints
    // share the schema's namespace of relations.
    let per_table = matches!(
        p.kind,
        PendingKind::Check(_) | PendingKind::ForeignKey { .. }
    );
    let taken = |name: &str| {
        if per_table {
            let same = |n: &Option<String>| n.as_deref().is_some_and(|n| d.same_name(n, name));
            table.checks.iter().any(|c| same(&c.name))
                || table.foreign_keys.iter().any(|f| same(&f.name))
                || table.primary_key.as_ref().is_some_and(|k| same(&k.name))
                || table.uniques.iter().any(|u| same(&u.name))
        } else {
            names::name_taken(schema, ns.as_deref(), name)
        }
    };
    if let Some(name) = &p.name
        && d == Dialect::Postgres
        && taken(name)
    {
        // Only an error when this table already has it (the server checks per table for
        // checks/FKs and per namespace for index-backed constraints; both are errors).
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
        PendingKind::PrimaryKey(cols) => {
            let cols = check_columns(&cols)?;
            if table.primary_key.is_some() {
                return Err(format!("table `{table_name}` already has a primary key"));
            }
            let name = p.name.or_else(|| choose(None, "pkey"));
            let table = table_mut(schema, table_name)?;
            if d == Dialect::Postgres {
                for c in &mut table.columns {
                    if cols.iter().any(|k| k == &c.name) {
                        c.nullable = false;
                    }
                }
            }
            table.primary_key = Some(PrimaryKey {
                name,
                columns: cols,
            });
        }
        PendingKind::Unique {
            columns,
            nulls_not_distinct,
            deferrable,
        } => {
            let cols = check_columns(&columns)?;
            let addition =
                names::column_addition(&cols.iter().cloned().map(Some).collect::<Vec<_>>());
            let name = p.name.or_else(|| choose(Some(&addition), "key"));
            table_mut(schema, table_name)?
                .uniques
                .push(UniqueConstraint {
                    name,
                    columns: cols,
                    nulls_not_distinct,
                    deferrable,
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
            if !idx.unique || idx.predicate.is_some() {
                return Err(format!("index `{index_name}` is not a plain unique index"));
            }
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
                table.primary_key = Some(PrimaryKey { name, columns });
            } else {
                table.uniques.push(UniqueConstraint {
                    name,
                    columns,
                    nulls_not_distinct: false,
                    deferrable,
                });
            }
        }
        PendingKind::Check(expr) => {
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
                // may name one created later in the script.
                None if d == Dialect::Sqlite && !referenced.is_empty() => {
                    (referenced_table, referenced)
                }
                None => {
                    return Err(format!(
                        "referenced table `{referenced_table}` does not exist"
                    ));
                }
            };
            if referenced_columns.len() != cols.len() {
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

/// A column default as the database keeps it: PostgreSQL stores no default
/// for `DEFAULT NULL`; SQLite keeps the text.
pub(super) fn default_expr(e: &ast::Expr, d: Dialect) -> Option<Expr> {
    let is_null = matches!(e, ast::Expr::Value(v) if matches!(v.value, ast::Value::Null));
    match (d, e) {
        (Dialect::Postgres, _) if is_null => None,
        // SQLite's grammar wants an expression default in parentheses; they
        // are not part of it (`PRAGMA table_info` shows `datetime('now')`).
        (Dialect::Sqlite, ast::Expr::Nested(inner)) => Some(Expr::new(inner.to_string(), d)),
        (Dialect::Postgres | Dialect::Sqlite, _) => Some(Expr::new(e.to_string(), d)),
    }
}
