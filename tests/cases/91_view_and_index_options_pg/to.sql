CREATE TABLE t (
    id integer PRIMARY KEY,
    a integer,
    b text
);
CREATE INDEX t_a ON t (a) WITH (fillfactor = 80);
CREATE INDEX t_b ON t USING gin (to_tsvector('simple', b)) WITH (fastupdate = off);
CREATE VIEW v WITH (security_barrier, security_invoker = true)
    AS SELECT id, a FROM t WHERE a > 0 WITH LOCAL CHECK OPTION;
CREATE VIEW w AS SELECT id FROM t WITH CHECK OPTION;
CREATE MATERIALIZED VIEW m WITH (fillfactor = 60) AS SELECT id FROM t;
