//! Times the build gate's own work (`Check::run`: config, lock, replay,
//! schema, diff) on a real migration set and on generated ones.
//!
//! ```text
//! cargo run -p migrate-build --example bench_gate [--release] -- corpus <migrations dir> [runs]
//! cargo run -p migrate-build --example bench_gate [--release] -- generated <count> [runs]
//! cargo run -p migrate-build --example bench_gate [--release] -- dump <schema.sql> [runs]
//! ```
//!
//! `dump` takes a schema as `pg_dump --schema-only` prints it: it is both the
//! workspace's `schema.sql` and its one migration, as for a project whose
//! history starts from a dump.
//!
//! The inputs are set up in a temporary workspace first: the migrations (copied
//! or generated), their lock, and a `schema.sql` that is the replayed result
//! written out, so the timed check is a passing one, as on a no-drift build.
//! Build scripts run unoptimised by default (`build-override` is `opt-level
//! = 0` in every profile): the dev-profile numbers are what a user gets.

use std::path::Path;
use std::time::{Duration, Instant};

use migrate_build::ddl::{self, SourceFile};
use migrate_build::dialect::render_script;
use migrate_build::diff::diff;
use migrate_build::migrations::{self, lock};
use migrate_build::{Check, Dialect, Schema};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (kind, what) = match args.as_slice() {
        [kind, what, ..] => (kind.as_str(), what.as_str()),
        _ => {
            return Err(
                "usage: bench_gate (corpus <dir> | generated <count> | dump <file>) [runs]".into(),
            );
        }
    };
    let runs: usize = args.get(2).map(|r| r.parse()).transpose()?.unwrap_or(20);
    let tmp = tempfile::tempdir()?;
    let ws = tmp.path();
    let dir = ws.join("migrations");
    let dialect = Dialect::Postgres;
    match kind {
        "corpus" => copy_dir(Path::new(what), &dir)?,
        "generated" => generate(&dir, what.parse()?)?,
        "dump" => {
            let folder = dir.join("20000000000000_initial");
            std::fs::create_dir_all(&folder)?;
            std::fs::copy(what, folder.join("up.sql"))?;
        }
        _ => return Err(format!("unknown kind `{kind}`").into()),
    }
    std::fs::write(
        ws.join("Cargo.toml"),
        "[workspace]\n[workspace.metadata.migrate]\ndialect = \"postgres\"\n",
    )?;
    let all = migrations::load(&dir, dialect)?;
    lock::write(&dir, &lock::compute(dialect, &all))?;
    let mut replayed = Schema::empty(dialect);
    let mut bytes = 0;
    for m in &all {
        let path = m.up.path.display().to_string();
        bytes += m.up.sql.len();
        ddl::apply(
            &mut replayed,
            SourceFile {
                path: &path,
                sql: &m.up.sql,
            },
        )?;
    }
    replayed.sort();
    let schema_sql = match kind {
        "dump" => std::fs::read_to_string(what)?,
        _ => render_script(&diff(&Schema::empty(dialect), &replayed), dialect)?,
    };
    std::fs::write(ws.join("schema.sql"), &schema_sql)?;

    let check = Check::new().manifest_dir(ws);
    let report = check.run()?;
    if let Some(lock) = &report.lock {
        return Err(format!("the lock written for the benchmark does not match: {lock}").into());
    }
    // Reported, not fatal: the replayed schema written out and read back
    // should compare equal; when it does not, the engine has a round-trip gap.
    if let Some(drift) = &report.drift {
        eprintln!(
            "note: schema.sql written from the replay reads back with {} difference(s): {:?}",
            drift.changes.len(),
            drift.changes
        );
    }
    let cpu_before = cpu_time();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let report = check.run();
            let elapsed = start.elapsed();
            std::hint::black_box(report).map(|_| elapsed)
        })
        .collect::<Result<_, _>>()?;
    let cpu = cpu_time()
        .zip(cpu_before)
        .map(|(after, before)| (after - before) / runs as f64);
    times.sort();
    phases(ws, &dir, dialect)?;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{kind} {what}: {} migrations ({} KB up.sql), schema.sql {} KB, {} tables; \
         check: min {:.1} ms, median {:.1} ms over {runs} runs, CPU {} ms per run ({})",
        all.len(),
        bytes / 1024,
        schema_sql.len() / 1024,
        replayed.tables.len(),
        ms(times[0]),
        ms(times[times.len() / 2]),
        cpu.map_or("?".to_string(), |c| format!("{:.0}", c * 1000.0)),
        if cfg!(debug_assertions) {
            "dev profile"
        } else {
            "release profile"
        },
    );
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// `count` migrations in our layout, cycling through the usual kinds of
/// change: a new table, a new column, an index, a foreign key, a rename.
fn generate(dir: &Path, count: usize) -> std::io::Result<()> {
    let mut tables = 0usize;
    for i in 0..count {
        let t = tables.saturating_sub(1);
        let sql = match i % 5 {
            0 => {
                tables += 1;
                format!(
                    "CREATE TABLE t{tables} (\n    id BIGSERIAL PRIMARY KEY,\n    name TEXT NOT NULL,\n    created_at TIMESTAMPTZ NOT NULL DEFAULT now()\n);\n"
                )
            }
            1 => format!("ALTER TABLE t{tables} ADD COLUMN note VARCHAR(200);\n"),
            2 => format!("CREATE INDEX t{tables}_name_idx ON t{tables} (name, created_at);\n"),
            3 if t > 0 => format!(
                "ALTER TABLE t{tables} ADD COLUMN parent_id BIGINT REFERENCES t{t} (id) ON DELETE CASCADE;\n"
            ),
            3 => format!("ALTER TABLE t{tables} ADD COLUMN parent_id BIGINT;\n"),
            _ => format!("ALTER TABLE t{tables} RENAME COLUMN note TO remark;\n"),
        };
        let folder = dir.join(format!("{}_step_{i}", 20_000_000_000_000u64 + i as u64));
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join("up.sql"), sql)?;
    }
    Ok(())
}

/// One run split into the check's phases, to see where the time goes.
fn phases(ws: &Path, dir: &Path, dialect: Dialect) -> Result<(), Box<dyn std::error::Error>> {
    let mut t = Instant::now();
    let mut lap = |name: &str, out: &mut Vec<String>| {
        out.push(format!("{name} {:.1}", t.elapsed().as_secs_f64() * 1000.0));
        t = Instant::now();
    };
    let mut out = Vec::new();
    let all = migrations::load(dir, dialect)?;
    lap("load", &mut out);
    lock::verify(dir, dialect, &all)?;
    lap("lock", &mut out);
    // As the check replays: all files on one interpreter thread.
    let (replayed, _) = migrations::replay_with_report(dialect, &all, |_| String::new())?;
    lap("replay", &mut out);
    let sql = std::fs::read_to_string(ws.join("schema.sql"))?;
    let (mut declared, _) = ddl::parse_schema(
        dialect,
        &[SourceFile {
            path: "",
            sql: &sql,
        }],
    )?;
    declared.sort();
    lap("schema", &mut out);
    let plan = diff(&replayed, &declared);
    std::hint::black_box(plan);
    lap("diff", &mut out);
    println!("  phases (ms): {}", out.join(", "));
    Ok(())
}

/// User + system CPU seconds of this process so far (Linux), all threads:
/// unlike wall time, it does not grow when other processes hold the cores.
fn cpu_time() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields of the whole line.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    // USER_HZ is 100 on every Linux configuration that matters here.
    Some((utime + stime) / 100.0)
}
