CREATE TABLE parents (
    id integer PRIMARY KEY
);
CREATE TABLE children (
    id integer PRIMARY KEY,
    parent_id integer,
    CONSTRAINT children_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES parents (id)
);
CREATE INDEX children_parent_id_idx ON children (parent_id);
CREATE VIEW orphan_children AS SELECT id FROM children WHERE parent_id IS NULL;
