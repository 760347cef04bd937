//! `cargo migrate seed`: loads the configured seed data (`seed` in the
//! config) into the database. Also run by `reset` and `test --with-data`.

use std::path::PathBuf;
use std::time::Instant;

use migrate_build::config::Seed;
use migrate_build::migrations::{self, MigrationFile};

use crate::cli::SeedArgs;
use crate::db::{Database, DbError, Open, Script};
use crate::error::{CliError, Outcome};
use crate::output::Output;
use crate::workspace::Workspace;

use super::Ctx;

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(
        "no seed is configured\nhelp: add `seed = \"seed.sql\"` (a .sql file or a folder of them) or \
         `seed = {{ command = \"…\" }}` to the [metadata.migrate] config of {manifest}"
    )]
    NotConfigured { manifest: String },
    #[error("the seed path {path} does not exist (`seed` in {manifest})")]
    Missing { path: String, manifest: String },
    #[error("the seed folder {path} holds no .sql file (`seed` in {manifest})")]
    Empty { path: String, manifest: String },
    #[error("{source}\nthe seed was rolled back: nothing of it stayed in {url}")]
    Failed { url: String, source: Box<DbError> },
    #[error(
        "{path}: the seed left rows referencing missing rows:\n{}\nthe seed was rolled back: nothing of it stayed in {url}",
        violations.iter().map(|v| format!("  - {v}")).collect::<Vec<_>>().join("\n")
    )]
    ForeignKeys {
        url: String,
        path: String,
        violations: Vec<String>,
    },
    // The command is not shown: it may hold a password.
    #[error(
        "the seed command (`seed` in {manifest}) failed ({status}); it runs its own transactions, \
         so what it wrote before failing stays in {url}"
    )]
    Command {
        manifest: String,
        status: String,
        url: String,
    },
    #[error("cannot run the seed command (`seed` in {manifest}): {source}")]
    Spawn {
        manifest: String,
        source: std::io::Error,
    },
}

pub fn run(_args: SeedArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    let ws = ctx.workspace()?;
    let url = ctx.database_url(&ws)?;
    let mut db = ctx.connect(&ws, &url, Open::MustExist)?;
    load(&ws, db.as_mut(), &url.raw, &ctx.out)?;
    Ok(Outcome::Ok)
}

/// Whether the workspace has a seed to load.
pub fn configured(ws: &Workspace) -> bool {
    ws.config.seed.is_some()
}

/// Loads the seed into `db`. `raw_url` is `db`'s URL for a seed command
/// (its `DATABASE_URL`), never printed.
pub fn load(
    ws: &Workspace,
    db: &mut dyn Database,
    raw_url: &str,
    out: &Output,
) -> Result<(), CliError> {
    let manifest = ws.show(&ws.config.manifest_path);
    let url = db.display_url();
    match &ws.config.seed {
        None => Err(SeedError::NotConfigured { manifest }.into()),
        Some(Seed::Sql(path)) => {
            let files = seed_files(ws, path, &manifest)?;
            let start = Instant::now();
            let mut scripts = Vec::with_capacity(files.len());
            for f in &files {
                scripts.push(Script::standalone(f)?);
            }
            let mut hook = |sql: &str| out.statement(&migrate_build::ddl::redact_passwords(sql));
            out.status("Seeding", format!("{url} from {}", ws.show(path)));
            if let Err(e) = db.run_unrecorded(&scripts, &mut hook) {
                return Err(match e {
                    DbError::ForeignKeyViolations { path, violations } => SeedError::ForeignKeys {
                        url,
                        path,
                        violations,
                    },
                    other => {
                        let redacted = scripts
                            .iter()
                            .fold(other, crate::error::redact_statement_error);
                        SeedError::Failed {
                            url,
                            source: Box::new(redacted),
                        }
                    }
                }
                .into());
            }
            let statements: usize = scripts.iter().map(|s| s.statements.len()).sum();
            out.status(
                "Seeded",
                format!(
                    "{url}: {} file(s), {statements} statement(s) ({} ms)",
                    files.len(),
                    start.elapsed().as_millis()
                ),
            );
            Ok(())
        }
        Some(Seed::Command(command)) => {
            out.status("Seeding", format!("{url} with the seed command"));
            let start = Instant::now();
            let mut cmd = shell(command);
            cmd.current_dir(&ws.base_dir)
                .env("DATABASE_URL", raw_url)
                .stdin(std::process::Stdio::null())
                // Our stdout is for machine output: the command's goes with our messages.
                .stdout(std::io::stderr());
            let status = cmd.status().map_err(|source| SeedError::Spawn {
                manifest: manifest.clone(),
                source,
            })?;
            if !status.success() {
                return Err(SeedError::Command {
                    manifest,
                    status: status.to_string(),
                    url,
                }
                .into());
            }
            out.status(
                "Seeded",
                format!("{url} ({} ms)", start.elapsed().as_millis()),
            );
            Ok(())
        }
    }
}

fn shell(command: &str) -> std::process::Command {
    if cfg!(windows) {
        let mut cmd = std::process::Command::new("cmd");
        cmd.arg("/C").arg(command);
        cmd
    } else {
        let mut cmd = std::process::Command::new("sh");
        cmd.arg("-c").arg(command);
        cmd
    }
}

/// The seed's files in the order they run: the file, or the folder's `.sql`
/// files by name.
fn seed_files(
    ws: &Workspace,
    path: &PathBuf,
    manifest: &str,
) -> Result<Vec<MigrationFile>, CliError> {
    if !path.exists() {
        return Err(SeedError::Missing {
            path: ws.show(path),
            manifest: manifest.to_string(),
        }
        .into());
    }
    let paths =
        migrate_build::config::schema_files(std::slice::from_ref(path), &ws.config.manifest_path)?;
    if paths.is_empty() {
        return Err(SeedError::Empty {
            path: ws.show(path),
            manifest: manifest.to_string(),
        }
        .into());
    }
    let mut files = Vec::with_capacity(paths.len());
    for p in paths {
        let sql = migrations::read_sql_file(&p)?;
        files.push(MigrationFile { path: p, sql });
    }
    Ok(files)
}
