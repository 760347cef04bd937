use super::*;

const PG: Dialect = Dialect::Postgres;
const SQLITE: Dialect = Dialect::Sqlite;

fn schema(dialect: Dialect, sql: &str) -> Schema {
    ddl::parse_schema(
        dialect,
        &[SourceFile {
            path: "before.sql",
            sql,
        }],
    )
    .unwrap()
    .0
}

fn run(dialect: Dialect, before: &str, up: &str, no_transaction: bool) -> Vec<Finding> {
    let before = schema(dialect, before);
    lint_script(
        &before,
        &before,
        Script {
            path: "up.sql",
            sql: up,
            no_transaction,
        },
        &LintConfig::default(),
    )
    .unwrap()
    .0
}

/// The codes found, with their lines.
fn codes(dialect: Dialect, before: &str, up: &str) -> Vec<(&'static str, usize)> {
    run(dialect, before, up, false)
        .iter()
        .map(|f| (f.rule.code, f.line))
        .collect()
}

fn has(dialect: Dialect, before: &str, up: &str, code: &str) -> bool {
    codes(dialect, before, up).iter().any(|(c, _)| *c == code)
}

const USERS: &str =
    "CREATE TABLE users (id integer PRIMARY KEY, email text, name varchar(100), age text);";

#[test]
fn every_code_is_registered_once_and_named() {
    for (i, r) in RULES.iter().enumerate() {
        assert_eq!(find_rule(r.code), Some(r));
        assert_eq!(find_rule(r.name), Some(r));
        assert!(
            RULES[..i]
                .iter()
                .all(|o| o.code != r.code && o.name != r.name)
        );
    }
    // Every code a rule module writes is in the registry.
    let sources = [
        include_str!("destructive.rs"),
        include_str!("data.rs"),
        include_str!("locking.rs"),
        include_str!("compat.rs"),
        include_str!("sqlite.rs"),
    ];
    for source in sources {
        for part in source.split('"').skip(1).step_by(2) {
            let looks_like_code = part.len() == 5
                && part[..2].bytes().all(|b| b.is_ascii_uppercase())
                && part[2..].bytes().all(|b| b.is_ascii_digit());
            if looks_like_code {
                assert!(find_rule(part).is_some(), "{part} is not in RULES");
            }
        }
    }
}

#[test]
fn ds101_drop_table() {
    for d in [PG, SQLITE] {
        assert!(has(d, USERS, "DROP TABLE users;", "DS101"));
        // Created and dropped in one migration: nothing was there.
        assert!(!has(
            d,
            "",
            "CREATE TABLE t (a int);\nDROP TABLE t;",
            "DS101"
        ));
    }
}

#[test]
fn ds102_drop_column() {
    for d in [PG, SQLITE] {
        assert_eq!(
            codes(d, USERS, "ALTER TABLE users DROP COLUMN email;")
                .iter()
                .filter(|(c, _)| *c == "DS102")
                .count(),
            1
        );
        assert!(!has(
            d,
            USERS,
            "ALTER TABLE users ADD COLUMN x text;",
            "DS102"
        ));
    }
}

#[test]
fn ds103_drop_schema() {
    assert!(has(PG, "CREATE SCHEMA app;", "DROP SCHEMA app;", "DS103"));
    assert!(!has(
        PG,
        "CREATE SCHEMA app;",
        "CREATE SCHEMA other;",
        "DS103"
    ));
}

#[test]
fn ds104_enum_values_removed() {
    let before = "CREATE TYPE mood AS ENUM ('happy', 'sad', 'meh');\nCREATE TABLE p (m mood);";
    // PostgreSQL cannot drop a value: the type is made again (as `new` writes it).
    let up = "ALTER TYPE mood RENAME TO mood_old;\n\
              CREATE TYPE mood AS ENUM ('happy', 'sad');\n\
              ALTER TABLE p ALTER COLUMN m TYPE mood USING m::text::mood;\n\
              DROP TYPE mood_old;";
    let found = run(PG, before, up, false);
    let ds104: Vec<_> = found.iter().filter(|f| f.rule.code == "DS104").collect();
    assert_eq!(ds104.len(), 1, "{found:#?}");
    assert_eq!(ds104[0].line, 2);
    assert!(ds104[0].message.contains("'meh'"));
    assert_eq!(
        ds104[0].probes,
        vec![Probe::EnumValues {
            table: crate::schema::QualifiedName::new("p"),
            column: "m".into(),
            values: vec!["meh".into()]
        }]
    );
    assert!(!has(
        PG,
        before,
        "ALTER TYPE mood ADD VALUE 'glad';",
        "DS104"
    ));
    assert!(!has(
        PG,
        before,
        "ALTER TYPE mood RENAME VALUE 'meh' TO 'okay';",
        "DS104"
    ));
}

