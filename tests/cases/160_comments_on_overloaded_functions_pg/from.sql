CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN a + b;
CREATE FUNCTION add(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE RETURN a || b;
COMMENT ON FUNCTION add(text, text) IS 'concatenates';
