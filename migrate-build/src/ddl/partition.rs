//! Partitioning and inheritance (PostgreSQL): `PARTITION BY`, `PARTITION
//! OF … FOR VALUES`, `ATTACH`/`DETACH PARTITION`, `ALTER INDEX … ATTACH
//! PARTITION`, `INHERITS`.
//!
//! The model holds what the catalog holds for each table, the way
//! introspection reads it back:
//! - a partition lists every column (it has its parent's); constraints and
//!   indexes it has because its parent has them (inherited checks, the
//!   copies of the parent's keys, foreign keys and indexes, which the server
//!   creates on each partition by itself) are the parent's, not listed on
//!   the partition;
//! - a bound is kept as `pg_get_expr(relpartbound)` prints it, its literals
//!   canonicalised for the key column's type.

use sqlparser::ast;

use super::{Fallible, names};
use crate::dialect::Dialect;
use crate::schema::{
    BoundDatum, Column, ColumnType, IndexExpr, PartitionBound, PartitionBy, PartitionOf,
    PartitionStrategy, QualifiedName, Schema, Table,
};

/// `RANGE (a, lower(b))`: sqlparser reads the strategy and key as a call.
pub(super) fn partition_key(expr: &ast::Expr, d: Dialect) -> Fallible<PartitionBy> {
    let not_modelled = || format!("partition key `{expr}` is not modelled");
    let ast::Expr::Function(f) = expr else {
        return Err(not_modelled());
    };
    // Every field named: only the strategy and its argument list mean
    // something in a partition key.
    let ast::Function {
        name,
        uses_odbc_syntax,
        parameters,
        args,
        within_group,
        filter,
        null_treatment,
        over,
    } = f;
    if *uses_odbc_syntax
        || !matches!(parameters, ast::FunctionArguments::None)
        || !within_group.is_empty()
        || filter.is_some()
        || null_treatment.is_some()
        || over.is_some()
    {
        return Err(not_modelled());
    }
    let strategy = match name.to_string().to_ascii_uppercase().as_str() {
        "RANGE" => PartitionStrategy::Range,
        "LIST" => PartitionStrategy::List,
        "HASH" => PartitionStrategy::Hash,
        _ => return Err(not_modelled()),
    };
    let ast::FunctionArguments::List(list) = args else {
        return Err(not_modelled());
    };
    if list.duplicate_treatment.is_some() || !list.clauses.is_empty() {
        return Err(not_modelled());
    }
    let mut key = Vec::new();
    for arg in &list.args {
        let ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Expr(e)) = arg else {
            return Err(not_modelled());
        };
        key.push(match e {
            ast::Expr::Identifier(id) => IndexExpr::Column(names::ident(id, d)),
            // A key column's own collation (or operator class) would be
            // taken for an expression here.
            ast::Expr::Collate { .. } => {
                return Err(format!(
                    "partition key `{e}` with a collation is not modelled"
                ));
            }
            // `(expr)`: the server prints an expression key in parentheses
            // unless it is a function call.
            ast::Expr::Nested(inner) => {
                IndexExpr::Expression(crate::schema::Expr::new(inner.to_string(), d))
            }
            other => IndexExpr::Expression(crate::schema::Expr::new(other.to_string(), d)),
        });
    }
    if key.is_empty() {
        return Err(not_modelled());
    }
    Ok(PartitionBy { strategy, key })
}

/// The type of each key column of `parent` (`None` for an expression).
fn key_types(parent: &Table, d: Dialect) -> Fallible<Vec<Option<ColumnType>>> {
    let by = parent
        .partition_by
        .as_ref()
        .ok_or_else(|| format!("table `{}` is not partitioned", parent.name))?;
    Ok(by
        .key
        .iter()
        .map(|k| match k {
            IndexExpr::Column(c) => parent.column(c, d).map(|c| c.ty.clone()),
            IndexExpr::Expression(_) => None,
        })
        .collect())
}

/// A bound read from SQL, its literals in the server's spelling for the
/// parent's key types. The bound must fit the strategy, as the server checks.
pub(super) fn bound(
    for_values: &ast::ForValues,
    parent: &Table,
    d: Dialect,
) -> Fallible<PartitionBound> {
    let types = key_types(parent, d)?;
    let strategy = parent
        .partition_by
        .as_ref()
        .map(|p| p.strategy)
        .ok_or_else(|| format!("table `{}` is not partitioned", parent.name))?;
    let wrong = |what: &str| {
        format!(
            "a {what} bound does not fit the {} partitioning of `{}`",
            strategy.as_sql(),
            parent.name
        )
    };
    Ok(match for_values {
        ast::ForValues::Default => PartitionBound::Default,
        ast::ForValues::In(values) => {
            if strategy != PartitionStrategy::List {
                return Err(wrong("list"));
            }
            let ty = types.first().cloned().flatten();
            PartitionBound::List(
                values
                    .iter()
                    .map(|v| datum(v, ty.as_ref()))
                    .collect::<Fallible<_>>()?,
            )
        }
        ast::ForValues::From { from, to } => {
            if strategy != PartitionStrategy::Range {
                return Err(wrong("range"));
            }
            if from.len() != types.len() || to.len() != types.len() {
                return Err(format!(
                    "a bound of `{}` needs {} value(s), one per key column",
                    parent.name,
                    types.len()
                ));
            }
            let side = |values: &[ast::PartitionBoundValue]| -> Fallible<Vec<BoundDatum>> {
                values
                    .iter()
                    .zip(&types)
                    .map(|(v, ty)| match v {
                        ast::PartitionBoundValue::MinValue => Ok(BoundDatum::MinValue),
                        ast::PartitionBoundValue::MaxValue => Ok(BoundDatum::MaxValue),
                        ast::PartitionBoundValue::Expr(e) => datum(e, ty.as_ref()),
                    })
                    .collect()
            };
            PartitionBound::Range {
                from: side(from)?,
                to: side(to)?,
            }
        }
        ast::ForValues::With { modulus, remainder } => {
            if strategy != PartitionStrategy::Hash {
                return Err(wrong("hash"));
            }
            let modulus = u32::try_from(*modulus).map_err(|_| "modulus too large".to_string())?;
            let remainder =
                u32::try_from(*remainder).map_err(|_| "remainder too large".to_string())?;
            if modulus == 0 || remainder >= modulus {
                return Err("remainder must be less than a positive modulus".into());
            }
            PartitionBound::Hash { modulus, remainder }
        }
    })
}

/// A literal as written: a number or a string.
enum Raw {
    Number(String),
    Text(String),
}

