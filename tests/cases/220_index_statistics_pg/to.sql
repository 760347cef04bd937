CREATE TABLE people (id bigint PRIMARY KEY, email text, name text, born date);
CREATE INDEX people_email_lower ON people (lower(email));
CREATE INDEX people_name_born ON people (name, (extract(year FROM born)), upper(name));
ALTER INDEX people_name_born ALTER COLUMN 2 SET STATISTICS 0;
ALTER INDEX people_name_born ALTER COLUMN 3 SET STATISTICS 250;
CREATE INDEX people_kept ON people ((id % 10));
ALTER INDEX people_kept ALTER COLUMN 1 SET STATISTICS 20;
-- A created index gets its target after it; so does one created again
-- (here made unique).
CREATE INDEX people_born_month ON people ((extract(month FROM born)));
ALTER INDEX people_born_month ALTER COLUMN 1 SET STATISTICS 300;
CREATE UNIQUE INDEX people_recreated ON people ((id * 2));
ALTER INDEX people_recreated ALTER COLUMN 1 SET STATISTICS 40;
