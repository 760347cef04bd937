CREATE TEXT SEARCH DICTIONARY english_nostop (TEMPLATE = snowball, language = 'english');
CREATE TEXT SEARCH CONFIGURATION docs (COPY = english);
ALTER TEXT SEARCH CONFIGURATION docs ALTER MAPPING FOR asciiword WITH english_nostop;

CREATE TABLE documents (
    id bigint PRIMARY KEY,
    body text NOT NULL,
    search tsvector GENERATED ALWAYS AS (to_tsvector('public.docs'::regconfig, body)) STORED
);
