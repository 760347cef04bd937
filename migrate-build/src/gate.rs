//! The build gate: a build script that calls [`crate::check`] makes
//! `cargo build` fail when the migrations no longer produce the schema files,
//! or when `migrate.lock` does not match the migrations.
//!
//! Inputs are found without spawning cargo (a build script must stay fast):
//! the configuration by walking up from `CARGO_MANIFEST_DIR`, unless the
//! builder names every input. Every file read is announced with
//! `cargo::rerun-if-changed`, so a no-op build does not rerun the check, and
//! no path that does not exist is announced (cargo would rerun every build).

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::ddl::{self, SourceFile};
use crate::dialect::{Dialect, RenderError, render_script};
use crate::diff::{describe, try_diff};
use crate::error::Error;
use crate::migrations::{self, LockMismatch, Migration, lock};
use crate::schema::Schema;

/// The environment variable of the escape hatch (see [`Mode`]).
pub const MODE_VAR: &str = "MIGRATE_BUILD_CHECK";

/// Drift listings longer than this are cut: the build output is not the
/// place for a whole first migration; `cargo migrate new` writes all of it.
const MAX_CHANGES: usize = 40;
const MAX_SQL_LINES: usize = 60;

/// What a failed check does to the build. `MIGRATE_BUILD_CHECK=warn|off|error`
/// overrides the mode the build script chose: it is the escape hatch for an
/// emergency, and the build output says that it is on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Failures are `cargo::error=` lines: the build fails.
    #[default]
    Error,
    /// Failures are `cargo::warning=` lines: the build goes on.
    Warn,
    /// Nothing is read or checked.
    Off,
}

impl std::str::FromStr for Mode {
    type Err = Error;

    fn from_str(s: &str) -> Result<Mode, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" | "" => Ok(Mode::Error),
            "warn" => Ok(Mode::Warn),
            "off" => Ok(Mode::Off),
            _ => Err(Error::BadMode {
                value: s.to_string(),
            }),
        }
    }
}

/// What [`Check::emit_to`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Migrations, lock and schema agree.
    Passed,
    /// `cargo::error=` lines were written: cargo fails the build.
    Failed,
    /// Problems were found and written as warnings ([`Mode::Warn`]).
    Warned,
    /// [`Mode::Off`]: nothing was checked.
    Skipped,
}

/// The check, with inputs of one's own. Unset inputs come from the
/// `[package.metadata.migrate]` / `[workspace.metadata.migrate]` table found
/// by walking up from the manifest directory; relative paths are relative to
/// the manifest directory.
#[derive(Clone, Debug, Default)]
pub struct Check {
    schema: Vec<PathBuf>,
    migrations: Option<PathBuf>,
    dialect: Option<Dialect>,
    manifest_dir: Option<PathBuf>,
    mode: Mode,
    lint: bool,
    embed_migrations: bool,
    typed_schema: bool,
    out_dir: Option<PathBuf>,
}

/// What the check found. A report with problems is not an error: the caller
/// decides what they mean (see [`Check::emit_to`]).
#[derive(Debug)]
pub struct Report {
    pub dialect: Dialect,
    /// The directory of the manifest holding the configuration (or the
    /// manifest directory): paths in messages are shown relative to it.
    pub base_dir: Option<PathBuf>,
    pub schema_files: Vec<PathBuf>,
    pub migrations_dir: PathBuf,
    /// How many migrations were replayed.
    pub migrations: usize,
    /// Every input, as announced with `cargo::rerun-if-changed`.
    pub watched: Vec<PathBuf>,
    /// `migrate.lock` disagrees with the migrations folder.
    pub lock: Option<LockMismatch>,
    /// The schema files declare changes that no migration makes.
    pub drift: Option<Drift>,
    /// What the linter finds in the newest migration, when asked for with
    /// [`Check::lint_warnings`]. Never a failure: shown as warnings.
    pub lint: Vec<crate::lint::Finding>,
    /// What the embedded files are written from.
    loaded: Vec<Migration>,
    declared: Schema,
    history_table: String,
    pg_schema: Option<String>,
    /// DDL in the migrations that the replay cannot see (in `DO` blocks and
    /// routine bodies): warned about, never a failure by itself.
    pub unmodelled: Vec<ddl::Skipped>,
}

#[derive(Debug)]
pub struct Drift {
    /// One line in words per step of the next migration.
    pub changes: Vec<String>,
    /// The next migration's `up.sql`, as `cargo migrate new` would write it.
    pub sql: Result<String, RenderError>,
}

impl Report {
    /// No lock mismatch, no drift.
    pub fn is_clean(&self) -> bool {
        self.lock.is_none() && self.drift.is_none()
    }
}

impl Check {
    pub fn new() -> Check {
        Check::default()
    }

    /// A schema file, or a folder of `.sql` files; call again to add more.
    pub fn schema(mut self, path: impl Into<PathBuf>) -> Check {
        self.schema.push(path.into());
        self
    }

    pub fn migrations(mut self, path: impl Into<PathBuf>) -> Check {
        self.migrations = Some(path.into());
        self
    }

    pub fn dialect(mut self, dialect: Dialect) -> Check {
        self.dialect = Some(dialect);
        self
    }

