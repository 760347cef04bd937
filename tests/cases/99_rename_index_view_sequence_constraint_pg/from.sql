CREATE SEQUENCE invoice_numbers START 1000;
CREATE TABLE invoices (
    id serial PRIMARY KEY,
    number bigint NOT NULL DEFAULT nextval('invoice_numbers'),
    total numeric(10,2) NOT NULL,
    CONSTRAINT total_positive CHECK (total >= 0)
);
CREATE INDEX invoices_total ON invoices (total);
CREATE VIEW big_invoices AS SELECT id, total FROM invoices WHERE total > 1000;
CREATE MATERIALIZED VIEW invoice_totals AS SELECT sum(total) AS total FROM invoices;
