//! The columns a query returns, for `CREATE TABLE … AS SELECT`, worked out
//! without running it: names as PostgreSQL gives them, types from the
//! columns they come from and a small set of typing rules (casts, literals,
//! `count`, `sum`, `coalesce`…). A column whose type cannot be known this way
//! is an error rather than a guess.

use sqlparser::ast::{
    self, FunctionArg, FunctionArgExpr, FunctionArguments, SelectItem,
    SelectItemQualifiedWildcardKind, SetExpr, TableFactor,
};

use super::{Fallible, names, scan, types};
use crate::dialect::{Dialect, QueryColumnSource};
use crate::schema::{Column, ColumnType, Schema};

/// Views nest; a limit keeps a self-referencing definition from looping.
const MAX_DEPTH: usize = 16;

pub(super) fn columns(schema: &Schema, query: &ast::Query) -> Fallible<Vec<Column>> {
    query_columns(schema, query, 0, false)
}

/// The columns `CREATE TABLE … AS SELECT` gives its table: names, and the
/// types the dialect declares for them (SQLite: the expressions' affinity).
pub(super) fn table_columns(schema: &Schema, query: &ast::Query) -> Fallible<Vec<Column>> {
    query_columns(schema, query, 0, true)
}

struct Relation {
    /// Alias, or the table's own name.
    name: String,
    columns: Vec<Column>,
}

fn query_columns(
    schema: &Schema,
    query: &ast::Query,
    depth: usize,
    declared: bool,
) -> Fallible<Vec<Column>> {
    if depth > MAX_DEPTH {
        return Err("views nest too deeply to work out their columns".into());
    }
    if query.with.is_some() {
        return Err("the columns of a query with WITH are not worked out".into());
    }
    set_expr_columns(schema, &query.body, depth, declared)
}

fn set_expr_columns(
    schema: &Schema,
    body: &SetExpr,
    depth: usize,
    declared: bool,
) -> Fallible<Vec<Column>> {
    match body {
        SetExpr::Select(select) => select_columns(schema, select, depth, declared),
        SetExpr::Query(q) => query_columns(schema, q, depth + 1, declared),
        // The first branch names and types a UNION's columns.
        SetExpr::SetOperation { left, .. } => set_expr_columns(schema, left, depth, declared),
        other => Err(format!("the columns of `{other}` are not worked out")),
    }
}

fn relation(
    schema: &Schema,
    factor: &TableFactor,
    depth: usize,
    declared: bool,
) -> Fallible<Relation> {
    let d = schema.dialect;
    let (name, alias, columns) = match factor {
        TableFactor::Table { name, alias, .. } => {
            let qn = names::object_name(name, d)?;
            let columns = match (schema.table(&qn), schema.view(&qn)) {
                (Some(t), _) => t.columns.clone(),
                (None, Some(v)) => {
                    let query = scan::parse_query(v.definition.sql(), d)?;
                    query_columns(schema, &query, depth + 1, declared)?
                }
                (None, None) => return Err(format!("relation `{qn}` does not exist")),
            };
            (qn.name, alias, columns)
        }
        TableFactor::Derived {
            subquery, alias, ..
        } => (
            String::new(),
            alias,
            query_columns(schema, subquery, depth + 1, declared)?,
        ),
        other => return Err(format!("the columns of `{other}` are not worked out")),
    };
    let mut columns = columns;
    if let Some(alias) = alias {
        for (col, renamed) in columns.iter_mut().zip(&alias.columns) {
            col.name = names::ident(&renamed.name, d);
        }
    }
    Ok(Relation {
        name: alias.as_ref().map_or(name, |a| names::ident(&a.name, d)),
        columns,
    })
}

