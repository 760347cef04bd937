//! `cargo migrate pull [--force] [--baseline]`: the database's schema as
//! `schema.sql`, written by the same renderer as migrations (dependency
//! order, one object per statement) and read back before it is written: a
//! file that would not describe the database exactly is not written.

use migrate_build::Schema;
use migrate_build::ddl::{self, SourceFile};
use migrate_build::dialect::render_script;
use migrate_build::diff::{describe, diff};
use migrate_build::migrations::{self, lock};

use crate::cli::PullArgs;
use crate::db::{Open, Script};
use crate::error::{CliError, Outcome};
use crate::runner::RunLock;

use super::Ctx;

pub fn run(args: PullArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    let ws = ctx.workspace()?;
    let dialect = ws.dialect();
    let target = match ws.config.schema.as_slice() {
        [one] if !one.is_dir() => ws.base_dir.join(one),
        _ => {
            return Err(CliError::Refused(
                "`schema` names a folder or several files; `pull` writes one file\nhelp: set `schema = \"schema.sql\"` \
                 in the [metadata.migrate] config for the pull"
                    .to_string(),
            ));
        }
    };
    if !args.force
        && target.is_file()
        && !diff(&Schema::empty(dialect), &ws.parse_schema()?).is_empty()
    {
        return Err(CliError::Refused(format!(
            "{} already declares objects; nothing was written\nhelp: pass --force to replace it",
            ws.show(&target)
        )));
    }
    let existing = if args.baseline {
        ws.load_migrations()?
    } else {
        Vec::new()
    };
    if !existing.is_empty() {
        return Err(CliError::Refused(format!(
            "{} already holds {} migration(s): a baseline is the first migration\nhelp: pull without --baseline",
            ws.show(&ws.migrations_dir()),
            existing.len()
        )));
    }
    let url = ctx.database_url(&ws)?;
    let mut db = ctx.connect(&ws, &url, Open::MustExist)?;
    let empty = Schema::empty(dialect);
    let mut live = db.introspect()?;
    let left_out = crate::adopt::without_foreign_history(&mut live, &empty, &ws.config);
    crate::adopt::note_left_out(&ctx.out, dialect, &left_out);
    live.sort();
    let plan = diff(&empty, &live);
    let script = render_script(&plan, dialect)?;
    // A script setting, not part of any object: left out of the schema file.
    let text: String = script
        .lines()
        .filter(|l| !l.starts_with("SET LOCAL check_function_bodies"))
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .trim_start()
        .to_string();

    let shown = ws.show(&target);
    let (mut read_back, _) = ddl::parse_schema(
        dialect,
        &[SourceFile {
            path: &shown,
            sql: &text,
        }],
    )?;
    read_back.sort();
    let left = diff(&read_back, &live);
    if !left.is_empty() {
        return Err(CliError::Refused(format!(
            "the schema as written would not read back equal to {}; nothing was written:\n{}",
            url.redacted(),
            left.steps
                .iter()
                .map(|s| format!("  {}", describe(&s.step)))
                .collect::<Vec<_>>()
                .join("\n")
        )));
    }
    std::fs::write(&target, &text).map_err(|source| CliError::Io {
        path: target.clone(),
        source,
    })?;
    ctx.out.status(
        "Pulled",
        format!(
            "{} object(s) from {} into {shown}",
            plan.steps.len(),
            url.redacted()
        ),
    );
    if !args.baseline {
        return Ok(Outcome::Ok);
    }
    let dir = ws.migrations_dir();
    let _folder_lock = super::lock_migrations_folder(&dir)?;
    let version = migrations::new_version(std::time::SystemTime::now());
    let down = render_script(&diff(&live, &empty), dialect)?;
    let written = migrations::write_new(&dir, &version, "baseline", &script, &down)?;
    lock::write(
        &dir,
        &lock::compute(dialect, std::slice::from_ref(&written)),
    )?;
    let mut guard = RunLock::acquire(db.as_mut())?;
    let db = guard.db();
    db.ensure_history_table()?;
    // Its statements describe what the database already has: only the row is written.
    let record = Script {
        version: &written.version,
        name: &written.name,
        checksum: written.checksum(),
        no_transaction: false,
        path: crate::db::display_path(&written.up.path),
        statements: Vec::new(),
    };
    db.apply(&record, &mut |_| {})?;
    ctx.out.status(
        "Baselined",
        format!(
            "{} written and recorded as applied in {}",
            ws.show(&written.up.path),
            url.redacted()
        ),
    );
    Ok(Outcome::Ok)
}
