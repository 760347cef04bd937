//! The build gate end to end: a scratch workspace whose package has
//! `migrate-build` as a build-dependency (by path), built with the real
//! `cargo build`. All cases share one target folder under the repository's
//! `target/`, so migrate-build and its dependencies are compiled once and stay
//! warm between runs; the repository's `Cargo.lock` is copied in, so nothing
//! is resolved or fetched (`--offline`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::workspace::{Run, Workspace};

const SCHEMA: &str =
    "CREATE TABLE users (\n    id INTEGER PRIMARY KEY,\n    email TEXT NOT NULL\n);\n";
const LOYALTY: &str = "CREATE TABLE loyalty_accounts (\n    id INTEGER PRIMARY KEY,\n    points INTEGER NOT NULL\n);\n";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn target_dir() -> PathBuf {
    repo().join("target/build-gate")
}

/// A workspace configured for SQLite whose package `name` runs
/// `migrate_build::check()` in its build script, with one migration that
/// makes `SCHEMA`. Each case needs a package name of its own: cargo hashes a
/// workspace member's path relative to its workspace, so same-named packages
/// of two scratch workspaces would share (and clobber) one build-script
/// output folder in the shared target folder.
fn gated(name: &str) -> Workspace {
    let ws = Workspace::new("sqlite", SCHEMA);
    let manifest = ws
        .read("Cargo.toml")
        .replace("name = \"app\"", &format!("name = \"{name}\""));
    ws.write(
        "Cargo.toml",
        &format!(
            "{manifest}\n[build-dependencies]\nmigrate-build = {{ path = {:?} }}\n",
            repo().join("migrate-build").display().to_string()
        ),
    );
    ws.write("build.rs", "fn main() {\n    migrate_build::check();\n}\n");
    std::fs::copy(repo().join("Cargo.lock"), ws.path("Cargo.lock")).unwrap();
    ws.migrate(&["new", "create_users"]).success();
    ws
}

fn cargo_build(ws: &Workspace, env: &[(&str, &str)]) -> Run {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "--offline", "-v"])
        .current_dir(ws.root())
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("MIGRATE_BUILD_CHECK")
        .env_remove("RUSTFLAGS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run {
        output: cmd.output().unwrap(),
    }
}

/// Whether this build ran app's build script (`cargo build -v` prints the
/// command it runs).
fn ran_build_script(run: &Run) -> bool {
    run.stderr()
        .lines()
        .any(|l| l.trim_start().starts_with("Running `") && l.contains("build-script-build"))
}

#[track_caller]
fn no_panic(run: &Run) {
    let err = run.stderr();
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("RUST_BACKTRACE"), "{err}");
}

#[test]
fn in_step_passes_and_a_noop_build_does_not_rerun_the_check() {
    let ws = gated("gate-in-step");
    let first = cargo_build(&ws, &[]).success();
    assert!(ran_build_script(&first), "{}", first.stderr());
    let second = cargo_build(&ws, &[]).success();
    assert!(!ran_build_script(&second), "{}", second.stderr());
    assert!(
        second.stderr().contains("Fresh gate-in-step"),
        "{}",
        second.stderr()
    );
}

#[test]
fn edited_schema_fails_until_cargo_migrate_new() {
    let ws = gated("gate-schema");
    cargo_build(&ws, &[]).success();
    ws.write("schema.sql", &format!("{SCHEMA}{LOYALTY}"));

    let failed = cargo_build(&ws, &[])
        .code_is(101)
        .stderr_has("error: gate-schema@0.1.0: migrations/ is behind schema.sql: 1 change(s) that no migration makes:")
        .stderr_has("error: gate-schema@0.1.0:   create table `loyalty_accounts`")
        .stderr_has("error: gate-schema@0.1.0: the next migration would be:")
        .stderr_has("error: gate-schema@0.1.0:     CREATE TABLE")
        .stderr_has("error: gate-schema@0.1.0: run `cargo migrate new <name>` to write this migration")
        .stderr_has("error: build script logged errors");
    no_panic(&failed);

    ws.migrate(&["new", "add_loyalty"]).success();
    let passed = cargo_build(&ws, &[]).success();
    assert!(ran_build_script(&passed));
    assert!(!passed.stderr().contains("error:"), "{}", passed.stderr());
}

