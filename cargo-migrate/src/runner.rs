//! The migrator: compares the folder with the history table, refuses what it
//! must not guess about, and applies or reverts migrations one at a time.

use std::collections::BTreeMap;

use migrate_build::migrations::Migration;
use serde::Serialize;

use crate::db::{AppliedRow, ApplyOutcome, Database, DbError, RevertOutcome, Script, display_path};
use crate::output::Output;

/// Where a migration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Applied,
    Pending,
    /// A run failed on it and nobody has resolved it.
    Failed,
    /// Applied, but its files changed since.
    Edited,
    /// Applied, but the folder no longer has it.
    Missing,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Pending => "pending",
            State::Failed => "failed",
            State::Edited => "edited",
            State::Missing => "missing",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub version: String,
    pub name: String,
    pub state: State,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The folder against the history table, in version order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub migrations: Vec<Entry>,
}

impl Report {
    pub fn compare(local: &[Migration], applied: &[AppliedRow]) -> Report {
        let rows: BTreeMap<&str, &AppliedRow> =
            applied.iter().map(|r| (r.version.as_str(), r)).collect();
        let mut entries: Vec<Entry> = local
            .iter()
            .map(|m| {
                let row = rows.get(m.version.as_str());
                let state = match row {
                    None => State::Pending,
                    Some(r) if !r.success => State::Failed,
                    // A repeatable migration that changed runs again.
                    Some(r) if r.checksum != m.checksum() && m.is_repeatable() => State::Pending,
                    Some(r) if r.checksum != m.checksum() => State::Edited,
                    Some(_) => State::Applied,
                };
                Entry {
                    version: m.version.clone(),
                    name: m.name.clone(),
                    state,
                    applied_at: row.filter(|r| r.success).map(|r| r.applied_at.clone()),
                    execution_ms: row.filter(|r| r.success).map(|r| r.execution_ms),
                    error: row.and_then(|r| r.error.clone()),
                }
            })
            .collect();
        let versions: std::collections::HashSet<&str> =
            local.iter().map(|m| m.version.as_str()).collect();
        for r in applied {
            if !versions.contains(r.version.as_str()) {
                entries.push(Entry {
                    version: r.version.clone(),
                    name: r.name.clone(),
                    state: if r.success {
                        State::Missing
                    } else {
                        State::Failed
                    },
                    applied_at: r.success.then(|| r.applied_at.clone()),
                    execution_ms: r.success.then_some(r.execution_ms),
                    error: r.error.clone(),
                });
            }
        }
        entries.sort_by(|a, b| a.version.cmp(&b.version));
        Report {
            migrations: entries,
        }
    }

    pub fn with_state(&self, state: State) -> impl Iterator<Item = &Entry> {
        self.migrations.iter().filter(move |e| e.state == state)
    }