#[test]
fn ds105_type_narrowing() {
    let found = run(
        PG,
        USERS,
        "ALTER TABLE users ALTER COLUMN name TYPE varchar(20);",
        false,
    );
    let f = found.iter().find(|f| f.rule.code == "DS105").unwrap();
    assert!(matches!(f.probes[0], Probe::TooLong { max: 20, .. }));
    assert!(has(
        PG,
        "CREATE TABLE t (n bigint);",
        "ALTER TABLE t ALTER COLUMN n TYPE integer;",
        "DS105"
    ));
    assert!(!has(
        PG,
        USERS,
        "ALTER TABLE users ALTER COLUMN name TYPE varchar(200);",
        "DS105"
    ));
    assert!(!has(
        PG,
        USERS,
        "ALTER TABLE users ALTER COLUMN name TYPE text;",
        "DS105"
    ));
}

#[test]
fn mf101_add_not_null_column_without_default() {
    assert!(has(
        PG,
        USERS,
        "ALTER TABLE users ADD COLUMN note text NOT NULL;",
        "MF101"
    ));
    assert!(!has(
        PG,
        USERS,
        "ALTER TABLE users ADD COLUMN note text NOT NULL DEFAULT '';",
        "MF101"
    ));
    assert!(!has(
        PG,
        USERS,
        "ALTER TABLE users ADD COLUMN note text;",
        "MF101"
    ));
    assert!(!has(
        PG,
        USERS,
        "ALTER TABLE users ADD COLUMN n integer GENERATED ALWAYS AS IDENTITY;",
        "MF101"
    ));
    assert!(!has(
        PG,
        "",
        "CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b text NOT NULL;",
        "MF101"
    ));
    // SQLite: the rebuild `new` writes copies rows without a value for it.
    let rebuild = "CREATE TABLE new_users (id integer PRIMARY KEY, email text, name varchar(100), age text, note text NOT NULL);\n\
                   INSERT INTO new_users (id, email, name, age) SELECT id, email, name, age FROM users;\n\
                   DROP TABLE users;\n\
                   ALTER TABLE new_users RENAME TO users;";
    let found = codes(SQLITE, USERS, rebuild);
    assert!(found.contains(&("MF101", 1)), "{found:?}");
    assert!(found.contains(&("SL101", 1)), "{found:?}");
    assert!(!found.iter().any(|(c, _)| *c == "DS101"), "{found:?}");
}

#[test]
fn mf102_set_not_null() {
    let found = run(
        PG,
        USERS,
        "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
        false,
    );
    let f = found.iter().find(|f| f.rule.code == "MF102").unwrap();
    assert_eq!(
        f.probes,
        vec![Probe::Nulls {
            table: crate::schema::QualifiedName::new("users"),
            columns: vec!["email".into()]
        }]
    );
    assert!(!has(
        PG,
        USERS,
        "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;",
        "MF102"
    ));
    let rebuild = "CREATE TABLE new_users (id integer PRIMARY KEY, email text NOT NULL, name varchar(100), age text);\n\
                   INSERT INTO new_users SELECT * FROM users;\n\
                   DROP TABLE users;\n\
                   ALTER TABLE new_users RENAME TO users;";
    assert!(has(SQLITE, USERS, rebuild, "MF102"));
    let same = rebuild.replace("email text NOT NULL", "email text");
    assert!(!has(SQLITE, USERS, &same, "MF102"));
}

#[test]
fn mf103_add_unique() {
    for d in [PG, SQLITE] {
        assert!(has(
            d,
            USERS,
            "CREATE UNIQUE INDEX users_email ON users (email);",
            "MF103"
        ));
        assert!(!has(
            d,
            USERS,
            "CREATE INDEX users_email ON users (email);",
            "MF103"
        ));
    }
    assert!(has(
        PG,
        USERS,
        "ALTER TABLE users ADD CONSTRAINT u UNIQUE (email);",
        "MF103"
    ));
}

#[test]
fn mf104_add_primary_key() {
    let before = "CREATE TABLE t (a integer, b text);";
    let found = run(PG, before, "ALTER TABLE t ADD PRIMARY KEY (a);", false);
    let f = found.iter().find(|f| f.rule.code == "MF104").unwrap();
    assert_eq!(f.probes.len(), 2);
    assert!(!has(
        PG,
        USERS,
        "ALTER TABLE users ADD COLUMN x int;",
        "MF104"
    ));
    let rebuild = "CREATE TABLE new_t (a integer PRIMARY KEY, b text);\n\
                   INSERT INTO new_t SELECT a, b FROM t;\nDROP TABLE t;\nALTER TABLE new_t RENAME TO t;";
    assert!(has(SQLITE, before, rebuild, "MF104"));
}

