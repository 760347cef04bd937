//! `cargo migrate resolve --applied|--rolled-back VERSION`

use crate::cli::ResolveArgs;
use crate::db::Open;
use crate::error::{CliError, Outcome};
use crate::runner::RunLock;

use super::Ctx;

pub fn run(args: ResolveArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    let ws = ctx.workspace()?;
    ctx.require_migrations_folder(&ws)?;
    let migrations = ws.verified_migrations()?;
    let url = ctx.database_url(&ws)?;
    let mut db = ctx.connect(&ws, &url, Open::MustExist)?;
    // Not while a run is deciding what to do with the same row.
    let mut guard = RunLock::acquire(db.as_mut())?;
    let db = guard.db();
    let not_failed = |v: &str| {
        CliError::Refused(format!(
            "migration {v} is not recorded as failed in {}; `resolve` only settles failed migrations (see `cargo migrate status`)",
            url.redacted()
        ))
    };
    match (args.applied, args.rolled_back) {
        (Some(v), _) => {
            let m = migrations.iter().find(|m| m.version == v).ok_or_else(|| {
                CliError::Refused(format!(
                    "no migration with version {v} in {}",
                    ws.show(&ws.migrations_dir())
                ))
            })?;
            if !db.resolve_applied(&v, &m.checksum())? {
                return Err(not_failed(&v));
            }
            ctx.out
                .status("Resolved", format!("{v}_{} recorded as applied", m.name));
        }
        (None, Some(v)) => {
            if !db.resolve_rolled_back(&v)? {
                return Err(not_failed(&v));
            }
            ctx.out.status(
                "Resolved",
                format!("{v} recorded as rolled back; it is pending again"),
            );
        }
        (None, None) => {
            return Err(CliError::Refused(
                "pass --applied VERSION or --rolled-back VERSION".to_string(),
            ));
        }
    }
    Ok(Outcome::Ok)
}
