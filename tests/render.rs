//! The snapshot catalogue: for every case folder under `tests/cases/`, the SQL
//! the engine writes (up and down) for each dialect the case applies to, pinned
//! by insta snapshots in `snapshots/` (one per case and dialect), and the
//! replay property: interpreting the generated `up.sql` on top of `from.sql`
//! gives a schema equal to `to.sql`, and `down.sql` brings `from.sql` back.

use std::path::Path;

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

fn parse(dialect: Dialect, path: &Path) -> Schema {
    let sql = std::fs::read_to_string(path).unwrap();
    let display = path.display().to_string();
    let (schema, _) = ddl::parse_schema(
        dialect,
        &[SourceFile {
            path: &display,
            sql: &sql,
        }],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    schema
}

fn replay(mut schema: Schema, script: &str, label: &str) -> Schema {
    ddl::apply(
        &mut schema,
        SourceFile {
            path: label,
            sql: script,
        },
    )
    .unwrap_or_else(|e| panic!("generated SQL does not replay: {e}\n{script}"));
    schema
}

fn assert_same(actual: &Schema, expected: &Schema, what: &str, script: &str) {
    let left = diff::diff(actual, expected);
    assert!(
        left.is_empty(),
        "{what}: replaying the generated SQL left differences:\n{}\n--- script ---\n{script}",
        left.steps
            .iter()
            .map(|s| format!("  {}", diff::describe(&s.step)))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn case_dirs() -> Vec<std::path::PathBuf> {
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
    for case_dir in case_dirs() {
        let case = case_dir.file_name().unwrap().to_str().unwrap().to_string();
        for dialect in dialects_for(&case) {
            runs += 1;
            let from = parse(dialect, &case_dir.join("from.sql"));
            let to = parse(dialect, &case_dir.join("to.sql"));
            let up_plan = diff::diff(&from, &to);
            let down_plan = diff::diff(&to, &from);
            assert!(
                !up_plan.is_empty(),
                "{case}: from.sql and to.sql do not differ on {dialect}"
            );
            let up = dialect::render_script(&up_plan, dialect)
                .unwrap_or_else(|e| panic!("{case} {dialect}: {e}"));
            let down = dialect::render_script(&down_plan, dialect)
                .unwrap_or_else(|e| panic!("{case} {dialect}: {e}"));

            let after_up = replay(from.clone(), &up, "up.sql");
            assert_same(&after_up, &to, &format!("{case} ({dialect}) up"), &up);
            let after_down = replay(after_up, &down, "down.sql");
            assert_same(
                &after_down,
                &from,
                &format!("{case} ({dialect}) down"),
                &down,
            );

            let name = format!("{case}@{dialect}");
            expected_snapshots.push(format!("{name}.snap"));
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
        runs >= 80,
        "the catalogue should hold at least 40 cases per dialect, found {runs} case runs"
    );

    // A snapshot whose case was removed or renamed would otherwise linger unreviewed.
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    for entry in std::fs::read_dir(snapshots).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        let is_case = file.ends_with("@postgres.snap") || file.ends_with("@sqlite.snap");
        assert!(
            !is_case || expected_snapshots.contains(&file),
            "stale snapshot snapshots/{file}: no such case"
        );
    }
}
