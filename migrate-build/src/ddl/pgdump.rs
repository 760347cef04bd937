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
    // `RENAME [COLUMN] owner TO author` renames something named `owner`.
    let renamed = ["RENAME", "COLUMN", "CONSTRAINT", "ATTRIBUTE"];
    if owner_at
        .checked_sub(1)
        .is_some_and(|i| renamed.iter().any(|k| toks[i].is_kw(k)))
    {
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

/// For a statement that sets `search_path` (`SET [SESSION | LOCAL]
/// search_path TO …`, `SET SCHEMA '…'`, `SELECT set_config('search_path',
/// '…', …)`): `Err` when the path makes unqualified names resolve in
/// another schema than `public`. The server then creates `CREATE TABLE t`
/// in that schema and looks `t` up there, while the model puts unqualified
/// names in `public`: the statements after it would be modelled in the
/// wrong schema (pg_dump 9.x writes `SET search_path = app, pg_catalog;`
/// before each schema's objects). A path of `public`, `"$user"`,
/// `pg_catalog` and the empty one (pg_dump's) names nothing else.
pub(super) fn search_path(tokens: &Tokens) -> Result<(), String> {
    let toks = &tokens.toks;
    let entries: Vec<String> = match toks.first() {
        Some(t) if t.is_kw("SET") => {
            let mut at = 1;
            if toks
                .get(at)
                .is_some_and(|t| t.is_kw("SESSION") || t.is_kw("LOCAL"))
            {
                at += 1;
            }
            let schema_form = toks.get(at).is_some_and(|t| t.is_kw("SCHEMA"));
            if !(schema_form || toks.get(at).is_some_and(|t| t.is_kw("search_path"))) {
                return Ok(());
            }
            at += 1;
            if !schema_form {
                match toks.get(at) {
                    Some(t) if t.is_kw("TO") || t.is_sym("=") => at += 1,
                    // `SET search_path FROM CURRENT` belongs to routines.
                    _ => return Ok(()),
                }
            }
            let mut entries = Vec::new();
            for t in &toks[at..] {
                match t {
                    Tok::Word {
                        text,
                        quoted: false,
                    } if text.eq_ignore_ascii_case("DEFAULT") => {
                        return Ok(());
                    }
                    Tok::Word {
                        text,
                        quoted: false,
                    } => entries.push(text.to_ascii_lowercase()),
                    Tok::Word { text, quoted: true } => entries.push(text.clone()),
                    Tok::Str(s) => entries.extend(split_path(s)),
                    Tok::Sym(s) if s == "," || s == ";" => {}
                    other => {
                        return Err(format!(
                            "SET search_path to `{}` is not understood",
                            tok_text(other)
                        ));
                    }
                }
            }
            entries
        }
        Some(t) if t.is_kw("SELECT") => {
            let Some(at) = (0..toks.len()).find(|&i| {
                toks[i].is_kw("set_config")
                    && toks.get(i + 1).is_some_and(|t| t.is_sym("("))
                    && matches!(toks.get(i + 2), Some(Tok::Str(s)) if s.eq_ignore_ascii_case("search_path"))
            }) else {
                return Ok(());
            };
            match toks.get(at + 3..at + 5) {
                Some([comma, Tok::Str(path)]) if comma.is_sym(",") => split_path(path),
                _ => return Err("set_config('search_path', …) with a value that is not a string is not modelled".into()),
            }
        }
        _ => return Ok(()),
    };
    let elsewhere: Vec<&String> = entries
        .iter()
        .filter(|e| !matches!(e.as_str(), "" | "public" | "pg_catalog" | "$user"))
        .collect();
    match elsewhere.first() {
        None => Ok(()),
        Some(first) => Err(format!(
            "search_path set to `{}` is not modelled: the server creates and looks up the \
             unqualified names of the statements after it in `{first}`, where the model \
             would put them in `public`; qualify the names instead (pg_dump 10 and later \
             writes them qualified)",
            entries.join(", ")
        )),
    }
}

/// The entries of a search_path string, `'"$user", public'`.
fn split_path(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(
            |e| match e.strip_prefix('"').and_then(|e| e.strip_suffix('"')) {
                Some(quoted) => quoted.replace("\"\"", "\""),
                None => e.to_ascii_lowercase(),
            },
        )
        .collect()
}

fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Word { text, .. } | Tok::Num(text) | Tok::Sym(text) => text.clone(),
        Tok::Str(s) => format!("'{s}'"),
    }
}

