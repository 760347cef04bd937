CREATE TYPE mood AS ENUM ('new', 'old');
CREATE TABLE users (
    id integer NOT NULL,
    state mood NOT NULL DEFAULT 'old'
);
