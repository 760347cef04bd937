CREATE TABLE documents (
    id integer PRIMARY KEY,
    tags text[] NOT NULL,
    body jsonb
);
