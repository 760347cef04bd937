CREATE TABLE documents (id int PRIMARY KEY, title text NOT NULL CHECK (title <> ''), created date);
CREATE TABLE invoices (total numeric NOT NULL) INHERITS (documents);
CREATE TABLE letters (title text DEFAULT 'untitled', recipient text) INHERITS (documents);
