//! PostgreSQL introspection: a live database → [`Schema`], read from
//! `pg_catalog` (information_schema hides index details, enum order and
//! extension membership, and is slow on large catalogs).
//!
//! Each kind of object is read with one query over all selected namespaces,
//! never one query per table, so the cost does not grow with round trips.
//! Objects that belong to an extension (pg_depend deptype `e`) are left out
//! everywhere: `CREATE EXTENSION` makes them, no migration does.

mod indexes;
mod objects;
mod partitions;
mod text_search;
mod types;

use std::collections::HashMap;

use ::postgres::types::FromSql;
use ::postgres::{Client, Row};
use migrate_build::Dialect;
use migrate_build::schema::{
    CheckConstraint, Column, ColumnStorage, Deferrable, ExclusionConstraint, Expr, ForeignKey,
    ForeignKeyAction, Generated, Identity, KeyIndex, PrimaryKey, QualifiedName, ReplicaIdentity,
    Schema, SequenceOptions, StorageParam, Table, UniqueConstraint,
};

/// Why a database could not be read. Messages never contain the connection
/// URL (nor its password): only what was being read and the server's answer.
#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    #[error("could not read {what} from the PostgreSQL catalog: {source}")]
    Query {
        what: &'static str,
        source: ::postgres::Error,
    },
    #[error("unexpected {what} in the PostgreSQL catalog: `{value}`")]
    Unexpected { what: &'static str, value: String },
    #[error("{what} `{name}` is not modelled")]
    NotModelled { what: &'static str, name: String },
}

/// Reads the schema of the database `client` is connected to, sorted
/// ([`Schema::sort`]).
///
/// `namespaces` lists the schemas to read; empty means every schema except
/// the system ones (`pg_catalog`, `information_schema`, `pg_toast*`, temporary
/// schemas) and those an extension created. `ignore_tables` names tables to
/// leave out with everything attached to them (the migration history table);
/// a name without a schema matches in any schema, `schema.table` in one.
pub fn introspect(
    client: &mut Client,
    namespaces: &[&str],
    ignore_tables: &[&str],
) -> Result<Schema, IntrospectError> {
    let mut cx = Context::new(client, namespaces, ignore_tables)?;
    let mut schema = Schema::empty(Dialect::Postgres);
    schema.namespaces = cx
        .namespace_names
        .iter()
        .filter(|n| n.as_str() != "public")
        .cloned()
        .collect();
    schema.namespace_comments = cx.namespace_comments()?;
    schema.tables = cx.tables()?.into();
    indexes::read(&mut cx, &mut schema)?;
    objects::read(&mut cx, &mut schema)?;
    schema.sort();
    Ok(schema)
}

/// `public` is the model's default schema (`None`).
fn schema_of(nspname: &str) -> Option<String> {
    (nspname != "public").then(|| nspname.to_string())
}

fn qualified(nspname: &str, name: &str) -> QualifiedName {
    QualifiedName::with_schema(schema_of(nspname), name)
}

/// A name from a schema the server always searches (`pg_catalog`) or the
/// default one is left bare; others are qualified (collations, opclasses).
fn catalog_object_name(nspname: &str, name: &str) -> String {
    match nspname {
        "pg_catalog" | "public" => name.to_string(),
        _ => format!("{nspname}.{name}"),
    }
}

/// Reads column `idx` of a catalog row, naming what was read if it fails.
fn get<'a, T: FromSql<'a>>(
    row: &'a Row,
    idx: usize,
    what: &'static str,
) -> Result<T, IntrospectError> {
    row.try_get(idx)
        .map_err(|source| IntrospectError::Query { what, source })
}

/// A `"char"` catalog column (`contype`, `attidentity`, …) as a Rust char.
fn get_char(row: &Row, idx: usize, what: &'static str) -> Result<char, IntrospectError> {
    let c: i8 = get(row, idx, what)?;
    Ok(c as u8 as char)
}

/// `attoptions` entries (`n_distinct=100`), sorted as the model keeps them.
fn storage_params(entries: Vec<String>) -> Vec<StorageParam> {
    let mut out = storage_params_in_order(entries);
    out.sort();
    out
}

/// `reloptions` entries (`fillfactor=70`) in the server's order, as the
/// model keeps an index's or a view's.
fn storage_params_in_order(entries: Vec<String>) -> Vec<StorageParam> {
    entries
        .iter()
        .map(|e| StorageParam::from_catalog(e))
        .collect()
}

/// A `pg_sequence` row's options (columns `at`..`at + 6`: type, start,
/// increment, max, min, cache, cycle).
fn sequence_options(
    row: &Row,
    at: usize,
    what: &'static str,
) -> Result<SequenceOptions, IntrospectError> {
    Ok(SequenceOptions {
        data_type: get(row, at, what)?,
        start: get(row, at + 1, what)?,
        increment: get(row, at + 2, what)?,
        max: get(row, at + 3, what)?,
        min: get(row, at + 4, what)?,
        cache: get(row, at + 5, what)?,
        cycle: get(row, at + 6, what)?,
    })
}

/// Condition that `<alias>.oid` of catalog `<catalog>` is not owned by an extension.
fn not_in_extension(catalog: &str, alias: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_depend ext WHERE ext.classid = '{catalog}'::regclass \
         AND ext.objid = {alias}.oid AND ext.deptype = 'e')"
    )
}

