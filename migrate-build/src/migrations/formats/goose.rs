//! goose: `<version>_<name>.sql`, one file per migration, annotated with
//! `-- +goose Up` and an optional `-- +goose Down`; `-- +goose
//! StatementBegin` / `StatementEnd` around a statement holding semicolons;
//! `-- +goose NO TRANSACTION` anywhere runs the file outside a transaction.
//! The statement splitter reads dollar quotes, strings and trigger bodies
//! itself, so a `StatementBegin` block needs no help beyond being closed.

use super::super::{
    Migration, MigrationFile, MigrationsError, source::Entry, source::read_sql_file,
};
use super::{at, is_comment_or_blank, keep_lines, versioned_files};

enum Annotation {
    Up,
    Down,
    StatementBegin,
    StatementEnd,
    NoTransaction,
    EnvSub,
    Unknown(String),
}

/// `-- +goose <command>` (goose compares the command case-insensitively).
fn annotation(line: &str) -> Option<Annotation> {
    let rest = line.trim_end().strip_prefix("--")?.trim_start();
    let command = rest.strip_prefix("+goose")?;
    if !command.is_empty() && !command.starts_with(char::is_whitespace) {
        return None;
    }
    let words: Vec<String> = command
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    Some(match words.as_slice() {
        ["up"] => Annotation::Up,
        ["down"] => Annotation::Down,
        ["statementbegin"] => Annotation::StatementBegin,
        ["statementend"] => Annotation::StatementEnd,
        ["no", "transaction"] => Annotation::NoTransaction,
        ["envsub", "on"] | ["envsub", "off"] => Annotation::EnvSub,
        _ => Annotation::Unknown(command.trim().to_string()),
    })
}

/// Whether a file's text has a goose annotation (how a folder is recognised).
pub(in crate::migrations) fn looks_like(text: &str) -> bool {
    text.lines().any(|l| annotation(l).is_some())
}

pub(in crate::migrations) fn load(entries: &[Entry]) -> Result<Vec<Migration>, MigrationsError> {
    if let Some(go) = entries
        .iter()
        .find(|e| !e.is_dir && e.name.ends_with(".go"))
    {
        return Err(at(
            &go.path,
            1,
            "a goose migration written in Go: only SQL migrations can be read and run; \
             write it as a `.sql` file",
        ));
    }
    let mut migrations = Vec::new();
    for (version, name, path) in versioned_files(entries, "goose's `<version>_<name>.sql`")? {
        let text = read_sql_file(&path)?;
        let mut up: Option<usize> = None;
        let mut down: Option<usize> = None;
        let mut open: Option<usize> = None;
        let mut no_transaction = false;
        for (i, line) in text.lines().enumerate() {
            let Some(a) = annotation(line) else {
                if up.is_none() && !is_comment_or_blank(line) {
                    return Err(at(
                        &path,
                        i + 1,
                        "a statement before `-- +goose Up`: goose runs only what follows its annotations",
                    ));
                }
                continue;
            };
            let unclosed = |open: Option<usize>| match open {
                Some(b) => Err(at(
                    &path,
                    b + 1,
                    "`-- +goose StatementBegin` without its `-- +goose StatementEnd`",
                )),
                None => Ok(()),
            };
            match a {
                Annotation::Up if up.is_some() => {
                    return Err(at(&path, i + 1, "a second `-- +goose Up`"));
                }
                Annotation::Up if down.is_some() => {
                    return Err(at(&path, i + 1, "`-- +goose Up` after `-- +goose Down`"));
                }
                Annotation::Up => up = Some(i),
                Annotation::Down if up.is_none() => {
                    return Err(at(&path, i + 1, "`-- +goose Down` before `-- +goose Up`"));
                }
                Annotation::Down if down.is_some() => {
                    return Err(at(&path, i + 1, "a second `-- +goose Down`"));
                }
                Annotation::Down => {
                    unclosed(open)?;
                    down = Some(i);
                }
                Annotation::StatementBegin if up.is_none() => {
                    return Err(at(
                        &path,
                        i + 1,
                        "`-- +goose StatementBegin` before `-- +goose Up`",
                    ));
                }
                Annotation::StatementBegin => {
                    unclosed(open)?;
                    open = Some(i);
                }
                Annotation::StatementEnd if open.is_none() => {
                    return Err(at(
                        &path,
                        i + 1,
                        "`-- +goose StatementEnd` without a `-- +goose StatementBegin` before it",
                    ));
                }
                Annotation::StatementEnd => open = None,
                Annotation::NoTransaction => no_transaction = true,
                Annotation::EnvSub => {
                    return Err(at(
                        &path,
                        i + 1,
                        "`-- +goose ENVSUB`: statements that depend on environment variables cannot be \
                         replayed; write the values into the file",
                    ));
                }
                Annotation::Unknown(command) => {
                    return Err(at(
                        &path,
                        i + 1,
                        format!("unknown goose annotation `{command}`"),
                    ));
                }
            }
        }
        if let Some(b) = open {
            return Err(at(
                &path,
                b + 1,
                "`-- +goose StatementBegin` without its `-- +goose StatementEnd`",
            ));
        }
        let Some(up_line) = up else {
            return Err(at(
                &path,
                1,
                "no `-- +goose Up` line: every file of a goose folder has one (the other files here do)",
            ));
        };
        let lines = text.lines().count();
        let up_end = down.unwrap_or(lines);
        migrations.push(Migration {
            version: version.to_string(),
            name: name.to_string(),
            no_transaction,
            up: MigrationFile {
                path: path.clone(),
                sql: keep_lines(&text, up_line + 1..up_end),
            },
            down: down.map(|d| MigrationFile {
                path: path.clone(),
                sql: keep_lines(&text, d + 1..lines),
            }),
        });
    }
    Ok(migrations)
}

