//! `cargo migrate adopt [--dry-run]`: another tool's history becomes ours.
//! Nothing is run: each migration the other tool applied is recorded as
//! applied in the history table, after its checksum (where the tool kept
//! one) is found equal to the file's. The other tool's table is left alone.

use crate::adopt::{self, Sum};
use crate::cli::AdoptArgs;
use crate::db::{Open, Script};
use crate::error::{CliError, Outcome};
use crate::runner::RunLock;

use super::Ctx;

pub fn run(args: AdoptArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    let ws = ctx.workspace()?;
    ctx.require_migrations_folder(&ws)?;
    let migrations = ws.verified_migrations()?;
    let url = ctx.database_url(&ws)?;
    let mut db = ctx.connect(&ws, &url, Open::MustExist)?;
    let mut guard = RunLock::acquire(db.as_mut())?;
    let db = guard.db();

    let tools = adopt::find_tools(db)?;
    let tool = match tools.as_slice() {
        [] => {
            return Err(CliError::Refused(format!(
                "{} has no history table of another tool (looked for _prisma_migrations, _sqlx_migrations, \
                 __diesel_schema_migrations, schema_migrations, goose_db_version, flyway_schema_history, \
                 atlas_schema_revisions)\nhelp: for a database made without a migration tool, run \
                 `cargo migrate pull --baseline`",
                url.redacted()
            )));
        }
        [one] => one,
        several => {
            return Err(CliError::Refused(format!(
                "{} holds the history tables of several tools: {}\nhelp: drop the one that is no longer used, \
                 then run `cargo migrate adopt` again",
                url.redacted(),
                several
                    .iter()
                    .map(|t| format!("{} ({})", t.table, t.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    };
    let already = db.list_applied()?;
    if !already.is_empty() {
        return Err(CliError::Refused(format!(
            "{} already records {} migration(s) in {}: `adopt` only starts a history\nhelp: `cargo migrate status` \
             shows where it stands",
            url.redacted(),
            already.len(),
            ws.config.history_table
        )));
    }
    let atlas_sums = atlas_sums(&ws.migrations_dir());
    let matched = adopt::read_and_match(db, tool, &migrations, &atlas_sums)?;

    let mut table = format!(
        "{:<20} {:<36} {:<18} {}\n",
        "version", "name", tool.name, "checksum"
    );
    for row in &matched.rows {
        let state = if row.applied {
            "applied"
        } else {
            "not applied"
        };
        let sum = match &row.sum {
            Sum::None if row.applied => "(none kept)".to_string(),
            Sum::None => String::new(),
            Sum::Matches(algorithm) => format!("{algorithm} matches"),
            Sum::Differs { algorithm, .. } => format!("{algorithm} DIFFERS"),
        };
        table.push_str(&format!(
            "{:<20} {:<36} {:<18} {}\n",
            row.migration.version, row.migration.name, state, sum
        ));
    }
    ctx.print(&table)?;
    if !matched.refusals.is_empty() {
        let text = matched
            .refusals
            .iter()
            .map(|r| format!("- {}", r.replace('\n', "\n  ")))
            .collect::<Vec<_>>()
            .join("\n");
        return Err(CliError::Refused(format!(
            "nothing was recorded: {} cannot be adopted as it is:\n{text}",
            tool.table
        )));
    }
    let applied: Vec<_> = matched.rows.iter().filter(|r| r.applied).collect();
    if args.dry_run {
        ctx.out.status(
            "Would record",
            format!(
                "{} migration(s) as applied (dry run: nothing recorded)",
                applied.len()
            ),
        );
        return Ok(Outcome::Ok);
    }
    db.ensure_history_table()?;
    for row in &applied {
        let m = row.migration;
        // No statements: the other tool ran them; only the history row is written.
        let script = Script {
            version: &m.version,
            name: &m.name,
            checksum: m.checksum(),
            no_transaction: false,
            path: crate::db::display_path(&m.up.path),
            statements: Vec::new(),
        };
        db.apply(&script, &mut |_| {})?;
    }
    ctx.out.status(
        "Adopted",
        format!(
            "{} migration(s) recorded as applied from {} ({}); {} pending",
            applied.len(),
            tool.table,
            tool.name,
            matched.rows.len() - applied.len()
        ),
    );
    ctx.out.note(format!(
        "{} is left as it is; once {} is no longer used, drop it with `DROP TABLE {};`",
        tool.table, tool.name, tool.table
    ));
    Ok(Outcome::Ok)
}

/// `<file> h1:<hash>` lines of the folder's `atlas.sum` (checked when the
/// folder was read), for Atlas's revision hashes.
fn atlas_sums(dir: &std::path::Path) -> Vec<(String, String)> {
    std::fs::read_to_string(dir.join("atlas.sum"))
        .unwrap_or_default()
        .lines()
        .skip(1)
        .filter_map(|l| {
            let (name, hash) = l.split_once(" h1:")?;
            Some((name.trim().to_string(), hash.trim().to_string()))
        })
        .collect()
}
