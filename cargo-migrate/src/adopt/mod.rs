//! Adopting another tool's history: find its table in the database, read
//! its rows as that tool writes them, match them with the migrations
//! folder, and say what `cargo migrate adopt` would record. Nothing here
//! writes; `commands/adopt.rs` records the matches.

pub mod checksums;

use migrate_build::migrations::Migration;

use crate::db::{Database, DbError};

/// Another tool's history table.
pub struct Tool {
    pub name: &'static str,
    /// As found (`schema.table` when the tool keeps it in its own schema).
    pub table: String,
}

/// Tables other tools keep their history in, in the order they are looked
/// for; `schema_migrations` (golang-migrate, dbmate, Rails) is told apart by
/// its columns.
const TABLES: &[(&str, &str)] = &[
    ("Prisma", "_prisma_migrations"),
    ("sqlx", "_sqlx_migrations"),
    ("diesel", "__diesel_schema_migrations"),
    ("Flyway", "flyway_schema_history"),
    ("goose", "goose_db_version"),
    ("Atlas", "atlas_schema_revisions.atlas_schema_revisions"),
    ("Atlas", "atlas_schema_revisions"),
    ("schema_migrations", "schema_migrations"),
];

/// Every other tool's history table the database has.
pub fn find_tools(db: &mut dyn Database) -> Result<Vec<Tool>, DbError> {
    let mut found: Vec<Tool> = Vec::new();
    for (name, table) in TABLES {
        if found.iter().any(|t| t.name == *name) {
            continue;
        }
        // SQLite has no schemas: a dotted name would be read as a database.
        if table.contains('.') && db.dialect() == migrate_build::Dialect::Sqlite {
            continue;
        }
        if db.table_exists(table)? {
            let name = if *name == "schema_migrations" {
                if db
                    .select_text("SELECT version, dirty FROM schema_migrations LIMIT 0")
                    .is_ok()
                {
                    "golang-migrate"
                } else {
                    "dbmate"
                }
            } else {
                name
            };
            found.push(Tool {
                name,
                table: table.to_string(),
            });
        }
    }
    Ok(found)
}

/// What a checksum comparison found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sum {
    /// The tool keeps no checksum.
    None,
    Matches(&'static str),
    Differs {
        algorithm: &'static str,
        kept: String,
        file: String,
    },
}

/// One migration of the folder, and what the other tool recorded of it.
pub struct Row<'m> {
    pub migration: &'m Migration,
    pub applied: bool,
    pub sum: Sum,
}

/// What the other tool's table says, matched with the folder.
pub struct Matched<'m> {
    pub rows: Vec<Row<'m>>,
    /// Everything that stops the adoption, each with what to do.
    pub refusals: Vec<String>,
}

/// One applied migration as the other tool recorded it.
struct Entry {
    version: String,
    checksum: Option<String>,
}

fn same_version(a: &str, b: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if digits(a) && digits(b) {
        a.trim_start_matches('0') == b.trim_start_matches('0')
    } else {
        a == b
    }
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn truthy(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("1" | "true" | "t"))
}

