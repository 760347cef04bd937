-- The server makes one index of keys with the same columns in one statement.
CREATE TABLE accounts (
    id integer PRIMARY KEY UNIQUE
);
CREATE TABLE users (
    id integer PRIMARY KEY,
    CONSTRAINT users_named UNIQUE (id)
);
CREATE TABLE pairs (
    a integer,
    b integer,
    UNIQUE (a, b),
    CONSTRAINT pairs_named UNIQUE (a, b),
    CONSTRAINT pairs_reversed UNIQUE (b, a)
);
CREATE TABLE slots (
    id integer PRIMARY KEY,
    CONSTRAINT slots_deferred UNIQUE (id) DEFERRABLE,
    CONSTRAINT slots_nulls UNIQUE NULLS NOT DISTINCT (id)
);
