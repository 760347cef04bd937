-- `INTEGER PRIMARY KEY ASC` is still the rowid (only DESC makes it an
-- ordinary key, and that is refused): the same key as without ASC.
CREATE TABLE notes (
    body TEXT NOT NULL
);
