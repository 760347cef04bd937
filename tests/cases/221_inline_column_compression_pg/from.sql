CREATE TABLE docs (id bigint PRIMARY KEY, body text, title text COMPRESSION pglz);
