CREATE TABLE items (
    a integer,
    b integer,
    c bigint,
    PRIMARY KEY (c) INCLUDE (a, b),
    UNIQUE NULLS NOT DISTINCT (a, b) INCLUDE (c)
);
CREATE INDEX ON items (a) INCLUDE (b, a);
CREATE INDEX ON items (((a + 1)::bigint), lower(b::text));
CREATE TABLE slots (r int4range, k integer, EXCLUDE USING gist (r WITH &&) INCLUDE (k));
