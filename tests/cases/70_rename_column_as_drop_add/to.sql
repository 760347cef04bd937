CREATE TABLE customers (
    id integer PRIMARY KEY,
    display_name text
);
