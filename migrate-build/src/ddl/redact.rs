//! Password literals in statements (`CREATE ROLE … PASSWORD '…'`, `OPTIONS
//! (password '…')` of a user mapping) hidden before a statement is printed or
//! stored: a failing migration's text ends up in terminals, CI logs and the
//! history table.

/// `sql` with the literal after every `PASSWORD` keyword replaced by `'***'`.
/// A literal left open (a statement cut at its first line) is hidden to the
/// end of the text.
pub fn redact_passwords(sql: &str) -> String {
    let literals = find(sql);
    if literals.is_empty() {
        return sql.to_string();
    }
    let mut out = String::with_capacity(sql.len());
    let mut at = 0;
    for (start, end) in literals {
        out.push_str(&sql[at..start]);
        out.push_str("'***'");
        at = end;
    }
    out.push_str(&sql[at..]);
    // The same literal written again elsewhere in the statement.
    for (start, end) in find(sql) {
        let literal = &sql[start..end];
        if literal.len() > 5 {
            out = out.replace(literal, "'***'");
        }
    }
    out
}

/// The password literals of `sql` as written (quotes included), to hide them
/// wherever else they appear (a database error quoting the token it choked on).
pub fn password_literals(sql: &str) -> Vec<&str> {
    find(sql).into_iter().map(|(s, e)| &sql[s..e]).collect()
}

/// Byte ranges of the literals following a `PASSWORD` keyword outside
/// quotes and comments.
fn find(sql: &str) -> Vec<(usize, usize)> {
    let bytes = sql.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = sql[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
            }
            b'\'' | b'"' => i = quoted_end(bytes, i, bytes[i], false),
            b'$' => i = dollar_end(sql, i).unwrap_or(i + 1),
            b if is_word(b) => {
                let start = i;
                while i < bytes.len() && (is_word(bytes[i]) || bytes[i] == b'$') {
                    i += 1;
                }
                if sql[start..i].eq_ignore_ascii_case("password")
                    && let Some(range) = literal_after(sql, i)
                {
                    i = range.1;
                    found.push(range);
                }
            }
            _ => i += 1,
        }
    }
    found
}

/// The string literal starting after white space at `from`, if there is one.
fn literal_after(sql: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = sql.as_bytes();
    let mut i = from;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    let start = i;
    match (bytes.get(i), bytes.get(i + 1), bytes.get(i + 2)) {
        (Some(b'\''), _, _) => Some((start, quoted_end(bytes, i, b'\'', false))),
        (Some(b'E' | b'e'), Some(b'\''), _) => Some((start, quoted_end(bytes, i + 1, b'\'', true))),
        (Some(b'U' | b'u'), Some(b'&'), Some(b'\'')) => {
            Some((start, quoted_end(bytes, i + 2, b'\'', false)))
        }
        (Some(b'$'), _, _) => Some((start, dollar_end(sql, i).unwrap_or(bytes.len()))),
        _ => None,
    }
}

/// The offset after the quote closing the run opened at `open` (the end of
/// the text when none does).
fn quoted_end(bytes: &[u8], open: usize, quote: u8, backslash: bool) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        if backslash && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// The end of a dollar quote opened at `open` (`$tag$ … $tag$`), when `open` opens one.
fn dollar_end(sql: &str, open: usize) -> Option<usize> {
    let after = sql.get(open + 1..)?;
    let tag_len = after.find('$')?;
    let tag = &after[..tag_len];
    if !tag.bytes().all(is_word) || tag.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let delimiter = &sql[open..open + tag_len + 2];
    let body = open + delimiter.len();
    Some(
        sql[body..]
            .find(delimiter)
            .map_or(sql.len(), |n| body + n + delimiter.len()),
    )
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_literals_are_hidden() {
        assert_eq!(
            redact_passwords("CREATE ROLE app LOGIN PASSWORD 'hunter2' VALID UNTIL 'infinity'"),
            "CREATE ROLE app LOGIN PASSWORD '***' VALID UNTIL 'infinity'"
        );
        assert_eq!(
            redact_passwords("alter role app with encrypted password E'a\\'b''c';"),
            "alter role app with encrypted password '***';"
        );
        assert_eq!(
            redact_passwords(
                "CREATE USER MAPPING FOR x SERVER s OPTIONS (user 'u', password $$p'w$$)"
            ),
            "CREATE USER MAPPING FOR x SERVER s OPTIONS (user 'u', password '***')"
        );
        assert_eq!(
            redact_passwords("ALTER ROLE a PASSWORD 'cut at the first line"),
            "ALTER ROLE a PASSWORD '***'"
        );
        assert_eq!(
            redact_passwords("CREATE ROLE a PASSWORD 'hunter2' 'hunter2'"),
            "CREATE ROLE a PASSWORD '***' '***'"
        );
        assert_eq!(
            password_literals("CREATE ROLE a PASSWORD 'x1'; CREATE ROLE b PASSWORD 'y2'"),
            vec!["'x1'", "'y2'"]
        );
    }

    #[test]
    fn other_text_is_left_alone() {
        for sql in [
            "CREATE TABLE password (password text DEFAULT 'x')",
            "ALTER ROLE a PASSWORD NULL",
            "SELECT 'password ''x''' -- password 'y'",
            "COMMENT ON COLUMN t.password IS 'the password'",
            "",
            "password",
            "é password",
        ] {
            assert_eq!(redact_passwords(sql), sql, "{sql}");
        }
    }
}
