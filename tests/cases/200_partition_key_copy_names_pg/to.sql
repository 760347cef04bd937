-- As pg_dump writes it: each partition's copy of its parent's keys by its
-- own name, attached to the parent's.
CREATE TABLE public.orders (
    id bigint NOT NULL,
    placed date NOT NULL,
    code text
)
PARTITION BY RANGE (placed);
CREATE TABLE public.orders_2024 (
    id bigint NOT NULL,
    placed date NOT NULL,
    code text
);
CREATE TABLE public.orders_2025 (
    id bigint NOT NULL,
    placed date NOT NULL,
    code text
);
CREATE TABLE public.orders_2026 (
    id bigint NOT NULL,
    placed date NOT NULL,
    code text
);
-- A new partition.
CREATE TABLE public.orders_2027 (
    id bigint NOT NULL,
    placed date NOT NULL,
    code text
);
CREATE TABLE public.items (
    id bigint NOT NULL,
    at date NOT NULL
)
PARTITION BY RANGE (at);
CREATE TABLE public.items_2026 (
    id bigint NOT NULL,
    at date NOT NULL
);
ALTER TABLE ONLY public.orders ATTACH PARTITION public.orders_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE ONLY public.orders ATTACH PARTITION public.orders_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE ONLY public.orders ATTACH PARTITION public.orders_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE ONLY public.orders ATTACH PARTITION public.orders_2027 FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
ALTER TABLE ONLY public.items ATTACH PARTITION public.items_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

-- The kept keys: one copy as the server named it, the others renamed, the
-- attached table's and the new partition's by names of their own.
ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id, placed);
ALTER TABLE ONLY public.orders_2024
    ADD CONSTRAINT orders_2024_pk PRIMARY KEY (id, placed);
ALTER TABLE ONLY public.orders_2025
    ADD CONSTRAINT orders_2025_pkey PRIMARY KEY (id, placed);
ALTER TABLE ONLY public.orders_2026
    ADD CONSTRAINT orders_2026_pk PRIMARY KEY (id, placed);
ALTER TABLE ONLY public.orders_2027
    ADD CONSTRAINT orders_2027_pk PRIMARY KEY (id, placed);
ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_code_placed_key UNIQUE (code, placed);
ALTER TABLE ONLY public.orders_2024
    ADD CONSTRAINT orders_2024_code_placed_key UNIQUE (code, placed);
ALTER TABLE ONLY public.orders_2025
    ADD CONSTRAINT orders_2025_code UNIQUE (code, placed);
ALTER TABLE ONLY public.orders_2026
    ADD CONSTRAINT orders_2026_code_placed_key UNIQUE (code, placed);
ALTER TABLE ONLY public.orders_2027
    ADD CONSTRAINT orders_2027_code UNIQUE (code, placed);
-- A new key: its copy on the existing partition named otherwise.
ALTER TABLE ONLY public.items
    ADD CONSTRAINT items_pkey PRIMARY KEY (id, at);
ALTER TABLE ONLY public.items_2026
    ADD CONSTRAINT items_2026_id_at PRIMARY KEY (id, at);

ALTER INDEX public.orders_pkey ATTACH PARTITION public.orders_2024_pk;
ALTER INDEX public.orders_pkey ATTACH PARTITION public.orders_2025_pkey;
ALTER INDEX public.orders_pkey ATTACH PARTITION public.orders_2026_pk;
ALTER INDEX public.orders_pkey ATTACH PARTITION public.orders_2027_pk;
ALTER INDEX public.orders_code_placed_key ATTACH PARTITION public.orders_2024_code_placed_key;
ALTER INDEX public.orders_code_placed_key ATTACH PARTITION public.orders_2025_code;
ALTER INDEX public.orders_code_placed_key ATTACH PARTITION public.orders_2026_code_placed_key;
ALTER INDEX public.orders_code_placed_key ATTACH PARTITION public.orders_2027_code;
ALTER INDEX public.items_pkey ATTACH PARTITION public.items_2026_id_at;