fn select_columns(
    schema: &Schema,
    select: &ast::Select,
    depth: usize,
    declared: bool,
) -> Fallible<Vec<Column>> {
    let d = schema.dialect;
    let mut rels = Vec::new();
    for from in &select.from {
        rels.push(relation(schema, &from.relation, depth, declared)?);
        for join in &from.joins {
            rels.push(relation(schema, &join.relation, depth, declared)?);
        }
    }
    let typed = |expr: &ast::Expr, source| match declared {
        true => d
            .rules()
            .type_created_as_select(infer(schema, expr, &rels), source),
        false => infer(schema, expr, &rels),
    };
    let mut out = Vec::new();
    for item in &select.projection {
        let first = out.len();
        match item {
            SelectItem::Wildcard(_) => {
                for r in &rels {
                    out.extend(r.columns.iter().map(plain));
                }
            }
            SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(q), _) => {
                let q = names::object_name(q, d)?;
                let r = rels
                    .iter()
                    .find(|r| d.same_name(&r.name, &q.name))
                    .ok_or_else(|| format!("relation `{q}` is not in FROM"))?;
                out.extend(r.columns.iter().map(plain));
            }
            SelectItem::UnnamedExpr(expr) => {
                let source = source_of(expr);
                if declared && d == Dialect::Sqlite && source != QueryColumnSource::Column {
                    // SQLite names it by its text as written.
                    return Err(format!(
                        "the column `{expr}` needs a name (`AS name`) to be worked out"
                    ));
                }
                let name = colname(expr, d).unwrap_or_else(|| "?column?".to_string());
                out.push(Column::new(name, typed(expr, source)?));
                continue;
            }
            SelectItem::ExprWithAlias { expr, alias } => {
                out.push(Column::new(
                    names::ident(alias, d),
                    typed(expr, source_of(expr))?,
                ));
                continue;
            }
            other => return Err(format!("the column `{other}` is not worked out")),
        }
        // A wildcard's columns are columns.
        if declared {
            for column in &mut out[first..] {
                column.ty = d
                    .rules()
                    .type_created_as_select(Ok(column.ty.clone()), QueryColumnSource::Column)?;
            }
        }
    }
    Ok(out)
}

/// Whether an output expression is a column, a cast or anything else.
fn source_of(expr: &ast::Expr) -> QueryColumnSource {
    match expr {
        ast::Expr::Identifier(_) | ast::Expr::CompoundIdentifier(_) => QueryColumnSource::Column,
        ast::Expr::Nested(e) => source_of(e),
        ast::Expr::Cast { .. } => QueryColumnSource::Cast,
        _ => QueryColumnSource::Expression,
    }
}

/// A query's column keeps the type and collation, not constraints or defaults.
fn plain(c: &Column) -> Column {
    let mut col = Column::new(c.name.clone(), c.ty.clone());
    col.collation = c.collation.clone();
    col
}

/// `FigureColname`: the name PostgreSQL gives an unaliased output column.
fn colname(expr: &ast::Expr, d: Dialect) -> Option<String> {
    match expr {
        ast::Expr::Identifier(id) => Some(names::ident(id, d)),
        ast::Expr::CompoundIdentifier(ids) => ids.last().map(|i| names::ident(i, d)),
        ast::Expr::Nested(e) => colname(e, d),
        ast::Expr::Function(f) => names::object_name(&f.name, d).ok().map(|q| q.name),
        ast::Expr::Cast {
            expr, data_type, ..
        } => colname(expr, d)
            .or_else(|| types::canonical_type(&data_type.to_string(), d).map(|t| t.name)),
        ast::Expr::Case { .. } => Some("case".into()),
        _ => None,
    }
}

fn find_column<'r>(
    rels: &'r [Relation],
    qualifier: Option<&str>,
    col: &str,
    d: Dialect,
) -> Fallible<&'r Column> {
    rels.iter()
        .filter(|r| qualifier.is_none_or(|q| d.same_name(&r.name, q)))
        .find_map(|r| r.columns.iter().find(|c| d.same_name(&c.name, col)))
        .ok_or_else(|| format!("column `{col}` does not exist"))
}