pub(super) struct Context<'c> {
    client: &'c mut Client,
    /// Oids and names of the selected namespaces, passed to every query.
    namespace_oids: Vec<u32>,
    namespace_names: Vec<String>,
    ignore_tables: Vec<String>,
    /// `server_version_num`: PostgreSQL 15 added `NULLS NOT DISTINCT`.
    server_version: i32,
}

impl<'c> Context<'c> {
    fn new(
        client: &'c mut Client,
        namespaces: &[&str],
        ignore_tables: &[&str],
    ) -> Result<Self, IntrospectError> {
        let what = "the server version";
        let row = client
            .query_one("SELECT current_setting('server_version_num')::int", &[])
            .map_err(|source| IntrospectError::Query { what, source })?;
        let server_version: i32 = get(&row, 0, what)?;

        let what = "schemas";
        let sql = format!(
            "SELECT n.oid, n.nspname::text FROM pg_namespace n
             WHERE CASE WHEN cardinality($1::text[]) = 0 THEN
                     n.nspname NOT IN ('pg_catalog', 'information_schema')
                     AND n.nspname NOT LIKE 'pg\\_toast%'
                     AND n.nspname NOT LIKE 'pg\\_temp\\_%'
                     AND {}
                   ELSE n.nspname = ANY($1::text[]) END
             ORDER BY n.nspname",
            not_in_extension("pg_namespace", "n")
        );
        let rows = client
            .query(&sql, &[&namespaces])
            .map_err(|source| IntrospectError::Query { what, source })?;
        let mut namespace_oids = Vec::with_capacity(rows.len());
        let mut namespace_names = Vec::with_capacity(rows.len());
        for row in &rows {
            namespace_oids.push(get(row, 0, what)?);
            namespace_names.push(get(row, 1, what)?);
        }
        Ok(Context {
            client,
            namespace_oids,
            namespace_names,
            ignore_tables: ignore_tables.iter().map(|s| s.to_string()).collect(),
            server_version,
        })
    }

    /// `COMMENT ON SCHEMA`, leaving out the comment every database's
    /// `public` schema comes with.
    fn namespace_comments(&mut self) -> Result<Vec<(String, String)>, IntrospectError> {
        let what = "schema comments";
        let sql = format!(
            "SELECT n.nspname::text, d.description FROM pg_namespace n
             JOIN pg_description d ON d.objoid = n.oid
                  AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
             WHERE n.oid = ANY($1)
               AND NOT (n.nspname = 'public' AND d.description = '{}')
             ORDER BY 1",
            migrate_build::dialect::postgres::PUBLIC_SCHEMA_COMMENT
        );
        self.query(what, &sql)?
            .iter()
            .map(|row| Ok((get(row, 0, what)?, get(row, 1, what)?)))
            .collect()
    }

    /// Runs a catalog query whose `$1` is the selected namespace oids.
    fn query(&mut self, what: &'static str, sql: &str) -> Result<Vec<Row>, IntrospectError> {
        self.client
            .query(sql, &[&self.namespace_oids])
            .map_err(|source| IntrospectError::Query { what, source })
    }

