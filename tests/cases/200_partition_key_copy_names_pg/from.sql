CREATE TABLE orders (
    id bigint NOT NULL,
    placed date NOT NULL,
    code text,
    PRIMARY KEY (id, placed),
    UNIQUE (code, placed)
) PARTITION BY RANGE (placed);
-- The server names the copies orders_2025_pkey, orders_2025_code_placed_key, …
CREATE TABLE orders_2025 PARTITION OF orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE orders_2026 PARTITION OF orders FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
-- A table of its own, with its own key, to be attached.
CREATE TABLE orders_2024 (
    id bigint NOT NULL,
    placed date NOT NULL,
    code text,
    PRIMARY KEY (id, placed)
);
CREATE TABLE items (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE items_2026 PARTITION OF items FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
