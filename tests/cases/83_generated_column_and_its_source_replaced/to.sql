CREATE TABLE orders (
    doubled bigint,
    amount integer NOT NULL
);
