//! `-- migrate:renamed-from` annotations, and renames applied to the model.
//!
//! An annotation is a comment, so only this module sees it: the interpreter
//! reads each statement with sqlparser, which drops comments. Where it may
//! stand:
//! - on the line of a column, a named table constraint (`CONSTRAINT c …`) or
//!   an enum label inside `CREATE TABLE (…)` / `CREATE TYPE … AS ENUM (…)`,
//!   after the element (`full_name text, -- migrate:renamed-from name`);
//! - in the comment lines directly above (no blank line between) a
//!   statement that creates a table, index, view, enum type or sequence, or
//!   adds one named constraint (`ALTER TABLE … ADD CONSTRAINT c …`).
//!
//! Anywhere else it is an error at its file:line:col: an annotation that is
//! silently ignored would write a drop where the user asked for a rename.
//!
//! The rename functions at the end are the model's side of `ALTER … RENAME`,
//! shared by the interpreter's statements and the differ (which renames the
//! previous schema before comparing it, so that what it plans and what a
//! replay of the rendered SQL gives are one code path).

use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

use super::scan::{self, Cursor};
use super::{Fallible, SourceFile, Statement, names};
use crate::dialect::Dialect;
use crate::plan::Rename;
use crate::schema::{Expr, QualifiedName, RefKind, Renamed, RenamedFrom, Schema, SourceLocation};

const DIRECTIVE: &str = "migrate:renamed-from";

/// An annotation before it is tied to an object.
struct Annotation {
    /// The old name as written (folded), or the label of an enum value.
    from: String,
    /// A quoted string literal (`'OLD'`) rather than a name.
    literal: bool,
    at: SourceLocation,
}

/// An annotation error: where, and what is wrong.
pub(crate) struct AnnotationError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

type Checked<T> = Result<T, AnnotationError>;

fn error_at(at: &SourceLocation, message: String) -> AnnotationError {
    AnnotationError {
        line: at.line,
        column: at.column,
        message,
    }
}

/// Annotations in the gap of comments and white space before a statement
/// (`gap` ends where the statement starts, at `line`:`column` of the file):
/// the one directly above it, and an error for any other.
pub(crate) struct Above {
    annotation: Option<Annotation>,
}

/// The gap `gap` begins at byte `gap_start` of the file.
pub(crate) fn above(
    file: SourceFile<'_>,
    gap_start: usize,
    gap: &str,
    followed_by_statement: bool,
    d: Dialect,
) -> Checked<Above> {
    // Counting the lines up to the gap is a walk from the file's start:
    // only done for a gap that holds an annotation, or a schema file of
    // many statements is quadratic in its length.
    if !gap.contains(DIRECTIVE) {
        return Ok(Above::none());
    }
    let found = comments(file.path, line_col(file.sql, gap_start), gap, d)?;
    let mut annotation = None;
    for (comment_end, a) in found {
        // Directly above: only non-blank (comment) lines between it and
        // the statement.
        let rest = gap.get(comment_end..).unwrap_or_default();
        let rest = rest
            .strip_prefix("\r\n")
            .or_else(|| rest.strip_prefix('\n'))
            .unwrap_or(rest);
        let lines: Vec<&str> = rest.split('\n').collect();
        let attached = followed_by_statement
            && lines[..lines.len() - 1]
                .iter()
                .all(|l| !l.trim().is_empty());
        if !attached {
            return Err(error_at(
                &a.at,
                format!(
                    "`-- {DIRECTIVE}` stands on no object: write it directly above the CREATE of a table, index, view, enum type or sequence (no blank line between), or at the end of a column's line"
                ),
            ));
        }
        if annotation.is_some() {
            return Err(error_at(
                &a.at,
                format!(
                    "a second `-- {DIRECTIVE}` above one statement: an object has one old name"
                ),
            ));
        }
        annotation = Some(a);
    }
    Ok(Above { annotation })
}

