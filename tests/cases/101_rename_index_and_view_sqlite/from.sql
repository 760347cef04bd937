CREATE TABLE notes (
    id integer PRIMARY KEY,
    body text NOT NULL
);
CREATE INDEX notes_body ON notes (body);
CREATE VIEW long_notes AS SELECT id, body FROM notes WHERE length(body) > 100;
