//! Plan → SQL. One renderer per dialect (`postgres/render.rs`,
//! `sqlite/render.rs`); this module holds the entry points, the error type and
//! the clause builders both dialects share.
//!
//! Renderers return statements without a trailing semicolon; only
//! [`render_script`] adds them, so a statement is never terminated twice and a
//! caller may run statements one by one.

use super::quote::{ident, qualified};
use super::{Dialect, postgres, sqlite};
use crate::plan::{Destructive, Plan, PlannedStep};
use crate::schema::{
    CheckConstraint, Deferrable, ForeignKey, ForeignKeyAction, IndexColumn, IndexExpr, OpaqueKind,
    QualifiedName,
};

/// The SQL of one plan step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedStep {
    /// Statements in execution order, without trailing semicolons. Empty when
    /// the dialect keeps nothing of the change (comments on SQLite).
    pub statements: Vec<String>,
    /// The data the step can lose: the plan's mark, or one the renderer found
    /// (a SQLite rebuild that makes a column NOT NULL).
    pub destructive: Option<Destructive>,
}

/// A step the dialect cannot express. The differ consults the dialect's
/// rules, so these mean a plan built for another dialect or a differ bug; they
/// are errors rather than panics because plans can be built by anyone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("{dialect} has no enum types: cannot render a change to enum `{name}`")]
    NoEnumTypes {
        dialect: Dialect,
        name: QualifiedName,
    },
    #[error(
        "{dialect} cannot {change} on the existing table `{table}` with ALTER TABLE: the table must be rebuilt"
    )]
    NeedsRebuild {
        dialect: Dialect,
        table: QualifiedName,
        change: &'static str,
    },
    #[error("{dialect} alters table `{table}` in place: a table rebuild is not rendered for it")]
    RebuildUnsupported {
        dialect: Dialect,
        table: QualifiedName,
    },
    #[error("{dialect} has no {object}: cannot render `{name}`")]
    UnsupportedObject {
        dialect: Dialect,
        object: &'static str,
        name: String,
    },
    #[error("{dialect} does not support {feature} (in `{object}`)")]
    UnsupportedFeature {
        dialect: Dialect,
        feature: &'static str,
        object: String,
    },
    #[error(
        "cannot drop the unnamed {kind} constraint on `{table}`: its name on the server is unknown"
    )]
    UnnamedConstraint {
        table: QualifiedName,
        kind: &'static str,
    },
    #[error(
        "PostgreSQL cannot {change} the generation expression of column `{table}.{column}` in place: drop and add the column"
    )]
    CannotAlterGenerated {
        table: QualifiedName,
        column: String,
        change: &'static str,
    },
    #[error("cannot tell how to drop {kind:?} `{name}`: {reason}")]
    CannotDropOpaque {
        kind: OpaqueKind,
        name: QualifiedName,
        reason: &'static str,
    },
}

/// Renders every step of `plan` for `dialect`, in plan order.
pub fn render(plan: &Plan, dialect: Dialect) -> Result<Vec<RenderedStep>, RenderError> {
    plan.steps
        .iter()
        .map(|planned| render_step(planned, plan, dialect))
        .collect()
}

fn render_step(
    planned: &PlannedStep,
    plan: &Plan,
    dialect: Dialect,
) -> Result<RenderedStep, RenderError> {
    match dialect {
        Dialect::Sqlite => sqlite::render::render_step(planned),
        Dialect::Postgres => postgres::render::render_step(planned, &plan.implicit_sequences),
    }
}

