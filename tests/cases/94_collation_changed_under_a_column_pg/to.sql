CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level1', deterministic = false);
CREATE TABLE people (
    id integer PRIMARY KEY,
    name text COLLATE ci NOT NULL
);
CREATE INDEX people_name ON people (name);
