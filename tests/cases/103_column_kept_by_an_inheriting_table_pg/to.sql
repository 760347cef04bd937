CREATE TABLE stamped (
    created_at timestamp DEFAULT now()
);
-- `source` leaves the parent but stays in the child: the parent drops it
-- with ONLY, and the child's copy becomes its own with its rows.
CREATE TABLE posts (
    id integer,
    title text,
    source text
) INHERITS (stamped);
