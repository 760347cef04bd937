//! Flyway: `V<version>__<description>.sql` versioned migrations, `U<version>__…`
//! undo files (the down of the same version), `V….sql.conf` script
//! configuration (`executeInTransaction=false`). Versions are dot-separated
//! numbers (`_` reads as `.`), compared part by part as numbers with trailing
//! zero parts ignored, as Flyway compares them.
//!
//! Flyway replaces `${placeholder}` text before it runs a file; a file using
//! one cannot be replayed without Flyway's configuration, so it is refused.
//!
//! Repeatable migrations (`R__<description>.sql`) come after every versioned
//! one, in description order, with the version `R__<description>` (see
//! [`Migration::is_repeatable`]): the runner runs one again whenever its
//! checksum differs from the one recorded, and the replay reads them last.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::Path;

use super::super::{
    Migration, MigrationFile, MigrationsError, source::Entry, source::read_sql_file,
};
use super::at;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Versioned,
    Undo,
    Repeatable,
}

struct Name<'a> {
    kind: Kind,
    /// As written, `_` turned into `.`; empty for a repeatable migration.
    version: String,
    description: &'a str,
}

/// A Flyway file name: `(V|U)<version>__<description>.sql` or
/// `R__<description>.sql`; `None` when it is not one.
fn parse(file: &str) -> Option<Name<'_>> {
    let stem = file.strip_suffix(".sql")?;
    let (head, description) = stem.split_once("__")?;
    let (kind, version) = match head.split_at_checked(1)? {
        ("V", v) => (Kind::Versioned, v),
        ("U", v) => (Kind::Undo, v),
        ("R", "") => (Kind::Repeatable, ""),
        _ => return None,
    };
    if kind != Kind::Repeatable {
        let parts_ok = !version.is_empty()
            && version
                .split(['.', '_'])
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if !parts_ok {
            return None;
        }
    }
    Some(Name {
        kind,
        version: version.replace('_', "."),
        description,
    })
}

/// Whether a file name looks like one of Flyway's (how a folder is recognised):
/// a prefix `V`, `U` or `R`, then a digit or `__`.
pub(in crate::migrations) fn looks_like(file: &str) -> bool {
    let b = file.as_bytes();
    file.ends_with(".sql")
        && matches!(b.first(), Some(b'V' | b'U' | b'R'))
        && (b.get(1).is_some_and(u8::is_ascii_digit) || file.get(1..3) == Some("__"))
}

/// Flyway's version order: part by part as numbers, missing parts as 0.
pub(in crate::migrations) fn version_cmp(a: &str, b: &str) -> Ordering {
    let parts = |v: &str| -> Vec<String> {
        let mut p: Vec<String> = v
            .split('.')
            .map(|s| s.trim_start_matches('0').to_string())
            .collect();
        while p.last().is_some_and(String::is_empty) {
            p.pop();
        }
        p
    };
    let (a, b) = (parts(a), parts(b));
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).map_or("", String::as_str);
        let y = b.get(i).map_or("", String::as_str);
        let o = x.len().cmp(&y.len()).then_with(|| x.cmp(y));
        if o.is_ne() {
            return o;
        }
    }
    Ordering::Equal
}

/// The files of the folder and of every folder in it: Flyway reads its
/// locations recursively, so a migration in a subfolder counts.
fn files_within(entries: &[Entry]) -> Result<Vec<Entry>, MigrationsError> {
    let mut out = Vec::new();
    for e in entries {
        if e.is_dir {
            out.extend(files_within(&super::super::source::read_entries(&e.path)?)?);
        } else {
            out.push(Entry {
                name: e.name.clone(),
                path: e.path.clone(),
                is_dir: false,
            });
        }
    }
    Ok(out)
}

