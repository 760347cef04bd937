CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer text NOT NULL,
    total integer NOT NULL
);

-- Column names after the view's name become the query's aliases.
CREATE VIEW totals (customer, spent) AS
    SELECT customer, sum(total) FROM orders GROUP BY customer;
