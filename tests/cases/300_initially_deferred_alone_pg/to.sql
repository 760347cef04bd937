-- INITIALLY DEFERRED without DEFERRABLE: the server makes each constraint
-- deferrable, initially deferred.
CREATE TABLE rooms (
    id integer PRIMARY KEY,
    code text CONSTRAINT rooms_code_key UNIQUE INITIALLY DEFERRED
);
CREATE TABLE bookings (
    id integer,
    room_id integer CONSTRAINT bookings_room_id_fkey REFERENCES rooms (id) INITIALLY DEFERRED,
    CONSTRAINT bookings_pkey PRIMARY KEY (id) INITIALLY DEFERRED
);