/// Every `-- migrate:renamed-from` comment of `text` (at byte `start` of
/// the file), with the byte offset in `text` where the comment ends.
fn comments(
    path: &str,
    (line0, col0): (usize, usize),
    text: &str,
    d: Dialect,
) -> Checked<Vec<(usize, Annotation)>> {
    if !text.contains(DIRECTIVE) {
        return Ok(Vec::new());
    }
    let tokens = Tokenizer::new(scan::sql_dialect(d), text)
        .tokenize_with_location()
        .map_err(|e| AnnotationError {
            line: line0,
            column: col0,
            message: format!("cannot read the text around an annotation: {e}"),
        })?;
    let mut out = Vec::new();
    for t in &tokens {
        let Token::Whitespace(Whitespace::SingleLineComment { comment, .. }) = &t.token else {
            continue;
        };
        let body = comment.trim();
        let Some(arg) = body.strip_prefix(DIRECTIVE) else {
            continue;
        };
        let (line, column) = (t.span.start.line as usize, t.span.start.column as usize);
        let at = SourceLocation {
            path: path.to_string(),
            line: line0 + line - 1,
            column: if line == 1 { col0 + column - 1 } else { column },
        };
        let end = offset(text, t.span.end.line as usize, t.span.end.column as usize);
        out.push((end, parse_argument(arg, at, d)?));
    }
    Ok(out)
}

/// `name`, `"Quoted Name"` or `'LABEL'`: exactly one.
fn parse_argument(arg: &str, at: SourceLocation, d: Dialect) -> Checked<Annotation> {
    let bad = |why: &str| {
        error_at(
            &at,
            format!(
                "`-- {DIRECTIVE}` {why}: write the old name (`-- {DIRECTIVE} old_name`, or `'OLD'` for an enum value)"
            ),
        )
    };
    if !arg.is_empty() && !arg.starts_with(char::is_whitespace) {
        return Err(bad("is not followed by a space and a name"));
    }
    let tokens = Tokenizer::new(scan::sql_dialect(d), arg.trim())
        .tokenize()
        .map_err(|_| bad("names nothing readable"))?;
    let tokens: Vec<&Token> = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let (from, literal) = match tokens.as_slice() {
        [Token::Word(w)] => (names::fold(&w.value, w.quote_style.is_some(), d), false),
        [Token::DoubleQuotedString(s)] => (names::fold(s, true, d), false),
        [Token::SingleQuotedString(s)] => (s.clone(), true),
        [] => return Err(bad("names nothing")),
        [_, Token::Period, ..] => {
            return Err(bad(
                "names a qualified name: a rename keeps the object in its schema",
            ));
        }
        _ => return Err(bad("names more than one thing")),
    };
    Ok(Annotation { from, literal, at })
}

/// Names of what a statement may create, to find the one it did.
pub(crate) struct Before {
    tables: Vec<QualifiedName>,
    indexes: Vec<QualifiedName>,
    views: Vec<QualifiedName>,
    enums: Vec<QualifiedName>,
    sequences: Vec<QualifiedName>,
    constraints: Vec<(QualifiedName, String)>,
}

fn constraint_names(schema: &Schema) -> Vec<(QualifiedName, String)> {
    let mut out = Vec::new();
    for t in &schema.tables {
        out.extend(
            t.constraint_names()
                .map(|n| (t.name.clone(), n.to_string())),
        );
    }
    out
}

impl Above {
    /// No annotation (annotations are not read here).
    pub(crate) fn none() -> Above {
        Above { annotation: None }
    }

    pub(crate) fn snapshot(&self, schema: &Schema) -> Option<Before> {
        self.annotation.as_ref()?;
        let names = |v: &mut dyn Iterator<Item = &QualifiedName>| v.cloned().collect();
        Some(Before {
            tables: names(&mut schema.tables.iter().map(|t| &t.name)),
            indexes: names(&mut schema.indexes.iter().map(|i| &i.name)),
            views: names(&mut schema.views.iter().map(|v| &v.name)),
            enums: names(&mut schema.enums.iter().map(|e| &e.name)),
            sequences: names(&mut schema.sequences.iter().map(|s| &s.name)),
            constraints: constraint_names(schema),
        })
    }

