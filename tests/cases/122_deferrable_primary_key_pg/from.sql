CREATE TABLE tickets (
    id integer PRIMARY KEY
);
CREATE TABLE seats (
    row_no integer,
    seat_no integer,
    CONSTRAINT seats_pkey PRIMARY KEY (row_no, seat_no) DEFERRABLE
);