/// Reads `tool`'s rows and matches them with `local` (the folder, in order).
pub fn read_and_match<'m>(
    db: &mut dyn Database,
    tool: &Tool,
    local: &'m [Migration],
    atlas_sums: &[(String, String)],
) -> Result<Matched<'m>, DbError> {
    let t = &tool.table;
    let mut refusals = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    // golang-migrate keeps only the current version: everything up to it is applied.
    let mut up_to: Option<String> = None;
    let algorithm: Option<&'static str>;
    match tool.name {
        "Prisma" => {
            algorithm = Some("sha256");
            let rows = db.select_text(&format!(
                "SELECT migration_name, checksum, finished_at IS NOT NULL, rolled_back_at IS NOT NULL \
                 FROM {t} ORDER BY started_at, migration_name"
            ))?;
            for r in rows {
                let name = text(&r[0]);
                match (truthy(&r[2]), truthy(&r[3])) {
                    (_, true) => {} // rolled back: not applied
                    (true, false) => entries.push(Entry {
                        version: name.split('_').next().unwrap_or_default().to_string(),
                        checksum: r[1].clone(),
                    }),
                    (false, false) => refusals.push(format!(
                        "Prisma recorded {name} as failed (started, never finished)\nhelp: settle it with \
                         `prisma migrate resolve --applied {name}` or `--rolled-back {name}`, then run `cargo migrate adopt` again"
                    )),
                }
            }
        }
        "sqlx" => {
            algorithm = Some("sha384");
            for r in db.select_text(&format!(
                "SELECT version, checksum, success FROM {t} ORDER BY version"
            ))? {
                let version = text(&r[0]);
                if !truthy(&r[2]) {
                    refusals.push(format!(
                        "sqlx recorded migration {version} as failed (success = false)\nhelp: fix the database by hand and \
                         delete or repair its row in {t} (`sqlx migrate` refuses it too), then run `cargo migrate adopt` again"
                    ));
                    continue;
                }
                entries.push(Entry {
                    version,
                    checksum: r[1].clone(),
                });
            }
        }
        "diesel" => {
            algorithm = None;
            for r in db.select_text(&format!("SELECT version FROM {t} ORDER BY version"))? {
                entries.push(Entry {
                    version: text(&r[0]).replace('-', ""),
                    checksum: None,
                });
            }
        }
        "dbmate" => {
            algorithm = None;
            for r in db.select_text(&format!("SELECT version FROM {t} ORDER BY version"))? {
                entries.push(Entry {
                    version: text(&r[0]),
                    checksum: None,
                });
            }
        }
        "golang-migrate" => {
            algorithm = None;
            for r in db.select_text(&format!("SELECT version, dirty FROM {t}"))? {
                let version = text(&r[0]);
                if truthy(&r[1]) {
                    refusals.push(format!(
                        "golang-migrate marked version {version} dirty (it failed halfway)\nhelp: repair the database, then \
                         `migrate force <last good version>`, and run `cargo migrate adopt` again"
                    ));
                }
                up_to = Some(version);
            }
        }
        "goose" => {
            algorithm = None;
            // The newest row of a version says whether it is applied.
            let mut latest: Vec<(String, bool)> = Vec::new();
            for r in db.select_text(&format!(
                "SELECT version_id, is_applied FROM {t} ORDER BY id"
            ))? {
                let version = text(&r[0]);
                latest.retain(|(v, _)| v != &version);
                latest.push((version, truthy(&r[1])));
            }
            for (version, applied) in latest {
                // Version 0 is the row goose writes when it creates its table.
                if applied && version != "0" {
                    entries.push(Entry {
                        version,
                        checksum: None,
                    });
                }
            }
        }
        "Flyway" => {
            algorithm = Some("crc32");
            let mut latest: Vec<(String, Option<String>, bool)> = Vec::new();
            for r in db.select_text(&format!(
                "SELECT version, type, checksum, success, script FROM {t} ORDER BY installed_rank"
            ))? {
                let ty = text(&r[1]);
                let version = r[0].clone();
                if !truthy(&r[3]) {
                    refusals.push(format!(
                        "Flyway recorded {} as failed\nhelp: run `flyway repair` after fixing the database, then `cargo migrate adopt` again",
                        text(&r[4])
                    ));
                    continue;
                }
                match (ty.as_str(), version) {
                    ("SCHEMA" | "DELETE", _) => {}
                    // A repeatable migration: no version, its script names it.
                    ("SQL", None) => {
                        let script = text(&r[4]);
                        let file = script.rsplit(['/', '\\']).next().unwrap_or_default();
                        let description = file
                            .strip_prefix("R__")
                            .and_then(|f| f.strip_suffix(".sql"))
                            .unwrap_or(file);
                        let v = format!("{}{description}", migrate_build::migrations::REPEATABLE_PREFIX);
                        latest.retain(|(x, _, _)| x != &v);
                        latest.push((v, r[2].clone(), true));
                    }
                    ("SQL", Some(v)) => {
                        latest.retain(|(x, _, _)| x != &v);
                        latest.push((v, r[2].clone(), true));
                    }
                    ("UNDO_SQL", Some(v)) => {
                        latest.retain(|(x, _, _)| x != &v);
                        latest.push((v, None, false));
                    }
                    (other, _) => refusals.push(format!(
                        "Flyway row for {} has type {other}, which is not read (baselines have no counterpart here)\nhelp: record those migrations by hand with `cargo migrate resolve`, or \
                         write their state as versioned migrations",
                        text(&r[4])
                    )),
                }
            }
            for (version, checksum, applied) in latest {
                if applied {
                    entries.push(Entry { version, checksum });
                }
            }
        }
        "Atlas" => {
            algorithm = Some("atlas.sum");
            for r in db.select_text(&format!(
                "SELECT version, applied, total, error, hash FROM {t} ORDER BY version"
            ))? {
                let version = text(&r[0]);
                if r[3].is_some() || text(&r[1]) != text(&r[2]) {
                    refusals.push(format!(
                        "Atlas recorded revision {version} as partly applied or failed ({} of {} statements{})\nhelp: \
                         fix it with `atlas migrate apply` or `atlas schema apply`, then run `cargo migrate adopt` again",
                        text(&r[1]),
                        text(&r[2]),
                        r[3].as_deref().map(|e| format!(": {e}")).unwrap_or_default()
                    ));
                    continue;
                }
                entries.push(Entry {
                    version,
                    checksum: r[4].clone(),
                });
            }
        }
        _ => algorithm = None,
    }

    let mut rows: Vec<Row<'m>> = local
        .iter()
        .map(|m| Row {
            migration: m,
            applied: false,
            sum: Sum::None,
        })
        .collect();
    if let Some(current) = &up_to {
        let current_num = current.parse::<u128>().ok();
        if !local.iter().any(|m| same_version(&m.version, current)) && current != "0" {
            refusals.push(format!(
                "{} is at version {current}, which the migrations folder does not have\nhelp: restore that migration \
                 in the folder, or point `migrations` at the folder the database was migrated with",
                tool.name
            ));
        }
        for row in &mut rows {
            let v = row.migration.version.parse::<u128>().ok();
            row.applied = matches!((v, current_num), (Some(v), Some(c)) if v <= c);
        }
    }
    let mut missing = Vec::new();
    for e in &entries {
        let Some(row) = rows
            .iter_mut()
            .find(|r| same_version(&r.migration.version, &e.version))
        else {
            missing.push(e.version.clone());
            continue;
        };
        row.applied = true;
        let (Some(algorithm), Some(kept)) = (algorithm, &e.checksum) else {
            continue;
        };
        let bytes = std::fs::read(&row.migration.up.path).map_err(|e| DbError::Query {
            context: "reading a migration file",
            message: e.to_string(),
        })?;
        let (ok, file) = match algorithm {
            "sha256" => (checksums::prisma_matches(&bytes, kept), String::new()),
            "sha384" => {
                let file = checksums::sqlx(&bytes);
                (file == kept.to_ascii_lowercase(), file)
            }
            "crc32" => {
                let file = checksums::flyway(&bytes).to_string();
                (file == kept.trim(), file)
            }
            _ => {
                let name = row
                    .migration
                    .up
                    .path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                let file = atlas_sums
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, h)| h.clone())
                    .unwrap_or_default();
                (file == kept.trim_start_matches("h1:"), file)
            }
        };
        row.sum = if ok {
            Sum::Matches(algorithm)
        } else if row.migration.is_repeatable() {
            // Changed since Flyway ran it: pending, and `apply` runs it
            // again, as Flyway would.
            row.applied = false;
            Sum::None
        } else {
            Sum::Differs {
                algorithm,
                kept: kept.clone(),
                file,
            }
        };
    }
    if !missing.is_empty() {
        refusals.push(format!(
            "{} recorded migration(s) the folder does not have: {}\nhelp: restore them in the migrations folder \
             (or point `migrations` at the folder the database was migrated with)",
            tool.name,
            missing.join(", ")
        ));
    }
    for row in &rows {
        if let Sum::Differs {
            algorithm,
            kept,
            file,
        } = &row.sum
        {
            refusals.push(format!(
                "{}: the file changed since {} applied it ({algorithm} kept {kept}, the file has {})\nhelp: restore the file \
                 as it was applied (`git log -p` on it), then run `cargo migrate adopt` again",
                crate::db::display_path(&row.migration.up.path),
                tool.name,
                if file.is_empty() { "another" } else { file }
            ));
        }
    }
    Ok(Matched { rows, refusals })
}

