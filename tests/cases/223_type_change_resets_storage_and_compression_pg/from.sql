CREATE TYPE mood AS ENUM ('new', 'done');
CREATE TABLE users (id int PRIMARY KEY, status mood, body text COMPRESSION lz4);