    /// Why migrations must not run now, each with the command that resolves it.
    pub fn refusals(&self, local: &[Migration]) -> Vec<String> {
        let mut out = Vec::new();
        for e in &self.migrations {
            let id = format!("{}_{}", e.version, e.name);
            let v = &e.version;
            match e.state {
                State::Applied | State::Pending => {}
                State::Failed => out.push(format!(
                    "migration {id} failed in a previous run{}\n  \
                     fix the database by hand, then run `cargo migrate resolve --applied {v}` if you completed the migration, \
                     or `cargo migrate resolve --rolled-back {v}` if nothing of it remains (it will be pending again)",
                    e.error
                        .as_deref()
                        .map(|err| format!(":\n  {}", err.replace('\n', "\n  ")))
                        .unwrap_or_default()
                )),
                State::Edited => {
                    let path = local
                        .iter()
                        .find(|m| &m.version == v)
                        .map(|m| display_path(&m.up.path))
                        .unwrap_or_else(|| id.clone());
                    out.push(format!(
                        "migration {id} was changed after it was applied ({path})\n  \
                         restore it as it was applied (e.g. `git checkout -- {path}`) and put the change in a new migration: \
                         `cargo migrate new <name>`"
                    ))
                }
                State::Missing => out.push(format!(
                    "migration {id} is applied to the database but missing from the migrations folder\n  \
                     restore it from version control; on a development database `cargo migrate reset --force` starts over"
                )),
            }
        }
        out
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    #[error("refusing to run migrations on {url}:\n{}", problems.iter().map(|p| format!("- {p}")).collect::<Vec<_>>().join("\n"))]
    Refused { url: String, problems: Vec<String> },
    #[error(
        "migration {version}_{name} failed{}:\n{source}{}\n{hint}",
        aftermath.headline(),
        record_error.as_ref().map(|e| format!(
            "\nrecording the failure in the history table failed too, so the next run will not know it failed: {e}"
        )).unwrap_or_default()
    )]
    Failed {
        version: String,
        name: String,
        source: Box<DbError>,
        aftermath: Aftermath,
        /// Writing the failed row after the migration's own error.
        record_error: Option<Box<DbError>>,
        hint: String,
    },
    #[error(
        "{path}:{line}:{column}: `{statement}` in a migration that runs in a transaction: the runner wraps \
         each migration and its history row in one transaction, and this statement would end it partway \
         (nothing was run)\nhelp: remove it, or make the first line of {path} `-- migrate:no-transaction` \
         to run the file statement by statement with transactions of its own"
    )]
    TransactionControl {
        path: String,
        line: usize,
        column: usize,
        statement: String,
    },
    #[error("no migration with version {0} in the migrations folder")]
    UnknownVersion(String),
    #[error(
        "migration {version}_{name} has no down.sql\nhelp: write {dir}/down.sql, or revert it by hand and delete its history row"
    )]
    NoDown {
        version: String,
        name: String,
        dir: String,
    },
    #[error(
        "reverting {version}_{name} failed{}:\n{source}",
        match aftermath {
            Aftermath::RolledBack => " and was rolled back; it stays applied",
            Aftermath::PartlyApplied => " (its down.sql runs outside a transaction: the statements before the failing one stayed applied, and the migration is still recorded as applied)",
            Aftermath::Unknown => " while committing",
            Aftermath::RunRolledBack { .. } => " and was rolled back; it stays applied",
        }
    )]
    RevertFailed {
        version: String,
        name: String,
        source: Box<DbError>,
        aftermath: Aftermath,
    },
    #[error(
        "--single-transaction runs every pending migration in one transaction, and {} cannot run in one \
         (`-- migrate:no-transaction`):\n{}\nnothing was run\nhelp: apply the migrations before it with \
         `--single-transaction --to VERSION`, then the rest without `--single-transaction`",
        if migrations.len() == 1 { "this one" } else { "these" },
        migrations.iter().map(|m| format!("  - {m}")).collect::<Vec<_>>().join("\n")
    )]
    SingleTransactionRefused { migrations: Vec<String> },
    #[error(
        "committing the run's one transaction ({count} migration{}) failed: {source}\n{}",
        if *count == 1 { "" } else { "s" },
        if *unknown {
            "the connection broke while committing: all of them were committed, or none. `cargo migrate status` shows which"
        } else {
            "it was rolled back: none of them was applied, and none is recorded as failed"
        }
    )]
    RunCommit {
        count: usize,
        unknown: bool,
        source: Box<DbError>,
    },
    #[error(
        "interrupted: the run's one transaction was rolled back ({rolled_back} migration{} had run in it); nothing of this run was applied",
        if *rolled_back == 1 { "" } else { "s" }
    )]
    StoppedRun { rolled_back: usize },
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("writing output: {0}")]
    Output(std::io::Error),
}

/// What a failed migration left in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aftermath {
    /// It ran in a transaction that was rolled back.
    RolledBack,
    /// `-- migrate:no-transaction`: the statements before the failing one stay.
    PartlyApplied,
    /// The connection broke while committing: both the migration and its
    /// history row were committed, or neither.
    Unknown,
    /// `apply --single-transaction`: the run's one transaction was rolled
    /// back, with the migrations that ran before this one (`before`).
    RunRolledBack { before: usize },
}

impl Aftermath {
    fn of(m: &Migration, error: &DbError) -> Aftermath {
        if m.no_transaction {
            Aftermath::PartlyApplied
        } else if matches!(error, DbError::CommitUnknown { .. }) {
            Aftermath::Unknown
        } else {
            Aftermath::RolledBack
        }
    }