    /// Where the configuration search starts and relative paths are
    /// resolved; `CARGO_MANIFEST_DIR` by default.
    pub fn manifest_dir(mut self, path: impl Into<PathBuf>) -> Check {
        self.manifest_dir = Some(path.into());
        self
    }

    /// What a failure does when `MIGRATE_BUILD_CHECK` is not set.
    pub fn mode(mut self, mode: Mode) -> Check {
        self.mode = mode;
        self
    }

    /// Also lints the newest migration ([`crate::lint`], with the levels of
    /// `[….metadata.migrate.lint]`) and shows each finding as a
    /// `cargo::warning=` line, whatever its severity: a lint finding never
    /// fails the build. Off by default.
    pub fn lint_warnings(mut self, on: bool) -> Check {
        self.lint = on;
        self
    }

    /// Also writes the migrations into `OUT_DIR/migrations.rs` once the
    /// check passes, for `cargo_migrate::embed_migrations!()`. A check that
    /// fails, warns or is switched off fails the build instead: unchecked
    /// migrations are never embedded.
    pub fn embed_migrations(mut self) -> Check {
        self.embed_migrations = true;
        self
    }

    /// Also writes `OUT_DIR/schema.rs` once the check passes: a
    /// `sea_query::Iden` enum per table and view, a Rust enum per
    /// PostgreSQL enum type, generated from the schema files.
    pub fn typed_schema(mut self) -> Check {
        self.typed_schema = true;
        self
    }

    /// Where [`Check::embed_migrations`] and [`Check::typed_schema`] write;
    /// `OUT_DIR` by default.
    pub fn out_dir(mut self, path: impl Into<PathBuf>) -> Check {
        self.out_dir = Some(path.into());
        self
    }

    /// [`Check::emit_to`] on stdout, for `build.rs` (what [`crate::check`] does
    /// with the default inputs).
    pub fn emit(&self) -> Outcome {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        let outcome = self.emit_to(&mut out).unwrap_or(Outcome::Failed);
        let _ = out.flush();
        outcome
    }

    fn writes(&self) -> bool {
        self.embed_migrations || self.typed_schema
    }

