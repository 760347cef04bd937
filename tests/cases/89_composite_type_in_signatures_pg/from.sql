CREATE TABLE accounts (
    id integer PRIMARY KEY,
    cents bigint NOT NULL
);