#[cfg(test)]
mod tests {
    use crate::Dialect;
    use crate::migrations::{Layout, load_with_layout};

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(tmp.path().join(name), text).unwrap();
        }
        tmp
    }

    #[test]
    fn sections_and_blocks() {
        let tmp = folder(&[
            (
                "00001_users.sql",
                "-- +goose Up\nCREATE TABLE users (id int);\n-- +goose Down\nDROP TABLE users;\n",
            ),
            (
                "00002_fn.sql",
                "-- +goose up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;\n-- +goose StatementEnd\n\n-- +goose down\nDROP FUNCTION f();\n",
            ),
            (
                "00003_idx.sql",
                "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON users (id);\n",
            ),
        ]);
        let (layout, ms) = load_with_layout(tmp.path(), Dialect::Postgres).unwrap();
        assert_eq!(layout, Layout::Goose);
        assert_eq!(ms[0].up.sql, "\nCREATE TABLE users (id int);\n\n\n");
        assert_eq!(
            ms[0].down.as_ref().unwrap().sql,
            "\n\n\nDROP TABLE users;\n"
        );
        assert!(ms[1].up.sql.contains("CREATE FUNCTION"));
        assert!(!ms[1].up.sql.contains("DROP FUNCTION"));
        assert!(ms[2].no_transaction && !ms[0].no_transaction);
    }

    #[test]
    fn broken_rules_are_errors_with_a_line() {
        for (text, want) in [
            (
                "CREATE TABLE x (a int);\n-- +goose Up\n",
                ":1: a statement before `-- +goose Up`",
            ),
            (
                "-- +goose Down\n-- +goose Up\n",
                ":1: `-- +goose Down` before",
            ),
            (
                "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n",
                ":2: `-- +goose StatementBegin` without",
            ),
            (
                "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n-- +goose Down\n",
                ":2: `-- +goose StatementBegin` without",
            ),
            (
                "-- +goose Up\n-- +goose StatementEnd\n",
                ":2: `-- +goose StatementEnd` without",
            ),
            (
                "-- +goose Up\n-- +goose ENVSUB ON\n",
                ":2: `-- +goose ENVSUB`",
            ),
            (
                "-- +goose Up\n-- +goose Sideways\n",
                ":2: unknown goose annotation `Sideways`",
            ),
        ] {
            let tmp = folder(&[("1_a.sql", text)]);
            let err = load_with_layout(tmp.path(), Dialect::Sqlite)
                .unwrap_err()
                .to_string();
            assert!(err.contains(want), "{text:?}: {err}");
        }
        let tmp = folder(&[
            ("1_a.sql", "-- +goose Up\n"),
            ("2_b.go", "package migrations\n"),
        ]);
        let err = load_with_layout(tmp.path(), Dialect::Sqlite)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("2_b.go:1: a goose migration written in Go"),
            "{err}"
        );
    }
}
