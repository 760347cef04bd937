//! One module per subcommand, each `run(args, ctx) -> Result<Outcome, CliError>`.

pub mod apply;
pub mod check;
pub mod diff;
pub mod down;
pub mod hash;
pub mod init;
pub mod new;
pub mod reset;
pub mod resolve;
pub mod status;

use std::path::PathBuf;

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
        Workspace::load(self.global.manifest_path.as_deref(), &self.cwd)
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
    }
}
