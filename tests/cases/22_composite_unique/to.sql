CREATE TABLE slugs (
    id integer PRIMARY KEY,
    site_id integer NOT NULL,
    slug text NOT NULL,
    CONSTRAINT slugs_site_id_slug_key UNIQUE (site_id, slug)
);
