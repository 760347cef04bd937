CREATE TABLE events (
    id integer PRIMARY KEY,
    kind text NOT NULL,
    user_id integer,
    payload text,
    created_at timestamp NOT NULL,
    deleted_at timestamp
);
CREATE UNIQUE INDEX events_kind_user_id_key ON events (kind, user_id) NULLS NOT DISTINCT;
