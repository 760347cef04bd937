-- SQLite's conflict clause belongs to its key: changing it rebuilds the
-- table (SQLite alters no constraint), adding one to a new table is inline.
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    email TEXT UNIQUE ON CONFLICT IGNORE,
    phone TEXT
);