    /// Ties the annotation to what the statement created.
    pub(crate) fn record(self, schema: &mut Schema, before: Option<Before>) -> Checked<()> {
        let (Some(a), Some(before)) = (self.annotation, before) else {
            return Ok(());
        };
        let d = schema.dialect;
        fn new<'s>(
            mut now: impl Iterator<Item = &'s QualifiedName>,
            was: &[QualifiedName],
            d: Dialect,
        ) -> Option<QualifiedName> {
            now.find(|n| !was.iter().any(|w| w.same_as(n, d))).cloned()
        }
        let object = if let Some(n) = new(schema.tables.iter().map(|t| &t.name), &before.tables, d)
        {
            Renamed::Table(n)
        } else if let Some(n) = new(schema.views.iter().map(|v| &v.name), &before.views, d) {
            Renamed::View(n)
        } else if let Some(n) = new(schema.enums.iter().map(|e| &e.name), &before.enums, d) {
            Renamed::Enum(n)
        } else if let Some(n) = new(schema.indexes.iter().map(|i| &i.name), &before.indexes, d) {
            Renamed::Index(n)
        } else if let Some(n) = new(
            schema.sequences.iter().map(|s| &s.name),
            &before.sequences,
            d,
        ) {
            Renamed::Sequence(n)
        } else {
            let added: Vec<(QualifiedName, String)> = constraint_names(schema)
                .into_iter()
                .filter(|(t, c)| {
                    !before
                        .constraints
                        .iter()
                        .any(|(bt, bc)| bt.same_as(t, d) && d.same_name(bc, c))
                })
                .collect();
            match added.as_slice() {
                [(table, name)] => Renamed::Constraint {
                    table: table.clone(),
                    name: name.clone(),
                },
                _ => {
                    return Err(error_at(
                        &a.at,
                        format!(
                            "`-- {DIRECTIVE}` stands above a statement that creates no table, index, view, enum type or sequence and adds no one named constraint"
                        ),
                    ));
                }
            }
        };
        push(schema, object, a)
    }
}

fn push(schema: &mut Schema, object: Renamed, a: Annotation) -> Checked<()> {
    let wants_literal = matches!(object, Renamed::EnumValue { .. });
    if a.literal != wants_literal {
        let what = if wants_literal {
            "an enum value's old label is a string: `'OLD'`"
        } else {
            "a name is written as an identifier, not a string"
        };
        return Err(error_at(
            &a.at,
            format!("`-- {DIRECTIVE}` of {}: {what}", object.describe()),
        ));
    }
    if schema.dialect.same_name(object.name(), &a.from) && !wants_literal
        || wants_literal && object.name() == a.from
    {
        return Err(error_at(
            &a.at,
            format!("{} is annotated as renamed from itself", object.describe()),
        ));
    }
    schema.renames.0.push(RenamedFrom {
        object,
        from: a.from,
        at: Some(a.at),
    });
    Ok(())
}

