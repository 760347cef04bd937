//! `cargo migrate check`: everything CI should know, every problem listed.

use migrate_build::diff::{describe, diff};
use migrate_build::migrations::{Migration, lock};
use migrate_build::plan::Plan;

use crate::cli::{CheckArgs, CheckFormat};
use crate::db::{Database, Open};
use crate::error::{CliError, Outcome};
use crate::runner::{Report, State};
use crate::url::Target;
use crate::workspace::Workspace;

use super::Ctx;
use super::annotations::{self, Problem};

pub fn run(args: CheckArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    if args.fleet.is_fleet() {
        let format = match args.format {
            CheckFormat::Json => crate::cli::Format::Json,
            CheckFormat::Text | CheckFormat::Github => crate::cli::Format::Text,
        };
        return crate::fleet::run(crate::fleet::Action::Check, &args.fleet, format, ctx);
    }
    let ws = ctx.workspace()?;
    let mut problems: Vec<Problem> = Vec::new();
    let migrations = match ws.load_migrations() {
        Ok(m) => Some(m),
        Err(e) => {
            problems.push(e.to_string().into());
            None
        }
    };
    if let Some(migrations) = &migrations {
        if let Err(e) = lock::verify(&ws.migrations_dir(), ws.dialect(), migrations) {
            problems.push(Problem::in_file(
                ws.show(&e.lock_path),
                crate::error::with_hash_help(&e),
            ));
        }
        check_schema(&ws, migrations, &mut problems, &ctx.out);
        super::lint::check_newest(&ws, migrations, ctx, &mut problems);
        check_database(&ws, migrations, ctx, &mut problems)?;
    }
    if args.format == CheckFormat::Json {
        let list: Vec<_> = problems
            .iter()
            .map(|p| {
                serde_json::json!({
                    "message": p.message,
                    "file": p.file,
                    "line": p.line,
                    "column": p.column,
                })
            })
            .collect();
        let doc = serde_json::json!({ "ok": problems.is_empty(), "problems": list });
        ctx.print(&format!("{doc:#}\n"))?;
    }
    if problems.is_empty() {
        ctx.out
            .status("Checked", "migrations, lock file and schema agree");
        return Ok(Outcome::Ok);
    }
    let mut text = String::new();
    for p in &problems {
        match args.format {
            CheckFormat::Text => text.push_str(&format!("- {}\n", p.message.replace('\n', "\n  "))),
            CheckFormat::Github => {
                text.push_str(&annotations::github(p, "cargo migrate check"));
                text.push('\n');
            }
            CheckFormat::Json => {}
        }
    }
    ctx.print(&text)?;
    ctx.out.line(format!(
        "{} {} problem(s) found",
        ctx.out.paint_error("error:"),
        problems.len()
    ));
    Ok(Outcome::Differences)
}

