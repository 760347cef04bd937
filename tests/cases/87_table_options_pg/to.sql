CREATE UNLOGGED TABLE events (
    id bigint PRIMARY KEY,
    payload text
) WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01, autovacuum_enabled = false);
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events FORCE ROW LEVEL SECURITY;
ALTER TABLE events REPLICA IDENTITY FULL;
ALTER TABLE events ALTER COLUMN payload SET STATISTICS 1000;
CREATE TABLE audit (
    id bigint PRIMARY KEY,
    at timestamptz NOT NULL
);
CREATE UNIQUE INDEX audit_at ON audit (at);
ALTER TABLE audit REPLICA IDENTITY USING INDEX audit_at;
CREATE TABLE fresh (
    id integer PRIMARY KEY
) WITH (parallel_workers = 2);
ALTER TABLE fresh ENABLE ROW LEVEL SECURITY, REPLICA IDENTITY NOTHING;
