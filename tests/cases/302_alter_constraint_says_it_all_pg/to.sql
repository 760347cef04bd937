CREATE TABLE rooms (
    id integer PRIMARY KEY
);
CREATE TABLE bookings (
    room_id integer CONSTRAINT bookings_room_id_fkey REFERENCES rooms (id) DEFERRABLE INITIALLY DEFERRED,
    next_room_id integer CONSTRAINT bookings_next_room_id_fkey REFERENCES rooms (id) DEFERRABLE INITIALLY DEFERRED
);
-- What ALTER CONSTRAINT does not say is the default: the first is
-- deferrable initially immediate, the second not deferrable.
ALTER TABLE bookings ALTER CONSTRAINT bookings_room_id_fkey DEFERRABLE;
ALTER TABLE bookings ALTER CONSTRAINT bookings_next_room_id_fkey INITIALLY IMMEDIATE;