#[test]
fn mf105_add_check() {
    assert!(has(
        PG,
        USERS,
        "ALTER TABLE users ADD CONSTRAINT adult CHECK (age <> '');",
        "MF105"
    ));
    assert!(!has(
        PG,
        USERS,
        "ALTER TABLE users ADD CONSTRAINT adult CHECK (age <> '') NOT VALID;",
        "MF105"
    ));
    // Validating it later is when rows are checked.
    let before =
        format!("{USERS}\nALTER TABLE users ADD CONSTRAINT adult CHECK (age <> '') NOT VALID;");
    let found = codes(PG, &before, "ALTER TABLE users VALIDATE CONSTRAINT adult;");
    assert!(found.contains(&("MF105", 1)), "{found:?}");
    assert!(!found.iter().any(|(c, _)| *c == "PG103"), "{found:?}");
    let rebuild = "CREATE TABLE new_users (id integer PRIMARY KEY, email text, name varchar(100), age text, CHECK (age <> ''));\n\
                   INSERT INTO new_users SELECT * FROM users;\nDROP TABLE users;\nALTER TABLE new_users RENAME TO users;";
    assert!(has(SQLITE, USERS, rebuild, "MF105"));
}

#[test]
fn mf106_add_foreign_key() {
    let before = "CREATE TABLE a (id integer PRIMARY KEY);\nCREATE TABLE b (id integer PRIMARY KEY, a_id integer);";
    let found = run(
        PG,
        before,
        "ALTER TABLE b ADD FOREIGN KEY (a_id) REFERENCES a (id);",
        false,
    );
    let f = found.iter().find(|f| f.rule.code == "MF106").unwrap();
    assert!(
        matches!(&f.probes[0], Probe::Orphans { referenced_columns, .. } if referenced_columns == &["id".to_string()])
    );
    assert!(!has(
        PG,
        before,
        "ALTER TABLE b ADD FOREIGN KEY (a_id) REFERENCES a (id) NOT VALID;",
        "MF106"
    ));
    let rebuild = "CREATE TABLE new_b (id integer PRIMARY KEY, a_id integer REFERENCES a (id));\n\
                   INSERT INTO new_b SELECT id, a_id FROM b;\nDROP TABLE b;\nALTER TABLE new_b RENAME TO b;";
    assert!(has(SQLITE, before, rebuild, "MF106"));
    assert!(!has(
        SQLITE,
        before,
        "CREATE TABLE c (a_id integer REFERENCES a (id));",
        "MF106"
    ));
}

#[test]
fn mf107_type_change_can_fail() {
    assert!(has(
        PG,
        USERS,
        "ALTER TABLE users ALTER COLUMN age TYPE integer USING age::integer;",
        "MF107"
    ));
    assert!(!has(
        PG,
        USERS,
        "ALTER TABLE users ALTER COLUMN id TYPE bigint;",
        "MF107"
    ));
    // SQLite keeps values as they are, unless the table is STRICT.
    let rebuild = "CREATE TABLE new_t (a INTEGER);\nINSERT INTO new_t SELECT a FROM t;\nDROP TABLE t;\nALTER TABLE new_t RENAME TO t;";
    assert!(!has(SQLITE, "CREATE TABLE t (a TEXT);", rebuild, "MF107"));
    let strict = "CREATE TABLE new_t (a INTEGER) STRICT;\nINSERT INTO new_t SELECT a FROM t;\nDROP TABLE t;\nALTER TABLE new_t RENAME TO t;";
    assert!(has(
        SQLITE,
        "CREATE TABLE t (a TEXT) STRICT;",
        strict,
        "MF107"
    ));
}

#[test]
fn pg101_create_index_without_concurrently() {
    assert!(has(PG, USERS, "CREATE INDEX i ON users (email);", "PG101"));
    let found = run(
        PG,
        USERS,
        "CREATE INDEX CONCURRENTLY i ON users (email);",
        true,
    );
    assert!(found.is_empty(), "{found:#?}");
    // A table of the same migration holds no rows yet.
    assert!(!has(
        PG,
        "",
        "CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);",
        "PG101"
    ));
}

