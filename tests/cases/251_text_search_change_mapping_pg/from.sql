CREATE TEXT SEARCH DICTIONARY english_nostop (TEMPLATE = snowball, language = 'english');

CREATE TEXT SEARCH CONFIGURATION public.docs ( PARSER = pg_catalog."default" );
ALTER TEXT SEARCH CONFIGURATION public.docs ADD MAPPING FOR asciiword, word WITH english_stem;
ALTER TEXT SEARCH CONFIGURATION public.docs ADD MAPPING FOR email, url WITH simple;

CREATE TABLE documents (
    id bigint PRIMARY KEY,
    body text NOT NULL
);
CREATE INDEX documents_body_idx ON documents USING gin (to_tsvector('public.docs'::regconfig, body));
