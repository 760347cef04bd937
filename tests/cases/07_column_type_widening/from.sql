CREATE TABLE products (
    id integer PRIMARY KEY,
    title varchar(50),
    stock integer
);
