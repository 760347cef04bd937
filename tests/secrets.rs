//! No password in any output: a known password given through every way of
//! passing a URL, times every failure (and success) the real binary can be
//! driven into, checked on stdout, stderr and JSON.

mod common;

use std::process::Command;

use common::pg::TestDb;
use common::workspace::{Run, Workspace};

/// Distinctive enough that no message contains it by chance; every check
/// also looks for its halves, so a password cut in two is caught too.
const PW: &str = "Sekr3tPw";

fn leaked(text: &str, password: &str) -> bool {
    let half = PW.len() / 2;
    text.contains(password) || text.contains(&PW[..half]) || text.contains(&PW[half..])
}

/// How a URL reaches the binary.
#[derive(Clone, Copy, Debug)]
enum Via {
    Flag,
    Env,
    DotEnv,
    Config,
}

const ALL_WAYS: [Via; 4] = [Via::Flag, Via::Env, Via::DotEnv, Via::Config];

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A PostgreSQL workspace with one migration, its URL given `via`.
fn workspace(via: Via, url: &str) -> Workspace {
    let ws = Workspace::new("postgres", "CREATE TABLE t (id int PRIMARY KEY);\n");
    ws.migrate(&["new", "init"]).success();
    match via {
        Via::Flag | Via::Env => {}
        Via::DotEnv => ws.write(
            ".env",
            &format!("OTHER_SECRET=x{PW}\nDATABASE_URL='{url}'\n"),
        ),
        Via::Config => {
            let manifest = ws.read("Cargo.toml");
            ws.write(
                "Cargo.toml",
                &format!("{manifest}database_url = {}\n", toml_string(url)),
            );
        }
    }
    ws
}

fn command(ws: &Workspace, via: Via, url: &str, args: &[&str]) -> Command {
    let mut all: Vec<&str> = args.to_vec();
    if let Via::Flag = via {
        all.extend(["--database-url", url]);
    }
    let mut cmd = ws.command(&all);
    if let Via::Env = via {
        cmd.env("DATABASE_URL", url);
    }
    cmd
}

/// Runs and asserts that nothing printed holds `password` (or half of it).
#[track_caller]
fn run_clean(ws: &Workspace, via: Via, url: &str, args: &[&str], password: &str) -> Run {
    let run = Run {
        output: command(ws, via, url, args).output().unwrap(),
    };
    let all = format!("{}{}", run.stdout(), run.stderr());
    assert!(
        !leaked(&all, password),
        "{via:?} {url} {args:?} (exit {}):\n{all}",
        run.code()
    );
    run
}

const COMMANDS: [&[&str]; 4] = [
    &["status"],
    &["apply"],
    &["status", "--format", "json"],
    &["check"],
];

/// URLs that connect (the test server trusts every password) with passwords
/// whose characters a text-based redaction got wrong.
fn working_urls(db: &TestDb) -> Vec<(String, String)> {
    let (base, name) = db.url.rsplit_once('/').unwrap();
    let host = base.strip_prefix("postgres://postgres@").unwrap();
    let (h, port) = host.split_once(':').unwrap_or((host, "5432"));
    let mut urls = Vec::new();
    for password in [
        PW.to_string(),
        format!("{}/{}", &PW[..4], &PW[4..]),
        format!("{}#{}", &PW[..4], &PW[4..]),
        format!("{}?{}", &PW[..4], &PW[4..]),
        format!("{}:{}", &PW[..4], &PW[4..]),
        format!("{}%40{}", &PW[..4], &PW[4..]),
    ] {
        urls.push((
            format!("postgres://postgres:{password}@{host}/{name}"),
            password.replace("%40", "@"),
        ));
    }
    urls.push((
        format!("postgres://postgres@{host}/{name}?pass%77ord={PW}"),
        PW.to_string(),
    ));
    urls.push((
        format!("postgresql://{host}/{name}?user=postgres&password={PW}&sslmode=disable"),
        PW.to_string(),
    ));
    urls.push((
        format!("host={h} port={port} user=postgres password={PW} dbname={name}"),
        PW.to_string(),
    ));
    urls.push((
        format!("host={h} port={port} user=postgres password='{PW} x' dbname={name}"),
        PW.to_string(),
    ));
    urls
}

