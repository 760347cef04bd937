CREATE DOMAIN percent AS integer CONSTRAINT percent_low CHECK (VALUE >= 0);
CREATE TABLE scores (id integer PRIMARY KEY, score percent);
INSERT INTO scores VALUES (1, 50), (2, 70);
