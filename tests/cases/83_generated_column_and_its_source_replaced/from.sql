CREATE TABLE orders (
    id integer NOT NULL,
    doubled bigint GENERATED ALWAYS AS (id * 2) STORED,
    amount integer NOT NULL
);