    fn headline(self) -> String {
        match self {
            Aftermath::RolledBack => " and was rolled back".to_string(),
            Aftermath::PartlyApplied => " (it runs outside a transaction)".to_string(),
            Aftermath::Unknown => " while committing".to_string(),
            Aftermath::RunRolledBack { before: 0 } => {
                " and the run's one transaction was rolled back".to_string()
            }
            Aftermath::RunRolledBack { before } => format!(
                " and the run's one transaction was rolled back, with the {before} migration{} that ran before it in this run",
                if before == 1 { "" } else { "s" }
            ),
        }
    }
}

/// Holds the database's run lock; releases it when dropped, on every path.
pub struct RunLock<'a> {
    db: &'a mut dyn Database,
}

impl<'a> RunLock<'a> {
    pub fn acquire(db: &'a mut dyn Database) -> Result<RunLock<'a>, DbError> {
        db.lock()?;
        Ok(RunLock { db })
    }

    pub fn db(&mut self) -> &mut dyn Database {
        self.db
    }
}

impl Drop for RunLock<'_> {
    fn drop(&mut self) {
        // Nothing to do with an unlock error here: the session ends with the process.
        let _ = self.db.unlock();
    }
}

/// What `apply` did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ApplySummary {
    pub applied: Vec<String>,
    pub skipped_by_other_runner: Vec<String>,
    /// [`request_stop`] was called: the run stopped between two migrations.
    pub stopped: bool,
    /// Pending migrations the run did not start because it stopped.
    pub not_started: usize,
}

static STOP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Asks every run of this process to stop after the migration it is
/// running (Ctrl-C in a many-database run): that one commits or rolls back
/// as it would, the next ones do not start.
pub fn request_stop() {
    STOP.store(true, std::sync::atomic::Ordering::SeqCst);
}

pub fn stop_requested() -> bool {
    STOP.load(std::sync::atomic::Ordering::SeqCst)
}

/// Ctrl-C during a run: the first asks the run to stop after its current
/// migration (which commits or rolls back as it would) and calls
/// `on_first`; a second ends the process, and the database rolls back
/// whatever transaction is open.
#[cfg(feature = "cli")]
pub fn stop_on_ctrl_c(on_first: impl Fn() + Send + 'static) {
    // Refused when a handler is set already (tests calling twice): the
    // first one does the same.
    let _ = ctrlc::set_handler(move || {
        if STOP.swap(true, std::sync::atomic::Ordering::SeqCst) {
            std::process::exit(crate::error::exit_codes::INTERRUPTED);
        }
        on_first();
    });
}

/// Refuses a script that runs in the runner's transaction but has its own
/// `BEGIN`/`COMMIT`/`ROLLBACK`: checked for every migration of the run
/// before the first one runs.
fn refuse_transaction_control(script: &Script<'_>) -> Result<(), RunnerError> {
    if script.no_transaction {
        return Ok(());
    }
    for st in &script.statements {
        if migrate_build::ddl::transaction_control(st.text).is_some() {
            let text = st.text.trim();
            let statement = match text.split_once('\n') {
                Some((first, _)) => format!("{first} …"),
                None => text.to_string(),
            };
            return Err(RunnerError::TransactionControl {
                path: script.path.clone(),
                line: st.line,
                column: st.column,
                statement,
            });
        }
    }
    Ok(())
}

/// Applies pending migrations in version order, up to `to` when given,
/// holding the run lock throughout.
pub fn apply(
    db: &mut dyn Database,
    local: &[Migration],
    to: Option<&str>,
    dry_run: bool,
    out: &Output,
) -> Result<ApplySummary, RunnerError> {
    apply_under_lock(db, local, to, dry_run, false, out)
}

/// `apply --single-transaction`: every pending migration (up to `to`) and
/// its history row in one transaction, all or nothing. Refused, before
/// anything runs, when a pending migration is `-- migrate:no-transaction`.
pub fn apply_single_transaction(
    db: &mut dyn Database,
    local: &[Migration],
    to: Option<&str>,
    dry_run: bool,
    out: &Output,
) -> Result<ApplySummary, RunnerError> {
    apply_under_lock(db, local, to, dry_run, true, out)
}

