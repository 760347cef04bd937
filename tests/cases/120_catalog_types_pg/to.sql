-- Types of pg_catalog that are not in the SQL standard.
CREATE TABLE items (
    id bigint PRIMARY KEY,
    label name,
    kind "char",
    mac macaddr8,
    lsn pg_lsn,
    area box
);
