CREATE EXTENSION btree_gist;
CREATE TABLE rooms (
    id integer PRIMARY KEY
);
CREATE TABLE bookings (
    room integer NOT NULL,
    during tstzrange NOT NULL,
    CONSTRAINT no_double_booking EXCLUDE USING gist (room WITH =, during WITH &&)
);
