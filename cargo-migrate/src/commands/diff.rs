//! `cargo migrate diff --from SOURCE --to SOURCE [--script] [--exit-code]`

use migrate_build::Schema;
use migrate_build::dialect::render_script;
use migrate_build::diff::{describe, try_diff};

use crate::cli::{DiffArgs, Source};
use crate::db::Open;
use crate::error::{CliError, Outcome};
use crate::workspace::Workspace;

use super::Ctx;

pub fn run(args: DiffArgs, ctx: &Ctx) -> Result<Outcome, CliError> {
    let ws = ctx.workspace()?;
    let mut from = load(args.from, &ws, ctx)?;
    let mut to = load(args.to, &ws, ctx)?;
    // Another tool's history table is left out of a database, unless the
    // other side has it too.
    let leave_out = |side: &mut Schema, other: &Schema| {
        let left_out = crate::adopt::without_foreign_history(side, other, &ws.config);
        crate::adopt::note_left_out(&ctx.out, ws.dialect(), &left_out);
    };
    if args.from == Source::Database {
        leave_out(&mut from, &to);
    }
    if args.to == Source::Database {
        leave_out(&mut to, &from);
    }
    let plan = try_diff(&from, &to)?;
    if args.script {
        ctx.print(&render_script(&plan, ws.dialect())?)?;
    } else if plan.is_empty() {
        ctx.out.line("no differences");
    } else {
        let mut text = String::new();
        for s in &plan.steps {
            text.push_str(&describe(&s.step));
            text.push('\n');
            if let Some(d) = &s.destructive {
                text.push_str(&format!("  warning: {d}\n"));
            }
        }
        ctx.print(&text)?;
    }
    Ok(if args.exit_code && !plan.is_empty() {
        Outcome::Differences
    } else {
        Outcome::Ok
    })
}

pub fn load(source: Source, ws: &Workspace, ctx: &Ctx) -> Result<Schema, CliError> {
    match source {
        Source::Empty => Ok(Schema::empty(ws.dialect())),
        Source::Schema => ws.parse_schema(),
        Source::Migrations => ws.replay(&ws.load_migrations()?),
        Source::Database => {
            let url = ctx.database_url(ws)?;
            let mut db = ctx.connect(ws, &url, Open::MustExist)?;
            let mut schema = db.introspect()?;
            schema.sort();
            Ok(schema)
        }
    }
}
