//! `cargo migrate test`: every migration on a scratch database, never the
//! user's own. Applies all from empty, compares the result with the replay
//! and the schema files, then from the newest back runs each down.sql,
//! checks the schema is the one before the migration, and runs up.sql again.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use migrate_build::Schema;
use migrate_build::diff::diff;
use migrate_build::migrations::Migration;
use migrate_build::schema::QualifiedName;

use crate::cli::{ColorChoice, TestArgs};
use crate::db::postgres::Postgres;
use crate::db::sqlite::Sqlite;
use crate::db::{Database, Open, display_path};
use crate::error::{CliError, Outcome};
use crate::output::Output;
use crate::runner::{self, DownTarget, RunnerError};
use crate::url::{self, Target, UrlSource};
use crate::workspace::Workspace;

use super::Ctx;
use super::check::listing;

pub fn run(args: TestArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    let ws = ctx.workspace()?;
    ctx.require_migrations_folder(&ws)?;
    let migrations = ws.verified_migrations()?;
    if args.with_data && !super::seed::configured(&ws) {
        return Err(super::seed::SeedError::NotConfigured {
            manifest: ws.show(&ws.config.manifest_path),
        }
        .into());
    }
    // Every state the round trip passes through, replayed once: states[k]
    // is the schema after the first k migrations.
    let mut states = Vec::with_capacity(migrations.len() + 1);
    for k in 0..=migrations.len() {
        let mut s = ws.replay(&migrations[..k])?;
        s.sort();
        states.push(s);
    }
    let (declared, skipped) = ws.parse_schema_and_skipped()?;
    super::note_skipped(&ctx.out, &skipped);
    if migrations.is_empty() {
        ctx.out.line("no migrations to test");
        return Ok(Outcome::Ok);
    }
    let mut scratch = Scratch::create(ctx, &ws, args.scratch_url.as_deref())?;
    ctx.out.status(
        "Testing",
        format!("{} migration(s) on {}", migrations.len(), scratch.shown),
    );
    let start = Instant::now();
    let mut test = Test {
        ws: &ws,
        migrations: &migrations,
        states: &states,
        quiet: Output::new(true, ctx.global.verbose, ColorChoice::Never),
        steps: (0..migrations.len()).map(|_| Step::default()).collect(),
        problems: Vec::new(),
    };
    let result = test.run(
        scratch.db.as_mut(),
        &scratch.raw_url,
        &declared,
        args.with_data,
        ctx,
    );
    // Removed before the report: a warning about it belongs to this run.
    drop(scratch);
    result?;
    test.report(ctx, start.elapsed())
}

#[derive(Default)]
struct Step {
    up: Option<Duration>,
    down: Option<Duration>,
    up_again: Option<Duration>,
    /// Why the round trip skipped it.
    skipped: Option<&'static str>,
    problems: Vec<String>,
}

struct Test<'a> {
    ws: &'a Workspace,
    migrations: &'a [Migration],
    states: &'a [Schema],
    /// For the runner: the report says what happened, not its status lines.
    quiet: Output,
    steps: Vec<Step>,
    /// Not of one migration.
    problems: Vec<String>,
}

/// The rows of a table both sides of a migration keep, in the columns both keep.
struct Kept {
    table: QualifiedName,
    columns: Vec<String>,
    rows: Vec<String>,
}

