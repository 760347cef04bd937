//! `cargo migrate apply [--to VERSION] [--dry-run] [--single-transaction]`

use std::path::Path;

use crate::cli::ApplyArgs;
use crate::db::sqlite::Sqlite;
use crate::db::{DbError, Open};
use crate::error::{CliError, Outcome};
use crate::runner;

use super::Ctx;

pub fn run(args: ApplyArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    if args.fleet.is_fleet() {
        let action = crate::fleet::Action::Apply {
            to: args.to,
            single_transaction: args.single_transaction,
            dry_run: args.dry_run,
        };
        return crate::fleet::run(action, &args.fleet, args.format, ctx);
    }
    let ws = ctx.workspace()?;
    ctx.require_migrations_folder(&ws)?;
    let migrations = ws.verified_migrations()?;
    let url = ctx.database_url(&ws)?;
    if args.backup {
        super::backup::before(ctx, &ws, &url, "cargo migrate apply")?;
    }
    let open = if args.dry_run {
        Open::MustExist
    } else {
        Open::CreateIfMissing
    };
    let mut db = match ctx.connect(&ws, &url, open) {
        Ok(db) => db,
        // A dry run must not create the file: an empty in-memory database
        // stands in for it, so everything is pending.
        Err(CliError::Db(DbError::MissingFile { .. })) if args.dry_run => Box::new(Sqlite::open(
            Path::new(":memory:"),
            url.redacted(),
            &ws.config.history_table,
            Open::CreateIfMissing,
        )?),
        Err(e) => return Err(e),
    };
    super::stop_after_current_on_ctrl_c(ctx.out);
    let summary = if args.single_transaction {
        runner::apply_single_transaction(
            db.as_mut(),
            &migrations,
            args.to.as_deref(),
            args.dry_run,
            &ctx.out,
        )?
    } else {
        runner::apply(
            db.as_mut(),
            &migrations,
            args.to.as_deref(),
            args.dry_run,
            &ctx.out,
        )?
    };
    if summary.stopped {
        ctx.out.warn(format!(
            "interrupted by Ctrl-C: {} applied in this run, {} not started; `cargo migrate apply` goes on from there",
            summary.applied.len(),
            summary.not_started
        ));
        return Ok(Outcome::Interrupted);
    }
    if summary.applied.is_empty() && summary.skipped_by_other_runner.is_empty() && !args.dry_run {
        ctx.out.line(format!(
            "{} is up to date ({} migrations applied)",
            url.redacted(),
            migrations.len()
        ));
    }
    Ok(Outcome::Ok)
}
