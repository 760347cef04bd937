CREATE SCHEMA app;
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE TABLE t (
    id integer PRIMARY KEY,
    n integer CONSTRAINT n_positive CHECK (n > 0)
);
CREATE INDEX t_n ON t (n);
CREATE SEQUENCE counter;
CREATE VIEW v AS SELECT id, n FROM t;
CREATE MATERIALIZED VIEW m AS SELECT id FROM t;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql AS 'SELECT a + b';
CREATE PROCEDURE noop() LANGUAGE sql AS 'SELECT 1';
CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY t_all ON t USING (true);
COMMENT ON SCHEMA app IS 'the app';
COMMENT ON INDEX t_n IS 'by n, again';
COMMENT ON VIEW v IS 'the view';
COMMENT ON COLUMN v.n IS 'a view column';
COMMENT ON MATERIALIZED VIEW m IS 'cached';
COMMENT ON SEQUENCE counter IS 'counts';
COMMENT ON DOMAIN positive IS 'above zero';
COMMENT ON FUNCTION add(integer, integer) IS 'adds';
COMMENT ON PROCEDURE noop() IS 'nothing';
COMMENT ON TRIGGER t_touch ON t IS 'touches';
COMMENT ON CONSTRAINT n_positive ON t IS 'no zero';
COMMENT ON POLICY t_all ON t IS 'everyone';
