//! Statements of pg_dump's own dialect that carry nothing the model holds.
//!
//! Ownership is not part of the model (a schema file names no roles that
//! exist on every server), so every `ALTER … OWNER TO role` is skipped and
//! listed in the report, as data statements are, whatever the object.

use super::scan::{Tok, Tokens};

/// `Some("OWNER TO")` when the statement is `ALTER <object> … OWNER TO role`
/// and that is its only action; an `ALTER TABLE` with other actions besides
/// is left to the table interpreter.
pub(super) fn ownership(tokens: &Tokens) -> Option<String> {
    let toks = &tokens.toks;
    if !toks.first()?.is_kw("ALTER") {
        return None;
    }
    let n = toks.len();
    // The role is one name: `bob`, `"Bob"`, `CURRENT_USER`, `SESSION_USER`.
    let role_at = n.checked_sub(1)?;
    if !matches!(toks.get(role_at)?, Tok::Word { .. }) {
        return None;
    }
    let owner_at = role_at.checked_sub(2)?;
    if !(toks[owner_at].is_kw("OWNER") && toks[owner_at + 1].is_kw("TO")) {
        return None;
    }
    let mut depth = 0usize;
    for t in &toks[..owner_at] {
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            depth = depth.saturating_sub(1);
        } else if t.is_sym(",") && depth == 0 {
            return None;
        }
    }
    Some("OWNER TO".into())
}

/// One part of a dotted name as written: its text and whether it was quoted.
pub(super) type NamePart = (String, bool);

/// In `ALTER [COLUMN] c ADD GENERATED … AS IDENTITY (SEQUENCE NAME s …)`
/// (pg_dump's way of writing identity columns), the token range of
/// `SEQUENCE NAME s` and the name's parts. sqlparser does not read that
/// option; the caller checks the name and parses the rest.
pub(super) fn identity_sequence_name(
    tokens: &Tokens,
    start: usize,
    end: usize,
) -> Option<(std::ops::Range<usize>, Vec<NamePart>)> {
    let toks = &tokens.toks[start..end];
    let generated = toks
        .windows(2)
        .position(|w| w[0].is_kw("ADD") && w[1].is_kw("GENERATED"))?;
    let at = (generated..toks.len().saturating_sub(1))
        .find(|&i| toks[i].is_kw("SEQUENCE") && toks[i + 1].is_kw("NAME"))?;
    let mut parts = Vec::new();
    let mut i = at + 2;
    loop {
        match toks.get(i)? {
            Tok::Word { text, quoted } => parts.push((text.clone(), *quoted)),
            _ => return None,
        }
        i += 1;
        if toks.get(i).is_some_and(|t| t.is_sym(".")) {
            i += 1;
        } else {
            break;
        }
    }
    Some((start + at..start + i, parts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::scan::tokenize;
    use crate::dialect::Dialect;

    fn owner(sql: &str) -> Option<String> {
        ownership(&tokenize(sql, Dialect::Postgres).unwrap())
    }

    #[test]
    fn owner_to_of_every_object_is_ownership() {
        for sql in [
            "ALTER TABLE public.builds_id_seq OWNER TO postgres",
            "ALTER FUNCTION public.f(integer, text) OWNER TO \"Bob\"",
            "ALTER TYPE public.build_status OWNER TO CURRENT_USER",
            "ALTER SCHEMA app OWNER TO app",
            "ALTER MATERIALIZED VIEW v OWNER TO app",
            "ALTER AGGREGATE public.agg(integer) OWNER TO app",
        ] {
            assert_eq!(owner(sql).as_deref(), Some("OWNER TO"), "{sql}");
        }
    }

    #[test]
    fn owner_to_beside_other_actions_is_not_only_ownership() {
        assert_eq!(owner("ALTER TABLE t ADD COLUMN x int, OWNER TO bob"), None);
        assert_eq!(owner("ALTER TABLE t ADD COLUMN owner text"), None);
        assert_eq!(owner("CREATE TABLE owner (x int)"), None);
    }
}
