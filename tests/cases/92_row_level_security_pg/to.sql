CREATE TABLE docs (
    id integer PRIMARY KEY,
    tenant text NOT NULL,
    owner text
);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE docs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON docs FOR SELECT TO pg_monitor, pg_read_all_data
    USING (tenant = current_setting('app.tenant') AND id > 0);
CREATE POLICY owner_write ON docs FOR UPDATE TO pg_monitor
    USING (owner = current_user);
CREATE TABLE notes (
    id integer PRIMARY KEY,
    docs_id integer
);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY all_notes ON notes WITH CHECK (docs_id IS NOT NULL);
