//! Enums, views, sequences, extensions, and the objects carried as text.

use migrate_build::Dialect;
use migrate_build::dialect::quote;
use migrate_build::schema::{
    Definition, Enum, Expr, Extension, OpaqueKind, OpaqueObject, Policy, PolicyCommand,
    QualifiedName, Schema, Sequence, View,
};

use super::{
    Context, IntrospectError, get, get_char, not_in_extension, qualified, schema_of,
    sequence_options, storage_params,
};

pub(super) fn read(cx: &mut Context<'_>, schema: &mut Schema) -> Result<(), IntrospectError> {
    schema.enums = enums(cx)?;
    schema.views = views(cx)?;
    schema.sequences = sequences(cx)?;
    schema.extensions = extensions(cx)?;
    schema.opaque = Vec::new();
    routines(cx, &mut schema.opaque)?;
    types(cx, &mut schema.opaque)?;
    table_objects(cx, &mut schema.opaque)?;
    schema.policies = policies(cx)?;
    Ok(())
}

/// Row-level security policies (`pg_policy`); role 0 is `PUBLIC`.
fn policies(cx: &mut Context<'_>) -> Result<Vec<Policy>, IntrospectError> {
    let what = "policies";
    let sql = format!(
        "SELECT pol.polname::text, n.nspname::text, c.relname::text, pol.polpermissive,
                pol.polcmd,
                ARRAY(SELECT pg_get_userbyid(r.oid)::text FROM unnest(pol.polroles) r(oid)
                      WHERE r.oid <> 0 ORDER BY 1),
                pg_get_expr(pol.polqual, pol.polrelid),
                pg_get_expr(pol.polwithcheck, pol.polrelid), obj_description(pol.oid, 'pg_policy')
         FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relnamespace = ANY($1) AND {}
         ORDER BY 2, 3, 1",
        not_in_extension("pg_class", "c")
    );
    let mut out = Vec::new();
    for row in cx.query(what, &sql)? {
        let table_schema: String = get(&row, 1, what)?;
        let table_name: String = get(&row, 2, what)?;
        if cx.is_ignored(&table_schema, &table_name) {
            continue;
        }
        let command = match get_char(&row, 4, what)? {
            '*' => PolicyCommand::All,
            'r' => PolicyCommand::Select,
            'a' => PolicyCommand::Insert,
            'w' => PolicyCommand::Update,
            'd' => PolicyCommand::Delete,
            other => {
                return Err(IntrospectError::Unexpected {
                    what: "policy command",
                    value: other.to_string(),
                });
            }
        };
        let expr = |i: usize| -> Result<Option<Expr>, IntrospectError> {
            Ok(get::<Option<String>>(&row, i, what)?.map(|e| Expr::new(e, Dialect::Postgres)))
        };
        out.push(Policy {
            name: get(&row, 0, what)?,
            table: qualified(&table_schema, &table_name),
            permissive: get(&row, 3, what)?,
            command,
            roles: get(&row, 5, what)?,
            using: expr(6)?,
            with_check: expr(7)?,
            comment: get(&row, 8, what)?,
        });
    }
    Ok(out)
}

fn enums(cx: &mut Context<'_>) -> Result<Vec<Enum>, IntrospectError> {
    let what = "enum types";
    // enumsortorder, not oid: `ADD VALUE … BEFORE` gives a fractional position.
    let sql = format!(
        "SELECT n.nspname::text, t.typname::text,
                ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid
                      ORDER BY e.enumsortorder),
                obj_description(t.oid, 'pg_type')
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE t.typnamespace = ANY($1) AND t.typtype = 'e' AND {}
         ORDER BY n.nspname, t.typname",
        not_in_extension("pg_type", "t")
    );
    cx.query(what, &sql)?
        .iter()
        .map(|row| {
            Ok(Enum {
                comment: get(row, 3, what)?,
                name: qualified(&get::<String>(row, 0, what)?, &get::<String>(row, 1, what)?),
                values: get(row, 2, what)?,
            })
        })
        .collect()
}

