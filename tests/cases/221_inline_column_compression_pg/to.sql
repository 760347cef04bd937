-- COMPRESSION written in the column definition (PostgreSQL 14+) is the
-- column's method, as ALTER COLUMN … SET COMPRESSION sets it.
CREATE TABLE docs (
    id bigint PRIMARY KEY,
    body text COMPRESSION lz4 NOT NULL DEFAULT '',
    title text COMPRESSION default
);
CREATE TABLE blobs (id bigint PRIMARY KEY, data bytea COMPRESSION lz4, note text);
