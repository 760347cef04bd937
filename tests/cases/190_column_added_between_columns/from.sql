-- A column written between two others, as sqldef's and migra's suites add
-- them: ADD COLUMN puts it last (a warning says so; order is not compared).
CREATE TABLE users (
    id bigint NOT NULL,
    age integer
);
