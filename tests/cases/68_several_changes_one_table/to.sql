CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email text NOT NULL,
    phone varchar(40),
    tier text NOT NULL DEFAULT 'basic',
    CONSTRAINT customers_email_key UNIQUE (email),
    CONSTRAINT customers_tier_check CHECK (tier IN ('basic', 'gold'))
);
CREATE INDEX customers_email_idx ON customers (email);
