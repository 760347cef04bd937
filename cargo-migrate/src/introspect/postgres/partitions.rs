//! Partition keys (`pg_partitioned_table`, printed by `pg_get_partkeydef`),
//! partition bounds (`relpartbound`, printed by `pg_get_expr`) and
//! inheritance parents (`pg_inherits`).

use std::collections::HashMap;

use migrate_build::Dialect;
use migrate_build::ddl::{parse_partition_bound, parse_partition_key};
use migrate_build::schema::{PartitionOf, Table};

use super::{Context, IntrospectError, get, qualified};

pub(super) fn read(
    cx: &mut Context<'_>,
    tables: &mut [Table],
    by_oid: &HashMap<u32, usize>,
) -> Result<(), IntrospectError> {
    let what = "partitions";
    // A bound's timestamptz values are printed in the session's time zone:
    // UTC, for a spelling that does not depend on the server's settings.
    let sql = "SELECT c.oid, pg_get_partkeydef(c.oid),
                      CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
                      pn.nspname::text, p.relname::text
               FROM pg_class c
               LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
               LEFT JOIN pg_class p ON p.oid = i.inhparent
               LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace
               WHERE c.relnamespace = ANY($1) AND c.relkind IN ('r', 'p')
                 AND (c.relkind = 'p' OR c.relispartition)";
    let rows = {
        let mut tx = cx
            .client
            .transaction()
            .map_err(|source| IntrospectError::Query { what, source })?;
        tx.batch_execute("SET LOCAL TimeZone = 'UTC'")
            .map_err(|source| IntrospectError::Query { what, source })?;
        let rows = tx
            .query(sql, &[&cx.namespace_oids])
            .map_err(|source| IntrospectError::Query { what, source })?;
        tx.commit()
            .map_err(|source| IntrospectError::Query { what, source })?;
        rows
    };
    for row in rows {
        let oid: u32 = get(&row, 0, what)?;
        let Some(&pos) = by_oid.get(&oid) else {
            continue;
        };
        let key: Option<String> = get(&row, 1, what)?;
        if let Some(key) = key {
            let parsed = parse_partition_key(&key, Dialect::Postgres).ok_or(
                IntrospectError::Unexpected {
                    what: "partition key",
                    value: key.clone(),
                },
            )?;
            tables[pos].partition_by = Some(Box::new(parsed));
        }
        let bound: Option<String> = get(&row, 2, what)?;
        let parent_schema: Option<String> = get(&row, 3, what)?;
        let parent: Option<String> = get(&row, 4, what)?;
        if let (Some(bound), Some(parent_schema), Some(parent)) = (bound, parent_schema, parent) {
            let parsed = parse_partition_bound(&bound, Dialect::Postgres).ok_or(
                IntrospectError::Unexpected {
                    what: "partition bound",
                    value: bound.clone(),
                },
            )?;
            tables[pos].partition_of = Some(Box::new(PartitionOf {
                parent: qualified(&parent_schema, &parent),
                bound: parsed,
            }));
        }
    }

    let what = "inheritance";
    let sql = "SELECT i.inhrelid, pn.nspname::text, p.relname::text
               FROM pg_inherits i
               JOIN pg_class c ON c.oid = i.inhrelid
               JOIN pg_class p ON p.oid = i.inhparent
               JOIN pg_namespace pn ON pn.oid = p.relnamespace
               WHERE c.relnamespace = ANY($1) AND c.relkind IN ('r', 'p')
                 AND NOT c.relispartition
               ORDER BY i.inhrelid, i.inhseqno";
    for row in cx.query(what, sql)? {
        let oid: u32 = get(&row, 0, what)?;
        let Some(&pos) = by_oid.get(&oid) else {
            continue;
        };
        let schema: String = get(&row, 1, what)?;
        let name: String = get(&row, 2, what)?;
        tables[pos].inherits.push(qualified(&schema, &name));
    }

    // A partition's copy of its parent's primary key or unique constraint
    // (conparentid) is part of the parent's: its name is the parent's to
    // keep. A copy on a sub-partition (a copy of a copy) is not modelled.
    let what = "partition copies of keys";
    let sql = "SELECT p.conrelid, p.conname::text, n.nspname::text, c.relname::text,
                      con.conname::text, p.conparentid <> 0
               FROM pg_constraint con
               JOIN pg_constraint p ON p.oid = con.conparentid
               JOIN pg_class c ON c.oid = con.conrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relnamespace = ANY($1) AND con.contype IN ('p', 'u')
               ORDER BY n.nspname, c.relname, con.conname";
    for row in cx.query(what, sql)? {
        if get::<bool>(&row, 5, what)? {
            let schema: String = get(&row, 2, what)?;
            let name: String = get(&row, 4, what)?;
            return Err(IntrospectError::NotModelled {
                what: "a sub-partition's copy of a copy of a key",
                name: format!("{schema}.{name}"),
            });
        }
        let oid: u32 = get(&row, 0, what)?;
        let Some(&pos) = by_oid.get(&oid) else {
            continue;
        };
        let constraint: String = get(&row, 1, what)?;
        let schema: String = get(&row, 2, what)?;
        let table: String = get(&row, 3, what)?;
        let name: String = get(&row, 4, what)?;
        if cx.is_ignored(&schema, &table) {
            continue;
        }
        tables[pos].set_constraint_copy(
            &constraint,
            qualified(&schema, &table),
            name,
            Dialect::Postgres,
        );
    }
    Ok(())
}