/// A plan's steps in words, one indented line each.
pub(super) fn listing(plan: &Plan) -> String {
    plan.steps
        .iter()
        .map(|s| format!("  {}", describe(&s.step)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn check_schema(
    ws: &Workspace,
    migrations: &[Migration],
    problems: &mut Vec<Problem>,
    out: &crate::output::Output,
) {
    let replayed = match ws.replay_with_unmodelled(migrations) {
        Ok((s, unmodelled)) => {
            super::note_unmodelled(out, &unmodelled);
            s
        }
        Err(e) => return problems.push(e.to_string().into()),
    };
    let declared = match ws.parse_schema_and_skipped() {
        Ok((s, skipped)) => {
            super::note_skipped(out, &skipped);
            s
        }
        Err(e) => return problems.push(e.to_string().into()),
    };
    let plan = match migrate_build::diff::try_diff(&replayed, &declared) {
        Ok(plan) => plan,
        Err(e) => return problems.push(e.to_string().into()),
    };
    if !plan.is_empty() {
        let message = format!(
            "the migrations are behind the schema files:\n{}\nrun `cargo migrate new <name>` to write the migration",
            listing(&plan)
        );
        let first_file = ws
            .config
            .schema_files()
            .ok()
            .and_then(|f| f.into_iter().next());
        problems.push(match first_file {
            Some(f) => Problem::in_file(ws.show(&ws.base_dir.join(f)), message),
            None => message.into(),
        });
    }
}

/// With a URL someone gave, or the default SQLite file when it exists: CI
/// without a database checks the files alone.
fn check_database(
    ws: &Workspace,
    migrations: &[Migration],
    ctx: &Ctx,
    problems: &mut Vec<Problem>,
) -> Result<(), CliError> {
    let url = ctx.database_url(ws)?;
    let default_file_exists = matches!(&url.target, Target::Sqlite { path } if path.is_file());
    if !url.is_explicit() && !default_file_exists {
        ctx.out
            .note("no database URL given: the database was not checked");
        return Ok(());
    }
    let mut db = match ctx.connect(ws, &url, Open::MustExist) {
        Ok(db) => db,
        Err(e) => {
            problems.push(e.to_string().into());
            return Ok(());
        }
    };
    let applied = db.list_applied()?;
    if !applied.is_empty()
        && let Err(e) = ctx.require_migrations_folder(ws)
    {
        problems.push(e.to_string().into());
        return Ok(());
    }
    let report = Report::compare(migrations, &applied);
    // One refusal for each such entry, in the same order.
    let troubled = report
        .migrations
        .iter()
        .filter(|e| matches!(e.state, State::Failed | State::Edited | State::Missing));
    for (message, entry) in report.refusals(migrations).into_iter().zip(troubled) {
        let file = migrations
            .iter()
            .find(|m| m.version == entry.version)
            .map(|m| ws.show(&m.up.path));
        let mut problem = match file {
            Some(f) => Problem::in_file(f, message),
            None => message.into(),
        };
        // A failed run's error names the statement's file:line:col.
        if let Some(at) = entry.error.clone().map(Problem::from)
            && at.file.is_some()
        {
            (problem.file, problem.line, problem.column) = (at.file, at.line, at.column);
        }
        problems.push(problem);
    }
    let pending = report.with_state(State::Pending).count();
    if pending > 0 {
        ctx.out.note(format!(
            "{pending} migration(s) not yet applied to {}",
            url.redacted()
        ));
    }
    match drift(ws, migrations, &report, db.as_mut(), Some(&ctx.out))? {
        Ok((steps, _)) if steps.is_empty() => {}
        Ok((steps, unmodelled)) if !unmodelled.is_empty() => problems.push(Problem::from(format!(
            "{} differs from what its applied migrations produce:\n{}\n\
             likely cause: statements of the applied migrations whose changes the replay cannot see:\n{}\n\
             write those changes as plain DDL in a migration (or in schema.sql and `cargo migrate new`), \
             so that the replay holds them",
            url.redacted(),
            indented(&steps),
            indented(
                &unmodelled
                    .iter()
                    .map(|s| format!("{}:{}:{}: {}", s.path, s.line, s.column, s.kind))
                    .collect::<Vec<_>>()
            )
        ))),
        Ok((steps, _)) => problems.push(Problem::from(format!(
            "{} differs from what its applied migrations produce (changed by hand?):\n{}\n\
             put the change in schema.sql and a migration, or undo it in the database",
            url.redacted(),
            indented(&steps)
        ))),
        Err(e) => problems.push(e.into()),
    }
    Ok(())
}

/// The drift steps in words, and the statements the replay could not see.
pub type Drift = (Vec<String>, Vec<migrate_build::ddl::Skipped>);

fn indented(lines: &[String]) -> String {
    lines
        .iter()
        .map(|s| format!("  {s}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What was done to the database beyond its applied migrations, one line
/// per step (empty when nothing), with the applied migrations' statements
/// the replay cannot see; `Err` when the migrations do not replay.
pub fn drift(
    ws: &Workspace,
    migrations: &[Migration],
    report: &Report,
    db: &mut dyn Database,
    out: Option<&crate::output::Output>,
) -> Result<Result<Drift, String>, CliError> {
    // A repeatable migration changed since it ran: the database holds what
    // its earlier text made, which no file says any more.
    let changed: Vec<&str> = report
        .with_state(State::Pending)
        .filter(|e| e.applied_at.is_some())
        .map(|e| e.version.as_str())
        .collect();
    if !changed.is_empty() {
        if let Some(out) = out {
            out.note(format!(
                "drift not checked: {} changed since {} applied, and the database holds what the earlier \
                 text made; `cargo migrate apply` runs {} again",
                changed.join(", "),
                if changed.len() == 1 { "it was" } else { "they were" },
                if changed.len() == 1 { "it" } else { "them" },
            ));
        }
        return Ok(Ok((Vec::new(), Vec::new())));
    }
    let applied_versions: std::collections::HashSet<&str> = report
        .with_state(State::Applied)
        .map(|e| e.version.as_str())
        .collect();
    let applied = migrations
        .iter()
        .filter(|m| applied_versions.contains(m.version.as_str()));
    let (expected, unmodelled) = match ws.replay_with_unmodelled(applied) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let mut live = db.introspect()?;
    let left_out = crate::adopt::without_foreign_history(&mut live, &expected, &ws.config);
    if let Some(out) = out {
        crate::adopt::note_left_out(out, ws.dialect(), &left_out);
    }
    live.sort();
    let plan = diff(&expected, &live);
    Ok(Ok((
        plan.steps.iter().map(|s| describe(&s.step)).collect(),
        unmodelled,
    )))
}
