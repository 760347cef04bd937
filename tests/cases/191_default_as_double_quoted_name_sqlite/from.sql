-- SQLite reads a name after DEFAULT as the string it spells; calibre's
-- metadata.db writes its string defaults that way. In parentheses it would
-- be a column reference ("default value of column [link] is not constant").
CREATE TABLE authors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE
);
