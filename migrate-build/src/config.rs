//! The workspace's migrate configuration, read from `Cargo.toml`:
//!
//! ```toml
//! [workspace.metadata.migrate]     # or [package.metadata.migrate]
//! dialect = "postgres"             # required: "sqlite" or "postgres"
//! schema = "schema.sql"            # default; a file, a folder of .sql files, or a list of those
//! migrations = "migrations"        # default
//! database_url = "postgres://…"    # optional; the CLI's DATABASE_URL wins
//! history_table = "_migrate_history"  # default
//! pg_schema = "app"                # optional: PostgreSQL schema of the managed objects
//!
//! [workspace.metadata.migrate.lint] # optional: a level per lint rule (code or name)
//! PG108 = "off"                    # "off", "warning" or "error"
//! drop-table = "error"
//! seed = "seed.sql"                # optional: a .sql file or a folder of them,
//!                                  # or { command = "cargo run --bin seed" }
//! format = "goose"                 # optional: the migrations folder's layout, detected when absent
//! foreign_history = "ignore"       # default; "compare": other tools' history tables are ordinary tables
//! ```
//!
//! Keys may also be spelled with dashes (`database-url`), as Cargo's own keys
//! are. Paths are relative to the manifest holding the table. The manifest is
//! found by walking up from a directory, without running `cargo metadata`:
//! build scripts call this and must stay fast.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::dialect::Dialect;
use crate::migrations::line_col;

pub const DEFAULT_HISTORY_TABLE: &str = "_migrate_history";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub dialect: Dialect,
    /// Absolute; each a `.sql` file or a folder of them (see [`Config::schema_files`]).
    pub schema: Vec<PathBuf>,
    /// Absolute.
    pub migrations: PathBuf,
    pub database_url: Option<String>,
    /// The manifest holding the configuration table.
    pub manifest_path: PathBuf,
    pub history_table: String,
    pub pg_schema: Option<String>,
    /// `[….metadata.migrate.lint]`.
    pub lint: crate::lint::LintConfig,
    /// The migrations folder's layout when the config names it (`format`);
    /// detected from the files otherwise.
    pub format: Option<crate::migrations::Layout>,
    /// Data loaded by `cargo migrate seed` and after `reset`.
    pub seed: Option<Seed>,
    /// `foreign_history`: other tools' history tables (told by name and
    /// columns) are left out of drift, `diff --from database` and `pull`
    /// (`"ignore"`, the default), or compared like any table (`"compare"`).
    pub ignore_foreign_history: bool,
}

/// Where seed data comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seed {
    /// Absolute; a `.sql` file or a folder of them (as [`schema_files`] lists them).
    Sql(PathBuf),
    /// Run by the shell in the manifest's directory, with `DATABASE_URL` set.
    Command(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Toml {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// A key of the configuration table has a bad value, or is unknown.
    #[error(transparent)]
    Key(Box<KeyError>),
    #[error(
        "no [package.metadata.migrate] or [workspace.metadata.migrate] in a Cargo.toml from {} up to the workspace root; run `cargo migrate init`",
        start.display()
    )]
    NotFound { start: PathBuf },
    #[error("{}: schema path {} does not exist", manifest.display(), path.display())]
    SchemaMissing { manifest: PathBuf, path: PathBuf },
}

#[derive(Debug, thiserror::Error)]
#[error("{}:{line}:{column}: [{table}] {key}{shown}: {message}", path.display(), shown = value.as_ref().map(|v| format!(" = {v}")).unwrap_or_default())]
pub struct KeyError {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// `workspace.metadata.migrate` or `package.metadata.migrate`.
    pub table: &'static str,
    pub key: String,
    /// The value as written (TOML), when there is one.
    pub value: Option<String>,
    pub message: String,
}

const PACKAGE: &str = "package.metadata.migrate";
const WORKSPACE: &str = "workspace.metadata.migrate";
const KEYS: &str = "dialect, schema, migrations, database_url, history_table, pg_schema, lint, seed, format, foreign_history";

