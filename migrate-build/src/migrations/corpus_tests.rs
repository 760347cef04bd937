//! The real migration sets in `../shared/corpora`: counts and order as each
//! corpus README states them.

use std::path::PathBuf;

use super::{Layout, Migration, load_with_layout};
use crate::dialect::Dialect;

fn corpora() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpora"));
    if dir.is_dir() {
        Some(dir)
    } else if std::env::var_os("CI").is_some() {
        panic!(
            "corpora missing at {} (required when CI is set)",
            dir.display()
        );
    } else {
        eprintln!("note: {} missing, corpus test skipped", dir.display());
        None
    }
}

fn load(rel: &str, dialect: Dialect) -> Option<(Layout, Vec<Migration>)> {
    let dir = corpora()?.join(rel);
    Some(load_with_layout(&dir, dialect).unwrap())
}

fn ids(ms: &[Migration]) -> (String, String) {
    let first = ms.first().map(Migration::id).unwrap_or_default();
    let last = ms.last().map(Migration::id).unwrap_or_default();
    (first, last)
}

fn assert_sorted_by(ms: &[Migration], cmp: impl Fn(&str, &str) -> std::cmp::Ordering) {
    for w in ms.windows(2) {
        assert_eq!(
            cmp(&w[0].version, &w[1].version),
            std::cmp::Ordering::Less,
            "{} / {}",
            w[0].id(),
            w[1].id()
        );
    }
}

#[test]
fn crates_io_diesel() {
    let Some((layout, ms)) = load("crates-io/migrations", Dialect::Postgres) else {
        return;
    };
    assert_eq!(layout, Layout::Folders);
    assert_eq!(ms.len(), 285);
    assert_eq!(
        ids(&ms),
        (
            "00000000000000_diesel_initial_setup".to_string(),
            "202607301400000000_add_users_username_index".to_string()
        )
    );
    assert_sorted_by(&ms, |a, b| a.cmp(b));
    assert!(ms.iter().all(|m| m.down.is_some()));
    assert_eq!(ms.iter().filter(|m| m.no_transaction).count(), 7);
    let spaced = ms
        .iter()
        .find(|m| m.name == "Add email notifications to crate owners")
        .unwrap();
    assert_eq!(spaced.version, "20191115182353");
    // Three version styles interleave by string order.
    let pos = |v: &str| ms.iter().position(|m| m.version == v).unwrap();
    assert!(pos("20191115182353") < pos("202607301400000000"));
}

#[test]
fn docs_rs_sqlx_reversible() {
    let Some((layout, ms)) = load("docs-rs/migrations", Dialect::Postgres) else {
        return;
    };
    assert_eq!(layout, Layout::SqlxFiles);
    assert_eq!(ms.len(), 33);
    assert_eq!(
        ids(&ms),
        (
            "20231021111635_initial".to_string(),
            "20260811210608_remove-release-files-archive".to_string()
        )
    );
    assert!(ms.iter().all(|m| m.down.is_some() && !m.no_transaction));
    assert!(ms.iter().any(|m| m.name == "release_status_view.sql"));
    let empty_down = ms
        .iter()
        .find(|m| m.name == "failed-queued-crates")
        .unwrap();
    assert_eq!(empty_down.down.as_ref().map(|d| d.sql.trim()), Some(""));
}

