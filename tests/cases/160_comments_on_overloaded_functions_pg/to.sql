CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN a + b;
CREATE FUNCTION add(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE RETURN a || b;
-- pg_dump spells the argument types as the catalogue does.
COMMENT ON FUNCTION public.add(a integer, b integer) IS 'sums';
