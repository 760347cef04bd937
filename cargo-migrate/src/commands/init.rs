//! `cargo migrate init [--dialect sqlite|postgres]`

use std::path::Path;

use migrate_build::Dialect;
use migrate_build::migrations::lock;
use toml_edit::{DocumentMut, Item, Table, value};

use crate::cli::InitArgs;
use crate::error::{CliError, Outcome};
use crate::workspace::Manifests;

use super::Ctx;

const SCHEMA_SQLITE: &str = include_str!("../../../templates/schema.sqlite.sql");
const SCHEMA_POSTGRES: &str = include_str!("../../../templates/schema.postgres.sql");
const BUILD_RS: &str = include_str!("../../../templates/build_rs.txt");

pub fn run(args: InitArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    let dialect: Dialect = args.dialect.into();
    let manifests = Manifests::locate(ctx.global.manifest_path.as_deref(), &ctx.cwd)?;
    // An explicit --manifest-path names the package to configure; otherwise
    // the workspace root holds the config for every member.
    let (manifest, section) = match &ctx.global.manifest_path {
        Some(_) => match &manifests.package {
            Some(p) if *p != manifests.workspace_root || !manifests.root_is_workspace => {
                (p.clone(), "package")
            }
            _ => (manifests.workspace_root.clone(), "workspace"),
        },
        None if manifests.root_is_workspace => (manifests.workspace_root.clone(), "workspace"),
        None => (manifests.workspace_root.clone(), "package"),
    };
    let base = manifest.parent().unwrap_or(Path::new(".")).to_path_buf();
    let text = read(&manifest)?;
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        CliError::Refused(format!("{}: {e}", manifest.display()))
    })?;

    let schema_path = base.join("schema.sql");
    let migrations_dir = base.join("migrations");
    let lock_path = migrations_dir.join("migrate.lock");
    let mut existing = Vec::new();
    if has_config(&doc) {
        existing.push(format!("a migrate table in {}", manifest.display()));
    }
    if schema_path.exists() {
        existing.push(schema_path.display().to_string());
    }
    if lock_path.exists() {
        existing.push(lock_path.display().to_string());
    }
    if !existing.is_empty() {
        return Err(CliError::Refused(format!(
            "this workspace is already initialised; refusing to overwrite {}",
            existing.join(", ")
        )));
    }

    let mut table = Table::new();
    table["dialect"] = value(dialect.as_str());
    table["schema"] = value("schema.sql");
    table["migrations"] = value("migrations");
    insert_config(&mut doc, section, table)?;

    write(
        &schema_path,
        match dialect {
            Dialect::Sqlite => SCHEMA_SQLITE,
            Dialect::Postgres => SCHEMA_POSTGRES,
        },
    )?;
    std::fs::create_dir_all(&migrations_dir).map_err(|source| CliError::Io {
        path: migrations_dir.clone(),
        source,
    })?;
    let migrations = if migrations_dir
        .read_dir()
        .is_ok_and(|mut d| d.next().is_some())
    {
        // An existing folder (diesel, sqlx) is imported as it is.
        migrate_build::migrations::load(&migrations_dir, dialect)?
    } else {
        Vec::new()
    };
    lock::write(&migrations_dir, &lock::compute(dialect, &migrations))?;
    write(&manifest, &doc.to_string())?;

    ctx.out.status(
        "Configured",
        format!("[{section}.metadata.migrate] in {}", manifest.display()),
    );
    ctx.out.status("Created", schema_path.display());
    ctx.out.status("Created", lock_path.display());
    ctx.out.line(format!("\n{BUILD_RS}"));
    Ok(Outcome::Ok)
}

fn has_config(doc: &DocumentMut) -> bool {
    ["workspace", "package"].iter().any(|s| {
        doc.get(s)
            .and_then(|t| t.get("metadata"))
            .and_then(|m| m.get("migrate"))
            .is_some()
    })
}

/// `[<section>.metadata.migrate]` as its own header, the parents implicit,
/// so that the rest of the file keeps its layout and comments.
fn insert_config(doc: &mut DocumentMut, section: &str, table: Table) -> Result<(), CliError> {
    let not_a_table =
        |what: &str| CliError::Refused(format!("`{what}` in Cargo.toml is not a table"));
    let parent = doc
        .entry(section)
        .or_insert_with(|| Item::Table(implicit()))
        .as_table_mut()
        .ok_or_else(|| not_a_table(section))?;
    let metadata = parent
        .entry("metadata")
        .or_insert_with(|| Item::Table(implicit()))
        .as_table_mut()
        .ok_or_else(|| not_a_table("metadata"))?;
    metadata.insert("migrate", Item::Table(table));
    Ok(())
}

fn implicit() -> Table {
    let mut t = Table::new();
    t.set_implicit(true);
    t
}

fn read(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|source| CliError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn write(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|source| CliError::Io {
        path: path.to_path_buf(),
        source,
    })
}