fn raw(e: &ast::Expr) -> Option<Raw> {
    match e {
        ast::Expr::Value(v) => match &v.value {
            ast::Value::Number(n, _) => Some(Raw::Number(n.to_string())),
            ast::Value::SingleQuotedString(s)
            | ast::Value::EscapedStringLiteral(s)
            | ast::Value::DollarQuotedString(ast::DollarQuotedString { value: s, .. }) => {
                Some(Raw::Text(s.clone()))
            }
            ast::Value::Boolean(b) => Some(Raw::Text(b.to_string())),
            _ => None,
        },
        ast::Expr::UnaryOp {
            op: op @ (ast::UnaryOperator::Minus | ast::UnaryOperator::Plus),
            expr,
        } => match raw(expr)? {
            Raw::Number(n) if matches!(op, ast::UnaryOperator::Minus) => {
                Some(Raw::Number(format!("-{n}")))
            }
            Raw::Number(n) => Some(Raw::Number(n)),
            Raw::Text(_) => None,
        },
        // `'2024-01-01'::date`, `DATE '2024-01-01'`: the value, in the key's type.
        ast::Expr::Cast { expr, .. } | ast::Expr::Nested(expr) => raw(expr),
        ast::Expr::TypedString(ts) => match &ts.value.value {
            ast::Value::SingleQuotedString(s) => Some(Raw::Text(s.clone())),
            _ => None,
        },
        _ => None,
    }
}

fn datum(e: &ast::Expr, ty: Option<&ColumnType>) -> Fallible<BoundDatum> {
    if matches!(e, ast::Expr::Value(v) if matches!(v.value, ast::Value::Null)) {
        return Ok(BoundDatum::Null);
    }
    let raw = raw(e).ok_or_else(|| format!("partition bound value `{e}` is not modelled"))?;
    Ok(BoundDatum::Value(canonical(
        raw,
        ty.map(|t| t.name.as_str()),
    )))
}

fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The literal as `pg_get_expr` prints a value of type `ty` (`None`: an
/// expression key, kept as written).
fn canonical(raw: Raw, ty: Option<&str>) -> String {
    let text = match &raw {
        Raw::Number(n) | Raw::Text(n) => n.trim(),
    };
    // `pg_get_expr` prints a constant bare only where reading it back bare
    // gives the same type and value (ruleutils' get_const_expr): a
    // non-negative `integer`, a non-negative `numeric` with a point in it;
    // every other value quoted (`bigint` `'1'`, `integer` `'-5'`).
    match ty {
        Some(int @ ("smallint" | "integer" | "bigint")) => match text.parse::<i128>() {
            Ok(n) if int == "integer" && n >= 0 => n.to_string(),
            Ok(n) => quoted(&n.to_string()),
            Err(_) => text.to_string(),
        },
        Some("numeric") => {
            let n = numeric(text);
            if !n.starts_with('-') && n.contains('.') {
                n
            } else {
                quoted(&n)
            }
        }
        Some("real" | "double precision") => {
            let t = text.strip_prefix('+').unwrap_or(text);
            match t.parse::<f64>() {
                Ok(v) if v.is_finite() && v.abs() < 1e15 && (v == 0.0 || v.abs() >= 1e-4) => {
                    quoted(&format!("{v}"))
                }
                _ => quoted(t),
            }
        }
        Some("timestamp without time zone") => quoted(&timestamp(text)),
        Some("timestamp with time zone") => quoted(&timestamptz(text)),
        Some(_) => quoted(text),
        None => match raw {
            Raw::Number(_) => text.to_string(),
            Raw::Text(_) => quoted(text),
        },
    }
}

/// A numeric literal as `numeric_out` prints it: no `+`, exponents
/// expanded (`1e3` → `1000`, `1.5e-2` → `0.015`), a leading point given
/// its zero; the written scale kept (`1.50`).
fn numeric(text: &str) -> String {
    let t = text.strip_prefix('+').unwrap_or(text);
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (mantissa, exp) = match t.split_once(['e', 'E']) {
        Some((m, e)) => match e.parse::<i32>() {
            Ok(e) => (m, e),
            Err(_) => return text.to_string(),
        },
        None => (t, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !(int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()))
        || (int.is_empty() && frac.is_empty())
    {
        return text.to_string();
    }
    let digits = format!("{int}{frac}");
    let point = int.len() as i64 + i64::from(exp);
    let scale = (frac.len() as i64 - i64::from(exp)).max(0) as usize;
    let (whole, fraction) = if point <= 0 {
        (
            String::new(),
            format!("{}{digits}", "0".repeat((-point) as usize)),
        )
    } else if point as usize >= digits.len() {
        (
            format!("{digits}{}", "0".repeat(point as usize - digits.len())),
            String::new(),
        )
    } else {
        (
            digits[..point as usize].to_string(),
            digits[point as usize..].to_string(),
        )
    };
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let mut fraction: String = fraction.chars().take(scale).collect();
    while fraction.len() < scale {
        fraction.push('0');
    }
    let sign = if neg && (whole != "0" || fraction.chars().any(|c| c != '0')) {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

/// `2024-01-01` → `2024-01-01 00:00:00`, `T` → space, seconds filled in.
fn timestamp(text: &str) -> String {
    let text = text.replacen('T', " ", 1);
    match text.split_once(' ') {
        None => format!("{text} 00:00:00"),
        Some((date, time)) if time.len() == 5 => format!("{date} {time}:00"),
        Some(_) => text,
    }
}

/// Printed in UTC (introspection reads bounds with `TimeZone` UTC). A value
/// without an offset is taken in UTC; one with an offset (`+01`, `-05:30`)
/// is moved to UTC, as the server stores it. A spelling this does not read
/// (`infinity`, a zone name, a BC date) is kept as written.
fn timestamptz(text: &str) -> String {
    let trimmed = text.trim_end_matches(" UTC").trim_end_matches('Z');
    for suffix in ["+00:00", "+00", "-00"] {
        if let Some(t) = trimmed.strip_suffix(suffix) {
            return format!("{}+00", timestamp(t));
        }
    }
    let offset_at = trimmed
        .rfind(['+', '-'])
        .filter(|&i| i > 10 && trimmed[..i].contains(':'));
    match offset_at {
        None => format!("{}+00", timestamp(trimmed)),
        Some(i) => match to_utc(&timestamp(trimmed[..i].trim_end()), &trimmed[i..]) {
            Some(utc) => format!("{utc}+00"),
            None => text.to_string(),
        },
    }
}

/// `YYYY-MM-DD HH:MM:SS[.frac]` at UTC offset `±HH[:MM[:SS]]` → the same
/// instant in UTC, in the same spelling.
fn to_utc(local: &str, offset: &str) -> Option<String> {
    let (sign, digits) = offset.split_at(1);
    let sign: i64 = if sign == "-" { -1 } else { 1 };
    let mut parts = digits.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (
        parts.next()??,
        parts.next().unwrap_or(Some(0))?,
        parts.next().unwrap_or(Some(0))?,
    );
    let offset_secs = sign * (h * 3600 + m * 60 + s);
    let (date, time) = local.split_once(' ')?;
    let (time, frac) = match time.split_once('.') {
        Some((t, f)) => (t, Some(f)),
        None => (time, None),
    };
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.split(':').map(|p| p.parse::<i64>().ok());
    let (hh, mm, ss) = (t.next()??, t.next()??, t.next()??);
    if !(1..=12).contains(&month) || year < 1 {
        return None;
    }
    let secs = days_from_civil(year, month, day) * 86_400 + hh * 3600 + mm * 60 + ss - offset_secs;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, mo, da) = civil_from_days(days);
    let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
    Some(format!(
        "{y:04}-{mo:02}-{da:02} {:02}:{:02}:{:02}{frac}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Columns a partition or child gets from its parent: everything but
/// comments and identity (PostgreSQL 15 copies neither; the NOT NULL of an
/// identity column stays).
fn inherited_column(c: &Column) -> Column {
    let mut column = c.clone();
    column.comment = None;
    column.identity = None;
    column
}

/// A check an inheriting table declares that its parent has too (same
/// name and expression) is merged into the parent's: one constraint,
/// which the model lists on the parent only.
pub(super) fn merge_inherited_checks(schema: &mut Schema, child: &QualifiedName) {
    let d = schema.dialect;
    let Some(table) = schema.table(child) else {
        return;
    };
    let parents: Vec<crate::schema::CheckConstraint> = table
        .inherits
        .iter()
        .filter_map(|p| schema.table(p))
        .flat_map(|p| p.checks.iter().cloned())
        .collect();
    if let Some(table) = schema.table_mut(child) {
        table.checks.retain(|c| {
            !parents.iter().any(|p| {
                c.name.is_some()
                    && p.expr == c.expr
                    && p.name
                        .as_deref()
                        .zip(c.name.as_deref())
                        .is_some_and(|(a, b)| d.same_name(a, b))
            })
        });
    }
}

/// The copy of another table's key that `table` holds, if any: such a
/// table is a partition, and copies on its own partitions would be copies
/// of a copy of a key, which are not modelled (those of an index are).
fn held_key_copy(schema: &Schema, table: &QualifiedName) -> Option<String> {
    let d = schema.dialect;
    schema.tables.iter().find_map(|t| {
        t.constraint_copies
            .iter()
            .find(|c| c.table.same_as(table, d))
            .map(|c| c.name.clone())
    })
}

fn sub_partition_copies(table: &QualifiedName, copy: &str) -> String {
    format!(
        "`{table}` holds `{copy}`, a copy of its parent's key: copies of it on partitions \
         of `{table}` (copies of a copy of a key, on sub-partitions) are not modelled"
    )
}

/// The partitions of `table`.
fn partitions_of(schema: &Schema, table: &QualifiedName) -> Vec<QualifiedName> {
    let d = schema.dialect;
    schema
        .tables
        .iter()
        .filter(|t| {
            t.partition_of
                .as_ref()
                .is_some_and(|p| p.parent.same_as(table, d))
        })
        .map(|t| t.name.clone())
        .collect()
}

/// The indexes the server copies onto the partitions of `table`, in the
/// schema's order: its own (`None`), and those it holds a copy of (the
/// copies on its partitions attach to the one on `table`).
fn indexes_copied_from(
    schema: &Schema,
    table: &QualifiedName,
) -> Vec<(QualifiedName, Option<QualifiedName>)> {
    let d = schema.dialect;
    schema
        .indexes
        .iter()
        .filter_map(|i| {
            if i.table.same_as(table, d) {
                Some((i.name.clone(), None))
            } else {
                i.copy_on(table, d)
                    .map(|_| (i.name.clone(), Some(table.clone())))
            }
        })
        .collect()
}

/// The index whose copy on a partition is named `name`, and that partition.
fn index_copy_named(
    schema: &Schema,
    name: &QualifiedName,
) -> Option<(QualifiedName, QualifiedName)> {
    let d = schema.dialect;
    schema.indexes.iter().find_map(|i| {
        i.partition_copies
            .iter()
            .find(|c| c.table.schema == name.schema && d.same_name(&c.name, &name.name))
            .map(|c| (i.name.clone(), c.table.clone()))
    })
}

/// The partition's own index `own` becomes the copy of `index` on its
/// table, attached under `under`; its own copies on the table's partitions
/// come with it, as copies of a copy.
fn attach_own_index(
    schema: &mut Schema,
    index: &QualifiedName,
    own: &QualifiedName,
    under: Option<QualifiedName>,
) {
    let d = schema.dialect;
    let Some(pos) = schema.indexes.iter().position(|i| i.name.same_as(own, d)) else {
        return;
    };
    let own = schema.indexes.remove(pos);
    let Some(top) = schema.indexes.iter_mut().find(|i| i.name.same_as(index, d)) else {
        return;
    };
    top.set_copy_under(own.table.clone(), own.name.name, under, d);
    for c in own.partition_copies {
        let under = c.under.unwrap_or_else(|| own.table.clone());
        top.set_copy_under(c.table, c.name, Some(under), d);
    }
}

/// The server gives `index` a copy on `table`, a partition of `under` (or
/// of the index's table): it attaches the partition's own index of the
/// same shape, or makes one it names itself and copies that onto the
/// partitions of `table` in turn.
fn copy_index_onto(
    schema: &mut Schema,
    index: &QualifiedName,
    table: &QualifiedName,
    under: Option<QualifiedName>,
) {
    let d = schema.dialect;
    let Some(top) = schema.index(index).cloned() else {
        return;
    };
    let matching = schema
        .indexes
        .iter()
        .find(|i| i.table.same_as(table, d) && same_index_shape(&top, i))
        .map(|i| i.name.clone());
    if let Some(own) = matching {
        attach_own_index(schema, index, &own, under);
        return;
    }
    let name = server_copy_name(schema, &top, table);
    if let Some(top) = schema.indexes.iter_mut().find(|i| i.name.same_as(index, d)) {
        top.set_copy_under(table.clone(), name, under, d);
    }
    for p in partitions_of(schema, table) {
        copy_index_onto(schema, index, &p, Some(table.clone()));
    }
}

/// Whether `table` has partitions.
fn has_partitions(schema: &Schema, table: &QualifiedName) -> bool {
    let d = schema.dialect;
    schema.tables.iter().any(|t| {
        t.partition_of
            .as_ref()
            .is_some_and(|p| p.parent.same_as(table, d))
    })
}

/// Whether the server copies a key of `table` onto its partitions: one of
/// its own, or one it holds as a copy.
fn copies_keys_onto_partitions(schema: &Schema, table: &QualifiedName) -> bool {
    schema
        .table(table)
        .is_some_and(|t| t.primary_key.is_some() || !t.uniques.is_empty())
        || held_key_copy(schema, table).is_some()
}

/// `CREATE TABLE name PARTITION OF parent [(constraints)] FOR VALUES …`.
pub(super) fn create_partition(
    schema: &mut Schema,
    mut table: Table,
    parent: &ast::ObjectName,
    for_values: Option<&ast::ForValues>,
) -> Fallible<Table> {
    let d = schema.dialect;
    let parent_name = names::object_name(parent, d)?;
    let parent = schema
        .table(&parent_name)
        .ok_or_else(|| format!("table `{parent_name}` does not exist"))?;
    let for_values = for_values.ok_or("PARTITION OF needs FOR VALUES or DEFAULT")?;
    if let Some(copy) = held_key_copy(schema, &parent.name) {
        return Err(sub_partition_copies(&parent.name, &copy));
    }
    let bound = bound(for_values, parent, d)?;
    check_overlap(schema, &parent.name, &table.name, &bound)?;
    table.columns = parent.columns.iter().map(inherited_column).collect();
    let parent_name = parent.name.clone();
    table.partition_of = Some(Box::new(PartitionOf {
        parent: parent_name.clone(),
        bound,
    }));
    // The server copies each of the parent's keys and indexes onto the
    // partition, naming the copies itself.
    name_key_copies(schema, &parent_name, &table.name, &[]);
    for (index, under) in indexes_copied_from(schema, &parent_name) {
        copy_index_onto(schema, &index, &table.name, under);
    }
    Ok(table)
}

/// The primary key (`None`) and unique constraints (their index's columns:
/// key, then INCLUDE) of a table, by name: what a partition gets a copy of.
fn keys_of(table: &Table) -> Vec<(String, Option<Vec<String>>)> {
    table
        .primary_key
        .iter()
        .filter_map(|pk| Some((pk.name.clone()?, None)))
        .chain(
            table
                .uniques
                .iter()
                .filter_map(|u| Some((u.name.clone()?, Some(index_columns(u))))),
        )
        .collect()
}

/// A unique constraint's index columns: its key's, then its INCLUDE ones.
pub(crate) fn index_columns(u: &crate::schema::UniqueConstraint) -> Vec<String> {
    u.columns.iter().chain(&u.index.include).cloned().collect()
}

/// The name the server gives the copy it makes on `table` of a primary key
/// (`None`) or of a unique constraint with these [`index_columns`] (`ChooseIndexName`:
/// `<table>_pkey`, `<table>_<columns>_key`).
pub(crate) fn server_key_copy_name(
    schema: &Schema,
    table: &QualifiedName,
    columns: Option<&[String]>,
) -> String {
    let ns = table.schema.as_deref();
    match columns {
        None => names::choose_name(schema, ns, &table.name, None, "pkey"),
        Some(columns) => {
            let parts: Vec<Option<String>> = columns.iter().cloned().map(Some).collect();
            let addition = names::column_addition(&parts);
            names::choose_name(schema, ns, &table.name, Some(&addition), "key")
        }
    }
}

/// Records on `parent` the name of the copy of each of its keys on the
/// partition `table`: the name in `attached` (a constraint of the table
/// the server attaches), or the one the server chooses.
fn name_key_copies(
    schema: &mut Schema,
    parent: &QualifiedName,
    table: &QualifiedName,
    attached: &[(String, String)],
) {
    let d = schema.dialect;
    let Some(keys) = schema.table(parent).map(keys_of) else {
        return;
    };
    for (constraint, columns) in keys {
        let name = match attached.iter().find(|(p, _)| d.same_name(p, &constraint)) {
            Some((_, name)) => name.clone(),
            None => server_key_copy_name(schema, table, columns.as_deref()),
        };
        if let Some(p) = schema.table_mut(parent) {
            p.set_constraint_copy(&constraint, table.clone(), name, d);
        }
    }
}

/// `ALTER TABLE parent ADD CONSTRAINT` of a primary key or unique (without
/// `ONLY`): on each partition, the server attaches the partition's own
/// constraint of the same shape, or makes a copy it names itself.
pub(super) fn copy_key_onto_partitions(
    schema: &mut Schema,
    parent: &QualifiedName,
    constraint: &str,
) -> Fallible<()> {
    let d = schema.dialect;
    let Some(key) = schema.table(parent).and_then(|t| {
        keys_of(t)
            .into_iter()
            .find(|(n, _)| d.same_name(n, constraint))
    }) else {
        return Ok(());
    };
    refuse_sub_partitions(schema, parent)?;
    let partitions: Vec<QualifiedName> = schema
        .tables
        .iter()
        .filter(|t| {
            t.partition_of
                .as_ref()
                .is_some_and(|p| p.parent.same_as(parent, d))
        })
        .map(|t| t.name.clone())
        .collect();
    for table in partitions {
        let own = schema
            .table_mut(&table)
            .and_then(|t| take_matching_key(t, &key.1, d));
        let name = match own {
            Some(name) => name,
            None => server_key_copy_name(schema, &table, key.1.as_deref()),
        };
        if let Some(p) = schema.table_mut(parent) {
            p.set_constraint_copy(&key.0, table, name, d);
        }
    }
    Ok(())
}

/// Copies of `table`'s index or key onto a partition that has partitions
/// itself would be copied on again there.
fn refuse_sub_partitions(schema: &Schema, table: &QualifiedName) -> Fallible<()> {
    let d = schema.dialect;
    let sub = schema.tables.iter().find(|t| {
        t.partition_of
            .as_ref()
            .is_some_and(|p| p.parent.same_as(table, d))
            && has_partitions(schema, &t.name)
    });
    match sub {
        Some(t) => Err(format!(
            "`{table}` has a partition with partitions, `{}`: copies of a key on them \
             (copies of a copy of a key, on sub-partitions) are not modelled",
            t.name
        )),
        None => Ok(()),
    }
}

/// Removes from `table` its own primary key (`columns` `None`) or unique
/// constraint on `columns`, returning its name.
fn take_matching_key(
    table: &mut Table,
    columns: &Option<Vec<String>>,
    d: Dialect,
) -> Option<String> {
    let same_cols = |a: &[String], b: &[String]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| d.same_name(x, y))
    };
    match columns {
        None => table.primary_key.take().and_then(|pk| pk.name),
        Some(columns) => {
            let pos = table
                .uniques
                .iter()
                .position(|u| same_cols(&index_columns(u), columns))?;
            table.uniques.remove(pos).name
        }
    }
}

/// The name the server gives the copy of `index` it makes on `table`
/// (`ChooseRelationName` of the table and the index's columns, `idx`).
pub(crate) fn server_copy_name(
    schema: &Schema,
    index: &crate::schema::Index,
    table: &QualifiedName,
) -> String {
    let d = schema.dialect;
    let parts: Vec<Option<String>> = index
        .columns
        .iter()
        .map(|c| match &c.expr {
            IndexExpr::Column(c) => Some(c.clone()),
            IndexExpr::Expression(e) => super::index::expression_colname(&e.sql, d),
        })
        .chain(index.include.iter().cloned().map(Some))
        .collect();
    let addition = names::column_addition(&parts);
    names::choose_name(
        schema,
        table.schema.as_deref(),
        &table.name,
        Some(&addition),
        "idx",
    )
}

/// `CREATE INDEX` (without `ONLY`) on a partitioned table: on each
/// partition, the server attaches an index of the same shape the partition
/// has, or makes a copy it names itself (and, on a partitioned partition,
/// copies that onto its partitions in turn).
pub(super) fn copy_onto_partitions(schema: &mut Schema, pos: usize) -> Fallible<()> {
    // Only a partitioned table has partitions (`PARTITION OF` and `ATTACH`
    // refuse any other parent): the scan of every table below, for every
    // index, made a schema of 8,000 tables quadratic.
    let partitioned = schema
        .table(&schema.indexes[pos].table)
        .is_some_and(|t| t.partition_by.is_some());
    if !partitioned {
        return Ok(());
    }
    let parent = schema.indexes[pos].clone();
    for table in partitions_of(schema, &parent.table) {
        copy_index_onto(schema, &parent.name, &table, None);
    }
    Ok(())
}

/// Two DEFAULT partitions, or one bound given twice, are refused by the
/// server; overlapping ranges are too, but are not worked out here.
fn check_overlap(
    schema: &Schema,
    parent: &QualifiedName,
    child: &QualifiedName,
    bound: &PartitionBound,
) -> Fallible<()> {
    let d = schema.dialect;
    let clash = schema.tables.iter().find(|t| {
        !t.name.same_as(child, d)
            && t.partition_of
                .as_ref()
                .is_some_and(|p| p.parent.same_as(parent, d) && &p.bound == bound)
    });
    match clash {
        Some(t) => Err(format!(
            "partition `{child}` would overlap partition `{}`",
            t.name
        )),
        None => Ok(()),
    }
}

/// `INHERITS (a, b)`: the parents' columns first, merged by name, then the
/// table's own; a column declared again merges into the inherited one.
pub(super) fn inherited_columns(
    schema: &Schema,
    parents: &[ast::ObjectName],
) -> Fallible<(Vec<QualifiedName>, Vec<Column>)> {
    let d = schema.dialect;
    let mut names_out = Vec::new();
    let mut columns: Vec<Column> = Vec::new();
    for p in parents {
        let name = names::object_name(p, d)?;
        let parent = schema
            .table(&name)
            .ok_or_else(|| format!("table `{name}` does not exist"))?;
        if parent.partition_by.is_some() {
            return Err(format!(
                "cannot inherit from the partitioned table `{name}`"
            ));
        }
        for c in &parent.columns {
            match columns.iter_mut().find(|k| d.same_name(&k.name, &c.name)) {
                Some(existing) => {
                    let mut from_parent = inherited_column(c);
                    from_parent.inherited = true;
                    merge_column(existing, &from_parent, &name)?;
                }
                None => {
                    let mut column = inherited_column(c);
                    column.inherited = true;
                    columns.push(column);
                }
            }
        }
        names_out.push(parent.name.clone());
    }
    Ok((names_out, columns))
}

/// A column declared in a child table (or a second parent) that the child
/// already inherits: the types must agree, NOT NULL is kept from either,
/// and a default given here wins.
pub(super) fn merge_column(
    inherited: &mut Column,
    other: &Column,
    from: &QualifiedName,
) -> Fallible<()> {
    if inherited.ty != other.ty {
        return Err(format!(
            "column `{}` of `{from}` has type {} but the inherited column has type {}",
            other.name, other.ty, inherited.ty
        ));
    }
    inherited.nullable = inherited.nullable && other.nullable;
    inherited.inherited = inherited.inherited && other.inherited;
    if other.default.is_some() {
        inherited.default = other.default.clone();
    }
    if other.generated.is_some() || other.identity.is_some() {
        return Err(format!(
            "column `{}` merges generated or identity columns, which is not modelled",
            other.name
        ));
    }
    Ok(())
}

/// `ALTER TABLE parent ATTACH PARTITION child FOR VALUES …`.
pub(super) fn attach(
    schema: &mut Schema,
    parent_name: &QualifiedName,
    child: &ast::ObjectName,
    for_values: &ast::ForValues,
) -> Fallible<()> {
    let d = schema.dialect;
    let child_name = names::object_name(child, d)?;
    let parent = schema
        .table(parent_name)
        .ok_or_else(|| format!("table `{parent_name}` does not exist"))?
        .clone();
    let bound = bound(for_values, &parent, d)?;
    let child = schema
        .table(&child_name)
        .ok_or_else(|| format!("table `{child_name}` does not exist"))?;
    let child_name = child.name.clone();
    if child.partition_of.is_some() || !child.inherits.is_empty() {
        return Err(format!(
            "table `{child_name}` is already a partition or inherits from another table"
        ));
    }
    check_overlap(schema, &parent.name, &child_name, &bound)?;
    if let Some(copy) = held_key_copy(schema, &parent.name) {
        return Err(sub_partition_copies(&parent.name, &copy));
    }
    if has_partitions(schema, &child_name) && copies_keys_onto_partitions(schema, &parent.name) {
        return Err(format!(
            "attaching `{child_name}`, which has partitions, to `{}`, which has keys: their \
             copies on the partitions of `{child_name}` (copies of a copy of a key) are not \
             modelled",
            parent.name
        ));
    }
    // The server requires the same columns (by name, type and NOT NULL),
    // in any order.
    if child.columns.len() != parent.columns.len() {
        return Err(format!(
            "table `{child_name}` does not have exactly the columns of `{parent_name}`"
        ));
    }
    for pc in &parent.columns {
        let cc = child.column(&pc.name, d).ok_or_else(|| {
            format!(
                "table `{child_name}` has no column `{}` of `{parent_name}`",
                pc.name
            )
        })?;
        if cc.ty != pc.ty {
            return Err(format!(
                "column `{}` of `{child_name}` has type {} but `{parent_name}` has {}",
                cc.name, cc.ty, pc.ty
            ));
        }
        if !pc.nullable && cc.nullable {
            return Err(format!(
                "column `{}` of `{child_name}` must be NOT NULL as in `{parent_name}`",
                cc.name
            ));
        }
    }
    let table = schema
        .table_mut(&child_name)
        .ok_or_else(|| format!("table `{child_name}` does not exist"))?;
    table.partition_of = Some(Box::new(PartitionOf {
        parent: parent.name.clone(),
        bound,
    }));
    absorb_inherited(schema, &parent, &child_name);
    Ok(())
}

/// What a table becoming a partition shares with its parent stops being
/// its own: checks of the same name (the server merges them), and keys,
/// foreign keys and indexes the server attaches to the parent's.
fn absorb_inherited(schema: &mut Schema, parent: &Table, child_name: &QualifiedName) {
    let d = schema.dialect;
    let same_cols = |a: &[String], b: &[String]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| d.same_name(x, y))
    };
    let mut attached_keys: Vec<(String, String)> = Vec::new();
    if let Some(child) = schema.table_mut(child_name) {
        child.checks.retain(|c| {
            !parent
                .checks
                .iter()
                .any(|p| c.name.is_some() && p.name == c.name && p.expr == c.expr)
        });
        // The child's keys matching the parent's are attached to them: they
        // stay, as the parent's copies on the child.
        if let (Some(ppk), Some(cpk)) = (&parent.primary_key, &child.primary_key)
            && same_cols(&ppk.columns, &cpk.columns)
        {
            if let (Some(p), Some(c)) = (&ppk.name, &cpk.name) {
                attached_keys.push((p.clone(), c.clone()));
            }
            child.primary_key = None;
        }
        for p in &parent.uniques {
            if let Some(pos) = child
                .uniques
                .iter()
                .position(|u| same_cols(&p.columns, &u.columns))
            {
                let u = child.uniques.remove(pos);
                if let (Some(p), Some(c)) = (&p.name, u.name) {
                    attached_keys.push((p.clone(), c));
                }
            }
        }
        child.foreign_keys.retain(|f| {
            !parent.foreign_keys.iter().any(|p| {
                same_cols(&p.columns, &f.columns)
                    && p.referenced_table.same_as(&f.referenced_table, d)
                    && same_cols(&p.referenced_columns, &f.referenced_columns)
            })
        });
    }
    name_key_copies(schema, &parent.name, child_name, &attached_keys);
    // The child's index matching a parent's is attached to it: it stays,
    // as the parent's copy on the child.
    for (index, under) in indexes_copied_from(schema, &parent.name) {
        copy_index_onto(schema, &index, child_name, under);
    }
}

fn same_index_shape(a: &crate::schema::Index, b: &crate::schema::Index) -> bool {
    a.unique == b.unique
        && a.columns == b.columns
        && a.predicate == b.predicate
        && a.method == b.method
        && a.include == b.include
        && a.nulls_not_distinct == b.nulls_not_distinct
}

/// `ALTER TABLE parent DETACH PARTITION child`: the partition becomes a
/// table of its own, keeping as its own what it had from its parent:
/// checks and foreign keys by the parent's names, keys and indexes by the
/// names the server gave the copies it made.
pub(super) fn detach(
    schema: &mut Schema,
    parent_name: &QualifiedName,
    child: &ast::ObjectName,
) -> Fallible<()> {
    let child_name = names::object_name(child, schema.dialect)?;
    detach_in_model(schema, parent_name, &child_name)
}

/// `schema` after `ALTER TABLE parent DETACH PARTITION child` (`None` when
/// the server would refuse it): what the detached table then has.
pub(crate) fn detached(
    schema: &Schema,
    parent: &QualifiedName,
    child: &QualifiedName,
) -> Option<Schema> {
    let mut after = schema.clone();
    detach_in_model(&mut after, parent, child).ok()?;
    Some(after)
}

/// `schema` after `ALTER TABLE child NO INHERIT parent`.
pub(crate) fn uninherited(
    schema: &Schema,
    child: &QualifiedName,
    parent: &QualifiedName,
) -> Option<Schema> {
    let mut after = schema.clone();
    set_inherit(&mut after, child, parent, false).ok()?;
    Some(after)
}

fn detach_in_model(
    schema: &mut Schema,
    parent_name: &QualifiedName,
    child_name: &QualifiedName,
) -> Fallible<()> {
    let d = schema.dialect;
    let child_name = child_name.clone();
    let parent = schema
        .table(parent_name)
        .ok_or_else(|| format!("table `{parent_name}` does not exist"))?
        .clone();
    let is_partition = schema.table(&child_name).is_some_and(|t| {
        t.partition_of
            .as_ref()
            .is_some_and(|p| p.parent.same_as(&parent.name, d))
    });
    if !is_partition {
        return Err(format!(
            "table `{child_name}` is not a partition of `{parent_name}`"
        ));
    }
    let child_name = schema
        .table(&child_name)
        .map(|t| t.name.clone())
        .unwrap_or(child_name);
    let ns = child_name.schema.clone();
    // Each copy of the parent's keys stays, by its name, as the table's own.
    let copy_name = |schema: &Schema, constraint: &Option<String>, columns: Option<&[String]>| {
        constraint
            .as_deref()
            .and_then(|c| parent.constraint_copy_on(c, &child_name, d))
            .map(str::to_string)
            .unwrap_or_else(|| server_key_copy_name(schema, &child_name, columns))
    };
    let mut keys = Vec::new();
    if let Some(pk) = &parent.primary_key {
        keys.push((copy_name(schema, &pk.name, None), pk.clone()));
    }
    let parent_indexes = indexes_copied_from(schema, &parent.name);
    let table = schema
        .table_mut(&child_name)
        .ok_or_else(|| format!("table `{child_name}` does not exist"))?;
    table.partition_of = None;
    table.checks.extend(parent.checks.iter().cloned());
    table
        .foreign_keys
        .extend(parent.foreign_keys.iter().cloned());
    for (name, mut pk) in keys {
        pk.name = Some(name);
        table.primary_key = Some(pk);
    }
    if let Some(p) = schema.table_mut(&parent.name) {
        p.constraint_copies
            .retain(|c| !c.table.same_as(&child_name, d));
    }
    for u in &parent.uniques {
        let name = copy_name(schema, &u.name, Some(&u.columns));
        let mut copy = u.clone();
        copy.name = Some(name);
        if let Some(t) = schema.table_mut(&child_name) {
            t.uniques.push(copy);
        }
    }
    // Each copy of the parent's indexes (its own, and those it holds a
    // copy of) stays, by its name, as the table's own index, with the
    // copies of it on the table's own partitions.
    let below = descendants(schema, &child_name);
    for (index_name, _) in parent_indexes {
        let Some(index) = schema.index(&index_name).cloned() else {
            continue;
        };
        let name = match index.copy_on(&child_name, d) {
            Some(name) => name.to_string(),
            None => server_copy_name(schema, &index, &child_name),
        };
        let (moved, kept): (Vec<_>, Vec<_>) = index
            .partition_copies
            .iter()
            .filter(|c| !c.table.same_as(&child_name, d))
            .cloned()
            .partition(|c| below.iter().any(|t| t.same_as(&c.table, d)));
        let mut copy = index.clone();
        copy.name = QualifiedName::with_schema(ns.clone(), name);
        copy.table = child_name.clone();
        copy.partition_copies = moved
            .into_iter()
            .map(|mut c| {
                if c.under.as_ref().is_some_and(|u| u.same_as(&child_name, d)) {
                    c.under = None;
                }
                c
            })
            .collect();
        if let Some(i) = schema
            .indexes
            .iter_mut()
            .find(|i| i.name.same_as(&index_name, d))
        {
            i.partition_copies = kept;
        }
        schema.indexes.push(copy);
    }
    Ok(())
}

/// The partitions of `table`, theirs, and so on down.
fn descendants(schema: &Schema, table: &QualifiedName) -> Vec<QualifiedName> {
    let mut out = partitions_of(schema, table);
    let mut i = 0;
    while i < out.len() {
        let more = partitions_of(schema, &out[i]);
        out.extend(more);
        i += 1;
    }
    out
}

/// `ALTER INDEX parent_index ATTACH PARTITION child_index` (pg_dump's way of
/// rebuilding a partitioned index): the child's index, or the key or unique
/// constraint behind it, becomes part of the parent's.
pub(super) fn attach_index(
    schema: &mut Schema,
    parent_index: &QualifiedName,
    child_index: &QualifiedName,
) -> Fallible<()> {
    let d = schema.dialect;
    let parent_table = schema
        .index(parent_index)
        .map(|i| i.table.clone())
        .or_else(|| constraint_table(schema, parent_index));
    let Some(parent_table) = parent_table else {
        // The parent is a partitioned partition's copy of an index: the
        // child becomes a copy of that copy.
        if let Some((top, under)) = index_copy_named(schema, parent_index) {
            let child = schema
                .index(child_index)
                .ok_or_else(|| format!("index `{child_index}` does not exist"))?;
            let is_partition = schema.table(&child.table).is_some_and(|t| {
                t.partition_of
                    .as_ref()
                    .is_some_and(|p| p.parent.same_as(&under, d))
            });
            if !is_partition {
                return Err(format!(
                    "index `{child_index}` is not on a partition of `{under}`"
                ));
            }
            let own = child.name.clone();
            attach_own_index(schema, &top, &own, Some(under));
            return Ok(());
        }
        let copy_on = schema
            .tables
            .iter()
            .flat_map(|t| t.constraint_copies.iter().map(|c| (&c.table, &c.name)))
            .find(|(t, n)| t.schema == parent_index.schema && d.same_name(n, &parent_index.name))
            .map(|(t, _)| t.clone());
        return Err(match copy_on {
            Some(table) => sub_partition_copies(&table, &parent_index.name),
            None => format!("index `{parent_index}` does not exist"),
        });
    };
    let child_table = schema
        .index(child_index)
        .map(|i| i.table.clone())
        .or_else(|| constraint_table(schema, child_index))
        .ok_or_else(|| format!("index `{child_index}` does not exist"))?;
    let is_partition = schema.table(&child_table).is_some_and(|t| {
        t.partition_of
            .as_ref()
            .is_some_and(|p| p.parent.same_as(&parent_table, d))
    });
    if !is_partition {
        return Err(format!(
            "index `{child_index}` is not on a partition of `{parent_table}`"
        ));
    }
    let parent_is_index = schema.index(parent_index).is_some();
    let child_is_index = schema.index(child_index).is_some();
    if parent_is_index != child_is_index {
        return Err(format!(
            "attaching `{child_index}` to `{parent_index}`, one a constraint's index and the other not, is not modelled"
        ));
    }
    if let Some(child) = schema.index(child_index) {
        let own = child.name.clone();
        attach_own_index(schema, parent_index, &own, None);
        return Ok(());
    }
    // A partition's primary key or unique constraint becomes the copy of
    // its parent's of the same kind and columns (the server refuses others).
    let key = schema
        .table(&parent_table)
        .and_then(|t| {
            keys_of(t)
                .into_iter()
                .find(|(n, _)| d.same_name(n, &parent_index.name))
        })
        .ok_or_else(|| format!("index `{parent_index}` does not exist"))?;
    let child_key = schema.table(&child_table).and_then(|t| {
        keys_of(t)
            .into_iter()
            .find(|(n, _)| d.same_name(n, &child_index.name))
    });
    let same_cols = |a: &[String], b: &[String]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| d.same_name(x, y))
    };
    let matches = child_key
        .as_ref()
        .is_some_and(|(_, cols)| match (cols, &key.1) {
            (None, None) => true,
            (Some(a), Some(b)) => same_cols(a, b),
            _ => false,
        });
    if !matches {
        return Err(format!(
            "index `{child_index}` does not match `{parent_index}`"
        ));
    }
    if let Some(c) = schema.table(&child_table).and_then(|t| {
        t.constraint_copies
            .iter()
            .find(|c| d.same_name(&c.constraint, &child_index.name))
    }) {
        return Err(sub_partition_copies(&child_table, &c.name));
    }
    if let Some(t) = schema.table_mut(&child_table) {
        let named = |n: &Option<String>| {
            n.as_deref()
                .is_some_and(|n| d.same_name(n, &child_index.name))
        };
        if t.primary_key.as_ref().is_some_and(|pk| named(&pk.name)) {
            t.primary_key = None;
        }
        t.uniques.retain(|u| !named(&u.name));
    }
    let copy = child_key.map(|(n, _)| n).unwrap_or_default();
    if let Some(p) = schema.table_mut(&parent_table) {
        p.set_constraint_copy(&key.0, child_table, copy, d);
    }
    Ok(())
}

