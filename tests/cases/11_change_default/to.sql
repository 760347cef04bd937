CREATE TABLE tasks (
    id integer PRIMARY KEY,
    status text NOT NULL DEFAULT 'todo',
    priority integer DEFAULT 3
);
