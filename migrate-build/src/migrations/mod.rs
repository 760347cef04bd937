// STUB: replaced at merge
//! Migration folders (ours, diesel, sqlx), checksums and the lock file.
#![allow(unused_variables)]

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::dialect::Dialect;

pub mod lock;

#[derive(Debug, Clone)]
pub struct Migration {
    pub version: String,
    pub name: String,
    pub up: MigrationFile,
    pub down: Option<MigrationFile>,
    pub no_transaction: bool,
}

#[derive(Debug, Clone)]
pub struct MigrationFile {
    pub path: PathBuf,
    pub sql: String,
}

impl Migration {
    pub fn checksum(&self) -> String {
        todo!("stub")
    }
}

#[derive(Debug, thiserror::Error)]
#[error("migrations stub")]
pub struct MigrationsError;

pub fn load(dir: &Path, dialect: Dialect) -> Result<Vec<Migration>, MigrationsError> {
    todo!("stub")
}

pub fn checksum(bytes: &[u8]) -> String {
    todo!("stub")
}

pub fn new_version(now: SystemTime) -> String {
    todo!("stub")
}

pub fn validate_name(name: &str) -> Result<(), MigrationsError> {
    todo!("stub")
}

pub fn write_new(
    dir: &Path,
    version: &str,
    name: &str,
    up: &str,
    down: &str,
) -> Result<Migration, MigrationsError> {
    todo!("stub")
}
