//! Migration folders: reading the layouts other tools write (ours, diesel,
//! sqlx, Ory's popx), writing new migrations, checksums and the lock file.
//!
//! Our own layout is diesel's: `migrations/<version>_<name>/up.sql` and
//! `down.sql`, where the version is a UTC timestamp `YYYYMMDDHHMMSS`. A first
//! line `-- migrate:no-transaction` runs a migration outside a transaction
//! (for `CREATE INDEX CONCURRENTLY`), in every layout.
//!
//! Each layout sorts its migrations the way the tool that wrote them does,
//! because that is the order they were applied in on every existing database.

mod checksum;
#[cfg(test)]
mod corpus_tests;
mod formats;
pub mod lock;
mod sha256;
mod source;

pub(crate) use source::line_col;
pub use source::{decode_sql, read_sql_file};

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::dialect::Dialect;

pub use checksum::checksum;
pub use lock::{Lock, LockEntry, LockMismatch, LockProblem};

/// The history tables other migration tools keep (Prisma, sqlx, diesel,
/// golang-migrate / dbmate / Rails, goose, Flyway, Atlas). A migration
/// folder adopted from one of them may touch its table, which no migration
/// created: the replay skips such statements, and drift checks leave these
/// tables out.
pub const FOREIGN_HISTORY_TABLES: &[&str] = &[
    "_prisma_migrations",
    "_sqlx_migrations",
    "__diesel_schema_migrations",
    "schema_migrations",
    "goose_db_version",
    "flyway_schema_history",
    "atlas_schema_revisions",
];

/// The first-line directive that runs a migration outside a transaction.
pub const NO_TRANSACTION_DIRECTIVE: &str = "-- migrate:no-transaction";

/// How a migrations folder is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `<version>_<name>/up.sql` + `down.sql` (ours and diesel's). Diesel's
    /// versions may contain dashes (`2019-11-15-182353`); they are removed
    /// and versions compare as strings.
    Folders,
    /// sqlx: `<version>_<name>.sql` (up only) or `.up.sql` + `.down.sql`;
    /// versions compare as numbers.
    SqlxFiles,
    /// Ory's popx: `<version>_<name>[.<dialect>][.autocommit].(up|down).sql`,
    /// one folder for every database, the dialect's own file winning.
    PopxFiles,
    /// Prisma Migrate: `<timestamp>_<name>/migration.sql`, `migration_lock.toml`.
    Prisma,
    /// dbmate: `<version>_<name>.sql` with `-- migrate:up` / `-- migrate:down`.
    Dbmate,
    /// goose: `<version>_<name>.sql` with `-- +goose Up` / `-- +goose Down`.
    Goose,
    /// Flyway: `V<version>__<description>.sql`, `U…` undo files.
    Flyway,
    /// Atlas: `<version>_<name>.sql` with a verified `atlas.sum`.
    Atlas,
}

impl Layout {
    /// Every layout, with the names the `format` config key and
    /// `--migrations-format` accept (the first is the canonical one).
    pub const NAMES: &[(&str, Layout)] = &[
        ("folders", Layout::Folders),
        ("diesel", Layout::Folders),
        ("sqlx", Layout::SqlxFiles),
        ("golang-migrate", Layout::SqlxFiles),
        ("popx", Layout::PopxFiles),
        ("prisma", Layout::Prisma),
        ("dbmate", Layout::Dbmate),
        ("goose", Layout::Goose),
        ("flyway", Layout::Flyway),
        ("atlas", Layout::Atlas),
    ];

    /// The layout a format name means (see [`Layout::NAMES`]).
    pub fn from_name(name: &str) -> Option<Layout> {
        Layout::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, l)| *l)
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        Layout::NAMES
            .iter()
            .find(|(_, l)| *l == self)
            .map_or("folders", |(n, _)| n)
    }

    /// Whether migrations of this layout can keep a down part.
    pub fn has_downs(self) -> bool {
        match self {
            Layout::Folders
            | Layout::SqlxFiles
            | Layout::PopxFiles
            | Layout::Dbmate
            | Layout::Goose
            | Layout::Flyway => true,
            Layout::Prisma | Layout::Atlas => false,
        }
    }
}

/// One migration, as read from the folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migration {
    /// The sort key as written by the tool that made the migration: ours
    /// `YYYYMMDDHHMMSS`; diesel's directory name before the first `_` with
    /// `-` removed; sqlx's and popx's numeric prefix.
    pub version: String,
    /// The description part of the name.
    pub name: String,
    pub up: MigrationFile,
    pub down: Option<MigrationFile>,
    /// Runs outside a transaction: our first-line directive, diesel's
    /// `metadata.toml` `run_in_transaction = false`, sqlx's `-- no-transaction`,
    /// popx's `.autocommit.` files.
    pub no_transaction: bool,
}

