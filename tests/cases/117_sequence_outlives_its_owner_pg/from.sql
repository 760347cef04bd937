CREATE TABLE tickets (
    id bigint
);
CREATE SEQUENCE ticket_numbers OWNED BY tickets.id;
CREATE TABLE orders (
    id bigint NOT NULL PRIMARY KEY,
    number bigint
);
CREATE SEQUENCE order_numbers OWNED BY orders.number;
