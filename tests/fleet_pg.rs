//! One command on many PostgreSQL targets: a schema per tenant
//! (`--schemas PATTERN`, each with its own history table and search_path)
//! and a database per tenant (`--databases FILE`), passwords never shown.

mod common;

use common::pg::TestDb;
use common::workspace::{Run, Workspace};

fn migrations(ws: &Workspace, list: &[(&str, &str)]) {
    for (i, (name, up)) in list.iter().enumerate() {
        let dir = format!("{}_{name}", 20260101000000u64 + i as u64);
        ws.write(&format!("migrations/{dir}/up.sql"), up);
    }
    ws.migrate(&["hash"]).success();
}

fn run(ws: &Workspace, url: &str, args: &[&str]) -> Run {
    let mut c = ws.command(args);
    c.env("DATABASE_URL", url);
    Run {
        output: c.output().unwrap(),
    }
}

fn tables_in(db: &mut TestDb, schema: &str) -> Vec<String> {
    db.client
        .query(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = $1 ORDER BY 1",
            &[&schema],
        )
        .unwrap()
        .into_iter()
        .map(|r| r.get(0))
        .collect()
}

fn history_in(db: &mut TestDb, schema: &str) -> Vec<(String, bool)> {
    db.client
        .query(
            &format!("SELECT name, success FROM \"{schema}\"._migrate_history ORDER BY version"),
            &[],
        )
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[test]
fn schema_per_tenant_each_with_its_own_history_and_a_failing_one() {
    let mut db = test_db!();
    db.exec(
        "CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE SCHEMA tenant_c; CREATE SCHEMA other;
         CREATE TABLE tenant_b.accounts (x int);",
    );
    let ws = Workspace::new("postgres", "");
    migrations(
        &ws,
        &[
            ("users", "CREATE TABLE users (id int PRIMARY KEY);\n"),
            (
                "accounts",
                "CREATE TABLE accounts (id int PRIMARY KEY, user_id int REFERENCES users (id));\n",
            ),
        ],
    );
    let r = run(
        &ws,
        &db.url,
        &["apply", "--schemas", "tenant\\_%", "--jobs", "3"],
    )
    .code_is(1)
    .stdout_has("schema tenant_a: applied 2 migrations")
    .stdout_has("schema tenant_c: applied 2 migrations")
    .stdout_has("schema tenant_b: failed: migration 20260101000001_accounts failed")
    .stdout_has("3 target(s): 2 applied, 1 failed");
    assert!(r.stdout().contains("already exists"), "{}", r.stdout());
    for t in ["tenant_a", "tenant_c"] {
        assert_eq!(
            tables_in(&mut db, t),
            vec!["_migrate_history", "accounts", "users"]
        );
        assert_eq!(
            history_in(&mut db, t),
            vec![("users".to_string(), true), ("accounts".to_string(), true)]
        );
    }
    assert_eq!(
        history_in(&mut db, "tenant_b"),
        vec![("users".to_string(), true), ("accounts".to_string(), false)]
    );
    // Nothing outside the tenants.
    assert!(tables_in(&mut db, "other").is_empty());
    assert!(tables_in(&mut db, "public").is_empty());

    // Status per tenant, as JSON.
    let r = run(
        &ws,
        &db.url,
        &["status", "--schemas", "tenant\\_%", "--format", "json"],
    )
    .code_is(2);
    let json: serde_json::Value = serde_json::from_str(&r.stdout()).unwrap();
    let by_schema: Vec<(String, String)> = json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["schema"].as_str().unwrap().to_string(),
                t["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        by_schema,
        vec![
            ("tenant_a".to_string(), "up_to_date".to_string()),
            ("tenant_b".to_string(), "problems".to_string()),
            ("tenant_c".to_string(), "up_to_date".to_string()),
        ]
    );

    // The single-transaction mode per tenant: tenant_b, settled and fixed,
    // gets its migration in one transaction.
    db.exec(
        "DROP TABLE tenant_b.accounts; DELETE FROM tenant_b._migrate_history WHERE NOT success;",
    );
    run(
        &ws,
        &db.url,
        &["apply", "--schemas", "tenant\\_%", "--single-transaction"],
    )
    .success()
    .stdout_has("schema tenant_a: up to date")
    .stdout_has("schema tenant_b: applied 1 migration");
    assert_eq!(history_in(&mut db, "tenant_b").len(), 2);

    run(&ws, &db.url, &["apply", "--schemas", "nomatch%"])
        .code_is(1)
        .stderr_has("no schema of");
}

#[test]
fn database_per_tenant_with_a_password_that_is_never_shown() {
    let mut one = test_db!();
    let mut two = test_db!();
    let ws = Workspace::new("postgres", "");
    migrations(
        &ws,
        &[("users", "CREATE TABLE users (id int PRIMARY KEY);\n")],
    );
    // The local server trusts every connection: the password is only text
    // to keep out of every output.
    let secret = "Fl33tSecretPw";
    let with_password = |url: &str| {
        url.replacen(
            "postgres://postgres@",
            &format!("postgres://postgres:{secret}@"),
            1,
        )
    };
    ws.write(
        "tenants",
        &format!(
            "{}\n{}\npostgres://postgres:{secret}@127.0.0.1:1/unreachable\n",
            with_password(&one.url),
            with_password(&two.url)
        ),
    );
    let r = run(&ws, &one.url, &["apply", "--databases", "tenants"]).code_is(1);
    for text in [r.stdout(), r.stderr()] {
        assert!(!text.contains(secret), "{text}");
    }
    assert!(
        r.stdout().contains("3 target(s): 2 applied, 1 failed"),
        "{}",
        r.stdout()
    );
    let r = run(
        &ws,
        &one.url,
        &["apply", "--databases", "tenants", "--format", "json"],
    )
    .code_is(1);
    assert!(!r.stdout().contains(secret) && !r.stderr().contains(secret));
    let json: serde_json::Value = serde_json::from_str(&r.stdout()).unwrap();
    assert_eq!(json["up_to_date"], 2);
    assert_eq!(json["failed"], 1);
    for db in [&mut one, &mut two] {
        assert_eq!(tables_in(db, "public"), vec!["_migrate_history", "users"]);
    }
    // check on the two reachable ones: in sync, no drift.
    ws.write(
        "tenants",
        &format!("{}\n{}\n", with_password(&one.url), with_password(&two.url)),
    );
    ws.write("schema.sql", "CREATE TABLE users (id int PRIMARY KEY);\n");
    run(&ws, &one.url, &["check", "--databases", "tenants"])
        .success()
        .stdout_has("2 target(s): 2 up to date");
}
