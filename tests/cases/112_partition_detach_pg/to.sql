CREATE TABLE orders (id bigint NOT NULL, placed date NOT NULL, status text CHECK (status <> ''), PRIMARY KEY (id, placed)) PARTITION BY RANGE (placed);
CREATE INDEX orders_status_idx ON orders (status);
CREATE TABLE orders_2023 PARTITION OF orders FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
-- The 2022 partition archived as a table of its own, with the copies of
-- its parent's constraints and indexes that DETACH leaves it.
CREATE TABLE orders_2022 (
    id bigint NOT NULL,
    placed date NOT NULL,
    status text,
    CONSTRAINT orders_2022_pkey PRIMARY KEY (id, placed),
    CONSTRAINT orders_status_check CHECK (status <> '')
);
CREATE INDEX orders_2022_status_idx ON orders_2022 (status);
