CREATE TABLE rectangles (
    id INTEGER PRIMARY KEY,
    width REAL NOT NULL,
    height REAL NOT NULL
);
