CREATE FUNCTION new_code() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT md5(clock_timestamp()::text || random()::text) $$;
CREATE FUNCTION valid_code(c text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT c ~ '^[0-9a-f]{32}$' $$;
CREATE FUNCTION code_len() RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT 32::bigint $$;
CREATE TABLE invites (
    id integer PRIMARY KEY,
    code text NOT NULL DEFAULT new_code() CHECK (valid_code(code))
);
