//! Option lists shared by several statements: storage parameters
//! (`WITH (fillfactor = 70)`, `SET (…)`, `RESET (…)`) and sequence options
//! (`CREATE/ALTER SEQUENCE`, identity columns' `(START WITH 10 …)`).

use sqlparser::ast;

use super::Fallible;
use super::scan::{Cursor, Tok};
use super::types;
use crate::dialect::Dialect;
use crate::schema::{QualifiedName, SequenceOptions, StorageParam};

/// `WITH (…)` of a `CREATE TABLE` or `CREATE INDEX` as sqlparser reads it.
pub(super) fn storage_params_ast(options: &[ast::SqlOption]) -> Fallible<Vec<StorageParam>> {
    let mut out = Vec::new();
    for option in options {
        let (key, value) = match option {
            ast::SqlOption::Ident(name) => (name, None),
            ast::SqlOption::KeyValue { key, value } => (key, Some(value)),
            other => return Err(format!("storage parameter `{other}` is not modelled")),
        };
        // `toast.autovacuum_enabled` sets the TOAST table's options.
        let name = match key.0.as_slice() {
            [name] => name.as_ident().map(|n| n.value.clone()),
            [space, name] => space
                .as_ident()
                .filter(|s| s.value.eq_ignore_ascii_case(TOAST))
                .and(name.as_ident())
                .map(|n| format!("{TOAST}.{}", n.value)),
            _ => None,
        };
        let Some(name) = name else {
            return Err(format!("storage parameter `{key}` is not modelled"));
        };
        let value = match value {
            None => None,
            Some(ast::Expr::Value(v)) => Some(match &v.value {
                ast::Value::SingleQuotedString(s) => s.clone(),
                ast::Value::Number(n, _) => n.to_string(),
                ast::Value::Boolean(b) => b.to_string(),
                other => other.to_string(),
            }),
            // An unquoted word is folded like a name (`on`, `local`).
            Some(ast::Expr::Identifier(id)) if id.quote_style.is_none() => {
                Some(id.value.to_ascii_lowercase())
            }
            Some(ast::Expr::Identifier(id)) => Some(id.value.clone()),
            Some(other) => Some(other.to_string()),
        };
        push_param(&mut out, StorageParam::new(&name, value.as_deref()))?;
    }
    Ok(out)
}

/// The namespace of the TOAST table's parameters.
const TOAST: &str = "toast";

/// `toast.…` of an index (which the server refuses) or a view (a
/// materialized view's TOAST table is not modelled).
pub(super) fn no_toast(params: &[StorageParam], of: &str) -> Fallible<()> {
    match params.iter().find(|p| is_toast(p)) {
        Some(p) => Err(format!(
            "storage parameter `{}` of {of} is not modelled",
            p.name
        )),
        None => Ok(()),
    }
}

fn is_toast(p: &StorageParam) -> bool {
    p.name.starts_with("toast.")
}

/// The server keeps `toast.…` parameters on the table's TOAST table, and
/// silently drops them when the table has none (a partitioned table, or
/// one with no column that can be stored out of line): such a table's are
/// refused rather than kept in the model. The columns that give a table a
/// TOAST table are told conservatively (one of unknown length).
pub(super) fn check_toast(table: &crate::schema::Table) -> Fallible<()> {
    let Some(p) = table.options.storage.iter().find(|p| is_toast(p)) else {
        return Ok(());
    };
    let toastable = |ty: &crate::schema::ColumnType| {
        ty.array_dims > 0
            || !ty.user_defined
                && (matches!(
                    ty.name.as_str(),
                    "text"
                        | "bytea"
                        | "json"
                        | "jsonb"
                        | "xml"
                        | "tsvector"
                        | "tsquery"
                        | "inet"
                        | "cidr"
                        | "numeric"
                        | "path"
                        | "polygon"
                ) || matches!(ty.name.as_str(), "character varying" | "bit varying")
                    && ty.modifiers.is_empty())
    };
    if table.partition_by.is_none() && table.columns.iter().any(|c| toastable(&c.ty)) {
        return Ok(());
    }
    Err(format!(
        "storage parameter `{}` of `{}`, which has no TOAST table the model can tell (a \
         partitioned table has none; another has one with a column of type text, bytea, \
         json, jsonb, numeric, an array…), is not modelled",
        p.name, table.name
    ))
}

