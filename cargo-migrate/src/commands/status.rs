//! `cargo migrate status [--format text|json]`

use serde::Serialize;

use crate::cli::{Format, StatusArgs};
use crate::db::{DbError, Open};
use crate::error::{CliError, Outcome};
use crate::runner::{Report, State};

use super::Ctx;

#[derive(Serialize)]
struct StatusJson<'a> {
    database: String,
    database_exists: bool,
    /// `null` when migrate.lock agrees with the files, else the mismatch.
    lock_error: Option<String>,
    /// Changes made to the database outside its applied migrations.
    drift: &'a [String],
    #[serde(flatten)]
    report: &'a Report,
}

pub fn run(args: StatusArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    if args.fleet.is_fleet() {
        return crate::fleet::run(crate::fleet::Action::Status, &args.fleet, args.format, ctx);
    }
    let ws = ctx.workspace()?;
    let migrations = ws.load_migrations()?;
    let lock_error =
        migrate_build::migrations::lock::verify(&ws.migrations_dir(), ws.dialect(), &migrations)
            .err()
            .map(|e| e.to_string());
    let url = ctx.database_url(&ws)?;
    let (mut db, exists) = match ctx.connect(&ws, &url, Open::MustExist) {
        Ok(db) => (Some(db), true),
        Err(CliError::Db(DbError::MissingFile { .. })) => (None, false),
        Err(e) => return Err(e),
    };
    let applied = match db.as_mut() {
        Some(db) => db.list_applied()?,
        None => Vec::new(),
    };
    if !applied.is_empty() {
        ctx.require_migrations_folder(&ws)?;
    }
    let report = Report::compare(&migrations, &applied);
    // Drift only means something when the history itself is in order.
    let drift = match db.as_mut() {
        Some(db) if report.refusals(&migrations).is_empty() => {
            super::check::drift(&ws, &migrations, &report, db.as_mut(), Some(&ctx.out))?
                .map(|(steps, _)| steps)
                .unwrap_or_else(|e| vec![format!("not checked: {e}")])
        }
        Some(_) | None => Vec::new(),
    };
    let clean = lock_error.is_none()
        && drift.is_empty()
        && report.migrations.iter().all(|e| e.state == State::Applied);
    match args.format {
        Format::Json => {
            let json = StatusJson {
                database: url.redacted(),
                database_exists: exists,
                lock_error,
                drift: &drift,
                report: &report,
            };
            let text = serde_json::to_string_pretty(&json)
                .map_err(|e| CliError::Output(std::io::Error::other(e)))?;
            ctx.print(&text)?;
        }
        Format::Text => {
            let mut text = format!("database: {}", url.redacted());
            if !exists {
                text.push_str(" (does not exist yet)");
            }
            text.push('\n');
            let width = report
                .migrations
                .iter()
                .map(|e| e.version.len() + e.name.len() + 1)
                .max()
                .unwrap_or(0);
            for e in &report.migrations {
                let id = format!("{}_{}", e.version, e.name);
                let detail = match e.state {
                    State::Applied | State::Edited | State::Missing => {
                        e.applied_at.clone().unwrap_or_default()
                    }
                    State::Failed => e
                        .error
                        .as_deref()
                        .and_then(|m| m.lines().next())
                        .unwrap_or("")
                        .to_string(),
                    State::Pending => String::new(),
                };
                text.push_str(
                    format!("  {:<8} {id:<width$}  {detail}", e.state.as_str()).trim_end(),
                );
                text.push('\n');
            }
            let count = |s| report.with_state(s).count();
            text.push_str(&format!(
                "{} applied, {} pending, {} failed, {} edited, {} missing\n",
                count(State::Applied),
                count(State::Pending),
                count(State::Failed),
                count(State::Edited),
                count(State::Missing),
            ));
            if let Some(err) = &lock_error {
                text.push_str(&format!("lock: {err}\n"));
            }
            if !drift.is_empty() {
                text.push_str(
                    "drift: the database differs from its applied migrations (changed by hand?):\n",
                );
                for step in &drift {
                    text.push_str(&format!("  {step}\n"));
                }
            }
            ctx.print(&text)?;
            for problem in report.refusals(&migrations) {
                ctx.out.warn(problem);
            }
        }
    }
    Ok(if clean {
        Outcome::Ok
    } else {
        Outcome::Differences
    })
}
