-- A sequence whose name is not `<table>_<column>_seq` (the table was
-- renamed, say): the column is not `serial`, so the sequence is created
-- first and owned by the column once it exists.
CREATE SEQUENCE order_numbers;

CREATE TABLE invoices (
    id integer PRIMARY KEY DEFAULT nextval('order_numbers'),
    total integer NOT NULL
);

ALTER SEQUENCE order_numbers OWNED BY invoices.id;
