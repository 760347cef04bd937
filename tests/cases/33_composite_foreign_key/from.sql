CREATE TABLE warehouses (
    region text NOT NULL,
    code text NOT NULL,
    CONSTRAINT warehouses_pkey PRIMARY KEY (region, code)
);
CREATE TABLE stock (
    id integer PRIMARY KEY,
    region text NOT NULL,
    code text NOT NULL
);
