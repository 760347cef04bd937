//! Replay + diff throughput of the engine: the crates.io corpus and generated
//! migration sets. Run with `scripts/bench-engine.sh` (release and dev profiles).
//!
//! Usage: bench_engine [CORPORA_DIR]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use migrate_build::ddl::{self, SourceFile};
use migrate_build::{Dialect, Schema, diff, migrations};

/// Replays `files` in order, then diffs the result against itself and
/// against an empty schema (the work `cargo migrate new` and the build gate do).
fn replay_and_diff(dialect: Dialect, files: &[(String, String)]) -> (Duration, usize) {
    let start = Instant::now();
    let mut schema = Schema::empty(dialect);
    let mut statements = 0;
    for (path, sql) in files {
        statements += ddl::split_statements(sql).map_or(0, |s| s.len());
        if let Err(e) = ddl::apply(&mut schema, SourceFile { path, sql }) {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
    let same = diff::diff(&schema, &schema);
    assert!(same.is_empty(), "a schema differs from itself");
    let all = diff::diff(&Schema::empty(dialect), &schema);
    std::hint::black_box(all);
    (start.elapsed(), statements)
}

/// `n` migrations of the kinds real projects write: new tables with keys and
/// indexes, added columns, new indexes, dropped columns.
fn generated(n: usize) -> Vec<(String, String)> {
    let mut files = Vec::with_capacity(n);
    let mut tables = 0usize;
    for i in 0..n {
        let sql = match i % 4 {
            0 => {
                tables += 1;
                let fk = if tables > 1 {
                    format!(
                        ",\n    parent_id bigint REFERENCES t{} (id) ON DELETE CASCADE",
                        tables - 1
                    )
                } else {
                    String::new()
                };
                format!(
                    "CREATE TABLE t{tables} (\n    id bigint PRIMARY KEY,\n    name varchar(200) NOT NULL,\n    \
                     created_at timestamptz NOT NULL DEFAULT now(){fk}\n);\n\
                     CREATE INDEX t{tables}_name_idx ON t{tables} (name);\n"
                )
            }
            1 => format!("ALTER TABLE t{tables} ADD COLUMN note_{i} text;\n"),
            2 => format!(
                "CREATE UNIQUE INDEX t{tables}_u{i} ON t{tables} (lower(name)) WHERE note_{} IS NOT NULL;\n",
                i - 1
            ),
            _ => format!("ALTER TABLE t{tables} DROP COLUMN note_{};\n", i - 2),
        };
        files.push((format!("gen/{i:06}_m/up.sql"), sql));
    }
    files
}

fn best_of(runs: usize, f: impl Fn() -> (Duration, usize)) -> (Duration, usize) {
    (0..runs)
        .map(|_| f())
        .min_by_key(|(d, _)| *d)
        .unwrap_or_default()
}

fn main() {
    let corpora = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpora"));
    let profile = if cfg!(debug_assertions) {
        "dev"
    } else {
        "release"
    };
    println!("profile: {profile}");

    let crates_io = corpora.join("crates-io/migrations");
    match migrations::load(&crates_io, Dialect::Postgres) {
        Ok(set) => {
            let files: Vec<(String, String)> = set
                .iter()
                .map(|m| (m.up.path.display().to_string(), m.up.sql.clone()))
                .collect();
            let bytes: usize = files.iter().map(|(_, s)| s.len()).sum();
            let (t, statements) = best_of(5, || replay_and_diff(Dialect::Postgres, &files));
            println!(
                "crates-io: {} migrations, {statements} statements, {} KB: replay+diff {:.1} ms",
                files.len(),
                bytes / 1024,
                t.as_secs_f64() * 1e3
            );
        }
        Err(e) => println!(
            "crates-io corpus not read ({e}); pass the corpora folder as the first argument"
        ),
    }

    for n in [1_000, 10_000] {
        let files = generated(n);
        let (t, statements) = best_of(3, || replay_and_diff(Dialect::Postgres, &files));
        println!(
            "generated {n}: {statements} statements: replay+diff {:.1} ms ({:.1} µs/statement)",
            t.as_secs_f64() * 1e3,
            t.as_secs_f64() * 1e6 / statements as f64
        );
    }
}
