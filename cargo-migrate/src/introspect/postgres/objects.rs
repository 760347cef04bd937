//! Enums, views, sequences, extensions, and the objects carried as text.

use migrate_build::Dialect;
use migrate_build::dialect::quote;
use migrate_build::schema::{
    Definition, Enum, Expr, Extension, Firing, ObjectRef, OpaqueKind, OpaqueObject, Policy,
    PolicyCommand, PublicationMember, PublicationTarget, QualifiedName, RefKind, Schema, Sequence,
    View,
};

use std::collections::HashMap;

use super::{
    Context, IntrospectError, get, get_char, not_in_extension, qualified, schema_of,
    sequence_options, storage_params_in_order, types,
};

pub(super) fn read(cx: &mut Context<'_>, schema: &mut Schema) -> Result<(), IntrospectError> {
    schema.enums = enums(cx)?.into();
    schema.views = views(cx)?.into();
    schema.sequences = sequences(cx)?.into();
    schema.extensions = extensions(cx)?;
    schema.opaque = Default::default();
    let mut oids = Vec::new();
    routines(cx, &mut schema.opaque, &mut oids)?;
    types(cx, &mut schema.opaque, &mut oids)?;
    table_objects(cx, &mut schema.opaque, &mut oids)?;
    standalone_objects(cx, &mut schema.opaque, &mut oids)?;
    super::text_search::read(cx, &mut schema.opaque)?;
    let mut references = dependencies(cx)?;
    for (object, key) in oids {
        if let (Some(o), Some(refs)) = (schema.opaque.get_mut(object), references.remove(&key)) {
            o.references = refs;
        }
    }
    schema.policies = policies(cx)?;
    schema.publication_members = publication_members(cx)?;
    foreign_data(cx)?;
    Ok(())
}

/// Foreign data is not modelled (schema files refuse it): a database that
/// holds a wrapper or server of its own (not an extension's: `CREATE
/// EXTENSION postgres_fdw` makes its wrapper) or a foreign table in the
/// schemas read is refused, not read as one without them.
fn foreign_data(cx: &mut Context<'_>) -> Result<(), IntrospectError> {
    let what = "foreign data";
    let sql = format!(
        "SELECT 0, w.fdwname::text, '' FROM pg_foreign_data_wrapper w WHERE {}
         UNION ALL
         SELECT 1, s.srvname::text, '' FROM pg_foreign_server s WHERE {}
         UNION ALL
         SELECT 2, c.relname::text, n.nspname::text FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind = 'f' AND c.relnamespace = ANY($1) AND {}
         ORDER BY 1, 3, 2",
        not_in_extension("pg_foreign_data_wrapper", "w"),
        not_in_extension("pg_foreign_server", "s"),
        not_in_extension("pg_class", "c")
    );
    for row in cx.query(what, &sql)? {
        let name: String = get(&row, 1, what)?;
        let (what, name) = match get::<i32>(&row, 0, what)? {
            0 => ("foreign data wrapper", name),
            1 => ("foreign server", name),
            _ => {
                let nspname: String = get(&row, 2, what)?;
                if cx.is_ignored(&nspname, &name) {
                    continue;
                }
                ("foreign table", qualified(&nspname, &name).to_string())
            }
        };
        return Err(IntrospectError::NotModelled { what, name });
    }
    Ok(())
}

