//! `cargo migrate new <name> [--empty]`

use std::time::{Duration, SystemTime};

use migrate_build::dialect::render_script;
use migrate_build::diff::diff;
use migrate_build::migrations::{self, Migration, lock};

use crate::cli::NewArgs;
use crate::error::{CliError, Outcome};

use super::Ctx;

const HEADER: &str = include_str!("../../../templates/migration_header.sql");

pub fn run(args: NewArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    migrations::validate_name(&args.name)?;
    let ws = ctx.workspace()?;
    let existing = ws.verified_migrations()?;
    let dialect = ws.dialect();
    let (up_body, down_body, destructive) = if args.empty {
        (String::new(), String::new(), Vec::new())
    } else {
        let replayed = ws.replay(&existing)?;
        let declared = ws.parse_schema()?;
        let up = diff(&replayed, &declared);
        if up.is_empty() {
            ctx.out
                .line("the migrations are already in sync with the schema: no migration written");
            return Ok(Outcome::Ok);
        }
        let down = diff(&declared, &replayed);
        let destructive: Vec<String> = up.destructive().map(|d| d.to_string()).collect();
        (
            render_script(&up, dialect)?,
            render_script(&down, dialect)?,
            destructive,
        )
    };
    let version = next_version(&existing);
    let header = |direction: &str| {
        HEADER
            .replace("{direction}", direction)
            .replace("{version}", &version)
            .replace("{name}", &args.name)
    };
    let up = format!("{}\n{up_body}", header("Up"));
    let down = format!("{}\n{down_body}", header("Down"));
    let dir = ws.migrations_dir();
    std::fs::create_dir_all(&dir).map_err(|source| CliError::Io {
        path: dir.clone(),
        source,
    })?;
    let written = migrations::write_new(&dir, &version, &args.name, &up, &down)?;
    let all = ws.load_migrations()?;
    lock::write(&dir, &lock::compute(dialect, &all))?;
    ctx.out.status("Created", ws.show(&written.up.path));
    if let Some(d) = &written.down {
        ctx.out.status("Created", ws.show(&d.path));
    }
    for d in destructive {
        ctx.out.warn(d);
    }
    Ok(Outcome::Ok)
}

/// Now as a version, or later: versions must grow, and two `new` in the same
/// second (or a folder with versions from a clock ahead of ours) must not collide.
fn next_version(existing: &[Migration]) -> String {
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
