//! dbmate: `<version>_<name>.sql`, one file per migration, with a
//! `-- migrate:up` section and an optional `-- migrate:down` section after
//! it; `transaction:false` after a marker runs that section outside a
//! transaction. dbmate refuses statements outside the two sections, so do we.

use super::super::{
    Migration, MigrationFile, MigrationsError, source::Entry, source::read_sql_file,
};
use super::{at, is_comment_or_blank, keep_lines, versioned_files};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    Up,
    Down,
}

/// The marker a line is, with its options: `--\s*migrate:(up|down)` at the
/// start of the line, as dbmate matches it.
fn marker(line: &str) -> Option<(Marker, &str)> {
    let rest = line.strip_prefix("--")?.trim_start();
    let rest = rest.strip_prefix("migrate:")?;
    let (which, options) = if let Some(o) = rest.strip_prefix("up") {
        (Marker::Up, o)
    } else {
        (Marker::Down, rest.strip_prefix("down")?)
    };
    if !options.is_empty() && !options.starts_with(char::is_whitespace) {
        return None;
    }
    Some((which, options.trim()))
}

/// Whether a file's text has a dbmate marker (how a folder is recognised).
pub(in crate::migrations) fn looks_like(text: &str) -> bool {
    text.lines().any(|l| marker(l).is_some())
}

pub(in crate::migrations) fn load(entries: &[Entry]) -> Result<Vec<Migration>, MigrationsError> {
    let mut migrations = Vec::new();
    for (version, name, path) in versioned_files(entries, "dbmate's `<version>_<name>.sql`")? {
        let text = read_sql_file(&path)?;
        let mut up: Option<(usize, bool)> = None;
        let mut down: Option<(usize, bool)> = None;
        for (i, line) in text.lines().enumerate() {
            let Some((which, options)) = marker(line) else {
                if up.is_none() && !is_comment_or_blank(line) {
                    return Err(at(
                        &path,
                        i + 1,
                        "a statement before `-- migrate:up`: dbmate runs only the `-- migrate:up` and `-- migrate:down` sections",
                    ));
                }
                continue;
            };
            let no_transaction = match options {
                "" | "transaction:true" => false,
                "transaction:false" => true,
                other => {
                    return Err(at(
                        &path,
                        i + 1,
                        format!(
                            "unknown dbmate option `{other}` (dbmate knows `transaction:false`)"
                        ),
                    ));
                }
            };
            match (which, up, down) {
                (Marker::Up, None, None) => up = Some((i, no_transaction)),
                (Marker::Up, Some(_), _) => {
                    return Err(at(&path, i + 1, "a second `-- migrate:up`"));
                }
                (Marker::Down, None, _) | (Marker::Up, None, Some(_)) => {
                    return Err(at(&path, i + 1, "`-- migrate:down` before `-- migrate:up`"));
                }
                (Marker::Down, Some(_), None) => down = Some((i, no_transaction)),
                (Marker::Down, Some(_), Some(_)) => {
                    return Err(at(&path, i + 1, "a second `-- migrate:down`"));
                }
            }
        }
        let Some((up_line, up_no_tx)) = up else {
            return Err(at(
                &path,
                1,
                "no `-- migrate:up` line: every file of a dbmate folder has one (the other files here do)",
            ));
        };
        let lines = text.lines().count();
        let up_end = down.map_or(lines, |(d, _)| d);
        migrations.push(Migration {
            version: version.to_string(),
            name: name.to_string(),
            no_transaction: up_no_tx || down.is_some_and(|(_, d)| d),
            up: MigrationFile {
                path: path.clone(),
                sql: keep_lines(&text, up_line + 1..up_end),
            },
            down: down.map(|(d, _)| MigrationFile {
                path: path.clone(),
                sql: keep_lines(&text, d + 1..lines),
            }),
        });
    }
    Ok(migrations)
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn sections_keep_their_lines() {
        let tmp = folder(&[
            (
                "20240101000000_users.sql",
                "-- migrate:up\nCREATE TABLE users (id int);\n\n-- migrate:down\nDROP TABLE users;\n",
            ),
            (
                "20240102000000_idx.sql",
                "-- a comment\n-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON users (id);\n-- migrate:down\nDROP INDEX i;\n",
            ),
            (
                "20240103000000_up_only.sql",
                "-- migrate:up\nCREATE TABLE t (a int);\n",
            ),
        ]);
        let (layout, ms) = load_with_layout(tmp.path(), Dialect::Postgres).unwrap();
        assert_eq!(layout, Layout::Dbmate);
        assert_eq!(ms.len(), 3);
        assert_eq!(ms[0].up.sql, "\nCREATE TABLE users (id int);\n\n\n\n");
        assert_eq!(
            ms[0].down.as_ref().unwrap().sql,
            "\n\n\n\nDROP TABLE users;\n"
        );
        assert!(!ms[0].no_transaction);
        assert!(ms[1].no_transaction);
        assert!(ms[2].down.is_none());
    }

    #[test]
    fn broken_rules_are_errors_with_a_line() {
        for (text, want) in [
            (
                "CREATE TABLE x (a int);\n-- migrate:up\n",
                ":1: a statement before `-- migrate:up`",
            ),
            (
                "-- migrate:down\nDROP TABLE x;\n-- migrate:up\n",
                ":1: `-- migrate:down` before",
            ),
            (
                "-- migrate:up\n-- migrate:up\n",
                ":2: a second `-- migrate:up`",
            ),
            (
                "-- migrate:up\n-- migrate:down\n-- migrate:down\n",
                ":3: a second `-- migrate:down`",
            ),
            (
                "-- migrate:up transaction:maybe\n",
                ":1: unknown dbmate option `transaction:maybe`",
            ),
        ] {
            let tmp = folder(&[("1_a.sql", text)]);
            let err = load_with_layout(tmp.path(), Dialect::Sqlite)
                .unwrap_err()
                .to_string();
            assert!(err.contains(want), "{text:?}: {err}");
        }
        let tmp = folder(&[("1_a.sql", "-- migrate:up\n"), ("2_b.sql", "SELECT 1;\n")]);
        let err = load_with_layout(tmp.path(), Dialect::Sqlite)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("2_b.sql:1: a statement before `-- migrate:up`"),
            "{err}"
        );
        let tmp = folder(&[
            ("1_a.sql", "-- migrate:up\n"),
            ("2_b.sql", "-- only a comment\n"),
        ]);
        let err = load_with_layout(tmp.path(), Dialect::Sqlite)
            .unwrap_err()
            .to_string();
        assert!(err.contains("2_b.sql:1: no `-- migrate:up` line"), "{err}");
    }

    #[test]
    fn our_directive_is_not_a_marker() {
        assert!(!looks_like("-- migrate:no-transaction\nSELECT 1;"));
        assert!(looks_like("--migrate:up\n"));
        assert!(!looks_like("-- migrate:upgrade\n"));
    }
}