    /// Runs a catalog query about the whole database (no parameters).
    fn query_database(
        &mut self,
        what: &'static str,
        sql: &str,
    ) -> Result<Vec<Row>, IntrospectError> {
        self.client
            .query(sql, &[])
            .map_err(|source| IntrospectError::Query { what, source })
    }

    fn is_ignored(&self, nspname: &str, relname: &str) -> bool {
        self.ignore_tables
            .iter()
            .any(|ignored| match ignored.split_once('.') {
                Some((schema, name)) => schema == nspname && name == relname,
                None => ignored == relname,
            })
    }

    fn tables(&mut self) -> Result<Vec<Table>, IntrospectError> {
        let what = "tables";
        let sql = format!(
            "SELECT c.oid, n.nspname::text, c.relname::text, obj_description(c.oid, 'pg_class'),
                    c.relpersistence = 'u', COALESCE(c.reloptions, '{{}}')::text[],
                    c.relrowsecurity, c.relforcerowsecurity, c.relreplident,
                    (SELECT ri.relname::text FROM pg_index x JOIN pg_class ri ON ri.oid = x.indexrelid
                     WHERE x.indrelid = c.oid AND x.indisreplident),
                    (SELECT ci.relname::text FROM pg_index x JOIN pg_class ci ON ci.oid = x.indexrelid
                     WHERE x.indrelid = c.oid AND x.indisclustered),
                    COALESCE(toast.reloptions, '{{}}')::text[]
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_class toast ON toast.oid = c.reltoastrelid
             WHERE c.relnamespace = ANY($1) AND c.relkind IN ('r', 'p') AND {}
             ORDER BY n.nspname, c.relname",
            not_in_extension("pg_class", "c")
        );
        let mut tables = Vec::new();
        let mut by_oid: HashMap<u32, usize> = HashMap::new();
        for row in self.query(what, &sql)? {
            let nsp: String = get(&row, 1, what)?;
            let name: String = get(&row, 2, what)?;
            if self.is_ignored(&nsp, &name) {
                continue;
            }
            let mut table = Table::new(qualified(&nsp, &name));
            table.comment = get(&row, 3, what)?;
            table.options.unlogged = get(&row, 4, what)?;
            // In the catalog's order, which pg_dump prints: the table's,
            // then its TOAST table's (`toast.`).
            table.options.storage = get::<Vec<String>>(&row, 5, what)?
                .iter()
                .map(|e| StorageParam::from_catalog(e))
                .chain(
                    get::<Vec<String>>(&row, 11, what)?
                        .iter()
                        .map(|e| StorageParam::from_catalog(&format!("toast.{e}"))),
                )
                .collect();
            table.options.row_security = get(&row, 6, what)?;
            table.options.force_row_security = get(&row, 7, what)?;
            table.options.replica_identity = match get_char(&row, 8, what)? {
                'd' => ReplicaIdentity::Default,
                'f' => ReplicaIdentity::Full,
                'n' => ReplicaIdentity::Nothing,
                // An index dropped after it was chosen leaves 'i' and no index:
                // the server then logs no old row, as with NOTHING.
                'i' => match get::<Option<String>>(&row, 9, what)? {
                    Some(index) => ReplicaIdentity::Index(index),
                    None => ReplicaIdentity::Nothing,
                },
                other => {
                    return Err(IntrospectError::Unexpected {
                        what: "replica identity",
                        value: other.to_string(),
                    });
                }
            };
            table.options.cluster_on = get(&row, 10, what)?;
            by_oid.insert(get(&row, 0, what)?, tables.len());
            tables.push(table);
        }
        self.columns(&mut tables, &by_oid)?;
        self.constraints(&mut tables, &by_oid)?;
        partitions::read(self, &mut tables, &by_oid)?;
        Ok(tables)
    }

