CREATE TABLE events (
    id bigint PRIMARY KEY,
    happened bigint NOT NULL,
    seen integer,
    day bigint
);
INSERT INTO events VALUES (1, 1700000000, 1700000000, 1700006400);
