//! `CREATE INDEX` (parsed by sqlparser); `DROP INDEX` and `ALTER INDEX` are
//! in [`super::objects`].

use sqlparser::ast;

use super::{Fallible, Outcome, names, scan};
use crate::dialect::Dialect;
use crate::schema::{Expr, Index, IndexColumn, IndexExpr, QualifiedName, Schema};

pub(super) fn create(schema: &mut Schema, text: &str, tokens: &scan::Tokens) -> Fallible<Outcome> {
    let d = schema.dialect;
    // `ON ONLY t` (no recursion into partitions) means nothing without
    // partitions and sqlparser does not accept it.
    let only = tokens
        .toks
        .windows(2)
        .position(|w| w[0].is_kw("ON") && w[1].is_kw("ONLY"));
    let without_only;
    let text = match only.and_then(|i| tokens.offsets.get(i + 1)) {
        Some(&at) => {
            without_only = format!("{}{}", &text[..at], text.get(at + 4..).unwrap_or_default());
            without_only.as_str()
        }
        None => text,
    };
    let read = match d {
        Dialect::Postgres => Some(super::default_storage::without_defaults(
            text,
            super::default_storage::Statement::Index,
        )?),
        Dialect::Sqlite => None,
    };
    let text = read.as_ref().map_or(text, |r| &r.text);
    let ast::Statement::CreateIndex(ci) = scan::parse_statement(text, d)? else {
        return Err("expected a CREATE INDEX statement".into());
    };
    // Every field named: a clause sqlparser learns later fails to compile
    // here instead of being dropped. CONCURRENTLY changes how the index is
    // built, not what it is.
    let ast::CreateIndex {
        name: _,
        table_name: _,
        using: _,
        columns: _,
        unique: _,
        concurrently: _,
        r#async,
        if_not_exists: _,
        include: _,
        nulls_distinct: _,
        with: _,
        predicate: _,
        index_options: _,
        alter_options: _,
    } = &ci;
    if *r#async {
        return Err("CREATE ASYNC INDEX is not modelled".into());
    }
    let table_name = names::object_name(&ci.table_name, d)?;
    if let Some(read) = &read {
        let partitioned = schema
            .table(&table_name)
            .is_some_and(|t| t.partition_by.is_some());
        read.refuse_on_partitioned(partitioned)?;
    }
    // Materialized views take indexes too; their columns are not modelled.
    let (table, table_name) = match (schema.table(&table_name), schema.view(&table_name)) {
        (Some(t), _) => (Some(t), t.name.clone()),
        (None, Some(v)) if v.materialized => (None, v.name.clone()),
        _ => return Err(format!("table `{table_name}` does not exist")),
    };
    let mut columns = Vec::new();
    for c in &ci.columns {
        if let Some(fill) = &c.column.with_fill {
            return Err(format!(
                "index column `{}` {fill} is not modelled",
                c.column.expr
            ));
        }
        // `col COLLATE x` is a column with a collation, as both databases
        // report it; a collation the column has anyway is no collation.
        // `((upper(x) COLLATE "C"))`: the server keeps the collation as the
        // index column's and the expression without it.
        let mut written = &c.column.expr;
        while let ast::Expr::Nested(inner) = written {
            written = inner;
        }
        let (source, mut collation) = match written {
            ast::Expr::Collate { expr, collation } => (
                expr.as_ref(),
                Some(names::object_name(collation, d)?.to_string()),
            ),
            other => (other, None),
        };
        let expr = match source {
            ast::Expr::Identifier(id) => {
                let col = names::ident(id, d);
                match table {
                    Some(t) => {
                        let found = t.column(&col, d).ok_or_else(|| {
                            format!("column `{col}` of `{table_name}` does not exist")
                        })?;
                        if let (Some(own), Some(given)) = (&found.collation, &collation)
                            && d.same_name(own, given)
                        {
                            collation = None;
                        }
                        IndexExpr::Column(found.name.clone())
                    }
                    None => IndexExpr::Column(col),
                }
            }
            other => IndexExpr::Expression(Expr::new(other.to_string(), d)),
        };
        let descending = match &c.column.options.sort {
            None | Some(ast::OrderBySort::Asc) => false,
            Some(ast::OrderBySort::Desc) => true,
            Some(ast::OrderBySort::Using(op)) => {
                return Err(format!("an index column's `USING {op}` is not modelled"));
            }
        };
        let nulls_first = c
            .column
            .options
            .nulls_first
            .filter(|first| *first != descending);
        columns.push(IndexColumn {
            expr,
            descending,
            nulls_first,
            opclass: c
                .operator_class
                .as_ref()
                .map(|o| names::object_name(o, d).map(|q| q.to_string()))
                .transpose()?,
            collation,
            statistics: None,
        });
    }
    let include = ci
        .include
        .iter()
        .map(|i| names::ident(i, d))
        .collect::<Vec<_>>();
    let name = match &ci.name {
        Some(n) => {
            let mut n = names::object_name(n, d)?;
            // An index lives in its table's schema.
            if n.schema.is_none() {
                n.schema = table_name.schema.clone();
            }
            n
        }
        None => match d {
            Dialect::Postgres => {
                let parts: Vec<Option<String>> = ci
                    .columns
                    .iter()
                    .zip(&columns)
                    .map(|(source, c)| match &c.expr {
                        IndexExpr::Column(c) => Some(c.clone()),
                        IndexExpr::Expression(_) => figure_colname(&source.column.expr, d),
                    })
                    // `ChooseIndexColumnNames` names the INCLUDE columns too.
                    .chain(include.iter().cloned().map(Some))
                    .collect();
                let addition = names::column_addition(&parts);
                let n = names::choose_name(
                    schema,
                    table_name.schema.as_deref(),
                    &table_name.name,
                    Some(&addition),
                    "idx",
                );
                QualifiedName::with_schema(table_name.schema.clone(), n)
            }
            Dialect::Sqlite => return Err("CREATE INDEX needs a name".into()),
        },
    };
    if schema.index(&name).is_some()
        || names::name_taken(schema, name.schema.as_deref(), &name.name)
    {
        return if ci.if_not_exists {
            Ok(Outcome::Applied)
        } else {
            Err(format!("relation `{name}` already exists"))
        };
    }
    let method = ci
        .using
        .as_ref()
        .map(|m| match m {
            // `USING "btree"` (pg_dump --quote-all-identifiers) names the
            // access method `btree`, folded like any name.
            ast::IndexType::Custom(id) => names::ident(id, d),
            other => other.to_string().to_ascii_lowercase(),
        })
        .filter(|m| m != "btree");
    // `name text_ops` on a text column is `name`: the catalog keeps the
    // class either way and cannot tell the two apart.
    if let Some(t) = table {
        for c in &mut columns {
            let IndexExpr::Column(column) = &c.expr else {
                continue;
            };
            let default = t.column(column, d).and_then(|col| {
                d.rules()
                    .default_opclass(method.as_deref().unwrap_or("btree"), &col.ty)
            });
            let written = c
                .opclass
                .as_deref()
                .map(|o| o.strip_prefix("pg_catalog.").unwrap_or(o));
            if default.is_some() && written == default {
                c.opclass = None;
            }
        }
    }
    if !ci.index_options.is_empty() || !ci.alter_options.is_empty() {
        return Err("index options other than WITH (…) are not modelled".into());
    }
    let storage = super::options::storage_params_exprs(&ci.with)?;
    schema.indexes.push(Index {
        partition_copies: Vec::new(),
        comment: None,
        name,
        table: table_name,
        unique: ci.unique,
        columns,
        predicate: ci.predicate.as_ref().map(|p| Expr::new(p.to_string(), d)),
        method,
        include,
        nulls_not_distinct: ci.nulls_distinct == Some(false),
        storage,
    });
    if only.is_none() {
        super::partition::copy_onto_partitions(schema, schema.indexes.len() - 1)?;
    }
    Ok(Outcome::Applied)
}

