//! Generated round trips on real databases. For generated schemas A and B
//! (B derived from A by random edits), on SQLite and PostgreSQL:
//!
//! 1. up: a database built from A with `render(diff(A, B))` applied
//!    introspects equal to B;
//! 2. down: `render(diff(B, A))` applied then gives A again;
//! 3. the interpreter replaying `up.sql` on A agrees with the server;
//! 4. rows inserted at A keep their values through `up.sql` in every column
//!    B keeps (SQLite rebuilds and PostgreSQL type changes included), with
//!    foreign keys enforced;
//! 5. idempotence: `diff(B, B)` is empty, and so is the database against B.
//!
//! `ROUNDTRIP_CASES` sets the number of cases per dialect (default 64).
//! A failure prints the shrunk A and B as SQL, the migration and the error.

mod common;

#[path = "roundtrip/db.rs"]
mod db;
#[path = "roundtrip/generate.rs"]
mod generate;
#[path = "roundtrip/spec.rs"]
mod spec;

use migrate_build::ddl::{self, SourceFile};
use migrate_build::plan::Step;
use migrate_build::{Dialect, Schema, dialect, diff};
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use db::Db;
use generate::{Builder, RawEdit, RawSchema};
use spec::Spec;

fn cases() -> u32 {
    std::env::var("ROUNDTRIP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

fn render(from: &Schema, to: &Schema) -> Result<String, String> {
    dialect::render_script(&diff::diff(from, to), from.dialect).map_err(|e| e.to_string())
}

fn interpret(base: &Schema, sql: &str, label: &str) -> Result<Schema, String> {
    let mut schema = base.clone();
    ddl::apply(&mut schema, SourceFile { path: label, sql })
        .map_err(|e| format!("the interpreter rejects {label}: {e}"))?;
    Ok(schema)
}

/// `Ok` when `actual` needs no step to become `expected`.
fn same(actual: &Schema, expected: &Schema, what: &str) -> Result<(), String> {
    let plan = diff::diff(actual, expected);
    if plan.is_empty() {
        return Ok(());
    }
    let steps: Vec<String> = plan
        .steps
        .iter()
        .map(|s| format!("  {}{}", diff::describe(&s.step), detail(&s.step)))
        .collect();
    Err(format!("{what}:\n{}", steps.join("\n")))
}

/// For a rebuild, which parts of the table differ (its description does not say).
fn detail(step: &Step) -> String {
    let (previous, next) = match step {
        Step::RebuildTable { previous, next, .. } => (previous, next),
        _ => return String::new(),
    };
    let mut out = String::new();
    let count = previous.columns.len().max(next.columns.len());
    for i in 0..count {
        let (p, n) = (previous.columns.get(i), next.columns.get(i));
        if p != n {
            out.push_str(&format!("\n      column {i}: {p:?}\n        becomes {n:?}"));
        }
    }
    let parts = [
        (
            "primary key",
            format!("{:?}", previous.primary_key),
            format!("{:?}", next.primary_key),
        ),
        (
            "uniques",
            format!("{:?}", previous.uniques),
            format!("{:?}", next.uniques),
        ),
        (
            "checks",
            format!("{:?}", previous.checks),
            format!("{:?}", next.checks),
        ),
        (
            "foreign keys",
            format!("{:?}", previous.foreign_keys),
            format!("{:?}", next.foreign_keys),
        ),
        (
            "without rowid",
            format!("{:?}", previous.without_rowid),
            format!("{:?}", next.without_rowid),
        ),
        (
            "strict",
            format!("{:?}", previous.strict),
            format!("{:?}", next.strict),
        ),
    ];
    for (what, p, n) in parts {
        if p != n {
            out.push_str(&format!("\n      {what}: {p}\n        becomes {n}"));
        }
    }
    out
}

/// What a failing case prints besides the error.
#[derive(Default)]
struct Trace {
    a: String,
    b: String,
    up: String,
    down: String,
}

impl Trace {
    fn report(&self, error: String) -> TestCaseError {
        TestCaseError::fail(format!(
            "{error}\n\n--- schema A ---\n{}\n--- schema B ---\n{}\n--- up.sql ---\n{}\n--- down.sql ---\n{}",
            self.a, self.b, self.up, self.down
        ))
    }
}

/// Columns of `table` whose values B keeps: present on both sides, of the
/// same kind (plain, identity, generated), with the same or a value-keeping
/// type.
fn kept_columns(a: &Spec, b: &Spec, table: &str, dialect: Dialect) -> Vec<String> {
    let (Some(ta), Some(tb)) = (a.table(table), b.table(table)) else {
        return Vec::new();
    };
    ta.columns
        .iter()
        .filter(|ca| {
            tb.column(&ca.name).is_some_and(|cb| {
                cb.special == ca.special
                    && (cb.ty == ca.ty || ca.ty.changes(dialect).contains(&cb.ty))
            })
        })
        .map(|c| c.name.clone())
        .collect()
}

/// Columns whose first row may hold NULL: nullable at A and at B, plain, and
/// in no foreign key on either side (a referenced NULL would orphan a row).
fn null_columns(a: &Spec, b: &Spec) -> Vec<(String, String)> {
    let in_fk = |table: &str, column: &str| {
        [a, b].iter().any(|s| {
            s.tables.iter().any(|t| {
                t.foreign_keys.iter().any(|fk| {
                    (t.name == table && fk.columns.iter().any(|c| c == column))
                        || (fk.target == table && fk.target_columns.iter().any(|c| c == column))
                })
            })
        })
    };
    let mut out = Vec::new();
    for t in &a.tables {
        for c in &t.columns {
            let nullable_at_b = b
                .table(&t.name)
                .and_then(|tb| tb.column(&c.name))
                .is_none_or(|cb| cb.nullable);
            if c.nullable
                && nullable_at_b
                && c.special == spec::Special::None
                && !in_fk(&t.name, &c.name)
            {
                out.push((t.name.clone(), c.name.clone()));
            }
        }
    }
    out
}

fn run_case(db: &mut Db, raw_a: &RawSchema, edits: &[RawEdit]) -> Result<(), TestCaseError> {
    let d = db.dialect();
    let mut builder = Builder::new(d);
    let spec_a = builder.schema(raw_a);
    let spec_b = builder.edit(&spec_a, edits);
    let empty = Schema::empty(d);
    let mut trace = Trace::default();
    let fail = |trace: &Trace, e: String| trace.report(e);

    // The schemas as a user would write them: the engine's own SQL for
    // them, read back by the interpreter.
    trace.a =
        render(&empty, &spec_a.model(d)).map_err(|e| fail(&trace, format!("rendering A: {e}")))?;
    trace.b =
        render(&empty, &spec_b.model(d)).map_err(|e| fail(&trace, format!("rendering B: {e}")))?;
    let a = interpret(&empty, &trace.a, "A.sql").map_err(|e| fail(&trace, e))?;
    let b = interpret(&empty, &trace.b, "B.sql").map_err(|e| fail(&trace, e))?;
    trace.up = render(&a, &b).map_err(|e| fail(&trace, format!("rendering up: {e}")))?;
    trace.down = render(&b, &a).map_err(|e| fail(&trace, format!("rendering down: {e}")))?;

    // 5, on the model.
    same(&b, &b, "diff(B, B) is not empty").map_err(|e| fail(&trace, e))?;

    db.reset().map_err(|e| fail(&trace, e))?;
    db.migrate(&trace.a)
        .map_err(|e| fail(&trace, format!("creating A failed: {e}")))?;
    let live_a = db.introspect().map_err(|e| fail(&trace, e))?;
    same(
        &live_a,
        &a,
        "the database built from A does not introspect as A",
    )
    .map_err(|e| fail(&trace, e))?;

    db.insert_rows(&spec_a, &null_columns(&spec_a, &spec_b))
        .map_err(|e| fail(&trace, format!("inserting rows at A: {e}")))?;
    let tables: Vec<(String, Vec<String>)> = spec_a
        .tables
        .iter()
        .map(|t| (t.name.clone(), kept_columns(&spec_a, &spec_b, &t.name, d)))
        .collect();
    let mut before = Vec::new();
    for (t, columns) in &tables {
        before.push(db.rows(t, columns).map_err(|e| fail(&trace, e))?);
    }

    // 1. up
    db.migrate(&trace.up)
        .map_err(|e| fail(&trace, format!("up.sql failed: {e}")))?;
    let live_b = db.introspect().map_err(|e| fail(&trace, e))?;
    same(
        &live_b,
        &b,
        "after up.sql the database does not introspect as B",
    )
    .map_err(|e| fail(&trace, e))?;
    // 3. the interpreter agrees with the server
    let replayed = interpret(&a, &trace.up, "up.sql").map_err(|e| fail(&trace, e))?;
    same(
        &live_b,
        &replayed,
        "the interpreter's replay of up.sql differs from the database",
    )
    .map_err(|e| fail(&trace, e))?;
    // 5. nothing left to do
    same(&b, &live_b, "diff(B, database after up.sql) is not empty")
        .map_err(|e| fail(&trace, e))?;
    // 4. data
    for ((t, columns), before) in tables.iter().zip(&before) {
        if spec_b.table(t).is_none() {
            continue;
        }
        let after = db.rows(t, columns).map_err(|e| fail(&trace, e))?;
        if &after != before {
            return Err(fail(
                &trace,
                format!(
                    "rows of `{t}` changed in columns {columns:?}:\n  before: {before:?}\n  after:  {after:?}"
                ),
            ));
        }
    }

    // 2. down (on emptied tables: it may add back a NOT NULL column)
    db.delete_rows(&b).map_err(|e| fail(&trace, e))?;
    db.migrate(&trace.down)
        .map_err(|e| fail(&trace, format!("down.sql failed: {e}")))?;
    let live_a = db.introspect().map_err(|e| fail(&trace, e))?;
    same(
        &live_a,
        &a,
        "after down.sql the database does not introspect as A",
    )
    .map_err(|e| fail(&trace, e))?;
    Ok(())
}

fn run(db: Db) {
    // The runner takes an `Fn`: the connection is used by one case at a time.
    let db = std::cell::RefCell::new(db);
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        max_shrink_iters: 2048,
        ..Config::default()
    });
    let strategy = (generate::raw_schema(), generate::raw_edits());
    let result = runner.run(&strategy, |(raw_a, edits)| {
        run_case(&mut db.borrow_mut(), &raw_a, &edits)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn sqlite_round_trips() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    run(Db::Sqlite(conn));
}

#[test]
fn postgres_round_trips() {
    let Some(test_db) = common::pg::TestDb::new() else {
        return;
    };
    let url = test_db.url.clone();
    let client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    run(Db::Postgres(client));
    drop(test_db);
}