impl Test<'_> {
    fn run(
        &mut self,
        db: &mut dyn Database,
        raw_url: &str,
        declared: &Schema,
        with_data: bool,
        ctx: &Ctx,
    ) -> Result<(), CliError> {
        let n = self.migrations.len();
        // 1. Every migration from empty, one at a time for its timing.
        let mut applied = 0;
        for i in 0..n {
            let t = Instant::now();
            match self.apply_one(db, i) {
                Ok(()) => {
                    self.steps[i].up = Some(t.elapsed());
                    applied += 1;
                }
                Err(e) => {
                    self.steps[i].problems.push(cause(e));
                    break;
                }
            }
        }
        // 2. The result against the replay and the schema files.
        let mut with_data = with_data;
        if applied == n {
            let live = live(db)?;
            let left = diff(&live, &self.states[n]);
            if !left.is_empty() {
                self.problems.push(format!(
                    "after every migration, the database is not what the migrations replay to (what `new`, \
                     `check` and the build gate read); from the database to the replay:\n{}",
                    listing(&left)
                ));
            }
            let left = diff(&live, declared);
            if !left.is_empty() {
                self.problems.push(format!(
                    "after every migration, the database is not what the schema files declare; still to do:\n{}\n\
                     run `cargo migrate new <name>` to write the missing migration",
                    listing(&left)
                ));
            }
            // 3. The seed, for the rows the round trip must keep.
            if with_data && let Err(e) = super::seed::load(self.ws, db, raw_url, &ctx.out) {
                self.problems.push(format!("the seed failed: {e}"));
                with_data = false;
            }
        } else if with_data {
            ctx.out
                .note("a migration failed to apply: the seed was not loaded");
            with_data = false;
        }
        // 4. From the newest applied back: down, check, up again, check, down.
        // Not past repeatable migrations: they have no down, what they made
        // stays, so no state before them could be reached.
        if self.migrations.iter().any(|m| m.is_repeatable()) {
            ctx.out.note(
                "the downs were not tested: repeatable migrations (`R__`) have no down, and what they make \
                 stays when the versioned migrations are reverted",
            );
            return Ok(());
        }
        let mut rebuilt = false;
        for i in (0..applied).rev() {
            if !self.round_trip(db, i, with_data && !rebuilt)? {
                self.rebuild(db, i)?;
                rebuilt = true;
            }
        }
        if rebuilt && with_data {
            ctx.out.note(
                "the scratch database was rebuilt after a failure: rows were not checked for the migrations before it",
            );
        }
        Ok(())
    }

    fn apply_one(&self, db: &mut dyn Database, i: usize) -> Result<(), RunnerError> {
        let to = Some(self.migrations[i].version.as_str());
        runner::apply(db, self.migrations, to, false, &self.quiet).map(|_| ())
    }

    fn down_one(&self, db: &mut dyn Database) -> Result<(), RunnerError> {
        runner::down(
            db,
            self.migrations,
            &DownTarget::Steps(1),
            false,
            &self.quiet,
        )
        .map(|_| ())
    }

    /// One migration's round trip, the database at states[i + 1]; false when
    /// it failed and the database is not at states[i].
    fn round_trip(
        &mut self,
        db: &mut dyn Database,
        i: usize,
        with_data: bool,
    ) -> Result<bool, CliError> {
        let m = &self.migrations[i];
        let id = m.id();
        let up_path = display_path(&m.up.path);
        let Some(down) = &m.down else {
            self.steps[i].skipped = Some("no down.sql");
            return Ok(false);
        };
        let down_path = display_path(&down.path);
        let kept = if with_data {
            Some(kept_rows(db, &self.states[i], &self.states[i + 1])?)
        } else {
            None
        };
        let t = Instant::now();
        if let Err(e) = self.down_one(db) {
            self.steps[i].problems.push(cause(e));
            return Ok(false);
        }
        self.steps[i].down = Some(t.elapsed());
        let left = diff(&live(db)?, &self.states[i]);
        if !left.is_empty() {
            self.steps[i].problems.push(format!(
                "{down_path}: after it, the database is not as it was before {id}; still to do to \
                 get there:\n{}",
                listing(&left)
            ));
            return Ok(false);
        }
        if let Some(kept) = &kept {
            for k in kept {
                let now = db.table_rows(&k.table, &k.columns)?.len();
                if now != k.rows.len() {
                    self.steps[i].problems.push(format!(
                        "{down_path}: table {} had {} row(s) before it and {now} after",
                        k.table,
                        k.rows.len()
                    ));
                }
            }
        }
        let t = Instant::now();
        if let Err(e) = self.apply_one(db, i) {
            self.steps[i].problems.push(format!(
                "{up_path}, run again after {down_path}: {}",
                cause(e)
            ));
            return Ok(false);
        }
        self.steps[i].up_again = Some(t.elapsed());
        let left = diff(&live(db)?, &self.states[i + 1]);
        if !left.is_empty() {
            self.steps[i].problems.push(format!(
                "{up_path}, run again after {down_path}, leaves another schema than its first run; \
                 still to do to get there:\n{}",
                listing(&left)
            ));
            return Ok(false);
        }
        if let Some(kept) = &kept {
            for k in kept {
                let now = db.table_rows(&k.table, &k.columns)?;
                if now != k.rows {
                    self.steps[i].problems.push(format!(
                        "{down_path} then {up_path}: the rows of table {} changed ({})",
                        k.table,
                        first_difference(&k.rows, &now)
                    ));
                }
            }
        }
        // Back to the state before it, for the next one.
        if let Err(e) = self.down_one(db) {
            self.steps[i]
                .problems
                .push(format!("{down_path}, run a second time: {}", cause(e)));
            return Ok(false);
        }
        Ok(true)
    }

    /// Empties the database and applies the first `i` migrations.
    fn rebuild(&self, db: &mut dyn Database, i: usize) -> Result<(), CliError> {
        db.drop_everything()?;
        if i > 0 {
            self.apply_one(db, i - 1)?;
        }
        Ok(())
    }

    fn report(self, ctx: &Ctx, elapsed: Duration) -> Result<Outcome, CliError> {
        let ms = |d: Duration| format!("{} ms", d.as_millis());
        let mut failed = 0;
        let mut text = String::new();
        for (m, step) in self.migrations.iter().zip(&self.steps) {
            let mut parts = Vec::new();
            for (what, d) in [
                ("up", step.up),
                ("down", step.down),
                ("up again", step.up_again),
            ] {
                if let Some(d) = d {
                    parts.push(format!("{what} {}", ms(d)));
                }
            }
            if let Some(why) = step.skipped {
                parts.push(format!("{why}: its way back was not tested"));
            }
            if step.up.is_none() && step.problems.is_empty() {
                parts.push("not run: a migration before it failed".to_string());
            }
            let summary = format!("{}: {}", m.id(), parts.join(", "));
            if step.problems.is_empty() && step.up.is_some() {
                ctx.out.status("Passed", summary);
            } else {
                if !step.problems.is_empty() {
                    failed += 1;
                }
                ctx.out.line(format!(
                    "{} {summary}",
                    ctx.out.paint_error(&format!("{:>12}", "FAILED"))
                ));
            }
            for p in &step.problems {
                text.push_str(&format!("- {}\n", p.replace('\n', "\n  ")));
            }
        }
        for p in &self.problems {
            text.push_str(&format!("- {}\n", p.replace('\n', "\n  ")));
        }
        let count =
            self.problems.len() + self.steps.iter().map(|s| s.problems.len()).sum::<usize>();
        if count == 0 {
            ctx.out.status(
                "Tested",
                format!(
                    "{} migration(s): all passed ({})",
                    self.migrations.len(),
                    ms(elapsed)
                ),
            );
            return Ok(Outcome::Ok);
        }
        ctx.print(&text)?;
        ctx.out.line(format!(
            "{} {count} problem(s) found; {failed} of {} migration(s) failed ({})",
            ctx.out.paint_error("error:"),
            self.migrations.len(),
            ms(elapsed)
        ));
        Ok(Outcome::Differences)
    }
}

