//! `migrations/migrate.lock`: the dialect and a hash of every migration,
//! chained in order, so that editing an applied migration, deleting one, or
//! two branches adding migrations in parallel is caught before it reaches a
//! database.
//!
//! # Format
//!
//! ```text
//! sum 3c1f…e2                                  (64 hex digits: the chain's last link)
//! dialect postgres
//! 20261101120000_create_users 9a0b…41          (one line per migration, in order:
//! 20261125093000_add_loyalty_program 77d2…0c    `<version>_<name> <checksum of up.sql>`)
//! ```
//!
//! The first line is a hash over everything below it, like `atlas.sum`: two
//! branches that each add a migration both change it and both append a line
//! at the end of the file, so git reports a conflict when they merge instead
//! of silently keeping two histories. The chain is
//! `link₀ = sha256("migrate.lock v1\ndialect <d>\n")`,
//! `linkᵢ = sha256(linkᵢ₋₁ ‖ "\n" ‖ version ‖ "\n" ‖ name ‖ "\n" ‖ checksum ‖ "\n")`
//! (links as hex text), and `sum` is the last link. Names may contain spaces
//! (diesel allows them); the checksum is the last word of a line, the version
//! is everything before the first `_`. Line endings may be LF or CRLF.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use super::checksum::hex;
use super::{Migration, MigrationsError};
use crate::dialect::Dialect;
use sha2::{Digest, Sha256};

/// The lock file's name inside the migrations folder.
pub const FILE_NAME: &str = "migrate.lock";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lock {
    pub dialect: Dialect,
    pub entries: Vec<LockEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockEntry {
    pub version: String,
    pub name: String,
    /// [`super::checksum`] of `up.sql`.
    pub checksum: String,
    /// The chain's link after this entry (see the module docs).
    pub chained: String,
}

impl Lock {
    /// The `sum` line: the last link of the chain.
    pub fn sum(&self) -> String {
        match self.entries.last() {
            Some(e) => e.chained.clone(),
            None => seed(self.dialect),
        }
    }

    /// The file's text.
    pub fn render(&self) -> String {
        let mut out = format!("sum {}\ndialect {}\n", self.sum(), self.dialect);
        for e in &self.entries {
            out.push_str(&format!("{}_{} {}\n", e.version, e.name, e.checksum));
        }
        out
    }

    /// Parses a lock file's text; `path` is for messages. Fails when the
    /// `sum` line does not match the entries.
    pub fn parse(text: &str, path: &Path) -> Result<Lock, MigrationsError> {
        let syntax = |line: usize, message: String| MigrationsError::LockSyntax {
            path: path.to_path_buf(),
            line,
            message,
        };
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end()));
        if let Some((n, _)) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.starts_with("<<<<<<<") || l.starts_with(">>>>>>>"))
        {
            return Err(syntax(
                n + 1,
                "git merge conflict: two branches added migrations. Resolve it by keeping one \
                 side's lock file, then give your own new migrations a newer version \
                 (delete them and run `cargo migrate new <name>`), and run `cargo migrate hash`"
                    .to_string(),
            ));
        }
        let sum = match lines.next() {
            Some((_, l)) => l
                .strip_prefix("sum ")
                .filter(|h| is_hash(h))
                .ok_or_else(|| syntax(1, "expected `sum <64 hex digits>`".to_string()))?,
            None => return Err(syntax(1, "empty lock file".to_string())),
        };
        let dialect = match lines.next() {
            Some((n, l)) => {
                let d = l
                    .strip_prefix("dialect ")
                    .ok_or_else(|| syntax(n, "expected `dialect <sqlite|postgres>`".to_string()))?;
                d.parse::<Dialect>().map_err(|e| syntax(n, e.to_string()))?
            }
            None => {
                return Err(syntax(
                    2,
                    "expected `dialect <sqlite|postgres>`".to_string(),
                ));
            }
        };
        let mut entries = Vec::new();
        let mut link = seed(dialect);
        for (n, line) in lines {
            if line.is_empty() {
                continue;
            }
            let shape = "expected `<version>_<name> <checksum>`";
            let (id, checksum) = line
                .rsplit_once(' ')
                .filter(|(_, c)| is_hash(c))
                .ok_or_else(|| syntax(n, shape.to_string()))?;
            let (version, name) = id.split_once('_').unwrap_or((id, ""));
            if version.is_empty() {
                return Err(syntax(n, shape.to_string()));
            }
            link = next_link(&link, version, name, checksum);
            entries.push(LockEntry {
                version: version.to_string(),
                name: name.to_string(),
                checksum: checksum.to_string(),
                chained: link.clone(),
            });
        }
        if link != sum {
            return Err(MigrationsError::LockSumMismatch {
                path: path.to_path_buf(),
            });
        }
        Ok(Lock { dialect, entries })
    }
}

