CREATE TABLE measurements (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    reading integer,
    note text
) PARTITION BY RANGE (logdate);

CREATE TABLE measurements_2026 PARTITION OF measurements (
    reading NOT NULL,
    note DEFAULT 'none',
    CONSTRAINT measurements_2026_pkey PRIMARY KEY (city_id, logdate)
) FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