/// The version of a repeatable migration (Flyway's `R__<description>.sql`)
/// is this prefix and its description: no other format's version starts
/// with a letter, so the history table tells them apart too.
pub const REPEATABLE_PREFIX: &str = "R__";

impl Migration {
    /// A repeatable migration: run after every versioned one, and run again
    /// whenever its checksum differs from the one recorded. It has no down,
    /// and the lock file leaves it out (it may change).
    pub fn is_repeatable(&self) -> bool {
        self.version.starts_with(REPEATABLE_PREFIX)
    }

    /// The checksum of `up.sql` (see [`checksum()`]).
    pub fn checksum(&self) -> String {
        checksum(self.up.sql.as_bytes())
    }

    /// `<version>_<name>`, how the lock file and messages name a migration.
    pub fn id(&self) -> String {
        format!("{}_{}", self.version, self.name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationFile {
    pub path: PathBuf,
    /// The file's text, without a leading byte-order mark.
    pub sql: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MigrationsError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8", path.display())]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
        /// The first byte that is not UTF-8.
        byte: u8,
    },
    #[error("{}: not a migration name: {reason}", path.display())]
    MalformedName { path: PathBuf, reason: String },
    #[error(
        "{}: migration folder has no up.sql, but migrate.lock lists it: restore it from version control",
        path.display()
    )]
    MissingUp { path: PathBuf },
    #[error(
        "{}: migration folder has no up.sql and migrate.lock does not know it: it looks like a half-written \
         migration (an interrupted `cargo migrate new`)\nhelp: delete the folder and run `cargo migrate new <name>` \
         again; if you are writing it by hand, add its up.sql and run `cargo migrate hash`",
        path.display()
    )]
    HalfWritten { path: PathBuf },
    /// A file of a recognised format that breaks that format's rules.
    #[error("{}:{line}: {message}", path.display())]
    Format {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}: a down migration without its up migration", path.display())]
    DownWithoutUp { path: PathBuf },
    #[error("{} and {}: two migrations with version {version}", first.display(), second.display())]
    DuplicateVersion {
        version: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Metadata {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("invalid migration name `{name}`: {reason}")]
    InvalidName { name: String, reason: &'static str },
    #[error("invalid migration version `{version}`: expected 14 digits (YYYYMMDDHHMMSS)")]
    InvalidVersion { version: String },
    #[error("{}: a migration with version {version} exists already", existing.display())]
    VersionTaken { version: String, existing: PathBuf },
    #[error("{}:{line}: {message}", path.display())]
    LockSyntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error(
        "{}: the first line's hash does not match the entries below it (edited by hand, or a merge kept lines from two branches); check the migrations, then run `cargo migrate hash`",
        path.display()
    )]
    LockSumMismatch { path: PathBuf },
}
/// The schema `migrations` produce, replayed in order by the interpreter and
/// sorted; `display` names each file in error messages.
pub fn replay<'m>(
    dialect: Dialect,
    migrations: impl IntoIterator<Item = &'m Migration>,
    display: impl Fn(&Path) -> String,
) -> Result<crate::Schema, crate::ddl::DdlError> {
    Ok(replay_with_report(dialect, migrations, display)?.0)
}

/// [`replay`], with what the interpreter skipped and what it could not see
/// (DDL in `DO` blocks and routine bodies, [`crate::ddl::ApplyReport::unmodelled`]).
pub fn replay_with_report<'m>(
    dialect: Dialect,
    migrations: impl IntoIterator<Item = &'m Migration>,
    display: impl Fn(&Path) -> String,
) -> Result<(crate::Schema, crate::ddl::ApplyReport), crate::ddl::DdlError> {
    let files: Vec<(String, &str)> = migrations
        .into_iter()
        .map(|m| (display(&m.up.path), m.up.sql.as_str()))
        .collect();
    let sources: Vec<crate::ddl::SourceFile<'_>> = files
        .iter()
        .map(|(path, sql)| crate::ddl::SourceFile { path, sql })
        .collect();
    let (mut schema, report) = crate::ddl::replay_migrations(dialect, &sources)?;
    schema.sort();
    Ok((schema, report))
}

/// The line `new`, `check` and the build gate print for a statement whose
/// schema change the replay cannot see.
pub fn unmodelled_message(s: &crate::ddl::Skipped) -> String {
    format!(
        "{}:{}:{}: {} is not modelled: the replay does not see what it changes \
         (write the change as plain DDL, or compare a database with `cargo migrate check`)",
        s.path, s.line, s.column, s.kind
    )
}

