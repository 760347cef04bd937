CREATE TABLE products (
    id integer PRIMARY KEY,
    sku integer NOT NULL
);
