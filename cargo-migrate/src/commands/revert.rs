//! `cargo migrate new <name> --revert <version>`: the forward fix for a
//! migration that is applied where it must not be reverted by hand. The new
//! migration's up.sql is that migration's down.sql and the other way round,
//! and the replay must show that it brings the schema back.

use migrate_build::diff::diff;
use migrate_build::migrations::{self, Migration, MigrationFile, NO_TRANSACTION_DIRECTIVE, lock};

use crate::error::{CliError, Outcome};

use super::Ctx;
use super::new::{HEADER, next_version};

pub fn run(name: &str, version: &str, ctx: &Ctx) -> Result<Outcome, CliError> {
    let ws = ctx.workspace()?;
    let dir = ws.migrations_dir();
    let _folder_lock = super::lock_migrations_folder(&dir)?;
    let existing = ws.verified_migrations()?;
    let Some(target) = existing.iter().find(|m| m.version == version) else {
        return Err(CliError::Refused(format!(
            "no migration with version {version} in {}",
            ws.show(&dir)
        )));
    };
    let target_id = target.id();
    let Some(target_down) = &target.down else {
        return Err(CliError::Refused(format!(
            "{target_id} has no down.sql: there is nothing to write the revert from\n\
             help: write the SQL that undoes it with `cargo migrate new {name} --empty`"
        )));
    };
    let new_version = next_version(&existing);
    let header = |direction: &str, body: &str, source: &MigrationFile| {
        let text = HEADER
            .replace("{direction}", direction)
            .replace("{version}", &new_version)
            .replace("{name}", name);
        let body = body.strip_prefix('\u{feff}').unwrap_or(body);
        // The directive must stay the first line to count.
        let (directive, body) = match body.strip_prefix(NO_TRANSACTION_DIRECTIVE) {
            Some(rest) => (
                format!("{NO_TRANSACTION_DIRECTIVE}\n"),
                rest.trim_start_matches(['\r', '\n']),
            ),
            None => (String::new(), body),
        };
        format!(
            "{directive}{text}-- It reverts {target_id}: this is its {}.\n\n{body}",
            ws.show(&source.path)
        )
    };
    let up = header("Up", &target_down.sql, target_down);
    let down = header("Down", &target.up.sql, &target.up);

    // What the schema must be afterwards: as if the reverted migration had
    // never been written.
    let without: Vec<&Migration> = existing.iter().filter(|m| m.version != version).collect();
    let expected = ws.replay(without.iter().copied()).map_err(|e| {
        CliError::Refused(format!(
            "the migrations after {target_id} build on it (without it they do not replay: {e})\n\
             help: revert those first, newest first"
        ))
    })?;
    let candidate = Migration {
        version: new_version.clone(),
        name: name.to_string(),
        up: MigrationFile {
            path: dir.join(format!("{new_version}_{name}")).join("up.sql"),
            sql: up.clone(),
        },
        down: Some(MigrationFile {
            path: dir.join(format!("{new_version}_{name}")).join("down.sql"),
            sql: down.clone(),
        }),
        no_transaction: up.starts_with(NO_TRANSACTION_DIRECTIVE),
    };
    let after = ws.replay(existing.iter().chain(std::iter::once(&candidate)))?;
    let left = diff(&after, &expected);
    if !left.is_empty() {
        return Err(CliError::Refused(format!(
            "{} does not bring the schema back to what it was without {target_id}; after it, the replay still \
             needs:\n{}\n\
             help: fix {0} (run `cargo migrate test` to check it on a database), then run this again",
            ws.show(&target_down.path),
            super::check::listing(&left)
        )));
    }
    let written = migrations::write_new(&dir, &new_version, name, &up, &down)?;
    let all = ws.load_migrations()?;
    lock::write(&dir, &lock::compute(ws.dialect(), &all))?;
    ctx.out.status("Created", ws.show(&written.up.path));
    if let Some(d) = &written.down {
        ctx.out.status("Created", ws.show(&d.path));
    }
    let (declared, _) = ws.parse_schema_and_skipped()?;
    if !diff(&after, &declared).is_empty() {
        ctx.out.note(format!(
            "the schema files still declare what {target_id} did: change them back too, or the build gate \
             and `cargo migrate check` report the difference (`cargo migrate diff --from migrations --to schema` lists it)"
        ));
    }
    Ok(Outcome::Ok)
}
