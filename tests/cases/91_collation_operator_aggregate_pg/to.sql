CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE people (
    id integer PRIMARY KEY,
    name text COLLATE ci
);
CREATE FUNCTION same_len(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT length(a) = length(b) $$;
CREATE OPERATOR ~=~ (LEFTARG = text, RIGHTARG = text, FUNCTION = same_len);
CREATE FUNCTION longest_step(acc integer, s text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT greatest(acc, length(s)) $$;
CREATE AGGREGATE longest(text) (SFUNC = longest_step, STYPE = integer, INITCOND = '0');
