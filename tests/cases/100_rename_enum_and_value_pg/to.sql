-- migrate:renamed-from state
CREATE TYPE ticket_state AS ENUM (
    'open',
    'closed', -- migrate:renamed-from 'done'
    'void'
);
CREATE TABLE tickets (
    id integer PRIMARY KEY,
    state ticket_state NOT NULL DEFAULT 'closed'
);