fn apply_under_lock(
    db: &mut dyn Database,
    local: &[Migration],
    to: Option<&str>,
    dry_run: bool,
    one_transaction: bool,
    out: &Output,
) -> Result<ApplySummary, RunnerError> {
    if let Some(v) = to
        && !local.iter().any(|m| m.version == v)
    {
        return Err(RunnerError::UnknownVersion(v.to_string()));
    }
    let mut guard = RunLock::acquire(db)?;
    apply_locked(guard.db(), local, to, dry_run, one_transaction, out)
}

/// Drops everything in the database and applies every migration, under one
/// run lock so that no other runner sees the empty database in between.
pub fn reset(
    db: &mut dyn Database,
    local: &[Migration],
    out: &Output,
) -> Result<ApplySummary, RunnerError> {
    for m in local {
        refuse_transaction_control(&Script::up(m)?)?;
    }
    let url = db.display_url();
    let mut guard = RunLock::acquire(db)?;
    let db = guard.db();
    out.status("Dropping", format!("everything in {url}"));
    db.drop_everything()?;
    apply_locked(db, local, None, false, false, out)
}

fn apply_locked(
    db: &mut dyn Database,
    local: &[Migration],
    to: Option<&str>,
    dry_run: bool,
    single: bool,
    out: &Output,
) -> Result<ApplySummary, RunnerError> {
    let url = db.display_url();
    if !dry_run {
        db.ensure_history_table()?;
    }
    // The whole history, read once the lock is held: whatever another
    // runner applied or reverted before is seen here.
    let report = Report::compare(local, &db.list_applied()?);
    let problems = report.refusals(local);
    if !problems.is_empty() {
        return Err(RunnerError::Refused { url, problems });
    }
    let pending_versions: std::collections::HashSet<&str> = report
        .with_state(State::Pending)
        .map(|e| e.version.as_str())
        .collect();
    let pending: Vec<&Migration> = local
        .iter()
        .filter(|m| pending_versions.contains(m.version.as_str()))
        .filter(|m| to.is_none_or(|t| m.version.as_str() <= t))
        .collect();
    for m in &pending {
        refuse_transaction_control(&Script::up(m)?)?;
    }
    // A changed repeatable migration's row goes before it runs again (it is
    // written anew when it succeeds; were the run to stop in between, the
    // migration would only be pending, and repeatables are made to rerun).
    if !dry_run {
        for m in pending.iter().filter(|m| m.is_repeatable()) {
            let recorded = report
                .migrations
                .iter()
                .any(|e| e.version == m.version && e.applied_at.is_some());
            if recorded {
                // Reverting with no statements: the row alone goes.
                let forget = Script {
                    version: &m.version,
                    name: &m.name,
                    checksum: String::new(),
                    no_transaction: false,
                    path: display_path(&m.up.path),
                    statements: Vec::new(),
                };
                db.revert(&forget, &mut |_| {})?;
            }
        }
    }
    let outside: Vec<String> = pending
        .iter()
        .filter(|m| m.no_transaction)
        .map(|m| format!("{}_{} ({})", m.version, m.name, display_path(&m.up.path)))
        .collect();
    if single && !outside.is_empty() {
        return Err(RunnerError::SingleTransactionRefused {
            migrations: outside,
        });
    }
    if single && !pending.is_empty() && !dry_run {
        return apply_in_one_transaction(db, &pending, out);
    }
    let mut summary = ApplySummary::default();
    let total = pending.len();
    for (started, m) in pending.into_iter().enumerate() {
        if stop_requested() {
            summary.stopped = true;
            summary.not_started = total - started;
            break;
        }
        let id = format!("{}_{}", m.version, m.name);
        if dry_run {
            out.status("Would apply", &id);
            out.stdout(&format!(
                "-- {id}\n{}",
                migrate_build::ddl::redact_passwords(&m.up.sql)
            ))
            .map_err(RunnerError::Output)?;
            summary.applied.push(id);
            continue;
        }
        out.status("Applying", &id);
        let mut hook = |sql: &str| out.statement(&migrate_build::ddl::redact_passwords(sql));
        let script = Script::up(m)?;
        match db.apply(&script, &mut hook) {
            Ok(ApplyOutcome::Applied { elapsed }) => {
                out.status("Applied", format!("{id} ({} ms)", elapsed.as_millis()));
                for w in db.take_warnings() {
                    out.warn(w);
                }
                summary.applied.push(id);
            }
            Ok(ApplyOutcome::AlreadyApplied) => {
                out.note(format!("{id} was applied by another run meanwhile"));
                summary.skipped_by_other_runner.push(id);
            }
            Err(source) => {
                let source = crate::error::redact_statement_error(source, &script);
                let aftermath = Aftermath::of(m, &source);
                // Recorded outside the rolled-back transaction, so the next
                // run refuses. Not when the commit's outcome is unknown: the
                // history row may be there already, and the history tells.
                let record_error = match (&source, aftermath) {
                    (DbError::FailedElsewhere { .. }, _) | (_, Aftermath::Unknown) => None,
                    _ => db
                        .record_failure(&script, &source.to_string())
                        .err()
                        .map(Box::new),
                };
                let hint = failure_hint(m, &source, aftermath, record_error.is_none());
                return Err(RunnerError::Failed {
                    version: m.version.clone(),
                    name: m.name.clone(),
                    source: Box::new(source),
                    aftermath,
                    record_error,
                    hint,
                });
            }
        }
    }
    Ok(summary)
}

