//! Bare column names inside the subqueries of an expression, qualified by
//! the relation PostgreSQL resolves each to. The server keeps the parsed
//! expression and prints every column of a subquery with its relation
//! (`pg_get_expr` of a policy: `(tenant_id IN ( SELECT m.tenant_id FROM
//! memberships m …))`), a reference to the outer table by that table's
//! name; what a user wrote bare must be qualified the same way for the two
//! to compare equal. Only a name found in exactly one relation of the
//! nearest scope that has it is qualified, and only when every relation of
//! the scopes searched is a table the schema knows: otherwise it stays as
//! written (and a server's print of it shows as a change, never the other
//! way round).

use sqlparser::ast::{self, Expr};

use super::names;
use crate::dialect::Dialect;
use crate::schema::{QualifiedName, Schema};

struct Relation {
    /// What qualifies its columns: its alias, or its own name.
    name: String,
    columns: Option<Vec<String>>,
}

struct Resolver<'s> {
    schema: &'s Schema,
    /// Outermost first: the expression's own table, then each subquery's
    /// relations.
    scopes: Vec<Vec<Relation>>,
}

/// `e` with each bare column inside its subqueries qualified; columns
/// outside subqueries stay bare, as the server prints them.
pub(super) fn in_subqueries(schema: &Schema, table: &QualifiedName, e: &Expr) -> Expr {
    let d = schema.dialect;
    let own = Relation {
        name: table.name.clone(),
        columns: schema
            .table(table)
            .map(|t| t.columns.iter().map(|c| c.name.clone()).collect()),
    };
    let mut resolver = Resolver {
        schema,
        scopes: vec![vec![own]],
    };
    let mut e = e.clone();
    if d == Dialect::Postgres {
        resolver.expr(&mut e);
    }
    e
}

