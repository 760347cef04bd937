CREATE TABLE memberships (
    tenant_id integer NOT NULL,
    user_id integer NOT NULL,
    role text NOT NULL
);
CREATE TABLE docs (
    id integer PRIMARY KEY,
    tenant_id integer NOT NULL,
    owner integer
);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_members ON docs FOR SELECT
    USING (tenant_id IN (SELECT tenant_id FROM memberships WHERE user_id = current_setting('app.user')::integer));
CREATE POLICY admins_write ON docs FOR UPDATE
    USING (EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = docs.tenant_id AND role = 'admin' AND user_id = owner))
    WITH CHECK (NOT EXISTS (SELECT 1 FROM memberships WHERE memberships.user_id = owner AND role = 'banned'));