/// The plan as one SQL script: every statement ends with `;\n`, and a
/// destructive step is preceded by a `-- WARNING: …` line. An empty plan is
/// an empty string.
pub fn render_script(plan: &Plan, dialect: Dialect) -> Result<String, RenderError> {
    let mut out = String::new();
    let prelude = match dialect {
        Dialect::Postgres => postgres::render::prelude(plan),
        Dialect::Sqlite => None,
    };
    if let Some(statement) = prelude {
        out.push_str(statement);
        out.push_str(";\n");
    }
    for step in render(plan, dialect)? {
        if step.statements.is_empty() {
            continue;
        }
        if let Some(destructive) = &step.destructive {
            // A warning is one line: the message is ours, but it names user
            // objects, which may hold a newline.
            let warning = destructive.to_string().replace(['\r', '\n'], " ");
            out.push_str("-- WARNING: ");
            out.push_str(&warning);
            out.push('\n');
        }
        for statement in &step.statements {
            out.push_str(statement);
            out.push_str(";\n");
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Clause builders shared by both dialects.

/// `(a, b, "C")`.
pub(crate) fn column_list(columns: &[String], dialect: Dialect) -> String {
    let quoted: Vec<String> = columns.iter().map(|c| ident(c, dialect)).collect();
    format!("({})", quoted.join(", "))
}

/// `CONSTRAINT name ` when the constraint has a name, else nothing.
pub(crate) fn constraint_prefix(name: Option<&str>, dialect: Dialect) -> String {
    match name {
        Some(name) => format!("CONSTRAINT {} ", ident(name, dialect)),
        None => String::new(),
    }
}

/// ` DEFERRABLE …` with its leading space, or nothing for the default.
pub(crate) fn deferrable_suffix(deferrable: Deferrable) -> &'static str {
    match deferrable {
        Deferrable::NotDeferrable => "",
        Deferrable::InitiallyImmediate => " DEFERRABLE",
        Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
    }
}

/// `[CONSTRAINT n] FOREIGN KEY (a) REFERENCES t (b) [ON DELETE …] [ON UPDATE …]
/// [DEFERRABLE …]`; default actions (NO ACTION) are left out.
pub(crate) fn foreign_key_clause(fk: &ForeignKey, dialect: Dialect) -> String {
    let mut sql = format!(
        "{}FOREIGN KEY {} REFERENCES {} {}",
        constraint_prefix(fk.name.as_deref(), dialect),
        column_list(&fk.columns, dialect),
        qualified(&fk.referenced_table, dialect),
        column_list(&fk.referenced_columns, dialect),
    );
    for (word, action) in [("DELETE", fk.on_delete), ("UPDATE", fk.on_update)] {
        match action {
            ForeignKeyAction::NoAction => {}
            ForeignKeyAction::Restrict
            | ForeignKeyAction::Cascade
            | ForeignKeyAction::SetNull
            | ForeignKeyAction::SetDefault => {
                sql.push_str(&format!(" ON {word} {}", action.as_sql()));
            }
        }
    }
    sql.push_str(deferrable_suffix(fk.deferrable));
    if fk.not_valid {
        sql.push_str(" NOT VALID");
    }
    sql
}

/// `[CONSTRAINT n] CHECK (expr) [NO INHERIT] [NOT VALID]` (the last two are
/// PostgreSQL's; the differ adds a NOT VALID check after its table).
pub(crate) fn check_clause(check: &CheckConstraint, dialect: Dialect) -> String {
    format!(
        "{}CHECK {}{}{}",
        constraint_prefix(check.name.as_deref(), dialect),
        parenthesized(&check.expr.sql),
        if check.no_inherit { " NO INHERIT" } else { "" },
        if check.not_valid { " NOT VALID" } else { "" },
    )
}

/// `sql` wrapped in parentheses, unless one pair already encloses all of it
/// (`(a > 0)` stays as it is; `(a) OR (b)` is wrapped).
pub(crate) fn parenthesized(sql: &str) -> String {
    let sql = sql.trim();
    if encloses_all(sql) {
        sql.to_string()
    } else {
        format!("({sql})")
    }
}

fn encloses_all(sql: &str) -> bool {
    closing_paren(sql) == Some(sql.len().wrapping_sub(1))
}

/// The byte offset of the `)` that closes the `(` `text` starts with,
/// skipping quoted text.
pub(crate) fn closing_paren(text: &str) -> Option<usize> {
    if !text.starts_with('(') {
        return None;
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            },
        }
    }
    None
}

