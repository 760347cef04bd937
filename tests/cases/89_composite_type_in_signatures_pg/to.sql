CREATE TABLE accounts (
    id integer PRIMARY KEY,
    cents bigint NOT NULL
);
CREATE TYPE amount AS (currency text, cents bigint);
CREATE FUNCTION amount_of(a accounts) RETURNS amount LANGUAGE sql STABLE AS $$ SELECT ROW('EUR', a.cents)::amount $$;
CREATE FUNCTION rich(min amount) RETURNS SETOF accounts LANGUAGE sql STABLE AS $$ SELECT * FROM accounts WHERE cents >= min.cents $$;
