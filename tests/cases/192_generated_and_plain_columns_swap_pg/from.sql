-- One column stops being generated and the next one becomes it (migra's
-- `generated` fixture): both are dropped and added again, in the order the
-- schema declares them, generated columns after plain ones; where that
-- cannot give the schema's order, a warning says so.
CREATE TABLE demo_gencol (
    id serial PRIMARY KEY,
    the_column text GENERATED ALWAYS AS ('the original generated value') STORED,
    the_column2 text
);
