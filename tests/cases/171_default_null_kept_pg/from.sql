CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    number varchar(32) NOT NULL
);