fn is_hash(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn seed(dialect: Dialect) -> String {
    hex(&Sha256::digest(
        format!("migrate.lock v1\ndialect {dialect}\n").as_bytes(),
    ))
}

fn next_link(previous: &str, version: &str, name: &str, checksum: &str) -> String {
    hex(&Sha256::digest(
        format!("{previous}\n{version}\n{name}\n{checksum}\n").as_bytes(),
    ))
}

/// The lock for `migrations` (in the order given, which is application order).
pub fn compute(dialect: Dialect, migrations: &[Migration]) -> Lock {
    let mut link = seed(dialect);
    let entries = migrations
        .iter()
        .filter(|m| !m.is_repeatable())
        .map(|m| {
            let checksum = m.checksum();
            link = next_link(&link, &m.version, &m.name, &checksum);
            LockEntry {
                version: m.version.clone(),
                name: m.name.clone(),
                checksum,
                chained: link.clone(),
            }
        })
        .collect();
    Lock { dialect, entries }
}

pub fn path(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

/// The lock file of migrations folder `dir`; `None` when there is none.
pub fn read(dir: &Path) -> Result<Option<Lock>, MigrationsError> {
    let path = path(dir);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let text = super::decode_sql(&path, bytes)?;
            Lock::parse(&text, &path).map(Some)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(MigrationsError::Io { path, source }),
    }
}

/// Writes the lock file of `dir` (through a temporary file and a rename, so
/// that an interrupted write never leaves half a lock).
pub fn write(dir: &Path, lock: &Lock) -> Result<(), MigrationsError> {
    let path = path(dir);
    let tmp = dir.join(format!(".{FILE_NAME}.tmp"));
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| MigrationsError::Io { path: p, source }
    };
    super::write_synced(&tmp, &lock.render()).map_err(io(&tmp))?;
    std::fs::rename(&tmp, &path).map_err(io(&path))?;
    super::sync_dir(dir).map_err(io(dir))
}

/// Why the lock file and the folder disagree: every problem found, in
/// migration order.
#[derive(Debug)]
pub struct LockMismatch {
    pub lock_path: PathBuf,
    pub problems: Vec<LockProblem>,
}

#[derive(Debug)]
pub enum LockProblem {
    /// The folder has migrations but no lock file.
    Missing,
    /// The lock file cannot be read (syntax, merge conflict, wrong sum).
    Unreadable(MigrationsError),
    DialectChanged {
        locked: Dialect,
        configured: Dialect,
    },
    /// `up.sql` changed after it was locked.
    Edited { id: String, path: PathBuf },
    /// Same version, another name.
    Renamed {
        version: String,
        locked_name: String,
        name: String,
    },
    /// Locked, no longer in the folder.
    Removed { id: String },
    /// New, after every locked migration: not hashed yet.
    Added { id: String, path: PathBuf },
    /// New, with an empty `up.sql`: what an interrupted `cargo migrate new`
    /// leaves; hashing it would lock an empty migration.
    HalfWritten { id: String, path: PathBuf },
    /// New, but sorting before `before`, which was locked already: two
    /// branches added migrations in parallel.
    Inserted {
        id: String,
        path: PathBuf,
        before: String,
    },
    /// Locked migrations whose relative order changed.
    Reordered { id: String, after: String },
}

