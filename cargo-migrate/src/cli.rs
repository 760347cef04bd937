//! The command line, as clap derive types. Parsing only: `commands/` runs them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Cargo runs `cargo-migrate migrate <args>` for `cargo migrate <args>`.
#[derive(Debug, Parser)]
#[command(name = "cargo", bin_name = "cargo", styles = styles())]
pub enum Cargo {
    Migrate(MigrateArgs),
}

/// Schema migrations for Rust workspaces
///
/// Keep the database's desired state in schema.sql; `cargo migrate new` writes
/// the migration that gets there, `cargo migrate apply` runs it.
#[derive(Debug, Args)]
#[command(version, after_help = EXIT_CODES)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

const EXIT_CODES: &str = "\
Exit status: 0 success; 1 error; 2 differences or problems found \
(`diff --exit-code`, `status`, `check`, `test`, `lint` findings at error severity).";

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global Options")]
pub struct GlobalArgs {
    /// Path to Cargo.toml
    #[arg(long, value_name = "PATH", global = true)]
    pub manifest_path: Option<PathBuf>,
    /// Database URL (overrides DATABASE_URL, .env and the config's database_url);
    /// relative `sqlite:` paths start at the directory of the manifest holding the config
    #[arg(long, value_name = "URL", global = true)]
    pub database_url: Option<String>,
    /// Do not print progress messages
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print each SQL statement as it runs
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Coloring
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Layout of the migrations folder (overrides the config's `format`;
    /// detected from the files when neither is given)
    #[arg(long, value_name = "FORMAT", global = true, value_parser = parse_layout)]
    pub migrations_format: Option<migrate_build::migrations::Layout>,
}

fn parse_layout(name: &str) -> Result<migrate_build::migrations::Layout, String> {
    use migrate_build::migrations::Layout;
    Layout::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Layout::NAMES.iter().map(|(n, _)| *n).collect();
        format!("expected one of {}", names.join(", "))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add the migrate config, a starter schema.sql and migrations/ to this workspace
    Init(InitArgs),
    /// Write a migration from the difference between schema.sql and the migrations
    New(NewArgs),
    /// Apply pending migrations to the database
    Apply(ApplyArgs),
    /// Revert the last applied migrations with their down.sql
    Down(DownArgs),
    /// Show applied, pending, failed, edited and missing migrations
    Status(StatusArgs),
    /// Compare two schema sources: empty, schema, migrations or database
    Diff(DiffArgs),
    /// Verify migrations, lock file and database agree (for CI)
    Check(CheckArgs),
    /// Mark a failed migration as applied or rolled back by hand
    Resolve(ResolveArgs),
    /// Rewrite migrations/migrate.lock after a deliberate edit
    Hash(HashArgs),
    /// Drop everything in the database and apply all migrations again
    Reset(ResetArgs),
    /// Check migrations for steps that lose data, fail on existing rows or lock tables
    Lint(crate::commands::lint::LintArgs),
    /// Test every migration, down.sql included, on a scratch database
    Test(TestArgs),
    /// Load the seed data of the config into the database
    Seed(SeedArgs),
    /// Delete a migration that no database has applied, and update the lock
    Rm(RmArgs),
    /// Record as applied what another tool's history table says was applied
    Adopt(AdoptArgs),
    /// Write the database's schema into schema.sql
    Pull(PullArgs),
}

#[derive(Debug, Args)]
pub struct PullArgs {
    /// Overwrite a schema file that already declares objects
    #[arg(long)]
    pub force: bool,
    /// Also write a first migration equal to it and record it as applied
    #[arg(long)]
    pub baseline: bool,
}

#[derive(Debug, Args)]
pub struct AdoptArgs {
    /// Print the table of matches without recording anything
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Database dialect of the workspace
    #[arg(long, value_enum, default_value_t = DialectArg::Sqlite)]
    pub dialect: DialectArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DialectArg {
    Sqlite,
    Postgres,
}

impl From<DialectArg> for migrate_build::Dialect {
    fn from(d: DialectArg) -> Self {
        match d {
            DialectArg::Sqlite => migrate_build::Dialect::Sqlite,
            DialectArg::Postgres => migrate_build::Dialect::Postgres,
        }
    }
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Name of the migration, in snake_case (e.g. add_users)
    pub name: String,
    /// Write empty up.sql and down.sql to fill in by hand
    #[arg(long)]
    pub empty: bool,
    /// Write the migration even when the schema files define nothing and it
    /// drops every table the migrations made
    #[arg(long)]
    pub allow_empty_schema: bool,
    /// Ask nothing: a dropped and an added column stay a drop and an add
    /// (the default when stdin or stderr is not a terminal)
    #[arg(long)]
    pub no_interactive: bool,
    /// Write a migration that undoes VERSION: its up.sql is VERSION's
    /// down.sql, its down.sql VERSION's up.sql
    #[arg(long, value_name = "VERSION", conflicts_with_all = ["empty", "allow_empty_schema"])]
    pub revert: Option<String>,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Apply pending migrations up to and including this version
    #[arg(long, value_name = "VERSION")]
    pub to: Option<String>,
    /// Print the SQL that would run, without running it
    #[arg(long)]
    pub dry_run: bool,
    /// SQLite: copy the database first (beside it); PostgreSQL: print the
    /// pg_dump command to run first, and stop
    #[arg(long, conflicts_with = "dry_run")]
    pub backup: bool,
    /// Run every pending migration and its history row in one transaction:
    /// all or nothing (refused when one is `-- migrate:no-transaction`)
    #[arg(long)]
    pub single_transaction: bool,
    #[command(flatten)]
    pub fleet: FleetArgs,
    /// Format of the summary of a run on many databases
    #[arg(long, value_enum, default_value_t = Format::Text, requires = "targets")]
    pub format: Format,
}

/// Many databases (or PostgreSQL schemas) in one command.
#[derive(Debug, Args, Default)]
#[group(id = "targets", multiple = true, required = false)]
pub struct FleetArgs {
    /// A file of database URLs, one a line (`#` starts a comment): run on each
    #[arg(long, value_name = "FILE")]
    pub databases: Option<PathBuf>,
    /// PostgreSQL: run on every schema whose name is LIKE this pattern, each
    /// with its own history table and `search_path` set to it
    #[arg(long, value_name = "PATTERN")]
    pub schemas: Option<String>,
    /// How many targets at once (default: the number of cores)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Start no further target after the first failure
    #[arg(long)]
    pub fail_fast: bool,
}

impl FleetArgs {
    /// Whether the command runs on many targets.
    pub fn is_fleet(&self) -> bool {
        self.databases.is_some() || self.schemas.is_some()
    }
}

#[derive(Debug, Args)]
pub struct DownArgs {
    /// Number of migrations to revert, newest first
    #[arg(long, value_name = "N", conflicts_with = "to")]
    pub steps: Option<usize>,
    /// Revert every migration applied after this version (it stays applied)
    #[arg(long, value_name = "VERSION")]
    pub to: Option<String>,
    /// Print the SQL that would run, without running it
    #[arg(long)]
    pub dry_run: bool,
    /// SQLite: copy the database first (beside it); PostgreSQL: print the
    /// pg_dump command to run first, and stop
    #[arg(long, conflicts_with = "dry_run")]
    pub backup: bool,
    #[command(flatten)]
    pub fleet: FleetArgs,
    /// Format of the summary of a run on many databases
    #[arg(long, value_enum, default_value_t = Format::Text, requires = "targets")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub fleet: FleetArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The state to start from
    #[arg(long, value_enum)]
    pub from: Source,
    /// The state to reach
    #[arg(long, value_enum)]
    pub to: Source,
    /// Print the SQL script instead of a description
    #[arg(long)]
    pub script: bool,
    /// Exit with 2 when there are differences, 0 when there are none
    #[arg(long)]
    pub exit_code: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Source {
    /// No objects at all
    Empty,
    /// The schema files (schema.sql)
    Schema,
    /// The state every migration in the folder produces
    Migrations,
    /// The live database
    Database,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub fleet: FleetArgs,
    /// Output format: `github` adds workflow annotations (`::error file=…`);
    /// `json` prints the problems (or, on many databases, the summary) as JSON
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    // GitHub Actions workflow commands, one `::error` line a problem.
    Github,
    // One JSON document: the problems (one database) or the summary (many).
    Json,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("outcome").required(true).args(["applied", "rolled_back"])))]
pub struct ResolveArgs {
    /// The failed migration was completed by hand: record it as applied
    #[arg(long, value_name = "VERSION")]
    pub applied: Option<String>,
    /// The failed migration was undone: forget it, so that it is pending again
    #[arg(long, value_name = "VERSION")]
    pub rolled_back: Option<String>,
}

#[derive(Debug, Args)]
pub struct HashArgs {}

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// Do not ask for confirmation
    #[arg(long)]
    pub force: bool,
    /// SQLite: copy the database first (beside it); PostgreSQL: print the
    /// pg_dump command to run first, and stop
    #[arg(long)]
    pub backup: bool,
    /// Do not load the configured seed after applying
    #[arg(long)]
    pub skip_seed: bool,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// An empty database to test in, instead of a temporary one (SQLite: a
    /// temporary file; PostgreSQL: a database created on the configured
    /// server and dropped after); emptied again after the test
    #[arg(long, value_name = "URL")]
    pub scratch_url: Option<String>,
    /// Load the seed first, and check that every down.sql and up.sql keeps
    /// the rows of the tables on both sides
    #[arg(long)]
    pub with_data: bool,
}

