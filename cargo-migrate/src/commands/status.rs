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
    #[serde(flatten)]
    report: &'a Report,
}

pub fn run(args: StatusArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    let ws = ctx.workspace()?;
    let migrations = ws.load_migrations()?;
    let lock_error =
        migrate_build::migrations::lock::verify(&ws.migrations_dir(), ws.dialect(), &migrations)
            .err()
            .map(|e| e.to_string());
    let url = ctx.database_url(&ws)?;
    let (applied, exists) = match ctx.connect(&ws, &url, Open::MustExist) {
        Ok(mut db) => (db.list_applied()?, true),
        Err(CliError::Db(DbError::MissingFile { .. })) => (Vec::new(), false),
        Err(e) => return Err(e),
    };
    let report = Report::compare(&migrations, &applied);
    let clean = lock_error.is_none() && report.migrations.iter().all(|e| e.state == State::Applied);
    match args.format {
        Format::Json => {
            let json = StatusJson {
                database: url.redacted(),
                database_exists: exists,
                lock_error,
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
