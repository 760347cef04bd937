CREATE TABLE invoices (
    id serial PRIMARY KEY,
    number bigserial NOT NULL,
    line smallserial
);