    /// Writes the generated files for a clean report; the error is a message.
    fn write_outputs(&self, report: &Report) -> Result<(), String> {
        let dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or("OUT_DIR is not set: the migrations are embedded by a build script")?,
        };
        let shown = Shown::new(report.base_dir.as_deref());
        let mut files = Vec::new();
        if self.embed_migrations {
            files.push((
                "migrations.rs",
                crate::codegen::migrations_module(
                    report.dialect,
                    &report.history_table,
                    report.pg_schema.as_deref(),
                    &report.loaded,
                    |p| shown.path(p).replace(std::path::MAIN_SEPARATOR, "/"),
                ),
            ));
        }
        if self.typed_schema {
            let text = crate::codegen::schema_module(&report.declared)
                .map_err(|e| shown.text(&format!("cannot write the typed schema: {e}")))?;
            files.push(("schema.rs", text));
        }
        std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        for (name, text) in files {
            let path = dir.join(name);
            // Unchanged text is not rewritten: the application is not rebuilt for nothing.
            if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
                continue;
            }
            std::fs::write(&path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
        }
        Ok(())
    }

    /// Why nothing was embedded, when the check did not pass.
    fn not_embedded(&self, out: &mut impl Write, why: &str) -> io::Result<()> {
        if self.writes() {
            directive(
                out,
                Level::Error,
                &format!(
                    "the migrations and typed schema are not written for the application: {why}; they are only written from checked migrations"
                ),
            )?;
        }
        Ok(())
    }

    /// Reads the inputs, verifies the lock, replays the migrations and diffs
    /// them with the schema. Prints nothing.
    pub fn run(&self) -> Result<Report, Error> {
        self.run_watching(&mut Watch::default())
    }

    /// Runs the check and writes cargo directives to `out`, one per line:
    /// `rerun-if-changed` for every input, then the problems as `error=`
    /// (or `warning=`) lines. The mode is `MIGRATE_BUILD_CHECK`'s when set.
    pub fn emit_to(&self, out: &mut impl Write) -> io::Result<Outcome> {
        self.emit_with(std::env::var(MODE_VAR).ok().as_deref(), out)
    }

    fn emit_with(&self, mode_var: Option<&str>, out: &mut impl Write) -> io::Result<Outcome> {
        writeln!(out, "cargo::rerun-if-env-changed={MODE_VAR}")?;
        let mode = match mode_var.map(str::parse::<Mode>) {
            None => self.mode,
            Some(Ok(mode)) => mode,
            Some(Err(e)) => {
                directive(out, Level::Error, &e.to_string())?;
                return Ok(Outcome::Failed);
            }
        };
        let level = match mode {
            Mode::Error => Level::Error,
            Mode::Warn => {
                directive(
                    out,
                    Level::Warning,
                    &format!(
                        "{MODE_VAR}=warn: migration check failures are only warnings in this build; unset it to make them errors again"
                    ),
                )?;
                Level::Warning
            }
            Mode::Off => {
                directive(
                    out,
                    Level::Warning,
                    &format!(
                        "{MODE_VAR}=off: the migrations were NOT checked against the schema in this build; unset it to check them again"
                    ),
                )?;
                if self.writes() {
                    self.not_embedded(out, &format!("{MODE_VAR}=off skipped the check"))?;
                    return Ok(Outcome::Failed);
                }
                return Ok(Outcome::Skipped);
            }
        };
        let mut watch = Watch::default();
        let result = self.run_watching(&mut watch);
        // Announced even when the check failed: in warn mode the build goes
        // on, and fixing an input must rerun the check.
        for path in &watch.paths {
            writeln!(out, "cargo::rerun-if-changed={}", path.display())?;
        }
        let report = match result {
            Ok(report) => report,
            Err(e) => {
                let shown = Shown::new(watch.base_dir.as_deref());
                directive(
                    out,
                    level,
                    &shown.text(&format!("cannot check the migrations: {e}")),
                )?;
                return self.failed_writing(out, level);
            }
        };
        let shown = Shown::new(report.base_dir.as_deref());
        for finding in &report.lint {
            directive(
                out,
                Level::Warning,
                &format!(
                    "{}:{}:{}: {}[{}]: {}\nhelp: {}",
                    finding.path,
                    finding.line,
                    finding.column,
                    finding.severity,
                    finding.rule.code,
                    finding.message,
                    finding.help
                ),
            )?;
        }
        for s in &report.unmodelled {
            directive(out, Level::Warning, &migrations::unmodelled_message(s))?;
        }
        if report.is_clean() {
            if self.writes()
                && let Err(e) = self.write_outputs(&report)
            {
                directive(out, Level::Error, &e)?;
                return Ok(Outcome::Failed);
            }
            return Ok(Outcome::Passed);
        }
        if let Some(mismatch) = &report.lock {
            directive(out, level, &shown.text(&lock_message(mismatch, &shown)))?;
        }
        if let Some(drift) = &report.drift {
            directive(
                out,
                level,
                &shown.text(&drift_message(&report, drift, &shown)),
            )?;
        }
        self.failed_writing(out, level)
    }

    /// [`failed`], and a failed build when files were to be written.
    fn failed_writing(&self, out: &mut impl Write, level: Level) -> io::Result<Outcome> {
        match level {
            Level::Warning if self.writes() => {
                self.not_embedded(out, "the check above failed")?;
                Ok(Outcome::Failed)
            }
            _ => Ok(failed(level)),
        }
    }

    fn run_watching(&self, watch: &mut Watch) -> Result<Report, Error> {
        let inputs = self.resolve(watch)?;
        let shown = Shown::new(inputs.base_dir.as_deref());

        // The schema files are parsed on a second thread while the migrations
        // are read, verified and replayed: the two are independent, and
        // parsing is most of the check's time.
        let parse = || parse_schema(inputs.dialect, &inputs.schema_files, &shown);
        let (migrations, lock, replayed, declared) = std::thread::scope(|scope| {
            let parsing = std::thread::Builder::new()
                .name("migrate-build-schema".into())
                .spawn_scoped(scope, parse);
            let rest = || -> Result<_, Error> {
                let mut migrations = Vec::new();
                if inputs.migrations_dir.is_dir() {
                    migrations =
                        migrations::load_as(&inputs.migrations_dir, inputs.dialect, inputs.format)?
                            .1;
                }
                // The lock's hashes are independent of the replay too.
                let (lock, replayed) = std::thread::scope(|scope| {
                    let verify =
                        || lock::verify(&inputs.migrations_dir, inputs.dialect, &migrations).err();
                    let verifying = std::thread::Builder::new()
                        .name("migrate-build-lock".into())
                        .spawn_scoped(scope, verify);
                    let replayed = replay(inputs.dialect, &migrations, &shown);
                    let lock = match verifying {
                        Ok(handle) => handle
                            .join()
                            .unwrap_or_else(|payload| std::panic::resume_unwind(payload)),
                        Err(_) => verify(),
                    };
                    (lock, replayed)
                });
                Ok((migrations, lock, replayed?))
            };
            let rest = rest();
            let declared = match parsing {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|payload| std::panic::resume_unwind(payload)),
                // No thread to be had: parse here.
                Err(_) => parse(),
            };
            rest.map(|(m, l, r)| (m, l, r, declared))
        })?;
        let declared = declared?;
        for m in &migrations {
            watch.add_read(&m.up.path);
            if let Some(down) = &m.down {
                watch.add_read(&down.path);
            }
        }
        if inputs.migrations_dir.is_dir() {
            watch.add(&lock::path(&inputs.migrations_dir));
        }

        let lint = match migrations.len().checked_sub(1) {
            Some(newest) if self.lint => crate::lint::lint_migrations(
                inputs.dialect,
                &migrations,
                |i, _| i == newest,
                &inputs.lint,
                |p| shown.path(p),
            )?,
            _ => Vec::new(),
        };
        let (replayed, unmodelled) = replayed;
        let plan = try_diff(&replayed, &declared)?;
        let drift = (!plan.is_empty()).then(|| Drift {
            changes: plan.steps.iter().map(|s| describe(&s.step)).collect(),
            sql: render_script(&plan, inputs.dialect),
        });
        Ok(Report {
            dialect: inputs.dialect,
            base_dir: inputs.base_dir,
            schema_files: inputs.schema_files,
            migrations_dir: inputs.migrations_dir,
            migrations: migrations.len(),
            watched: watch.paths.clone(),
            lock,
            drift,
            lint,
            loaded: migrations,
            declared,
            history_table: inputs.history_table,
            pg_schema: inputs.pg_schema,
            unmodelled,
        })
    }

    /// The inputs: the builder's, the rest from the configuration.
    fn resolve(&self, watch: &mut Watch) -> Result<Inputs, Error> {
        let manifest_dir = match &self.manifest_dir {
            Some(dir) => Some(dir.clone()),
            None => std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from),
        };
        let manifest_dir = manifest_dir.map(|d| std::path::absolute(&d).unwrap_or(d));
        let needs_config =
            self.dialect.is_none() || self.schema.is_empty() || self.migrations.is_none();
        let config = match (&manifest_dir, needs_config) {
            // The embedded migrations carry the configured history table.
            (Some(dir), false) if self.embed_migrations => Config::find(dir).ok(),
            (_, false) => None,
            (None, true) => return Err(Error::NoManifestDir),
            (Some(dir), true) => {
                let found = Config::find(dir);
                // Every manifest on the way up: adding a package table to one
                // of them changes which configuration applies.
                let top = found
                    .as_ref()
                    .ok()
                    .and_then(|c| c.manifest_path.parent().map(Path::to_path_buf));
                for ancestor in dir.ancestors() {
                    let manifest = ancestor.join("Cargo.toml");
                    if manifest.is_file() {
                        watch.add(&manifest);
                    }
                    if top.as_deref() == Some(ancestor) {
                        break;
                    }
                }
                Some(found?)
            }
        };
        let base_dir = match &config {
            Some(c) => c.manifest_path.parent().map(Path::to_path_buf),
            None => manifest_dir.clone(),
        };
        watch.base_dir = base_dir.clone();
        let resolve = |p: &PathBuf| -> Result<PathBuf, Error> {
            match &manifest_dir {
                _ if p.is_absolute() => Ok(p.clone()),
                Some(dir) => Ok(dir.join(p)),
                None => Err(Error::NoManifestDir),
            }
        };
        let from_config = |pick: fn(&Config) -> PathBuf| config.as_ref().map(pick);
        let dialect = match (self.dialect, &config) {
            (Some(d), _) => d,
            (None, Some(c)) => c.dialect,
            (None, None) => return Err(Error::NoManifestDir),
        };
        let migrations_dir = match &self.migrations {
            Some(p) => resolve(p)?,
            None => from_config(|c| c.migrations.clone()).ok_or(Error::NoManifestDir)?,
        };
        let schema: Vec<PathBuf> = if self.schema.is_empty() {
            config
                .as_ref()
                .map(|c| c.schema.clone())
                .unwrap_or_default()
        } else {
            self.schema.iter().map(resolve).collect::<Result<_, _>>()?
        };
        watch.add(&migrations_dir);
        for path in &schema {
            watch.add(path);
        }
        for dir in crate::config::schema_dirs(&schema) {
            watch.add(&dir);
        }
        // Folders expand the way the CLI expands them.
        let manifest = config
            .as_ref()
            .map(|c| c.manifest_path.clone())
            .or_else(|| manifest_dir.as_ref().map(|d| d.join("Cargo.toml")))
            .unwrap_or_default();
        let schema_files = crate::config::schema_files(&schema, &manifest)?;
        for file in &schema_files {
            watch.add_read(file);
        }
        Ok(Inputs {
            dialect,
            base_dir,
            schema_files,
            migrations_dir,
            history_table: config.as_ref().map_or_else(
                || crate::config::DEFAULT_HISTORY_TABLE.to_string(),
                |c| c.history_table.clone(),
            ),
            pg_schema: config.as_ref().and_then(|c| c.pg_schema.clone()),
            lint: config.as_ref().map(|c| c.lint.clone()).unwrap_or_default(),
            format: config.as_ref().and_then(|c| c.format),
        })
    }
}