/// The database error itself: the runner's advice (resolve, apply again) is
/// for a real database, not for this scratch one.
fn cause(e: RunnerError) -> String {
    match e {
        RunnerError::Failed { source, .. } => source.to_string(),
        RunnerError::RevertFailed { source, .. } => source.to_string(),
        other => other.to_string(),
    }
}

fn live(db: &mut dyn Database) -> Result<Schema, CliError> {
    let mut s = db.introspect()?;
    s.sort();
    Ok(s)
}

/// Tables of both `before` and `after`, with the columns both have, and their rows now.
fn kept_rows(
    db: &mut dyn Database,
    before: &Schema,
    after: &Schema,
) -> Result<Vec<Kept>, CliError> {
    let mut out = Vec::new();
    for table in &after.tables {
        let Some(old) = before.tables.iter().find(|t| t.name == table.name) else {
            continue;
        };
        let columns: Vec<String> = table
            .columns
            .iter()
            .filter(|c| old.columns.iter().any(|o| o.name == c.name))
            .map(|c| c.name.clone())
            .collect();
        let rows = db.table_rows(&table.name, &columns)?;
        out.push(Kept {
            table: table.name.clone(),
            columns,
            rows,
        });
    }
    Ok(out)
}

/// The first row one side has and the other lacks, for the message.
fn first_difference(before: &[String], after: &[String]) -> String {
    let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
    for r in before {
        *counts.entry(r).or_default() += 1;
    }
    for r in after {
        *counts.entry(r).or_default() -= 1;
    }
    let short = |r: &str| {
        let mut s: String = r.chars().take(80).collect();
        if s.len() < r.len() {
            s.push('…');
        }
        s
    };
    let lost = counts.iter().find(|(_, n)| **n > 0).map(|(r, _)| short(r));
    let gained = counts.iter().find(|(_, n)| **n < 0).map(|(r, _)| short(r));
    match (lost, gained) {
        (Some(l), Some(g)) => format!(
            "{} row(s) before, {} after; e.g. ({l}) became ({g})",
            before.len(),
            after.len()
        ),
        (Some(l), None) => format!(
            "{} row(s) before, {} after; e.g. ({l}) is gone",
            before.len(),
            after.len()
        ),
        (None, Some(g)) => format!(
            "{} row(s) before, {} after; e.g. ({g}) is new",
            before.len(),
            after.len()
        ),
        (None, None) => format!("{} row(s) before, {} after", before.len(), after.len()),
    }
}

