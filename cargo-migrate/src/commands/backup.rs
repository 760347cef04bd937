//! `--backup` of `apply`, `down` and `reset`. SQLite: a consistent copy
//! beside the database (`VACUUM INTO`), named with the version it was at.
//! PostgreSQL: `pg_dump` is the tool; the command is printed and nothing runs.

use std::path::{Path, PathBuf};

use crate::db::sqlite::Sqlite;
use crate::db::{Database, Open};
use crate::error::CliError;
use crate::url::{DatabaseUrl, Target};
use crate::workspace::Workspace;

use super::Ctx;

/// Backs up the database before `command` changes it, or refuses (with the
/// pg_dump command) when this tool cannot.
pub fn before(ctx: &Ctx, ws: &Workspace, url: &DatabaseUrl, command: &str) -> Result<(), CliError> {
    match &url.target {
        Target::Sqlite { path } => sqlite(ctx, ws, url, path, command),
        Target::Postgres { .. } => Err(postgres(ctx, ws, url, command)),
    }
}

fn sqlite(
    ctx: &Ctx,
    ws: &Workspace,
    url: &DatabaseUrl,
    path: &Path,
    command: &str,
) -> Result<(), CliError> {
    if !path.exists() {
        ctx.out.note(format!(
            "{} does not exist yet: there is nothing to back up",
            ws.show(path)
        ));
        return Ok(());
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "database".to_string());
    let dir = path.parent().unwrap_or(Path::new("."));
    let refuse = |why: String| {
        CliError::Refused(format!(
            "cannot back up {}: {why}\nnothing was changed: `{command}` did not run",
            ws.show(path)
        ))
    };
    let tmp = dir.join(format!(".{file_name}.backup-{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let Some(tmp_text) = tmp.to_str() else {
        return Err(refuse("its path is not UTF-8".to_string()));
    };
    {
        let source = Sqlite::open(
            path,
            url.redacted(),
            &ws.config.history_table,
            Open::MustExist,
        )?;
        // One read transaction: a copy of one moment, even with writers about.
        if let Err(e) = source.connection().execute("VACUUM INTO ?1", [tmp_text]) {
            let _ = std::fs::remove_file(&tmp);
            return Err(refuse(e.to_string()));
        }
    }
    // The version is read from the copy itself: it is what the copy holds.
    let version = {
        let mut copy = Sqlite::open(
            &tmp,
            ws.show(&tmp),
            &ws.config.history_table,
            Open::MustExist,
        )?;
        let applied = copy.list_applied();
        match applied {
            Ok(rows) => rows
                .into_iter()
                .filter(|r| r.success)
                .map(|r| r.version)
                .max(),
            Err(e) => {
                drop(copy);
                let _ = std::fs::remove_file(&tmp);
                return Err(e.into());
            }
        }
    };
    let label = version.clone().unwrap_or_else(|| "empty".to_string());
    let target = match place(dir, &file_name, &label, &tmp) {
        Ok(t) => t,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(refuse(e.to_string()));
        }
    };
    let _ = std::fs::remove_file(&tmp);
    ctx.out.status(
        "Backed up",
        format!(
            "{} to {} ({})",
            ws.show(path),
            ws.show(&target),
            match &version {
                Some(v) => format!("at migration {v}"),
                None => "no migration applied".to_string(),
            }
        ),
    );
    let db = ws.show(path);
    ctx.out.note(format!(
        "to restore it, stop everything that uses the database, then run:\n  cp {} {} && rm -f {} {}",
        sh_quote(&ws.show(&target)),
        sh_quote(&db),
        sh_quote(&format!("{db}-wal")),
        sh_quote(&format!("{db}-shm")),
    ));
    Ok(())
}

/// `<file>.<version>.backup`, or `<file>.<version>-2.backup` … when taken:
/// a hard link never replaces an existing file.
fn place(dir: &Path, file_name: &str, label: &str, tmp: &Path) -> std::io::Result<PathBuf> {
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{file_name}.{label}.backup")
        } else {
            format!("{file_name}.{label}-{n}.backup")
        };
        let target = dir.join(name);
        match std::fs::hard_link(tmp, &target) {
            Ok(()) => return Ok(target),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
            // Some file systems have no hard links: a rename, after checking.
            Err(_) if !target.exists() => {
                std::fs::rename(tmp, &target)?;
                return Ok(target);
            }
            Err(e) => return Err(e),
        }
    }
}

fn postgres(ctx: &Ctx, ws: &Workspace, url: &DatabaseUrl, command: &str) -> CliError {
    let shown = url.redacted();
    // The version in the file name, when the database can be read.
    let version = ctx
        .connect(ws, url, Open::MustExist)
        .and_then(|mut db| Ok(db.list_applied()?))
        .ok()
        .and_then(|rows| {
            rows.into_iter()
                .filter(|r| r.success)
                .map(|r| r.version)
                .max()
        });
    let options = crate::url::postgres_options(&url.raw).ok();
    let db_name = options
        .as_ref()
        .and_then(|o| o.config.get_dbname().map(str::to_string))
        .unwrap_or_else(|| "database".to_string());
    // `--create` drops and recreates the database from a maintenance one:
    // objects made after the dump go too, which `--clean` alone would keep.
    let maintenance = options.map_or_else(
        || "postgres".to_string(),
        |mut o| {
            o.config.dbname("postgres");
            crate::url::redacted_options(&o)
        },
    );
    let file = format!(
        "{}-{}.dump",
        db_name.replace(
            |c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '-',
            "_"
        ),
        version.as_deref().unwrap_or("empty")
    );
    let password_note = if shown.contains("***") {
        "\n(the password is shown as ***: put it back, or leave it out and set PGPASSWORD or use ~/.pgpass)"
    } else {
        ""
    };
    CliError::Refused(format!(
        "cargo-migrate backs up SQLite files only; for PostgreSQL, pg_dump is the tool. Nothing was changed: \
         `{command}` did not run.\nback up with:\n  pg_dump --format=custom --file={file} --dbname={db}\n\
         restore with (it drops and recreates {db_name}; nothing may be connected to it):\n  \
         pg_restore --clean --create --dbname={maintenance} {file}{password_note}\n\
         then run `{command}` again without --backup",
        db = sh_quote(&shown),
        maintenance = sh_quote(&maintenance),
    ))
}

/// A word for a POSIX shell: single quotes, unless it is plain.
fn sh_quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@=,+".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(sh_quote("dev.db"), "dev.db");
        assert_eq!(sh_quote("my db's.db"), r"'my db'\''s.db'");
        assert_eq!(
            sh_quote("postgres://u:***@h:5432/app"),
            "'postgres://u:***@h:5432/app'"
        );
    }
}
