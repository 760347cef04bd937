//! One command on many targets: `--databases FILE` (a URL a line) and, on
//! PostgreSQL, `--schemas PATTERN` (one tenant per schema, each with its
//! own history table and `search_path`).
//!
//! A bounded pool of workers (`--jobs`) takes targets in order; each
//! target runs as the single-database command would, under its own run
//! lock, with its output gathered instead of printed. A failure stops the
//! others only with `--fail-fast`. Ctrl-C lets every running target finish
//! or roll back the migration it is in, and starts no new one; the summary
//! names what was not started. Every label is a redacted URL.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use migrate_build::Dialect;
use migrate_build::dialect::quote;
use migrate_build::migrations::Migration;
use serde::Serialize;

use crate::cli::{FleetArgs, Format};
use crate::commands::Ctx;
use crate::db::{self, Database, DbError, Open};
use crate::error::{CliError, Outcome};
use crate::output::Output;
use crate::runner::{self, DownTarget, Report, State};
use crate::url::{self, DatabaseUrl, Target, UrlSource};
use crate::workspace::Workspace;

/// What to do on each target.
#[derive(Debug, Clone)]
pub enum Action {
    Apply {
        to: Option<String>,
        single_transaction: bool,
        dry_run: bool,
    },
    Down {
        target: DownTarget,
        dry_run: bool,
    },
    Status,
    Check,
}

impl Action {
    fn open(&self) -> Open {
        match self {
            Action::Apply { dry_run: false, .. } => Open::CreateIfMissing,
            _ => Open::MustExist,
        }
    }
}

/// One database, or one schema of a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct TargetSpec {
    pub url: DatabaseUrl,
    pub schema: Option<String>,
}

impl TargetSpec {
    /// For messages: the URL without its password, and the schema.
    pub fn label(&self) -> String {
        match &self.schema {
            Some(s) => format!("{} schema {s}", self.url.redacted()),
            None => self.url.redacted(),
        }
    }
}

/// How a target ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum TargetOutcome {
    /// Migrations applied (or reverted, for `down`).
    Done {
        migrations: Vec<String>,
    },
    UpToDate,
    /// `status` and `check`: what is not as it should be.
    Problems {
        problems: Vec<String>,
    },
    Failed {
        error: String,
        migrations: Vec<String>,
    },
    /// Ctrl-C came while it ran: these were applied, the rest not.
    Interrupted {
        migrations: Vec<String>,
    },
    NotStarted,
}

#[derive(Debug, Clone, Serialize)]
struct TargetJson {
    target: String,
    database: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<String>,
    #[serde(flatten)]
    outcome: TargetOutcome,
    elapsed_ms: u64,
}

#[derive(Debug, Serialize)]
struct SummaryJson<'a> {
    command: &'a str,
    targets: Vec<TargetJson>,
    done: usize,
    up_to_date: usize,
    problems: usize,
    failed: usize,
    interrupted: usize,
    not_started: usize,
}

/// Reads a `--databases` file: one URL a line, blank lines and `#` comments
/// skipped. A bad URL is an error at its line, shown without its password.
pub fn read_databases(path: &Path, ws: &Workspace) -> Result<Vec<DatabaseUrl>, CliError> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let url = url::parse(line, UrlSource::DatabasesFile, &ws.base_dir, ws.dialect())
            .map_err(|e| CliError::Refused(format!("{}:{}: {e}", path.display(), i + 1)))?;
        out.push(url);
    }
    if out.is_empty() {
        return Err(CliError::Refused(format!(
            "{} lists no database URL (one a line; `#` starts a comment)",
            path.display()
        )));
    }
    Ok(out)
}

