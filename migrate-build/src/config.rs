// STUB: replaced at merge
//! `[workspace.metadata.migrate]` / `[package.metadata.migrate]`.
#![allow(unused_variables)]

use std::path::{Path, PathBuf};

use crate::dialect::Dialect;

#[derive(Debug, Clone)]
pub struct Config {
    pub dialect: Dialect,
    pub schema: Vec<PathBuf>,
    pub migrations: PathBuf,
    pub database_url: Option<String>,
    pub manifest_path: PathBuf,
    pub history_table: String,
    pub pg_schema: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("config stub")]
pub struct ConfigError;

impl Config {
    pub fn find(start_dir: &Path) -> Result<Config, ConfigError> {
        todo!("stub")
    }

    pub fn from_manifest(path: &Path) -> Result<Option<Config>, ConfigError> {
        todo!("stub")
    }

    pub fn schema_files(&self) -> Result<Vec<PathBuf>, ConfigError> {
        todo!("stub")
    }
}
