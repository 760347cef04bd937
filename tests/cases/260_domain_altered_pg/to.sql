CREATE DOMAIN percent AS integer CONSTRAINT percent_low CHECK (VALUE >= 0);
-- pg_dump writes a constraint not validated this way: rows already
-- there are not checked, new ones are.
ALTER DOMAIN percent ADD CONSTRAINT percent_high CHECK (VALUE <= 100) NOT VALID;
ALTER DOMAIN percent SET DEFAULT 0;
ALTER DOMAIN percent SET NOT NULL;
ALTER DOMAIN percent RENAME CONSTRAINT percent_low TO percent_min;
CREATE TABLE scores (id integer PRIMARY KEY, score percent);