/// Annotations inside a statement: on the line of an element of `CREATE
/// TABLE (…)` or `CREATE TYPE … AS ENUM (…)`, recorded once the statement
/// has been applied (the element must then exist).
pub(crate) fn inside(
    schema: &mut Schema,
    file: SourceFile<'_>,
    statement: &Statement<'_>,
) -> Checked<()> {
    let d = schema.dialect;
    let found = comments(
        file.path,
        (statement.line, statement.column),
        statement.text,
        d,
    )?;
    if found.is_empty() {
        return Ok(());
    }
    let stmt_at = SourceLocation {
        path: file.path.to_string(),
        line: statement.line,
        column: statement.column,
    };
    let misplaced = |a: &Annotation, why: &str| {
        error_at(
            &a.at,
            format!(
                "`-- {DIRECTIVE}` {why}: inside a statement it goes at the end of the line of a column, named constraint or enum value of CREATE TABLE or CREATE TYPE … AS ENUM; above the statement for the object it creates"
            ),
        )
    };
    let tokens = scan::tokenize(statement.text, d).map_err(|m| error_at(&stmt_at, m))?;
    let header = header(&tokens, d);
    let raw = scan::raw_tokens(statement.text, d)
        .map_err(|e| error_at(&stmt_at, format!("cannot read statement: {e}")))?;
    for (_, a) in found {
        let Some((kind, owner, open)) = &header else {
            return Err(misplaced(&a, "is not in a column list"));
        };
        let element =
            element_before(&raw, *open, statement, &a).map_err(|why| misplaced(&a, why))?;
        let object = match (kind, element.first()) {
            (ListKind::Columns, Some(Token::Word(w))) => {
                let kw = |k: &str| w.quote_style.is_none() && w.value.eq_ignore_ascii_case(k);
                if kw("CONSTRAINT") {
                    let name = match element.get(1) {
                        Some(Token::Word(n)) => names::fold(&n.value, n.quote_style.is_some(), d),
                        Some(Token::DoubleQuotedString(n)) => names::fold(n, true, d),
                        _ => return Err(misplaced(&a, "follows a constraint without a name")),
                    };
                    Renamed::Constraint {
                        table: owner.clone(),
                        name,
                    }
                } else if ["PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE"]
                    .iter()
                    .any(|k| kw(k))
                {
                    return Err(misplaced(
                        &a,
                        "follows an unnamed constraint (name it with CONSTRAINT name to rename it)",
                    ));
                } else {
                    Renamed::Column {
                        table: owner.clone(),
                        column: names::fold(&w.value, w.quote_style.is_some(), d),
                    }
                }
            }
            (ListKind::Columns, Some(Token::DoubleQuotedString(s))) => Renamed::Column {
                table: owner.clone(),
                column: names::fold(s, true, d),
            },
            (ListKind::EnumValues, Some(Token::SingleQuotedString(v))) if element.len() == 1 => {
                Renamed::EnumValue {
                    enum_name: owner.clone(),
                    value: v.clone(),
                }
            }
            _ => return Err(misplaced(&a, "does not follow a column or an enum value")),
        };
        let exists = match &object {
            Renamed::Column { table, column } => schema
                .table(table)
                .is_some_and(|t| t.column(column, d).is_some()),
            Renamed::Constraint { table, name } => constraint_names(schema)
                .iter()
                .any(|(t, n)| t.same_as(table, d) && d.same_name(n, name)),
            Renamed::EnumValue { enum_name, value } => schema
                .enum_type(enum_name)
                .is_some_and(|e| e.values.contains(value)),
            _ => false,
        };
        if !exists {
            return Err(misplaced(&a, "follows something the model does not hold"));
        }
        push(schema, object, a)?;
    }
    Ok(())
}

/// The tokens of the list element an annotation comment follows on its
/// line: the one before the `,` that ends it, or the last one before `)`.
fn element_before<'t>(
    raw: &'t [sqlparser::tokenizer::TokenWithSpan],
    open: usize,
    statement: &Statement<'_>,
    a: &Annotation,
) -> Result<Vec<&'t Token>, &'static str> {
    let absolute = |line: u64, column: u64| {
        let line = line as usize;
        let column = column as usize;
        let abs_col = if line == 1 {
            statement.column + column - 1
        } else {
            column
        };
        (statement.line + line - 1, abs_col)
    };
    let (mut seen, mut depth) = (0usize, 0usize);
    let (mut in_list, mut done) = (false, false);
    let mut element: Vec<&Token> = Vec::new();
    let mut previous: Vec<&Token> = Vec::new();
    let mut last: Option<(&Token, usize)> = None;
    for t in raw {
        let (line, column) = absolute(t.span.start.line, t.span.start.column);
        match &t.token {
            Token::Whitespace(Whitespace::SingleLineComment { .. }) => {
                if (line, column) != (a.at.line, a.at.column) {
                    continue;
                }
                if !in_list {
                    return Err("is not in a column or value list");
                }
                let Some((tok, tok_line)) = last else {
                    return Err("does not follow an element on its line");
                };
                if tok_line != line {
                    return Err("does not follow an element on its line");
                }
                return match tok {
                    Token::Comma if element.is_empty() => Ok(previous),
                    _ if element.is_empty() => Err("does not follow an element on its line"),
                    _ => Ok(element),
                };
            }
            Token::Whitespace(_) | Token::EOF => continue,
            tok => {
                if !in_list && !done && seen == open && *tok == Token::LParen {
                    in_list = true;
                    depth = 1;
                } else if in_list {
                    match tok {
                        Token::LParen => {
                            depth += 1;
                            element.push(tok);
                        }
                        Token::RParen => {
                            depth -= 1;
                            if depth == 0 {
                                in_list = false;
                                done = true;
                            } else {
                                element.push(tok);
                            }
                        }
                        Token::Comma if depth == 1 => previous = std::mem::take(&mut element),
                        _ => element.push(tok),
                    }
                }
                seen += 1;
                last = Some((tok, line));
            }
        }
    }
    Err("is not in a column or value list")
}

