//! `cargo migrate lint`: the rules of `migrate_build::lint` over migrations
//! of the folder, offline; and the lint parts of `new` (warnings written
//! into the migration, rows counted in the developer's database) and
//! `check` (the newest migration).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use clap::{Args, ValueEnum};
use migrate_build::Schema;
use migrate_build::lint::{self, Finding, Severity};
use migrate_build::migrations::Migration;
use migrate_build::plan::Destructive;

use crate::db::{Open, display_path};
use crate::error::{CliError, Outcome};
use crate::url::Target;
use crate::workspace::Workspace;

use super::Ctx;

/// The revision `--git-base` compares with when no selection is given.
pub const DEFAULT_GIT_BASE: &str = "main";

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("selection").args(["git_base", "latest", "all"])))]
pub struct LintArgs {
    /// Lint the migrations this git revision does not have [default: main]
    #[arg(long, value_name = "REV")]
    pub git_base: Option<String>,
    /// Lint the newest N migrations
    #[arg(long, value_name = "N")]
    pub latest: Option<usize>,
    /// Lint every migration
    #[arg(long)]
    pub all: bool,
    /// Output format: rustc-style text, JSON, or GitHub workflow annotations
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    pub format: LintFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
    Github,
}

pub fn run(args: LintArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    let ws = ctx.workspace()?;
    let migrations = ws.load_migrations()?;
    let selected: Vec<bool> = if args.all {
        vec![true; migrations.len()]
    } else if let Some(n) = args.latest {
        let first = migrations.len().saturating_sub(n);
        (0..migrations.len()).map(|i| i >= first).collect()
    } else {
        let base = args.git_base.as_deref().unwrap_or(DEFAULT_GIT_BASE);
        new_since(base, &ws.migrations_dir(), &migrations)?
    };
    let count = selected.iter().filter(|s| **s).count();
    let findings = lint::lint_migrations(
        ws.dialect(),
        &migrations,
        |i, _| selected[i],
        &ws.config.lint,
        display_path,
    )?;
    let text = match args.format {
        LintFormat::Text => text_report(&findings, &migrations),
        LintFormat::Json => json_report(&findings, count),
        LintFormat::Github => github_report(&findings),
    };
    ctx.print(&text)?;
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    ctx.out.status(
        "Linted",
        format!(
            "{count} migration(s): {errors} error(s), {} warning(s)",
            findings.len() - errors
        ),
    );
    Ok(if errors > 0 {
        Outcome::Differences
    } else {
        Outcome::Ok
    })
}

/// Which migrations `base` does not have: their `up.sql` is not in its tree
/// (new files, committed or not).
fn new_since(base: &str, dir: &Path, migrations: &[Migration]) -> Result<Vec<bool>, CliError> {
    let where_ = if dir.is_dir() {
        dir.to_path_buf()
    } else {
        dir.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let git = |args: &[&str]| -> Result<Option<String>, CliError> {
        let out = Command::new("git")
            .arg("-C")
            .arg(&where_)
            .args(args)
            .output()
            .map_err(|e| {
                CliError::Refused(format!(
                    "cannot run git to find the migrations new since `{base}`: {e}\nhelp: pass --latest N or --all"
                ))
            })?;
        Ok(out
            .status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim_end().to_string()))
    };
    let Some(root) = git(&["rev-parse", "--show-toplevel"])? else {
        return Err(CliError::Refused(format!(
            "{} is not in a git repository: cannot tell which migrations are new since `{base}`\nhelp: pass --latest N or --all",
            display_path(&where_)
        )));
    };
    let commit = format!("{base}^{{commit}}");
    if git(&["rev-parse", "--verify", "--quiet", &commit])?.is_none() {
        return Err(CliError::Refused(format!(
            "git revision `{base}` not found\nhelp: pass --git-base <revision> (a branch, tag or commit), --latest N or --all"
        )));
    }
    let tree = git(&["ls-tree", "-r", "--name-only", "--full-tree", base])?.unwrap_or_default();
    let known: HashSet<&str> = tree.lines().collect();
    let root = canonical(Path::new(&root));
    Ok(migrations
        .iter()
        .map(|m| {
            let path = canonical(&m.up.path);
            let rel = path.strip_prefix(&root).unwrap_or(&path);
            // git names paths with `/` on every platform.
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            !known.contains(rel.as_str())
        })
        .collect())
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// The statement's first line, from the migration it is in.
fn source_line<'m>(finding: &Finding, migrations: &'m [Migration]) -> Option<&'m str> {
    let migration = migrations
        .iter()
        .find(|m| display_path(&m.up.path) == finding.path)?;
    migration.up.sql.lines().nth(finding.line.checked_sub(1)?)
}

