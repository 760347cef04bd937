CREATE TABLE events (
    id bigint NOT NULL,
    at date NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE notes (
    id integer PRIMARY KEY,
    event_id bigint,
    event_at date,
    CONSTRAINT notes_event_fk FOREIGN KEY (event_id, event_at) REFERENCES events (id, at)
);
