//! `cargo migrate rm <version>`: deletes a migration no database has run
//! (the first of the three ways back, see the README) and rewrites the lock.

use migrate_build::migrations::lock;

use crate::cli::RmArgs;
use crate::db::Open;
use crate::error::{CliError, Outcome};
use crate::url::Target;

use super::Ctx;

pub fn run(args: RmArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    let ws = ctx.workspace()?;
    ctx.require_migrations_folder(&ws)?;
    let dir = ws.migrations_dir();
    let _folder_lock = super::lock_migrations_folder(&dir)?;
    // A lock that already disagrees would be rewritten silently below.
    let migrations = ws.verified_migrations()?;
    let Some(target) = migrations.iter().find(|m| m.version == args.version) else {
        return Err(CliError::Refused(format!(
            "no migration with version {} in {}",
            args.version,
            ws.show(&dir)
        )));
    };
    let id = target.id();
    check_database(ctx, &ws, &args.version, &id)?;
    let rest: Vec<_> = migrations
        .iter()
        .filter(|m| m.version != args.version)
        .cloned()
        .collect();
    // The migrations after it were written from a replay that had it.
    if let Err(e) = ws.replay(&rest) {
        return Err(CliError::Refused(format!(
            "the migrations after {id} need it: without it they do not replay:\n{e}\n\
             help: remove those first (newest first), or keep {id}"
        )));
    }
    let folder = target.up.path.parent().filter(|p| *p != dir.as_path());
    let io = |path: &std::path::Path| {
        let path = path.to_path_buf();
        move |source| CliError::Io { path, source }
    };
    match folder {
        // `<version>_<name>/up.sql`: the folder holds the migration.
        Some(folder) => std::fs::remove_dir_all(folder).map_err(io(folder))?,
        // sqlx's `<version>_<name>.up.sql` files sit in the migrations folder.
        None => {
            for file in std::iter::once(&target.up).chain(target.down.as_ref()) {
                std::fs::remove_file(&file.path).map_err(io(&file.path))?;
            }
        }
    }
    lock::write(&dir, &lock::compute(ws.dialect(), &rest))?;
    ctx.out.status(
        "Removed",
        format!(
            "{} and its entry in {}",
            ws.show(folder.unwrap_or(&target.up.path)),
            ws.show(&lock::path(&dir))
        ),
    );
    let (declared, _) = ws.parse_schema_and_skipped()?;
    let replayed = ws.replay(&rest)?;
    if !migrate_build::diff::diff(&replayed, &declared).is_empty() {
        ctx.out.note(format!(
            "schema.sql still declares what {id} did: change it back, or run `cargo migrate new <name>` \
             to write the migration again"
        ));
    }
    Ok(Outcome::Ok)
}

/// Refuses when the configured database (when one is given, or the default
/// SQLite file exists) has the migration in its history.
fn check_database(
    ctx: &Ctx,
    ws: &crate::workspace::Workspace,
    version: &str,
    id: &str,
) -> Result<(), CliError> {
    let url = match ctx.database_url(ws) {
        Ok(url) => url,
        Err(e) => {
            ctx.out.note(format!(
                "no database to check ({e}): only the folder was checked"
            ));
            return Ok(());
        }
    };
    let default_file_exists = matches!(&url.target, Target::Sqlite { path } if path.is_file());
    if !url.is_explicit() && !default_file_exists {
        ctx.out.note(
            "no database URL given: only the folder was checked (pass --database-url to check a database)",
        );
        return Ok(());
    }
    let applied = match ctx.connect(ws, &url, Open::MustExist) {
        Ok(mut db) => db.list_applied()?,
        Err(e) => {
            ctx.out.warn(format!(
                "{} could not be reached, so whether it has {id} applied is not known: {e}",
                url.redacted()
            ));
            return Ok(());
        }
    };
    if let Some(row) = applied.iter().find(|r| r.version == version) {
        let state = if row.success {
            format!("applied on {}", row.applied_at)
        } else {
            "recorded as failed".to_string()
        };
        return Err(CliError::Refused(format!(
            "{id} is {state} in {}: deleting it would leave that database with a migration the folder \
             does not have\nhelp: on a development database, `cargo migrate down` reverts it first; \
             where it must stay applied, write a new migration that undoes it: \
             `cargo migrate new <name> --revert {version}`",
            url.redacted()
        )));
    }
    Ok(())
}
