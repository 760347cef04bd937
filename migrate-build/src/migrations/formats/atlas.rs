//! Atlas: a folder of `<version>_<name>.sql` files with an `atlas.sum`
//! beside them. The sum is verified the way `atlas migrate validate` does:
//! each file's hash is SHA-256 over every file name and content up to and
//! including it, base64; the first line is `h1:` and the SHA-256 of every
//! name and hash. A folder whose files changed since `atlas migrate hash` is
//! refused, naming the first file that differs. `-- atlas:txmode none` in
//! a file's header runs it outside a transaction.

use crate::migrations::sha256::Sha256;

use super::super::{
    Migration, MigrationFile, MigrationsError, source::Entry, source::read_sql_file,
};
use super::{at, versioned_files};

pub(in crate::migrations) const SUM_FILE: &str = "atlas.sum";

pub(in crate::migrations) fn load(entries: &[Entry]) -> Result<Vec<Migration>, MigrationsError> {
    let mut files: Vec<(String, String, String, std::path::PathBuf)> = Vec::new();
    for (version, name, path) in versioned_files(entries, "Atlas's `<version>_<name>.sql`")? {
        let text = read_sql_file(&path)?;
        files.push((version.to_string(), name.to_string(), text, path));
    }
    // Atlas hashes files in name order.
    files.sort_by_key(|a| file_name(&a.3));
    let sum_path = entries
        .iter()
        .find(|e| e.name == SUM_FILE)
        .map(|e| e.path.clone())
        .unwrap_or_else(|| std::path::PathBuf::from(SUM_FILE));
    let raw: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(_, _, _, path)| {
            std::fs::read(path)
                .map(|bytes| (file_name(path), bytes))
                .map_err(|source| MigrationsError::Io {
                    path: path.clone(),
                    source,
                })
        })
        .collect::<Result<_, _>>()?;
    verify_sum(&sum_path, &read_sql_file(&sum_path)?, &raw)?;
    let mut migrations = Vec::new();
    for (version, name, text, path) in files {
        let no_transaction = header_directives(&text).any(|(k, v)| k == "txmode" && v == "none");
        if let Some((i, _)) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.trim_start().starts_with("-- atlas:delimiter"))
        {
            return Err(at(
                &path,
                i + 1,
                "`-- atlas:delimiter`: statements split on a delimiter of Atlas's choosing cannot be \
                 read; end each statement with `;`",
            ));
        }
        migrations.push(Migration {
            version,
            name,
            no_transaction: no_transaction || super::super::source::has_directive(&text),
            up: MigrationFile { path, sql: text },
            down: None,
        });
    }
    migrations.sort_by(|a, b| super::super::source::numeric_cmp(&a.version, &b.version));
    Ok(migrations)
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string()
}

/// `-- atlas:<key> <value>` lines of the header (the comment lines before
/// the first statement).
fn header_directives(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines()
        .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with("--"))
        .filter_map(|l| {
            let rest = l.trim().strip_prefix("-- atlas:")?;
            let (k, v) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            Some((k, v.trim()))
        })
}

/// Whether a file opts out of the sum (`-- atlas:sum ignore`).
fn sum_ignored(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes)
        .map(|t| header_directives(t).any(|(k, v)| k == "sum" && v == "ignore"))
        .unwrap_or(false)
}

/// The lines `atlas migrate hash` writes for `files` (name, bytes), in order:
/// `h1:<sum>` then `<name> h1:<hash>` each.
pub(in crate::migrations) fn hash_lines(
    files: &[(String, Vec<u8>)],
) -> (String, Vec<(String, String)>) {
    let mut running = Sha256::new();
    let mut hashes = Vec::new();
    for (name, bytes) in files {
        running.update(name.as_bytes());
        if sum_ignored(bytes) {
            continue;
        }
        running.update(bytes);
        hashes.push((name.clone(), base64(&running.clone().finalize())));
    }
    let mut total = Sha256::new();
    for (name, hash) in &hashes {
        total.update(name.as_bytes());
        total.update(hash.as_bytes());
    }
    (base64(&total.finalize()), hashes)
}