#[test]
fn ory_kratos_popx_per_dialect() {
    let Some((layout, pg)) = load("ory-kratos/migrations/sql", Dialect::Postgres) else {
        return;
    };
    assert_eq!(layout, Layout::PopxFiles);
    // 325 ups that do something (the README's count), and 16 empty ups
    // whose downs do: popx records those as applied and runs the downs.
    assert_eq!(pg.len(), 341);
    assert_eq!(
        pg.iter()
            .filter(|m| !super::source::is_blank_sql(&m.up.sql))
            .count(),
        325
    );
    assert_eq!(pg.iter().filter(|m| m.no_transaction).count(), 10);
    assert_eq!(pg.first().unwrap().id(), "20150100000001000000_networks");
    assert!(
        pg.first()
            .unwrap()
            .up
            .path
            .ends_with("20150100000001000000_networks.postgres.up.sql")
    );
    assert_eq!(
        pg.last().unwrap().id(),
        "20260703000000000000_courier_messages_status_created_at_idx"
    );
    assert_sorted_by(&pg, |a, b| a.cmp(b));
    let Some((_, lite)) = load("ory-kratos/migrations/sql", Dialect::Sqlite) else {
        return;
    };
    assert_eq!(lite.len(), 684);
    assert_eq!(
        lite.iter()
            .filter(|m| !super::source::is_blank_sql(&m.up.sql))
            .count(),
        538
    );
    assert_eq!(lite.iter().filter(|m| m.no_transaction).count(), 8);
    assert!(lite.iter().all(|m| {
        let f = m.up.path.file_name().and_then(|f| f.to_str()).unwrap_or("");
        !f.contains(".postgres.") && !f.contains(".mysql.") && !f.contains(".cockroach.")
    }));
    // `.sqlite.` is an alias of `.sqlite3.`.
    assert!(lite.iter().any(|m| {
        m.up.path
            .to_string_lossy()
            .ends_with("cookie_flow_request_url.sqlite.up.sql")
    }));
}

#[test]
fn lemmy_diesel() {
    let Some((layout, ms)) = load("lemmy/migrations", Dialect::Postgres) else {
        return;
    };
    assert_eq!(layout, Layout::Folders);
    assert_eq!(ms.len(), 342);
    assert_eq!(
        ids(&ms),
        (
            "00000000000000_diesel_initial_setup".to_string(),
            "202607271433130000_rename_resolve_reason_to_conclusion".to_string()
        )
    );
    assert_eq!(ms[1].id(), "20190226002946_create_user");
    assert!(ms.iter().all(|m| m.down.is_some() && !m.no_transaction));
}

#[test]
fn atuin_sqlx_sets() {
    let sets: [(&str, Dialect, usize, &str, &str, bool); 8] = [
        (
            "atuin-server-postgres/migrations",
            Dialect::Postgres,
            20,
            "20210425153745_create_history",
            "20260127000000_remove-email-verification",
            false,
        ),
        (
            "atuin-server-sqlite/migrations",
            Dialect::Sqlite,
            7,
            "20231203124112_create-store",
            "20260127000000_remove-email-verification",
            false,
        ),
        (
            "atuin-client/migrations",
            Dialect::Sqlite,
            12,
            "20210422143411_create_history",
            "20260818000000_history_author_kind",
            false,
        ),
        (
            "atuin-client/record-migrations",
            Dialect::Sqlite,
            3,
            "20230531212437_create-records",
            "20260723000000_store_tag_index",
            false,
        ),
        (
            "atuin-client/meta-migrations",
            Dialect::Sqlite,
            1,
            "20260203030924_create_meta",
            "20260203030924_create_meta",
            false,
        ),
        (
            "atuin-kv/migrations",
            Dialect::Sqlite,
            1,
            "20250501160746_create_kv_db",
            "20250501160746_create_kv_db",
            true,
        ),
        (
            "atuin-scripts/migrations",
            Dialect::Sqlite,
            2,
            "20250326160051_create_scripts",
            "20250402170430_unique_names",
            true,
        ),
        (
            "atuin-ai/migrations",
            Dialect::Sqlite,
            3,
            "20260413000000_create_ai_sessions",
            "20260707000000_create_ai_usage",
            false,
        ),
    ];
    for (dir, dialect, count, first, last, reversible) in sets {
        let Some((layout, ms)) = load(&format!("atuin/{dir}"), dialect) else {
            return;
        };
        assert_eq!(layout, Layout::SqlxFiles, "{dir}");
        assert_eq!(ms.len(), count, "{dir}");
        assert_eq!(ids(&ms), (first.to_string(), last.to_string()), "{dir}");
        assert!(ms.iter().all(|m| m.down.is_some() == reversible), "{dir}");
    }
}
