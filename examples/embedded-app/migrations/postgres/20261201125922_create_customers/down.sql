-- Down of migration 20261201125922_create_customers, written by `cargo migrate new`.
-- Review it before applying; once applied, change it only with a new migration.

-- WARNING: drops table `customers` and all its rows
DROP TABLE customers;