fn views(cx: &mut Context<'_>) -> Result<Vec<View>, IntrospectError> {
    let what = "views";
    let sql = format!(
        "SELECT n.nspname::text, c.relname::text, c.relkind = 'm', pg_get_viewdef(c.oid),
                COALESCE(c.reloptions, '{{}}')::text[], obj_description(c.oid, 'pg_class'),
                ARRAY(SELECT a.attname::text FROM pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attnum > 0
                        AND col_description(c.oid, a.attnum) IS NOT NULL ORDER BY 1),
                ARRAY(SELECT col_description(c.oid, a.attnum) FROM pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attnum > 0
                        AND col_description(c.oid, a.attnum) IS NOT NULL ORDER BY a.attname)
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relnamespace = ANY($1) AND c.relkind IN ('v', 'm') AND {}
         ORDER BY n.nspname, c.relname",
        not_in_extension("pg_class", "c")
    );
    cx.query(what, &sql)?
        .iter()
        .map(|row| {
            let columns: Vec<String> = get(row, 6, what)?;
            let texts: Vec<String> = get(row, 7, what)?;
            Ok(View {
                column_comments: columns.into_iter().zip(texts).collect(),
                comment: get(row, 5, what)?,
                name: qualified(&get::<String>(row, 0, what)?, &get::<String>(row, 1, what)?),
                materialized: get(row, 2, what)?,
                definition: Definition::Database {
                    sql: get(row, 3, what)?,
                },
                options: storage_params(get(row, 4, what)?),
            })
        })
        .collect()
}

fn sequences(cx: &mut Context<'_>) -> Result<Vec<Sequence>, IntrospectError> {
    let what = "sequences";
    // deptype 'a' links a serial's sequence to its column (OWNED BY); 'i'
    // marks an identity column's sequence, which is part of the column.
    let sql = format!(
        "SELECT n.nspname::text, c.relname::text, otn.nspname::text, ot.relname::text,
                oa.attname::text, c.relpersistence = 'u',
                format_type(sq.seqtypid, NULL), sq.seqstart, sq.seqincrement, sq.seqmax,
                sq.seqmin, sq.seqcache, sq.seqcycle, obj_description(c.oid, 'pg_class')
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_sequence sq ON sq.seqrelid = c.oid
         LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                              AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'
         LEFT JOIN pg_class ot ON ot.oid = d.refobjid
         LEFT JOIN pg_namespace otn ON otn.oid = ot.relnamespace
         LEFT JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
         WHERE c.relnamespace = ANY($1) AND c.relkind = 'S' AND {}
           AND NOT EXISTS (SELECT 1 FROM pg_depend idn WHERE idn.classid = 'pg_class'::regclass
                           AND idn.objid = c.oid AND idn.deptype = 'i')
         ORDER BY n.nspname, c.relname",
        not_in_extension("pg_class", "c")
    );
    let mut sequences = Vec::new();
    for row in cx.query(what, &sql)? {
        let owner_schema: Option<String> = get(&row, 2, what)?;
        let owner_table: Option<String> = get(&row, 3, what)?;
        let owner_column: Option<String> = get(&row, 4, what)?;
        let owned_by = match (owner_schema, owner_table, owner_column) {
            (Some(schema), Some(table), Some(column)) => {
                if cx.is_ignored(&schema, &table) {
                    continue;
                }
                Some((qualified(&schema, &table), column))
            }
            _ => None,
        };
        sequences.push(Sequence {
            name: qualified(
                &get::<String>(&row, 0, what)?,
                &get::<String>(&row, 1, what)?,
            ),
            owned_by,
            options: sequence_options(&row, 6, what)?,
            unlogged: get(&row, 5, what)?,
            comment: get(&row, 13, what)?,
        });
    }
    Ok(sequences)
}

fn extensions(cx: &mut Context<'_>) -> Result<Vec<Extension>, IntrospectError> {
    let what = "extensions";
    // plpgsql comes with every database (template1); no migration creates it.
    let sql = "SELECT e.extname::text, n.nspname::text, e.extversion::text,
                obj_description(e.oid, 'pg_extension')
         FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
         WHERE e.extname <> 'plpgsql'
         ORDER BY e.extname";
    cx.query_database(what, sql)?
        .iter()
        .map(|row| {
            Ok(Extension {
                comment: get(row, 3, what)?,
                name: get(row, 0, what)?,
                schema: schema_of(&get::<String>(row, 1, what)?),
                version: Some(get(row, 2, what)?),
            })
        })
        .collect()
}

