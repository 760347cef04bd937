CREATE TABLE order_lines (
    id integer PRIMARY KEY,
    price integer NOT NULL,
    quantity integer NOT NULL
);