/// rustc's layout: `warning[CODE]: message`, `--> file:line:col`, the line, help.
fn text_report(findings: &[Finding], migrations: &[Migration]) -> String {
    let mut out = String::new();
    for f in findings {
        let number = f.line.to_string();
        let pad = " ".repeat(number.len());
        out.push_str(&format!(
            "{}[{}]: {}\n{pad}--> {}:{}:{}\n",
            f.severity, f.rule.code, f.message, f.path, f.line, f.column
        ));
        if let Some(line) = source_line(f, migrations) {
            out.push_str(&format!("{pad} |\n{number} | {line}\n{pad} |\n"));
        }
        out.push_str(&format!(
            "{pad} = help: {}\n{pad} = note: `-- migrate:lint-ignore {} <why>` above the statement silences it\n\n",
            f.help, f.rule.code
        ));
    }
    out
}

fn json_report(findings: &[Finding], linted: usize) -> String {
    let items: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            serde_json::json!({
                "code": f.rule.code,
                "name": f.rule.name,
                "severity": f.severity.to_string(),
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "message": f.message,
                "help": f.help,
            })
        })
        .collect();
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let report = serde_json::json!({
        "migrations": linted,
        "errors": errors,
        "warnings": findings.len() - errors,
        "findings": items,
    });
    format!("{report:#}\n")
}

/// GitHub's workflow commands: `::warning file=…,line=…,col=…,title=…::message`.
fn github_report(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        out.push_str(&format!(
            "::{level} file={},line={},col={},title={}::{}\n",
            github_property(&f.path),
            f.line,
            f.column,
            github_property(&format!("{} {}", f.rule.code, f.rule.name)),
            github_data(&format!("{}\nhelp: {}", f.message, f.help)),
        ));
    }
    out
}

fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// For `check`: the newest migration's findings, errors as problems and
/// warnings as warnings.
pub fn check_newest(
    ws: &Workspace,
    migrations: &[Migration],
    ctx: &Ctx,
    problems: &mut Vec<super::annotations::Problem>,
) {
    let Some(newest) = migrations.len().checked_sub(1) else {
        return;
    };
    let findings = match lint::lint_migrations(
        ws.dialect(),
        migrations,
        |i, _| i == newest,
        &ws.config.lint,
        display_path,
    ) {
        Ok(f) => f,
        // The replay's own error is reported by the schema check.
        Err(_) => return,
    };
    for f in findings {
        let text = format!(
            "{}:{}:{}: [{}] {}\nhelp: {}",
            f.path, f.line, f.column, f.rule.code, f.message, f.help
        );
        match f.severity {
            Severity::Error => problems.push(super::annotations::Problem {
                message: text,
                file: Some(f.path.clone()),
                line: Some(f.line),
                column: Some(f.column),
            }),
            Severity::Warning => ctx.out.warn(text),
        }
    }
}

/// The lint rules whose warning in `new` says what `destructive`'s does.
pub fn repeated_by(destructive: &Destructive) -> &'static [&'static str] {
    match destructive {
        Destructive::SetNotNull { .. } => &["MF102"],
        Destructive::TypeChange { .. } => &["DS105", "MF107"],
        Destructive::DropEnumValue { .. } => &["DS104"],
        Destructive::DropTable(_)
        | Destructive::DropColumn { .. }
        | Destructive::NoCast { .. }
        | Destructive::UpdateExtension { .. }
        | Destructive::RebuildDropsColumns { .. }
        | Destructive::DropView(_)
        | Destructive::RestartSequence(_)
        | Destructive::RestartIdentity { .. }
        | Destructive::ColumnAddedLast { .. } => &[],
    }
}

