CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer text NOT NULL,
    total integer NOT NULL
);
