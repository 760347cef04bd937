CREATE TABLE stamped (
    created_at timestamp DEFAULT now(),
    source text
);
CREATE TABLE posts (
    id integer,
    title text
) INHERITS (stamped);
INSERT INTO posts (id, title, source) VALUES (1, 'hello', 'import');
