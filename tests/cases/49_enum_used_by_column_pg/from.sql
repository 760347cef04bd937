CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');

CREATE TABLE people (
    id integer PRIMARY KEY
);
