CREATE TABLE ddl_log (tag text, at timestamptz DEFAULT now());
CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ddl_log (tag) SELECT command_tag FROM pg_event_trigger_ddl_commands();
END $$;
CREATE SCHEMA ops;
CREATE FUNCTION ops.note_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'dropped';
END $$;
CREATE EVENT TRIGGER log_table_ddl ON ddl_command_end
    WHEN TAG IN ('create table', 'ALTER TABLE')
    EXECUTE PROCEDURE log_ddl();
CREATE EVENT TRIGGER note_drops ON sql_drop EXECUTE FUNCTION ops.note_drop();
COMMENT ON EVENT TRIGGER note_drops IS 'says what was dropped';