struct Inputs {
    dialect: Dialect,
    base_dir: Option<PathBuf>,
    schema_files: Vec<PathBuf>,
    migrations_dir: PathBuf,
    /// The config's `format`; detected when `None`.
    format: Option<migrations::Layout>,
    lint: crate::lint::LintConfig,
    history_table: String,
    pg_schema: Option<String>,
}

/// The paths to announce, each once, in the order found.
#[derive(Default)]
struct Watch {
    paths: Vec<PathBuf>,
    seen: HashSet<PathBuf>,
    base_dir: Option<PathBuf>,
}

impl Watch {
    /// `path` when it exists. A missing path is left out: cargo would rerun
    /// the script on every build, and watching an ancestor folder instead
    /// is worse, since cargo scans folders recursively and the workspace
    /// folder holds `target/`. The manifests are always watched, and a
    /// failing check is rerun by cargo anyway.
    fn add(&mut self, path: &Path) {
        if path.exists() {
            self.add_read(path);
        }
    }

    /// A file just read: it exists.
    fn add_read(&mut self, path: &Path) {
        if self.seen.insert(path.to_path_buf()) {
            self.paths.push(path.to_path_buf());
        }
    }
}

fn replay(
    dialect: Dialect,
    migrations: &[Migration],
    shown: &Shown,
) -> Result<(Schema, Vec<ddl::Skipped>), Error> {
    let (schema, report) =
        crate::migrations::replay_with_report(dialect, migrations, |p| shown.path(p))?;
    Ok((schema, report.unmodelled))
}

