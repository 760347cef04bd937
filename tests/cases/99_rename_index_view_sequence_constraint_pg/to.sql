-- migrate:renamed-from invoice_numbers
CREATE SEQUENCE invoice_number_seq START 1000;
-- migrate:renamed-from invoices
CREATE TABLE bills (
    id serial PRIMARY KEY,
    number bigint NOT NULL DEFAULT nextval('invoice_number_seq'),
    amount numeric(12,2) NOT NULL, -- migrate:renamed-from total
    CONSTRAINT amount_not_negative CHECK (amount >= 0) -- migrate:renamed-from total_positive
);
-- A comment line between the annotation and the statement is allowed.
-- migrate:renamed-from invoices_total
-- (the index follows its column)
CREATE INDEX bills_amount ON bills (amount);
-- migrate:renamed-from big_invoices
CREATE VIEW big_bills AS SELECT id, amount FROM bills WHERE amount > 1000;
-- migrate:renamed-from invoice_totals
CREATE MATERIALIZED VIEW bill_totals AS SELECT sum(amount) AS total FROM bills;
