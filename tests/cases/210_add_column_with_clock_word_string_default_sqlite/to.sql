CREATE TABLE shifts (
    id INTEGER NOT NULL,
    starts TEXT NOT NULL DEFAULT 'current_time',
    note TEXT DEFAULT '-- not a comment'
);