/// Reads every migration of `dir`, sorted in the order they apply.
///
/// The layout is detected (see [`detect_layout`]); `dialect` picks the files
/// of a popx folder that holds migrations for several databases. A folder that
/// does not exist holds no migrations yet. Entries that are not migrations
/// (hidden files, `README.md`, the lock file) are ignored; a migration-like
/// entry whose name cannot be read is an error naming it.
pub fn load(dir: &Path, dialect: Dialect) -> Result<Vec<Migration>, MigrationsError> {
    Ok(load_with_layout(dir, dialect)?.1)
}

/// [`load`], also returning the layout it detected.
pub fn load_with_layout(
    dir: &Path,
    dialect: Dialect,
) -> Result<(Layout, Vec<Migration>), MigrationsError> {
    load_as(dir, dialect, None)
}

/// [`load_with_layout`] with the layout given (the `format` config key), or
/// detected when `None`.
pub fn load_as(
    dir: &Path,
    dialect: Dialect,
    layout: Option<Layout>,
) -> Result<(Layout, Vec<Migration>), MigrationsError> {
    let entries = source::read_entries(dir)?;
    let layout = match layout {
        Some(l) => l,
        None => source::detect(&entries)?,
    };
    let migrations = match layout {
        Layout::Folders => source::load_folders(&entries).map_err(|e| half_written(dir, e))?,
        Layout::SqlxFiles => source::load_sqlx(&entries)?,
        Layout::PopxFiles => source::load_popx(&entries, dialect)?,
        Layout::Prisma => formats::prisma::load(&entries, dialect)?,
        Layout::Dbmate => formats::dbmate::load(&entries)?,
        Layout::Goose => formats::goose::load(&entries)?,
        Layout::Flyway => formats::flyway::load(&entries)?,
        Layout::Atlas => formats::atlas::load(&entries)?,
    };
    Ok((layout, migrations))
}

/// A folder without `up.sql` that the lock does not know is what an
/// interrupted `cargo migrate new` (or an older version of it) leaves.
fn half_written(dir: &Path, e: MigrationsError) -> MigrationsError {
    let MigrationsError::MissingUp { path } = e else {
        return e;
    };
    let version = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(source::folder_version);
    let locked = match (lock::read(dir), &version) {
        (Ok(Some(lock)), Some(v)) => lock.entries.iter().any(|e| &e.version == v),
        _ => false,
    };
    if locked {
        MigrationsError::MissingUp { path }
    } else {
        MigrationsError::HalfWritten { path }
    }
}

/// The layout of `dir`: Atlas when it has `atlas.sum`; Prisma when it has
/// `migration_lock.toml` or a folder holding `migration.sql`; Flyway when a
/// file is named `V<digit>…`, `U<digit>…` or `R__…`; folders when a
/// sub-directory is named like a migration (or there are sub-directories and
/// no `.sql` files); popx when a `.sql` file carries a dialect or
/// `.autocommit` infix; goose or dbmate when a file has their annotations;
/// sqlx otherwise (also for an empty or missing folder).
pub fn detect_layout(dir: &Path) -> Result<Layout, MigrationsError> {
    source::detect(&source::read_entries(dir)?)
}

