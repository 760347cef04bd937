CREATE TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL,
    login_count integer NOT NULL DEFAULT 0
);
