CREATE TABLE accounts (
    id integer NOT NULL,
    tenant integer NOT NULL,
    email text NOT NULL,
    CONSTRAINT accounts_pkey PRIMARY KEY (id),
    CONSTRAINT accounts_email_key UNIQUE (email)
);

CREATE TABLE sessions (
    token text NOT NULL,
    account integer NOT NULL,
    CONSTRAINT sessions_pkey PRIMARY KEY (token) WITH (fillfactor = 90)
);