#[derive(Clone, Copy)]
enum ListKind {
    Columns,
    EnumValues,
}

/// `CREATE [TEMP|UNLOGGED] TABLE [IF NOT EXISTS] t (` or `CREATE TYPE t AS
/// ENUM (`: what the list holds, whose it is, and how many tokens come
/// before its `(`.
fn header(tokens: &scan::Tokens, d: Dialect) -> Option<(ListKind, QualifiedName, usize)> {
    let mut c = Cursor::new(tokens, d);
    if !c.eat(&["CREATE"]) {
        return None;
    }
    let kind = if c.eat(&["TYPE"]) {
        let name = c.qualified().ok()?;
        c.eat(&["AS", "ENUM"]).then_some(())?;
        (ListKind::EnumValues, name)
    } else {
        for kw in ["GLOBAL", "LOCAL", "TEMPORARY", "TEMP", "UNLOGGED"] {
            c.eat(&[kw]);
        }
        if !c.eat(&["TABLE"]) {
            return None;
        }
        c.eat(&["IF", "NOT", "EXISTS"]);
        (ListKind::Columns, c.qualified().ok()?)
    };
    c.peek()
        .is_some_and(|t| t.is_sym("("))
        .then_some((kind.0, kind.1, c.pos))
}

/// 1-based line and column (in characters) of byte `offset` of `sql`.
fn line_col(sql: &str, offset: usize) -> (usize, usize) {
    let before = sql.get(..offset).unwrap_or(sql);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    // A byte-order mark is not text: columns count from after it.
    let bom = usize::from(line == 1 && before.starts_with('\u{feff}'));
    (line, before[line_start..].chars().count() + 1 - bom)
}

/// Byte offset of 1-based `line`:`column` (characters) in `text`.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = text.get(start..).unwrap_or_default();
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// Applies a rename to the model as the server applies it.
pub(crate) fn apply(schema: &mut Schema, rename: &Rename) -> Fallible<()> {
    match rename {
        Rename::Column { table, from, to } => {
            super::alter_table::rename_column(schema, table, from, to)
        }
        Rename::Constraint { table, from, to } => {
            let d = schema.dialect;
            let t = schema
                .table_mut(table)
                .ok_or_else(|| format!("table `{table}` does not exist"))?;
            if super::alter_table::rename_constraint(t, from, to, d) {
                Ok(())
            } else {
                Err(format!("constraint `{from}` of `{table}` does not exist"))
            }
        }
        Rename::Index { from, to } => rename_index(schema, from, to),
        Rename::View { from, to, .. } => rename_view(schema, from, to),
        Rename::Sequence { from, to } => rename_sequence(schema, from, to),
        Rename::Enum { from, to } => rename_type(schema, from, to),
        Rename::EnumValue {
            enum_name,
            from,
            to,
        } => rename_enum_value(schema, enum_name, from, to),
    }
}

/// `ALTER INDEX … RENAME TO`; `Ok(false)` when no index has the name.
pub(crate) fn rename_index_found(schema: &mut Schema, name: &QualifiedName, new: &str) -> bool {
    let d = schema.dialect;
    if let Some(i) = schema.indexes.iter_mut().find(|i| i.name.same_as(name, d)) {
        i.name.name = new.to_string();
        let table = i.table.clone();
        if let Some(t) = schema.tables.iter_mut().find(|t| t.name.same_as(&table, d)) {
            t.index_renamed(&name.name, new, d);
        }
        return true;
    }
    // A partition's copy of a partitioned index.
    if let Some(c) = schema
        .indexes
        .iter_mut()
        .flat_map(|i| i.partition_copies.iter_mut())
        .find(|c| c.table.schema == name.schema && d.same_name(&c.name, &name.name))
    {
        c.name = new.to_string();
        return true;
    }
    // The index behind a primary key or unique constraint: renaming it
    // renames the constraint (a partition's copy of its parent's too).
    schema.tables.iter_mut().any(|t| {
        t.name.schema == name.schema && super::alter_table::rename_constraint(t, &name.name, new, d)
    }) || super::alter_table::rename_constraint_copy(
        schema,
        None,
        name.schema.as_deref(),
        &name.name,
        new,
    )
}

