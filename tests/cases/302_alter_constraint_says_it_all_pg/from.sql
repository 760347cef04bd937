CREATE TABLE rooms (
    id integer PRIMARY KEY
);
CREATE TABLE bookings (
    room_id integer CONSTRAINT bookings_room_id_fkey REFERENCES rooms (id) DEFERRABLE INITIALLY DEFERRED,
    next_room_id integer CONSTRAINT bookings_next_room_id_fkey REFERENCES rooms (id) DEFERRABLE INITIALLY DEFERRED
);