/// The targets the flags name: each database of `--databases` (else the
/// workspace's one URL), each expanded to its schemas LIKE `--schemas`.
fn targets(args: &FleetArgs, ws: &Workspace, ctx: &Ctx) -> Result<Vec<TargetSpec>, CliError> {
    let urls = match &args.databases {
        Some(file) => read_databases(&ctx.cwd.join(file), ws)?,
        None => vec![ctx.database_url(ws)?],
    };
    let Some(pattern) = &args.schemas else {
        return Ok(urls
            .into_iter()
            .map(|url| TargetSpec { url, schema: None })
            .collect());
    };
    let mut out = Vec::new();
    for url in urls {
        let Target::Postgres { url: raw } = &url.target else {
            return Err(CliError::Refused(format!(
                "--schemas needs a PostgreSQL database; {} is SQLite, which has no schemas",
                url.redacted()
            )));
        };
        let mut pg = db::postgres::Postgres::connect(
            &url::postgres_options(raw)?,
            url.redacted(),
            &ws.config.history_table,
            None,
        )?;
        let rows = pg
            .session()
            .query(
                "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE $1 \
                 AND nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1",
                &[pattern],
            )
            .map_err(|e| DbError::Query {
                context: "listing the schemas",
                message: e.to_string(),
            })?;
        if rows.is_empty() {
            return Err(CliError::Refused(format!(
                "no schema of {} is LIKE '{pattern}'",
                url.redacted()
            )));
        }
        for r in rows {
            out.push(TargetSpec {
                url: url.clone(),
                schema: Some(r.get(0)),
            });
        }
    }
    Ok(out)
}

fn connect(ws: &Workspace, spec: &TargetSpec, open: Open) -> Result<Box<dyn Database>, DbError> {
    match (&spec.schema, &spec.url.target) {
        (Some(schema), Target::Postgres { url: raw }) => {
            let mut pg = db::postgres::Postgres::connect(
                &url::postgres_options(raw)?,
                spec.label(),
                &ws.config.history_table,
                Some(schema),
            )?;
            // The tenant's migrations create and find their objects there.
            let set = format!(
                "SET search_path TO {}",
                quote::ident(schema, Dialect::Postgres)
            );
            pg.session()
                .batch_execute(&set)
                .map_err(|e| DbError::Query {
                    context: "setting search_path",
                    message: e.to_string(),
                })?;
            Ok(Box::new(pg))
        }
        _ => db::connect(
            &spec.url,
            &ws.config.history_table,
            ws.config.pg_schema.as_deref(),
            open,
        ),
    }
}

/// What is running where, for the progress line.
struct Progress {
    running: Mutex<Vec<Option<(String, String)>>>,
    done: AtomicUsize,
    failed: AtomicUsize,
    total: usize,
}

thread_local! {
    /// The worker's slot in [`Progress::running`], while it runs a target.
    static SLOT: std::cell::RefCell<Option<(Arc<Progress>, usize)>> = const { std::cell::RefCell::new(None) };
}

/// Called by [`Output::status`]: on a fleet worker, the current step of its
/// target (`Applying 2026…_add_users`) for the progress line.
pub fn observe(verb: &str, message: &str) {
    SLOT.with(|slot| {
        if let Some((progress, i)) = slot.borrow().as_ref()
            && let Ok(mut running) = progress.running.lock()
            && let Some(Some((_, step))) = running.get_mut(*i)
        {
            *step = format!("{} {message}", verb.trim());
        }
    });
}

