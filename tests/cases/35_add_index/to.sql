CREATE TABLE events (
    id integer PRIMARY KEY,
    kind text NOT NULL,
    user_id integer,
    payload text,
    created_at timestamp NOT NULL,
    deleted_at timestamp
);
CREATE INDEX events_user_id_idx ON events (user_id);
