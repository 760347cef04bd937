//! The checksums other tools keep of a migration file, each computed as
//! that tool documents and implements it.

use sha2::{Digest, Sha256, Sha384};

fn hex(bytes: &[u8]) -> String {
    crate::db::hex_lower(bytes)
}

/// Prisma: SHA-256 of `migration.sql`, lowercase hex. Prisma accepts a
/// checksum taken with either line ending (git may have converted them), so
/// the file as it is, with LF and with CRLF line endings, is tried.
pub fn prisma_matches(bytes: &[u8], kept: &str) -> bool {
    let kept = kept.trim().to_ascii_lowercase();
    let lf: Vec<u8> = String::from_utf8_lossy(bytes)
        .replace("\r\n", "\n")
        .into_bytes();
    let crlf: Vec<u8> = String::from_utf8_lossy(&lf)
        .replace('\n', "\r\n")
        .into_bytes();
    [bytes, &lf, &crlf]
        .iter()
        .any(|b| hex(&Sha256::digest(b)) == kept)
}

/// sqlx: SHA-384 of the up file's text, as bytes (`checksum BYTEA/BLOB`).
pub fn sqlx(bytes: &[u8]) -> String {
    hex(&Sha384::digest(bytes))
}

/// Flyway: CRC-32 (IEEE) over the file's lines without their line endings
/// (Java's `BufferedReader.readLine`), a leading BOM removed, kept as a
/// signed 32-bit integer.
pub fn flyway(bytes: &[u8]) -> i32 {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut crc = !0u32;
    let mut feed = |b: u8| {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            // `\r\n`, `\r` and `\n` end a line and are not part of it.
            b'\r' | b'\n' => {}
            b => feed(b),
        }
        i += 1;
    }
    (!crc) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // CRC-32 of "123456789" is 0xCBF43926 (the standard check value).
        assert_eq!(flyway(b"123456789") as u32, 0xCBF4_3926);
        // Line endings do not count, as Flyway reads line by line.
        assert_eq!(flyway(b"1234\r\n56789\n"), flyway(b"123456789"));
        assert_eq!(flyway(b"\xEF\xBB\xBF123456789"), flyway(b"123456789"));
        assert_eq!(
            sqlx(b""),
            "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"
        );
        let sum = hex(&Sha256::digest(b"a\nb\n"));
        assert!(prisma_matches(b"a\nb\n", &sum));
        assert!(prisma_matches(b"a\r\nb\r\n", &sum));
        assert!(!prisma_matches(b"a\nc\n", &sum));
    }
}
