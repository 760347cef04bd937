CREATE TABLE documents (id int PRIMARY KEY, title text NOT NULL CHECK (title <> ''));
CREATE TABLE invoices (id int, title text NOT NULL, total numeric NOT NULL);