fn infer(schema: &Schema, expr: &ast::Expr, rels: &[Relation]) -> Fallible<ColumnType> {
    let d = schema.dialect;
    let unknown = || format!("cannot work out the type of `{expr}`");
    match expr {
        ast::Expr::Identifier(id) => {
            Ok(find_column(rels, None, &names::ident(id, d), d)?.ty.clone())
        }
        ast::Expr::CompoundIdentifier(ids) => {
            let (col, quals) = ids.split_last().ok_or_else(unknown)?;
            let q = quals.last().map(|q| names::ident(q, d));
            Ok(find_column(rels, q.as_deref(), &names::ident(col, d), d)?
                .ty
                .clone())
        }
        ast::Expr::Nested(e) | ast::Expr::UnaryOp { expr: e, .. } => infer(schema, e, rels),
        // The first branch that is not a bare literal gives a CASE its type.
        ast::Expr::Case {
            conditions,
            else_result,
            ..
        } => {
            let results = conditions
                .iter()
                .map(|w| &w.result)
                .chain(else_result.as_deref());
            let mut literal = None;
            for r in results {
                match r {
                    ast::Expr::Value(_) => literal = literal.or(Some(r)),
                    other => return infer(schema, other, rels),
                }
            }
            infer(schema, literal.ok_or_else(unknown)?, rels)
        }
        ast::Expr::BinaryOp {
            left,
            op:
                ast::BinaryOperator::Plus
                | ast::BinaryOperator::Minus
                | ast::BinaryOperator::Multiply
                | ast::BinaryOperator::Divide,
            right,
        } => {
            let l = infer(schema, left, rels)?;
            let r = infer(schema, right, rels)?;
            Ok(if numeric_rank(&r) > numeric_rank(&l) {
                r
            } else {
                l
            })
        }
        ast::Expr::Cast { data_type, .. } => {
            types::canonical_type(&data_type.to_string(), d).ok_or_else(unknown)
        }
        ast::Expr::Value(v) => match &v.value {
            ast::Value::Number(n, _) if n.contains('.') => Ok(ColumnType::simple("numeric")),
            ast::Value::Number(n, _) if n.parse::<i32>().is_ok() => {
                Ok(ColumnType::simple("integer"))
            }
            ast::Value::Number(_, _) => Ok(ColumnType::simple("bigint")),
            ast::Value::SingleQuotedString(_) => Ok(ColumnType::simple("text")),
            ast::Value::Boolean(_) => Ok(ColumnType::simple("boolean")),
            _ => Err(unknown()),
        },
        ast::Expr::IsNull(_)
        | ast::Expr::IsNotNull(_)
        | ast::Expr::IsTrue(_)
        | ast::Expr::IsFalse(_)
        | ast::Expr::Exists { .. }
        | ast::Expr::Between { .. }
        | ast::Expr::Like { .. }
        | ast::Expr::ILike { .. } => Ok(ColumnType::simple("boolean")),
        ast::Expr::BinaryOp {
            op:
                ast::BinaryOperator::And
                | ast::BinaryOperator::Or
                | ast::BinaryOperator::Eq
                | ast::BinaryOperator::NotEq
                | ast::BinaryOperator::Lt
                | ast::BinaryOperator::LtEq
                | ast::BinaryOperator::Gt
                | ast::BinaryOperator::GtEq,
            ..
        } => Ok(ColumnType::simple("boolean")),
        ast::Expr::Function(f) => {
            let name = names::object_name(&f.name, d)?.name;
            let args: Vec<&ast::Expr> = match &f.args {
                FunctionArguments::List(list) => list
                    .args
                    .iter()
                    .filter_map(|a| match a {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                        _ => None,
                    })
                    .collect(),
                FunctionArguments::None | FunctionArguments::Subquery(_) => Vec::new(),
            };
            match name.as_str() {
                "count" => Ok(ColumnType::simple("bigint")),
                "now" => Ok(ColumnType::simple("timestamp with time zone")),
                "sum" => {
                    let arg = args.first().ok_or_else(unknown)?;
                    Ok(match infer(schema, arg, rels)?.name.as_str() {
                        "smallint" | "integer" => ColumnType::simple("bigint"),
                        "real" => ColumnType::simple("real"),
                        "double precision" => ColumnType::simple("double precision"),
                        _ => ColumnType::simple("numeric"),
                    })
                }
                "max" | "min" => infer(schema, args.first().ok_or_else(unknown)?, rels),
                "coalesce" | "greatest" | "least" => {
                    let mut best: Option<ColumnType> = None;
                    for a in &args {
                        if matches!(a, ast::Expr::Value(_)) {
                            continue;
                        }
                        let t = infer(schema, a, rels)?;
                        best = Some(match best {
                            Some(b) if numeric_rank(&b) >= numeric_rank(&t) => b,
                            _ => t,
                        });
                    }
                    match best {
                        Some(t) => Ok(t),
                        None => infer(schema, args.first().ok_or_else(unknown)?, rels),
                    }
                }
                _ => function_return_type(schema, &name).ok_or_else(unknown),
            }
        }
        _ => Err(unknown()),
    }
}

