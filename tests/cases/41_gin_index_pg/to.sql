CREATE TABLE documents (
    id integer PRIMARY KEY,
    tags text[] NOT NULL,
    body jsonb
);
CREATE INDEX documents_tags_idx ON documents USING gin (tags);
CREATE INDEX documents_body_idx ON documents USING gin (body jsonb_path_ops);
