//! Migrations inside the application: `examples/embedded-app` built and run
//! on SQLite and PostgreSQL, the runtime and the CLI on one database,
//! concurrent start-up, refusals, and the compile error a dropped column
//! gives. The example is built once per test process into the repository's
//! `target/` (its dependencies are the workspace's, already compiled there);
//! scratch copies build there too, under other package names.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use cargo_migrate::embedded::{EmbeddedMigration, Migrations, State};
use common::workspace::{Run, Workspace, binary};
use migrate_build::Dialect;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn example_dir() -> PathBuf {
    repo().join("examples/embedded-app")
}

fn target_dir() -> PathBuf {
    repo().join("target")
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("MIGRATE_BUILD_CHECK")
        .env_remove("RUSTFLAGS");
    cmd
}

/// The example's binary, built once (`--locked`: its Cargo.lock is committed).
fn example() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let out = cargo()
            .args(["build", "--locked", "--manifest-path"])
            .arg(example_dir().join("Cargo.toml"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "building examples/embedded-app failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        target_dir().join(format!(
            "debug/embedded-app{}",
            std::env::consts::EXE_SUFFIX
        ))
    })
}

fn run_example(url: &str) -> Output {
    Command::new(example()).arg(url).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The example's migration of `dialect`, `<version>_<name>`.
fn example_migration(dialect: &str) -> String {
    let mut names: Vec<String> = std::fs::read_dir(example_dir().join("migrations").join(dialect))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 1, "{names:?}");
    names.remove(0)
}

/// `cargo migrate` on the example's SQLite (`manifest = None`) or
/// PostgreSQL configuration, from the example's folder.
fn example_cli(manifest: Option<&str>, url: &str, args: &[&str]) -> Run {
    let mut cmd = Command::new(binary());
    cmd.arg("migrate");
    if let Some(m) = manifest {
        cmd.args(["--manifest-path", m]);
    }
    cmd.args(["--database-url", url])
        .args(args)
        .current_dir(example_dir())
        .env_remove("DATABASE_URL")
        .env("NO_COLOR", "1");
    Run {
        output: cmd.output().unwrap(),
    }
}

#[track_caller]
fn assert_ran(out: &Output, applied: Option<&str>) -> i64 {
    let stdout = text(&out.stdout);
    assert!(
        out.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        text(&out.stderr)
    );
    match applied {
        Some(id) => assert!(stdout.contains(&format!("applied {id}\n")), "{stdout}"),
        None => assert!(!stdout.contains("applied"), "{stdout}"),
    }
    let line = stdout
        .lines()
        .find(|l| l.starts_with("customer "))
        .unwrap_or_else(|| panic!("no customer printed: {stdout}"));
    let (id, rest) = line["customer ".len()..].split_once(": ").unwrap();
    assert_eq!(rest, format!("Ada Lovelace <ada+{id}@example.com>"));
    id.parse().unwrap()
}

#[test]
fn example_applies_and_queries_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("app.db").display());
    let migration = example_migration("sqlite");
    let first = assert_ran(&run_example(&url), Some(&migration));
    let second = assert_ran(&run_example(&url), None);
    assert_ne!(first, second);
    let conn = rusqlite::Connection::open(dir.path().join("app.db")).unwrap();
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 2);
    // The CLI reads what the application applied.
    example_cli(None, &url, &["status"])
        .success()
        .stdout_has(&format!("applied  {migration}"))
        .stdout_has("1 applied, 0 pending");
}

#[test]
fn example_applies_and_queries_on_postgres() {
    let mut db = test_db!();
    let migration = example_migration("postgres");
    assert_ran(&run_example(&db.url), Some(&migration));
    assert_ran(&run_example(&db.url), None);
    let rows: i64 = db
        .client
        .query_one("SELECT count(*) FROM customers", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, 2);
    example_cli(Some("postgres/Cargo.toml"), &db.url, &["status"])
        .success()
        .stdout_has(&format!("applied  {migration}"))
        .stdout_has("1 applied, 0 pending");
}

