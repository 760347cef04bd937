CREATE TABLE audit (
    id bigint NOT NULL,
    at timestamptz NOT NULL,
    kind text
) PARTITION BY RANGE (at);
CREATE TABLE audit_2026_01 PARTITION OF audit FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
CREATE TABLE audit_2026_02 PARTITION OF audit FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
-- The server names the copies audit_2026_01_kind_idx and audit_2026_02_kind_idx.
CREATE INDEX audit_kind ON audit (kind);