impl Config {
    /// Walks up from `start_dir`: the first `Cargo.toml` with
    /// `[package.metadata.migrate]` wins; the walk stops at the workspace
    /// root (the first manifest with `[workspace]`), whose
    /// `[workspace.metadata.migrate]` is the fallback.
    pub fn find(start_dir: &Path) -> Result<Config, ConfigError> {
        let start = std::path::absolute(start_dir).map_err(|source| ConfigError::Io {
            path: start_dir.to_path_buf(),
            source,
        })?;
        for dir in start.ancestors() {
            let manifest = dir.join("Cargo.toml");
            let Some(text) = read_optional(&manifest)? else {
                continue;
            };
            let doc = parse(&manifest, &text)?;
            if let Some(config) = from_table(&manifest, &text, doc.get_ref(), Side::Package)? {
                return Ok(config);
            }
            if doc.get_ref().get("workspace").is_some() {
                return match from_table(&manifest, &text, doc.get_ref(), Side::Workspace)? {
                    Some(config) => Ok(config),
                    None => Err(ConfigError::NotFound { start }),
                };
            }
        }
        Err(ConfigError::NotFound { start })
    }

    /// The configuration in one manifest: its `[package.metadata.migrate]`,
    /// else its `[workspace.metadata.migrate]`, else `None`.
    pub fn from_manifest(path: &Path) -> Result<Option<Config>, ConfigError> {
        let path = std::path::absolute(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io {
            path: path.clone(),
            source,
        })?;
        let doc = parse(&path, &text)?;
        match from_table(&path, &text, doc.get_ref(), Side::Package)? {
            Some(config) => Ok(Some(config)),
            None => from_table(&path, &text, doc.get_ref(), Side::Workspace),
        }
    }

    /// Every schema file, in order: see [`schema_files`].
    pub fn schema_files(&self) -> Result<Vec<PathBuf>, ConfigError> {
        schema_files(&self.schema, &self.manifest_path)
    }
}

/// Every schema file `paths` name, in order: a file as given, a folder's
/// `.sql` files, nested folders included (`schema/billing/invoices.sql`),
/// in path order, hidden files and folders left out. A missing path is an
/// error naming `manifest`, where it was configured.
pub fn schema_files(paths: &[PathBuf], manifest: &Path) -> Result<Vec<PathBuf>, ConfigError> {
    let mut files = Vec::new();
    for path in paths {
        let io = |source| ConfigError::Io {
            path: path.clone(),
            source,
        };
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ConfigError::SchemaMissing {
                    manifest: manifest.to_path_buf(),
                    path: path.clone(),
                });
            }
            Err(e) => return Err(io(e)),
        };
        if !meta.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut in_dir = Vec::new();
        for entry in walk(path) {
            let entry = entry.map_err(|e| ConfigError::Io {
                path: e.path().unwrap_or(path).to_path_buf(),
                source: e.into(),
            })?;
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_file() && name.ends_with(".sql") {
                in_dir.push(entry.into_path());
            }
        }
        in_dir.sort();
        files.extend(in_dir);
    }
    Ok(files)
}

/// The folders under the schema folders of `paths`, for rerun directives:
/// a file added to a nested folder reruns the check.
pub fn schema_dirs(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .filter(|p| p.is_dir())
        .flat_map(|p| walk(p).filter(|e| e.as_ref().is_ok_and(|e| e.depth() > 0)))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// A schema folder's entries, links followed, hidden ones (and what they
/// hold) left out.
fn walk(dir: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !hidden(e))
}

fn hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.')
}

#[derive(Clone, Copy)]
enum Side {
    Package,
    Workspace,
}

fn read_optional(path: &Path) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ConfigError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

fn parse<'t>(path: &Path, text: &'t str) -> Result<toml::Spanned<DeTable<'t>>, ConfigError> {
    DeTable::parse(text).map_err(|e| {
        let (line, column) = line_col(text, e.span().map_or(0, |s| s.start));
        ConfigError::Toml {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().to_string(),
        }
    })
}

