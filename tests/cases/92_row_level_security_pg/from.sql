CREATE TABLE docs (
    id integer PRIMARY KEY,
    tenant text NOT NULL,
    owner text
);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON docs FOR SELECT
    USING (tenant = current_setting('app.tenant'));
CREATE POLICY owner_write ON docs AS RESTRICTIVE FOR UPDATE TO pg_monitor
    USING (owner = current_user) WITH CHECK (owner = current_user);
CREATE POLICY gone ON docs FOR DELETE USING (false);
