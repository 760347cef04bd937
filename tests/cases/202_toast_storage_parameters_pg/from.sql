CREATE TABLE docs (id bigint PRIMARY KEY, body text) WITH (fillfactor = 70);
CREATE TABLE notes (id bigint PRIMARY KEY, tags text[])
WITH (toast.autovacuum_enabled = false, toast.vacuum_truncate = false);
