CREATE TABLE tickets (
    id integer PRIMARY KEY DEFERRABLE
);
CREATE TABLE seats (
    row_no integer,
    seat_no integer,
    CONSTRAINT seats_pkey PRIMARY KEY (row_no, seat_no) DEFERRABLE INITIALLY DEFERRED
);
-- Deferrable keys alike make one constraint; a key that is not deferrable is another.
CREATE TABLE slots (
    id integer PRIMARY KEY DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT slots_same UNIQUE (id) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT slots_immediate UNIQUE (id)
);