/// The server refuses a parameter given twice in one list.
fn push_param(out: &mut Vec<StorageParam>, param: StorageParam) -> Fallible<()> {
    if out.iter().any(|p| p.name == param.name) {
        return Err(format!(
            "storage parameter `{}` is given more than once",
            param.name
        ));
    }
    out.push(param);
    Ok(())
}

/// `WITH (…)` of a `CREATE INDEX`, which sqlparser reads as expressions
/// (`fillfactor = 70`), in the order written, as the server keeps them.
pub(super) fn storage_params_exprs(exprs: &[ast::Expr]) -> Fallible<Vec<StorageParam>> {
    let options = exprs
        .iter()
        .map(|e| match e {
            ast::Expr::Identifier(id) => Ok(ast::SqlOption::Ident(ast::ObjectName::from(vec![
                id.clone(),
            ]))),
            ast::Expr::BinaryOp {
                left,
                op: ast::BinaryOperator::Eq,
                right,
            } => match left.as_ref() {
                ast::Expr::Identifier(id) => Ok(ast::SqlOption::KeyValue {
                    key: ast::ObjectName::from(vec![id.clone()]),
                    value: right.as_ref().clone(),
                }),
                _ => Err(format!("storage parameter `{e}` is not modelled")),
            },
            _ => Err(format!("storage parameter `{e}` is not modelled")),
        })
        .collect::<Fallible<Vec<_>>>()?;
    let params = storage_params_ast(&options)?;
    no_toast(&params, "an index")?;
    Ok(params)
}

/// `( name [= value] [, …] )` from tokens, in the order written; the
/// cursor is on the `(`.
pub(super) fn storage_params(c: &mut Cursor<'_>) -> Fallible<Vec<StorageParam>> {
    if !c.eat_sym("(") {
        return Err(format!("expected `(` {}", c.here()));
    }
    let mut out = Vec::new();
    loop {
        let mut name = match c.next() {
            Some(Tok::Word { text, .. }) => text.to_ascii_lowercase(),
            _ => return Err(format!("expected a storage parameter {}", c.here())),
        };
        if c.peek().is_some_and(|t| t.is_sym(".")) {
            if name != TOAST {
                return Err(format!("storage parameter `{name}.…` is not modelled"));
            }
            c.next();
            match c.next() {
                Some(Tok::Word { text, .. }) => {
                    name = format!("{TOAST}.{}", text.to_ascii_lowercase())
                }
                _ => return Err(format!("expected a storage parameter {}", c.here())),
            }
        }
        let value = if c.eat_sym("=") {
            let negative = c.eat_sym("-");
            let v = match c.next() {
                Some(Tok::Str(s)) => s.clone(),
                Some(Tok::Num(n)) => n.clone(),
                Some(Tok::Word {
                    text,
                    quoted: false,
                }) => text.to_ascii_lowercase(),
                Some(Tok::Word { text, quoted: true }) => text.clone(),
                _ => return Err(format!("expected a value for `{name}` {}", c.here())),
            };
            Some(if negative { format!("-{v}") } else { v })
        } else {
            None
        };
        push_param(&mut out, StorageParam::new(&name, value.as_deref()))?;
        if c.eat_sym(")") {
            break;
        }
        if !c.eat_sym(",") {
            return Err(format!("expected `,` or `)` {}", c.here()));
        }
    }
    Ok(out)
}

/// `( name [, …] )` of a `RESET`, folded to lower case.
pub(super) fn storage_names(c: &mut Cursor<'_>) -> Fallible<Vec<String>> {
    Ok(storage_params(c)?.into_iter().map(|p| p.name).collect())
}

/// Sequence options as written: `None` is "not said".
#[derive(Debug, Default)]
pub(super) struct SequenceChanges {
    pub data_type: Option<String>,
    pub start: Option<i64>,
    pub increment: Option<i64>,
    /// `Some(None)` is `NO MINVALUE`.
    pub min: Option<Option<i64>>,
    pub max: Option<Option<i64>>,
    pub cache: Option<i64>,
    pub cycle: Option<bool>,
    /// `Some(None)` is `OWNED BY NONE`; the parts of `table.column`.
    pub owned_by: Option<Option<Vec<String>>>,
    /// `SET LOGGED` / `SET UNLOGGED` (ALTER SEQUENCE).
    pub unlogged: Option<bool>,
    /// `SEQUENCE NAME n` of an identity column (pg_dump writes it).
    pub sequence_name: Option<QualifiedName>,
}