    fn columns(
        &mut self,
        tables: &mut [Table],
        by_oid: &HashMap<u32, usize>,
    ) -> Result<(), IntrospectError> {
        let what = "columns";
        // For arrays the type's own namespace and name are those of the
        // element. int2vector and oidvector have an element type too, but
        // are printed (and declared) without brackets: not arrays here.
        let sql = "SELECT a.attrelid, a.attname::text, format_type(a.atttypid, a.atttypmod),
                    tn.nspname::text, et.typname::text, arr.is_array,
                    a.attndims, a.attnotnull, a.attidentity, a.attgenerated,
                    pg_get_expr(ad.adbin, ad.adrelid), coll.collname::text, colln.nspname::text,
                    col_description(a.attrelid, a.attnum), a.attstattarget::int,
                    format_type(sq.seqtypid, NULL), sq.seqstart, sq.seqincrement, sq.seqmax,
                    sq.seqmin, sq.seqcache, sq.seqcycle,
                    NOT a.attislocal AND NOT c.relispartition,
                    CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END,
                    NULLIF(a.attcompression::text, ''),
                    ARRAY(SELECT o FROM unnest(a.attoptions) o WHERE o NOT LIKE 'pg\\_attver=%')
             FROM pg_attribute a
             JOIN pg_class c ON c.oid = a.attrelid
             JOIN pg_type t ON t.oid = a.atttypid
             CROSS JOIN LATERAL (SELECT t.typelem <> 0 AND t.typlen = -1
                                        AND format_type(t.oid, NULL) LIKE '%[]' AS is_array) arr
             JOIN pg_type et ON et.oid = CASE WHEN arr.is_array THEN t.typelem ELSE t.oid END
             JOIN pg_namespace tn ON tn.oid = et.typnamespace
             LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
             LEFT JOIN pg_collation coll ON coll.oid = a.attcollation
                                        AND a.attcollation <> t.typcollation
             LEFT JOIN pg_namespace colln ON colln.oid = coll.collnamespace
             LEFT JOIN pg_depend idn ON idn.refclassid = 'pg_class'::regclass
                                    AND idn.refobjid = a.attrelid AND idn.refobjsubid = a.attnum
                                    AND idn.classid = 'pg_class'::regclass AND idn.deptype = 'i'
                                    AND a.attidentity <> ''
             LEFT JOIN pg_sequence sq ON sq.seqrelid = idn.objid
             WHERE c.relnamespace = ANY($1) AND c.relkind IN ('r', 'p')
               AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attrelid, a.attnum";
        for row in self.query(what, sql)? {
            let oid: u32 = get(&row, 0, what)?;
            let Some(&pos) = by_oid.get(&oid) else {
                continue;
            };
            let formatted: String = get(&row, 2, what)?;
            let type_schema: String = get(&row, 3, what)?;
            let type_name: String = get(&row, 4, what)?;
            let ty = types::column_type(&types::TypeRef {
                formatted: &formatted,
                schema: &type_schema,
                name: &type_name,
                is_array: get(&row, 5, what)?,
            });
            let mut column = Column::new(get::<String>(&row, 1, what)?, ty);
            column.nullable = !get::<bool>(&row, 7, what)?;
            let expr: Option<String> = get(&row, 10, what)?;
            let expr = expr.map(|sql| Expr::new(sql, Dialect::Postgres));
            column.identity = match get_char(&row, 8, what)? {
                'a' => Some(Identity::Always),
                'd' => Some(Identity::ByDefault),
                '\0' => None,
                other => {
                    return Err(IntrospectError::Unexpected {
                        what: "identity kind",
                        value: other.to_string(),
                    });
                }
            };
            // With attgenerated 's' the pg_attrdef expression generates the
            // column; otherwise it is the default.
            match get_char(&row, 9, what)? {
                's' => column.generated = expr.map(|expr| Generated { expr, stored: true }),
                // `DEFAULT NULL::character varying` is kept as it is
                // (it compares equal to no default).
                '\0' => column.default = expr,
                other => {
                    return Err(IntrospectError::Unexpected {
                        what: "generated column kind",
                        value: other.to_string(),
                    });
                }
            }
            let collation: Option<String> = get(&row, 11, what)?;
            let collation_schema: Option<String> = get(&row, 12, what)?;
            column.collation = collation
                .map(|name| catalog_object_name(collation_schema.as_deref().unwrap_or(""), &name));
            column.comment = get(&row, 13, what)?;
            // -1 (PostgreSQL 15) and NULL (17) are the default target.
            column.statistics = get::<Option<i32>>(&row, 14, what)?.filter(|n| *n != -1);
            if column.identity.is_some() {
                let ty: Option<String> = get(&row, 15, what)?;
                if ty.is_some() {
                    column.identity_options = Some(sequence_options(&row, 15, what)?);
                }
            }
            column.inherited = get(&row, 22, what)?;
            column.storage = match get::<Option<String>>(&row, 23, what)? {
                None => None,
                Some(letter) => Some(ColumnStorage::parse(&letter).ok_or(
                    IntrospectError::Unexpected {
                        what: "column storage",
                        value: letter,
                    },
                )?),
            };
            column.compression = match get::<Option<String>>(&row, 24, what)?.as_deref() {
                None => None,
                Some("p") => Some("pglz".into()),
                Some("l") => Some("lz4".into()),
                Some(other) => {
                    return Err(IntrospectError::Unexpected {
                        what: "column compression",
                        value: other.to_string(),
                    });
                }
            };
            // This server keeps a `pg_attver=…` entry of its own in every
            // column's `attoptions`, which pg_dump leaves out too.
            column.attribute_options = storage_params(get(&row, 25, what)?);
            tables[pos].columns.push(column);
        }
        Ok(())
    }

