CREATE TABLE events (
    id bigint PRIMARY KEY,
    payload text
);
CREATE TABLE audit (
    id bigint PRIMARY KEY,
    at timestamptz NOT NULL
) WITH (fillfactor = 90);
ALTER TABLE audit ENABLE ROW LEVEL SECURITY;
