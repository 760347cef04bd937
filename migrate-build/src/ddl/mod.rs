// STUB: replaced at merge
//! The DDL interpreter: applies SQL scripts to a [`crate::schema::Schema`].
//! The only module that imports sqlparser.
#![allow(unused_variables)]

use crate::dialect::Dialect;
use crate::schema::Schema;

pub struct SourceFile<'a> {
    pub path: &'a str,
    pub sql: &'a str,
}

pub struct Statement<'a> {
    pub text: &'a str,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Default)]
pub struct ApplyReport {
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone)]
pub struct Skipped {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub kind: String,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}\n  | {statement}")]
pub struct DdlError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub statement: String,
    pub message: String,
}

pub fn split_statements(sql: &str) -> Vec<Statement<'_>> {
    todo!("stub")
}

pub fn apply(schema: &mut Schema, file: SourceFile<'_>) -> Result<ApplyReport, DdlError> {
    todo!("stub")
}

pub fn parse_schema(
    dialect: Dialect,
    files: &[SourceFile<'_>],
) -> Result<(Schema, ApplyReport), DdlError> {
    todo!("stub")
}
