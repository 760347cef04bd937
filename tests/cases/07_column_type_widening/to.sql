CREATE TABLE products (
    id integer PRIMARY KEY,
    title varchar(255),
    stock bigint
);