/// Eight copies of the application starting at once on one new database:
/// one applies the migration, the others wait for the run lock and find it
/// applied; every one of them starts.
fn concurrent_start(url: &str, dialect: &str) {
    let migration = example_migration(dialect);
    let children: Vec<_> = (0..8)
        .map(|_| {
            Command::new(example())
                .arg(url)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut applied = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stdout = text(&out.stdout);
        assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
        applied += stdout.matches(&format!("applied {migration}\n")).count();
        assert!(stdout.contains("customer "), "{stdout}");
    }
    assert_eq!(applied, 1, "the migration ran more than once, or never");
}

#[test]
fn eight_processes_start_at_once_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    concurrent_start(&format!("sqlite:{}", path.display()), "sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM _migrate_history"), 1);
    assert_eq!(count("SELECT count(*) FROM customers"), 8);
}

#[test]
fn eight_processes_start_at_once_on_postgres() {
    let mut db = test_db!();
    concurrent_start(&db.url, "postgres");
    let count = |db: &mut common::pg::TestDb, sql: &str| -> i64 {
        db.client.query_one(sql, &[]).unwrap().get(0)
    };
    assert_eq!(count(&mut db, "SELECT count(*) FROM _migrate_history"), 1);
    assert_eq!(count(&mut db, "SELECT count(*) FROM customers"), 8);
}

#[test]
fn checksum_mismatch_refuses_with_the_cli_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    let url = format!("sqlite:{}", path.display());
    assert_ran(&run_example(&url), Some(&example_migration("sqlite")));
    // As if the migration had been edited after it was applied.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE _migrate_history SET checksum = 'edited'", [])
        .unwrap();
    drop(conn);
    let app = run_example(&url);
    assert!(!app.status.success());
    assert!(
        !text(&app.stdout).contains("customer "),
        "it started anyway"
    );
    let cli = example_cli(None, &url, &["apply"]).failure();
    let app_err = text(&app.stderr);
    assert!(
        app_err.contains("was changed after it was applied"),
        "{app_err}"
    );
    assert_eq!(app_err, cli.stderr());
}

/// Migrations of a CLI workspace, embedded as the build script embeds them
/// (the runtime's input type), the first `n` of them.
fn embedded(ws: &Workspace, dialect: Dialect, n: usize) -> Migrations {
    let all = migrate_build::migrations::load(&ws.path("migrations"), dialect).unwrap();
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let shown = |p: &Path| leak(p.strip_prefix(ws.root()).unwrap().display().to_string());
    let list: Vec<EmbeddedMigration> = all
        .iter()
        .take(n)
        .map(|m| EmbeddedMigration {
            version: leak(m.version.clone()),
            name: leak(m.name.clone()),
            up_path: shown(&m.up.path),
            up: leak(m.up.sql.clone()),
            down_path: m.down.as_ref().map(|d| shown(&d.path)),
            down: m.down.as_ref().map(|d| leak(d.sql.clone())),
            checksum: leak(m.checksum()),
            no_transaction: m.no_transaction,
        })
        .collect();
    Migrations::new(
        dialect,
        "_migrate_history",
        None,
        Box::leak(list.into_boxed_slice()),
    )
}

/// A workspace with three migrations, each adding a table.
fn three_migrations(dialect: &str) -> Workspace {
    let mut schema = String::new();
    let ws = Workspace::new(dialect, "");
    for t in ["a", "b", "c"] {
        schema.push_str(&format!("CREATE TABLE {t} (id integer PRIMARY KEY);\n"));
        ws.write("schema.sql", &schema);
        ws.migrate(&["new", &format!("add_{t}")]).success();
    }
    assert_eq!(ws.migration_dirs().len(), 3);
    ws
}

fn states(report: &cargo_migrate::embedded::Report) -> Vec<State> {
    report.migrations.iter().map(|e| e.state).collect()
}

