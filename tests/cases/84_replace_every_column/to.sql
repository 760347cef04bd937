CREATE TABLE orders (
    name integer NOT NULL DEFAULT 0
);
