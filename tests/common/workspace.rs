//! Scratch cargo workspaces and the cargo-migrate binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The cargo-migrate binary, built once per test process. Cargo only sets
/// `CARGO_BIN_EXE_*` for a package's own binaries, so the root package builds
/// it through cargo (quick when up to date), as escargot does.
pub fn binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        // target/<profile>/deps/<test> → target/<profile>
        let exe = std::env::current_exe().unwrap();
        let profile_dir = exe.parent().unwrap().parent().unwrap().to_path_buf();
        let mut cmd = Command::new(cargo);
        cmd.args([
            "build",
            "--quiet",
            "-p",
            "cargo-migrate",
            "--bin",
            "cargo-migrate",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        let status = cmd.status().expect("running cargo build");
        assert!(status.success(), "cargo build -p cargo-migrate failed");
        let bin = profile_dir.join(format!("cargo-migrate{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.exists(), "{} not built", bin.display());
        bin
    })
}

/// A temporary cargo workspace with a migrate config.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    /// A workspace (root package + `[workspace]`) with no migrate config: for `init`.
    pub fn bare() -> Workspace {
        let dir = tempfile::Builder::new()
            .prefix("migrate-ws-")
            .tempdir()
            .unwrap();
        let ws = Workspace { dir };
        ws.write(
            "Cargo.toml",
            "# The app's manifest; comments must survive `init`.\n\
             [package]\n\
             name = \"app\"\n\
             version = \"0.1.0\"\n\
             edition = \"2024\"\n\
             \n\
             [workspace]\n",
        );
        ws.write("src/lib.rs", "");
        ws
    }

    /// Configured for `dialect`, with `schema` as schema.sql and an empty,
    /// locked migrations folder (what `init` leaves).
    pub fn new(dialect: &str, schema: &str) -> Workspace {
        let ws = Workspace::bare();
        let manifest = ws.read("Cargo.toml");
        ws.write(
            "Cargo.toml",
            &format!(
                "{manifest}\n[workspace.metadata.migrate]\ndialect = \"{dialect}\"\nschema = \"schema.sql\"\nmigrations = \"migrations\"\n"
            ),
        );
        ws.write("schema.sql", schema);
        std::fs::create_dir_all(ws.path("migrations")).unwrap();
        ws.migrate(&["hash"]).success();
        ws
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, contents: &str) {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(p, contents).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// `cargo migrate <args>` in the workspace, with no DATABASE_URL from
    /// the environment running the tests.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(binary());
        cmd.arg("migrate")
            .args(args)
            .current_dir(self.root())
            .env_remove("DATABASE_URL")
            .env("NO_COLOR", "1");
        cmd
    }

    pub fn migrate(&self, args: &[&str]) -> Run {
        let output = self.command(args).output().unwrap();
        Run { output }
    }

    /// Migration folder names (`<version>_<name>`), in order.
    pub fn migration_dirs(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path("migrations"))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A workspace whose history is two migrations written by `new`: `users`
    /// from `first`, then `posts` from `second`, with `extra_config` lines
    /// appended to the manifest. Returns the migration folder names.
    pub fn with_two_migrations(
        dialect: &str,
        first: &str,
        second: &str,
        extra_config: &str,
    ) -> (Workspace, Vec<String>) {
        let ws = Workspace::new(dialect, first);
        if !extra_config.is_empty() {
            let manifest = ws.read("Cargo.toml");
            ws.write("Cargo.toml", &format!("{manifest}{extra_config}\n"));
        }
        ws.migrate(&["new", "users"]).success();
        ws.write("schema.sql", second);
        ws.migrate(&["new", "posts"]).success();
        let dirs = ws.migration_dirs();
        assert_eq!(dirs.len(), 2);
        (ws, dirs)
    }

    /// The default database, `dev.db` beside the manifest.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.path("dev.db")).unwrap()
    }

    pub fn tables(&self) -> Vec<String> {
        let conn = self.db();
        let mut stmt = conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// Replaces the workspace's temp path (and its canonical form) and
    /// migration versions, for snapshots.
    pub fn redact(&self, text: &str) -> String {
        let mut out = versions_redacted(text);
        for p in [
            self.root().to_path_buf(),
            self.root().canonicalize().unwrap(),
        ] {
            out = out.replace(&p.display().to_string(), "[WS]");
        }
        out
    }
}

/// A finished run of the binary.
pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    fn describe(&self) -> String {
        format!(
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code(),
            self.stdout(),
            self.stderr()
        )
    }

    #[track_caller]
    pub fn success(self) -> Run {
        assert_eq!(self.code(), 0, "{}", self.describe());
        self
    }

    #[track_caller]
    pub fn code_is(self, code: i32) -> Run {
        assert_eq!(self.code(), code, "{}", self.describe());
        self
    }

    #[track_caller]
    pub fn failure(self) -> Run {
        self.code_is(1)
    }

    #[track_caller]
    pub fn stderr_has(self, needle: &str) -> Run {
        assert!(
            self.stderr().contains(needle),
            "stderr lacks {needle:?}\n{}",
            self.describe()
        );
        self
    }

    #[track_caller]
    pub fn stdout_has(self, needle: &str) -> Run {
        assert!(
            self.stdout().contains(needle),
            "stdout lacks {needle:?}\n{}",
            self.describe()
        );
        self
    }
}

/// The corpora folder, or `None` (with a note) when it is missing outside CI.
pub fn corpora() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    if dir.is_dir() {
        Some(dir)
    } else if std::env::var_os("CI").is_some() {
        panic!("corpora folder {} missing (CI is set)", dir.display());
    } else {
        eprintln!("note: {} missing; corpus test skipped", dir.display());
        None
    }
}

/// Runs of exactly 14 digits (migration versions) become `[VERSION]`.
pub fn versions_redacted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    for c in text.chars().chain(std::iter::once('\0')) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if digits.len() == 14 {
            out.push_str("[VERSION]");
        } else {
            out.push_str(&digits);
        }
        digits.clear();
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

/// The version of a migration folder name (`<version>_<name>`).
pub fn version_of(dir: &str) -> &str {
    dir.split('_').next().unwrap_or(dir)
}

/// Copies a file or a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

impl Workspace {
    /// Copies a corpus's migration entries (those named up to `cut`) into
    /// the workspace's `migrations` and locks them.
    pub fn add_corpus_migrations(&self, migrations: &Path, cut: Option<&str>) {
        for entry in std::fs::read_dir(migrations).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if cut.is_some_and(|c| name.as_str() > c) {
                continue;
            }
            copy_tree(&entry.path(), &self.path("migrations").join(&name));
        }
        self.migrate(&["hash"]).success();
    }
}

/// The last lemmy migration before its PostgreSQL 16 one
/// (`…_smoosh-tables-together`, see corpora_pg.rs), for a `cut`.
pub fn lemmy_before_postgres_16(folder: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let pg16 = names
        .iter()
        .position(|n| n.ends_with("_smoosh-tables-together"))
        .expect("lemmy's PostgreSQL 16 migration");
    names[pg16 - 1].clone()
}
