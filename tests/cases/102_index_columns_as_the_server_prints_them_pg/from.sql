CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    code character varying(20),
    tags text[],
    doc jsonb
);
