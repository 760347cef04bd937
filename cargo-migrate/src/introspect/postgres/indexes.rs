//! Indexes that no constraint owns.

use std::collections::HashMap;

use migrate_build::Dialect;
use migrate_build::schema::{Expr, Index, IndexColumn, IndexExpr, Schema};

use super::{
    Context, IntrospectError, catalog_object_name, get, qualified, storage_params_in_order,
};

/// `pg_index.indoption` bits (`INDOPTION_DESC`, `INDOPTION_NULLS_FIRST`).
const INDOPTION_DESC: i16 = 0x0001;
const INDOPTION_NULLS_FIRST: i16 = 0x0002;

/// The collation every database has (`DEFAULT_COLLATION_OID`).
const DEFAULT_COLLATION_OID: u32 = 100;

pub(super) fn read(cx: &mut Context<'_>, schema: &mut Schema) -> Result<(), IntrospectError> {
    refuse_invalid(cx)?;
    let what = "indexes";
    let nulls_not_distinct = if cx.server_version >= 150000 {
        "i.indnullsnotdistinct"
    } else {
        "false"
    };
    // Indexes made by PRIMARY KEY, UNIQUE and EXCLUDE constraints are part of
    // the constraint. Foreign keys also point at an index (conindid), on the
    // referenced table, hence the contype filter.
    let sql = format!(
        "SELECT i.indexrelid, n.nspname::text, ic.relname::text, tn.nspname::text,
                c.relname::text, i.indisunique, {nulls_not_distinct}, am.amname::text,
                pg_get_expr(i.indpred, i.indrelid), i.indnkeyatts,
                COALESCE(ic.reloptions, '{{}}')::text[], obj_description(i.indexrelid, 'pg_class'),
                ic.relkind = 'I'
         FROM pg_index i
         JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_namespace n ON n.oid = ic.relnamespace
         JOIN pg_class c ON c.oid = i.indrelid
         JOIN pg_namespace tn ON tn.oid = c.relnamespace
         JOIN pg_am am ON am.oid = ic.relam
         WHERE c.relnamespace = ANY($1) AND c.relkind IN ('r', 'p', 'm')
           AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid
                           AND con.contype IN ('p', 'u', 'x'))
           -- a partition's copy of its parent's index is part of the parent's
           AND NOT EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = i.indexrelid)
           AND {}
         ORDER BY n.nspname, ic.relname",
        super::not_in_extension("pg_class", "c")
    );
    let mut by_oid: HashMap<u32, (usize, i16)> = HashMap::new();
    let mut partitioned = Vec::new();
    for row in cx.query(what, &sql)? {
        let table_schema: String = get(&row, 3, what)?;
        let table_name: String = get(&row, 4, what)?;
        if cx.is_ignored(&table_schema, &table_name) {
            continue;
        }
        let nsp: String = get(&row, 1, what)?;
        let name: String = get(&row, 2, what)?;
        let method: String = get(&row, 7, what)?;
        let predicate: Option<String> = get(&row, 8, what)?;
        by_oid.insert(
            get(&row, 0, what)?,
            (schema.indexes.len(), get(&row, 9, what)?),
        );
        if get::<bool>(&row, 12, what)? {
            partitioned.push(schema.indexes.len());
        }
        schema.indexes.push(Index {
            partition_copies: Vec::new(),
            name: qualified(&nsp, &name),
            table: qualified(&table_schema, &table_name),
            unique: get(&row, 5, what)?,
            columns: Vec::new(),
            predicate: predicate.map(|p| Expr::new(p, Dialect::Postgres)),
            method: (method != "btree").then_some(method),
            include: Vec::new(),
            nulls_not_distinct: get(&row, 6, what)?,
            storage: storage_params_in_order(get(&row, 10, what)?),
            comment: get(&row, 11, what)?,
        });
    }
    if by_oid.is_empty() {
        return Ok(());
    }

    let what = "index columns";
    // indoption, indclass and indcollation cover the key columns only, and
    // int2vector/oidvector subscripts start at 0.
    let sql = "SELECT i.indexrelid, k.ord::int, a.attname::text,
                      pg_get_indexdef(i.indexrelid, k.ord::int, true),
                      i.indoption[k.ord - 1], opc.opcname::text, opcn.nspname::text, opc.opcdefault,
                      i.indcollation[k.ord - 1], a.attcollation,
                      coll.collname::text, colln.nspname::text, ia.attstattarget::int
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indrelid
         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
         LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                                 AND k.attnum > 0
         LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[k.ord - 1]
         LEFT JOIN pg_namespace opcn ON opcn.oid = opc.opcnamespace
         LEFT JOIN pg_collation coll ON coll.oid = i.indcollation[k.ord - 1]
         LEFT JOIN pg_namespace colln ON colln.oid = coll.collnamespace
         LEFT JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k.ord
         WHERE c.relnamespace = ANY($1)
         ORDER BY i.indexrelid, k.ord";
    for row in cx.query(what, sql)? {
        let oid: u32 = get(&row, 0, what)?;
        let Some(&(pos, key_columns)) = by_oid.get(&oid) else {
            continue;
        };
        let index = &mut schema.indexes[pos];
        let ord: i32 = get(&row, 1, what)?;
        let column: Option<String> = get(&row, 2, what)?;
        if ord > i32::from(key_columns) {
            let Some(column) = column else {
                return Err(IntrospectError::Unexpected {
                    what: "INCLUDE expression in index",
                    value: index.name.to_string(),
                });
            };
            index.include.push(column);
            continue;
        }
        let expr = match column {
            Some(column) => IndexExpr::Column(column),
            None => {
                let text: Option<String> = get(&row, 3, what)?;
                let Some(text) = text else {
                    return Err(IntrospectError::Unexpected {
                        what: "index column without a definition",
                        value: index.name.to_string(),
                    });
                };
                IndexExpr::Expression(Expr::new(text, Dialect::Postgres))
            }
        };
        let option: i16 = get::<Option<i16>>(&row, 4, what)?.unwrap_or(0);
        let descending = option & INDOPTION_DESC != 0;
        let nulls_first = option & INDOPTION_NULLS_FIRST != 0;
        let opclass_name: Option<String> = get(&row, 5, what)?;
        let opclass_schema: Option<String> = get(&row, 6, what)?;
        let opclass_default: Option<bool> = get(&row, 7, what)?;
        let opclass = match (opclass_name, opclass_schema, opclass_default) {
            (Some(name), Some(schema), Some(false)) => Some(catalog_object_name(&schema, &name)),
            _ => None,
        };
        let collation_oid: Option<u32> = get(&row, 8, what)?;
        let column_collation: Option<u32> = get(&row, 9, what)?;
        let collation_name: Option<String> = get(&row, 10, what)?;
        let collation_schema: Option<String> = get(&row, 11, what)?;
        let collation = match (collation_oid, collation_name, collation_schema) {
            (Some(oid), Some(name), Some(schema))
                if oid != DEFAULT_COLLATION_OID && Some(oid) != column_collation =>
            {
                Some(catalog_object_name(&schema, &name))
            }
            _ => None,
        };
        index.columns.push(IndexColumn {
            expr,
            descending,
            // Ascending sorts nulls last and descending first unless told otherwise.
            nulls_first: (nulls_first != descending).then_some(nulls_first),
            opclass,
            collation,
            // -1 up to PostgreSQL 16, NULL since 17.
            statistics: get::<Option<i32>>(&row, 12, what)?.filter(|n| *n != -1),
        });
    }

    // The server sets a partitioned index's targets on the copies that exist
    // then and not on later ones: the model has no target per copy.
    for &pos in &partitioned {
        let index = &schema.indexes[pos];
        if index.columns.iter().any(|c| c.statistics.is_some()) {
            return Err(IntrospectError::NotModelled {
                what: "statistics targets of a partitioned index",
                name: index.name.to_string(),
            });
        }
    }

    // A partition's copy of a partitioned index is the index attached to it
    // (pg_inherits between the two indexes): its name is the parent's to keep.
    // On a sub-partition, the copy is attached to the copy on the
    // partitioned partition above it (a copy of a copy): it belongs to the
    // index at the top, under that partition.
    let what = "partition copies of indexes";
    let sql = "WITH RECURSIVE copies(idx, root, under) AS (
               SELECT inh.inhrelid, inh.inhparent, NULL::oid
               FROM pg_inherits inh
               JOIN pg_class ic ON ic.oid = inh.inhrelid AND ic.relkind IN ('i', 'I')
               WHERE NOT EXISTS (SELECT 1 FROM pg_inherits up WHERE up.inhrelid = inh.inhparent)
             UNION ALL
               SELECT inh.inhrelid, copies.root, pi.indrelid
               FROM pg_inherits inh
               JOIN copies ON inh.inhparent = copies.idx
               JOIN pg_index pi ON pi.indexrelid = copies.idx)
         SELECT copies.root, n.nspname::text, c.relname::text, ic.relname::text,
                un.nspname::text, u.relname::text,
                EXISTS (SELECT 1 FROM pg_attribute s WHERE s.attrelid = copies.idx
                        AND s.attstattarget <> -1)
         FROM copies
         JOIN pg_class ic ON ic.oid = copies.idx
         JOIN pg_index i ON i.indexrelid = copies.idx
         JOIN pg_class c ON c.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_class u ON u.oid = copies.under
         LEFT JOIN pg_namespace un ON un.oid = u.relnamespace
         WHERE c.relnamespace = ANY($1)
         ORDER BY n.nspname, c.relname";
    for row in cx.query(what, sql)? {
        let parent: u32 = get(&row, 0, what)?;
        let Some(&(pos, _)) = by_oid.get(&parent) else {
            continue;
        };
        let nsp: String = get(&row, 1, what)?;
        let table: String = get(&row, 2, what)?;
        let name: String = get(&row, 3, what)?;
        if cx.is_ignored(&nsp, &table) {
            continue;
        }
        if get::<bool>(&row, 6, what)? {
            return Err(IntrospectError::NotModelled {
                what: "statistics targets of a partition's copy of an index",
                name: format!("{nsp}.{name}"),
            });
        }
        let under_nsp: Option<String> = get(&row, 4, what)?;
        let under_rel: Option<String> = get(&row, 5, what)?;
        let under = under_nsp.zip(under_rel).map(|(n, t)| qualified(&n, &t));
        schema.indexes[pos].set_copy_under(qualified(&nsp, &table), name, under, Dialect::Postgres);
    }
    Ok(())
}

/// A partitioned index with a partition that has no copy attached (made
/// with ONLY, never attached there) is invalid (`indisvalid`): not modelled.
fn refuse_invalid(cx: &mut Context<'_>) -> Result<(), IntrospectError> {
    let what = "invalid partitioned indexes";
    let sql = "SELECT n.nspname::text, t.relname::text, ic.relname::text
         FROM pg_index i
         JOIN pg_class ic ON ic.oid = i.indexrelid AND ic.relkind = 'I'
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE NOT i.indisvalid AND t.relnamespace = ANY($1)
         ORDER BY 1, 2, 3";
    for row in cx.query(what, sql)? {
        let nsp: String = get(&row, 0, what)?;
        let table: String = get(&row, 1, what)?;
        if cx.is_ignored(&nsp, &table) {
            continue;
        }
        let name: String = get(&row, 2, what)?;
        return Err(IntrospectError::NotModelled {
            what: "an invalid partitioned index (a partition has no copy of it attached)",
            name: format!("{nsp}.{name}"),
        });
    }
    Ok(())
}
