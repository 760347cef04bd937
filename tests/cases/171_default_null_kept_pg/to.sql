-- `DEFAULT NULL` as written: on a varchar(n) the server keeps it
-- (`NULL::character varying`), on text and integer it keeps none. Either
-- way it is the same as no default.
CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    number varchar(32) NOT NULL,
    memo varchar(120) DEFAULT NULL,
    note text DEFAULT NULL,
    discount integer DEFAULT NULL,
    code char(3) DEFAULT NULL::bpchar
);
