-- Up of migration 20261201125922_create_customers, written by `cargo migrate new`.
-- Review it before applying; once applied, change it only with a new migration.

CREATE TABLE customers (
    id BIGINT,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (id)
);
