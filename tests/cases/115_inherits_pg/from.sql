CREATE TABLE documents (id int PRIMARY KEY, title text NOT NULL CHECK (title <> ''));
CREATE TABLE invoices (total numeric NOT NULL) INHERITS (documents);