impl SequenceChanges {
    pub(super) fn is_empty(&self) -> bool {
        self.data_type.is_none()
            && self.start.is_none()
            && self.increment.is_none()
            && self.min.is_none()
            && self.max.is_none()
            && self.cache.is_none()
            && self.cycle.is_none()
    }

    /// The options of a new sequence (`base` is `None`) or of an existing one
    /// after `ALTER`, as the server computes them: a bound left at its type's
    /// limit follows a type change, a bound not given takes the default of
    /// the direction, `START` defaults to the bound it counts away from.
    pub(super) fn resolve(&self, base: Option<&SequenceOptions>) -> Fallible<SequenceOptions> {
        let data_type = match &self.data_type {
            Some(t) => t.clone(),
            None => base.map_or_else(|| "bigint".to_string(), |b| b.data_type.clone()),
        };
        let increment = self.increment.or(base.map(|b| b.increment)).unwrap_or(1);
        if increment == 0 {
            return Err("INCREMENT must not be zero".into());
        }
        let (type_min, type_max) = type_limits(&data_type);
        let (default_min, default_max) = SequenceOptions::default_bounds(&data_type, increment);
        let type_changed = base.is_some_and(|b| b.data_type != data_type);
        let old_limits = base.map(|b| type_limits(&b.data_type));
        let min = match self.min {
            Some(Some(v)) => v,
            Some(None) => default_min,
            None => match base {
                None => default_min,
                Some(b) if type_changed && old_limits.is_some_and(|(lo, _)| b.min == lo) => {
                    default_min
                }
                Some(b) => b.min,
            },
        };
        let max = match self.max {
            Some(Some(v)) => v,
            Some(None) => default_max,
            None => match base {
                None => default_max,
                Some(b) if type_changed && old_limits.is_some_and(|(_, hi)| b.max == hi) => {
                    default_max
                }
                Some(b) => b.max,
            },
        };
        let start = match (self.start, base) {
            (Some(v), _) => v,
            (None, Some(b)) => b.start,
            (None, None) if increment < 0 => max,
            (None, None) => min,
        };
        let cache = self.cache.or(base.map(|b| b.cache)).unwrap_or(1);
        let cycle = self.cycle.or(base.map(|b| b.cycle)).unwrap_or(false);
        if min < type_min || max > type_max {
            return Err(format!(
                "MINVALUE/MAXVALUE out of range for type {data_type}"
            ));
        }
        if min >= max {
            return Err(format!(
                "MINVALUE ({min}) must be less than MAXVALUE ({max})"
            ));
        }
        if start < min || start > max {
            return Err(format!(
                "START value ({start}) must be between MINVALUE ({min}) and MAXVALUE ({max})"
            ));
        }
        if cache < 1 {
            return Err(format!("CACHE ({cache}) must be greater than zero"));
        }
        Ok(SequenceOptions {
            data_type,
            start,
            increment,
            min,
            max,
            cache,
            cycle,
        })
    }
}

fn type_limits(data_type: &str) -> (i64, i64) {
    let (lo, _) = SequenceOptions::default_bounds(data_type, -1);
    let (_, hi) = SequenceOptions::default_bounds(data_type, 1);
    (lo, hi)
}

/// The canonical name of a sequence's `AS` type; others are refused.
fn sequence_type(sql: &str, d: Dialect) -> Fallible<String> {
    let ty =
        types::canonical_type(sql, d).ok_or_else(|| format!("unknown sequence type `{sql}`"))?;
    match ty.name.as_str() {
        "smallint" | "integer" | "bigint" if ty.array_dims == 0 && !ty.user_defined => Ok(ty.name),
        _ => Err(format!(
            "a sequence must be smallint, integer or bigint, not `{sql}`"
        )),
    }
}

/// A possibly negative integer literal.
fn signed(c: &mut Cursor<'_>) -> Fallible<i64> {
    let negative = c.eat_sym("-");
    if !negative {
        c.eat_sym("+");
    }
    match c.next() {
        Some(Tok::Num(n)) => {
            let v: i64 = n
                .parse()
                .map_err(|_| format!("`{n}` is not a 64-bit integer"))?;
            Ok(if negative { -v } else { v })
        }
        _ => Err(format!("expected an integer {}", c.here())),
    }
}

