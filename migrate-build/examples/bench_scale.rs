//! Times the engine's phases on one large schema file: parse (the
//! interpreter), diff from an empty schema, render, and diff with itself.
//! Used by `scripts/bench-scale.sh` to check that the cost grows linearly
//! with the schema's size.
//!
//! ```text
//! cargo run --release -p migrate-build --example bench_scale -- <schema.sql> [postgres|sqlite]
//! ```

use std::time::Instant;

use migrate_build::Dialect;
use migrate_build::ddl::{self, SourceFile};
use migrate_build::dialect::render_script;
use migrate_build::diff::diff;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        return Err("usage: bench_scale <schema.sql> [postgres|sqlite]".into());
    };
    let dialect = match args.get(1).map(String::as_str) {
        None | Some("postgres") => Dialect::Postgres,
        Some("sqlite") => Dialect::Sqlite,
        Some(other) => return Err(format!("unknown dialect `{other}`").into()),
    };
    let sql = std::fs::read_to_string(path)?;
    let start = Instant::now();
    let (schema, _) = ddl::parse_schema(dialect, &[SourceFile { path, sql: &sql }])?;
    let parsed = start.elapsed();
    let t = Instant::now();
    let plan = diff(&migrate_build::Schema::empty(dialect), &schema);
    let diffed = t.elapsed();
    let t = Instant::now();
    let script = render_script(&plan, dialect)?;
    let rendered = t.elapsed();
    let t = Instant::now();
    let same = diff(&schema, &schema);
    let self_diffed = t.elapsed();
    println!(
        "{path}: {} bytes, {} tables, {} indexes: parse {:.0} ms, diff {:.0} ms, render {:.0} ms ({} bytes), self-diff {:.0} ms ({} steps)",
        sql.len(),
        schema.tables.len(),
        schema.indexes.len(),
        parsed.as_secs_f64() * 1e3,
        diffed.as_secs_f64() * 1e3,
        rendered.as_secs_f64() * 1e3,
        script.len(),
        self_diffed.as_secs_f64() * 1e3,
        same.steps.len(),
    );
    Ok(())
}
