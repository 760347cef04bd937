CREATE TABLE customers (
    id integer PRIMARY KEY,
    full_name text NOT NULL, -- migrate:renamed-from name
    email text
);
CREATE INDEX customers_name_idx ON customers (full_name);