impl fmt::Display for LockProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HASH: &str = "run `cargo migrate hash`";
        match self {
            LockProblem::Missing => write!(f, "there is no lock file: {HASH} to create it"),
            LockProblem::Unreadable(e) => write!(f, "{e}"),
            LockProblem::DialectChanged { locked, configured } => write!(
                f,
                "the lock was written for {locked} but the configured dialect is {configured}: \
                 migrations written for one database do not run on another; if the switch is \
                 deliberate, rewrite the migrations and {HASH}"
            ),
            LockProblem::Edited { id, path } => write!(
                f,
                "`{id}` was edited after it was locked ({}): databases that applied it will \
                 not see the change. Restore it (`git checkout -- <file>`), or if the edit \
                 is deliberate and no shared database applied it yet, {HASH}",
                path.display()
            ),
            LockProblem::Renamed {
                version,
                locked_name,
                name,
            } => write!(
                f,
                "migration {version} was renamed from `{locked_name}` to `{name}`: restore the \
                 name, or {HASH} if no shared database applied it yet"
            ),
            LockProblem::Removed { id } => write!(
                f,
                "`{id}` is locked but no longer in the folder: restore it, or {HASH} if no \
                 shared database applied it yet"
            ),
            LockProblem::Added { id, path } => write!(
                f,
                "`{id}` is not in the lock file ({}): {HASH} (`cargo migrate new` does it \
                 for the migrations it writes)",
                path.display()
            ),
            LockProblem::HalfWritten { id, path } => write!(
                f,
                "`{id}` has an empty up.sql and is not in the lock file ({}): it looks like a \
                 half-written migration (an interrupted `cargo migrate new`). Delete its folder and \
                 run `cargo migrate new <name>` again; if you are writing it by hand, fill it in, \
                 then {HASH}",
                path.display()
            ),
            LockProblem::Inserted { id, path, before } => write!(
                f,
                "`{id}` sorts before `{before}`, which was locked earlier: two branches added \
                 migrations in parallel. Delete {} and run `cargo migrate new <name>`, which \
                 regenerates it with a newer version against the merged migrations",
                path.display()
            ),
            LockProblem::Reordered { id, after } => write!(
                f,
                "`{id}` now sorts after `{after}`, the other way round from the lock file: \
                 restore the versions, or {HASH} if no shared database applied them yet"
            ),
        }
    }
}

impl fmt::Display for LockMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} does not match the migrations:",
            self.lock_path.display()
        )?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LockMismatch {}

/// Checks `dir`'s lock file against `migrations` (as [`super::load`] returns
/// them) and the configured `dialect`.
pub fn verify(dir: &Path, dialect: Dialect, migrations: &[Migration]) -> Result<(), LockMismatch> {
    let lock_path = path(dir);
    let fail = |problems| {
        Err(LockMismatch {
            lock_path: lock_path.clone(),
            problems,
        })
    };
    let lock = match read(dir) {
        Ok(Some(lock)) => lock,
        Ok(None) if migrations.iter().all(Migration::is_repeatable) => return Ok(()),
        Ok(None) => return fail(vec![LockProblem::Missing]),
        Err(e) => return fail(vec![LockProblem::Unreadable(e)]),
    };
    let problems = compare(&lock, dialect, migrations);
    if problems.is_empty() {
        Ok(())
    } else {
        fail(problems)
    }
}

