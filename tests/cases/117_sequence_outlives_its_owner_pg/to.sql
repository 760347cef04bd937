CREATE SEQUENCE ticket_numbers;
CREATE TABLE orders (
    id bigint NOT NULL PRIMARY KEY
);
CREATE SEQUENCE order_numbers;