/// The database the test runs in, removed (or emptied) when dropped. The
/// fields drop in order: the connection closes before its database goes.
struct Scratch {
    db: Box<dyn Database>,
    /// For a seed command's DATABASE_URL; never printed.
    raw_url: String,
    shown: String,
    cleanup: Cleanup,
    out: Output,
}

enum Cleanup {
    /// The SQLite file's folder, deleted with it.
    TempDir(#[allow(dead_code)] tempfile::TempDir),
    /// A database created on the server.
    DropDatabase(#[allow(dead_code)] Box<PgDrop>),
    /// `--scratch-url`: the user's empty database, emptied again.
    Empty,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Cleanup::Empty = self.cleanup
            && let Err(e) = self.db.drop_everything()
        {
            self.out.warn(format!(
                "could not empty {} after the test: {e}",
                self.shown
            ));
        }
    }
}

/// Drops the scratch database on the server, on every path.
struct PgDrop {
    admin: Postgres<'static>,
    name: String,
    out: Output,
}

impl Drop for PgDrop {
    fn drop(&mut self) {
        let name = &self.name;
        let client = self.admin.session();
        let result = client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            // Before PostgreSQL 13 there is no FORCE.
            .or_else(|_| client.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")));
        if let Err(e) = result {
            self.out.warn(format!(
                "could not drop the scratch database {name}: {e}; drop it by hand"
            ));
        }
    }
}

impl Scratch {
    fn create(ctx: &Ctx, ws: &Workspace, scratch_url: Option<&str>) -> Result<Scratch, CliError> {
        let history = &ws.config.history_table;
        let pg_schema = ws.config.pg_schema.as_deref();
        if let Some(raw) = scratch_url {
            let url = url::parse(raw, UrlSource::Flag, &ws.base_dir, ws.dialect())?;
            let mut db = ctx.connect(ws, &url, Open::CreateIfMissing)?;
            let live = live(db.as_mut())?;
            let objects = diff(&Schema::empty(ws.dialect()), &live);
            if !objects.is_empty() || !db.list_applied()?.is_empty() {
                return Err(CliError::Refused(format!(
                    "--scratch-url {} is not empty{}{}\n`cargo migrate test` runs only on an empty database \
                     (and empties it after): pass an empty one",
                    url.redacted(),
                    if objects.is_empty() {
                        " (it has a history table)"
                    } else {
                        ":\n"
                    },
                    listing(&objects)
                )));
            }
            return Ok(Scratch {
                db,
                raw_url: raw.to_string(),
                shown: url.redacted(),
                cleanup: Cleanup::Empty,
                out: ctx.out,
            });
        }
        match ws.dialect() {
            migrate_build::Dialect::Sqlite => {
                let dir = tempfile::Builder::new()
                    .prefix("cargo-migrate-test-")
                    .tempdir()
                    .map_err(|source| CliError::Io {
                        path: std::env::temp_dir(),
                        source,
                    })?;
                let path = dir.path().join("scratch.db");
                let db = Sqlite::open(
                    &path,
                    format!("sqlite:{}", path.display()),
                    history,
                    Open::CreateIfMissing,
                )?;
                Ok(Scratch {
                    db: Box::new(db),
                    raw_url: format!("sqlite://{}", path.display()),
                    shown: format!("a temporary SQLite file ({})", path.display()),
                    cleanup: Cleanup::TempDir(dir),
                    out: ctx.out,
                })
            }
            migrate_build::Dialect::Postgres => {
                let url = ctx.database_url(ws)?;
                let Target::Postgres { url: raw } = &url.target else {
                    return Err(CliError::Refused(format!(
                        "{} is not a PostgreSQL URL, and the workspace's dialect is postgres",
                        url.redacted()
                    )));
                };
                create_pg(ctx.out, &url.redacted(), raw, history, pg_schema)
            }
        }
    }
}

fn create_pg(
    out: Output,
    server_shown: &str,
    raw: &str,
    history: &str,
    pg_schema: Option<&str>,
) -> Result<Scratch, CliError> {
    let options = url::postgres_options(raw)?;
    // Only to create the scratch database: the configured one may not exist
    // yet (a fresh CI server), the maintenance database `postgres` then serves.
    let mut admin = match Postgres::connect(&options, server_shown.to_string(), history, pg_schema)
    {
        Ok(admin) => admin,
        Err(first) => {
            let mut maintenance = options.clone();
            maintenance.config.dbname("postgres");
            let shown = url::redacted_options(&maintenance);
            Postgres::connect(&maintenance, shown, history, pg_schema).map_err(|_| first)?
        }
    };
    let name = scratch_name();
    if let Err(e) = admin
        .session()
        .batch_execute(&format!("CREATE DATABASE {name}"))
    {
        let message = e
            .as_db_error()
            .map_or_else(|| e.to_string(), |d| d.message().to_string());
        if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
            let role = options.config.get_user().unwrap_or("the role");
            return Err(CliError::Refused(format!(
                "{server_shown}: role {role} may not create databases ({message}), and `cargo migrate test` never \
                 runs on the configured database itself\nhelp: allow it with `ALTER ROLE {role} CREATEDB`, or pass \
                 --scratch-url with an empty database to test in"
            )));
        }
        return Err(CliError::Refused(format!(
            "{server_shown}: creating the scratch database {name}: {message}"
        )));
    }
    let raw_url = with_dbname(raw, &name);
    let mut scratch_options = options.clone();
    scratch_options.config.dbname(&name);
    let shown = url::redacted_options(&scratch_options);
    // From here an error drops `guard`, and with it the new database.
    let guard = PgDrop { admin, name, out };
    let db = Postgres::connect(&scratch_options, shown.clone(), history, pg_schema)?;
    Ok(Scratch {
        db: Box::new(db),
        raw_url,
        shown: format!("{shown} (a scratch database, dropped after)"),
        cleanup: Cleanup::DropDatabase(Box::new(guard)),
        out,
    })
}

/// Unquoted-safe and recognisable: `cargo_migrate_test_<pid>_<nanos>`.
fn scratch_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("cargo_migrate_test_{}_{nanos}", std::process::id())
}

