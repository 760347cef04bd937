-- An existing table made to inherit (ALTER TABLE … INHERIT): its columns
-- stay declared by the table itself, which the model does not distinguish
-- from the columns of a CREATE TABLE … INHERITS.
CREATE TABLE documents (id int PRIMARY KEY, title text NOT NULL CHECK (title <> ''));
CREATE TABLE invoices (total numeric NOT NULL) INHERITS (documents);
