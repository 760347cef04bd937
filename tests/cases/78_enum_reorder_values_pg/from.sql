CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');

CREATE TABLE people (
    id integer PRIMARY KEY,
    current_mood mood NOT NULL DEFAULT 'ok'
);
