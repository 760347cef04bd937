CREATE SCHEMA audit;
CREATE TABLE audit.events (id bigint PRIMARY KEY, kind text NOT NULL);
CREATE TABLE messages (id bigint PRIMARY KEY, room_id bigint NOT NULL, body text, hidden boolean NOT NULL DEFAULT false);
CREATE TABLE archived_messages () INHERITS (messages);
CREATE TABLE rooms (id bigint PRIMARY KEY, name text NOT NULL);
CREATE PUBLICATION supabase_realtime;
ALTER PUBLICATION supabase_realtime ADD TABLE public.messages WHERE (NOT hidden);
ALTER PUBLICATION supabase_realtime ADD TABLE ONLY public.rooms;
CREATE PUBLICATION feed FOR TABLE ONLY messages (id, room_id, body), TABLE rooms
    WITH (publish = 'insert, update', publish_via_partition_root = true);
CREATE PUBLICATION audit_feed FOR TABLES IN SCHEMA audit;
