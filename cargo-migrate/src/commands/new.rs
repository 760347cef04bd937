//! `cargo migrate new <name> [--empty]`

use std::time::{Duration, SystemTime};

use migrate_build::Schema;
use migrate_build::dialect::render_script;
use migrate_build::diff::{diff, try_diff};
use migrate_build::migrations::{self, Migration, lock};

use crate::cli::NewArgs;
use crate::error::{CliError, Outcome};

use super::Ctx;
use super::rename_prompt;

pub(super) const HEADER: &str = include_str!("../../../templates/migration_header.sql");

pub fn run(args: NewArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    migrations::validate_name(&args.name)?;
    if let Some(version) = &args.revert {
        return super::revert::run(&args.name, version, ctx);
    }
    let ws = ctx.workspace()?;
    let dir = ws.migrations_dir();
    let _folder_lock = super::lock_migrations_folder(&dir)?;
    remove_stale_staging(&dir);
    let existing = ws.verified_migrations()?;
    let dialect = ws.dialect();
    let (up_body, down_body, destructive, before) = if args.empty {
        (String::new(), String::new(), Vec::new(), None)
    } else {
        let (replayed, unmodelled) = ws.replay_with_unmodelled(&existing)?;
        super::note_unmodelled(&ctx.out, &unmodelled);
        let (mut declared, skipped) = ws.parse_schema_and_skipped()?;
        super::note_skipped(&ctx.out, &skipped);
        // A `schema` setting pointing at an empty folder (or at the
        // migrations folder) reads as "drop every table". A schema that
        // only drops functions or sequences is an ordinary change.
        let empty = Schema::empty(dialect);
        if !args.allow_empty_schema
            && diff(&empty, &declared).is_empty()
            && !replayed.tables.is_empty()
        {
            let files = ws
                .config
                .schema_files()?
                .iter()
                .map(|f| ws.show(&ws.base_dir.join(f)))
                .collect::<Vec<_>>();
            return Err(CliError::Refused(format!(
                "the schema files define nothing ({}), but the migrations define {} table(s): the migration \
                 would drop them all\nhelp: check `schema` in the [metadata.migrate] config; if dropping \
                 everything is what you mean, pass --allow-empty-schema",
                if files.is_empty() {
                    "no .sql file found".to_string()
                } else {
                    files.join(", ")
                },
                replayed.tables.len()
            )));
        }
        let mut up = try_diff(&replayed, &declared)?;
        if rename_prompt::confirm(
            &up,
            &mut declared,
            &rename_prompt::Asker::new(args.no_interactive),
        ) {
            up = try_diff(&replayed, &declared)?;
        }
        let hints = rename_prompt::hints(&up, &declared);
        if up.is_empty() {
            ctx.out
                .line("the migrations are already in sync with the schema: no migration written");
            return Ok(Outcome::Ok);
        }
        let down = try_diff(&declared, &replayed)?;
        let mut destructive: Vec<(&[&str], String)> = up
            .destructive()
            .map(|d| (super::lint::repeated_by(d), d.to_string()))
            .collect();
        // A down that cannot run is worth knowing now, not when it is needed.
        destructive.extend(
            down.destructive()
                .filter(|d| matches!(d, migrate_build::plan::Destructive::UpdateExtension { .. }))
                .map(|d| (&[][..], format!("down.sql {d}"))),
        );
        destructive.extend(hints.iter().map(|h| (&[][..], h.clone())));
        (
            rename_prompt::annotate(&render_script(&up, dialect)?, &hints),
            render_script(&down, dialect)?,
            destructive,
            Some(replayed),
        )
    };
    let version = next_version(&existing);
    let header = |direction: &str| {
        HEADER
            .replace("{direction}", direction)
            .replace("{version}", &version)
            .replace("{name}", &args.name)
    };
    let up_header = format!("{}\n", header("Up"));
    // Data-dependent steps: `-- WARNING` lines above them, with rows counted.
    let (up_body, lint_warnings) = match &before {
        Some(before) => super::lint::annotate_new(
            &ws,
            ctx,
            before,
            &up_body,
            &ws.show(&dir.join(format!("{version}_{}", args.name)).join("up.sql")),
            up_header.matches('\n').count(),
        )?,
        None => (up_body, Vec::new()),
    };
    let up = format!("{up_header}{up_body}");
    let down = format!("{}\n{down_body}", header("Down"));
    // The lock last: a `new` killed before it leaves a complete migration
    // that `check` reports as not hashed, never a locked half one.
    let written = migrations::write_new(&dir, &version, &args.name, &up, &down)?;
    let all = ws.load_migrations()?;
    lock::write(&dir, &lock::compute(dialect, &all))?;
    ctx.out.status("Created", ws.show(&written.up.path));
    if let Some(d) = &written.down {
        ctx.out.status("Created", ws.show(&d.path));
    }
    // A lint warning about the same step says more (what to do, the rows).
    for (repeated_by, d) in destructive {
        let object = d.split('`').nth(1).map(|o| format!("`{o}`"));
        let repeated = lint_warnings.iter().any(|(code, w)| {
            repeated_by.contains(code) && object.as_ref().is_some_and(|o| w.contains(o.as_str()))
        });
        if !repeated {
            ctx.out.warn(d);
        }
    }
    for (_, w) in lint_warnings {
        ctx.out.warn(w);
    }
    Ok(Outcome::Ok)
}

/// Now as a version, or later: versions must grow, and two `new` in the same
/// second (or a folder with versions from a clock ahead of ours) must not collide.
pub(super) fn next_version(existing: &[Migration]) -> String {
    let latest = existing.iter().map(|m| m.version.as_str()).max();
    let mut now = SystemTime::now();
    for _ in 0..5 {
        let v = migrations::new_version(now);
        if latest.is_none_or(|l| v.as_str() > l) {
            return v;
        }
        now += Duration::from_secs(1);
    }
    // Far behind the folder's clock: one past the latest keeps the order.
    match latest.and_then(|l| l.parse::<u64>().ok()) {
        Some(n) => (n + 1).to_string(),
        None => migrations::new_version(now),
    }
}

/// Staging folders (`.<version>_<name>.<pid>.tmp`) of `new` runs that were
/// killed. Safe to remove while this run holds the folder's lock.
fn remove_stale_staging(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let staging = name.starts_with('.')
            && name.ends_with(".tmp")
            && name[1..].bytes().take(14).all(|b| b.is_ascii_digit());
        if staging && entry.path().is_dir() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