/// What publications publish of the schemas read: tables with their
/// column lists (in column order; the model keeps them sorted) and row
/// filters (`pg_publication_rel`), and schemas (`pg_publication_namespace`).
fn publication_members(cx: &mut Context<'_>) -> Result<Vec<PublicationMember>, IntrospectError> {
    let what = "publication tables";
    let sql = "SELECT p.pubname::text, n.nspname::text, c.relname::text,
                CASE WHEN r.prattrs IS NULL THEN NULL ELSE
                  ARRAY(SELECT a.attname::text FROM pg_attribute a
                        WHERE a.attrelid = r.prrelid AND a.attnum = ANY(r.prattrs)
                        ORDER BY a.attnum) END,
                pg_get_expr(r.prqual, r.prrelid)
         FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid
         JOIN pg_class c ON c.oid = r.prrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relnamespace = ANY($1)
         ORDER BY 1, 2, 3";
    let mut out = Vec::new();
    for row in cx.query(what, sql)? {
        let (table_schema, table_name): (String, String) =
            (get(&row, 1, what)?, get(&row, 2, what)?);
        if cx.is_ignored(&table_schema, &table_name) {
            continue;
        }
        let columns = get::<Option<Vec<String>>>(&row, 3, what)?.map(|mut columns| {
            columns.sort();
            columns
        });
        out.push(PublicationMember {
            publication: get(&row, 0, what)?,
            target: PublicationTarget::Table {
                table: qualified(&table_schema, &table_name),
                columns,
                row_filter: get::<Option<String>>(&row, 4, what)?
                    .map(|e| Expr::new(e, Dialect::Postgres)),
            },
        });
    }
    let what = "publication schemas";
    let sql = "SELECT p.pubname::text, n.nspname::text
         FROM pg_publication_namespace s JOIN pg_publication p ON p.oid = s.pnpubid
         JOIN pg_namespace n ON n.oid = s.pnnspid
         WHERE s.pnnspid = ANY($1)
         ORDER BY 1, 2";
    for row in cx.query(what, sql)? {
        out.push(PublicationMember {
            publication: get(&row, 0, what)?,
            target: PublicationTarget::Schema(schema_of(&get::<String>(&row, 1, what)?)),
        });
    }
    Ok(out)
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

/// An object's catalog and oid, as `pg_depend` names it.
type CatalogKey = (String, u32);

/// What each object of the selected schemas depends on (`pg_depend`, normal
/// dependencies), as references to the objects the model holds: a type
/// that is a table's row type is the table, an array type its element type.
/// A domain's constraints and a composite type's attributes count as the
/// type's own.
fn dependencies(
    cx: &mut Context<'_>,
) -> Result<HashMap<CatalogKey, Vec<ObjectRef>>, IntrospectError> {
    let what = "dependencies";
    let sql = "WITH d AS (SELECT classid, objid, refclassid, refobjid FROM pg_depend
                       WHERE deptype = 'n'),
         owners AS (
           SELECT classid::regclass::text AS cat, objid AS oid, refclassid, refobjid FROM d
           WHERE classid IN ('pg_proc'::regclass, 'pg_type'::regclass, 'pg_trigger'::regclass,
                             'pg_rewrite'::regclass, 'pg_collation'::regclass,
                             'pg_operator'::regclass, 'pg_cast'::regclass,
                             'pg_statistic_ext'::regclass, 'pg_event_trigger'::regclass)
           UNION ALL
           SELECT 'pg_type', t.oid, d.refclassid, d.refobjid FROM d
           JOIN pg_type t ON d.classid = 'pg_class'::regclass AND d.objid = t.typrelid
           JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
           UNION ALL
           SELECT 'pg_type', con.contypid, d.refclassid, d.refobjid FROM d
           JOIN pg_constraint con ON d.classid = 'pg_constraint'::regclass AND d.objid = con.oid
                                  AND con.contypid <> 0),
         refs AS (
           SELECT o.cat, o.oid,
             CASE WHEN rc.oid IS NOT NULL AND rc.relkind <> 'c' THEN 'relation'
                  WHEN et.oid IS NOT NULL THEN 'type'
                  WHEN cl.oid IS NOT NULL THEN 'relation'
                  WHEN p.oid IS NOT NULL THEN 'function'
                  WHEN co.oid IS NOT NULL THEN 'collation'
                  WHEN tc.oid IS NOT NULL THEN 'text search configuration' END AS kind,
             COALESCE(CASE WHEN rc.relkind <> 'c' THEN rc.relnamespace END, et.typnamespace,
                      cl.relnamespace, p.pronamespace, co.collnamespace, tc.cfgnamespace) AS ns,
             COALESCE(CASE WHEN rc.relkind <> 'c' THEN rc.relname END, et.typname,
                      cl.relname, p.proname, co.collname, tc.cfgname)::text AS name
           FROM owners o
           LEFT JOIN pg_type rt ON o.refclassid = 'pg_type'::regclass AND rt.oid = o.refobjid
           LEFT JOIN pg_type et ON et.oid = CASE WHEN rt.typelem <> 0 AND rt.typlen = -1
                                                 THEN rt.typelem ELSE rt.oid END
           LEFT JOIN pg_class rc ON rc.oid = et.typrelid
           LEFT JOIN pg_class cl ON o.refclassid = 'pg_class'::regclass AND cl.oid = o.refobjid
           LEFT JOIN pg_proc p ON o.refclassid = 'pg_proc'::regclass AND p.oid = o.refobjid
           LEFT JOIN pg_collation co ON o.refclassid = 'pg_collation'::regclass
                                     AND co.oid = o.refobjid
           LEFT JOIN pg_ts_config tc ON o.refclassid = 'pg_ts_config'::regclass
                                     AND tc.oid = o.refobjid)
         SELECT DISTINCT r.cat, r.oid, r.kind, n.nspname::text, r.name FROM refs r
         JOIN pg_namespace n ON n.oid = r.ns
         WHERE r.kind IS NOT NULL AND r.ns = ANY($1)
         ORDER BY 1, 2, 3, 4, 5";
    let mut out: HashMap<CatalogKey, Vec<ObjectRef>> = HashMap::new();
    for row in cx.query(what, sql)? {
        let kind = match get::<String>(&row, 2, what)?.as_str() {
            "relation" => RefKind::Relation,
            "type" => RefKind::Type,
            "function" => RefKind::Function,
            "collation" => RefKind::Collation,
            "text search configuration" => RefKind::TextSearchConfiguration,
            other => {
                return Err(IntrospectError::Unexpected {
                    what: "dependency kind",
                    value: other.to_string(),
                });
            }
        };
        let key = (get::<String>(&row, 0, what)?, get::<u32>(&row, 1, what)?);
        let name = qualified(
            &get::<String>(&row, 3, what)?,
            &get::<String>(&row, 4, what)?,
        );
        out.entry(key).or_default().push(ObjectRef { kind, name });
    }
    Ok(out)
}