/// The pending migrations and their history rows in one transaction.
fn apply_in_one_transaction(
    db: &mut dyn Database,
    pending: &[&Migration],
    out: &Output,
) -> Result<ApplySummary, RunnerError> {
    db.begin_run()?;
    let mut summary = ApplySummary::default();
    for (ran, m) in pending.iter().enumerate() {
        if stop_requested() {
            let _ = db.end_run(false);
            return Err(RunnerError::StoppedRun { rolled_back: ran });
        }
        let id = format!("{}_{}", m.version, m.name);
        out.status("Applying", &id);
        let mut hook = |sql: &str| out.statement(&migrate_build::ddl::redact_passwords(sql));
        let script = Script::up(m)?;
        match db.apply(&script, &mut hook) {
            Ok(ApplyOutcome::Applied { elapsed }) => {
                out.status("Ran", format!("{id} ({} ms)", elapsed.as_millis()));
                for w in db.take_warnings() {
                    out.warn(w);
                }
                summary.applied.push(id);
            }
            Ok(ApplyOutcome::AlreadyApplied) => {
                out.note(format!("{id} was applied by another run meanwhile"));
                summary.skipped_by_other_runner.push(id);
            }
            Err(source) => {
                let source = crate::error::redact_statement_error(source, &script);
                // The error is the migration's; a failed rollback would only
                // end the session, which ends the transaction too.
                let _ = db.end_run(false);
                let record_error = match &source {
                    DbError::FailedElsewhere { .. } => None,
                    _ => db
                        .record_failure(&script, &source.to_string())
                        .err()
                        .map(Box::new),
                };
                let aftermath = Aftermath::RunRolledBack { before: ran };
                let hint = failure_hint(m, &source, aftermath, record_error.is_none());
                return Err(RunnerError::Failed {
                    version: m.version.clone(),
                    name: m.name.clone(),
                    source: Box::new(source),
                    aftermath,
                    record_error,
                    hint,
                });
            }
        }
    }
    let n = summary.applied.len();
    match db.end_run(true) {
        Ok(()) => {
            out.status(
                "Committed",
                format!(
                    "{n} migration{} in one transaction",
                    if n == 1 { "" } else { "s" }
                ),
            );
            Ok(summary)
        }
        Err(source) => Err(RunnerError::RunCommit {
            count: n,
            unknown: matches!(source, DbError::CommitUnknown { .. }),
            source: Box::new(source),
        }),
    }
}

