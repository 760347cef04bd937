CREATE TABLE products (
    id integer PRIMARY KEY,
    sku text NOT NULL
);
