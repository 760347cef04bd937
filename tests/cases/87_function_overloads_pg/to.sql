CREATE FUNCTION add(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT a || b $$;
CREATE FUNCTION add(a numeric, b numeric DEFAULT 0) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE FUNCTION label(n integer, VARIADIC parts text[], OUT result text) LANGUAGE sql AS $$ SELECT n || array_to_string(parts, ',') $$;
