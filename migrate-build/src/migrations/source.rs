//! Reading the layouts: one function per layout, all returning migrations
//! sorted in application order.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Layout, Migration, MigrationFile, MigrationsError, NO_TRANSACTION_DIRECTIVE};
use crate::dialect::Dialect;

/// The lock file lives in the migrations folder and is not a migration.
const LOCK_FILE: &str = "migrate.lock";

pub(super) struct Entry {
    pub name: String,
    pub path: PathBuf,
    pub is_dir: bool,
}

/// The folder's entries that could be migrations: hidden entries and the
/// lock file are left out. A missing folder has none.
pub(super) fn read_entries(dir: &Path) -> Result<Vec<Entry>, MigrationsError> {
    let io = |source| MigrationsError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(e)),
    };
    let mut entries = Vec::new();
    for entry in read {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            return Err(MigrationsError::MalformedName {
                path,
                reason: "the name is not valid UTF-8".to_string(),
            });
        };
        if name.starts_with('.') || name == LOCK_FILE {
            continue;
        }
        // Follows symlinks: a linked migration folder is a migration folder.
        let is_dir = std::fs::metadata(&path)
            .map_err(|source| MigrationsError::Io {
                path: path.clone(),
                source,
            })?
            .is_dir();
        entries.push(Entry { name, path, is_dir });
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

pub(super) fn detect(entries: &[Entry]) -> Result<Layout, MigrationsError> {
    let files = || entries.iter().filter(|e| !e.is_dir);
    if files().any(|e| e.name == super::formats::atlas::SUM_FILE) {
        return Ok(Layout::Atlas);
    }
    if super::formats::prisma::looks_like(entries) {
        return Ok(Layout::Prisma);
    }
    if files().any(|e| super::formats::flyway::looks_like(&e.name)) {
        return Ok(Layout::Flyway);
    }
    let version_dir = entries
        .iter()
        .any(|e| e.is_dir && folder_version(&e.name).is_some());
    let sql_file = entries
        .iter()
        .any(|e| !e.is_dir && e.name.ends_with(".sql"));
    // A folder of sqlx files may hold other folders (fixtures); a folder of
    // folders may hold loose scripts (diesel ignores them).
    if version_dir || (!sql_file && entries.iter().any(|e| e.is_dir)) {
        return Ok(Layout::Folders);
    }
    if entries
        .iter()
        .filter_map(|e| parse_popx(&e.name))
        .any(|p| p.dialect != PopxDialect::All || p.autocommit)
    {
        return Ok(Layout::PopxFiles);
    }
    // One file per migration with sections inside: only the text tells.
    for entry in files().filter(|e| e.name.ends_with(".sql") && !e.name.ends_with(".down.sql")) {
        let text = read(&entry.path)?;
        if super::formats::goose::looks_like(&text) {
            return Ok(Layout::Goose);
        }
        if super::formats::dbmate::looks_like(&text) {
            return Ok(Layout::Dbmate);
        }
    }
    Ok(Layout::SqlxFiles)
}

// ---------------------------------------------------------------- folders

/// The version of a diesel-style folder name: before the first `_`, dashes
/// removed; `None` when that is not digits and dashes starting with a digit.
pub(super) fn folder_version(dir_name: &str) -> Option<String> {
    let raw = dir_name.split('_').next().unwrap_or(dir_name);
    let starts_with_digit = raw.bytes().next().is_some_and(|b| b.is_ascii_digit());
    if !starts_with_digit || !raw.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return None;
    }
    Some(raw.replace('-', ""))
}

pub(super) fn load_folders(entries: &[Entry]) -> Result<Vec<Migration>, MigrationsError> {
    let mut migrations: Vec<Migration> = Vec::new();
    // Diesel ignores loose files beside the folders (crates.io keeps a data script there).
    for entry in entries.iter().filter(|e| e.is_dir) {
        let Some(version) = folder_version(&entry.name) else {
            return Err(MigrationsError::MalformedName {
                path: entry.path.clone(),
                reason: "expected `<version>_<name>` with a version of digits \
                         (`20261125093000_add_users` or diesel's `2019-11-15-182353_add_users`)"
                    .to_string(),
            });
        };
        let name = entry
            .name
            .split_once('_')
            .map(|(_, n)| n.to_string())
            .unwrap_or_default();
        let up_path = entry.path.join("up.sql");
        let Some(up) = read_optional(&up_path)? else {
            return Err(MigrationsError::MissingUp {
                path: entry.path.clone(),
            });
        };
        let down_path = entry.path.join("down.sql");
        let down = read_optional(&down_path)?.map(|sql| MigrationFile {
            path: down_path,
            sql,
        });
        let metadata_says_no_tx = read_diesel_metadata(&entry.path.join("metadata.toml"))?;
        migrations.push(Migration {
            version,
            name,
            no_transaction: metadata_says_no_tx || has_directive(&up),
            up: MigrationFile {
                path: up_path,
                sql: up,
            },
            down,
        });
    }
    // Diesel compares versions as strings; ties are caught below.
    migrations.sort_by(|a, b| a.version.cmp(&b.version));
    reject_duplicates(&migrations)?;
    Ok(migrations)
}

