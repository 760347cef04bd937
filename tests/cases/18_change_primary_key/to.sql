CREATE TABLE accounts (
    id integer NOT NULL,
    handle text NOT NULL,
    CONSTRAINT accounts_pkey PRIMARY KEY (handle)
);
