CREATE TABLE p (
    id integer PRIMARY KEY
);
CREATE TABLE t (
    id integer PRIMARY KEY,
    p integer,
    n integer,
    CONSTRAINT n_small CHECK (n < 100) NO INHERIT
);
ALTER TABLE t ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID;
ALTER TABLE t ADD CONSTRAINT t_p_fk FOREIGN KEY (p) REFERENCES p (id) NOT VALID;
ALTER TABLE t VALIDATE CONSTRAINT n_positive;
ALTER TABLE t VALIDATE CONSTRAINT t_p_fk;
CREATE TABLE fresh (
    id integer,
    CONSTRAINT fresh_id CHECK (id > 0)
);
ALTER TABLE fresh ADD CONSTRAINT fresh_later CHECK (id < 10) NOT VALID;
