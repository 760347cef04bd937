CREATE FUNCTION total(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE
    SET work_mem = '1MB' AS $$SELECT a + b$$;
CREATE PROCEDURE tidy() LANGUAGE sql AS $$SELECT 1$$;
CREATE TABLE sums (a integer, b integer, s integer DEFAULT total(1, 2));