/// A warning of `new` for stderr, with the code of its rule.
pub type NewWarning = (&'static str, String);

/// For `new`: the findings of rules that warn at generation, written as
/// `-- WARNING [CODE]: …` lines above their statements in `body` (the
/// generated up.sql without its header), each with the rows counted in the
/// configured database when it can be reached. Returns the new body and
/// the warnings for stderr, located in the written file: `offset` is the
/// number of lines before the body there.
pub fn annotate_new(
    ws: &Workspace,
    ctx: &Ctx,
    before: &Schema,
    body: &str,
    up_path: &str,
    offset: usize,
) -> Result<(String, Vec<NewWarning>), CliError> {
    let linted = lint::lint_script(
        before,
        before,
        lint::Script {
            path: up_path,
            sql: body,
            no_transaction: false,
        },
        &ws.config.lint,
    );
    let findings = match linted {
        Ok((findings, _)) => findings,
        Err(e) => {
            ctx.out.note(format!("the migration was not linted: {e}"));
            return Ok((body.to_string(), Vec::new()));
        }
    };
    let findings: Vec<Finding> = findings
        .into_iter()
        .filter(|f| f.rule.at_generation)
        .collect();
    if findings.is_empty() {
        return Ok((body.to_string(), Vec::new()));
    }
    let counts = count_rows(ws, ctx, &findings);
    let mut lines: Vec<String> = body.lines().map(str::to_string).collect();
    let mut warnings = Vec::new();
    // Bottom up, so that earlier line numbers stay right while inserting.
    let mut inserted_above: Vec<(usize, usize)> = Vec::new();
    for (i, f) in findings.iter().enumerate().rev() {
        let mut block = vec![format!(
            "-- WARNING [{}]: {}",
            f.rule.code,
            one_line(&f.message)
        )];
        block.push(format!("--   help: {}", one_line(&f.help)));
        for counted in &counts[i] {
            block.push(format!("--   {}", one_line(counted)));
        }
        let at = f.line.saturating_sub(1).min(lines.len());
        inserted_above.push((at, block.len()));
        lines.splice(at..at, block);
    }
    for (i, f) in findings.iter().enumerate() {
        // Lines inserted above this statement (its own block included).
        let shift: usize = inserted_above
            .iter()
            .filter(|(at, _)| *at <= f.line.saturating_sub(1))
            .map(|(_, n)| n)
            .sum();
        let mut text = format!(
            "{up_path}:{}:{}: [{}] {}\n  help: {}",
            f.line + offset + shift,
            f.column,
            f.rule.code,
            f.message,
            f.help
        );
        for counted in &counts[i] {
            text.push_str(&format!("\n  {counted}"));
        }
        warnings.push((f.rule.code, text));
    }
    let mut out = lines.join("\n");
    if body.ends_with('\n') {
        out.push('\n');
    }
    Ok((out, warnings))
}

fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// What each finding's probes count in the configured database: the
/// developer's own, named by `--database-url`, `DATABASE_URL` or the
/// config, or the default SQLite file when it exists. Nothing else is
/// connected to; an unreachable database means no counts, said once.
fn count_rows(ws: &Workspace, ctx: &Ctx, findings: &[Finding]) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); findings.len()];
    if findings.iter().all(|f| f.probes.is_empty()) {
        return out;
    }
    let url = match ctx.database_url(ws) {
        Ok(url) => url,
        Err(e) => {
            ctx.out.note(format!("rows not counted: {e}"));
            return out;
        }
    };
    let default_file_exists = matches!(&url.target, Target::Sqlite { path } if path.is_file());
    if !url.is_explicit() && !default_file_exists {
        ctx.out
            .note("no database configured: the rows these changes would fail on were not counted");
        return out;
    }
    let mut db = match ctx.connect(ws, &url, Open::MustExist) {
        Ok(db) => db,
        Err(e) => {
            ctx.out.note(format!(
                "cannot reach {} ({e}): the rows these changes would fail on were not counted",
                url.redacted()
            ));
            return out;
        }
    };
    let mut failed: Option<String> = None;
    for (i, f) in findings.iter().enumerate() {
        for probe in &f.probes {
            match db.count(&probe.sql(ws.dialect())) {
                Ok(n) => out[i].push(format!("in {}: {}", url.redacted(), probe.describe(n))),
                Err(e) => {
                    failed.get_or_insert_with(|| e.to_string());
                }
            }
        }
    }
    if let Some(e) = failed {
        ctx.out.note(format!(
            "some rows in {} were not counted (is it behind the migrations?): {e}",
            url.redacted()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes_what_its_syntax_uses() {
        assert_eq!(github_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(github_property("a:b,c"), "a%3Ab%2Cc");
    }
}
