CREATE EXTENSION unaccent;

CREATE TEXT SEARCH DICTIONARY public.english_nostop (
    TEMPLATE = snowball, Language = english
);
COMMENT ON TEXT SEARCH DICTIONARY english_nostop IS 'English stems, no stop words';

CREATE TEXT SEARCH CONFIGURATION public.unaccent_simple ( PARSER = pg_catalog."default" );
ALTER TEXT SEARCH CONFIGURATION public.unaccent_simple
    ADD MAPPING FOR asciiword, word WITH public.unaccent, simple;

CREATE TEXT SEARCH CONFIGURATION english_all (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION english_all ALTER MAPPING REPLACE english_stem WITH english_nostop;
COMMENT ON TEXT SEARCH CONFIGURATION english_all IS 'English without stop words';

CREATE TABLE documents (
    id bigint PRIMARY KEY,
    body text NOT NULL,
    search tsvector GENERATED ALWAYS AS (to_tsvector('public.unaccent_simple'::regconfig, body)) STORED
);
CREATE INDEX documents_body_idx ON documents USING gin (to_tsvector('public.english_all'::regconfig, body));
