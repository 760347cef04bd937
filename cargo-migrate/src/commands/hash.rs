//! `cargo migrate hash`: rewrites migrate.lock from the files as they are.

use migrate_build::migrations::lock;

use crate::cli::HashArgs;
use crate::error::{CliError, Outcome};

use super::Ctx;

pub fn run(_args: HashArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    let ws = ctx.workspace()?;
    let dir = ws.migrations_dir();
    let _folder_lock = super::lock_migrations_folder(&dir)?;
    let migrations = ws.load_migrations()?;
    lock::write(&dir, &lock::compute(ws.dialect(), &migrations))?;
    ctx.out.status(
        "Wrote",
        format!(
            "{} ({} migrations)",
            ws.show(&dir.join("migrate.lock")),
            migrations.len()
        ),
    );
    Ok(Outcome::Ok)
}