/// The columns each tool's history table has, as the tool creates it: the
/// ones it always has, and every one it may have (versions add some). A
/// table of that name is the tool's only when its columns are within these
/// and include the first list; otherwise it is the application's own.
const SHAPES: &[(&str, &str, &[&str], &[&str])] = &[
    (
        "Prisma",
        "_prisma_migrations",
        &["id", "checksum", "migration_name", "started_at"],
        &[
            "id",
            "checksum",
            "finished_at",
            "migration_name",
            "logs",
            "rolled_back_at",
            "started_at",
            "applied_steps_count",
        ],
    ),
    (
        "sqlx",
        "_sqlx_migrations",
        &["version", "checksum", "success"],
        &[
            "version",
            "description",
            "installed_on",
            "success",
            "checksum",
            "execution_time",
        ],
    ),
    (
        "diesel",
        "__diesel_schema_migrations",
        &["version"],
        &["version", "run_on"],
    ),
    (
        "golang-migrate, dbmate or Rails",
        "schema_migrations",
        &["version"],
        &["version", "dirty"],
    ),
    (
        "goose",
        "goose_db_version",
        &["version_id", "is_applied"],
        &["id", "version_id", "is_applied", "tstamp"],
    ),
    (
        "Flyway",
        "flyway_schema_history",
        &["installed_rank", "version", "script", "success"],
        &[
            "installed_rank",
            "version",
            "description",
            "type",
            "script",
            "checksum",
            "installed_by",
            "installed_on",
            "execution_time",
            "success",
        ],
    ),
    (
        "Atlas",
        "atlas_schema_revisions",
        &["version", "applied", "total", "hash"],
        &[
            "version",
            "description",
            "type",
            "applied",
            "total",
            "executed_at",
            "execution_time",
            "error",
            "error_stmt",
            "hash",
            "partial_hashes",
            "operator_version",
        ],
    ),
];

