CREATE TABLE t (
    id integer PRIMARY KEY,
    a integer,
    b text
);
CREATE INDEX t_a ON t (a);
CREATE VIEW v AS SELECT id, a FROM t WHERE a > 0;
CREATE MATERIALIZED VIEW m AS SELECT id FROM t;
