//! SQLite forms real schemas use, against a real SQLite file: each schema is
//! applied with `cargo migrate new` + `apply`, the database must show no
//! drift from `schema.sql`, and its introspection must equal the
//! interpreter's model of the same SQL. Changes render and apply.

mod common;

use cargo_migrate::introspect::sqlite::introspect;
use migrate_build::Dialect;
use migrate_build::ddl::{SourceFile, parse_schema};
use migrate_build::schema::Schema;

use common::workspace::Workspace;

const D: Dialect = Dialect::Sqlite;

const HISTORY: &str = "_migrate_history";

fn interpret(sql: &str) -> Schema {
    let (mut schema, _) = parse_schema(
        D,
        &[SourceFile {
            path: "schema.sql",
            sql,
        }],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    schema.sort();
    schema
}

fn read(ws: &Workspace) -> Schema {
    let mut schema = introspect(&ws.db(), &[HISTORY]).unwrap();
    schema.sort();
    schema
}

/// `new`, `apply`, no drift, and the database reads back as the model.
#[track_caller]
fn round_trip(ws: &Workspace, sql: &str, name: &str) {
    ws.write("schema.sql", sql);
    ws.migrate(&["new", name]).success();
    ws.migrate(&["apply"]).success();
    let diff = ws.migrate(&[
        "diff",
        "--from",
        "database",
        "--to",
        "schema",
        "--exit-code",
    ]);
    assert_eq!(
        diff.code(),
        0,
        "drift right after apply:\n{}{}",
        diff.stdout(),
        diff.stderr()
    );
    ws.migrate(&["check"]).success();
    assert_eq!(read(ws), interpret(sql), "introspection vs interpreter");
}

fn workspace() -> Workspace {
    Workspace::new("sqlite", "")
}

#[test]
fn without_rowid_primary_key_columns_are_not_null() {
    let sql = "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;\n\
               CREATE TABLE pair (a INTEGER, b TEXT, c TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;\n";
    let model = interpret(sql);
    let kv = &model.tables[0];
    assert!(
        !kv.columns[0].nullable,
        "k is NOT NULL in a WITHOUT ROWID table"
    );
    assert!(kv.columns[1].nullable);
    let pair = &model.tables[1];
    assert!(!pair.columns[0].nullable && !pair.columns[1].nullable);
    assert!(pair.columns[2].nullable);
    let ws = workspace();
    round_trip(&ws, sql, "init");
    let notnull: i64 = ws
        .db()
        .query_row(
            "SELECT \"notnull\" FROM pragma_table_info('kv') WHERE name = 'k'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(notnull, 1);
}

#[test]
fn strict_tables_round_trip() {
    let sql = "CREATE TABLE s (id INTEGER PRIMARY KEY, name TEXT NOT NULL, n ANY, r REAL, b BLOB) STRICT;\n\
               CREATE TABLE sw (id TEXT PRIMARY KEY, n INT) STRICT, WITHOUT ROWID;\n";
    let model = interpret(sql);
    assert!(model.tables.iter().all(|t| t.strict));
    let ws = workspace();
    round_trip(&ws, sql, "init");
    // A STRICT table refuses a value of the wrong type: it really is STRICT.
    assert!(
        ws.db()
            .execute("INSERT INTO s (name, r) VALUES ('a', 'x')", [])
            .is_err()
    );
}

#[test]
fn type_names_sqlite_accepts_are_kept_as_declared() {
    let sql = "CREATE TABLE t (\n\
                 a BLOB SUB_TYPE TEXT,\n\
                 b varchar[10],\n\
                 c UNSIGNED BIG INT,\n\
                 d DOUBLE PRECISION,\n\
                 e NATIVE CHARACTER(70),\n\
                 f VARYING CHARACTER(255),\n\
                 g decimal(10, 5),\n\
                 h INT8,\n\
                 i \"My Type\",\n\
                 j TIMESTAMP WITH TIME ZONE,\n\
                 k\n\
               );\n";
    let model = interpret(sql);
    let declared: Vec<String> = model.tables[0]
        .columns
        .iter()
        .map(|c| c.ty.to_string())
        .collect();
    assert_eq!(
        declared,
        [
            "BLOB SUB_TYPE TEXT",
            "VARCHAR[10]",
            "UNSIGNED BIG INT",
            "DOUBLE PRECISION",
            "NATIVE CHARACTER(70)",
            "VARYING CHARACTER(255)",
            "DECIMAL(10,5)",
            "INT8",
            "MY TYPE",
            "TIMESTAMP WITH TIME ZONE",
            "",
        ]
    );
    let ws = workspace();
    round_trip(&ws, sql, "init");
}

#[test]
fn triggers_if_not_exists() {
    let sql = "CREATE TABLE t (id INTEGER PRIMARY KEY, n INT, at TEXT);\n\
               CREATE TRIGGER IF NOT EXISTS t_touch AFTER UPDATE ON t BEGIN\n\
                 UPDATE t SET at = datetime('now') WHERE id = NEW.id;\n\
               END;\n";
    let model = interpret(sql);
    assert_eq!(model.opaque.len(), 1);
    assert_eq!(model.opaque[0].name.name, "t_touch");
    let ws = workspace();
    round_trip(&ws, sql, "init");
    // Written again, IF NOT EXISTS keeps the first.
    let twice = format!(
        "{sql}CREATE TRIGGER IF NOT EXISTS t_touch AFTER INSERT ON t BEGIN SELECT 1; END;\n"
    );
    assert_eq!(interpret(&twice), model);
}

const FTS: &str = "CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, body TEXT);\n\
CREATE VIRTUAL TABLE docs_fts USING fts5(title, body, content='docs', content_rowid='id');\n\
CREATE VIRTUAL TABLE notes USING fts5(text);\n\
CREATE VIRTUAL TABLE boxes USING rtree(id, min_x, max_x, min_y, max_y);\n";

#[test]
fn virtual_tables_are_modelled_without_their_shadow_tables() {
    let model = interpret(FTS);
    let names: Vec<&str> = model
        .virtual_tables
        .iter()
        .map(|v| v.name.name.as_str())
        .collect();
    assert_eq!(names, ["boxes", "docs_fts", "notes"]);
    let fts = &model.virtual_tables[1];
    assert_eq!(fts.module, "fts5");
    assert_eq!(
        fts.arguments,
        ["title", "body", "content='docs'", "content_rowid='id'"]
    );
    assert_eq!(model.tables.len(), 1, "virtual tables are not tables");
    let ws = workspace();
    round_trip(&ws, FTS, "init");
    // The shadow tables exist in the file, and nothing reports them.
    let shadow: i64 = ws
        .db()
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name IN ('notes_data', 'notes_idx', 'notes_content', 'notes_docsize', 'notes_config', 'boxes_node', 'boxes_rowid', 'boxes_parent')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(shadow, 8);
    // The tables work.
    ws.db()
        .execute("INSERT INTO notes (text) VALUES ('hello world')", [])
        .unwrap();
}

#[test]
fn virtual_tables_are_created_dropped_and_recreated() {
    let ws = workspace();
    round_trip(&ws, FTS, "init");
    // Dropped, added, and one changed (a changed definition is drop + create).
    let next = "CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, body TEXT);\n\
CREATE VIRTUAL TABLE docs_fts USING fts5(title, body, content='docs', content_rowid='id', tokenize='porter');\n\
CREATE VIRTUAL TABLE tags USING fts5(tag);\n";
    ws.write("schema.sql", next);
    let script = ws
        .migrate(&["diff", "--from", "database", "--to", "schema", "--script"])
        .success()
        .stdout();
    for drop in [
        "DROP TABLE notes;",
        "DROP TABLE boxes;",
        "DROP TABLE docs_fts;",
    ] {
        assert!(script.contains(drop), "{drop}: {script}");
    }
    assert!(
        script.contains("CREATE VIRTUAL TABLE docs_fts USING fts5(title, body, content='docs', content_rowid='id', tokenize='porter');"),
        "{script}"
    );
    assert!(
        script.contains("CREATE VIRTUAL TABLE tags USING fts5(tag);"),
        "{script}"
    );
    assert!(
        script.contains("-- WARNING: drops table `notes`"),
        "{script}"
    );
    // The drop of the changed table comes before its creation.
    assert!(
        script.find("DROP TABLE docs_fts").unwrap()
            < script.find("CREATE VIRTUAL TABLE docs_fts").unwrap()
    );
    round_trip(&ws, next, "swap_virtual_tables");
    let tables = ws.tables();
    assert!(tables.contains(&"tags".to_string()));
    assert!(
        !tables
            .iter()
            .any(|t| t.starts_with("notes") || t.starts_with("boxes")),
        "{tables:?}"
    );
    // And down goes back.
    ws.migrate(&["down"]).success();
    ws.write("schema.sql", FTS);
    let diff = ws.migrate(&[
        "diff",
        "--from",
        "database",
        "--to",
        "schema",
        "--exit-code",
    ]);
    assert_eq!(diff.code(), 0, "{}{}", diff.stdout(), diff.stderr());
}

#[test]
fn other_modules_and_their_shadow_tables() {
    let sql = "CREATE VIRTUAL TABLE f4 USING fts4(title, body);\n\
               CREATE VIRTUAL TABLE f5c USING fts5(a, content='');\n\
               CREATE VIRTUAL TABLE r3 USING rtree_i32(id, x0, x1, y0, y1, z0, z1);\n";
    let ws = workspace();
    round_trip(&ws, sql, "init");
    let shadow: i64 = ws
        .db()
        .query_row(
            "SELECT count(*) FROM pragma_table_list WHERE type = 'shadow'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(shadow >= 10, "{shadow} shadow tables");
    assert_eq!(read(&ws).virtual_tables.len(), 3);
}

/// `sqlite3 .schema` of a database with virtual tables prints their shadow
/// tables after them (`CREATE TABLE IF NOT EXISTS 'notes_content'(…)`, the
/// name as a string): as `schema.sql` they are the module's, skipped and
/// listed, never created as tables of their own (which makes the module's
/// own creation fail).
#[test]
fn shadow_tables_printed_by_dot_schema_are_the_modules() {
    let sql = "CREATE VIRTUAL TABLE notes USING fts4 ( title, body )\n\
               /* notes(title,body) */;\n\
               CREATE TABLE IF NOT EXISTS 'notes_content'(docid INTEGER PRIMARY KEY, 'c0title', 'c1body');\n\
               CREATE TABLE IF NOT EXISTS 'notes_segments'(blockid INTEGER PRIMARY KEY, block BLOB);\n\
               CREATE TABLE IF NOT EXISTS 'notes_segdir'(level INTEGER,idx INTEGER,start_block INTEGER,leaves_end_block INTEGER,end_block INTEGER,root BLOB,PRIMARY KEY(level, idx));\n\
               CREATE TABLE IF NOT EXISTS 'notes_docsize'(docid INTEGER PRIMARY KEY, size BLOB);\n\
               CREATE TABLE IF NOT EXISTS 'notes_stat'(id INTEGER PRIMARY KEY, value BLOB);\n\
               CREATE VIRTUAL TABLE tags USING fts5(tag)\n\
               /* tags(tag) */;\n\
               CREATE TABLE IF NOT EXISTS 'tags_data'(id INTEGER PRIMARY KEY, block BLOB);\n\
               CREATE TABLE IF NOT EXISTS 'tags_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;\n\
               CREATE TABLE IF NOT EXISTS 'tags_content'(id INTEGER PRIMARY KEY, c0);\n\
               CREATE TABLE IF NOT EXISTS 'tags_docsize'(id INTEGER PRIMARY KEY, sz BLOB);\n\
               CREATE TABLE IF NOT EXISTS 'tags_config'(k PRIMARY KEY, v) WITHOUT ROWID;\n\
               CREATE VIRTUAL TABLE boxes USING rtree(id, x0, x1)\n\
               /* boxes(id,x0,x1) */;\n\
               CREATE TABLE IF NOT EXISTS \"boxes_rowid\"(rowid INTEGER PRIMARY KEY,nodeno);\n\
               CREATE TABLE IF NOT EXISTS \"boxes_node\"(nodeno INTEGER PRIMARY KEY,data);\n\
               CREATE TABLE IF NOT EXISTS \"boxes_parent\"(nodeno INTEGER PRIMARY KEY,parentnode);\n\
               CREATE TABLE notes_archive (id INTEGER PRIMARY KEY);\n";
    let model = interpret(sql);
    assert_eq!(model.virtual_tables.len(), 3);
    let tables: Vec<&str> = model.tables.iter().map(|t| t.name.name.as_str()).collect();
    assert_eq!(tables, ["notes_archive"], "only the table of its own");
    let ws = workspace();
    ws.write("schema.sql", sql);
    ws.migrate(&["new", "init"])
        .success()
        .stderr_has("schema.sql:3:1: `CREATE TABLE notes_content (a shadow table of virtual table notes)` skipped");
    ws.migrate(&["apply"]).success();
    round_trip(&ws, sql, "again");
    ws.db()
        .execute(
            "INSERT INTO notes (title, body) VALUES ('a', 'hello world')",
            [],
        )
        .unwrap();
}

/// A migration written by hand keeps its comments in the database's text
/// (`PRAGMA table_info` prints a default as written): they are white space.
#[test]
fn comments_in_hand_written_expressions_are_no_drift() {
    let ws = workspace();
    ws.migrate(&["new", "--empty", "hand"]).success();
    let dir = ws.migration_dirs().last().unwrap().clone();
    ws.write(
        &format!("migrations/{dir}/up.sql"),
        "CREATE TABLE t (\n  id INTEGER PRIMARY KEY,\n  n INT DEFAULT (1 /* one */ + 1) CHECK (n > 0 -- positive\n  ),\n  s TEXT DEFAULT 'a--b' CHECK (s <> '/*x*/')\n);\n",
    );
    ws.write(&format!("migrations/{dir}/down.sql"), "DROP TABLE t;\n");
    ws.migrate(&["hash"]).success();
    ws.migrate(&["apply"]).success();
    let diff = ws.migrate(&[
        "diff",
        "--from",
        "database",
        "--to",
        "migrations",
        "--exit-code",
    ]);
    assert_eq!(diff.code(), 0, "{}{}", diff.stdout(), diff.stderr());
}

/// SQLite matches names without case but keeps them as written: a column
/// spelled differently in schema.sql is renamed to that spelling, and the
/// database's column names are the schema's.
#[test]
fn a_respelled_column_is_renamed() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cases/172_column_respelled_sqlite"
    );
    let from = std::fs::read_to_string(format!("{dir}/from.sql")).unwrap();
    let to = std::fs::read_to_string(format!("{dir}/to.sql")).unwrap();
    let ws = workspace();
    round_trip(&ws, &from, "init");
    ws.write("schema.sql", &to);
    ws.migrate(&["new", "respell"]).success();
    let dir = ws.migration_dirs().last().cloned().unwrap_or_default();
    let up = ws.read(&format!("migrations/{dir}/up.sql"));
    assert!(
        up.contains("RENAME COLUMN \"Entry Id\" TO \"entry id\""),
        "{up}"
    );
    ws.migrate(&["apply"]).success();
    let names: Vec<String> = {
        let conn = ws.db();
        let mut stmt = conn
            .prepare("SELECT name FROM pragma_table_info('ledger') ORDER BY cid")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(names, ["entry id", "amount", "Memo"]);
    round_trip(&ws, &to, "again");
}

/// PRAGMA shows no conflict clause, so it is read from the stored text; it
/// round-trips, and the table behaves as written: an INSERT on the REPLACE
/// key replaces the row, one on the IGNORE key is dropped.
#[test]
fn conflict_clauses_round_trip_and_resolve_conflicts() {
    let sql = "CREATE TABLE settings (\n    scope TEXT NOT NULL,\n    name TEXT NOT NULL,\n    \
               value TEXT,\n    PRIMARY KEY (scope, name) ON CONFLICT REPLACE\n);\n\
               CREATE TABLE contacts (\n    id INTEGER PRIMARY KEY ON CONFLICT ROLLBACK AUTOINCREMENT,\n    \
               email TEXT UNIQUE ON CONFLICT IGNORE,\n    phone TEXT,\n    \
               CONSTRAINT one_phone UNIQUE (phone) ON CONFLICT FAIL\n);\n";
    let ws = workspace();
    round_trip(&ws, sql, "init");
    let db = ws.db();
    db.execute_batch(
        "INSERT INTO settings VALUES ('app', 'theme', 'light');
         INSERT INTO settings VALUES ('app', 'theme', 'dark');
         INSERT INTO contacts (email) VALUES ('a@example.com');
         INSERT INTO contacts (email) VALUES ('a@example.com');",
    )
    .unwrap();
    let settings: Vec<String> = db
        .prepare("SELECT value FROM settings")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(settings, ["dark"]);
    let contacts: i64 = db
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(contacts, 1);

    // A changed clause rebuilds the table, and the rebuilt one resolves
    // the new way.
    let changed = sql.replace("ON CONFLICT REPLACE", "ON CONFLICT ABORT");
    round_trip(&ws, &changed, "abort");
    assert!(
        ws.db()
            .execute("INSERT INTO settings VALUES ('app', 'theme', 'x')", [])
            .is_err()
    );
}

/// SQLite declares a `CREATE TABLE … AS SELECT` table's columns by the
/// affinity of each expression (`TEXT`, `INT`, `NUM`, `REAL`), none for an
/// expression without one: what SQLite itself stores is what the model says.
#[test]
fn tables_created_as_select_declare_their_affinities() {
    let sql = "CREATE TABLE s (a VARCHAR(10), b INTEGER, c DECIMAL(5,2), d BLOB, e, f DATETIME, g REAL);\n\
               CREATE VIEW v AS SELECT a, b + 1 AS n FROM s;\n\
               CREATE TABLE t AS SELECT a, b, c, d, e, f, g, 1 AS x, CAST(b AS TEXT) AS y,\n  \
               a || 'x' AS w, s.b AS q FROM s;\n\
               CREATE TABLE u AS SELECT * FROM v;\n\
               CREATE TABLE w AS SELECT z.a FROM (SELECT a FROM s) AS z;\n";
    let model = interpret(sql);
    let declared = |table: &str| -> Vec<String> {
        let t = model
            .tables
            .iter()
            .find(|t| t.name.name == table)
            .expect("table");
        t.columns.iter().map(|c| c.ty.to_string()).collect()
    };
    assert_eq!(
        declared("t"),
        [
            "TEXT", "INT", "NUM", "", "", "NUM", "REAL", "", "TEXT", "", "INT"
        ]
    );
    assert_eq!(declared("u"), ["TEXT", ""]);
    // SQLite itself, given the same SQL, stores the same columns.
    let ws = workspace();
    ws.db().execute_batch(sql).unwrap();
    let mut live = read(&ws);
    live.views.clear();
    let mut expected = model.clone();
    expected.views.clear();
    assert_eq!(live, expected, "SQLite's own CREATE TABLE … AS SELECT");
    // And the tool builds the same.
    let ws = workspace();
    round_trip(&ws, sql, "init");

    let e = migrate_build::ddl::parse_schema(
        D,
        &[SourceFile {
            path: "schema.sql",
            sql: "CREATE TABLE s (b INTEGER);\nCREATE TABLE t AS SELECT b + 1 FROM s;",
        }],
    )
    .expect_err("an unnamed expression");
    assert_eq!((e.line, e.column), (2, 1));
    assert!(e.message.contains("AS name"), "{e}");
}

/// `NOT NULL ON CONFLICT REPLACE` stores the column's default instead of
/// failing: modelled, rendered, read back, and a changed clause rebuilds.
#[test]
fn not_null_conflict_clauses_round_trip_and_resolve_conflicts() {
    let sql = "CREATE TABLE prefs (\n    id INTEGER PRIMARY KEY,\n    \
               theme TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'light',\n    \
               lang TEXT NOT NULL ON CONFLICT IGNORE\n);\n";
    let model = interpret(sql);
    let prefs = &model.tables[0];
    assert_eq!(
        prefs.columns[1].not_null_conflict,
        Some(migrate_build::schema::ConflictAction::Replace)
    );
    // SQLite's own file of the same SQL reads back as the model.
    let own = workspace();
    own.db().execute_batch(sql).unwrap();
    assert_eq!(read(&own), model);

    let ws = workspace();
    round_trip(&ws, sql, "init");
    let db = ws.db();
    db.execute_batch(
        "INSERT INTO prefs (id, theme, lang) VALUES (1, NULL, 'en');
         INSERT INTO prefs (id, theme, lang) VALUES (2, 'dark', NULL);",
    )
    .unwrap();
    let themes: Vec<String> = db
        .prepare("SELECT theme FROM prefs ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // REPLACE stored the default; IGNORE skipped the second row.
    assert_eq!(themes, ["light"]);

    let changed = sql.replace("ON CONFLICT REPLACE", "ON CONFLICT ABORT");
    round_trip(&ws, &changed, "abort");
    assert!(
        ws.db()
            .execute(
                "INSERT INTO prefs (id, theme, lang) VALUES (3, NULL, 'en')",
                []
            )
            .is_err()
    );
}

#[test]
fn key_columns_with_an_order_are_refused_where_written() {
    let e = migrate_build::ddl::parse_schema(
        D,
        &[SourceFile {
            path: "schema.sql",
            sql: "CREATE TABLE a (x INTEGER);\nCREATE TABLE t (x INTEGER, y TEXT, PRIMARY KEY (x DESC, y)) WITHOUT ROWID;",
        }],
    )
    .expect_err("a descending key column");
    assert_eq!((e.line, e.column), (2, 1));
    assert!(e.message.contains("x DESC"), "{e}");
    // ASC is the order a key has anyway.
    interpret("CREATE TABLE t (x INTEGER, y TEXT, PRIMARY KEY (x ASC, y)) WITHOUT ROWID;");
}
