CREATE TABLE measurements (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    reading integer,
    note text
) PARTITION BY RANGE (logdate);
