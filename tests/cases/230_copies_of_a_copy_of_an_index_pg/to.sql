-- As pg_dump writes it: an audit log partitioned by tenant, then by month.
-- Each index of audit_log is copied onto each tenant (ON ONLY, partitioned
-- itself) and from it onto each month: copies of a copy, attached to the
-- tenant's copy. A month kept is renamed, one added is created and its copy
-- named as here, and an index added is created level by level.
CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    tenant text NOT NULL,
    at timestamp with time zone NOT NULL,
    what text
)
PARTITION BY LIST (tenant);
CREATE TABLE public.audit_acme (
    id bigint NOT NULL,
    tenant text NOT NULL,
    at timestamp with time zone NOT NULL,
    what text
)
PARTITION BY RANGE (at);
CREATE TABLE public.audit_acme_2026_01 (
    id bigint NOT NULL,
    tenant text NOT NULL,
    at timestamp with time zone NOT NULL,
    what text
);
CREATE TABLE public.audit_acme_2026_02 (
    id bigint NOT NULL,
    tenant text NOT NULL,
    at timestamp with time zone NOT NULL,
    what text
);
CREATE TABLE public.audit_globex (
    id bigint NOT NULL,
    tenant text NOT NULL,
    at timestamp with time zone NOT NULL,
    what text
)
PARTITION BY RANGE (at);
CREATE TABLE public.audit_globex_2026 (
    id bigint NOT NULL,
    tenant text NOT NULL,
    at timestamp with time zone NOT NULL,
    what text
);
ALTER TABLE ONLY public.audit_log ATTACH PARTITION public.audit_acme FOR VALUES IN ('acme');
ALTER TABLE ONLY public.audit_acme ATTACH PARTITION public.audit_acme_2026_01 FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00');
ALTER TABLE ONLY public.audit_acme ATTACH PARTITION public.audit_acme_2026_02 FOR VALUES FROM ('2026-02-01 00:00:00+00') TO ('2026-03-01 00:00:00+00');
ALTER TABLE ONLY public.audit_log ATTACH PARTITION public.audit_globex FOR VALUES IN ('globex');
ALTER TABLE ONLY public.audit_globex ATTACH PARTITION public.audit_globex_2026 FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');
CREATE INDEX audit_log_at ON ONLY public.audit_log USING btree (at);
CREATE INDEX audit_acme_at_idx ON ONLY public.audit_acme USING btree (at);
CREATE INDEX audit_acme_2026_01_at ON public.audit_acme_2026_01 USING btree (at);
CREATE INDEX audit_log_what ON ONLY public.audit_log USING btree (what);
CREATE INDEX audit_acme_what_idx ON ONLY public.audit_acme USING btree (what);
CREATE INDEX audit_acme_2026_01_what_idx ON public.audit_acme_2026_01 USING btree (what);
CREATE INDEX audit_acme_2026_02_at ON public.audit_acme_2026_02 USING btree (at);
CREATE INDEX audit_acme_2026_02_what_idx ON public.audit_acme_2026_02 USING btree (what);
CREATE INDEX audit_globex_at_idx ON ONLY public.audit_globex USING btree (at);
CREATE INDEX audit_globex_2026_at_idx ON public.audit_globex_2026 USING btree (at);
CREATE INDEX audit_globex_what ON ONLY public.audit_globex USING btree (what);
CREATE INDEX audit_globex_2026_what_idx ON public.audit_globex_2026 USING btree (what);
ALTER INDEX public.audit_acme_at_idx ATTACH PARTITION public.audit_acme_2026_01_at;
ALTER INDEX public.audit_acme_what_idx ATTACH PARTITION public.audit_acme_2026_01_what_idx;
ALTER INDEX public.audit_acme_at_idx ATTACH PARTITION public.audit_acme_2026_02_at;
ALTER INDEX public.audit_acme_what_idx ATTACH PARTITION public.audit_acme_2026_02_what_idx;
ALTER INDEX public.audit_log_at ATTACH PARTITION public.audit_acme_at_idx;
ALTER INDEX public.audit_log_what ATTACH PARTITION public.audit_acme_what_idx;
ALTER INDEX public.audit_globex_at_idx ATTACH PARTITION public.audit_globex_2026_at_idx;
ALTER INDEX public.audit_globex_what ATTACH PARTITION public.audit_globex_2026_what_idx;
ALTER INDEX public.audit_log_at ATTACH PARTITION public.audit_globex_at_idx;
ALTER INDEX public.audit_log_what ATTACH PARTITION public.audit_globex_what;
