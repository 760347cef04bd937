CREATE TABLE events (
    id integer PRIMARY KEY,
    kind text NOT NULL,
    user_id integer,
    payload text,
    created_at timestamp NOT NULL,
    deleted_at timestamp
);
