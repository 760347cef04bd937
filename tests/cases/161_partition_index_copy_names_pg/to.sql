-- As pg_dump writes it: each partition's copy of a partitioned index by its
-- own name, attached to the parent's.
CREATE TABLE public.audit (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    kind text
) PARTITION BY RANGE (at);
CREATE TABLE public.audit_2026_01 PARTITION OF public.audit FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00');
CREATE TABLE public.audit_2026_02 PARTITION OF public.audit FOR VALUES FROM ('2026-02-01 00:00:00+00') TO ('2026-03-01 00:00:00+00');
-- A partition added under the existing index audit_kind.
CREATE TABLE public.audit_2026_03 PARTITION OF public.audit FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-04-01 00:00:00+00');

-- A new partitioned index, its copies named otherwise than the server would.
CREATE INDEX audit_at ON ONLY public.audit USING btree (at);
CREATE INDEX audit_2026_01_at ON public.audit_2026_01 USING btree (at);
CREATE INDEX audit_2026_02_at ON public.audit_2026_02 USING btree (at);
CREATE INDEX audit_2026_03_at ON public.audit_2026_03 USING btree (at);
ALTER INDEX public.audit_at ATTACH PARTITION public.audit_2026_01_at;
ALTER INDEX public.audit_at ATTACH PARTITION public.audit_2026_02_at;
ALTER INDEX public.audit_at ATTACH PARTITION public.audit_2026_03_at;

-- The kept index: one copy as the server named it, one renamed, and the
-- new partition's by a name of its own.
CREATE INDEX audit_kind ON ONLY public.audit USING btree (kind);
CREATE INDEX audit_2026_01_kind_idx ON public.audit_2026_01 USING btree (kind);
CREATE INDEX audit_2026_02_kind ON public.audit_2026_02 USING btree (kind);
CREATE INDEX audit_2026_03_kind ON public.audit_2026_03 USING btree (kind);
ALTER INDEX public.audit_kind ATTACH PARTITION public.audit_2026_01_kind_idx;
ALTER INDEX public.audit_kind ATTACH PARTITION public.audit_2026_02_kind;
ALTER INDEX public.audit_kind ATTACH PARTITION public.audit_2026_03_kind;
