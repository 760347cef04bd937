CREATE TABLE teams (
    id integer PRIMARY KEY,
    captain_id integer
);
CREATE TABLE players (
    id integer PRIMARY KEY,
    team_id integer,
    CONSTRAINT players_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id)
);
ALTER TABLE teams ADD CONSTRAINT teams_captain_id_fkey FOREIGN KEY (captain_id) REFERENCES players (id);