fn rename_index(schema: &mut Schema, name: &QualifiedName, new: &str) -> Fallible<()> {
    if rename_index_found(schema, name, new) {
        Ok(())
    } else {
        Err(format!("index `{name}` does not exist"))
    }
}

pub(crate) fn rename_view(schema: &mut Schema, name: &QualifiedName, new: &str) -> Fallible<()> {
    let d = schema.dialect;
    let view = schema
        .views
        .iter_mut()
        .find(|v| v.name.same_as(name, d))
        .ok_or_else(|| format!("view `{name}` does not exist"))?;
    view.name.name = new.to_string();
    Ok(())
}

pub(crate) fn rename_sequence(
    schema: &mut Schema,
    name: &QualifiedName,
    new: &str,
) -> Fallible<()> {
    let d = schema.dialect;
    let seq = schema
        .sequences
        .iter_mut()
        .find(|s| s.name.same_as(name, d))
        .ok_or_else(|| format!("sequence `{name}` does not exist"))?;
    let old = seq.name.clone();
    seq.name.name = new.to_string();
    let new = seq.name.clone();
    // `nextval('s'::regclass)` holds the sequence's oid: the server
    // prints the new name.
    let call = |n: &QualifiedName| {
        let text = crate::dialect::quote::qualified(n, d);
        Expr::new(
            format!(
                "nextval({}::regclass)",
                crate::dialect::quote::string(&text)
            ),
            d,
        )
    };
    let (old_call, new_call) = (call(&old), call(&new));
    for t in &mut schema.tables {
        for col in &mut t.columns {
            if col.default.as_ref() == Some(&old_call) {
                col.default = Some(new_call.clone());
            }
        }
    }
    Ok(())
}

/// `ALTER TYPE … RENAME TO` of an enum or a composite type.
pub(crate) fn rename_type(schema: &mut Schema, name: &QualifiedName, new: &str) -> Fallible<()> {
    let d = schema.dialect;
    let old_full = name.to_string();
    if let Some(e) = schema.enums.iter_mut().find(|e| e.name.same_as(name, d)) {
        e.name.name = new.to_string();
    } else if let Some(o) = schema
        .opaque
        .iter_mut()
        .find(|o| o.kind == crate::schema::OpaqueKind::Type && o.name.same_as(name, d))
    {
        o.name.name = new.to_string();
    } else {
        return Err(format!("type `{name}` does not exist"));
    }
    super::objects::rename_references(schema, RefKind::Type, name, new);
    let new_full = QualifiedName::with_schema(name.schema.clone(), new).to_string();
    for t in &mut schema.tables {
        for col in &mut t.columns {
            if col.ty.user_defined && d.same_name(&col.ty.name, &old_full) {
                col.ty.name = new_full.clone();
            }
        }
    }
    Ok(())
}

