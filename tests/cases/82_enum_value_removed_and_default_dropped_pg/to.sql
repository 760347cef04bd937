CREATE TYPE mood AS ENUM ('new');
CREATE TABLE users (
    id integer NOT NULL,
    state mood NOT NULL
);