/// A new version for "now": the UTC time as `YYYYMMDDHHMMSS`.
pub fn new_version(now: SystemTime) -> String {
    // Before 1970 only with a broken clock: clamp rather than fail.
    let secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`), so no date crate is needed.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// Names of new migrations are snake_case: `[a-z0-9_]+`, starting with a
/// letter, so that they are valid file names everywhere and sort-stable.
pub fn validate_name(name: &str) -> Result<(), MigrationsError> {
    let invalid = |reason| {
        Err(MigrationsError::InvalidName {
            name: name.to_string(),
            reason,
        })
    };
    match name.chars().next() {
        None => return invalid("it is empty"),
        Some(c) if !c.is_ascii_lowercase() => {
            return invalid("it must start with a lower-case letter (a-z)");
        }
        Some(_) => {}
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return invalid("use snake_case: lower-case letters, digits and `_` only");
    }
    if name.len() > 200 {
        return invalid("it is longer than 200 characters");
    }
    Ok(())
}

/// Writes `dir/<version>_<name>/up.sql` and `down.sql` (creating `dir` when
/// needed) and returns the new migration. Refuses an existing version.
pub fn write_new(
    dir: &Path,
    version: &str,
    name: &str,
    up: &str,
    down: &str,
) -> Result<Migration, MigrationsError> {
    validate_name(name)?;
    if version.len() != 14 || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MigrationsError::InvalidVersion {
            version: version.to_string(),
        });
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| MigrationsError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    for entry in source::read_entries(dir)? {
        if source::folder_version(&entry.name).as_deref() == Some(version) {
            return Err(MigrationsError::VersionTaken {
                version: version.to_string(),
                existing: entry.path,
            });
        }
    }
    // Written under a hidden name (which no loader reads) and renamed into
    // place complete: a `new` killed halfway leaves no migration at all.
    let folder = dir.join(format!("{version}_{name}"));
    let staging = dir.join(format!(".{version}_{name}.{}.tmp", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    std::fs::create_dir(&staging).map_err(io(&staging))?;
    for (file, text) in [("up.sql", up), ("down.sql", down)] {
        let path = staging.join(file);
        write_synced(&path, text).map_err(io(&path))?;
    }
    sync_dir(&staging).map_err(io(&staging))?;
    if folder.exists() {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(MigrationsError::VersionTaken {
            version: version.to_string(),
            existing: folder,
        });
    }
    std::fs::rename(&staging, &folder).map_err(io(&folder))?;
    sync_dir(dir).map_err(io(dir))?;
    let up_path = folder.join("up.sql");
    let down_path = folder.join("down.sql");
    Ok(Migration {
        version: version.to_string(),
        name: name.to_string(),
        no_transaction: source::has_directive(up),
        up: MigrationFile {
            path: up_path,
            sql: up.strip_prefix('\u{feff}').unwrap_or(up).to_string(),
        },
        down: Some(MigrationFile {
            path: down_path,
            sql: down.strip_prefix('\u{feff}').unwrap_or(down).to_string(),
        }),
    })
}

/// Writes `path` and waits until its bytes are on disk.
pub(crate) fn write_synced(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::File::create(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// Makes the entries of `dir` (new names, renames) durable. Only Unix can
/// open a folder to sync it; elsewhere the rename is as durable as it gets.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(secs: u64) -> String {
        new_version(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
    }

    #[test]
    fn new_version_is_utc_timestamp() {
        assert_eq!(at(0), "19700101000000");
        // `date -u -d @1764063000 +%Y%m%d%H%M%S`
        assert_eq!(at(1_764_063_000), "20251125093000");
        // 2024-02-29 23:59:59 UTC, a leap day.
        assert_eq!(at(1_709_251_199), "20240229235959");
        assert_eq!(at(1_709_251_200), "20240301000000");
        // 2000-12-31 (leap year divisible by 400), 2100-03-01 (not a leap year).
        assert_eq!(at(978_220_800), "20001231000000");
        assert_eq!(at(4_107_542_400), "21000301000000");
    }

    #[test]
    fn new_version_before_epoch_clamps() {
        let before = SystemTime::UNIX_EPOCH - Duration::from_secs(10);
        assert_eq!(new_version(before), "19700101000000");
    }

    #[test]
    fn validate_name_rules() {
        assert!(validate_name("add_loyalty_program").is_ok());
        assert!(validate_name("v2_users").is_ok());
        for bad in ["", "2fa", "_x", "Add", "add-x", "add x", "ünï", "add.sql"] {
            assert!(validate_name(bad).is_err(), "{bad:?} accepted");
        }
        let err = validate_name("Add").err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("invalid migration name `Add`: it must start with a lower-case letter (a-z)")
        );
    }

    #[test]
    fn write_new_then_load() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("migrations");
        let m = write_new(
            &dir,
            "20261125093000",
            "add_users",
            "\u{feff}CREATE TABLE users (id int);\n",
            "DROP TABLE users;\n",
        )
        .unwrap();
        assert_eq!(m.up.sql, "CREATE TABLE users (id int);\n");
        assert!(!m.no_transaction);
        let loaded = load(&dir, Dialect::Sqlite).unwrap();
        assert_eq!(loaded, vec![m.clone()]);
        assert_eq!(loaded[0].id(), "20261125093000_add_users");
        assert_eq!(m.checksum(), checksum(b"CREATE TABLE users (id int);\n"));

        let taken = write_new(&dir, "20261125093000", "other", "", "");
        assert!(matches!(taken, Err(MigrationsError::VersionTaken { .. })));
        assert!(matches!(
            write_new(&dir, "2026", "x", "", ""),
            Err(MigrationsError::InvalidVersion { .. })
        ));
        let m2 = write_new(
            &dir,
            "20261125093001",
            "concurrently",
            "-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n",
            "",
        )
        .unwrap();
        assert!(m2.no_transaction);
        let loaded = load(&dir, Dialect::Postgres).unwrap();
        assert_eq!(loaded.len(), 2);
        assert!(loaded[1].no_transaction);
    }
}
