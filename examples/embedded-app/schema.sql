-- The state the database should be in. `cargo migrate new <name>` writes
-- the migrations that get there (once per dialect: see README.md).
CREATE TABLE customers (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    name text NOT NULL
);