/// Numeric types in PostgreSQL's implicit-widening order (others rank 0).
fn numeric_rank(t: &ColumnType) -> u8 {
    match t.name.as_str() {
        "smallint" => 1,
        "integer" => 2,
        "bigint" => 3,
        "numeric" => 4,
        "real" => 5,
        "double precision" => 6,
        _ => 0,
    }
}

/// The declared `RETURNS` type of a function kept in the schema.
fn function_return_type(schema: &Schema, name: &str) -> Option<ColumnType> {
    let d = schema.dialect;
    let f = schema.opaque.iter().find(|o| {
        o.kind == crate::schema::OpaqueKind::Function && d.same_name(&o.name.name, name)
    })?;
    let tokens = scan::tokenize(f.definition.sql(), d).ok()?;
    let at = tokens.toks.iter().position(|t| t.is_kw("RETURNS"))?;
    let start = *tokens.offsets.get(at + 1)?;
    // The type runs to the next clause keyword.
    let end = tokens.toks[at + 1..]
        .iter()
        .zip(&tokens.offsets[at + 1..])
        .find(|(t, _)| {
            [
                "AS",
                "LANGUAGE",
                "IMMUTABLE",
                "STABLE",
                "VOLATILE",
                "STRICT",
                "SECURITY",
                "PARALLEL",
                "COST",
            ]
            .iter()
            .any(|kw| t.is_kw(kw))
        })
        .map_or(f.definition.sql().len(), |(_, o)| *o);
    types::canonical_type(f.definition.sql().get(start..end)?.trim(), d)
        .filter(|t| !matches!(t.name.as_str(), "trigger" | "void" | "record"))
}

/// `CREATE VIEW v (a, b) AS SELECT x, y …` as the server keeps it: the names
/// become the aliases of the (first) SELECT's items, so that the body alone
/// says what the view's columns are called. A list longer than the items,
/// or a `*` among the named items, is refused rather than guessed.
pub(super) fn with_column_names(
    body: &str,
    names: &[String],
    dialect: Dialect,
) -> Fallible<String> {
    let mut query = scan::parse_query(body, dialect)?;
    fn first_select(set: &mut ast::SetExpr) -> Option<&mut ast::Select> {
        match set {
            ast::SetExpr::Select(select) => Some(select),
            ast::SetExpr::SetOperation { left, .. } => first_select(left),
            ast::SetExpr::Query(q) => first_select(&mut q.body),
            _ => None,
        }
    }
    let select = first_select(&mut query.body)
        .ok_or_else(|| "a view's column names are modelled only on a SELECT".to_string())?;
    if names.len() > select.projection.len() {
        return Err(format!(
            "the view names {} columns but its query has {}",
            names.len(),
            select.projection.len()
        ));
    }
    for (item, name) in select.projection.iter_mut().zip(names) {
        let alias = if crate::dialect::quote::ident(name, dialect) == *name {
            ast::Ident::new(name)
        } else {
            ast::Ident::with_quote('"', name)
        };
        let expr = match std::mem::replace(item, ast::SelectItem::Wildcard(Default::default())) {
            ast::SelectItem::UnnamedExpr(expr) | ast::SelectItem::ExprWithAlias { expr, .. } => {
                expr
            }
            other => {
                *item = other;
                return Err("a view's column names over `*` are not modelled".into());
            }
        };
        *item = ast::SelectItem::ExprWithAlias { expr, alias };
    }
    Ok(query.to_string())
}