fn parse_schema(dialect: Dialect, files: &[PathBuf], shown: &Shown) -> Result<Schema, Error> {
    let mut texts = Vec::with_capacity(files.len());
    for path in files {
        let sql = crate::migrations::read_sql_file(path)?;
        texts.push((shown.path(path), sql));
    }
    let sources: Vec<SourceFile<'_>> = texts
        .iter()
        .map(|(path, sql)| SourceFile { path, sql })
        .collect();
    let (mut schema, _skipped) = ddl::parse_schema(dialect, &sources)?;
    schema.sort();
    Ok(schema)
}

fn failed(level: Level) -> Outcome {
    match level {
        Level::Error => Outcome::Failed,
        Level::Warning => Outcome::Warned,
    }
}

/// Paths in messages: relative to the configuration's folder, where the
/// user runs `cargo migrate`.
struct Shown {
    prefix: Option<String>,
}

impl Shown {
    fn new(base_dir: Option<&Path>) -> Shown {
        Shown {
            prefix: base_dir.map(|b| format!("{}{}", b.display(), std::path::MAIN_SEPARATOR)),
        }
    }

    fn path(&self, path: &Path) -> String {
        self.text(&path.display().to_string())
    }

    /// `text` with the base folder taken out of the paths it holds (messages
    /// of other modules name files by absolute path).
    fn text(&self, text: &str) -> String {
        match &self.prefix {
            Some(prefix) => text.replace(prefix.as_str(), ""),
            None => text.to_string(),
        }
    }
}

fn lock_message(mismatch: &LockMismatch, shown: &Shown) -> String {
    let mut text = format!(
        "{} does not match the migrations:",
        shown.path(&mismatch.lock_path)
    );
    for problem in &mismatch.problems {
        text.push_str(&format!("\n  - {problem}"));
    }
    text
}

fn drift_message(report: &Report, drift: &Drift, shown: &Shown) -> String {
    let files: Vec<String> = report.schema_files.iter().map(|f| shown.path(f)).collect();
    let mut text = format!(
        "{}{} is behind {}: {} change(s) that no migration makes:",
        shown.path(&report.migrations_dir),
        std::path::MAIN_SEPARATOR,
        files.join(", "),
        drift.changes.len()
    );
    for change in drift.changes.iter().take(MAX_CHANGES) {
        text.push_str(&format!("\n  {change}"));
    }
    if drift.changes.len() > MAX_CHANGES {
        text.push_str(&format!(
            "\n  … and {} more",
            drift.changes.len() - MAX_CHANGES
        ));
    }
    match &drift.sql {
        Ok(sql) => {
            text.push_str("\nthe next migration would be:");
            let lines: Vec<&str> = sql.lines().filter(|l| !l.trim().is_empty()).collect();
            for line in lines.iter().take(MAX_SQL_LINES) {
                text.push_str(&format!("\n    {line}"));
            }
            if lines.len() > MAX_SQL_LINES {
                text.push_str(&format!(
                    "\n    -- … {} more lines",
                    lines.len() - MAX_SQL_LINES
                ));
            }
        }
        Err(e) => text.push_str(&format!("\nits SQL cannot be written: {e}")),
    }
    text.push_str("\nrun `cargo migrate new <name>` to write this migration");
    text
}

#[derive(Clone, Copy)]
enum Level {
    Error,
    Warning,
}

