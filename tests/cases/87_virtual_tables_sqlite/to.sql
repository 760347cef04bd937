CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, body TEXT);
CREATE VIRTUAL TABLE docs_fts USING fts5(title, body, content='docs', content_rowid='id', tokenize='porter');
CREATE VIRTUAL TABLE IF NOT EXISTS tags USING fts5(tag);
