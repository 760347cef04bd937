CREATE TABLE articles (
    id integer PRIMARY KEY,
    title text COLLATE "C",
    tags text[] NOT NULL DEFAULT '{}'
);
