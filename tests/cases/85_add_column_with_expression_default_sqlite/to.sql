CREATE TABLE events (
    id INTEGER NOT NULL,
    created TEXT DEFAULT (datetime('now'))
);