/// The table whose primary key or unique constraint is backed by `index`.
fn constraint_table(schema: &Schema, index: &QualifiedName) -> Option<QualifiedName> {
    let d = schema.dialect;
    let named = |n: &Option<String>| n.as_deref().is_some_and(|n| d.same_name(n, &index.name));
    schema
        .tables
        .iter()
        .find(|t| {
            t.name.schema == index.schema
                && (t.primary_key.as_ref().is_some_and(|pk| named(&pk.name))
                    || t.uniques.iter().any(|u| named(&u.name)))
        })
        .map(|t| t.name.clone())
}

/// `ALTER TABLE child INHERIT parent` / `NO INHERIT parent`.
pub(super) fn set_inherit(
    schema: &mut Schema,
    child: &QualifiedName,
    parent: &QualifiedName,
    inherit: bool,
) -> Fallible<()> {
    let d = schema.dialect;
    let parent = schema
        .table(parent)
        .ok_or_else(|| format!("table `{parent}` does not exist"))?
        .clone();
    let table = schema
        .table_mut(child)
        .ok_or_else(|| format!("table `{child}` does not exist"))?;
    let pos = table
        .inherits
        .iter()
        .position(|p| p.same_as(&parent.name, d));
    match (inherit, pos) {
        (true, Some(_)) => Err(format!("`{child}` already inherits from `{}`", parent.name)),
        (true, None) => {
            for pc in &parent.columns {
                let cc = table.column(&pc.name, d).ok_or_else(|| {
                    format!("child table `{child}` is missing column `{}`", pc.name)
                })?;
                if cc.ty != pc.ty || (!pc.nullable && cc.nullable) {
                    return Err(format!(
                        "column `{}` of `{child}` does not match `{}`",
                        pc.name, parent.name
                    ));
                }
            }
            table.inherits.push(parent.name.clone());
            // The parent's checks merge into the child's of the same name.
            table.checks.retain(|c| {
                !parent
                    .checks
                    .iter()
                    .any(|p| c.name.is_some() && p.name == c.name && p.expr == c.expr)
            });
            Ok(())
        }
        (false, None) => Err(format!("`{child}` does not inherit from `{}`", parent.name)),
        (false, Some(i)) => {
            table.inherits.remove(i);
            // Its columns become its own (when no other parent has them).
            if table.inherits.is_empty() {
                for c in &mut table.columns {
                    c.inherited = false;
                }
            }
            // Inherited checks stay on the child as its own.
            for c in &parent.checks {
                if !table.checks.iter().any(|k| k.name == c.name) {
                    table.checks.push(c.clone());
                }
            }
            Ok(())
        }
    }
}

