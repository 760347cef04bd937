CREATE FUNCTION total(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE
    SET work_mem = '1MB' AS $$SELECT a + b$$;
ALTER FUNCTION total(integer, integer) SET work_mem = '64MB' STABLE STRICT LEAKPROOF
    SECURITY DEFINER PARALLEL SAFE COST 5;
ALTER FUNCTION total SET search_path = public, pg_temp;
CREATE PROCEDURE tidy() LANGUAGE sql AS $$SELECT 1$$;
ALTER PROCEDURE tidy() SECURITY DEFINER SET statement_timeout = '5s';
CREATE TABLE sums (a integer, b integer, s integer DEFAULT total(1, 2));
