//! Canonical forms, so that spellings a database cannot tell apart compare equal.

use crate::dialect::Dialect;

/// The comparison key of an expression: what two spellings of the same
/// default or check share. Not valid SQL; never rendered.
pub fn expr_key(sql: &str, _dialect: Dialect) -> String {
    fold_outside_quotes(sql)
}

/// The comparison key of a view or function body from a SQL source.
pub fn definition_key(sql: &str) -> String {
    fold_outside_quotes(sql)
}

/// Lower-cases and drops white space outside quotes.
fn fold_outside_quotes(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c.is_whitespace() => {}
            None => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}
