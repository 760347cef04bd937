-- A column's type change makes the server build the indexes that read it
-- again, without their statistics targets: they are said again after it.
CREATE TABLE users (id bigint PRIMARY KEY, email varchar(40) NOT NULL, name text);
CREATE INDEX users_email_lower ON users (lower(email));
ALTER INDEX users_email_lower ALTER COLUMN 1 SET STATISTICS 100;
CREATE INDEX users_name_upper ON users (upper(name));
ALTER INDEX users_name_upper ALTER COLUMN 1 SET STATISTICS 50;
