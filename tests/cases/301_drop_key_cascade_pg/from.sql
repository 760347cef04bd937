CREATE TABLE rooms (
    id integer PRIMARY KEY,
    code text CONSTRAINT rooms_code_key UNIQUE
);
CREATE TABLE bookings (
    room_id integer CONSTRAINT bookings_room_id_fkey REFERENCES rooms (id),
    room_code text CONSTRAINT bookings_room_code_fkey REFERENCES rooms (code)
);
