CREATE TABLE events (
    id bigint NOT NULL,
    at date NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
-- A foreign key to `events` holds on to each of its partitions: dropping
-- one needs it detached first.
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE notes (
    id integer PRIMARY KEY,
    event_id bigint,
    event_at date,
    CONSTRAINT notes_event_fk FOREIGN KEY (event_id, event_at) REFERENCES events (id, at)
);
