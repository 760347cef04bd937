-- migrate:renamed-from customers
CREATE TABLE clients (
    id integer PRIMARY KEY,
    name text UNIQUE
);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer REFERENCES clients (id)
);
CREATE INDEX customers_name_lower ON clients (lower(name));
