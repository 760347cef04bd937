//! One module per subcommand, each `run(args, ctx) -> Result<Outcome, CliError>`.

pub mod adopt;
pub mod annotations;
pub mod apply;
pub mod backup;
pub mod check;
pub mod diff;
pub mod down;
pub mod hash;
pub mod init;
pub mod lint;
pub mod new;
pub mod pull;
pub mod rename_prompt;
pub mod reset;
pub mod resolve;
pub mod revert;
pub mod rm;
pub mod seed;
pub mod status;
pub mod test;

use std::path::{Path, PathBuf};

use migrate_build::Dialect;

use crate::cli::{Command, GlobalArgs};
use crate::db::{self, Database, Open};
use crate::error::{CliError, Outcome};
use crate::output::Output;
use crate::url::{self, DatabaseUrl, UrlInputs};
use crate::workspace::Workspace;

/// What every command gets: the global flags, output, and where it runs.
pub struct Ctx {
    pub global: GlobalArgs,
    pub out: Output,
    pub cwd: PathBuf,
}

impl Ctx {
    pub fn workspace(&self) -> Result<Workspace, CliError> {
        let mut ws = Workspace::load(self.global.manifest_path.as_deref(), &self.cwd)?;
        if let Some(format) = self.global.migrations_format {
            ws.config.format = Some(format);
        }
        if ws.dialect() == Dialect::Sqlite
            && let Some(schema) = &ws.config.pg_schema
        {
            return Err(CliError::Refused(format!(
                "`pg_schema = \"{schema}\"` is set in the [metadata.migrate] config of {}, but the dialect is \
                 sqlite, which has no schemas to put the history table in\nhelp: remove `pg_schema`, or set \
                 `dialect = \"postgres\"`",
                ws.show(&ws.base_dir.join("Cargo.toml"))
            )));
        }
        Ok(ws)
    }

    /// Commands that compare the folder with a database need the folder:
    /// a mistyped `migrations` path would make every applied migration look
    /// deleted.
    pub fn require_migrations_folder(&self, ws: &Workspace) -> Result<(), CliError> {
        let dir = ws.migrations_dir();
        if dir.is_dir() {
            return Ok(());
        }
        Err(CliError::Refused(format!(
            "the migrations folder {} does not exist\nhelp: check `migrations` in the [metadata.migrate] config \
             of {} (relative to it); `cargo migrate new <name>` creates the folder",
            ws.show(&dir),
            ws.show(&ws.base_dir.join("Cargo.toml"))
        )))
    }

    pub fn database_url(&self, ws: &Workspace) -> Result<DatabaseUrl, CliError> {
        Ok(url::resolve(UrlInputs {
            flag: self.global.database_url.as_deref(),
            env: std::env::var("DATABASE_URL").ok(),
            config: ws.config.database_url.as_deref(),
            base_dir: &ws.base_dir,
            dialect: ws.dialect(),
        })?)
    }

    pub fn connect(
        &self,
        ws: &Workspace,
        url: &DatabaseUrl,
        open: Open,
    ) -> Result<Box<dyn Database>, CliError> {
        Ok(db::connect(
            url,
            &ws.config.history_table,
            ws.config.pg_schema.as_deref(),
            open,
        )?)
    }

    pub fn print(&self, text: &str) -> Result<(), CliError> {
        self.out.stdout(text).map_err(CliError::Output)
    }
}

/// Holds `<migrations>/.migrate-new.lock` (an OS file lock) until dropped:
/// two `new` (or `hash`) runs at once would each write a migration from the
/// same replayed state. Hidden, so no loader takes it for a migration.
pub fn lock_migrations_folder(dir: &Path) -> Result<std::fs::File, CliError> {
    let path = dir.join(".migrate-new.lock");
    let io = |source| CliError::Io {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(|source| CliError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let file = std::fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io)?;
    let timeout = db::lock_timeout();
    let start = std::time::Instant::now();
    loop {
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => return Ok(file),
            Err(fs4::TryLockError::WouldBlock) => {}
            Err(fs4::TryLockError::Error(e)) => return Err(io(e)),
        }
        if start.elapsed() >= timeout {
            return Err(CliError::Refused(format!(
                "{}: another `cargo migrate new` or `hash` holds it; waited {:.1} s\n\
                 help: wait for it to finish, or set CARGO_MIGRATE_LOCK_TIMEOUT (seconds) to wait longer",
                path.display(),
                timeout.as_secs_f64()
            )));
        }
        std::thread::sleep(db::LOCK_POLL);
    }
}

pub fn run(command: Command, ctx: &Ctx) -> Result<Outcome, CliError> {
    match command {
        Command::Init(a) => init::run(a, ctx),
        Command::New(a) => new::run(a, ctx),
        Command::Apply(a) => apply::run(a, ctx),
        Command::Down(a) => down::run(a, ctx),
        Command::Status(a) => status::run(a, ctx),
        Command::Diff(a) => diff::run(a, ctx),
        Command::Check(a) => check::run(a, ctx),
        Command::Resolve(a) => resolve::run(a, ctx),
        Command::Hash(a) => hash::run(a, ctx),
        Command::Reset(a) => reset::run(a, ctx),
        Command::Lint(a) => lint::run(a, ctx),
        Command::Test(a) => test::run(a, ctx),
        Command::Seed(a) => seed::run(a, ctx),
        Command::Rm(a) => rm::run(a, ctx),
        Command::Adopt(a) => adopt::run(a, ctx),
        Command::Pull(a) => pull::run(a, ctx),
    }
}

/// Statements of the schema files that no migration will carry (README:
/// privileges, ownership and data are skipped): one note each, so the user
/// knows they are not in the migrations.
pub(crate) fn note_skipped(out: &crate::output::Output, skipped: &[migrate_build::ddl::Skipped]) {
    for s in skipped {
        out.note(format!(
            "{}:{}:{}: `{}` skipped: not carried by migrations",
            s.path, s.line, s.column, s.kind
        ));
    }
}

/// Statements of the migrations whose schema changes the replay cannot see
/// (DDL in `DO` blocks and routine bodies): one note each.
pub(crate) fn note_unmodelled(
    out: &crate::output::Output,
    unmodelled: &[migrate_build::ddl::Skipped],
) {
    for s in unmodelled {
        out.note(migrate_build::migrations::unmodelled_message(s));
    }
}

/// A single-database run stops between two migrations on Ctrl-C, as a
/// many-database run does, and says so at once.
fn stop_after_current_on_ctrl_c(out: crate::output::Output) {
    crate::runner::stop_on_ctrl_c(move || {
        out.warn(
            "Ctrl-C: stopping after the current migration (it commits or rolls back as it would); press Ctrl-C again to end now",
        )
    });
}
