-- A rule names its event with `ON` and its table with `TO`; a cast and a
-- domain use an enum, so down.sql drops them before the enum.
CREATE TYPE invoice_state AS ENUM ('draft', 'sent', 'paid');
CREATE CAST (invoice_state AS text) WITH INOUT;
CREATE DOMAIN open_state AS invoice_state CHECK (VALUE <> 'paid');
CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    total numeric NOT NULL,
    state invoice_state NOT NULL DEFAULT 'draft'
);
CREATE RULE invoices_keep AS ON DELETE TO invoices WHERE old.state = 'paid' DO INSTEAD NOTHING;
