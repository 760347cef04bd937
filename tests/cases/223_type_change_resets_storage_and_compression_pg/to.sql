-- A type change gives the column the new type's own storage and the
-- default compression: nothing is said for them after it (mood and integer
-- take no storage but PLAIN, and no compression).
CREATE TYPE mood AS ENUM ('new', 'done');
CREATE TABLE users (id int PRIMARY KEY, status text, body integer);
ALTER TABLE users ALTER COLUMN status SET STORAGE EXTERNAL;