/// Collations, operators and casts: objects of a schema (casts of the
/// database) that belong to no table.
fn standalone_objects(
    cx: &mut Context<'_>,
    out: &mut Vec<OpaqueObject>,
    oids: &mut Vec<(usize, CatalogKey)>,
) -> Result<(), IntrospectError> {
    let what = "collations";
    let sql = format!(
        "SELECT co.oid, n.nspname::text, co.collname::text FROM pg_collation co
         JOIN pg_namespace n ON n.oid = co.collnamespace
         WHERE co.collnamespace = ANY($1) AND {}
         ORDER BY 2, 3",
        not_in_extension("pg_collation", "co")
    );
    for row in cx.query(what, &sql)? {
        let name = qualified(
            &get::<String>(&row, 1, what)?,
            &get::<String>(&row, 2, what)?,
        );
        oids.push((out.len(), ("pg_collation".into(), get(&row, 0, what)?)));
        out.push(database_object(
            OpaqueKind::Collation,
            name,
            None,
            None,
            String::new(),
        ));
    }
    let what = "operators";
    let sql = format!(
        "SELECT o.oid, n.nspname::text, o.oprname::text,
                ARRAY[CASE WHEN o.oprleft = 0 THEN NULL ELSE format_type(o.oprleft, NULL) END,
                      format_type(o.oprright, NULL)],
                ARRAY[ln.nspname::text, rn.nspname::text], ARRAY[lt.typname::text, rt.typname::text],
                ARRAY[COALESCE(lt.typelem <> 0 AND lt.typlen = -1, false),
                      COALESCE(rt.typelem <> 0 AND rt.typlen = -1, false)]
         FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
         LEFT JOIN pg_type lt0 ON lt0.oid = o.oprleft
         LEFT JOIN pg_type lt ON lt.oid = CASE WHEN lt0.typelem <> 0 AND lt0.typlen = -1
                                               THEN lt0.typelem ELSE lt0.oid END
         LEFT JOIN pg_namespace ln ON ln.oid = lt.typnamespace
         JOIN pg_type rt0 ON rt0.oid = o.oprright
         JOIN pg_type rt ON rt.oid = CASE WHEN rt0.typelem <> 0 AND rt0.typlen = -1
                                          THEN rt0.typelem ELSE rt0.oid END
         JOIN pg_namespace rn ON rn.oid = rt.typnamespace
         WHERE o.oprnamespace = ANY($1) AND {}
         ORDER BY 2, 3, 4",
        not_in_extension("pg_operator", "o")
    );
    for row in cx.query(what, &sql)? {
        let name = qualified(
            &get::<String>(&row, 1, what)?,
            &get::<String>(&row, 2, what)?,
        );
        let formatted: Vec<Option<String>> = get(&row, 3, what)?;
        let schemas: Vec<Option<String>> = get(&row, 4, what)?;
        let names: Vec<Option<String>> = get(&row, 5, what)?;
        let arrays: Vec<bool> = get(&row, 6, what)?;
        let operand = |i: usize| match (&formatted[i], &schemas[i], &names[i]) {
            (Some(f), Some(s), Some(n)) => bare_type(f, s, n, arrays[i]),
            _ => "NONE".to_string(),
        };
        let signature = format!("{}, {}", operand(0), operand(1));
        oids.push((out.len(), ("pg_operator".into(), get(&row, 0, what)?)));
        out.push(database_object(
            OpaqueKind::Operator,
            name,
            None,
            Some(signature),
            String::new(),
        ));
    }
    // Event triggers are the database's, not a schema's: they go with the
    // schema of the function they run.
    let what = "event triggers";
    let sql = format!(
        "SELECT e.oid, e.evtname::text, e.evtevent::text, e.evttags, n.nspname::text,
                p.proname::text, e.evtenabled::text, obj_description(e.oid, 'pg_event_trigger')
         FROM pg_event_trigger e JOIN pg_proc p ON p.oid = e.evtfoid
         JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE p.pronamespace = ANY($1) AND {}
         ORDER BY 2",
        not_in_extension("pg_event_trigger", "e")
    );
    for row in cx.query(what, &sql)? {
        let name: String = get(&row, 1, what)?;
        let tags: Option<Vec<String>> = get(&row, 3, what)?;
        let function = qualified(
            &get::<String>(&row, 4, what)?,
            &get::<String>(&row, 5, what)?,
        );
        let mut sql = format!(
            "CREATE EVENT TRIGGER {} ON {}",
            quote::ident(&name, Dialect::Postgres),
            get::<String>(&row, 2, what)?
        );
        if let Some(tags) = tags.filter(|t| !t.is_empty()) {
            let tags: Vec<String> = tags.iter().map(|t| quote::string(t)).collect();
            sql.push_str(&format!("\n         WHEN TAG IN ({})", tags.join(", ")));
        }
        sql.push_str(&format!(
            "\n   EXECUTE FUNCTION {}()",
            quote::qualified(&function, Dialect::Postgres)
        ));
        let enabled: String = get(&row, 6, what)?;
        oids.push((out.len(), ("pg_event_trigger".into(), get(&row, 0, what)?)));
        let mut object = database_object(
            OpaqueKind::EventTrigger,
            QualifiedName::new(name),
            None,
            None,
            sql,
        );
        object.firing = firing(&enabled)?;
        object.comment = get(&row, 7, what)?;
        out.push(object);
    }
    // Publications are the database's too; what they publish is read with
    // the tables (`publication_members`).
    let what = "publications";
    let sql = "SELECT p.oid, p.pubname::text, p.puballtables, p.pubinsert, p.pubupdate,
                p.pubdelete, p.pubtruncate, p.pubviaroot, obj_description(p.oid, 'pg_publication')
         FROM pg_publication p ORDER BY 2";
    for row in cx.query_database(what, sql)? {
        let name: String = get(&row, 1, what)?;
        let mut sql = format!(
            "CREATE PUBLICATION {}",
            quote::ident(&name, Dialect::Postgres)
        );
        if get::<bool>(&row, 2, what)? {
            sql.push_str(" FOR ALL TABLES");
        }
        let ops: Vec<&str> = [(3, "insert"), (4, "update"), (5, "delete"), (6, "truncate")]
            .into_iter()
            .filter_map(|(i, op)| get::<bool>(&row, i, what).ok().filter(|&on| on).map(|_| op))
            .collect();
        sql.push_str(&format!(" WITH (publish = '{}'", ops.join(", ")));
        if get::<bool>(&row, 7, what)? {
            sql.push_str(", publish_via_partition_root = true");
        }
        sql.push(')');
        oids.push((out.len(), ("pg_publication".into(), get(&row, 0, what)?)));
        let mut object = OpaqueObject::new(
            OpaqueKind::Publication,
            QualifiedName::new(name),
            None,
            migrate_build::ddl::publication_definition(sql),
        );
        object.comment = get(&row, 8, what)?;
        out.push(object);
    }
    // Casts between types of the selected schemas' users; the builtin
    // casts have oids below FirstNormalObjectId.
    let what = "casts";
    let sql = format!(
        "SELECT c.oid, format_type(c.castsource, NULL), sn.nspname::text, st.typname::text,
                format_type(c.casttarget, NULL), tn.nspname::text, tt.typname::text
         FROM pg_cast c
         JOIN pg_type st ON st.oid = c.castsource JOIN pg_namespace sn ON sn.oid = st.typnamespace
         JOIN pg_type tt ON tt.oid = c.casttarget JOIN pg_namespace tn ON tn.oid = tt.typnamespace
         WHERE c.oid >= 16384 AND {}
           -- made with another object (a range type's cast to its multirange)
           AND NOT EXISTS (SELECT 1 FROM pg_depend idn WHERE idn.classid = 'pg_cast'::regclass
                           AND idn.objid = c.oid AND idn.deptype = 'i')
         ORDER BY 2, 5",
        not_in_extension("pg_cast", "c")
    );
    for row in cx.query_database(what, &sql)? {
        let source = bare_type(
            &get::<String>(&row, 1, what)?,
            &get::<String>(&row, 2, what)?,
            &get::<String>(&row, 3, what)?,
            false,
        );
        let target = bare_type(
            &get::<String>(&row, 4, what)?,
            &get::<String>(&row, 5, what)?,
            &get::<String>(&row, 6, what)?,
            false,
        );
        let name = QualifiedName::new(format!("{source} AS {target}"));
        oids.push((out.len(), ("pg_cast".into(), get(&row, 0, what)?)));
        out.push(database_object(
            OpaqueKind::Cast,
            name,
            None,
            None,
            String::new(),
        ));
    }
    Ok(())
}

/// A type as the interpreter writes it in a signature: canonical, without
/// modifiers.
fn bare_type(formatted: &str, schema: &str, name: &str, is_array: bool) -> String {
    let mut ty = types::column_type(&types::TypeRef {
        formatted,
        schema,
        name,
        is_array,
    });
    ty.modifiers.clear();
    ty.to_string()
}

/// `tgenabled` / `evtenabled` as the model says it.
fn firing(letter: &str) -> Result<Firing, IntrospectError> {
    letter
        .chars()
        .next()
        .and_then(Firing::from_catalog)
        .ok_or_else(|| IntrospectError::Unexpected {
            what: "trigger firing",
            value: letter.to_string(),
        })
}

fn database_object(
    kind: OpaqueKind,
    name: QualifiedName,
    on_table: Option<QualifiedName>,
    signature: Option<String>,
    sql: String,
) -> OpaqueObject {
    let mut o = OpaqueObject::new(kind, name, on_table, Definition::database(sql));
    o.signature = signature;
    o
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
                definition: Definition::database(get::<String>(row, 3, what)?),
                options: storage_params_in_order(get(row, 4, what)?),
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
fn routines(
    cx: &mut Context<'_>,
    out: &mut Vec<OpaqueObject>,
    oids: &mut Vec<(usize, CatalogKey)>,
) -> Result<(), IntrospectError> {
    let what = "functions";
    // pg_get_functiondef refuses aggregates: their CREATE is assembled from pg_aggregate.
    let sql = format!(
        "SELECT n.nspname::text, p.proname::text, p.prokind,
                CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END,
                pg_get_function_identity_arguments(p.oid),
                ag.aggtransfn::regproc::text, format_type(ag.aggtranstype, NULL),
                CASE WHEN ag.aggfinalfn <> 0 THEN ag.aggfinalfn::regproc::text END,
                ag.agginitval, p.oid, obj_description(p.oid, 'pg_proc'),
                -- proargtypes: the input arguments (and a procedure's OUT ones)
                ARRAY(SELECT format_type(a.t, NULL) FROM unnest(p.proargtypes::oid[])
                      WITH ORDINALITY a(t, i) ORDER BY a.i),
                ARRAY(SELECT en.nspname::text FROM unnest(p.proargtypes::oid[])
                      WITH ORDINALITY a(t, i) JOIN pg_type at ON at.oid = a.t
                      JOIN pg_type et ON et.oid = CASE WHEN at.typelem <> 0 AND at.typlen = -1
                                                       THEN at.typelem ELSE at.oid END
                      JOIN pg_namespace en ON en.oid = et.typnamespace ORDER BY a.i),
                ARRAY(SELECT et.typname::text FROM unnest(p.proargtypes::oid[])
                      WITH ORDINALITY a(t, i) JOIN pg_type at ON at.oid = a.t
                      JOIN pg_type et ON et.oid = CASE WHEN at.typelem <> 0 AND at.typlen = -1
                                                       THEN at.typelem ELSE at.oid END
                      ORDER BY a.i),
                ARRAY(SELECT at.typelem <> 0 AND at.typlen = -1 FROM unnest(p.proargtypes::oid[])
                      WITH ORDINALITY a(t, i) JOIN pg_type at ON at.oid = a.t ORDER BY a.i)
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
        let formatted: Vec<String> = get(&row, 11, what)?;
        let schemas: Vec<String> = get(&row, 12, what)?;
        let type_names: Vec<String> = get(&row, 13, what)?;
        let arrays: Vec<bool> = get(&row, 14, what)?;
        let signature: Vec<String> = formatted
            .iter()
            .zip(&schemas)
            .zip(&type_names)
            .zip(&arrays)
            .map(|(((f, s), n), a)| bare_type(f, s, n, *a))
            .collect();
        oids.push((out.len(), ("pg_proc".into(), get(&row, 9, what)?)));
        let mut object = database_object(
            kind,
            name,
            None,
            Some(signature.join(", ")),
            sql.unwrap_or_default(),
        );
        object.comment = get(&row, 10, what)?;
        out.push(object);
    }
    Ok(())
}

/// Composite types (not the row types of tables), domains and range types.
fn types(
    cx: &mut Context<'_>,
    out: &mut Vec<OpaqueObject>,
    oids: &mut Vec<(usize, CatalogKey)>,
) -> Result<(), IntrospectError> {
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
                t.oid, obj_description(t.oid, 'pg_type')
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
                // A constraint not validated cannot be written in CREATE
                // DOMAIN: it follows as pg_dump writes it.
                let (valid, not_valid): (Vec<String>, Vec<String>) =
                    get::<Vec<String>>(&row, 7, what)?
                        .into_iter()
                        .partition(|c| !c.ends_with(" NOT VALID"));
                for check in valid {
                    sql.push(' ');
                    sql.push_str(&check);
                }
                for check in not_valid {
                    sql.push_str(&format!(";\nALTER DOMAIN {quoted} ADD {check}"));
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
        oids.push((out.len(), ("pg_type".into(), get(&row, 8, what)?)));
        let mut object = database_object(kind, name, None, None, sql);
        object.comment = get(&row, 9, what)?;
        out.push(object);
    }
    Ok(())
}

/// Triggers, rules and statistics: objects attached to one table.
/// Triggers and rules are named per table, so their own name
/// carries no schema; statistics objects live in a schema.
fn table_objects(
    cx: &mut Context<'_>,
    out: &mut Vec<OpaqueObject>,
    oids: &mut Vec<(usize, CatalogKey)>,
) -> Result<(), IntrospectError> {
    let what = "triggers, rules and statistics";
    // tgparentid: triggers a partitioned table clones onto its partitions.
    let sql = format!(
        "SELECT 't', tg.tgname::text, NULL::text, n.nspname::text, c.relname::text,
                pg_get_triggerdef(tg.oid), tg.oid, 'pg_trigger',
                obj_description(tg.oid, 'pg_trigger'), tg.tgenabled::text, NULL::int
         FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relnamespace = ANY($1) AND NOT tg.tgisinternal AND tg.tgparentid = 0
           AND {not_ext}
         UNION ALL
         SELECT 'r', r.rulename::text, NULL, n.nspname::text, c.relname::text,
                pg_get_ruledef(r.oid), r.oid, 'pg_rewrite',
                obj_description(r.oid, 'pg_rewrite'), NULL, NULL
         FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relnamespace = ANY($1) AND r.rulename <> '_RETURN' AND {not_ext}
         UNION ALL
         SELECT 's', s.stxname::text, sn.nspname::text, n.nspname::text, c.relname::text,
                pg_get_statisticsobjdef(s.oid), s.oid, 'pg_statistic_ext',
                obj_description(s.oid, 'pg_statistic_ext'),
                -- -1 before PostgreSQL 17, NULL since: the default
                NULL, NULLIF(s.stxstattarget, -1)::int
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
        oids.push((out.len(), (get(&row, 7, what)?, get(&row, 6, what)?)));
        let mut object = database_object(
            kind,
            name,
            Some(qualified(&table_schema, &table_name)),
            None,
            get(&row, 5, what)?,
        );
        object.comment = get(&row, 8, what)?;
        if let Some(enabled) = get::<Option<String>>(&row, 9, what)? {
            object.firing = firing(&enabled)?;
        }
        object.statistics_target = get(&row, 10, what)?;
        out.push(object);
    }
    Ok(())
}