/// URLs that cannot work, each for another reason.
fn failing_urls(db: &TestDb) -> Vec<String> {
    let (base, name) = db.url.rsplit_once('/').unwrap();
    let host = base.strip_prefix("postgres://postgres@").unwrap();
    vec![
        // Mistyped schemes.
        format!("postgres:/postgres:{PW}@{host}/{name}"),
        format!("postgres:postgres:{PW}@{host}/{name}"),
        format!("postgresql:/postgres:{PW}@{host}"),
        format!("mysql://root:{PW}@{host}/{name}"),
        format!("{PW}"),
        // Nothing listens on port 1.
        format!("postgres://app:{PW}@127.0.0.1:1/{name}"),
        // Not a port.
        format!("postgres://app:{PW}@127.0.0.1:port{PW}/{name}"),
        format!("host=127.0.0.1 port=x{PW} password={PW}"),
        // An `@` in the password, not encoded.
        format!(
            "postgres://postgres:{}@{}@{host}/{name}",
            &PW[..4],
            &PW[4..]
        ),
        // The server refuses: no such role, no such database.
        format!("postgres://nosuchrole:{PW}@{host}/{name}"),
        format!("postgres://postgres:{PW}@{host}/no_such_db_here"),
        // Unknown options and typos, in both forms.
        format!("postgres://postgres:{PW}@{host}/{name}?x{PW}=1"),
        format!("postgres://postgres:{PW}@{host}/{name}?sslmod=disable"),
        format!("postgres://postgres:{PW}@{host}/{name}?sslmode={PW}"),
        format!("host={host} pasword={PW} dbname={name}"),
        format!("host={host} x{PW}=1 password={PW}"),
        format!("host={host} password={} {}", &PW[..4], &PW[4..]),
        format!("host={host} password='{PW}"),
        // TLS the server does not offer with a certificate we trust.
        format!("postgres://postgres:{PW}@{host}/{name}?sslmode=verify-full"),
    ]
}

#[test]
fn working_urls_never_show_the_password() {
    let mut db = test_db!();
    let mut runs = 0;
    for via in ALL_WAYS {
        for (url, password) in working_urls(&db) {
            if matches!(via, Via::DotEnv) && url.contains('\'') {
                continue;
            }
            // Each workspace writes its own migration.
            db.exec("DROP TABLE IF EXISTS public._migrate_history, public.t");
            let ws = workspace(via, &url);
            for args in COMMANDS {
                let run = run_clean(&ws, via, &url, args, &password);
                assert!(
                    [0, 2].contains(&run.code()),
                    "{via:?} {url} {args:?}: {}",
                    run.stderr()
                );
                runs += 1;
            }
            let json = Run {
                output: command(&ws, via, &url, &["status", "--format", "json"])
                    .output()
                    .unwrap(),
            };
            let value: serde_json::Value = serde_json::from_str(&json.stdout())
                .unwrap_or_else(|e| panic!("{e}: {}", json.stdout()));
            let shown = value["database"].as_str().unwrap_or_default();
            assert!(shown.contains("***"), "{url}: {shown}");
            assert!(!leaked(shown, &password), "{url}: {shown}");
        }
    }
    eprintln!("{runs} runs with working URLs");
}

#[test]
fn failing_urls_never_show_the_password() {
    let db = test_db!();
    let mut runs = 0;
    for via in ALL_WAYS {
        for url in failing_urls(&db) {
            if matches!(via, Via::DotEnv) && url.contains('\'') {
                continue;
            }
            let ws = workspace(via, &url);
            for args in &COMMANDS[..3] {
                let run = run_clean(&ws, via, &url, args, PW);
                assert_eq!(run.code(), 1, "{via:?} {url} {args:?}: {}", run.stderr());
                assert!(run.stderr().contains("error: "), "{}", run.stderr());
                runs += 1;
            }
        }
    }
    eprintln!("{runs} runs with failing URLs");
}