impl Resolver<'_> {
    fn qualifier(&self, id: &ast::Ident) -> Option<String> {
        let d = self.schema.dialect;
        let column = names::ident(id, d);
        for scope in self.scopes.iter().rev() {
            if scope.iter().any(|r| r.columns.is_none()) {
                return None;
            }
            let mut having = scope.iter().filter(|r| {
                r.columns
                    .as_ref()
                    .is_some_and(|cols| cols.iter().any(|c| d.same_name(c, &column)))
            });
            match (having.next(), having.next()) {
                (Some(r), None) => return Some(r.name.clone()),
                (Some(_), Some(_)) => return None,
                (None, _) => {}
            }
        }
        None
    }

    fn expr(&mut self, e: &mut Expr) {
        match e {
            Expr::Identifier(id) if self.scopes.len() > 1 => {
                if let Some(q) = self.qualifier(id) {
                    *e = Expr::CompoundIdentifier(vec![ast::Ident::with_quote('"', q), id.clone()]);
                }
            }
            Expr::Identifier(_) | Expr::CompoundIdentifier(_) | Expr::Value(_) => {}
            Expr::TypedString(_) => {}
            Expr::Nested(x)
            | Expr::UnaryOp { expr: x, .. }
            | Expr::Cast { expr: x, .. }
            | Expr::IsNull(x)
            | Expr::IsNotNull(x)
            | Expr::IsTrue(x)
            | Expr::IsNotTrue(x)
            | Expr::IsFalse(x)
            | Expr::IsNotFalse(x)
            | Expr::IsUnknown(x)
            | Expr::IsNotUnknown(x)
            | Expr::Collate { expr: x, .. } => self.expr(x),
            Expr::BinaryOp { left, right, .. }
            | Expr::IsDistinctFrom(left, right)
            | Expr::IsNotDistinctFrom(left, right)
            | Expr::AnyOp { left, right, .. }
            | Expr::AllOp { left, right, .. } => {
                self.expr(left);
                self.expr(right);
            }
            Expr::AtTimeZone {
                timestamp,
                time_zone,
            } => {
                self.expr(timestamp);
                self.expr(time_zone);
            }
            Expr::Like { expr, pattern, .. }
            | Expr::ILike { expr, pattern, .. }
            | Expr::SimilarTo { expr, pattern, .. } => {
                self.expr(expr);
                self.expr(pattern);
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                self.expr(expr);
                self.expr(low);
                self.expr(high);
            }
            Expr::In {
                expr,
                target: ast::InTarget::List(list),
                ..
            } => {
                self.expr(expr);
                list.iter_mut().for_each(|x| self.expr(x));
            }
            Expr::In {
                expr,
                target: ast::InTarget::Subquery(subquery),
                ..
            } => {
                self.expr(expr);
                self.query(subquery);
            }
            Expr::Tuple(items) => items.iter_mut().for_each(|x| self.expr(x)),
            Expr::Array(a) => a.elem.iter_mut().for_each(|x| self.expr(x)),
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                if let Some(x) = operand {
                    self.expr(x);
                }
                for when in conditions {
                    self.expr(&mut when.condition);
                    self.expr(&mut when.result);
                }
                if let Some(x) = else_result {
                    self.expr(x);
                }
            }
            Expr::Function(f) => {
                if let ast::FunctionArguments::List(list) = &mut f.args {
                    for arg in &mut list.args {
                        let (ast::FunctionArg::Unnamed(a)
                        | ast::FunctionArg::Named { arg: a, .. }
                        | ast::FunctionArg::ExprNamed { arg: a, .. }) = arg;
                        if let ast::FunctionArgExpr::Expr(x) = a {
                            self.expr(x);
                        }
                    }
                }
            }
            Expr::Exists { subquery, .. } | Expr::Subquery(subquery) => self.query(subquery),
            // Anything else keeps its names as written.
            _ => {}
        }
    }

    fn query(&mut self, q: &mut ast::Query) {
        if q.with.is_some() {
            // Its names may be the WITH's: nothing is resolved below.
            self.scopes.push(vec![Relation {
                name: String::new(),
                columns: None,
            }]);
            self.set(&mut q.body);
            self.scopes.pop();
            return;
        }
        self.set(&mut q.body);
    }

    fn set(&mut self, body: &mut ast::SetExpr) {
        match body {
            ast::SetExpr::Select(s) => self.select(s),
            ast::SetExpr::Query(q) => self.query(q),
            ast::SetExpr::SetOperation { left, right, .. } => {
                self.set(left);
                self.set(right);
            }
            _ => {}
        }
    }

    fn select(&mut self, s: &mut ast::Select) {
        let mut scope = Vec::new();
        for t in &s.from {
            self.relation(&t.relation, &mut scope);
            for j in &t.joins {
                self.relation(&j.relation, &mut scope);
            }
        }
        self.scopes.push(scope);
        for item in &mut s.projection {
            match item {
                ast::SelectItem::UnnamedExpr(x)
                | ast::SelectItem::ExprWithAlias { expr: x, .. } => self.expr(x),
                _ => {}
            }
        }
        for t in &mut s.from {
            for j in &mut t.joins {
                let constraint = match &mut j.join_operator {
                    ast::JoinOperator::Join(c)
                    | ast::JoinOperator::Inner(c)
                    | ast::JoinOperator::Left(c)
                    | ast::JoinOperator::LeftOuter(c)
                    | ast::JoinOperator::Right(c)
                    | ast::JoinOperator::RightOuter(c)
                    | ast::JoinOperator::FullOuter(c) => Some(c),
                    _ => None,
                };
                if let Some(ast::JoinConstraint::On(x)) = constraint {
                    self.expr(x);
                }
            }
        }
        if let Some(x) = &mut s.selection {
            self.expr(x);
        }
        if let ast::GroupByExpr::Expressions(exprs, _) = &mut s.group_by {
            exprs.iter_mut().for_each(|x| self.expr(x));
        }
        if let Some(x) = &mut s.having {
            self.expr(x);
        }
        self.scopes.pop();
    }

    fn relation(&self, f: &ast::TableFactor, scope: &mut Vec<Relation>) {
        let d = self.schema.dialect;
        match f {
            ast::TableFactor::Table { name, alias, .. } => {
                let columns = names::object_name(name, d)
                    .ok()
                    .and_then(|qn| self.schema.table(&qn).map(|t| (qn, t)))
                    .map(|(_, t)| t.columns.iter().map(|c| c.name.clone()).collect());
                let own = name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .map(|id| names::ident(id, d))
                    .unwrap_or_default();
                scope.push(Relation {
                    name: alias.as_ref().map_or(own, |a| names::ident(&a.name, d)),
                    columns,
                });
            }
            ast::TableFactor::NestedJoin {
                table_with_joins,
                alias: None,
            } => {
                self.relation(&table_with_joins.relation, scope);
                for j in &table_with_joins.joins {
                    self.relation(&j.relation, scope);
                }
            }
            _ => scope.push(Relation {
                name: String::new(),
                columns: None,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ddl::{SourceFile, parse_schema, replay_migrations};
    use crate::dialect::Dialect;
    use crate::schema::Schema;

    const TABLES: &str = "CREATE TABLE memberships (tenant_id int, user_id int);\n\
                          CREATE TABLE docs (id int, tenant_id int, owner int);\n";

    fn pg(sql: &str) -> Schema {
        let file = SourceFile {
            path: "schema.sql",
            sql,
        };
        parse_schema(Dialect::Postgres, &[file])
            .unwrap_or_else(|e| panic!("{e}"))
            .0
    }

    fn using(sql: &str, policy: &str) -> String {
        let sql = format!("{TABLES}{sql}");
        let file = SourceFile {
            path: "up.sql",
            sql: &sql,
        };
        let s = replay_migrations(Dialect::Postgres, &[file])
            .unwrap_or_else(|e| panic!("{e}"))
            .0;
        let p = s.policies.iter().find(|p| p.name == policy).unwrap();
        p.using.as_ref().unwrap().key.clone()
    }

    #[test]
    fn bare_names_in_a_subquery_resolve_innermost_first() {
        let key = |clause: &str| using(&format!("CREATE POLICY p ON docs USING ({clause});"), "p");
        // As the server prints them back.
        assert_eq!(
            key(
                "EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = tenant_id AND user_id = owner)"
            ),
            key(
                "(EXISTS ( SELECT 1 FROM memberships m WHERE ((m.tenant_id = m.tenant_id) AND (m.user_id = docs.owner))))"
            )
        );
        assert_ne!(
            key("EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = tenant_id)"),
            key("EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = docs.tenant_id)")
        );
        // Outside a subquery a name stays bare, as the server prints it.
        assert_eq!(
            key("tenant_id IN (SELECT tenant_id FROM memberships)"),
            key("(tenant_id IN ( SELECT memberships.tenant_id FROM public.memberships))")
        );
        // A relation whose columns are unknown resolves nothing.
        let unknown = pg(&format!(
            "{TABLES}CREATE VIEW v AS SELECT 1 AS tenant_id;\n\
             CREATE POLICY p ON docs USING (EXISTS (SELECT 1 FROM v WHERE tenant_id = 1));"
        ));
        let p = &unknown.policies[0];
        assert_eq!(
            p.using.as_ref().unwrap().key,
            crate::schema::Expr::new(p.using.as_ref().unwrap().sql.clone(), Dialect::Postgres).key
        );
    }

    #[test]
    fn a_renamed_column_is_resolved_again() {
        let renamed = using(
            "CREATE POLICY p ON docs USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = owner));\n\
             ALTER TABLE docs RENAME COLUMN owner TO author;",
            "p",
        );
        let written = pg("CREATE TABLE memberships (tenant_id int, user_id int);\n\
             CREATE TABLE docs (id int, tenant_id int, author int);\n\
             CREATE POLICY p ON docs USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = docs.author));");
        assert_eq!(renamed, written.policies[0].using.as_ref().unwrap().key);
    }
}
