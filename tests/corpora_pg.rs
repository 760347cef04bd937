//! The acceptance test on a real server: each PostgreSQL corpus is applied
//! with `cargo migrate apply` to a fresh database, the database is read back
//! (introspection), the same files are replayed through the interpreter, and
//! the two schemas must be equal. Where the corpus's own down files are valid
//! upstream, `cargo migrate down` then reverts everything and the database
//! must be empty again. Finally the replayed schema is written out as one
//! migration from an empty database (what `cargo migrate new` writes for a
//! `schema.sql` holding it), applied to another fresh database, and must
//! read back equal again.

mod common;

use std::path::Path;
use std::time::Instant;

use cargo_migrate::introspect::postgres::introspect;
use migrate_build::ddl::{self, SourceFile};
use migrate_build::diff::{describe, diff};
use migrate_build::migrations::{self, Migration};
use migrate_build::schema::Schema;
use migrate_build::{Dialect, dialect::render_script};

use common::pg::TestDb;
use common::workspace::{Run, Workspace, corpora};

const HISTORY: &str = "public._migrate_history";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A postgres workspace whose migrations folder is a copy of `folder`.
fn workspace(folder: &Path) -> Workspace {
    let ws = Workspace::bare();
    let manifest = ws.read("Cargo.toml");
    ws.write(
        "Cargo.toml",
        &format!(
            "{manifest}\n[workspace.metadata.migrate]\ndialect = \"postgres\"\nschema = \"schema.sql\"\nmigrations = \"migrations\"\n"
        ),
    );
    ws.write("schema.sql", "");
    copy_dir(folder, &ws.path("migrations"));
    ws.migrate(&["hash"]).success();
    ws
}

fn run(ws: &Workspace, db: &TestDb, args: &[&str]) -> Run {
    Run {
        output: ws
            .command(args)
            .env("DATABASE_URL", &db.url)
            .output()
            .unwrap(),
    }
}

fn replay<'m>(migrations: impl IntoIterator<Item = &'m Migration>) -> Schema {
    let mut schema = Schema::empty(Dialect::Postgres);
    for m in migrations {
        let path = m.up.path.display().to_string();
        if let Err(e) = ddl::apply(
            &mut schema,
            SourceFile {
                path: &path,
                sql: &m.up.sql,
            },
        ) {
            panic!("replay: {e}");
        }
    }
    schema.sort();
    schema
}

fn live(db: &mut TestDb) -> Schema {
    let mut schema = introspect(&mut db.client, &[], &[HISTORY]).unwrap();
    schema.sort();
    schema
}

/// Every difference between the replayed and the live schema, in words.
fn differences(replayed: &Schema, live: &Schema) -> Vec<String> {
    diff(replayed, live)
        .steps
        .iter()
        .map(|s| describe(&s.step))
        .collect()
}

/// Applies `folder` up to `to` (all when `None`), compares, and returns the
/// workspace, the database and the migrations applied.
fn apply_and_compare(
    corpus: &str,
    folder: &Path,
    to: Option<&str>,
) -> Option<(Workspace, TestDb, Vec<Migration>)> {
    let mut db = TestDb::new()?;
    let ws = workspace(folder);
    let all = migrations::load(&ws.path("migrations"), Dialect::Postgres).unwrap();
    let applied: Vec<Migration> = all
        .into_iter()
        .filter(|m| to.is_none_or(|t| m.version.as_str() <= t))
        .collect();
    let start = Instant::now();
    let mut args = vec!["apply"];
    if let Some(t) = to {
        args.extend(["--to", t]);
    }
    run(&ws, &db, &args).success();
    let seconds = start.elapsed().as_secs_f64();
    let rows = db
        .client
        .query_one(
            &format!("SELECT count(*) FROM {HISTORY} WHERE success"),
            &[],
        )
        .unwrap()
        .get::<_, i64>(0);
    assert_eq!(rows as usize, applied.len(), "{corpus}: history rows");

    let live = live(&mut db);
    let replayed = replay(&applied);
    let found = differences(&replayed, &live);
    println!(
        "{corpus}: {} migrations applied in {seconds:.1} s; {} tables, {} indexes, {} enums, {} views; {} difference(s)",
        applied.len(),
        live.tables.len(),
        live.indexes.len(),
        live.enums.len(),
        live.views.len(),
        found.len()
    );
    if let Some(dir) = std::env::var_os("CORPUS_DUMP") {
        let dir = Path::new(&dir);
        std::fs::write(
            dir.join(format!("{corpus}.replayed")),
            format!("{replayed:#?}"),
        )
        .unwrap();
        std::fs::write(dir.join(format!("{corpus}.live")), format!("{live:#?}")).unwrap();
    }
    assert!(
        found.is_empty(),
        "{corpus}: the interpreter and the server disagree (replayed → live):\n  {}",
        found.join("\n  ")
    );
    assert!(!live.tables.is_empty(), "{corpus}: nothing was created");
    render_and_apply(corpus, &replayed);
    Some((ws, db, applied))
}

