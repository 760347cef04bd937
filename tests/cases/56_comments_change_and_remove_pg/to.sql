CREATE TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL
);

COMMENT ON TABLE users IS 'Everyone with an account';