/// Tables whose columns follow `parent`'s: its partitions and inheritance
/// children (a column change recurses into them unless `ONLY`).
pub(super) fn children(schema: &Schema, parent: &QualifiedName) -> Vec<QualifiedName> {
    // Every `ALTER TABLE … ADD COLUMN` asks: the list's index gives the
    // candidates (a scan of every table made a replay quadratic).
    let d = schema.dialect;
    schema
        .tables
        .positions_aliased(
            d,
            crate::schema::Alias::ChildOf,
            parent.schema.as_deref(),
            &parent.name,
        )
        .into_iter()
        .map(|i| &schema.tables[i])
        .filter(|t| t.is_child_of(parent, d))
        .map(|t| t.name.clone())
        .collect()
}

/// A bound as `pg_get_expr(relpartbound)` prints it (`FOR VALUES …`,
/// `DEFAULT`), for introspection.
pub(crate) fn parse_bound(sql: &str, d: Dialect) -> Option<PartitionBound> {
    let stmt =
        super::scan::parse_statement(&format!("CREATE TABLE x PARTITION OF y {sql}"), d).ok()?;
    let ast::Statement::CreateTable(ct) = stmt else {
        return None;
    };
    let fv = ct.for_values?;
    // The server's spelling is already canonical: read it without types.
    let side = |values: &[ast::PartitionBoundValue]| -> Option<Vec<BoundDatum>> {
        values
            .iter()
            .map(|v| match v {
                ast::PartitionBoundValue::MinValue => Some(BoundDatum::MinValue),
                ast::PartitionBoundValue::MaxValue => Some(BoundDatum::MaxValue),
                ast::PartitionBoundValue::Expr(e) => datum(e, None).ok(),
            })
            .collect()
    };
    Some(match &fv {
        ast::ForValues::Default => PartitionBound::Default,
        ast::ForValues::In(values) => PartitionBound::List(
            values
                .iter()
                .map(|v| datum(v, None).ok())
                .collect::<Option<_>>()?,
        ),
        ast::ForValues::From { from, to } => PartitionBound::Range {
            from: side(from)?,
            to: side(to)?,
        },
        ast::ForValues::With { modulus, remainder } => PartitionBound::Hash {
            modulus: u32::try_from(*modulus).ok()?,
            remainder: u32::try_from(*remainder).ok()?,
        },
    })
}