/// A stored `CREATE …` text as one statement: trimmed, without its final
/// semicolon(s), which the script writer adds back.
pub(crate) fn statement_text(sql: &str) -> String {
    sql.trim()
        .trim_end_matches([';', ' ', '\t', '\r', '\n'])
        .to_string()
}

/// One index element: `col` or `(expr)`, then `COLLATE`, operator class,
/// `DESC`, `NULLS FIRST|LAST`, in PostgreSQL's order (SQLite's is a prefix of
/// it; its renderer refuses the parts SQLite lacks before calling this).
pub(crate) fn index_column(column: &IndexColumn, dialect: Dialect) -> String {
    let mut sql = match &column.expr {
        IndexExpr::Column(name) => ident(name, dialect),
        IndexExpr::Expression(expr) => parenthesized(&expr.sql),
    };
    if let Some(collation) = &column.collation {
        sql.push_str(" COLLATE ");
        sql.push_str(&ident(collation, dialect));
    }
    if let Some(opclass) = &column.opclass {
        // Kept as written: operator classes may be schema-qualified.
        sql.push(' ');
        sql.push_str(opclass);
    }
    if column.descending {
        sql.push_str(" DESC");
    }
    match column.nulls_first {
        Some(true) => sql.push_str(" NULLS FIRST"),
        Some(false) => sql.push_str(" NULLS LAST"),
        None => {}
    }
    sql
}