#[test]
fn editing_an_old_migration_fails_and_names_the_file() {
    let ws = gated("gate-edited");
    cargo_build(&ws, &[]).success();
    let dir = ws.migration_dirs().remove(0);
    let up = format!("migrations/{dir}/up.sql");
    ws.write(&up, &format!("{}\n-- edited later\n", ws.read(&up)));

    let failed = cargo_build(&ws, &[])
        .code_is(101)
        .stderr_has(
            "error: gate-edited@0.1.0: migrations/migrate.lock does not match the migrations:",
        )
        .stderr_has(&format!("was edited after it was locked ({up})"))
        .stderr_has("cargo migrate hash");
    no_panic(&failed);
}

#[test]
fn warn_mode_passes_with_warnings_and_says_it_is_on() {
    let ws = gated("gate-warn");
    ws.write("schema.sql", &format!("{SCHEMA}{LOYALTY}"));
    let warned = cargo_build(&ws, &[("MIGRATE_BUILD_CHECK", "warn")])
        .success()
        .stderr_has("warning: gate-warn@0.1.0: MIGRATE_BUILD_CHECK=warn: migration check failures are only warnings in this build")
        .stderr_has("warning: gate-warn@0.1.0:   create table `loyalty_accounts`");
    assert!(!warned.stderr().contains("error:"), "{}", warned.stderr());

    // Unsetting the variable reruns the check: the build fails again.
    cargo_build(&ws, &[])
        .code_is(101)
        .stderr_has("error: gate-warn@0.1.0:   create table `loyalty_accounts`");

    let off = cargo_build(&ws, &[("MIGRATE_BUILD_CHECK", "off")])
        .success()
        .stderr_has(
            "warning: gate-warn@0.1.0: MIGRATE_BUILD_CHECK=off: the migrations were NOT checked",
        );
    assert!(
        !off.stderr().contains("loyalty_accounts"),
        "{}",
        off.stderr()
    );
}

/// A Flyway folder's repeatable migration is part of the gate's replay:
/// changed without schema.sql, the build fails; changed with it, the build
/// passes without `hash` (the lock leaves repeatables out).
#[test]
fn flyway_repeatables_are_replayed_by_the_gate() {
    let ws = gated("gate-repeatable");
    let dir = ws.migration_dirs().remove(0);
    std::fs::remove_dir_all(ws.path(&format!("migrations/{dir}"))).unwrap();
    ws.write("migrations/V1__create_users.sql", SCHEMA);
    let view = |cols: &str| {
        format!(
            "DROP VIEW IF EXISTS user_emails;\nCREATE VIEW user_emails AS SELECT {cols} FROM users;\n"
        )
    };
    let declared =
        |cols: &str| format!("{SCHEMA}CREATE VIEW user_emails AS SELECT {cols} FROM users;\n");
    ws.write("migrations/R__user_emails.sql", &view("id, email"));
    ws.write("schema.sql", &declared("id, email"));
    ws.migrate(&["hash"]).success();
    cargo_build(&ws, &[]).success();

    ws.write("migrations/R__user_emails.sql", &view("email"));
    let failed = cargo_build(&ws, &[])
        .code_is(101)
        .stderr_has("error: gate-repeatable@0.1.0: migrations/ is behind schema.sql")
        .stderr_has("user_emails");
    no_panic(&failed);

    ws.write("schema.sql", &declared("email"));
    let passed = cargo_build(&ws, &[]).success();
    assert!(!passed.stderr().contains("error:"), "{}", passed.stderr());
}