/// Diesel's `metadata.toml`: `run_in_transaction = false` → `true`.
fn read_diesel_metadata(path: &Path) -> Result<bool, MigrationsError> {
    let Some(text) = read_optional(path)? else {
        return Ok(false);
    };
    let error = |span: std::ops::Range<usize>, message: String| {
        let (line, column) = line_col(&text, span.start);
        MigrationsError::Metadata {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let table = toml::de::DeTable::parse(&text)
        .map_err(|e| error(e.span().unwrap_or(0..0), e.message().to_string()))?;
    let Some(value) = table.get_ref().get("run_in_transaction") else {
        return Ok(false);
    };
    match value.get_ref() {
        toml::de::DeValue::Boolean(b) => Ok(!b),
        _ => Err(error(
            value.span(),
            "`run_in_transaction` must be `true` or `false`".to_string(),
        )),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

// ---------------------------------------------------------------- sqlx

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Simple,
    Up,
    Down,
}

pub(super) fn load_sqlx(entries: &[Entry]) -> Result<Vec<Migration>, MigrationsError> {
    struct Parts {
        name: String,
        up: Option<(PathBuf, Direction)>,
        down: Option<PathBuf>,
    }
    let mut by_version: BTreeMap<String, Parts> = BTreeMap::new();
    for entry in entries.iter().filter(|e| !e.is_dir) {
        let Some(stem) = entry.name.strip_suffix(".sql") else {
            continue; // README.md and friends
        };
        let (stem, direction) = if let Some(s) = stem.strip_suffix(".up") {
            (s, Direction::Up)
        } else if let Some(s) = stem.strip_suffix(".down") {
            (s, Direction::Down)
        } else {
            (stem, Direction::Simple)
        };
        let malformed = || MigrationsError::MalformedName {
            path: entry.path.clone(),
            reason: "expected `<version>_<name>.sql`, `.up.sql` or `.down.sql` \
                     with a numeric version"
                .to_string(),
        };
        let (version, name) = stem.split_once('_').ok_or_else(malformed)?;
        if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
            return Err(malformed());
        }
        let parts = by_version.entry(version.to_string()).or_insert(Parts {
            name: name.to_string(),
            up: None,
            down: None,
        });
        let slot_taken = match direction {
            Direction::Simple | Direction::Up => parts.up.is_some(),
            Direction::Down => parts.down.is_some(),
        };
        let other = parts.up.as_ref().map(|(p, _)| p).or(parts.down.as_ref());
        if slot_taken || parts.name != name {
            return Err(MigrationsError::DuplicateVersion {
                version: version.to_string(),
                first: other.cloned().unwrap_or_default(),
                second: entry.path.clone(),
            });
        }
        match direction {
            Direction::Simple | Direction::Up => parts.up = Some((entry.path.clone(), direction)),
            Direction::Down => parts.down = Some(entry.path.clone()),
        }
    }
    let mut migrations = Vec::with_capacity(by_version.len());
    for (version, parts) in by_version {
        let Some((up_path, direction)) = parts.up else {
            return Err(MigrationsError::DownWithoutUp {
                path: parts.down.unwrap_or_default(),
            });
        };
        if direction == Direction::Simple
            && let Some(down) = parts.down
        {
            return Err(MigrationsError::MalformedName {
                path: down,
                reason: format!(
                    "a down migration needs an `.up.sql` beside it, not `{}`",
                    up_path.display()
                ),
            });
        }
        let up = read(&up_path)?;
        let down = match parts.down {
            Some(path) => Some(MigrationFile {
                sql: read(&path)?,
                path,
            }),
            None => None,
        };
        migrations.push(Migration {
            version,
            name: parts.name,
            no_transaction: up.starts_with("-- no-transaction") || has_directive(&up),
            up: MigrationFile {
                path: up_path,
                sql: up,
            },
            down,
        });
    }
    // sqlx parses versions as integers.
    migrations.sort_by(|a, b| numeric_cmp(&a.version, &b.version));
    Ok(migrations)
}

/// Compares digit strings as numbers, whatever their length.
pub(super) fn numeric_cmp(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

// ---------------------------------------------------------------- popx

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PopxDialect {
    /// No dialect infix: for every database unless one has its own file.
    All,
    Known(Dialect),
    /// MySQL and CockroachDB: parsed, never selected.
    Other,
}

struct PopxName<'a> {
    version: &'a str,
    name: &'a str,
    dialect: PopxDialect,
    autocommit: bool,
    up: bool,
}

/// `^(\d+)_([^.]+)(\.<dialect>)?(\.autocommit)?\.(up|down)\.sql$`, as popx
/// matches it; `None` when the name does not have that shape.
fn parse_popx(file: &str) -> Option<PopxName<'_>> {
    let stem = file.strip_suffix(".sql")?;
    let (stem, up) = match stem.strip_suffix(".up") {
        Some(s) => (s, true),
        None => (stem.strip_suffix(".down")?, false),
    };
    let mut parts = stem.split('.');
    let head = parts.next()?;
    let (version, name) = head.split_once('_')?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) || name.is_empty() {
        return None;
    }
    let mut dialect = PopxDialect::All;
    let mut autocommit = false;
    match (parts.next(), parts.next(), parts.next()) {
        (None, _, _) => {}
        (Some("autocommit"), None, _) => autocommit = true,
        (Some(d), None, _) => dialect = popx_dialect(d)?,
        (Some(d), Some("autocommit"), None) => {
            dialect = popx_dialect(d)?;
            autocommit = true;
        }
        _ => return None,
    }
    Some(PopxName {
        version,
        name,
        dialect,
        autocommit,
        up,
    })
}

