CREATE TABLE profiles (id uuid PRIMARY KEY, username text NOT NULL);
CREATE TABLE messages (id bigint PRIMARY KEY, profile_id uuid NOT NULL REFERENCES profiles (id), body text NOT NULL);
CREATE PUBLICATION supabase_realtime;
ALTER PUBLICATION supabase_realtime ADD TABLE public.messages, public.profiles;
COMMENT ON PUBLICATION supabase_realtime IS 'changes the clients listen to';
