-- An extension at a newer version than the one the next schema pins:
-- extensions ship upgrade scripts only, so going back reinstalls it.
CREATE EXTENSION intarray VERSION '1.5';

CREATE TABLE tags (
    id integer PRIMARY KEY,
    label text NOT NULL
);