#[test]
fn runtime_and_cli_share_the_history_on_sqlite() {
    let ws = three_migrations("sqlite");
    let url = format!("sqlite:{}", ws.path("app.db").display());
    let mut conn = rusqlite::Connection::open(ws.path("app.db")).unwrap();
    let two = embedded(&ws, Dialect::Sqlite, 2);
    let summary = two.run(&mut conn).unwrap();
    assert_eq!(summary.applied.len(), 2, "{summary:?}");
    ws.migrate(&["--database-url", &url, "status"])
        .code_is(2)
        .stdout_has("2 applied, 1 pending");
    ws.migrate(&["--database-url", &url, "apply"])
        .success()
        .stderr_has("add_c");
    ws.migrate(&["--database-url", &url, "status"])
        .success()
        .stdout_has("3 applied, 0 pending");
    let three = embedded(&ws, Dialect::Sqlite, 3);
    assert_eq!(
        states(&three.status(&mut conn).unwrap()),
        [State::Applied; 3]
    );
    assert!(three.run(&mut conn).unwrap().applied.is_empty());
    // Two embedded migrations against three applied: the third is not the
    // application's, and it refuses, as the CLI does for a missing folder.
    let err = two.run(&mut conn).unwrap_err().to_string();
    assert!(
        err.contains("add_c is applied to the database but missing"),
        "{err}"
    );
}

#[test]
fn runtime_and_cli_share_the_history_on_postgres() {
    let db = test_db!();
    let ws = three_migrations("postgres");
    let mut client = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    let two = embedded(&ws, Dialect::Postgres, 2);
    assert_eq!(two.run(&mut client).unwrap().applied.len(), 2);
    ws.migrate(&["--database-url", &db.url, "status"])
        .code_is(2)
        .stdout_has("2 applied, 1 pending");
    ws.migrate(&["--database-url", &db.url, "apply"]).success();
    ws.migrate(&["--database-url", &db.url, "status"])
        .success()
        .stdout_has("3 applied, 0 pending");
    let three = embedded(&ws, Dialect::Postgres, 3);
    assert_eq!(
        states(&three.status(&mut client).unwrap()),
        [State::Applied; 3]
    );
    // A SQLite set on a PostgreSQL connection is refused before anything runs.
    let sqlite = Migrations::new(Dialect::Sqlite, "_migrate_history", None, &[]);
    let err = sqlite.run(&mut client).unwrap_err().to_string();
    assert!(err.contains("are for sqlite"), "{err}");
}

/// A failed migration is recorded by the runtime as the CLI records it, and
/// the CLI's `resolve` settles it for the runtime.
#[test]
fn runtime_records_a_failure_the_cli_resolves() {
    let ws = three_migrations("sqlite");
    let url = format!("sqlite:{}", ws.path("app.db").display());
    let dirs = ws.migration_dirs();
    ws.write(
        &format!("migrations/{}/up.sql", dirs[1]),
        "CREATE TABLE b (id integer PRIMARY KEY);\nINSERT INTO nowhere VALUES (1);\n",
    );
    ws.migrate(&["hash"]).success();
    let mut conn = rusqlite::Connection::open(ws.path("app.db")).unwrap();
    let all = embedded(&ws, Dialect::Sqlite, 3);
    let err = all.run(&mut conn).unwrap_err().to_string();
    assert!(err.contains("no such table: nowhere"), "{err}");
    assert!(err.contains("rolled back"), "{err}");
    ws.migrate(&["--database-url", &url, "status"])
        .code_is(2)
        .stdout_has("failed");
    let version = dirs[1].split('_').next().unwrap();
    ws.migrate(&["--database-url", &url, "resolve", "--rolled-back", version])
        .success();
    let err = all.run(&mut conn).unwrap_err().to_string();
    assert!(
        err.contains("no such table: nowhere"),
        "failed again: {err}"
    );
}

