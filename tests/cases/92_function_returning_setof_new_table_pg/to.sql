CREATE TABLE keep (
    id integer PRIMARY KEY
);
CREATE TABLE events (
    id integer PRIMARY KEY,
    kind text NOT NULL
);
CREATE FUNCTION events_of(k text) RETURNS SETOF events LANGUAGE sql STABLE AS $$ SELECT * FROM events WHERE kind = k $$;
CREATE TABLE digests (
    id integer PRIMARY KEY,
    total integer NOT NULL DEFAULT 0
);
