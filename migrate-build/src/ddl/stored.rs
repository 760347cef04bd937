//! `CREATE` statements as a database keeps them (SQLite's
//! `sqlite_schema.sql`), read by the interpreter for introspection: the
//! catalogue's PRAGMAs say what the database resolved, the stored text the
//! rest (constraint names, checks, generated expressions, collations,
//! index expressions and predicates). One lexer and one parser read a
//! migration and a database, so quoting and comments mean the same in both.

use super::{DdlError, Fallible, Outcome, interpret, on_parser_stack};
use crate::dialect::Dialect;
use crate::schema::{Index, Schema, Table, View};

/// What one stored statement models.
#[derive(Debug)]
pub enum Stored {
    Table(Table),
    Index(Index),
    View(View),
}

/// Reads one stored `CREATE TABLE`, `CREATE INDEX` or `CREATE VIEW`
/// statement. An index is read on `on`, its table as introspected.
/// Each statement is read alone: a foreign key may name a table the
/// database has and the statement does not (the PRAGMAs resolve it).
pub fn read_stored(dialect: Dialect, sql: &str, on: Option<&Table>) -> Result<Stored, String> {
    let read = on_parser_stack(|| {
        let mut scratch = Schema::empty(dialect);
        if let Some(table) = on {
            scratch.tables.push(table.clone());
        }
        Ok::<_, DdlError>(read_into(&mut scratch, sql, on.is_some()))
    });
    match read {
        Ok(stored) => stored,
        Err(e) => Err(e.message),
    }
}

fn read_into(scratch: &mut Schema, sql: &str, has_table: bool) -> Fallible<Stored> {
    let sql = sql.trim().trim_end_matches(';');
    match interpret(scratch, sql)? {
        Outcome::Applied => {}
        Outcome::Temporary(_) | Outcome::Skipped(_) | Outcome::PartlySkipped(_) => {
            return Err("the statement is not a CREATE TABLE, INDEX or VIEW".into());
        }
    }
    if let Some(index) = scratch.indexes.pop() {
        return Ok(Stored::Index(index));
    }
    if let Some(view) = scratch.views.pop() {
        return Ok(Stored::View(view));
    }
    let created = scratch.tables.len() > usize::from(has_table);
    match scratch.tables.pop() {
        Some(table) if created => Ok(Stored::Table(table)),
        _ => Err("the statement is not a CREATE TABLE, INDEX or VIEW".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: Dialect = Dialect::Sqlite;

    fn table(sql: &str) -> Table {
        match read_stored(D, sql, None) {
            Ok(Stored::Table(t)) => t,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_constraint_name_belongs_to_the_clause_it_names() {
        // `CONSTRAINT nn` names the NOT NULL, not the CHECK or UNIQUE after it.
        let t = table(
            "CREATE TABLE t (a INT CONSTRAINT nn NOT NULL CHECK (a > 0) UNIQUE, \
             b INT CONSTRAINT b_pos CHECK (b > 0))",
        );
        let checks: Vec<_> = t.checks.iter().map(|c| c.name.as_deref()).collect();
        assert_eq!(checks, [None, Some("b_pos")]);
        assert_eq!(t.uniques.len(), 1);
        assert_eq!(t.uniques[0].name, None);
    }

    #[test]
    fn quotes_and_comments_are_read_by_the_one_lexer() {
        let t = table(
            "CREATE TABLE \"a)b\" (\n\
               \"c)d\" TEXT CHECK (\"c)d\" <> '-- not a comment)'), -- a comment, with ) and ,\n\
               [e,f] INT /* ) */ COLLATE NOCASE\n\
             )",
        );
        assert_eq!(t.name.name, "a)b");
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["c)d", "e,f"]);
        assert_eq!(t.checks.len(), 1);
        assert!(t.checks[0].expr.has_string("-- not a comment)"));
        assert_eq!(t.columns[1].collation.as_deref(), Some("NOCASE"));
    }

    #[test]
    fn an_index_is_read_on_its_table() {
        let t = table("CREATE TABLE \"T\" (name TEXT, b TEXT)");
        let stored = read_stored(
            D,
            "CREATE INDEX ix ON \"T\" (lower(name) DESC, b COLLATE nocase) WHERE b <> ')'",
            Some(&t),
        );
        let Ok(Stored::Index(i)) = stored else {
            panic!("{stored:?}");
        };
        assert_eq!(i.table.name, "T");
        assert_eq!(i.columns.len(), 2);
        assert_eq!(i.columns[1].collation.as_deref(), Some("nocase"));
        assert!(i.predicate.is_some_and(|p| p.has_string(")")));
    }

    #[test]
    fn other_statements_are_errors() {
        assert!(read_stored(D, "DROP TABLE t", None).is_err());
        assert!(read_stored(D, "CREATE TABLE", None).is_err());
    }
}
