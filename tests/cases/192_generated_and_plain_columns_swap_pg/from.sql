-- One column stops being generated and the next one becomes it (migra's
-- `generated` fixture): the first keeps its values (DROP EXPRESSION), the
-- second is dropped and added again; where that cannot give the schema's
-- order, a warning says so.
CREATE TABLE demo_gencol (
    id serial PRIMARY KEY,
    the_column text GENERATED ALWAYS AS ('the original generated value') STORED,
    the_column2 text
);
