CREATE TABLE demo_gencol (
    id serial PRIMARY KEY,
    the_column text,
    the_column2 text GENERATED ALWAYS AS ('the original generated value') STORED
);
