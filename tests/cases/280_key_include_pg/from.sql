-- Unnamed keys and indexes are named after their key and INCLUDE columns,
-- a repeated name numbered (a, b, a1), an expression after its function or
-- its cast's type.
CREATE TABLE items (
    a integer,
    b integer,
    c bigint,
    PRIMARY KEY (c) INCLUDE (a),
    UNIQUE NULLS NOT DISTINCT (a, b) INCLUDE (a)
);
CREATE INDEX ON items (a) INCLUDE (b, a);
CREATE INDEX ON items (((a + 1)::bigint), lower(b::text));
CREATE TABLE slots (r int4range, k integer, EXCLUDE USING gist (r WITH &&) INCLUDE (k));
