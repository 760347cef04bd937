-- As pg_dump writes it: a partition partitioned in turn (a sub-partitioned
-- tree), with an index of its own copied onto its partitions. (An index or
-- key of `metrics` would be copied onto the sub-partitions as copies of a
-- copy, which are not modelled: refused.)
CREATE TABLE public.metrics (
    id bigint NOT NULL,
    at date NOT NULL,
    region text NOT NULL
)
PARTITION BY RANGE (at);
CREATE TABLE public.metrics_2025 (
    id bigint NOT NULL,
    at date NOT NULL,
    region text NOT NULL
);
CREATE TABLE public.metrics_2026 (
    id bigint NOT NULL,
    at date NOT NULL,
    region text NOT NULL
)
PARTITION BY LIST (region);
CREATE TABLE public.metrics_2026_eu (
    id bigint NOT NULL,
    at date NOT NULL,
    region text NOT NULL
);
CREATE TABLE public.metrics_2026_us (
    id bigint NOT NULL,
    at date NOT NULL,
    region text NOT NULL
);
ALTER TABLE ONLY public.metrics ATTACH PARTITION public.metrics_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE ONLY public.metrics ATTACH PARTITION public.metrics_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE ONLY public.metrics_2026 ATTACH PARTITION public.metrics_2026_eu FOR VALUES IN ('eu');
ALTER TABLE ONLY public.metrics_2026 ATTACH PARTITION public.metrics_2026_us FOR VALUES IN ('us');
ALTER TABLE ONLY public.metrics_2026
    ADD CONSTRAINT metrics_2026_pkey PRIMARY KEY (id, region);
ALTER TABLE ONLY public.metrics_2026_eu
    ADD CONSTRAINT metrics_2026_eu_pkey PRIMARY KEY (id, region);
ALTER TABLE ONLY public.metrics_2026_us
    ADD CONSTRAINT metrics_2026_us_pk PRIMARY KEY (id, region);
CREATE INDEX metrics_2026_at ON ONLY public.metrics_2026 USING btree (at);
CREATE INDEX metrics_2026_eu_at ON public.metrics_2026_eu USING btree (at);
CREATE INDEX metrics_2026_us_at_idx ON public.metrics_2026_us USING btree (at);
ALTER INDEX public.metrics_2026_at ATTACH PARTITION public.metrics_2026_eu_at;
ALTER INDEX public.metrics_2026_at ATTACH PARTITION public.metrics_2026_us_at_idx;
ALTER INDEX public.metrics_2026_pkey ATTACH PARTITION public.metrics_2026_eu_pkey;
ALTER INDEX public.metrics_2026_pkey ATTACH PARTITION public.metrics_2026_us_pk;
