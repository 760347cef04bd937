CREATE TABLE customers (
    id integer PRIMARY KEY,
    full_name varchar(200) NOT NULL DEFAULT '', -- migrate:renamed-from name
    CONSTRAINT customers_name_check CHECK (full_name <> '')
);
