-- A row comparison: the server prints the constructors as ROW(zone, slot).
CREATE TABLE shipments (
    id bigint PRIMARY KEY,
    zone integer NOT NULL,
    slot integer NOT NULL,
    CONSTRAINT shipments_slot_order CHECK ((zone, slot) >= (1, 0))
);