fn from_table(
    manifest: &Path,
    text: &str,
    doc: &DeTable<'_>,
    side: Side,
) -> Result<Option<Config>, ConfigError> {
    let (outer, table_name) = match side {
        Side::Package => ("package", PACKAGE),
        Side::Workspace => ("workspace", WORKSPACE),
    };
    let Some(table) = doc
        .get(outer)
        .and_then(|v| v.get_ref().as_table())
        .and_then(|t| t.get("metadata"))
        .and_then(|v| v.get_ref().as_table())
        .and_then(|t| t.get("migrate"))
    else {
        return Ok(None);
    };
    let key_error = |key: &str, span: Range<usize>, value: Option<&str>, message: String| {
        let (line, column) = line_col(text, span.start);
        ConfigError::Key(Box::new(KeyError {
            path: manifest.to_path_buf(),
            line,
            column,
            table: table_name,
            key: key.to_string(),
            value: value.map(str::to_string),
            message,
        }))
    };
    let Some(table_ref) = table.get_ref().as_table() else {
        return Err(key_error(
            "",
            table.span(),
            None,
            "must be a table".to_string(),
        ));
    };
    let base = manifest.parent().unwrap_or(Path::new("/"));
    let mut dialect = None;
    let mut schema = vec![base.join("schema.sql")];
    let mut migrations = base.join("migrations");
    let mut database_url = None;
    let mut history_table = DEFAULT_HISTORY_TABLE.to_string();
    let mut pg_schema = None;
    let mut lint = crate::lint::LintConfig::default();
    let mut seed = None;
    let mut format = None;
    let mut ignore_foreign_history = true;
    let mut seen: Vec<&'static str> = Vec::new();
    for (key, value) in table_ref.iter() {
        let written = key.get_ref().as_ref();
        let canonical = match written.replace('-', "_").as_str() {
            "dialect" => "dialect",
            "schema" => "schema",
            "migrations" => "migrations",
            "database_url" => "database_url",
            "history_table" => "history_table",
            "pg_schema" => "pg_schema",
            "lint" => "lint",
            "seed" => "seed",
            "format" => "format",
            "foreign_history" => "foreign_history",
            _ => {
                return Err(key_error(
                    written,
                    key.span(),
                    None,
                    format!("unknown key (expected one of {KEYS})"),
                ));
            }
        };
        if seen.contains(&canonical) {
            return Err(key_error(
                written,
                key.span(),
                None,
                format!("`{canonical}` is given twice (with `_` and with `-`)"),
            ));
        }
        seen.push(canonical);
        // A database URL (or a seed command) may hold a password: its value is never shown.
        let source = (!matches!(canonical, "database_url" | "seed"))
            .then(|| text.get(value.span()).map(str::trim))
            .flatten();
        let err = |message: String| key_error(written, value.span(), source, message);
        match canonical {
            "dialect" => {
                let s = string(value.get_ref()).ok_or_else(|| err("expected a string".into()))?;
                dialect = Some(s.parse::<Dialect>().map_err(|e| err(e.to_string()))?);
            }
            "schema" => {
                let list: Option<Vec<&str>> = match value.get_ref() {
                    DeValue::String(s) => Some(vec![s.as_ref()]),
                    DeValue::Array(items) => items.iter().map(|i| string(i.get_ref())).collect(),
                    _ => None,
                };
                let list = list
                    .filter(|l| !l.is_empty() && l.iter().all(|s| !s.is_empty()))
                    .ok_or_else(|| err("expected a path or a list of paths".into()))?;
                schema = list.into_iter().map(|s| base.join(s)).collect();
            }
            "migrations" => {
                let s = string(value.get_ref())
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| err("expected a path".into()))?;
                migrations = base.join(s);
            }
            "database_url" => {
                let s = string(value.get_ref()).ok_or_else(|| err("expected a string".into()))?;
                database_url = Some(s.to_string());
            }
            "lint" => {
                let Some(levels) = value.get_ref().as_table() else {
                    return Err(err(
                        "expected a table of rule = \"off\" | \"warning\" | \"error\"".into(),
                    ));
                };
                for (rule, level) in levels.iter() {
                    let name = rule.get_ref().as_ref();
                    let rule_error = |span: Range<usize>, message: String| {
                        key_error(&format!("lint.{name}"), span, None, message)
                    };
                    let Some(found) = crate::lint::find_rule(name) else {
                        return Err(rule_error(
                            rule.span(),
                            "unknown lint rule (see `cargo migrate lint --help` or the README for the codes)".into(),
                        ));
                    };
                    let parsed = string(level.get_ref())
                        .ok_or_else(|| "expected \"off\", \"warning\" or \"error\"".to_string())
                        .and_then(|s| s.parse::<crate::lint::Level>());
                    match parsed {
                        Ok(parsed) => lint.levels.push((found.code, parsed)),
                        Err(message) => return Err(rule_error(level.span(), message)),
                    }
                }
            }
            "history_table" => {
                let s = string(value.get_ref())
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| err("expected a table name".into()))?;
                history_table = s.to_string();
            }
            "seed" => {
                let expected = || err("expected a path, or a table `{ command = \"…\" }`".into());
                seed = Some(match value.get_ref() {
                    DeValue::String(s) if !s.is_empty() => Seed::Sql(base.join(s.as_ref())),
                    DeValue::Table(t) => {
                        let mut command = None;
                        for (k, v) in t.iter() {
                            match (k.get_ref().as_ref(), string(v.get_ref())) {
                                ("command", Some(c)) if !c.trim().is_empty() => {
                                    command = Some(c.to_string());
                                }
                                _ => return Err(expected()),
                            }
                        }
                        Seed::Command(command.ok_or_else(expected)?)
                    }
                    _ => return Err(expected()),
                });
            }
            "format" => {
                let names: Vec<&str> = crate::migrations::Layout::NAMES
                    .iter()
                    .map(|(n, _)| *n)
                    .collect();
                let s = string(value.get_ref()).ok_or_else(|| err("expected a string".into()))?;
                format = Some(crate::migrations::Layout::from_name(s).ok_or_else(|| {
                    err(format!(
                        "unknown migrations format (expected one of {})",
                        names.join(", ")
                    ))
                })?);
            }
            "foreign_history" => {
                ignore_foreign_history = match string(value.get_ref()) {
                    Some("ignore") => true,
                    Some("compare") => false,
                    _ => return Err(err("expected \"ignore\" or \"compare\"".into())),
                };
            }
            _ => {
                let s = string(value.get_ref())
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| err("expected a schema name".into()))?;
                pg_schema = Some(s.to_string());
            }
        }
    }
    let Some(dialect) = dialect else {
        return Err(key_error(
            "dialect",
            table.span(),
            None,
            "missing (expected `dialect = \"sqlite\"` or `dialect = \"postgres\"`)".to_string(),
        ));
    };
    Ok(Some(Config {
        dialect,
        schema,
        migrations,
        database_url,
        manifest_path: manifest.to_path_buf(),
        history_table,
        pg_schema,
        lint,
        seed,
        format,
        ignore_foreign_history,
    }))
}