#[test]
fn pg102_concurrently_in_transaction() {
    let found = run(
        PG,
        USERS,
        "CREATE INDEX CONCURRENTLY i ON users (email);",
        false,
    );
    let f = found.iter().find(|f| f.rule.code == "PG102").unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert!(
        !run(
            PG,
            USERS,
            "CREATE INDEX CONCURRENTLY i ON users (email);",
            true
        )
        .iter()
        .any(|f| f.rule.code == "PG102")
    );
}

#[test]
fn pg103_constraint_without_not_valid() {
    let before = "CREATE TABLE a (id integer PRIMARY KEY);\nCREATE TABLE b (id integer PRIMARY KEY, a_id integer);";
    assert!(has(
        PG,
        before,
        "ALTER TABLE b ADD FOREIGN KEY (a_id) REFERENCES a (id);",
        "PG103"
    ));
    assert!(has(
        PG,
        before,
        "ALTER TABLE b ADD CHECK (a_id > 0);",
        "PG103"
    ));
    assert!(!has(
        PG,
        before,
        "ALTER TABLE b ADD FOREIGN KEY (a_id) REFERENCES a (id) NOT VALID;",
        "PG103"
    ));
    assert!(!has(
        PG,
        before,
        "ALTER TABLE b ADD CHECK (a_id > 0) NOT VALID;",
        "PG103"
    ));
}

#[test]
fn pg104_set_not_null_scans() {
    assert!(has(
        PG,
        USERS,
        "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
        "PG104"
    ));
    let proven = format!("{USERS}\nALTER TABLE users ADD CONSTRAINT e CHECK (email IS NOT NULL);");
    assert!(!has(
        PG,
        &proven,
        "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
        "PG104"
    ));
}

#[test]
fn pg105_type_change_rewrites() {
    assert!(has(
        PG,
        USERS,
        "ALTER TABLE users ALTER COLUMN id TYPE bigint;",
        "PG105"
    ));
    assert!(!has(
        PG,
        USERS,
        "ALTER TABLE users ALTER COLUMN name TYPE varchar(200);",
        "PG105"
    ));
    assert!(!has(
        PG,
        USERS,
        "ALTER TABLE users ALTER COLUMN name TYPE text;",
        "PG105"
    ));
}

#[test]
fn pg106_volatile_default() {
    assert!(has(
        PG,
        USERS,
        "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();",
        "PG106"
    ));
    assert!(!has(
        PG,
        USERS,
        "ALTER TABLE users ADD COLUMN at timestamptz DEFAULT now();",
        "PG106"
    ));
}

#[test]
fn pg107_constraint_builds_index() {
    let before = "CREATE TABLE t (a integer NOT NULL);";
    assert!(has(
        PG,
        before,
        "ALTER TABLE t ADD PRIMARY KEY (a);",
        "PG107"
    ));
    assert!(has(PG, before, "ALTER TABLE t ADD UNIQUE (a);", "PG107"));
    let with_index = format!("{before}\nCREATE UNIQUE INDEX t_a ON t (a);");
    assert!(!has(
        PG,
        &with_index,
        "ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_a;",
        "PG107"
    ));
}

#[test]
fn pg108_lock_timeout() {
    let found = codes(
        PG,
        USERS,
        "ALTER TABLE users ADD COLUMN x text;\nALTER TABLE users ADD COLUMN y text;",
    );
    assert_eq!(
        found.iter().filter(|(c, _)| *c == "PG108").count(),
        1,
        "{found:?}"
    );
    assert!(!has(
        PG,
        USERS,
        "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN x text;",
        "PG108"
    ));
    assert!(!has(PG, "", "CREATE TABLE t (a int);", "PG108"));
}

#[test]
fn bc_renames_and_drops_of_what_the_application_uses() {
    for d in [PG, SQLITE] {
        assert!(has(
            d,
            USERS,
            "ALTER TABLE users RENAME TO people;",
            "BC101"
        ));
        assert!(has(
            d,
            USERS,
            "ALTER TABLE users RENAME COLUMN email TO mail;",
            "BC102"
        ));
        assert!(has(d, USERS, "DROP TABLE users;", "BC103"));
        assert!(!has(
            d,
            USERS,
            "ALTER TABLE users RENAME COLUMN email TO mail;",
            "DS102"
        ));
        assert!(!has(
            d,
            "",
            "CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN a TO b;",
            "BC102"
        ));
    }
    // Linted as a range: the application knows the schema before the first.
    let migrations: Vec<Migration> = [
        ("1", USERS),
        ("2", "CREATE TABLE t (a int);"),
        (
            "3",
            "ALTER TABLE t RENAME COLUMN a TO b;\nALTER TABLE users RENAME COLUMN email TO mail;",
        ),
    ]
    .iter()
    .map(|(v, sql)| Migration {
        version: v.to_string(),
        name: "m".into(),
        up: crate::migrations::MigrationFile {
            path: format!("{v}/up.sql").into(),
            sql: sql.to_string(),
        },
        down: None,
        no_transaction: false,
    })
    .collect();
    let found = lint_migrations(
        PG,
        &migrations,
        |i, _| i >= 1,
        &LintConfig::default(),
        |p| p.display().to_string(),
    )
    .unwrap();
    let bc: Vec<_> = found.iter().filter(|f| f.rule.code == "BC102").collect();
    assert_eq!(bc.len(), 1, "{found:#?}");
    assert_eq!((bc[0].path.as_str(), bc[0].line), ("3/up.sql", 2));
}