pub(crate) fn rename_enum_value(
    schema: &mut Schema,
    name: &QualifiedName,
    old: &str,
    new: &str,
) -> Fallible<()> {
    let d = schema.dialect;
    let e = schema
        .enums
        .iter_mut()
        .find(|e| e.name.same_as(name, d))
        .ok_or_else(|| format!("enum type `{name}` does not exist"))?;
    if e.values.iter().any(|v| v == new) {
        return Err(format!("enum label `{new}` already exists"));
    }
    let i = e
        .values
        .iter()
        .position(|v| v == old)
        .ok_or_else(|| format!("enum label `{old}` does not exist"))?;
    e.values[i] = new.to_string();
    // A default stores the label's oid: the server prints the new label.
    let type_name = e.name.to_string();
    let literal = |v: &str| Expr::new(crate::dialect::quote::string(v), d);
    let (old_default, new_default) = (literal(old), literal(new));
    for t in &mut schema.tables {
        for col in &mut t.columns {
            if col.ty.user_defined
                && d.same_name(&col.ty.name, &type_name)
                && col.default.as_ref() == Some(&old_default)
            {
                col.default = Some(new_default.clone());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::ddl::{SourceFile, parse_schema};
    use crate::dialect::Dialect;
    use crate::schema::{QualifiedName, Renamed, Schema};

    fn read(d: Dialect, sql: &str) -> Result<Schema, String> {
        parse_schema(
            d,
            &[SourceFile {
                path: "schema.sql",
                sql,
            }],
        )
        .map(|(s, _)| s)
        .map_err(|e| e.to_string())
    }

    /// (object, old name, line:col) of each annotation.
    fn renames(d: Dialect, sql: &str) -> Vec<(Renamed, String, String)> {
        let schema = read(d, sql).unwrap_or_else(|e| panic!("{e}"));
        schema
            .renames
            .0
            .iter()
            .map(|r| {
                let at = r.at.as_ref().unwrap();
                (
                    r.object.clone(),
                    r.from.clone(),
                    format!("{}:{}", at.line, at.column),
                )
            })
            .collect()
    }

    fn q(name: &str) -> QualifiedName {
        QualifiedName::new(name)
    }

    fn column(table: &str, column: &str) -> Renamed {
        Renamed::Column {
            table: q(table),
            column: column.into(),
        }
    }

    #[test]
    fn columns_at_the_end_of_their_line() {
        let sql = "CREATE TABLE t (\n    id int PRIMARY KEY,\n    full_name text NOT NULL, -- migrate:renamed-from name\n    \"Note\" text -- migrate:renamed-from \"Old Note\"\n);";
        assert_eq!(
            renames(Dialect::Postgres, sql),
            [
                (column("t", "full_name"), "name".into(), "3:30".into()),
                (column("t", "Note"), "Old Note".into(), "4:17".into()),
            ]
        );
        // A definition over several lines: the annotation ends it.
        let sql = "CREATE TABLE t (\n  a int\n    NOT NULL DEFAULT 1, -- migrate:renamed-from b\n  c int\n);";
        assert_eq!(
            renames(Dialect::Sqlite, sql),
            [(column("t", "a"), "b".into(), "3:25".into())]
        );
        // Unquoted names fold as the dialect folds them.
        let sql = "CREATE TABLE t (A int -- migrate:renamed-from B\n);";
        assert_eq!(
            renames(Dialect::Postgres, sql),
            [(column("t", "a"), "b".into(), "1:23".into())]
        );
    }

    #[test]
    fn objects_under_their_annotation() {
        let sql = "\
-- migrate:renamed-from old_state
CREATE TYPE state AS ENUM ('a', 'b');
-- migrate:renamed-from old_seq
CREATE SEQUENCE s;
-- migrate:renamed-from old_t
-- (a comment between is fine)
CREATE TABLE t (id int PRIMARY KEY, x int);
-- migrate:renamed-from old_i
CREATE INDEX i ON t (x);
-- migrate:renamed-from old_v
CREATE VIEW v AS SELECT x FROM t;
-- migrate:renamed-from old_c
ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0);
";
        let got: Vec<(Renamed, String)> = renames(Dialect::Postgres, sql)
            .into_iter()
            .map(|(o, f, _)| (o, f))
            .collect();
        assert_eq!(
            got,
            [
                (Renamed::Enum(q("state")), "old_state".into()),
                (Renamed::Sequence(q("s")), "old_seq".into()),
                (Renamed::Table(q("t")), "old_t".into()),
                (Renamed::Index(q("i")), "old_i".into()),
                (Renamed::View(q("v")), "old_v".into()),
                (
                    Renamed::Constraint {
                        table: q("t"),
                        name: "c".into()
                    },
                    "old_c".into()
                ),
            ]
        );
    }

    #[test]
    fn enum_values_and_named_constraints_on_their_line() {
        let sql = "CREATE TYPE e AS ENUM (\n  'a',\n  'closed', -- migrate:renamed-from 'done'\n  'z'\n);\nCREATE TABLE t (\n  x int,\n  CONSTRAINT positive CHECK (x > 0) -- migrate:renamed-from x_check\n);";
        let got: Vec<(Renamed, String)> = renames(Dialect::Postgres, sql)
            .into_iter()
            .map(|(o, f, _)| (o, f))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Renamed::EnumValue {
                        enum_name: q("e"),
                        value: "closed".into()
                    },
                    "done".into()
                ),
                (
                    Renamed::Constraint {
                        table: q("t"),
                        name: "positive".into()
                    },
                    "x_check".into()
                ),
            ]
        );
    }

    #[track_caller]
    fn refused(d: Dialect, sql: &str, at: &str, message: &str) {
        let e = read(d, sql).expect_err("an error");
        assert!(
            e.starts_with(&format!("schema.sql:{at}: ")) && e.contains(message),
            "expected {at}: …{message}…, got {e}"
        );
    }

    #[test]
    fn misplaced_annotations_are_errors_at_their_location() {
        let pg = Dialect::Postgres;
        refused(
            pg,
            "-- migrate:renamed-from a\n\nCREATE TABLE t (x int);",
            "1:1",
            "stands on no object",
        );
        refused(
            pg,
            "CREATE TABLE t (x int);\n-- migrate:renamed-from a\n",
            "2:1",
            "stands on no object",
        );
        refused(
            pg,
            "CREATE TABLE t (x int);\n-- migrate:renamed-from a\nINSERT INTO t VALUES (1);",
            "2:1",
            "creates no table",
        );
        refused(
            pg,
            "CREATE TABLE t (x int);\nCREATE INDEX i ON t (x); -- migrate:renamed-from j\n",
            "2:26",
            "stands on no object",
        );
        refused(
            pg,
            "CREATE TABLE t (x int);\nCREATE INDEX i ON t (\n x -- migrate:renamed-from j\n);",
            "3:4",
            "is not in a column list",
        );
        refused(
            pg,
            "CREATE TABLE t (\n  x int,\n  CHECK (x > 0) -- migrate:renamed-from c\n);",
            "3:17",
            "unnamed constraint",
        );
        refused(
            pg,
            "CREATE TABLE t (\n  x int -- migrate:renamed-from 'y'\n);",
            "2:9",
            "not a string",
        );
        refused(
            pg,
            "CREATE TYPE e AS ENUM (\n  'a' -- migrate:renamed-from b\n);",
            "2:7",
            "is a string",
        );
        refused(
            pg,
            "CREATE TABLE t (\n  x int -- migrate:renamed-from s.y\n);",
            "2:9",
            "keeps the object in its schema",
        );
        refused(
            pg,
            "CREATE TABLE t (\n  x int -- migrate:renamed-from\n);",
            "2:9",
            "names nothing",
        );
        refused(
            pg,
            "CREATE TABLE t (\n  x int -- migrate:renamed-fromy\n);",
            "2:9",
            "is not followed by a space and a name",
        );
        refused(
            pg,
            "CREATE TABLE t (\n  x int -- migrate:renamed-from X\n);",
            "2:9",
            "renamed from itself",
        );
        refused(
            pg,
            "-- migrate:renamed-from a\n-- migrate:renamed-from b\nCREATE TABLE t (x int);",
            "2:1",
            "a second",
        );
        refused(
            pg,
            "CREATE TABLE t (\n  x int\n  -- migrate:renamed-from y\n);",
            "3:3",
            "does not follow an element on its line",
        );
    }

    #[test]
    fn migrations_keep_them_as_comments() {
        let sql = "-- migrate:renamed-from old\n\nCREATE TABLE t (\n  x int -- migrate:renamed-from y\n);";
        let file = SourceFile {
            path: "up.sql",
            sql,
        };
        let (schema, _) = crate::ddl::replay_migrations(Dialect::Sqlite, &[file]).unwrap();
        assert!(schema.renames.0.is_empty());
        assert!(read(Dialect::Sqlite, sql).is_err());
    }

    #[test]
    fn other_comments_and_strings_are_not_annotations() {
        let sql = "-- migrate:no-transaction\nCREATE TABLE t (x text DEFAULT '-- migrate:renamed-from y');\n/* -- migrate:renamed-from z */\nCREATE TABLE u (y int);";
        assert_eq!(renames(Dialect::Sqlite, sql), []);
    }
}
