CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);
CREATE PUBLICATION changes WITH (publish = 'insert, update');
COMMENT ON PUBLICATION changes IS 'rows written, not removed';
CREATE PUBLICATION everything FOR ALL TABLES WITH (publish_via_partition_root = true);