fn failure_hint(m: &Migration, source: &DbError, aftermath: Aftermath, recorded: bool) -> String {
    let v = &m.version;
    let path = display_path(&m.up.path);
    let nested = matches!(source, DbError::Statement { message, .. }
        if message.contains("inside a transaction block") || message.contains("within a transaction"));
    let settle = |what: &str| {
        if recorded {
            format!(
                "{what}, then run `cargo migrate resolve --rolled-back {v}` and `cargo migrate apply` again"
            )
        } else {
            format!("{what}, then run `cargo migrate apply` again (it is still pending)")
        }
    };
    match aftermath {
        Aftermath::Unknown => "help: the connection broke while the migration and its history row were being \
             committed: both were committed, or neither. `cargo migrate status` shows which; if it is pending, \
             run `cargo migrate apply` again"
            .to_string(),
        Aftermath::RolledBack if nested => format!(
            "help: nothing of it was applied. This statement cannot run inside a transaction: make the first \
             line of {path} `-- migrate:no-transaction`{}, and run `cargo migrate apply` again",
            if recorded {
                format!(", run `cargo migrate resolve --rolled-back {v}`")
            } else {
                String::new()
            }
        ),
        Aftermath::RolledBack => format!(
            "help: nothing of it was applied{}. {}",
            if recorded { "; it is recorded as failed" } else { "" },
            settle(&format!("Fix {path}"))
        ),
        Aftermath::PartlyApplied if recorded => format!(
            "help: this migration runs outside a transaction (-- migrate:no-transaction): statements before the failing one \
             stayed applied. Finish or undo them by hand, then run `cargo migrate resolve --applied {v}` or \
             `cargo migrate resolve --rolled-back {v}`"
        ),
        Aftermath::PartlyApplied => "help: this migration runs outside a transaction (-- migrate:no-transaction): statements \
             before the failing one stayed applied, and it is still pending. Undo them by hand before `cargo migrate apply`"
            .to_string(),
        Aftermath::RunRolledBack { .. } => format!(
            "help: nothing of this run was applied{}. {}",
            if recorded { "; this migration is recorded as failed" } else { "" },
            settle(&format!("Fix {path}"))
        ),
    }
}

/// Which applied migrations `down` reverts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownTarget {
    Steps(usize),
    /// Everything applied after this version.
    To(String),
}

