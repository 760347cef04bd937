CREATE FUNCTION is_slug(s text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT s ~ '^[a-z0-9-]+$' $$;
CREATE DOMAIN slug AS text CHECK (is_slug(VALUE) AND length(VALUE) < 64);
CREATE TABLE tenants (
    id integer PRIMARY KEY,
    slug slug NOT NULL DEFAULT 'new'
);
