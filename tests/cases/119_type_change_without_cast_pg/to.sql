-- PostgreSQL has no cast between integers and points in time.
CREATE TABLE events (
    id bigint PRIMARY KEY,
    happened timestamp NOT NULL,
    seen timestamptz,
    day date
);