/// The example, copied: `email` dropped from schema.sql and the migrations
/// written, `cargo build` fails at the query that names `Customers::Email`.
#[test]
fn dropped_column_stops_the_build_at_its_use() {
    let scratch = tempfile::Builder::new()
        .prefix("embedded-app-")
        .tempdir()
        .unwrap();
    let root = scratch.path();
    copy_tree(&example_dir(), root);
    // Another package name: the shared target keys build-script output by
    // package name and path relative to its workspace.
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .unwrap()
        .replace("name = \"embedded-app\"", "name = \"embedded-app-dropped\"")
        .replace(
            "../../cargo-migrate",
            &repo().join("cargo-migrate").display().to_string(),
        )
        .replace(
            "../../migrate-build",
            &repo().join("migrate-build").display().to_string(),
        );
    std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    let schema = std::fs::read_to_string(root.join("schema.sql")).unwrap();
    let dropped = schema.replace("    email text NOT NULL,\n", "");
    assert_ne!(schema, dropped);
    std::fs::write(root.join("schema.sql"), dropped).unwrap();
    let build = || {
        cargo()
            .args(["build", "--offline"])
            .current_dir(root)
            .output()
            .unwrap()
    };
    // The gate first: the migrations are behind schema.sql.
    let out = build();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("drop column"),
        "{}",
        text(&out.stderr)
    );
    for manifest in [None, Some("postgres/Cargo.toml")] {
        let mut cmd = Command::new(binary());
        cmd.arg("migrate");
        if let Some(m) = manifest {
            cmd.args(["--manifest-path", m]);
        }
        let out = cmd
            .args(["new", "drop_email"])
            .current_dir(root)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let out = build();
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(!stderr.contains("build script logged errors"), "{stderr}");
    assert!(
        stderr.contains("no variant or associated item named `Email` found for enum `Customers`"),
        "{stderr}"
    );
    assert!(stderr.contains("src/main.rs"), "{stderr}");
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name.to_string_lossy().ends_with(".db") {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// The application links the runtime, not the CLI.
#[test]
fn the_application_tree_has_no_cli_dependencies() {
    let out = cargo()
        .args([
            "tree",
            "--locked",
            "--offline",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ])
        .arg("--manifest-path")
        .arg(example_dir().join("Cargo.toml"))
        .output()
        .unwrap();
    let tree = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(tree.contains("cargo-migrate v"), "{tree}");
    assert!(tree.contains("sea-query v"), "{tree}");
    for cli in ["clap", "cargo_metadata", "toml_edit"] {
        assert!(
            !tree.lines().any(|l| l.starts_with(&format!("{cli} v"))),
            "{cli} is in the application's tree:\n{tree}"
        );
    }
}

#[test]
fn runtime_on_an_async_client() {
    let db = test_db!();
    let ws = three_migrations("postgres");
    let all = embedded(&ws, Dialect::Postgres, 3);
    let connect = |rt: &tokio::runtime::Runtime| {
        rt.block_on(async {
            let (client, connection) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(connection);
            client
        })
    };
    // On a current-thread runtime the connection's task could not run while
    // the runner waits: refused, nothing applied.
    let single = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = connect(&single);
    let err = single.block_on(all.run_async(&client)).unwrap_err();
    assert!(err.to_string().contains("multi-threaded"), "{err}");
    drop(client);
    ws.migrate(&["--database-url", &db.url, "status"])
        .code_is(2)
        .stdout_has("0 applied, 3 pending");

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let client = connect(&rt);
    let summary = rt.block_on(all.run_async(&client)).unwrap();
    assert_eq!(summary.applied.len(), 3, "{summary:?}");
    let again = rt.block_on(all.run_async(&client)).unwrap();
    assert!(again.applied.is_empty());
    ws.migrate(&["--database-url", &db.url, "status"])
        .success()
        .stdout_has("3 applied, 0 pending");
}
