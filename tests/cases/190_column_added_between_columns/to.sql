CREATE TABLE users (
    id bigint NOT NULL,
    name text,
    age integer,
    email text
);
