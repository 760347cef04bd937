CREATE SEQUENCE items_id_seq;
CREATE TABLE items (
    id integer NOT NULL DEFAULT nextval('items_id_seq') PRIMARY KEY
);
CREATE TABLE other (
    id bigint PRIMARY KEY DEFAULT nextval('items_id_seq')
);
CREATE TABLE third (
    id bigint PRIMARY KEY
);
CREATE SEQUENCE third_id_seq AS integer OWNED BY third.id;
ALTER TABLE third ALTER COLUMN id SET DEFAULT nextval('third_id_seq');