/// Reverts applied migrations, newest first.
pub fn down(
    db: &mut dyn Database,
    local: &[Migration],
    target: &DownTarget,
    dry_run: bool,
    out: &Output,
) -> Result<Vec<String>, RunnerError> {
    if let DownTarget::To(v) = target
        && !local.iter().any(|m| &m.version == v)
    {
        return Err(RunnerError::UnknownVersion(v.clone()));
    }
    let url = db.display_url();
    let mut guard = RunLock::acquire(db)?;
    let db = guard.db();
    let report = Report::compare(local, &db.list_applied()?);
    let problems = report.refusals(local);
    if !problems.is_empty() {
        return Err(RunnerError::Refused { url, problems });
    }
    let applied_versions: std::collections::HashSet<&str> = report
        .with_state(State::Applied)
        .map(|e| e.version.as_str())
        .collect();
    // Repeatable migrations have no down: reverting goes past them.
    let applied: Vec<&Migration> = local
        .iter()
        .rev()
        .filter(|m| !m.is_repeatable() && applied_versions.contains(m.version.as_str()))
        .collect();
    let chosen: Vec<&Migration> = match target {
        DownTarget::Steps(n) => applied.into_iter().take(*n).collect(),
        DownTarget::To(v) => applied
            .into_iter()
            .take_while(|m| m.version.as_str() > v.as_str())
            .collect(),
    };
    for m in &chosen {
        if let Some(down) = &m.down {
            refuse_transaction_control(&Script::down(m, down)?)?;
        }
    }
    let mut reverted = Vec::new();
    for m in chosen {
        if stop_requested() {
            break;
        }
        let id = format!("{}_{}", m.version, m.name);
        let Some(down) = &m.down else {
            return Err(RunnerError::NoDown {
                version: m.version.clone(),
                name: m.name.clone(),
                dir: m
                    .up
                    .path
                    .parent()
                    .map(display_path)
                    .unwrap_or_else(|| id.clone()),
            });
        };
        if dry_run {
            out.status("Would revert", &id);
            out.stdout(&format!(
                "-- {id}\n{}",
                migrate_build::ddl::redact_passwords(&down.sql)
            ))
            .map_err(RunnerError::Output)?;
            reverted.push(id);
            continue;
        }
        out.status("Reverting", &id);
        let mut hook = |sql: &str| out.statement(&migrate_build::ddl::redact_passwords(sql));
        let script = Script::down(m, down)?;
        match db.revert(&script, &mut hook) {
            Ok(RevertOutcome::Reverted { elapsed }) => {
                out.status("Reverted", format!("{id} ({} ms)", elapsed.as_millis()));
                for w in db.take_warnings() {
                    out.warn(w);
                }
                reverted.push(id);
            }
            Ok(RevertOutcome::NotApplied) => {
                out.note(format!("{id} was reverted by another run meanwhile"));
            }
            Err(source) => {
                return Err(RunnerError::RevertFailed {
                    version: m.version.clone(),
                    name: m.name.clone(),
                    aftermath: Aftermath::of(m, &source),
                    source: Box::new(crate::error::redact_statement_error(source, &script)),
                });
            }
        }
    }
    Ok(reverted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use migrate_build::migrations::MigrationFile;

    fn migration(version: &str, sql: &str) -> Migration {
        Migration {
            version: version.to_string(),
            name: format!("m{version}"),
            up: MigrationFile {
                path: format!("migrations/{version}_m{version}/up.sql").into(),
                sql: sql.to_string(),
            },
            down: None,
            no_transaction: false,
        }
    }

    fn row(m: &Migration, success: bool) -> AppliedRow {
        AppliedRow {
            version: m.version.clone(),
            name: m.name.clone(),
            checksum: m.checksum(),
            applied_at: "2026-01-01T00:00:00.000Z".to_string(),
            execution_ms: 1,
            success,
            error: (!success).then(|| "boom".to_string()),
        }
    }

    #[test]
    fn compare_classifies_every_state() {
        let applied = migration("1", "CREATE TABLE a (id INTEGER);");
        let edited_before = migration("2", "CREATE TABLE b (id INTEGER);");
        let edited_now = migration("2", "CREATE TABLE b (id INTEGER, x TEXT);");
        let failed = migration("3", "bogus");
        let pending = migration("4", "CREATE TABLE d (id INTEGER);");
        let gone = migration("0", "CREATE TABLE z (id INTEGER);");
        let rows = vec![
            row(&gone, true),
            row(&applied, true),
            row(&edited_before, true),
            row(&failed, false),
        ];
        // Migration need not be Clone: the folder is built after the rows.
        let local = vec![applied, edited_now, failed, pending];
        let report = Report::compare(&local, &rows);
        let states: Vec<(&str, State)> = report
            .migrations
            .iter()
            .map(|e| (e.version.as_str(), e.state))
            .collect();
        assert_eq!(
            states,
            vec![
                ("0", State::Missing),
                ("1", State::Applied),
                ("2", State::Edited),
                ("3", State::Failed),
                ("4", State::Pending),
            ]
        );
        let refusals = report.refusals(&local);
        assert_eq!(refusals.len(), 3, "{refusals:#?}");
        assert!(
            refusals
                .iter()
                .any(|r| r.contains("cargo migrate resolve --rolled-back 3"))
        );
        assert!(
            refusals
                .iter()
                .any(|r| r.contains("git checkout -- migrations/2_m2/up.sql"))
        );
        assert!(
            refusals
                .iter()
                .any(|r| r.contains("m0 is applied to the database but missing"))
        );
    }

    #[test]
    fn nothing_to_refuse_when_applied_and_pending_only() {
        let a = migration("1", "CREATE TABLE a (id INTEGER);");
        let b = migration("2", "CREATE TABLE b (id INTEGER);");
        let rows = [row(&a, true)];
        let local = [a, b];
        let report = Report::compare(&local, &rows);
        assert!(report.refusals(&local).is_empty());
        assert_eq!(report.with_state(State::Pending).count(), 1);
    }
}
