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
