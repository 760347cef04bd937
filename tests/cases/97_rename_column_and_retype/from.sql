CREATE TABLE customers (
    id integer PRIMARY KEY,
    name varchar(50),
    CONSTRAINT customers_name_check CHECK (name <> '')
);
