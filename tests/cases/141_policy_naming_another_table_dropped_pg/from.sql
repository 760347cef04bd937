-- A policy whose USING names another table (as Supabase projects write
-- them): dropping both tables must drop the policy first, or the server
-- refuses to drop the table it names.
CREATE TABLE setlists (id uuid PRIMARY KEY, owner text NOT NULL);
CREATE TABLE songs (id uuid PRIMARY KEY, title text NOT NULL);
CREATE TABLE setlist_songs (
    setlist_id uuid NOT NULL REFERENCES setlists (id) ON DELETE CASCADE,
    song_id uuid NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
    PRIMARY KEY (setlist_id, song_id)
);
ALTER TABLE songs ENABLE ROW LEVEL SECURITY;
-- The policy as pg_dump prints it (a subquery is compared by its text, so
-- it is written the way the server prints it back).
CREATE POLICY "read songs in own setlists" ON public.songs FOR SELECT USING ((EXISTS ( SELECT 1
   FROM (public.setlist_songs
     JOIN public.setlists ON ((setlists.id = setlist_songs.setlist_id)))
  WHERE ((setlist_songs.song_id = songs.id) AND (setlists.owner = CURRENT_USER)))));
