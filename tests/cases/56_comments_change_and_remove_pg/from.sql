CREATE TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL
);

COMMENT ON TABLE users IS 'People who can log in';
COMMENT ON COLUMN users.email IS 'Unique, lower-cased';
