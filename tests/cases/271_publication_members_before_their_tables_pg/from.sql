CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL, note text, status text NOT NULL);
CREATE TABLE order_lines (id bigint PRIMARY KEY, order_id bigint NOT NULL, sku text NOT NULL);
CREATE PUBLICATION changes FOR TABLE orders (id, total, note) WHERE (status <> 'draft'), order_lines;
