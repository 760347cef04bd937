CREATE TYPE state AS ENUM ('open', 'done', 'void');
CREATE TABLE tickets (
    id integer PRIMARY KEY,
    state state NOT NULL DEFAULT 'done'
);