/// The tool whose history table `table` is, by its name and columns.
fn history_of(table: &migrate_build::schema::Table) -> Option<&'static str> {
    let (tool, _, required, allowed) = SHAPES
        .iter()
        .find(|(_, name, _, _)| table.name.name.eq_ignore_ascii_case(name))?;
    let has = |c: &str| {
        table
            .columns
            .iter()
            .any(|col| col.name.eq_ignore_ascii_case(c))
    };
    let fits = required.iter().all(|c| has(c))
        && table
            .columns
            .iter()
            .all(|col| allowed.iter().any(|a| col.name.eq_ignore_ascii_case(a)));
    fits.then_some(*tool)
}

/// Another tool's history table left out of a comparison.
pub struct LeftOut {
    pub table: migrate_build::schema::QualifiedName,
    pub tool: &'static str,
}

/// Takes out of `live` the history tables of other tools that `expected`
/// does not have, with their indexes, owned sequences and Atlas's schema:
/// the other tool made them, no migration did, and adopting leaves them
/// alone. A table is taken by its name and its columns ([`SHAPES`]), so an
/// application table that merely shares a name stays. Nothing is taken when
/// the config says `foreign_history = "compare"`.
pub fn without_foreign_history(
    live: &mut migrate_build::Schema,
    expected: &migrate_build::Schema,
    config: &migrate_build::config::Config,
) -> Vec<LeftOut> {
    if !config.ignore_foreign_history {
        return Vec::new();
    }
    let left_out: Vec<LeftOut> = live
        .tables
        .iter()
        .filter(|t| !expected.tables.iter().any(|e| e.name == t.name))
        .filter_map(|t| {
            history_of(t).map(|tool| LeftOut {
                table: t.name.clone(),
                tool,
            })
        })
        .collect();
    let gone =
        |name: &migrate_build::schema::QualifiedName| left_out.iter().any(|l| &l.table == name);
    live.tables.retain(|t| !gone(&t.name));
    live.indexes.retain(|i| !gone(&i.table));
    live.sequences
        .retain(|s| !s.owned_by.as_ref().is_some_and(|(table, _)| gone(table)));
    // Atlas keeps its table in a schema of its own: gone with it when empty.
    let atlas = "atlas_schema_revisions";
    if !expected.namespaces.iter().any(|n| n == atlas)
        && left_out
            .iter()
            .any(|l| l.table.schema.as_deref() == Some(atlas))
        && !live
            .tables
            .iter()
            .any(|t| t.name.schema.as_deref() == Some(atlas))
    {
        live.namespaces.retain(|n| n != atlas);
    }
    left_out
}

/// The one line saying which tables were left out, and how to be rid of them.
pub fn note_left_out(
    out: &crate::output::Output,
    dialect: migrate_build::Dialect,
    left_out: &[LeftOut],
) {
    if left_out.is_empty() {
        return;
    }
    let names: Vec<String> = left_out
        .iter()
        .map(|l| format!("{} ({})", l.table, l.tool))
        .collect();
    let drops: Vec<String> = left_out
        .iter()
        .map(|l| {
            format!(
                "DROP TABLE {};",
                migrate_build::dialect::quote::qualified(&l.table, dialect)
            )
        })
        .collect();
    out.note(format!(
        "left out as another tool's migration history: {}; once that tool is no longer used, `{}` \
         (or set `foreign_history = \"compare\"` to compare it as a table of the application)",
        names.join(", "),
        drops.join(" ")
    ));
}
