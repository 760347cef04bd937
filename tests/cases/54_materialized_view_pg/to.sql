CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer text NOT NULL,
    total integer NOT NULL,
    status text NOT NULL
);
CREATE MATERIALIZED VIEW totals_by_customer AS SELECT customer, sum(total) AS total FROM orders GROUP BY customer;