/// pop's canonical dialect names and their aliases.
fn popx_dialect(s: &str) -> Option<PopxDialect> {
    match s {
        "sqlite3" | "sqlite" => Some(PopxDialect::Known(Dialect::Sqlite)),
        "postgres" | "postgresql" | "pg" => Some(PopxDialect::Known(Dialect::Postgres)),
        "mysql" | "cockroach" | "cockroachdb" | "crdb" => Some(PopxDialect::Other),
        _ => None,
    }
}

pub(super) fn load_popx(
    entries: &[Entry],
    dialect: Dialect,
) -> Result<Vec<Migration>, MigrationsError> {
    // Per version: [generic up, dialect's up, generic down, dialect's down].
    let mut by_version: BTreeMap<&str, [Option<&Entry>; 4]> = BTreeMap::new();
    for entry in entries.iter().filter(|e| !e.is_dir) {
        if !entry.name.ends_with(".sql") {
            continue;
        }
        let Some(p) = parse_popx(&entry.name) else {
            return Err(MigrationsError::MalformedName {
                path: entry.path.clone(),
                reason: "expected `<version>_<name>[.<dialect>][.autocommit].(up|down).sql` \
                         with dialect sqlite3, sqlite, postgres, mysql or cockroach"
                    .to_string(),
            });
        };
        let specific = match p.dialect {
            PopxDialect::All => 0,
            PopxDialect::Known(d) if d == dialect => 1,
            PopxDialect::Known(_) | PopxDialect::Other => continue,
        };
        let slot = if p.up { 0 } else { 2 } + specific;
        let slots = by_version.entry(p.version).or_default();
        if let Some(first) = slots[slot].replace(entry) {
            return Err(MigrationsError::DuplicateVersion {
                version: p.version.to_string(),
                first: first.path.clone(),
                second: entry.path.clone(),
            });
        }
    }
    let mut migrations = Vec::new();
    for (version, [up_all, up_own, down_all, down_own]) in by_version {
        // The dialect's own file wins over the generic one, separately for up and down.
        let Some(up_entry) = up_own.or(up_all) else {
            continue;
        };
        let Some(parsed) = parse_popx(&up_entry.name) else {
            continue; // every entry in the map parsed above
        };
        let up = read(&up_entry.path)?;
        let down = match down_own.or(down_all) {
            Some(e) => Some(MigrationFile {
                sql: read(&e.path)?,
                path: e.path.clone(),
            }),
            None => None,
        };
        // popx records an empty up file as applied without running it, and
        // runs its down file when reverting: fizz splits a SQLite table
        // rebuild's down over the versions after the one it reverts, whose
        // up files are empty. A version empty both ways does nothing.
        let down_blank = down.as_ref().is_none_or(|d| is_blank_sql(&d.sql));
        if is_blank_sql(&up) && down_blank {
            continue;
        }
        migrations.push(Migration {
            version: version.to_string(),
            name: parsed.name.to_string(),
            no_transaction: parsed.autocommit || has_directive(&up),
            up: MigrationFile {
                path: up_entry.path.clone(),
                sql: up,
            },
            down,
        });
    }
    // popx sorts versions as strings: the BTreeMap already did.
    Ok(migrations)
}

