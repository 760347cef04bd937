CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL, status text NOT NULL);
CREATE PUBLICATION changes FOR TABLE orders (id, total);