/// Functions, procedures and aggregates. Overloads share a name; they are
/// listed in the order of their argument lists so the result is stable.
fn routines(cx: &mut Context<'_>, out: &mut Vec<OpaqueObject>) -> Result<(), IntrospectError> {
    let what = "functions";
    // pg_get_functiondef refuses aggregates: their CREATE is assembled from pg_aggregate.
    let sql = format!(
        "SELECT n.nspname::text, p.proname::text, p.prokind,
                CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END,
                pg_get_function_identity_arguments(p.oid),
                ag.aggtransfn::regproc::text, format_type(ag.aggtranstype, NULL),
                CASE WHEN ag.aggfinalfn <> 0 THEN ag.aggfinalfn::regproc::text END,
                ag.agginitval, obj_description(p.oid, 'pg_proc')
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         LEFT JOIN pg_aggregate ag ON ag.aggfnoid = p.oid
         WHERE p.pronamespace = ANY($1) AND {}
           -- made with another object (a range type's constructors)
           AND NOT EXISTS (SELECT 1 FROM pg_depend idn WHERE idn.classid = 'pg_proc'::regclass
                           AND idn.objid = p.oid AND idn.deptype = 'i')
         ORDER BY n.nspname, p.proname, 5",
        not_in_extension("pg_proc", "p")
    );
    for row in cx.query(what, &sql)? {
        let name = qualified(
            &get::<String>(&row, 0, what)?,
            &get::<String>(&row, 1, what)?,
        );
        let (kind, sql) = match get_char(&row, 2, what)? {
            'f' | 'w' => (OpaqueKind::Function, get::<Option<String>>(&row, 3, what)?),
            'p' => (OpaqueKind::Procedure, get::<Option<String>>(&row, 3, what)?),
            'a' => {
                let args: String = get(&row, 4, what)?;
                let sfunc: Option<String> = get(&row, 5, what)?;
                let stype: Option<String> = get(&row, 6, what)?;
                let finalfunc: Option<String> = get(&row, 7, what)?;
                let initcond: Option<String> = get(&row, 8, what)?;
                let mut sql = format!(
                    "CREATE AGGREGATE {}({args}) (SFUNC = {}, STYPE = {}",
                    quote::qualified(&name, Dialect::Postgres),
                    sfunc.unwrap_or_default(),
                    stype.unwrap_or_default(),
                );
                if let Some(f) = finalfunc {
                    sql.push_str(&format!(", FINALFUNC = {f}"));
                }
                if let Some(init) = initcond {
                    sql.push_str(&format!(", INITCOND = {}", quote::string(&init)));
                }
                sql.push(')');
                (OpaqueKind::Aggregate, Some(sql))
            }
            other => {
                return Err(IntrospectError::Unexpected {
                    what: "function kind",
                    value: format!("{other} ({name})"),
                });
            }
        };
        out.push(OpaqueObject {
            comment: get(&row, 9, what)?,
            kind,
            name,
            on_table: None,
            definition: Definition::Database {
                sql: sql.unwrap_or_default(),
            },
        });
    }
    Ok(())
}

/// Composite types (not the row types of tables), domains and range types.
fn types(cx: &mut Context<'_>, out: &mut Vec<OpaqueObject>) -> Result<(), IntrospectError> {
    let what = "types";
    let sql = format!(
        "SELECT n.nspname::text, t.typname::text, t.typtype,
                CASE t.typtype
                  WHEN 'c' THEN (SELECT string_agg(format('%I %s', a.attname,
                                                   format_type(a.atttypid, a.atttypmod)),
                                                   ', ' ORDER BY a.attnum)
                                 FROM pg_attribute a
                                 WHERE a.attrelid = t.typrelid AND a.attnum > 0
                                   AND NOT a.attisdropped)
                  WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod)
                  WHEN 'r' THEN (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r
                                 WHERE r.rngtypid = t.oid)
                END,
                CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation
                     THEN (SELECT format('%I.%I', cn.nspname, co.collname) FROM pg_collation co
                           JOIN pg_namespace cn ON cn.oid = co.collnamespace
                           WHERE co.oid = t.typcollation) END,
                t.typdefault, t.typnotnull,
                ARRAY(SELECT format('CONSTRAINT %I %s', con.conname, pg_get_constraintdef(con.oid))
                      FROM pg_constraint con WHERE con.contypid = t.oid AND con.contype = 'c'
                      ORDER BY con.conname),
                obj_description(t.oid, 'pg_type')
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         LEFT JOIN pg_class c ON c.oid = t.typrelid
         LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
         WHERE t.typnamespace = ANY($1) AND {}
           AND (t.typtype IN ('d', 'r') OR (t.typtype = 'c' AND c.relkind = 'c'))
         ORDER BY n.nspname, t.typname",
        not_in_extension("pg_type", "t")
    );
    for row in cx.query(what, &sql)? {
        let name = qualified(
            &get::<String>(&row, 0, what)?,
            &get::<String>(&row, 1, what)?,
        );
        let quoted = quote::qualified(&name, Dialect::Postgres);
        let body: String = get::<Option<String>>(&row, 3, what)?.unwrap_or_default();
        let (kind, sql) = match get_char(&row, 2, what)? {
            'c' => (
                OpaqueKind::Type,
                format!("CREATE TYPE {quoted} AS ({body})"),
            ),
            'r' => (
                OpaqueKind::Type,
                format!("CREATE TYPE {quoted} AS RANGE (SUBTYPE = {body})"),
            ),
            'd' => {
                let mut sql = format!("CREATE DOMAIN {quoted} AS {body}");
                if let Some(collation) = get::<Option<String>>(&row, 4, what)? {
                    sql.push_str(&format!(" COLLATE {collation}"));
                }
                if let Some(default) = get::<Option<String>>(&row, 5, what)? {
                    sql.push_str(&format!(" DEFAULT {default}"));
                }
                if get::<bool>(&row, 6, what)? {
                    sql.push_str(" NOT NULL");
                }
                for check in get::<Vec<String>>(&row, 7, what)? {
                    sql.push(' ');
                    sql.push_str(&check);
                }
                (OpaqueKind::Domain, sql)
            }
            other => {
                return Err(IntrospectError::Unexpected {
                    what: "type kind",
                    value: format!("{other} ({name})"),
                });
            }
        };
        out.push(OpaqueObject {
            comment: get(&row, 8, what)?,
            kind,
            name,
            on_table: None,
            definition: Definition::Database { sql },
        });
    }
    Ok(())
}