/// [`figure_colname`] of an expression the model keeps as text.
pub(super) fn expression_colname(sql: &str, d: Dialect) -> Option<String> {
    figure_colname(&scan::parse_expr(sql, d)?, d)
}

/// PostgreSQL's `FigureColname` for an index expression: a column is named
/// after itself, a function call after the function, a cast of what has no
/// better name after its type; anything else is `expr` (`None` here).
pub(super) fn figure_colname(expr: &ast::Expr, d: Dialect) -> Option<String> {
    figure(expr, d).map(|(name, _)| name)
}

/// The name and its strength (`FigureColnameInternal`: 2 for a column or
/// function, 1 for a fallback such as a cast's type).
fn figure(expr: &ast::Expr, d: Dialect) -> Option<(String, u8)> {
    match expr {
        ast::Expr::Nested(inner) => figure(inner, d),
        ast::Expr::Identifier(id) => Some((names::ident(id, d), 2)),
        ast::Expr::CompoundIdentifier(ids) => ids.last().map(|id| (names::ident(id, d), 2)),
        ast::Expr::Function(f) => names::object_name(&f.name, d).ok().map(|q| (q.name, 2)),
        ast::Expr::Cast {
            expr, data_type, ..
        } => match figure(expr, d) {
            Some(strong @ (_, 2)) => Some(strong),
            _ => Some((grammar_type_name(&data_type.to_string()), 1)),
        },
        ast::Expr::Case { .. } => Some(("case".into(), 1)),
        _ => None,
    }
}

/// The last part of the name the grammar gives a type as written: the SQL
/// spellings (`bigint`, `double precision`, `timestamp with time zone`) are
/// `pg_catalog`'s internal names (`int8`, `float8`, `timestamptz`).
fn grammar_type_name(written: &str) -> String {
    let lower = written.to_ascii_lowercase();
    let zoned = lower.contains(" with time zone");
    let precision = lower
        .split_once('(')
        .and_then(|(_, rest)| rest.split(')').next())
        .and_then(|p| p.trim().parse::<u32>().ok());
    let base = lower
        .split(['(', '['])
        .next()
        .unwrap_or_default()
        .trim()
        .trim_end_matches(" with time zone")
        .trim_end_matches(" without time zone");
    let last = base.rsplit('.').next().unwrap_or(base).trim_matches('"');
    match last {
        "int" | "integer" => "int4",
        "smallint" => "int2",
        "bigint" => "int8",
        "real" => "float4",
        "float" if precision.is_some_and(|p| p <= 24) => "float4",
        "float" | "double precision" => "float8",
        "boolean" => "bool",
        "decimal" | "dec" => "numeric",
        "character varying" | "char varying" => "varchar",
        "character" | "char" if !base.ends_with('"') => "bpchar",
        "timestamp" if zoned => "timestamptz",
        "time" if zoned => "timetz",
        "bit varying" => "varbit",
        other => other,
    }
    .to_string()
}
