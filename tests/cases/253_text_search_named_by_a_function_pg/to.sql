CREATE TEXT SEARCH CONFIGURATION docs (COPY = simple);

CREATE FUNCTION a_search(q text, cfg regconfig DEFAULT 'public.docs'::regconfig)
RETURNS tsquery LANGUAGE sql IMMUTABLE AS $$ SELECT to_tsquery(cfg, q) $$;

CREATE TABLE documents (
    id bigint PRIMARY KEY,
    body text NOT NULL DEFAULT a_search('x')::text
);