/// Triggers, rules and statistics: objects attached to one table.
/// Triggers and rules are named per table, so their own name
/// carries no schema; statistics objects live in a schema.
fn table_objects(cx: &mut Context<'_>, out: &mut Vec<OpaqueObject>) -> Result<(), IntrospectError> {
    let what = "triggers, rules and statistics";
    // tgparentid: triggers a partitioned table clones onto its partitions.
    let sql = format!(
        "SELECT 't', tg.tgname::text, NULL::text, n.nspname::text, c.relname::text,
                pg_get_triggerdef(tg.oid), obj_description(tg.oid, 'pg_trigger')
         FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relnamespace = ANY($1) AND NOT tg.tgisinternal AND tg.tgparentid = 0
           AND {not_ext}

         UNION ALL
         SELECT 'r', r.rulename::text, NULL, n.nspname::text, c.relname::text,
                pg_get_ruledef(r.oid), obj_description(r.oid, 'pg_rewrite')
         FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relnamespace = ANY($1) AND r.rulename <> '_RETURN' AND {not_ext}
         UNION ALL
         SELECT 's', s.stxname::text, sn.nspname::text, n.nspname::text, c.relname::text,
                pg_get_statisticsobjdef(s.oid), obj_description(s.oid, 'pg_statistic_ext')
         FROM pg_statistic_ext s JOIN pg_namespace sn ON sn.oid = s.stxnamespace
         JOIN pg_class c ON c.oid = s.stxrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE s.stxnamespace = ANY($1) AND {not_ext}
         ORDER BY 1, 4, 5, 2",
        not_ext = not_in_extension("pg_class", "c"),
    );
    for row in cx.query(what, &sql)? {
        let table_schema: String = get(&row, 3, what)?;
        let table_name: String = get(&row, 4, what)?;
        if cx.is_ignored(&table_schema, &table_name) {
            continue;
        }
        let name: String = get(&row, 1, what)?;
        let own_schema: Option<String> = get(&row, 2, what)?;
        let kind_letter: String = get(&row, 0, what)?;
        let kind = match kind_letter.as_str() {
            "t" => OpaqueKind::Trigger,
            "r" => OpaqueKind::Rule,
            "s" => OpaqueKind::Statistics,
            other => {
                return Err(IntrospectError::Unexpected {
                    what: "table object kind",
                    value: other.to_string(),
                });
            }
        };
        let name = match own_schema {
            Some(schema) => qualified(&schema, &name),
            None => QualifiedName::new(name),
        };
        out.push(OpaqueObject {
            comment: get(&row, 6, what)?,
            kind,
            name,
            on_table: Some(qualified(&table_schema, &table_name)),
            definition: Definition::Database {
                sql: get(&row, 5, what)?,
            },
        });
    }
    Ok(())
}