/// Reads sequence options from tokens until `end` (a token index) or a
/// token that is not an option. `identity` allows `SEQUENCE NAME`; `alter`
/// allows `RESTART` (which moves the current value: not part of the model)
/// and `SET [UN]LOGGED`.
pub(super) fn sequence_options(
    c: &mut Cursor<'_>,
    end: usize,
    d: Dialect,
) -> Fallible<SequenceChanges> {
    let mut s = SequenceChanges::default();
    while c.pos < end && !c.at_end() {
        if c.eat(&["AS"]) {
            let mut words = Vec::new();
            while let Some(Tok::Word {
                text,
                quoted: false,
            }) = c.peek()
            {
                if is_option_keyword(text) {
                    break;
                }
                words.push(text.clone());
                c.next();
            }
            s.data_type = Some(sequence_type(&words.join(" "), d)?);
        } else if c.eat(&["INCREMENT"]) {
            c.eat(&["BY"]);
            s.increment = Some(signed(c)?);
        } else if c.eat(&["NO", "MINVALUE"]) {
            s.min = Some(None);
        } else if c.eat(&["NO", "MAXVALUE"]) {
            s.max = Some(None);
        } else if c.eat(&["NO", "CYCLE"]) {
            s.cycle = Some(false);
        } else if c.eat(&["MINVALUE"]) {
            s.min = Some(Some(signed(c)?));
        } else if c.eat(&["MAXVALUE"]) {
            s.max = Some(Some(signed(c)?));
        } else if c.eat(&["START"]) {
            c.eat(&["WITH"]);
            s.start = Some(signed(c)?);
        } else if c.eat(&["RESTART"]) {
            if c.eat(&["WITH"])
                || c.peek()
                    .is_some_and(|t| matches!(t, Tok::Num(_)) || t.is_sym("-"))
            {
                signed(c)?;
            }
        } else if c.eat(&["CACHE"]) {
            s.cache = Some(signed(c)?);
        } else if c.eat(&["CYCLE"]) {
            s.cycle = Some(true);
        } else if c.eat(&["OWNED", "BY"]) {
            if c.eat(&["NONE"]) {
                s.owned_by = Some(None);
            } else {
                let mut parts = vec![c.ident()?];
                while c.eat_sym(".") {
                    parts.push(c.ident()?);
                }
                s.owned_by = Some(Some(parts));
            }
        } else if c.eat(&["SEQUENCE", "NAME"]) {
            s.sequence_name = Some(c.qualified()?);
        } else if c.eat(&["SET", "LOGGED"]) {
            s.unlogged = Some(false);
        } else if c.eat(&["SET", "UNLOGGED"]) {
            s.unlogged = Some(true);
        } else {
            return Err(format!("sequence option {} is not modelled", c.here()));
        }
    }
    Ok(s)
}

fn is_option_keyword(word: &str) -> bool {
    [
        "INCREMENT",
        "MINVALUE",
        "MAXVALUE",
        "NO",
        "START",
        "RESTART",
        "CACHE",
        "CYCLE",
        "OWNED",
        "SEQUENCE",
        "SET",
    ]
    .iter()
    .any(|k| word.eq_ignore_ascii_case(k))
}

/// Identity options as sqlparser reads them (`GENERATED … AS IDENTITY (…)`).
pub(super) fn sequence_options_ast(
    options: &[ast::SequenceOptions],
    d: Dialect,
) -> Fallible<SequenceChanges> {
    let int = |e: &ast::Expr| -> Fallible<i64> {
        let text = e.to_string().replace(' ', "");
        text.parse::<i64>()
            .map_err(|_| format!("`{e}` is not a 64-bit integer"))
    };
    let mut s = SequenceChanges::default();
    for option in options {
        match option {
            ast::SequenceOptions::DataType(t) => {
                s.data_type = Some(sequence_type(&t.to_string(), d)?)
            }
            ast::SequenceOptions::IncrementBy(e, _) => s.increment = Some(int(e)?),
            ast::SequenceOptions::MinValue(e) => s.min = Some(e.as_ref().map(int).transpose()?),
            ast::SequenceOptions::MaxValue(e) => s.max = Some(e.as_ref().map(int).transpose()?),
            ast::SequenceOptions::StartWith(e, _) => s.start = Some(int(e)?),
            ast::SequenceOptions::Cache(e) => s.cache = Some(int(e)?),
            ast::SequenceOptions::Cycle(no) => s.cycle = Some(!no),
            ast::SequenceOptions::OwnedBy(_) => {
                return Err("OWNED BY is not an identity option".into());
            }
        }
    }
    Ok(s)
}
