//! Replays real-world migration sets through the DDL interpreter, in the
//! order their own tools apply them, and checks the final schemas against
//! what a real database holds after applying them (numbers from the corpora
//! READMEs, measured on PostgreSQL 15 / SQLite 3.40).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use migrate_build::Dialect;
use migrate_build::ddl::{self, ApplyReport, SourceFile};
use migrate_build::schema::{Index, IndexExpr, OpaqueKind, QualifiedName, Schema};

fn corpora() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "corpora folder {} is missing (required when CI is set)",
        dir.display()
    );
    eprintln!("note: {} is missing; corpus replay skipped", dir.display());
    None
}

/// The history table diesel creates before running any migration (some
/// migrations refer to it).
const DIESEL_SETUP: &str = "CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (
    version VARCHAR(50) PRIMARY KEY NOT NULL,
    run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
)";

/// Applies `files` in order; panics with the interpreter's located error.
fn replay(corpus: &str, dialect: Dialect, files: &[PathBuf]) -> Schema {
    replay_onto(corpus, Schema::empty(dialect), files)
}

fn replay_diesel(corpus: &str, dir: &Path) -> Schema {
    let mut schema = Schema::empty(Dialect::Postgres);
    ddl::apply(
        &mut schema,
        SourceFile {
            path: "diesel setup",
            sql: DIESEL_SETUP,
        },
    )
    .unwrap();
    replay_onto(corpus, schema, &diesel(dir))
}

fn replay_onto(corpus: &str, mut schema: Schema, files: &[PathBuf]) -> Schema {
    assert!(!files.is_empty(), "{corpus}: no migration files found");
    let mut report = ApplyReport::default();
    let sources: Vec<(String, String)> = files
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let started = std::time::Instant::now();
    for (display, sql) in &sources {
        match ddl::apply(&mut schema, SourceFile { path: display, sql }) {
            Ok(r) => report.skipped.extend(r.skipped),
            Err(e) => panic!("{corpus}: {e}"),
        }
    }
    let elapsed = started.elapsed();
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &report.skipped {
        *by_kind.entry(s.kind.as_str()).or_default() += 1;
    }
    let mut opaque: BTreeMap<&str, usize> = BTreeMap::new();
    for o in &schema.opaque {
        *opaque.entry(o.kind.as_sql()).or_default() += 1;
    }
    println!(
        "{corpus}: {} files in {elapsed:.1?}, {} tables, opaque objects {opaque:?}; skipped statements by kind: {by_kind:?}",
        files.len(),
        schema.tables.len()
    );
    schema
}

/// Diesel: `<version>_<name>/up.sql`, version with `-` removed, sorted as strings.
fn diesel(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("up.sql").is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let version = name.split('_').next().unwrap().replace('-', "");
            (version, p.join("up.sql"))
        })
        .collect();
    dirs.sort();
    dirs.into_iter().map(|(_, p)| p).collect()
}

/// sqlx: `<version>_<desc>.sql` or `.up.sql`, sorted numerically.
fn sqlx(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<(u64, PathBuf)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.ends_with(".sql") && !n.ends_with(".down.sql")
        })
        .map(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            (n.split('_').next().unwrap().parse().unwrap(), p)
        })
        .collect();
    files.sort();
    files.into_iter().map(|(_, p)| p).collect()
}

/// ory/x popx: per version the dialect's file wins over the generic one;
/// versions sorted as strings; empty or comment-only files skipped.
fn popx(dir: &Path, dialects: &[&str]) -> Vec<PathBuf> {
    const KNOWN: &[&str] = &["postgres", "sqlite3", "sqlite", "mysql", "cockroach"];
    let mut chosen: BTreeMap<String, (bool, PathBuf)> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".up.sql") else {
            continue;
        };
        let stem = stem.strip_suffix(".autocommit").unwrap_or(stem);
        let (stem, dialect) = match stem.rsplit_once('.') {
            Some((s, d)) if KNOWN.contains(&d) => (s, Some(d)),
            _ => (stem, None),
        };
        let Some((version, rest)) = stem.split_once('_') else {
            continue;
        };
        if rest.contains('.') || !version.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let specific = match dialect {
            Some(d) if dialects.contains(&d) => true,
            Some(_) => continue,
            None => false,
        };
        let replace = chosen
            .get(version)
            .is_none_or(|(was_specific, _)| specific && !was_specific);
        if replace {
            chosen.insert(version.to_string(), (specific, path));
        }
    }
    chosen
        .into_values()
        .map(|(_, p)| p)
        .filter(|p| !comment_only(&std::fs::read_to_string(p).unwrap()))
        .collect()
}

fn comment_only(sql: &str) -> bool {
    ddl::split_statements(sql).is_ok_and(|s| s.is_empty())
}

fn fk_count(s: &Schema) -> usize {
    s.tables.iter().map(|t| t.foreign_keys.len()).sum()
}

/// Indexes as `pg_indexes` counts them: explicit ones plus those behind
/// primary keys and unique constraints.
fn pg_index_count(s: &Schema) -> usize {
    s.indexes.len()
        + s.tables
            .iter()
            .map(|t| usize::from(t.primary_key.is_some()) + t.uniques.len())
            .sum::<usize>()
}

fn opaque_count(s: &Schema, kind: OpaqueKind) -> usize {
    s.opaque.iter().filter(|o| o.kind == kind).count()
}

fn has_expression(i: &Index) -> bool {
    i.columns
        .iter()
        .any(|c| matches!(c.expr, IndexExpr::Expression(_)))
}

