CREATE TABLE shipments (
    id bigint PRIMARY KEY,
    zone integer NOT NULL,
    slot integer NOT NULL
);
