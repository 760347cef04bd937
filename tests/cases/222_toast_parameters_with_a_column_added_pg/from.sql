CREATE TABLE users (id int PRIMARY KEY, age int);
