-- As a migration writes them.
CREATE TABLE accounts (
    id serial PRIMARY KEY,
    email text NOT NULL,
    tags text[],
    settings jsonb DEFAULT '{}',
    created_at timestamptz DEFAULT now()
);
CREATE INDEX accounts_email ON accounts (lower(email));
CREATE TABLE events (at timestamptz NOT NULL, account_id int) PARTITION BY RANGE (at);
CREATE TABLE events_2024_q1 PARTITION OF events FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-04-01 00:00:00+00');
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.created_at := now(); RETURN NEW; END $$;
CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch();
