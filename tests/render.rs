//! The snapshot catalogue: for every case folder under `tests/cases/`, the SQL
//! the engine writes (up and down) for each dialect the case applies to, pinned
//! by insta snapshots in `snapshots/` (one per case and dialect), and the
//! replay property: interpreting the generated `up.sql` on top of `from.sql`
//! gives a schema equal to `to.sql`, and `down.sql` brings `from.sql` back.

use std::path::{Path, PathBuf};

use migrate_build::ddl::{self, SourceFile};
use migrate_build::{Dialect, Schema, dialect, diff};

fn dialects_for(case: &str) -> Vec<Dialect> {
    if case.ends_with("_pg") {
        vec![Dialect::Postgres]
    } else if case.ends_with("_sqlite") {
        vec![Dialect::Sqlite]
    } else {
        vec![Dialect::Postgres, Dialect::Sqlite]
    }
}

fn parse(dialect: Dialect, path: &Path) -> Result<Schema, String> {
    let sql = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let display = path.display().to_string();
    let file = SourceFile { path: &display, sql: &sql };
    let (schema, _) = ddl::parse_schema(dialect, &[file]).map_err(|e| e.to_string())?;
    Ok(schema)
}

fn replay(mut schema: Schema, script: &str, label: &str) -> Result<Schema, String> {
    ddl::apply(&mut schema, SourceFile { path: label, sql: script })
        .map_err(|e| format!("generated SQL does not replay: {e}\n--- {label} ---\n{script}"))?;
    Ok(schema)
}

fn same(actual: &Schema, expected: &Schema, label: &str, script: &str) -> Result<(), String> {
    let left = diff::diff(actual, expected);
    if left.is_empty() {
        return Ok(());
    }
    let steps: Vec<String> = left.steps.iter().map(|s| format!("  {}", diff::describe(&s.step))).collect();
    Err(format!(
        "replaying {label} left differences:\n{}\n--- {label} ---\n{script}",
        steps.join("\n")
    ))
}

/// Up and down SQL of one case, each checked by replaying it.
fn run_case(case_dir: &Path, dialect: Dialect) -> Result<(String, String), String> {
    let from = parse(dialect, &case_dir.join("from.sql"))?;
    let to = parse(dialect, &case_dir.join("to.sql"))?;
    let up_plan = diff::diff(&from, &to);
    let down_plan = diff::diff(&to, &from);
    if up_plan.is_empty() {
        return Err("from.sql and to.sql do not differ".into());
    }
    let up = dialect::render_script(&up_plan, dialect).map_err(|e| format!("up: {e}"))?;
    let down = dialect::render_script(&down_plan, dialect).map_err(|e| format!("down: {e}"))?;
    let after_up = replay(from.clone(), &up, "up.sql")?;
    same(&after_up, &to, "up.sql", &up)?;
    let after_down = replay(after_up, &down, "down.sql")?;
    same(&after_down, &from, "down.sql", &down)?;
    Ok((up, down))
}

fn case_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("to.sql").is_file())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn catalogue() {
    let mut runs = 0;
    let mut expected_snapshots = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    for case_dir in case_dirs() {
        let case = case_dir.file_name().unwrap().to_str().unwrap().to_string();
        for dialect in dialects_for(&case) {
            runs += 1;
            let name = format!("{case}@{dialect}");
            expected_snapshots.push(format!("{name}.snap"));
            let (up, down) = match run_case(&case_dir, dialect) {
                Ok(sql) => sql,
                Err(e) => {
                    failures.push(format!("{name}: {e}"));
                    continue;
                }
            };
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path("../snapshots");
            settings.set_prepend_module_to_snapshot(false);
            settings.set_omit_expression(true);
            settings.set_description(format!("tests/cases/{case}"));
            settings.bind(|| {
                insta::assert_snapshot!(name, format!("-- up.sql\n{up}\n-- down.sql\n{down}"));
            });
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {runs} case runs failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(runs >= 80, "the catalogue should hold at least 40 cases per dialect, found {runs} case runs");

    // A snapshot whose case was removed or renamed would otherwise linger unreviewed.
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    for entry in std::fs::read_dir(snapshots).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        let is_case = file.ends_with("@postgres.snap") || file.ends_with("@sqlite.snap");
        assert!(!is_case || expected_snapshots.contains(&file), "stale snapshot snapshots/{file}: no such case");
    }
}
