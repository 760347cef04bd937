CREATE TABLE jobs (id bigint PRIMARY KEY, payload text) WITH (fillfactor = 70, autovacuum_enabled = false);
CREATE TABLE runs (id bigint PRIMARY KEY) WITH (fillfactor = 80, autovacuum_enabled = true);
