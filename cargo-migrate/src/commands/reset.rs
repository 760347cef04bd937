//! `cargo migrate reset [--force]`: drop everything, apply every migration.

use std::io::{BufRead, IsTerminal, Write};

use crate::cli::ResetArgs;
use crate::db::Open;
use crate::error::{CliError, Outcome};
use crate::runner;

use super::Ctx;

pub fn run(args: ResetArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    let ws = ctx.workspace()?;
    ctx.require_migrations_folder(&ws)?;
    let migrations = ws.verified_migrations()?;
    let url = ctx.database_url(&ws)?;
    if !args.force {
        confirm(&url.redacted())?;
    }
    if args.backup {
        super::backup::before(ctx, &ws, &url, "cargo migrate reset")?;
    }
    let mut db = ctx.connect(&ws, &url, Open::CreateIfMissing)?;
    runner::reset(db.as_mut(), &migrations, &ctx.out)?;
    // As Prisma's `migrate reset`: the database is ready to use after it.
    let seeded = !args.skip_seed && super::seed::configured(&ws);
    if seeded {
        super::seed::load(&ws, db.as_mut(), &url.raw, &ctx.out)?;
    }
    ctx.out.status(
        "Reset",
        format!(
            "{} ({} migrations applied{})",
            url.redacted(),
            migrations.len(),
            if seeded { ", seed loaded" } else { "" }
        ),
    );
    Ok(Outcome::Ok)
}

fn confirm(url: &str) -> Result<(), CliError> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(CliError::Refused(format!(
            "`reset` drops every table in {url} and its data; pass --force to do it without a terminal to confirm on"
        )));
    }
    let mut stderr = std::io::stderr();
    let _ = write!(
        stderr,
        "This drops every table in {url} and all its data. Type `yes` to go on: "
    )
    .and_then(|()| stderr.flush());
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(CliError::Output)?;
    if answer.trim() == "yes" {
        Ok(())
    } else {
        Err(CliError::Refused("reset cancelled".to_string()))
    }
}
