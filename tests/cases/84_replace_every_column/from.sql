CREATE TABLE orders (
    id integer NOT NULL
);
