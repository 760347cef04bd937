CREATE SEQUENCE invoice_numbers;
CREATE TABLE invoices (
    id integer PRIMARY KEY,
    number bigint NOT NULL DEFAULT nextval('invoice_numbers')
);