#[test]
fn sl101_rebuild_names_the_table() {
    let rebuild = "CREATE TABLE new_users (id integer PRIMARY KEY, email text);\n\
                   INSERT INTO new_users SELECT id, email FROM users;\n\
                   DROP TABLE users;\n\
                   ALTER TABLE new_users RENAME TO users;";
    let found = run(SQLITE, USERS, rebuild, false);
    let f = found.iter().find(|f| f.rule.code == "SL101").unwrap();
    assert!(f.message.contains("`users`"), "{}", f.message);
    // The columns it leaves out are dropped.
    assert_eq!(
        found.iter().filter(|f| f.rule.code == "DS102").count(),
        2,
        "{found:#?}"
    );
    assert!(!has(
        SQLITE,
        USERS,
        "ALTER TABLE users ADD COLUMN x text;",
        "SL101"
    ));
}

#[test]
fn sl102_sl103_add_column_forms_sqlite_refuses() {
    let found = run(
        SQLITE,
        USERS,
        "ALTER TABLE users ADD COLUMN x text NOT NULL;",
        false,
    );
    let f = found.iter().find(|f| f.rule.code == "SL102").unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert!(!found.iter().any(|f| f.rule.code == "MF101"));
    assert!(!has(
        SQLITE,
        USERS,
        "ALTER TABLE users ADD COLUMN x text NOT NULL DEFAULT '';",
        "SL102"
    ));
    assert!(has(
        SQLITE,
        USERS,
        "ALTER TABLE users ADD COLUMN at text DEFAULT CURRENT_TIMESTAMP;",
        "SL103"
    ));
    assert!(!has(
        SQLITE,
        USERS,
        "ALTER TABLE users ADD COLUMN at text DEFAULT 'x';",
        "SL103"
    ));
}

#[test]
fn configuration_and_suppression() {
    let before = schema(PG, USERS);
    let up = "-- migrate:lint-ignore DS101 replaced by accounts\nDROP TABLE users;";
    let lint = |config: &LintConfig, sql: &str| {
        lint_script(
            &before,
            &before,
            Script {
                path: "up.sql",
                sql,
                no_transaction: false,
            },
            config,
        )
        .unwrap()
        .0
    };
    let found = lint(&LintConfig::default(), up);
    assert!(!found.iter().any(|f| f.rule.code == "DS101"), "{found:#?}");
    assert!(found.iter().any(|f| f.rule.code == "BC103"));
    // By name, too.
    let up = "-- migrate:lint-ignore drop-in-use gone\n-- migrate:lint-ignore DS101 gone\nDROP TABLE users;";
    assert!(
        lint(&LintConfig::default(), up)
            .iter()
            .all(|f| f.rule.code == "PG108")
    );
    let config = LintConfig {
        levels: vec![("DS101", Level::Error), ("BC103", Level::Off)],
    };
    let found = lint(&config, "DROP TABLE users;");
    let ds: Vec<_> = found.iter().filter(|f| f.rule.code != "PG108").collect();
    assert_eq!(ds.len(), 1, "{found:#?}");
    assert_eq!(
        (ds[0].rule.code, ds[0].severity),
        ("DS101", Severity::Error)
    );
}

#[test]
fn probes_are_queries_the_databases_run() {
    let t = crate::schema::QualifiedName::new("Users");
    let p = Probe::Orphans {
        table: t.clone(),
        columns: vec!["a_id".into()],
        referenced_table: crate::schema::QualifiedName::new("a"),
        referenced_columns: vec!["id".into()],
    };
    assert_eq!(
        p.sql(PG),
        "SELECT count(*) FROM \"Users\" AS child WHERE child.a_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM a AS parent WHERE parent.id = child.a_id)"
    );
    assert_eq!(
        Probe::Rows { table: t.clone() }.describe(1),
        "`Users` has 1 row now"
    );
}
