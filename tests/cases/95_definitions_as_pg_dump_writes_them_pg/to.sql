-- As pg_dump prints the same objects; only touch()'s body changed.
CREATE TYPE public.feature AS (
	name text,
	subfeatures text[]
);
CREATE TABLE public.versions (id integer NOT NULL, crate_id integer, features public.feature[], updated_at timestamp with time zone);
ALTER TABLE ONLY public.versions ADD CONSTRAINT versions_pkey PRIMARY KEY (id);
CREATE TABLE public.version_downloads (version_id integer, downloads integer, date date);
CREATE FUNCTION public.normalize_name(character varying) RETURNS character varying
    LANGUAGE sql IMMUTABLE STRICT
    AS $_$ SELECT lower($1) $_$;
CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$;
CREATE FUNCTION public.audit() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER touch_versions BEFORE INSERT OR UPDATE ON public.versions FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE TRIGGER audit_versions AFTER UPDATE ON public.versions FOR EACH ROW WHEN ((new.id > 0)) EXECUTE FUNCTION public.audit('versions', '3');
CREATE MATERIALIZED VIEW public.recent AS
 SELECT versions.crate_id,
    sum(version_downloads.downloads) AS downloads
   FROM (public.version_downloads
     JOIN public.versions ON ((version_downloads.version_id = versions.id)))
  WHERE (version_downloads.date > date((CURRENT_TIMESTAMP - '90 days'::interval)))
  GROUP BY versions.crate_id
  WITH NO DATA;
CREATE VIEW public.named AS
 SELECT versions.id,
    public.normalize_name((versions.crate_id)::text) AS name
   FROM public.versions
  WHERE (versions.crate_id IS NOT NULL);
