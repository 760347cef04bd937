CREATE TABLE documents (
    id bigint PRIMARY KEY,
    title text NOT NULL,
    body text,
    score numeric,
    tenant integer NOT NULL
);
CREATE INDEX documents_tenant_idx ON documents (tenant);
ALTER TABLE documents CLUSTER ON documents_tenant_idx;
ALTER TABLE documents ALTER COLUMN body SET STORAGE EXTERNAL;