fn string<'a>(value: &'a DeValue<'_>) -> Option<&'a str> {
    match value {
        DeValue::String(s) => Some(s.as_ref()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn workspace_table_with_defaults() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let manifest = write(
            root,
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\"]\n\n[workspace.metadata.migrate]\ndialect = \"sqlite\"\n",
        );
        write(root, "app/Cargo.toml", "[package]\nname = \"app\"\n");
        let config = Config::find(&root.join("app/src")).unwrap();
        assert_eq!(
            config,
            Config {
                dialect: Dialect::Sqlite,
                schema: vec![root.join("schema.sql")],
                migrations: root.join("migrations"),
                database_url: None,
                manifest_path: manifest.clone(),
                history_table: DEFAULT_HISTORY_TABLE.to_string(),
                pg_schema: None,
                lint: crate::lint::LintConfig::default(),
                seed: None,
                format: None,
                ignore_foreign_history: true,
            }
        );
        assert_eq!(Config::from_manifest(&manifest).unwrap(), Some(config));
        assert_eq!(
            Config::from_manifest(&root.join("app/Cargo.toml")).unwrap(),
            None
        );
    }

    #[test]
    fn package_table_wins_and_paths_are_relative_to_it() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        write(
            root,
            "Cargo.toml",
            "[workspace]\n[workspace.metadata.migrate]\ndialect = \"sqlite\"\n",
        );
        let app = write(
            root,
            "crates/app/Cargo.toml",
            r#"[package]
name = "app"
[package.metadata.migrate]
dialect = "postgres"
schema = ["db/schema", "extra.sql"]
migrations = "db/migrations"
database-url = "postgres://localhost/app"
history_table = "schema_history"
pg-schema = "app"
"#,
        );
        let config = Config::find(&root.join("crates/app")).unwrap();
        let base = root.join("crates/app");
        assert_eq!(config.dialect, Dialect::Postgres);
        assert_eq!(config.manifest_path, app);
        assert_eq!(
            config.schema,
            vec![base.join("db/schema"), base.join("extra.sql")]
        );
        assert_eq!(config.migrations, base.join("db/migrations"));
        assert_eq!(
            config.database_url.as_deref(),
            Some("postgres://localhost/app")
        );
        assert_eq!(config.history_table, "schema_history");
        assert_eq!(config.pg_schema.as_deref(), Some("app"));

        write(&base, "db/schema/20_b.sql", "");
        write(&base, "db/schema/10_a.sql", "");
        write(&base, "db/schema/notes.md", "");
        write(&base, "db/schema/.hidden.sql", "");
        let err = config.schema_files().unwrap_err();
        assert!(
            err.to_string().ends_with("extra.sql does not exist"),
            "{err}"
        );
        write(&base, "extra.sql", "");
        write(&base, "db/schema/billing/invoices.sql", "");
        write(&base, "db/schema/billing/a/deep.sql", "");
        write(&base, "db/schema/.git/x.sql", "");
        assert_eq!(
            config.schema_files().unwrap(),
            vec![
                base.join("db/schema/10_a.sql"),
                base.join("db/schema/20_b.sql"),
                base.join("db/schema/billing/a/deep.sql"),
                base.join("db/schema/billing/invoices.sql"),
                base.join("extra.sql")
            ]
        );
        assert_eq!(
            schema_dirs(&config.schema),
            vec![
                base.join("db/schema/billing"),
                base.join("db/schema/billing/a")
            ]
        );
    }

    #[test]
    fn walk_stops_at_the_workspace_root() {
        let tmp = tempfile::tempdir().unwrap();
        let outer = tmp.path();
        write(
            outer,
            "Cargo.toml",
            "[workspace]\n[workspace.metadata.migrate]\ndialect = \"sqlite\"\n",
        );
        write(outer, "inner/Cargo.toml", "[workspace]\nmembers = []\n");
        let err = Config::find(&outer.join("inner")).unwrap_err();
        assert!(matches!(err, ConfigError::NotFound { .. }), "{err}");
        assert!(err.to_string().contains("cargo migrate init"));
    }

    #[test]
    fn seed_is_a_path_or_a_command() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let head = "[workspace]\n\n[workspace.metadata.migrate]\ndialect = \"sqlite\"\n";
        let manifest = write(
            root,
            "Cargo.toml",
            &format!("{head}seed = \"db/seed.sql\"\n"),
        );
        let config = Config::from_manifest(&manifest).unwrap().unwrap();
        assert_eq!(config.seed, Some(Seed::Sql(root.join("db/seed.sql"))));
        write(
            root,
            "Cargo.toml",
            &format!("{head}seed = {{ command = \"cargo run --bin seed\" }}\n"),
        );
        let config = Config::from_manifest(&manifest).unwrap().unwrap();
        assert_eq!(
            config.seed,
            Some(Seed::Command("cargo run --bin seed".to_string()))
        );
        write(
            root,
            "Cargo.toml",
            &format!("{head}seed = {{ script = \"psql postgres://u:hunter2@h\" }}\n"),
        );
        let err = Config::from_manifest(&manifest).unwrap_err().to_string();
        assert!(
            err.contains(":5:8: [workspace.metadata.migrate] seed: expected a path, or a table"),
            "{err}"
        );
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn errors_name_file_key_and_position() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let manifest = write(
            root,
            "Cargo.toml",
            "[workspace]\n\n[workspace.metadata.migrate]\ndialect = \"mysql\"\n",
        );
        let err = Config::from_manifest(&manifest).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "{}:4:11: [workspace.metadata.migrate] dialect = \"mysql\": unknown dialect `mysql` (expected `sqlite` or `postgres`)",
                manifest.display()
            )
        );

        write(
            root,
            "Cargo.toml",
            "[workspace.metadata.migrate]\ndialect = \"sqlite\"\nmigration = \"m\"\n",
        );
        let err = Config::from_manifest(&manifest).unwrap_err().to_string();
        assert!(err.ends_with(":3:1: [workspace.metadata.migrate] migration: unknown key (expected one of dialect, schema, migrations, database_url, history_table, pg_schema, lint, seed, format, foreign_history)"), "{err}");

        write(
            root,
            "Cargo.toml",
            "[workspace.metadata.migrate]\nschema = 3\ndialect = \"sqlite\"\n",
        );
        let err = Config::from_manifest(&manifest).unwrap_err().to_string();
        assert!(
            err.ends_with(
                ":2:10: [workspace.metadata.migrate] schema = 3: expected a path or a list of paths"
            ),
            "{err}"
        );

        write(
            root,
            "Cargo.toml",
            "[workspace.metadata.migrate]\nschema = \"s.sql\"\n",
        );
        let err = Config::from_manifest(&manifest).unwrap_err().to_string();
        assert!(
            err.contains("[workspace.metadata.migrate] dialect: missing"),
            "{err}"
        );

        write(
            root,
            "Cargo.toml",
            "[workspace.metadata.migrate]\ndialect = \"sqlite\"\ndatabase_url = \"a\"\ndatabase-url = \"b\"\n",
        );
        let err = Config::from_manifest(&manifest).unwrap_err().to_string();
        assert!(err.contains("is given twice"), "{err}");

        write(root, "Cargo.toml", "[workspace]\nmembers = [\n");
        let err = Config::find(root).unwrap_err();
        assert!(matches!(err, ConfigError::Toml { line: 2, .. }), "{err}");
    }

    #[test]
    fn lint_levels() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let manifest = write(
            root,
            "Cargo.toml",
            "[workspace.metadata.migrate]\ndialect = \"postgres\"\n\n[workspace.metadata.migrate.lint]\nPG108 = \"off\"\ndrop-table = \"error\"\n",
        );
        let config = Config::from_manifest(&manifest).unwrap().unwrap();
        assert_eq!(
            config.lint.levels,
            vec![
                ("PG108", crate::lint::Level::Off),
                ("DS101", crate::lint::Level::Error)
            ]
        );
        write(
            root,
            "Cargo.toml",
            "[workspace.metadata.migrate]\ndialect = \"postgres\"\n[workspace.metadata.migrate.lint]\nXX999 = \"off\"\n",
        );
        let err = Config::from_manifest(&manifest).unwrap_err().to_string();
        assert!(
            err.contains(":4:1: [workspace.metadata.migrate] lint.XX999: unknown lint rule"),
            "{err}"
        );
        write(
            root,
            "Cargo.toml",
            "[workspace.metadata.migrate]\ndialect = \"postgres\"\n[workspace.metadata.migrate.lint]\nDS101 = \"loud\"\n",
        );
        let err = Config::from_manifest(&manifest).unwrap_err().to_string();
        assert!(
            err.contains(":4:9: [workspace.metadata.migrate] lint.DS101: unknown level `loud`"),
            "{err}"
        );
    }

    #[test]
    fn errors_never_show_the_database_url() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for table in [
            "database_url = [\"postgres://u:hunter2@h/db\"]",
            "database-url = { url = \"postgres://u:hunter2@h/db\" }",
            "database_url = 'postgres://u:hunter2@h/db'\ndatabase-url = 'x'",
            "databse_url = \"postgres://u:hunter2@h/db\"",
        ] {
            let manifest = write(
                root,
                "Cargo.toml",
                &format!("[workspace.metadata.migrate]\ndialect = \"postgres\"\n{table}\n"),
            );
            let err = Config::from_manifest(&manifest).unwrap_err().to_string();
            assert!(!err.contains("hunter2"), "{err}");
            assert!(err.contains(":3:"), "{err}");
        }
        for broken in [
            "database_url = \"postgres://u:hunter2@h/db",
            "database_url = \"postgres://u:hunter2\\q@h/db\"",
            "database_url = postgres://u:hunter2@h/db",
        ] {
            let manifest = write(
                root,
                "Cargo.toml",
                &format!("[workspace.metadata.migrate]\ndialect = \"postgres\"\n{broken}\n"),
            );
            let err = Config::from_manifest(&manifest).unwrap_err().to_string();
            assert!(!err.contains("hunter2"), "{err}");
            assert!(
                matches!(
                    Config::from_manifest(&manifest),
                    Err(ConfigError::Toml { line: 3, .. })
                ),
                "{err}"
            );
        }
    }
}
