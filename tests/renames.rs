//! Renames end to end: `-- migrate:renamed-from` annotations in schema.sql
//! make `new` write renames, applied to real SQLite files and PostgreSQL
//! databases holding rows, up and down, with every row's values kept; the
//! annotation is harmless once applied, and one naming nothing is an error
//! at its file:line:col. Without an annotation `new` asks on a terminal
//! (driven here through a real pseudo-terminal with util-linux `script`)
//! and otherwise writes a drop and an add, naming the annotation.

mod common;

use common::pg::TestDb;
use common::workspace::{Run, Workspace, binary};

fn latest(ws: &Workspace, file: &str) -> String {
    let dir = ws.migration_dirs().last().unwrap().clone();
    ws.read(&format!("migrations/{dir}/{file}"))
}

fn rows(db: &rusqlite::Connection, sql: &str) -> Vec<String> {
    let mut stmt = db.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let n = stmt.column_count();
    stmt.query_map([], |row| {
        let mut parts = Vec::new();
        for i in 0..n {
            let v: rusqlite::types::Value = row.get(i)?;
            parts.push(format!("{v:?}"));
        }
        Ok(parts.join("|"))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

const SQLITE_V1: &str = "\
CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email text
);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    note varchar(20)
);
CREATE INDEX customers_name ON customers (name);
";

const SQLITE_V2: &str = "\
-- migrate:renamed-from customers
CREATE TABLE clients (
    id integer PRIMARY KEY,
    full_name text NOT NULL, -- migrate:renamed-from name
    email text
);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES clients (id),
    remark varchar(20) NOT NULL DEFAULT '' -- migrate:renamed-from note
);
-- migrate:renamed-from customers_name
CREATE INDEX clients_full_name ON clients (full_name);
";

#[test]
fn sqlite_renames_keep_rows_up_and_down() {
    let ws = Workspace::new("sqlite", SQLITE_V1);
    ws.migrate(&["new", "start"]).success();
    ws.migrate(&["apply"]).success();
    ws.db()
        .execute_batch(
            "INSERT INTO customers VALUES (1, 'Ada', 'ada@example.com'), (2, 'Grace', NULL);
             INSERT INTO orders VALUES (10, 1, 'first'), (11, 2, 'second'), (12, 1, 'third');",
        )
        .unwrap();

    ws.write("schema.sql", SQLITE_V2);
    ws.migrate(&["new", "rename"]).success();
    let up = latest(&ws, "up.sql");
    assert!(
        up.contains("ALTER TABLE customers RENAME TO clients"),
        "{up}"
    );
    assert!(up.contains("RENAME COLUMN name TO full_name"), "{up}");
    assert!(up.contains("RENAME COLUMN note TO remark"), "{up}");
    assert!(!up.contains("DROP COLUMN"), "{up}");
    ws.migrate(&["apply"]).success();

    let db = ws.db();
    assert_eq!(
        rows(&db, "SELECT id, full_name, email FROM clients ORDER BY id"),
        [
            "Integer(1)|Text(\"Ada\")|Text(\"ada@example.com\")",
            "Integer(2)|Text(\"Grace\")|Null"
        ]
    );
    // `remark` also became NOT NULL: the rebuild after the rename copies
    // the values under the new name.
    assert_eq!(
        rows(
            &db,
            "SELECT id, customer_id, remark FROM orders ORDER BY id"
        ),
        [
            "Integer(10)|Integer(1)|Text(\"first\")",
            "Integer(11)|Integer(2)|Text(\"second\")",
            "Integer(12)|Integer(1)|Text(\"third\")"
        ]
    );
    drop(db);
    // Everything agrees: migrations = schema, database = migrations.
    ws.migrate(&["check"]).success();
    // The annotations are harmless once applied.
    ws.migrate(&["new", "again"])
        .success()
        .stderr_has("in sync");

    ws.migrate(&["down"]).success();
    let db = ws.db();
    assert_eq!(
        rows(&db, "SELECT id, name, email FROM customers ORDER BY id"),
        [
            "Integer(1)|Text(\"Ada\")|Text(\"ada@example.com\")",
            "Integer(2)|Text(\"Grace\")|Null"
        ]
    );
    assert_eq!(
        rows(&db, "SELECT id, customer_id, note FROM orders ORDER BY id"),
        [
            "Integer(10)|Integer(1)|Text(\"first\")",
            "Integer(11)|Integer(2)|Text(\"second\")",
            "Integer(12)|Integer(1)|Text(\"third\")"
        ]
    );
    assert!(
        rows(
            &db,
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'customers_name'"
        )
        .len()
            == 1
    );
}

