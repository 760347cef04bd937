CREATE TABLE users (
    id smallint NOT NULL
);