fn column_type(s: &Schema, table: &str, column: &str) -> String {
    let t = s.table(&QualifiedName::new(table)).unwrap();
    t.column(column, s.dialect).unwrap().ty.to_string()
}

#[test]
fn crates_io() {
    let Some(root) = corpora() else { return };
    let s = replay_diesel("crates-io", &root.join("crates-io/migrations"));
    // Counting diesel's own `__diesel_schema_migrations`, as the README does.
    assert_eq!(s.tables.len(), 36);
    assert_eq!(s.views.iter().filter(|v| v.materialized).count(), 1);
    assert_eq!(fk_count(&s), 35);
    assert_eq!(s.sequences.len(), 17);
    assert_eq!(pg_index_count(&s), 85);
    assert_eq!(column_type(&s, "crates", "name"), "character varying");
    assert_eq!(opaque_count(&s, OpaqueKind::Function), 31);
    assert_eq!(opaque_count(&s, OpaqueKind::Trigger), 25);
    assert_eq!(
        s.indexes.iter().filter(|i| i.predicate.is_some()).count(),
        4
    );
    assert_eq!(s.indexes.iter().filter(|i| has_expression(i)).count(), 8);
    assert_eq!(s.indexes.iter().filter(|i| i.method.is_some()).count(), 4);
}

#[test]
fn docs_rs() {
    let Some(root) = corpora() else { return };
    let s = replay(
        "docs-rs",
        Dialect::Postgres,
        &sqlx(&root.join("docs-rs/migrations")),
    );
    assert_eq!(s.tables.len(), 18);
    assert_eq!(s.enums.len(), 2);
    assert_eq!(s.sequences.len(), 8);
    assert_eq!(fk_count(&s), 11);
    assert_eq!(pg_index_count(&s), 40);
}

#[test]
fn ory_kratos_postgres() {
    let Some(root) = corpora() else { return };
    let files = popx(&root.join("ory-kratos/migrations/sql"), &["postgres"]);
    assert_eq!(files.len(), 325);
    let s = replay("ory-kratos (postgres)", Dialect::Postgres, &files);
    assert_eq!(s.tables.len(), 26);
    assert_eq!(fk_count(&s), 55);
    assert_eq!(s.tables.iter().map(|t| t.checks.len()).sum::<usize>(), 2);
    assert_eq!(pg_index_count(&s), 94);
    assert_eq!(column_type(&s, "identities", "id"), "uuid");
}

#[test]
fn ory_kratos_sqlite() {
    let Some(root) = corpora() else { return };
    let files = popx(
        &root.join("ory-kratos/migrations/sql"),
        &["sqlite3", "sqlite"],
    );
    assert_eq!(files.len(), 538);
    let s = replay("ory-kratos (sqlite)", Dialect::Sqlite, &files);
    assert_eq!(s.tables.len(), 26);
    assert!(
        s.tables.iter().all(|t| !t.name.name.starts_with("_")),
        "rebuild temporaries left"
    );
}

#[test]
fn atuin() {
    let Some(root) = corpora() else { return };
    let root = root.join("atuin");
    let s = replay(
        "atuin-server-postgres",
        Dialect::Postgres,
        &sqlx(&root.join("atuin-server-postgres/migrations")),
    );
    assert!(s.table(&QualifiedName::new("history")).is_some());
    assert!(s.enums.iter().any(|e| e.name.name == "event_type"));
    for dir in [
        "atuin-server-sqlite/migrations",
        "atuin-client/migrations",
        "atuin-client/record-migrations",
        "atuin-client/meta-migrations",
        "atuin-kv/migrations",
        "atuin-scripts/migrations",
        "atuin-ai/migrations",
    ] {
        let s = replay(dir, Dialect::Sqlite, &sqlx(&root.join(dir)));
        assert!(!s.tables.is_empty(), "{dir}: no tables");
    }
}

#[test]
fn chinook() {
    let Some(root) = corpora() else { return };
    let dir = root.join("chinook/DataSources");
    for (file, dialect) in [
        ("Chinook_PostgreSql.sql", Dialect::Postgres),
        ("Chinook_PostgreSql_SerialPKs.sql", Dialect::Postgres),
        ("Chinook_Sqlite.sql", Dialect::Sqlite),
        ("Chinook_Sqlite_AutoIncrementPKs.sql", Dialect::Sqlite),
    ] {
        let s = replay(file, dialect, &[dir.join(file)]);
        assert_eq!(s.tables.len(), 11, "{file}");
        assert_eq!(fk_count(&s), 11, "{file}");
        assert_eq!(s.indexes.len(), 11, "{file}");
    }
}

#[test]
fn lemmy() {
    let Some(root) = corpora() else { return };
    let s = replay_diesel("lemmy", &root.join("lemmy/migrations"));
    assert_eq!(s.tables.len(), 59);
    assert_eq!(s.enums.len(), 16);
    assert_eq!(fk_count(&s), 113);
    assert_eq!(opaque_count(&s, OpaqueKind::Statistics), 5);
    // Not in the README: counted on PostgreSQL 15 after all 342 migrations
    // (with the README's alias fix), in schemas public and utils.
    assert_eq!(opaque_count(&s, OpaqueKind::Function), 9);
    assert_eq!(opaque_count(&s, OpaqueKind::Trigger), 1);
    assert_eq!(pg_index_count(&s), 291);
    assert_eq!(
        s.indexes.iter().filter(|i| i.predicate.is_some()).count(),
        37
    );
    assert_eq!(s.indexes.iter().filter(|i| has_expression(i)).count(), 13);
}
