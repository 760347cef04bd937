CREATE TABLE products (
    id integer PRIMARY KEY,
    price integer NOT NULL
);
