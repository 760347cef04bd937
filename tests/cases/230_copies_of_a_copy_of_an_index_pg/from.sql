CREATE TABLE audit_log (id bigint NOT NULL, tenant text NOT NULL, at timestamptz NOT NULL, what text) PARTITION BY LIST (tenant);
CREATE TABLE audit_acme PARTITION OF audit_log FOR VALUES IN ('acme') PARTITION BY RANGE (at);
CREATE TABLE audit_acme_2026_01 PARTITION OF audit_acme FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
CREATE INDEX audit_log_at ON audit_log (at);