/// `Some("CREATE TABLE sqlite_sequence (the database's own table)")` when
/// the statement creates a table the dialect keeps itself (see
/// [`crate::dialect::DialectRules::is_internal_table`]): a schema dump lists
/// it, the database makes it.
pub(super) fn internal_table(tokens: &Tokens, d: crate::Dialect) -> Option<String> {
    let toks = &tokens.toks;
    if !(toks.first()?.is_kw("CREATE") && toks.get(1)?.is_kw("TABLE")) {
        return None;
    }
    let mut at = 2;
    if toks.get(at).is_some_and(|t| t.is_kw("IF")) {
        at += 3;
    }
    // `main.sqlite_sequence`.
    if toks.get(at + 1).is_some_and(|t| t.is_sym(".")) {
        at += 2;
    }
    let Tok::Word { text, .. } = toks.get(at)? else {
        return None;
    };
    d.rules()
        .is_internal_table(text)
        .then(|| format!("CREATE TABLE {text} (the database's own table)"))
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

/// In a `CREATE TABLE`'s column list, each `… AS IDENTITY (SEQUENCE NAME s
/// …)`: the column's name as written, the sequence name's parts, and the
/// token range to leave out (the parentheses too when the name was their
/// only option). sqlparser does not read that option.
pub(super) fn inline_identity_sequence_names(
    tokens: &Tokens,
) -> Vec<(NamePart, Vec<NamePart>, std::ops::Range<usize>)> {
    let toks = &tokens.toks;
    let mut out = Vec::new();
    let Some(open) = toks.iter().position(|t| t.is_sym("(") || t.is_kw("AS")) else {
        return out;
    };
    if !toks[open].is_sym("(") {
        return out;
    }
    let mut depth = 1usize;
    let mut column: Option<NamePart> = None;
    let mut item_start = true;
    let mut identity = false;
    let mut options_open = None;
    let mut i = open + 1;
    while i < toks.len() {
        let t = &toks[i];
        if depth == 1 && item_start {
            item_start = false;
            identity = false;
            column = match t {
                Tok::Word { text, quoted } => Some((text.clone(), *quoted)),
                _ => None,
            };
        }
        if t.is_sym("(") {
            depth += 1;
            if depth == 2 && identity {
                options_open = Some(i);
            }
        } else if t.is_sym(")") {
            depth -= 1;
            if depth == 0 {
                break;
            }
            if depth == 1 {
                options_open = None;
            }
        } else if t.is_sym(",") && depth == 1 {
            item_start = true;
        } else if depth == 1 && t.is_kw("IDENTITY") {
            identity = true;
        } else if depth == 2
            && options_open.is_some()
            && t.is_kw("SEQUENCE")
            && toks.get(i + 1).is_some_and(|t| t.is_kw("NAME"))
        {
            let mut parts = Vec::new();
            let mut j = i + 2;
            while let Some(Tok::Word { text, quoted }) = toks.get(j) {
                parts.push((text.clone(), *quoted));
                j += 1;
                if toks.get(j).is_some_and(|t| t.is_sym(".")) {
                    j += 1;
                } else {
                    break;
                }
            }
            let (Some(col), Some(open)) = (column.clone(), options_open) else {
                i += 1;
                continue;
            };
            // `(SEQUENCE NAME s)`: without the name the parentheses hold nothing.
            let range = if open + 1 == i && toks.get(j).is_some_and(|t| t.is_sym(")")) {
                open..j + 1
            } else {
                i..j
            };
            out.push((col, parts, range));
            i = j;
            continue;
        }
        i += 1;
    }
    out
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
    fn renaming_something_named_owner_is_no_ownership() {
        for sql in [
            "ALTER TABLE docs RENAME COLUMN owner TO author",
            "ALTER TABLE docs RENAME owner TO author",
            "ALTER TABLE docs RENAME CONSTRAINT owner TO author",
            "ALTER TYPE pair RENAME ATTRIBUTE owner TO author",
        ] {
            assert_eq!(owner(sql), None, "{sql}");
        }
        let (schema, _) = run("CREATE TABLE docs (owner int);\n\
                               ALTER TABLE docs RENAME COLUMN owner TO author;")
        .unwrap();
        assert_eq!(schema.tables[0].columns[0].name, "author");
    }

    fn run(sql: &str) -> Result<(crate::schema::Schema, crate::ddl::ApplyReport), String> {
        let file = crate::ddl::SourceFile {
            path: "schema.sql",
            sql,
        };
        crate::ddl::parse_schema(Dialect::Postgres, &[file]).map_err(|e| e.to_string())
    }

    #[test]
    fn pg_dumps_preamble_ownership_and_privileges_are_skipped_and_listed() {
        let (schema, report) = run("\\restrict abc123
SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE TABLE public.t (id integer NOT NULL);
ALTER TABLE public.t OWNER TO app;
CREATE SEQUENCE public.t_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER TABLE public.t_id_seq OWNER TO app;
ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id;
ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT nextval('public.t_id_seq'::regclass);
ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);
REVOKE ALL ON TABLE public.t FROM PUBLIC;
GRANT SELECT ON TABLE public.t TO reader;
\\unrestrict abc123
")
        .unwrap();
        let kinds: Vec<&str> = report.skipped.iter().map(|s| s.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "\\restrict",
                "SET",
                "SELECT",
                "OWNER TO",
                "OWNER TO",
                "REVOKE",
                "GRANT",
                "\\unrestrict"
            ]
        );
        let t = &schema.tables[0];
        assert!(t.primary_key.is_some());
        assert!(t.columns[0].default.is_some());
        assert!(schema.sequences[0].owned_by.is_some());
    }

    #[test]
    fn identity_columns_as_pg_dump_writes_them() {
        let (schema, _) = run("CREATE TABLE public.a (id integer NOT NULL);
ALTER TABLE public.a ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.a_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
CREATE TABLE b (id bigint NOT NULL);
ALTER TABLE b ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME b_id_seq);")
        .unwrap();
        assert_eq!(
            schema.tables[0].columns[0].identity,
            Some(crate::schema::Identity::Always)
        );
        assert_eq!(
            schema.tables[1].columns[0].identity,
            Some(crate::schema::Identity::ByDefault)
        );
        // The model holds no other name than the server's own.
        let e = run("CREATE TABLE a (id int NOT NULL);
ALTER TABLE a ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME my_seq START WITH 1);")
        .unwrap_err();
        assert!(e.contains("identity sequence `my_seq`"), "{e}");
    }

    /// pg_dump 9.x's way of placing objects in a schema: names after it
    /// resolve in `app` on the server, so the model cannot take them as
    /// `public`'s.
    #[test]
    fn a_search_path_naming_another_schema_is_refused_at_its_statement() {
        let e = run("CREATE SCHEMA app;
SET search_path = app, pg_catalog;
CREATE TABLE t (id integer);")
        .unwrap_err();
        assert!(
            e.starts_with("schema.sql:2:1: search_path set to `app, pg_catalog` is not modelled"),
            "{e}"
        );
        for sql in [
            "SET LOCAL search_path TO app",
            "set session search_path to 'app', public",
            "SET SCHEMA 'app'",
            "SELECT pg_catalog.set_config('search_path', 'app, public', false)",
            "SET search_path = \"App\"",
        ] {
            let e = run(&format!("CREATE SCHEMA app; CREATE SCHEMA \"App\"; {sql};")).unwrap_err();
            assert!(e.contains("is not modelled"), "{sql}: {e}");
        }
        // Paths that resolve unqualified names in `public`, as the model does.
        for sql in [
            "SET search_path = public, pg_catalog",
            "SET search_path TO \"$user\", public",
            "SET search_path TO DEFAULT",
            "SELECT pg_catalog.set_config('search_path', '', false)",
            "SET search_path = ''",
            "SET statement_timeout = 0",
        ] {
            let (schema, _) = run(&format!("{sql}; CREATE TABLE t (id integer);")).unwrap();
            assert_eq!(schema.tables[0].name.schema, None, "{sql}");
        }
    }

    #[test]
    fn owner_to_beside_other_actions_is_not_only_ownership() {
        assert_eq!(owner("ALTER TABLE t ADD COLUMN x int, OWNER TO bob"), None);
        assert_eq!(owner("ALTER TABLE t ADD COLUMN owner text"), None);
        assert_eq!(owner("CREATE TABLE owner (x int)"), None);
    }
}
