// STUB: replaced at merge
//! `migrations/migrate.lock`.
#![allow(unused_variables)]

use std::path::Path;

use super::{Migration, MigrationsError};
use crate::dialect::Dialect;

#[derive(Debug, Clone)]
pub struct Lock {}

#[derive(Debug, thiserror::Error)]
#[error("lock stub")]
pub struct LockMismatch;

pub fn compute(dialect: Dialect, migrations: &[Migration]) -> Lock {
    todo!("stub")
}

pub fn read(dir: &Path) -> Result<Option<Lock>, MigrationsError> {
    todo!("stub")
}

pub fn write(dir: &Path, lock: &Lock) -> Result<(), MigrationsError> {
    todo!("stub")
}

pub fn verify(dir: &Path, dialect: Dialect, migrations: &[Migration]) -> Result<(), LockMismatch> {
    todo!("stub")
}
