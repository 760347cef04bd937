CREATE TABLE rooms (
    id integer PRIMARY KEY,
    code text CONSTRAINT rooms_code_key UNIQUE
);
CREATE TABLE bookings (
    room_id integer CONSTRAINT bookings_room_id_fkey REFERENCES rooms (id),
    room_code text CONSTRAINT bookings_room_code_fkey REFERENCES rooms (code)
);
-- CASCADE drops the foreign key on the key with it; the one on `code` stays.
ALTER TABLE rooms DROP CONSTRAINT rooms_pkey CASCADE;