/// Nothing but white space and comments.
pub(super) fn is_blank_sql(sql: &str) -> bool {
    let mut rest = sql.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r).trim_start();
        } else {
            return rest.is_empty();
        }
    }
}

// ---------------------------------------------------------------- shared

/// Whether the first line is our `-- migrate:no-transaction` directive.
pub(super) fn has_directive(sql: &str) -> bool {
    let sql = sql.strip_prefix('\u{feff}').unwrap_or(sql);
    sql.lines()
        .next()
        .is_some_and(|l| l.trim_end() == NO_TRANSACTION_DIRECTIVE)
}

fn reject_duplicates(sorted: &[Migration]) -> Result<(), MigrationsError> {
    for pair in sorted.windows(2) {
        if let [a, b] = pair
            && a.version == b.version
        {
            return Err(MigrationsError::DuplicateVersion {
                version: a.version.clone(),
                first: a.up.path.clone(),
                second: b.up.path.clone(),
            });
        }
    }
    Ok(())
}

/// A SQL file's text (a migration or a schema file) without its byte-order
/// mark: see [`decode_sql`].
pub fn read_sql_file(path: &Path) -> Result<String, MigrationsError> {
    let bytes = std::fs::read(path).map_err(|source| MigrationsError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    decode_sql(path, bytes)
}

fn read(path: &Path) -> Result<String, MigrationsError> {
    read_sql_file(path)
}

fn read_optional(path: &Path) -> Result<Option<String>, MigrationsError> {
    match std::fs::read(path) {
        Ok(bytes) => decode_sql(path, bytes).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(MigrationsError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The text of a file's `bytes`: UTF-8 with a leading byte-order mark
/// dropped (editors on Windows write one). Anything else that is not UTF-8 is
/// an error at the line and column of its first bad byte.
pub fn decode_sql(path: &Path, bytes: Vec<u8>) -> Result<String, MigrationsError> {
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let valid = e.utf8_error().valid_up_to();
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, column) = line_col(before, valid);
        MigrationsError::NotUtf8 {
            path: path.to_path_buf(),
            line,
            column,
            byte: bytes.get(valid).copied().unwrap_or_default(),
        }
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn popx_names() {
        let p = parse_popx("20150100000001000000_networks.sqlite3.up.sql").unwrap();
        assert_eq!(
            (p.version, p.name, p.up, p.autocommit),
            ("20150100000001000000", "networks", true, false)
        );
        assert_eq!(p.dialect, PopxDialect::Known(Dialect::Sqlite));
        let p = parse_popx("1_x.postgres.autocommit.down.sql").unwrap();
        assert!(p.autocommit && !p.up && p.dialect == PopxDialect::Known(Dialect::Postgres));
        let p = parse_popx("1_x.autocommit.up.sql").unwrap();
        assert!(p.autocommit && p.dialect == PopxDialect::All);
        assert!(parse_popx("1_x.mysql.up.sql").is_some_and(|p| p.dialect == PopxDialect::Other));
        assert!(parse_popx("1_x.oracle.up.sql").is_none());
        assert!(parse_popx("20240309082057_release_status_view.sql.up.sql").is_none());
        assert!(parse_popx("x_y.up.sql").is_none());
        assert!(parse_popx("1_x.sql").is_none());
    }

    #[test]
    fn blank_sql() {
        assert!(is_blank_sql(""));
        assert!(is_blank_sql("  \n-- nothing\n/* block\n */\n"));
        assert!(!is_blank_sql("-- c\nSELECT 1;"));
        assert!(!is_blank_sql("/* a */ DROP TABLE x;"));
    }

    #[test]
    fn folder_versions() {
        assert_eq!(
            folder_version("2019-11-15-182353_Add email").as_deref(),
            Some("20191115182353")
        );
        assert_eq!(
            folder_version("2026-07-30-140000-0000_x").as_deref(),
            Some("202607301400000000")
        );
        assert_eq!(
            folder_version("00000000000000_diesel_initial_setup").as_deref(),
            Some("00000000000000")
        );
        assert_eq!(
            folder_version("20140924113530").as_deref(),
            Some("20140924113530")
        );
        assert_eq!(folder_version("docs_x"), None);
        assert_eq!(folder_version("-1_x"), None);
    }

    #[test]
    fn numeric_order() {
        assert_eq!(numeric_cmp("9", "10"), Ordering::Less);
        assert_eq!(numeric_cmp("010", "9"), Ordering::Greater);
        assert_eq!(
            numeric_cmp("20220419082412", "20220419082412"),
            Ordering::Equal
        );
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("a\nbé c", 6), (2, 4));
        assert_eq!(line_col("abc", 0), (1, 1));
    }

    use crate::migrations::load;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn folders_ignore_loose_files_and_hidden_entries() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        write(d, "README.md", "docs");
        write(d, ".keep", "");
        write(d, "data.sql", "INSERT INTO t VALUES (1);");
        write(d, ".git/x/up.sql", "");
        write(d, "2019-11-15-182353_Add email/up.sql", "\u{feff}SELECT 1;");
        write(
            d,
            "20191115182354_b/up.sql",
            "-- migrate:no-transaction\r\nCREATE INDEX CONCURRENTLY i ON t (a);",
        );
        write(d, "20191115182354_b/down.sql", "DROP INDEX i;");
        write(d, "20191115182355_c/up.sql", "SELECT 2;");
        write(
            d,
            "20191115182355_c/metadata.toml",
            "run_in_transaction = false\n",
        );
        let ms = load(d, Dialect::Postgres).unwrap();
        let got: Vec<(String, bool, bool)> = ms
            .iter()
            .map(|m| (m.id(), m.no_transaction, m.down.is_some()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("20191115182353_Add email".to_string(), false, false),
                ("20191115182354_b".to_string(), true, true),
                ("20191115182355_c".to_string(), true, false),
            ]
        );
        assert_eq!(ms[0].up.sql, "SELECT 1;");
    }

    #[test]
    fn folder_errors_name_the_entry() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        write(d, "20200101000000_a/up.sql", "SELECT 1;");
        write(d, "notes/x.txt", "");
        let err = load(d, Dialect::Sqlite).unwrap_err().to_string();
        assert!(err.contains("notes: not a migration name"), "{err}");

        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        write(d, "20200101000000_a/down.sql", "SELECT 1;");
        let err = load(d, Dialect::Sqlite).unwrap_err().to_string();
        assert!(
            err.contains(
                "20200101000000_a: migration folder has no up.sql and migrate.lock does not know it"
            ),
            "{err}"
        );

        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        write(d, "2020-01-01-000000_a/up.sql", "");
        write(d, "20200101000000_b/up.sql", "");
        assert!(
            matches!(load(d, Dialect::Sqlite), Err(MigrationsError::DuplicateVersion { version, .. }) if version == "20200101000000")
        );

        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        write(d, "20200101000000_a/up.sql", "");
        write(
            d,
            "20200101000000_a/metadata.toml",
            "\nrun_in_transaction = \"no\"\n",
        );
        let err = load(d, Dialect::Sqlite).unwrap_err().to_string();
        assert!(
            err.ends_with("metadata.toml:2:22: `run_in_transaction` must be `true` or `false`"),
            "{err}"
        );

        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        write(d, "20200101000000_a/up.sql", "\u{ff}\u{fe}");
        std::fs::write(d.join("20200101000000_a/up.sql"), b"\xff\xfe").unwrap();
        assert!(matches!(
            load(d, Dialect::Sqlite),
            Err(MigrationsError::NotUtf8 {
                line: 1,
                column: 1,
                byte: 0xff,
                ..
            })
        ));
        let mut bytes = b"SELECT 1;\nSELECT '\xc3\xa9".to_vec();
        bytes.extend_from_slice(b"\xe9';");
        std::fs::write(d.join("20200101000000_a/up.sql"), bytes).unwrap();
        let err = load(d, Dialect::Sqlite).unwrap_err().to_string();
        assert!(
            err.ends_with("up.sql:2:10: not valid UTF-8 (byte 0xe9); save the file as UTF-8"),
            "{err}"
        );
    }

    #[test]
    fn sqlx_files() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        write(d, "README.md", "");
        write(d, "migrate.lock", "");
        write(
            d,
            "10_ten.sql",
            "-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);",
        );
        write(d, "9_nine.up.sql", "SELECT 9;");
        write(d, "9_nine.down.sql", "SELECT -9;");
        let ms = load(d, Dialect::Postgres).unwrap();
        let got: Vec<(String, bool)> = ms.iter().map(|m| (m.id(), m.no_transaction)).collect();
        assert_eq!(
            got,
            vec![("9_nine".to_string(), false), ("10_ten".to_string(), true)]
        );
        assert_eq!(
            ms[0].down.as_ref().map(|f| f.sql.as_str()),
            Some("SELECT -9;")
        );

        write(d, "fixtures/seed.sql", "");
        assert_eq!(
            load(d, Dialect::Postgres).unwrap().len(),
            2,
            "sub-folders of a sqlx folder are ignored"
        );
        write(d, "x_bad.sql", "");
        let err = load(d, Dialect::Postgres).unwrap_err().to_string();
        assert!(err.contains("x_bad.sql: not a migration name"), "{err}");
        std::fs::remove_file(d.join("x_bad.sql")).unwrap();

        write(d, "10_ten.up.sql", "");
        assert!(matches!(
            load(d, Dialect::Postgres),
            Err(MigrationsError::DuplicateVersion { .. })
        ));
        std::fs::remove_file(d.join("10_ten.up.sql")).unwrap();

        write(d, "11_orphan.down.sql", "");
        assert!(matches!(
            load(d, Dialect::Postgres),
            Err(MigrationsError::DownWithoutUp { .. })
        ));
    }

    #[test]
    fn popx_selection() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        write(d, "1_a.up.sql", "generic");
        write(d, "1_a.postgres.up.sql", "pg");
        write(d, "1_a.down.sql", "generic down");
        write(d, "2_b.sqlite3.up.sql", "lite");
        write(d, "3_c.autocommit.up.sql", "CREATE INDEX x ON t (a);");
        write(d, "4_d.postgres.up.sql", "-- only a comment\n");
        write(d, "5_e.mysql.up.sql", "my");
        // An empty up whose down does the work (fizz's split rebuilds).
        write(d, "7_g.sqlite3.up.sql", "");
        write(d, "7_g.sqlite3.down.sql", "DROP TABLE \"t\";");
        // A down for another dialect's version only: never recorded.
        write(d, "8_h.postgres.up.sql", "pg only");
        write(d, "8_h.down.sql", "DROP TABLE x;");
        let pg = load(d, Dialect::Postgres).unwrap();
        let got: Vec<(String, String, bool)> = pg
            .iter()
            .map(|m| (m.id(), m.up.sql.clone(), m.no_transaction))
            .collect();
        assert_eq!(
            got,
            vec![
                ("1_a".to_string(), "pg".to_string(), false),
                (
                    "3_c".to_string(),
                    "CREATE INDEX x ON t (a);".to_string(),
                    true
                ),
                ("8_h".to_string(), "pg only".to_string(), false),
            ]
        );
        assert_eq!(
            pg[0].down.as_ref().map(|f| f.sql.as_str()),
            Some("generic down")
        );
        let lite = load(d, Dialect::Sqlite).unwrap();
        let ids: Vec<String> = lite.iter().map(|m| m.id()).collect();
        assert_eq!(ids, vec!["1_a", "2_b", "3_c", "7_g"]);
        assert_eq!(lite[0].up.sql, "generic");
        assert_eq!(lite[3].up.sql, "");
        assert_eq!(
            lite[3].down.as_ref().map(|f| f.sql.as_str()),
            Some("DROP TABLE \"t\";")
        );

        write(d, "2_b.sqlite.up.sql", "dup");
        assert!(matches!(
            load(d, Dialect::Sqlite),
            Err(MigrationsError::DuplicateVersion { .. })
        ));
        std::fs::remove_file(d.join("2_b.sqlite.up.sql")).unwrap();
        write(d, "6_f.oracle.up.sql", "");
        let err = load(d, Dialect::Sqlite).unwrap_err().to_string();
        assert!(
            err.contains("6_f.oracle.up.sql: not a migration name"),
            "{err}"
        );
    }
}