pub(in crate::migrations) fn load(entries: &[Entry]) -> Result<Vec<Migration>, MigrationsError> {
    let entries = &files_within(entries)?;
    struct Parts<'e> {
        up: Option<(&'e Entry, String)>,
        down: Option<&'e Entry>,
    }
    let mut by_version: Vec<(String, Parts<'_>)> = Vec::new();
    let mut repeatable: Vec<&Entry> = Vec::new();
    let conf: BTreeMap<&str, &Entry> = entries
        .iter()
        .filter_map(|e| Some((e.name.strip_suffix(".conf")?, e)))
        .collect();
    for entry in entries
        .iter()
        .filter(|e| !e.is_dir && e.name.ends_with(".sql"))
    {
        let Some(name) = parse(&entry.name) else {
            return Err(MigrationsError::MalformedName {
                path: entry.path.clone(),
                reason: "expected Flyway's `V<version>__<description>.sql` (or `U…` for an undo), \
                         with a version of numbers separated by `.` or `_` and two underscores after it"
                    .to_string(),
            });
        };
        if name.kind == Kind::Repeatable {
            if name.description.is_empty() {
                return Err(MigrationsError::MalformedName {
                    path: entry.path.clone(),
                    reason:
                        "a Flyway repeatable migration needs a description: `R__<description>.sql`"
                            .to_string(),
                });
            }
            repeatable.push(entry);
            continue;
        }
        let index = match by_version
            .iter()
            .position(|(v, _)| version_cmp(v, &name.version).is_eq())
        {
            Some(i) => i,
            None => {
                by_version.push((
                    name.version.clone(),
                    Parts {
                        up: None,
                        down: None,
                    },
                ));
                by_version.len() - 1
            }
        };
        let slot = &mut by_version[index].1;
        let taken = match name.kind {
            Kind::Versioned => slot.up.as_ref().map(|(e, _)| *e),
            Kind::Undo | Kind::Repeatable => slot.down,
        };
        if let Some(first) = taken {
            return Err(MigrationsError::DuplicateVersion {
                version: name.version,
                first: first.path.clone(),
                second: entry.path.clone(),
            });
        }
        match name.kind {
            Kind::Versioned => slot.up = Some((entry, name.description.to_string())),
            Kind::Undo | Kind::Repeatable => slot.down = Some(entry),
        }
    }
    by_version.sort_by(|a, b| version_cmp(&a.0, &b.0));
    let mut migrations = Vec::with_capacity(by_version.len());
    for (version, parts) in by_version {
        let Some((up_entry, description)) = parts.up else {
            return Err(MigrationsError::DownWithoutUp {
                path: parts.down.map(|e| e.path.clone()).unwrap_or_default(),
            });
        };
        let up = read_checked(&up_entry.path)?;
        let down = match parts.down {
            Some(e) => Some(MigrationFile {
                sql: read_checked(&e.path)?,
                path: e.path.clone(),
            }),
            None => None,
        };
        let no_transaction = match conf.get(up_entry.name.as_str()) {
            Some(c) => read_conf(&c.path)?,
            None => false,
        };
        migrations.push(Migration {
            version,
            name: description,
            no_transaction: no_transaction || super::super::source::has_directive(&up),
            up: MigrationFile {
                path: up_entry.path.clone(),
                sql: up,
            },
            down,
        });
    }
    // Flyway's order for repeatables: by description, after all versions.
    repeatable.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(pair) = repeatable.windows(2).find(|p| p[0].name == p[1].name) {
        return Err(MigrationsError::DuplicateVersion {
            version: pair[0].name.trim_end_matches(".sql").to_string(),
            first: pair[0].path.clone(),
            second: pair[1].path.clone(),
        });
    }
    for entry in repeatable {
        let description = parse(&entry.name).map_or("", |n| n.description);
        let sql = read_checked(&entry.path)?;
        let no_transaction = match conf.get(entry.name.as_str()) {
            Some(c) => read_conf(&c.path)?,
            None => false,
        };
        migrations.push(Migration {
            version: format!("{}{description}", crate::migrations::REPEATABLE_PREFIX),
            name: description.to_string(),
            no_transaction: no_transaction || super::super::source::has_directive(&sql),
            up: MigrationFile {
                path: entry.path.clone(),
                sql,
            },
            down: None,
        });
    }
    Ok(migrations)
}

/// The file's text, refused when it uses a Flyway placeholder.
fn read_checked(path: &Path) -> Result<String, MigrationsError> {
    let text = read_sql_file(path)?;
    if let Some(offset) = text.find("${") {
        let (line, column) = super::super::line_col(&text, offset);
        let end = text[offset..]
            .find('}')
            .map_or(text.len(), |e| offset + e + 1);
        return Err(MigrationsError::Metadata {
            path: path.to_path_buf(),
            line,
            column,
            message: format!(
                "Flyway placeholder `{}`: Flyway replaces it from its configuration before running the \
                 file, so the file cannot be replayed as written; write the value in",
                &text[offset..end]
            ),
        });
    }
    Ok(text)
}

/// A script configuration file: `executeInTransaction=false` → `true`.
fn read_conf(path: &Path) -> Result<bool, MigrationsError> {
    let text = read_sql_file(path)?;
    let mut no_transaction = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once('=').map(|(k, v)| (k.trim(), v.trim())) {
            Some(("executeInTransaction", "false")) => no_transaction = true,
            Some(("executeInTransaction", "true")) => no_transaction = false,
            _ => {
                return Err(at(
                    path,
                    i + 1,
                    format!(
                        "`{line}`: the script configuration read here is `executeInTransaction=true|false`"
                    ),
                ));
            }
        }
    }
    Ok(no_transaction)
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
    fn names_and_order() {
        assert!(parse("V1__init.sql").is_some());
        assert_eq!(
            parse("V1_1__x.sql").map(|n| n.version),
            Some("1.1".to_string())
        );
        assert!(parse("V1_init.sql").is_none());
        assert!(parse("Vx__init.sql").is_none());
        assert!(parse("V1.__init.sql").is_none());
        assert!(
            looks_like("V1_init.sql") && looks_like("R__views.sql") && !looks_like("Version.sql")
        );
        assert_eq!(version_cmp("1.10", "1.9"), Ordering::Greater);
        assert_eq!(version_cmp("1.0", "1"), Ordering::Equal);
        assert_eq!(version_cmp("2", "10"), Ordering::Less);
        assert_eq!(version_cmp("1.01", "1.1"), Ordering::Equal);
    }

    #[test]
    fn versioned_and_undo() {
        let tmp = folder(&[
            ("V10__later.sql", "CREATE TABLE c (a int);"),
            ("V2__users.sql", "CREATE TABLE u (a int);"),
            ("U2__users.sql", "DROP TABLE u;"),
            ("V2_1__idx.sql", "CREATE INDEX CONCURRENTLY i ON u (a);"),
            (
                "V2_1__idx.sql.conf",
                "# no tx\nexecuteInTransaction=false\n",
            ),
        ]);
        let (layout, ms) = load_with_layout(tmp.path(), Dialect::Postgres).unwrap();
        assert_eq!(layout, Layout::Flyway);
        let ids: Vec<_> = ms
            .iter()
            .map(|m| (m.id(), m.no_transaction, m.down.is_some()))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("2_users".to_string(), false, true),
                ("2.1_idx".to_string(), true, false),
                ("10_later".to_string(), false, false),
            ]
        );
    }

    #[test]
    fn repeatables_come_last_in_description_order() {
        let tmp = folder(&[
            (
                "R__views.sql",
                "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;",
            ),
            ("V2__b.sql", "CREATE TABLE b (a int);"),
            ("R__functions.sql", "SELECT 1;"),
            ("R__functions.sql.conf", "executeInTransaction=false\n"),
            ("V1__a.sql", "CREATE TABLE a (a int);"),
        ]);
        let (layout, ms) = load_with_layout(tmp.path(), Dialect::Postgres).unwrap();
        assert_eq!(layout, Layout::Flyway);
        let ids: Vec<_> = ms
            .iter()
            .map(|m| (m.version.as_str(), m.is_repeatable(), m.no_transaction))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("1", false, false),
                ("2", false, false),
                ("R__functions", true, true),
                ("R__views", true, false),
            ]
        );
    }

    #[test]
    fn subfolders_are_read_as_flyway_reads_them() {
        let tmp = folder(&[("V1__a.sql", "CREATE TABLE a (a int);")]);
        std::fs::create_dir_all(tmp.path().join("v2/views")).unwrap();
        std::fs::write(tmp.path().join("v2/V2__b.sql"), "CREATE TABLE b (a int);").unwrap();
        std::fs::write(tmp.path().join("v2/views/R__v.sql"), "SELECT 1;").unwrap();
        let (_, ms) = load_with_layout(tmp.path(), Dialect::Postgres).unwrap();
        let ids: Vec<_> = ms.iter().map(|m| m.version.as_str()).collect();
        assert_eq!(ids, ["1", "2", "R__v"]);

        std::fs::write(tmp.path().join("R__v.sql"), "SELECT 2;").unwrap();
        let err = load_with_layout(tmp.path(), Dialect::Postgres)
            .unwrap_err()
            .to_string();
        assert!(err.contains("two migrations with version R__v"), "{err}");
    }

    #[test]
    fn broken_rules_are_errors() {
        for (files, want) in [
            (
                vec![("V1__a.sql", ""), ("V1_b.sql", "")],
                "V1_b.sql: not a migration name",
            ),
            (
                vec![("V1__a.sql", ""), ("V1.0__b.sql", "")],
                "two migrations with version 1",
            ),
            (
                vec![("V1__a.sql", ""), ("U2__b.sql", "")],
                "U2__b.sql: a down migration without",
            ),
            (
                vec![("V1__a.sql", ""), ("R__.sql", "")],
                "R__.sql: not a migration name: a Flyway repeatable migration needs a description",
            ),
            (
                vec![(
                    "V1__a.sql",
                    "CREATE SCHEMA s;\nCREATE TABLE ${schema}.t (a int);",
                )],
                "V1__a.sql:2:14: Flyway placeholder `${schema}`",
            ),
            (
                vec![("V1__a.sql", ""), ("V1__a.sql.conf", "encoding=latin1\n")],
                "V1__a.sql.conf:1: `encoding=latin1`",
            ),
        ] {
            let tmp = folder(&files);
            let err = load_with_layout(tmp.path(), Dialect::Postgres)
                .unwrap_err()
                .to_string();
            assert!(err.contains(want), "{files:?}: {err}");
        }
    }
}
