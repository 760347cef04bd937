//! The one checksum function: every place that hashes a migration (the lock
//! file, the history table, `cargo migrate status`) goes through [`checksum`],
//! so that a file checked out with CRLF line endings on Windows, or saved with
//! a BOM by an editor, keeps the checksum it was applied with.

use super::sha256::Sha256;

/// SHA-256 of `bytes` as 64 lowercase hex digits, after stripping a leading
/// UTF-8 byte-order mark and turning every CRLF into LF.
pub fn checksum(bytes: &[u8]) -> String {
    let mut hasher = Sha256::new();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Feed runs between CRs so that no normalised copy of the file is made.
    let mut rest = bytes;
    while let Some(cr) = rest.iter().position(|&b| b == b'\r') {
        hasher.update(&rest[..cr]);
        if rest.get(cr + 1) != Some(&b'\n') {
            // A lone CR is content, not a line ending.
            hasher.update(b"\r");
        }
        rest = &rest[cr + 1..];
    }
    hasher.update(rest);
    hex(&hasher.finalize())
}

/// Lowercase, zero-padded hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // `printf 'CREATE TABLE t (id integer);\n' | sha256sum`
    const LF: &str = "87f3f19e917c318af81ab82207b05e02d058add6bb7cde86989006b6bd2941d0";

    #[test]
    fn empty_input_is_the_sha256_of_nothing() {
        assert_eq!(
            checksum(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn known_vector() {
        assert_eq!(
            checksum(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn crlf_bom_and_lf_agree() {
        let lf = checksum(b"CREATE TABLE t (id integer);\nSELECT 1;\n");
        assert_eq!(
            checksum(b"CREATE TABLE t (id integer);\r\nSELECT 1;\r\n"),
            lf
        );
        assert_eq!(
            checksum(b"\xEF\xBB\xBFCREATE TABLE t (id integer);\r\nSELECT 1;\n"),
            lf
        );
        assert_eq!(lf.len(), 64);
        assert!(
            lf.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        assert_eq!(checksum(b"CREATE TABLE t (id integer);\n"), LF);
        assert_eq!(checksum(b"CREATE TABLE t (id integer);\r\n"), LF);
        assert_eq!(
            checksum(b"\xEF\xBB\xBFCREATE TABLE t (id integer);\r\n"),
            LF
        );
    }

    #[test]
    fn tabs_lone_cr_and_trailing_newline_are_content() {
        let base = checksum(b"SELECT 1;\n");
        assert_ne!(checksum(b"SELECT\t1;\n"), base);
        assert_ne!(checksum(b"SELECT 1;"), base);
        assert_ne!(checksum(b"SELECT 1;\r"), base);
        assert_eq!(checksum(b"a\rb"), checksum(b"a\rb"));
        assert_ne!(checksum(b"a\rb"), checksum(b"ab"));
        // A BOM that is not at the start is content.
        assert_ne!(checksum(b"SELECT 1;\n\xEF\xBB\xBF"), base);
    }

    #[test]
    fn hex_is_zero_padded() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
    }
}