fn pg_run(ws: &Workspace, db: &TestDb, args: &[&str]) -> Run {
    let mut c = ws.command(args);
    c.env("DATABASE_URL", &db.url);
    Run {
        output: c.output().unwrap(),
    }
}

fn pg_rows(db: &mut TestDb, sql: &str) -> Vec<String> {
    db.client
        .query(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|row| {
            (0..row.len())
                .map(|i| {
                    row.get::<_, Option<String>>(i)
                        .unwrap_or_else(|| "NULL".into())
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

fn pg_in_sync(ws: &Workspace, db: &TestDb, when: &str) {
    let r = pg_run(
        ws,
        db,
        &[
            "diff",
            "--from",
            "database",
            "--to",
            "schema",
            "--exit-code",
        ],
    );
    assert_eq!(
        r.code(),
        0,
        "{when}: the database differs from schema.sql:\n{}\n{}",
        r.stdout(),
        r.stderr()
    );
}

const PG_V1: &str = "\
CREATE TYPE state AS ENUM ('open', 'done');
CREATE SEQUENCE ticket_numbers START 100;
CREATE TABLE customers (
    id serial PRIMARY KEY,
    name varchar(50) NOT NULL UNIQUE,
    CONSTRAINT name_not_blank CHECK (name <> '')
);
CREATE TABLE tickets (
    id integer PRIMARY KEY DEFAULT nextval('ticket_numbers'),
    customer_id integer NOT NULL REFERENCES customers (id),
    state state NOT NULL DEFAULT 'open'
);
CREATE INDEX tickets_by_state ON tickets (state);
CREATE VIEW open_tickets AS SELECT id, customer_id FROM tickets WHERE state = 'open';
";

const PG_V2: &str = "\
-- migrate:renamed-from state
CREATE TYPE ticket_state AS ENUM (
    'open',
    'closed' -- migrate:renamed-from 'done'
);
-- migrate:renamed-from ticket_numbers
CREATE SEQUENCE ticket_number_seq START 100;
-- migrate:renamed-from customers
CREATE TABLE clients (
    id serial PRIMARY KEY,
    full_name text NOT NULL UNIQUE, -- migrate:renamed-from name
    CONSTRAINT full_name_not_blank CHECK (full_name <> '') -- migrate:renamed-from name_not_blank
);
CREATE TABLE tickets (
    id integer PRIMARY KEY DEFAULT nextval('ticket_number_seq'),
    customer_id integer NOT NULL REFERENCES clients (id),
    state ticket_state NOT NULL DEFAULT 'open'
);
-- migrate:renamed-from tickets_by_state
CREATE INDEX tickets_state ON tickets (state);
-- migrate:renamed-from open_tickets
CREATE VIEW tickets_open AS SELECT id, customer_id FROM tickets WHERE state = 'open';
";

#[test]
fn postgres_renames_keep_rows_up_and_down() {
    let Some(mut db) = TestDb::new() else { return };
    let ws = Workspace::new("postgres", PG_V1);
    ws.migrate(&["new", "start"]).success();
    pg_run(&ws, &db, &["apply"]).success();
    db.exec(
        "INSERT INTO customers (name) VALUES ('Ada'), ('Grace');
         INSERT INTO tickets (customer_id, state) VALUES (1, 'open'), (2, 'done'), (1, 'done');",
    );
    let tickets = "SELECT id::text, customer_id::text, state::text FROM tickets ORDER BY id";
    let before = pg_rows(&mut db, tickets);
    assert_eq!(before, ["100|1|open", "101|2|done", "102|1|done"]);

    ws.write("schema.sql", PG_V2);
    ws.migrate(&["new", "rename"]).success();
    let up = latest(&ws, "up.sql");
    for expected in [
        "ALTER TYPE state RENAME TO ticket_state",
        "ALTER TYPE ticket_state RENAME VALUE 'done' TO 'closed'",
        "ALTER SEQUENCE ticket_numbers RENAME TO ticket_number_seq",
        "ALTER TABLE customers RENAME TO clients",
        "ALTER TABLE clients RENAME COLUMN name TO full_name",
        "ALTER TABLE clients RENAME CONSTRAINT name_not_blank TO full_name_not_blank",
        "ALTER TABLE clients RENAME CONSTRAINT customers_pkey TO clients_pkey",
        "ALTER TABLE clients RENAME CONSTRAINT customers_name_key TO clients_full_name_key",
        "ALTER SEQUENCE customers_id_seq RENAME TO clients_id_seq",
        "ALTER INDEX tickets_by_state RENAME TO tickets_state",
        "ALTER VIEW open_tickets RENAME TO tickets_open",
        "ALTER COLUMN full_name TYPE text",
    ] {
        assert!(up.contains(expected), "{expected} missing from\n{up}");
    }
    assert!(
        !up.contains("DROP COLUMN") && !up.contains("DROP TABLE"),
        "{up}"
    );
    pg_run(&ws, &db, &["apply"]).success();
    pg_in_sync(&ws, &db, &format!("after the renames\n{up}"));
    pg_run(&ws, &db, &["check"]).success();
    ws.migrate(&["new", "again"])
        .success()
        .stderr_has("in sync");

    assert_eq!(
        pg_rows(
            &mut db,
            "SELECT id::text, full_name FROM clients ORDER BY id"
        ),
        ["1|Ada", "2|Grace"]
    );
    assert_eq!(
        pg_rows(&mut db, tickets),
        ["100|1|open", "101|2|closed", "102|1|closed"]
    );
    // The serial and the renamed sequence go on counting.
    db.exec(
        "INSERT INTO clients (full_name) VALUES ('Edsger');
         INSERT INTO tickets (customer_id) VALUES (3);",
    );
    assert_eq!(
        pg_rows(
            &mut db,
            "SELECT max(c.id)::text, max(t.id)::text FROM clients c, tickets t"
        ),
        ["3|103"]
    );
    db.exec("DELETE FROM tickets WHERE id = 103; DELETE FROM clients WHERE id = 3;");

    pg_run(&ws, &db, &["down"]).success();
    ws.write("schema.sql", PG_V1);
    let down = latest(&ws, "down.sql");
    pg_in_sync(&ws, &db, &format!("after down\n{down}"));
    assert_eq!(
        pg_rows(&mut db, "SELECT id::text, name FROM customers ORDER BY id"),
        ["1|Ada", "2|Grace"]
    );
    assert_eq!(pg_rows(&mut db, tickets), before);
}

#[test]
fn an_annotation_naming_nothing_is_an_error_at_its_location() {
    let ws = Workspace::new(
        "sqlite",
        "CREATE TABLE customers (id integer PRIMARY KEY, name text);\n",
    );
    ws.migrate(&["new", "start"]).success();
    ws.write(
        "schema.sql",
        "CREATE TABLE customers (\n    id integer PRIMARY KEY,\n    full_name text -- migrate:renamed-from nmae\n);\n",
    );
    let before = ws.migration_dirs();
    let r = ws.migrate(&["new", "rename"]).failure();
    let err = r.stderr();
    assert!(
        err.contains("schema.sql:3:20: column `customers.full_name` is annotated `-- migrate:renamed-from nmae`, but the migrations have neither `nmae` nor `full_name`"),
        "{err}"
    );
    assert_eq!(ws.migration_dirs(), before, "nothing written");
    ws.migrate(&["check"])
        .code_is(2)
        .stdout_has("schema.sql:3:20: column `customers.full_name`");
    // A misplaced annotation is an error too, not a comment ignored.
    ws.write(
        "schema.sql",
        "CREATE TABLE customers (\n    id integer PRIMARY KEY,\n    name text\n);\n\n-- migrate:renamed-from old\n\nCREATE INDEX i ON customers (name);\n",
    );
    ws.migrate(&["new", "index"])
        .failure()
        .stderr_has("schema.sql:6:1: `-- migrate:renamed-from` stands on no object");
}

const PLAIN_V1: &str =
    "CREATE TABLE customers (\n    id integer PRIMARY KEY,\n    name text NOT NULL\n);\n";
const PLAIN_V2: &str = "CREATE TABLE customers (\n    id integer PRIMARY KEY,\n    full_name text NOT NULL DEFAULT ''\n);\n";

#[test]
fn without_a_terminal_a_drop_and_add_names_the_annotation() {
    let ws = Workspace::new("sqlite", PLAIN_V1);
    ws.migrate(&["new", "start"]).success();
    ws.write("schema.sql", PLAIN_V2);
    let r = ws.migrate(&["new", "rename"]).success();
    let hint = "if `full_name` is `name` renamed, end its line in the schema with `-- migrate:renamed-from name`";
    assert!(r.stderr().contains(hint), "{}", r.stderr());
    assert!(!r.stderr().contains("did you rename"), "{}", r.stderr());
    let up = latest(&ws, "up.sql");
    assert!(up.contains(&format!("-- WARNING: `customers.name` is dropped and `customers.full_name` added, with its data lost; {hint}")), "{up}");
    assert!(!up.contains("RENAME COLUMN"), "{up}");
}

/// `cargo migrate <args>` on a pseudo-terminal (`script` gives the child
/// one for stdin, stdout and stderr), with `input` typed.
fn on_terminal(ws: &Workspace, args: &str, input: &str) -> String {
    use std::io::Write;
    let command = format!("'{}' migrate {args}", binary().display());
    let mut child = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .current_dir(ws.root())
        .env_remove("DATABASE_URL")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs a command on a pseudo-terminal");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{args}: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

#[test]
fn on_a_terminal_new_asks_whether_a_column_was_renamed() {
    let question = "did you rename `customers.name` to `customers.full_name`? [y/N]";
    let ws = Workspace::new("sqlite", PLAIN_V1);
    ws.migrate(&["new", "start"]).success();
    ws.migrate(&["apply"]).success();
    ws.db()
        .execute_batch("INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace');")
        .unwrap();
    ws.write("schema.sql", PLAIN_V2);

    // No: a drop and an add, as without a terminal.
    let screen = on_terminal(&ws, "new not_renamed", "n\n");
    assert!(screen.contains(question), "{screen}");
    assert!(!latest(&ws, "up.sql").contains("RENAME COLUMN"));
    let dir = ws.migration_dirs().last().unwrap().clone();
    std::fs::remove_dir_all(ws.path(&format!("migrations/{dir}"))).unwrap();
    ws.migrate(&["hash"]).success();

    // --no-interactive asks nothing, terminal or not.
    let screen = on_terminal(&ws, "new --no-interactive quiet", "y\n");
    assert!(!screen.contains("did you rename"), "{screen}");
    assert!(screen.contains("-- migrate:renamed-from name"), "{screen}");
    let dir = ws.migration_dirs().last().unwrap().clone();
    std::fs::remove_dir_all(ws.path(&format!("migrations/{dir}"))).unwrap();
    ws.migrate(&["hash"]).success();

    // Yes: a rename, up and down, and the rows keep their values.
    let screen = on_terminal(&ws, "new renamed", "y\n");
    assert!(screen.contains(question), "{screen}");
    let up = latest(&ws, "up.sql");
    assert!(
        up.contains("ALTER TABLE customers RENAME COLUMN name TO full_name"),
        "{up}"
    );
    assert!(!up.contains("WARNING"), "{up}");
    let down = latest(&ws, "down.sql");
    assert!(
        down.contains("ALTER TABLE customers RENAME COLUMN full_name TO name"),
        "{down}"
    );
    ws.migrate(&["apply"]).success();
    assert_eq!(
        rows(&ws.db(), "SELECT id, full_name FROM customers ORDER BY id"),
        ["Integer(1)|Text(\"Ada\")", "Integer(2)|Text(\"Grace\")"]
    );
    // The migrations now rename: nothing left to ask or write.
    ws.migrate(&["check"]).success();
    ws.migrate(&["down"]).success();
    assert_eq!(
        rows(&ws.db(), "SELECT id, name FROM customers ORDER BY id"),
        ["Integer(1)|Text(\"Ada\")", "Integer(2)|Text(\"Grace\")"]
    );
}