#[derive(Debug, Args)]
pub struct SeedArgs {}

#[derive(Debug, Args)]
pub struct RmArgs {
    /// Version of the migration to delete
    pub version: String,
}

fn styles() -> clap::builder::Styles {
    use clap::builder::styling::{AnsiColor, Effects};
    // cargo's own help colours.
    clap::builder::Styles::styled()
        .header(AnsiColor::Green.on_default().effects(Effects::BOLD))
        .usage(AnsiColor::Green.on_default().effects(Effects::BOLD))
        .literal(AnsiColor::Cyan.on_default().effects(Effects::BOLD))
        .placeholder(AnsiColor::Cyan.on_default())
        .error(AnsiColor::Red.on_default().effects(Effects::BOLD))
        .valid(AnsiColor::Cyan.on_default().effects(Effects::BOLD))
        .invalid(AnsiColor::Yellow.on_default().effects(Effects::BOLD))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_tree_is_consistent() {
        Cargo::command().debug_assert();
    }

    #[test]
    fn parses_cargo_invocation() {
        let Cargo::Migrate(args) =
            Cargo::try_parse_from(["cargo", "migrate", "-q", "apply", "--to", "20260101000000"])
                .unwrap();
        assert!(args.global.quiet);
        match args.command {
            Command::Apply(a) => assert_eq!(a.to.as_deref(), Some("20260101000000")),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn resolve_needs_exactly_one_outcome() {
        assert!(Cargo::try_parse_from(["cargo", "migrate", "resolve"]).is_err());
        assert!(
            Cargo::try_parse_from([
                "cargo",
                "migrate",
                "resolve",
                "--applied",
                "1",
                "--rolled-back",
                "1"
            ])
            .is_err()
        );
        assert!(Cargo::try_parse_from(["cargo", "migrate", "resolve", "--applied", "1"]).is_ok());
    }

    #[test]
    fn down_steps_and_to_conflict() {
        assert!(
            Cargo::try_parse_from(["cargo", "migrate", "down", "--steps", "2", "--to", "1"])
                .is_err()
        );
    }
}