/// Writes `text` as directives of `level`, one per line: cargo reads one
/// directive per line, so a line break (a quoted identifier may hold one)
/// must never continue a message on a line cargo would take for output.
fn directive(out: &mut impl Write, level: Level, text: &str) -> io::Result<()> {
    let key = match level {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    for line in text.split(['\n', '\r']).filter(|l| !l.is_empty()) {
        writeln!(out, "cargo::{key}={line}")?;
    }
    Ok(())
}

/// `check()` with the directives on stdout, where cargo reads them.
pub(crate) fn check_stdout() {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    // A build script whose stdout is gone cannot report anything anyway.
    let _ = Check::new().emit_to(&mut out);
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Ws {
        dir: tempfile::TempDir,
    }

    impl Ws {
        /// A workspace configured for SQLite, with `schema` and the given
        /// migrations, locked.
        fn new(schema: &str, ups: &[(&str, &str)]) -> Ws {
            let ws = Ws {
                dir: tempfile::tempdir().unwrap(),
            };
            ws.write(
                "Cargo.toml",
                "[workspace]\n[workspace.metadata.migrate]\ndialect = \"sqlite\"\n",
            );
            ws.write("app/Cargo.toml", "[package]\nname = \"app\"\n");
            ws.write("schema.sql", schema);
            for (id, sql) in ups {
                ws.write(&format!("migrations/{id}/up.sql"), sql);
            }
            if !ups.is_empty() {
                ws.relock();
            }
            ws
        }

        fn root(&self) -> &Path {
            self.dir.path()
        }

        fn write(&self, rel: &str, text: &str) {
            let path = self.root().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }

        fn relock(&self) {
            let dir = self.root().join("migrations");
            let all = migrations::load(&dir, Dialect::Sqlite).unwrap();
            lock::write(&dir, &lock::compute(Dialect::Sqlite, &all)).unwrap();
        }

        fn check(&self) -> Check {
            Check::new().manifest_dir(self.root().join("app"))
        }

        fn emit(&self, mode_var: Option<&str>) -> (Outcome, Vec<String>) {
            emit(&self.check(), mode_var)
        }
    }

    fn emit(check: &Check, mode_var: Option<&str>) -> (Outcome, Vec<String>) {
        let mut out = Vec::new();
        let outcome = check.emit_with(mode_var, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        for line in text.lines() {
            assert!(line.starts_with("cargo::"), "not a directive: {line:?}");
        }
        (outcome, text.lines().map(str::to_string).collect())
    }

    fn values<'a>(lines: &'a [String], key: &str) -> Vec<&'a str> {
        let prefix = format!("cargo::{key}=");
        lines
            .iter()
            .filter_map(|l| l.strip_prefix(prefix.as_str()))
            .collect()
    }

    const USERS: &str = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n";

    #[test]
    fn lint_findings_are_warnings_on_request() {
        let drop = "ALTER TABLE users DROP COLUMN email;\n";
        let ws = Ws::new(
            "CREATE TABLE users (id INTEGER PRIMARY KEY);\n",
            &[
                ("20260101000000_users", USERS),
                ("20260102000000_drop", drop),
            ],
        );
        let (outcome, lines) = ws.emit(None);
        assert_eq!(outcome, Outcome::Passed, "{lines:#?}");
        assert!(values(&lines, "warning").is_empty(), "{lines:#?}");
        let (outcome, lines) = emit(&ws.check().lint_warnings(true), None);
        assert_eq!(outcome, Outcome::Passed, "{lines:#?}");
        let warnings = values(&lines, "warning");
        assert!(
            warnings.iter().any(|w| w.ends_with(
                "up.sql:1:1: warning[DS102]: drops column `users.email` and its values"
            )),
            "{lines:#?}"
        );
        assert!(values(&lines, "error").is_empty(), "{lines:#?}");
        // A rule set to error is still only a warning in the build.
        ws.write(
            "Cargo.toml",
            "[workspace]\n[workspace.metadata.migrate]\ndialect = \"sqlite\"\n[workspace.metadata.migrate.lint]\nDS102 = \"error\"\nBC103 = \"off\"\n",
        );
        let (outcome, lines) = emit(&ws.check().lint_warnings(true), None);
        assert_eq!(outcome, Outcome::Passed, "{lines:#?}");
        let warnings = values(&lines, "warning");
        assert!(
            warnings.iter().any(|w| w.contains("error[DS102]")),
            "{lines:#?}"
        );
        assert!(!warnings.iter().any(|w| w.contains("BC103")), "{lines:#?}");
    }

    #[test]
    fn embeds_only_checked_migrations() {
        let ws = Ws::new(USERS, &[("20260101000000_users", USERS)]);
        let out = tempfile::tempdir().unwrap();
        let check = ws
            .check()
            .embed_migrations()
            .typed_schema()
            .out_dir(out.path());
        let (outcome, lines) = emit(&check, None);
        assert_eq!(outcome, Outcome::Passed, "{lines:#?}");
        let embedded = std::fs::read_to_string(out.path().join("migrations.rs")).unwrap();
        assert!(
            embedded.contains("version: \"20260101000000\","),
            "{embedded}"
        );
        assert!(embedded.contains("up_path: \"migrations/20260101000000_users/up.sql\","));
        assert!(embedded.contains("\"_migrate_history\""));
        let typed = std::fs::read_to_string(out.path().join("schema.rs")).unwrap();
        assert!(typed.contains("pub enum Users {"), "{typed}");

        // Drift in warn mode: the build goes on for the gate, not for the
        // embedding, and the old files are left as they were.
        ws.write(
            "schema.sql",
            &format!("{USERS}CREATE TABLE t (id INTEGER);\n"),
        );
        std::fs::remove_file(out.path().join("migrations.rs")).unwrap();
        let (outcome, lines) = emit(&check, Some("warn"));
        assert_eq!(outcome, Outcome::Failed);
        assert!(
            values(&lines, "error")
                .iter()
                .any(|l| l.contains("not written for the application")),
            "{lines:#?}"
        );
        assert!(!out.path().join("migrations.rs").exists());
        let (outcome, lines) = emit(&check, Some("off"));
        assert_eq!(outcome, Outcome::Failed, "{lines:#?}");
        assert!(!out.path().join("migrations.rs").exists());
    }

    #[test]
    fn in_step_passes_and_watches_every_input() {
        let ws = Ws::new(USERS, &[("20260101000000_users", USERS)]);
        let (outcome, lines) = ws.emit(None);
        assert_eq!(outcome, Outcome::Passed, "{lines:#?}");
        assert!(values(&lines, "error").is_empty());
        assert!(values(&lines, "warning").is_empty());
        assert_eq!(values(&lines, "rerun-if-env-changed"), vec![MODE_VAR]);
        let root = ws.root().canonicalize().unwrap();
        let mut watched: Vec<PathBuf> = values(&lines, "rerun-if-changed")
            .into_iter()
            .map(|p| Path::new(p).canonicalize().unwrap())
            .collect();
        watched.sort();
        let mut expected: Vec<PathBuf> = [
            "Cargo.toml",
            "app/Cargo.toml",
            "migrations",
            "migrations/20260101000000_users/up.sql",
            "migrations/migrate.lock",
            "schema.sql",
        ]
        .iter()
        .map(|p| root.join(p))
        .collect();
        expected.sort();
        assert_eq!(watched, expected);

        let report = ws.check().run().unwrap();
        assert!(report.is_clean());
        assert_eq!(report.migrations, 1);
        assert_eq!(report.dialect, Dialect::Sqlite);
    }

    #[test]
    fn renames_go_through_the_gate() {
        let renamed = "CREATE TABLE users (\n    id INTEGER PRIMARY KEY,\n    address TEXT NOT NULL -- migrate:renamed-from email\n);\n";
        let ws = Ws::new(renamed, &[("20260101000000_users", USERS)]);
        let drift = ws.check().run().unwrap().drift.unwrap();
        assert_eq!(
            drift.changes,
            vec!["rename column `users.email` to `users.address`"]
        );
        assert_eq!(
            drift.sql.unwrap().trim(),
            "ALTER TABLE users RENAME COLUMN email TO address;"
        );
        // Applied, the annotation is harmless: in step.
        let ws = Ws::new(
            renamed,
            &[
                ("20260101000000_users", USERS),
                (
                    "20260102000000_rename",
                    "ALTER TABLE users RENAME COLUMN email TO address;\n",
                ),
            ],
        );
        assert!(ws.check().run().unwrap().is_clean());
        // An old name nobody has is an error with its location.
        let typo = renamed.replace("from email", "from emial");
        let ws = Ws::new(&typo, &[("20260101000000_users", USERS)]);
        let e = ws.check().run().unwrap_err().to_string();
        assert!(
            e.ends_with("schema.sql:3:27: column `users.address` is annotated `-- migrate:renamed-from emial`, but the migrations have neither `emial` nor `address`: correct the old name, or remove the annotation"),
            "{e}"
        );
    }

    #[test]
    fn drift_fails_with_changes_sql_and_command() {
        let ws = Ws::new(USERS, &[("20260101000000_users", USERS)]);
        ws.write(
            "schema.sql",
            &format!("{USERS}CREATE TABLE loyalty_accounts (id INTEGER PRIMARY KEY, points INTEGER NOT NULL);\n"),
        );
        let (outcome, lines) = ws.emit(None);
        assert_eq!(outcome, Outcome::Failed);
        let errors = values(&lines, "error");
        assert_eq!(
            errors[0],
            "migrations/ is behind schema.sql: 1 change(s) that no migration makes:"
        );
        assert_eq!(errors[1], "  create table `loyalty_accounts`");
        assert!(
            errors
                .iter()
                .any(|l| l.contains("CREATE TABLE") && l.contains("loyalty_accounts")),
            "{errors:#?}"
        );
        assert_eq!(
            errors.last().copied(),
            Some("run `cargo migrate new <name>` to write this migration")
        );
        let report = ws.check().run().unwrap();
        let drift = report.drift.unwrap();
        assert_eq!(drift.changes, vec!["create table `loyalty_accounts`"]);
        let sql = drift.sql.unwrap();
        assert!(sql.starts_with("CREATE TABLE"), "{sql}");
        assert!(sql.contains("loyalty_accounts"), "{sql}");
    }

    #[test]
    fn edited_migration_fails_naming_the_file() {
        let ws = Ws::new(USERS, &[("20260101000000_users", USERS)]);
        ws.write(
            "migrations/20260101000000_users/up.sql",
            &format!("{USERS}-- edited\n"),
        );
        let (outcome, lines) = ws.emit(None);
        assert_eq!(outcome, Outcome::Failed);
        let errors = values(&lines, "error");
        assert_eq!(
            errors[0],
            "migrations/migrate.lock does not match the migrations:"
        );
        assert!(
            errors[1].contains("`20260101000000_users` was edited after it was locked (migrations/20260101000000_users/up.sql)"),
            "{errors:#?}"
        );
        assert!(errors[1].contains("cargo migrate hash"));
        assert!(ws.check().run().unwrap().lock.is_some());
    }

    #[test]
    fn warn_mode_announces_itself_and_downgrades_failures() {
        let ws = Ws::new(USERS, &[]);
        let (outcome, lines) = ws.emit(Some("warn"));
        assert_eq!(outcome, Outcome::Warned);
        assert!(values(&lines, "error").is_empty());
        let warnings = values(&lines, "warning");
        assert!(warnings[0].starts_with("MIGRATE_BUILD_CHECK=warn:"));
        assert!(warnings.contains(&"  create table `users`"));
        // Fixing the schema must rerun the check even though the build passed.
        assert!(
            values(&lines, "rerun-if-changed")
                .iter()
                .any(|p| p.ends_with("schema.sql"))
        );

        // Announced also when there is nothing to warn about.
        let ws = Ws::new("", &[]);
        let (outcome, lines) = ws.emit(Some("warn"));
        assert_eq!(outcome, Outcome::Passed);
        assert_eq!(values(&lines, "warning").len(), 1);
    }

    #[test]
    fn the_mode_variable_wins_over_the_build_script() {
        let ws = Ws::new(USERS, &[]);
        let check = ws.check().mode(Mode::Warn);
        assert_eq!(emit(&check, None).0, Outcome::Warned);
        assert_eq!(emit(&check, Some("error")).0, Outcome::Failed);
    }

    #[test]
    fn off_mode_reads_nothing_and_says_so() {
        let check = Check::new().manifest_dir("/nonexistent/for/sure");
        let (outcome, lines) = emit(&check, Some("off"));
        assert_eq!(outcome, Outcome::Skipped);
        assert_eq!(
            lines,
            vec![
                format!("cargo::rerun-if-env-changed={MODE_VAR}"),
                format!(
                    "cargo::warning={MODE_VAR}=off: the migrations were NOT checked against the schema in this build; unset it to check them again"
                ),
            ]
        );
    }

    #[test]
    fn unknown_mode_fails() {
        let ws = Ws::new("", &[]);
        let (outcome, lines) = ws.emit(Some("maybe"));
        assert_eq!(outcome, Outcome::Failed);
        assert_eq!(
            values(&lines, "error"),
            vec!["MIGRATE_BUILD_CHECK=maybe: expected `error`, `warn` or `off`"]
        );
    }

    #[test]
    fn missing_inputs_are_not_announced() {
        // No migrations folder yet, and a schema file that is not there.
        let ws = Ws::new("", &[]);
        std::fs::remove_file(ws.root().join("schema.sql")).unwrap();
        let (outcome, lines) = ws.emit(None);
        assert_eq!(outcome, Outcome::Failed);
        assert!(values(&lines, "error")[0].contains("schema path"));
        let watched = values(&lines, "rerun-if-changed");
        // The manifests, and nothing else: never a folder holding `target/`.
        assert_eq!(watched.len(), 2, "{watched:#?}");
        assert!(watched.iter().all(|p| p.ends_with("Cargo.toml")));
    }

    #[test]
    fn sql_errors_name_file_line_and_column() {
        let ws = Ws::new("CREATE TABLE t (id INTEGER);\nCREATE TABLE (;\n", &[]);
        let (_, lines) = ws.emit(None);
        let errors = values(&lines, "error");
        assert!(
            errors[0].starts_with("cannot check the migrations: schema.sql:2:1: "),
            "{errors:#?}"
        );
        assert!(matches!(ws.check().run(), Err(Error::Ddl(_))));
    }

    #[test]
    fn no_config_is_an_error_that_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
        let err = Check::new().manifest_dir(dir.path()).run().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
        assert!(err.to_string().contains("cargo migrate init"));
    }

    #[test]
    fn builder_inputs_need_no_config() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("db.sql"), USERS).unwrap();
        let report = Check::new()
            .manifest_dir(dir.path())
            .schema("db.sql")
            .migrations("db/migrations")
            .dialect(Dialect::Postgres)
            .run()
            .unwrap();
        assert_eq!(report.dialect, Dialect::Postgres);
        assert_eq!(report.migrations, 0);
        let drift = report.drift.unwrap();
        assert_eq!(drift.changes, vec!["create table `users`"]);
    }

    #[test]
    fn every_line_of_a_message_is_its_own_directive() {
        // A quoted identifier may hold a line break.
        let ws = Ws::new("CREATE TABLE \"two\nlines\" (id INTEGER);\n", &[]);
        let (outcome, lines) = ws.emit(None);
        assert_eq!(outcome, Outcome::Failed);
        let errors = values(&lines, "error");
        assert_eq!(
            errors[1..3],
            ["  create table `two", "lines`"],
            "{lines:#?}"
        );
    }

    #[test]
    fn long_drift_is_cut() {
        let schema: String = (0..100)
            .map(|i| format!("CREATE TABLE t{i} (id INTEGER PRIMARY KEY);\n"))
            .collect();
        let ws = Ws::new(&schema, &[]);
        let (_, lines) = ws.emit(None);
        let errors = values(&lines, "error");
        assert!(errors.contains(&"  … and 60 more"), "{errors:#?}");
        assert!(
            errors
                .iter()
                .any(|l| l.starts_with("    -- … ") && l.ends_with(" more lines"))
        );
        assert!(errors.len() < MAX_CHANGES + MAX_SQL_LINES + 6);
    }

    #[test]
    fn ddl_the_replay_cannot_see_is_a_warning_at_its_line() {
        let ws = Ws {
            dir: tempfile::tempdir().unwrap(),
        };
        ws.write(
            "Cargo.toml",
            "[workspace]\n[workspace.metadata.migrate]\ndialect = \"postgres\"\n",
        );
        ws.write("app/Cargo.toml", "[package]\nname = \"app\"\n");
        ws.write("schema.sql", "CREATE TABLE a (x int);\n");
        ws.write(
            "migrations/20260101000000_a/up.sql",
            "CREATE TABLE a (x int);\nDO $$\nBEGIN\n  EXECUTE 'CREATE TABLE b (y int)';\nEND $$;\n",
        );
        let dir = ws.root().join("migrations");
        let all = migrations::load(&dir, Dialect::Postgres).unwrap();
        lock::write(&dir, &lock::compute(Dialect::Postgres, &all)).unwrap();
        let (outcome, lines) = ws.emit(None);
        assert_eq!(outcome, Outcome::Passed, "{lines:?}");
        let warnings = values(&lines, "warning");
        assert_eq!(warnings.len(), 1, "{lines:?}");
        assert!(
            warnings[0].starts_with(
                "migrations/20260101000000_a/up.sql:4:3: EXECUTE (SQL built at run time) in a DO block is not modelled"
            ),
            "{warnings:?}"
        );
    }
}
