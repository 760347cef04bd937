-- Statistics targets of expression index columns, as pg_dump writes them
-- after the index: a changed target is an ALTER INDEX, the index is kept.
CREATE TABLE people (id bigint PRIMARY KEY, email text, name text, born date);
CREATE INDEX people_email_lower ON people (lower(email));
ALTER INDEX people_email_lower ALTER COLUMN 1 SET STATISTICS 500;
CREATE INDEX people_name_born ON people (name, (extract(year FROM born)), upper(name));
ALTER INDEX people_name_born ALTER COLUMN 2 SET STATISTICS 100;
CREATE INDEX people_kept ON people ((id % 10));
CREATE INDEX people_recreated ON people ((id * 2));
ALTER INDEX people_recreated ALTER COLUMN 1 SET STATISTICS 40;