/// Runs `action` on every target the flags name, prints one summary, and
/// fails when any target failed or was not started.
pub fn run(
    action: Action,
    args: &FleetArgs,
    format: Format,
    ctx: &Ctx,
) -> Result<Outcome, CliError> {
    let ws = ctx.workspace()?;
    ctx.require_migrations_folder(&ws)?;
    let migrations = match action {
        Action::Status | Action::Check => ws.load_migrations()?,
        _ => ws.verified_migrations()?,
    };
    if matches!(action, Action::Check) {
        migrate_build::migrations::lock::verify(&ws.migrations_dir(), ws.dialect(), &migrations)
            .map_err(|e| CliError::Refused(crate::error::with_hash_help(&e)))?;
    }
    let specs = targets(args, &ws, ctx)?;
    let jobs = args
        .jobs
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .min(specs.len())
        .max(1);
    // Ctrl-C: running targets finish their migration, no new one starts; a
    // second Ctrl-C ends the process (the databases roll back what is open).
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let interrupted = interrupted.clone();
        runner::stop_on_ctrl_c(move || interrupted.store(true, Ordering::SeqCst));
    }
    let stop_new = AtomicBool::new(false);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<(TargetOutcome, Duration)>>> =
        Mutex::new(vec![None; specs.len()]);
    let progress = Arc::new(Progress {
        running: Mutex::new(vec![None; jobs]),
        done: AtomicUsize::new(0),
        failed: AtomicUsize::new(0),
        total: specs.len(),
    });
    let terminal = !ctx.out.quiet && std::io::stderr().is_terminal();
    let finished = AtomicBool::new(false);
    // The runner's own messages stay quiet; the workers report through
    // `observe` and the lines below.
    let quiet = Output::new(true, false, crate::cli::ColorChoice::Never);
    std::thread::scope(|scope| {
        if terminal {
            let progress = progress.clone();
            let finished = &finished;
            scope.spawn(move || {
                while !finished.load(Ordering::SeqCst) {
                    draw(&progress);
                    std::thread::sleep(Duration::from_millis(100));
                }
                clear_line();
            });
        }
        for slot in 0..jobs {
            let progress = progress.clone();
            let (specs, ws, migrations, action) = (&specs, &ws, &migrations, &action);
            let (next, stop_new, results, interrupted) = (&next, &stop_new, &results, &interrupted);
            scope.spawn(move || {
                SLOT.with(|s| *s.borrow_mut() = Some((progress.clone(), slot)));
                loop {
                    if stop_new.load(Ordering::SeqCst) || interrupted.load(Ordering::SeqCst) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(spec) = specs.get(i) else { break };
                    if let Ok(mut running) = progress.running.lock() {
                        running[slot] = Some((spec.label(), "connecting".to_string()));
                    }
                    let start = Instant::now();
                    let outcome = run_one(action, ws, migrations, spec, &quiet);
                    let elapsed = start.elapsed();
                    if let Ok(mut running) = progress.running.lock() {
                        running[slot] = None;
                    }
                    let failed = matches!(outcome, TargetOutcome::Failed { .. });
                    if failed {
                        progress.failed.fetch_add(1, Ordering::SeqCst);
                        if args.fail_fast {
                            stop_new.store(true, Ordering::SeqCst);
                        }
                    } else {
                        progress.done.fetch_add(1, Ordering::SeqCst);
                    }
                    if !terminal && !ctx.out.quiet {
                        plain_line(&ctx.out, &spec.label(), &outcome, elapsed);
                    }
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some((outcome, elapsed));
                    }
                }
                SLOT.with(|s| *s.borrow_mut() = None);
            });
        }
        // The workers end first; then the progress line goes.
    });
    finished.store(true, Ordering::SeqCst);
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let rows: Vec<TargetJson> = specs
        .iter()
        .zip(results)
        .map(|(spec, r)| {
            let (outcome, elapsed) = r.unwrap_or((TargetOutcome::NotStarted, Duration::ZERO));
            TargetJson {
                target: spec.label(),
                database: spec.url.redacted(),
                schema: spec.schema.clone(),
                outcome,
                elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            }
        })
        .collect();
    summarize(
        &action,
        rows,
        format,
        interrupted.load(Ordering::SeqCst),
        ctx,
    )
}

