-- As pg_dump prints them: in the order the server keeps them. The order
-- alone is no change; a parameter added is.
CREATE TABLE jobs (id bigint PRIMARY KEY, payload text)
WITH (autovacuum_enabled='false', fillfactor='70', autovacuum_vacuum_scale_factor='0.05');
CREATE TABLE runs (id bigint PRIMARY KEY) WITH (autovacuum_enabled='true', fillfactor='80');
-- Created with its parameters in the order written.
CREATE TABLE batches (id bigint PRIMARY KEY, note text)
WITH (toast_tuple_target='256', fillfactor='90', autovacuum_enabled='false');
