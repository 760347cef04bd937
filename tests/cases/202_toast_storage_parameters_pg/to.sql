-- As pg_dump prints them: the table's parameters, then its TOAST table's.
CREATE TABLE docs (id bigint PRIMARY KEY, body text)
WITH (fillfactor='70', toast.autovacuum_enabled='false');
CREATE TABLE notes (id bigint PRIMARY KEY, tags text[]) WITH (toast.vacuum_truncate='true');
CREATE TABLE blobs (id bigint PRIMARY KEY, data bytea)
WITH (toast.autovacuum_vacuum_scale_factor='0.05', autovacuum_enabled='false');
