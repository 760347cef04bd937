CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text,
    email text,
    phone varchar(20),
    notes text
);
CREATE INDEX customers_email_idx ON customers (email);
INSERT INTO customers (id, name, email, phone, notes) VALUES (1, 'Ada', 'ada@example.com', '555-0100', 'first');
INSERT INTO customers (id, name, email, phone, notes) VALUES (2, 'Grace', 'grace@example.com', NULL, NULL);
