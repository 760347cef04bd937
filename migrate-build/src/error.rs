//! The crate-level error of the build gate: anything that stops
//! [`crate::Check`] from comparing the migrations with the schema. What the
//! comparison finds (drift, a lock mismatch) is not an error but a
//! [`crate::Report`].

use std::path::PathBuf;

use crate::config::ConfigError;
use crate::ddl::DdlError;
use crate::migrations::MigrationsError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "CARGO_MANIFEST_DIR is not set: call migrate_build::check() from a build script, or give Check::manifest_dir"
    )]
    NoManifestDir,
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Migrations(#[from] MigrationsError),
    /// A schema file or a migration the interpreter cannot model.
    #[error(transparent)]
    Ddl(#[from] DdlError),
    /// A `-- migrate:renamed-from` annotation that names nothing.
    #[error(transparent)]
    Renames(#[from] crate::diff::RenameErrors),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}={value}: expected `error`, `warn` or `off`", crate::gate::MODE_VAR)]
    BadMode { value: String },
}