fn draw(progress: &Progress) {
    let done = progress.done.load(Ordering::SeqCst);
    let failed = progress.failed.load(Ordering::SeqCst);
    let running: Vec<(String, String)> = progress
        .running
        .lock()
        .map(|r| r.iter().flatten().cloned().collect())
        .unwrap_or_default();
    let current = running
        .first()
        .map(|(label, step)| format!(": {label}: {step}"))
        .unwrap_or_default();
    let mut line = format!(
        "[{}/{} done, {failed} failed, {} running]{current}",
        done + failed,
        progress.total,
        running.len()
    );
    // One terminal line: cut, never wrapped.
    if let Some((cut, _)) = line.char_indices().nth(120) {
        line.truncate(cut);
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r\x1b[K{line}");
    let _ = err.flush();
}

fn clear_line() {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r\x1b[K");
    let _ = err.flush();
}

fn plain_line(out: &Output, label: &str, outcome: &TargetOutcome, elapsed: Duration) {
    let ms = elapsed.as_millis();
    match outcome {
        TargetOutcome::Done { migrations } => out.status(
            "Finished",
            format!("{label}: {} ({ms} ms)", count(migrations.len())),
        ),
        TargetOutcome::UpToDate => out.status("Finished", format!("{label}: up to date ({ms} ms)")),
        TargetOutcome::Problems { problems } => out.status(
            "Checked",
            format!("{label}: {} problem(s) ({ms} ms)", problems.len()),
        ),
        TargetOutcome::Failed { error, .. } => out.status(
            "Failed",
            format!("{label}: {}", error.lines().next().unwrap_or_default()),
        ),
        TargetOutcome::Interrupted { migrations } => out.status(
            "Interrupted",
            format!("{label}: stopped after {}", count(migrations.len())),
        ),
        TargetOutcome::NotStarted => {}
    }
}

fn count(n: usize) -> String {
    format!("{n} migration{}", if n == 1 { "" } else { "s" })
}

/// The single-database command's work on one target, its result gathered.
fn run_one(
    action: &Action,
    ws: &Workspace,
    migrations: &[Migration],
    spec: &TargetSpec,
    out: &Output,
) -> TargetOutcome {
    let failed = |error: String| TargetOutcome::Failed {
        error,
        migrations: Vec::new(),
    };
    let mut db = match connect(ws, spec, action.open()) {
        Ok(db) => db,
        Err(e) => return failed(e.to_string()),
    };
    match action {
        Action::Apply {
            to,
            single_transaction,
            dry_run,
        } => {
            let result = if *single_transaction {
                runner::apply_single_transaction(
                    db.as_mut(),
                    migrations,
                    to.as_deref(),
                    *dry_run,
                    out,
                )
            } else {
                runner::apply(db.as_mut(), migrations, to.as_deref(), *dry_run, out)
            };
            match result {
                Ok(s) if s.stopped => TargetOutcome::Interrupted {
                    migrations: s.applied,
                },
                Ok(s) if s.applied.is_empty() => TargetOutcome::UpToDate,
                Ok(s) => TargetOutcome::Done {
                    migrations: s.applied,
                },
                Err(runner::RunnerError::StoppedRun { .. }) => TargetOutcome::Interrupted {
                    migrations: Vec::new(),
                },
                Err(e) => failed(e.to_string()),
            }
        }
        Action::Down { target, dry_run } => {
            match runner::down(db.as_mut(), migrations, target, *dry_run, out) {
                Ok(reverted) if reverted.is_empty() => TargetOutcome::UpToDate,
                Ok(reverted) => TargetOutcome::Done {
                    migrations: reverted,
                },
                Err(e) => failed(e.to_string()),
            }
        }
        Action::Status | Action::Check => {
            let applied = match db.list_applied() {
                Ok(a) => a,
                Err(e) => return failed(e.to_string()),
            };
            let report = Report::compare(migrations, &applied);
            let mut problems = report.refusals(migrations);
            let pending = report.with_state(State::Pending).count();
            if pending > 0 {
                problems.push(format!("{} pending", count(pending)));
            }
            // Not for a tenant schema: introspection reads every schema of
            // the database, not the tenant's alone, and would be wrong.
            if matches!(action, Action::Check) && problems.is_empty() && spec.schema.is_none() {
                match crate::commands::check::drift(ws, migrations, &report, db.as_mut(), None) {
                    Ok(Ok((drift, _))) => problems.extend(drift),
                    Ok(Err(e)) => problems.push(format!("drift not checked: {e}")),
                    Err(e) => return failed(e.to_string()),
                }
            }
            if problems.is_empty() {
                TargetOutcome::UpToDate
            } else {
                TargetOutcome::Problems { problems }
            }
        }
    }
}

fn summarize(
    action: &Action,
    rows: Vec<TargetJson>,
    format: Format,
    interrupted: bool,
    ctx: &Ctx,
) -> Result<Outcome, CliError> {
    let tally = |f: fn(&TargetOutcome) -> bool| rows.iter().filter(|r| f(&r.outcome)).count();
    let done = tally(|o| matches!(o, TargetOutcome::Done { .. }));
    let up_to_date = tally(|o| matches!(o, TargetOutcome::UpToDate));
    let problems = tally(|o| matches!(o, TargetOutcome::Problems { .. }));
    let failed = tally(|o| matches!(o, TargetOutcome::Failed { .. }));
    let stopped = tally(|o| matches!(o, TargetOutcome::Interrupted { .. }));
    let not_started = tally(|o| matches!(o, TargetOutcome::NotStarted));
    let command = match action {
        Action::Apply { .. } => "apply",
        Action::Down { .. } => "down",
        Action::Status => "status",
        Action::Check => "check",
    };
    let (done_word, none_word) = match action {
        Action::Apply { .. } => ("applied", "up to date"),
        Action::Down { .. } => ("reverted", "nothing to revert"),
        Action::Status | Action::Check => ("", "up to date"),
    };
    let total = rows.len();
    match format {
        Format::Json => {
            let json = SummaryJson {
                command,
                targets: rows,
                done,
                up_to_date,
                problems,
                failed,
                interrupted: stopped,
                not_started,
            };
            let text = serde_json::to_string_pretty(&json)
                .map_err(|e| CliError::Output(std::io::Error::other(e)))?;
            ctx.print(&text)?;
        }
        Format::Text => {
            let mut text = String::new();
            for r in &rows {
                let what = match &r.outcome {
                    TargetOutcome::Done { migrations } => {
                        format!("{done_word} {}", count(migrations.len()))
                    }
                    TargetOutcome::UpToDate => none_word.to_string(),
                    TargetOutcome::Problems { problems } => problems
                        .iter()
                        .map(|p| p.replace('\n', "\n    "))
                        .collect::<Vec<_>>()
                        .join("\n  - "),
                    TargetOutcome::Failed { error, .. } => {
                        format!("failed: {}", error.replace('\n', "\n    "))
                    }
                    TargetOutcome::Interrupted { migrations } => format!(
                        "interrupted: {} {done_word} before it stopped, the rest not",
                        count(migrations.len())
                    ),
                    TargetOutcome::NotStarted => "not started".to_string(),
                };
                let sep = if matches!(r.outcome, TargetOutcome::Problems { .. }) {
                    ":\n  - "
                } else {
                    ": "
                };
                text.push_str(&format!("{}{sep}{what}\n", r.target));
            }
            let mut tail = format!("{total} target(s): ");
            let mut parts = Vec::new();
            for (n, word) in [
                (done, done_word),
                (up_to_date, none_word),
                (problems, "with problems"),
                (failed, "failed"),
                (stopped, "interrupted"),
                (not_started, "not started"),
            ] {
                if n > 0 && !word.is_empty() {
                    parts.push(format!("{n} {word}"));
                }
            }
            tail.push_str(&parts.join(", "));
            if interrupted {
                tail.push_str(" (interrupted by Ctrl-C)");
            }
            text.push_str(&tail);
            text.push('\n');
            ctx.print(&text)?;
        }
    }
    // Ctrl-C with no target failed ends as an interrupted single run does
    // (exit 130); a failure says more, and keeps exit 1.
    if interrupted && failed == 0 {
        ctx.out.warn(format!(
            "interrupted by Ctrl-C: {stopped} of {total} target(s) stopped mid-run, {not_started} not started; `cargo migrate {command}` goes on from there"
        ));
        return Ok(Outcome::Interrupted);
    }
    if failed > 0 || stopped > 0 || not_started > 0 {
        return Err(CliError::Refused(format!(
            "{failed} of {total} target(s) failed{}{}",
            if stopped > 0 {
                format!(", {stopped} interrupted")
            } else {
                String::new()
            },
            if not_started > 0 {
                format!(", {not_started} not started")
            } else {
                String::new()
            }
        )));
    }
    Ok(if problems > 0 {
        Outcome::Differences
    } else {
        Outcome::Ok
    })
}
