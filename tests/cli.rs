//! The command line as a user sees it: help texts, and what each error says.

mod common;

use common::workspace::{Workspace, binary};

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(true);
    s
}

fn help(args: &[&str]) -> String {
    let out = std::process::Command::new(binary())
        .arg("migrate")
        .args(args)
        .arg("--help")
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn help_of_every_command() {
    let settings = snapshot_settings();
    settings.bind(|| {
        insta::assert_snapshot!("help_migrate", help(&[]));
        for cmd in [
            "init", "new", "apply", "down", "status", "diff", "check", "resolve", "hash", "reset",
            "lint", "test", "seed", "rm", "adopt", "pull",
        ] {
            insta::assert_snapshot!(format!("help_{cmd}"), help(&[cmd]));
        }
    });
}

#[test]
fn unknown_dialect_is_a_usage_error() {
    let ws = Workspace::bare();
    let run = ws.migrate(&["init", "--dialect", "mysql"]).failure();
    snapshot_settings().bind(|| insta::assert_snapshot!("error_unknown_dialect", run.stderr()));
    assert!(!ws.path("schema.sql").exists());
}

#[test]
fn unknown_command_is_a_usage_error() {
    let ws = Workspace::bare();
    ws.migrate(&["frobnicate"])
        .failure()
        .stderr_has("unrecognized subcommand 'frobnicate'");
}

#[test]
fn diff_needs_from_and_to() {
    let ws = Workspace::bare();
    ws.migrate(&["diff", "--from", "schema"])
        .failure()
        .stderr_has("--to <TO>");
}

#[test]
fn unconfigured_workspace_points_to_init() {
    let ws = Workspace::bare();
    let run = ws.migrate(&["status"]).failure();
    let err = ws.redact(&run.stderr());
    assert!(err.contains("no [workspace.metadata.migrate]"), "{err}");
    assert!(err.contains("cargo migrate init"), "{err}");
}

#[test]
fn postgres_url_on_sqlite_workspace_is_refused_without_its_password() {
    let ws = Workspace::new("sqlite", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    let run = ws
        .migrate(&[
            "apply",
            "--database-url",
            "postgres://app:hunter2@db.example/app",
        ])
        .failure();
    let err = run.stderr();
    assert!(!err.contains("hunter2"), "{err}");
    snapshot_settings().bind(|| insta::assert_snapshot!("error_url_wrong_dialect", err));
}

#[test]
fn unparseable_url_from_env_is_redacted() {
    let ws = Workspace::new("sqlite", "");
    let out = ws
        .command(&["status"])
        .env("DATABASE_URL", "mysql://root:s3cret@localhost/app")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("s3cret"), "{err}");
    // Only the scheme of a URL no parser reads can be shown.
    assert!(err.contains("`mysql://…`"), "{err}");
    assert!(!err.contains("root"), "{err}");
    assert!(err.contains("from DATABASE_URL"), "{err}");
}

#[test]
fn bad_migration_name_is_refused() {
    let ws = Workspace::new("sqlite", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    let run = ws.migrate(&["new", "AddUsers"]).failure();
    assert!(run.stderr().contains("AddUsers"), "{}", run.stderr());
    assert!(ws.migration_dirs().is_empty());
}

#[test]
fn malformed_schema_names_file_line_and_column() {
    let ws = Workspace::new(
        "sqlite",
        "CREATE TABLE ok (id INTEGER PRIMARY KEY);\n\nCREATE TABLE broken (id INTEGER PRIMARY KEY,, name TEXT);\n",
    );
    let run = ws.migrate(&["new", "init"]).failure();
    let err = run.stderr();
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("schema.sql:3:"), "{err}");
    assert!(ws.migration_dirs().is_empty());
}

#[test]
fn quiet_silences_progress_but_not_errors() {
    let ws = Workspace::new("sqlite", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    let run = ws.migrate(&["-q", "new", "init"]).success();
    assert_eq!(run.stderr(), "");
    let run = ws.migrate(&["-q", "apply"]).success();
    assert_eq!(run.stderr(), "");
    ws.migrate(&["-q", "resolve", "--applied", "1"])
        .failure()
        .stderr_has("error:");
}

#[test]
fn verbose_shows_each_statement() {
    let ws = Workspace::new("sqlite", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ws.migrate(&["new", "init"]).success();
    ws.migrate(&["-v", "apply"])
        .success()
        .stderr_has("| CREATE TABLE");
}

#[test]
fn color_always_paints_errors() {
    let ws = Workspace::bare();
    let out = ws
        .command(&["--color", "always", "status"])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("\x1b[1;31merror:"), "{err:?}");
}