fn verify_sum(
    path: &std::path::Path,
    text: &str,
    files: &[(String, Vec<u8>)],
) -> Result<(), MigrationsError> {
    let rerun = "run `atlas migrate hash` if the change is meant, or restore the file";
    let mut lines = text.lines();
    let Some(sum) = lines.next().and_then(|l| l.strip_prefix("h1:")) else {
        return Err(at(path, 1, "expected `h1:<sum>` on the first line"));
    };
    let mut listed = Vec::new();
    for (i, line) in lines.enumerate() {
        let Some((name, hash)) = line.split_once("h1:") else {
            return Err(at(path, i + 2, "expected `<file> h1:<hash>`"));
        };
        listed.push((i + 2, name.trim().to_string(), hash.to_string()));
    }
    let (computed_sum, computed) = hash_lines(files);
    let end_line = listed.len() + 2;
    for k in 0..computed.len().max(listed.len()) {
        let ours = computed.get(k);
        let theirs = listed.get(k);
        let message = match (ours, theirs) {
            (Some((n, h)), Some((_, ln, lh))) if n == ln && h == lh => continue,
            (Some((n, _)), Some((_, ln, _))) if n == ln => {
                format!("{n} changed since its hash was taken")
            }
            (Some((n, _)), _) if !listed.iter().any(|l| &l.1 == n) => format!("{n} is not listed"),
            (_, Some((_, ln, _))) if !computed.iter().any(|c| &c.0 == ln) => {
                format!("{ln} is listed, and the folder does not have it")
            }
            (_, Some((_, ln, _))) => format!("{ln} is listed out of order"),
            (Some((n, _)), None) => format!("{n} is not listed"),
            (None, None) => continue,
        };
        let line = theirs.map_or(end_line, |l| l.0);
        return Err(at(path, line, format!("{message}; {rerun}")));
    }
    if sum != computed_sum {
        return Err(at(
            path,
            1,
            format!("the sum does not match the lines below it (edited by hand?); {rerun}"),
        ));
    }
    Ok(())
}

/// Standard base64 with padding (what Go's `base64.StdEncoding` writes).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The `atlas.sum` text for `files`, as `atlas migrate hash` writes it.
#[cfg(test)]
pub(in crate::migrations) fn sum_text(files: &[(String, Vec<u8>)]) -> String {
    let (sum, lines) = hash_lines(files);
    let mut out = format!("h1:{sum}\n");
    for (name, hash) in lines {
        out.push_str(&format!("{name} h1:{hash}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dialect;
    use crate::migrations::{Layout, load_with_layout};

    #[test]
    fn base64_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(
            base64(&Sha256::digest(b"")),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let mut raw = Vec::new();
        for (name, text) in files {
            std::fs::write(tmp.path().join(name), text).unwrap();
            raw.push((name.to_string(), text.as_bytes().to_vec()));
        }
        raw.sort();
        std::fs::write(tmp.path().join(SUM_FILE), sum_text(&raw)).unwrap();
        tmp
    }

    #[test]
    fn sum_verified() {
        let tmp = folder(&[
            ("20240101000000_init.sql", "CREATE TABLE t (a int);\n"),
            (
                "20240102000000_idx.sql",
                "-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY i ON t (a);\n",
            ),
        ]);
        let (layout, ms) = load_with_layout(tmp.path(), Dialect::Postgres).unwrap();
        assert_eq!(layout, Layout::Atlas);
        assert_eq!(ms.len(), 2);
        assert!(ms[1].no_transaction && !ms[0].no_transaction);

        std::fs::write(
            tmp.path().join("20240101000000_init.sql"),
            "CREATE TABLE t (b int);\n",
        )
        .unwrap();
        let err = load_with_layout(tmp.path(), Dialect::Postgres)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("atlas.sum:2: 20240101000000_init.sql changed since its hash was taken"),
            "{err}"
        );
        std::fs::write(
            tmp.path().join("20240101000000_init.sql"),
            "CREATE TABLE t (a int);\n",
        )
        .unwrap();
        std::fs::write(tmp.path().join("20240103000000_new.sql"), "SELECT 1;\n").unwrap();
        let err = load_with_layout(tmp.path(), Dialect::Postgres)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("atlas.sum:4: 20240103000000_new.sql is not listed"),
            "{err}"
        );
        std::fs::remove_file(tmp.path().join("20240103000000_new.sql")).unwrap();
        std::fs::remove_file(tmp.path().join("20240102000000_idx.sql")).unwrap();
        let err = load_with_layout(tmp.path(), Dialect::Postgres)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "atlas.sum:3: 20240102000000_idx.sql is listed, and the folder does not have it"
            ),
            "{err}"
        );
    }
}
