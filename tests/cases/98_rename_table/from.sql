CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text UNIQUE
);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer REFERENCES customers (id)
);
CREATE INDEX customers_name_lower ON customers (lower(name));