/// The mistakes around the URL: the files that hold it cannot be read.
#[test]
fn broken_files_holding_the_url_never_show_it() {
    let url = format!("postgres://app:{PW}@127.0.0.1:1/app");
    // .env: a broken line, with secrets on it and on other lines.
    let ws = workspace(Via::Flag, &url);
    for dotenv in [
        format!("TOKEN={PW}\nTHIS LINE IS {PW} BROKEN\nDATABASE_URL='{url}'\n"),
        format!("DATABASE_URL=\"{url}\nTOKEN={PW}\n"),
        format!("DATABASE_URL={url} {PW}\n"),
    ] {
        ws.write(".env", &dotenv);
        let run = run_clean(&ws, Via::Env, "", &["status"], PW);
        assert_eq!(run.code(), 1, "{dotenv}: {}", run.stderr());
        assert!(run.stderr().contains(".env"), "{}", run.stderr());
    }
    let bad_line = {
        ws.write(
            ".env",
            &format!("A=1\nB='{PW}'\nTHIS LINE IS {PW} BROKEN\nDATABASE_URL='{url}'\n"),
        );
        run_clean(&ws, Via::Env, "", &["status"], PW)
    };
    assert!(
        bad_line.stderr().contains("line 3"),
        "{}",
        bad_line.stderr()
    );
    std::fs::remove_file(ws.path(".env")).unwrap();

    // Cargo.toml: TOML errors (reported by cargo metadata and by our reader),
    // and a database_url of the wrong type.
    let manifest = ws.read("Cargo.toml");
    for table in [
        format!("database_url = \"{url}\n"),
        format!("database_url = \"{url}\"\ndatabase_url = \"{url}\"\n"),
        format!("database_url = {url}\n"),
        format!("database_url = [\"{url}\"]\n"),
        format!("database_url = {{ url = \"{url}\" }}\n"),
        format!("database_urls = \"{url}\"\n"),
    ] {
        ws.write("Cargo.toml", &format!("{manifest}{table}"));
        for args in COMMANDS {
            let run = run_clean(&ws, Via::Env, "", args, PW);
            assert_eq!(run.code(), 1, "{table}: {}", run.stderr());
            assert!(run.stderr().contains("Cargo.toml"), "{}", run.stderr());
        }
    }
}

/// `CREATE/ALTER ROLE … PASSWORD '…'` in a failing migration: the statement
/// is printed and stored with the literal hidden, `-v` included.
#[test]
fn failing_role_statements_hide_their_password_literal() {
    let mut db = test_db!();
    let role_pw = "R0lePassw0rd";
    for (up, expect) in [
        // The server quotes the token it stops at: the literal itself.
        (
            format!("CREATE ROLE migrate_r PASSWORD '{role_pw}' '{role_pw}';\n"),
            "syntax error",
        ),
        (
            format!(
                "CREATE TABLE a (id int);\nALTER ROLE migrate_no_such_role WITH ENCRYPTED PASSWORD E'{role_pw}';\n"
            ),
            "does not exist",
        ),
        // The literal on a later line than the statement's first.
        (
            format!(
                "ALTER ROLE migrate_no_such_role\n    PASSWORD '{role_pw}' VALID UNTIL 'infinity';\n"
            ),
            "does not exist",
        ),
    ] {
        db.exec("DROP TABLE IF EXISTS public._migrate_history; DROP TABLE IF EXISTS a;");
        let ws = Workspace::new("postgres", "");
        ws.migrate(&["new", "--empty", "role"]).success();
        let dir = ws.migration_dirs().last().unwrap().clone();
        ws.write(&format!("migrations/{dir}/up.sql"), &up);
        ws.migrate(&["hash"]).success();
        // A dry run prints the migration: the literal is hidden there too.
        let dry = Run {
            output: ws
                .command(&["apply", "--dry-run"])
                .env("DATABASE_URL", &db.url)
                .output()
                .unwrap(),
        };
        let printed = format!("{}{}", dry.stdout(), dry.stderr());
        assert!(dry.stdout().contains("'***'"), "{printed}");
        assert!(!printed.contains(role_pw), "{printed}");
        let run = Run {
            output: ws
                .command(&["-v", "apply"])
                .env("DATABASE_URL", &db.url)
                .output()
                .unwrap(),
        };
        assert_eq!(run.code(), 1, "{}", run.stderr());
        let all = format!("{}{}", run.stdout(), run.stderr());
        assert!(!all.contains(role_pw), "{all}");
        assert!(all.contains(expect), "{all}");
        assert!(all.contains("'***'"), "{all}");
        let error: Option<String> = db
            .client
            .query_one("SELECT error FROM public._migrate_history", &[])
            .unwrap()
            .get(0);
        let error = error.unwrap_or_default();
        assert!(error.contains(expect), "{error}");
        assert!(!error.contains(role_pw), "{error}");
    }
}
