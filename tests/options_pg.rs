//! Table, sequence, view, index and constraint options on a real PostgreSQL
//! server, through the CLI: a schema is applied, the live database compares
//! equal to it (`diff --from database --to schema --exit-code` is 0), a
//! change is applied and the server's catalog shows it, and `down` brings the
//! catalog back. Each case also reads the catalog with a probe query of its
//! own, so that a fact the tool both forgets to write and forgets to read is
//! still caught.

mod common;

use common::pg::TestDb;
use common::workspace::{Run, Workspace};

fn run(ws: &Workspace, db: &TestDb, args: &[&str]) -> Run {
    let mut c = ws.command(args);
    c.env("DATABASE_URL", &db.url);
    Run {
        output: c.output().unwrap(),
    }
}

/// The probe's rows, one line each (every column as text).
fn probe(db: &mut TestDb, sql: &str) -> String {
    db.client
        .query(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|row| {
            (0..row.len())
                .map(|i| {
                    row.get::<_, Option<String>>(i)
                        .unwrap_or_else(|| "NULL".into())
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `diff --from database --to schema --exit-code` must say "no changes".
fn in_sync(ws: &Workspace, db: &TestDb, when: &str) {
    let r = run(
        ws,
        db,
        &[
            "diff",
            "--from",
            "database",
            "--to",
            "schema",
            "--exit-code",
        ],
    );
    assert_eq!(
        r.code(),
        0,
        "{when}: the database differs from schema.sql:\n{}\n{}",
        r.stdout(),
        r.stderr()
    );
}

/// Applies `from`, checks it, migrates to `to`, checks it, goes down, checks
/// `from` again. `probe_sql` reads the facts under test from the catalog;
/// `expect_from`/`expect_to` are its output for each schema.
fn round_trip(from: &str, to: &str, probe_sql: &str, expect_from: &str, expect_to: &str) {
    let mut db = test_db!();
    let ws = Workspace::new("postgres", from);
    ws.migrate(&["new", "start"]).success();
    run(&ws, &db, &["apply"]).success();
    in_sync(&ws, &db, "after applying from.sql");
    assert_eq!(
        probe(&mut db, probe_sql),
        expect_from,
        "catalog after from.sql"
    );

    ws.write("schema.sql", to);
    ws.migrate(&["new", "change"]).success();
    let dir = ws.migration_dirs().last().unwrap().clone();
    let up = ws.read(&format!("migrations/{dir}/up.sql"));
    run(&ws, &db, &["apply"]).success();
    in_sync(&ws, &db, &format!("after the change\n{up}"));
    assert_eq!(
        probe(&mut db, probe_sql),
        expect_to,
        "catalog after the change:\n{up}"
    );
    // Nothing left to write: the migrations and the schema agree too.
    ws.migrate(&["new", "again"])
        .success()
        .stderr_has("in sync");

    run(&ws, &db, &["down"]).success();
    ws.write("schema.sql", from);
    let down = ws.read(&format!("migrations/{dir}/down.sql"));
    in_sync(&ws, &db, &format!("after down\n{down}"));
    assert_eq!(
        probe(&mut db, probe_sql),
        expect_from,
        "catalog after down:\n{down}"
    );
}

const TABLE_PROBE: &str = "SELECT c.relname::text, c.relpersistence::text,
        COALESCE((SELECT string_agg(o, ',' ORDER BY o) FROM unnest(c.reloptions) o), ''), c.relrowsecurity::text,
        c.relforcerowsecurity::text, c.relreplident::text,
        COALESCE((SELECT ri.relname::text FROM pg_index x JOIN pg_class ri ON ri.oid = x.indexrelid
                  WHERE x.indrelid = c.oid AND x.indisreplident), '-')
     FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
       AND c.relname <> '_migrate_history' ORDER BY 1";

#[test]
fn unlogged_storage_parameters_row_security_and_replica_identity() {
    round_trip(
        "CREATE TABLE events (id bigint PRIMARY KEY, payload text);
         CREATE TABLE audit (id bigint PRIMARY KEY, at timestamptz NOT NULL) WITH (fillfactor = 90);
         ALTER TABLE audit ENABLE ROW LEVEL SECURITY;",
        "CREATE UNLOGGED TABLE events (id bigint PRIMARY KEY, payload text)
           WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01, autovacuum_enabled = FALSE);
         ALTER TABLE events ENABLE ROW LEVEL SECURITY;
         ALTER TABLE events FORCE ROW LEVEL SECURITY;
         ALTER TABLE events REPLICA IDENTITY FULL;
         CREATE TABLE audit (id bigint PRIMARY KEY, at timestamptz NOT NULL);
         CREATE UNIQUE INDEX audit_at ON audit (at);
         ALTER TABLE audit REPLICA IDENTITY USING INDEX audit_at;
         CREATE TABLE fresh (id int PRIMARY KEY) WITH (parallel_workers = 2);
         ALTER TABLE fresh ENABLE ROW LEVEL SECURITY, REPLICA IDENTITY NOTHING;",
        TABLE_PROBE,
        "audit p fillfactor=90 true false d -\n\
         events p  false false d -",
        "audit p  false false i audit_at\n\
         events u autovacuum_enabled=false,autovacuum_vacuum_scale_factor=0.01,fillfactor=70 true true f -\n\
         fresh p parallel_workers=2 true false n -",
    );
}

#[test]
fn set_logged_set_and_reset_in_later_migrations_replay_to_the_server_state() {
    // The same facts written as ALTER TABLE in schema.sql.
    round_trip(
        "CREATE UNLOGGED TABLE t (id int PRIMARY KEY) WITH (fillfactor = 50, parallel_workers = 4);",
        "CREATE UNLOGGED TABLE t (id int PRIMARY KEY) WITH (fillfactor = 50, parallel_workers = 4);
         ALTER TABLE t SET LOGGED;
         ALTER TABLE t SET (fillfactor = 60), RESET (parallel_workers);
         ALTER TABLE t ENABLE ROW LEVEL SECURITY;
         ALTER TABLE t DISABLE ROW LEVEL SECURITY;
         ALTER TABLE t FORCE ROW LEVEL SECURITY;",
        TABLE_PROBE,
        "t u fillfactor=50,parallel_workers=4 false false d -",
        "t p fillfactor=60 false true d -",
    );
}

const SEQUENCE_PROBE: &str = "SELECT s.seqrelid::regclass::text, format_type(s.seqtypid, NULL),
        s.seqstart::text, s.seqincrement::text, s.seqmin::text, s.seqmax::text,
        s.seqcache::text, s.seqcycle::text, c.relpersistence::text,
        COALESCE((SELECT d.refobjid::regclass::text || '.' || a.attname FROM pg_depend d
                  JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                  WHERE d.objid = s.seqrelid AND d.deptype IN ('a', 'i')), '-')
     FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid ORDER BY 1";

#[test]
fn sequence_options_are_written_and_compared_with_defaults_filled_in() {
    round_trip(
        "CREATE SEQUENCE plain;
         CREATE SEQUENCE big START 10000000;
         CREATE SEQUENCE down_counter AS integer INCREMENT BY -1;
         CREATE TABLE orders (id serial PRIMARY KEY, n bigint NOT NULL DEFAULT nextval('big'));",
        "CREATE SEQUENCE plain AS smallint MINVALUE 5 MAXVALUE 500 START WITH 7 CACHE 10 CYCLE;
         CREATE SEQUENCE big START 1;
         CREATE UNLOGGED SEQUENCE down_counter AS integer INCREMENT BY -2 NO MINVALUE;
         CREATE TABLE orders (id serial PRIMARY KEY, n bigint NOT NULL DEFAULT nextval('big'));
         ALTER SEQUENCE orders_id_seq INCREMENT BY 10 START WITH 1000;
         CREATE TABLE invoices (id bigserial PRIMARY KEY);
         ALTER SEQUENCE invoices_id_seq AS integer CACHE 20;",
        SEQUENCE_PROBE,
        "big bigint 10000000 1 1 9223372036854775807 1 false p -\n\
         down_counter integer -1 -1 -2147483648 -1 1 false p -\n\
         orders_id_seq integer 1 1 1 2147483647 1 false p orders.id\n\
         plain bigint 1 1 1 9223372036854775807 1 false p -",
        "big bigint 1 1 1 9223372036854775807 1 false p -\n\
         down_counter integer -1 -2 -2147483648 -1 1 false u -\n\
         invoices_id_seq integer 1 1 1 2147483647 20 false p invoices.id\n\
         orders_id_seq integer 1000 10 1 2147483647 1 false p orders.id\n\
         plain smallint 7 1 5 500 10 true p -",
    );
}

#[test]
fn identity_options_are_written_and_altered() {
    round_trip(
        "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                         n bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 10 INCREMENT BY 5));",
        "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (START WITH 100 CACHE 4) PRIMARY KEY,
                         n bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 10 INCREMENT BY 5));
         ALTER TABLE t ALTER COLUMN n SET INCREMENT BY 7 SET MAXVALUE 1000000;
         CREATE TABLE u (id smallint GENERATED ALWAYS AS IDENTITY (MINVALUE 3 CYCLE));",
        SEQUENCE_PROBE,
        "t_id_seq integer 1 1 1 2147483647 1 false p t.id\n\
         t_n_seq bigint 10 5 1 9223372036854775807 1 false p t.n",
        "t_id_seq integer 100 1 1 2147483647 4 false p t.id\n\
         t_n_seq bigint 10 7 1 1000000 1 false p t.n\n\
         u_id_seq smallint 3 1 3 32767 1 true p u.id",
    );
}

#[test]
fn a_default_on_a_sequence_the_column_does_not_own_is_not_serial() {
    // The sequence has the name a serial's would have but belongs to no
    // column: `serial` would make a second one, `items_id_seq1`.
    round_trip(
        "",
        "CREATE SEQUENCE items_id_seq;
         CREATE TABLE items (id integer NOT NULL DEFAULT nextval('items_id_seq') PRIMARY KEY);
         CREATE TABLE other (id bigint PRIMARY KEY DEFAULT nextval('items_id_seq'));
         CREATE TABLE third (id bigint PRIMARY KEY);
         CREATE SEQUENCE third_id_seq AS integer OWNED BY third.id;
         ALTER TABLE third ALTER COLUMN id SET DEFAULT nextval('third_id_seq');",
        SEQUENCE_PROBE,
        "",
        "items_id_seq bigint 1 1 1 9223372036854775807 1 false p -\n\
         third_id_seq integer 1 1 1 2147483647 1 false p third.id",
    );
}

#[test]
fn not_valid_no_inherit_and_validate_constraint() {
    let probe = "SELECT conname::text, convalidated::text,
                        CASE contype WHEN 'c' THEN connoinherit::text ELSE '-' END
                 FROM pg_constraint WHERE contype IN ('c', 'f') AND conrelid <> 0 ORDER BY 1";
    round_trip(
        "CREATE TABLE p (id int PRIMARY KEY);
         CREATE TABLE t (id int PRIMARY KEY, p int, n int);
         ALTER TABLE t ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID;
         ALTER TABLE t ADD CONSTRAINT t_p_fk FOREIGN KEY (p) REFERENCES p (id) NOT VALID;",
        "CREATE TABLE p (id int PRIMARY KEY);
         CREATE TABLE t (id int PRIMARY KEY, p int, n int,
                         CONSTRAINT n_small CHECK (n < 100) NO INHERIT);
         ALTER TABLE t ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID;
         ALTER TABLE t ADD CONSTRAINT t_p_fk FOREIGN KEY (p) REFERENCES p (id) NOT VALID;
         ALTER TABLE t VALIDATE CONSTRAINT n_positive;
         ALTER TABLE t VALIDATE CONSTRAINT t_p_fk;
         CREATE TABLE fresh (id int, CONSTRAINT fresh_id CHECK (id > 0));
         ALTER TABLE fresh ADD CONSTRAINT fresh_later CHECK (id < 10) NOT VALID;",
        probe,
        "n_positive false false\nt_p_fk false -",
        "fresh_id true false\nfresh_later false false\nn_positive true false\n\
         n_small true true\nt_p_fk true -",
    );
}

#[test]
fn view_and_index_options_and_statistics_targets() {
    let probe = "SELECT c.relname::text, c.relkind::text,
                        COALESCE((SELECT string_agg(o, ',' ORDER BY o) FROM unnest(c.reloptions) o), '')
                 FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
                   AND c.relkind IN ('v', 'm', 'i') AND c.relname NOT LIKE '%pkey'
                   AND c.relname NOT LIKE '\\_migrate%'
                 UNION ALL
                 SELECT attrelid::regclass::text || '.' || attname, 'a', attstattarget::text
                 FROM pg_attribute WHERE attstattarget > 0
                   AND attrelid IN (SELECT oid FROM pg_class
                                    WHERE relnamespace = 'public'::regnamespace)
                 ORDER BY 1";
    round_trip(
        "CREATE TABLE t (id int PRIMARY KEY, a int, b text);
         CREATE INDEX t_a ON t (a);
         CREATE VIEW v AS SELECT id, a FROM t WHERE a > 0;
         CREATE MATERIALIZED VIEW m AS SELECT id FROM t;",
        "CREATE TABLE t (id int PRIMARY KEY, a int, b text);
         ALTER TABLE t ALTER COLUMN a SET STATISTICS 500;
         CREATE INDEX t_a ON t (a) WITH (fillfactor = 80);
         CREATE INDEX t_b ON t USING gin (to_tsvector('simple', b)) WITH (fastupdate = off);
         CREATE VIEW v WITH (security_barrier, security_invoker = true)
           AS SELECT id, a FROM t WHERE a > 0 WITH LOCAL CHECK OPTION;
         CREATE VIEW w AS SELECT id FROM t WITH CHECK OPTION;
         CREATE MATERIALIZED VIEW m WITH (fillfactor = 60) AS SELECT id FROM t;",
        probe,
        "m m \nt_a i \nv v ",
        "m m fillfactor=60\nt.a a 500\nt_a i fillfactor=80\nt_b i fastupdate=off\n\
         v v check_option=local,security_barrier=true,security_invoker=true\n\
         w v check_option=cascaded",
    );
}

#[test]
fn row_level_security_policies_are_created_altered_and_dropped() {
    let probe = "SELECT c.relname::text || '.' || pol.polname, pol.polpermissive::text,
                        pol.polcmd::text,
                        COALESCE((SELECT string_agg(pg_get_userbyid(r), ',' ORDER BY 1)
                                  FROM unnest(pol.polroles) r WHERE r <> 0), 'public'),
                        COALESCE(pg_get_expr(pol.polqual, pol.polrelid), '-'),
                        COALESCE(pg_get_expr(pol.polwithcheck, pol.polrelid), '-')
                 FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
                 UNION ALL
                 SELECT relname::text, relrowsecurity::text, relforcerowsecurity::text, '-', '-', '-'
                 FROM pg_class WHERE relname IN ('docs', 'notes')
                 ORDER BY 1";
    round_trip(
        "CREATE TABLE docs (id int PRIMARY KEY, tenant text NOT NULL, owner text);
         ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
         CREATE POLICY tenant_read ON docs FOR SELECT
           USING (tenant = current_setting('app.tenant'));
         CREATE POLICY owner_write ON docs AS RESTRICTIVE FOR UPDATE TO pg_monitor
           USING (owner = current_user) WITH CHECK (owner = current_user);
         CREATE POLICY gone ON docs FOR DELETE USING (false);",
        "CREATE TABLE docs (id int PRIMARY KEY, tenant text NOT NULL, owner text);
         ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
         ALTER TABLE docs FORCE ROW LEVEL SECURITY;
         CREATE POLICY tenant_read ON docs FOR SELECT TO pg_monitor, pg_read_all_data
           USING (tenant = current_setting('app.tenant') AND id > 0);
         CREATE POLICY owner_write ON docs FOR UPDATE TO pg_monitor
           USING (owner = current_user);
         CREATE TABLE notes (id int PRIMARY KEY, docs_id int);
         ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
         CREATE POLICY all_notes ON notes WITH CHECK (docs_id IS NOT NULL);",
        probe,
        "docs true false - - -\n\
         docs.gone true d public false -\n\
         docs.owner_write false w pg_monitor (owner = CURRENT_USER) (owner = CURRENT_USER)\n\
         docs.tenant_read true r public (tenant = current_setting('app.tenant'::text)) -",
        "docs true true - - -\n\
         docs.owner_write true w pg_monitor (owner = CURRENT_USER) -\n\
         docs.tenant_read true r pg_monitor,pg_read_all_data \
         ((tenant = current_setting('app.tenant'::text)) AND (id > 0)) -\n\
         notes true false - - -\n\
         notes.all_notes true * public - (docs_id IS NOT NULL)",
    );
}

#[test]
fn comments_on_every_kind_of_object() {
    let probe = "SELECT c.relname::text || '/' || d.objsubid, d.description
                 FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
                 WHERE d.classoid = 'pg_class'::regclass AND c.relnamespace = 'public'::regnamespace
                 UNION ALL SELECT 'type ' || t.typname, d.description FROM pg_description d
                   JOIN pg_type t ON t.oid = d.objoid WHERE d.classoid = 'pg_type'::regclass
                   AND t.typnamespace = 'public'::regnamespace
                 UNION ALL SELECT 'proc ' || p.proname, d.description FROM pg_description d
                   JOIN pg_proc p ON p.oid = d.objoid WHERE d.classoid = 'pg_proc'::regclass
                   AND p.pronamespace = 'public'::regnamespace
                 UNION ALL SELECT 'trigger ' || g.tgname, d.description FROM pg_description d
                   JOIN pg_trigger g ON g.oid = d.objoid WHERE d.classoid = 'pg_trigger'::regclass
                 UNION ALL SELECT 'constraint ' || k.conname, d.description FROM pg_description d
                   JOIN pg_constraint k ON k.oid = d.objoid
                   WHERE d.classoid = 'pg_constraint'::regclass
                 UNION ALL SELECT 'policy ' || p.polname, d.description FROM pg_description d
                   JOIN pg_policy p ON p.oid = d.objoid WHERE d.classoid = 'pg_policy'::regclass
                 UNION ALL SELECT 'schema ' || n.nspname, d.description FROM pg_description d
                   JOIN pg_namespace n ON n.oid = d.objoid
                   WHERE d.classoid = 'pg_namespace'::regclass AND n.nspname = 'app'
                 UNION ALL SELECT 'extension ' || e.extname || ' ' || e.extversion,
                   COALESCE(obj_description(e.oid, 'pg_extension'), '-')
                   FROM pg_extension e WHERE e.extname <> 'plpgsql'
                 ORDER BY 1";
    let objects = "CREATE SCHEMA app;
         CREATE TYPE mood AS ENUM ('ok', 'sad');
         CREATE DOMAIN positive AS int CHECK (VALUE > 0);
         CREATE TABLE t (id int PRIMARY KEY, n int CONSTRAINT n_positive CHECK (n > 0));
         CREATE INDEX t_n ON t (n);
         CREATE SEQUENCE counter;
         CREATE VIEW v AS SELECT id, n FROM t;
         CREATE MATERIALIZED VIEW m AS SELECT id FROM t;
         CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b';
         CREATE PROCEDURE noop() LANGUAGE sql AS 'SELECT 1';
         CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
         ALTER TABLE t ENABLE ROW LEVEL SECURITY;
         CREATE POLICY t_all ON t USING (true);";
    let from = format!(
        "{objects}
         CREATE EXTENSION pg_trgm VERSION '1.6';
         COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';
         COMMENT ON INDEX t_n IS 'by n';
         COMMENT ON VIEW v IS 'old view comment';
         COMMENT ON TYPE mood IS 'feelings';"
    );
    let to = format!(
        "{objects}
         CREATE EXTENSION pg_trgm VERSION '1.6';
         COMMENT ON EXTENSION pg_trgm IS 'trigrams';
         COMMENT ON SCHEMA app IS 'the app';
         COMMENT ON INDEX t_n IS 'by n, again';
         COMMENT ON VIEW v IS 'the view';
         COMMENT ON COLUMN v.n IS 'a view column';
         COMMENT ON MATERIALIZED VIEW m IS 'cached';
         COMMENT ON SEQUENCE counter IS 'counts';
         COMMENT ON DOMAIN positive IS 'above zero';
         COMMENT ON FUNCTION add(int, int) IS 'adds';
         COMMENT ON PROCEDURE noop() IS 'nothing';
         COMMENT ON TRIGGER t_touch ON t IS 'touches';
         COMMENT ON CONSTRAINT n_positive ON t IS 'no zero';
         COMMENT ON POLICY t_all ON t IS 'everyone';"
    );
    round_trip(
        &from,
        &to,
        probe,
        "extension pg_trgm 1.6 text similarity measurement and index searching based on trigrams\n\
         t_n/0 by n\n\
         type mood feelings\n\
         v/0 old view comment",
        "constraint n_positive no zero\n\
         counter/0 counts\n\
         extension pg_trgm 1.6 trigrams\n\
         m/0 cached\n\
         policy t_all everyone\n\
         proc add adds\n\
         proc noop nothing\n\
         schema app the app\n\
         t_n/0 by n, again\n\
         trigger t_touch touches\n\
         type positive above zero\n\
         v/0 the view\n\
         v/2 a view column",
    );
}

#[test]
fn an_extension_version_the_schema_names_is_reached_with_update() {
    let mut db = test_db!();
    let ws = Workspace::new("postgres", "CREATE EXTENSION pg_trgm VERSION '1.5';");
    ws.migrate(&["new", "start"]).success();
    run(&ws, &db, &["apply"]).success();
    in_sync(&ws, &db, "at 1.5");
    // A schema that names no version accepts the one installed.
    ws.write("schema.sql", "CREATE EXTENSION pg_trgm;");
    in_sync(&ws, &db, "no version named");
    ws.write("schema.sql", "CREATE EXTENSION pg_trgm VERSION '1.6';");
    let r = run(
        &ws,
        &db,
        &[
            "diff",
            "--from",
            "database",
            "--to",
            "schema",
            "--exit-code",
        ],
    );
    assert_eq!(r.code(), 2, "1.5 is not 1.6: {}", r.stdout());
    ws.migrate(&["new", "update"]).success();
    let dir = ws.migration_dirs().last().unwrap().clone();
    let up = ws.read(&format!("migrations/{dir}/up.sql"));
    assert!(
        up.contains("ALTER EXTENSION pg_trgm UPDATE TO '1.6'"),
        "{up}"
    );
    run(&ws, &db, &["apply"]).success();
    in_sync(&ws, &db, "at 1.6");
    assert_eq!(
        probe(
            &mut db,
            "SELECT extversion::text FROM pg_extension WHERE extname = 'pg_trgm'"
        ),
        "1.6"
    );
}

#[test]
fn exclusion_constraints_are_created_compared_and_dropped() {
    let probe = "SELECT conname::text, pg_get_constraintdef(oid)
                 FROM pg_constraint WHERE contype = 'x' ORDER BY 1";
    round_trip(
        "CREATE EXTENSION btree_gist;
         CREATE TABLE rooms (id int PRIMARY KEY);
         CREATE TABLE bookings (
             room int NOT NULL,
             during tstzrange NOT NULL,
             CONSTRAINT no_double_booking EXCLUDE USING gist (room WITH =, during WITH &&)
         );",
        "CREATE EXTENSION btree_gist;
         CREATE TABLE rooms (id int PRIMARY KEY);
         CREATE TABLE bookings (
             room int NOT NULL,
             during tstzrange NOT NULL,
             cancelled boolean NOT NULL DEFAULT false,
             CONSTRAINT no_double_booking EXCLUDE USING gist (room WITH =, during WITH &&)
               WHERE (NOT cancelled) DEFERRABLE INITIALLY DEFERRED
         );
         ALTER TABLE rooms ADD EXCLUDE (id WITH =);",
        probe,
        "no_double_booking EXCLUDE USING gist (room WITH =, during WITH &&)",
        "no_double_booking EXCLUDE USING gist (room WITH =, during WITH &&) WHERE ((NOT cancelled)) DEFERRABLE INITIALLY DEFERRED\n\
         rooms_id_excl EXCLUDE USING btree (id WITH =)",
    );
}
