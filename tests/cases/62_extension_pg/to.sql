CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE words (
    id integer PRIMARY KEY,
    word text NOT NULL
);
CREATE INDEX words_trgm_idx ON words USING gin (word gin_trgm_ops);
