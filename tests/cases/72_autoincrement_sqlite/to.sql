CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payload TEXT NOT NULL,
    run_at TEXT DEFAULT (datetime('now'))
);
