CREATE TABLE p (
    id integer PRIMARY KEY
);
CREATE TABLE t (
    id integer PRIMARY KEY,
    p integer,
    n integer
);
ALTER TABLE t ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID;
ALTER TABLE t ADD CONSTRAINT t_p_fk FOREIGN KEY (p) REFERENCES p (id) NOT VALID;
