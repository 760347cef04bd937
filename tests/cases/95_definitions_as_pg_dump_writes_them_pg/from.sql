-- As a migration writes them.
CREATE TYPE feature AS (name text, subfeatures text[]);
CREATE TABLE versions (id int PRIMARY KEY, crate_id int, features feature[], updated_at timestamptz);
CREATE TABLE version_downloads (version_id int, downloads int, date date);
CREATE FUNCTION normalize_name(varchar) RETURNS varchar AS $_$ SELECT lower($1) $_$ LANGUAGE SQL IMMUTABLE STRICT;
CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$ LANGUAGE plpgsql;
CREATE FUNCTION audit() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql;
CREATE TRIGGER touch_versions BEFORE UPDATE OR INSERT ON versions FOR EACH ROW EXECUTE PROCEDURE touch();
CREATE TRIGGER audit_versions AFTER UPDATE ON versions FOR EACH ROW WHEN (NEW.id > 0) EXECUTE PROCEDURE audit(versions, 3);
CREATE MATERIALIZED VIEW recent (crate_id, downloads) AS
  SELECT crate_id, SUM(version_downloads.downloads) FROM version_downloads
    INNER JOIN versions ON version_downloads.version_id = versions.id
    WHERE version_downloads.date > date(CURRENT_TIMESTAMP - INTERVAL '90 days')
    GROUP BY crate_id;
CREATE VIEW named AS SELECT id, normalize_name(crate_id::text) AS name FROM versions WHERE crate_id IS NOT NULL;
