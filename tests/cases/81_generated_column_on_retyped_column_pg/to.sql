CREATE TABLE users (
    id integer NOT NULL,
    doubled bigint GENERATED ALWAYS AS (id * 2) STORED
);
