CREATE TABLE notes (
    id integer PRIMARY KEY,
    text text NOT NULL -- migrate:renamed-from body
);
-- migrate:renamed-from notes_body
CREATE INDEX notes_text ON notes (text);
-- migrate:renamed-from long_notes
CREATE VIEW lengthy_notes AS SELECT id, text FROM notes WHERE length(text) > 100;