/// Every difference between `lock` and `migrations`.
pub fn compare(lock: &Lock, dialect: Dialect, migrations: &[Migration]) -> Vec<LockProblem> {
    let mut problems = Vec::new();
    if lock.dialect != dialect {
        problems.push(LockProblem::DialectChanged {
            locked: lock.dialect,
            configured: dialect,
        });
    }
    // Repeatable migrations change by design: the lock leaves them out.
    let migrations: Vec<&Migration> = migrations.iter().filter(|m| !m.is_repeatable()).collect();
    let folder: HashMap<&str, usize> = migrations
        .iter()
        .enumerate()
        .map(|(i, m)| (m.version.as_str(), i))
        .collect();
    let locked: HashSet<&str> = lock.entries.iter().map(|e| e.version.as_str()).collect();
    // Position in the folder of each locked entry still present.
    let mut positions: Vec<(usize, &LockEntry)> = Vec::new();
    for entry in &lock.entries {
        let Some(&pos) = folder.get(entry.version.as_str()) else {
            problems.push(LockProblem::Removed {
                id: format!("{}_{}", entry.version, entry.name),
            });
            continue;
        };
        let m = migrations[pos];
        if m.name != entry.name {
            problems.push(LockProblem::Renamed {
                version: entry.version.clone(),
                locked_name: entry.name.clone(),
                name: m.name.clone(),
            });
        }
        if m.checksum() != entry.checksum {
            problems.push(LockProblem::Edited {
                id: m.id(),
                path: m.up.path.clone(),
            });
        }
        positions.push((pos, entry));
    }
    for pair in positions.windows(2) {
        if let [(a_pos, a), (b_pos, b)] = pair
            && b_pos < a_pos
        {
            problems.push(LockProblem::Reordered {
                id: format!("{}_{}", a.version, a.name),
                after: format!("{}_{}", b.version, b.name),
            });
        }
    }
    let last_locked = positions.iter().map(|(p, _)| *p).max();
    for (pos, m) in migrations.iter().enumerate() {
        if locked.contains(m.version.as_str()) {
            continue;
        }
        let next_locked = positions
            .iter()
            .filter(|(p, _)| *p > pos)
            .min_by_key(|(p, _)| *p);
        match (last_locked, next_locked) {
            (Some(last), Some((_, before))) if pos < last => problems.push(LockProblem::Inserted {
                id: m.id(),
                path: m.up.path.clone(),
                before: format!("{}_{}", before.version, before.name),
            }),
            _ if m.up.sql.trim().is_empty() => problems.push(LockProblem::HalfWritten {
                id: m.id(),
                path: m.up.path.clone(),
            }),
            _ => problems.push(LockProblem::Added {
                id: m.id(),
                path: m.up.path.clone(),
            }),
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrations::{MigrationFile, load, write_new};

    fn migration(version: &str, name: &str, up: &str) -> Migration {
        Migration {
            version: version.to_string(),
            name: name.to_string(),
            up: MigrationFile {
                path: PathBuf::from(format!("{version}_{name}/up.sql")),
                sql: up.to_string(),
            },
            down: None,
            no_transaction: false,
        }
    }

    fn three() -> Vec<Migration> {
        vec![
            migration("20260101000000", "a", "CREATE TABLE a (x int);"),
            migration("20260102000000", "b", "CREATE TABLE b (x int);"),
            migration("20260103000000", "c c", "CREATE TABLE c (x int);"),
        ]
    }

    #[test]
    fn render_parse_round_trip() {
        let lock = compute(Dialect::Postgres, &three());
        let text = lock.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[0], format!("sum {}", lock.sum()));
        assert_eq!(lines[1], "dialect postgres");
        assert!(lines[4].starts_with("20260103000000_c c "));
        let parsed = Lock::parse(&text, Path::new("migrate.lock")).unwrap();
        assert_eq!(parsed, lock);
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(Lock::parse(&crlf, Path::new("x")).unwrap(), lock);
    }

    #[test]
    fn sum_depends_on_order_dialect_and_contents() {
        let ms = three();
        let base = compute(Dialect::Postgres, &ms).sum();
        assert_ne!(compute(Dialect::Sqlite, &ms).sum(), base);
        let swapped = vec![ms[1].clone(), ms[0].clone(), ms[2].clone()];
        assert_ne!(compute(Dialect::Postgres, &swapped).sum(), base);
        let mut edited = ms.clone();
        edited[0].up.sql.push(' ');
        assert_ne!(compute(Dialect::Postgres, &edited).sum(), base);
        assert_ne!(
            compute(Dialect::Postgres, &[]).sum(),
            compute(Dialect::Sqlite, &[]).sum()
        );
    }

    #[test]
    fn parse_rejects_tampering_and_conflicts() {
        let text = compute(Dialect::Sqlite, &three()).render();
        let tampered = text.replacen("20260102000000_b", "20260102000000_x", 1);
        assert!(matches!(
            Lock::parse(&tampered, Path::new("m.lock")),
            Err(MigrationsError::LockSumMismatch { .. })
        ));
        let conflict = format!("<<<<<<< HEAD\n{text}=======\n{text}>>>>>>> branch\n");
        let err = Lock::parse(&conflict, Path::new("m.lock")).unwrap_err();
        assert!(
            err.to_string().starts_with("m.lock:1: git merge conflict"),
            "{err}"
        );
        let err = Lock::parse("sum abc\n", Path::new("m.lock")).unwrap_err();
        assert_eq!(err.to_string(), "m.lock:1: expected `sum <64 hex digits>`");
        let bad_dialect = text.replace("dialect sqlite", "dialect mysql");
        let err = Lock::parse(&bad_dialect, Path::new("m.lock")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("m.lock:2: unknown dialect `mysql`"),
            "{err}"
        );
        let bad_line = format!("{text}garbage\n");
        let err = Lock::parse(&bad_line, Path::new("m.lock")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "m.lock:6: expected `<version>_<name> <checksum>`"
        );
    }

    #[test]
    fn compare_names_each_problem() {
        let ms = three();
        let lock = compute(Dialect::Sqlite, &ms);
        assert!(compare(&lock, Dialect::Sqlite, &ms).is_empty());

        let mut edited = ms.clone();
        edited[1].up.sql = "CREATE TABLE b (y int);".to_string();
        let p = compare(&lock, Dialect::Sqlite, &edited);
        assert!(matches!(&p[..], [LockProblem::Edited { id, .. }] if id == "20260102000000_b"));

        let removed = vec![ms[0].clone(), ms[2].clone()];
        let p = compare(&lock, Dialect::Sqlite, &removed);
        assert!(matches!(&p[..], [LockProblem::Removed { id }] if id == "20260102000000_b"));

        let mut added = ms.clone();
        added.push(migration("20260104000000", "d", "SELECT 1;"));
        let p = compare(&lock, Dialect::Sqlite, &added);
        assert!(matches!(&p[..], [LockProblem::Added { id, .. }] if id == "20260104000000_d"));

        let mut inserted = ms.clone();
        inserted.insert(2, migration("20260102120000", "parallel", "SELECT 1;"));
        let p = compare(&lock, Dialect::Sqlite, &inserted);
        assert!(matches!(&p[..], [LockProblem::Inserted { id, before, .. }]
            if id == "20260102120000_parallel" && before == "20260103000000_c c"));
        assert!(
            p[0].to_string()
                .contains("two branches added migrations in parallel")
        );

        let p = compare(&lock, Dialect::Postgres, &ms);
        assert!(matches!(
            &p[..],
            [LockProblem::DialectChanged {
                locked: Dialect::Sqlite,
                configured: Dialect::Postgres
            }]
        ));

        let mut renamed = ms.clone();
        renamed[0].name = "aa".to_string();
        let p = compare(&lock, Dialect::Sqlite, &renamed);
        assert!(
            matches!(&p[..], [LockProblem::Renamed { locked_name, name, .. }] if locked_name == "a" && name == "aa")
        );

        let mut reordered = lock.clone();
        reordered.entries.swap(0, 1);
        let p = compare(&reordered, Dialect::Sqlite, &ms);
        assert!(matches!(&p[..], [LockProblem::Reordered { .. }]));
    }

    #[test]
    fn verify_on_disk() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        assert!(verify(dir, Dialect::Sqlite, &[]).is_ok());
        write_new(dir, "20260101000000", "a", "CREATE TABLE a (x int);\n", "").unwrap();
        let ms = load(dir, Dialect::Sqlite).unwrap();
        let err = verify(dir, Dialect::Sqlite, &ms).unwrap_err();
        assert!(matches!(&err.problems[..], [LockProblem::Missing]));
        write(dir, &compute(Dialect::Sqlite, &ms)).unwrap();
        assert_eq!(read(dir).unwrap(), Some(compute(Dialect::Sqlite, &ms)));
        // The lock file is not taken for a migration.
        assert_eq!(load(dir, Dialect::Sqlite).unwrap(), ms);
        assert!(verify(dir, Dialect::Sqlite, &ms).is_ok());

        std::fs::write(
            dir.join("20260101000000_a/up.sql"),
            "CREATE TABLE a (x text);\n",
        )
        .unwrap();
        let ms = load(dir, Dialect::Sqlite).unwrap();
        let err = verify(dir, Dialect::Sqlite, &ms).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("migrate.lock does not match the migrations:"),
            "{msg}"
        );
        assert!(
            msg.contains("`20260101000000_a` was edited after it was locked"),
            "{msg}"
        );
        assert!(msg.contains("cargo migrate hash"), "{msg}");

        std::fs::write(path(dir), "sum 00\n").unwrap();
        let err = verify(dir, Dialect::Sqlite, &ms).unwrap_err();
        assert!(matches!(
            &err.problems[..],
            [LockProblem::Unreadable(MigrationsError::LockSyntax {
                line: 1,
                ..
            })]
        ));
    }

    /// The format's purpose: two branches that each add a migration conflict
    /// in git, rather than merging into a lock that hides one of them.
    #[test]
    fn parallel_branches_conflict_in_git() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path();
        let git = |args: &[&str]| {
            std::process::Command::new("git")
                .args([
                    "-c",
                    "user.name=t",
                    "-c",
                    "user.email=t@t",
                    "-c",
                    "init.defaultBranch=main",
                ])
                .args(args)
                .current_dir(repo)
                .output()
        };
        if git(&["init", "-q"]).is_err() {
            assert!(
                std::env::var_os("CI").is_none(),
                "git is required when CI is set"
            );
            eprintln!("note: git not found, test skipped");
            return;
        }
        let base = three();
        write(repo, &compute(Dialect::Sqlite, &base)).unwrap();
        git(&["add", "."]).unwrap();
        git(&["commit", "-qm", "base"]).unwrap();
        git(&["checkout", "-qb", "feature"]).unwrap();
        let mut feature = base.clone();
        feature.push(migration("20260104000000", "feature", "SELECT 1;"));
        write(repo, &compute(Dialect::Sqlite, &feature)).unwrap();
        git(&["commit", "-qam", "feature"]).unwrap();
        git(&["checkout", "-q", "main"]).unwrap();
        let mut other = base.clone();
        other.push(migration("20260105000000", "other", "SELECT 2;"));
        write(repo, &compute(Dialect::Sqlite, &other)).unwrap();
        git(&["commit", "-qam", "other"]).unwrap();
        let merge = git(&["merge", "-q", "feature"]).unwrap();
        assert!(!merge.status.success(), "the merge must stop on a conflict");
        let err = read(repo).unwrap_err();
        assert!(err.to_string().contains("git merge conflict"), "{err}");
    }
}
