//! The folders of `tests/fixtures/formats`: each tool's layout, as that tool
//! writes it, for PostgreSQL and SQLite; copied into scratch workspaces.

use std::path::{Path, PathBuf};

use super::workspace::Workspace;

/// `(format, migrations folder inside the fixture, has downs)`.
pub const FORMATS: &[(&str, &str, bool)] = &[
    ("prisma", "migrations", false),
    ("dbmate", "db/migrations", true),
    ("goose", "migrations", true),
    ("flyway", "sql", true),
    ("golang-migrate", "migrations", true),
    ("atlas", "migrations", false),
    ("diesel", "migrations", true),
];

/// `(tool, fixture folder)`: each tool's history table
/// (`tests/fixtures/formats/history/<tool>_<dialect>.sql`, written as the
/// tool writes it) and the folder it was applied from. sqlx reads the
/// `.up.sql`/`.down.sql` shape golang-migrate writes.
pub const TOOLS: &[(&str, &str)] = &[
    ("prisma", "prisma"),
    ("sqlx", "golang-migrate"),
    ("diesel", "diesel"),
    ("golang-migrate", "golang-migrate"),
    ("dbmate", "dbmate"),
    ("goose", "goose"),
    ("flyway", "flyway"),
    ("atlas", "atlas"),
];

/// The history table `tool` keeps (as `TOOLS` names the tool).
pub fn history_table(tool: &str) -> &'static str {
    match tool {
        "prisma" => "_prisma_migrations",
        "sqlx" => "_sqlx_migrations",
        "diesel" => "__diesel_schema_migrations",
        "golang-migrate" | "dbmate" => "schema_migrations",
        "goose" => "goose_db_version",
        "flyway" => "flyway_schema_history",
        _ => "atlas_schema_revisions",
    }
}

/// The SQL that creates and fills `tool`'s history table on `dialect`.
pub fn history_sql(tool: &str, dialect: &str) -> String {
    std::fs::read_to_string(fixtures().join(format!("history/{tool}_{dialect}.sql"))).unwrap()
}

/// The fixtures' final schema, as a database the tools left would hold it.
pub fn schema_sql(dialect: &str) -> String {
    std::fs::read_to_string(fixtures().join(format!("schema_{dialect}.sql"))).unwrap()
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A workspace holding the `format` fixture for `dialect` ("postgres" or
/// "sqlite") with the fixture's final schema as `schema.sql`; `lock` runs
/// `cargo migrate hash` so that the folder is locked.
pub fn workspace(format: &str, dialect: &str, lock: bool) -> Workspace {
    let (_, folder, _) = FORMATS
        .iter()
        .find(|f| f.0 == format)
        .expect("known format");
    let ws = Workspace::bare();
    let manifest = ws.read("Cargo.toml");
    ws.write(
        "Cargo.toml",
        &format!(
            "{manifest}\n[workspace.metadata.migrate]\ndialect = \"{dialect}\"\nschema = \"schema.sql\"\nmigrations = \"{folder}\"\n"
        ),
    );
    let schema = std::fs::read_to_string(fixtures().join(format!("schema_{dialect}.sql"))).unwrap();
    ws.write("schema.sql", &schema);
    copy_dir(&fixtures().join(format).join(dialect), ws.root());
    if lock {
        ws.migrate(&["hash"]).success();
    }
    ws
}