/// The connection string with another database: for a seed command.
fn with_dbname(raw: &str, name: &str) -> String {
    let Some(scheme_end) = raw.find("://").map(|i| i + 3) else {
        // key=value: the last `dbname` wins.
        return format!("{raw} dbname={name}");
    };
    let (base, query) = match raw.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (raw, None),
    };
    // The credentials end at the first `@`, as the driver reads them.
    let host_start = base[scheme_end..]
        .find('@')
        .map_or(scheme_end, |i| scheme_end + i + 1);
    let path_start = base[host_start..]
        .find('/')
        .map_or(base.len(), |i| host_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_database_of_the_same_server() {
        assert_eq!(
            with_dbname("postgres://u:p/w@h:5432/app?sslmode=disable", "t"),
            "postgres://u:p/w@h:5432/t?sslmode=disable"
        );
        assert_eq!(with_dbname("postgres://h", "t"), "postgres://h/t");
        assert_eq!(
            with_dbname("host=h user=u dbname=app", "t"),
            "host=h user=u dbname=app dbname=t"
        );
    }

    #[test]
    fn first_difference_names_a_lost_and_a_new_row() {
        let before = vec!["1, 'a'".to_string(), "2, 'b'".to_string()];
        let after = vec!["1, 'a'".to_string(), "2, NULL".to_string()];
        assert_eq!(
            first_difference(&before, &after),
            "2 row(s) before, 2 after; e.g. (2, 'b') became (2, NULL)"
        );
    }
}
