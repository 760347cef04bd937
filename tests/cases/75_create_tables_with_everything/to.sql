CREATE TABLE organizations (
    id integer PRIMARY KEY,
    name text NOT NULL,
    CONSTRAINT organizations_name_key UNIQUE (name)
);
CREATE TABLE members (
    id integer PRIMARY KEY,
    organization_id integer NOT NULL,
    email varchar(320) NOT NULL,
    role text NOT NULL DEFAULT 'member',
    joined_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT members_role_check CHECK (role IN ('owner', 'admin', 'member')),
    CONSTRAINT members_organization_id_email_key UNIQUE (organization_id, email),
    CONSTRAINT members_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE
);
CREATE INDEX members_email_idx ON members (email);
CREATE VIEW admins AS SELECT id, organization_id, email FROM members WHERE role = 'admin';
