CREATE TABLE tickets (
    id bigint NOT NULL PRIMARY KEY,
    title text NOT NULL
);
