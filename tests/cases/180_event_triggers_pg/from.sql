CREATE TABLE ddl_log (tag text, at timestamptz DEFAULT now());
CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ddl_log (tag) SELECT command_tag FROM pg_event_trigger_ddl_commands();
END $$;