/// The SQL the engine writes to create `schema` from nothing runs on a real
/// server and gives back `schema`.
fn render_and_apply(corpus: &str, schema: &Schema) {
    let Some(mut db) = TestDb::new() else { return };
    let plan = diff(&Schema::empty(Dialect::Postgres), schema);
    let script = render_script(&plan, Dialect::Postgres).unwrap();
    if let Err(e) = db
        .client
        .batch_execute(&format!("BEGIN;\n{script}\nCOMMIT;"))
    {
        let dump = std::env::temp_dir().join(format!("{corpus}-rendered.sql"));
        std::fs::write(&dump, &script).unwrap();
        panic!(
            "{corpus}: the rendered schema does not apply ({e:?}); script in {}",
            dump.display()
        );
    }
    let found = differences(schema, &live(&mut db));
    println!(
        "{corpus}: rendered from empty, {} statements; {} difference(s)",
        script.matches(";\n").count(),
        found.len()
    );
    assert!(
        found.is_empty(),
        "{corpus}: the rendered schema reads back different (rendered → live):\n  {}",
        found.join("\n  ")
    );
}

/// Reverts everything with the corpus's own down files, newest first. The
/// database must then hold no table, view, type, index or sequence, and
/// agree with the interpreter's replay of the same ups and downs (which also
/// covers what the downs leave on purpose, such as extensions).
fn down_to_empty(corpus: &str, ws: &Workspace, mut db: TestDb, applied: &[Migration]) {
    let start = Instant::now();
    let steps = applied.len().to_string();
    run(ws, &db, &["down", "--steps", &steps]).success();
    let seconds = start.elapsed().as_secs_f64();
    let left = live(&mut db);
    let rows: i64 = db
        .client
        .query_one(&format!("SELECT count(*) FROM {HISTORY}"), &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, 0, "{corpus}: history rows left");

    let mut replayed = replay(applied);
    for m in applied.iter().rev() {
        let Some(down) = &m.down else { continue };
        let path = down.path.display().to_string();
        if let Err(e) = ddl::apply(
            &mut replayed,
            SourceFile {
                path: &path,
                sql: &down.sql,
            },
        ) {
            panic!("replay of the downs: {e}");
        }
    }
    replayed.sort();
    let found = differences(&replayed, &left);
    println!(
        "{corpus}: {} migrations reverted in {seconds:.1} s; left: {} extension(s); {} difference(s)",
        applied.len(),
        left.extensions.len(),
        found.len()
    );
    assert!(
        found.is_empty(),
        "{corpus}: after the downs the interpreter and the server disagree:\n  {}",
        found.join("\n  ")
    );
    let mut objects = left.clone();
    objects.extensions.clear();
    assert!(
        objects.is_empty(),
        "{corpus}: left after reverting everything:\n  {}",
        differences(&Schema::empty(Dialect::Postgres), &objects).join("\n  ")
    );
}

#[test]
fn crates_io() {
    let Some(root) = corpora() else { return };
    apply_and_compare("crates-io", &root.join("crates-io/migrations"), None);
}

#[test]
fn docs_rs() {
    let Some(root) = corpora() else { return };
    let Some((ws, db, applied)) =
        apply_and_compare("docs-rs", &root.join("docs-rs/migrations"), None)
    else {
        return;
    };
    down_to_empty("docs-rs", &ws, db, &applied);
}

#[test]
fn ory_kratos() {
    let Some(root) = corpora() else { return };
    let Some((ws, db, applied)) =
        apply_and_compare("ory-kratos", &root.join("ory-kratos/migrations/sql"), None)
    else {
        return;
    };
    down_to_empty("ory-kratos", &ws, db, &applied);
}

#[test]
fn atuin_server() {
    let Some(root) = corpora() else { return };
    apply_and_compare(
        "atuin-server-postgres",
        &root.join("atuin/atuin-server-postgres/migrations"),
        None,
    );
}

/// Up to the migration before `2025-08-01-000016_smoosh-tables-together`,
/// which needs PostgreSQL 16 (lemmy's README); the interpreter alone replays
/// all 342 in `corpora_replay.rs`.
#[test]
fn lemmy_up_to_the_postgres_16_migration() {
    let Some(root) = corpora() else { return };
    let folder = root.join("lemmy/migrations");
    let all = migrations::load(&folder, Dialect::Postgres).unwrap();
    let pg16 = all
        .iter()
        .position(|m| m.name == "smoosh-tables-together")
        .expect("lemmy's PostgreSQL 16 migration");
    let before = all[pg16 - 1].version.clone();
    apply_and_compare("lemmy", &folder, Some(&before));
}
