CREATE TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL
);

CREATE TABLE audit_log (
    id integer PRIMARY KEY,
    message text
);
