CREATE TABLE users (
    id SMALLINT NOT NULL,
    name SMALLINT,
    parent SMALLINT,
    UNIQUE (name),
    FOREIGN KEY (parent) REFERENCES users (name)
);
