-- Keys whose index covers more columns (INCLUDE) or is tuned (WITH):
-- pg_dump writes both after the key columns.
CREATE TABLE accounts (
    id integer NOT NULL,
    tenant integer NOT NULL,
    email text NOT NULL,
    CONSTRAINT accounts_pkey PRIMARY KEY (id) INCLUDE (tenant),
    UNIQUE (email) INCLUDE (tenant, id) WITH (fillfactor = 70, deduplicate_items = off)
);

CREATE TABLE sessions (
    token text NOT NULL,
    account integer NOT NULL,
    CONSTRAINT sessions_pkey PRIMARY KEY (token) WITH (fillfactor = 80)
);
