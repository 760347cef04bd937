//! `cargo migrate hash`: rewrites migrate.lock from the files as they are.

use migrate_build::migrations::lock;

use crate::cli::HashArgs;
use crate::error::{CliError, Outcome};

use super::Ctx;

pub fn run(_args: HashArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    let ws = ctx.workspace()?;
    let migrations = ws.load_migrations()?;
    let dir = ws.migrations_dir();
    std::fs::create_dir_all(&dir).map_err(|source| CliError::Io {
        path: dir.clone(),
        source,
    })?;
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
