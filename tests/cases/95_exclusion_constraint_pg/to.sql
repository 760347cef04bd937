CREATE EXTENSION btree_gist;
CREATE TABLE rooms (
    id integer PRIMARY KEY
);
CREATE TABLE bookings (
    room integer NOT NULL,
    during tstzrange NOT NULL,
    cancelled boolean NOT NULL DEFAULT false,
    CONSTRAINT no_double_booking EXCLUDE USING gist (room WITH =, during WITH &&)
        WHERE (NOT cancelled) DEFERRABLE INITIALLY DEFERRED
);
ALTER TABLE rooms ADD EXCLUDE (id WITH =);
CREATE TABLE slots (
    during tstzrange NOT NULL,
    CONSTRAINT slots_no_overlap EXCLUDE USING gist (during WITH &&)
);
