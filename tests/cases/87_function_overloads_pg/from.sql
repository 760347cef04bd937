CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE FUNCTION add(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT a || b $$;
CREATE FUNCTION label(n int4, VARIADIC parts text[], OUT result text) LANGUAGE sql AS $$ SELECT n || array_to_string(parts, ',') $$;
