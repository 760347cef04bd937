CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer text NOT NULL,
    total integer NOT NULL,
    status text NOT NULL
);
CREATE VIEW open_orders AS SELECT id, customer, total FROM orders WHERE status = 'open';
