CREATE TABLE orders (id bigint NOT NULL, placed date NOT NULL, status text CHECK (status <> ''), PRIMARY KEY (id, placed)) PARTITION BY RANGE (placed);
CREATE INDEX orders_status_idx ON orders (status);
CREATE TABLE orders_2022 PARTITION OF orders FOR VALUES FROM ('2022-01-01') TO ('2023-01-01');
CREATE TABLE orders_2023 PARTITION OF orders FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
