CREATE SEQUENCE plain;
CREATE SEQUENCE big START 10000000;
CREATE SEQUENCE down_counter AS integer INCREMENT BY -1;
CREATE TABLE orders (
    id serial PRIMARY KEY,
    n bigint NOT NULL DEFAULT nextval('big')
);