    fn constraints(
        &mut self,
        tables: &mut [Table],
        by_oid: &HashMap<u32, usize>,
    ) -> Result<(), IntrospectError> {
        let what = "constraints";
        let nulls_not_distinct = if self.server_version >= 150000 {
            "COALESCE(i.indnullsnotdistinct, false)"
        } else {
            "false"
        };
        let set_columns = if self.server_version >= 150000 {
            "con.confdelsetcols IS NOT NULL"
        } else {
            "false"
        };
        // Column lists keep constraint order (conkey order), names resolved here
        // because a foreign key may point into a schema that is not selected.
        let sql = format!(
            "SELECT con.conrelid, con.conname::text, con.contype,
               ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num
                     ORDER BY k.ord),
               ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
                     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num
                     ORDER BY k.ord),
               fn.nspname::text, fc.relname::text, con.confupdtype, con.confdeltype,
               con.condeferrable, con.condeferred, pg_get_expr(con.conbin, con.conrelid),
               {nulls_not_distinct}, pg_get_constraintdef(con.oid), con.connoinherit,
               con.convalidated, obj_description(con.oid, 'pg_constraint'),
               ARRAY(SELECT a.attname::text FROM unnest(ki.indkey) WITH ORDINALITY k(num, ord)
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num
                     WHERE k.ord > ki.indnkeyatts ORDER BY k.ord),
               COALESCE(kc.reloptions, '{{}}')::text[],
               {set_columns}
             FROM pg_constraint con
             JOIN pg_class c ON c.oid = con.conrelid
             LEFT JOIN pg_class fc ON fc.oid = con.confrelid
             LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
             LEFT JOIN pg_index i ON i.indexrelid = con.conindid AND con.contype = 'u'
             LEFT JOIN pg_index ki ON ki.indexrelid = con.conindid AND con.contype IN ('p', 'u')
             LEFT JOIN pg_class kc ON kc.oid = ki.indexrelid
             WHERE c.relnamespace = ANY($1) AND c.relkind IN ('r', 'p')
               AND con.contype IN ('p', 'u', 'c', 'f', 'x')
               -- copies a partitioned table's constraint makes on its partitions
               AND con.conparentid = 0
               -- inherited checks belong to the parent table's declaration,
               -- also when the child declared the same check (merged)
               AND con.conislocal AND con.coninhcount = 0
             ORDER BY con.conrelid, con.conname"
        );
        for row in self.query(what, &sql)? {
            let oid: u32 = get(&row, 0, what)?;
            let Some(&pos) = by_oid.get(&oid) else {
                continue;
            };
            let table = &mut tables[pos];
            let name: String = get(&row, 1, what)?;
            let comment: Option<String> = get(&row, 16, what)?;
            let contype = get_char(&row, 2, what)?;
            if let Some(text) = comment.clone().filter(|_| contype != 'x') {
                table.constraint_comments.push((name.clone(), text));
            }
            let columns: Vec<String> = get(&row, 3, what)?;
            let deferrable = match (get::<bool>(&row, 9, what)?, get::<bool>(&row, 10, what)?) {
                (false, _) => Deferrable::NotDeferrable,
                (true, false) => Deferrable::InitiallyImmediate,
                (true, true) => Deferrable::InitiallyDeferred,
            };
            let key_index = || -> Result<KeyIndex, IntrospectError> {
                Ok(KeyIndex {
                    include: get(&row, 17, what)?,
                    storage: storage_params_in_order(get(&row, 18, what)?),
                })
            };
            match get_char(&row, 2, what)? {
                'p' => {
                    table.primary_key = Some(PrimaryKey {
                        on_conflict: None,
                        name: Some(name),
                        columns,
                        deferrable,
                        index: key_index()?,
                    })
                }
                'u' => table.uniques.push(UniqueConstraint {
                    on_conflict: None,
                    name: Some(name),
                    columns,
                    nulls_not_distinct: get(&row, 12, what)?,
                    deferrable,
                    index: key_index()?,
                }),
                'c' => {
                    let expr: Option<String> = get(&row, 11, what)?;
                    let Some(expr) = expr else {
                        return Err(IntrospectError::Unexpected {
                            what: "check constraint without an expression",
                            value: name,
                        });
                    };
                    table.checks.push(CheckConstraint {
                        name: Some(name),
                        expr: Expr::new(expr, Dialect::Postgres),
                        no_inherit: get(&row, 14, what)?,
                        not_valid: !get::<bool>(&row, 15, what)?,
                    });
                }
                'f' => {
                    if get::<bool>(&row, 19, what)? {
                        return Err(IntrospectError::NotModelled {
                            what: "a foreign key's ON DELETE SET NULL/SET DEFAULT column list",
                            name: format!("{}.{name}", table.name),
                        });
                    }
                    let schema: Option<String> = get(&row, 5, what)?;
                    let referenced: Option<String> = get(&row, 6, what)?;
                    let (Some(schema), Some(referenced)) = (schema, referenced) else {
                        return Err(IntrospectError::Unexpected {
                            what: "foreign key without a referenced table",
                            value: name,
                        });
                    };
                    table.foreign_keys.push(ForeignKey {
                        name: Some(name),
                        columns,
                        referenced_table: qualified(&schema, &referenced),
                        referenced_columns: get(&row, 4, what)?,
                        on_update: fk_action(get_char(&row, 7, what)?)?,
                        on_delete: fk_action(get_char(&row, 8, what)?)?,
                        deferrable,
                        not_valid: !get::<bool>(&row, 15, what)?,
                    });
                }
                'x' => {
                    let definition: String = get(&row, 13, what)?;
                    let mut body = definition
                        .strip_prefix("EXCLUDE ")
                        .unwrap_or(&definition)
                        .to_string();
                    for suffix in [" DEFERRABLE INITIALLY DEFERRED", " DEFERRABLE"] {
                        if let Some(head) = body.strip_suffix(suffix) {
                            body = head.to_string();
                            break;
                        }
                    }
                    table.exclusions.push(ExclusionConstraint {
                        name: Some(name),
                        definition: Expr::new(body, Dialect::Postgres),
                        deferrable,
                    });
                    if let Some(text) = comment {
                        let name = table.exclusions.last().and_then(|x| x.name.clone());
                        table.constraint_comments.extend(name.map(|n| (n, text)));
                    }
                }
                other => {
                    return Err(IntrospectError::Unexpected {
                        what: "constraint type",
                        value: other.to_string(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// `confdeltype`/`confupdtype` letters.
fn fk_action(letter: char) -> Result<ForeignKeyAction, IntrospectError> {
    Ok(match letter {
        'a' => ForeignKeyAction::NoAction,
        'r' => ForeignKeyAction::Restrict,
        'c' => ForeignKeyAction::Cascade,
        'n' => ForeignKeyAction::SetNull,
        'd' => ForeignKeyAction::SetDefault,
        other => {
            return Err(IntrospectError::Unexpected {
                what: "foreign key action",
                value: other.to_string(),
            });
        }
    })
}
