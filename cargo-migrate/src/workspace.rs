//! The workspace: which manifest holds the migrate config (found with
//! cargo_metadata, the only place that runs cargo), and the engine's view of
//! its files: migrations replayed, schema files parsed, lock verified.

use std::path::{Path, PathBuf};

use migrate_build::config::Config;
use migrate_build::ddl::{self, SourceFile};
use migrate_build::migrations::{self, Migration, lock};
use migrate_build::{Dialect, Schema};

use crate::db::display_path;
use crate::error::CliError;

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("cannot read the cargo workspace: {0}")]
    Metadata(String),
    #[error(
        "no [workspace.metadata.migrate] or [package.metadata.migrate] table in {}\nhelp: run `cargo migrate init` to create one",
        manifests.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" or ")
    )]
    NotConfigured { manifests: Vec<PathBuf> },
}

/// The manifests a command may use, found with `cargo metadata --no-deps`.
#[derive(Debug, Clone)]
pub struct Manifests {
    pub workspace_root: PathBuf,
    /// The `--manifest-path`, or the workspace member around the current directory.
    pub package: Option<PathBuf>,
    /// Whether the root manifest has a `[workspace]` table (and not only a package).
    pub root_is_workspace: bool,
}

impl Manifests {
    pub fn locate(manifest_path: Option<&Path>, cwd: &Path) -> Result<Manifests, WorkspaceError> {
        let mut cmd = cargo_metadata::MetadataCommand::new();
        cmd.no_deps().current_dir(cwd);
        if let Some(p) = manifest_path {
            cmd.manifest_path(p);
        }
        let meta = cmd
            .exec()
            .map_err(|e| WorkspaceError::Metadata(without_snippets(&e.to_string())))?;
        let workspace_root = meta.workspace_root.as_std_path().join("Cargo.toml");
        let package = match manifest_path {
            Some(p) => Some(absolute(cwd, p)),
            None => meta
                .packages
                .iter()
                .map(|p| p.manifest_path.as_std_path().to_path_buf())
                .filter(|m| m.parent().is_some_and(|dir| cwd.starts_with(dir)))
                .max_by_key(|m| m.as_os_str().len()),
        };
        let root_is_workspace = std::fs::read_to_string(&workspace_root)
            .map(|text| {
                text.parse::<toml_edit::DocumentMut>()
                    .ok()
                    .is_some_and(|doc| doc.contains_table("workspace"))
            })
            .unwrap_or(false);
        Ok(Manifests {
            workspace_root,
            package,
            root_is_workspace,
        })
    }

    /// Package manifest first (its own table wins), then the workspace root.
    fn candidates(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        if let Some(p) = &self.package {
            out.push(p.clone());
        }
        if !out.contains(&self.workspace_root) {
            out.push(self.workspace_root.clone());
        }
        out
    }
}

/// Cargo's message without the source lines it quotes (`6 | database_url =
/// "postgres://u:pw@…`): a manifest may hold a password. The `--> file:line:col`
/// lines and the message stay.
fn without_snippets(message: &str) -> String {
    message
        .lines()
        .filter(|line| {
            let rest = line
                .trim_start()
                .trim_start_matches(|c: char| c.is_ascii_digit());
            !rest.trim_start().starts_with('|')
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    }
}

/// A configured workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub config: Config,
    /// The directory of the manifest holding the config; paths are relative to it.
    pub base_dir: PathBuf,
}

impl Workspace {
    pub fn load(manifest_path: Option<&Path>, cwd: &Path) -> Result<Workspace, CliError> {
        let manifests = Manifests::locate(manifest_path, cwd)?;
        let candidates = manifests.candidates();
        for manifest in &candidates {
            if let Some(config) = Config::from_manifest(manifest)? {
                let base_dir = manifest.parent().map(Path::to_path_buf).unwrap_or_default();
                return Ok(Workspace { config, base_dir });
            }
        }
        Err(WorkspaceError::NotConfigured {
            manifests: candidates,
        }
        .into())
    }

    pub fn dialect(&self) -> Dialect {
        self.config.dialect
    }

    pub fn migrations_dir(&self) -> PathBuf {
        // Joining an absolute path keeps it: works whether or not the config resolved it.
        self.base_dir.join(&self.config.migrations)
    }

    pub fn load_migrations(&self) -> Result<Vec<Migration>, CliError> {
        let dir = self.migrations_dir();
        if !dir.exists() {
            return Ok(Vec::new());
        }
        Ok(migrations::load_as(&dir, self.dialect(), self.config.format)?.1)
    }

    /// The migrations, after checking that migrate.lock accounts for each.
    pub fn verified_migrations(&self) -> Result<Vec<Migration>, CliError> {
        let migrations = self.load_migrations()?;
        lock::verify(&self.migrations_dir(), self.dialect(), &migrations)?;
        Ok(migrations)
    }

    /// The schema `migrations` produce, replayed by the interpreter.
    pub fn replay<'m>(
        &self,
        migrations: impl IntoIterator<Item = &'m Migration>,
    ) -> Result<Schema, CliError> {
        Ok(migrations::replay(
            self.dialect(),
            migrations,
            display_path,
        )?)
    }

    /// [`Workspace::replay`], also returning the statements whose schema
    /// changes the replay cannot see (DDL in `DO` blocks and routine bodies).
    pub fn replay_with_unmodelled<'m>(
        &self,
        migrations: impl IntoIterator<Item = &'m Migration>,
    ) -> Result<(Schema, Vec<ddl::Skipped>), CliError> {
        let (schema, report) =
            migrations::replay_with_report(self.dialect(), migrations, display_path)?;
        Ok((schema, report.unmodelled))
    }

    /// The schema the schema files declare.
    pub fn parse_schema(&self) -> Result<Schema, CliError> {
        Ok(self.parse_schema_and_skipped()?.0)
    }

    /// The schema, and the statements of the schema files the interpreter
    /// skips (privileges, ownership, data, session settings), to tell the user.
    pub fn parse_schema_and_skipped(&self) -> Result<(Schema, Vec<ddl::Skipped>), CliError> {
        let files = self.config.schema_files()?;
        let mut texts = Vec::with_capacity(files.len());
        for f in &files {
            let path = self.base_dir.join(f);
            let sql = migrations::read_sql_file(&path)?;
            texts.push((display_path(&path), sql));
        }
        let sources: Vec<SourceFile<'_>> = texts
            .iter()
            .map(|(path, sql)| SourceFile { path, sql })
            .collect();
        let (mut schema, report) = ddl::parse_schema(self.dialect(), &sources)?;
        schema.sort();
        Ok((schema, report.skipped))
    }

    /// A path for messages.
    pub fn show(&self, path: &Path) -> String {
        display_path(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_snippets_are_left_out() {
        let cargo = "`cargo metadata` exited with an error: error: invalid basic string, expected `\"`\n --> Cargo.toml:6:42\n  |\n6 | database_url = \"postgres://u:hunter2@h/db\n  |                                          ^\n";
        let shown = without_snippets(cargo);
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("--> Cargo.toml:6:42"), "{shown}");
        assert!(shown.contains("invalid basic string"), "{shown}");
    }
}
