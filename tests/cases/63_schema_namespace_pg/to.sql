CREATE SCHEMA billing;
CREATE TABLE billing.invoices (
    id integer PRIMARY KEY,
    amount numeric(12,2) NOT NULL
);
