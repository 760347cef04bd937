CREATE TABLE rooms (
    id integer PRIMARY KEY,
    code text CONSTRAINT rooms_code_key UNIQUE
);
CREATE TABLE bookings (
    id integer,
    room_id integer CONSTRAINT bookings_room_id_fkey REFERENCES rooms (id),
    CONSTRAINT bookings_pkey PRIMARY KEY (id)
);
