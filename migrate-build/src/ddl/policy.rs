//! `CREATE/ALTER/DROP POLICY`: row-level security policies, parsed by
//! sqlparser with every field named, so a clause it learns later is refused
//! here rather than dropped.

use sqlparser::ast;

use super::scan::Tokens;
use super::{Fallible, Outcome, names, scan};
use crate::dialect::Dialect;
use crate::schema::{Expr, Policy, PolicyCommand, QualifiedName, Schema};

/// Whether the statement is `CREATE|ALTER|DROP POLICY …`.
pub(super) fn is_policy(tokens: &Tokens) -> bool {
    let t = &tokens.toks;
    t.len() > 1
        && (t[0].is_kw("CREATE") || t[0].is_kw("ALTER") || t[0].is_kw("DROP"))
        && t[1].is_kw("POLICY")
}

pub(super) fn apply(schema: &mut Schema, text: &str) -> Fallible<Outcome> {
    let d = schema.dialect;
    if d != Dialect::Postgres {
        return Err("row-level security policies are PostgreSQL's".into());
    }
    match scan::parse_statement(text, d)? {
        ast::Statement::CreatePolicy(ast::CreatePolicy {
            name,
            table_name,
            policy_type,
            command,
            to,
            using,
            with_check,
        }) => {
            let name = names::ident(&name, d);
            let table = table_of(schema, &table_name)?;
            if find(schema, &table, &name).is_some() {
                return Err(format!("policy `{name}` of `{table}` already exists"));
            }
            let using = using.map(|e| clause(schema, &table, &e));
            let with_check = with_check.map(|e| clause(schema, &table, &e));
            let policy = Policy {
                comment: None,
                name,
                table,
                permissive: !matches!(policy_type, Some(ast::CreatePolicyType::Restrictive)),
                command: match command {
                    None | Some(ast::CreatePolicyCommand::All) => PolicyCommand::All,
                    Some(ast::CreatePolicyCommand::Select) => PolicyCommand::Select,
                    Some(ast::CreatePolicyCommand::Insert) => PolicyCommand::Insert,
                    Some(ast::CreatePolicyCommand::Update) => PolicyCommand::Update,
                    Some(ast::CreatePolicyCommand::Delete) => PolicyCommand::Delete,
                },
                roles: roles(to.as_deref().unwrap_or_default(), d)?,
                using,
                with_check,
            };
            check_clauses(&policy)?;
            schema.policies.push(policy);
        }
        ast::Statement::AlterPolicy(ast::AlterPolicy {
            name,
            table_name,
            operation,
        }) => {
            let name = names::ident(&name, d);
            let table = table_of(schema, &table_name)?;
            let i = find(schema, &table, &name)
                .ok_or_else(|| format!("policy `{name}` of `{table}` does not exist"))?;
            match operation {
                ast::AlterPolicyOperation::Rename { new_name } => {
                    let new_name = names::ident(&new_name, d);
                    if find(schema, &table, &new_name).is_some() {
                        return Err(format!("policy `{new_name}` of `{table}` already exists"));
                    }
                    schema.policies[i].name = new_name;
                }
                ast::AlterPolicyOperation::Apply {
                    to,
                    using,
                    with_check,
                } => {
                    let using = using.map(|e| clause(schema, &table, &e));
                    let with_check = with_check.map(|e| clause(schema, &table, &e));
                    let p = &mut schema.policies[i];
                    if let Some(to) = to {
                        p.roles = roles(&to, d)?;
                    }
                    if using.is_some() {
                        p.using = using;
                    }
                    if with_check.is_some() {
                        p.with_check = with_check;
                    }
                    check_clauses(p)?;
                }
            }
        }
        ast::Statement::DropPolicy(ast::DropPolicy {
            if_exists,
            name,
            table_name,
            drop_behavior: _,
        }) => {
            let name = names::ident(&name, d);
            let table = names::object_name(&table_name, d)?;
            match find(schema, &table, &name) {
                Some(i) => {
                    schema.policies.remove(i);
                }
                None if if_exists => {}
                None => return Err(format!("policy `{name}` of `{table}` does not exist")),
            }
        }
        other => return Err(format!("expected a POLICY statement, not `{other}`")),
    }
    Ok(Outcome::Applied)
}

/// A `USING` or `WITH CHECK` clause, kept as written and keyed as the
/// server prints it back: the columns inside its subqueries qualified by
/// their relations (see [`super::resolve`]).
fn clause(schema: &Schema, table: &QualifiedName, e: &ast::Expr) -> Expr {
    let d = schema.dialect;
    let resolved = super::resolve::in_subqueries(schema, table, e);
    if resolved == *e {
        return Expr::new(e.to_string(), d);
    }
    Expr::keyed_as(e.to_string(), &resolved.to_string(), d)
}

/// The policies on `table` keyed again from their text after a rename (of
/// the table or one of its columns) changed what their names resolve to.
pub(super) fn rekey(schema: &mut Schema, table: &QualifiedName) {
    let d = schema.dialect;
    let mut keyed = Vec::new();
    for (i, p) in schema.policies.iter().enumerate() {
        if !p.table.same_as(table, d) {
            continue;
        }
        let again = |e: &Option<Expr>| {
            e.as_ref().map(|e| match scan::parse_expr(&e.sql, d) {
                Some(parsed) => clause(schema, table, &parsed),
                None => e.clone(),
            })
        };
        keyed.push((i, again(&p.using), again(&p.with_check)));
    }
    for (i, using, with_check) in keyed {
        schema.policies[i].using = using;
        schema.policies[i].with_check = with_check;
    }
}

/// The server refuses a `WITH CHECK` where no row is written, and a
/// `USING` where no row is read.
fn check_clauses(p: &Policy) -> Fallible<()> {
    match p.command {
        PolicyCommand::Select | PolicyCommand::Delete if p.with_check.is_some() => Err(format!(
            "a {} policy cannot have WITH CHECK",
            p.command.as_sql()
        )),
        PolicyCommand::Insert if p.using.is_some() => {
            Err("an INSERT policy cannot have USING".into())
        }
        _ => Ok(()),
    }
}

fn table_of(schema: &Schema, name: &ast::ObjectName) -> Fallible<QualifiedName> {
    let name = names::object_name(name, schema.dialect)?;
    schema
        .table(&name)
        .map(|t| t.name.clone())
        .ok_or_else(|| format!("table `{name}` does not exist"))
}

fn find(schema: &Schema, table: &QualifiedName, name: &str) -> Option<usize> {
    let d = schema.dialect;
    schema
        .policies
        .iter()
        .position(|p| p.table.same_as(table, d) && d.same_name(&p.name, name))
}

/// Role names, sorted; `PUBLIC` alone is the empty list. The `CURRENT_USER`
/// forms depend on who runs the migration: refused.
fn roles(owners: &[ast::Owner], d: Dialect) -> Fallible<Vec<String>> {
    let mut out = Vec::new();
    for owner in owners {
        match owner {
            ast::Owner::Ident(id)
                if id.quote_style.is_none() && id.value.eq_ignore_ascii_case("public") => {}
            ast::Owner::Ident(id) => out.push(names::ident(id, d)),
            other => {
                return Err(format!(
                    "policy role `{other}` depends on who runs the migration: name the role"
                ));
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}