/// `ALTER TABLE t` for a table name.
pub(crate) fn alter_table(table: &QualifiedName, dialect: Dialect) -> String {
    format!("ALTER TABLE {}", qualified(table, dialect))
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Builders for hand-made plans in the renderers' tests.
    use crate::dialect::Dialect;
    use crate::plan::{Destructive, Plan, PlannedStep, Step};
    use crate::schema::{Column, ColumnType, Expr, QualifiedName, Table};

    pub fn name(n: &str) -> QualifiedName {
        QualifiedName::new(n)
    }

    pub fn col(n: &str, ty: &str) -> Column {
        Column::new(n, ColumnType::simple(ty))
    }

    pub fn not_null(mut c: Column) -> Column {
        c.nullable = false;
        c
    }

    pub fn with_default(mut c: Column, sql: &str, dialect: Dialect) -> Column {
        c.default = Some(Expr::new(sql, dialect));
        c
    }

    pub fn table(n: &str, columns: Vec<Column>) -> Table {
        let mut t = Table::new(name(n));
        t.columns = columns;
        t
    }

    /// A plan of `steps` in which every created column shaped like a serial
    /// is one (as the differ decides when the plan creates its sequence).
    pub fn plan(steps: Vec<Step>) -> Plan {
        let implicit_sequences = serial_sequences(&steps);
        Plan {
            steps: steps
                .into_iter()
                .map(|step| PlannedStep {
                    step,
                    destructive: None,
                })
                .collect(),
            implicit_sequences,
        }
    }

    fn serial_sequences(steps: &[Step]) -> Vec<QualifiedName> {
        let rules = Dialect::Postgres.rules();
        let mut out = Vec::new();
        for step in steps {
            match step {
                Step::CreateTable(t) => out.extend(
                    t.columns
                        .iter()
                        .filter_map(|c| rules.implicit_sequence(&t.name, c)),
                ),
                Step::AddColumn { table, column } => {
                    out.extend(rules.implicit_sequence(table, column))
                }
                _ => {}
            }
        }
        out
    }

    pub fn destructive_plan(step: Step, destructive: Destructive) -> Plan {
        Plan {
            implicit_sequences: serial_sequences(std::slice::from_ref(&step)),
            steps: vec![PlannedStep {
                step,
                destructive: Some(destructive),
            }],
        }
    }

    /// The statements of a one-step plan.
    pub fn sql(step: Step, dialect: Dialect) -> Vec<String> {
        match crate::dialect::render(&plan(vec![step]), dialect) {
            Ok(mut steps) => steps.remove(0).statements,
            Err(e) => panic!("render failed: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;
    use crate::plan::Step;
    use crate::schema::Expr;

    #[test]
    fn empty_plan_is_an_empty_script() {
        for dialect in Dialect::ALL {
            assert_eq!(render_script(&Plan::default(), dialect).unwrap(), "");
            assert!(render(&Plan::default(), dialect).unwrap().is_empty());
        }
    }

    #[test]
    fn script_terminates_statements_and_warns_before_destructive_steps() {
        let t = table("users", vec![col("id", "integer")]);
        let mut p = plan(vec![Step::CreateTable(t.clone())]);
        p.steps.extend(
            destructive_plan(
                Step::DropTable(t.clone()),
                Destructive::DropTable(name("users")),
            )
            .steps,
        );
        let script = render_script(&p, Dialect::Postgres).unwrap();
        assert_eq!(
            script,
            "CREATE TABLE users (\n    id integer\n);\n\
             -- WARNING: drops table `users` and all its rows\n\
             DROP TABLE users;\n"
        );
    }

    #[test]
    fn script_skips_steps_without_statements() {
        let p = plan(vec![Step::SetTableComment {
            table: name("users"),
            comment: Some("people".into()),
        }]);
        assert_eq!(render_script(&p, Dialect::Sqlite).unwrap(), "");
        assert_eq!(
            render_script(&p, Dialect::Postgres).unwrap(),
            "COMMENT ON TABLE users IS 'people';\n"
        );
    }

    #[test]
    fn parenthesized_wraps_only_when_one_pair_does_not_enclose_everything() {
        assert_eq!(parenthesized("a > 0"), "(a > 0)");
        assert_eq!(parenthesized("(a > 0)"), "(a > 0)");
        assert_eq!(parenthesized("(a) OR (b)"), "((a) OR (b))");
        assert_eq!(parenthesized("(a = ')')"), "(a = ')')");
        assert_eq!(parenthesized("lower(email)"), "(lower(email))");
    }

    #[test]
    fn foreign_key_clause_omits_default_actions() {
        let mut fk = ForeignKey {
            not_valid: false,
            name: Some("posts_author_fkey".into()),
            columns: vec!["author_id".into()],
            referenced_table: name("User"),
            referenced_columns: vec!["id".into()],
            on_delete: ForeignKeyAction::NoAction,
            on_update: ForeignKeyAction::NoAction,
            deferrable: Deferrable::NotDeferrable,
        };
        assert_eq!(
            foreign_key_clause(&fk, Dialect::Postgres),
            "CONSTRAINT posts_author_fkey FOREIGN KEY (author_id) REFERENCES \"User\" (id)"
        );
        fk.on_delete = ForeignKeyAction::Cascade;
        fk.on_update = ForeignKeyAction::SetNull;
        fk.deferrable = Deferrable::InitiallyDeferred;
        assert_eq!(
            foreign_key_clause(&fk, Dialect::Sqlite),
            "CONSTRAINT posts_author_fkey FOREIGN KEY (author_id) REFERENCES \"User\" (id) \
             ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED"
        );
    }

    #[test]
    fn check_clause_does_not_double_parenthesize() {
        let check = CheckConstraint {
            no_inherit: false,
            not_valid: false,
            name: None,
            expr: Expr::new("(price > 0)", Dialect::Sqlite),
        };
        assert_eq!(check_clause(&check, Dialect::Sqlite), "CHECK (price > 0)");
    }

    #[test]
    fn statement_text_drops_final_semicolons() {
        assert_eq!(
            statement_text("  CREATE FUNCTION f() ... $$;\n;\n"),
            "CREATE FUNCTION f() ... $$"
        );
    }
}
