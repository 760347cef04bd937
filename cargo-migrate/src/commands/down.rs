//! `cargo migrate down [--steps N | --to VERSION] [--dry-run]`

use crate::cli::DownArgs;
use crate::db::Open;
use crate::error::{CliError, Outcome};
use crate::runner::{self, DownTarget};

use super::Ctx;

pub fn run(args: DownArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    let target = match (args.steps, args.to) {
        (_, Some(v)) => DownTarget::To(v),
        (Some(n), None) => DownTarget::Steps(n),
        (None, None) => DownTarget::Steps(1),
    };
    if args.fleet.is_fleet() {
        let action = crate::fleet::Action::Down {
            target,
            dry_run: args.dry_run,
        };
        return crate::fleet::run(action, &args.fleet, args.format, ctx);
    }
    let ws = ctx.workspace()?;
    ctx.require_migrations_folder(&ws)?;
    let migrations = ws.verified_migrations()?;
    let url = ctx.database_url(&ws)?;
    if args.backup {
        super::backup::before(ctx, &ws, &url, "cargo migrate down")?;
    }
    let mut db = ctx.connect(&ws, &url, Open::MustExist)?;
    super::stop_after_current_on_ctrl_c(ctx.out);
    let reverted = runner::down(db.as_mut(), &migrations, &target, args.dry_run, &ctx.out)?;
    if runner::stop_requested() {
        ctx.out.warn(format!(
            "interrupted by Ctrl-C: {} reverted in this run, the others asked for not started",
            reverted.len()
        ));
        return Ok(Outcome::Interrupted);
    }
    if reverted.is_empty() {
        ctx.out.line("nothing to revert");
    }
    Ok(Outcome::Ok)
}
