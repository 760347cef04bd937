-- As pg_dump writes a column's storage, compression and attribute
-- options, and the index a table is clustered on. The cluster index is
-- created again (it gains a column), so CLUSTER ON is said again after it.
-- `SET STORAGE EXTENDED` on text is the type's own storage: no change.
CREATE TABLE documents (
    id bigint PRIMARY KEY,
    title text NOT NULL,
    body text,
    score numeric,
    tenant integer NOT NULL
);
ALTER TABLE ONLY documents ALTER COLUMN title SET STORAGE EXTENDED;
ALTER TABLE ONLY documents ALTER COLUMN body SET STORAGE MAIN;
ALTER TABLE ONLY documents ALTER COLUMN body SET COMPRESSION pglz;
ALTER TABLE ONLY documents ALTER COLUMN score SET (n_distinct = -0.5);
ALTER TABLE ONLY documents ALTER COLUMN tenant SET (n_distinct=100, n_distinct_inherited = 50);
CREATE INDEX documents_tenant_idx ON documents USING btree (tenant, id);
ALTER TABLE documents CLUSTER ON documents_tenant_idx;