/// A partition key as `pg_get_partkeydef` prints it (`RANGE (at)`).
pub(crate) fn parse_key(sql: &str, d: Dialect) -> Option<PartitionBy> {
    let expr = super::scan::parse_expr(sql, d)?;
    partition_key(&expr, d).ok()
}

#[cfg(test)]
mod tests;

/// What the server would keep as an invalid partitioned index: an index
/// (`ON ONLY`) or a key (`ALTER TABLE ONLY … ADD`) of a partitioned table
/// with a partition, at any level, that has no copy of it attached. Each
/// as (what, the partition).
pub(super) fn missing_copies(schema: &Schema) -> Vec<(String, QualifiedName)> {
    let d = schema.dialect;
    let mut out = Vec::new();
    if !schema.tables.iter().any(|t| t.partition_by.is_some()) {
        return out;
    }
    for i in &schema.indexes {
        if schema
            .table(&i.table)
            .is_none_or(|t| t.partition_by.is_none())
        {
            continue;
        }
        for p in descendants(schema, &i.table) {
            if i.copy_on(&p, d).is_none() {
                out.push((format!("index `{}`", i.name), p));
            }
        }
    }
    for t in schema.tables.iter().filter(|t| t.partition_by.is_some()) {
        for (key, _) in keys_of(t) {
            for p in partitions_of(schema, &t.name) {
                if t.constraint_copy_on(&key, &p, d).is_none() {
                    out.push((format!("key `{key}` of `{}`", t.name), p));
                }
            }
        }
    }
    out
}

pub(super) fn invalid_index(what: &str, partition: &QualifiedName) -> String {
    format!(
        "{what} has no copy attached on partition `{partition}` (made with ONLY and never \
         attached there): the server keeps such an index invalid, which is not modelled"
    )
}
