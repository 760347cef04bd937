//! Folders other tools write, read as those tools read them: Prisma, dbmate,
//! goose, Flyway and Atlas. Each format is recognised from its files (see
//! `source::detect`) or named in the config (`format = "goose"`).
//!
//! A format that keeps up and down in one file (dbmate, goose) yields the up
//! and the down part as the whole file's text with every line of the other
//! part blanked: statements keep their line and column, so an error or a
//! failing statement points into the file as it is.

pub(super) mod atlas;
pub(super) mod dbmate;
pub(super) mod flyway;
pub(super) mod goose;
pub(super) mod prisma;

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::MigrationsError;

/// `text` with every line outside `keep` (0-based line numbers) emptied; the
/// line breaks stay, so line and column numbers are those of `text`.
pub(super) fn keep_lines(text: &str, keep: Range<usize>) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if keep.contains(&i) {
            out.push_str(line);
        } else if line.ends_with("\r\n") {
            out.push_str("\r\n");
        } else if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// An error at `line` (1-based) of `path`.
pub(super) fn at(path: &Path, line: usize, message: impl Into<String>) -> MigrationsError {
    MigrationsError::Format {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// `<version>_<name>.sql` with a version of digits, as dbmate, goose and
/// Atlas name their files; `None` otherwise.
pub(super) fn versioned_file(file: &str) -> Option<(&str, &str)> {
    let stem = file.strip_suffix(".sql")?;
    let (version, name) = stem.split_once('_')?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((version, name))
}

/// The `.sql` files of a single-file-per-migration folder, each as
/// `(version, name, path)`, sorted by the version as a number (dbmate,
/// goose and Atlas all order numerically or by equal-width timestamps).
pub(super) fn versioned_files<'e>(
    entries: &'e [super::source::Entry],
    expected: &str,
) -> Result<Vec<(&'e str, &'e str, PathBuf)>, MigrationsError> {
    let mut files = Vec::new();
    for entry in entries
        .iter()
        .filter(|e| !e.is_dir && e.name.ends_with(".sql"))
    {
        let Some((version, name)) = versioned_file(&entry.name) else {
            return Err(MigrationsError::MalformedName {
                path: entry.path.clone(),
                reason: format!("expected {expected}"),
            });
        };
        files.push((version, name, entry.path.clone()));
    }
    files.sort_by(|a, b| super::source::numeric_cmp(a.0, b.0).then_with(|| a.1.cmp(b.1)));
    for pair in files.windows(2) {
        if let [a, b] = pair
            && super::source::numeric_cmp(a.0, b.0).is_eq()
        {
            return Err(MigrationsError::DuplicateVersion {
                version: a.0.to_string(),
                first: a.2.clone(),
                second: b.2.clone(),
            });
        }
    }
    Ok(files)
}

/// Whether a line is a SQL line comment or blank (what may stand outside a
/// dbmate or goose section).
pub(super) fn is_comment_or_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_lines_keeps_positions() {
        let text = "a\r\nb\nc\nd";
        assert_eq!(keep_lines(text, 1..2), "\r\nb\n\n");
        assert_eq!(keep_lines(text, 2..4), "\r\n\nc\nd");
        assert_eq!(keep_lines("", 0..9), "");
    }

    #[test]
    fn versioned_names() {
        assert_eq!(
            versioned_file("20240101000000_add_users.sql"),
            Some(("20240101000000", "add_users"))
        );
        assert_eq!(versioned_file("00001_init.sql"), Some(("00001", "init")));
        assert_eq!(versioned_file("init.sql"), None);
        assert_eq!(versioned_file("v1_init.sql"), None);
    }
}
